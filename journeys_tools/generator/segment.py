"""The Segment writer: pages, tracks and identifies (one raw row each), aliases, and the spec tables of
the tracked events that carry properties (order_completed, experiment_viewed, signed_up, and one per product
action: project_created, video_rendered, video_shared)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.arrays import Ints, uniform_ints
from journeys_tools.generator.catalog import (
    COUNTRIES,
    EXPERIMENTS,
    FEATURE_VALUES,
    FEATURES,
    FIRST_FEATURE_TRACK,
    N_VARIANTS,
    SEGMENT_TRACKS,
    UTM_CAMPAIGNS,
    UTM_CONTENTS,
    UTM_MEDIUMS,
    UTM_SOURCES,
    UTM_TERMS,
    VARIANT_SLOTS,
)
from journeys_tools.generator.codes import EXPOSURE, FEATURE, MIN, ORDER, SIGNUP, TS_NULL
from journeys_tools.generator.columns import const, pool, take, timestamps, vocab, where
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.strings import uuids

Columns = dict[str, pa.Array]


def _common(ctx: RenderContext, rows: Ints) -> Columns:
    """The columns every Segment call table has."""
    w, r, o = ctx.world, ctx.rows, ctx.outcomes
    ev = r.ev[rows]
    dev = o.dev[rows]
    t = o.t_real[rows]
    fut = r.future[rows]
    skew = w.traits.skew[dev]
    received = t + r.latency[rows]
    n = rows.size
    pages, devices = ctx.vocabulary.pages, ctx.vocabulary.devices
    return {
        "id": ctx.event_ids(rows),
        "anonymous_id": take(devices.device_ids_ext, ctx.device_idx(rows)),
        "user_id": take(ctx.vocabulary.ids.user_ids_ext, ctx.user_idx(rows)),
        "timestamp": timestamps(ctx.us(t + fut), r.state[rows] == TS_NULL),
        "original_timestamp": timestamps(ctx.us(t + skew + fut)),
        "sent_at": timestamps(ctx.us(received + skew + fut)),
        "received_at": timestamps(ctx.us(received)),
        "uuid_ts": timestamps(ctx.us(o.loaded[rows])),
        "context_user_agent": take(devices.user_agents, w.traits.ua[dev]),
        "context_ip": take(devices.device_ips, dev),
        "context_locale": take(vocab([c[1] for c in COUNTRIES]), w.traits.country[dev]),
        "context_library_name": const("analytics.js", n),
        "context_page_url": take(pages.urls, w.pages.url[ev]),
        "context_page_path": take(pages.paths, w.pages.page[ev]),
        "context_page_referrer": take(pages.refs, w.pages.ref[ev]),
        "context_page_title": take(pages.titles, w.pages.page[ev]),
    }


def pages_columns(ctx: RenderContext, rows: Ints) -> Columns:
    w, touches = ctx.world, ctx.world.touches
    cols = _common(ctx, rows)
    ev = ctx.rows.ev[rows]
    search = where(
        w.pages.on_landing[ev],
        pc.binary_join_element_wise(
            "?", take(ctx.vocabulary.pages.sess_query, w.events.sess[ev]), "", memory_pool=pool()
        ),
        pa.scalar(None, pa.string()),
    )
    cols.update(
        name=take(ctx.vocabulary.pages.page_names, w.pages.page[ev]),
        url=cols["context_page_url"],
        path=cols["context_page_path"],
        referrer=cols["context_page_referrer"],
        title=cols["context_page_title"],
        search=search,
        context_campaign_source=ctx.campaign(rows, touches.src, UTM_SOURCES, True),
        context_campaign_medium=ctx.campaign(rows, touches.med, UTM_MEDIUMS, True),
        context_campaign_name=ctx.campaign(rows, touches.camp, UTM_CAMPAIGNS, True),
        context_campaign_term=ctx.campaign(rows, touches.term, UTM_TERMS, True),
        context_campaign_content=ctx.campaign(rows, touches.content, UTM_CONTENTS, True),
    )
    return cols


def _track_name_idx(ctx: RenderContext, rows: Ints) -> Ints:
    r = ctx.rows
    ev = r.ev[rows]
    kind = ctx.outcomes.kind[rows]
    sub = ctx.world.events.sub[ev]
    special = [kind == SIGNUP, kind == ORDER, kind == EXPOSURE, kind == FEATURE]
    name = np.select(special, [3, 4, 5, FIRST_FEATURE_TRACK + sub], sub).astype(np.int64)
    return np.where(r.no_name[rows] == 1, -1, np.where(r.no_name[rows] == 2, len(SEGMENT_TRACKS), name))


def tracks_columns(ctx: RenderContext, rows: Ints) -> Columns:
    touches = ctx.world.touches
    cols = _common(ctx, rows)
    name = _track_name_idx(ctx, rows)
    cols.update(
        event=take(vocab([t[0] for t in SEGMENT_TRACKS] + [""]), name),
        event_text=take(vocab([t[1] for t in SEGMENT_TRACKS] + [""]), name),
        context_campaign_source=ctx.campaign(rows, touches.src, UTM_SOURCES, True),
        context_campaign_medium=ctx.campaign(rows, touches.med, UTM_MEDIUMS, True),
        context_campaign_name=ctx.campaign(rows, touches.camp, UTM_CAMPAIGNS, True),
    )
    return cols


def identifies_columns(ctx: RenderContext, rows: Ints) -> Columns:
    cols = _common(ctx, rows)
    uid = ctx.world.events.uid[ctx.rows.ev[rows]]
    cols["email"] = take(ctx.vocabulary.ids.emails, uid)
    return cols


def aliases_table(ctx: RenderContext, rng: np.random.Generator) -> pa.Table:
    users = ctx.world.users
    n = users.alias_time.size
    order = np.argsort(users.alias_time, kind="stable")
    received = users.alias_time[order] + uniform_ints(rng, 100, 2000, n)
    return pa.table(
        {
            "id": uuids(rng, n),
            "previous_id": take(ctx.vocabulary.ids.user_ids, users.alias_prev[order]),
            "user_id": take(ctx.vocabulary.ids.user_ids, users.alias_new[order]),
            "anonymous_id": take(ctx.vocabulary.devices.device_ids, users.alias_dev[order]),
            "timestamp": timestamps(ctx.us(users.alias_time[order])),
            "received_at": timestamps(ctx.us(received)),
            "uuid_ts": timestamps(ctx.us(received + uniform_ints(rng, MIN, 10 * MIN, n))),
        }
    )


def spec_tables(ctx: RenderContext, tracks: pa.Table, rows: Ints) -> dict[str, pa.Table]:
    """The spec tables: the tracks table's rows of each such event, with the event's properties."""
    w = ctx.world
    kind = ctx.outcomes.kind[rows]
    aux = w.events.aux[ctx.rows.ev[rows]]
    out: dict[str, pa.Table] = {}

    sel = np.flatnonzero(kind == ORDER)
    revenue = w.orders.cents[aux[sel]] / 100
    t = tracks.take(pa.array(sel))
    out["order_completed"] = (
        t.append_column("order_id", take(ctx.vocabulary.ids.order_ids, aux[sel]))
        .append_column("revenue", pa.array(revenue, type=pa.float64()))
        .append_column("total", pa.array(revenue, type=pa.float64()))
        .append_column("currency", const("USD", sel.size))
    )

    sel = np.flatnonzero(kind == EXPOSURE)
    code = w.events.sub[ctx.rows.ev[rows[sel]]]
    var_idx = code * N_VARIANTS + aux[sel]
    t = tracks.take(pa.array(sel))
    out["experiment_viewed"] = (
        t.append_column("experiment_id", take(vocab([e[0] for e in EXPERIMENTS]), code))
        .append_column("experiment_name", take(vocab([e[1] for e in EXPERIMENTS]), code))
        .append_column("variation_id", take(vocab(VARIANT_SLOTS), var_idx))
        .append_column("variation_name", take(vocab(VARIANT_SLOTS), var_idx))
    )

    sel = np.flatnonzero(kind == SIGNUP)
    t = tracks.take(pa.array(sel))
    method = take(vocab(["email", "google"]), w.identity.signup_method[aux[sel]])
    out["signed_up"] = t.append_column("method", method)

    action = np.where(kind == FEATURE, w.events.sub[ctx.rows.ev[rows]], -1)
    for code, feature in enumerate(FEATURES):
        sel = np.flatnonzero(action == code)
        t = tracks.take(pa.array(sel))
        out[feature.event] = t.append_column(feature.property, take(vocab(FEATURE_VALUES), aux[sel]))
    return out
