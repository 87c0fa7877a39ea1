"""Experiment exposures, variants and true effects.

Exposures. A human device exposes an experiment (``catalog.EXPERIMENTS``) at each page view of its page: a
Segment device fires an ``Experiment Viewed`` track 500-700 ms later (an EXPOSURE event, :mod:`.events`); on
a Snowplow device the page view itself carries the experiment's context (Optimizely X summary or feature
flag, ``Experiment.snowplow_context``), written by :mod:`.exposure_contexts`. Bots expose nothing.

Variants. Each truth person is assigned a variant per experiment, and every exposure shows it (written to
``events.aux``), except for a few persons (``config.multi_variant_share``) whose every second exposure, in
time order, shows the next variant: they are seen in two.

Effects (``catalog.EXPERIMENT_EFFECTS``). At a person's first exposure to the experiment (the earliest in
time; it always shows the assigned variant), when that is the effect's variant, the same device views the
effect's page in a new tab of the same session with the effect's probability, 5-20 s after the exposure.
The effects' draws come from a stream of their own (a coin per exposed person and experiment, then a delay
per exposed person and experiment for each effect, whoever it applies to), so that they shift no other draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, Mask, run_rank, run_starts, share_count, uniform_ints
from journeys_tools.generator.catalog import EXPERIMENT_EFFECTS, EXPERIMENT_PATHS, EXPERIMENTS
from journeys_tools.generator.codes import EXPOSURE, PV, SNOWPLOW
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.events import Events
from journeys_tools.generator.population import Population


@dataclass
class Assignments:
    """One row per exposed (truth person, experiment): ``pair`` = person * len(EXPERIMENTS) + experiment."""

    pairs: Ints
    assigned: Ints
    """The variant the person is assigned (index into the experiment's variants)."""
    multi: Mask
    """Whether the person's exposures show two variants."""


@dataclass
class EffectPageViews:
    """The page views the effects add: each in a session, at a time, of a page (index into PAGES)."""

    sess: Ints
    t: Ints
    path: Ints


def exposure_codes(events: Events, pop: Population, ev: Ints) -> Ints:
    """The experiment (index into EXPERIMENTS) each of the events ``ev`` exposes; -1 for none."""
    kind, path = events.kind[ev], events.path[ev]
    dev = events.dev[ev]
    human = pop.dev_bot[dev] == 0
    snowplow_page = (kind == PV) & (pop.dev_source[dev] == SNOWPLOW) & human & ~events.new_tab[ev]
    on_page = path[:, None] == EXPERIMENT_PATHS[None, :]
    page_code = np.where(on_page.any(axis=1), on_page.argmax(axis=1), -1)
    return np.where(kind == EXPOSURE, events.sub[ev], np.where(snowplow_page, page_code, -1)).astype(np.int64)


def assign_variants(
    events: Events, pop: Population, truth_person: Ints, cfg: GeneratorConfig, rng: np.random.Generator
) -> tuple[Assignments, Ints]:
    """Variant of each exposure (written to ``events.aux``): the person's assignment, two variants for a few.
    Also returns the event index of each pair's first exposure."""
    n_persons, n_exp = pop.n_persons, len(EXPERIMENTS)
    n_variants = np.array([len(e.variants) for e in EXPERIMENTS])
    assigned = (rng.random((n_persons, n_exp)) * n_variants).astype(np.int64)
    all_events = np.arange(events.n, dtype=np.int64)
    codes = exposure_codes(events, pop, all_events)
    ex = np.flatnonzero(codes >= 0)
    tp = truth_person[events.person[ex]]
    code = codes[ex]
    order = np.lexsort((events.t[ex], code, tp))
    ex, tp, code = ex[order], tp[order], code[order]
    pair = tp * n_exp + code
    first = run_starts(pair)
    rank = run_rank(first)
    pair_count = np.bincount(pair, minlength=n_persons * n_exp)
    exposed_persons = np.unique(tp).size
    candidates = np.flatnonzero(pair_count >= 2)
    n_multi = min(share_count(cfg.multi_variant_share, exposed_persons), candidates.size)
    multi = np.zeros(pair_count.size, dtype=bool)
    multi[rng.choice(candidates, n_multi, replace=False) if n_multi else candidates[:0]] = True
    variant = assigned[tp, code]
    swap = multi[pair] & (rank % 2 == 1)
    variant = np.where(swap, (variant + 1) % n_variants[code], variant)
    events.aux[ex] = variant
    assignments = Assignments(pairs=pair[first], assigned=assigned[tp[first], code[first]], multi=multi[pair[first]])
    return assignments, ex[first]


def effect_page_views(
    events: Events, assignments: Assignments, first_exposure: Ints, rng: np.random.Generator
) -> EffectPageViews:
    """The page views of the effects, at the first exposures (event indices ``first_exposure``, one per
    assignment) that show an effect's variant: a coin per assignment, and a delay per assignment for each
    effect."""
    n = assignments.pairs.size
    coin = rng.random(n)
    code = assignments.pairs % len(EXPERIMENTS)
    sess, t, path = [], [], []
    for effect in EXPERIMENT_EFFECTS:
        exp = next(i for i, e in enumerate(EXPERIMENTS) if e.experiment_id == effect.experiment_id)
        variant = EXPERIMENTS[exp].variants.index(effect.variant)
        delay = uniform_ints(rng, effect.delay_ms[0], effect.delay_ms[1], n)
        hit = np.flatnonzero((code == exp) & (assignments.assigned == variant) & (coin < effect.probability))
        ev = first_exposure[hit]
        sess.append(events.sess[ev].astype(np.int64))
        t.append(events.t[ev] + delay[hit])
        path.append(np.full(hit.size, effect.page, dtype=np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return EffectPageViews(
        sess=np.concatenate([empty, *sess]), t=np.concatenate([empty, *t]), path=np.concatenate([empty, *path])
    )
