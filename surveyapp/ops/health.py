"""What a load balancer asks before sending traffic: is the database reachable and migrated, is Redis reachable.

Each check answers with a short reason an operator can act on, never a connection string or a password.
"""
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from surveyapp.extensions import db
from surveyapp.outages import describe

REDIS_TIMEOUT = 2.0  # seconds; a load balancer's probe usually waits 5


def database_problem(app: Flask) -> str | None:
    """None when the database answers and its schema is at the newest migration, else why not."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as error:  # noqa: BLE001 - any failure to connect is the answer, described without secrets
        return f"database unreachable ({describe(error)})"
    if current != _heads(app):
        return "database not migrated"
    return None


def _heads(app: Flask) -> set[str]:
    """The newest revisions the code knows: read from the migration scripts once per app, not per probe."""
    heads = app.extensions.get("ops_migration_heads")
    if heads is None:
        config = app.extensions["migrate"].migrate.get_config()
        heads = app.extensions["ops_migration_heads"] = set(ScriptDirectory.from_config(config).get_heads())
    return heads


def redis_urls(app: Flask) -> list[str]:
    """The Redis servers this app relies on: rate-limit storage and live updates, when they are redis://."""
    urls = [app.config.get("RATELIMIT_STORAGE_URI"), app.config.get("LIVE_REDIS_URL")]
    return sorted({url for url in urls if url and url.startswith(("redis://", "rediss://"))})


def redis_problem(app: Flask) -> str | None:
    import redis

    for url in redis_urls(app):
        try:
            client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
            try:
                client.ping()
            finally:
                client.close()
        except redis.RedisError as error:
            return f"redis unreachable ({type(error).__name__})"
    return None


def readiness_problem(app: Flask) -> str | None:
    return database_problem(app) or redis_problem(app)
