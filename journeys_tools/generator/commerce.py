"""Orders: a share of the sessions logged in from their start end with a checkout page view and an order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, run_starts, uniform_ints
from journeys_tools.generator.catalog import P_CHECKOUT
from journeys_tools.generator.codes import ORDER, PV
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.events import Insertion, insertion
from journeys_tools.generator.identity import Identity
from journeys_tools.generator.population import BaseEvents, Population


@dataclass
class Orders:
    """The value and session of each order (an order event's payload indexes them)."""

    cents: Ints
    sess: Ints

    @property
    def n(self) -> int:
        return int(self.cents.size)


def draw_orders(
    pop: Population, base: BaseEvents, identity: Identity, cfg: GeneratorConfig, rng: np.random.Generator
) -> tuple[Orders, list[Insertion]]:
    """A checkout page view and an order after the last base event of some logged-in sessions."""
    full = np.flatnonzero(identity.sess_full_id)
    first_ev = np.flatnonzero(run_starts(base.sess)).astype(np.int64)
    orders = full[rng.random(full.size) < cfg.order_session_rate]
    last_off = base.off[first_ev[orders] + pop.sess_nbase[orders] - 1]
    n_o = orders.size
    inserted = [
        insertion(orders, last_off + uniform_ints(rng, 1200, 1600, n_o), PV, 1, path=P_CHECKOUT),
        insertion(orders, last_off + uniform_ints(rng, 2500, 2900, n_o), ORDER, 2, payload=np.arange(n_o)),
    ]
    return Orders(cents=uniform_ints(rng, 500, 50_000, n_o), sess=orders), inserted
