"""Business-time arithmetic against hand-worked cases; the working is in each comment.

The office calendar is Monday to Friday 09:00–12:30 and 13:30–18:00 (8 h a day) in Paris.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cxgap.sla.calendar import BusinessCalendar
from tests.sla.builders import at, calendar, office_calendar

PARIS = calendar()
MINUTE = timedelta(minutes=1)


def minutes_between(cal: BusinessCalendar, start: str, end: str) -> float:
    return cal.business_time(at(start), at(end)) / MINUTE


def due(cal: BusinessCalendar, start: str, minutes: int) -> str:
    return cal.add_business_time(at(start), minutes * MINUTE).astimezone(cal.zone).isoformat()


def test_the_lunch_break_does_not_count() -> None:
    # 12:15 → 12:30 is 15 min, 12:30 → 13:30 is lunch, 13:30 → 13:45 is 15 min: 30
    assert minutes_between(PARIS, "2026-03-02T12:15+01:00", "2026-03-02T13:45+01:00") == 30
    # from 12:00, 60 min: 30 min until 12:30, then 30 more from 13:30 → 14:00
    assert due(PARIS, "2026-03-02T12:00+01:00", 60) == "2026-03-02T14:00:00+01:00"


def test_a_target_used_up_at_closing_time_is_due_at_closing_not_at_the_next_opening() -> None:
    # from 12:00, 30 min ends exactly at 12:30: due 12:30, not 13:30
    assert due(PARIS, "2026-03-02T12:00+01:00", 30) == "2026-03-02T12:30:00+01:00"


def test_weekends_do_not_count() -> None:
    # Friday 17:00 → 18:00 is 60, the weekend 0, Monday 09:00 → 10:00 is 60: 120
    assert minutes_between(PARIS, "2026-03-06T17:00+01:00", "2026-03-09T10:00+01:00") == 120
    assert due(PARIS, "2026-03-06T17:00+01:00", 120) == "2026-03-09T10:00:00+01:00"


def test_a_start_outside_hours_begins_at_the_next_opening() -> None:
    # Saturday 22:00: nothing until Monday 09:00, then 60 min → 10:00
    assert due(PARIS, "2026-03-07T22:00+01:00", 60) == "2026-03-09T10:00:00+01:00"
    # Monday 07:00: the day opens at 09:00 → 10:00
    assert due(PARIS, "2026-03-02T07:00+01:00", 60) == "2026-03-02T10:00:00+01:00"
    # Monday 18:30: closed; Tuesday 09:00 → 10:00
    assert due(PARIS, "2026-03-02T18:30+01:00", 60) == "2026-03-03T10:00:00+01:00"
    # in the lunch break: 12:45 → the afternoon opens at 13:30 → 14:30
    assert due(PARIS, "2026-03-02T12:45+01:00", 60) == "2026-03-02T14:30:00+01:00"


def test_french_public_holidays_come_from_the_holidays_library() -> None:
    cal = calendar(office_calendar(holiday_country="FR"))
    # Thursday 30 April 17:00 → 18:00 is 60; Friday 1 May (Fête du travail) is closed, then the
    # weekend; Monday 4 May 09:00 → 10:00 is the other 60
    assert due(cal, "2026-04-30T17:00+02:00", 120) == "2026-05-04T10:00:00+02:00"
    # Ascension, Thursday 14 May 2026: a whole day closed, Wednesday 18:00 → Friday 09:00 is 0
    assert minutes_between(cal, "2026-05-13T18:00+02:00", "2026-05-15T09:00+02:00") == 0
    # without the country the same Ascension day is 8 h of work
    assert minutes_between(PARIS, "2026-05-13T18:00+02:00", "2026-05-15T09:00+02:00") == 480


def test_company_holidays_add_to_public_ones() -> None:
    cal = calendar(office_calendar(holiday_country="FR", holidays=["2026-12-24"]))
    # created Thursday 24 December 10:00 (company holiday), Friday 25 (Christmas), the
    # weekend: the clock starts Monday 28 at 09:00 → 30 min → 09:30
    assert due(cal, "2026-12-24T10:00+01:00", 30) == "2026-12-28T09:30:00+01:00"


def test_a_public_holiday_of_another_country() -> None:
    # The UK's Spring bank holiday is Monday 25 May 2026. In London, Friday 22 May 17:00 →
    # Tuesday 26 May 10:00 is 60 (Friday) + 0 (weekend, holiday) + 60 (Tuesday) = 120
    cal = calendar(office_calendar("Europe/London", holiday_country="GB"))
    assert minutes_between(cal, "2026-05-22T17:00+01:00", "2026-05-26T10:00+01:00") == 120


def test_paris_spring_forward_keeps_the_office_hours_in_wall_time() -> None:
    # Clocks go 02:00 → 03:00 on Sunday 29 March 2026. Friday 17:00 (+01:00) → Monday 10:00
    # (+02:00): 60 + 60 = 120 business minutes, although 65 h of real time minus 2 × 24 h of
    # weekend would suggest otherwise; the due time is Monday 10:00 local, 08:00 UTC.
    assert minutes_between(PARIS, "2026-03-27T17:00+01:00", "2026-03-30T10:00+02:00") == 120
    assert due(PARIS, "2026-03-27T17:00+01:00", 120) == "2026-03-30T10:00:00+02:00"


def test_paris_fall_back_keeps_the_office_hours_in_wall_time() -> None:
    # Clocks go 03:00 → 02:00 on Sunday 25 October 2026: Friday 17:00 (+02:00) plus 120 min
    # is Monday 26 October 10:00 (+01:00), 09:00 UTC
    assert due(PARIS, "2026-10-23T17:00+02:00", 120) == "2026-10-26T10:00:00+01:00"


def test_an_opening_across_the_change_counts_the_time_that_really_passed() -> None:
    night = calendar({"timezone": "Europe/Paris", "hours": {"sun": [["01:00", "04:00"]]}})
    # 29 March: 01:00 CET is 00:00 UTC, 04:00 CEST is 02:00 UTC → 120 min, not 180
    assert minutes_between(night, "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00") == 120
    # 25 October: 01:00 CEST is 23:00 UTC, 04:00 CET is 03:00 UTC → 240 min, not 180
    assert minutes_between(night, "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00") == 240
    # 180 min from 01:00 on 25 October: 23:00 UTC + 3 h = 02:00 UTC = 03:00 CET
    assert due(night, "2026-10-25T01:00+02:00", 180) == "2026-10-25T03:00:00+01:00"


def test_round_the_clock_days_of_23_and_25_hours() -> None:
    always = calendar({"timezone": "America/New_York", "hours": {"sun": [["00:00", "24:00"]]}})
    # New York springs forward on Sunday 8 March 2026: that Sunday has 23 h; it falls back on
    # Sunday 1 November 2026: 25 h
    assert minutes_between(always, "2026-03-08T00:00-05:00", "2026-03-09T00:00-04:00") == 23 * 60
    assert minutes_between(always, "2026-11-01T00:00-04:00", "2026-11-02T00:00-05:00") == 25 * 60


def test_new_york_office_across_the_spring_change() -> None:
    ny = calendar(office_calendar("America/New_York"))
    # Friday 6 March 17:00 (-05:00): 60 min to 18:00; Monday 9 March (-04:00) 09:00 + 60 → 10:00
    assert due(ny, "2026-03-06T17:00-05:00", 120) == "2026-03-09T10:00:00-04:00"
    assert minutes_between(ny, "2026-03-06T22:00Z", "2026-03-09T14:00Z") == 120


def test_nothing_between_an_instant_and_an_earlier_one() -> None:
    assert minutes_between(PARIS, "2026-03-02T12:00+01:00", "2026-03-02T10:00+01:00") == 0


YEAR_2026 = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(start=YEAR_2026, minutes=st.integers(min_value=0, max_value=5000))
def test_adding_n_minutes_then_measuring_gives_n(start: datetime, minutes: int) -> None:
    cal = calendar(office_calendar(holiday_country="FR", holidays=["2026-12-24"]))
    end = cal.add_business_time(start, minutes * MINUTE)
    assert cal.business_time(start, end) == minutes * MINUTE
    # and not a minute earlier: the due time is the first instant that reaches the target
    if minutes:
        assert cal.business_time(start, end - MINUTE) < minutes * MINUTE


@settings(max_examples=100, deadline=None)
@given(a=YEAR_2026, b=YEAR_2026, c=YEAR_2026)
def test_business_time_adds_up_over_consecutive_spans(
    a: datetime, b: datetime, c: datetime
) -> None:
    first, middle, last = sorted((a, b, c))
    whole = PARIS.business_time(first, last)
    assert whole == PARIS.business_time(first, middle) + PARIS.business_time(middle, last)
