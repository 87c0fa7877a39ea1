"""The benchmark: the load-time split, and one tiny DuckDB run end to end (no assertions on speed)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from journeys_tools.benchmark import (
    HEADERS,
    RAW_EVENT_TABLES,
    README_END,
    README_START,
    SPIDER_CONTEXT_TABLE,
    failure_summary,
    load_times_us,
    raw_event_rows,
    run_benchmark,
    split_by_load_time,
    update_readme,
)
from journeys_tools.generator import GeneratedData, GeneratorConfig, generate

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_data() -> GeneratedData:
    return generate(GeneratorConfig(seed=11, events=20_000))


def _schemas(data: GeneratedData) -> dict[str, dict[str, pa.Table]]:
    return {"segment": dict(data.segment), "atomic": dict(data.snowplow)}


def test_split_puts_the_latest_one_percent_of_raw_events_in_the_increment(small_data: GeneratedData) -> None:
    initial, increment = split_by_load_time(_schemas(small_data))
    total = raw_event_rows(initial) + raw_event_rows(increment)
    assert total == small_data.truth["events"].num_rows
    assert 0.009 <= raw_event_rows(increment) / total <= 0.011

    for schema, names in RAW_EVENT_TABLES.items():
        for name in names:
            source = _schemas(small_data)[schema][name]
            early, late = initial[schema][name], increment[schema][name]
            # every raw row in exactly one part: the parts together are the table's rows, as a multiset
            assert early.num_rows + late.num_rows == source.num_rows
            assert (
                pa.concat_tables([early, late]).sort_by(_sort_keys(source)).equals(source.sort_by(_sort_keys(source)))
            )
            if late.num_rows and early.num_rows:
                assert load_times_us(early).max() < load_times_us(late).min()


def test_split_keeps_each_context_row_with_its_event_row(small_data: GeneratedData) -> None:
    initial, increment = split_by_load_time(_schemas(small_data))
    for part in (initial, increment):
        events, context = part["atomic"]["events"], part["atomic"][SPIDER_CONTEXT_TABLE]
        ids = events.column("event_id")
        with_id = ids.filter(pc.fill_null(pc.not_equal(ids, ""), False))
        assert with_id.equals(context.column("root_id"))
    # the Segment tables that describe tracks are split by their own load time, like the tracks
    for name in ("order_completed", "experiment_viewed", "signed_up"):
        late_ids = set(increment["segment"][name].column("id").to_pylist())
        assert late_ids <= set(increment["segment"]["tracks"].column("id").to_pylist())


def _sort_keys(table: pa.Table) -> list[tuple[str, str]]:
    return [(name, "ascending") for name in table.column_names]


def test_text_load_times_parse_and_unreadable_ones_load_first() -> None:
    table = pa.table({"load_tstamp": ["2026-01-05 00:00:01.500", None, "garbage"], "collector_tstamp": [None] * 3})
    times = load_times_us(table)
    assert times[0] == 1_767_571_201_500_000
    assert times[1] == times[2] == np.iinfo(np.int64).min


def test_failure_summary_is_one_line_from_the_tooling_message() -> None:
    log = "progress\njourneys: dbt build failed:\n  model.journeys.x: error: boom\n  more\n"
    assert failure_summary(log) == "dbt build failed: model.journeys.x: error: boom"
    assert failure_summary("Traceback\n  ...\nValueError: bad\n") == "ValueError: bad"


def test_readme_section_is_replaced_between_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{README_START}\n## Benchmark\n\nprose\n{README_END}\n")
    update_readme(readme, "table one")
    update_readme(readme, "table two")
    text = readme.read_text()
    assert "prose" in text and "table two" in text and "table one" not in text
    assert text.count(README_START) == text.count(README_END) == 1


def test_tiny_duckdb_benchmark_writes_one_row(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    say = io.StringIO()
    rows = run_benchmark(
        engines=["duckdb"],
        sizes=[3000],
        spark_sizes=[],
        seed=5,
        output=output,
        project_dir=REPO_ROOT,
        bench_dir=tmp_path / "bench",
        say=say,
    )
    assert len(rows) == 1
    row = rows[0]
    assert row.notes == "", row.notes
    assert row.full_s and row.full_s > 0 and row.incremental_s and row.incremental_s > 0
    assert row.floor_s and row.floor_s > 0
    assert row.stream_rows and 0 < row.stream_rows <= (row.raw_events or 0)
    assert row.dbt_peak_mb and row.dbt_peak_mb > 0 and row.server_peak_mb is None

    table_lines = [line for line in output.read_text().splitlines() if line.startswith("|")]
    assert table_lines[0] == "| " + " | ".join(HEADERS) + " |"
    data_lines = table_lines[2:]
    assert len(data_lines) == 1
    cells = dict(zip(HEADERS, (cell.strip() for cell in data_lines[0].strip("|").split("|")), strict=True))
    assert cells["engine"] == "duckdb" and cells["size"] == "3000"
    for column in ("full build s", "incremental s", "floor s", "full/floor"):
        assert float(cells[column]) > 0, column
    assert "duckdb" in say.getvalue()
