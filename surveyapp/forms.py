"""The base of every staff form, and the number check all forms share (respondents' number items too).

A questionnaire title with a line break broke the invitation e-mails' Subject; a label with ESC broke every
XLSX export. `StaffForm` binds `textclean.clean_text` as the last filter of every text field: a text area keeps
tab and newline, a one-line field (title, label, place, option label) gets spaces instead. Passwords are left
exactly as typed, and hidden fields (tokens, ids) are not texts. Number fields get `FiniteNumber` first.
"""
import re
from decimal import Decimal
from functools import partial

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import StopValidation

from surveyapp.textclean import clean_text

_MULTILINE = partial(clean_text, multiline=True)
_SINGLE_LINE = partial(clean_text, multiline=False)


class FiniteNumber:
    """Digits only, at most 15 before the point (|x| < 10^15) and 10 after it: no Infinity, NaN or 1e999999.

    Put it first: NumberRange cannot compare NaN and overflows on a 400-digit integer (a 500).
    Digits of any script (Arabic-Indic, ...) are fine: Python parses them to the same number.
    """

    LIMIT = Decimal(10) ** 15
    _WHOLE = re.compile(r"\s*[+-]?\d{1,15}\s*")
    _DECIMAL = re.compile(r"\s*[+-]?(?:\d{1,15}(?:\.\d{0,10})?|\.\d{1,10})\s*")

    def __init__(self, decimals: bool):
        self.pattern = self._DECIMAL if decimals else self._WHOLE
        self.message = (_l("Please enter a number with at most 15 digits before the decimal point and 10 after it.")
                        if decimals else _l("Please enter a whole number of at most 15 digits."))

    def __call__(self, form, field):
        raw = field.raw_data[0] if field.raw_data else ""
        if isinstance(raw, str) and raw.strip() and not self.pattern.fullmatch(raw):
            if field.process_errors:  # not a number at all: WTForms' own (translated) message says so
                raise StopValidation()
            raise StopValidation(self.message)


def text_filter(field_class: type):
    """The cleaning filter for a field class, or None when its values are not staff texts."""
    if not issubclass(field_class, StringField) or issubclass(field_class, PasswordField | HiddenField):
        return None
    return _MULTILINE if issubclass(field_class, TextAreaField) else _SINGLE_LINE


class StaffForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            cleaning = text_filter(field_class)
            if cleaning is not None:
                filters = options.get("filters", unbound_field.kwargs.get("filters", ()))
                options = {**options, "filters": (*filters, cleaning)}
            if issubclass(field_class, IntegerField | DecimalField):  # first: NumberRange overflows on 400 digits
                validators = options.get("validators", unbound_field.kwargs.get("validators", ()))
                bounded = FiniteNumber(decimals=issubclass(field_class, DecimalField))
                options = {**options, "validators": [bounded, *(validators or ())]}
            return unbound_field.bind(form=form, **options)


def require_csrf_token() -> None:
    """400 unless the submitted form carries a valid CSRF token: for POST routes that take no other field."""
    if not FlaskForm().validate():
        abort(400)
