"""Flask extensions, created unbound and attached in create_app()."""
from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from surveyapp.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def token_rate_limit() -> str:
    """The limit of every route whose address carries a secret token (personal, enrolment and continue-later
    links): what a guesser would try. Read per request, so the configuration can set it (TOKEN_RATE_LIMIT)."""
    return current_app.config["TOKEN_RATE_LIMIT"]
