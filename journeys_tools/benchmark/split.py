"""Raw tables split by load time into batches, as a warehouse would receive them: the benchmark's initial
load and late increment, and the incremental test's equal batches, cut the same way."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Schemas = Mapping[str, Mapping[str, pa.Table]]
"""Raw tables by schema: {"segment": {"pages": ..., ...}, "atomic": {"events": ..., ...}}."""

INCREMENT_SHARE = 0.01
"""Share of the raw event rows, the latest loaded, that form the benchmark's increment."""
RAW_EVENT_TABLES: Mapping[str, tuple[str, ...]] = {"segment": ("pages", "tracks", "identifies"), "atomic": ("events",)}
"""The raw tables whose rows are events (the others describe events or identities)."""
TIMESTAMP_TEXT = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$"
NO_LOAD_TIME = int(np.iinfo(np.int64).min)
"""The load time of a row without a readable one: it goes with the first batch."""


def load_times_us(table: pa.Table) -> npt.NDArray[np.int64]:
    """Each row's load time in microseconds since the epoch (UTC): `uuid_ts` (Segment), else `load_tstamp`
    falling back to `collector_tstamp` as staging does (Snowplow), else `root_tstamp` (a Snowplow context).
    A row without a readable load time gets NO_LOAD_TIME, so it is loaded first."""
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
    micros = pc.fill_null(pc.cast(times, pa.int64()), NO_LOAD_TIME)
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


def event_load_times(schemas: Schemas) -> npt.NDArray[np.int64]:
    """The load times of every raw event row (RAW_EVENT_TABLES) among `schemas`, unordered."""
    times = [
        load_times_us(tables[name])
        for schema, tables in schemas.items()
        for name in RAW_EVENT_TABLES.get(schema, ())
        if name in tables
    ]
    return np.concatenate(times) if times else np.array([], dtype=np.int64)


def cuts_at(times: npt.NDArray[np.int64], shares: Sequence[float]) -> list[int]:
    """The load times at the given cumulative shares of `times` (ascending): with cuts c1 < c2 ..., batch 0
    holds the rows loaded before c1, batch 1 those from c1 to before c2, and so on."""
    ordered = np.sort(times)
    if ordered.size == 0:
        return [int(np.iinfo(np.int64).max)] * len(shares)
    return [int(ordered[min(int(ordered.size * share), ordered.size - 1)]) for share in shares]


def increment_cut(schemas: Schemas, share: float = INCREMENT_SHARE) -> int:
    """The load time at the (1 - share) quantile of the raw event rows: rows loaded at or after it form the
    increment."""
    return cuts_at(event_load_times(schemas), [1 - share])[0]


def equal_cuts(schemas: Schemas, batches: int) -> list[int]:
    """The cuts that deal the raw event rows into `batches` batches of equal size by load time."""
    return cuts_at(event_load_times(schemas), [k / batches for k in range(1, batches)])


def iter_batches(
    schemas: Mapping[str, MutableMapping[str, pa.Table]], cuts: Sequence[int], *, consume: bool = False
) -> Iterator[tuple[str, str, list[pa.Table]]]:
    """(schema, table, its rows in each of the len(cuts) + 1 batches) for every table, split at `cuts`.

    A table goes by its own load time, except a Snowplow context table (one with a `root_id`, such as the
    spiders-and-robots context), whose rows follow their event rows in the schema's `events`: row for row when
    the context has one row per event with an id, in the same order (as the generator writes it), else each
    row goes with the latest batch that loads an event of its root_id. With `consume`, each table is removed
    from its schema once split, so its memory can be freed while the rest are split.
    """
    bounds = np.asarray(cuts, dtype=np.int64)
    for schema in list(schemas):
        tables = schemas[schema]
        # the event table before the contexts that follow it
        names = sorted(tables, key=lambda name: "root_id" in tables[name].column_names)
        event_ids: pa.ChunkedArray | None = None
        event_batches: npt.NDArray[np.int64] | None = None
        for name in names:
            table = tables.pop(name) if consume else tables[name]
            if "root_id" in table.column_names and event_ids is not None and event_batches is not None:
                batch = _context_batches(table, event_ids, event_batches)
            else:
                batch = np.searchsorted(bounds, load_times_us(table), side="right")
            if name == "events" and "event_id" in table.column_names:
                event_ids, event_batches = table.column("event_id"), batch
            parts = [table.filter(pa.array(batch == index, type=pa.bool_())) for index in range(len(cuts) + 1)]
            yield schema, name, parts
            del table


def _context_batches(
    context: pa.Table, event_ids: pa.ChunkedArray, event_batches: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    has_id = pc.fill_null(pc.not_equal(event_ids, ""), False)
    ids_with_context = event_ids.filter(has_id)
    if len(ids_with_context) == context.num_rows and ids_with_context.equals(context.column("root_id")):
        return event_batches[np.asarray(has_id.to_numpy(zero_copy_only=False), dtype=bool)]
    batch = np.zeros(context.num_rows, dtype=np.int64)
    for index in range(1, int(event_batches.max(initial=0)) + 1):
        ids = pc.unique(event_ids.filter(pa.array(event_batches == index, type=pa.bool_())))
        found = pc.fill_null(pc.is_in(context.column("root_id"), value_set=ids), False)
        batch[np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)] = index
    return batch


def split_into_batches(schemas: Schemas, cuts: Sequence[int]) -> list[dict[str, dict[str, pa.Table]]]:
    """The tables of each batch: [{schema: {table: rows}}, ...] (see `iter_batches`)."""
    batches: list[dict[str, dict[str, pa.Table]]] = [{} for _ in range(len(cuts) + 1)]
    for schema, name, parts in iter_batches({schema: dict(tables) for schema, tables in schemas.items()}, cuts):
        for batch, rows in zip(batches, parts, strict=True):
            batch.setdefault(schema, {})[name] = rows
    return batches


def split_by_load_time(
    schemas: Schemas, share: float = INCREMENT_SHARE
) -> tuple[dict[str, dict[str, pa.Table]], dict[str, dict[str, pa.Table]]]:
    """The initial load and the increment (the latest `share` of the raw event rows by load time)."""
    initial, increment = split_into_batches(schemas, [increment_cut(schemas, share)])
    return initial, increment


def raw_event_rows(schemas: Mapping[str, Mapping[str, pa.Table | int]]) -> int:
    """Rows of the raw event tables among {schema: {table: rows or row count}}."""
    total = 0
    for schema, names in RAW_EVENT_TABLES.items():
        for name in names:
            value = schemas.get(schema, {}).get(name)
            total += value.num_rows if isinstance(value, pa.Table) else int(value or 0)
    return total
