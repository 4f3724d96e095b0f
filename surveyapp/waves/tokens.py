"""Personal link tokens: 192 random-looking bits, only their SHA-256 is stored.

The token is HMAC(SECRET_KEY, salt): the dispatcher can rebuild it for each reminder without the database
ever holding it, and a copy of the database alone opens no link. Rotating SECRET_KEY invalidates unsent links.
"""

import base64
import hashlib
import hmac
import secrets


def new_salt() -> str:
    return secrets.token_hex(16)


def make_token(secret: str, salt: str) -> str:
    digest = hmac.new(secret.encode(), f"invitation:{salt}".encode(), hashlib.sha256).digest()[:24]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def response_key(secret: str, salt: str) -> str:
    """The response key of an invitation: stable across devices, unguessable (the /s/ flow accepts keys)."""
    return "i" + hmac.new(secret.encode(), f"response:{salt}".encode(), hashlib.sha256).hexdigest()[:40]
