"""The truth ``milestones`` table: each signed-up person's first reaching of each milestone after signup.

One row per signed-up truth person and milestone they reached: ``person_id``, ``milestone_name``
(``first_project_created``, ``first_video_rendered``, ``first_video_shared``: their first product action of
that kind; ``first_order``: their first order), ``reached_at``, ``event_id`` and ``event_property`` (the
action's property value, e.g. the template; NULL for ``first_order``). The first is the earliest by
``event_at`` (the time the stream reads) at or after the person's signup (the ``event_at`` of their earliest
kept signup: ``persons.signed_up_at``), ties by event id; persons who did not sign up in the window have none.

Only kept rows count: a milestone's event is a journey event whose first delivery is kept (every human journey
event's is), and ``event_id`` and ``reached_at`` are that row's. A redelivery (``duplicate_event_id``, the same
id, loaded later) adds nothing, and a bad copy (quarantined, under another id or none) is never a milestone,
even when it is earlier. Rows are in person order, then in the order of the names above.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.arrays import run_starts
from journeys_tools.generator.catalog import FEATURE_VALUES, FEATURES
from journeys_tools.generator.codes import FEATURE, NEVER, ORDER, SIGNUP
from journeys_tools.generator.columns import take, timestamps, vocab
from journeys_tools.generator.context import RenderContext

MILESTONES = (*(f"first_{feature.event}" for feature in FEATURES), "first_order")
FIRST_ORDER = len(FEATURES)


def milestones_table(ctx: RenderContext) -> pa.Table:
    w, o = ctx.world, ctx.outcomes
    ev, truth_person = w.events, w.users.truth_person
    kept = o.outcome[: ev.n] == 0  # journey rows are rows 0..n_events-1
    signup = np.flatnonzero((ev.kind == SIGNUP) & ev.human & kept)
    signed_up_at = np.full(w.population.n_persons, NEVER, dtype=np.int64)
    np.minimum.at(signed_up_at, truth_person[ev.person[signup]], o.event_time[signup])

    milestone = np.select([ev.kind == FEATURE, ev.kind == ORDER], [ev.sub, FIRST_ORDER], -1)
    cand = np.flatnonzero((milestone >= 0) & ev.human & kept)
    person = truth_person[ev.person[cand]]
    after_signup = o.event_time[cand] >= signed_up_at[person]
    cand, person = cand[after_signup], person[after_signup]
    event_ids = ctx.journey_event_ids(cand)
    keys = pa.table({"person": person, "milestone": milestone[cand], "at": o.event_time[cand], "id": event_ids})
    order = pc.sort_indices(keys, sort_keys=[(name, "ascending") for name in keys.column_names]).to_numpy()
    first = order[run_starts(person[order] * len(MILESTONES) + milestone[cand[order]])]
    reached, code = cand[first], milestone[cand[first]]
    return pa.table(
        {
            "person_id": take(ctx.vocabulary.ids.person_ids, person[first]),
            "milestone_name": take(vocab(MILESTONES), code),
            "reached_at": timestamps(ctx.us(o.event_time[reached])),
            "event_id": event_ids.take(pa.array(first)),
            "event_property": take(vocab(FEATURE_VALUES), np.where(code < FIRST_ORDER, ev.aux[reached], -1)),
        }
    )
