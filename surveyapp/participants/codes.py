"""Pseudonymous panel codes: short, printable, no look-alike characters (0/O, 1/I/L, U/V)."""

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
LENGTH = 8


def new_panel_code(length: int = LENGTH) -> str:
    """A random code such as "K7QM-2XWD"; ~39 bits, collisions are retried by the caller."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_panel_code(text: str) -> str:
    """Accept what people type: lower case, spaces, missing dash."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == LENGTH else raw
