"""What the table writers share: the world, its raw rows, the vocabulary, and per-row lookups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa

from journeys_tools.generator.arrays import Ints
from journeys_tools.generator.bad_rows import RawRows
from journeys_tools.generator.columns import take, vocab, where
from journeys_tools.generator.config import as_utc
from journeys_tools.generator.outcomes import Outcomes
from journeys_tools.generator.strings import hashed_uuids
from journeys_tools.generator.vocabulary import Vocabulary
from journeys_tools.generator.world import World


@dataclass
class RenderContext:
    """The inputs of the Segment, Snowplow and truth writers; ``rows`` arguments index the raw rows."""

    world: World
    rows: RawRows
    outcomes: Outcomes
    vocabulary: Vocabulary

    @property
    def start_ms(self) -> int:
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        return (as_utc(self.world.config.start) - epoch) // timedelta(milliseconds=1)

    def us(self, ms: Ints) -> Ints:
        """Epoch microseconds of simulation times."""
        return (self.start_ms + ms) * 1000

    def event_ids(self, rows: Ints) -> pa.Array:
        """Event id of each row: NULL for key -1, '' for key -2."""
        key = self.rows.key[rows]
        ids = self.journey_event_ids(np.maximum(key, 0))
        if (key < 0).any():
            ids = where(key == -2, pa.scalar(""), ids)
            ids = where(key == -1, pa.scalar(None, pa.string()), ids)
        return ids

    def journey_event_ids(self, keys: Ints) -> pa.Array:
        """The event ids of keys; a journey event's first delivery has its event index as key."""
        return hashed_uuids(keys.astype(np.int64) + self.vocabulary.ids.key_offset, self.vocabulary.ids.id_salt)

    def device_idx(self, rows: Ints) -> Ints:
        """Index into ``device_ids_ext`` (-1 for NULL)."""
        miss = self.rows.no_device[rows]
        return np.where(miss == 1, -1, np.where(miss == 2, self.world.population.n_devices, self.outcomes.dev[rows]))

    def user_idx(self, rows: Ints) -> Ints:
        """Index into ``user_ids_ext`` (-1 for NULL)."""
        miss = self.rows.no_device[rows]
        uid = self.world.events.uid[self.rows.ev[rows]]
        return np.where(miss == 1, -1, np.where(miss == 2, self.world.users.n_uids, uid))

    def campaign(self, rows: Ints, codes: Ints, values: tuple[str, ...], split_only: bool) -> pa.Array:
        """A session's campaign value on events of its landing page (NULL if not split, when asked)."""
        ev = self.rows.ev[rows]
        sess = self.world.events.sess[ev]
        show = self.world.pages.on_landing[ev]
        if split_only:
            show = show & ~self.world.touches.unsplit[sess]
        return take(vocab(values), np.where(show, codes[sess], -1))

    def truth_person_idx(self, persons: Ints) -> Ints:
        """The truth person of each person index (-1 stays -1)."""
        return np.where(persons >= 0, self.world.users.truth_person[np.maximum(persons, 0)], -1)
