"""Follow a code rename inside an expression, changing nothing else of what the builder wrote."""
from surveyapp.logic.errors import ExpressionError
from surveyapp.logic.evaluate import NUMBER, same_value
from surveyapp.logic.nodes import Literal, Ref, code_text, literal_text, option_literals, walk
from surveyapp.logic.parser import parse


def rename(text: str, old: str, new: str) -> str:
    """`text` with every reference to item `old` pointing at `new`; spacing, operators and quotes as they were.

    A reference written ${old} stays in braces; a bare one stays bare when `new` can be (else ${new}).
    A text that does not parse is returned unchanged: it names nothing reliably.
    """
    tree = _tree(text)
    refs = [node for node in walk(tree) if isinstance(node, Ref) and node.code == old] if tree else []
    return _replaced(text, [(ref, "${" + new + "}" if text.startswith("${", ref.position - 1) else code_text(new))
                            for ref in refs])


def rename_option(text: str, item: str, old: str, new: str) -> str:
    """`text` with option code `old` of item `item` written `new` where it is compared with that item.

    A text keeps its quotation marks; a number stays bare while the new code is one too."""
    tree = _tree(text)
    literals = [literal for literal in option_literals(tree, item) if same_value(literal.value, old)] if tree else []
    return _replaced(text, [(literal, _option_text(text, literal, new)) for literal in literals])


def _tree(text: str):
    try:
        return parse(text)
    except ExpressionError:
        return None


def _option_text(text: str, literal: Literal, new: str) -> str:
    if literal.number:
        return new if NUMBER.fullmatch(new) else "'" + new + "'"
    written = text[literal.position - 1:literal.end]
    return written[0] + new + written[-1] if written[-1] not in new else literal_text(Literal(new))


def _replaced(text: str, replacements: list) -> str:
    """Each node's text replaced, from the last so earlier offsets stay right."""
    for node, replacement in sorted(replacements, key=lambda pair: pair[0].position, reverse=True):
        text = text[:node.position - 1] + replacement + text[node.end:]
    return text
