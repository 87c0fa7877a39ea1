"""The reports (rpt_ models) recomputed in Python from the marts they summarise, read back, on every engine."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import yaml

from journeys_tools.project import DbtFailure
from tests.conftest import REPO_ROOT, BuiltProject
from tests.conftest import close as numbers_close

VARS = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
LIFECYCLE_STATUSES = ("new", "returning", "resurrecting", "dormant")


def week_of(moment: datetime | date) -> date:
    """The Monday of the (UTC) week."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def close(actual: float | None, expected: float | None) -> bool:
    """Equal, up to a 4-byte float (the project's float type on DuckDB and Spark)."""
    return numbers_close(actual, expected, 1e-6, absolute=1e-9)


def transformed(steps: list[str], transform: str, n: int, removed: str | None) -> list[str]:
    """A path after the path transform, as macros/paths/path_transform.sql defines it."""
    if removed is not None and any(step != removed for step in steps):
        steps = [step for step in steps if step != removed]
    if transform == "collapse_repeats":
        return [step for index, step in enumerate(steps) if index == 0 or step != steps[index - 1]]
    if transform == "unique":
        return list(dict.fromkeys(steps))
    if transform == "first_n":
        return steps[:n]
    if transform == "last_n":
        return steps[-n:]
    return steps


def test_path_transforms_in_python_follow_the_macro_s_definition():
    path = ["Email", "Email", "Direct", "Email", "Direct"]
    assert transformed(path, "collapse_repeats", 2, None) == ["Email", "Direct", "Email", "Direct"]
    assert transformed(path, "unique", 2, None) == ["Email", "Direct"]
    assert transformed(path, "last_n", 2, "Direct") == ["Email", "Email"]
    assert transformed(["Direct", "Direct"], "collapse_repeats", 2, "Direct") == ["Direct"]


def signup_times(built: BuiltProject) -> dict[str, datetime]:
    rows = built.rows(
        "select person_id, converted_at from journeys.fct_conversions where is_signup and is_first_of_person"
    )
    return dict(rows)


def expected_signup_paths(built: BuiltProject) -> dict[tuple[str, str, int], tuple[int, int]]:
    """(path type, path, dropped steps) -> (persons, signups), from the sessions that started at or before each
    person's signup (every session without one)."""
    signed_up_at = signup_times(built)
    sessions: dict[str, list[tuple[datetime, str, str, str]]] = defaultdict(list)
    for person, session, started_at, channel, landing_page in built.rows(
        "select person_id, session_id, started_at, channel, landing_page_path from journeys.fct_sessions"
    ):
        if person not in signed_up_at or started_at <= signed_up_at[person]:
            sessions[person].append((started_at, session, channel, landing_page or "(none)"))
    transform, n = VARS["journeys__path_transform"], VARS["journeys__path_transform_n"]
    max_steps = VARS["journeys__path_max_steps"]
    counts: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for person, steps in sessions.items():
        steps.sort()
        for path_type, column, removed in (
            ("channel", 2, VARS["journeys__path_removed_channel"]),
            ("landing_page", 3, None),
        ):
            path = transformed([step[column] for step in steps], transform, n, removed)
            key = (path_type, " > ".join(path[-max_steps:]), max(len(path) - max_steps, 0))
            counts[key][0] += 1
            counts[key][1] += person in signed_up_at
    return {key: (persons, signups) for key, (persons, signups) in counts.items()}


def test_signup_paths_are_the_top_paths_recomputed_from_sessions_and_signups(built: BuiltProject):
    expected = expected_signup_paths(built)
    report = built.rows(
        "select path_type, path_rank, path, path_dropped_steps, persons, signups, signup_rate, share_of_persons "
        "from journeys.rpt_signup_paths"
    )
    top = VARS["journeys__top_paths"]
    for path_type in ("channel", "landing_page"):
        paths = {key: value for key, value in expected.items() if key[0] == path_type}
        all_persons = sum(persons for persons, _ in paths.values())
        rows = sorted((row for row in report if row[0] == path_type), key=lambda row: row[1])
        assert [row[1] for row in rows] == list(range(1, min(top, len(paths)) + 1))
        for _, _, path, dropped, persons, signups, signup_rate, share in rows:
            assert (persons, signups) == paths[(path_type, path, dropped)], path
            assert close(signup_rate, signups / persons)
            assert close(share, persons / all_persons)

        # ranked by persons, then signups, then fewer dropped steps (then the path, in the engine's collation)
        def order(persons: int, signups: int, dropped: int) -> tuple[int, int, int]:
            return (-persons, -signups, dropped)

        ranks = [order(row[4], row[5], row[3]) for row in rows]
        assert ranks == sorted(ranks)
        cutoff = ranks[-1]
        better = {key for key, (persons, signups) in paths.items() if order(persons, signups, key[2]) < cutoff}
        assert better <= {(path_type, row[2], row[3]) for row in rows}


def test_signup_conversion_by_channel_is_recomputed_from_the_signup_journeys(built: BuiltProject):
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for first_seen_at, channel, source, medium, is_signed_up, days in built.rows(
        "select first_seen_at, first_touch_channel, first_touch_source, first_touch_medium, is_signed_up, "
        "days_to_signup from journeys.fct_signup_journeys where first_seen_at is not null"
    ):
        groups[(week_of(first_seen_at), channel, source, medium)].append((is_signed_up, days))
    report = {
        tuple(row[:4]): row[4:]
        for row in built.rows(
            "select first_seen_week, channel, source, medium, visitors, signups, signup_rate, median_days_to_signup "
            "from journeys.rpt_signup_conversion_by_channel"
        )
    }
    assert set(report) == set(groups)
    assert sum(row[1] for row in report.values()) > 0
    for key, persons in groups.items():
        days = [float(d) for signed_up, d in persons if signed_up]
        visitors, signups, signup_rate, median_days = report[key]
        assert (visitors, signups) == (len(persons), len(days)), key
        assert close(signup_rate, len(days) / len(persons)), key
        assert close(median_days, statistics.median(days) if days else None), key


def expected_retention(built: BuiltProject, weeks_after: int) -> dict[str, tuple[int, int | None]]:
    """retention_row_id -> (persons, cohort persons), worked from the signups and the sessions."""
    signup_week = {
        person: week_of(signed_up_at)
        for person, signed_up_at in built.rows(
            "select person_id, signed_up_at from journeys.fct_signup_journeys where is_signed_up"
        )
    }
    session_weeks = [
        (person, week_of(started_at))
        for person, started_at in built.rows("select person_id, started_at from journeys.fct_sessions")
    ]
    first_week = min(signup_week.values())
    last_week = max(max(week for _, week in session_weeks), max(signup_week.values()))
    active: dict[str, set[date]] = {person: {week} for person, week in signup_week.items()}
    for person, week in session_weeks:
        if person in signup_week and week >= signup_week[person]:
            active[person].add(week)

    expected: dict[str, tuple[int, int | None]] = {}
    cohorts: dict[date, list[str]] = defaultdict(list)
    for person, week in signup_week.items():
        cohorts[week].append(person)
    for cohort_week, persons in cohorts.items():
        for offset in range(weeks_after + 1):
            week = cohort_week + timedelta(weeks=offset)
            if week <= last_week:
                count = sum(week in active[person] for person in persons)
                expected[f"cohort:{cohort_week}:{offset}"] = (count, len(persons))
    week = first_week
    while week <= last_week:
        counts = dict.fromkeys(LIFECYCLE_STATUSES, 0)
        for person, weeks in active.items():
            if signup_week[person] == week:
                counts["new"] += 1
            elif week in weeks:
                before = week - timedelta(weeks=1)
                counts["returning" if before in weeks else "resurrecting"] += 1
            elif week - timedelta(weeks=1) in weeks:
                counts["dormant"] += 1
        for status, count in counts.items():
            expected[f"lifecycle:{week}:{status}"] = (count, None)
        week += timedelta(weeks=1)
    return expected


def test_retention_cohorts_and_lifecycle_are_recomputed_from_signups_and_sessions(built: BuiltProject):
    expected = expected_retention(built, VARS["journeys__retention_weeks"])
    report = {
        row_id: (persons, cohort_persons, share)
        for row_id, persons, cohort_persons, share in built.rows(
            "select retention_row_id, persons, cohort_persons, active_share from journeys.rpt_retention_weekly"
        )
    }
    assert set(report) == set(expected)
    assert any(persons for row_id, (persons, _) in expected.items() if row_id.endswith(":returning"))
    for row_id, (persons, cohort_persons) in expected.items():
        assert report[row_id][:2] == (persons, cohort_persons), row_id
        assert close(report[row_id][2], persons / cohort_persons if cohort_persons else None), row_id


@pytest.mark.parametrize("model", ["rpt_signup_paths", "rpt_signup_conversion_by_channel", "rpt_retention_weekly"])
def test_reports_are_not_empty(built: BuiltProject, model: str):
    assert built.rows(f"select count(*) from journeys.{model}")[0][0] > 0


def test_analyses_compile_and_answer_on_the_engine(built: BuiltProject):
    built.dbt.invoke(["compile", "--select", "resource_type:analysis"])
    compiled = built.dbt.project_dir / "target" / "compiled" / "journeys" / "analyses"
    queries = {path.stem: path.read_text() for path in compiled.glob("*.sql")}
    assert {
        "visits_before_first_order",
        "last_touch_landing_pages_before_signup",
        "between_signup_and_first_order",
    } <= set(queries)
    for name, sql in queries.items():
        assert built.rows(sql), f"analysis {name} returned no row"


def test_demo_summary_prints_the_journey_reports(built: BuiltProject):
    from journeys_tools.summary import built_models, journey_reports

    relations = {model: relation for _, model, relation in built_models(built.dbt.project_dir)}
    summary = "\n".join(journey_reports(relations, built.warehouse))
    assert "Visit-to-registration by first-touch channel" in summary
    assert "Top signup paths: channels before signup" in summary
    assert "Top signup paths: landing pages before signup" in summary


@pytest.mark.parametrize(
    ("model", "name", "value"),
    [
        ("rpt_signup_paths", "journeys__path_transform", "collapse"),
        ("rpt_signup_paths", "journeys__path_transform_n", 0),
        ("rpt_signup_paths", "journeys__path_removed_channel", 5),
        ("rpt_signup_paths", "journeys__top_paths", "ten"),
        ("rpt_retention_weekly", "journeys__retention_weeks", -1),
    ],
)
def test_a_bad_report_var_stops_the_run_naming_it(built_duckdb: BuiltProject, model: str, name: str, value: object):
    with pytest.raises(DbtFailure) as failure:
        built_duckdb.dbt.invoke(["compile", "--select", model], {name: value})
    assert f"var {name} is '{value}'" in str(failure.value)
