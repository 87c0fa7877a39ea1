"""Experiment variants: each person's assignment per experiment, shown by every exposure, except for a few
persons deliberately seen in two variants (who must be left out of the results)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, Mask, run_rank, run_starts, share_count
from journeys_tools.generator.catalog import EXPERIMENTS
from journeys_tools.generator.codes import EXPOSURE
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.events import Events


@dataclass
class Assignments:
    """One row per exposed (truth person, experiment): ``pair`` = person * len(EXPERIMENTS) + experiment."""

    pairs: Ints
    assigned: Ints
    """The variant the person is assigned (index into the experiment's variants)."""
    multi: Mask
    """Whether the person's exposures show two variants."""


def assign_variants(
    events: Events, truth_person: Ints, n_persons: int, cfg: GeneratorConfig, rng: np.random.Generator
) -> Assignments:
    """Variant of each exposure (written to ``events.aux``): the person's assignment, two variants for a few."""
    n_variants = np.array([len(e[2]) for e in EXPERIMENTS])
    assigned = (rng.random((n_persons, len(EXPERIMENTS))) * n_variants).astype(np.int64)
    ex = np.flatnonzero(events.kind == EXPOSURE)
    tp = truth_person[events.person[ex]]
    code = events.sub[ex]
    order = np.lexsort((events.t[ex], code, tp))
    ex, tp, code = ex[order], tp[order], code[order]
    pair = tp * len(EXPERIMENTS) + code
    first = run_starts(pair)
    rank = run_rank(first)
    pair_count = np.bincount(pair, minlength=n_persons * len(EXPERIMENTS))
    exposed_persons = np.unique(tp).size
    candidates = np.flatnonzero(pair_count >= 2)
    n_multi = min(share_count(cfg.multi_variant_share, exposed_persons), candidates.size)
    multi = np.zeros(pair_count.size, dtype=bool)
    multi[rng.choice(candidates, n_multi, replace=False) if n_multi else candidates[:0]] = True
    variant = assigned[tp, code]
    swap = multi[pair] & (rank % 2 == 1)
    variant = np.where(swap, (variant + 1) % n_variants[code], variant)
    events.aux[ex] = variant
    return Assignments(pairs=pair[first], assigned=assigned[tp[first], code[first]], multi=multi[pair[first]])
