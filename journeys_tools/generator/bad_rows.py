"""Every raw event row: one delivery of each journey event (some late, a few Snowplow ones without
derived_tstamp), then injected bad copies (no id, no or unparseable time, no device, no name, a clock days
ahead, redeliveries), each with the outcome the quarantine rules give it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Arr, Ints, Mask, compact, run_starts, share_count, uniform_ints
from journeys_tools.generator.catalog import GARBAGE_TIMESTAMPS, USER_AGENTS
from journeys_tools.generator.codes import (
    DAY,
    HOUR,
    MIN,
    NEVER,
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
from journeys_tools.generator.facts import bot_user_agent_regex, expected_outcomes, quarantine_reasons
from journeys_tools.generator.world import World

DUPLICATE = "duplicate_event_id"


@dataclass
class RawRows:
    """One entry per raw event row: the journey event it delivers and how it was delivered.

    The first ``world.events.n`` rows deliver each journey event once, in event order; the injected copies
    follow. ``key`` is the event id's key (-1 NULL, -2 ''; a redelivery repeats its original's key).
    """

    ev: Ints
    key: Ints
    state: Ints
    """TS_OK, TS_NULL, TS_BAD_DERIVED, TS_BAD_COLLECTOR or TS_NO_DERIVED."""
    jitter: Ints
    future: Ints
    """How far (ms) the device clock is ahead."""
    latency: Ints
    etl: Ints
    load: Ints
    no_device: Ints
    """1: NULL device and user id; 2: '' (Segment)."""
    no_name: Ints
    """1: NULL event name; 2: ''."""
    alt_title: Mask
    garbage: Ints
    bad: Mask
    """An injected copy, never part of a journey."""
    late: Mask
    n_keys: int


@dataclass
class Outcomes:
    """Per raw row: the times the warehouse sees and the outcome the quarantine rules give it."""

    dev: Ints
    snow: Mask
    kind: Ints
    t_real: Ints
    has_event_time: Mask
    event_time: Ints
    loaded: Ints
    spider_flag: Mask
    outcome: Ints
    """Index into ``expected_outcomes()``: 0 kept, then the quarantine reasons in check order."""


def deliver(world: World, rng: np.random.Generator) -> tuple[RawRows, Outcomes]:
    """The raw rows of the world's events and injected bad copies, with their expected outcomes."""
    rows = _journey_rows(world, rng)
    _inject_bad_copies(rows, world, rng)
    outcomes = classify(rows, world)
    rows.jitter = rows.jitter[:0]  # in outcomes.t_real from here on
    compact(rows, ("ev", "key", "state", "latency", "etl", "load", "no_device", "no_name", "garbage"))
    compact(outcomes, ("dev", "kind"))
    return rows, outcomes


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
    next_gap = np.full(n, NEVER, dtype=np.int64)
    same_session = ev.sess[1:] == ev.sess[:-1]
    next_gap[:-1] = np.where(same_session, ev.t[1:] - ev.t[:-1], NEVER)
    no_derived = snow & human & ~late & ~spec & (next_gap > 2500) & (rng.random(n) < 0.005)
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
    rows.n_keys = next_key


def classify(rows: RawRows, w: World) -> Outcomes:
    """Expected outcome of each row: the first quarantine rule that applies, in the seed's check order;
    among the rows that pass them all, every delivery of an event id but the first is a duplicate."""
    pop, ev = w.population, w.events
    dev = ev.dev[rows.ev]
    snow = pop.dev_source[dev] == SNOWPLOW
    t_real = ev.t[rows.ev] + rows.jitter
    no_derived = snow & (rows.state == TS_NO_DERIVED)
    event_time = np.where(no_derived, t_real + rows.latency, t_real + rows.future)
    has_event_time = np.isin(rows.state, (TS_OK, TS_NO_DERIVED))
    loaded = t_real + rows.latency + np.where(snow, rows.etl, 0) + rows.load

    bot_pattern = re.compile(bot_user_agent_regex(), re.IGNORECASE)
    ua_is_bot = np.array([bool(bot_pattern.search(ua)) for ua in USER_AGENTS])
    spider_flag = snow & (pop.dev_bot[dev] > 0)
    rules: dict[str, Mask] = {
        "missing_event_id": rows.key < 0,
        "missing_timestamp": rows.state == TS_NULL,
        "unparseable_timestamp": np.isin(rows.state, (TS_BAD_DERIVED, TS_BAD_COLLECTOR)),
        "missing_device_and_user_id": rows.no_device > 0,
        "missing_event_name": ~snow & (rows.no_name > 0),
        "future_timestamp": has_event_time & (event_time - loaded > DAY),
        "bot_user_agent": ua_is_bot[w.traits.ua[dev]],
        "bot_spider_context": spider_flag,
    }
    reasons = quarantine_reasons()
    if set(reasons) != {*rules, DUPLICATE} or reasons[-1] != DUPLICATE:
        raise ValueError(
            f"the generator checks {sorted({*rules, DUPLICATE})} with {DUPLICATE} last; the quarantine "
            f"reasons seed lists {list(reasons)}"
        )
    code_of = {outcome: code for code, outcome in enumerate(expected_outcomes())}
    outcome = np.full(rows.ev.size, -1, dtype=np.int64)
    for reason in reasons[:-1]:
        outcome[(outcome < 0) & rules[reason]] = code_of[reason]
    ok = np.flatnonzero(outcome < 0)
    repeated = np.bincount(rows.key[ok], minlength=rows.n_keys) > 1
    ok = ok[repeated[rows.key[ok]]]
    ok = ok[np.lexsort((ok, event_time[ok], loaded[ok], rows.key[ok]))]
    later = ~run_starts(rows.key[ok])
    outcome[ok[later]] = code_of[DUPLICATE]
    outcome[outcome < 0] = 0
    return Outcomes(
        dev=dev,
        snow=snow,
        kind=ev.kind[rows.ev],
        t_real=t_real,
        has_event_time=has_event_time,
        event_time=event_time,
        loaded=loaded,
        spider_flag=spider_flag,
        outcome=outcome,
    )
