"""LimeSurvey's HTML texts as the plain texts a questionnaire holds, and its {…} placeholders as pipes.

Tags are dropped (never carried over: our texts are escaped when shown, so markup would show as markup),
block ends and <br> become line breaks, entities are decoded, script and style contents are left out.
A `{code}` naming an earlier question becomes our pipe `{new code}`; any other `{…}` (an ExpressionScript
expression such as `{if(sex == 'M', 'his', 'her')}`, `{TOKEN:FIRSTNAME}`) cannot be shown and is taken out,
and the caller reports it.
"""
import re
from collections.abc import Callable
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                    "blockquote", "pre", "hr", "dd", "dt"})
CELLS = frozenset({"td", "th"})
HIDDEN = frozenset({"script", "style"})
PIPE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?:\.(?:NAOK|shown|value))?\s*")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


class _Plain(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.pieces.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.pieces.append("\n")
        elif tag in CELLS:
            self.pieces.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.pieces.append(data)


def plain(html: str | None) -> str:
    """`html` as plain text: paragraphs and <br> as line breaks, at most one blank line in a row."""
    if not html:
        return ""
    parser = _Plain()
    parser.feed(html.replace("\r\n", "\n").replace("\n", " ") if "<" in html else html)
    parser.close()
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parser.pieces).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def pipes(text: str, pipe: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """`text` with `{code}` turned into `{pipe(code)}` and every other `{…}` (nested braces included) or one
    that `pipe` refuses (None) taken out; also what was taken out, as written, for the report."""
    pieces, dropped, end = [], [], 0
    for start, close in _braced(text):
        expression = text[start:close]
        name = PIPE.fullmatch(expression[1:-1])
        code = pipe(name.group(1)) if name else None
        if code is None:
            dropped.append(expression)
        pieces += [text[end:start], "" if code is None else "{" + code + "}"]
        end = close
    replaced = "".join([*pieces, text[end:]])
    if dropped:
        replaced = "\n".join(_SPACES.sub(" ", line).strip() for line in replaced.split("\n")).strip()
    return replaced, dropped


def _braced(text: str):
    """(start, end) of every outermost balanced {…} in `text`; an unclosed one is left as text."""
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "{":
            start = index if depth == 0 else start
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:
                yield start, index + 1
