"""The benchmark: the load-time split, the node-cost report, and one tiny DuckDB run end to end (no
assertions on speed)."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from journeys_tools.benchmark import parse_sizes, run_benchmark
from journeys_tools.benchmark.data import part_files, write_tables
from journeys_tools.benchmark.measure import failure_summary
from journeys_tools.benchmark.nodes import (
    BuildNodes,
    NodeTime,
    group_markdown_table,
    markdown_table,
    node_name,
    read_run_results,
    text_table,
)
from journeys_tools.benchmark.report import (
    HEADERS,
    README_END,
    README_START,
    BenchRow,
    git_commit,
    merge_rows,
    read_rows,
    rows_path,
    update_readme,
    write_results,
)
from journeys_tools.benchmark.runner import prepared_manifest
from journeys_tools.benchmark.split import (
    NO_LOAD_TIME,
    RAW_EVENT_TABLES,
    equal_cuts,
    load_times_us,
    raw_event_rows,
    split_by_load_time,
    split_into_batches,
)
from journeys_tools.generator import SEGMENT_TABLES, SNOWPLOW_TABLES, GeneratedData, GeneratorConfig, generate
from journeys_tools.warehouse import Warehouse

REPO_ROOT = Path(__file__).resolve().parent.parent
SPIDER_CONTEXT_TABLE = "com_iab_snowplow_spiders_and_robots_1"


@pytest.fixture(scope="module")
def small_data() -> GeneratedData:
    return generate(GeneratorConfig(seed=11, events=20_000))


def _schemas(data: GeneratedData) -> dict[str, dict[str, pa.Table]]:
    return {"segment": dict(data.segment), "atomic": dict(data.snowplow)}


def _sort_keys(table: pa.Table) -> list[tuple[str, str]]:
    return [(name, "ascending") for name in table.column_names]


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
    contexts = [name for name, table in small_data.snowplow.items() if "root_id" in table.column_names]
    assert SPIDER_CONTEXT_TABLE in contexts and len(contexts) >= 2
    for part in (initial, increment):
        events = part["atomic"]["events"]
        ids = events.column("event_id")
        with_id = ids.filter(pc.fill_null(pc.not_equal(ids, ""), False))
        # the spiders context has one row per event with an id, in the same order
        assert with_id.equals(part["atomic"][SPIDER_CONTEXT_TABLE].column("root_id"))
        for name in contexts:
            assert set(part["atomic"][name].column("root_id").to_pylist()) <= set(with_id.to_pylist()), name
    # the Segment tables that describe tracks are split by their own load time, like the tracks
    for name in ("order_completed", "experiment_viewed", "signed_up"):
        late_ids = set(increment["segment"][name].column("id").to_pylist())
        assert late_ids <= set(increment["segment"]["tracks"].column("id").to_pylist())


def test_equal_batches_deal_the_raw_events_in_thirds_by_load_time(small_data: GeneratedData) -> None:
    batches = split_into_batches(_schemas(small_data), equal_cuts(_schemas(small_data), 3))
    sizes = [raw_event_rows(batch) for batch in batches]
    total = small_data.truth["events"].num_rows
    assert sum(sizes) == total
    assert all(abs(size - total / 3) <= 0.01 * total for size in sizes), sizes
    # load times never go back from one batch to the next, table by table
    for schema, names in RAW_EVENT_TABLES.items():
        for name in names:
            times = [load_times_us(batch[schema][name]) for batch in batches]
            for earlier, later in itertools.pairwise(times):
                readable = earlier[earlier != NO_LOAD_TIME]
                assert readable.max() < later.min()


def test_a_context_row_whose_order_differs_follows_its_event_by_id() -> None:
    events = pa.table(
        {"event_id": ["a", "b", "c"], "load_tstamp": ["2026-01-01 00:00:00", "2026-01-02 00:00:00", None]}
    )
    events = events.append_column("collector_tstamp", pa.array(["2026-01-03 00:00:00"] * 3))
    # two rows for "b", none for "c", and an id no event has: the row-for-row path cannot apply
    context = pa.table({"root_id": ["b", "a", "b", "x"], "root_tstamp": ["2026-01-01 00:00:00"] * 4})
    cut = 1_767_312_000_000_000  # 2026-01-02 00:00:00 UTC
    first, second = split_into_batches({"atomic": {"events": events, "ctx": context}}, [cut])
    assert first["atomic"]["events"].column("event_id").to_pylist() == ["a"]
    assert second["atomic"]["events"].column("event_id").to_pylist() == ["b", "c"]
    assert first["atomic"]["ctx"].column("root_id").to_pylist() == ["a", "x"]
    assert second["atomic"]["ctx"].column("root_id").to_pylist() == ["b", "b"]


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


def test_the_event_tables_are_raw_tables_the_generator_writes() -> None:
    assert set(RAW_EVENT_TABLES["segment"]) <= set(SEGMENT_TABLES)
    assert set(RAW_EVENT_TABLES["atomic"]) <= set(SNOWPLOW_TABLES)
    assert SPIDER_CONTEXT_TABLE in SNOWPLOW_TABLES


def test_sizes_take_underscores_and_a_hundred_million() -> None:
    assert parse_sizes("1_000_000, 100000000") == [1_000_000, 100_000_000]
    with pytest.raises(ValueError, match="positive"):
        parse_sizes("0")


def _table_cells(text: str) -> list[dict[str, str]]:
    """The rows of the first Markdown table in `text` whose header is HEADERS, as {header: cell}."""
    lines = [line for line in text.split("## The costliest")[0].splitlines() if line.startswith("|")]
    assert lines[0] == "| " + " | ".join(HEADERS) + " |"
    return [
        dict(zip(HEADERS, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in lines[2:]
    ]


def test_a_run_keeps_the_earlier_rows_of_the_engines_and_sizes_it_did_not_measure(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    nodes_of = BuildNodes((NodeTime("int_events_screened", "model", 4.5),), 9.0)
    earlier = [
        BenchRow("duckdb", 1000, full_s=10.0, floor_s=1.0, run="run A", builds={"full": nodes_of}),
        BenchRow("postgres", 1000, full_s=20.0, floor_s=2.0, run="run A"),
        BenchRow("duckdb", 100, full_s=5.0, floor_s=0.5, run="run A"),
    ]
    write_results(output, earlier, seed=1, chunk_events=10)
    assert read_rows(rows_path(output)) == earlier  # the rows survive the round trip through results.json

    measured = [BenchRow("duckdb", 1000, full_s=8.0, floor_s=1.0, warehouse_gb=1.25, run="run B")]
    merged = merge_rows(read_rows(rows_path(output)), measured)
    # sizes ascending, then the engines in the order of ENGINES; the measured row replaces the earlier one
    assert [(row.engine, row.size, row.run) for row in merged] == [
        ("duckdb", 100, "run A"),
        ("postgres", 1000, "run A"),
        ("duckdb", 1000, "run B"),
    ]
    write_results(output, merged, seed=1, chunk_events=10)
    text = output.read_text()
    cells = _table_cells(text)
    assert [(row["engine"], row["size"], row["run"]) for row in cells] == [
        ("duckdb", "100", "1"),
        ("postgres", "1000", "1"),
        ("duckdb", "1000", "2"),
    ]
    assert cells[2]["full/floor"] == "8.0" and cells[2]["warehouse GB"] == "1.2"
    assert "1. run A" in text and "2. run B" in text


def test_the_commit_of_a_run_ignores_the_outputs_of_earlier_runs(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True)

    git("init", "-q")
    (tmp_path / "benchmarks").mkdir()
    for name in ("README.md", "benchmarks/results.md", "dbt_project.yml"):
        (tmp_path / name).write_text("one\n")
    git("add", ".")
    git("commit", "-q", "-m", "one")
    (tmp_path / "README.md").write_text("a table\n")
    (tmp_path / "benchmarks" / "results.md").write_text("a table\n")
    assert "uncommitted" not in git_commit(tmp_path)
    (tmp_path / "dbt_project.yml").write_text("two\n")
    assert git_commit(tmp_path).endswith(" (with uncommitted changes)")


def test_prepared_data_is_used_again_only_with_the_same_settings_and_both_parts(tmp_path: Path) -> None:
    manifest = {"events": 1010, "seed": 3, "chunk_events": 500, "raw_events": 990}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert prepared_manifest(tmp_path, 1010, 3, 500) is None  # no parts yet
    (tmp_path / "initial").mkdir()
    (tmp_path / "increment").mkdir()
    assert prepared_manifest(tmp_path, 1010, 3, 500) == manifest
    assert prepared_manifest(tmp_path, 1010, 4, 500) is None
    assert prepared_manifest(tmp_path, 1010, 3, 250) is None
    assert prepared_manifest(tmp_path / "absent", 1010, 3, 500) is None


@dataclass
class _RecordingWarehouse(Warehouse):
    """Records what the base class's Parquet load asks of load_schemas."""

    engine: ClassVar[str] = "recording"
    calls: list[tuple[dict[str, dict[str, int]], bool]] = field(default_factory=list)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        return []

    def load_table(self, schema: str, name: str, table: pa.Table, *, append: bool = False) -> None:
        raise AssertionError("load_schemas is recorded instead")

    def load_schemas(self, schemas: Any, *, append: bool = False) -> None:
        counts = {schema: {name: rows.num_rows for name, rows in tables.items()} for schema, tables in schemas.items()}
        self.calls.append((counts, append))


def test_a_part_loads_chunk_by_chunk_creating_each_table_from_its_first_file(tmp_path: Path) -> None:
    for chunk, rows in (("0000", 3), ("0001", 2)):
        write_tables({"atomic": {"events": pa.table({"x": list(range(rows))})}}, tmp_path / "initial" / chunk)
    write_tables({"segment": {"pages": pa.table({"y": [1]})}}, tmp_path / "initial" / "0000")
    files = part_files(tmp_path, "initial")
    assert {key: [path.parent.parent.name for path in paths] for key, paths in files.items()} == {
        ("atomic", "events"): ["0000", "0001"],
        ("segment", "pages"): ["0000"],
    }
    warehouse = _RecordingWarehouse(state_dir=tmp_path)
    warehouse.load_parquet(files)
    assert warehouse.calls == [
        ({"atomic": {"events": 3}, "segment": {"pages": 1}}, False),
        ({"atomic": {"events": 2}}, True),
    ]
    warehouse.calls.clear()
    warehouse.load_parquet(files, append=True)  # the increment: every file is appended
    assert [append for _, append in warehouse.calls] == [True, True]


# ---------------------------------------------------------------------------------------------------
# the node-cost report


def _result(unique_id: str, seconds: float) -> dict[str, Any]:
    return {"unique_id": unique_id, "status": "success", "execution_time": seconds, "timing": [], "message": None}


@pytest.fixture
def run_results(tmp_path: Path) -> Path:
    """A small run_results.json as dbt writes it: twelve nodes of every kind, 100 s of node time."""
    results = [
        _result("model.journeys.int_events_screened", 40.0),
        _result("model.journeys.int_events_sessionized", 20.0),
        _result("test.journeys.unique_fct_events_event_id.0a1b2c3d4e", 10.0),
        _result("model.journeys.fct_events", 8.0),
        _result("model.journeys.fct_sessions", 6.0),
        _result("unit_test.journeys.int_events_sessionized.test_gap_of_exactly_the_timeout", 5.0),
        _result("model.journeys.dim_persons", 4.0),
        _result("seed.journeys.channel_rules", 3.0),
        _result("model.journeys.stg_segment__pages", 2.0),
        _result("test.journeys.not_null_fct_sessions_session_id.ffffffffff", 1.0),
        _result("model.journeys.stg_segment__tracks", 0.6),
        _result("model.journeys.stg_segment__identifies", 0.4),
    ]
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"metadata": {}, "results": results[::-1], "elapsed_time": 61.5, "args": {}}))
    return path


def test_node_report_lists_the_ten_costliest_nodes_with_their_share(run_results: Path) -> None:
    build = read_run_results(run_results)
    assert build.total_s == pytest.approx(100.0) and build.elapsed_s == 61.5
    top = build.costliest()
    assert [node.name for node in top[:3]] == [
        "int_events_screened",
        "int_events_sessionized",
        "unique_fct_events_event_id",
    ]
    assert len(top) == 10 and top[-1].name == "not_null_fct_sessions_session_id"
    assert [node.kind for node in top[:6]] == ["model", "model", "test", "model", "model", "unit test"]
    assert build.share(top[0]) == pytest.approx(0.40)
    assert BuildNodes.from_json(build.to_json()) == build


def test_node_names_drop_the_project_and_a_test_hash() -> None:
    assert node_name("model.journeys.fct_events") == ("fct_events", "model")
    assert node_name("test.journeys.unique_fct_events_event_id.0a1b2c3d4e") == ("unique_fct_events_event_id", "test")
    assert node_name("unit_test.journeys.fct_events.test_x") == ("fct_events.test_x", "unit test")


def test_node_report_renders_as_markdown_and_text(run_results: Path) -> None:
    build = read_run_results(run_results)
    markdown = markdown_table("duckdb 1000000, full build", build).splitlines()
    assert markdown[0] == "**duckdb 1000000, full build: 12 nodes, 100.0 s of node time, dbt elapsed 61.5 s**"
    assert markdown[2] == "| # | node | kind | s | share % |"
    assert markdown[4] == "| 1 | int_events_screened | model | 40.0 | 40.0 |"
    assert len(markdown) == 4 + 10
    text = text_table("duckdb 1000000, full build", build)
    assert "int_events_screened" in text and "stg_segment__identifies" not in text


def test_group_table_shows_every_attribution_model_of_every_build(run_results: Path, tmp_path: Path) -> None:
    full = read_run_results(run_results)
    results = json.loads(run_results.read_text())
    results["results"] += [
        _result("model.journeys.int_attribution_markov_removal_effects", 0.25),
        _result("model.journeys.fct_attribution_credits", 1.5),
        _result("test.journeys.not_null_fct_attribution_credits_credit.0123456789", 9.0),
    ]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(results))
    incremental = read_run_results(other)
    table = group_markdown_table("attribution", [("full", full), ("incremental", incremental)]).splitlines()
    assert table[0] == "| model | full | incremental |"
    # rows by name, blank where a build did not run the model; a data test is not a model
    assert table[2:] == [
        "| fct_attribution_credits |  | 1.5 |",
        "| int_attribution_markov_removal_effects |  | 0.2 |",
        "| all attribution models | 0.0 | 1.8 |",
    ]


# ---------------------------------------------------------------------------------------------------
# the benchmark end to end


def test_tiny_duckdb_benchmark_writes_one_row_and_the_costliest_nodes(tmp_path: Path) -> None:
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
        chunk_events=1500,  # three chunks: the chunked generation and loading of large sizes
        say=say,
    )
    assert len(rows) == 1
    row = rows[0]
    assert row.notes == "", row.notes
    assert row.full_s and row.full_s > 0 and row.incremental_s and row.incremental_s > 0
    assert row.floor_s and row.floor_s > 0
    assert row.stream_rows and 0 < row.stream_rows <= (row.raw_events or 0)
    assert row.dbt_peak_mb and row.dbt_peak_mb > 0 and row.server_peak_mb is None
    assert set(row.builds) == {"full", "incremental"}
    assert all(len(build.nodes) > 10 for build in row.builds.values())

    text = output.read_text()
    (cells,) = _table_cells(text)
    assert cells["engine"] == "duckdb" and cells["size"] == "3000" and cells["run"] == "1"
    for column in ("full build s", "incremental s", "floor s", "full/floor"):
        assert float(cells[column]) > 0, column
    assert row.warehouse_gb and row.warehouse_gb > 0
    assert read_rows(rows_path(output)) == rows
    for build in ("full", "incremental"):
        heading = f"**duckdb 3000, {build} build: {len(row.builds[build].nodes)} nodes"
        assert heading in text
        assert f"duckdb 3000, {build} build: " in say.getvalue()
    assert "duckdb" in say.getvalue()
