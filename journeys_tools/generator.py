"""Deterministic generator of clickstream data as Segment and Snowplow land it, plus its ground truth.

The simulation works on arrays of persons, devices, sessions and events (numpy, no per-row loops);
every random draw comes from one ``numpy.random.Generator`` seeded from the config, so the same config
gives byte-identical tables. Internally times are integer milliseconds since ``config.start``.
"""

from __future__ import annotations

import functools
import pathlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

Ints = npt.NDArray[np.signedinteger[Any]]  # int64, or int32 for stored index arrays
Arr = npt.NDArray[Any]
Mask = npt.NDArray[np.bool_]
U8 = npt.NDArray[np.uint8]

BOT_USER_AGENT_PATTERN = (
    r"bot|crawl|spider|slurp|headless|python-requests|curl/|wget|scrapy|phantomjs|lighthouse|pingdom"
    r"|facebookexternalhit"
)
"""Case-insensitive regex whose match on the user agent makes an event a bot event."""

OUTCOMES = (
    "kept",
    "missing_event_id",
    "missing_timestamp",
    "unparseable_timestamp",
    "missing_device_and_user_id",
    "missing_event_name",
    "future_timestamp",
    "bot_user_agent",
    "bot_spider_context",
    "duplicate_event_id",
)
"""Expected outcome of a raw event row: 'kept' or a quarantine reason, the reasons in priority order."""

SEGMENT_TABLES = (
    "pages",
    "tracks",
    "identifies",
    "aliases",
    "order_completed",
    "experiment_viewed",
    "signed_up",
)
SNOWPLOW_TABLES = ("events", "com_iab_snowplow_spiders_and_robots_1")
TRUTH_TABLES = (
    "events",
    "sessions",
    "persons",
    "devices",
    "user_ids",
    "aliases",
    "signups",
    "orders",
    "experiment_assignments",
)

SITE = "https://www.journeys-shop.example"
SITE_HOST = "www.journeys-shop.example"

_SEC = 1_000
_MIN = 60 * _SEC
_HOUR = 60 * _MIN
_DAY = 24 * _HOUR
_NEVER = 4 * 10**15  # a time (ms) after every simulated event

# outcome codes, indices into OUTCOMES
(
    _KEPT,
    _NO_ID,
    _NO_TS,
    _BAD_TS,
    _NO_DEVICE,
    _NO_NAME,
    _FUTURE,
    _BOT_UA,
    _BOT_CONTEXT,
    _DUPLICATE,
) = range(10)

# event kinds
_PV, _PING, _TRACK, _IDENTIFY, _SIGNUP, _ORDER, _EXPOSURE = range(7)
_SPEC_KINDS = (_SIGNUP, _ORDER, _EXPOSURE)

# row timestamp states
_TS_OK, _TS_NULL, _TS_BAD_DERIVED, _TS_BAD_COLLECTOR, _TS_NO_DERIVED = range(5)

_SEGMENT, _SNOWPLOW = 0, 1
_DESKTOP, _MOBILE, _TABLET = 0, 1, 2
_DEVICE_CLASSES = ("desktop", "mobile", "tablet")

# path, page title, landing weight, browsing weight
_PAGES: tuple[tuple[str, str, float, float], ...] = (
    ("/", "Journeys | Travel gear for every trip", 30, 6),
    ("/pricing", "Pricing | Journeys", 8, 8),
    ("/features/trip-planner", "Trip planner | Journeys", 5, 4),
    ("/features/rewards", "Rewards | Journeys", 3, 3),
    ("/features/gift-cards", "Gift cards | Journeys", 2, 2),
    ("/blog/packing-light", "How to pack light | Journeys blog", 6, 2),
    ("/blog/best-hiking-trails-2026", "The best hiking trails of 2026 | Journeys blog", 5, 2),
    ("/blog/carry-on-rules", "Carry-on rules by airline | Journeys blog", 4, 2),
    ("/blog/travel-insurance-explained", "Travel insurance, explained | Journeys blog", 3, 2),
    ("/signup", "Create your account | Journeys", 1, 2),
    ("/login", "Log in | Journeys", 1, 3),
    ("/account", "Your account | Journeys", 0, 1),
    ("/checkout", "Checkout | Journeys", 0.5, 3),
    ("/cart", "Your cart | Journeys", 0.5, 5),
    ("/about", "About us | Journeys", 1, 2),
    ("/contact", "Contact | Journeys", 0.5, 1),
    ("/products/trail-backpack-40l", "Trail backpack 40L | Journeys", 5, 7),
    ("/products/carry-on-roller", "Carry-on roller | Journeys", 4, 6),
    ("/products/packing-cubes-set", "Packing cubes, set of 4 | Journeys", 3, 5),
    ("/products/travel-pillow", "Memory foam travel pillow | Journeys", 2, 4),
    ("/products/merino-hoodie", "Merino hoodie | Journeys", 3, 5),
    ("/products/rain-shell-jacket", "Rain shell jacket | Journeys", 2, 4),
    ("/products/hiking-boots", "Waterproof hiking boots | Journeys", 3, 5),
    ("/products/filter-bottle", "Water filter bottle | Journeys", 2, 3),
)
_PATH_INDEX = {page[0]: i for i, page in enumerate(_PAGES)}
_P_SIGNUP = _PATH_INDEX["/signup"]
_P_CHECKOUT = _PATH_INDEX["/checkout"]
_P_PRICING = _PATH_INDEX["/pricing"]
_P_LOGIN = _PATH_INDEX["/login"]
_P_ACCOUNT = _PATH_INDEX["/account"]
_PRODUCTS = tuple(page[0].removeprefix("/products/") for page in _PAGES if page[0].startswith("/products/"))
_PRODUCT_PRICES = ("89.00", "149.00", "29.00", "24.50", "110.00", "135.00", "179.00", "39.90")

# experiment id, name, variants, path that exposes it
_EXPERIMENTS: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("exp_checkout_button", "Checkout button copy", ("control", "treatment"), _P_CHECKOUT),
    ("exp_pricing_page", "Pricing page layout", ("control", "v1", "v2"), _P_PRICING),
)
_N_VARIANTS = max(len(e[2]) for e in _EXPERIMENTS)
# variant names per experiment, padded to _N_VARIANTS: index experiment * _N_VARIANTS + variant
_VARIANT_SLOTS = tuple(v for e in _EXPERIMENTS for v in (*e[2], *[""] * (_N_VARIANTS - len(e[2]))))

_HUMAN_USER_AGENTS: tuple[tuple[str, int], ...] = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        _DESKTOP,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        _DESKTOP,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", _DESKTOP),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15",
        _DESKTOP,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        _DESKTOP,
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", _DESKTOP),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0",
        _DESKTOP,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
        _MOBILE,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        _MOBILE,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.81 Mobile Safari/537.36",
        _MOBILE,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
        _MOBILE,
    ),
    ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", _MOBILE),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.7 Mobile/15E148 Safari/604.1",
        _TABLET,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        _TABLET,
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36",
        _TABLET,
    ),
)
_BOT_USER_AGENTS: tuple[str, ...] = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 "
    "Safari/537.36",
    "python-requests/2.31.0",
    "Mozilla/5.0 (compatible; SiteAuditCrawler/1.4; +https://audit.example.net/crawler)",
    "Sogou web Spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
)
_USER_AGENTS = tuple(ua for ua, _ in _HUMAN_USER_AGENTS) + _BOT_USER_AGENTS
_UA_CLASS = np.array([cls for _, cls in _HUMAN_USER_AGENTS] + [_DESKTOP] * len(_BOT_USER_AGENTS))

# country, locale, time zone, weight
_COUNTRIES: tuple[tuple[str, str, str, float], ...] = (
    ("US", "en-US", "America/New_York", 0.40),
    ("GB", "en-GB", "Europe/London", 0.15),
    ("DE", "de-DE", "Europe/Berlin", 0.12),
    ("FR", "fr-FR", "Europe/Paris", 0.08),
    ("CA", "en-CA", "America/Toronto", 0.07),
    ("NL", "nl-NL", "Europe/Amsterdam", 0.05),
    ("AU", "en-AU", "Australia/Sydney", 0.05),
    ("ES", "es-ES", "Europe/Madrid", 0.04),
    ("SE", "sv-SE", "Europe/Stockholm", 0.04),
)
_IP_FIRST_OCTETS = np.array([23, 31, 37, 46, 62, 77, 81, 84, 91, 94, 109, 151, 176, 185, 188, 212, 213, 217])
# screen and viewport per device class: doc width, view width, view height
_VIEWPORTS = ((1903, 1903, 969), (390, 390, 664), (820, 820, 1106))

_CHANNELS = ("Direct", "Organic Search", "Paid Search", "Paid Social", "Email", "Organic Social", "Referral")
(
    _CH_DIRECT,
    _CH_ORGANIC_SEARCH,
    _CH_PAID_SEARCH,
    _CH_PAID_SOCIAL,
    _CH_EMAIL,
    _CH_ORGANIC_SOCIAL,
    _CH_REFERRAL,
) = range(7)
_CHANNEL_WEIGHTS = (0.24, 0.25, 0.15, 0.08, 0.08, 0.08, 0.12)
_UTM_SOURCES = ("google", "bing", "facebook", "instagram", "newsletter")
_UTM_MEDIUMS = ("cpc", "paid_social", "email")
_UTM_CAMPAIGNS = (
    "brand_search",
    "generic_travel_gear",
    "competitor_terms",
    "winter_sale",
    "retargeting_q1",
    "lookalike_buyers",
    "weekly_digest",
    "product_update",
)
_UTM_TERMS = ("travel-backpack", "carry-on-luggage", "journeys-shop", "packing-cubes")
_UTM_CONTENTS = ("ad_a", "ad_b", "carousel_1", "video_15s", "header_link", "footer_link")
_CLICK_PARAMS = ("gclid", "msclkid", "fbclid")
_CLICK_NETWORKS = ("Google", "Microsoft", "Facebook")
# url, host as collected, path, Snowplow refr_medium, refr_source
_EXT_REFERRERS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("https://www.google.com/", "www.google.com", "/", "search", "Google"),
    ("https://www.bing.com/", "www.bing.com", "/", "search", "Bing"),
    ("https://duckduckgo.com/", "duckduckgo.com", "/", "search", "DuckDuckGo"),
    ("https://t.co/Xk3LmQ9pZa", "t.co", "/Xk3LmQ9pZa", "social", "Twitter"),
    ("https://t.co/a7Bc2dE9fG", "t.co", "/a7Bc2dE9fG", "social", "Twitter"),
    ("https://www.facebook.com/", "www.facebook.com", "/", "social", "Facebook"),
    ("https://www.linkedin.com/", "www.linkedin.com", "/", "social", "LinkedIn"),
    ("https://l.facebook.com/", "l.facebook.com", "/", "social", "Facebook"),
    ("https://l.instagram.com/", "l.instagram.com", "/", "social", "Instagram"),
    (
        "https://techcrunch.com/2026/01/02/journeys-shop-raises-series-a/",
        "techcrunch.com",
        "/2026/01/02/journeys-shop-raises-series-a/",
        "unknown",
        None,
    ),
    (
        "https://www.theverge.com/reviews/best-travel-backpacks",
        "www.theverge.com",
        "/reviews/best-travel-backpacks",
        "unknown",
        None,
    ),
    (
        "https://www.outsideonline.com/outdoor-gear/best-carry-on-bags/",
        "www.outsideonline.com",
        "/outdoor-gear/best-carry-on-bags/",
        "unknown",
        None,
    ),
    (
        "https://www.cntraveler.com/story/packing-tips",
        "www.cntraveler.com",
        "/story/packing-tips",
        "unknown",
        None,
    ),
    (
        "https://thepointsguy.com/guide/packing-light/",
        "thepointsguy.com",
        "/guide/packing-light/",
        "unknown",
        None,
    ),
)
_REF_GOOGLE, _REF_BING, _REF_L_FACEBOOK, _REF_L_INSTAGRAM, _REF_FIRST_REFERRAL = 0, 1, 7, 8, 9

# Segment track names: snake_case event, original text
_SEGMENT_TRACKS = (
    ("product_viewed", "Product Viewed"),
    ("button_clicked", "Button Clicked"),
    ("added_to_cart", "Added to Cart"),
    ("signed_up", "Signed Up"),
    ("order_completed", "Order Completed"),
    ("experiment_viewed", "Experiment Viewed"),
)
# Snowplow event shapes: event, event_vendor, event_name, event_format, event_version
_SNOWPLOW_EVENTS = (
    ("page_view", "com.snowplowanalytics.snowplow", "page_view", "jsonschema", "1-0-0"),
    ("page_ping", "com.snowplowanalytics.snowplow", "page_ping", "jsonschema", "1-0-0"),
    ("unstruct", "com.snowplowanalytics.snowplow", "link_click", "jsonschema", "1-0-1"),
    ("struct", "com.google.analytics", "event", "jsonschema", "1-0-0"),
    ("struct", "com.google.analytics", "event", "jsonschema", "1-0-0"),
    ("unstruct", "com.journeys", "signed_up", "jsonschema", "1-0-0"),
    ("transaction", "com.snowplowanalytics.snowplow", "transaction", "jsonschema", "1-0-0"),
)
# IAB spiders-and-robots verdicts: category, primaryImpact, reason, spiderOrRobot
_SPIDER_VERDICTS = (
    ("BROWSER", "NONE", "PASSED_ALL", "false"),
    ("SPIDER_OR_ROBOT", "UNKNOWN", "FAILED_UA_INCLUDE", "true"),
    ("SPIDER_OR_ROBOT", "UNKNOWN", "FAILED_IP_EXCLUDE", "true"),
)
_GARBAGE_TIMESTAMPS = ("not-a-timestamp", "2026-13-45 99:00:00", "undefined", "0000-00-00 00:00:00")
_TS = pa.timestamp("us", tz="UTC")


@functools.cache
def _pool() -> pa.MemoryPool:
    """Arrow's jemalloc pool where available: it reuses freed chunk buffers instead of returning them."""
    try:
        return pa.jemalloc_memory_pool()
    except pa.ArrowException:  # a pyarrow built without jemalloc
        return pa.default_memory_pool()


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
    alias_person_share: float = 0.05
    """Share of identified persons whose older user id is aliased to a newer one."""
    merge_pairs: int = 1
    """Pairs of persons whose user ids are merged by an alias; the truth treats each pair as one person."""
    multi_variant_share: float = 0.01
    """Share of exposed persons deliberately seen in two variants of one experiment."""
    unsplit_campaign_share: float = 0.2
    """Share of campaign landings whose utm parameters are not split into columns by the vendor."""

    def __post_init__(self) -> None:
        if self.events < 1 or self.days < 1 or self.merge_pairs < 0:
            raise ValueError("events and days must be positive, merge_pairs not negative")
        shares = {k: v for k, v in vars(self).items() if isinstance(v, float)}
        for name, value in shares.items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.signup_share + self.existing_user_share > 1.0:
            raise ValueError("signup_share + existing_user_share must not exceed 1")


@dataclass
class GeneratedData:
    """Raw vendor tables and the truth they were generated from.

    ``truth["events"]`` has one row per raw event row, in the order Segment pages, tracks, identifies,
    then Snowplow events, each in its table's row order (raw tables are ordered by load time).
    """

    segment: dict[str, pa.Table]
    snowplow: dict[str, pa.Table]
    truth: dict[str, pa.Table]


def generate(config: GeneratorConfig) -> GeneratedData:
    """Simulate the world described by ``config``; return its raw tables and truth."""
    rng = np.random.default_rng(config.seed)
    world = _World(config, rng)
    rows = _Rows(world, rng)
    return _Renderer(world, rows, rng).render()


def write_truth(data: GeneratedData, directory: pathlib.Path) -> None:
    """Write each truth table as ``<name>.parquet`` in ``directory`` (created when missing)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in data.truth.items():
        pq.write_table(table, directory / f"{name}.parquet")


def read_truth(directory: pathlib.Path) -> dict[str, pa.Table]:
    """Read the truth tables written by :func:`write_truth`."""
    return {path.stem: pq.read_table(path) for path in sorted(directory.glob("*.parquet"))}


# ---------------------------------------------------------------------------------------------------
# array helpers


def _run_starts(keys: Ints) -> Mask:
    """True at the first element of each run of equal consecutive keys."""
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _run_rank(first: Mask) -> Ints:
    """Position of each element within its run (runs start where ``first`` is True)."""
    idx = np.arange(first.size, dtype=np.int64)
    return idx - np.maximum.accumulate(np.where(first, idx, 0))


def _seg_cumsum(values: Ints, first: Mask) -> Ints:
    """Inclusive cumulative sum restarting at each run start."""
    total = np.cumsum(values)
    idx = np.arange(values.size)
    start = np.maximum.accumulate(np.where(first, idx, 0))
    return total - total[start] + values[start]


def _count(rate: float, base: int) -> int:
    """round(rate * base), but at least 1 when both are positive."""
    if rate <= 0 or base <= 0:
        return 0
    return max(1, round(rate * base))


def _ints(rng: np.random.Generator, low: int, high: int, size: int) -> Ints:
    """Uniform integers in [low, high]."""
    return rng.integers(low, high + 1, size=size, dtype=np.int64)


def _fixed_width_strings(chars: U8) -> pa.Array:
    """A string array from an (n, width) matrix of ASCII bytes."""
    n, width = chars.shape
    if (n + 1) * width >= 2**31:
        raise ValueError("string column too large for 32-bit offsets")
    data = np.ascontiguousarray(chars).reshape(-1)
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_TOKEN_ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", np.uint8)


def _random_bytes(rng: np.random.Generator, n: int, width: int) -> U8:
    return np.frombuffer(rng.bytes(n * width), dtype=np.uint8).reshape(n, width).copy()


def _hex_chars(raw: U8) -> U8:
    out = np.empty((raw.shape[0], raw.shape[1] * 2), dtype=np.uint8)
    out[:, 0::2] = _HEX[raw >> 4]
    out[:, 1::2] = _HEX[raw & 15]
    return out


def _uuids(rng: np.random.Generator, n: int) -> pa.Array:
    """n random version-4 UUID strings (lower case)."""
    return _uuid_strings(_random_bytes(rng, n, 16))


_SPLITMIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _mix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser, a bijective scramble of 64-bit integers."""
    golden, m1, m2 = _SPLITMIX
    x = x + golden
    x = (x ^ (x >> np.uint64(30))) * m1
    x = (x ^ (x >> np.uint64(27))) * m2
    return x ^ (x >> np.uint64(31))


def _hashed_uuids(keys: Ints, salt: int) -> pa.Array:
    """Version-4 UUID strings that are a fixed function of (key, salt): equal keys give equal ids."""
    k = keys.astype(np.uint64) * np.uint64(2) + np.uint64(salt)
    words = np.empty((keys.size, 2), dtype=np.uint64)
    words[:, 0] = _mix64(k)
    words[:, 1] = _mix64(k + np.uint64(1))
    return _uuid_strings(words.view(np.uint8).reshape(keys.size, 16))


def _uuid_strings(raw: U8) -> pa.Array:
    """UUID strings of an (n, 16) byte matrix, with the version-4 and variant bits set."""
    n = raw.shape[0]
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = _hex_chars(raw)
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    out[:, 0:8] = hexed[:, 0:8]
    out[:, 9:13] = hexed[:, 8:12]
    out[:, 14:18] = hexed[:, 12:16]
    out[:, 19:23] = hexed[:, 16:20]
    out[:, 24:36] = hexed[:, 20:32]
    return _fixed_width_strings(out)


def _hex_strings(rng: np.random.Generator, n: int, n_bytes: int) -> pa.Array:
    return _fixed_width_strings(_hex_chars(_random_bytes(rng, n, n_bytes)))


def _tokens(rng: np.random.Generator, n: int, prefix: str, length: int) -> pa.Array:
    """n random URL-safe tokens: ``prefix`` followed by ``length`` characters."""
    out = np.empty((n, len(prefix) + length), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    out[:, len(prefix) :] = _TOKEN_ALPHABET[rng.integers(0, 64, size=(n, length))]
    return _fixed_width_strings(out)


_PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)
_CHUNK = 1 << 18


def _chunks(rows: Ints) -> list[Ints]:
    """Consecutive slices of at most _CHUNK rows; one empty slice when there are no rows."""
    return [rows[i : i + _CHUNK] for i in range(0, max(rows.size, 1), _CHUNK)]


def _civil(days: Ints) -> tuple[Ints, Ints, Ints]:
    """Year, month, day of days since 1970-01-01 (proleptic Gregorian)."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _format_ms(epoch_ms: Ints) -> pa.Array:
    """'YYYY-MM-DD HH:MM:SS.fff' strings of epoch milliseconds (UTC)."""
    out = np.empty((epoch_ms.size, 23), dtype=np.uint8)
    if epoch_ms.size:
        days = epoch_ms // _DAY
        first = int(days.min())
        span = np.arange(first, int(days.max()) + 1, dtype=np.int64)
        year, month, day = _civil(span)
        dates = np.empty((span.size, 10), dtype=np.uint8)
        dates[:, 0:2] = _PAIRS[year // 100]
        dates[:, 2:4] = _PAIRS[year % 100]
        dates[:, 5:7] = _PAIRS[month]
        dates[:, 8:10] = _PAIRS[day]
        dates[:, [4, 7]] = ord("-")
        out[:, 0:10] = dates[days - first]
        rem = epoch_ms - days * _DAY
        sec = rem // _SEC
        millis = rem - sec * _SEC
        out[:, 11:13] = _PAIRS[sec // 3600]
        out[:, 14:16] = _PAIRS[sec // 60 % 60]
        out[:, 17:19] = _PAIRS[sec % 60]
        out[:, 20] = 48 + millis // 100
        out[:, 21:23] = _PAIRS[millis % 100]
        out[:, 10] = ord(" ")
        out[:, [13, 16]] = ord(":")
        out[:, 19] = ord(".")
    return _fixed_width_strings(out)


def _take(values: pa.Array, idx: Ints) -> pa.Array:
    """values[idx], NULL where idx < 0."""
    missing = idx < 0
    if missing.any():
        return pc.take(values, pa.array(np.where(missing, 0, idx), mask=missing), memory_pool=_pool())
    return pc.take(values, pa.array(idx), memory_pool=_pool())


def _vocab(values: tuple[str | None, ...] | list[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _const(value: str, n: int) -> pa.Array:
    return _take(_vocab([value]), np.zeros(n, dtype=np.int64))


def _timestamps(epoch_us: Ints, null: Mask | None = None) -> pa.Array:
    return pa.array(epoch_us, type=_TS, mask=null, memory_pool=_pool())


def _int_strings(values: Ints, null: Mask | None = None) -> pa.Array:
    return pc.cast(pa.array(values, mask=null, memory_pool=_pool()), pa.string(), memory_pool=_pool())


def _money_strings(cents: Ints) -> pa.Array:
    whole = pc.cast(pa.array(cents // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0", memory_pool=_pool())
    return pc.binary_join_element_wise(whole, frac, ".", memory_pool=_pool())


def _zero_padded(prefix: str, numbers: Ints, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "", memory_pool=_pool())


def _where(mask: Mask, a: pa.Array, b: pa.Array | pa.Scalar) -> pa.Array:
    return pc.if_else(pa.array(mask), a, b, memory_pool=_pool())


def _value_where(mask: Mask, value: str) -> pa.Array:
    """``value`` where mask, else NULL."""
    return _take(_vocab([value]), np.where(mask, 0, -1))


def _blank_to_null(values: pa.Array) -> pa.Array:
    blank = pc.equal(values, "", memory_pool=_pool())
    return pc.if_else(blank, pa.scalar(None, pa.string()), values, memory_pool=_pool())


_EVENT_INDEX_ARRAYS = (
    "ev_sess",
    "ev_kind",
    "ev_path",
    "ev_aux",
    "ev_sub",
    "ev_dev",
    "ev_person",
    "ev_uid",
    "ev_page",
    "ev_url",
    "ev_ref",
    "ev_ref_ext",
    "ev_ref_path",
)
_ROW_INDEX_ARRAYS = (
    "ev",
    "key",
    "state",
    "latency",
    "etl",
    "load",
    "no_device",
    "no_name",
    "garbage",
    "dev",
    "kind",
)


def _compact(holder: object, names: tuple[str, ...]) -> None:
    """Store the named index arrays of ``holder`` as int32 (less memory at 10M rows)."""
    for name in names:
        values = getattr(holder, name)
        if values.size and (values.max() >= 2**31 or values.min() < -(2**31)):
            raise ValueError(f"{name} does not fit in int32")
        setattr(holder, name, values.astype(np.int32))


# ---------------------------------------------------------------------------------------------------
# simulation


class _World:
    """The simulated persons, devices, sessions and journey events (arrays, times in ms)."""

    def __init__(self, config: GeneratorConfig, rng: np.random.Generator) -> None:
        self.cfg = config
        self.rng = rng
        self.window = config.days * _DAY
        bad_rates = (
            config.duplicate_rate
            + config.null_id_rate
            + config.null_timestamp_rate
            + config.unparseable_timestamp_rate
            + config.null_device_rate
            + config.null_event_name_rate
            + config.future_rate
        )
        bot_share = 1.3 * (config.bot_device_share + config.spider_device_share)
        self.target_base = config.events / (1 + bad_rates + bot_share) / 1.145  # inserted events
        self._population()
        self._bots()
        self._sessions()
        self._shared_devices()
        self._signups_and_logins()
        self._aliases()
        self._events()
        self._experiments()
        self._pages()

    # persons, devices, sessions, base events ------------------------------------------------------

    def _population(self) -> None:
        cfg, rng, window = self.cfg, self.rng, self.window
        n_cand = int(self.target_base / 14) + 100
        while True:  # draw candidate persons until they hold enough events (more when days are few)
            p_anon = max(0.0, 1.0 - cfg.signup_share - cfg.existing_user_share)
            ptype = rng.choice(3, size=n_cand, p=[p_anon, cfg.signup_share, cfg.existing_user_share])
            engaged = ptype > 0
            n_dev = 1 + np.where(
                engaged,
                rng.choice(4, size=n_cand, p=[0.45, 0.35, 0.13, 0.07]),
                rng.choice(4, size=n_cand, p=[0.72, 0.2, 0.06, 0.02]),
            )
            dev_person = np.repeat(np.arange(n_cand, dtype=np.int64), n_dev)
            nd = dev_person.size
            dev_source = (rng.random(nd) >= cfg.segment_share).astype(np.int64)
            dev_engaged = engaged[dev_person]
            n_sess = 1 + rng.poisson(np.where(dev_engaged, 3.0, 0.6))
            first_start = (rng.random(nd) ** np.where(dev_engaged, 1.5, 1.0) * window).astype(np.int64)

            sess_dev = np.repeat(np.arange(nd, dtype=np.int64), n_sess)
            ns = sess_dev.size
            n_base = np.minimum(rng.geometric(1 / 7, size=ns), 150).astype(np.int64)
            ev_sess = np.repeat(np.arange(ns, dtype=np.int64), n_base)
            ne = ev_sess.size
            ev_first = _run_starts(ev_sess)
            snowplow = dev_source[sess_dev[ev_sess]] == _SNOWPLOW
            u = rng.random(ne)
            kind = np.where(
                snowplow,
                np.where(u < 0.45, _PV, np.where(u < 0.8, _PING, _TRACK)),
                np.where(u < 0.62, _PV, _TRACK),
            )
            kind[ev_first] = _PV
            gap = np.where(
                kind == _PING,
                _ints(rng, 10 * _SEC, 30 * _SEC, ne),
                np.minimum(5 * _SEC + rng.exponential(40 * _SEC, size=ne).astype(np.int64), 25 * _MIN),
            )
            gap[ev_first] = 0
            offset = _seg_cumsum(gap, ev_first)
            ev_last = np.append(ev_first[1:], True)
            duration = offset[ev_last]
            mean_gap = np.where(dev_engaged[sess_dev], 1.2 * _DAY, 2.5 * _DAY)
            inter = 31 * _MIN + rng.exponential(mean_gap).astype(np.int64)
            step = duration + inter
            start = first_start[sess_dev] + _seg_cumsum(step, _run_starts(sess_dev)) - step

            # keep the sessions that start in the window, and the persons that fit the target
            keep = start < window
            kept_base = np.where(keep, n_base, 0)
            per_person = np.bincount(dev_person[sess_dev], weights=kept_base, minlength=n_cand)
            if per_person.sum() >= self.target_base or n_cand > 100 * self.target_base:
                break
            n_cand *= 2
        n_p = int(np.searchsorted(np.cumsum(per_person), self.target_base, side="right"))
        n_p = min(max(n_p, 1), n_cand)
        keep &= dev_person[sess_dev] < n_p
        nd_keep = int(np.searchsorted(dev_person, n_p))
        keep_ev = keep[ev_sess]
        new_sess = np.cumsum(keep) - 1

        self.n_persons = n_p
        self.ptype: Ints = ptype[:n_p].astype(np.int64)
        self.dev_person: Ints = dev_person[:nd_keep]
        self.dev_source: Ints = dev_source[:nd_keep]
        self.n_human_devices = nd_keep
        self.sess_dev: Ints = sess_dev[keep]
        self.sess_start: Ints = start[keep]
        self.sess_nbase: Ints = n_base[keep]
        self.ev_sess: Ints = new_sess[ev_sess[keep_ev]]
        self.ev_kind: Ints = kind[keep_ev].astype(np.int64)
        self.ev_off: Ints = offset[keep_ev]
        self.n_human_sessions = int(self.sess_dev.size)

    def _bots(self) -> None:
        cfg, rng = self.cfg, self.rng
        n_bot = _count(cfg.bot_device_share, self.n_human_devices)
        n_spider = _count(cfg.spider_device_share, self.n_human_devices) if cfg.segment_share < 1 else 0
        nb = n_bot + n_spider
        nh = self.n_human_devices
        n_human_ua = len(_HUMAN_USER_AGENTS)
        desktop_uas = np.flatnonzero(_UA_CLASS[:n_human_ua] == _DESKTOP)
        self.dev_bot: Ints = np.concatenate(
            [
                np.zeros(nh, dtype=np.int64),
                np.ones(n_bot, dtype=np.int64),
                np.full(n_spider, 2, dtype=np.int64),
            ]
        )
        bot_source = (rng.random(n_bot) >= cfg.segment_share).astype(np.int64)
        self.dev_source = np.concatenate([self.dev_source, bot_source, np.ones(n_spider, dtype=np.int64)])
        self.dev_person = np.concatenate([self.dev_person, np.full(nb, -1, dtype=np.int64)])
        self.bot_ua: Ints = np.concatenate(
            [n_human_ua + rng.integers(0, len(_BOT_USER_AGENTS), n_bot), rng.choice(desktop_uas, n_spider)]
        ).astype(np.int64)

        n_s = 1 + rng.integers(0, 3, nb)
        sess_dev = np.repeat(nh + np.arange(nb, dtype=np.int64), n_s)
        first = rng.integers(0, max(1, int(self.window * 0.8)), nb)
        step = _ints(rng, _HOUR, 2 * _DAY, sess_dev.size)
        start = first[sess_dev - nh] + _seg_cumsum(step, _run_starts(sess_dev)) - step
        n_base = _ints(rng, 3, 25, sess_dev.size)
        ev_sess = self.n_human_sessions + np.repeat(np.arange(sess_dev.size, dtype=np.int64), n_base)
        first_ev = _run_starts(ev_sess)
        gap = _ints(rng, 1 * _SEC, 10 * _SEC, ev_sess.size)
        gap[first_ev] = 0
        self.sess_dev = np.concatenate([self.sess_dev, sess_dev])
        self.sess_start = np.concatenate([self.sess_start, start])
        self.sess_nbase = np.concatenate([self.sess_nbase, n_base])
        self.ev_sess = np.concatenate([self.ev_sess, ev_sess])
        self.ev_kind = np.concatenate([self.ev_kind, np.full(ev_sess.size, _PV, dtype=np.int64)])
        self.ev_off = np.concatenate([self.ev_off, _seg_cumsum(gap, first_ev)])
        self.n_devices = int(self.dev_person.size)
        self.n_sessions = int(self.sess_dev.size)

    def _sessions(self) -> None:
        """Device attributes, session marketing touches, event subtypes and page paths."""
        cfg, rng = self.cfg, self.rng
        nd, ns, ne = self.n_devices, self.n_sessions, self.ev_sess.size
        nh = self.n_human_devices
        n_human_ua = len(_HUMAN_USER_AGENTS)
        dev_class = rng.choice(3, size=nd, p=[0.5, 0.4, 0.1])
        ua_by_class = [np.flatnonzero(_UA_CLASS[:n_human_ua] == c) for c in range(3)]
        ua = np.empty(nd, dtype=np.int64)
        pick = rng.random(nd)
        for c, choices in enumerate(ua_by_class):
            sel = dev_class == c
            ua[sel] = choices[(pick[sel] * choices.size).astype(np.int64)]
        ua[nh:] = self.bot_ua
        self.dev_ua: Ints = ua
        self.dev_class: Ints = _UA_CLASS[ua].astype(np.int64)
        country_weights = [c[3] for c in _COUNTRIES]
        self.dev_country: Ints = rng.choice(len(_COUNTRIES), size=nd, p=country_weights).astype(np.int64)
        skew = rng.normal(0, 1500, nd).astype(np.int64)
        wild = rng.random(nd) < 0.05
        self.dev_skew: Ints = np.where(wild, rng.choice([-1, 1], nd) * _ints(rng, _MIN, 20 * _MIN, nd), skew)
        self.dev_idx0: Ints = np.where(rng.random(nd) < 0.7, 0, _ints(rng, 1, 30, nd))

        first_s = _run_starts(self.sess_dev)
        self.sess_idx: Ints = _run_rank(first_s)
        self.dev_nsess: Ints = np.bincount(self.sess_dev, minlength=nd).astype(np.int64)
        self.sess_first_ev: Ints = np.flatnonzero(_run_starts(self.ev_sess)).astype(np.int64)

        # marketing touch of each session
        human = np.arange(ns) < self.n_human_sessions
        ch = np.where(human, rng.choice(7, size=ns, p=list(_CHANNEL_WEIGHTS)), _CH_DIRECT)
        r = rng.random((6, ns))
        src = np.full(ns, -1, dtype=np.int64)
        med = np.full(ns, -1, dtype=np.int64)
        camp = np.full(ns, -1, dtype=np.int64)
        term = np.full(ns, -1, dtype=np.int64)
        content = np.full(ns, -1, dtype=np.int64)
        click = np.full(ns, -1, dtype=np.int64)
        ref = np.full(ns, -1, dtype=np.int64)
        pick3 = rng.integers(0, 3, ns)
        pick4 = rng.integers(0, 4, ns)
        pick2 = rng.integers(0, 2, ns)

        ps = ch == _CH_PAID_SEARCH
        ms = ps & (r[0] < 0.15)
        src[ps], med[ps], camp[ps], click[ps] = 0, 0, pick3[ps], 0
        src[ms], click[ms] = 1, 1
        term[ps & (r[1] < 0.5)] = pick4[ps & (r[1] < 0.5)]
        content[ps & (r[2] < 0.3)] = pick2[ps & (r[2] < 0.3)]
        ref[ps & ~ms & (r[3] < 0.85)] = _REF_GOOGLE
        ref[ms & (r[3] < 0.85)] = _REF_BING

        so = ch == _CH_PAID_SOCIAL
        ig = so & (r[0] < 0.3)
        src[so], med[so], camp[so], click[so] = 2, 1, 3 + pick3[so], 2
        src[ig] = 3
        content[so & (r[2] < 0.6)] = 2 + pick2[so & (r[2] < 0.6)]
        ref[so & ~ig & (r[3] < 0.8)] = _REF_L_FACEBOOK
        ref[ig & (r[3] < 0.8)] = _REF_L_INSTAGRAM

        em = ch == _CH_EMAIL
        src[em], med[em], camp[em] = 4, 2, np.array([3, 6, 7])[pick3[em]]
        content[em & (r[2] < 0.5)] = 4 + pick2[em & (r[2] < 0.5)]

        os_ = ch == _CH_ORGANIC_SEARCH
        ref[os_] = rng.choice(3, size=ns, p=[0.8, 0.12, 0.08])[os_]
        oc = ch == _CH_ORGANIC_SOCIAL
        ref[oc] = rng.choice([3, 4, 5, 6], size=ns, p=[0.25, 0.2, 0.3, 0.25])[oc]
        rf = ch == _CH_REFERRAL
        n_referral = len(_EXT_REFERRERS) - _REF_FIRST_REFERRAL
        ref[rf] = _REF_FIRST_REFERRAL + rng.integers(0, n_referral, ns)[rf]

        self.sess_channel: Ints = ch.astype(np.int64)
        self.sess_src, self.sess_med, self.sess_camp = src, med, camp
        self.sess_term, self.sess_content, self.sess_click, self.sess_ref = term, content, click, ref
        self.sess_unsplit: Mask = rng.random(ns) < cfg.unsplit_campaign_share

        n_pages = len(_PAGES)
        land_w = np.array([p[2] for p in _PAGES])
        browse_w = np.array([p[3] for p in _PAGES])
        landing = rng.choice(n_pages, size=ns, p=land_w / land_w.sum())
        landing[~human] = rng.integers(0, n_pages, int((~human).sum()))
        path = rng.choice(n_pages, size=ne, p=browse_w / browse_w.sum())
        bot_ev = self.ev_sess >= self.n_human_sessions
        path[bot_ev] = rng.integers(0, n_pages, int(bot_ev.sum()))
        path[self.sess_first_ev] = landing
        self.ev_path: Ints = np.where(self.ev_kind == _PV, path, -1).astype(np.int64)
        self.ev_sub: Ints = rng.integers(0, 3, ne).astype(np.int64)
        self.ev_aux: Ints = rng.integers(0, len(_PRODUCTS), ne).astype(np.int64)

    def _shared_devices(self) -> None:
        """Pick shared devices; the later half of their sessions belongs to a second person."""
        rng = self.rng
        nh = self.n_human_devices
        existing = np.flatnonzero(self.ptype == 2)
        cand = np.flatnonzero((self.ptype[self.dev_person[:nh]] == 2) & (self.dev_nsess[:nh] >= 4))
        n_sh = min(_count(self.cfg.shared_device_share, nh), cand.size) if existing.size >= 2 else 0
        shared = np.sort(rng.choice(cand, n_sh, replace=False)) if n_sh else np.zeros(0, dtype=np.int64)
        pos = rng.integers(0, max(1, existing.size), n_sh)
        second = existing[pos] if n_sh else np.zeros(0, dtype=np.int64)
        clash = second == self.dev_person[shared]
        second[clash] = existing[(pos[clash] + 1) % existing.size]
        self.dev_second: Ints = np.full(self.n_devices, -1, dtype=np.int64)
        self.dev_second[shared] = second

        sd = self.sess_dev
        self.sess_person: Ints = np.where(self.dev_bot[sd] == 0, self.dev_person[sd], -1)
        part = (self.dev_second[sd] >= 0) & (self.sess_idx >= self.dev_nsess[sd] // 2)
        self.sess_person[part] = self.dev_second[sd[part]]
        self.sess_occ: Ints = 2 * sd + part

    # identity ------------------------------------------------------------------------------------

    def _insert(
        self, sess: Ints, off: Ints, kind: int, seq: int, path: int = -1, payload_index: Ints | None = None
    ) -> None:
        n = sess.size
        self._ins.append(
            (
                sess,
                off,
                np.full(n, kind, dtype=np.int64),
                np.full(n, seq, dtype=np.int64),
                np.full(n, path, dtype=np.int64),
                np.zeros(n, dtype=np.int64) if payload_index is None else payload_index,
            )
        )

    def _signups_and_logins(self) -> None:
        """Signup sessions, login points per device occupancy, orders in logged-in sessions."""
        cfg, rng = self.cfg, self.rng
        self._ins: list[tuple[Ints, Ints, Ints, Ints, Ints, Ints]] = []
        n_p = self.n_persons
        start, occ = self.sess_start, self.sess_occ
        seg_sess = self.dev_source[self.sess_dev] == _SEGMENT
        self.occ_id_from: Ints = np.full(2 * self.n_devices, _NEVER, dtype=np.int64)

        # signups: one session of each signing-up person, usually not the first
        human_sess = np.flatnonzero(self.sess_person >= 0)
        order = human_sess[np.lexsort((start[human_sess], self.sess_person[human_sess]))]
        counts = np.bincount(self.sess_person[order], minlength=n_p)
        first_idx = np.cumsum(counts) - counts
        signers = np.flatnonzero(self.ptype == 1)
        c = counts[signers]
        k = signers.size
        rank = np.where((c >= 2) & (rng.random(k) < 0.85), 1 + (rng.random(k) * (c - 1)).astype(np.int64), 0)
        sig_sess = order[first_idx[signers] + rank]
        nb = self.sess_nbase[sig_sess]
        anchor = np.where(nb >= 2, 1 + (rng.random(k) * (nb - 1)).astype(np.int64), 0)
        t_anchor = self.ev_off[self.sess_first_ev[sig_sess] + anchor]
        off_pv = t_anchor + _ints(rng, 1000, 1400, k)
        off_signup = t_anchor + _ints(rng, 2000, 2400, k)
        off_identify = t_anchor + _ints(rng, 2800, 3200, k)
        seg = seg_sess[sig_sess]
        self.occ_id_from[occ[sig_sess]] = start[sig_sess] + np.where(seg, off_identify, off_signup)
        self.signup_time: Ints = np.full(n_p, _NEVER, dtype=np.int64)
        self.signup_time[signers] = start[sig_sess] + off_signup
        self.signup_persons: Ints = signers
        self.signup_method: Ints = (rng.random(k) < 0.3).astype(np.int64)
        self._insert(sig_sess, off_pv, _PV, 1, path=_P_SIGNUP)
        self._insert(sig_sess, off_signup, _SIGNUP, 2, payload_index=np.arange(k, dtype=np.int64))
        self._insert(sig_sess[seg], off_identify[seg], _IDENTIFY, 3)
        signup_occ = np.zeros(2 * self.n_devices, dtype=bool)
        signup_occ[occ[sig_sess]] = True

        # logins: mid-session, on the first or second eligible session of each other device occupancy
        floor = np.where(self.ptype == 1, self.signup_time, np.where(self.ptype == 2, -1, _NEVER))
        human = self.sess_person >= 0
        eligible = human & (start > floor[np.maximum(self.sess_person, 0)]) & ~signup_occ[occ]
        occ_first = _run_starts(occ)
        elig_rank = _seg_cumsum(eligible.astype(np.int64), occ_first) - 1
        elig_count = np.bincount(occ, weights=eligible, minlength=2 * self.n_devices)
        occ_rank = np.full(2 * self.n_devices, -1, dtype=np.int64)
        run_occ = occ[occ_first]
        run_person = self.sess_person[occ_first]
        run_type = np.where(run_person >= 0, self.ptype[np.maximum(run_person, 0)], -1)
        draw = rng.random(run_occ.size)
        occ_rank[run_occ] = np.where(
            run_type == 1,
            np.where(draw < 0.6, 0, np.where(draw < 0.85, 1, -1)),
            np.where(run_type == 2, np.where(draw < 0.7, 0, np.where(draw < 0.9, 1, -1)), -1),
        )
        shared = np.flatnonzero(self.dev_second >= 0)
        occ_rank[2 * shared] = 0
        occ_rank[2 * shared + 1] = np.where(elig_count[2 * shared + 1] >= 2, 1, 0)
        # a login: the /login page (anonymous), an identify (Segment), then /account with the user id
        login = np.flatnonzero(eligible & (elig_rank == occ_rank[occ]))
        n_login = login.size
        j = (rng.random(n_login) * self.sess_nbase[login]).astype(np.int64)
        t_anchor = self.ev_off[self.sess_first_ev[login] + j]
        off_login = t_anchor + _ints(rng, 1000, 1400, n_login)
        off_identify = t_anchor + _ints(rng, 2000, 2400, n_login)
        off_account = t_anchor + _ints(rng, 2800, 3200, n_login)
        seg_login = seg_sess[login]
        self.occ_id_from[occ[login]] = start[login] + np.where(seg_login, off_identify, off_account)
        self._insert(login, off_login, _PV, 1, path=_P_LOGIN)
        self._insert(login[seg_login], off_identify[seg_login], _IDENTIFY, 2)
        self._insert(login, off_account, _PV, 3, path=_P_ACCOUNT)

        # sessions logged in from their start: optional identify at start, sometimes an order
        self.sess_full_id: Mask = human & (start > self.occ_id_from[occ])
        full = np.flatnonzero(self.sess_full_id)
        ident = full[seg_sess[full] & (rng.random(full.size) < 0.3)]
        self._insert(ident, _ints(rng, 400, 800, ident.size), _IDENTIFY, 1)
        orders = full[rng.random(full.size) < cfg.order_session_rate]
        last_off = self.ev_off[self.sess_first_ev[orders] + self.sess_nbase[orders] - 1]
        n_o = orders.size
        self._insert(orders, last_off + _ints(rng, 1200, 1600, n_o), _PV, 1, path=_P_CHECKOUT)
        self._insert(orders, last_off + _ints(rng, 2500, 2900, n_o), _ORDER, 2, payload_index=np.arange(n_o))
        self.order_cents: Ints = _ints(rng, 500, 50_000, n_o)
        self.n_orders = n_o

    def _aliases(self) -> None:
        """User ids per person, alias switches (simple, chains, diamonds) and merged person pairs."""
        cfg, rng = self.cfg, self.rng
        n_p = self.n_persons
        full = np.flatnonzero(self.sess_full_id)
        fo = full[np.lexsort((self.sess_start[full], self.sess_person[full]))]
        c2 = np.bincount(self.sess_person[fo], minlength=n_p)
        f_first = np.cumsum(c2) - c2
        identified = self.ptype > 0
        used = np.zeros(n_p, dtype=bool)

        # merges: Q's user id is aliased into P's; the truth treats Q as P
        q_cand = np.flatnonzero((self.ptype == 2) & (c2 >= 2))
        n_merge = min(cfg.merge_pairs, q_cand.size)
        merge_q = rng.choice(q_cand, n_merge, replace=False) if n_merge else np.zeros(0, dtype=np.int64)
        used[merge_q] = True
        # P must have logged in (with the id Q's id is merged into) before the merge
        has_full = c2 > 0
        first_full = np.full(n_p, _NEVER, dtype=np.int64)
        first_full[has_full] = self.sess_start[fo[f_first[has_full]]]
        pairs: list[tuple[int, int]] = []
        for q in merge_q:  # a handful of pairs
            t_merge = self.sess_start[fo[f_first[q] + 1]]
            p_cand = np.flatnonzero((self.ptype == 2) & ~used & (first_full < t_merge - _MIN))
            if p_cand.size:
                pairs.append((int(q), int(rng.choice(p_cand))))
                used[pairs[-1][1]] = True
            else:
                used[q] = False
        merge_q = np.array([q for q, _ in pairs], dtype=np.int64)
        merge_p = np.array([p for _, p in pairs], dtype=np.int64)

        eligible = np.flatnonzero(identified & (c2 >= 2) & ~used)
        n_alias = min(_count(cfg.alias_person_share, int(identified.sum())), eligible.size)
        alias = np.sort(rng.choice(eligible, n_alias, replace=False)) if n_alias else eligible[:0]
        deep = alias[c2[alias] >= 3]
        n_deep = min(2 * max(1, round(0.1 * n_alias)), deep.size) if n_alias else 0
        deep = rng.permutation(deep)[:n_deep]
        diamonds, chains = np.sort(deep[: (n_deep + 1) // 2]), np.sort(deep[(n_deep + 1) // 2 :])

        slots = identified.astype(np.int64)
        slots[alias] += 1
        slots[deep] += 1
        base = np.cumsum(slots) - slots
        n_uids = int(slots.sum())
        uid = np.full((n_p, 3), -1, dtype=np.int64)
        for j in range(3):
            uid[:, j] = np.where(slots > j, base + j, np.where(slots > 0, base + slots - 1, -1))
        self.uid_owner: Ints = np.repeat(np.arange(n_p, dtype=np.int64), slots)
        switch = np.full((n_p, 2), _NEVER, dtype=np.int64)

        def session_start(p: Ints, rank: Ints) -> tuple[Ints, Ints]:
            s = fo[f_first[p] + rank]
            return self.sess_start[s], self.sess_dev[s]

        # previous uid, new uid, time, person, device
        alias_rows: list[tuple[Ints, Ints, Ints, Ints, Ints]] = []

        def add_alias(prev: Ints, new: Ints, t: Ints, person: Ints, dev: Ints) -> None:
            alias_rows.append((prev, new, t - _ints(rng, _SEC, 60 * _SEC, t.size), person, dev))

        simple = np.setdiff1d(alias, deep)
        r0 = 1 + (rng.random(simple.size) * (c2[simple] - 1)).astype(np.int64)
        t0, d0 = session_start(simple, r0)
        switch[simple, 0] = t0
        add_alias(uid[simple, 0], uid[simple, 1], t0, simple, d0)
        for group, with_shortcut in ((chains, False), (diamonds, True)):
            t0, d0 = session_start(group, np.ones(group.size, dtype=np.int64))
            r1 = 2 + (rng.random(group.size) * (c2[group] - 2)).astype(np.int64)
            t1, d1 = session_start(group, r1)
            switch[group, 0], switch[group, 1] = t0, t1
            add_alias(uid[group, 0], uid[group, 1], t0, group, d0)
            add_alias(uid[group, 1], uid[group, 2], t1, group, d1)
            if with_shortcut:
                t2 = t1 - _ints(rng, _SEC, 5 * _SEC, group.size)
                add_alias(uid[group, 0], uid[group, 2], t2, group, d1)
        t0, d0 = session_start(merge_q, np.ones(merge_q.size, dtype=np.int64))
        switch[merge_q, 0] = t0
        uid[merge_q, 1] = uid[merge_p, 0]
        uid[merge_q, 2] = uid[merge_p, 0]
        add_alias(uid[merge_q, 0], uid[merge_p, 0], t0, merge_q, d0)

        self.uid: Ints = uid
        self.uid_switch: Ints = switch
        self.n_uids = n_uids
        self.truth_person: Ints = np.arange(n_p, dtype=np.int64)
        self.truth_person[merge_q] = merge_p
        self.alias_prev = np.concatenate([a[0] for a in alias_rows])
        self.alias_new = np.concatenate([a[1] for a in alias_rows])
        self.alias_time = np.concatenate([a[2] for a in alias_rows])
        self.alias_person = np.concatenate([a[3] for a in alias_rows])
        alias_dev = np.concatenate([a[4] for a in alias_rows])
        self.alias_dev: Ints = np.where(self.dev_source[alias_dev] == _SEGMENT, alias_dev, -1)
        self.n_chains, self.n_diamonds, self.n_merges = chains.size, diamonds.size, merge_q.size

    # events --------------------------------------------------------------------------------------

    def _events(self) -> None:
        """Merge base and inserted events, add experiment exposures, sort, assign user ids."""
        rng = self.rng
        sess = [self.ev_sess] + [i[0] for i in self._ins]
        off = [self.ev_off] + [i[1] for i in self._ins]
        kind = [self.ev_kind] + [i[2] for i in self._ins]
        seq = [np.zeros(self.ev_sess.size, dtype=np.int64)] + [i[3] for i in self._ins]
        path = [self.ev_path] + [i[4] for i in self._ins]
        aux = [self.ev_aux] + [i[5] for i in self._ins]
        sub = [self.ev_sub] + [np.zeros(i[0].size, dtype=np.int64) for i in self._ins]
        all_sess = np.concatenate(sess)
        all_path = np.concatenate(path)
        all_off = np.concatenate(off)
        # Segment devices fire an experiment exposure after each page view of an experiment's page
        exposed_dev = (self.dev_source == _SEGMENT) & (self.dev_bot == 0)
        for code, (_, _, _, exp_path) in enumerate(_EXPERIMENTS):
            pv = np.flatnonzero((all_path == exp_path) & exposed_dev[self.sess_dev[all_sess]])
            sess.append(all_sess[pv])
            off.append(all_off[pv] + _ints(rng, 500, 700, pv.size))
            kind.append(np.full(pv.size, _EXPOSURE, dtype=np.int64))
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
        del self._ins
        self.ev_sess = all_sess[order]
        self.ev_off = all_off[order]
        self.ev_kind = np.concatenate(kind)[order]
        self.ev_path = np.concatenate(path)[order]
        self.ev_aux = np.concatenate(aux)[order]
        self.ev_sub = np.concatenate(sub)[order]
        self.n_events = int(self.ev_sess.size)
        self.sess_first_ev = np.flatnonzero(_run_starts(self.ev_sess)).astype(np.int64)
        self.ev_t: Ints = self.sess_start[self.ev_sess] + self.ev_off
        del self.ev_off
        self.ev_dev: Ints = self.sess_dev[self.ev_sess]
        self.ev_person: Ints = self.sess_person[self.ev_sess]
        self.ev_human: Mask = self.ev_person >= 0

        p = np.maximum(self.ev_person, 0)
        identified = self.ev_human & (self.ev_t >= self.occ_id_from[self.sess_occ[self.ev_sess]])
        slot = (self.ev_t >= self.uid_switch[p, 0]).astype(np.int64) + (self.ev_t >= self.uid_switch[p, 1])
        self.ev_uid: Ints = np.where(identified, self.uid[p, slot], -1)

    def _experiments(self) -> None:
        """Variant of each exposure: the person's assignment, two variants for a few persons."""
        cfg, rng = self.cfg, self.rng
        n_variants = np.array([len(e[2]) for e in _EXPERIMENTS])
        assigned = (rng.random((self.n_persons, len(_EXPERIMENTS))) * n_variants).astype(np.int64)
        ex = np.flatnonzero(self.ev_kind == _EXPOSURE)
        tp = self.truth_person[self.ev_person[ex]]
        code = self.ev_sub[ex]
        order = np.lexsort((self.ev_t[ex], code, tp))
        ex, tp, code = ex[order], tp[order], code[order]
        pair = tp * len(_EXPERIMENTS) + code
        first = _run_starts(pair)
        rank = _run_rank(first)
        pair_count = np.bincount(pair, minlength=self.n_persons * len(_EXPERIMENTS))
        exposed_persons = np.unique(tp).size
        candidates = np.flatnonzero(pair_count >= 2)
        n_multi = min(_count(cfg.multi_variant_share, exposed_persons), candidates.size)
        multi = np.zeros(pair_count.size, dtype=bool)
        multi[rng.choice(candidates, n_multi, replace=False) if n_multi else candidates[:0]] = True
        variant = assigned[tp, code]
        swap = multi[pair] & (rank % 2 == 1)
        variant = np.where(swap, (variant + 1) % n_variants[code], variant)
        self.ev_aux[ex] = variant
        self.exp_pairs: Ints = pair[first]
        self.exp_assigned: Ints = assigned[tp[first], code[first]]
        self.exp_multi: Mask = multi[pair[first]]

    def _pages(self) -> None:
        """Current page, its URL and referrer for each event."""
        n = self.n_events
        n_pages = len(_PAGES)
        idx = np.arange(n, dtype=np.int64)
        is_pv = self.ev_kind == _PV
        landing = _run_starts(self.ev_sess)
        cur = np.maximum.accumulate(np.where(is_pv, idx, 0))
        prev = np.zeros(n, dtype=np.int64)
        prev[1:] = cur[:-1]
        # url index into [plain page URLs..., landing URL of each session...]
        pv_url = np.where(landing, n_pages + self.ev_sess, self.ev_path)
        self.ev_page: Ints = self.ev_path[cur]
        self.ev_on_landing: Mask = landing[cur]
        self.ev_url: Ints = pv_url[cur]
        # referrer index into [page URLs..., landing URLs..., external referrers...]
        ext = self.sess_ref[self.ev_sess]
        pv_ref = np.where(landing, np.where(ext >= 0, n_pages + self.n_sessions + ext, -1), pv_url[prev])
        self.ev_ref: Ints = pv_ref[cur]
        self.ev_ref_ext: Ints = np.where(self.ev_on_landing, ext, -1)
        self.ev_ref_path: Ints = np.where(self.ev_on_landing, -1, self.ev_path[prev[cur]])
        _compact(self, _EVENT_INDEX_ARRAYS)


# ---------------------------------------------------------------------------------------------------
# raw rows: journey events, injected bad rows, expected outcomes


class _Rows:
    """Every raw event row (journey events and injected bad rows) with delivery times and outcome."""

    def __init__(self, world: _World, rng: np.random.Generator) -> None:
        w, cfg = world, world.cfg
        self.w = w
        n = w.n_events
        snow = w.dev_source[w.ev_dev] == _SNOWPLOW
        human = w.ev_human

        self.ev = np.arange(n, dtype=np.int64)
        self.key = np.arange(n, dtype=np.int64)
        self.state = np.zeros(n, dtype=np.int64)
        self.jitter = np.zeros(n, dtype=np.int64)
        self.future = np.zeros(n, dtype=np.int64)
        self.latency = _ints(rng, 100, 2000, n)
        self.etl = _ints(rng, 2 * _SEC, 30 * _SEC, n)
        self.load = np.where(snow, _ints(rng, _MIN, 9 * _MIN, n), _ints(rng, _MIN, 10 * _MIN, n))
        self.no_device = np.zeros(n, dtype=np.int64)
        self.no_name = np.zeros(n, dtype=np.int64)
        self.alt_title = np.zeros(n, dtype=bool)
        self.garbage = np.zeros(n, dtype=np.int64)
        self.bad = np.zeros(n, dtype=bool)

        human_idx = np.flatnonzero(human)
        n_late = min(_count(cfg.late_rate, human_idx.size), human_idx.size)
        late = rng.choice(human_idx, n_late, replace=False)
        self.latency[late] = _ints(rng, _HOUR, int(71.8 * _HOUR), late.size)
        self.late = np.zeros(n, dtype=bool)
        self.late[late] = True
        spec = np.isin(w.ev_kind, _SPEC_KINDS)
        # a few Snowplow events lack derived_tstamp (event time = collector_tstamp, up to 2 s later); only
        # where that cannot change the order of events in the session
        next_gap = np.full(n, _NEVER, dtype=np.int64)
        same_session = w.ev_sess[1:] == w.ev_sess[:-1]
        next_gap[:-1] = np.where(same_session, w.ev_t[1:] - w.ev_t[:-1], _NEVER)
        no_derived = snow & human & ~self.late & ~spec & (next_gap > 2500) & (rng.random(n) < 0.005)
        self.state[no_derived] = _TS_NO_DERIVED

        cand = np.flatnonzero(human & ~spec)
        cand_snow = cand[snow[cand]]
        cand_tracks = cand[~snow[cand] & (w.ev_kind[cand] == _TRACK)]
        next_key = n
        parts: list[dict[str, Arr]] = []

        def copies(pool: Ints, rate: float, fresh: bool = True) -> tuple[Ints, dict[str, Arr]]:
            nonlocal next_key
            k = _count(rate, n) if pool.size else 0
            src = pool[rng.integers(0, max(1, pool.size), k)] if k else pool[:0]
            src_snow = snow[src]
            part: dict[str, Arr] = {
                "ev": src,
                "key": np.arange(next_key, next_key + k, dtype=np.int64),
                "state": np.zeros(k, dtype=np.int64),
                "jitter": _ints(rng, 0, 3000, k),
                "future": np.zeros(k, dtype=np.int64),
                "latency": _ints(rng, 100, 2000, k),
                "etl": _ints(rng, 2 * _SEC, 30 * _SEC, k),
                "load": np.where(src_snow, _ints(rng, _MIN, 9 * _MIN, k), _ints(rng, _MIN, 10 * _MIN, k)),
                "no_device": np.zeros(k, dtype=np.int64),
                "no_name": np.zeros(k, dtype=np.int64),
                "alt_title": np.zeros(k, dtype=bool),
                "garbage": np.zeros(k, dtype=np.int64),
                "bad": np.ones(k, dtype=bool),
            }
            if fresh:
                next_key += k
            parts.append(part)
            return src, part

        src, part = copies(cand, cfg.null_id_rate)
        part["key"] = np.where(~snow[src] & (rng.random(src.size) < 0.5), -2, -1)
        src, part = copies(cand, cfg.null_timestamp_rate)
        part["state"][:] = _TS_NULL
        src, part = copies(cand_snow, cfg.unparseable_timestamp_rate)
        part["state"] = np.where(rng.random(src.size) < 0.6, _TS_BAD_DERIVED, _TS_BAD_COLLECTOR)
        part["garbage"] = rng.integers(0, len(_GARBAGE_TIMESTAMPS), src.size)
        src, part = copies(cand, cfg.null_device_rate)
        part["no_device"] = np.where(~snow[src] & (rng.random(src.size) < 0.5), 2, 1)
        src, part = copies(cand_tracks, cfg.null_event_name_rate)
        part["no_name"] = np.where(rng.random(src.size) < 0.5, 2, 1)
        src, part = copies(cand, cfg.future_rate)
        part["future"] = _ints(rng, 2 * _DAY, 20 * _DAY, src.size)
        src, part = copies(cand, cfg.duplicate_rate, fresh=False)
        part["key"] = self.key[src]
        part["state"] = self.state[src]
        part["jitter"] = np.zeros(src.size, dtype=np.int64)
        part["latency"] = self.latency[src] + _ints(rng, _MIN, 6 * _HOUR, src.size)
        part["etl"] = self.etl[src]
        part["load"] = self.load[src]
        part["alt_title"] = snow[src] & (rng.random(src.size) < 0.3)
        for name in part:
            setattr(self, name, np.concatenate([getattr(self, name)] + [p[name] for p in parts]))
        self.late = np.concatenate([self.late, np.zeros(self.ev.size - n, dtype=bool)])
        self.n_keys = next_key
        self._classify()
        del self.jitter
        _compact(self, _ROW_INDEX_ARRAYS)

    def _classify(self) -> None:
        """Expected outcome of each row, by the quarantine rules in priority order."""
        w = self.w
        n = self.ev.size
        dev = w.ev_dev[self.ev]
        snow = w.dev_source[dev] == _SNOWPLOW
        kind = w.ev_kind[self.ev]
        self.dev = dev
        self.snow = snow
        self.kind = kind
        t_real = w.ev_t[self.ev] + self.jitter
        self.t_real = t_real
        no_derived = snow & (self.state == _TS_NO_DERIVED)
        event_time = np.where(no_derived, t_real + self.latency, t_real + self.future)
        self.has_event_time = np.isin(self.state, (_TS_OK, _TS_NO_DERIVED))
        self.event_time = event_time
        self.loaded = t_real + self.latency + np.where(snow, self.etl, 0) + self.load

        bot_pattern = re.compile(BOT_USER_AGENT_PATTERN, re.IGNORECASE)
        ua_is_bot = np.array([bool(bot_pattern.search(ua)) for ua in _USER_AGENTS])
        self.spider_flag = snow & (w.dev_bot[dev] > 0)
        rules = (
            (_NO_ID, self.key < 0),
            (_NO_TS, self.state == _TS_NULL),
            (_BAD_TS, np.isin(self.state, (_TS_BAD_DERIVED, _TS_BAD_COLLECTOR))),
            (_NO_DEVICE, self.no_device > 0),
            (_NO_NAME, ~snow & (self.no_name > 0)),
            (_FUTURE, self.has_event_time & (event_time - self.loaded > _DAY)),
            (_BOT_UA, ua_is_bot[w.dev_ua[dev]]),
            (_BOT_CONTEXT, self.spider_flag),
        )
        outcome = np.full(n, -1, dtype=np.int64)
        for code, applies in rules:
            outcome[(outcome < 0) & applies] = code
        ok = np.flatnonzero(outcome < 0)
        repeated = np.bincount(self.key[ok], minlength=self.n_keys) > 1
        ok = ok[repeated[self.key[ok]]]
        ok = ok[np.lexsort((ok, event_time[ok], self.loaded[ok], self.key[ok]))]
        later = ~_run_starts(self.key[ok])
        outcome[ok[later]] = _DUPLICATE
        outcome[outcome < 0] = _KEPT
        self.outcome = outcome


# ---------------------------------------------------------------------------------------------------
# rendering: vendor tables and truth


class _Renderer:
    """Turns the world and its raw rows into Segment and Snowplow tables and the truth tables."""

    def __init__(self, world: _World, rows: _Rows, rng: np.random.Generator) -> None:
        self.w, self.r, self.rng = world, rows, rng
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        self.start_ms = (_as_utc(world.cfg.start) - epoch) // timedelta(milliseconds=1)

    def render(self) -> GeneratedData:
        """Build every table; raw event tables and truth events are built in row chunks."""
        self._vocabularies()
        r = self.r
        table_of = np.where(r.snow, 3, np.where(r.kind == _PV, 0, np.where(r.kind == _IDENTIFY, 2, 1)))
        builders = (
            self._segment_pages,
            self._segment_tracks,
            self._segment_identifies,
            self._snowplow_events,
        )
        raw: list[pa.Table] = []
        truth_batches: list[pa.RecordBatch] = []
        context_batches: list[pa.RecordBatch] = []
        self.table_rows: list[Ints] = []
        for code, build in enumerate(builders):
            rows = np.flatnonzero(table_of == code)
            rows = rows[np.argsort(r.loaded[rows], kind="stable")]
            self.table_rows.append(rows)
            batches = []
            for chunk in _chunks(rows):
                cols = build(chunk)
                batches.append(pa.RecordBatch.from_pydict(cols))
                truth_batches.append(pa.RecordBatch.from_pydict(self._truth_event_columns(chunk, code, cols)))
                if code == 3:
                    context_batches.append(pa.RecordBatch.from_pydict(self._spider_context(chunk, cols)))
            raw.append(pa.Table.from_batches(batches))
        segment = {
            "pages": raw[0],
            "tracks": raw[1],
            "identifies": raw[2],
            "aliases": self._segment_aliases(),
        }
        segment.update(self._segment_spec_tables(raw[1], self.table_rows[1]))
        snowplow = {
            "events": raw[3],
            "com_iab_snowplow_spiders_and_robots_1": pa.Table.from_batches(context_batches),
        }
        truth = {
            "events": pa.Table.from_batches(truth_batches),
            "sessions": self._truth_sessions(),
            "persons": self._truth_persons(),
            "devices": self._truth_devices(),
            "user_ids": self._truth_user_ids(),
            "aliases": self._truth_aliases(),
            "signups": self._truth_signups(),
            "orders": self._truth_orders(),
            "experiment_assignments": self._truth_experiments(),
        }
        return GeneratedData(segment={k: segment[k] for k in SEGMENT_TABLES}, snowplow=snowplow, truth=truth)

    # vocabularies ---------------------------------------------------------------------------------

    def _vocabularies(self) -> None:
        w, rng = self.w, self.rng
        ns = w.n_sessions
        self.paths = _vocab([p[0] for p in _PAGES])
        self.titles = _vocab([p[1] for p in _PAGES] + ["(1) " + p[1] for p in _PAGES])
        self.page_names = _vocab([p[1].split(" | ")[0] for p in _PAGES])
        plain_urls = [SITE + p[0] for p in _PAGES]

        # landing URL and query string of each session
        def param(name: str, vocab: tuple[str, ...], codes: Ints) -> pa.Array:
            return pc.binary_join_element_wise("&" + name + "=", _take(_vocab(vocab), codes), "")

        tokens = [
            _tokens(rng, ns, "Cj0KCQiA", 40),
            _fixed_width_strings(_hex_chars(_random_bytes(rng, ns, 16))),
            _tokens(rng, ns, "IwAR", 44),
        ]
        click = w.sess_click
        token = tokens[0]
        for c in (1, 2):
            token = _where(click == c, tokens[c], token)
        self.sess_click_token = _where(click >= 0, token, pa.scalar(None, pa.string()))
        click_part = pc.binary_join_element_wise(
            "&", _take(_vocab(_CLICK_PARAMS), click), "=", self.sess_click_token, ""
        )
        parts = [
            param("utm_source", _UTM_SOURCES, w.sess_src),
            param("utm_medium", _UTM_MEDIUMS, w.sess_med),
            param("utm_campaign", _UTM_CAMPAIGNS, w.sess_camp),
            param("utm_term", _UTM_TERMS, w.sess_term),
            param("utm_content", _UTM_CONTENTS, w.sess_content),
            click_part,
        ]
        joined = pc.binary_join_element_wise(
            *parts, "", null_handling="replace", null_replacement="", memory_pool=_pool()
        )
        has_query = (w.sess_src >= 0) | (click >= 0)
        query = pc.utf8_slice_codeunits(joined, 1, memory_pool=_pool())
        query = _where(has_query, query, pa.scalar(None, pa.string()))
        self.sess_query = query
        landing_path = _take(self.paths, w.ev_path[w.sess_first_ev])
        search = _where(has_query, pc.binary_join_element_wise("?", query, ""), pa.scalar(""))
        self.sess_landing_url = pc.binary_join_element_wise(SITE, landing_path, search, "")
        self.urls = pa.concat_arrays([_vocab(plain_urls), self.sess_landing_url])
        self.refs = pa.concat_arrays([self.urls, _vocab([e[0] for e in _EXT_REFERRERS])])

        # devices
        nd = w.n_devices
        uuid_ids = _uuids(rng, nd)
        hex_ids = _hex_strings(rng, nd, 32)
        long_id = (w.dev_source == _SNOWPLOW) & (rng.random(nd) < 0.3)
        self.device_ids = _where(long_id, hex_ids, uuid_ids)
        self.device_ids_ext = pa.concat_arrays([self.device_ids, _vocab([""])])
        self.network_ids = _uuids(rng, nd)
        first_octets = _IP_FIRST_OCTETS[rng.integers(0, _IP_FIRST_OCTETS.size, nd)]
        octets = [pc.cast(pa.array(first_octets), pa.string())]
        octets += [pc.cast(pa.array(rng.integers(0 if i < 2 else 1, 255, nd)), pa.string()) for i in range(3)]
        self.device_ips = pc.binary_join_element_wise(*octets, ".", memory_pool=_pool())
        self.user_agents = _vocab(_USER_AGENTS)

        # sessions, users, event ids
        self.sess_tracker_ids = _uuids(rng, ns)
        self.sess_index = _int_strings(1 + w.dev_idx0[w.sess_dev] + w.sess_idx)
        self.session_ids = _zero_padded("s_", np.arange(ns, dtype=np.int64), max(7, len(str(ns))))
        numbers = 100_000 + rng.permutation(w.n_uids * 9)[: w.n_uids].astype(np.int64)
        uid_numbers = pc.cast(pa.array(numbers), pa.string())
        self.user_ids = pc.binary_join_element_wise("u_", uid_numbers, "", memory_pool=_pool())
        self.user_ids_ext = pa.concat_arrays([self.user_ids, _vocab([""])])
        self.emails = pc.binary_join_element_wise("traveller.", uid_numbers, "@example.com", "")
        person_numbers = np.arange(w.n_persons, dtype=np.int64)
        self.person_ids = _zero_padded("p_", person_numbers, max(6, len(str(w.n_persons))))
        self.id_salt = int(rng.integers(0, 2**62))
        order_numbers = 1_000_000 + rng.permutation(max(1, w.n_orders) * 5)[: w.n_orders].astype(np.int64)
        order_numbers_s = pc.cast(pa.array(order_numbers), pa.string())
        self.order_ids = pc.binary_join_element_wise("ord_", order_numbers_s, "")
        self.order_totals = _money_strings(w.order_cents)

    # row attributes -------------------------------------------------------------------------------

    def _event_ids(self, rows: Ints) -> pa.Array:
        """Event id of each row: NULL for key -1, '' for key -2."""
        key = self.r.key[rows]
        ids = _hashed_uuids(np.maximum(key, 0), self.id_salt)
        if (key < 0).any():
            ids = _where(key == -2, pa.scalar(""), ids)
            ids = _where(key == -1, pa.scalar(None, pa.string()), ids)
        return ids

    def _device_idx(self, rows: Ints) -> Ints:
        miss = self.r.no_device[rows]
        return np.where(miss == 1, -1, np.where(miss == 2, self.w.n_devices, self.r.dev[rows]))

    def _user_idx(self, rows: Ints) -> Ints:
        miss = self.r.no_device[rows]
        uid = self.w.ev_uid[self.r.ev[rows]]
        return np.where(miss == 1, -1, np.where(miss == 2, self.w.n_uids, uid))

    def _us(self, ms: Ints) -> Ints:
        return (self.start_ms + ms) * 1000

    def _campaign(self, rows: Ints, codes: Ints, vocab: tuple[str, ...], split_only: bool) -> pa.Array:
        """A session's campaign value on events of its landing page (NULL if not split, when asked)."""
        ev = self.r.ev[rows]
        sess = self.w.ev_sess[ev]
        show = self.w.ev_on_landing[ev]
        if split_only:
            show = show & ~self.w.sess_unsplit[sess]
        return _take(_vocab(vocab), np.where(show, codes[sess], -1))

    # Segment --------------------------------------------------------------------------------------

    def _segment_common(self, rows: Ints) -> dict[str, pa.Array]:
        w, r = self.w, self.r
        ev = r.ev[rows]
        dev = r.dev[rows]
        t = r.t_real[rows]
        fut = r.future[rows]
        skew = w.dev_skew[dev]
        received = t + r.latency[rows]
        n = rows.size
        return {
            "id": self._event_ids(rows),
            "anonymous_id": _take(self.device_ids_ext, self._device_idx(rows)),
            "user_id": _take(self.user_ids_ext, self._user_idx(rows)),
            "timestamp": _timestamps(self._us(t + fut), r.state[rows] == _TS_NULL),
            "original_timestamp": _timestamps(self._us(t + skew + fut)),
            "sent_at": _timestamps(self._us(received + skew + fut)),
            "received_at": _timestamps(self._us(received)),
            "uuid_ts": _timestamps(self._us(r.loaded[rows])),
            "context_user_agent": _take(self.user_agents, w.dev_ua[dev]),
            "context_ip": _take(self.device_ips, dev),
            "context_locale": _take(_vocab([c[1] for c in _COUNTRIES]), w.dev_country[dev]),
            "context_library_name": _const("analytics.js", n),
            "context_page_url": _take(self.urls, w.ev_url[ev]),
            "context_page_path": _take(self.paths, w.ev_page[ev]),
            "context_page_referrer": _take(self.refs, w.ev_ref[ev]),
            "context_page_title": _take(self.titles, w.ev_page[ev]),
        }

    def _segment_pages(self, rows: Ints) -> dict[str, pa.Array]:
        w = self.w
        cols = self._segment_common(rows)
        ev = self.r.ev[rows]
        search = _where(
            w.ev_on_landing[ev],
            pc.binary_join_element_wise("?", _take(self.sess_query, w.ev_sess[ev]), "", memory_pool=_pool()),
            pa.scalar(None, pa.string()),
        )
        cols.update(
            name=_take(self.page_names, w.ev_page[ev]),
            url=cols["context_page_url"],
            path=cols["context_page_path"],
            referrer=cols["context_page_referrer"],
            title=cols["context_page_title"],
            search=search,
            context_campaign_source=self._campaign(rows, w.sess_src, _UTM_SOURCES, True),
            context_campaign_medium=self._campaign(rows, w.sess_med, _UTM_MEDIUMS, True),
            context_campaign_name=self._campaign(rows, w.sess_camp, _UTM_CAMPAIGNS, True),
            context_campaign_term=self._campaign(rows, w.sess_term, _UTM_TERMS, True),
            context_campaign_content=self._campaign(rows, w.sess_content, _UTM_CONTENTS, True),
        )
        return cols

    def _track_name_idx(self, rows: Ints) -> Ints:
        r = self.r
        ev = r.ev[rows]
        kind = r.kind[rows]
        special = [kind == _SIGNUP, kind == _ORDER, kind == _EXPOSURE]
        name = np.select(special, [3, 4, 5], self.w.ev_sub[ev]).astype(np.int64)
        return np.where(r.no_name[rows] == 1, -1, np.where(r.no_name[rows] == 2, len(_SEGMENT_TRACKS), name))

    def _segment_tracks(self, rows: Ints) -> dict[str, pa.Array]:
        w = self.w
        cols = self._segment_common(rows)
        name = self._track_name_idx(rows)
        cols.update(
            event=_take(_vocab([t[0] for t in _SEGMENT_TRACKS] + [""]), name),
            event_text=_take(_vocab([t[1] for t in _SEGMENT_TRACKS] + [""]), name),
            context_campaign_source=self._campaign(rows, w.sess_src, _UTM_SOURCES, True),
            context_campaign_medium=self._campaign(rows, w.sess_med, _UTM_MEDIUMS, True),
            context_campaign_name=self._campaign(rows, w.sess_camp, _UTM_CAMPAIGNS, True),
        )
        return cols

    def _segment_identifies(self, rows: Ints) -> dict[str, pa.Array]:
        cols = self._segment_common(rows)
        uid = self.w.ev_uid[self.r.ev[rows]]
        cols["email"] = _take(self.emails, uid)
        return cols

    def _segment_aliases(self) -> pa.Table:
        w, rng = self.w, self.rng
        n = w.alias_time.size
        order = np.argsort(w.alias_time, kind="stable")
        received = w.alias_time[order] + _ints(rng, 100, 2000, n)
        return pa.table(
            {
                "id": _uuids(rng, n),
                "previous_id": _take(self.user_ids, w.alias_prev[order]),
                "user_id": _take(self.user_ids, w.alias_new[order]),
                "anonymous_id": _take(self.device_ids, w.alias_dev[order]),
                "timestamp": _timestamps(self._us(w.alias_time[order])),
                "received_at": _timestamps(self._us(received)),
                "uuid_ts": _timestamps(self._us(received + _ints(rng, _MIN, 10 * _MIN, n))),
            }
        )

    def _segment_spec_tables(self, tracks: pa.Table, rows: Ints) -> dict[str, pa.Table]:
        w, r = self.w, self.r
        kind = r.kind[rows]
        aux = w.ev_aux[r.ev[rows]]
        out: dict[str, pa.Table] = {}

        sel = np.flatnonzero(kind == _ORDER)
        revenue = w.order_cents[aux[sel]] / 100
        t = tracks.take(pa.array(sel))
        out["order_completed"] = (
            t.append_column("order_id", _take(self.order_ids, aux[sel]))
            .append_column("revenue", pa.array(revenue, type=pa.float64()))
            .append_column("total", pa.array(revenue, type=pa.float64()))
            .append_column("currency", _const("USD", sel.size))
        )

        sel = np.flatnonzero(kind == _EXPOSURE)
        code = w.ev_sub[r.ev[rows[sel]]]
        var_idx = code * _N_VARIANTS + aux[sel]
        t = tracks.take(pa.array(sel))
        out["experiment_viewed"] = (
            t.append_column("experiment_id", _take(_vocab([e[0] for e in _EXPERIMENTS]), code))
            .append_column("experiment_name", _take(_vocab([e[1] for e in _EXPERIMENTS]), code))
            .append_column("variation_id", _take(_vocab(_VARIANT_SLOTS), var_idx))
            .append_column("variation_name", _take(_vocab([v.title() for v in _VARIANT_SLOTS]), var_idx))
        )

        sel = np.flatnonzero(kind == _SIGNUP)
        t = tracks.take(pa.array(sel))
        method = _take(_vocab(["email", "google"]), w.signup_method[aux[sel]])
        out["signed_up"] = t.append_column("method", method)
        return out

    # Snowplow -------------------------------------------------------------------------------------

    def _snowplow_events(self, rows: Ints) -> dict[str, pa.Array]:
        w, r, rng = self.w, self.r, self.rng
        n = rows.size
        ev = r.ev[rows]
        dev = r.dev[rows]
        kind = r.kind[rows]
        sess = w.ev_sess[ev]
        state = r.state[rows]
        t = r.t_real[rows]
        fut = r.future[rows]
        skew = w.dev_skew[dev]
        collector = t + r.latency[rows]
        etl = collector + r.etl[rows]
        null = pa.scalar(None, pa.string())
        garbage = _take(_vocab(_GARBAGE_TIMESTAMPS), r.garbage[rows])

        def ts(ms: Ints) -> pa.Array:
            return _format_ms(self.start_ms + ms)

        derived = ts(t + fut)
        derived = _where(state == _TS_BAD_DERIVED, garbage, derived)
        derived = _where(np.isin(state, (_TS_NULL, _TS_BAD_COLLECTOR, _TS_NO_DERIVED)), null, derived)
        collector_s = _where(state == _TS_BAD_COLLECTOR, garbage, ts(collector))
        collector_s = _where(state == _TS_NULL, null, collector_s)

        shape = np.select(
            [kind == _PV, kind == _PING, kind == _TRACK, kind == _SIGNUP, kind == _ORDER],
            [0, 1, 2 + w.ev_sub[ev], 5, 6],
            0,
        )
        sub = w.ev_sub[ev]
        is_struct = (kind == _TRACK) & (sub > 0)
        is_order = kind == _ORDER
        is_ping = kind == _PING
        on_landing = w.ev_on_landing[ev]
        split = on_landing & ~w.sess_unsplit[sess]
        cls = w.dev_class[dev]
        page = w.ev_page[ev]
        doc_height = 1800 + 350 * page + (sess % 7) * 40
        view_height = np.array([v[2] for v in _VIEWPORTS])[cls]
        y_max = (rng.random(n) * np.maximum(doc_height - view_height, 1)).astype(np.int64)
        y_min = (rng.random(n) * y_max).astype(np.int64)
        ext = w.ev_ref_ext[ev]
        ref_kind = np.where(w.ev_ref[ev] < 0, -1, np.where(ext >= 0, 1, 0))
        product = w.ev_aux[ev]
        aux = w.ev_aux[ev]
        verdict = w.dev_bot[dev]
        json_verdicts = _vocab(
            [
                f'[{{"category":"{c}","primaryImpact":"{i}","reason":"{reason}","spiderOrRobot":{s}}}]'
                for c, i, reason, s in _SPIDER_VERDICTS
            ]
        )

        def shape_col(pos: int) -> pa.Array:
            return _take(_vocab([s[pos] for s in _SNOWPLOW_EVENTS]), shape)

        cols: dict[str, pa.Array] = {
            "app_id": _const("journeys-web", n),
            "platform": _const("web", n),
            "etl_tstamp": ts(etl),
            "collector_tstamp": collector_s,
            "dvce_created_tstamp": ts(t + skew + fut),
            "dvce_sent_tstamp": ts(collector + skew + fut),
            "derived_tstamp": derived,
            "load_tstamp": ts(r.loaded[rows]),
            "event": shape_col(0),
            "event_id": self._event_ids(rows),
            "event_vendor": shape_col(1),
            "event_name": shape_col(2),
            "event_format": shape_col(3),
            "event_version": shape_col(4),
            "name_tracker": _const("sp", n),
            "v_tracker": _const("js-3.24.2", n),
            "user_id": _take(self.user_ids_ext, self._user_idx(rows)),
            "user_ipaddress": _take(self.device_ips, dev),
            "domain_userid": _take(self.device_ids_ext, self._device_idx(rows)),
            "domain_sessionidx": _take(self.sess_index, sess),
            "domain_sessionid": _take(self.sess_tracker_ids, sess),
            "network_userid": _take(self.network_ids, dev),
            "geo_country": _take(_vocab([c[0] for c in _COUNTRIES]), w.dev_country[dev]),
            "page_url": _take(self.urls, w.ev_url[ev]),
            "page_title": _take(self.titles, page + len(_PAGES) * r.alt_title[rows]),
            "page_referrer": _take(self.refs, w.ev_ref[ev]),
            "page_urlscheme": _const("https", n),
            "page_urlhost": _const(SITE_HOST, n),
            "page_urlport": _const("443", n),
            "page_urlpath": _take(self.paths, page),
            "page_urlquery": _where(on_landing, _take(self.sess_query, sess), null),
            "refr_urlscheme": _value_where(ref_kind >= 0, "https"),
            "refr_urlhost": _take(
                _vocab([SITE_HOST] + [e[1] for e in _EXT_REFERRERS]),
                np.where(ref_kind == 1, 1 + ext, ref_kind),
            ),
            "refr_urlpath": _where(
                ref_kind == 1,
                _take(_vocab([e[2] for e in _EXT_REFERRERS]), ext),
                _take(self.paths, np.where(ref_kind == 0, w.ev_ref_path[ev], -1)),
            ),
            "refr_medium": _take(
                _vocab(["internal"] + [e[3] for e in _EXT_REFERRERS]),
                np.where(ref_kind == 1, 1 + ext, ref_kind),
            ),
            "refr_source": _take(_vocab([e[4] for e in _EXT_REFERRERS]), np.where(ref_kind == 1, ext, -1)),
            "mkt_medium": _take(_vocab(_UTM_MEDIUMS), np.where(split, w.sess_med[sess], -1)),
            "mkt_source": _take(_vocab(_UTM_SOURCES), np.where(split, w.sess_src[sess], -1)),
            "mkt_term": _take(_vocab(_UTM_TERMS), np.where(split, w.sess_term[sess], -1)),
            "mkt_content": _take(_vocab(_UTM_CONTENTS), np.where(split, w.sess_content[sess], -1)),
            "mkt_campaign": _take(_vocab(_UTM_CAMPAIGNS), np.where(split, w.sess_camp[sess], -1)),
            "mkt_clickid": _where(split, _take(self.sess_click_token, sess), null),
            "mkt_network": _take(_vocab(_CLICK_NETWORKS), np.where(split, w.sess_click[sess], -1)),
            "se_category": _value_where(is_struct, "product"),
            "se_action": _take(_vocab(["view_item", "add_to_cart"]), np.where(is_struct, sub - 1, -1)),
            "se_label": _take(_vocab(_PRODUCTS), np.where(is_struct, product, -1)),
            "se_property": pa.nulls(n, pa.string()),
            "se_value": _take(_vocab(_PRODUCT_PRICES), np.where(is_struct, product, -1)),
            "tr_orderid": _take(self.order_ids, np.where(is_order, aux, -1)),
            "tr_total": _take(self.order_totals, np.where(is_order, aux, -1)),
            "tr_currency": _value_where(is_order, "USD"),
            "pp_xoffset_min": _value_where(is_ping, "0"),
            "pp_xoffset_max": _value_where(is_ping, "0"),
            "pp_yoffset_min": _int_strings(y_min, ~is_ping),
            "pp_yoffset_max": _int_strings(y_max, ~is_ping),
            "doc_width": _int_strings(np.array([v[0] for v in _VIEWPORTS])[cls]),
            "doc_height": _int_strings(doc_height),
            "br_viewwidth": _int_strings(np.array([v[1] for v in _VIEWPORTS])[cls]),
            "br_viewheight": _int_strings(view_height),
            "useragent": _take(self.user_agents, w.dev_ua[dev]),
            "br_lang": _take(_vocab([c[1] for c in _COUNTRIES]), w.dev_country[dev]),
            "os_timezone": _take(_vocab([c[2] for c in _COUNTRIES]), w.dev_country[dev]),
            "contexts_com_iab_snowplow_spiders_and_robots_1_0_0": _take(json_verdicts, verdict),
        }
        return cols

    def _spider_context(self, rows: Ints, cols: dict[str, pa.Array]) -> dict[str, pa.Array]:
        """Rows of the spiders-and-robots context table for Snowplow rows with an event id."""
        has_id = self.r.key[rows] >= 0
        sel = pa.array(np.flatnonzero(has_id))
        verdict = self.w.dev_bot[self.r.dev[rows]][has_id]

        def col(pos: int) -> pa.Array:
            return _take(_vocab([v[pos] for v in _SPIDER_VERDICTS]), verdict)

        return {
            "root_id": cols["event_id"].take(sel),
            "root_tstamp": cols["collector_tstamp"].take(sel),
            "category": col(0),
            "primaryimpact": col(1),
            "reason": col(2),
            "spiderorrobot": col(3),
        }

    # truth ----------------------------------------------------------------------------------------

    def _person_idx(self, persons: Ints) -> Ints:
        return np.where(persons >= 0, self.w.truth_person[np.maximum(persons, 0)], -1)

    def _truth_event_columns(self, rows: Ints, code: int, raw: dict[str, pa.Array]) -> dict[str, pa.Array]:
        """Truth rows for one chunk of the raw table ``code``; ids and URLs share the raw arrays."""
        w, r = self.w, self.r
        n = rows.size
        ev = r.ev[rows]
        kind = r.kind[rows]
        sess = w.ev_sess[ev]
        on_landing = w.ev_on_landing[ev]
        snow = code == 3
        journey = ~r.bad[rows] & w.ev_human[ev]
        country = w.dev_country[r.dev[rows]] if snow else np.full(n, -1)
        if snow:
            event_type = np.select([kind == _PV, kind == _PING], [0, 3], 1)
            event_name = raw["event_name"]
            device, user = raw["domain_userid"], raw["user_id"]
        else:
            event_type = np.full(n, (0, 1, 2)[code], dtype=np.int64)
            event_name = {
                0: _const("page_view", n),
                1: raw.get("event"),
                2: _const("identify", n),
            }[code]
            device, user = raw["anonymous_id"], raw["user_id"]
            if (r.no_device[rows] == 2).any():
                device, user = _blank_to_null(device), _blank_to_null(user)
            if code == 1 and (r.no_name[rows] == 2).any():
                event_name = _blank_to_null(event_name)
        ext = w.ev_ref_ext[ev]
        hosts = [e[1].lower().removeprefix("www.") for e in _EXT_REFERRERS]
        ref_host = np.where(w.ev_ref[ev] < 0, -1, np.where(ext >= 0, 1 + ext, 0))
        is_order = kind == _ORDER
        revenue = np.append(w.order_cents, 0)[np.where(is_order, w.ev_aux[ev], -1)] / 100
        dev = r.dev[rows]

        def landing(codes: Ints, vocab: tuple[str, ...]) -> pa.Array:
            return _take(_vocab(vocab), np.where(on_landing, codes[sess], -1))

        return {
            "source": _const("snowplow" if snow else "segment", n),
            "source_table": _const(("pages", "tracks", "identifies", "events")[code], n),
            "event_id": raw["event_id" if snow else "id"],
            "expected_outcome": _take(_vocab(OUTCOMES), r.outcome[rows]),
            "event_at": _timestamps(self._us(r.event_time[rows]), ~r.has_event_time[rows]),
            "loaded_at": _timestamps(self._us(r.loaded[rows])),
            "device_id": device,
            "user_id": user,
            "person_id": _take(self.person_ids, self._person_idx(w.ev_person[ev])),
            "session_id": _take(self.session_ids, np.where(journey, sess, -1)),
            "event_type": _take(_vocab(["page_view", "track", "identify", "page_ping"]), event_type),
            "event_name": event_name,
            "page_url": raw["page_url" if snow else "context_page_url"],
            "page_path": raw["page_urlpath" if snow else "context_page_path"],
            "utm_source": landing(w.sess_src, _UTM_SOURCES),
            "utm_medium": landing(w.sess_med, _UTM_MEDIUMS),
            "utm_campaign": landing(w.sess_camp, _UTM_CAMPAIGNS),
            "utm_term": landing(w.sess_term, _UTM_TERMS),
            "utm_content": landing(w.sess_content, _UTM_CONTENTS),
            "click_id": _where(on_landing, _take(self.sess_click_token, sess), pa.scalar(None, pa.string())),
            "referrer_host": _take(_vocab([SITE_HOST.removeprefix("www."), *hosts]), ref_host),
            "device_class": _take(_vocab(_DEVICE_CLASSES), w.dev_class[dev]),
            "revenue": pa.array(revenue, type=pa.float64(), mask=~is_order),
            "country": _take(_vocab([c[0] for c in _COUNTRIES]), country),
        }

    def _journey(self) -> tuple[Ints, Ints]:
        """Human journey events (their event indices) and the human sessions, in session order."""
        w = self.w
        ev = np.flatnonzero(w.ev_human)
        return ev, np.arange(w.n_human_sessions, dtype=np.int64)

    def _truth_sessions(self) -> pa.Table:
        w, r = self.w, self.r
        ev, sessions = self._journey()
        ev_sess = w.ev_sess[ev]
        starts = np.flatnonzero(_run_starts(ev_sess))
        t = r.event_time[ev]  # journey rows are rows 0..n_events-1
        started = np.minimum.reduceat(t, starts)
        ended = np.maximum.reduceat(t, starts)
        counts = np.diff(np.append(starts, ev.size))
        identified = np.logical_or.reduceat(w.ev_uid[ev] >= 0, starts)
        ch = w.sess_channel[sessions]
        ext = w.sess_ref[sessions]
        hosts = [e[1].lower().removeprefix("www.") for e in _EXT_REFERRERS]
        landing_ev = w.sess_first_ev[sessions]
        return pa.table(
            {
                "session_id": _take(self.session_ids, sessions),
                "person_id": _take(self.person_ids, self._person_idx(w.sess_person[sessions])),
                "device_id": _take(self.device_ids, w.sess_dev[sessions]),
                "source": _take(_vocab(["segment", "snowplow"]), w.dev_source[w.sess_dev[sessions]]),
                "started_at": _timestamps(self._us(started)),
                "ended_at": _timestamps(self._us(ended)),
                "event_count": pa.array(counts.astype(np.int64)),
                "channel": _take(_vocab(_CHANNELS), ch),
                "is_paid": pa.array(np.isin(ch, (_CH_PAID_SEARCH, _CH_PAID_SOCIAL))),
                "landing_page_path": _take(self.paths, w.ev_path[landing_ev]),
                "utm_source": _take(_vocab(_UTM_SOURCES), w.sess_src[sessions]),
                "utm_medium": _take(_vocab(_UTM_MEDIUMS), w.sess_med[sessions]),
                "utm_campaign": _take(_vocab(_UTM_CAMPAIGNS), w.sess_camp[sessions]),
                "click_id": self.sess_click_token.slice(0, sessions.size),
                "referrer_host": _take(_vocab(hosts), ext),
                "is_identified": pa.array(identified),
            }
        )

    def _truth_persons(self) -> pa.Table:
        w = self.w
        ev, _ = self._journey()
        tp = w.truth_person[w.ev_person[ev]]
        n_p = w.n_persons
        pairs = np.unique(tp * w.n_devices + w.ev_dev[ev])
        n_devices = np.bincount(pairs // w.n_devices, minlength=n_p)
        identified = np.bincount(tp, weights=(w.ev_uid[ev] >= 0).astype(np.float64), minlength=n_p) > 0
        signed_up = np.full(n_p, _NEVER, dtype=np.int64)
        np.minimum.at(signed_up, w.truth_person[w.signup_persons], w.signup_time[w.signup_persons])
        persons = np.flatnonzero(w.truth_person == np.arange(n_p))
        return pa.table(
            {
                "person_id": _take(self.person_ids, persons),
                "n_devices": pa.array(n_devices[persons].astype(np.int64)),
                "signed_up_at": _timestamps(self._us(signed_up[persons]), signed_up[persons] == _NEVER),
                "is_identified": pa.array(identified[persons]),
            }
        )

    def _truth_devices(self) -> pa.Table:
        w = self.w
        dev = np.arange(w.n_devices, dtype=np.int64)
        return pa.table(
            {
                "device_id": self.device_ids,
                "source": _take(_vocab(["segment", "snowplow"]), w.dev_source),
                "person_id": _take(self.person_ids, self._person_idx(w.dev_person)),
                "is_shared": pa.array(w.dev_second >= 0),
                "is_bot": pa.array(w.dev_bot > 0),
                "device_class": _take(_vocab(_DEVICE_CLASSES), w.dev_class[dev]),
                "user_agent": _take(self.user_agents, w.dev_ua),
            }
        )

    def _truth_user_ids(self) -> pa.Table:
        w = self.w
        seen = np.zeros(w.n_uids, dtype=bool)
        seen[w.ev_uid[w.ev_uid >= 0]] = True
        seen[w.alias_prev] = True
        seen[w.alias_new] = True
        ids = np.flatnonzero(seen)
        return pa.table(
            {
                "user_id": _take(self.user_ids, ids),
                "person_id": _take(self.person_ids, w.truth_person[w.uid_owner[ids]]),
            }
        )

    def _truth_aliases(self) -> pa.Table:
        w = self.w
        order = np.argsort(w.alias_time, kind="stable")
        return pa.table(
            {
                "previous_id": _take(self.user_ids, w.alias_prev[order]),
                "user_id": _take(self.user_ids, w.alias_new[order]),
                "person_id": _take(self.person_ids, w.truth_person[w.alias_person[order]]),
            }
        )

    def _truth_signups(self) -> pa.Table:
        w = self.w
        ev = np.flatnonzero(w.ev_kind == _SIGNUP)
        person = w.ev_person[ev]
        p = person
        slot = (w.ev_t[ev] >= w.uid_switch[p, 0]).astype(np.int64) + (w.ev_t[ev] >= w.uid_switch[p, 1])
        return pa.table(
            {
                "person_id": _take(self.person_ids, w.truth_person[person]),
                "user_id": _take(self.user_ids, w.uid[p, slot]),
                "event_id": _hashed_uuids(ev, self.id_salt),
                "signed_up_at": _timestamps(self._us(self.r.event_time[ev])),
            }
        )

    def _truth_orders(self) -> pa.Table:
        w = self.w
        ev = np.flatnonzero(w.ev_kind == _ORDER)
        return pa.table(
            {
                "event_id": _hashed_uuids(ev, self.id_salt),
                "person_id": _take(self.person_ids, w.truth_person[w.ev_person[ev]]),
                "ordered_at": _timestamps(self._us(self.r.event_time[ev])),
                "revenue": pa.array(w.order_cents[w.ev_aux[ev]] / 100, type=pa.float64()),
                "currency": _const("USD", ev.size),
            }
        )

    def _truth_experiments(self) -> pa.Table:
        w = self.w
        n_exp = len(_EXPERIMENTS)
        person = w.exp_pairs // n_exp
        code = w.exp_pairs % n_exp
        return pa.table(
            {
                "person_id": _take(self.person_ids, person),
                "experiment_id": _take(_vocab([e[0] for e in _EXPERIMENTS]), code),
                "variant": _take(_vocab(_VARIANT_SLOTS), code * _N_VARIANTS + w.exp_assigned),
                "is_multi_variant": pa.array(w.exp_multi),
            }
        )


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
