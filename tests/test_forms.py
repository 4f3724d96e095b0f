"""StaffForm: every staff text field cleaned by its kind; passwords and hidden values left as sent."""
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, IntegerField, PasswordField, StringField, TextAreaField

from surveyapp.forms import StaffForm


class Sample(StaffForm):
    title = StringField(filters=[lambda value: value.upper() if value else value])
    body = TextAreaField()
    secret = PasswordField()
    token = HiddenField()
    number = IntegerField()


def test_staff_form_cleans_text_fields_by_kind(app):
    with app.test_request_context(method="POST"):
        form = Sample(formdata=MultiDict({
            "title": "Title\r\nwith\x1b break", "body": "Line 1\r\nLine\t2\x00", "secret": "p\x01ss\n",
            "token": "a\x02b", "number": "12"}), meta={"csrf": False})
        assert form.title.data == "TITLE WITH BREAK"  # the field's own filter first, cleaning last
        assert form.body.data == "Line 1\nLine\t2"
        assert form.secret.data == "p\x01ss\n"
        assert form.token.data == "a\x02b"
        assert form.number.data == 12


def test_staff_form_cleans_initial_data_too(app):
    with app.test_request_context():
        form = Sample(data={"title": "A\nB"}, meta={"csrf": False})
        assert form.title.data == "A B"


def test_staff_number_fields_refuse_more_than_15_digits_before_their_range_check(app):
    from wtforms.validators import NumberRange

    class Numbers(StaffForm):
        small = IntegerField(validators=[NumberRange(0, 10)])

    with app.test_request_context(method="POST"):
        form = Numbers(formdata=MultiDict({"small": "9" * 400}), meta={"csrf": False})
        assert not form.validate()  # NumberRange alone raised OverflowError
        assert form.small.errors == ["Please enter a whole number of at most 15 digits."]
