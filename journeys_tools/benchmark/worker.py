"""The steps of `journeys bench` that run in their own process (`python -m journeys_tools.benchmark --help`):
generating and loading, so their memory is returned before dbt runs, and everything on Spark, whose
embedded Derby metastore admits one JVM at a time. Each prints its result as one JSON line."""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeys_tools.benchmark.data import CHUNK_EVENTS, PARTS, load_part, prepare_data
from journeys_tools.benchmark.measure import RESULT_PREFIX, one_line
from journeys_tools.warehouse import ENGINES, make_warehouse

STREAM_MODEL = "int_events_validated"
FLOOR_TABLE = "bench_window_floor"
FLOOR_SELECT = (
    "select event_id, lag(event_at) over (partition by device_id order by event_at, event_id) as previous_event_at "
    "from {stream}"
)


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
    prepare = steps.add_parser("prepare", help="generate in chunks, split by load time, write parquet")
    prepare.add_argument("--events", type=int, required=True)
    prepare.add_argument("--seed", type=int, required=True)
    prepare.add_argument("--out", type=Path, required=True)
    prepare.add_argument("--chunk-events", type=int, default=CHUNK_EVENTS)
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
            result = prepare_data(args.events, args.seed, args.out, args.chunk_events)
        elif args.step == "load":
            result = load_part(args.target, args.state_dir, args.data, args.part)
        elif args.step == "floor":
            result = time_floor(args.target, args.state_dir, args.relation)
        else:
            result = count_rows(args.target, args.state_dir, args.relation)
    except Exception as error:
        traceback.print_exc()
        print(f"bench: {one_line(error)}", file=sys.stderr, flush=True)
        return 1
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0
