"""The journey event stream: base events merged with the inserted ones (signups, logins, orders, product
actions, and the experiment exposures Segment fires), sorted by session and time, with each event's device,
person and user id; later page views opened in a new tab (an experiment's effect) inserted into it; then the
page each event happened on, its URL and referrer.

The page an event happened on is the session's latest page view before it, but for a page view opened in a
new tab (``Events.new_tab``): it is its own page, and the events after it stay on the page it was opened from
(the tab the visitor goes on using), as does the session's next page view's referrer."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from journeys_tools.generator.arrays import Ints, Mask, compact, run_starts, uniform_ints
from journeys_tools.generator.catalog import EXPERIMENTS, PAGES
from journeys_tools.generator.codes import EXPOSURE, PV, SEGMENT, SNOWPLOW
from journeys_tools.generator.devices import Occupancy
from journeys_tools.generator.population import BaseEvents, Population
from journeys_tools.generator.sessions import BaseDetails, Touches


@dataclass
class Insertion:
    """Events inserted into sessions at ``off`` ms after their start; ``seq`` orders equal times, ``path``
    is the page of a page view, ``payload`` indexes the signup, order, variant or property value the event
    carries, ``sub`` is a product action's action."""

    sess: Ints
    off: Ints
    kind: Ints
    seq: Ints
    path: Ints
    payload: Ints
    sub: Ints = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def insertion(
    sess: Ints,
    off: Ints,
    kind: int,
    seq: int,
    path: int | Ints = -1,
    payload: Ints | None = None,
    sub: Ints | None = None,
) -> Insertion:
    n = sess.size
    return Insertion(
        sess=sess,
        off=off,
        kind=np.full(n, kind, dtype=np.int64),
        seq=np.full(n, seq, dtype=np.int64),
        path=np.full(n, path, dtype=np.int64),
        payload=np.zeros(n, dtype=np.int64) if payload is None else payload,
        sub=np.zeros(n, dtype=np.int64) if sub is None else sub,
    )


@dataclass
class Events:
    """Journey events (humans and bots), sorted by session then time; ``t`` in ms since config.start."""

    sess: Ints
    kind: Ints
    path: Ints
    aux: Ints
    """Product of a track, order index of an order, variant of an exposure (a Segment exposure track, or a
    Snowplow page view of an experiment's page: see :mod:`.experiments`), signup index of a signup, property
    value (index into FEATURE_VALUES) of a product action."""
    sub: Ints
    """Track subtype, experiment code of an exposure, or action (index into FEATURES) of a product action."""
    t: Ints
    dev: Ints
    person: Ints
    uid: Ints
    """User id (index) the event carries; -1 when anonymous."""
    sess_first_ev: Ints
    new_tab: Mask
    """A page view opened in a new tab: not the page of the events after it."""

    @property
    def n(self) -> int:
        return int(self.sess.size)

    @property
    def human(self) -> Mask:
        return self.person >= 0


@dataclass
class PageContext:
    """Per event: the page it happened on (the session's current page view) and where that came from."""

    page: Ints
    """Page (index into PAGES) of the current page view."""
    on_landing: Mask
    url: Ints
    """Index into [plain page URLs..., landing URL of each session...]."""
    ref: Ints
    """Index into [page URLs..., landing URLs..., external referrers...]; -1 for none."""
    ref_ext: Ints
    ref_path: Ints
    page_view: Ints
    """Event index of the current page view."""
    page_view_slot: Ints
    """Index of the current page view among the Snowplow page views (its page_view_id); -1 on Segment."""
    n_snowplow_page_views: int


def merge(
    pop: Population,
    base: BaseEvents,
    details: BaseDetails,
    inserted: list[Insertion],
    occupancy: Occupancy,
    occ_id_from: Ints,
    uid: Ints,
    uid_switch: Ints,
    rng: np.random.Generator,
) -> Events:
    """Merge base and inserted events, add experiment exposures, sort, assign user ids."""
    sess = [base.sess] + [i.sess for i in inserted]
    off = [base.off] + [i.off for i in inserted]
    kind = [base.kind] + [i.kind for i in inserted]
    seq = [np.zeros(base.sess.size, dtype=np.int64)] + [i.seq for i in inserted]
    path = [details.path] + [i.path for i in inserted]
    aux = [details.aux] + [i.payload for i in inserted]
    sub = [details.sub] + [i.sub for i in inserted]
    all_sess = np.concatenate(sess)
    all_path = np.concatenate(path)
    all_off = np.concatenate(off)
    # Segment devices fire an experiment exposure after each page view of an experiment's page
    exposed_dev = (pop.dev_source == SEGMENT) & (pop.dev_bot == 0)
    for code, experiment in enumerate(EXPERIMENTS):
        pv = np.flatnonzero((all_path == experiment.path) & exposed_dev[pop.sess_dev[all_sess]])
        sess.append(all_sess[pv])
        off.append(all_off[pv] + uniform_ints(rng, 500, 700, pv.size))
        kind.append(np.full(pv.size, EXPOSURE, dtype=np.int64))
        seq.append(np.full(pv.size, 5, dtype=np.int64))
        path.append(np.full(pv.size, -1, dtype=np.int64))
        aux.append(np.zeros(pv.size, dtype=np.int64))
        sub.append(np.full(pv.size, code, dtype=np.int64))
    all_sess = np.concatenate(sess)
    all_off = np.concatenate(off)
    all_seq = np.concatenate(seq)
    if all_off.size and int(all_off.max()) >= 1 << 28:
        raise ValueError("a session lasts too long for the event sort key")
    order = np.argsort((all_sess << 32) | (all_off << 3) | all_seq, kind="stable")
    ev_sess = all_sess[order]
    ev_t = pop.sess_start[ev_sess] + all_off[order]
    del all_off, all_seq
    ev_person = occupancy.sess_person[ev_sess]
    return Events(
        sess=ev_sess,
        kind=np.concatenate(kind)[order],
        path=np.concatenate(path)[order],
        aux=np.concatenate(aux)[order],
        sub=np.concatenate(sub)[order],
        t=ev_t,
        dev=pop.sess_dev[ev_sess],
        person=ev_person,
        uid=_user_ids(ev_sess, ev_t, occupancy, occ_id_from, uid, uid_switch),
        sess_first_ev=np.flatnonzero(run_starts(ev_sess)).astype(np.int64),
        new_tab=np.zeros(ev_sess.size, dtype=bool),
    )


def _user_ids(sess: Ints, t: Ints, occupancy: Occupancy, occ_id_from: Ints, uid: Ints, uid_switch: Ints) -> Ints:
    """The user id (index) events of these sessions carry at these times; -1 when anonymous."""
    person = occupancy.sess_person[sess]
    p = np.maximum(person, 0)
    identified = (person >= 0) & (t >= occ_id_from[occupancy.sess_occ[sess]])
    slot = (t >= uid_switch[p, 0]).astype(np.int64) + (t >= uid_switch[p, 1])
    return np.where(identified, uid[p, slot], -1)


def insert_new_tab_page_views(
    events: Events,
    sess: Ints,
    t: Ints,
    path: Ints,
    pop: Population,
    occupancy: Occupancy,
    occ_id_from: Ints,
    uid: Ints,
    uid_switch: Ints,
) -> Events:
    """The stream with page views opened in a new tab (of ``path``, in ``sess`` at ``t``) inserted in session
    and time order, after the events of the same time; each with its device, person and user id."""
    order = np.lexsort((t, sess))
    sess, t, path = sess[order], t[order], path[order]
    key = (events.sess.astype(np.int64) << 31) | (events.t - pop.sess_start[events.sess])
    new_key = (sess << 31) | (t - pop.sess_start[sess])
    if new_key.size and int((t - pop.sess_start[sess]).max()) >= 1 << 31:
        raise ValueError("a session lasts too long for the event sort key")
    at = np.searchsorted(key, new_key, side="right")
    n = sess.size

    def put(values: Ints | Mask, new: Ints | Mask) -> Ints | Mask:
        return np.insert(values, at, new)

    new_sess = put(events.sess, sess)
    return Events(
        sess=new_sess,
        kind=put(events.kind, np.full(n, PV, dtype=np.int64)),
        path=put(events.path, path),
        aux=put(events.aux, np.zeros(n, dtype=np.int64)),
        sub=put(events.sub, np.zeros(n, dtype=np.int64)),
        t=put(events.t, t),
        dev=put(events.dev, pop.sess_dev[sess]),
        person=put(events.person, occupancy.sess_person[sess]),
        uid=put(events.uid, _user_ids(sess, t, occupancy, occ_id_from, uid, uid_switch)),
        sess_first_ev=np.flatnonzero(run_starts(new_sess)).astype(np.int64),
        new_tab=put(events.new_tab, np.ones(n, dtype=bool)),
    )


def page_context(events: Events, touches: Touches, pop: Population) -> PageContext:
    """Current page, its URL and referrer for each event; stores the index arrays as int32."""
    n, n_sessions = events.n, pop.n_sessions
    n_pages = len(PAGES)
    idx = np.arange(n, dtype=np.int64)
    is_pv = events.kind == PV
    landing = run_starts(events.sess)
    in_tab = np.maximum.accumulate(np.where(is_pv & ~events.new_tab, idx, 0))
    cur = np.where(events.new_tab, idx, in_tab)
    prev = np.zeros(n, dtype=np.int64)
    prev[1:] = in_tab[:-1]
    # url index into [plain page URLs..., landing URL of each session...]
    pv_url = np.where(landing, n_pages + events.sess, events.path)
    on_landing = landing[cur]
    # referrer index into [page URLs..., landing URLs..., external referrers...]
    ext = touches.ref[events.sess]
    pv_ref = np.where(landing, np.where(ext >= 0, n_pages + n_sessions + ext, -1), pv_url[prev])
    snowplow = pop.dev_source[events.dev] == SNOWPLOW
    snowplow_page_view = is_pv & snowplow
    slot = np.cumsum(snowplow_page_view) - 1
    context = PageContext(
        page=events.path[cur],
        on_landing=on_landing,
        url=pv_url[cur],
        ref=pv_ref[cur],
        ref_ext=np.where(on_landing, ext, -1),
        ref_path=np.where(on_landing, -1, events.path[prev[cur]]),
        page_view=cur,
        page_view_slot=np.where(snowplow, slot[cur], -1),
        n_snowplow_page_views=int(snowplow_page_view.sum()),
    )
    compact(events, ("sess", "kind", "path", "aux", "sub", "dev", "person", "uid"))
    compact(context, ("page", "url", "ref", "ref_ext", "ref_path", "page_view", "page_view_slot"))
    return context
