"""Integer codes and units shared by the stages: times are integer milliseconds since ``config.start``."""

from __future__ import annotations

SEC = 1_000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR
NEVER = 4 * 10**15
"""A time (ms) after every simulated event."""

# event kinds
PV, PING, TRACK, IDENTIFY, SIGNUP, ORDER, EXPOSURE, FEATURE = range(8)
"""FEATURE: an action in the product (see ``catalog.FEATURES``): ``sub`` is the action, ``aux`` its property value."""
SPEC_KINDS = (SIGNUP, ORDER, EXPOSURE)
"""Kinds that Segment also writes to a per-event spec table and that are delivered once: never a bad copy or
a redelivery, so their truth tables list each event once. FEATURE events have spec tables too, but are copied
like other tracks (a copy lands in tracks and in the spec table, as Segment lands a redelivered track)."""

# raw row timestamp states
TS_OK, TS_NULL, TS_BAD_DERIVED, TS_BAD_COLLECTOR, TS_NO_DERIVED = range(5)

# sources, person types, bot kinds
SEGMENT, SNOWPLOW = 0, 1
ANONYMOUS, SIGNS_UP, EXISTING_USER = 0, 1, 2
HUMAN, BOT_USER_AGENT, SPIDER = 0, 1, 2

# device classes
DESKTOP, MOBILE, TABLET = 0, 1, 2
DEVICE_CLASSES = ("desktop", "mobile", "tablet")
