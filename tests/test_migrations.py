"""Migrations: an empty database upgrades to head, matches the models, and downgrades back to empty."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from surveyapp import create_app
from surveyapp.extensions import db


def test_upgrade_matches_models_and_downgrade_empties(tmp_path, database_url):
    if database_url.startswith("postgresql"):
        url = _fresh_postgres(database_url)
    else:
        url = "sqlite:///" + str(tmp_path / "migrations.sqlite")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert "answers" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def _fresh_postgres(database_url: str) -> str:
    """A second empty database beside the session's, so its migrated schema stays untouched."""
    import uuid

    from sqlalchemy import make_url, text

    url = make_url(database_url)
    name = f"{url.database}_m{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)
