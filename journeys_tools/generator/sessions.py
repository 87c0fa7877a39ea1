"""Each session's marketing touch (channel, campaign, click id, referrer) and what its base events show:
the page of each page view (the session's landing page first), the track subtype and the product."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from journeys_tools.generator.arrays import Ints, Mask, run_starts
from journeys_tools.generator.catalog import (
    CH_DIRECT,
    CH_EMAIL,
    CH_ORGANIC_SEARCH,
    CH_ORGANIC_SOCIAL,
    CH_PAID_SEARCH,
    CH_PAID_SOCIAL,
    CH_REFERRAL,
    CHANNEL_WEIGHTS,
    EXT_REFERRERS,
    PAGES,
    PRODUCTS,
    REF_BING,
    REF_FIRST_REFERRAL,
    REF_GOOGLE,
    REF_L_FACEBOOK,
    REF_L_INSTAGRAM,
)
from journeys_tools.generator.codes import PV
from journeys_tools.generator.config import GeneratorConfig
from journeys_tools.generator.population import BaseEvents, Population


@dataclass
class Touches:
    """Per session: channel and the codes (indices into the catalog's UTM, click and referrer lists; -1
    for none) of its landing, and whether the vendor leaves its utm parameters unsplit."""

    channel: Ints
    src: Ints
    med: Ints
    camp: Ints
    term: Ints
    content: Ints
    click: Ints
    ref: Ints
    unsplit: Mask


@dataclass
class BaseDetails:
    """Per base event: page (index into PAGES, -1 unless a page view), track subtype and product."""

    path: Ints
    sub: Ints
    aux: Ints


def draw_touches(pop: Population, cfg: GeneratorConfig, rng: np.random.Generator) -> Touches:
    """The channel of each human session (bots: Direct) and the campaign and referrer that go with it."""
    ns = pop.n_sessions
    human = np.arange(ns) < pop.n_human_sessions
    ch = np.where(human, rng.choice(7, size=ns, p=list(CHANNEL_WEIGHTS)), CH_DIRECT)
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

    ps = ch == CH_PAID_SEARCH
    ms = ps & (r[0] < 0.15)
    src[ps], med[ps], camp[ps], click[ps] = 0, 0, pick3[ps], 0
    src[ms], click[ms] = 1, 1
    term[ps & (r[1] < 0.5)] = pick4[ps & (r[1] < 0.5)]
    content[ps & (r[2] < 0.3)] = pick2[ps & (r[2] < 0.3)]
    ref[ps & ~ms & (r[3] < 0.85)] = REF_GOOGLE
    ref[ms & (r[3] < 0.85)] = REF_BING

    so = ch == CH_PAID_SOCIAL
    ig = so & (r[0] < 0.3)
    src[so], med[so], camp[so], click[so] = 2, 1, 3 + pick3[so], 2
    src[ig] = 3
    content[so & (r[2] < 0.6)] = 2 + pick2[so & (r[2] < 0.6)]
    ref[so & ~ig & (r[3] < 0.8)] = REF_L_FACEBOOK
    ref[ig & (r[3] < 0.8)] = REF_L_INSTAGRAM

    em = ch == CH_EMAIL
    src[em], med[em], camp[em] = 4, 2, np.array([3, 6, 7])[pick3[em]]
    content[em & (r[2] < 0.5)] = 4 + pick2[em & (r[2] < 0.5)]

    os_ = ch == CH_ORGANIC_SEARCH
    ref[os_] = rng.choice(3, size=ns, p=[0.8, 0.12, 0.08])[os_]
    oc = ch == CH_ORGANIC_SOCIAL
    ref[oc] = rng.choice([3, 4, 5, 6], size=ns, p=[0.25, 0.2, 0.3, 0.25])[oc]
    rf = ch == CH_REFERRAL
    n_referral = len(EXT_REFERRERS) - REF_FIRST_REFERRAL
    ref[rf] = REF_FIRST_REFERRAL + rng.integers(0, n_referral, ns)[rf]
    return Touches(
        channel=ch.astype(np.int64),
        src=src,
        med=med,
        camp=camp,
        term=term,
        content=content,
        click=click,
        ref=ref,
        unsplit=rng.random(ns) < cfg.unsplit_campaign_share,
    )


def draw_base_details(pop: Population, base: BaseEvents, rng: np.random.Generator) -> BaseDetails:
    """Landing page per session (weighted), then browsing pages, track subtypes and products per event."""
    ns, ne = pop.n_sessions, base.sess.size
    human = np.arange(ns) < pop.n_human_sessions
    n_pages = len(PAGES)
    land_w = np.array([p[2] for p in PAGES])
    browse_w = np.array([p[3] for p in PAGES])
    landing = rng.choice(n_pages, size=ns, p=land_w / land_w.sum())
    landing[~human] = rng.integers(0, n_pages, int((~human).sum()))
    path = rng.choice(n_pages, size=ne, p=browse_w / browse_w.sum())
    bot_ev = base.sess >= pop.n_human_sessions
    path[bot_ev] = rng.integers(0, n_pages, int(bot_ev.sum()))
    path[np.flatnonzero(run_starts(base.sess))] = landing
    return BaseDetails(
        path=np.where(base.kind == PV, path, -1).astype(np.int64),
        sub=rng.integers(0, 3, ne).astype(np.int64),
        aux=rng.integers(0, len(PRODUCTS), ne).astype(np.int64),
    )
