"""textclean: which characters answers may hold, and how staff texts are cleaned (pure, no app)."""
import pytest

from surveyapp.textclean import clean_text, forbidden_character, normalise_newlines

FORBIDDEN = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0d\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\ud800",
             "\udfff", "\ufdd0", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
ALLOWED = ["\t", "\n", "\r\n", "\r", " ", "é", "ß", "\u00a0", "\u200f", "\u2028", "\U0001f600", "٣", "\ufffd"]


@pytest.mark.parametrize("char", FORBIDDEN, ids=[ascii(c) for c in FORBIDDEN])
def test_forbidden_characters_are_found(char):
    assert forbidden_character(f"a{char}b") is not None


@pytest.mark.parametrize("char", ALLOWED, ids=[ascii(c) for c in ALLOWED])
def test_tab_newline_and_ordinary_text_are_allowed(char):
    assert forbidden_character(f"a{char}b") is None


def test_every_cc_character_but_tab_and_newline_is_forbidden():
    import unicodedata

    controls = [chr(code) for code in range(0x110000) if unicodedata.category(chr(code)) == "Cc"]
    assert {c for c in controls if forbidden_character(c) is None} == {"\t", "\n", "\r"}  # \r becomes \n


def test_line_breaks_normalised():
    assert normalise_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_single_line_texts_lose_line_breaks_tabs_and_controls():
    assert clean_text("Survey\r\nBcc: x@example.org\x1b[0m\t2026\u2028end ") == "Survey Bcc: x@example.org[0m 2026 end"


def test_multi_line_texts_keep_tab_and_newline():
    assert clean_text("one\r\ntwo\tthree\x00\x07\ufffe\r", multiline=True) == "one\ntwo\tthree\n"


@pytest.mark.parametrize("value", [None, 3, ["a\x00"]])
def test_non_strings_pass_through(value):
    assert clean_text(value) == value


def test_clean_text_leaves_nothing_forbidden():
    sample = "".join(chr(code) for code in range(0, 0x3000)) + "\ufffe\uffff\U0010ffff"
    for multiline in (False, True):
        assert forbidden_character(clean_text(sample, multiline)) is None
