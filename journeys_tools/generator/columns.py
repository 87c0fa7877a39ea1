"""Arrow columns from index arrays: vocabulary lookups, timestamps, formatted times, numbers as text."""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.arrays import Ints, Mask
from journeys_tools.generator.codes import DAY, SEC
from journeys_tools.generator.strings import fixed_width_strings

TS = pa.timestamp("us", tz="UTC")


@functools.cache
def pool() -> pa.MemoryPool:
    """Arrow's jemalloc pool where available: it reuses freed chunk buffers instead of returning them."""
    try:
        return pa.jemalloc_memory_pool()
    except pa.ArrowException:  # a pyarrow built without jemalloc
        return pa.default_memory_pool()


PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)
ROW_CHUNK = 1 << 18


def row_chunks(rows: Ints) -> list[Ints]:
    """Consecutive slices of at most ROW_CHUNK rows; one empty slice when there are no rows."""
    return [rows[i : i + ROW_CHUNK] for i in range(0, max(rows.size, 1), ROW_CHUNK)]


def civil(days: Ints) -> tuple[Ints, Ints, Ints]:
    """Year, month, day of days since 1970-01-01 (proleptic Gregorian)."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def format_ms(epoch_ms: Ints) -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS.fff' strings of epoch milliseconds (UTC)."""
    out = np.empty((epoch_ms.size, 23), dtype=np.uint8)
    if epoch_ms.size:
        days = epoch_ms // DAY
        first = int(days.min())
        span = np.arange(first, int(days.max()) + 1, dtype=np.int64)
        year, month, day = civil(span)
        dates = np.empty((span.size, 10), dtype=np.uint8)
        dates[:, 0:2] = PAIRS[year // 100]
        dates[:, 2:4] = PAIRS[year % 100]
        dates[:, 5:7] = PAIRS[month]
        dates[:, 8:10] = PAIRS[day]
        dates[:, [4, 7]] = ord("-")
        out[:, 0:10] = dates[days - first]
        rem = epoch_ms - days * DAY
        sec = rem // SEC
        millis = rem - sec * SEC
        out[:, 11:13] = PAIRS[sec // 3600]
        out[:, 14:16] = PAIRS[sec // 60 % 60]
        out[:, 17:19] = PAIRS[sec % 60]
        out[:, 20] = 48 + millis // 100
        out[:, 21:23] = PAIRS[millis % 100]
        out[:, 10] = ord(" ")
        out[:, [13, 16]] = ord(":")
        out[:, 19] = ord(".")
    return fixed_width_strings(out)


def take(values: pa.Array, idx: Ints) -> pa.Array:
    """values[idx], NULL where idx < 0."""
    missing = idx < 0
    if missing.any():
        return pc.take(values, pa.array(np.where(missing, 0, idx), mask=missing), memory_pool=pool())
    return pc.take(values, pa.array(idx), memory_pool=pool())


def vocab(values: tuple[str | None, ...] | list[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def const(value: str, n: int) -> pa.Array:
    return take(vocab([value]), np.zeros(n, dtype=np.int64))


def timestamps(epoch_us: Ints, null: Mask | None = None) -> pa.Array:
    return pa.array(epoch_us, type=TS, mask=null, memory_pool=pool())


def int_strings(values: Ints, null: Mask | None = None) -> pa.Array:
    return pc.cast(pa.array(values, mask=null, memory_pool=pool()), pa.string(), memory_pool=pool())


def money_strings(cents: Ints) -> pa.Array:
    whole = pc.cast(pa.array(cents // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0", memory_pool=pool())
    return pc.binary_join_element_wise(whole, frac, ".", memory_pool=pool())


def zero_padded(prefix: str, numbers: Ints, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "", memory_pool=pool())


def where(mask: Mask, a: pa.Array, b: pa.Array | pa.Scalar) -> pa.Array:
    return pc.if_else(pa.array(mask), a, b, memory_pool=pool())


def value_where(mask: Mask, value: str) -> pa.Array:
    """``value`` where mask, else NULL."""
    return take(vocab([value]), np.where(mask, 0, -1))


def blank_to_null(values: pa.Array) -> pa.Array:
    blank = pc.equal(values, "", memory_pool=pool())
    return pc.if_else(blank, pa.scalar(None, pa.string()), values, memory_pool=pool())
