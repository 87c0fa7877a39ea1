"""Snowplow's web tracker as the generator simulates it: page view ids, page ping timing, re-sent page views.

Page view ids. Every Snowplow event carries the web_page context of the page it happened on, as the
JavaScript tracker attaches it to every event: ``contexts_com_snowplowanalytics_snowplow_web_page_1_0_0``
= ``[{"id":"<uuid>"}]``. A page view gets a new id; its page pings, link clicks, structured events,
signups and transactions, up to the session's next page view, carry the same id. A page view opened in a new
tab (an experiment's effect, see :mod:`journeys_tools.generator.experiments`) has an id of its own, but the
events after it carry the id of the page it was opened from, up to that tab's next page view. A few page views
(``config.resent_page_view_rate`` of the human ones) are sent twice: a second page_view row with the same
id and a new event_id, 5-900 ms after the first (a tracker calling trackPageView twice on one page); it
is a kept event of the same session, and one page view.

Page ping timing (activity tracking with ``minimumVisitLength`` 5 s and ``heartbeatDelay`` 10 s). Page
pings are sent on the heartbeat grid of their page view: the k-th heartbeat window of a page view seen at
``T`` starts at ``T + 5 s + k * 10 s``, and a ping is sent at the start of a window in which the visitor
was active, late by the browser's timer jitter (mostly tens of ms, at most 1.5 s). Windows without
activity send no ping, so a page view's pings fall in increasing, not always consecutive, windows.

Engaged time (the truth table ``page_views``), for each page view:

- ``page_view_at`` = the earliest ``event_at`` of the page view's page_view rows (the first delivery when
  it was sent twice);
- for each kept page ping of the page view, window = floor((ping ``event_at`` - ``page_view_at`` - 5 s)
  / 10 s) (``event_at`` as the canonical stream has it: derived_tstamp, else collector_tstamp);
- ``ping_count`` = the number of kept page pings; windows = the number of distinct windows among them;
- ``engaged_seconds`` = 5 + 10 * (windows - 1) when there is at least one ping, else 0.

Segment page views have no pings: engaged_seconds 0, their page_view_id is the page call's event id.
"""

from __future__ import annotations

import numpy as np

from journeys_tools.generator.arrays import Ints
from journeys_tools.generator.codes import PING, PV, SEC
from journeys_tools.generator.population import BaseEvents

MIN_VISIT_MS = 5 * SEC
"""The tracker's minimumVisitLength: the first heartbeat window starts this long after the page view."""
HEARTBEAT_MS = 10 * SEC
"""The tracker's heartbeatDelay: the length of a heartbeat window."""
MAX_JITTER_MS = 1_500
"""Latest a ping fires after the start of its window; below the 5 s gap that follows every base event,
so re-timed pings keep their order, and inserted flows (up to 3.2 s after the last event of a page) stay
before the next page view."""


def heartbeat_window(ping_ms: Ints, page_view_ms: Ints) -> Ints:
    """The heartbeat window of a ping: floor((ping - page view - minimum visit) / heartbeat)."""
    return (ping_ms - page_view_ms - MIN_VISIT_MS) // HEARTBEAT_MS


def engaged_seconds(windows: Ints) -> Ints:
    """Engaged seconds of page views with ``windows`` distinct heartbeat windows with a ping."""
    return np.where(windows > 0, MIN_VISIT_MS // SEC + HEARTBEAT_MS // SEC * (windows - 1), 0)


def snap_pings_to_heartbeat(base: BaseEvents, rng: np.random.Generator) -> None:
    """Move each base page ping to the start of the heartbeat window it fell in, plus timer jitter.

    The base events put a ping 10-30 s after the event before it; the window it falls in (counted from
    its page view) is kept, so a ping stays after the event before it and before the event after it.
    """
    idx = np.arange(base.sess.size, dtype=np.int64)
    current_page_view = np.maximum.accumulate(np.where(base.kind == PV, idx, 0))
    ping = np.flatnonzero(base.kind == PING)
    page_view_ms = base.off[current_page_view[ping]]
    window = heartbeat_window(base.off[ping], page_view_ms)
    jitter = np.minimum(rng.exponential(120.0, ping.size).astype(np.int64), MAX_JITTER_MS)
    base.off[ping] = page_view_ms + MIN_VISIT_MS + HEARTBEAT_MS * window + jitter


def last_event_of_page(base: BaseEvents) -> Ints:
    """For each base event, the last base event of its page (before the session's next page view)."""
    n = base.sess.size
    is_pv = base.kind == PV
    page = np.cumsum(is_pv) - 1
    next_page_view = np.append(np.flatnonzero(is_pv)[1:], n)
    return next_page_view[page] - 1
