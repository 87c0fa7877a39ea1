"""The generator's parameters and its output."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyarrow as pa


@dataclass(frozen=True)
class GeneratorConfig:
    """Parameters of one generated data set; equal configs give byte-identical tables."""

    seed: int = 42
    events: int = 20_000
    """Approximate number of raw event rows over all sources (journeys, bots and bad rows)."""
    start: datetime = datetime(2026, 1, 5, tzinfo=UTC)
    """Start of the window in which sessions start (naive datetimes are read as UTC)."""
    days: int = 14
    """Length of the window in which sessions start."""
    segment_share: float = 0.6
    """Share of devices tracked by Segment; the others are tracked by Snowplow."""
    duplicate_rate: float = 0.01
    """Redeliveries of valid events (same id, later loaded_at), per journey event."""
    null_id_rate: float = 0.002
    """Rows with a NULL or '' event id (missing_event_id), per journey event."""
    null_timestamp_rate: float = 0.002
    """Rows without an event time (missing_timestamp), per journey event."""
    unparseable_timestamp_rate: float = 0.002
    """Snowplow rows whose event time string is not a timestamp (unparseable_timestamp), per journey event."""
    null_device_rate: float = 0.002
    """Rows with neither device id nor user id (missing_device_and_user_id), per journey event."""
    null_event_name_rate: float = 0.002
    """Segment tracks with a NULL or '' event name (missing_event_name), per journey event."""
    future_rate: float = 0.002
    """Rows whose device clock is days ahead (future_timestamp), per journey event."""
    late_rate: float = 0.01
    """Share of journey events loaded 1-72 hours after they happened (kept)."""
    bot_device_share: float = 0.01
    """Bot devices with a bot user agent (bot_user_agent), per human device."""
    spider_device_share: float = 0.005
    """Snowplow bot devices with a human user agent flagged by the IAB context (bot_spider_context)."""
    shared_device_share: float = 0.005
    """Human devices used in turn by two persons, each logging in in their own sessions."""
    signup_share: float = 0.4
    """Share of persons who sign up during the window (anonymous before the signup session)."""
    existing_user_share: float = 0.15
    """Share of persons who signed up before the window and log in during it."""
    order_session_rate: float = 0.2
    """Share of sessions that are logged in from their start that end with an order."""
    project_person_share: float = 0.55
    """Share of signed-up persons who create a project in the video product: in the signup session after signing
    up, or in a later logged-in session; one with no page after signing up cannot (see
    :mod:`journeys_tools.generator.product`)."""
    render_project_share: float = 0.65
    """Share of projects whose video is rendered, later than the project is created (when the person has a later
    page in the window)."""
    share_video_share: float = 0.45
    """Share of rendered videos that are shared, later than they are rendered (likewise)."""
    another_project_share: float = 0.3
    """Share of project creators who create another project after their last one (asked again after each, up to
    five projects)."""
    alias_person_share: float = 0.05
    """Share of identified persons whose older user id is aliased to a newer one."""
    merge_pairs: int = 1
    """Pairs of persons whose user ids are merged by an alias; the truth treats each pair as one person."""
    multi_variant_share: float = 0.01
    """Share of exposed persons deliberately seen in two variants of one experiment."""
    unsplit_campaign_share: float = 0.2
    """Share of campaign landings whose utm parameters are not split into columns by the vendor."""
    resent_page_view_rate: float = 0.005
    """Share of Snowplow page views the tracker sends twice: same page_view_id, another event_id (kept)."""

    def __post_init__(self) -> None:
        if self.events < 1 or self.days < 1 or self.merge_pairs < 0:
            raise ValueError("events and days must be positive, merge_pairs not negative")
        shares = {k: v for k, v in vars(self).items() if isinstance(v, float)}
        for name, value in shares.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.signup_share + self.existing_user_share > 1.0:
            raise ValueError("signup_share + existing_user_share must not exceed 1")


@dataclass(frozen=True)
class IdOffsets:
    """Where the numbered ids of one part of a data set start, so that ids are unique across its parts
    (see :func:`journeys_tools.generator.generate_chunks`); all zero for a data set made in one piece."""

    persons: int = 0
    sessions: int = 0
    user_ids: int = 0
    orders: int = 0
    """Orders of the earlier parts, at least one per part (each part draws its order numbers from five
    numbers per order after theirs)."""
    keys: int = 0
    """Event id keys used by the earlier parts."""
    id_salt: int | None = None
    """The event id salt of the first part, shared by the later ones; None: the part draws its own."""


@dataclass
class GeneratedData:
    """Raw vendor tables and the truth they were generated from.

    ``truth["events"]`` has one row per raw event row, in the order Segment pages, tracks, identifies,
    then Snowplow events, each in its table's row order (raw tables are ordered by load time).
    The other truth tables are described in :mod:`journeys_tools.generator.truth`.
    """

    segment: dict[str, pa.Table]
    snowplow: dict[str, pa.Table]
    truth: dict[str, pa.Table]
    ad_spend: pa.Table | None = None
    """The ad platforms' daily spend per paid campaign (:mod:`journeys_tools.generator.spend`): made by
    :func:`journeys_tools.generator.generate` for the whole data set, None in the parts of ``generate_chunks``."""


def as_utc(moment: datetime) -> datetime:
    """``moment`` with UTC as its zone when it has none."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
