"""The strings the raw tables are made of, built once per entity and taken by index per row: page URLs
and titles, each session's landing URL and click id, device ids and IPs, user, person, session and order
ids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.catalog import (
    CLICK_PARAMS,
    EXT_REFERRERS,
    IP_FIRST_OCTETS,
    PAGES,
    SITE,
    USER_AGENTS,
    UTM_CAMPAIGNS,
    UTM_CONTENTS,
    UTM_MEDIUMS,
    UTM_SOURCES,
    UTM_TERMS,
)
from journeys_tools.generator.codes import SNOWPLOW
from journeys_tools.generator.columns import int_strings, money_strings, pool, take, vocab, where, zero_padded
from journeys_tools.generator.config import IdOffsets
from journeys_tools.generator.strings import fixed_width_strings, hex_chars, hex_strings, random_bytes, tokens, uuids
from journeys_tools.generator.world import World


@dataclass
class PageVocabulary:
    """Pages (by index into PAGES), URLs and referrers, and each session's landing URL, query and click id."""

    paths: pa.Array
    titles: pa.Array
    """Page titles, then the same titles with an unread-count prefix."""
    page_names: pa.Array
    sess_click_token: pa.Array
    sess_query: pa.Array
    urls: pa.Array
    """Plain page URLs, then each session's landing URL."""
    refs: pa.Array
    """``urls``, then the external referrer URLs."""
    page_view_ids: pa.Array
    """The id of each Snowplow page view (indexed by ``PageContext.page_view_slot``)."""
    web_page_contexts: pa.Array
    """The web_page context JSON of each Snowplow page view: ``[{"id":"<page view id>"}]``."""


@dataclass
class DeviceVocabulary:
    """Per device: its id (then '' for rows sent without one), network id and IP; the user agents."""

    device_ids: pa.Array
    device_ids_ext: pa.Array
    network_ids: pa.Array
    device_ips: pa.Array
    user_agents: pa.Array


@dataclass
class IdVocabulary:
    """Tracker session ids and indices, and the ids of sessions, users, persons and orders."""

    sess_tracker_ids: pa.Array
    sess_index: pa.Array
    session_ids: pa.Array
    user_ids: pa.Array
    user_ids_ext: pa.Array
    """``user_ids``, then '' for rows sent with an empty user id."""
    emails: pa.Array
    person_ids: pa.Array
    id_salt: int
    """Salt of the event ids, which hash each row's key plus ``key_offset``."""
    key_offset: int
    order_ids: pa.Array
    order_totals: pa.Array


@dataclass
class Vocabulary:
    pages: PageVocabulary
    devices: DeviceVocabulary
    ids: IdVocabulary


def build_vocabulary(
    w: World, rng: np.random.Generator, tracker_rng: np.random.Generator, offsets: IdOffsets
) -> Vocabulary:
    """The vocabulary of a world; page view ids draw from ``tracker_rng``, the rest from ``rng``."""
    return Vocabulary(pages=_pages(w, rng, tracker_rng), devices=_devices(w, rng), ids=_ids(w, rng, offsets))


def _pages(w: World, rng: np.random.Generator, tracker_rng: np.random.Generator) -> PageVocabulary:
    ns = w.population.n_sessions
    touches = w.touches
    paths = vocab([p[0] for p in PAGES])
    plain_urls = [SITE + p[0] for p in PAGES]

    def param(name: str, values: tuple[str, ...], codes: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise("&" + name + "=", take(vocab(values), codes), "")

    click_tokens = [
        tokens(rng, ns, "Cj0KCQiA", 40),
        fixed_width_strings(hex_chars(random_bytes(rng, ns, 16))),
        tokens(rng, ns, "IwAR", 44),
    ]
    click = touches.click
    token = click_tokens[0]
    for c in (1, 2):
        token = where(click == c, click_tokens[c], token)
    sess_click_token = where(click >= 0, token, pa.scalar(None, pa.string()))
    click_part = pc.binary_join_element_wise("&", take(vocab(CLICK_PARAMS), click), "=", sess_click_token, "")
    parts = [
        param("utm_source", UTM_SOURCES, touches.src),
        param("utm_medium", UTM_MEDIUMS, touches.med),
        param("utm_campaign", UTM_CAMPAIGNS, touches.camp),
        param("utm_term", UTM_TERMS, touches.term),
        param("utm_content", UTM_CONTENTS, touches.content),
        click_part,
    ]
    joined = pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="", memory_pool=pool())
    has_query = (touches.src >= 0) | (click >= 0)
    query = pc.utf8_slice_codeunits(joined, 1, memory_pool=pool())
    query = where(has_query, query, pa.scalar(None, pa.string()))
    landing_path = take(paths, w.events.path[w.events.sess_first_ev])
    search = where(has_query, pc.binary_join_element_wise("?", query, ""), pa.scalar(""))
    landing_url = pc.binary_join_element_wise(SITE, landing_path, search, "")
    urls = pa.concat_arrays([vocab(plain_urls), landing_url])
    page_view_ids = uuids(tracker_rng, w.pages.n_snowplow_page_views)
    return PageVocabulary(
        paths=paths,
        titles=vocab([p[1] for p in PAGES] + ["(1) " + p[1] for p in PAGES]),
        page_names=vocab([p[1].split(" | ")[0] for p in PAGES]),
        sess_click_token=sess_click_token,
        sess_query=query,
        urls=urls,
        refs=pa.concat_arrays([urls, vocab([e[0] for e in EXT_REFERRERS])]),
        page_view_ids=page_view_ids,
        web_page_contexts=pc.binary_join_element_wise('[{"id":"', page_view_ids, '"}]', "", memory_pool=pool()),
    )


def _devices(w: World, rng: np.random.Generator) -> DeviceVocabulary:
    nd = w.population.n_devices
    uuid_ids = uuids(rng, nd)
    hex_ids = hex_strings(rng, nd, 32)
    long_id = (w.population.dev_source == SNOWPLOW) & (rng.random(nd) < 0.3)
    device_ids = where(long_id, hex_ids, uuid_ids)
    network_ids = uuids(rng, nd)
    first_octets = IP_FIRST_OCTETS[rng.integers(0, IP_FIRST_OCTETS.size, nd)]
    octets = [pc.cast(pa.array(first_octets), pa.string())]
    octets += [pc.cast(pa.array(rng.integers(0 if i < 2 else 1, 255, nd)), pa.string()) for i in range(3)]
    return DeviceVocabulary(
        device_ids=device_ids,
        device_ids_ext=pa.concat_arrays([device_ids, vocab([""])]),
        network_ids=network_ids,
        device_ips=pc.binary_join_element_wise(*octets, ".", memory_pool=pool()),
        user_agents=vocab(USER_AGENTS),
    )


def _ids(w: World, rng: np.random.Generator, offsets: IdOffsets) -> IdVocabulary:
    pop, n_uids, n_orders = w.population, w.users.n_uids, w.orders.n
    ns = pop.n_sessions
    sess_tracker_ids = uuids(rng, ns)
    sess_index = int_strings(1 + w.traits.idx0[pop.sess_dev] + w.occupancy.sess_idx)
    session_numbers = offsets.sessions + np.arange(ns, dtype=np.int64)
    session_ids = zero_padded("s_", session_numbers, max(7, len(str(offsets.sessions + ns))))
    numbers = 100_000 + 9 * offsets.user_ids + rng.permutation(n_uids * 9)[:n_uids].astype(np.int64)
    uid_numbers = pc.cast(pa.array(numbers), pa.string())
    user_ids = pc.binary_join_element_wise("u_", uid_numbers, "", memory_pool=pool())
    person_numbers = offsets.persons + np.arange(pop.n_persons, dtype=np.int64)
    person_ids = zero_padded("p_", person_numbers, max(6, len(str(offsets.persons + pop.n_persons))))
    id_salt = int(rng.integers(0, 2**62))
    order_slots = max(1, n_orders) * 5
    order_numbers = 1_000_000 + 5 * offsets.orders + rng.permutation(order_slots)[:n_orders].astype(np.int64)
    order_numbers_s = pc.cast(pa.array(order_numbers), pa.string())
    return IdVocabulary(
        sess_tracker_ids=sess_tracker_ids,
        sess_index=sess_index,
        session_ids=session_ids,
        user_ids=user_ids,
        user_ids_ext=pa.concat_arrays([user_ids, vocab([""])]),
        emails=pc.binary_join_element_wise("traveller.", uid_numbers, "@example.com", ""),
        person_ids=person_ids,
        id_salt=id_salt if offsets.id_salt is None else offsets.id_salt,
        key_offset=offsets.keys,
        order_ids=pc.binary_join_element_wise("ord_", order_numbers_s, ""),
        order_totals=money_strings(w.orders.cents),
    )
