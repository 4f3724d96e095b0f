"""Follow an item code rename inside an expression, changing nothing else of what the builder wrote."""
from surveyapp.logic.errors import ExpressionError
from surveyapp.logic.nodes import Ref, code_text, walk
from surveyapp.logic.parser import parse


def rename(text: str, old: str, new: str) -> str:
    """`text` with every reference to item `old` pointing at `new`; spacing, operators and quotes as they were.

    A reference written ${old} stays in braces; a bare one stays bare when `new` can be (else ${new}).
    A text that does not parse is returned unchanged: it names nothing reliably.
    """
    try:
        tree = parse(text)
    except ExpressionError:
        return text
    spans = sorted(((node.position - 1, node.end) for node in walk(tree)
                    if isinstance(node, Ref) and node.code == old), reverse=True)
    for start, end in spans:
        braced = text.startswith("${", start)
        text = text[:start] + ("${" + new + "}" if braced else code_text(new)) + text[end:]
    return text
