"""Properties over any text and any tree: a positioned error or a tree, never another exception."""
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from surveyapp.logic import (
    And,
    Call,
    Compare,
    ExpressionError,
    Literal,
    Not,
    Or,
    Ref,
    evaluate,
    option_literals,
    parse,
    references,
    rename,
    rename_option,
    render,
    walk,
)
from surveyapp.logic.evaluate import same_value

TOKENS = ["q1", "q_2", "${x y}", "${", "}", "$", "'a'", '"b"', "'", '"', "„", "“", "1", "-2.5", "2nd", "(",
          ")", ",", "=", "==", "!=", "≠", "<>", "<", "<=", "≤", ">", ">=", "≥", "!", "and", "OR", "not",
          "selected", "count", "answered", "empty", "selectd", "#", ".", "-"]
token_soup = st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(["", " ", "\n"])), max_size=40).map(
    lambda parts: "".join(token + gap for token, gap in parts))


def _parses_or_positioned_error(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionError as error:
        assert 1 <= error.position <= len(text) + 1
        assert f"{error.position}" in str(error.message) or not text.strip()  # blank: nothing to point at
    else:
        assert parse(render(tree)) == tree


@given(st.text(max_size=300))
def test_any_text_parses_or_gives_a_positioned_error(text):
    _parses_or_positioned_error(text)


@given(token_soup)
def test_any_token_sequence_parses_or_gives_a_positioned_error(text):
    _parses_or_positioned_error(text)


codes = st.one_of(
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
    st.text(st.characters(exclude_characters="}"), min_size=1, max_size=8).filter(
        lambda code: code == code.strip() and code != ""),
)
refs = codes.map(Ref)
texts = st.text(max_size=8).filter(lambda value: any(mark not in value for mark in "'\"’”"))
literals = st.one_of(texts.map(Literal),
                     st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True).map(lambda n: Literal(n, True)))
values = st.one_of(refs, literals, refs.map(lambda ref: Call("count", (ref,))))
OPS = ["=", "!=", "<", "<=", ">", ">="]
leaves = st.one_of(
    st.builds(Compare, st.sampled_from(OPS), values, values),
    st.builds(lambda ref, lit: Call("selected", (ref, lit)), refs, literals),
    st.builds(lambda name, ref: Call(name, (ref,)), st.sampled_from(["answered", "empty"]), refs),
)
trees = st.recursive(leaves, lambda inner: st.one_of(
    inner.map(Not),
    st.lists(inner, min_size=2, max_size=3).map(lambda ops: And(tuple(ops))),
    st.lists(inner, min_size=2, max_size=3).map(lambda ops: Or(tuple(ops))),
), max_leaves=12)
answers = st.dictionaries(codes, st.one_of(
    st.lists(st.one_of(st.text(max_size=6), st.from_regex(r"-?[0-9]{1,3}(\.[0-9])?", fullmatch=True),
                       st.dates().map(str)), max_size=3),
    st.none(), st.text(max_size=4)), max_size=6)


@given(trees)
def test_render_round_trips(tree):
    assert parse(render(tree)) == tree


@given(trees, answers)
def test_evaluate_never_raises(tree, given_answers):
    assert evaluate(tree, given_answers) in (True, False)


@given(trees, answers)
def test_not_equal_is_the_negation_of_equal(tree, given_answers):
    for node in walk(tree):
        if isinstance(node, Compare) and node.op in ("=", "!="):
            flipped = replace(node, op="!=" if node.op == "=" else "=")
            assert evaluate(node, given_answers) is not evaluate(flipped, given_answers)


@given(trees, codes)
def test_rename_renames_only_that_code(tree, new):
    text = render(tree)
    for old in references(tree):
        renamed = parse(rename(text, old, new))
        expected = {new if code == old else code for code in references(tree)}
        assert set(references(renamed)) == expected


@given(token_soup, codes)
def test_rename_of_an_unknown_code_changes_nothing(text, new):
    assert rename(text, "no such code", new) == text


@given(trees, st.from_regex(r"[a-z0-9][a-z0-9_]{0,6}", fullmatch=True))
def test_rename_option_renames_only_that_items_options(tree, new):
    text = render(tree)
    for code in references(tree):
        for literal in option_literals(tree, code):
            renamed = parse(rename_option(text, code, literal.value, new))
            assert renamed == parse(text) or any(
                same_value(found.value, new) for found in option_literals(renamed, code))
            assert references(renamed) == references(tree)
