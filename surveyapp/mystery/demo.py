"""Demo: the council's service check by two mystery shoppers on its website, phone line and counter, so the
scored report (with agreement between the shoppers) has something to show."""

from datetime import datetime, timedelta

from sqlalchemy import select

from surveyapp.accounts.service import find_user
from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.mystery import service
from surveyapp.mystery.models import Checklist
from surveyapp.programmes.models import Programme

SHOPPERS = ("manager@demo.surveyapp.local", "admin@demo.surveyapp.local")
TITLE = "Council service check: website, phone and counter"
ITEMS = """found | The information on reporting a broken street light was easy to find. | yn | 2 | evidence
clear | The answer was clear and in plain language. | 1-5 | 2
languages | Information was offered in a language other than German. | yn | 1
reference | A reference number was given. | yn | 2 | evidence
waiting | Waiting time was acceptable. | 1-5 | 1
accessible | The channel was accessible (screen reader, step-free access, text relay). | yn | 1"""
SCENARIO = "Report a broken street light"
SECOND_SCENARIO = "Ask how to get a parking permit"
# (shopper, channel, scenario, values in item order, evidence notes by item code); days before today
VISITS = (
    (0, "web", SCENARIO, ("yes", "4", "yes", "yes", "5", "no"), {"found": "Two clicks from the home page.",
                                                                   "reference": "Shown on screen: SL-2026-0147."}),
    (1, "web", SCENARIO, ("yes", "3", "yes", "yes", "5", "yes"), {"found": "Search for <street light> worked.",
                                                                    "reference": "E-mail with SL-2026-0152."}),
    (0, "phone", SCENARIO, ("yes", "5", "no", "yes", "2", "na"), {"found": "Menu option 3.",
                                                                    "reference": "Given orally, no spelling."}),
    (1, "phone", SCENARIO, ("no", "4", "no", "no", "1", "na"), {"found": "Transferred twice.",
                                                                  "reference": "None given."}),
    (0, "counter", SCENARIO, ("yes", "4", "yes", "yes", "3", "yes"), {"found": "Sign at the entrance.",
                                                                        "reference": "Printed slip."}),
    (1, "counter", SCENARIO, ("yes", "5", "yes", "yes", "4", "yes"), {"found": "Asked at reception.",
                                                                        "reference": "Printed slip."}),
    (0, "web", SECOND_SCENARIO, ("yes", "2", "no", "na", "4", "no"), {"found": "Under “Mobility”."}),
)


def load_mystery_demo(programme: Programme, now: datetime | None = None) -> bool:
    """Add the checklist and its visits once (flushed, not committed); False when the programme has one."""
    if db.session.scalar(select(Checklist.id).where(Checklist.programme_id == programme.id).limit(1)):
        return False
    shoppers = [find_user(email) for email in SHOPPERS]
    if None in shoppers:
        return False
    checklist = service.create_checklist(programme.id, TITLE, "en", ["web", "phone", "counter"], ITEMS)
    start = (now or utcnow()) - timedelta(days=20)
    for day, (shopper, channel, scenario, values, notes) in enumerate(VISITS):
        by_code = {item.code: item.id for item in checklist.items}
        service.record_visit(checklist, shoppers[shopper].id, service.VisitInput(
            channel=channel, scenario=scenario, visited_at=start + timedelta(days=day), notes="",
            values={item.id: value for item, value in zip(checklist.items, values, strict=True)},
            evidence={by_code[code]: note for code, note in notes.items()}))
    return True
