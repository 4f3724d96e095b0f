"""The pure core: word normalisation, vote validation per kind, Borda points and the aggregate."""
import pytest

from surveyapp.polls.tally import Ballot, InvalidVote, aggregate, borda, form_values, normalise_word, validate

CODES = ("a", "b", "c", "d")
LABELS = {"a": "A", "b": "B", "c": "C", "d": "D"}


@pytest.mark.parametrize(("typed", "stored"), [
    ("Co-Design", "co-design"), ("  co   design ", "co design"), ("ＣＯ－ＤＥＳＩＧＮ", "co-design"),
    ("STRASSE", "strasse"), ("Straße", "strasse"), ("ﬁx", "fix"), ("a\u00a0b", "a b"), ("x" * 40, "x" * 40),
    ("\u200bco-design", "co-design"), ("co\u00addesign", "codesign"), ("co-\u2060design\ufeff", "co-design"),
    ("\u202eabc def", "abc def"), ("\u2067abc\u2069", "abc"), ("x" * 40 + "\u200b" * 5, "x" * 40),
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0645"),  # ZWNJ kept
])
def test_words_are_nfkc_casefolded_and_trimmed(typed, stored):
    assert normalise_word(typed) == stored


@pytest.mark.parametrize("typed", ["", "   ", "\u00a0", "x" * 41, "ab " * 20, "\u200b\u200b", "\u202e \u00ad",
                                   "\u3164", "\u2800\u200d", "\ufeff\u200c"])
def test_empty_or_over_long_words_are_refused(typed):
    with pytest.raises(InvalidVote) as refused:
        normalise_word(typed)
    assert refused.value.status_code == 422


@pytest.mark.parametrize(("kind", "values", "payload"), [
    ("single", ["b"], {"choice": "b"}),
    ("multiple", ["c", "a"], {"choices": ["a", "c"]}),
    ("rating", ["5"], {"rating": 5}),
    ("ranking", ["d", "a", "c", "b"], {"ranking": ["d", "a", "c", "b"]}),
    ("words", [" Trust "], {"word": "trust"}),
])
def test_valid_votes_and_their_form_values(kind, values, payload):
    ballot = Ballot(kind, CODES, max_choices=2, scale=5)
    assert validate(ballot, values) == payload
    assert validate(ballot, form_values(payload)) == payload


@pytest.mark.parametrize(("kind", "values"), [
    ("single", []), ("single", ["z"]), ("single", ["a", "b"]),
    ("multiple", []), ("multiple", ["a", "z"]), ("multiple", ["a", "b", "c"]), ("multiple", ["a", "a"]),
    ("rating", ["0"]), ("rating", ["6"]), ("rating", ["x"]), ("rating", ["1", "2"]), ("rating", ["1.0"]),
    ("ranking", ["a", "b", "c"]), ("ranking", ["a", "b", "c", "c"]), ("ranking", ["a", "b", "c", "z"]),
    ("ranking", ["a", "b", "c", "d", "a"]), ("ranking", ["", "b", "c", "d"]),
    ("words", []), ("words", [""]), ("words", ["x" * 41]), ("words", ["a", "b"]),
    ("single", ["a"] * 101),
])
def test_invalid_votes_are_refused(kind, values):
    with pytest.raises(InvalidVote):
        validate(Ballot(kind, CODES, max_choices=2, scale=5), values)


def test_borda_gives_n_minus_one_for_a_first_place_down_to_zero():
    assert borda(CODES, [["a", "b", "c", "d"], ["b", "a", "d", "c"]]) == {"a": 5, "b": 5, "c": 1, "d": 1}
    assert borda(CODES, []) == {"a": 0, "b": 0, "c": 0, "d": 0}


def test_ranking_aggregate_orders_by_points_with_firsts_and_share_of_the_maximum():
    result = aggregate(Ballot("ranking", CODES), LABELS, [{"ranking": ["c", "a", "b", "d"]},
                                                          {"ranking": ["c", "b", "a", "d"]}])
    assert [(i["key"], i["points"], i["count"]) for i in result["items"]] == [
        ("c", 6, 2), ("a", 3, 0), ("b", 3, 0), ("d", 0, 0)]
    assert result["items"][0]["share"] == 1.0 and result["votes"] == 2


def test_choice_aggregate_counts_and_shares_of_voters():
    single = aggregate(Ballot("single", CODES), LABELS, [{"choice": "a"}, {"choice": "a"}, {"choice": "c"}])
    assert [(i["key"], i["label"], i["count"], i["share"]) for i in single["items"]] == [
        ("a", "A", 2, 0.6667), ("b", "B", 0, 0.0), ("c", "C", 1, 0.3333), ("d", "D", 0, 0.0)]
    multiple = aggregate(Ballot("multiple", CODES, 2), LABELS, [{"choices": ["a", "b"]}, {"choices": ["a"]}])
    assert [i["share"] for i in multiple["items"]] == [1.0, 0.5, 0.0, 0.0]


def test_rating_aggregate_has_every_point_and_the_mean():
    result = aggregate(Ballot("rating", (), scale=4), {}, [{"rating": 4}, {"rating": 3}, {"rating": 4}])
    assert [(i["key"], i["count"]) for i in result["items"]] == [("1", 0), ("2", 0), ("3", 1), ("4", 2)]
    assert result["mean"] == 3.67
    assert aggregate(Ballot("rating", (), scale=4), {}, [])["mean"] is None


def test_word_cloud_leaves_hidden_words_out_and_counts_the_rest():
    payloads = [{"word": "trust"}, {"word": "trust"}, {"word": "time"}, {"word": "rude"}]
    result = aggregate(Ballot("words", ()), {}, payloads, frozenset({"rude"}))
    assert [(i["key"], i["count"]) for i in result["items"]] == [("trust", 2), ("time", 1)]
    assert result["votes"] == 4
