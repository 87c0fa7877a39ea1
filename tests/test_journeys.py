"""Conversions, signup journeys, milestones and the person timeline against the generator's truth, exactly, on
every engine.

Everything expected is worked out here in plain Python, independently of the SQL: the kept truth events, the truth
sessions and page views, the person each session gets under the project's identity rules
(`expected_session_persons`, policy time_aware), and the seeds' definitions read with csv and matched by a matcher
of our own. The project's person and session ids are hashes, so they are mapped to the truth's through the events
(fct_events): a project session is the truth session of its events, a project person the expected person of its
sessions' events (the identity tests check that these maps are one-to-one; here they are asserted again).
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pytest

from tests.conftest import REPO_ROOT, BuiltProject
from tests.test_identity_and_sessions import expected_session_persons, kept_events

PATH_MAX_STEPS = 20  # var journeys__path_max_steps (dbt_project.yml)
BLOG_PREFIX = "/blog"  # var journeys__blog_path_prefix
TOUCH_COLUMNS = ("at", "channel", "source", "medium", "campaign", "referrer_host")
TOUCH_SESSION_COLUMNS = ("started_at", "channel", "utm_source", "utm_medium", "utm_campaign", "referrer_host")
TOUCHES = ("first_touch", "last_touch", "first_paid_touch", "last_paid_touch")
JOURNEY_COLUMNS = (
    "first_seen_at",
    "is_signed_up",
    "signed_up_at",
    "signup_session_id",
    "sessions_before_signup",
    "page_views_before_signup",
    "days_to_signup",
    "signed_up_in_first_session",
    "first_page_path",
    "first_page_url",
    "first_blog_page_url",
    *(f"{touch}_{suffix}" for touch in TOUCHES for suffix in TOUCH_COLUMNS),
    "channel_path",
    "channel_path_dropped_steps",
    "page_path_before_signup",
    "page_path_dropped_steps",
)
TIMELINE_COLUMNS = (
    "event_id",
    "event_at",
    "seconds_since_signup",
    "event_index_since_signup",
    "conversion_names",
    "milestone_names",
)
MILESTONE_COLUMNS = (
    "reached_at",
    "signed_up_at",
    "seconds_since_signup",
    "milestone_rank",
    "session_id",
    "event_id",
    "device_class",
    "country",
    "page_path",
    "event_property",
    "channel",
)


# ---------------------------------------------------------------------------------------------------------------
# values as the engines return them


def utc_naive(value: Any) -> Any:
    """Timestamps compare as naive UTC datetimes (what the engines return; the truth's are aware)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def same(actual: Any, expected: Any) -> bool:
    """Equal, floats within 1e-9 relative, tuples element by element."""
    if isinstance(actual, tuple) and isinstance(expected, tuple):
        return len(actual) == len(expected) and all(same(a, e) for a, e in zip(actual, expected, strict=True))
    if isinstance(expected, float) and isinstance(actual, int | float) and not isinstance(actual, bool):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=0.0)
    return utc_naive(actual) == utc_naive(expected)


def differences(actual: dict[Any, Any], expected: dict[Any, Any]) -> list[tuple[Any, Any, Any]]:
    """(key, actual, expected) of every key whose values differ or that one side lacks."""
    return [
        (key, actual.get(key), expected.get(key))
        for key in sorted(set(actual) | set(expected), key=repr)
        if key not in actual or key not in expected or not same(actual[key], expected[key])
    ]


def column_differences(
    actual: dict[Any, tuple[Any, ...]],
    expected: dict[Any, tuple[Any, ...]],
    columns: tuple[str, ...],
) -> dict[str, list[tuple[Any, Any, Any]]]:
    """Per column, the (key, actual, expected) that differ (`same`), for rows both sides have."""
    found: dict[str, list[tuple[Any, Any, Any]]] = defaultdict(list)
    for key in sorted(set(actual) & set(expected), key=repr):
        for name, a, e in zip(columns, actual[key], expected[key], strict=True):
            if not same(a, e):
                found[name].append((key, a, e))
    return dict(found)


def seconds_between(start: datetime, end: datetime) -> float:
    return (utc_naive(end) - utc_naive(start)).total_seconds()


# ---------------------------------------------------------------------------------------------------------------
# the definitions and the matcher


def read_seed(name: str) -> list[dict[str, Any]]:
    """A seed's rows, empty cells as None and `true`/`false` as booleans."""
    with (REPO_ROOT / "seeds" / f"{name}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    booleans = {"true": True, "false": False}
    return [{k: booleans.get(v, v) if v != "" else None for k, v in row.items()} for row in rows]


def like(value: str | None, pattern: str) -> bool:
    """SQL LIKE: % any run, _ one character, the rest literal."""
    if value is None:
        return False
    parts = ("." * (c == "_") + ".*" * (c == "%") or re.escape(c) for c in pattern)
    return re.fullmatch("".join(parts), value, flags=re.DOTALL) is not None


def matches(event: dict[str, Any], definition: dict[str, Any]) -> bool:
    """Whether a definition row (seed conversion_definitions / milestone_definitions) recognises a truth event:
    its event type if given; the event's name one of its `|`-separated names, or the structured event's category
    (and action, if given) its own; and its property filter, if any, as SQL LIKE."""
    if definition["event_type"] is not None and event["event_type"] != definition["event_type"]:
        return False
    names = definition["event_names"].split("|") if definition["event_names"] else []
    by_name = event["event_name"] is not None and event["event_name"] in names
    by_structure = (
        event["event_category"] is not None
        and event["event_category"] == definition["event_category"]
        and (definition["event_action"] is None or event["event_action"] == definition["event_action"])
    )
    if not (by_name or by_structure):
        return False
    column = definition.get("property_column")
    return column is None or like(event.get(column), definition["property_value"])


# ---------------------------------------------------------------------------------------------------------------
# the expected marts, from the truth


@dataclass
class Conversion:
    name: str
    event_id: str
    person: str
    session: str
    at: datetime
    value: float | None
    index: int
    is_signup: bool


@dataclass
class Journeys:
    """Everything expected, keyed by truth ids (events, truth sessions, expected persons)."""

    events: dict[str, dict[str, Any]]
    session_person: dict[str, str]
    sessions: dict[str, dict[str, Any]]
    conversions: dict[tuple[str, str], Conversion]
    signups: dict[str, Conversion]
    journeys: dict[str, tuple[Any, ...]]
    milestones: dict[tuple[str, str], tuple[Any, ...]]
    timeline: dict[tuple[str, int], tuple[Any, ...]]
    persons_events: dict[str, list[dict[str, Any]]]


def _page_views(truth: dict[str, pa.Table], events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The truth page views with their path and URL (from their page_view rows: a Snowplow page view's rows share
    its web_page id, a Segment page call is its own event)."""
    page_of: dict[str, tuple[str, str]] = {}
    for event in sorted(events, key=lambda e: (e["event_at"], e["event_id"])):
        if event["event_type"] == "page_view":
            key = event["page_view_id"] if event["source"] == "snowplow" else event["event_id"]
            page_of.setdefault(key, (event["page_path"], event["page_url"]))
    rows = truth["page_views"].to_pylist()
    return [
        {**row, "page_path": page_of[row["page_view_id"]][0], "page_url": page_of[row["page_view_id"]][1]}
        for row in rows
    ]


def _path(steps: list[str | None]) -> tuple[str | None, int]:
    """The ' > '-joined last PATH_MAX_STEPS steps (NULL steps left out, as string_agg does) and how many went."""
    kept = [step for step in steps[-PATH_MAX_STEPS:] if step is not None]
    return (" > ".join(kept) if kept else None), max(len(steps) - PATH_MAX_STEPS, 0)


def _touch(session: dict[str, Any] | None) -> tuple[Any, ...]:
    return tuple(session[c] if session else None for c in TOUCH_SESSION_COLUMNS)


def _distinct_times(rows: list[dict[str, Any]], column: str, what: str) -> None:
    times = [row[column] for row in rows]
    assert len(times) == len(set(times)), f"two {what} of one person at the same time: the order needs the hashed ids"


def derive(truth: dict[str, pa.Table]) -> Journeys:
    """The expected conversions, journeys, milestones and timelines."""
    events = [{k: utc_naive(v) for k, v in row.items()} for row in kept_events(truth)]
    by_event = {event["event_id"]: event for event in events}
    session_person = expected_session_persons(truth, "time_aware", 5)
    sessions = {row["session_id"]: {k: utc_naive(v) for k, v in row.items()} for row in truth["sessions"].to_pylist()}
    page_views = [{k: utc_naive(v) for k, v in row.items()} for row in _page_views(truth, events)]

    # conversions: every (event, definition) that matches, numbered per person and name by time then event id
    matched: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    definitions = read_seed("conversion_definitions")
    ordered_events = sorted(events, key=lambda e: (e["event_at"], e["event_id"]))
    for event in ordered_events:
        for definition in definitions:
            if matches(event, definition):
                matched[(session_person[event["session_id"]], definition["conversion_name"])].append(event)
    definition_of = {d["conversion_name"]: d for d in definitions}
    conversions: dict[tuple[str, str], Conversion] = {}
    for (person, name), occurrences in matched.items():
        definition = definition_of[name]
        for index, event in enumerate(occurrences, start=1):
            value = event["revenue"] if definition["value_column"] == "revenue" else None
            conversions[(event["event_id"], name)] = Conversion(
                name, event["event_id"], person, event["session_id"], event["event_at"], value, index,
                bool(definition["is_signup"]),
            )  # fmt: skip
    signups = {c.person: c for c in conversions.values() if c.is_signup and c.index == 1}

    # signup journeys: one row per person of a session
    person_sessions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions.values():
        person_sessions[session_person[session["session_id"]]].append(session)
    person_page_views: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for page_view in page_views:
        person_page_views[session_person[page_view["session_id"]]].append(page_view)
    journeys = {}
    for person, own_sessions in person_sessions.items():
        own_sessions.sort(key=lambda s: s["started_at"])
        _distinct_times(own_sessions, "started_at", "sessions")
        views = sorted(person_page_views[person], key=lambda v: v["page_view_at"])
        _distinct_times(views, "page_view_at", "page views")
        signup = signups.get(person)
        cutoff = signup.at if signup else None
        before = [s for s in own_sessions if cutoff is None or s["started_at"] <= cutoff]
        views_before = [v for v in views if cutoff is None or v["page_view_at"] <= cutoff]
        paid = [s for s in before if s["is_paid"]]
        blog = [v for v in views if v["page_path"] == BLOG_PREFIX or v["page_path"].startswith(BLOG_PREFIX + "/")]
        first_seen = own_sessions[0]["started_at"]
        journeys[person] = (
            first_seen,
            signup is not None,
            cutoff,
            signup.session if signup else None,
            len(before),
            len(views_before),
            seconds_between(first_seen, cutoff) / 86400 if signup else None,
            signup.session == own_sessions[0]["session_id"] if signup else None,
            views[0]["page_path"] if views else None,
            views[0]["page_url"] if views else None,
            blog[0]["page_url"] if blog else None,
            *_touch(before[0]),
            *_touch(before[-1]),
            *_touch(paid[0] if paid else None),
            *_touch(paid[-1] if paid else None),
            *_path([s["channel"] for s in before]),
            *_path([v["page_path"] for v in views_before]),
        )

    # milestones: each signed-up person's first event of each milestone at or after the signup
    firsts: dict[tuple[str, str], dict[str, Any]] = {}
    milestone_definitions = read_seed("milestone_definitions")
    for event in ordered_events:
        person = session_person[event["session_id"]]
        signup = signups.get(person)
        if signup is None or event["event_at"] < signup.at:
            continue
        for definition in milestone_definitions:
            if matches(event, definition):
                firsts.setdefault((person, definition["milestone_name"]), event)
    ranks: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    for (person, name), event in firsts.items():
        ranks[person].append((event["event_at"], event["event_id"], name))
    milestones = {}
    for person, reached in ranks.items():
        for rank, (at, event_id, name) in enumerate(sorted(reached), start=1):
            event = by_event[event_id]
            milestones[(person, name)] = (
                at,
                signups[person].at,
                seconds_between(signups[person].at, at),
                rank,
                event["session_id"],
                event_id,
                event["device_class"],
                event["country"],
                event["page_path"],
                event["event_property"],
                sessions[event["session_id"]]["channel"],
            )

    # the timeline of every identified person (a person of a user id, not a device's anonymous key)
    names_of_event: dict[str, list[str]] = defaultdict(list)
    for conversion in conversions.values():
        names_of_event[conversion.event_id].append(conversion.name)
    milestones_of_event: dict[str, list[str]] = defaultdict(list)
    for (_, name), row in milestones.items():
        milestones_of_event[row[5]].append(name)
    persons_events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in ordered_events:
        persons_events[session_person[event["session_id"]]].append(event)
    timeline = {}
    for person, own_events in persons_events.items():
        if person.startswith("device:"):
            continue
        signup = signups.get(person)
        signup_index = (
            next(i for i, e in enumerate(own_events, 1) if e["event_id"] == signup.event_id) if signup else None
        )
        for index, event in enumerate(own_events, start=1):
            timeline[(person, index)] = (
                event["event_id"],
                event["event_at"],
                seconds_between(signup.at, event["event_at"]) if signup else None,
                index - signup_index if signup_index is not None else None,
                ", ".join(sorted(names_of_event[event["event_id"]])) or None,
                ", ".join(sorted(milestones_of_event[event["event_id"]])) or None,
            )

    return Journeys(
        by_event, session_person, sessions, conversions, signups, journeys, milestones, timeline, persons_events
    )


# ---------------------------------------------------------------------------------------------------------------
# the project's ids, mapped to the truth's


@dataclass
class ProjectIds:
    """The truth session of each project session and the expected person of each project person."""

    session: dict[str, str]
    person: dict[str, str]

    def sessions(self, project_session: str | None) -> str | None:
        return None if project_session is None else self.session.get(project_session, f"unknown:{project_session}")

    def persons(self, project_person: str) -> str:
        return self.person.get(project_person, f"unknown:{project_person}")


def one_to_one(pairs: list[tuple[str, str]], what: str) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for project, truth in pairs:
        assert mapping.setdefault(project, truth) == truth, f"the project's {what} {project} is two truth {what}s"
    assert len(set(mapping.values())) == len(mapping), f"two of the project's {what}s are one truth {what}"
    return mapping


@pytest.fixture(scope="module")
def expected(truth: dict[str, pa.Table]) -> Journeys:
    return derive(truth)


@pytest.fixture(scope="module")
def ids(built: BuiltProject, expected: Journeys) -> ProjectIds:
    rows = built.rows("select event_id, session_id, person_id from journeys.fct_events")
    truth_sessions = [(session, expected.events[event]["session_id"]) for event, session, _ in rows]
    truth_persons = [
        (person, expected.session_person[expected.events[event]["session_id"]]) for event, _, person in rows
    ]
    return ProjectIds(one_to_one(truth_sessions, "session"), one_to_one(truth_persons, "person"))


def keyed_rows(
    rows: list[tuple[Any, ...]], key_width: int, columns: tuple[str, ...], ids: ProjectIds
) -> dict[Any, tuple[Any, ...]]:
    """Rows keyed by their first `key_width` values (the first a project person, mapped to the truth's), their
    session id columns mapped to the truth sessions; asserts the key is unique."""
    session_columns = [index for index, name in enumerate(columns) if name.endswith("session_id")]
    keyed: dict[Any, tuple[Any, ...]] = {}
    for row in rows:
        key, values = list(row[:key_width]), list(row[key_width:])
        key[0] = ids.persons(key[0])
        for index in session_columns:
            values[index] = ids.sessions(values[index])
        keyed[tuple(key) if key_width > 1 else key[0]] = tuple(values)
    assert len(keyed) == len(rows), "the mart's key is not unique"
    return keyed


def assert_same_rows(
    actual: dict[Any, tuple[Any, ...]],
    expected: dict[Any, tuple[Any, ...]],
    columns: tuple[str, ...],
) -> None:
    only_actual, only_expected = sorted(set(actual) - set(expected)), sorted(set(expected) - set(actual))
    assert not (only_actual or only_expected), (
        f"{len(only_actual)} rows only in the mart, e.g. {only_actual[:3]}; "
        f"{len(only_expected)} only expected, e.g. {only_expected[:3]}"
    )
    by_column = column_differences(actual, expected, columns)
    summary = {
        name: f"{len(found)} rows, e.g. (key, actual, expected) {found[:2]}" for name, found in by_column.items()
    }
    assert not by_column, f"columns that differ: {summary}"


# ---------------------------------------------------------------------------------------------------------------
# conversions

CONVERSION_COLUMNS = ("person_id", "session_id", "converted_at", "value", "conversion_index", "is_first_of_person",
                      "is_signup")  # fmt: skip


def _conversions(built: BuiltProject, expected: Journeys, ids: ProjectIds) -> tuple[dict[Any, Any], dict[Any, Any]]:
    rows = built.rows(
        "select event_id, conversion_name, person_id, session_id, converted_at, value, conversion_index, "
        "is_first_of_person, is_signup from journeys.fct_conversions"
    )
    actual = {
        (event, name): (ids.persons(person), ids.sessions(session), *rest)
        for event, name, person, session, *rest in rows
    }
    assert len(actual) == len(rows), "an event is the same conversion twice"
    wanted = {
        key: (c.person, c.session, c.at, c.value, c.index, c.index == 1, c.is_signup)
        for key, c in expected.conversions.items()
    }
    return actual, wanted


def test_conversions_are_the_matching_events_with_their_person_value_and_rank(
    built: BuiltProject, expected: Journeys, ids: ProjectIds
):
    """Every (event, conversion) the seed's definitions recognise, with its session's person, its value (the
    revenue of an order, NULL for a signup), and its rank among the person's conversions of that name."""
    actual, wanted = _conversions(built, expected, ids)
    assert_same_rows(actual, wanted, CONVERSION_COLUMNS)
    assert {name for _, name in wanted} == {"signup", "order"}
    assert any(c.index > 1 for c in expected.conversions.values()), "no person converted twice: a weak check"


def test_conversion_totals_equal_the_truth_signups_and_orders(built: BuiltProject, truth: dict[str, pa.Table]):
    rows = built.rows("select conversion_name, event_id, value from journeys.fct_conversions")
    signups = {event for name, event, _ in rows if name == "signup"}
    orders = {event: value for name, event, value in rows if name == "order"}
    assert signups == {row["event_id"] for row in truth["signups"].to_pylist()}
    assert (len(signups), len(orders)) == (truth["signups"].num_rows, truth["orders"].num_rows)
    truth_orders = {row["event_id"]: row["revenue"] for row in truth["orders"].to_pylist()}
    assert set(orders) == set(truth_orders)
    assert not differences(orders, truth_orders)
    assert same(sum(orders.values()), sum(truth_orders.values()))


# ---------------------------------------------------------------------------------------------------------------
# signup journeys


def _journeys(built: BuiltProject, ids: ProjectIds) -> dict[Any, tuple[Any, ...]]:
    rows = built.rows(f"select person_id, {', '.join(JOURNEY_COLUMNS)} from journeys.fct_signup_journeys")
    return keyed_rows(rows, 1, JOURNEY_COLUMNS, ids)


def test_signup_journeys_equal_the_truth_for_every_person(built: BuiltProject, expected: Journeys, ids: ProjectIds):
    """Every column of every person's row: the signup, what came before it (sessions and page views at or before the
    signup time, the signup session included), the first pages, the four touches and the two bounded paths."""
    assert_same_rows(_journeys(built, ids), expected.journeys, JOURNEY_COLUMNS)


def test_signup_journeys_cover_the_cases_that_matter(built: BuiltProject, expected: Journeys):
    """The data has each case the journeys must get right, so the comparison above is not vacuous."""
    column = {name: index for index, name in enumerate(JOURNEY_COLUMNS)}
    rows = list(expected.journeys.values())
    signed_up = [row for row in rows if row[column["is_signed_up"]]]
    assert any(row[column["signed_up_in_first_session"]] for row in signed_up), "a signup in the first session"
    assert any(row[column["signed_up_in_first_session"]] is False for row in signed_up), "a signup in a later session"
    assert any(not row[column["is_signed_up"]] for row in rows), "a person who never signed up"
    assert any(person.startswith("device:") for person in expected.journeys), "a person with only anonymous sessions"
    assert any(
        row[column["first_paid_touch_at"]] is not None
        and row[column["first_paid_touch_at"]] != row[column["last_touch_at"]]
        for row in signed_up
    ), "a paid touch that is not the last"
    sessions_of: dict[str, int] = defaultdict(int)
    for person in expected.session_person.values():
        sessions_of[person] += 1
    assert any(
        row[column["sessions_before_signup"]] < sessions_of[person]
        for person, row in expected.journeys.items()
        if row[column["is_signed_up"]]
    ), "a session after the signup that must not count"
    assert any(row[column["page_path_dropped_steps"]] > 0 for row in rows), "a page path longer than the bound"
    assert any(row[column["first_blog_page_url"]] is not None for row in rows), "a blog page"
    assert any(row[column["first_paid_touch_at"]] is None for row in signed_up), "a signup with no paid touch"


# ---------------------------------------------------------------------------------------------------------------
# milestones


def _milestones(built: BuiltProject, ids: ProjectIds) -> dict[Any, tuple[Any, ...]]:
    rows = built.rows(f"select person_id, milestone_name, {', '.join(MILESTONE_COLUMNS)} from journeys.fct_milestones")
    return keyed_rows(rows, 2, MILESTONE_COLUMNS, ids)


def test_milestones_are_each_persons_first_reaching_after_signup(
    built: BuiltProject, expected: Journeys, ids: ProjectIds
):
    """Per signed-up person and milestone, the first matching event at or after the signup (time, then event id),
    its rank among the person's milestones, and the event's context."""
    actual = _milestones(built, ids)
    assert_same_rows(actual, expected.milestones, MILESTONE_COLUMNS)
    assert {row[MILESTONE_COLUMNS.index("milestone_rank")] for row in actual.values()} >= {1, 2, 3, 4}


def test_milestones_equal_the_generators_truth_where_the_persons_agree(
    built: BuiltProject, truth: dict[str, pa.Table], expected: Journeys, ids: ProjectIds
):
    """The generator's `milestones` are per truth person, from the truth person's signup; the mart's are per the
    person the identity rules give each session. These differ by design where a person's milestone events or signup
    are in sessions the rules give to someone else (an anonymous device never identified, a shared device), so the
    truth is compared for the truth persons whose signup time and milestone events at or after it are the same
    under both; the test requires most of the truth's rows to be compared."""
    truth_signup = {row["person_id"]: utc_naive(row["signed_up_at"]) for row in truth["persons"].to_pylist()}
    definitions = read_seed("milestone_definitions")
    truth_side: dict[str, set[str]] = defaultdict(set)
    project_side: dict[str, set[str]] = defaultdict(set)
    for event in expected.events.values():
        if not any(matches(event, definition) for definition in definitions):
            continue
        person = event["person_id"]
        if truth_signup.get(person) is not None and event["event_at"] >= truth_signup[person]:
            truth_side[person].add(event["event_id"])
        person = expected.session_person[event["session_id"]]
        if person in expected.signups and event["event_at"] >= expected.signups[person].at:
            project_side[person].add(event["event_id"])
    agreeing = {
        person
        for person, at in truth_signup.items()
        if at is not None
        and person in expected.signups
        and expected.signups[person].at == at
        and truth_side[person] == project_side[person]
    }
    truth_rows = truth["milestones"].to_pylist()
    wanted = {
        (row["person_id"], row["milestone_name"]): (
            utc_naive(row["reached_at"]),
            row["event_id"],
            row["event_property"],
        )
        for row in truth_rows
        if row["person_id"] in agreeing
    }
    assert len(wanted) >= 0.9 * len(truth_rows), f"only {len(wanted)} of {len(truth_rows)} truth milestones compared"
    columns = [MILESTONE_COLUMNS.index(c) for c in ("reached_at", "event_id", "event_property")]
    actual = {key: tuple(row[c] for c in columns) for key, row in _milestones(built, ids).items() if key[0] in agreeing}
    mismatches = differences(actual, wanted)
    assert not mismatches, f"{len(mismatches)} of {len(wanted)} milestones differ from the truth, e.g. {mismatches[:3]}"


# ---------------------------------------------------------------------------------------------------------------
# person timeline


def _timeline(built: BuiltProject, ids: ProjectIds) -> dict[Any, tuple[Any, ...]]:
    rows = built.rows(f"select person_id, event_index, {', '.join(TIMELINE_COLUMNS)} from journeys.fct_person_timeline")
    return keyed_rows(rows, 2, TIMELINE_COLUMNS, ids)


def test_person_timeline_orders_each_identified_persons_events_around_the_signup(
    built: BuiltProject, expected: Journeys, ids: ProjectIds
):
    """Every identified person's events in order (time, then event id), indexed from the signup event (0 there,
    NULL for a person who never signed up), with the conversions each event is and the milestones it reached."""
    actual = _timeline(built, ids)
    assert_same_rows(actual, expected.timeline, TIMELINE_COLUMNS)
    since_signup = TIMELINE_COLUMNS.index("event_index_since_signup")
    at_signup = {key[0]: row[0] for key, row in actual.items() if row[since_signup] == 0}
    assert at_signup == {person: c.event_id for person, c in expected.signups.items() if person in at_signup}
    assert set(at_signup) == {person for person, _ in expected.timeline if person in expected.signups}
