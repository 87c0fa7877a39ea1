"""What each device is (user agent, class, country, clock skew) and who uses it: shared devices pass to a
second person halfway through their sessions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, run_rank, run_starts, share_count, uniform_ints
from journeys_tools.generator.catalog import COUNTRIES, HUMAN_USER_AGENTS, UA_CLASS
from journeys_tools.generator.codes import EXISTING_USER, MIN
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.population import Population


@dataclass
class DeviceTraits:
    """Per device: user agent (index into USER_AGENTS), class, country, clock skew (ms) and the tracker's
    session index before the window."""

    ua: Ints
    cls: Ints
    country: Ints
    skew: Ints
    idx0: Ints


@dataclass
class Occupancy:
    """Who uses each session: the person, and the occupancy (device, first or second user) it belongs to."""

    dev_second: Ints
    """Second person of a shared device; -1 elsewhere."""
    sess_person: Ints
    """Person of each session; -1 for bot sessions."""
    sess_occ: Ints
    """2 * device + (1 for the second person of a shared device)."""
    sess_idx: Ints
    """Rank of the session among its device's sessions."""
    dev_nsess: Ints


def draw_traits(pop: Population, rng: np.random.Generator) -> DeviceTraits:
    """User agent by device class (bots keep theirs), country, clock skew and prior tracker sessions."""
    nd, nh = pop.n_devices, pop.n_human_devices
    n_human_ua = len(HUMAN_USER_AGENTS)
    dev_class = rng.choice(3, size=nd, p=[0.5, 0.4, 0.1])
    ua_by_class = [np.flatnonzero(UA_CLASS[:n_human_ua] == c) for c in range(3)]
    ua = np.empty(nd, dtype=np.int64)
    pick = rng.random(nd)
    for c, choices in enumerate(ua_by_class):
        sel = dev_class == c
        ua[sel] = choices[(pick[sel] * choices.size).astype(np.int64)]
    ua[nh:] = pop.bot_ua
    country_weights = [c[3] for c in COUNTRIES]
    country = rng.choice(len(COUNTRIES), size=nd, p=country_weights).astype(np.int64)
    skew = rng.normal(0, 1500, nd).astype(np.int64)
    wild = rng.random(nd) < 0.05
    skew = np.where(wild, rng.choice([-1, 1], nd) * uniform_ints(rng, MIN, 20 * MIN, nd), skew)
    idx0 = np.where(rng.random(nd) < 0.7, 0, uniform_ints(rng, 1, 30, nd))
    return DeviceTraits(ua=ua, cls=UA_CLASS[ua].astype(np.int64), country=country, skew=skew, idx0=idx0)


def share_devices(pop: Population, cfg: GeneratorConfig, rng: np.random.Generator) -> Occupancy:
    """Pick shared devices; the later half of their sessions belongs to a second person."""
    nh = pop.n_human_devices
    sess_idx = run_rank(run_starts(pop.sess_dev))
    dev_nsess = np.bincount(pop.sess_dev, minlength=pop.n_devices).astype(np.int64)
    existing = np.flatnonzero(pop.ptype == EXISTING_USER)
    cand = np.flatnonzero((pop.ptype[pop.dev_person[:nh]] == EXISTING_USER) & (dev_nsess[:nh] >= 4))
    n_sh = min(share_count(cfg.shared_device_share, nh), cand.size) if existing.size >= 2 else 0
    shared = np.sort(rng.choice(cand, n_sh, replace=False)) if n_sh else np.zeros(0, dtype=np.int64)
    pos = rng.integers(0, max(1, existing.size), n_sh)
    second = existing[pos] if n_sh else np.zeros(0, dtype=np.int64)
    clash = second == pop.dev_person[shared]
    second[clash] = existing[(pos[clash] + 1) % existing.size]
    dev_second = np.full(pop.n_devices, -1, dtype=np.int64)
    dev_second[shared] = second

    sd = pop.sess_dev
    sess_person = np.where(pop.dev_bot[sd] == 0, pop.dev_person[sd], -1)
    part = (dev_second[sd] >= 0) & (sess_idx >= dev_nsess[sd] // 2)
    sess_person[part] = dev_second[sd[part]]
    return Occupancy(
        dev_second=dev_second,
        sess_person=sess_person,
        sess_occ=2 * sd + part,
        sess_idx=sess_idx,
        dev_nsess=dev_nsess,
    )
