"""Every raw event row: one delivery of each journey event (some late, a few Snowplow ones without
derived_tstamp), then injected bad copies (no id, no or unparseable time, no device, no name, a clock days
ahead, redeliveries), then the Snowplow page views the tracker sent twice (kept: a new event id), each
with the outcome the quarantine rules give it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Arr, Ints, Mask, share_count, uniform_ints
from journeys_tools.generator.catalog import GARBAGE_TIMESTAMPS
from journeys_tools.generator.codes import (
    DAY,
    HOUR,
    MIN,
    NEVER,
    PV,
    SEC,
    SNOWPLOW,
    SPEC_KINDS,
    TRACK,
    TS_BAD_COLLECTOR,
    TS_BAD_DERIVED,
    TS_NO_DERIVED,
    TS_NULL,
    TS_OK,
)
from journeys_tools.generator.events import Events
from journeys_tools.generator.world import World


@dataclass
class RawRows:
    """One entry per raw event row: the journey event it delivers and how it was delivered.

    The first ``world.events.n`` rows deliver each journey event once, in event order; the injected copies
    follow, then the re-sent page views. ``key`` is the event id's key (-1 NULL, -2 ''; a redelivery
    repeats its original's key; a re-sent page view has a key of its own).
    """

    ev: Ints
    key: Ints
    state: Ints
    """TS_OK, TS_NULL, TS_BAD_DERIVED, TS_BAD_COLLECTOR or TS_NO_DERIVED."""
    jitter: Ints
    """Added to the event's time: 0-3 s for a bad copy, 5-900 ms for a re-sent page view."""
    future: Ints
    """How far (ms) the device clock is ahead."""
    latency: Ints
    """From the event to the collector (Segment: received_at)."""
    etl: Ints
    """From the collector to enrichment (Snowplow)."""
    load: Ints
    """From there to the warehouse load."""
    no_device: Ints
    """1: NULL device and user id; 2: '' (Segment)."""
    no_name: Ints
    """1: NULL event name; 2: ''."""
    alt_title: Mask
    """A redelivery whose page title has an unread-count prefix."""
    garbage: Ints
    """Index into GARBAGE_TIMESTAMPS of an unparseable time."""
    bad: Mask
    """An injected copy, never part of a journey."""
    late: Mask
    resent: Mask
    """A page view the tracker sent a second time (same page_view_id as its event's first delivery)."""
    n_keys: int


def deliver(world: World, rng: np.random.Generator, tracker_rng: np.random.Generator) -> RawRows:
    """The raw rows of the world's events, injected bad copies and re-sent page views; the re-sent page
    views draw from ``tracker_rng`` only."""
    rows = _journey_rows(world, rng)
    _inject_bad_copies(rows, world, rng)
    _resend_page_views(rows, world, tracker_rng)
    return rows


def _journey_rows(w: World, rng: np.random.Generator) -> RawRows:
    """One delivery per journey event: latency, ETL and load delays, 1% late, a few without derived_tstamp."""
    cfg, ev = w.config, w.events
    n = ev.n
    snow = w.population.dev_source[ev.dev] == SNOWPLOW
    human = ev.human
    latency = uniform_ints(rng, 100, 2000, n)
    etl = uniform_ints(rng, 2 * SEC, 30 * SEC, n)
    load = np.where(snow, uniform_ints(rng, MIN, 9 * MIN, n), uniform_ints(rng, MIN, 10 * MIN, n))
    human_idx = np.flatnonzero(human)
    n_late = min(share_count(cfg.late_rate, human_idx.size), human_idx.size)
    late_idx = rng.choice(human_idx, n_late, replace=False)
    latency[late_idx] = uniform_ints(rng, HOUR, int(71.8 * HOUR), late_idx.size)
    late = np.zeros(n, dtype=bool)
    late[late_idx] = True
    spec = np.isin(ev.kind, SPEC_KINDS)
    # a few Snowplow events lack derived_tstamp (event time = collector_tstamp, up to 2 s later); only
    # where that cannot change the order of events in the session
    no_derived = snow & human & ~late & ~spec & (_next_gap(ev) > 2500) & (rng.random(n) < 0.005)
    state = np.zeros(n, dtype=np.int64)
    state[no_derived] = TS_NO_DERIVED
    return RawRows(
        ev=np.arange(n, dtype=np.int64),
        key=np.arange(n, dtype=np.int64),
        state=state,
        jitter=np.zeros(n, dtype=np.int64),
        future=np.zeros(n, dtype=np.int64),
        latency=latency,
        etl=etl,
        load=load,
        no_device=np.zeros(n, dtype=np.int64),
        no_name=np.zeros(n, dtype=np.int64),
        alt_title=np.zeros(n, dtype=bool),
        garbage=np.zeros(n, dtype=np.int64),
        bad=np.zeros(n, dtype=bool),
        late=late,
        resent=np.zeros(n, dtype=bool),
        n_keys=n,
    )


_COPIED = ("ev", "key", "state", "jitter", "future", "latency", "etl", "load", "no_device", "no_name")
_COPIED_TOO = ("alt_title", "garbage", "bad")


def _inject_bad_copies(rows: RawRows, w: World, rng: np.random.Generator) -> None:
    """Append copies of human journey events that break one rule each, then redeliveries of valid ones."""
    cfg, ev = w.config, w.events
    n = ev.n
    snow = w.population.dev_source[ev.dev] == SNOWPLOW
    spec = np.isin(ev.kind, SPEC_KINDS)
    cand = np.flatnonzero(ev.human & ~spec)
    cand_snow = cand[snow[cand]]
    cand_tracks = cand[~snow[cand] & (ev.kind[cand] == TRACK)]
    next_key = n
    parts: list[dict[str, Arr]] = []

    def copies(pool: Ints, rate: float, fresh: bool = True) -> tuple[Ints, dict[str, Arr]]:
        nonlocal next_key
        k = share_count(rate, n) if pool.size else 0
        src = pool[rng.integers(0, max(1, pool.size), k)] if k else pool[:0]
        src_snow = snow[src]
        part: dict[str, Arr] = {
            "ev": src,
            "key": np.arange(next_key, next_key + k, dtype=np.int64),
            "state": np.zeros(k, dtype=np.int64),
            "jitter": uniform_ints(rng, 0, 3000, k),
            "future": np.zeros(k, dtype=np.int64),
            "latency": uniform_ints(rng, 100, 2000, k),
            "etl": uniform_ints(rng, 2 * SEC, 30 * SEC, k),
            "load": np.where(src_snow, uniform_ints(rng, MIN, 9 * MIN, k), uniform_ints(rng, MIN, 10 * MIN, k)),
            "no_device": np.zeros(k, dtype=np.int64),
            "no_name": np.zeros(k, dtype=np.int64),
            "alt_title": np.zeros(k, dtype=bool),
            "garbage": np.zeros(k, dtype=np.int64),
            "bad": np.ones(k, dtype=bool),
        }
        if fresh:
            next_key += k
        parts.append(part)
        return src, part

    src, part = copies(cand, cfg.null_id_rate)
    part["key"] = np.where(~snow[src] & (rng.random(src.size) < 0.5), -2, -1)
    src, part = copies(cand, cfg.null_timestamp_rate)
    part["state"][:] = TS_NULL
    src, part = copies(cand_snow, cfg.unparseable_timestamp_rate)
    part["state"] = np.where(rng.random(src.size) < 0.6, TS_BAD_DERIVED, TS_BAD_COLLECTOR)
    part["garbage"] = rng.integers(0, len(GARBAGE_TIMESTAMPS), src.size)
    src, part = copies(cand, cfg.null_device_rate)
    part["no_device"] = np.where(~snow[src] & (rng.random(src.size) < 0.5), 2, 1)
    src, part = copies(cand_tracks, cfg.null_event_name_rate)
    part["no_name"] = np.where(rng.random(src.size) < 0.5, 2, 1)
    src, part = copies(cand, cfg.future_rate)
    part["future"] = uniform_ints(rng, 2 * DAY, 20 * DAY, src.size)
    src, part = copies(cand, cfg.duplicate_rate, fresh=False)
    part["key"] = rows.key[src]
    part["state"] = rows.state[src]
    part["jitter"] = np.zeros(src.size, dtype=np.int64)
    part["latency"] = rows.latency[src] + uniform_ints(rng, MIN, 6 * HOUR, src.size)
    part["etl"] = rows.etl[src]
    part["load"] = rows.load[src]
    part["alt_title"] = snow[src] & (rng.random(src.size) < 0.3)
    for name in _COPIED + _COPIED_TOO:
        setattr(rows, name, np.concatenate([getattr(rows, name)] + [p[name] for p in parts]))
    rows.late = np.concatenate([rows.late, np.zeros(rows.ev.size - n, dtype=bool)])
    rows.resent = np.concatenate([rows.resent, np.zeros(rows.ev.size - n, dtype=bool)])
    rows.n_keys = next_key


def _resend_page_views(rows: RawRows, w: World, rng: np.random.Generator) -> None:
    """Append a second delivery, under a new event id, of a share of the human Snowplow page views.

    Candidates are delivered on time with a derived_tstamp and are followed in their session by no
    event for at least a second; the copy is sent 5-900 ms after the original, before anything else.
    """
    ev = w.events
    n = ev.n  # the first n rows deliver the journey events once, in event order
    snow = w.population.dev_source[ev.dev] == SNOWPLOW
    on_time = (rows.state[:n] == TS_OK) & ~rows.late[:n]
    candidates = np.flatnonzero((ev.kind == PV) & snow & ev.human & on_time & (_next_gap(ev) > SEC))
    k = min(share_count(w.config.resent_page_view_rate, candidates.size), candidates.size)
    src = np.sort(rng.choice(candidates, k, replace=False)) if k else candidates[:0]
    part: dict[str, Arr] = {
        "ev": src,
        "key": np.arange(rows.n_keys, rows.n_keys + k, dtype=np.int64),
        "state": np.full(k, TS_OK, dtype=np.int64),
        "jitter": uniform_ints(rng, 5, 900, k),
        "future": np.zeros(k, dtype=np.int64),
        "latency": uniform_ints(rng, 100, 2000, k),
        "etl": uniform_ints(rng, 2 * SEC, 30 * SEC, k),
        "load": uniform_ints(rng, MIN, 9 * MIN, k),
        "no_device": np.zeros(k, dtype=np.int64),
        "no_name": np.zeros(k, dtype=np.int64),
        "alt_title": np.zeros(k, dtype=bool),
        "garbage": np.zeros(k, dtype=np.int64),
        "bad": np.zeros(k, dtype=bool),
        "late": np.zeros(k, dtype=bool),
        "resent": np.ones(k, dtype=bool),
    }
    for name, values in part.items():
        setattr(rows, name, np.concatenate([getattr(rows, name), values]))
    rows.n_keys += k


def _next_gap(ev: Events) -> Ints:
    """Time (ms) from each event to the next one of its session; NEVER for a session's last event."""
    next_gap = np.full(ev.n, NEVER, dtype=np.int64)
    same_session = ev.sess[1:] == ev.sess[:-1]
    next_gap[:-1] = np.where(same_session, ev.t[1:] - ev.t[:-1], NEVER)
    return next_gap
