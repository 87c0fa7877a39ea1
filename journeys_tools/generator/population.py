"""Persons, their devices and sessions, and each session's base events (page views, pings, tracks).

Humans come first: candidate persons are drawn until their sessions that start in the window hold about
the number of base events the config asks for. Bot devices (a bot user agent, or a human one that only
Snowplow's IAB enrichment flags) follow, with short bursts of page views.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, run_starts, seg_cumsum, share_count, uniform_ints
from journeys_tools.generator.catalog import BOT_USER_AGENTS, HUMAN_USER_AGENTS, UA_CLASS
from journeys_tools.generator.codes import DAY, DESKTOP, HOUR, MIN, PING, PV, SEC, SNOWPLOW, TRACK
from journeys_tools.generator.config import GeneratorConfig


@dataclass
class Population:
    """Persons, devices and sessions (humans first, then bots).

    Device arrays are indexed by device, session arrays by session (sorted by device, then start); times
    are ms since ``config.start``.
    """

    n_persons: int
    ptype: Ints
    """ANONYMOUS, SIGNS_UP or EXISTING_USER, per person."""
    dev_person: Ints
    """Person of each device; -1 for bots."""
    dev_source: Ints
    """SEGMENT or SNOWPLOW, per device."""
    dev_bot: Ints
    """HUMAN, BOT_USER_AGENT or SPIDER, per device."""
    bot_ua: Ints
    """User agent (index into USER_AGENTS) of each bot device."""
    n_human_devices: int
    n_human_sessions: int
    sess_dev: Ints
    sess_start: Ints
    sess_nbase: Ints
    """Number of base events of each session."""

    @property
    def n_devices(self) -> int:
        return int(self.dev_person.size)

    @property
    def n_sessions(self) -> int:
        return int(self.sess_dev.size)


@dataclass
class BaseEvents:
    """The events each session is drawn with, sorted by session and time; later stages insert more."""

    sess: Ints
    kind: Ints
    off: Ints
    """Time of each event, ms after its session's start."""


def target_base_events(config: GeneratorConfig) -> float:
    """Base events to draw so that, with inserted, bot and bad rows, the raw rows are about config.events."""
    bad_rates = (
        config.duplicate_rate
        + config.null_id_rate
        + config.null_timestamp_rate
        + config.unparseable_timestamp_rate
        + config.null_device_rate
        + config.null_event_name_rate
        + config.future_rate
    )
    bot_share = 1.3 * (config.bot_device_share + config.spider_device_share)
    return config.events / (1 + bad_rates + bot_share) / 1.17  # inserted events


def draw_population(config: GeneratorConfig, rng: np.random.Generator) -> tuple[Population, BaseEvents]:
    """The human population, then the bot devices and their sessions."""
    population, base = _humans(config, rng)
    _add_bots(population, base, config, rng)
    return population, base


def _humans(cfg: GeneratorConfig, rng: np.random.Generator) -> tuple[Population, BaseEvents]:
    window = cfg.days * DAY
    target_base = target_base_events(cfg)
    n_cand = int(target_base / 14) + 100
    while True:  # draw candidate persons until they hold enough events (more when days are few)
        p_anon = max(0.0, 1.0 - cfg.signup_share - cfg.existing_user_share)
        ptype = rng.choice(3, size=n_cand, p=[p_anon, cfg.signup_share, cfg.existing_user_share])
        engaged = ptype > 0
        n_dev = 1 + np.where(
            engaged,
            rng.choice(4, size=n_cand, p=[0.45, 0.35, 0.13, 0.07]),
            rng.choice(4, size=n_cand, p=[0.72, 0.2, 0.06, 0.02]),
        )
        dev_person = np.repeat(np.arange(n_cand, dtype=np.int64), n_dev)
        nd = dev_person.size
        dev_source = (rng.random(nd) >= cfg.segment_share).astype(np.int64)
        dev_engaged = engaged[dev_person]
        n_sess = 1 + rng.poisson(np.where(dev_engaged, 3.0, 0.6))
        first_start = (rng.random(nd) ** np.where(dev_engaged, 1.5, 1.0) * window).astype(np.int64)

        sess_dev = np.repeat(np.arange(nd, dtype=np.int64), n_sess)
        ns = sess_dev.size
        n_base = np.minimum(rng.geometric(1 / 7, size=ns), 150).astype(np.int64)
        ev_sess = np.repeat(np.arange(ns, dtype=np.int64), n_base)
        ne = ev_sess.size
        ev_first = run_starts(ev_sess)
        snowplow = dev_source[sess_dev[ev_sess]] == SNOWPLOW
        u = rng.random(ne)
        kind = np.where(
            snowplow,
            np.where(u < 0.45, PV, np.where(u < 0.8, PING, TRACK)),
            np.where(u < 0.62, PV, TRACK),
        )
        kind[ev_first] = PV
        gap = np.where(
            kind == PING,
            uniform_ints(rng, 10 * SEC, 30 * SEC, ne),
            np.minimum(5 * SEC + rng.exponential(40 * SEC, size=ne).astype(np.int64), 25 * MIN),
        )
        gap[ev_first] = 0
        offset = seg_cumsum(gap, ev_first)
        ev_last = np.append(ev_first[1:], True)
        duration = offset[ev_last]
        mean_gap = np.where(dev_engaged[sess_dev], 1.2 * DAY, 2.5 * DAY)
        inter = 31 * MIN + rng.exponential(mean_gap).astype(np.int64)
        step = duration + inter
        start = first_start[sess_dev] + seg_cumsum(step, run_starts(sess_dev)) - step

        # keep the sessions that start in the window, and the persons that fit the target
        keep = start < window
        kept_base = np.where(keep, n_base, 0)
        per_person = np.bincount(dev_person[sess_dev], weights=kept_base, minlength=n_cand)
        if per_person.sum() >= target_base or n_cand > 100 * target_base:
            break
        n_cand *= 2
    n_p = int(np.searchsorted(np.cumsum(per_person), target_base, side="right"))
    n_p = min(max(n_p, 1), n_cand)
    keep &= dev_person[sess_dev] < n_p
    nd_keep = int(np.searchsorted(dev_person, n_p))
    keep_ev = keep[ev_sess]
    new_sess = np.cumsum(keep) - 1
    sess_dev_kept = sess_dev[keep]
    population = Population(
        n_persons=n_p,
        ptype=ptype[:n_p].astype(np.int64),
        dev_person=dev_person[:nd_keep],
        dev_source=dev_source[:nd_keep],
        dev_bot=np.zeros(0, dtype=np.int64),
        bot_ua=np.zeros(0, dtype=np.int64),
        n_human_devices=nd_keep,
        n_human_sessions=int(sess_dev_kept.size),
        sess_dev=sess_dev_kept,
        sess_start=start[keep],
        sess_nbase=n_base[keep],
    )
    base = BaseEvents(
        sess=new_sess[ev_sess[keep_ev]],
        kind=kind[keep_ev].astype(np.int64),
        off=offset[keep_ev],
    )
    return population, base


def _add_bots(pop: Population, base: BaseEvents, cfg: GeneratorConfig, rng: np.random.Generator) -> None:
    """Append the bot devices, their sessions (1-3) and page views (3-25, a few seconds apart)."""
    window = cfg.days * DAY
    n_bot = share_count(cfg.bot_device_share, pop.n_human_devices)
    n_spider = share_count(cfg.spider_device_share, pop.n_human_devices) if cfg.segment_share < 1 else 0
    nb = n_bot + n_spider
    nh = pop.n_human_devices
    n_human_ua = len(HUMAN_USER_AGENTS)
    desktop_uas = np.flatnonzero(UA_CLASS[:n_human_ua] == DESKTOP)
    pop.dev_bot = np.concatenate(
        [
            np.zeros(nh, dtype=np.int64),
            np.ones(n_bot, dtype=np.int64),
            np.full(n_spider, 2, dtype=np.int64),
        ]
    )
    bot_source = (rng.random(n_bot) >= cfg.segment_share).astype(np.int64)
    pop.dev_source = np.concatenate([pop.dev_source, bot_source, np.ones(n_spider, dtype=np.int64)])
    pop.dev_person = np.concatenate([pop.dev_person, np.full(nb, -1, dtype=np.int64)])
    pop.bot_ua = np.concatenate(
        [n_human_ua + rng.integers(0, len(BOT_USER_AGENTS), n_bot), rng.choice(desktop_uas, n_spider)]
    ).astype(np.int64)

    n_s = 1 + rng.integers(0, 3, nb)
    sess_dev = np.repeat(nh + np.arange(nb, dtype=np.int64), n_s)
    first = rng.integers(0, max(1, int(window * 0.8)), nb)
    step = uniform_ints(rng, HOUR, 2 * DAY, sess_dev.size)
    start = first[sess_dev - nh] + seg_cumsum(step, run_starts(sess_dev)) - step
    n_base = uniform_ints(rng, 3, 25, sess_dev.size)
    ev_sess = pop.n_human_sessions + np.repeat(np.arange(sess_dev.size, dtype=np.int64), n_base)
    first_ev = run_starts(ev_sess)
    gap = uniform_ints(rng, 1 * SEC, 10 * SEC, ev_sess.size)
    gap[first_ev] = 0
    pop.sess_dev = np.concatenate([pop.sess_dev, sess_dev])
    pop.sess_start = np.concatenate([pop.sess_start, start])
    pop.sess_nbase = np.concatenate([pop.sess_nbase, n_base])
    base.sess = np.concatenate([base.sess, ev_sess])
    base.kind = np.concatenate([base.kind, np.full(ev_sess.size, PV, dtype=np.int64)])
    base.off = np.concatenate([base.off, seg_cumsum(gap, first_ev)])
