"""Piping: put facts known about the respondent (their session's place and date) into questionnaire texts.

"... since the session at {place} on {date}?" -> "... since the session at Fahrschule Graz on 3 March 2026?"
Unknown placeholders and texts without values stay as written, so the anonymous /s/ flow is unchanged.
"""

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def pipe(text: str, values: Mapping[str, str] | None) -> str:
    if not text or not values:
        return text
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)
