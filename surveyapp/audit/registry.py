"""Which staff requests the audit trail records, and under which action name.

Every state-changing request (any method but GET/HEAD/OPTIONS) to a staff URL is recorded, named by CHANGES;
a staff endpoint missing there is still recorded under its endpoint name (fail closed) and
tests/audit/test_coverage.py fails until it gets a name. GET requests are recorded only for the endpoints in
READS: pages that show contact data, every export and every report. PUBLIC lists the non-staff endpoints that
change state (respondents, enrolment, login) and are deliberately not part of the staff trail.
"""

STAFF_PREFIXES = ("/manage/", "/admin/", "/account/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CHANGES = {
    "accounts.password": "user.set_password",
    "gdpr.erase": "participant.erase",
    "gdpr.retention": "programme.retention",
    "indicators.create": "indicator.create",
    "indicators.delete": "indicator.delete",
    "indicators.edit": "indicator.edit",
    "interchange.confirm": "questionnaire.import",
    "interchange.upload": "questionnaire.import_check",
    "kiosk_admin.end_kiosk": "kiosk.end",
    "kiosk_admin.open_kiosk": "kiosk.open",
    "members.add": "membership.create",
    "members.remove": "membership.delete",
    "members.role": "membership.role",
    "mystery.edit": "mystery.checklist_edit",
    "mystery.index": "mystery.checklist_create",
    "mystery.visit": "mystery.visit_create",
    "participants.add": "participant.create",
    "participants.edit": "participant.edit",
    "participants.roster": "participant.import",
    "participants.sessions": "session.create",
    "participants.withdraw": "participant.withdraw",
    "people.fix_address": "participant.fix_address",
    "polls.add_poll": "poll.create",
    "polls.close_session": "poll_session.close",
    "polls.index": "poll_session.create",
    "polls.state": "poll.state",
    "polls.words": "poll.moderate_word",
    "people.resend": "invitation.resend",
    "programmes.archive": "programme.archive",
    "programmes.create": "programme.create",
    "programmes.edit": "programme.rename",
    "programmes.unarchive": "programme.unarchive",
    "questionnaires.add_item": "item.create",
    "questionnaires.add_option": "option.create",
    "questionnaires.add_page": "page.create",
    "questionnaires.archive": "questionnaire.archive",
    "questionnaires.create": "questionnaire.create",
    "questionnaires.delete": "questionnaire.delete",
    "questionnaires.delete_item": "item.delete",
    "questionnaires.delete_option": "option.delete",
    "questionnaires.delete_page": "page.delete",
    "questionnaires.duplicate": "questionnaire.duplicate",
    "questionnaires.edit_item": "item.edit",
    "questionnaires.edit_option": "option.edit",
    "questionnaires.edit_page": "page.edit",
    "questionnaires.move_item": "item.move",
    "questionnaires.move_option": "option.move",
    "questionnaires.move_page": "page.move",
    "questionnaires.option_list": "option.bulk",
    "questionnaires.pathway": "programme.pathway",
    "questionnaires.schedule": "questionnaire.schedule",
    "questionnaires.settings": "questionnaire.settings",
    "questionnaires.status": "questionnaire.status",
    "questionnaires.texts": "questionnaire.texts",
    "questionnaires.unarchive": "questionnaire.unarchive",
    "respond_preview.answer": "questionnaire.preview",
    "responses.delete": "response.delete",
    "response_import.confirm": "response.import",
    "response_import.mapping": "response.import_mapping",
    "response_import.upload": "response.import_upload",
    "starters.create": "questionnaire.create_from_template",
    "translations.add_language": "translation.add_language",
    "translations.save": "translation.save",
    "translations.upload": "translation.import",
    "waves.cancel": "wave.cancel",
    "waves.delete": "wave.delete",
    "waves.edit": "wave.edit",
    "waves.plan": "wave.create",
    "waves.save_text": "wave.texts",
}

# Create endpoints: the row they create names the event (its id is known only after the flush), the URL's
# object (e.g. the questionnaire an item is added to) moves to the detail as "in". Bulk creates (roster import)
# keep the URL's object: their rows are listed in the detail.
CREATES = {
    "indicator.create": ("indicators", "indicator"),
    "item.create": ("items", "item"),
    "membership.create": ("memberships", "membership"),
    "mystery.checklist_create": ("mystery_checklists", "checklist"),
    "mystery.visit_create": ("mystery_visits", "visit"),
    "option.create": ("options", "option"),
    "page.create": ("pages", "page"),
    "poll.create": ("polls", "poll"),
    "poll_session.create": ("poll_sessions", "poll_session"),
    "participant.create": ("participants", "participant"),
    "programme.create": ("programmes", "programme"),
    "questionnaire.create": ("questionnaires", "questionnaire"),
    "questionnaire.create_from_template": ("questionnaires", "questionnaire"),
    "questionnaire.duplicate": ("questionnaires", "questionnaire"),
    "questionnaire.import": ("questionnaires", "questionnaire"),
    "session.create": ("training_sessions", "session"),
    "wave.create": ("waves", "wave"),
}

READS = {
    "audit.events": "audit.view",
    "audit.export": "audit.export",
    "exports.csv": "export.csv",
    "exports.panel": "export.panel_csv",
    "exports.sav": "export.spss",
    "exports.xlsx": "export.xlsx",
    "gdpr.export": "participant.subject_access",
    "indicators.screen": "report.indicators",
    "mystery.export_csv": "export.mystery_csv",
    "mystery.report_pdf": "report.mystery_pdf",
    "mystery.results": "report.mystery",
    "interchange.export": "export.xlsform",
    "participants.edit": "participant.read_contact",
    "participants.handout": "session.handout",
    "participants.session": "participant.read_list",
    "people.detail": "participant.read_history",
    "people.index": "participant.read_status",
    "polls.export_csv": "export.poll_csv",
    "polls.export_xlsx": "export.poll_xlsx",
    # under /polls/, not a staff URL, so never recorded: the presenter reads it every second, participants too
    "polls.results_json": "poll.results",
    "questionnaires.share_poster": "questionnaire.poster",
    "reports.programme_pdf": "report.programme_pdf",
    "reports.programme_report": "report.programme",
    "reports.questionnaire_pdf": "report.pdf",
    "reports.questionnaire_report": "report.preview",
    "responses.delete": "response.read_answers",  # the confirmation page shows the response's answers
    "response_import.preview": "response.import_preview",  # the row report shows values of the file
    "translations.export_po": "export.translation_po",
    "translations.export_xlsx": "export.translation_workbook",
    "waves.panel_status": "export.panel_status",
}

PUBLIC = frozenset({
    "accounts.login", "accounts.logout", "invite.answer", "invite.unsubscribe",
    "invite.unsubscribe_one_click", "participants.enrol", "polls.vote",
    "kiosk.answer", "kiosk.idle", "kiosk.leave",
    "respond.answer",
})


def is_staff_path(path: str) -> bool:
    return path.startswith(STAFF_PREFIXES)


def action_for(endpoint: str | None, method: str, path: str) -> str | None:
    """The action a request is recorded under, or None when it is not audited."""
    if endpoint is None or not is_staff_path(path):
        return None
    if method in SAFE_METHODS:
        return READS.get(endpoint)
    return CHANGES.get(endpoint, endpoint)


def target_of(view_args: dict | None) -> tuple[str, dict]:
    """'questionnaire:12' from the first `*_id` URL argument; the other arguments (e.g. lang) go to the detail."""
    target, rest = "", {}
    for name, value in (view_args or {}).items():
        if not target and name.endswith("_id"):
            target = f"{name[:-3]}:{value}"
        else:
            rest[name] = str(value)[:32]
    return target, rest


def created_target(action: str, created: list[str]) -> str | None:
    """'questionnaire:12' for a create action whose row is among `created` ('questionnaires:12', ...), else None."""
    if action not in CREATES:
        return None
    table, kind = CREATES[action]
    row = next((row for row in created if row.startswith(f"{table}:")), None)
    return None if row is None else f"{kind}:{row.split(':', 1)[1]}"
