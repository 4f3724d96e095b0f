"""Download file names: ASCII letters, digits, `-` and `_` only, so no browser or shell misreads them."""
import re


def safe_filename(stem: str, extension: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "export"
    return f"{cleaned[:60]}.{extension}"
