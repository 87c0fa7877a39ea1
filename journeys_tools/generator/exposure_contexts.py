"""The Snowplow experiment contexts: the exposure of a Snowplow device is its page view of the experiment's
page (see :mod:`.experiments`), which carries the experiment's context, both as a JSON column of
``atomic.events`` (NULL on the other events) and as a row of the context table a shredding loader writes
beside it (for rows with an event id, as the web_page context). A copy of the page view (a redelivery, a
bad copy, a re-sent page view) is the same payload and carries the same context.

- Optimizely X summary (``iglu:com.optimizely.optimizelyx/summary/jsonschema/1-0-0``): column
  ``contexts_com_optimizely_optimizelyx_summary_1_0_0`` =
  ``[{"experimentId":"exp_checkout_button","variationName":"treatment","variation":1,"visitorId":"<id>"}]``,
  table ``com_optimizely_optimizelyx_summary_1`` (root_id, root_tstamp, experiment_id, variation_name,
  variation, visitor_id). ``variation`` is the variant's index (the control's is 0); ``visitorId`` is the
  device's id (the domain_userid of its rows; Optimizely's own, so a row sent without domain_userid keeps it).
- Feature flag, LaunchDarkly style (``iglu:com.launchdarkly/feature_flag/jsonschema/1-0-0``): column
  ``contexts_com_launchdarkly_feature_flag_1_0_0`` = ``[{"key":"exp_pricing_page","variation":2,"value":"v2"}]``,
  table ``com_launchdarkly_feature_flag_1`` (root_id, root_tstamp, key, variation, value): the flag key is the
  experiment id, ``value`` the variant served (its name), ``variation`` its index.

Every context table column is text, as the events table's.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.arrays import Ints
from journeys_tools.generator.catalog import (
    EXPERIMENTS,
    FEATURE_FLAG,
    N_VARIANTS,
    OPTIMIZELY_SUMMARY,
    SNOWPLOW_EXPOSURE_CONTEXTS,
    VARIANT_SLOTS,
)
from journeys_tools.generator.columns import pool, take, vocab
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.experiments import exposure_codes

Columns = dict[str, pa.Array]
CONTEXT_OF_EXPERIMENT = np.array([e.snowplow_context for e in EXPERIMENTS])
_SLOT_EXPERIMENT = [e for e in EXPERIMENTS for _ in range(N_VARIANTS)]
_SLOT_VARIATION = [v for _ in EXPERIMENTS for v in range(N_VARIANTS)]


def _slots(ctx: RenderContext, rows: Ints, context: int) -> Ints:
    """Per row: the variant slot (experiment * N_VARIANTS + variant) of the exposure it carries in the
    context, -1 for none."""
    ev = ctx.rows.ev[rows].astype(np.int64)
    code = exposure_codes(ctx.world.events, ctx.world.population, ev)
    carries = ctx.outcomes.snow[rows] & (code >= 0) & (CONTEXT_OF_EXPERIMENT[np.maximum(code, 0)] == context)
    return np.where(carries, code * N_VARIANTS + ctx.world.events.aux[ev], -1)


def _optimizely_json(ctx: RenderContext, rows: Ints, slot: Ints) -> pa.Array:
    prefixes = vocab(
        [
            f'[{{"experimentId":"{e.experiment_id}","variationName":"{name}","variation":{i},"visitorId":"'
            for e, name, i in zip(_SLOT_EXPERIMENT, VARIANT_SLOTS, _SLOT_VARIATION, strict=True)
        ]
    )
    visitor = ctx.vocabulary.devices.device_ids.take(pa.array(ctx.outcomes.dev[rows]))
    return pc.binary_join_element_wise(take(prefixes, slot), visitor, '"}]', "", memory_pool=pool())


def _feature_flag_json(slot: Ints) -> pa.Array:
    contexts = vocab(
        [
            f'[{{"key":"{e.experiment_id}","variation":{i},"value":"{name}"}}]'
            for e, name, i in zip(_SLOT_EXPERIMENT, VARIANT_SLOTS, _SLOT_VARIATION, strict=True)
        ]
    )
    return take(contexts, slot)


def exposure_context_columns(ctx: RenderContext, rows: Ints) -> Columns:
    """The JSON columns of the experiment contexts for the given Snowplow rows (NULL where none)."""
    return {
        SNOWPLOW_EXPOSURE_CONTEXTS[OPTIMIZELY_SUMMARY][0]: _optimizely_json(
            ctx, rows, _slots(ctx, rows, OPTIMIZELY_SUMMARY)
        ),
        SNOWPLOW_EXPOSURE_CONTEXTS[FEATURE_FLAG][0]: _feature_flag_json(_slots(ctx, rows, FEATURE_FLAG)),
    }


def _context_rows(ctx: RenderContext, rows: Ints, cols: Columns, context: int) -> tuple[Ints, Ints, Columns]:
    """The rows with an event id that carry the context: their positions, their slots, their root columns."""
    slot = _slots(ctx, rows, context)
    sel = np.flatnonzero((ctx.rows.key[rows] >= 0) & (slot >= 0))
    positions = pa.array(sel)
    root = {"root_id": cols["event_id"].take(positions), "root_tstamp": cols["collector_tstamp"].take(positions)}
    return sel, slot[sel], root


def optimizely_context_columns(ctx: RenderContext, rows: Ints, cols: Columns) -> Columns:
    """Rows of the Optimizely X summary context table for the Snowplow rows with an id that carry it."""
    sel, slot, root = _context_rows(ctx, rows, cols, OPTIMIZELY_SUMMARY)
    return {
        **root,
        "experiment_id": take(vocab([e.experiment_id for e in _SLOT_EXPERIMENT]), slot),
        "variation_name": take(vocab(VARIANT_SLOTS), slot),
        "variation": take(vocab([str(i) for i in _SLOT_VARIATION]), slot),
        "visitor_id": ctx.vocabulary.devices.device_ids.take(pa.array(ctx.outcomes.dev[rows[sel]])),
    }


def feature_flag_context_columns(ctx: RenderContext, rows: Ints, cols: Columns) -> Columns:
    """Rows of the feature flag context table for the Snowplow rows with an id that carry it."""
    _, slot, root = _context_rows(ctx, rows, cols, FEATURE_FLAG)
    return {
        **root,
        "key": take(vocab([e.experiment_id for e in _SLOT_EXPERIMENT]), slot),
        "variation": take(vocab([str(i) for i in _SLOT_VARIATION]), slot),
        "value": take(vocab(VARIANT_SLOTS), slot),
    }
