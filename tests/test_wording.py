"""What the report and the exports say in words: counts, dates, times, durations and each
failure class, with anything unexpected shown as it is rather than dropped."""

from __future__ import annotations

import zoneinfo

import pytest

from pipeline.errors import FailureClass
from pipeline.wording import FAILURE_WORDS, ago, count, day, duration, failure, moment


def test_counts_read_as_a_person_writes_them() -> None:
    assert count(0, "new document") == "no new documents"
    assert count(1, "new document") == "1 new document"
    assert count(12_345, "fetch", "fetches") == "12,345 fetches"
    assert count(3, "failure", words=True) == "three failures"
    assert count(11, "failure", words=True) == "11 failures"


@pytest.mark.parametrize(
    ("value", "said"),
    [("2021-04-22", "22 April 2021"), ("2022-01", "January 2022"), ("2021", "2021"),
     ("circa 2020", "circa 2020"), ("2021-13-40", "2021-13-40"), ("", ""), (None, "")],
)  # fmt: skip
def test_published_dates_are_readable_and_free_form_ones_kept(value: str | None, said: str) -> None:
    assert day(value) == said


def test_times_name_their_zone_and_durations_their_units() -> None:
    lima = zoneinfo.ZoneInfo("America/Lima")
    assert moment("2026-12-05T01:30:00+00:00", lima) == "4 December 2026, 20:30 -05"
    assert moment("not a time", lima) == "not a time"
    start = "2026-12-05T01:30:00+00:00"
    assert duration(start, "2026-12-05T01:30:40+00:00") == "under a minute"
    assert duration(start, "2026-12-05T01:41:05+00:00") == "11 minutes"
    assert duration(start, "2026-12-05T02:30:00+00:00") == "1 hour"
    assert duration(start, "2026-12-05T03:35:00+00:00") == "2 hours 5 minutes"
    assert duration(start, "2026-12-05T01:00:00+00:00") == ""  # a clock set back: say nothing


def test_days_since_read_as_words() -> None:
    assert [ago(None), ago(0), ago(1), ago(12), ago(1500)] == [
        "never", "today", "yesterday", "12 days ago", "1,500 days ago"]  # fmt: skip


def test_every_failure_class_has_words() -> None:
    """A class added to errors.py without words here would reach editors as "http_4xx"."""
    assert set(FAILURE_WORDS) == set(FailureClass)
    assert failure("robots", 16) == "16 disallowed by robots.txt"
    assert failure("a_class_from_later", 2) == "2 a class from later"
