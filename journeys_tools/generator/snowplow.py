"""The Snowplow writer: atomic ``events`` as an enriched stream lands as text (every column a string, empty
values NULL), with its contexts both as JSON columns and, as a shredding loader writes them, as context
tables beside it (IAB spiders-and-robots; web_page; the experiment contexts, see
:mod:`journeys_tools.generator.exposure_contexts`). Every event carries the web_page context of its page view
(see :mod:`journeys_tools.generator.tracker`)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from journeys_tools.generator.arrays import Ints
from journeys_tools.generator.catalog import (
    CLICK_NETWORKS,
    COUNTRIES,
    EXT_REFERRERS,
    FEATURE_VALUES,
    FIRST_FEATURE_STRUCT,
    GARBAGE_TIMESTAMPS,
    PAGES,
    PRODUCT_PRICES,
    PRODUCTS,
    SITE_HOST,
    SNOWPLOW_EVENTS,
    SPIDER_VERDICTS,
    STRUCT_EVENTS,
    UTM_CAMPAIGNS,
    UTM_CONTENTS,
    UTM_MEDIUMS,
    UTM_SOURCES,
    UTM_TERMS,
    VIEWPORTS,
)
from journeys_tools.generator.codes import (
    FEATURE,
    ORDER,
    PING,
    PV,
    SIGNUP,
    TRACK,
    TS_BAD_COLLECTOR,
    TS_BAD_DERIVED,
    TS_NO_DERIVED,
    TS_NULL,
)
from journeys_tools.generator.columns import const, format_ms, int_strings, take, value_where, vocab, where
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.exposure_contexts import exposure_context_columns

Columns = dict[str, pa.Array]
_NULL = pa.scalar(None, pa.string())


def events_columns(ctx: RenderContext, rows: Ints, rng: np.random.Generator) -> Columns:
    """The columns of ``atomic.events`` for the given raw rows, in the order Snowplow's loader has them."""
    return {
        **_tstamps_and_event(ctx, rows),
        **_user_and_page(ctx, rows),
        **_referrer_and_marketing(ctx, rows),
        **_event_properties(ctx, rows, rng),
        **exposure_context_columns(ctx, rows),
    }


def _tstamps_and_event(ctx: RenderContext, rows: Ints) -> Columns:
    r, o = ctx.rows, ctx.outcomes
    n = rows.size
    ev = r.ev[rows]
    kind = o.kind[rows]
    state = r.state[rows]
    t = o.t_real[rows]
    fut = r.future[rows]
    skew = ctx.world.traits.skew[o.dev[rows]]
    collector = t + r.latency[rows]
    etl = collector + r.etl[rows]
    garbage = take(vocab(GARBAGE_TIMESTAMPS), r.garbage[rows])

    def ts(ms: Ints) -> pa.Array:
        return format_ms(ctx.start_ms + ms)

    derived = ts(t + fut)
    derived = where(state == TS_BAD_DERIVED, garbage, derived)
    derived = where(np.isin(state, (TS_NULL, TS_BAD_COLLECTOR, TS_NO_DERIVED)), _NULL, derived)
    collector_s = where(state == TS_BAD_COLLECTOR, garbage, ts(collector))
    collector_s = where(state == TS_NULL, _NULL, collector_s)
    shape = np.select(
        [kind == PV, kind == PING, kind == TRACK, kind == SIGNUP, kind == ORDER, kind == FEATURE],
        [0, 1, 2 + ctx.world.events.sub[ev], 5, 6, 3],
        0,
    )

    def shape_col(pos: int) -> pa.Array:
        return take(vocab([s[pos] for s in SNOWPLOW_EVENTS]), shape)

    return {
        "app_id": const("journeys-web", n),
        "platform": const("web", n),
        "etl_tstamp": ts(etl),
        "collector_tstamp": collector_s,
        "dvce_created_tstamp": ts(t + skew + fut),
        "dvce_sent_tstamp": ts(collector + skew + fut),
        "derived_tstamp": derived,
        "load_tstamp": ts(o.loaded[rows]),
        "event": shape_col(0),
        "event_id": ctx.event_ids(rows),
        "event_vendor": shape_col(1),
        "event_name": shape_col(2),
        "event_format": shape_col(3),
        "event_version": shape_col(4),
        "name_tracker": const("sp", n),
        "v_tracker": const("js-3.24.2", n),
    }


def _user_and_page(ctx: RenderContext, rows: Ints) -> Columns:
    w, v = ctx.world, ctx.vocabulary
    n = rows.size
    ev = ctx.rows.ev[rows]
    dev = ctx.outcomes.dev[rows]
    sess = w.events.sess[ev]
    page = w.pages.page[ev]
    return {
        "user_id": take(v.ids.user_ids_ext, ctx.user_idx(rows)),
        "user_ipaddress": take(v.devices.device_ips, dev),
        "domain_userid": take(v.devices.device_ids_ext, ctx.device_idx(rows)),
        "domain_sessionidx": take(v.ids.sess_index, sess),
        "domain_sessionid": take(v.ids.sess_tracker_ids, sess),
        "network_userid": take(v.devices.network_ids, dev),
        "geo_country": take(vocab([c[0] for c in COUNTRIES]), w.traits.country[dev]),
        "page_url": take(v.pages.urls, w.pages.url[ev]),
        "page_title": take(v.pages.titles, page + len(PAGES) * ctx.rows.alt_title[rows]),
        "page_referrer": take(v.pages.refs, w.pages.ref[ev]),
        "page_urlscheme": const("https", n),
        "page_urlhost": const(SITE_HOST, n),
        "page_urlport": const("443", n),
        "page_urlpath": take(v.pages.paths, page),
        "page_urlquery": where(w.pages.on_landing[ev], take(v.pages.sess_query, sess), _NULL),
    }


def _referrer_and_marketing(ctx: RenderContext, rows: Ints) -> Columns:
    w, touches = ctx.world, ctx.world.touches
    ev = ctx.rows.ev[rows]
    sess = w.events.sess[ev]
    split = w.pages.on_landing[ev] & ~touches.unsplit[sess]
    ext = w.pages.ref_ext[ev]
    ref_kind = np.where(w.pages.ref[ev] < 0, -1, np.where(ext >= 0, 1, 0))
    return {
        "refr_urlscheme": value_where(ref_kind >= 0, "https"),
        "refr_urlhost": take(
            vocab([SITE_HOST] + [e[1] for e in EXT_REFERRERS]),
            np.where(ref_kind == 1, 1 + ext, ref_kind),
        ),
        "refr_urlpath": where(
            ref_kind == 1,
            take(vocab([e[2] for e in EXT_REFERRERS]), ext),
            take(ctx.vocabulary.pages.paths, np.where(ref_kind == 0, w.pages.ref_path[ev], -1)),
        ),
        "refr_medium": take(
            vocab(["internal"] + [e[3] for e in EXT_REFERRERS]),
            np.where(ref_kind == 1, 1 + ext, ref_kind),
        ),
        "refr_source": take(vocab([e[4] for e in EXT_REFERRERS]), np.where(ref_kind == 1, ext, -1)),
        "mkt_medium": take(vocab(UTM_MEDIUMS), np.where(split, touches.med[sess], -1)),
        "mkt_source": take(vocab(UTM_SOURCES), np.where(split, touches.src[sess], -1)),
        "mkt_term": take(vocab(UTM_TERMS), np.where(split, touches.term[sess], -1)),
        "mkt_content": take(vocab(UTM_CONTENTS), np.where(split, touches.content[sess], -1)),
        "mkt_campaign": take(vocab(UTM_CAMPAIGNS), np.where(split, touches.camp[sess], -1)),
        "mkt_clickid": where(split, take(ctx.vocabulary.pages.sess_click_token, sess), _NULL),
        "mkt_network": take(vocab(CLICK_NETWORKS), np.where(split, touches.click[sess], -1)),
    }


def _event_properties(ctx: RenderContext, rows: Ints, rng: np.random.Generator) -> Columns:
    """Structured event, transaction and page ping fields, the browser, and the spiders context column.

    Structured events: a product track (view_item, add_to_cart; se_label the product, se_value its price) and
    a product action (se_property its property value)."""
    w = ctx.world
    n = rows.size
    ev = ctx.rows.ev[rows]
    dev = ctx.outcomes.dev[rows]
    kind = ctx.outcomes.kind[rows]
    sess = w.events.sess[ev]
    sub = w.events.sub[ev]
    aux = w.events.aux[ev]
    is_struct = (kind == TRACK) & (sub > 0)
    is_feature = kind == FEATURE
    struct_event = np.where(is_struct, sub - 1, np.where(is_feature, FIRST_FEATURE_STRUCT + sub, -1))
    is_order = kind == ORDER
    is_ping = kind == PING
    cls = w.traits.cls[dev]
    doc_height = 1800 + 350 * w.pages.page[ev] + (sess % 7) * 40
    view_height = np.array([v[2] for v in VIEWPORTS])[cls]
    # scroll offsets (shown on pings); a re-sent page view draws none, so the other rows' draws stay
    drawn = ~ctx.rows.resent[rows]
    y_max = np.zeros(n, dtype=np.int64)
    y_min = np.zeros(n, dtype=np.int64)
    y_max[drawn] = (rng.random(int(drawn.sum())) * np.maximum(doc_height - view_height, 1)[drawn]).astype(np.int64)
    y_min[drawn] = (rng.random(int(drawn.sum())) * y_max[drawn]).astype(np.int64)
    json_verdicts = vocab(
        [
            f'[{{"category":"{c}","primaryImpact":"{i}","reason":"{reason}","spiderOrRobot":{s}}}]'
            for c, i, reason, s in SPIDER_VERDICTS
        ]
    )
    country = w.traits.country[dev]
    return {
        "se_category": take(vocab([e[0] for e in STRUCT_EVENTS]), struct_event),
        "se_action": take(vocab([e[1] for e in STRUCT_EVENTS]), struct_event),
        "se_label": take(vocab(PRODUCTS), np.where(is_struct, aux, -1)),
        "se_property": take(vocab(FEATURE_VALUES), np.where(is_feature, aux, -1)),
        "se_value": take(vocab(PRODUCT_PRICES), np.where(is_struct, aux, -1)),
        "tr_orderid": take(ctx.vocabulary.ids.order_ids, np.where(is_order, aux, -1)),
        "tr_total": take(ctx.vocabulary.ids.order_totals, np.where(is_order, aux, -1)),
        "tr_currency": value_where(is_order, "USD"),
        "pp_xoffset_min": value_where(is_ping, "0"),
        "pp_xoffset_max": value_where(is_ping, "0"),
        "pp_yoffset_min": int_strings(y_min, ~is_ping),
        "pp_yoffset_max": int_strings(y_max, ~is_ping),
        "doc_width": int_strings(np.array([v[0] for v in VIEWPORTS])[cls]),
        "doc_height": int_strings(doc_height),
        "br_viewwidth": int_strings(np.array([v[1] for v in VIEWPORTS])[cls]),
        "br_viewheight": int_strings(view_height),
        "useragent": take(ctx.vocabulary.devices.user_agents, w.traits.ua[dev]),
        "br_lang": take(vocab([c[1] for c in COUNTRIES]), country),
        "os_timezone": take(vocab([c[2] for c in COUNTRIES]), country),
        "contexts_com_snowplowanalytics_snowplow_web_page_1_0_0": take(
            ctx.vocabulary.pages.web_page_contexts, w.pages.page_view_slot[ev]
        ),
        "contexts_com_iab_snowplow_spiders_and_robots_1_0_0": take(json_verdicts, w.population.dev_bot[dev]),
    }


def spider_context_columns(ctx: RenderContext, rows: Ints, cols: Columns) -> Columns:
    """Rows of the spiders-and-robots context table for Snowplow rows with an event id."""
    has_id = ctx.rows.key[rows] >= 0
    sel = pa.array(np.flatnonzero(has_id))
    verdict = ctx.world.population.dev_bot[ctx.outcomes.dev[rows]][has_id]

    def col(pos: int) -> pa.Array:
        return take(vocab([v[pos] for v in SPIDER_VERDICTS]), verdict)

    return {
        "root_id": cols["event_id"].take(sel),
        "root_tstamp": cols["collector_tstamp"].take(sel),
        "category": col(0),
        "primaryimpact": col(1),
        "reason": col(2),
        "spiderorrobot": col(3),
    }


def web_page_context_columns(ctx: RenderContext, rows: Ints, cols: Columns) -> Columns:
    """Rows of the web_page context table (the page view id of each event) for Snowplow rows with an id."""
    has_id = ctx.rows.key[rows] >= 0
    sel = pa.array(np.flatnonzero(has_id))
    slot = ctx.world.pages.page_view_slot[ctx.rows.ev[rows]][has_id]
    return {
        "root_id": cols["event_id"].take(sel),
        "root_tstamp": cols["collector_tstamp"].take(sel),
        "id": take(ctx.vocabulary.pages.page_view_ids, slot),
    }
