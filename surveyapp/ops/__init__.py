"""Running surveyapp in production: health checks, start-up checks, request logs, metrics, backups.

Sits above every feature package: it reads their tables (metrics, backups) and nothing imports it but the
app factory.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    """Logging, request hooks, the health and metrics routes, the backup command; then the start-up checks."""
    from surveyapp.ops import checks, logging, metrics
    from surveyapp.ops.cli import backup_cli
    from surveyapp.ops.views import bp

    logging.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(backup_cli)
    checks.init_app(app)
