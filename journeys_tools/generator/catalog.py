"""The fixed vocabulary of the simulated site: pages, products, the video product's actions, experiments, user
agents, countries, channels, campaigns, referrers and the vendors' event shapes."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from journeys_tools.generator.codes import DESKTOP, MOBILE, TABLET

SITE = "https://www.journeys-shop.example"
SITE_HOST = "www.journeys-shop.example"

# path, page title, landing weight, browsing weight
PAGES: tuple[tuple[str, str, float, float], ...] = (
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
    # the video product, reached only by its actions' flows (see FEATURES)
    ("/app/projects/new", "New project | Journeys", 0, 0),
    ("/app/render", "Render your video | Journeys", 0, 0),
    ("/app/share", "Share your video | Journeys", 0, 0),
)
PATH_INDEX = {page[0]: i for i, page in enumerate(PAGES)}
P_SIGNUP = PATH_INDEX["/signup"]
P_CHECKOUT = PATH_INDEX["/checkout"]
P_PRICING = PATH_INDEX["/pricing"]
P_LOGIN = PATH_INDEX["/login"]
P_ACCOUNT = PATH_INDEX["/account"]
PRODUCTS = tuple(page[0].removeprefix("/products/") for page in PAGES if page[0].startswith("/products/"))
PRODUCT_PRICES = ("89.00", "149.00", "29.00", "24.50", "110.00", "135.00", "179.00", "39.90")


class Feature(NamedTuple):
    """An action in the video product that signed-up persons use, as each vendor tracks it."""

    event: str
    """Segment's track ``event``, and the name of the spec table Segment lands its properties in."""
    event_text: str
    """Segment's ``event_text``: the name as the tracking call sent it."""
    category: str
    """Snowplow's structured event ``se_category``."""
    action: str
    """Snowplow's ``se_action``."""
    property: str
    """The property: the spec table's column on Segment, ``se_property`` holds its value on Snowplow."""
    values: tuple[str, ...]
    weights: tuple[float, ...]
    """How often each value is chosen."""
    path: str
    """The page the action happens on."""


FEATURES = (
    Feature(
        "project_created",
        "Project Created",
        "project",
        "create",
        "template",
        ("slideshow", "promo", "birthday", "wedding"),
        (0.4, 0.25, 0.2, 0.15),
        "/app/projects/new",
    ),
    Feature(
        "video_rendered",
        "Video Rendered",
        "video",
        "render",
        "format",
        ("1080p", "720p", "square"),
        (0.5, 0.3, 0.2),
        "/app/render",
    ),
    Feature(
        "video_shared",
        "Video Shared",
        "video",
        "share",
        "share_channel",
        ("youtube", "facebook", "email"),
        (0.45, 0.35, 0.2),
        "/app/share",
    ),
)
CREATE, RENDER, SHARE = range(3)
"""The actions, in the order a project goes through them (index into FEATURES)."""
FEATURE_VALUES = tuple(value for feature in FEATURES for value in feature.values)
"""Every property value; a FEATURE event's ``aux`` indexes it."""
FEATURE_VALUE_START = np.cumsum([0] + [len(f.values) for f in FEATURES[:-1]])
FEATURE_PATHS = np.array([PATH_INDEX[f.path] for f in FEATURES])

OPTIMIZELY_SUMMARY, FEATURE_FLAG = 0, 1
"""The Snowplow contexts that carry an exposure (index into SNOWPLOW_EXPOSURE_CONTEXTS)."""
SNOWPLOW_EXPOSURE_CONTEXTS = (
    # Snowplow's Optimizely X summary context, iglu:com.optimizely.optimizelyx/summary/jsonschema/1-0-0
    ("contexts_com_optimizely_optimizelyx_summary_1_0_0", "com_optimizely_optimizelyx_summary_1"),
    # a LaunchDarkly-style feature flag context, iglu:com.launchdarkly/feature_flag/jsonschema/1-0-0
    ("contexts_com_launchdarkly_feature_flag_1_0_0", "com_launchdarkly_feature_flag_1"),
)
"""Per context: the JSON column of ``atomic.events`` and the context table a shredding loader writes."""


class Experiment(NamedTuple):
    """An A/B test: Segment devices fire an ``Experiment Viewed`` track after each page view of its page;
    on Snowplow devices that page view carries the experiment's context."""

    experiment_id: str
    name: str
    variants: tuple[str, ...]
    """The first is the control."""
    path: int
    """The page whose page views expose it (index into PAGES)."""
    snowplow_context: int
    """OPTIMIZELY_SUMMARY or FEATURE_FLAG."""


EXPERIMENTS = (
    Experiment("exp_checkout_button", "Checkout button copy", ("control", "treatment"), P_CHECKOUT, OPTIMIZELY_SUMMARY),
    Experiment("exp_pricing_page", "Pricing page layout", ("control", "v1", "v2"), P_PRICING, FEATURE_FLAG),
)
N_VARIANTS = max(len(e.variants) for e in EXPERIMENTS)
# variant names per experiment, padded to N_VARIANTS: index experiment * N_VARIANTS + variant
VARIANT_SLOTS = tuple(v for e in EXPERIMENTS for v in (*e.variants, *[""] * (N_VARIANTS - len(e.variants))))
EXPERIMENT_PATHS = np.array([e.path for e in EXPERIMENTS])


class ExperimentEffect(NamedTuple):
    """A true effect of a variant on a metric: with ``probability``, at a person's first exposure to the
    experiment, when it shows ``variant``, the same device views ``page`` (exposing no experiment) in the same
    session, ``delay_ms`` after the exposure (a link on the experiment's page, opened in a new tab)."""

    experiment_id: str
    variant: str
    metric: str
    probability: float
    page: int
    delay_ms: tuple[int, int]

    @property
    def absolute_lift(self) -> float:
        """The metric's expected change per exposed person: one page view with ``probability``."""
        return self.probability


EFFECT_METRICS = ("page_views",)
"""The metrics the effects move. ``page_views``: a person's page views from their first exposure to the
experiment on, within 14 days."""
EXPERIMENT_EFFECTS = (
    ExperimentEffect(
        "exp_pricing_page", "v2", "page_views", 0.5, PATH_INDEX["/features/trip-planner"], (5_000, 20_000)
    ),
)
"""The one home of the true effects: the simulation applies them, the truth table ``experiment_effects``
lists them (every other variant of an experiment, against its control, has a lift of 0 on each metric)."""

HUMAN_USER_AGENTS: tuple[tuple[str, int], ...] = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        DESKTOP,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        DESKTOP,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", DESKTOP),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Safari/605.1.15",
        DESKTOP,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        DESKTOP,
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", DESKTOP),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0",
        DESKTOP,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.1 Mobile/15E148 Safari/604.1",
        MOBILE,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        MOBILE,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.6778.81 Mobile Safari/537.36",
        MOBILE,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
        MOBILE,
    ),
    ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", MOBILE),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.7 Mobile/15E148 Safari/604.1",
        TABLET,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36",
        TABLET,
    ),
    (
        "Mozilla/5.0 (Linux; Android 12; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Safari/537.36",
        TABLET,
    ),
)
BOT_USER_AGENTS: tuple[str, ...] = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 "
    "Safari/537.36",
    "python-requests/2.31.0",
    "Mozilla/5.0 (compatible; SiteAuditCrawler/1.4; +https://audit.example.net/crawler)",
    "Sogou web Spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
)
USER_AGENTS = tuple(ua for ua, _ in HUMAN_USER_AGENTS) + BOT_USER_AGENTS
UA_CLASS = np.array([cls for _, cls in HUMAN_USER_AGENTS] + [DESKTOP] * len(BOT_USER_AGENTS))

# country, locale, time zone, weight
COUNTRIES: tuple[tuple[str, str, str, float], ...] = (
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
IP_FIRST_OCTETS = np.array([23, 31, 37, 46, 62, 77, 81, 84, 91, 94, 109, 151, 176, 185, 188, 212, 213, 217])
# screen and viewport per device class: doc width, view width, view height
VIEWPORTS = ((1903, 1903, 969), (390, 390, 664), (820, 820, 1106))

CHANNELS = ("Direct", "Organic Search", "Paid Search", "Paid Social", "Email", "Organic Social", "Referral")
(
    CH_DIRECT,
    CH_ORGANIC_SEARCH,
    CH_PAID_SEARCH,
    CH_PAID_SOCIAL,
    CH_EMAIL,
    CH_ORGANIC_SOCIAL,
    CH_REFERRAL,
) = range(7)
CHANNEL_WEIGHTS = (0.24, 0.25, 0.15, 0.08, 0.08, 0.08, 0.12)
UTM_SOURCES = ("google", "bing", "facebook", "instagram", "newsletter")
UTM_MEDIUMS = ("cpc", "paid_social", "email")
UTM_CAMPAIGNS = (
    "brand_search",
    "generic_travel_gear",
    "competitor_terms",
    "winter_sale",
    "retargeting_q1",
    "lookalike_buyers",
    "weekly_digest",
    "product_update",
)
UTM_TERMS = ("travel-backpack", "carry-on-luggage", "journeys-shop", "packing-cubes")
UTM_CONTENTS = ("ad_a", "ad_b", "carousel_1", "video_15s", "header_link", "footer_link")
CLICK_PARAMS = ("gclid", "msclkid", "fbclid")
CLICK_NETWORKS = ("Google", "Microsoft", "Facebook")
# url, host as collected, path, Snowplow refr_medium, refr_source
EXT_REFERRERS: tuple[tuple[str, str, str, str, str | None], ...] = (
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
REF_GOOGLE, REF_BING, REF_L_FACEBOOK, REF_L_INSTAGRAM, REF_FIRST_REFERRAL = 0, 1, 7, 8, 9

# Segment track names: snake_case event, original text
SEGMENT_TRACKS = (
    ("product_viewed", "Product Viewed"),
    ("button_clicked", "Button Clicked"),
    ("added_to_cart", "Added to Cart"),
    ("signed_up", "Signed Up"),
    ("order_completed", "Order Completed"),
    ("experiment_viewed", "Experiment Viewed"),
    *((f.event, f.event_text) for f in FEATURES),
)
FIRST_FEATURE_TRACK = 6
"""Index of the first feature action in SEGMENT_TRACKS."""
# Snowplow structured events: se_category, se_action; a product track's subtype 1 and 2, then each feature action
STRUCT_EVENTS = (("product", "view_item"), ("product", "add_to_cart"), *((f.category, f.action) for f in FEATURES))
FIRST_FEATURE_STRUCT = 2
# Snowplow event shapes: event, event_vendor, event_name, event_format, event_version
SNOWPLOW_EVENTS = (
    ("page_view", "com.snowplowanalytics.snowplow", "page_view", "jsonschema", "1-0-0"),
    ("page_ping", "com.snowplowanalytics.snowplow", "page_ping", "jsonschema", "1-0-0"),
    ("unstruct", "com.snowplowanalytics.snowplow", "link_click", "jsonschema", "1-0-1"),
    ("struct", "com.google.analytics", "event", "jsonschema", "1-0-0"),
    ("struct", "com.google.analytics", "event", "jsonschema", "1-0-0"),
    ("unstruct", "com.journeys", "signed_up", "jsonschema", "1-0-0"),
    ("transaction", "com.snowplowanalytics.snowplow", "transaction", "jsonschema", "1-0-0"),
)
# IAB spiders-and-robots verdicts: category, primaryImpact, reason, spiderOrRobot
SPIDER_VERDICTS = (
    ("BROWSER", "NONE", "PASSED_ALL", "false"),
    ("SPIDER_OR_ROBOT", "UNKNOWN", "FAILED_UA_INCLUDE", "true"),
    ("SPIDER_OR_ROBOT", "UNKNOWN", "FAILED_IP_EXCLUDE", "true"),
)
GARBAGE_TIMESTAMPS = ("not-a-timestamp", "2026-13-45 99:00:00", "undefined", "0000-00-00 00:00:00")
