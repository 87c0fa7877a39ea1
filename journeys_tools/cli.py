"""`journeys`: run the project end to end on the embedded warehouse, load data, call dbt, benchmark."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from journeys_tools.project import SCHEDULED_BUILD, DbtFailure, DbtProject, prepare_profiles, project_root
from journeys_tools.warehouse import ENGINES, PostgresWarehouse, Warehouse, WarehouseError, make_warehouse


def state_dir(project_dir: Path) -> Path:
    """Where the tooling keeps the embedded warehouses, profiles and generated truth: JOURNEYS_STATE_DIR, else
    `.journeys` in the project folder."""
    configured = os.environ.get("JOURNEYS_STATE_DIR")
    path = Path(configured) if configured else project_dir / ".journeys"
    path.mkdir(parents=True, exist_ok=True)
    return path


def open_warehouse(engine: str, project_dir: Path) -> tuple[Warehouse, DbtProject]:
    warehouse = make_warehouse(engine, state_dir(project_dir))
    warehouse.start()
    warehouse.apply_env()
    dbt_project = DbtProject(project_dir, prepare_profiles(project_dir, state_dir(project_dir)), engine)
    return warehouse, dbt_project


def load_generated(warehouse: Warehouse, events: int, seed: int, truth_dir: Path) -> dict[str, int]:
    """Generate raw Segment and Snowplow tables and the ad spend table, load them, write the truth; rows per raw
    table. The ad spend is read only with var journeys__ad_spend_enabled true."""
    from journeys_tools.generator import GeneratorConfig, generate, write_truth
    from journeys_tools.generator.spend import ad_spend_schemas

    data = generate(GeneratorConfig(seed=seed, events=events))
    raw = {"segment": data.segment, "atomic": data.snowplow, **ad_spend_schemas(data)}
    warehouse.load_schemas(raw)
    write_truth(data, truth_dir)
    return {f"{schema}.{name}": table.num_rows for schema, tables in raw.items() for name, table in tables.items()}


def command_demo(args: argparse.Namespace) -> None:
    project_dir = project_root()
    started = time.perf_counter()
    warehouse, dbt_project = open_warehouse(args.target, project_dir)
    print(f"Warehouse: {args.target} ({state_dir(project_dir) / args.target})")
    counts = load_generated(warehouse, args.events, args.seed, state_dir(project_dir) / "truth")
    print(f"Loaded {sum(counts.values())} raw rows into {len(counts)} tables (seed {args.seed}).")
    # the demo loads a generated ad spend table, so it reads it: the summary shows spend and ROAS
    result = dbt_project.invoke([*SCHEDULED_BUILD, "--quiet"], {"journeys__ad_spend_enabled": True})
    tests = [r for r in result.results if r.node.resource_type == "test"]
    print(f"dbt build: {len(result.results) - len(tests)} models and seeds, {len(tests)} data tests passed.\n")
    from journeys_tools.summary import build_summary

    print(build_summary(warehouse, project_dir))
    print(
        f"\nDone in {time.perf_counter() - started:.0f} s. Query it with: .venv/bin/journeys dbt --target "
        f"{args.target} -- show --inline 'select * from {{{{ ref(\"int_events_validated\") }}}}'"
    )


def command_load(args: argparse.Namespace) -> None:
    project_dir = project_root()
    warehouse, _ = open_warehouse(args.target, project_dir)
    if args.sample:
        from journeys_tools.samples import read_snowplow_sample

        warehouse.load_tables(args.snowplow_schema, read_snowplow_sample(project_dir / "data" / "snowplow_web_sample"))
        print(f"Loaded the Snowplow web sample into {args.snowplow_schema}.")
        return
    counts = load_generated(warehouse, args.events, args.seed, state_dir(project_dir) / "truth")
    for table, rows in counts.items():
        print(f"{table}: {rows}")


def command_dbt(args: argparse.Namespace) -> None:
    project_dir = project_root()
    _, dbt_project = open_warehouse(args.target, project_dir)
    dbt_args = [a for a in args.dbt_args if a != "--"]
    if not dbt_args:
        raise SystemExit("Name a dbt command, e.g. `journeys dbt -- build`.")
    dbt_project.invoke(dbt_args)


def command_bench(args: argparse.Namespace) -> None:
    from journeys_tools.benchmark import DEFAULT_STEP_TIMEOUT, parse_sizes, run_benchmark
    from journeys_tools.benchmark.data import CHUNK_EVENTS

    project_dir = project_root()
    try:
        engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
        sizes, spark_sizes = parse_sizes(args.sizes), parse_sizes(args.spark_sizes)
    except ValueError as error:
        raise SystemExit(f"journeys bench: {error}") from None
    unknown = [engine for engine in engines if engine not in ENGINES]
    if unknown:
        raise SystemExit(f"journeys bench: unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    output = Path(args.output) if args.output else project_dir / "benchmarks" / "results.md"
    command = (
        f"journeys bench --engines {','.join(engines)} --sizes {','.join(map(str, sizes))} "
        f"--spark-sizes {','.join(map(str, spark_sizes))} --seed {args.seed}"
    )
    chunk_events = CHUNK_EVENTS if args.chunk_events is None else args.chunk_events
    if chunk_events < 1:
        raise SystemExit("journeys bench: --chunk-events must be positive")
    rows = run_benchmark(
        engines=engines,
        sizes=sizes,
        spark_sizes=spark_sizes,
        seed=args.seed,
        output=output,
        project_dir=project_dir,
        bench_dir=state_dir(project_dir) / "bench",
        readme=project_dir / "README.md",
        timeout=args.step_timeout or DEFAULT_STEP_TIMEOUT,
        chunk_events=chunk_events,
        command=command,
        keep_earlier_rows=not args.fresh,
    )
    print(f"Wrote {output} and the README's benchmark section.")
    failed = [row for row in rows if row.failed]
    for row in failed:
        print(f"journeys bench: {row.engine} {row.size}: {row.notes}", file=sys.stderr)
    if failed:
        raise SystemExit(1)


def command_warehouse(args: argparse.Namespace) -> None:
    project_dir = project_root()
    warehouse = PostgresWarehouse(state_dir=state_dir(project_dir))
    if args.action == "stop":
        # whoever started it (`make demo`, an earlier command): the server on the project's data folder
        pid = warehouse.stop_server()
        if pid is None:
            print(f"No embedded PostgreSQL is running on {warehouse.data_dir}: nothing to stop.")
        else:
            print(f"Stopped the embedded PostgreSQL (process {pid}) on {warehouse.data_dir}.")
        if warehouse.uses_external_server():
            print("JOURNEYS_PG_HOST names another server: journeys never stops a server it did not start.")
        return
    if warehouse.uses_external_server():
        raise WarehouseError(
            f"JOURNEYS_PG_HOST={os.environ['JOURNEYS_PG_HOST']} names another server, which journeys uses as it "
            "is; unset it to start the embedded PostgreSQL."
        )
    env = warehouse.profile_env()
    print(f"The embedded PostgreSQL is running on {warehouse.data_dir}. For dbt or psql:")
    for key in ("JOURNEYS_PG_HOST", "JOURNEYS_PG_PORT", "JOURNEYS_PG_USER", "JOURNEYS_PG_DATABASE"):
        print(f"export {key}={env[key]}")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="journeys", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    def with_target(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--target", choices=ENGINES, default="postgres", help="engine (default: postgres)")
        return sub

    demo = with_target(commands.add_parser("demo", help="generate, load, dbt build, show the results"))
    demo.add_argument("--events", type=int, default=50_000, help="raw events to generate (default 50000)")
    demo.add_argument("--seed", type=int, default=42)
    demo.set_defaults(handler=command_demo)

    load = with_target(commands.add_parser("load", help="load generated data (or the Snowplow sample)"))
    load.add_argument("--events", type=int, default=50_000)
    load.add_argument("--seed", type=int, default=42)
    load.add_argument("--sample", action="store_true", help="load the shipped Snowplow web sample instead")
    load.add_argument("--snowplow-schema", default="atomic", help="schema for --sample (default atomic)")
    load.set_defaults(handler=command_load)

    dbt = with_target(commands.add_parser("dbt", help="run dbt against the tooling's warehouse"))
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER, help="after --: the dbt command and its options")
    dbt.set_defaults(handler=command_dbt)

    bench = commands.add_parser("bench", help="time dbt build (full, incremental) against a window-pass floor")
    bench.add_argument("--engines", default=",".join(ENGINES), help="comma-separated (default: all three)")
    bench.add_argument("--sizes", default="1000000,10000000", help="events per run (default 1000000,10000000)")
    bench.add_argument("--spark-sizes", default="1000000", help="the sizes Spark runs at (default 1000000)")
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument("--output", help="Markdown results (default: benchmarks/results.md in the project)")
    bench.add_argument("--step-timeout", type=float, help="seconds before a step is stopped (default 3 hours)")
    bench.add_argument("--chunk-events", type=int, help="events generated and loaded at a time (default 2000000)")
    bench.add_argument(
        "--fresh",
        action="store_true",
        help="a table of this run's rows alone (default: earlier runs' rows of other engines and sizes stay)",
    )
    bench.set_defaults(handler=command_bench)

    warehouse = commands.add_parser("warehouse", help="start or stop the embedded PostgreSQL")
    warehouse.add_argument("action", choices=["start", "stop"])
    warehouse.set_defaults(handler=command_warehouse)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.handler(args)
    except (DbtFailure, WarehouseError, FileNotFoundError) as error:
        print(f"journeys: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
