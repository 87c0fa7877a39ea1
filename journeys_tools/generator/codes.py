"""Integer codes and units shared by the stages: times are integer milliseconds since ``config.start``."""

from __future__ import annotations

SEC = 1_000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR
NEVER = 4 * 10**15
"""A time (ms) after every simulated event."""

# event kinds
PV, PING, TRACK, IDENTIFY, SIGNUP, ORDER, EXPOSURE = range(7)
SPEC_KINDS = (SIGNUP, ORDER, EXPOSURE)
"""Kinds that Segment also writes to a per-event spec table."""

# raw row timestamp states
TS_OK, TS_NULL, TS_BAD_DERIVED, TS_BAD_COLLECTOR, TS_NO_DERIVED = range(5)

# sources, person types, bot kinds
SEGMENT, SNOWPLOW = 0, 1
ANONYMOUS, SIGNS_UP, EXISTING_USER = 0, 1, 2
HUMAN, BOT_USER_AGENT, SPIDER = 0, 1, 2

# device classes
DESKTOP, MOBILE, TABLET = 0, 1, 2
DEVICE_CLASSES = ("desktop", "mobile", "tablet")
