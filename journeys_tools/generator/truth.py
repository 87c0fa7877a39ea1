"""The ground truth the models are checked against, one table per entity, and its parquet files.

- ``events``: one row per raw event row (see :mod:`journeys_tools.generator.truth_events`).
- ``sessions``: one row per human session: its person, device, first and last event time, event count
  (kept events, a re-sent page view included), marketing touch (channel, utm, click id, referrer host,
  landing page) and whether a user id was seen.
- ``page_views``: one row per human page view (see :mod:`journeys_tools.generator.page_views`).
- ``persons``: one row per truth person (a merged pair is one person): devices, signup time, identified.
- ``devices``: every device, human or bot, with its person (NULL for bots), class and user agent.
- ``user_ids``, ``aliases``: the person of every user id, and the alias calls in time order.
- ``signups``, ``orders``: one row per signup and per order event, with its event id.
- ``experiment_assignments`` (see :mod:`journeys_tools.generator.experiment_truth`): one row per exposed
  (truth person, experiment). ``variant``: the person's assigned variant, the one their first exposure shows;
  ``is_multi_variant``: whether their exposures show two variants (every second one, in time order, the
  next variant: leave them out of the results). The other columns count the exposure rows a correct model
  keeps, the kept rows (``expected_outcome`` kept) of exposure events: a Segment ``Experiment Viewed`` track
  (table ``experiment_viewed``), or a Snowplow page view carrying the experiment's context (Optimizely X summary
  or feature flag; JSON column and context table give the same exposures). Quarantined rows (bad copies, bots:
  bots expose nothing anyway) and redeliveries of an event id (``duplicate_event_id``) are not exposures; a
  page view the tracker sent twice under two event ids is two. ``first_exposed_at``: the smallest ``event_at``
  (UTC) of those rows, ties by event id; ``exposure_count``: their number (a redelivery adds 0, a re-sent page
  view 1); ``first_source_system``: 'segment' or 'snowplow', the source of that first row;
  ``is_anonymous_at_exposure``: whether that first row carries no user id (the device was not yet logged in);
  ``is_exposed_before_signup``: whether the person signed up in the window (``persons.signed_up_at``) after
  ``first_exposed_at`` (False for persons who signed up before the window or not at all).
- ``experiment_effects``: the true effects (``catalog.EXPERIMENT_EFFECTS``, their one home): one row per
  experiment, variant other than the control and metric an effect moves, with ``absolute_lift``, the
  expected difference per exposed person of the metric between the variant and the control (0.0 for a
  variant without an effect). ``page_views``: a person's page views from their first exposure to the
  experiment on, within 14 days; exp_pricing_page's v2 adds one with probability 0.5 (a page view of
  /features/trip-planner 5-20 s after the person's first exposure, on the same device and in the same
  session, opened in a new tab), so v2's lift is 0.5 and v1's 0.
- ``milestones``: each signed-up person's first product actions and first order after signup (see
  :mod:`journeys_tools.generator.milestones`).
- ``conversion_touches``: each signup and order (a conversion, named as in seed ``conversion_definitions``) with
  the truth sessions of its truth person that started within the attribution lookback before it (30 days, the
  default of var ``journeys__attribution_lookback_days``): one row per touch, numbered in start order, or one
  row with ``touch_index`` 0 when there is none (see :mod:`journeys_tools.generator.conversion_touches`).
"""

from __future__ import annotations

import pathlib

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from journeys_tools.generator.arrays import run_starts
from journeys_tools.generator.catalog import (
    CH_PAID_SEARCH,
    CH_PAID_SOCIAL,
    CHANNELS,
    EXT_REFERRERS,
    UTM_CAMPAIGNS,
    UTM_MEDIUMS,
    UTM_SOURCES,
)
from journeys_tools.generator.codes import DEVICE_CLASSES, NEVER, ORDER, SIGNUP
from journeys_tools.generator.columns import const, take, timestamps, vocab
from journeys_tools.generator.config import GeneratedData
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.conversion_touches import conversion_touches_table
from journeys_tools.generator.experiment_truth import assignments_table, effects_table
from journeys_tools.generator.milestones import milestones_table
from journeys_tools.generator.page_views import page_views_table

TRUTH_TABLES = (
    "events",
    "sessions",
    "page_views",
    "persons",
    "devices",
    "user_ids",
    "aliases",
    "signups",
    "orders",
    "experiment_assignments",
    "experiment_effects",
    "milestones",
    "conversion_touches",
)


def entity_tables(ctx: RenderContext) -> dict[str, pa.Table]:
    """Every truth table but ``events``."""
    sessions, signups, orders = sessions_table(ctx), signups_table(ctx), orders_table(ctx)
    return {
        "sessions": sessions,
        "page_views": page_views_table(ctx),
        "persons": persons_table(ctx),
        "devices": devices_table(ctx),
        "user_ids": user_ids_table(ctx),
        "aliases": aliases_table(ctx),
        "signups": signups,
        "orders": orders,
        "experiment_assignments": assignments_table(ctx),
        "experiment_effects": effects_table(),
        "milestones": milestones_table(ctx),
        "conversion_touches": conversion_touches_table(sessions, signups, orders),
    }


def _referrer_hosts() -> list[str]:
    return [e[1].lower().removeprefix("www.") for e in EXT_REFERRERS]


def sessions_table(ctx: RenderContext) -> pa.Table:
    w, ids = ctx.world, ctx.vocabulary.ids
    ev = np.flatnonzero(w.events.human)
    sessions = np.arange(w.population.n_human_sessions, dtype=np.int64)
    ev_sess = w.events.sess[ev]
    starts = np.flatnonzero(run_starts(ev_sess))
    t = ctx.outcomes.event_time[ev]  # journey rows are rows 0..n_events-1
    started = np.minimum.reduceat(t, starts)
    ended = np.maximum.reduceat(t, starts)
    counts = np.diff(np.append(starts, ev.size))
    # a re-sent page view is one more event of its session
    resent = np.flatnonzero(ctx.rows.resent)
    resent_sess = w.events.sess[ctx.rows.ev[resent]]
    np.minimum.at(started, resent_sess, ctx.outcomes.event_time[resent])
    np.maximum.at(ended, resent_sess, ctx.outcomes.event_time[resent])
    counts += np.bincount(resent_sess, minlength=counts.size)
    identified = np.logical_or.reduceat(w.events.uid[ev] >= 0, starts)
    ch = w.touches.channel[sessions]
    landing_ev = w.events.sess_first_ev[sessions]
    sess_dev = w.population.sess_dev[sessions]
    return pa.table(
        {
            "session_id": take(ids.session_ids, sessions),
            "person_id": take(ids.person_ids, ctx.truth_person_idx(w.occupancy.sess_person[sessions])),
            "device_id": take(ctx.vocabulary.devices.device_ids, sess_dev),
            "source": take(vocab(["segment", "snowplow"]), w.population.dev_source[sess_dev]),
            "started_at": timestamps(ctx.us(started)),
            "ended_at": timestamps(ctx.us(ended)),
            "event_count": pa.array(counts.astype(np.int64)),
            "channel": take(vocab(CHANNELS), ch),
            "is_paid": pa.array(np.isin(ch, (CH_PAID_SEARCH, CH_PAID_SOCIAL))),
            "landing_page_path": take(ctx.vocabulary.pages.paths, w.events.path[landing_ev]),
            "utm_source": take(vocab(UTM_SOURCES), w.touches.src[sessions]),
            "utm_medium": take(vocab(UTM_MEDIUMS), w.touches.med[sessions]),
            "utm_campaign": take(vocab(UTM_CAMPAIGNS), w.touches.camp[sessions]),
            "click_id": ctx.vocabulary.pages.sess_click_token.slice(0, sessions.size),
            "referrer_host": take(vocab(_referrer_hosts()), w.touches.ref[sessions]),
            "is_identified": pa.array(identified),
        }
    )


def persons_table(ctx: RenderContext) -> pa.Table:
    w = ctx.world
    ev = np.flatnonzero(w.events.human)
    truth_person, n_devices_total = w.users.truth_person, w.population.n_devices
    tp = truth_person[w.events.person[ev]]
    n_p = w.population.n_persons
    pairs = np.unique(tp * n_devices_total + w.events.dev[ev])
    n_devices = np.bincount(pairs // n_devices_total, minlength=n_p)
    identified = np.bincount(tp, weights=(w.events.uid[ev] >= 0).astype(np.float64), minlength=n_p) > 0
    signed_up = np.full(n_p, NEVER, dtype=np.int64)
    signers = w.identity.signup_persons
    np.minimum.at(signed_up, truth_person[signers], w.identity.signup_time[signers])
    persons = np.flatnonzero(truth_person == np.arange(n_p))
    return pa.table(
        {
            "person_id": take(ctx.vocabulary.ids.person_ids, persons),
            "n_devices": pa.array(n_devices[persons].astype(np.int64)),
            "signed_up_at": timestamps(ctx.us(signed_up[persons]), signed_up[persons] == NEVER),
            "is_identified": pa.array(identified[persons]),
        }
    )


def devices_table(ctx: RenderContext) -> pa.Table:
    pop, traits, devices = ctx.world.population, ctx.world.traits, ctx.vocabulary.devices
    dev = np.arange(pop.n_devices, dtype=np.int64)
    return pa.table(
        {
            "device_id": devices.device_ids,
            "source": take(vocab(["segment", "snowplow"]), pop.dev_source),
            "person_id": take(ctx.vocabulary.ids.person_ids, ctx.truth_person_idx(pop.dev_person)),
            "is_shared": pa.array(ctx.world.occupancy.dev_second >= 0),
            "is_bot": pa.array(pop.dev_bot > 0),
            "device_class": take(vocab(DEVICE_CLASSES), traits.cls[dev]),
            "user_agent": take(devices.user_agents, traits.ua),
        }
    )


def user_ids_table(ctx: RenderContext) -> pa.Table:
    users, uid = ctx.world.users, ctx.world.events.uid
    seen = np.zeros(users.n_uids, dtype=bool)
    seen[uid[uid >= 0]] = True
    seen[users.alias_prev] = True
    seen[users.alias_new] = True
    ids = np.flatnonzero(seen)
    return pa.table(
        {
            "user_id": take(ctx.vocabulary.ids.user_ids, ids),
            "person_id": take(ctx.vocabulary.ids.person_ids, users.truth_person[users.uid_owner[ids]]),
        }
    )


def aliases_table(ctx: RenderContext) -> pa.Table:
    users, ids = ctx.world.users, ctx.vocabulary.ids
    order = np.argsort(users.alias_time, kind="stable")
    return pa.table(
        {
            "previous_id": take(ids.user_ids, users.alias_prev[order]),
            "user_id": take(ids.user_ids, users.alias_new[order]),
            "person_id": take(ids.person_ids, users.truth_person[users.alias_person[order]]),
        }
    )


def signups_table(ctx: RenderContext) -> pa.Table:
    w, users = ctx.world, ctx.world.users
    ev = np.flatnonzero(w.events.kind == SIGNUP)
    p = w.events.person[ev]
    t = w.events.t[ev]
    slot = (t >= users.uid_switch[p, 0]).astype(np.int64) + (t >= users.uid_switch[p, 1])
    return pa.table(
        {
            "person_id": take(ctx.vocabulary.ids.person_ids, users.truth_person[p]),
            "user_id": take(ctx.vocabulary.ids.user_ids, users.uid[p, slot]),
            "event_id": ctx.journey_event_ids(ev),
            "signed_up_at": timestamps(ctx.us(ctx.outcomes.event_time[ev])),
        }
    )


def orders_table(ctx: RenderContext) -> pa.Table:
    w = ctx.world
    ev = np.flatnonzero(w.events.kind == ORDER)
    return pa.table(
        {
            "event_id": ctx.journey_event_ids(ev),
            "person_id": take(ctx.vocabulary.ids.person_ids, w.users.truth_person[w.events.person[ev]]),
            "ordered_at": timestamps(ctx.us(ctx.outcomes.event_time[ev])),
            "revenue": pa.array(w.orders.cents[w.events.aux[ev]] / 100, type=pa.float64()),
            "currency": const("USD", ev.size),
        }
    )


def write_truth(data: GeneratedData, directory: pathlib.Path) -> None:
    """Write each truth table as ``<name>.parquet`` in ``directory`` (created when missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in data.truth.items():
        pq.write_table(table, directory / f"{name}.parquet")


def read_truth(directory: pathlib.Path) -> dict[str, pa.Table]:
    """Read the truth tables written by :func:`write_truth`."""
    return {path.stem: pq.read_table(path) for path in sorted(directory.glob("*.parquet"))}
