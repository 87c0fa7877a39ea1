"""The truth ``page_views`` table: one row per human page view, with engaged time by the tracker's rule
(the definition is in :mod:`journeys_tools.generator.tracker`).

Columns: ``page_view_id`` (Snowplow: the web_page context id; Segment: the page call's event id),
``session_id``, ``source``, ``page_view_at`` (the earliest event_at of its page_view rows),
``page_view_events`` (its page_view rows: 2 when the tracker sent it twice), ``ping_count``, ``heartbeat_windows``
(distinct heartbeat windows with a ping) and ``engaged_seconds``; in session and time order.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.codes import PING, PV, SNOWPLOW
from journeys_tools.generator.columns import take, timestamps, vocab
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.tracker import engaged_seconds, heartbeat_window


def page_views_table(ctx: RenderContext) -> pa.Table:
    w, rows, outcomes = ctx.world, ctx.rows, ctx.outcomes
    ev = w.events
    page_view = np.flatnonzero((ev.kind == PV) & ev.human)  # journey rows are rows 0..n_events-1
    n_pv = page_view.size
    slot_of_event = np.full(ev.n, -1, dtype=np.int64)
    slot_of_event[page_view] = np.arange(n_pv)

    resent = np.flatnonzero(rows.resent)
    resent_slot = slot_of_event[rows.ev[resent]]
    page_view_at = outcomes.event_time[page_view].copy()
    np.minimum.at(page_view_at, resent_slot, outcomes.event_time[resent])
    page_view_events = 1 + np.bincount(resent_slot, minlength=n_pv)

    ping = np.flatnonzero((ev.kind == PING) & ev.human)
    ping_slot = slot_of_event[w.pages.page_view[ping]]
    window = heartbeat_window(outcomes.event_time[ping], page_view_at[ping_slot])
    ping_count = np.bincount(ping_slot, minlength=n_pv)
    low = int(window.min()) if window.size else 0
    span = (int(window.max()) - low + 1) if window.size else 1
    distinct = np.unique(ping_slot * span + (window - low))
    windows = np.bincount(distinct // span, minlength=n_pv)

    snowplow = w.population.dev_source[ev.dev[page_view]] == SNOWPLOW
    snowplow_ids = take(ctx.vocabulary.pages.page_view_ids, np.where(snowplow, w.pages.page_view_slot[page_view], -1))
    ids = ctx.vocabulary.ids
    return pa.table(
        {
            "page_view_id": pc.coalesce(snowplow_ids, ctx.journey_event_ids(page_view)),
            "session_id": take(ids.session_ids, ev.sess[page_view]),
            "source": take(vocab(["segment", "snowplow"]), snowplow.astype(np.int64)),
            "page_view_at": timestamps(ctx.us(page_view_at)),
            "page_view_events": pa.array(page_view_events.astype(np.int64)),
            "ping_count": pa.array(ping_count.astype(np.int64)),
            "heartbeat_windows": pa.array(windows.astype(np.int64)),
            "engaged_seconds": pa.array(engaged_seconds(windows).astype(np.int64)),
        }
    )
