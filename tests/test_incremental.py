"""Incremental runs over data delivered in batches give the same marts as one full refresh, on every engine."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from journeys_tools.generator import GeneratedData
from tests.conftest import BuiltProject

BATCHES = 3
BATCH_VARS = {"journeys__segment_schema": "segment_batches", "journeys__snowplow_schema": "atomic_batches"}
# the marts, and the stream and quarantine the screening now builds incrementally too
COMPARED_MODELS = {
    "int_events_validated": "*",
    "int_events_quarantined": "*",
    "fct_events": "event_id, session_id, person_id, device_key, event_at, loaded_at, event_name, revenue",
    "fct_sessions": "*",
    "fct_page_views": "*",
    "dim_persons": "*",
    "bridge_person_identifiers": "*",
}


def load_time_cuts(data: GeneratedData) -> list[dt.datetime]:
    """Load times splitting the raw event rows into equal batches (the last cut lies past every row)."""
    loaded = sorted(t for t in data.truth["events"].column("loaded_at").to_pylist() if t is not None)
    cuts = [loaded[len(loaded) * k // BATCHES] for k in range(1, BATCHES)]
    return [*cuts, loaded[-1] + dt.timedelta(days=1)]


def batch_of(data: GeneratedData, lower: dt.datetime | None, upper: dt.datetime) -> dict[str, dict[str, pa.Table]]:
    """The raw rows loaded in [lower, upper): Segment by uuid_ts, Snowplow by load_tstamp (text)."""

    def in_window(values: pa.ChunkedArray) -> pa.ChunkedArray:
        keep = pc.less(values, pa.scalar(upper, values.type))
        if lower is not None:
            keep = pc.and_(keep, pc.greater_equal(values, pa.scalar(lower, values.type)))
        # rows without a load time travel with the first batch
        return pc.fill_null(keep, lower is None)

    segment = {name: table.filter(in_window(table["uuid_ts"])) for name, table in data.segment.items()}
    events = data.snowplow["events"]
    text = "%Y-%m-%d %H:%M:%S.%f"
    load_text = pc.coalesce(events["load_tstamp"], events["collector_tstamp"])
    keep = pc.less(load_text, upper.strftime(text)[:-3])
    if lower is not None:
        keep = pc.and_(keep, pc.greater_equal(load_text, lower.strftime(text)[:-3]))
    events = events.filter(pc.fill_null(keep, lower is None))
    context = data.snowplow["com_iab_snowplow_spiders_and_robots_1"]
    context = context.filter(pc.is_in(context["root_id"], value_set=events["event_id"]))
    return {
        "segment_batches": segment,
        "atomic_batches": {"events": events, "com_iab_snowplow_spiders_and_robots_1": context},
    }


@pytest.fixture(scope="module")
def incremental_build(built: BuiltProject, generated_data: GeneratedData) -> BuiltProject:
    cuts = load_time_cuts(generated_data)
    built.use_schema("journeys_incremental")
    try:
        lower = None
        for index, upper in enumerate(cuts):
            tables = batch_of(generated_data, lower, upper)
            built.warehouse.load_schemas(tables, append=index > 0)
            built.dbt.invoke(["build", "--exclude", "test_type:unit"], BATCH_VARS)
            lower = upper
    finally:
        built.use_schema("journeys")
    return built


def test_batches_split_the_raw_rows_without_loss(generated_data: GeneratedData):
    cuts = load_time_cuts(generated_data)
    lower = None
    totals: dict[str, int] = {}
    for upper in cuts:
        for schema, tables in batch_of(generated_data, lower, upper).items():
            for name, table in tables.items():
                totals[f"{schema}.{name}"] = totals.get(f"{schema}.{name}", 0) + table.num_rows
        lower = upper
    assert totals["atomic_batches.events"] == generated_data.snowplow["events"].num_rows
    for name, table in generated_data.segment.items():
        assert totals[f"segment_batches.{name}"] == table.num_rows


@pytest.mark.parametrize("model", list(COMPARED_MODELS))
def test_incremental_batches_equal_one_full_refresh(incremental_build: BuiltProject, model: str):
    columns = COMPARED_MODELS[model]
    full = f"select {columns} from journeys.{model}"
    incremental = f"select {columns} from journeys_incremental.{model}"
    full_rows, incremental_rows, only_full, only_incremental = incremental_build.compare(full, incremental)
    assert full_rows > 0
    assert (full_rows, only_full, only_incremental) == (incremental_rows, 0, 0)
