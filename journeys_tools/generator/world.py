"""The simulated world: each stage in turn, from the population to the page each event happened on.

Every draw comes from the generators passed in, in a fixed order, so a seed gives the same world: ``rng``
for the stages, ``tracker_rng`` for the draws of the page ping timing (see :mod:`.tracker`) and
``effect_rng`` for the experiments' effects (see :mod:`.experiments`), kept apart so that those draws do not
shift the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.aliases import UserIds, draw_user_ids
from journeys_tools.generator.commerce import Orders, draw_orders
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.devices import DeviceTraits, Occupancy, draw_traits, share_devices
from journeys_tools.generator.events import Events, PageContext, insert_new_tab_page_views, merge, page_context
from journeys_tools.generator.experiments import Assignments, assign_variants, effect_page_views
from journeys_tools.generator.identity import Identity, signups_and_logins
from journeys_tools.generator.population import Population, draw_population
from journeys_tools.generator.product import draw_actions
from journeys_tools.generator.sessions import Touches, draw_base_details, draw_touches
from journeys_tools.generator.tracker import snap_pings_to_heartbeat


@dataclass
class World:
    """The outputs of the simulation stages, for the row and table writers."""

    config: GeneratorConfig
    population: Population
    traits: DeviceTraits
    touches: Touches
    occupancy: Occupancy
    identity: Identity
    orders: Orders
    users: UserIds
    events: Events
    assignments: Assignments
    pages: PageContext


def simulate(
    config: GeneratorConfig,
    rng: np.random.Generator,
    tracker_rng: np.random.Generator,
    effect_rng: np.random.Generator,
) -> World:
    """Run the stages in order; the base events are dropped once merged into the event stream."""
    population, base = draw_population(config, rng)
    snap_pings_to_heartbeat(base, tracker_rng)
    traits = draw_traits(population, rng)
    touches = draw_touches(population, config, rng)
    details = draw_base_details(population, base, rng)
    occupancy = share_devices(population, config, rng)
    identity, inserted = signups_and_logins(population, base, occupancy, rng)
    orders, order_events = draw_orders(population, base, identity, config, rng)
    actions = draw_actions(population, base, occupancy, identity, orders, config, rng)
    users = draw_user_ids(population, occupancy, identity, config, rng)
    events = merge(
        population,
        base,
        details,
        inserted + order_events + actions,
        occupancy,
        identity.occ_id_from,
        users.uid,
        users.uid_switch,
        rng,
    )
    del base, details, inserted, order_events, actions
    assignments, first_exposure = assign_variants(events, population, users.truth_person, config, rng)
    effect = effect_page_views(events, assignments, first_exposure, effect_rng)
    events = insert_new_tab_page_views(
        events,
        effect.sess,
        effect.t,
        effect.path,
        population,
        occupancy,
        identity.occ_id_from,
        users.uid,
        users.uid_switch,
    )
    pages = page_context(events, touches, population)
    return World(
        config=config,
        population=population,
        traits=traits,
        touches=touches,
        occupancy=occupancy,
        identity=identity,
        orders=orders,
        users=users,
        events=events,
        assignments=assignments,
        pages=pages,
    )
