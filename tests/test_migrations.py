"""Migrations: an empty database upgrades to head and matches the models; a database with data in every table
walks every revision down and up again without losing a row or a value; a revision that fails leaves nothing
half-done. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (a fresh database per test).

A new table needs rows in `fill_every_table`, or test_every_revision_down_and_up_keeps_data fails.
"""
import argparse
import re
import uuid
from datetime import timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import JSON, create_engine, func, insert, inspect, make_url, select, table, text
from sqlalchemy import column as sql_column

from surveyapp import create_app
from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.migration_guard import DataLossRefused, ForeignKeyViolation

DEMO_RESPONSES = 25


@pytest.fixture
def fresh_url(tmp_path, database_url):
    """An empty database of this test's own: a file on SQLite, a new database beside the session's on PostgreSQL."""
    if not database_url.startswith("postgresql"):
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite")
        return
    url = make_url(database_url)
    name = f"{url.database}_m{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_app(fresh_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def migrate(direction: str, revision: str, *, allow_data_loss: bool = True) -> None:
    """Alembic's upgrade/downgrade through the app's migration setup; errors raise (flask_migrate would exit).

    The round trips below go under revisions that add tables/columns, so they pass `-x allow_data_loss=yes`
    as an operator would; test_downgrade_refuses_to_drop_data checks the guard itself."""
    config = current_app.extensions["migrate"].migrate.get_config()
    config.cmd_opts = argparse.Namespace(x=["allow_data_loss=yes"] if allow_data_loss else [])
    getattr(command, direction)(config, revision)


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def fill_every_table(app) -> None:
    """Data in every table at head: the demo programme and panel, plus rows for what the demos leave empty."""
    from surveyapp.audit.service import record
    from surveyapp.demo import load_demo
    from surveyapp.waves.demo import load_panel_demo
    from surveyapp.waves.models import Invitation, SendAttempt

    load_demo(DEMO_RESPONSES)
    load_panel_demo()
    _erase_one_and_set_a_retention_rule()
    _make_a_version()
    _tag_evaluation()
    _add_logic()
    _add_imports()
    _add_polls()
    _add_kiosk()
    invitation = db.session.scalars(select(Invitation).where(Invitation.sends > 0).order_by(Invitation.id)).first()
    db.session.add(SendAttempt(invitation_id=invitation.id, sequence=0, attempt=1, worker="migration-test",
                               claimed_at=utcnow(), sent_at=utcnow() + timedelta(seconds=1)))
    record("migration.test", target="fill_every_table", detail={"purpose": "data in every table"},
           actor="cli", ip="127.0.0.1")
    db.session.commit()
    db.session.remove()


def _erase_one_and_set_a_retention_rule() -> None:
    """Data in the columns of 0007_gdpr: participants.erased_at, programmes.contact_retention_months."""
    from surveyapp.gdpr.service import erase
    from surveyapp.participants.models import Participant
    from surveyapp.programmes.models import Programme

    erase(db.session.scalars(select(Participant).order_by(Participant.id)).first(), with_answers=False, actor="cli")
    db.session.scalars(select(Programme).order_by(Programme.id)).first().contact_retention_months = 12


def _make_a_version() -> None:
    """Data in the columns of 0009_versions: a scale change after responses keeps version 1's snapshot, and a
    response given on version 2 records it."""
    from surveyapp.questionnaires.models import Item
    from surveyapp.questionnaires.service import update_item
    from surveyapp.responses.models import Response

    item = db.session.scalars(select(Item).where(Item.type == "likert").order_by(Item.id)).first()
    update_item(item, code=item.code, required=item.required, page=item.page, settings={"points": 7})
    response = db.session.scalars(select(Response).where(Response.questionnaire_id == item.questionnaire_id)
                                  .order_by(Response.id.desc())).first()
    response.questionnaire_version = item.questionnaire.version


def _tag_evaluation() -> None:
    """Data in the columns and table of 0010_evaluation: an indicator, a stage, a pathway, a cancelled wave."""
    from surveyapp.indicators.models import Indicator
    from surveyapp.programmes.models import Programme
    from surveyapp.questionnaires.models import Item
    from surveyapp.waves.models import Wave

    programme = db.session.scalars(select(Programme).order_by(Programme.id)).first()
    programme.pathway = "phineo"
    item = db.session.scalars(select(Item).where(Item.type == "likert").order_by(Item.id)).first()
    item.stage = "phineo_5"
    db.session.add(Indicator(programme_id=item.questionnaire.programme_id, name="Drives more carefully",
                             item_code=item.code, statistic="share", target=0.7))
    db.session.scalars(select(Wave).order_by(Wave.id.desc())).first().cancelled_at = utcnow()


def _add_logic() -> None:
    """Data in the columns and table of 0011_logic: a condition, a page with a skip rule, an "other" text part,
    scheduled and archived questionnaires, an archived programme. (Items of the new types cannot go down: the
    guard names them, see test_downgrade_refuses_to_drop_data_unless_allowed.)"""
    from surveyapp.programmes.models import Programme
    from surveyapp.questionnaires.models import Item, Page, Questionnaire

    item = db.session.scalars(select(Item).where(Item.type == "likert").order_by(Item.id)).first()
    questionnaire = item.questionnaire
    item.condition = "answered(" + questionnaire.items[0].code + ")"
    db.session.add(Page(questionnaire_id=questionnaire.id, number=item.page, condition=None,
                        skips=[{"when": "not answered(" + item.code + ")", "to": "end"}]))
    db.session.add(Item(questionnaire=questionnaire, parent=item, code=f"{item.code}_other", type="text",
                        page=item.page, position=item.position))
    questionnaire.opens_at = questionnaire.closes_at = utcnow()
    last = db.session.scalars(select(Questionnaire).order_by(Questionnaire.id.desc())).first()
    last.archived_at = utcnow()
    db.session.scalars(select(Programme).order_by(Programme.id.desc())).first().archived_at = utcnow()


def _add_imports() -> None:
    """Data in the columns of 0012_imports: a response marked as imported, with its import key."""
    from surveyapp.responses.models import Response

    response = db.session.scalars(select(Response).order_by(Response.id)).first()
    response.imported_from, response.import_key = "earlier-round.csv", "0" * 64


def _add_kiosk() -> None:
    """Data in the tables and columns of 0014_kiosk: a kiosk device and one kiosk submission, flagged (the demo's
    kiosk questionnaire has flagged responses too, when it has ten or more)."""
    from surveyapp.kiosk.demo import SLUG
    from surveyapp.kiosk.models import KioskDevice, KioskSubmission
    from surveyapp.questionnaires.models import Questionnaire
    from surveyapp.responses.models import Response

    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG))
    device = KioskDevice(questionnaire_id=questionnaire.id, token_hash="0" * 64, pin_hash="!", idle_seconds=90,
                         on_idle="submit", restart_seconds=8, created_at=utcnow(), pin_failures=1,
                         locked_until=utcnow())
    db.session.add(device)
    db.session.flush()
    response = db.session.scalars(select(Response).where(Response.questionnaire_id == questionnaire.id)
                                  .order_by(Response.id)).first()
    response.flagged_at, response.flag_reason = utcnow(), "repeat"
    db.session.add(KioskSubmission(response_id=response.id, device_id=device.id, seconds=3, idle=True))


def _add_polls() -> None:
    """Data in the tables of 0013_polls: the demo workshop (its session, polls and options), a vote on its open
    poll and a hidden word of its word cloud."""
    from surveyapp.polls import service
    from surveyapp.polls.demo import load_poll_demo
    from surveyapp.polls.models import PollSession

    session = db.session.scalar(select(PollSession).where(PollSession.code == load_poll_demo()))
    service.cast_vote(session.polls[0], service.voter_hash("migration-test-token"), [session.polls[0].options[1].code])
    service.set_word_hidden(session.polls[2], "Rude", True)


def snapshot(engine) -> dict[str, dict]:
    """{table: {"columns": [...], "rows": sorted rows}} of every table but alembic_version."""
    result = {}
    with engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            if name == "alembic_version":
                continue
            columns = [col["name"] for col in inspect(conn).get_columns(name)]
            query = select(*[sql_column(col) for col in columns]).select_from(table(name))
            result[name] = {"columns": columns, "rows": sorted(map(tuple, conn.execute(query)), key=repr)}
    return result


def assert_intact(original: dict, now: dict, where: str, survivors: dict | None = None) -> None:
    """Every table and column present in `original`, `now` (and `survivors`: what existed at the bottom of a
    round trip) holds the same rows and values."""
    for name, current in now.items():
        assert name in original, f"{where}: unexpected table {name}"
        if survivors is not None and name not in survivors:
            continue
        before = original[name]
        common = [col for col in current["columns"] if col in before["columns"]
                  and (survivors is None or col in survivors[name]["columns"])]
        assert len(current["rows"]) == len(before["rows"]), (
            f"{where}: {name} has {len(current['rows'])} rows, had {len(before['rows'])}")
        assert _project(before, common) == _project(current, common), f"{where}: values of {name} changed"


def _project(snap: dict, columns: list[str]) -> list[tuple]:
    positions = [snap["columns"].index(col) for col in columns]
    return sorted((tuple(row[i] for i in positions) for row in snap["rows"]), key=repr)


def schema(engine) -> dict[str, dict]:
    """What a table rebuild could lose: columns (type, nullability, server default), keys, indexes, checks,
    triggers."""
    result = {}
    with engine.connect() as conn:
        insp = inspect(conn)
        for name in insp.get_table_names():
            result[name] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"], _default(c["default"]))
                            for c in insp.get_columns(name)],
                "pk": insp.get_pk_constraint(name)["constrained_columns"],
                "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                  for i in insp.get_indexes(name)),
                "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(name)),
                "foreign_keys": sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"],
                                        tuple(f["referred_columns"]), (f.get("options") or {}).get("ondelete"))
                                       for f in insp.get_foreign_keys(name)),
                "checks": check_constraints(insp, name),
            }
        result["(triggers)"] = _triggers(conn)
    return result


def _default(value) -> str | None:
    return None if value is None else re.sub(r"::[a-z ]+$", "", str(value)).strip("()")


def _triggers(conn) -> list:
    if conn.dialect.name == "sqlite":
        return sorted(conn.exec_driver_sql("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'").all())
    return sorted(conn.exec_driver_sql(
        "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal").all())


def check_constraints(insp, name: str) -> dict[str, set[str]]:
    """{constraint name: the quoted values it allows} as the database reports them (both dialects)."""
    return {check["name"]: set(re.findall(r"'([^']*)'", check["sqltext"]))
            for check in insp.get_check_constraints(name)}


def model_check_constraints() -> dict[str, dict[str, set[str]]]:
    from sqlalchemy import CheckConstraint

    result = {}
    for model_table in db.metadata.sorted_tables:
        checks = {}
        for constraint in model_table.constraints:
            if isinstance(constraint, CheckConstraint):
                sqltext = str(constraint.sqltext.compile(dialect=db.engine.dialect,
                                                         compile_kwargs={"literal_binds": True}))
                checks[str(constraint.name)] = set(re.findall(r"'([^']*)'", sqltext))
        result[model_table.name] = checks
    return result


def test_upgrade_matches_models_and_downgrade_empties(fresh_app):
    migrate("upgrade", "head")
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    insp = inspect(db.engine)
    assert "answers" in insp.get_table_names()
    assert {name: check_constraints(insp, name) for name in model_check_constraints()} == model_check_constraints()
    migrate("downgrade", "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_every_revision_down_and_up_keeps_data(fresh_app):
    """Fill every table at head; then for each revision R below head, nearest first, step down to R one revision
    at a time (checking what survives at every step) and up to head again: every table and column that exists
    both at R and at head holds exactly the rows and values it had, and the schema is the same again. Each
    downgrade step thus first runs with every table it touches still full."""
    migrate("upgrade", "head")
    fill_every_table(fresh_app)
    original, head_schema = snapshot(db.engine), schema(db.engine)
    empty = sorted(name for name, snap in original.items() if not snap["rows"])
    assert not empty, f"add rows for these tables to fill_every_table: {empty}"
    ids, top = revisions(), original
    for depth in range(1, len(ids)):
        for step in range(1, depth + 1):
            migrate("downgrade", ids[-1 - step])
            bottom = snapshot(db.engine)
            assert_intact(top, bottom, f"down to {ids[-1 - step]}")
        migrate("upgrade", "head")
        # What did not exist at the bottom is gone now (its tables empty, its columns at their defaults);
        # the next, deeper round trip starts from here.
        top = snapshot(db.engine)
        assert_intact(original, top, f"round trip to {ids[-1 - depth]}", survivors=bottom)
        assert schema(db.engine) == head_schema, f"schema changed by a round trip to {ids[-1 - depth]}"


def test_downgrade_0003_to_0002_keeps_items_responses_and_answers(fresh_app):
    """The finding of #11: this downgrade rebuilt `questionnaires` with foreign keys on and cascaded."""
    migrate("upgrade", "head")
    fill_every_table(fresh_app)
    migrate("downgrade", "0003_structure_stamp")
    before = snapshot(db.engine)
    migrate("downgrade", "0002_waves")
    after = snapshot(db.engine)
    for name in ("questionnaires", "items", "options", "responses", "answers", "waves", "invitations"):
        assert after[name]["rows"], f"{name} is empty"
    assert_intact(before, after, "0003 -> 0002")
    assert not [name for name in after if name.startswith("_alembic_tmp")]
    assert current_revision() == "0002_waves"


def test_upgrade_refuses_rows_that_break_a_constraint_and_changes_nothing(fresh_app):
    migrate("upgrade", "head")
    fill_every_table(fresh_app)
    migrate("downgrade", "0003_structure_stamp")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE questionnaires SET status = 'hacked' WHERE slug = 'close-to'"))
        conn.execute(text("UPDATE memberships SET role = 'root'"))
    before, before_schema = snapshot(db.engine), schema(db.engine)
    with pytest.raises(CommandError) as refused:
        migrate("upgrade", "head")
    message = str(refused.value)
    assert "questionnaires.status holds 'hacked' (1 row)" in message
    assert "memberships.role holds 'root' (2 rows)" in message
    assert "allowed: draft, open, closed" in message
    assert current_revision() == "0003_structure_stamp"
    assert snapshot(db.engine) == before and schema(db.engine) == before_schema


def test_upgrade_with_a_violation_through_the_cli_exits_with_the_message(fresh_app, caplog):
    migrate("upgrade", "0003_structure_stamp")
    programmes = table("programmes", sql_column("id"), sql_column("code"), sql_column("name"))
    questionnaires = table("questionnaires", *map(sql_column, ("programme_id", "slug", "default_lang", "status",
                                                               "created_at", "structure_stamp")),
                           sql_column("languages", JSON))
    with db.engine.begin() as conn:
        programme_id = conn.execute(insert(programmes).values(code="p", name="P").returning(programmes.c.id)).scalar()
        conn.execute(insert(questionnaires).values(programme_id=programme_id, slug="s", default_lang="de",
                                                   languages=["de"], status="published", created_at=utcnow(),
                                                   structure_stamp="0"))
    result = fresh_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 1
    assert "questionnaires.status holds 'published' (1 row)" in caplog.text
    assert current_revision() == "0003_structure_stamp"


def test_a_failing_revision_rolls_back_its_rebuilt_tables(fresh_app, database_url):
    """SQLite: rows pointing nowhere make foreign_key_check fail after 0004 rebuilt four tables; the rebuilds
    roll back with it (no constraint, no _alembic_tmp table) and the error names the rows."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL enforces foreign keys while it alters tables; nothing can point nowhere")
    migrate("upgrade", "head")
    fill_every_table(fresh_app)
    migrate("downgrade", "0003_structure_stamp")
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.execute(text("UPDATE answers SET item_id = 999999 WHERE id = (SELECT MIN(id) FROM answers)"))
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
    before = snapshot(db.engine)
    with pytest.raises(ForeignKeyViolation) as refused:
        migrate("upgrade", "head")
    assert "Upgrade 0003_structure_stamp -> 0004_integrity rolled back: 1 row(s)" in str(refused.value)
    assert "answers row" in str(refused.value) and "-> items" in str(refused.value)
    assert current_revision() == "0003_structure_stamp"
    insp = inspect(db.engine)
    assert check_constraints(insp, "questionnaires") == {}
    assert not [name for name in insp.get_table_names() if name.startswith("_alembic_tmp")]
    assert snapshot(db.engine) == before
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1, "foreign keys stay on for the app"


def test_migrations_leave_foreign_keys_on_for_the_app(fresh_app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    migrate("upgrade", "head")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.connection.driver_connection.isolation_level == ""


@pytest.mark.parametrize(("start", "down_to", "lost"), [
    ("0013_polls", "0012_imports", "live poll sessions"),
    ("0014_kiosk", "0013_polls", "kiosk devices"),
    ("0015_mystery", "0014_kiosk", "mystery-shopping checklists"),
    ("0012_imports", "0011_logic", "the marks of imported responses"),
    ("0011_logic", "0010_evaluation", "page conditions and skip rules"),
    ("0010_evaluation", "0009_versions", "indicators and their targets"),
    ("0009_versions", "0008_edit_version", "earlier questionnaire versions"),
    ("0008_edit_version", "0006_audit", "erasure records of participants"),
    ("0006_audit", "0005_sessions", "the audit trail"),
    ("0002_waves", "0001", "contact details"),
    ("0001", "base", "answers"),
])
def test_downgrade_refuses_to_drop_data_unless_allowed(fresh_app, start, down_to, lost):
    """Going under a revision drops what only it can store (erasure tombstones, the audit trail, the panel, the
    answers): the downgrade names it and changes nothing unless the operator passes -x allow_data_loss=yes."""
    migrate("upgrade", "head")
    fill_every_table(fresh_app)
    if start != "head":
        migrate("downgrade", start)
    revision, before = current_revision(), snapshot(db.engine)
    with pytest.raises(DataLossRefused, match=lost) as refused:
        migrate("downgrade", down_to, allow_data_loss=False)
    assert "allow_data_loss=yes" in str(refused.value)
    assert current_revision() == revision
    assert snapshot(db.engine) == before


def test_downgrade_of_an_empty_database_needs_no_permission(fresh_app):
    migrate("upgrade", "head")
    migrate("downgrade", "base", allow_data_loss=False)
    assert current_revision() is None


def test_allowed_downgrade_of_0011_drops_new_type_items_with_their_parts_and_answers(fresh_app):
    """A matrix cannot exist under 0010: with allow_data_loss the matrix, its rows, their texts and answers go;
    every other item, and its answers, stays (and no row points nowhere: the guard checks foreign keys)."""
    from surveyapp.questionnaires.models import Item, ItemText
    from surveyapp.responses.models import Answer, Response

    migrate("upgrade", "head")
    fill_every_table(fresh_app)
    response = db.session.scalars(select(Response).order_by(Response.id)).first()
    questionnaire = db.session.get(Item, 1).questionnaire
    matrix = Item(questionnaire=questionnaire, code="mx", type="matrix", page=1, position=900)
    row = Item(questionnaire=questionnaire, parent=matrix, code="mx_a", type="likert", page=1, position=901)
    row.texts.append(ItemText(key="label", lang="en", text="The library"))
    db.session.add_all([matrix, row])
    db.session.flush()
    db.session.add(Answer(response_id=response.id, item_id=row.id, value="4"))
    db.session.commit()
    items_before = db.session.scalar(select(func.count()).select_from(Item)) - 2
    answers_before = db.session.scalar(select(func.count()).select_from(Answer)) - 1
    db.session.remove()
    migrate("downgrade", "0010_evaluation", allow_data_loss=True)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM items")).scalar_one() == items_before
        assert conn.execute(text("SELECT count(*) FROM answers")).scalar_one() == answers_before
        assert conn.execute(text("SELECT count(*) FROM items WHERE code LIKE 'mx%'")).scalar_one() == 0
