"""A Snowplow events table with typed columns (timestamps, numbers, booleans), as a warehouse loader creates it,
gives the same stream as the same rows landed as text, on every engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pytest

from tests.conftest import BuiltProject

TYPED_SCHEMA = "atomic_typed"
TYPED_VARS = {"journeys__segment_enabled": False, "journeys__snowplow_schema": TYPED_SCHEMA}
# a typed table cannot hold an unparseable time: the rows the text table has one in are left out of both sides
TIMES_THAT_DECIDE_THE_EVENT = ("derived_tstamp", "collector_tstamp", "load_tstamp")
INTEGER_COLUMNS = {"domain_sessionidx", "page_urlport", "doc_width", "doc_height", "br_viewwidth", "br_viewheight"}
NUMBER_COLUMNS = {"se_value", "tr_total"}
STREAM_COLUMNS = (
    "event_id, source, source_table, event_at, loaded_at, device_id, user_id, tracker_session_id, "
    "tracker_page_view_id, event_type, "
    "event_name, page_url, page_path, page_title, referrer_url, referrer_host, utm_source, utm_medium, "
    "utm_campaign, utm_term, utm_content, click_id, click_id_type, device_class, country, revenue, "
    "scroll_depth_percent, is_bot"
)


def parse_time(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC) if text else None
    except ValueError:
        return None


def parse_with(parse: Callable[[str], Any]) -> Callable[[str | None], Any]:
    def parsed(text: str | None) -> Any:
        return parse(text) if text not in (None, "") else None

    return parsed


def column_type(name: str) -> tuple[pa.DataType, Callable[[str | None], Any]] | None:
    """The type a loader gives a Snowplow column, and how its text reads as that type (None: stays text)."""
    if name.endswith("_tstamp"):
        return pa.timestamp("us", tz="UTC"), parse_time
    if name in INTEGER_COLUMNS or name.startswith("pp_"):
        return pa.int64(), parse_with(int)
    if name in NUMBER_COLUMNS:
        return pa.float64(), parse_with(float)
    if name == "spiderorrobot":
        return pa.bool_(), parse_with(lambda text: text == "true")
    return None


def typed(table: pa.Table) -> pa.Table:
    columns = {}
    for name in table.column_names:
        values = table[name].to_pylist()
        typing = column_type(name)
        columns[name] = pa.array(values, pa.string()) if typing is None else pa.array(map(typing[1], values), typing[0])
    return pa.table(columns)


def with_parseable_times(events: pa.Table) -> pa.Table:
    keep = [
        all(text is None or parse_time(text) is not None for text in texts)
        for texts in zip(*(events[name].to_pylist() for name in TIMES_THAT_DECIDE_THE_EVENT), strict=True)
    ]
    return events.filter(pa.array(keep))


@pytest.fixture(scope="module")
def typed_build(built: BuiltProject) -> BuiltProject:
    events = with_parseable_times(built.data.snowplow["events"])
    contexts = {name: typed(table) for name, table in built.data.snowplow.items() if name != "events"}
    built.warehouse.load_schemas(
        {
            TYPED_SCHEMA: {"events": typed(events), **contexts},
            "atomic_parseable_text": {"events": events},
        }
    )
    built.use_schema("journeys_typed")
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
            TYPED_VARS,
        )
    finally:
        built.use_schema("journeys")
    return built


def test_typed_snowplow_columns_give_the_stream_of_the_text_ones(typed_build: BuiltProject):
    event_ids = "select event_id from atomic_parseable_text.events"
    text_stream = (
        f"select {STREAM_COLUMNS} from journeys.int_events_validated "
        f"where source = 'snowplow' and event_id in ({event_ids})"
    )
    typed_stream = f"select {STREAM_COLUMNS} from journeys_typed.int_events_validated"
    text_rows, typed_rows, only_text, only_typed = typed_build.compare(text_stream, typed_stream)
    assert text_rows > 0
    assert (typed_rows, only_text, only_typed) == (text_rows, 0, 0)
