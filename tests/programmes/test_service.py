"""Programme rules without HTTP: codes, names, archiving, the lists."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from surveyapp.programmes import service
from surveyapp.programmes.models import Programme
from surveyapp.programmes.service import ProgrammeError

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Programme))


def test_create_normalises_the_name_and_keeps_the_code(db):
    programme = service.create_programme(" close-To_2 ", " Close\u00a0 To\t", pathway="phineo", retention_months=24)
    db.session.commit()
    assert (programme.code, programme.name) == ("close-To_2", "Close To")
    assert (programme.pathway, programme.contact_retention_months, programme.archived_at) == ("phineo", 24, None)


@pytest.mark.parametrize("code", ["a", "x" * 41, "close to", "ümlaut", "semi;colon", "", "   ", "a/b", "１２"])
def test_a_bad_code_is_refused_and_nothing_stored(db, code):
    with pytest.raises(ProgrammeError, match="2 to 40 characters") as refused:
        service.create_programme(code, "Name")
    assert refused.value.status_code == 422
    db.session.rollback()
    assert _count(db) == 0


@pytest.mark.parametrize("code", ["closeto", "CLOSETO", " CloseTo "])
def test_codes_are_unique_regardless_of_case(db, make, code):
    make.programme(code="CloseTo")
    with pytest.raises(ProgrammeError, match="exists already"):
        service.create_programme(code, "Another")
    db.session.rollback()
    assert _count(db) == 1
    assert service.find_programme(code.lower()).code == "CloseTo"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": "  "}, "name"), ({"name": "n" * 201}, "at most 200"),
    ({"pathway": "staircase"}, "Unknown outcome pathway"),
    ({"retention_months": 0}, "between 1 and 240"), ({"retention_months": 241}, "between 1 and 240"),
])
def test_bad_values_are_refused_before_anything_is_written(db, kwargs, message):
    with pytest.raises(ProgrammeError, match=message):
        service.create_programme("good-code", **{"name": "Name", **kwargs})
    db.session.rollback()
    assert _count(db) == 0


def test_rename_says_whether_anything_changed(db, make):
    programme = make.programme(name="Close To")
    assert service.rename(programme, " Close  To ") is False
    assert service.rename(programme, "Close To 2027") is True
    with pytest.raises(ProgrammeError):
        service.rename(programme, "\u00a0")


def test_archive_leaves_the_lists_and_unarchive_brings_it_back(db, make):
    kept, gone = make.programme(name="B kept"), make.programme(name="A gone")
    assert service.archive(gone, NOW) is True
    assert service.archive(gone, NOW) is False  # once only: the first date stays
    db.session.commit()
    assert service.programmes() == [kept]
    assert service.programmes(archived=True) == [gone]
    assert service.programmes(ids=[gone.id]) == []
    assert service.unarchive(gone) is True and service.unarchive(gone) is False
    assert service.programmes() == [gone, kept]  # by name
