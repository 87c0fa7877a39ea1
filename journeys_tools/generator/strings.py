"""Fixed-width ASCII string columns built from byte matrices: random and hashed UUIDs, hex ids, URL tokens."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from journeys_tools.generator.arrays import U8, Ints


def fixed_width_strings(chars: U8) -> pa.Array:
    """A string array from an (n, width) matrix of ASCII bytes."""
    n, width = chars.shape
    if (n + 1) * width >= 2**31:
        raise ValueError("string column too large for 32-bit offsets")
    data = np.ascontiguousarray(chars).reshape(-1)
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
TOKEN_ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", np.uint8)


def random_bytes(rng: np.random.Generator, n: int, width: int) -> U8:
    return np.frombuffer(rng.bytes(n * width), dtype=np.uint8).reshape(n, width).copy()


def hex_chars(raw: U8) -> U8:
    out = np.empty((raw.shape[0], raw.shape[1] * 2), dtype=np.uint8)
    out[:, 0::2] = HEX[raw >> 4]
    out[:, 1::2] = HEX[raw & 15]
    return out


def uuids(rng: np.random.Generator, n: int) -> pa.Array:
    """n random version-4 UUID strings (lower case)."""
    return uuid_strings(random_bytes(rng, n, 16))


SPLITMIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def mix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser, a bijective scramble of 64-bit integers."""
    golden, m1, m2 = SPLITMIX
    x = x + golden
    x = (x ^ (x >> np.uint64(30))) * m1
    x = (x ^ (x >> np.uint64(27))) * m2
    return x ^ (x >> np.uint64(31))


def hashed_uuids(keys: Ints, salt: int) -> pa.Array:
    """Version-4 UUID strings that are a fixed function of (key, salt): equal keys give equal ids."""
    k = keys.astype(np.uint64) * np.uint64(2) + np.uint64(salt)
    words = np.empty((keys.size, 2), dtype=np.uint64)
    words[:, 0] = mix64(k)
    words[:, 1] = mix64(k + np.uint64(1))
    return uuid_strings(words.view(np.uint8).reshape(keys.size, 16))


def uuid_strings(raw: U8) -> pa.Array:
    """UUID strings of an (n, 16) byte matrix, with the version-4 and variant bits set."""
    n = raw.shape[0]
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = hex_chars(raw)
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    out[:, 0:8] = hexed[:, 0:8]
    out[:, 9:13] = hexed[:, 8:12]
    out[:, 14:18] = hexed[:, 12:16]
    out[:, 19:23] = hexed[:, 16:20]
    out[:, 24:36] = hexed[:, 20:32]
    return fixed_width_strings(out)


def hex_strings(rng: np.random.Generator, n: int, n_bytes: int) -> pa.Array:
    return fixed_width_strings(hex_chars(random_bytes(rng, n, n_bytes)))


def tokens(rng: np.random.Generator, n: int, prefix: str, length: int) -> pa.Array:
    """n random URL-safe tokens: ``prefix`` followed by ``length`` characters."""
    out = np.empty((n, len(prefix) + length), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    out[:, len(prefix) :] = TOKEN_ALPHABET[rng.integers(0, 64, size=(n, length))]
    return fixed_width_strings(out)
