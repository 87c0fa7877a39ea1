"""The truth tables ``experiment_assignments`` and ``experiment_effects`` (described in :mod:`.truth`).

An exposure row is a raw row of an exposure event (see :mod:`.experiments`): a Segment ``Experiment Viewed``
track, or a Snowplow page view carrying an experiment context. The assignments count the exposure rows a
correct model keeps: the kept rows (expected outcome ``kept``), which are de-duplicated by event id (a
redelivery is a ``duplicate_event_id``) and leave out bad rows and bots; a page view the tracker sent twice
(another event id) is two kept rows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.arrays import run_starts
from journeys_tools.generator.catalog import (
    EFFECT_METRICS,
    EXPERIMENT_EFFECTS,
    EXPERIMENTS,
    N_VARIANTS,
    VARIANT_SLOTS,
)
from journeys_tools.generator.codes import NEVER
from journeys_tools.generator.columns import take, timestamps, vocab
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.experiments import exposure_codes


def assignments_table(ctx: RenderContext) -> pa.Table:
    """One row per exposed (truth person, experiment), in person then experiment order."""
    w, o = ctx.world, ctx.outcomes
    a = w.assignments
    n_exp = len(EXPERIMENTS)
    rows = np.flatnonzero(o.outcome == 0)
    ev = ctx.rows.ev[rows].astype(np.int64)
    code = exposure_codes(w.events, w.population, ev)
    rows, ev, code = rows[code >= 0], ev[code >= 0], code[code >= 0]
    person = w.users.truth_person[w.events.person[ev]]
    pair = person * n_exp + code
    keys = pa.table({"pair": pair, "at": o.event_time[rows], "id": ctx.event_ids(rows)})
    order = pc.sort_indices(keys, sort_keys=[(name, "ascending") for name in keys.column_names]).to_numpy()
    starts = np.flatnonzero(run_starts(pair[order]))
    first = order[starts]
    count = np.diff(np.append(starts, order.size))
    if not np.array_equal(pair[first], a.pairs):
        raise ValueError("every exposed person and experiment must have a kept exposure row")

    signed_up = np.full(w.population.n_persons, NEVER, dtype=np.int64)
    signers = w.identity.signup_persons
    np.minimum.at(signed_up, w.users.truth_person[signers], w.identity.signup_time[signers])
    first_at = o.event_time[rows[first]]
    signed_up_at = signed_up[person[first]]
    exp_code = a.pairs % n_exp
    return pa.table(
        {
            "person_id": take(ctx.vocabulary.ids.person_ids, a.pairs // n_exp),
            "experiment_id": take(vocab([e.experiment_id for e in EXPERIMENTS]), exp_code),
            "variant": take(vocab(VARIANT_SLOTS), exp_code * N_VARIANTS + a.assigned),
            "is_multi_variant": pa.array(a.multi),
            "first_exposed_at": timestamps(ctx.us(first_at)),
            "exposure_count": pa.array(count.astype(np.int64)),
            "first_source_system": take(vocab(["segment", "snowplow"]), o.snow[rows[first]].astype(np.int64)),
            "is_anonymous_at_exposure": pa.array(w.events.uid[ev[first]] < 0),
            "is_exposed_before_signup": pa.array((signed_up_at < NEVER) & (first_at < signed_up_at)),
        }
    )


def effects_table() -> pa.Table:
    """Every variant but the control of each experiment, on each metric an effect moves, with its true lift."""
    lift = {(e.experiment_id, e.variant, e.metric): e.absolute_lift for e in EXPERIMENT_EFFECTS}
    keys = [(e.experiment_id, v, m) for e in EXPERIMENTS for v in e.variants[1:] for m in EFFECT_METRICS]
    return pa.table(
        {
            "experiment_id": pa.array([k[0] for k in keys], pa.string()),
            "variant": pa.array([k[1] for k in keys], pa.string()),
            "metric": pa.array([k[2] for k in keys], pa.string()),
            "absolute_lift": pa.array([float(lift.get(k, 0.0)) for k in keys], pa.float64()),
        }
    )
