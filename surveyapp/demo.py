"""`flask demo`: the Close To demo programme, its post-session questionnaire and synthetic responses.

Idempotent: a second run finds the programme and changes nothing.
"""
import random
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import insert, select

from surveyapp.accounts.models import Role
from surveyapp.accounts.service import create_user, find_user
from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.kiosk.demo import kiosk_path, load_kiosk_demo
from surveyapp.mystery.demo import load_mystery_demo
from surveyapp.polls.demo import load_poll_demo
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.responses.models import Answer, Response
from surveyapp.waves.demo import load_panel_demo

PROGRAMME_CODE = "closeto"
SLUG = "close-to"
LOCAL_ADDRESS = "http://127.0.0.1:5000"  # where `make run` serves; the printed links assume it when nothing is set
LOGINS = (
    ("admin@demo.surveyapp.local", "demo-admin-2026", Role.ADMIN),
    ("manager@demo.surveyapp.local", "demo-manager-2026", Role.MANAGER),
    ("evaluator@demo.surveyapp.local", "demo-evaluator-2026", Role.EVALUATOR),
)
AGREE = {"de": ("trifft gar nicht zu", "trifft voll zu"), "en": ("strongly disagree", "strongly agree"),
         "ar": ("لا أوافق إطلاقًا", "أوافق تمامًا")}

TEXTS = {
    "title": {"de": "Close To – Feedback nach der Session", "en": "Close To – feedback after the session",
              "ar": "Close To – رأيك بعد الجلسة"},
    "intro": {"de": "Deine Antworten sind anonym und helfen uns, das Programm zu verbessern. Dauer: 2 Minuten.",
              "en": "Your answers are anonymous and help us improve the programme. It takes 2 minutes.",
              "ar": "إجاباتك مجهولة الهوية وتساعدنا على تحسين البرنامج. يستغرق ذلك دقيقتين."},
    "thanks": {"de": "Danke! Fahr vorsichtig.", "en": "Thank you! Drive safely.",
               "ar": "شكرًا لك! نتمنى لك قيادة آمنة."},
    "page.1": {"de": "Die Session", "en": "The session", "ar": "الجلسة"},
    "page.2": {"de": "Über dich", "en": "About you", "ar": "معلومات عنك"},
}

LIKERT_ITEMS = (
    ("attention", {"de": "Die Session hat meine Aufmerksamkeit gehalten.", "en": "The session held my attention.",
                   "ar": "شدّت الجلسة انتباهي."}),
    ("risk_aware", {"de": "Ich bin mir der Risiken im Straßenverkehr jetzt stärker bewusst.",
                    "en": "I am now more aware of the risks on the road.",
                    "ar": "أصبحتُ الآن أكثر وعيًا بمخاطر الطريق."}),
    ("careful_driving", {"de": "Ich werde vorsichtiger fahren.", "en": "I will drive more carefully.",
                         "ar": "سأقود بحذر أكبر."}),
    ("remember_story", {"de": "Ich werde mich an die Geschichte erinnern.", "en": "I will remember the story.",
                        "ar": "سأتذكّر القصة."}),
)
# Where the items sit on the logic model (programmes.pathways): the session held attention (its output);
# awareness, intention and memory right after it are short-term outcomes. The follow-up's are long-term.
STAGES = {"attention": "output", "risk_aware": "short_term", "careful_driving": "short_term",
          "remember_story": "short_term"}
GENDERS = (("m", "männlich", "male", "ذكر"), ("f", "weiblich", "female", "أنثى"),
           ("d", "divers", "diverse", "آخر"), ("na", "keine Angabe", "prefer not to say", "أفضّل عدم الإجابة"))
SCHOOLS = (("wien", "Fahrschule Wien-Mitte"), ("graz", "Fahrschule Graz"), ("linz", "Fahrschule Linz"),
           ("salzburg", "Fahrschule Salzburg"), ("innsbruck", "Fahrschule Innsbruck"))
SCHOOLS_AR = {"wien": "مدرسة القيادة فيينا-ميته", "graz": "مدرسة القيادة غراتس",
              "linz": "مدرسة القيادة لينتس", "salzburg": "مدرسة القيادة سالزبورغ",
              "innsbruck": "مدرسة القيادة إنسبروك"}


@click.command("demo")
@click.option("--responses", default=300, show_default=True, help="Synthetic responses to add on first load.")
@click.option("--force", is_flag=True, help="Load it even with SURVEYAPP_ENV=production.")
@with_appcontext
def demo_command(responses: int, force: bool) -> None:
    """Load the Close To demo programme (once) and print the demo logins and survey link."""
    if current_app.config["ENV"] == "production" and not force:
        # its staff accounts' passwords are printed in the README: a production database must not get them
        raise click.ClickException("refusing to load the demo (SURVEYAPP_ENV=production): its staff passwords "
                                   "are public; use --force on a throwaway database only")
    if load_demo(responses):
        click.echo("Demo programme loaded.")
    else:
        click.echo("Demo programme already present; nothing changed.")
    if load_panel_demo():
        click.echo("Demo panel loaded: past sessions, waves post-session / 3 / 12 months, participants.")
    poll_code = load_poll_demo()
    base = (current_app.config["PUBLIC_BASE_URL"] or LOCAL_ADDRESS).rstrip("/")
    click.echo("\nStaff logins (demo only):")
    for email, password, role in LOGINS:
        click.echo(f"  {role.value:<10} {email}  /  {password}")
    click.echo(f"\nStaff area:  {base}/login")
    click.echo(f"Demo survey: {base}/s/{SLUG}")
    click.echo(f"Demo kiosk:  {base}{kiosk_path()}  (a manager opens it on the tablet)")
    click.echo(f"Demo poll:   {base}/j/{poll_code}  (presenter: Live polls in the staff area)\n")


def load_demo(responses: int = 300, seed: int = 7) -> bool:
    """Create the demo in one transaction; False when it exists already."""
    if db.session.scalar(select(Programme).where(Programme.code == PROGRAMME_CODE)):
        return False
    programme = Programme(code=PROGRAMME_CODE, name="Close To")
    db.session.add(programme)
    db.session.flush()
    for email, password, role in LOGINS:
        if not find_user(email):
            create_user(email, password, role, PROGRAMME_CODE)
    questionnaire = build_questionnaire(programme)
    for item in questionnaire.items:
        builder.set_item_stage(item, STAGES.get(item.code))
    add_synthetic_responses(questionnaire, responses, random.Random(seed))
    load_mystery_demo(programme)
    load_kiosk_demo(programme, min(responses, 40))
    db.session.commit()
    return True


def build_questionnaire(programme: Programme) -> Questionnaire:
    questionnaire = builder.create_questionnaire(programme.id, SLUG, "de", ["de", "en", "ar"],
                                                 TEXTS["title"]["de"])
    for key, by_lang in TEXTS.items():
        for lang, text in by_lang.items():
            builder.set_questionnaire_texts(questionnaire, lang, {key: text})
    for code, labels in LIKERT_ITEMS:
        texts = {lang: {"label": labels[lang], "low": AGREE[lang][0], "high": AGREE[lang][1]} for lang in labels}
        builder.add_item(questionnaire, code, "likert", required=True, page=1, settings={"points": 5}, texts=texts)
    builder.add_item(questionnaire, "age", "number", required=True, page=2, settings={"min": 15, "max": 99},
                     texts={"de": {"label": "Wie alt bist du?"}, "en": {"label": "How old are you?"},
                            "ar": {"label": "كم عمرك؟"}})
    builder.add_item(questionnaire, "gender", "single", page=2,
                     texts={"de": {"label": "Geschlecht"}, "en": {"label": "Gender"},
                            "ar": {"label": "الجنس"}},
                     options=[(code, {"de": de, "en": en, "ar": ar}) for code, de, en, ar in GENDERS])
    builder.add_item(questionnaire, "driving_school", "single", required=True, page=2,
                     texts={"de": {"label": "In welcher Fahrschule war die Session?"},
                            "en": {"label": "At which driving school was the session?"},
                            "ar": {"label": "في أي مدرسة لتعليم القيادة كانت الجلسة؟"}},
                     options=[(code, {"de": name, "en": name, "ar": SCHOOLS_AR[code]})
                              for code, name in SCHOOLS])
    builder.add_item(questionnaire, "comment", "longtext", page=2,
                     texts={"de": {"label": "Möchtest du uns noch etwas sagen?"},
                            "en": {"label": "Is there anything else you would like to tell us?"},
                            "ar": {"label": "هل هناك أي شيء آخر تودّ أن تخبرنا به؟"}})
    builder.set_status(questionnaire, Status.OPEN)
    return questionnaire


def add_synthetic_responses(questionnaire: Questionnaire, count: int, rng: random.Random) -> None:
    """Clearly synthetic answers (comments say so), skewed to agreement like the real evaluation."""
    items = {item.code: item for item in questionnaire.items}
    now = utcnow()
    for n in range(count):
        started = now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
        response_id = db.session.execute(insert(Response).values(
            questionnaire_id=questionnaire.id, key=f"demo-{n}", lang=rng.choice(["de", "de", "de", "en"]),
            page=2, started_at=started, submitted_at=started + timedelta(minutes=rng.randint(1, 6)),
        ).returning(Response.id)).scalar_one()
        values = {code: str(rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 8, 35, 52])[0]) for code, _ in LIKERT_ITEMS}
        values |= {"age": str(rng.randint(17, 24)), "gender": rng.choice(["m", "m", "f", "f", "d", "na"]),
                   "driving_school": rng.choice([code for code, _ in SCHOOLS])}
        if n % 10 == 0:
            values["comment"] = f"(synthetic demo answer {n})"
        db.session.execute(insert(Answer), [
            {"response_id": response_id, "item_id": items[code].id, "value": value} for code, value in values.items()
        ])
