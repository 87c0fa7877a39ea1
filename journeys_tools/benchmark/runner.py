"""`journeys bench`: for each size, generate the data once; for each engine, in a fresh folder, load the
initial part, time a full `dbt build`, time the floor, append the increment, time a second build; report."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO

from journeys_tools.benchmark.data import CHUNK_EVENTS, PARTS
from journeys_tools.benchmark.measure import BenchStepError, StepResult, one_line, run_step
from journeys_tools.benchmark.nodes import read_run_results
from journeys_tools.benchmark.report import (
    HEADERS,
    BenchRow,
    machine_context,
    merge_rows,
    node_report,
    read_rows,
    results_block,
    rows_path,
    update_readme,
    write_results,
)
from journeys_tools.benchmark.worker import STREAM_MODEL
from journeys_tools.project import SCHEDULED_BUILD, copy_project
from journeys_tools.summary import format_table
from journeys_tools.warehouse import (
    ENGINES,
    PostgresWarehouse,
    embedded_postgres_pid,
    java_is_available,
    stop_embedded_postgres,
)

EVENT_OVERSHOOT = 1.01
"""A size of N generates N * 1.01 events: N in the initial load, about 1% in the increment."""
DEFAULT_STEP_TIMEOUT = 3 * 3600.0
# connection settings of the tooling's own warehouses: the bench always uses fresh embedded ones
FOREIGN_ENV = (
    "DBT_PROFILES_DIR",
    "JOURNEYS_TARGET",
    "JOURNEYS_SCHEMA",
    "JOURNEYS_PG_HOST",
    "JOURNEYS_PG_PORT",
    "JOURNEYS_PG_USER",
    "JOURNEYS_PG_PASSWORD",
    "JOURNEYS_PG_DATABASE",
    "JOURNEYS_DUCKDB_PATH",
    "JOURNEYS_SPARK_DIR",
    "JOURNEYS_PROJECT_DIR",
    "JOURNEYS_STATE_DIR",
)


@contextmanager
def _without_env(keys: Sequence[str]) -> Iterator[None]:
    saved = {key: os.environ.pop(key) for key in keys if key in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def _step_env(project_dir: Path, state_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env.update(
        {
            "JOURNEYS_PROJECT_DIR": str(project_dir),
            "JOURNEYS_STATE_DIR": str(state_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def stream_relation(project_dir: Path) -> str:
    """The relation dbt built the canonical stream as, from the project's manifest."""
    manifest = json.loads((project_dir / "target" / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == STREAM_MODEL and node.get("relation_name"):
            return str(node["relation_name"])
    raise BenchStepError(f"no {STREAM_MODEL} in the manifest")


def _keep_run_results(row: BenchRow, build: str, project: Path, logs: Path) -> None:
    """Keep a build's run_results.json beside its log and its node times in the row."""
    results = project / "target" / "run_results.json"
    kept = logs / f"run_results-{build}.json"
    shutil.copy2(results, kept)
    row.builds[build] = read_run_results(kept)


def folder_gb(folder: Path) -> float:
    """Disk taken by the files under `folder`, in GB (2**30 bytes)."""
    used = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with suppress(OSError):
                used += os.lstat(os.path.join(root, name)).st_blocks * 512
    return used / 2**30


def free_disk_gb(folder: Path) -> float:
    return shutil.disk_usage(folder).free / 2**30


def prepared_manifest(data_dir: Path, events: int, seed: int, chunk_events: int) -> dict[str, Any] | None:
    """The manifest of data already prepared in `data_dir` with these settings and both parts present (a
    run stopped after its generation can be started again without generating anew); None otherwise."""
    try:
        manifest = json.loads((data_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return None
    wanted = {"events": events, "seed": seed, "chunk_events": chunk_events}
    if any(manifest.get(key) != value for key, value in wanted.items()):
        return None
    if not all((data_dir / part).is_dir() for part in PARTS):
        return None
    return dict(manifest)


def bench_engine(
    engine: str,
    size: int,
    *,
    data_dir: Path,
    manifest: Mapping[str, Any],
    project_snapshot: Path,
    bench_dir: Path,
    timeout: float,
    say: TextIO,
    last_of_size: bool = False,
) -> BenchRow:
    """Load, build, time the floor, append, build again: one row; a failing step ends the row with a note.
    The last engine of a size deletes the initial part's files once they are loaded, to leave the disk to its
    warehouse."""
    row = BenchRow(engine, size, raw_events=int(manifest["raw_events"]))
    state = bench_dir / f"{engine}-{size}"
    stop_embedded_postgres(state / "postgres")
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    project = copy_project(project_snapshot, state / "project")
    env = _step_env(project, state)
    server: PostgresWarehouse | None = None
    python = sys.executable

    def step(label: str, command: Sequence[str], log: str, server_pid: int | None = None) -> StepResult:
        print(f"  {engine} {size}: {label} ({free_disk_gb(state):.0f} GB of disk free) ...", file=say, flush=True)
        return run_step(
            label,
            command,
            env=env,
            cwd=project,
            log_path=state / "logs" / f"{log}.log",
            timeout=timeout,
            server_pid=server_pid,
        )

    def worker(name: str, *options: str) -> list[str]:
        return [python, "-m", "journeys_tools.benchmark", name, "--target", engine, "--state-dir", str(state), *options]

    dbt_build = [python, "-m", "journeys_tools.cli", "dbt", "--target", engine, "--", *SCHEDULED_BUILD]
    try:
        if engine == "spark" and not java_is_available():
            raise BenchStepError("spark: no Java (install a JDK 17+ or set JAVA_HOME)")
        server_pid = None
        if engine == "postgres":
            server = PostgresWarehouse(state_dir=state, keep_running=False)
            with _without_env(FOREIGN_ENV):
                server.start()
            server_pid = embedded_postgres_pid(state / "postgres")
        step("load initial", worker("load", "--data", str(data_dir), "--part", "initial"), "load-initial")
        if last_of_size:
            shutil.rmtree(data_dir / PARTS[0], ignore_errors=True)
        full = step("full build", dbt_build, "dbt-build-full", server_pid)
        row.full_s, row.dbt_peak_mb, row.server_peak_mb = full.seconds, full.peak_mb, full.server_peak_mb
        row.warehouse_gb = folder_gb(state / engine)
        _keep_run_results(row, "full", project, state / "logs")
        stream = stream_relation(project)
        floor = step("floor", worker("floor", "--relation", stream), "floor")
        row.floor_s, row.stream_rows = float(floor.result["seconds"]), int(floor.result["rows"])
        step("append increment", worker("load", "--data", str(data_dir), "--part", "increment"), "load-increment")
        row.increment_events = int(manifest["increment_events"])
        incremental = step("incremental build", dbt_build, "dbt-build-incremental", server_pid)
        row.incremental_s = incremental.seconds
        row.warehouse_gb = folder_gb(state / engine)
        row.dbt_peak_mb = max(row.dbt_peak_mb or 0.0, incremental.peak_mb)
        if incremental.server_peak_mb is not None:
            row.server_peak_mb = max(row.server_peak_mb or 0.0, incremental.server_peak_mb)
        _keep_run_results(row, "incremental", project, state / "logs")
        row.stream_rows = int(step("count stream", worker("count", "--relation", stream), "count").result["rows"])
    except BenchStepError as error:
        row.notes, row.failed = str(error), "no Java" not in str(error)
    except Exception as error:
        row.notes, row.failed = f"{engine}: {one_line(error)}", True
    finally:
        if server is not None:
            server.stop()
        stop_embedded_postgres(state / "postgres")
        for folder in ("postgres", "duckdb", "spark"):  # the warehouse files; logs and project stay
            shutil.rmtree(state / folder, ignore_errors=True)
    return row


def _show(rows: Sequence[BenchRow], say: TextIO, *, nodes_of: BenchRow | None = None) -> None:
    """Print the table so far, after the costliest nodes of the row just measured."""
    if nodes_of is not None and nodes_of.builds:
        print("\n" + node_report([nodes_of], markdown=False), file=say)
    print("\n" + format_table(HEADERS, [row.cells() for row in rows]) + "\n", file=say, flush=True)


def run_benchmark(
    *,
    engines: Sequence[str],
    sizes: Sequence[int],
    spark_sizes: Sequence[int],
    seed: int,
    output: Path,
    project_dir: Path,
    bench_dir: Path,
    readme: Path | None = None,
    timeout: float = DEFAULT_STEP_TIMEOUT,
    chunk_events: int = CHUNK_EVENTS,
    command: str = "",
    keep_earlier_rows: bool = True,
    say: TextIO = sys.stdout,
) -> list[BenchRow]:
    """Benchmark every engine at every size (Spark only at `spark_sizes`); print the table and each build's
    costliest nodes as rows complete; write the table to `output` (Markdown, its rows in results.json beside
    it) and into `readme`'s benchmark section. With `keep_earlier_rows` the table also keeps the rows of earlier
    runs for the engines and sizes this run did not measure, each with its run. Returns this run's rows."""
    unknown = [engine for engine in engines if engine not in ENGINES]
    if unknown:
        raise ValueError(f"unknown engine(s) {', '.join(unknown)}: choose from {', '.join(ENGINES)}")
    bench_dir.mkdir(parents=True, exist_ok=True)
    snapshot = bench_dir / "project"
    shutil.rmtree(snapshot, ignore_errors=True)
    copy_project(project_dir, snapshot)  # every row builds the same code, whatever is edited meanwhile
    context = machine_context(project_dir, command)
    earlier = read_rows(rows_path(output)) if keep_earlier_rows else []
    rows: list[BenchRow] = []

    def report(nodes_of: BenchRow | None = None) -> None:
        _show(rows, say, nodes_of=nodes_of)
        write_results(output, merge_rows(earlier, rows), seed, chunk_events)

    for size in sizes:
        size_engines = [engine for engine in engines if engine != "spark" or size in spark_sizes]
        if not size_engines:
            continue
        data_dir = bench_dir / f"data-{size}"
        events = round(size * EVENT_OVERSHOOT)
        manifest = prepared_manifest(data_dir, events, seed, chunk_events)
        if manifest is not None:
            print(f"{size}: using the {events} raw events already prepared in {data_dir}", file=say, flush=True)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            free = free_disk_gb(bench_dir)
            print(f"{size}: generating {events} raw events (seed {seed}; {free:.0f} GB of disk free) ...", file=say)
            say.flush()
            try:
                prepare = ["prepare", "--events", str(events), "--seed", str(seed), "--out", str(data_dir)]
                manifest = run_step(
                    "generate",
                    [sys.executable, "-m", "journeys_tools.benchmark", *prepare, "--chunk-events", str(chunk_events)],
                    env=_step_env(snapshot, bench_dir),
                    cwd=bench_dir,
                    log_path=bench_dir / f"prepare-{size}.log",
                    timeout=timeout,
                ).result
            except BenchStepError as error:
                rows += [BenchRow(engine, size, notes=str(error), failed=True, run=context) for engine in size_engines]
                report()
        for engine in size_engines if manifest else []:
            row = bench_engine(
                engine,
                size,
                data_dir=data_dir,
                manifest=manifest,
                project_snapshot=snapshot,
                bench_dir=bench_dir,
                timeout=timeout,
                say=say,
                last_of_size=engine == size_engines[-1],
            )
            row.run = context
            rows.append(row)
            report(nodes_of=row)
        shutil.rmtree(data_dir, ignore_errors=True)
    write_results(output, merge_rows(earlier, rows), seed, chunk_events)
    if readme is not None:
        update_readme(readme, results_block(merge_rows(earlier, rows)))
    return rows


def parse_sizes(text: str) -> list[int]:
    """'1000000,10_000_000' -> [1000000, 10000000]; every size positive."""
    sizes = [int(part.strip().replace("_", "")) for part in text.split(",") if part.strip()]
    if any(size < 1 for size in sizes):
        raise ValueError(f"sizes must be positive: {text}")
    return sizes
