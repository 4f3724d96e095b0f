"""The A4 handout of a training session: the enrolment QR code, the link and code in large type, date and place,
and a short privacy note, in the session's language, to hand out or put on the wall at the end of a session.

The code and the link line are the questionnaire poster's (surveyapp.questionnaires.sharing), so both print
alike; the handout takes its words from the catalogue of its language (Flask-Babel's force_locale).
"""
import io
from collections import Counter

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Spacer
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.i18n import FALLBACK_LANGUAGE, interface_language_for, is_rtl, isolate
from surveyapp.participants.models import TrainingSession
from surveyapp.pdftext import BOLD, REGULAR, Text, printable, register_fonts
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.questionnaires.sharing import _link as link_line
from surveyapp.questionnaires.sharing import _qr_drawing as qr_drawing

QR_SIZE = 9 * cm  # quiet zone included: the modules alone stay well above 3 cm, scannable from a few metres
MARGIN = 1.8 * cm


def session_language(session: TrainingSession) -> str:
    """The interface language the session's programme mostly speaks: its questionnaires' default language."""
    langs = db.session.scalars(select(Questionnaire.default_lang)
                               .where(Questionnaire.programme_id == session.programme_id)).all()
    common = Counter(langs).most_common(1)
    return interface_language_for(common[0][0]) if common else FALLBACK_LANGUAGE


def handout_language(session: TrainingSession, staff_lang: str) -> str:
    """The staff member's interface language if a questionnaire of the session's programme speaks it (a German
    trainer prints German for a German-speaking programme), else the programme's own (session_language)."""
    spoken = db.session.scalars(select(Questionnaire.languages)
                                .where(Questionnaire.programme_id == session.programme_id)).all()
    if staff_lang in {interface_language_for(lang) for langs in spoken for lang in langs or ()}:
        return staff_lang
    return session_language(session)


# Characters of an enrolment code (secrets.token_urlsafe: mixed case, digits, "-" and "_") that print alike
_LOOKALIKES = {"0": _l("zero"), "O": _l("capital O"), "o": _l("small o"), "1": _l("one"), "I": _l("capital i"),
               "l": _l("small L"), "-": _l("hyphen"), "_": _l("underscore")}
GROUP = 4  # characters per printed group of the code


def grouped_code(code: str) -> str:
    """The code in groups of four with en spaces between (the enrolment link ignores spaces typed in it)."""
    return "\u2002".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def lookalike_note(code: str) -> str:
    """“Capitals and small letters differ. l: small L, 0: zero”: the code's look-alikes spelled out."""
    named = [_("%(char)s: %(name)s", char=ch, name=_LOOKALIKES[ch]) for ch in dict.fromkeys(code) if ch in _LOOKALIKES]
    return " ".join([_("Capitals and small letters differ."), ", ".join(named)]).strip()


def _style(name: str, font: str, size: float) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25, alignment=TA_CENTER,
                          spaceAfter=size * 0.35)


def handout_pdf(session: TrainingSession, link: str, lang: str) -> bytes:
    """One A4 page in `lang` (an interface language): the session's QR code, link, code, date, place, privacy."""
    register_fonts()
    width = A4[0] - 2 * MARGIN
    base = "R" if is_rtl(lang) else None
    with force_locale(lang):
        title = _("Stay in touch after the session")
        lines = [(_("Session on %(date)s", date=isolate(format_date(session.held_on, "long", locale=lang))), "h2"),
                 (_("Place: %(place)s", place=isolate(session.place)), "h2"),
                 (_("Scan the code or type the link to leave your e-mail address for a few short follow-up "
                    "questionnaires."), "body")]
        code = [(_("Enrolment code"), "body"), (grouped_code(session.enrol_code), "code"),
                (lookalike_note(session.enrol_code), "body")]
        privacy = _("Privacy: your e-mail address is kept apart from your answers, used only to send you these "
                    "questionnaires and never passed on. You can withdraw at any time through the link in every "
                    "e-mail.")
    styles = {"title": _style("title", BOLD, 24), "h2": _style("h2", BOLD, 15), "body": _style("body", REGULAR, 12),
              "code": _style("code", BOLD, 30), "small": _style("small", REGULAR, 9)}
    story = [Text(title, styles["title"], width, base=base), *[Text(t, styles[s], width, base=base) for t, s in lines],
             Spacer(1, 0.8 * cm), qr_drawing(link, QR_SIZE), Spacer(1, 0.4 * cm), link_line(link, width),
             Spacer(1, 0.8 * cm), *[Text(t, styles[s], width, base=base) for t, s in code], Spacer(1, 1.5 * cm),
             Text(privacy, styles["small"], width, base=base)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                      bottomMargin=MARGIN, title=printable(title), lang=lang, invariant=True).build(story)
    return buffer.getvalue()
