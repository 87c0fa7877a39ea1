"""The outcome each raw row should get: the first quarantine rule that applies (in the check order of
``seeds/quarantine_reasons.csv``), else a duplicate when an earlier delivery of its event id passed every
rule, else kept; and the event and load times the warehouse sees."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, Mask, compact, run_starts
from journeys_tools.generator.bad_rows import RawRows
from journeys_tools.generator.catalog import USER_AGENTS
from journeys_tools.generator.codes import (
    DAY,
    SNOWPLOW,
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


def settle(rows: RawRows, w: World) -> Outcomes:
    """Classify the rows, then store their index arrays as int32 (t_real replaces the jitter)."""
    outcomes = classify(rows, w)
    rows.jitter = rows.jitter[:0]
    compact(rows, ("ev", "key", "state", "latency", "etl", "load", "no_device", "no_name", "garbage"))
    compact(outcomes, ("dev", "kind"))
    return outcomes
