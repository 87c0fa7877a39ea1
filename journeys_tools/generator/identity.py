"""When each person becomes known on each device: the signup session of each signing-up person, a login on
an early session of each other device occupancy, and identify calls at the start of logged-in sessions.

A signup or login flow starts 1-1.4 s after a base event of its session. On Snowplow that event is the
last one of its page, so that no page ping of the page before follows the flow's page view (a visitor who
navigates away stops that page's heartbeat); the session's next base event comes at least 5 s later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, Mask, run_starts, seg_cumsum, uniform_ints
from journeys_tools.generator.catalog import P_ACCOUNT, P_LOGIN, P_SIGNUP
from journeys_tools.generator.codes import EXISTING_USER, IDENTIFY, NEVER, PV, SEGMENT, SIGNS_UP, SIGNUP
from journeys_tools.generator.devices import Occupancy
from journeys_tools.generator.events import Insertion, insertion
from journeys_tools.generator.population import BaseEvents, Population
from journeys_tools.generator.tracker import last_event_of_page


@dataclass
class Identity:
    """When each device occupancy becomes identified, and each signing-up person's signup."""

    occ_id_from: Ints
    """Time from which events of the occupancy carry the user id (NEVER: anonymous throughout)."""
    signup_persons: Ints
    signup_sess: Ints
    """Per signup: the session it happens in."""
    signup_time: Ints
    """Per person; NEVER for persons who do not sign up in the window."""
    signup_method: Ints
    """Per signup (0 email, 1 google)."""
    sess_full_id: Mask
    """Sessions logged in from their start."""


def signups_and_logins(
    pop: Population, base: BaseEvents, occupancy: Occupancy, rng: np.random.Generator
) -> tuple[Identity, list[Insertion]]:
    """Signup sessions, login points per device occupancy, identifies at the start of logged-in sessions."""
    n_p = pop.n_persons
    start, occ, person = pop.sess_start, occupancy.sess_occ, occupancy.sess_person
    seg_sess = pop.dev_source[pop.sess_dev] == SEGMENT
    first_ev = np.flatnonzero(run_starts(base.sess)).astype(np.int64)
    page_end = last_event_of_page(base)

    def anchor_time(sess: Ints, rank: Ints) -> Ints:
        """Time of the session's base event of that rank (on Snowplow, of the last event of its page)."""
        idx = first_ev[sess] + rank
        return base.off[np.where(seg_sess[sess], idx, page_end[idx])]

    occ_id_from = np.full(2 * pop.n_devices, NEVER, dtype=np.int64)
    inserted: list[Insertion] = []

    # signups: one session of each signing-up person, usually not the first
    human_sess = np.flatnonzero(person >= 0)
    order = human_sess[np.lexsort((start[human_sess], person[human_sess]))]
    counts = np.bincount(person[order], minlength=n_p)
    first_idx = np.cumsum(counts) - counts
    signers = np.flatnonzero(pop.ptype == SIGNS_UP)
    c = counts[signers]
    k = signers.size
    rank = np.where((c >= 2) & (rng.random(k) < 0.85), 1 + (rng.random(k) * (c - 1)).astype(np.int64), 0)
    sig_sess = order[first_idx[signers] + rank]
    nb = pop.sess_nbase[sig_sess]
    anchor = np.where(nb >= 2, 1 + (rng.random(k) * (nb - 1)).astype(np.int64), 0)
    t_anchor = anchor_time(sig_sess, anchor)
    off_pv = t_anchor + uniform_ints(rng, 1000, 1400, k)
    off_signup = t_anchor + uniform_ints(rng, 2000, 2400, k)
    off_identify = t_anchor + uniform_ints(rng, 2800, 3200, k)
    seg = seg_sess[sig_sess]
    occ_id_from[occ[sig_sess]] = start[sig_sess] + np.where(seg, off_identify, off_signup)
    signup_time = np.full(n_p, NEVER, dtype=np.int64)
    signup_time[signers] = start[sig_sess] + off_signup
    signup_method = (rng.random(k) < 0.3).astype(np.int64)
    inserted.append(insertion(sig_sess, off_pv, PV, 1, path=P_SIGNUP))
    inserted.append(insertion(sig_sess, off_signup, SIGNUP, 2, payload=np.arange(k, dtype=np.int64)))
    inserted.append(insertion(sig_sess[seg], off_identify[seg], IDENTIFY, 3))
    signup_occ = np.zeros(2 * pop.n_devices, dtype=bool)
    signup_occ[occ[sig_sess]] = True

    # logins: mid-session, on the first or second eligible session of each other device occupancy
    floor = np.where(pop.ptype == SIGNS_UP, signup_time, np.where(pop.ptype == EXISTING_USER, -1, NEVER))
    human = person >= 0
    eligible = human & (start > floor[np.maximum(person, 0)]) & ~signup_occ[occ]
    occ_first = run_starts(occ)
    elig_rank = seg_cumsum(eligible.astype(np.int64), occ_first) - 1
    elig_count = np.bincount(occ, weights=eligible, minlength=2 * pop.n_devices)
    occ_rank = np.full(2 * pop.n_devices, -1, dtype=np.int64)
    run_occ = occ[occ_first]
    run_person = person[occ_first]
    run_type = np.where(run_person >= 0, pop.ptype[np.maximum(run_person, 0)], -1)
    draw = rng.random(run_occ.size)
    occ_rank[run_occ] = np.where(
        run_type == SIGNS_UP,
        np.where(draw < 0.6, 0, np.where(draw < 0.85, 1, -1)),
        np.where(run_type == EXISTING_USER, np.where(draw < 0.7, 0, np.where(draw < 0.9, 1, -1)), -1),
    )
    shared = np.flatnonzero(occupancy.dev_second >= 0)
    occ_rank[2 * shared] = 0
    occ_rank[2 * shared + 1] = np.where(elig_count[2 * shared + 1] >= 2, 1, 0)
    # a login: the /login page (anonymous), an identify (Segment), then /account with the user id
    login = np.flatnonzero(eligible & (elig_rank == occ_rank[occ]))
    n_login = login.size
    j = (rng.random(n_login) * pop.sess_nbase[login]).astype(np.int64)
    t_anchor = anchor_time(login, j)
    off_login = t_anchor + uniform_ints(rng, 1000, 1400, n_login)
    off_identify = t_anchor + uniform_ints(rng, 2000, 2400, n_login)
    off_account = t_anchor + uniform_ints(rng, 2800, 3200, n_login)
    seg_login = seg_sess[login]
    occ_id_from[occ[login]] = start[login] + np.where(seg_login, off_identify, off_account)
    inserted.append(insertion(login, off_login, PV, 1, path=P_LOGIN))
    inserted.append(insertion(login[seg_login], off_identify[seg_login], IDENTIFY, 2))
    inserted.append(insertion(login, off_account, PV, 3, path=P_ACCOUNT))

    # sessions logged in from their start: optional identify at start
    sess_full_id = human & (start > occ_id_from[occ])
    full = np.flatnonzero(sess_full_id)
    ident = full[seg_sess[full] & (rng.random(full.size) < 0.3)]
    inserted.append(insertion(ident, uniform_ints(rng, 400, 800, ident.size), IDENTIFY, 1))
    identity = Identity(
        occ_id_from=occ_id_from,
        signup_persons=signers,
        signup_sess=sig_sess,
        signup_time=signup_time,
        signup_method=signup_method,
        sess_full_id=sess_full_id,
    )
    return identity, inserted
