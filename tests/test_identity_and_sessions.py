"""Sessions and persons against the generator's truth, exactly, on every engine."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pytest

from tests.conftest import BuiltProject


def partition(pairs: Iterable[tuple[Any, Any]]) -> set[frozenset[Any]]:
    """The groups of items (first) that share a key (second)."""
    groups: dict[Any, set[Any]] = defaultdict(set)
    for item, key in pairs:
        groups[key].add(item)
    return {frozenset(group) for group in groups.values()}


def kept_events(truth: dict[str, pa.Table]) -> list[dict[str, Any]]:
    return [row for row in truth["events"].to_pylist() if row["expected_outcome"] == "kept"]


def expected_session_persons(truth: dict[str, pa.Table], policy: str, max_persons_per_device: int) -> dict[str, str]:
    """The person each true session should get under the project's identity rules, worked from the truth."""
    person_of_user = {row["user_id"]: row["person_id"] for row in truth["user_ids"].to_pylist()}
    first_user: dict[str, tuple[Any, str, str]] = {}
    for event in kept_events(truth):
        if event["user_id"] is not None:
            key = (event["event_at"], event["event_id"])
            current = first_user.get(event["session_id"])
            if current is None or key < current[:2]:
                first_user[event["session_id"]] = (*key, event["user_id"])
    by_device: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in truth["sessions"].to_pylist():
        by_device[session["device_id"]].append(session)
    expected = {}
    for device, sessions in by_device.items():
        sessions.sort(key=lambda s: (s["started_at"], s["session_id"]))
        identified = [
            (index, person_of_user[first_user[s["session_id"]][2]])
            for index, s in enumerate(sessions)
            if s["session_id"] in first_user
        ]
        shared = len({person for _, person in identified}) > max_persons_per_device
        for index, session in enumerate(sessions):
            if session["session_id"] in first_user:
                person = person_of_user[first_user[session["session_id"]][2]]
            elif shared or not identified:
                person = f"device:{device}"
            elif policy == "latest":
                person = identified[-1][1]
            else:
                before = [p for i, p in identified if i < index]
                person = before[-1] if before else identified[0][1]
            expected[session["session_id"]] = person
    return expected


def test_events_fall_into_the_true_sessions(built: BuiltProject, truth: dict[str, pa.Table]):
    actual = partition(built.rows("select event_id, session_id from journeys.fct_events"))
    expected = partition((e["event_id"], e["session_id"]) for e in kept_events(truth))
    assert len(actual) == len(expected)
    assert actual == expected


def test_events_fall_into_the_persons_of_the_time_aware_rule(built: BuiltProject, truth: dict[str, pa.Table]):
    session_person = expected_session_persons(truth, "time_aware", 5)
    expected = partition((e["event_id"], session_person[e["session_id"]]) for e in kept_events(truth))
    actual = partition(built.rows("select event_id, person_id from journeys.fct_events"))
    assert actual == expected


@pytest.mark.parametrize(
    ("policy", "max_persons"), [("latest", 5), ("time_aware", 1)], ids=["latest", "shared_device_limit_1"]
)
def test_events_fall_into_the_persons_of_other_identity_settings(
    built: BuiltProject, truth: dict[str, pa.Table], policy: str, max_persons: int
):
    schema = f"journeys_{policy}_{max_persons}"
    built.use_schema(schema)
    try:
        built.dbt.invoke(
            ["build", "--select", "+fct_events", "--exclude", "test_type:data", "test_type:unit"],
            {"journeys__identity_policy": policy, "journeys__max_persons_per_device": max_persons},
        )
    finally:
        built.use_schema("journeys")
    session_person = expected_session_persons(truth, policy, max_persons)
    expected = partition((e["event_id"], session_person[e["session_id"]]) for e in kept_events(truth))
    actual = partition(built.rows(f"select event_id, person_id from {schema}.fct_events"))
    assert actual == expected


def test_person_ids_are_the_same_on_every_run(built: BuiltProject):
    rows = built.rows(
        "select count(*) from journeys.fct_sessions as s "
        "inner join journeys.int_user_ids_stitched as u on s.person_id = u.person_id"
    )
    assert rows[0][0] > 0
    sample = built.rows(
        "select person_id, root_user_id from journeys.int_user_ids_stitched order by root_user_id limit 3"
    )
    for person_id, root in sample:
        assert person_id == hashlib.md5(f"user:{root}".encode()).hexdigest()


def test_session_touch_and_channel_equal_the_truth(built: BuiltProject, truth: dict[str, pa.Table]):
    columns = ["channel", "is_paid", "landing_page_path", "utm_source", "utm_medium", "utm_campaign", "referrer_host"]
    first_event = {}
    for event in kept_events(truth):
        key = (event["event_at"], event["event_id"])
        if event["session_id"] not in first_event or key < first_event[event["session_id"]]:
            first_event[event["session_id"]] = key
    expected = {first_event[s["session_id"]][1]: tuple(s[c] for c in columns) for s in truth["sessions"].to_pylist()}
    actual = {
        row[0]: tuple(row[1:])
        for row in built.rows(
            f"select e.event_id, {', '.join('s.' + c for c in columns)} from journeys.fct_sessions as s "
            "inner join journeys.fct_events as e on s.session_id = e.session_id and s.started_at = e.event_at"
        )
    }
    mismatches = [(k, actual.get(k), v) for k, v in expected.items() if actual.get(k) != v]
    assert not mismatches, f"{len(mismatches)} sessions differ, e.g. {mismatches[:3]}"


def test_page_views_equal_the_truth(built: BuiltProject, truth: dict[str, pa.Table]):
    """One page view per tracker page view id (re-sent page views counted once), its session, its pings and its
    engaged seconds by the heartbeat rule, exactly as the generator recorded them."""
    expected = {
        row["page_view_id"]: (row["page_view_events"], row["ping_count"], row["engaged_seconds"])
        for row in truth["page_views"].to_pylist()
    }
    rows = built.rows(
        "select coalesce(tracker_page_view_id, page_view_id), session_id, page_view_event_count, page_ping_count, "
        "coalesce(engaged_seconds, 0) from journeys.fct_page_views"
    )
    actual = {key: (events, pings, engaged) for key, _, events, pings, engaged in rows}
    assert len(rows) == len(actual)
    mismatches = [(k, actual.get(k), v) for k, v in expected.items() if actual.get(k) != v]
    assert not mismatches, f"{len(mismatches)} of {len(expected)} page views differ, e.g. {mismatches[:3]}"
    assert set(actual) == set(expected)
    assert any(events > 1 for events, _, _ in expected.values()), "the data has no re-sent page view"
    truth_sessions = partition((row["page_view_id"], row["session_id"]) for row in truth["page_views"].to_pylist())
    assert partition((key, session) for key, session, *_ in rows) == truth_sessions
