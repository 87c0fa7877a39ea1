"""Raw tables as real trackers leave them, on every engine: Segment without the tables of calls never tracked
(they read as empty, with one log line each), and Snowplow page view ids from the web_page context column and
context table, worked by hand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pytest
from dbt.cli.main import dbtRunner

from journeys_tools.project import DbtFailure, describe_failure
from tests.conftest import BuiltProject

ABSENT_SEGMENT_TABLES = {
    "aliases": "the first alias call",
    "order_completed": "the first Order Completed event",
    "experiment_viewed": "the first Experiment Viewed event",
    "signed_up": "the first Signed Up event",
    # the per-event tables var journeys__segment_property_columns names
    "project_created": "the first such event",
    "video_rendered": "the first such event",
    "video_shared": "the first such event",
}


def invoke_with_log(built: BuiltProject, args: list[str], variables: Mapping[str, Any]) -> list[str]:
    """Run dbt like DbtProject.invoke and return the lines the project's macros logged (`log(..., info=true)`)."""
    lines: list[str] = []

    def collect(event: Any) -> None:
        if event.info.name == "JinjaLogInfo":
            lines.append(event.data.msg)

    project = built.dbt
    result = dbtRunner(callbacks=[collect]).invoke(
        [
            *args,
            "--project-dir",
            str(project.project_dir),
            "--profiles-dir",
            str(project.profiles_dir),
            "--target",
            project.target,
            "--vars",
            json.dumps(dict(variables)),
        ]
    )
    if not result.success:
        raise DbtFailure(describe_failure(args, result))
    return lines


def segment_rows(table: str, event_id: str, extra: Mapping[str, pa.Array] | None = None) -> pa.Table:
    """One call of a fresh Segment source: only the columns its loader has created so far."""
    columns: dict[str, pa.Array] = {
        "id": pa.array([event_id]),
        "anonymous_id": pa.array(["a1"]),
        "user_id": pa.array([None], pa.string()),
        "timestamp": pa.array([dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC")),
        "received_at": pa.array([dt.datetime(2026, 1, 5, 10, 1, tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC")),
        "context_page_url": pa.array([f"https://example.com/{table}"]),
    }
    columns.update(extra or {})
    return pa.table(columns)


@pytest.fixture(scope="module")
def fresh_segment(built: BuiltProject) -> tuple[BuiltProject, list[str]]:
    """A Segment source that has tracked a page view, one event and an identify call, and nothing else: no
    aliases, no spec table. Built into schema journeys_fresh; the macros' log lines of that build."""
    built.warehouse.load_tables(
        "segment_fresh",
        {
            "pages": segment_rows("pages", "p1"),
            "tracks": segment_rows("tracks", "t1", {"event": pa.array(["order_completed"])}),
            "identifies": segment_rows("identifies", "i1"),
        },
    )
    built.use_schema("journeys_fresh")
    try:
        lines = invoke_with_log(
            built,
            [
                "build",
                "--select",
                "quarantine_reasons",
                "+int_events_validated",
                "+int_events_quarantined",
                "stg_segment__aliases",
                "stg_segment__signed_up",
                "stg_segment__experiment_viewed",
                # not the identity models' tests of the aliases
                "--indirect-selection",
                "cautious",
            ],
            {"journeys__segment_schema": "segment_fresh", "journeys__snowplow_enabled": False},
        )
    finally:
        built.use_schema("journeys")
    return built, lines


def test_absent_segment_tables_each_log_one_line_saying_they_read_as_empty(
    fresh_segment: tuple[BuiltProject, list[str]],
):
    _, lines = fresh_segment
    for table, first_call in ABSENT_SEGMENT_TABLES.items():
        expected = (
            f"journeys: segment.{table} (segment_fresh.{table}) is absent: Segment creates it when {first_call} "
            "is tracked; reading it as empty."
        )
        assert lines.count(expected) == 1, (table, [line for line in lines if line.startswith("journeys:")])
    assert len([line for line in lines if line.startswith("journeys:")]) == len(ABSENT_SEGMENT_TABLES)


def test_absent_segment_tables_read_as_empty_typed_tables(fresh_segment: tuple[BuiltProject, list[str]]):
    built, _ = fresh_segment
    rows = built.rows(
        "select (select count(*) from journeys_fresh.stg_segment__aliases), "
        "(select count(*) from journeys_fresh.stg_segment__signed_up), "
        "(select count(*) from journeys_fresh.stg_segment__experiment_viewed), "
        # typed: a sum of revenue and a max of a timestamp are valid on every engine
        "(select coalesce(sum(revenue), 0) from journeys_fresh.stg_segment__order_completed), "
        "(select max(aliased_at) from journeys_fresh.stg_segment__aliases)"
    )
    count_aliases, count_signups, count_exposures, revenue, latest_alias = rows[0]
    assert (count_aliases, count_signups, count_exposures, float(revenue), latest_alias) == (0, 0, 0, 0.0, None)


def test_fresh_segment_source_streams_its_events_without_revenue(fresh_segment: tuple[BuiltProject, list[str]]):
    built, _ = fresh_segment
    rows = built.rows(
        "select source_table, event_id, event_name, revenue, tracker_page_view_id "
        "from journeys_fresh.int_events_validated order by event_id"
    )
    assert rows == [
        ("identifies", "i1", "identify", None, None),
        ("pages", "p1", "page_view", None, None),
        ("tracks", "t1", "order_completed", None, None),
    ]


# Snowplow events as a loader that keeps contexts as JSON columns writes them (text), with a shredded web_page
# context table beside them. (event_id, event, JSON context, context table id, doc_height, br_viewheight,
# pp_yoffset_max) -> expected (tracker_page_view_id, scroll_depth_percent)
PAGE_VIEW_CASES: list[tuple[tuple[str, str, str | None, str | None, str, str, str | None], tuple[Any, Any]]] = [
    # a page view with its id in the JSON column; scroll depth 100 x 500 / 2000 from its own heights
    (("v1", "page_view", '[{"id":"A"}]', None, "2000", "500", None), ("A", 25.0)),
    # its ping carries the same id; 100 x (1000 + 500) / 2000
    (("g1", "page_ping", '[{"id":"A"}]', None, "2000", "500", "1000"), ("A", 75.0)),
    # the context table's id wins over a different one in the column
    (("v2", "page_view", '[{"id":"stale"}]', "B", "1000", "1200", None), ("B", 100.0)),
    # an id only in the context table
    (("v3", "page_view", None, "C", "", "500", None), ("C", None)),
    # an event the tracker sent from page B: it carries B too
    (("c1", "unstruct", '[{"id":"B"}]', None, "1000", "1200", None), ("B", None)),
    # no context at all, and a malformed JSON column: no id, no error
    (("c2", "unstruct", None, None, "1000", "1200", None), (None, None)),
    (("c3", "unstruct", '[{"id":', None, "1000", "1200", None), (None, None)),
]


def snowplow_events() -> pa.Table:
    rows = [case[0] for case in PAGE_VIEW_CASES]
    times = [f"2026-01-05 10:00:{second:02d}.000" for second in range(len(rows))]
    return pa.table(
        {
            "event_id": [row[0] for row in rows],
            "event": [row[1] for row in rows],
            "event_name": [None if row[1] == "unstruct" else row[1] for row in rows],
            "domain_userid": ["d1"] * len(rows),
            "user_id": pa.array([None] * len(rows), pa.string()),
            "collector_tstamp": times,
            "derived_tstamp": times,
            "page_url": ["https://example.com/a"] * len(rows),
            "doc_height": [row[4] for row in rows],
            "br_viewheight": [row[5] for row in rows],
            "pp_yoffset_max": pa.array([row[6] for row in rows], pa.string()),
            "contexts_com_snowplowanalytics_snowplow_web_page_1_0_0": pa.array([row[2] for row in rows], pa.string()),
        }
    )


def web_page_context(events: pa.Table) -> pa.Table:
    times = dict(zip(events["event_id"].to_pylist(), events["collector_tstamp"].to_pylist(), strict=True))
    rows = [(case[0][0], case[0][3]) for case in PAGE_VIEW_CASES if case[0][3] is not None]
    return pa.table(
        {
            "root_id": [event_id for event_id, _ in rows],
            "root_tstamp": [times[event_id] for event_id, _ in rows],
            "id": [page_view_id for _, page_view_id in rows],
        }
    )


def test_page_view_ids_come_from_the_context_table_else_the_json_column(built: BuiltProject):
    events = snowplow_events()
    built.warehouse.load_tables("atomic_page_views", {"events": events, "web_page": web_page_context(events)})
    built.use_schema("journeys_page_views")
    try:
        built.dbt.invoke(
            [
                "build",
                "--select",
                "quarantine_reasons",
                "+int_events_validated",
                "+int_events_quarantined",
                "--exclude",
                "test_type:unit",
            ],
            {
                "journeys__segment_enabled": False,
                "journeys__snowplow_schema": "atomic_page_views",
                "journeys__snowplow_web_page_context_table": "web_page",
            },
        )
    finally:
        built.use_schema("journeys")
    rows = built.rows(
        "select event_id, tracker_page_view_id, scroll_depth_percent from journeys_page_views.int_events_validated"
    )
    actual = {
        event_id: (page_view_id, None if depth is None else round(float(depth), 6))
        for event_id, page_view_id, depth in rows
    }
    assert actual == {case[0][0]: case[1] for case in PAGE_VIEW_CASES}
