"""The Close To-sized panel the programme-report tests build on holds what its docstring promises."""

from surveyapp.datasets.frames import programme_scope, response_frame
from tests.reports.panel_seed import SESSION_SIZES


def test_panel_has_the_close_to_counts(close_to_panel):
    frame = response_frame(programme_scope(close_to_panel.programme))
    post, later = frame[frame["wave"] == "post-session"], frame[frame["wave"] == "follow-up"]
    assert (len(post), len(later), len(SESSION_SIZES)) == (1448, 330, 40)
    assert (post["careful_driving"] >= 4).sum() == 1289
    followers = post[post["panel_code"].isin(later["panel_code"])]
    assert (followers["careful_driving"] >= 4).sum() == 300
    assert (later["changed_driving"] >= 4).sum() == 238
    assert post.groupby("session").size().max() == 38
