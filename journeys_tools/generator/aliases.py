"""User ids and alias calls: each identified person's user id, a switch to a newer id for some (simple,
chains a -> b -> c, diamonds with a shortcut a -> c), and pairs of persons merged by an alias (the truth
treats each pair as one person)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, share_count, uniform_ints
from journeys_tools.generator.codes import EXISTING_USER, MIN, NEVER, SEC, SEGMENT
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.devices import Occupancy
from journeys_tools.generator.identity import Identity
from journeys_tools.generator.population import Population


@dataclass
class UserIds:
    """User ids (indices 0..n_uids-1), which one each person uses when, and the alias calls between them."""

    n_uids: int
    uid: Ints
    """(persons, 3): the person's first, second and third user id (repeated when it has fewer)."""
    uid_switch: Ints
    """(persons, 2): times from which the second and the third id are used (NEVER: not)."""
    uid_owner: Ints
    """The person each user id was drawn for."""
    truth_person: Ints
    """The person the truth counts each person as (a merged person counts as its partner)."""
    alias_prev: Ints
    alias_new: Ints
    alias_time: Ints
    alias_person: Ints
    alias_dev: Ints
    """Segment device that sent the alias call; -1 when the device is a Snowplow one."""


def draw_user_ids(
    pop: Population, occupancy: Occupancy, identity: Identity, cfg: GeneratorConfig, rng: np.random.Generator
) -> UserIds:
    """User ids per person, alias switches (simple, chains, diamonds) and merged person pairs."""
    n_p = pop.n_persons
    full = np.flatnonzero(identity.sess_full_id)
    sess_person = occupancy.sess_person
    fo = full[np.lexsort((pop.sess_start[full], sess_person[full]))]
    c2 = np.bincount(sess_person[fo], minlength=n_p)
    f_first = np.cumsum(c2) - c2
    identified = pop.ptype > 0
    used = np.zeros(n_p, dtype=bool)

    # merges: Q's user id is aliased into P's; the truth treats Q as P
    q_cand = np.flatnonzero((pop.ptype == EXISTING_USER) & (c2 >= 2))
    n_merge = min(cfg.merge_pairs, q_cand.size)
    merge_q = rng.choice(q_cand, n_merge, replace=False) if n_merge else np.zeros(0, dtype=np.int64)
    used[merge_q] = True
    # P must have logged in (with the id Q's id is merged into) before the merge
    has_full = c2 > 0
    first_full = np.full(n_p, NEVER, dtype=np.int64)
    first_full[has_full] = pop.sess_start[fo[f_first[has_full]]]
    pairs: list[tuple[int, int]] = []
    for q in merge_q:  # a handful of pairs
        t_merge = pop.sess_start[fo[f_first[q] + 1]]
        p_cand = np.flatnonzero((pop.ptype == EXISTING_USER) & ~used & (first_full < t_merge - MIN))
        if p_cand.size:
            pairs.append((int(q), int(rng.choice(p_cand))))
            used[pairs[-1][1]] = True
        else:
            used[q] = False
    merge_q = np.array([q for q, _ in pairs], dtype=np.int64)
    merge_p = np.array([p for _, p in pairs], dtype=np.int64)

    eligible = np.flatnonzero(identified & (c2 >= 2) & ~used)
    n_alias = min(share_count(cfg.alias_person_share, int(identified.sum())), eligible.size)
    alias = np.sort(rng.choice(eligible, n_alias, replace=False)) if n_alias else eligible[:0]
    deep = alias[c2[alias] >= 3]
    n_deep = min(2 * max(1, round(0.1 * n_alias)), deep.size) if n_alias else 0
    deep = rng.permutation(deep)[:n_deep]
    diamonds, chains = np.sort(deep[: (n_deep + 1) // 2]), np.sort(deep[(n_deep + 1) // 2 :])

    slots = identified.astype(np.int64)
    slots[alias] += 1
    slots[deep] += 1
    base = np.cumsum(slots) - slots
    n_uids = int(slots.sum())
    uid = np.full((n_p, 3), -1, dtype=np.int64)
    for j in range(3):
        uid[:, j] = np.where(slots > j, base + j, np.where(slots > 0, base + slots - 1, -1))
    uid_owner = np.repeat(np.arange(n_p, dtype=np.int64), slots)
    switch = np.full((n_p, 2), NEVER, dtype=np.int64)

    def session_start(p: Ints, rank: Ints) -> tuple[Ints, Ints]:
        s = fo[f_first[p] + rank]
        return pop.sess_start[s], pop.sess_dev[s]

    # previous uid, new uid, time, person, device
    alias_rows: list[tuple[Ints, Ints, Ints, Ints, Ints]] = []

    def add_alias(prev: Ints, new: Ints, t: Ints, person: Ints, dev: Ints) -> None:
        alias_rows.append((prev, new, t - uniform_ints(rng, SEC, 60 * SEC, t.size), person, dev))

    simple = np.setdiff1d(alias, deep)
    r0 = 1 + (rng.random(simple.size) * (c2[simple] - 1)).astype(np.int64)
    t0, d0 = session_start(simple, r0)
    switch[simple, 0] = t0
    add_alias(uid[simple, 0], uid[simple, 1], t0, simple, d0)
    for group, with_shortcut in ((chains, False), (diamonds, True)):
        t0, d0 = session_start(group, np.ones(group.size, dtype=np.int64))
        r1 = 2 + (rng.random(group.size) * (c2[group] - 2)).astype(np.int64)
        t1, d1 = session_start(group, r1)
        switch[group, 0], switch[group, 1] = t0, t1
        add_alias(uid[group, 0], uid[group, 1], t0, group, d0)
        add_alias(uid[group, 1], uid[group, 2], t1, group, d1)
        if with_shortcut:
            t2 = t1 - uniform_ints(rng, SEC, 5 * SEC, group.size)
            add_alias(uid[group, 0], uid[group, 2], t2, group, d1)
    t0, d0 = session_start(merge_q, np.ones(merge_q.size, dtype=np.int64))
    switch[merge_q, 0] = t0
    uid[merge_q, 1] = uid[merge_p, 0]
    uid[merge_q, 2] = uid[merge_p, 0]
    add_alias(uid[merge_q, 0], uid[merge_p, 0], t0, merge_q, d0)

    truth_person = np.arange(n_p, dtype=np.int64)
    truth_person[merge_q] = merge_p
    alias_dev = np.concatenate([a[4] for a in alias_rows])
    return UserIds(
        n_uids=n_uids,
        uid=uid,
        uid_switch=switch,
        uid_owner=uid_owner,
        truth_person=truth_person,
        alias_prev=np.concatenate([a[0] for a in alias_rows]),
        alias_new=np.concatenate([a[1] for a in alias_rows]),
        alias_time=np.concatenate([a[2] for a in alias_rows]),
        alias_person=np.concatenate([a[3] for a in alias_rows]),
        alias_dev=np.where(pop.dev_source[alias_dev] == SEGMENT, alias_dev, -1),
    )
