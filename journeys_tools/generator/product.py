"""The video product that signed-up persons use: projects created, videos rendered, videos shared.

Chances. A signed-up person can act at the end of a page of their logged-in sessions after signing up: the
pages after the signup in the signup session, then the pages of their sessions logged in from the start, in
time order. The end of a page is its last base event: the session's next base event is a page view at least
3.5 s later (see :data:`.tracker.MAX_JITTER_MS`), and no other flow starts there (a signup's ends before the
next base event; an order's checkout follows the session's last page, which is no chance in a session with an
order). A chance within 3 s of the person's previous one (on another device) is dropped, so the person's
actions keep their order whatever time the stream reads.

Actions. An action is a flow 1-2.4 s after the end of its page: a page view of the action's page, then the
action (a FEATURE event: ``sub`` the action, ``aux`` its property value). A share ``project_person_share`` of
signed-up persons create a project; each project's video is rendered with ``render_project_share``, a rendered
one shared with ``share_video_share``; after the steps of their last project, a creator creates another with
``another_project_share`` (asked again after each, at most five projects). A person's steps take increasing
chances: the first create one of the first few chances (often in the signup session), a project's next step
one or a few chances after the last, the next project's creation some chances later. Steps beyond the person's
last chance in the window do not happen, so the shares seen are somewhat below the configured ones. The first
create of a person comes before their first render, which comes before their first share.
"""

from __future__ import annotations

import numpy as np

from journeys_tools.generator.arrays import Ints, run_rank, run_starts, seg_cumsum, uniform_ints
from journeys_tools.generator.catalog import CREATE, FEATURE_PATHS, FEATURE_VALUE_START, FEATURES
from journeys_tools.generator.codes import FEATURE, PV, SEC
from journeys_tools.generator.commerce import Orders
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.devices import Occupancy
from journeys_tools.generator.events import Insertion, insertion
from journeys_tools.generator.identity import Identity
from journeys_tools.generator.population import BaseEvents, Population
from journeys_tools.generator.tracker import last_event_of_page

MAX_PROJECTS = 5
"""Most projects a person creates."""
CHANCE_GAP_MS = 3 * SEC
"""Least time between two chances of a person: more than the 0.4 s spread of the action's offset plus the 2 s
a Snowplow event without derived_tstamp is read later."""


def draw_actions(
    pop: Population,
    base: BaseEvents,
    occupancy: Occupancy,
    identity: Identity,
    orders: Orders,
    cfg: GeneratorConfig,
    rng: np.random.Generator,
) -> list[Insertion]:
    """The page view and the action of each step of each creator's projects, at the person's chances."""
    chance, chance_first, n_chances = _chances(pop, base, occupancy, identity, orders)
    person, action = _steps(identity.signup_persons, cfg, rng)
    n = person.size
    person_first = run_starts(person)
    gap = np.where(
        person_first,
        rng.geometric(0.6, n),
        np.where(action == CREATE, rng.geometric(0.25, n), rng.geometric(0.5, n)),
    )
    # the first create is at one of the person's first chances, so every creator with a chance creates
    gap[person_first] = np.minimum(gap[person_first], np.maximum(n_chances[person[person_first]], 1))
    rank = seg_cumsum(gap, person_first) - 1
    value = _values(action, rng)
    off_page_view = uniform_ints(rng, 1000, 1400, n)
    off_action = uniform_ints(rng, 2000, 2400, n)
    kept = rank < n_chances[person]
    anchor = chance[chance_first[person[kept]] + rank[kept]]
    sess, t = base.sess[anchor], base.off[anchor]
    action = action[kept]
    return [
        insertion(sess, t + off_page_view[kept], PV, 1, path=FEATURE_PATHS[action]),
        insertion(sess, t + off_action[kept], FEATURE, 2, payload=value[kept], sub=action),
    ]


def _chances(
    pop: Population, base: BaseEvents, occupancy: Occupancy, identity: Identity, orders: Orders
) -> tuple[Ints, Ints, Ints]:
    """The chances (base event indices) of every signed-up person in time order, the index of each person's
    first and their number."""
    ns, n_p = pop.n_sessions, pop.n_persons
    idx = np.arange(base.sess.size, dtype=np.int64)
    signer = np.zeros(n_p, dtype=bool)
    signer[identity.signup_persons] = True
    host = identity.sess_full_id & signer[np.maximum(occupancy.sess_person, 0)] & (occupancy.sess_person >= 0)
    host[identity.signup_sess] = True
    after = np.full(ns, -1, dtype=np.int64)
    signup_time = identity.signup_time[identity.signup_persons]
    after[identity.signup_sess] = signup_time - pop.sess_start[identity.signup_sess]
    first_ev = np.flatnonzero(run_starts(base.sess)).astype(np.int64)
    last_ev = first_ev + pop.sess_nbase - 1
    with_order = np.zeros(ns, dtype=bool)
    with_order[orders.sess] = True
    s = base.sess
    is_chance = (
        (last_event_of_page(base) == idx) & host[s] & (base.off > after[s]) & ~(with_order[s] & (idx == last_ev[s]))
    )
    chance = np.flatnonzero(is_chance)
    person = occupancy.sess_person[base.sess[chance]]
    t = pop.sess_start[base.sess[chance]] + base.off[chance]
    order = np.lexsort((t, person))
    chance, person, t = chance[order], person[order], t[order]
    # drop a chance too close to the person's previous one (its sessions on two devices can overlap)
    close = np.zeros(chance.size, dtype=bool)
    close[1:] = (person[1:] == person[:-1]) & (t[1:] - t[:-1] <= CHANCE_GAP_MS)
    chance, person = chance[~close], person[~close]
    n_chances = np.bincount(person, minlength=n_p).astype(np.int64)
    return chance, np.cumsum(n_chances) - n_chances, n_chances


def _steps(signers: Ints, cfg: GeneratorConfig, rng: np.random.Generator) -> tuple[Ints, Ints]:
    """The person and action of each step, by person, project, then create < render < share."""
    creators = signers[rng.random(signers.size) < cfg.project_person_share]
    more = rng.random((creators.size, MAX_PROJECTS - 1)) < cfg.another_project_share
    n_projects = 1 + np.cumprod(more, axis=1).sum(axis=1)
    project_person = np.repeat(creators, n_projects)
    rendered = rng.random(project_person.size) < cfg.render_project_share
    shared = rendered & (rng.random(project_person.size) < cfg.share_video_share)
    n_steps = 1 + rendered.astype(np.int64) + shared
    step_project = np.repeat(np.arange(project_person.size, dtype=np.int64), n_steps)
    return project_person[step_project], run_rank(run_starts(step_project))


def _values(action: Ints, rng: np.random.Generator) -> Ints:
    """A property value (index into FEATURE_VALUES) of each action, by the action's weights."""
    u = rng.random(action.size)
    value = np.zeros(action.size, dtype=np.int64)
    for code, feature in enumerate(FEATURES):
        weights = np.cumsum(feature.weights) / np.sum(feature.weights)
        sel = action == code
        local = np.minimum(np.searchsorted(weights, u[sel], side="right"), len(feature.values) - 1)
        value[sel] = FEATURE_VALUE_START[code] + local
    return value
