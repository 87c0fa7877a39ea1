"""The benchmark's data: generated in chunks over disjoint persons, split by load time into the initial load
and the increment, written as Parquet, and loaded (appended) chunk by chunk, so that no step holds the whole
data set in memory.

Layout under the data folder: `<part>/<chunk>/<schema>/<table>.parquet` for each part (PARTS) and chunk
(0000, 0001, ...), and manifest.json with the counts.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from journeys_tools.benchmark.split import INCREMENT_SHARE, cuts_at, event_load_times, iter_batches, raw_event_rows
from journeys_tools.generator import DEFAULT_CHUNK_EVENTS, GeneratorConfig, generate_chunks
from journeys_tools.warehouse import make_warehouse

PARTS = ("initial", "increment")
CHUNK_EVENTS = DEFAULT_CHUNK_EVENTS
"""Raw events generated and loaded at a time (the generator's default part, ~3 GB while it is generated): 1M
is one chunk, 10M six, 100M fifty-one."""


def write_tables(schemas: Mapping[str, Mapping[str, pa.Table]], folder: Path) -> None:
    """Each table as `folder/<schema>/<table>.parquet`."""
    for schema, tables in schemas.items():
        (folder / schema).mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            pq.write_table(table, folder / schema / f"{name}.parquet")


def read_tables(folder: Path) -> dict[str, dict[str, pa.Table]]:
    """The tables `write_tables` wrote: {schema: {table: rows}}."""
    return {
        schema.name: {path.stem: pq.read_table(path) for path in sorted(schema.glob("*.parquet"))}
        for schema in sorted(folder.iterdir())
        if schema.is_dir()
    }


def prepare_data(events: int, seed: int, out_dir: Path, chunk_events: int = CHUNK_EVENTS) -> dict[str, Any]:
    """Generate `events` raw events in chunks, split every chunk at one load-time cut (the latest
    INCREMENT_SHARE of all raw event rows form the increment), write the parts and manifest.json.

    Two passes: the first writes each chunk as it is generated and keeps only its raw event load times; the
    cut is taken over all of them; the second splits each chunk at the cut and deletes it."""
    staging = out_dir / "chunks"
    times = []
    chunk_names = []
    for index, data in enumerate(generate_chunks(GeneratorConfig(seed=seed, events=events), chunk_events)):
        data.truth.clear()
        schemas = {"segment": data.segment, "atomic": data.snowplow}
        times.append(event_load_times(schemas))
        chunk_names.append(f"{index:04d}")
        write_tables(schemas, staging / chunk_names[-1])
        del data, schemas
    all_times = np.concatenate(times) if times else np.array([], dtype=np.int64)
    del times
    cut = cuts_at(all_times, [1 - INCREMENT_SHARE])[0]
    del all_times
    rows: dict[str, dict[str, dict[str, int]]] = {part: {} for part in PARTS}
    for chunk in chunk_names:
        for schema, name, parts in iter_batches(read_tables(staging / chunk), [cut], consume=True):
            for part, table in zip(PARTS, parts, strict=True):
                write_tables({schema: {name: table}}, out_dir / part / chunk)
                counts = rows[part].setdefault(schema, {})
                counts[name] = counts.get(name, 0) + table.num_rows
            del parts
        shutil.rmtree(staging / chunk)
    shutil.rmtree(staging, ignore_errors=True)
    manifest = {
        "events": events,
        "seed": seed,
        "chunks": len(chunk_names),
        "chunk_events": chunk_events,
        "raw_events": raw_event_rows(rows["initial"]) + raw_event_rows(rows["increment"]),
        "increment_events": raw_event_rows(rows["increment"]),
        "rows": rows,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def part_files(data_dir: Path, part: str) -> dict[tuple[str, str], list[Path]]:
    """The Parquet files of one part `prepare_data` wrote: {(schema, table): its files, chunk by chunk}."""
    files: dict[tuple[str, str], list[Path]] = {}
    for chunk in sorted(path for path in (data_dir / part).iterdir() if path.is_dir()):
        for schema in sorted(path for path in chunk.iterdir() if path.is_dir()):
            for table in sorted(schema.glob("*.parquet")):
                files.setdefault((schema.name, table.stem), []).append(table)
    return files


def load_part(engine: str, state_dir: Path, data_dir: Path, part: str) -> dict[str, Any]:
    """Load one part into the engine's warehouse under `state_dir`, a chunk at a time (DuckDB: a table at a
    time, straight from its files): the initial part creates the tables, the increment is appended."""
    files = part_files(data_dir, part)
    warehouse = make_warehouse(engine, state_dir)
    try:
        warehouse.load_parquet(files, append=part != PARTS[0])
        rows = sum(pq.ParquetFile(path).metadata.num_rows for paths in files.values() for path in paths)
        return {"rows": rows}
    finally:
        warehouse.stop()
