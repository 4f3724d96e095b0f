"""surveyapp: multilingual surveys and co-assessment for public services."""
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l

from surveyapp.config import load_config
from surveyapp.extensions import babel, csrf, db, limiter, login_manager, migrate

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def create_app(test_config: dict | None = None) -> Flask:
    from surveyapp.web import RowId

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = RowId  # before any route is added
    load_config(app, test_config)
    _register_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    from surveyapp import web

    web.init_app(app)
    from surveyapp import ops

    ops.init_app(app)  # last: its start-up checks need the whole app
    return app


def _register_extensions(app: Flask) -> None:
    from surveyapp.i18n import check_catalogues, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    check_catalogues(app, TRANSLATIONS)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    limiter.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from surveyapp.accounts.members.views import bp as members_bp
    from surveyapp.accounts.views import bp as accounts_bp
    from surveyapp.audit.views import bp as audit_bp
    from surveyapp.exports.views import bp as exports_bp
    from surveyapp.gdpr.views import bp as gdpr_bp
    from surveyapp.indicators.views import bp as indicators_bp
    from surveyapp.interchange.views import bp as interchange_bp
    from surveyapp.kiosk.admin_views import bp as kiosk_admin_bp
    from surveyapp.kiosk.views import bp as kiosk_bp
    from surveyapp.mystery.views import bp as mystery_bp
    from surveyapp.participants.views import bp as participants_bp
    from surveyapp.polls.views import bp as polls_bp
    from surveyapp.programmes.views import bp as programmes_bp
    from surveyapp.questionnaires.views import bp as questionnaires_bp
    from surveyapp.reports.views import bp as reports_bp
    from surveyapp.respond.admin_views import bp as responses_bp
    from surveyapp.respond.invite_views import bp as invite_bp
    from surveyapp.respond.preview_views import bp as preview_bp
    from surveyapp.respond.views import bp as respond_bp
    from surveyapp.response_import.views import bp as response_import_bp
    from surveyapp.starters.views import bp as starters_bp
    from surveyapp.translations_ui.views import bp as translations_bp
    from surveyapp.waves.people_views import bp as people_bp
    from surveyapp.waves.views import bp as waves_bp

    app.register_blueprint(response_import_bp)
    for blueprint in (accounts_bp, questionnaires_bp, respond_bp, exports_bp, participants_bp, waves_bp, invite_bp,
                      translations_bp, reports_bp, audit_bp, gdpr_bp, responses_bp, preview_bp, indicators_bp,
                      people_bp, starters_bp, programmes_bp, members_bp, polls_bp, mystery_bp,
                      kiosk_bp, kiosk_admin_bp, interchange_bp):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from surveyapp.accounts.cli import users_cli
    from surveyapp.accounts.members.cli import COMMANDS as member_commands
    from surveyapp.audit.cli import audit_cli
    from surveyapp.demo import demo_command
    from surveyapp.gdpr.cli import gdpr_cli
    from surveyapp.i18n_cli import translate_cli
    from surveyapp.interchange.cli import questionnaires_cli
    from surveyapp.programmes.cli import programmes_cli
    from surveyapp.reports.cli import report_command
    from surveyapp.response_import.cli import responses_cli
    from surveyapp.starters.cli import starters_cli
    from surveyapp.waves.cli import waves_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(waves_cli)
    app.cli.add_command(report_command)
    app.cli.add_command(translate_cli)
    app.cli.add_command(gdpr_cli)
    app.cli.add_command(starters_cli)
    app.cli.add_command(questionnaires_cli)
    app.cli.add_command(responses_cli)
    for command in member_commands:  # membership lives in accounts, above programmes
        programmes_cli.add_command(command)
    app.cli.add_command(programmes_cli)
