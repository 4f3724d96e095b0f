"""The base of every staff form: each text field cleaned of control characters once, here, not per form.

A questionnaire title with a line break broke the invitation e-mails' Subject; a label with ESC broke every
XLSX export. `StaffForm` binds `textclean.clean_text` as the last filter of every text field: a text area keeps
tab and newline, a one-line field (title, label, place, option label) gets spaces instead. Passwords are left
exactly as typed, and hidden fields (tokens, ids) are not texts.
"""
from functools import partial

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

from surveyapp.textclean import clean_text

_MULTILINE = partial(clean_text, multiline=True)
_SINGLE_LINE = partial(clean_text, multiline=False)


def text_filter(field_class: type):
    """The cleaning filter for a field class, or None when its values are not staff texts."""
    if not issubclass(field_class, StringField) or issubclass(field_class, PasswordField | HiddenField):
        return None
    return _MULTILINE if issubclass(field_class, TextAreaField) else _SINGLE_LINE


class StaffForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            cleaning = text_filter(unbound_field.field_class)
            if cleaning is not None:
                filters = options.get("filters", unbound_field.kwargs.get("filters", ()))
                options = {**options, "filters": (*filters, cleaning)}
            return unbound_field.bind(form=form, **options)
