"""Generation in parts, for data sets too large to hold in memory at once.

:func:`generate_chunks` splits ``config.events`` into parts of at most ``chunk_events`` (as equal as they
can be) and generates them one after the other, each a complete :class:`GeneratedData` of its own persons:

- Each part is a world of its own: its persons, devices, sessions, user ids, aliases, orders and bots are
  drawn from a stream of its own (``SeedSequence(seed, spawn_key=(part,))``; the first part from ``seed``
  itself), over the same time window. A session, an identity or an alias never spans two parts.
- The first part is exactly ``generate(replace(config, events=<its size>))``; with ``chunk_events >=
  config.events`` there is one part, equal to ``generate(config)``. The union of the parts is not equal to
  ``generate(config)`` (the draws differ), but it is valid data of the same shape: per part, the counts
  the config gives per data set (``merge_pairs``, and the minimum of one for the rare cases) apply.
- Ids are unique across parts: persons, sessions, user ids and orders are numbered after the earlier
  parts'; event ids hash the row key after the earlier parts' keys with the first part's salt; device,
  tracker session and page view ids are random version-4 UUIDs.
- The truth of the union is the concatenation of the parts' truth tables, table by table; the raw tables
  likewise (each part's raw tables are ordered by load time, the union is not).
- Memory is that of one part: the iterator holds nothing of a part once it has handed it over, so a
  consumer that writes each part and drops it before asking for the next needs no more than one part's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from journeys_tools.generator.bad_rows import deliver
from journeys_tools.generator.config import GeneratedData, GeneratorConfig, IdOffsets
from journeys_tools.generator.outcomes import settle
from journeys_tools.generator.render import render
from journeys_tools.generator.world import simulate

DEFAULT_CHUNK_EVENTS = 2_000_000
"""Events per part: about 3 GB of memory while a part is generated."""


EFFECT_SPAWN_KEY = 3
"""The last element of the spawn key (part, 3) of a part's stream for the experiments' effects; (0, 2) is
the ad spend's stream (``spend.SPEND_SPAWN_KEY``)."""


def streams(seed: int, part: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    """The part's generators: for the simulation stages, for the tracker's draws, for the experiments' effects."""
    main = np.random.default_rng(seed if part == 0 else np.random.SeedSequence(seed, spawn_key=(part,)))
    tracker = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(part, 1)))
    effects = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(part, EFFECT_SPAWN_KEY)))
    return main, tracker, effects


def generate_part(config: GeneratorConfig, part: int, offsets: IdOffsets) -> tuple[GeneratedData, IdOffsets]:
    """One part of a data set (part 0 with zero offsets: the whole of ``generate(config)``), and the id
    offsets of the part after it."""
    rng, tracker_rng, effect_rng = streams(config.seed, part)
    world = simulate(config, rng, tracker_rng, effect_rng)
    rows = deliver(world, rng, tracker_rng)
    outcomes = settle(rows, world)
    return render(world, rows, outcomes, rng, tracker_rng, offsets)


def part_sizes(events: int, chunk_events: int) -> list[int]:
    """``events`` split into as few parts of at most ``chunk_events`` as possible, as equal as can be."""
    if chunk_events < 1:
        raise ValueError("chunk_events must be positive")
    n_parts = -(-events // chunk_events)
    return [events // n_parts + (i < events % n_parts) for i in range(n_parts)]


def generate_chunks(config: GeneratorConfig, chunk_events: int = DEFAULT_CHUNK_EVENTS) -> Iterator[GeneratedData]:
    """The data set of ``config`` in parts of at most ``chunk_events`` events, each of its own persons."""
    offsets = IdOffsets()
    for part, events in enumerate(part_sizes(config.events, chunk_events)):
        data, offsets = generate_part(replace(config, events=events), part, offsets)
        yield data
        del data
