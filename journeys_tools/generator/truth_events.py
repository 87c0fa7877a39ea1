"""The truth of each raw event row: its expected outcome and, for kept rows, the canonical columns the
stream must give it (read from the same arrays the raw row was written from) and its session and person.

``event_category``, ``event_action`` and ``event_property``: a Snowplow structured event's se_category,
se_action and se_property (a product track's se_property is NULL); a Segment product action's property (the
column of its spec table, e.g. ``template`` of ``project_created``), with NULL category and action; NULL on
every other row.

``page_view_id`` is the id of the row's Snowplow web_page context (every Snowplow row has one: the page
view's own id on a page view or a re-sent copy of it, the id of the page it happened on otherwise);
NULL on Segment rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from journeys_tools.generator.arrays import Ints
from journeys_tools.generator.catalog import (
    COUNTRIES,
    EXT_REFERRERS,
    FEATURE_VALUES,
    SITE_HOST,
    UTM_CAMPAIGNS,
    UTM_CONTENTS,
    UTM_MEDIUMS,
    UTM_SOURCES,
    UTM_TERMS,
)
from journeys_tools.generator.codes import DEVICE_CLASSES, FEATURE, ORDER, PING, PV
from journeys_tools.generator.columns import blank_to_null, const, take, timestamps, vocab, where
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.facts import expected_outcomes

RAW_EVENT_TABLES = ("pages", "tracks", "identifies", "events")
"""The raw tables with one row per event, in the order of the truth events table (the last is Snowplow's)."""
SNOWPLOW_EVENTS_CODE = 3

Columns = dict[str, pa.Array]


def _identity_columns(ctx: RenderContext, rows: Ints, code: int, raw: Columns) -> Columns:
    """Event type and name, device and user id as the stream reads them from the raw columns."""
    n = rows.size
    r = ctx.rows
    if code == SNOWPLOW_EVENTS_CODE:
        kind = ctx.outcomes.kind[rows]
        event_type = np.select([kind == PV, kind == PING], [0, 3], 1)
        event_name = raw["event_name"]
        device, user = raw["domain_userid"], raw["user_id"]
    else:
        event_type = np.full(n, (0, 1, 2)[code], dtype=np.int64)
        event_name = {
            0: const("page_view", n),
            1: raw.get("event"),
            2: const("identify", n),
        }[code]
        device, user = raw["anonymous_id"], raw["user_id"]
        if (r.no_device[rows] == 2).any():
            device, user = blank_to_null(device), blank_to_null(user)
        if code == 1 and (r.no_name[rows] == 2).any():
            event_name = blank_to_null(event_name)
    return {
        "device_id": device,
        "user_id": user,
        "event_type": take(vocab(["page_view", "track", "identify", "page_ping"]), event_type),
        "event_name": event_name,
    }


def _struct_columns(ctx: RenderContext, rows: Ints, code: int, raw: Columns) -> Columns:
    """Category, action and property as the stream reads them: Snowplow's se_ columns, a Segment track's
    property from its spec table."""
    if code == SNOWPLOW_EVENTS_CODE:
        return {
            "event_category": raw["se_category"],
            "event_action": raw["se_action"],
            "event_property": raw["se_property"],
        }
    feature = ctx.outcomes.kind[rows] == FEATURE
    value = np.where(feature, ctx.world.events.aux[ctx.rows.ev[rows]], -1)
    nulls = pa.nulls(rows.size, pa.string())
    return {"event_category": nulls, "event_action": nulls, "event_property": take(vocab(FEATURE_VALUES), value)}


def truth_event_columns(ctx: RenderContext, rows: Ints, code: int, raw: Columns) -> Columns:
    """Truth rows for one chunk of the raw table ``code``; ids and URLs share the raw arrays."""
    w, r, o = ctx.world, ctx.rows, ctx.outcomes
    n = rows.size
    ev = r.ev[rows]
    kind = o.kind[rows]
    sess = w.events.sess[ev]
    on_landing = w.pages.on_landing[ev]
    snow = code == SNOWPLOW_EVENTS_CODE
    journey = ~r.bad[rows] & w.events.human[ev]
    dev = o.dev[rows]
    country = w.traits.country[dev] if snow else np.full(n, -1)
    ident = _identity_columns(ctx, rows, code, raw)
    ext = w.pages.ref_ext[ev]
    hosts = [e[1].lower().removeprefix("www.") for e in EXT_REFERRERS]
    ref_host = np.where(w.pages.ref[ev] < 0, -1, np.where(ext >= 0, 1 + ext, 0))
    is_order = kind == ORDER
    revenue = np.append(w.orders.cents, 0)[np.where(is_order, w.events.aux[ev], -1)] / 100
    touches, ids = w.touches, ctx.vocabulary.ids

    def landing(codes: Ints, values: tuple[str, ...]) -> pa.Array:
        return take(vocab(values), np.where(on_landing, codes[sess], -1))

    return {
        "source": const("snowplow" if snow else "segment", n),
        "source_table": const(RAW_EVENT_TABLES[code], n),
        "event_id": raw["event_id" if snow else "id"],
        "expected_outcome": take(vocab(expected_outcomes()), o.outcome[rows]),
        "event_at": timestamps(ctx.us(o.event_time[rows]), ~o.has_event_time[rows]),
        "loaded_at": timestamps(ctx.us(o.loaded[rows])),
        "device_id": ident["device_id"],
        "user_id": ident["user_id"],
        "person_id": take(ids.person_ids, ctx.truth_person_idx(w.events.person[ev])),
        "session_id": take(ids.session_ids, np.where(journey, sess, -1)),
        "event_type": ident["event_type"],
        "event_name": ident["event_name"],
        **_struct_columns(ctx, rows, code, raw),
        "page_url": raw["page_url" if snow else "context_page_url"],
        "page_path": raw["page_urlpath" if snow else "context_page_path"],
        "utm_source": landing(touches.src, UTM_SOURCES),
        "utm_medium": landing(touches.med, UTM_MEDIUMS),
        "utm_campaign": landing(touches.camp, UTM_CAMPAIGNS),
        "utm_term": landing(touches.term, UTM_TERMS),
        "utm_content": landing(touches.content, UTM_CONTENTS),
        "click_id": where(on_landing, take(ctx.vocabulary.pages.sess_click_token, sess), pa.scalar(None, pa.string())),
        "referrer_host": take(vocab([SITE_HOST.removeprefix("www."), *hosts]), ref_host),
        "device_class": take(vocab(DEVICE_CLASSES), w.traits.cls[dev]),
        "revenue": pa.array(revenue, type=pa.float64(), mask=~is_order),
        "country": take(vocab([c[0] for c in COUNTRIES]), country),
        "page_view_id": take(
            ctx.vocabulary.pages.page_view_ids, w.pages.page_view_slot[ev] if snow else np.full(n, -1)
        ),
    }
