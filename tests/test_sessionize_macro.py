"""A hand-worked case of macro sessionize, in its full form and with session_starts_only, on every engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import BuiltProject

# (device, event time, event id): with a 30-minute timeout, d1's e3 opens a second session (50 minutes after e2)
# and e4 continues it (exactly the timeout after e3); d2's one event is a session of its own
EVENTS = [
    ("d1", "2026-01-05 10:00:00", "e1"),
    ("d1", "2026-01-05 10:10:00", "e2"),
    ("d1", "2026-01-05 11:00:00", "e3"),
    ("d1", "2026-01-05 11:30:00", "e4"),
    ("d2", "2026-01-05 10:00:00", "e5"),
]
# event id -> (session number, first event of its session)
EXPECTED = {"e1": (1, "e1"), "e2": (1, "e1"), "e3": (2, "e3"), "e4": (2, "e3"), "e5": (1, "e5")}

QUERY = """
with events as (
{events}
),

full_form as (
    {{{{ journeys.sessionize('events', 'device', 'event_at', 'event_id', 30) }}}}
),

starts_only as (
    {{{{ journeys.sessionize('events', 'device', 'event_at', 'event_id', 30, session_starts_only=true) }}}}
)

select
    full_form.event_id,
    full_form.event_at,
    full_form.session_number,
    full_form.session_first_event_id,
    full_form.session_id,
    starts_only.event_id as start_event_id,
    starts_only.session_started_at as start_started_at,
    starts_only.session_first_event_id as start_first_event_id,
    starts_only.session_id as start_session_id
from full_form
left join starts_only
    on full_form.event_id = starts_only.event_id
order by full_form.event_id
"""


@pytest.fixture(scope="module")
def sessionized(built: BuiltProject) -> dict[str, dict[str, Any]]:
    events = "\n    union all\n".join(
        f"    select '{device}' as device, cast('{at}' as timestamp) as event_at, '{event_id}' as event_id"
        for device, at, event_id in EVENTS
    )
    result = built.dbt.invoke(["show", "--inline", QUERY.format(events=events), "--limit", "20"])
    table = result.results[0].agate_table
    return {row["event_id"]: dict(zip(table.column_names, row, strict=True)) for row in table.rows}


def test_full_form_numbers_the_sessions_of_each_device(sessionized: dict[str, dict[str, Any]]):
    found = {
        event_id: (int(row["session_number"]), row["session_first_event_id"]) for event_id, row in sessionized.items()
    }
    assert found == EXPECTED
    assert sessionized["e1"]["session_id"] == sessionized["e2"]["session_id"] != sessionized["e3"]["session_id"]


def test_starts_only_gives_the_same_session_of_each_start_and_no_other_event(
    sessionized: dict[str, dict[str, Any]],
):
    starts = {event_id for event_id, row in sessionized.items() if row["start_event_id"] is not None}
    assert starts == {first for _, first in EXPECTED.values()}
    for event_id in starts:
        row = sessionized[event_id]
        assert (row["start_session_id"], row["start_first_event_id"], _naive_utc(row["start_started_at"])) == (
            row["session_id"],
            event_id,
            _naive_utc(row["event_at"]),
        )


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo is not None else value
