"""Funnels on the generated data, on every engine: fct_funnel_progress against a straightforward replay of the
persons' events (read back from fct_events) under the semantics fct_funnel_progress documents, attempt by attempt,
and rpt_funnel_steps against fct_funnel_progress."""

from __future__ import annotations

import csv
import datetime as dt
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, BuiltProject

MAX_STEPS = 8
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
EVENT_COLUMNS = (
    "person_id, event_id, event_at, event_type, event_name, event_category, event_action, event_property, "
    "page_path, page_url, page_title"
)


@dataclass
class Funnel:
    name: str
    mode: str
    window: dt.timedelta
    steps: list[dict[str, str]] = field(default_factory=list)
    exclusions: list[dict[str, str]] = field(default_factory=list)


def read_funnels() -> dict[str, Funnel]:
    funnels: dict[str, Funnel] = {}
    with (REPO_ROOT / "seeds" / "funnel_definitions.csv").open(newline="") as file:
        for row in csv.DictReader(file):
            window = dt.timedelta(seconds=int(row["window_interval"]) * UNIT_SECONDS[row["window_unit"]])
            funnel = funnels.setdefault(row["funnel_name"], Funnel(row["funnel_name"], row["funnel_mode"], window))
            (funnel.steps if row["step_number"] else funnel.exclusions).append(row)
    for funnel in funnels.values():
        funnel.steps.sort(key=lambda step: int(step["step_number"]))
    return funnels


def like(value: str | None, pattern: str) -> bool:
    """SQL LIKE: % any run of characters, _ one character, case-sensitive."""
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return value is not None and re.fullmatch(regex, value, re.DOTALL) is not None


def matches(event: dict[str, Any], definition: dict[str, str]) -> bool:
    """The matcher of seeds/_seeds.yml (macro event_matches), written out again."""
    if definition["event_type"] and event["event_type"] != definition["event_type"]:
        return False
    by_name = bool(definition["event_names"]) and event["event_name"] in definition["event_names"].split("|")
    by_category = (
        bool(definition["event_category"])
        and event["event_category"] == definition["event_category"]
        and (not definition["event_action"] or event["event_action"] == definition["event_action"])
    )
    if not (by_name or by_category):
        return False
    return not definition["property_column"] or like(event[definition["property_column"]], definition["property_value"])


def read_events(built: BuiltProject) -> dict[str, list[dict[str, Any]]]:
    """Each person's events in the order of time, then event id."""
    names = [name.strip() for name in EVENT_COLUMNS.split(",")]
    persons: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in built.rows(f"select {EVENT_COLUMNS} from journeys.fct_events"):
        event = dict(zip(names, row, strict=True))
        persons[event["person_id"]].append(event)
    for events in persons.values():
        events.sort(key=lambda e: (e["event_at"], e["event_id"]))
    return persons


def replay_attempt(funnel: Funnel, events: list[dict[str, Any]], start: int) -> list[int] | None:
    """The positions (in the person's events) of the steps one attempt reaches from the step-1 event at `start`,
    or None when an exclusion event removes the attempt."""
    window_end = events[start]["event_at"] + funnel.window
    reached = [start]
    for step in funnel.steps[1:]:
        following = range(reached[-1] + 1, len(events))
        if funnel.mode == "strict":
            following = [i for i in following if events[i]["event_type"] != "page_ping"][:1]
        found = next((i for i in following if matches(events[i], step)), None)
        if found is None or events[found]["event_at"] > window_end:
            break
        reached.append(found)
    for exclusion in funnel.exclusions:
        from_step, to_step = int(exclusion["exclude_from_step"]), int(exclusion["exclude_to_step"])
        if len(reached) < from_step:
            continue
        # before the attempt's to-step event, else (it never got there) inside the window
        end = reached[to_step - 1] if len(reached) >= to_step else len(events)
        for i in range(reached[from_step - 1] + 1, end):
            if events[i]["event_at"] <= window_end and matches(events[i], exclusion):
                return None
    return reached


@dataclass
class Replay:
    progress: dict[tuple[str, str], tuple[Any, ...]]
    excluded_attempts: int = 0
    later_best_attempts: int = 0


def replay(funnels: dict[str, Funnel], persons: dict[str, list[dict[str, Any]]]) -> Replay:
    """Each person's best attempt at each funnel, as a row of fct_funnel_progress's compared columns."""
    result = Replay({})
    for funnel in funnels.values():
        for person, events in persons.items():
            attempts = []
            for start, event in enumerate(events):
                if matches(event, funnel.steps[0]):
                    attempt = replay_attempt(funnel, events, start)
                    if attempt is None:
                        result.excluded_attempts += 1
                    else:
                        attempts.append(attempt)
            if not attempts:
                continue
            best = max(attempts, key=len)  # the first of the longest: the earliest start
            result.later_best_attempts += best is not attempts[0]
            times = [events[i]["event_at"] for i in best]
            seconds = (times[-1] - times[0]) / dt.timedelta(seconds=1)
            result.progress[(funnel.name, person)] = (
                len(funnel.steps),
                len(best),
                funnel.steps[len(best) - 1]["step_name"],
                len(best) == len(funnel.steps),
                times[-1],
                round(seconds, 6),
                *times,
                *[None] * (MAX_STEPS - len(times)),
            )
    return result


@pytest.fixture(scope="module")
def funnels() -> dict[str, Funnel]:
    return read_funnels()


def progress_rows(built: BuiltProject) -> dict[tuple[str, str], tuple[Any, ...]]:
    step_columns = ", ".join(f"step_{step}_at" for step in range(1, MAX_STEPS + 1))
    rows = built.rows(
        "select funnel_name, person_id, funnel_step_count, furthest_step_number, furthest_step_name, is_completed, "
        f"furthest_step_at, seconds_to_furthest_step, {step_columns} from journeys.fct_funnel_progress"
    )
    return {
        (row[0], row[1]): (
            int(row[2]),
            int(row[3]),
            row[4],
            row[5],
            row[6],
            round(float(row[7]), 6),
            *row[8:],
        )
        for row in rows
    }


def test_funnel_progress_equals_a_replay_of_each_persons_attempts(built: BuiltProject, funnels: dict[str, Funnel]):
    expected = replay(funnels, read_events(built))
    actual = progress_rows(built)
    # the generated data exercises what the replay decides: more than one attempt, exclusions, every step
    assert expected.later_best_attempts > 0
    assert expected.excluded_attempts > 0
    assert {name for name, _ in expected.progress} == set(funnels)
    assert {row[1] for row in expected.progress.values()} >= {1, 2, 3, 4}
    assert len(actual) == len(expected.progress)
    different = {key: (actual.get(key), row) for key, row in expected.progress.items() if actual.get(key) != row}
    assert different == {}


def test_funnel_steps_report_counts_conversions_and_medians_of_the_progress(
    built: BuiltProject, funnels: dict[str, Funnel]
):
    progress = progress_rows(built)
    report = {
        (row[0], int(row[1])): (row[2], int(row[3]), row[4], row[5], row[6])
        for row in built.rows(
            "select funnel_name, step_number, step_name, persons, conversion_from_previous_step, "
            "conversion_from_first_step, median_seconds_from_previous_step from journeys.rpt_funnel_steps"
        )
    }
    expected = {}
    for funnel in funnels.values():
        rows = [row for (name, _), row in progress.items() if name == funnel.name]
        counts = [sum(1 for row in rows if row[1] >= number) for number in range(1, len(funnel.steps) + 1)]
        for number, step in enumerate(funnel.steps, start=1):
            persons = counts[number - 1]
            previous = counts[number - 2] if number > 1 else persons
            gaps = [
                (row[5 + number] - row[4 + number]) / dt.timedelta(seconds=1)
                for row in rows
                if number > 1 and row[1] >= number
            ]
            expected[(funnel.name, number)] = (
                step["step_name"],
                persons,
                persons / previous if previous else None,
                persons / counts[0] if counts[0] else None,
                statistics.median(gaps) if gaps else None,
            )
    assert set(report) == set(expected)
    for key, (name, persons, from_previous, from_first, median) in expected.items():
        actual = report[key]
        assert actual[:2] == (name, persons), key
        for got, want in zip(actual[2:], (from_previous, from_first, median), strict=True):
            assert (got is None) == (want is None), key
            if want is not None:
                assert got == pytest.approx(want, abs=1e-6), key
