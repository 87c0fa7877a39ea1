"""The clickstream generator: determinism, raw table shapes, a truth that follows its own rules, Snowplow's
page views and pings, the video product's actions and milestones, generation in parts, and the facts it shares
with the dbt project."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import yaml

from journeys_tools.generator import (
    SEGMENT_TABLES,
    SNOWPLOW_TABLES,
    TRUTH_TABLES,
    GeneratedData,
    GeneratorConfig,
    bot_user_agent_regex,
    expected_outcomes,
    generate,
    generate_chunks,
    quarantine_reasons,
    read_truth,
    write_truth,
)
from journeys_tools.generator import parts as generator_parts
from journeys_tools.generator.catalog import EXPERIMENTS, PATH_INDEX
from journeys_tools.generator.codes import PV
from journeys_tools.generator.conversion_touches import ATTRIBUTION_LOOKBACK_DAYS, conversion_touches_table
from journeys_tools.generator.experiments import exposure_codes
from journeys_tools.generator.parts import part_sizes, streams
from journeys_tools.generator.tracker import HEARTBEAT_MS, MIN_VISIT_MS
from journeys_tools.generator.world import simulate

SMALL = GeneratorConfig(seed=3, events=5_000)
THIRTY_MINUTES = dt.timedelta(minutes=30)
BOT = re.compile(bot_user_agent_regex(), re.IGNORECASE)
RAW_EVENT_TABLES = [
    ("segment", "pages"),
    ("segment", "tracks"),
    ("segment", "identifies"),
    ("snowplow", "events"),
]
# the product's actions as the project's seeds name them: Segment event -> (event_text, Snowplow se_category,
# se_action, the spec table's property column, its values, the page)
PRODUCT_ACTIONS = {
    "project_created": (
        "Project Created",
        "project",
        "create",
        "template",
        {"slideshow", "promo", "birthday", "wedding"},
        "/app/projects/new",
    ),
    "video_rendered": ("Video Rendered", "video", "render", "format", {"1080p", "720p", "square"}, "/app/render"),
    "video_shared": ("Video Shared", "video", "share", "share_channel", {"youtube", "facebook", "email"}, "/app/share"),
}
STRUCT_ACTIONS = {(spec[1], spec[2]): action for action, spec in PRODUCT_ACTIONS.items()}
MILESTONES = ("first_project_created", "first_video_rendered", "first_video_shared", "first_order")


@pytest.fixture(scope="module")
def data() -> GeneratedData:
    """A default-size run (20k events)."""
    return generate(GeneratorConfig())


@pytest.fixture(scope="module")
def messy() -> GeneratedData:
    """A run with many bad rows, redeliveries and re-sent page views: copies of exposures among them."""
    return generate(
        GeneratorConfig(
            seed=11,
            events=20_000,
            duplicate_rate=0.05,
            null_id_rate=0.02,
            null_timestamp_rate=0.02,
            null_device_rate=0.02,
            future_rate=0.02,
            late_rate=0.05,
            resent_page_view_rate=0.05,
        )
    )


def ipc_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def all_tables(data: GeneratedData) -> dict[str, pa.Table]:
    groups = {"segment": data.segment, "snowplow": data.snowplow, "truth": data.truth}
    return {f"{group}.{name}": table for group, tables in groups.items() for name, table in tables.items()}


def raw_event_table(data: GeneratedData, source: str, table: str) -> pa.Table:
    return (data.segment if source == "segment" else data.snowplow)[table]


def rows(table: pa.Table, columns: list[str] | None = None) -> list[dict[str, Any]]:
    return (table.select(columns) if columns else table).to_pylist()


def parse_snowplow_time(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def kept_events(data: GeneratedData) -> pa.Table:
    events = data.truth["events"]
    return events.filter(pc.equal(events["expected_outcome"], "kept"))


# determinism and size ----------------------------------------------------------------------------


def test_same_config_gives_byte_identical_tables() -> None:
    first, second = all_tables(generate(SMALL)), all_tables(generate(SMALL))
    assert first.keys() == second.keys()
    for name in first:
        assert ipc_bytes(first[name]) == ipc_bytes(second[name]), name


def test_other_seed_gives_different_tables() -> None:
    first = generate(SMALL)
    other = generate(GeneratorConfig(seed=SMALL.seed + 1, events=SMALL.events))
    for source, table in RAW_EVENT_TABLES:
        assert not raw_event_table(first, source, table).equals(raw_event_table(other, source, table))
    assert not first.truth["events"].equals(other.truth["events"])


@pytest.mark.parametrize("events", [3_000, 20_000, 60_000])
def test_raw_event_rows_are_close_to_the_requested_number(events: int) -> None:
    data = generate(GeneratorConfig(events=events, seed=11))
    assert abs(data.truth["events"].num_rows / events - 1) < 0.1


def test_one_million_events_generate_in_reasonable_time() -> None:
    started = time.perf_counter()
    data = generate(GeneratorConfig(events=1_000_000))
    elapsed = time.perf_counter() - started
    print(f"\ngenerated {data.truth['events'].num_rows} raw event rows in {elapsed:.1f} s")
    assert data.truth["events"].num_rows > 900_000


# raw table shapes --------------------------------------------------------------------------------


def test_tracks_have_no_campaign_term_or_content_column(data: GeneratedData) -> None:
    columns = set(data.segment["tracks"].column_names)
    assert "context_campaign_source" in columns
    assert not columns & {"context_campaign_term", "context_campaign_content"}
    assert {"context_campaign_term", "context_campaign_content"} <= set(data.segment["pages"].column_names)


def test_snowplow_tables_are_all_string_columns(data: GeneratedData) -> None:
    for name, table in data.snowplow.items():
        assert all(field.type == pa.string() for field in table.schema), name
        for column in table.columns:
            assert pc.sum(pc.equal(column, "")).as_py() in (0, None), "empty values are NULL, not ''"


def test_segment_times_are_utc_timestamps_and_money_is_float(data: GeneratedData) -> None:
    for name in ("pages", "tracks", "identifies"):
        schema = data.segment[name].schema
        for column in ("timestamp", "original_timestamp", "sent_at", "received_at", "uuid_ts"):
            assert schema.field(column).type == pa.timestamp("us", tz="UTC")
    order = data.segment["order_completed"]
    assert order.schema.field("revenue").type == pa.float64()
    revenue = order["revenue"].to_pylist()
    assert min(revenue) >= 5 and max(revenue) <= 500
    assert all(round(value, 2) == value for value in revenue)


def test_spec_table_ids_are_all_in_tracks_with_the_matching_event(data: GeneratedData) -> None:
    tracks = dict(
        zip(
            data.segment["tracks"]["id"].to_pylist(),
            data.segment["tracks"]["event"].to_pylist(),
            strict=False,
        )
    )
    for name in ("order_completed", "experiment_viewed", "signed_up", *PRODUCT_ACTIONS):
        spec = data.segment[name]
        assert spec.num_rows > 0, name
        assert set(data.segment["tracks"].column_names) <= set(spec.column_names)
        for event_id in spec["id"].to_pylist():
            assert tracks[event_id] == name


def test_snowplow_spider_context_has_a_row_per_event_with_an_id(data: GeneratedData) -> None:
    events = data.snowplow["events"]
    context = data.snowplow["com_iab_snowplow_spiders_and_robots_1"]
    with_id = events.filter(pc.is_valid(events["event_id"]))
    assert context.num_rows == with_id.num_rows
    assert context["root_id"].to_pylist() == with_id["event_id"].to_pylist()
    assert context["root_tstamp"].to_pylist() == with_id["collector_tstamp"].to_pylist()
    flags = [
        json.loads(v)[0]["spiderOrRobot"]
        for v in with_id["contexts_com_iab_snowplow_spiders_and_robots_1_0_0"].to_pylist()
    ]
    assert [str(flag).lower() for flag in flags] == context["spiderorrobot"].to_pylist()


def test_some_campaign_landings_carry_utm_only_in_the_url(data: GeneratedData) -> None:
    pages = rows(data.segment["pages"], ["url", "context_campaign_source"])
    with_utm = [r for r in pages if "utm_source=" in r["url"]]
    unsplit = [r for r in with_utm if r["context_campaign_source"] is None]
    assert 0.1 < len(unsplit) / len(with_utm) < 0.3
    snowplow = rows(data.snowplow["events"], ["event", "page_urlquery", "mkt_source"])
    page_views = [r for r in snowplow if r["event"] == "page_view"]
    landings = [r for r in page_views if "utm_source=" in (r["page_urlquery"] or "")]
    assert 0.1 < sum(r["mkt_source"] is None for r in landings) / len(landings) < 0.3


def test_human_user_agents_never_look_like_bots_and_give_the_device_class(data: GeneratedData) -> None:
    devices = rows(data.truth["devices"])
    for device in devices:
        ua = device["user_agent"]
        if not device["is_bot"]:
            assert not BOT.search(ua), ua
            expected = (
                "tablet"
                if "iPad" in ua or ("Android" in ua and "Mobile" not in ua)
                else "mobile"
                if "iPhone" in ua or "Mobile" in ua
                else "desktop"
            )
            assert device["device_class"] == expected, ua
    bots = [d for d in devices if d["is_bot"]]
    assert any(BOT.search(d["user_agent"]) for d in bots)
    assert any(not BOT.search(d["user_agent"]) and d["source"] == "snowplow" for d in bots), "IAB-only bots"
    assert all(d["person_id"] is None for d in bots)


# truth events against the raw tables -------------------------------------------------------------


def test_every_raw_event_row_has_exactly_one_truth_row(data: GeneratedData) -> None:
    truth = data.truth["events"]
    counts = Counter(truth["source_table"].to_pylist())
    offset = 0
    for source, name in RAW_EVENT_TABLES:
        raw = raw_event_table(data, source, name)
        assert counts[name] == raw.num_rows
        part = truth.slice(offset, raw.num_rows)
        offset += raw.num_rows
        id_column = "event_id" if source == "snowplow" else "id"
        assert part["source"].to_pylist() == [source] * raw.num_rows
        assert part["event_id"].to_pylist() == raw[id_column].to_pylist()
    assert offset == truth.num_rows


def recomputed_outcomes(data: GeneratedData) -> list[tuple[str, dt.datetime | None, dt.datetime]]:
    """The quarantine rules applied to the raw tables alone: (outcome, event time, loaded at) per row."""
    candidates: list[dict[str, Any]] = []
    for source, name in RAW_EVENT_TABLES:
        for r in rows(raw_event_table(data, source, name)):
            if source == "segment":
                event_id, device, ua = r["id"], r["anonymous_id"], r["context_user_agent"]
                loaded, event_at = r["uuid_ts"], r["timestamp"]
                has_time, parsed = event_at is not None, event_at
                is_spider = False
                missing_name = name == "tracks" and not r["event"]
            else:
                event_id, device, ua = r["event_id"], r["domain_userid"], r["useragent"]
                loaded = parse_snowplow_time(r["load_tstamp"])
                raw_time = r["derived_tstamp"] if r["derived_tstamp"] is not None else r["collector_tstamp"]
                has_time = raw_time is not None
                parsed = parse_snowplow_time(raw_time) if has_time else None
                context = json.loads(r["contexts_com_iab_snowplow_spiders_and_robots_1_0_0"])
                is_spider = context[0]["spiderOrRobot"]
                missing_name = False
            checks = [
                ("missing_event_id", not event_id),
                ("missing_timestamp", not has_time),
                ("unparseable_timestamp", has_time and parsed is None),
                ("missing_device_and_user_id", not device and not r["user_id"]),
                ("missing_event_name", missing_name),
                ("future_timestamp", parsed is not None and parsed - loaded > dt.timedelta(hours=24)),
                ("bot_user_agent", bool(BOT.search(ua))),
                ("bot_spider_context", is_spider),
            ]
            reason = next((reason for reason, applies in checks if applies), None)
            candidates.append({"id": event_id, "reason": reason, "event_at": parsed, "loaded": loaded})
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in candidates:
        if row["reason"] is None:
            by_id[row["id"]].append(row)
    for group in by_id.values():
        group.sort(key=lambda row: (row["loaded"], row["event_at"]))
        group[0]["reason"] = "kept"
        for row in group[1:]:
            row["reason"] = "duplicate_event_id"
    return [(row["reason"], row["event_at"], row["loaded"]) for row in candidates]


def test_truth_outcomes_follow_the_quarantine_rules_applied_to_the_raw_tables(data: GeneratedData) -> None:
    truth = data.truth["events"]
    expected = list(
        zip(
            truth["expected_outcome"].to_pylist(),
            truth["event_at"].to_pylist(),
            truth["loaded_at"].to_pylist(),
            strict=False,
        )
    )
    assert recomputed_outcomes(data) == expected


def test_default_run_has_every_quarantine_reason_a_few_times(data: GeneratedData) -> None:
    counts = Counter(data.truth["events"]["expected_outcome"].to_pylist())
    assert set(counts) == set(expected_outcomes())
    assert all(count >= 3 for count in counts.values()), counts


def test_kept_rows_have_a_session_and_quarantined_rows_do_not(data: GeneratedData) -> None:
    for row in rows(data.truth["events"], ["expected_outcome", "session_id", "person_id", "event_at"]):
        if row["expected_outcome"] == "kept":
            assert None not in (row["session_id"], row["person_id"], row["event_at"])
        else:
            assert row["session_id"] is None


def test_late_events_are_kept_and_loaded_hours_after_they_happened(data: GeneratedData) -> None:
    kept = rows(kept_events(data), ["event_at", "loaded_at"])
    delays = [row["loaded_at"] - row["event_at"] for row in kept]
    late = [d for d in delays if d > dt.timedelta(minutes=30)]
    assert late and all(dt.timedelta(hours=1) <= d <= dt.timedelta(hours=72) for d in late)
    assert len(late) / len(kept) < 0.03


def test_duplicates_are_later_deliveries_of_a_kept_event(data: GeneratedData) -> None:
    events = rows(data.truth["events"], ["event_id", "expected_outcome", "loaded_at", "source_table"])
    kept = {row["event_id"]: row for row in events if row["expected_outcome"] == "kept"}
    duplicates = [row for row in events if row["expected_outcome"] == "duplicate_event_id"]
    assert duplicates
    for row in duplicates:
        original = kept[row["event_id"]]
        assert original["loaded_at"] < row["loaded_at"]
        assert original["source_table"] == row["source_table"]


# sessions ----------------------------------------------------------------------------------------


def test_session_gaps_are_below_30_minutes_inside_and_above_30_minutes_between_sessions(
    data: GeneratedData,
) -> None:
    by_session: dict[str, list[dt.datetime]] = defaultdict(list)
    for row in rows(kept_events(data), ["session_id", "event_at"]):
        by_session[row["session_id"]].append(row["event_at"])
    for times in by_session.values():
        times.sort()
        assert all(b - a < THIRTY_MINUTES for a, b in itertools.pairwise(times))
    by_device: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for row in rows(data.truth["sessions"]):
        assert row["started_at"] == min(by_session[row["session_id"]])
        assert row["ended_at"] == max(by_session[row["session_id"]])
        assert row["event_count"] == len(by_session[row["session_id"]])
        by_device[row["device_id"]].append((row["started_at"], row["ended_at"]))
    assert len(by_session) == data.truth["sessions"].num_rows
    for sessions in by_device.values():
        sessions.sort()
        assert all(b[0] - a[1] > THIRTY_MINUTES for a, b in itertools.pairwise(sessions))


def test_sessions_start_with_a_landing_page_view_carrying_the_session_campaign(data: GeneratedData) -> None:
    first: dict[str, dict[str, Any]] = {}
    columns = ["session_id", "event_at", "event_type", "page_path", "utm_source", "click_id", "referrer_host"]
    for row in rows(kept_events(data), columns):
        current = first.get(row["session_id"])
        if current is None or row["event_at"] < current["event_at"]:
            first[row["session_id"]] = row
    channels = Counter()
    for session in rows(data.truth["sessions"]):
        landing = first[session["session_id"]]
        channels[session["channel"]] += 1
        assert landing["event_type"] == "page_view"
        assert landing["page_path"] == session["landing_page_path"]
        for column in ("utm_source", "click_id", "referrer_host"):
            assert landing[column] == session[column]
        assert session["is_paid"] == (session["channel"] in ("Paid Search", "Paid Social"))
        if session["channel"] == "Paid Search":
            assert session["utm_medium"] == "cpc" and session["click_id"]
        if session["channel"] in ("Direct", "Organic Search", "Organic Social", "Referral"):
            assert session["utm_source"] is None
    assert set(channels) == {
        "Direct",
        "Organic Search",
        "Paid Search",
        "Paid Social",
        "Email",
        "Organic Social",
        "Referral",
    }


# identity ----------------------------------------------------------------------------------------


def test_signups_are_anonymous_before_and_identified_after(data: GeneratedData) -> None:
    events = rows(kept_events(data))
    by_session: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_id = {}
    for row in events:
        by_session[row["session_id"]].append(row)
        by_id[row["event_id"]] = row
    signups = rows(data.truth["signups"])
    assert 0.25 < len(signups) / data.truth["persons"].num_rows < 0.55
    for signup in signups:
        event = by_id[signup["event_id"]]
        assert event["event_name"] == "signed_up"
        session = sorted(by_session[event["session_id"]], key=lambda row: row["event_at"])
        before = [row for row in session if row["event_at"] < signup["signed_up_at"]]
        after = [row for row in session if row["event_at"] > signup["signed_up_at"]]
        assert before and all(row["user_id"] is None for row in before)
        if event["source"] == "segment":
            assert after[0]["event_name"] == "identify" and after[0]["user_id"] == signup["user_id"]
        assert all(row["user_id"] is not None for row in after)


def test_user_ids_aliases_and_persons_are_consistent(data: GeneratedData) -> None:
    owner = {row["user_id"]: row["person_id"] for row in rows(data.truth["user_ids"])}
    for row in rows(kept_events(data), ["user_id", "person_id"]):
        if row["user_id"] is not None:
            assert owner[row["user_id"]] == row["person_id"]
    aliases = rows(data.truth["aliases"])
    raw = rows(data.segment["aliases"], ["previous_id", "user_id"])
    pairs = [(a["previous_id"], a["user_id"]) for a in aliases]
    assert pairs == [(a["previous_id"], a["user_id"]) for a in raw]
    for alias in aliases:
        assert owner[alias["previous_id"]] == owner[alias["user_id"]] == alias["person_id"]
    edges = {(a["previous_id"], a["user_id"]) for a in aliases}
    chains = {(a, b, c) for a, b in edges for b2, c in edges if b == b2}
    assert chains, "a -> b -> c"
    assert any((a, c) in edges for a, _, c in chains), "a diamond: a -> b -> c and a -> c"
    persons = {row["person_id"]: row for row in rows(data.truth["persons"])}
    assert set(owner.values()) <= set(persons)


def test_a_merged_pair_of_persons_is_one_truth_person_with_two_original_ids(data: GeneratedData) -> None:
    """The merge aliases one person's only id into another's: the target id was used before the alias."""
    events = rows(kept_events(data), ["user_id", "event_at"])
    first_use: dict[str, dt.datetime] = {}
    for row in events:
        if row["user_id"] is not None:
            first_use[row["user_id"]] = min(first_use.get(row["user_id"], row["event_at"]), row["event_at"])
    aliases = rows(data.segment["aliases"], ["previous_id", "user_id", "timestamp"])
    merged = [a for a in aliases if a["user_id"] in first_use and first_use[a["user_id"]] < a["timestamp"]]
    assert merged


def test_shared_devices_are_used_by_two_logged_in_persons(data: GeneratedData) -> None:
    shared = {row["device_id"] for row in rows(data.truth["devices"]) if row["is_shared"]}
    assert shared
    persons: dict[str, set[str]] = defaultdict(set)
    users: dict[str, set[str]] = defaultdict(set)
    for row in rows(kept_events(data), ["device_id", "person_id", "user_id"]):
        if row["device_id"] in shared:
            persons[row["device_id"]].add(row["person_id"])
            if row["user_id"]:
                users[row["device_id"]].add(row["user_id"])
    for device in shared:
        assert len(persons[device]) == 2 and len(users[device]) >= 2


def test_persons_count_their_devices_and_identification(data: GeneratedData) -> None:
    devices: dict[str, set[str]] = defaultdict(set)
    identified: set[str] = set()
    for row in rows(kept_events(data), ["person_id", "device_id", "user_id"]):
        devices[row["person_id"]].add(row["device_id"])
        if row["user_id"]:
            identified.add(row["person_id"])
    persons = rows(data.truth["persons"])
    assert {p["person_id"] for p in persons} == set(devices)
    for person in persons:
        assert person["n_devices"] == len(devices[person["person_id"]])
        assert person["is_identified"] == (person["person_id"] in identified)
    assert Counter(min(p["n_devices"], 3) for p in persons)[1] > len(persons) / 3


# experiments and orders --------------------------------------------------------------------------


OPTIMIZELY = "contexts_com_optimizely_optimizelyx_summary_1_0_0"
FEATURE_FLAG = "contexts_com_launchdarkly_feature_flag_1_0_0"
OPTIMIZELY_TABLE = "com_optimizely_optimizelyx_summary_1"
FEATURE_FLAG_TABLE = "com_launchdarkly_feature_flag_1"
VARIANTS = {"exp_checkout_button": ("control", "treatment"), "exp_pricing_page": ("control", "v1", "v2")}
EXPERIMENT_PAGES = {"exp_checkout_button": "/checkout", "exp_pricing_page": "/pricing"}
TRUTH_EVENT_COLUMNS = ["event_id", "expected_outcome", "person_id", "session_id", "device_id", "user_id", "event_at"]


def exposure_rows(data: GeneratedData) -> list[dict[str, Any]]:
    """Every raw exposure row, of the three shapes, with its truth row: shape, experiment, variant (name and
    index), the Snowplow row's event, page and visitor id."""
    truth = data.truth["events"]
    found = []
    tracks = truth.filter(pc.equal(truth["source_table"], "tracks"))
    truth_of = {row["event_id"]: row for row in rows(tracks, TRUTH_EVENT_COLUMNS)}
    for row in rows(data.segment["experiment_viewed"], ["id", "experiment_id", "variation_id"]):
        variant = row["variation_id"]
        index = VARIANTS[row["experiment_id"]].index(variant)
        shape = {"shape": "experiment_viewed", "experiment_id": row["experiment_id"], "variant": variant}
        found.append({**truth_of[row["id"]], **shape, "variation": index, "source": "segment"})
    snowplow = truth.filter(pc.equal(truth["source"], "snowplow"))
    raw_columns = ["event_id", "event", "page_urlpath", "domain_userid", WEB_PAGE, OPTIMIZELY, FEATURE_FLAG]
    for raw, expected in zip(
        rows(data.snowplow["events"], raw_columns), rows(snowplow, TRUTH_EVENT_COLUMNS), strict=True
    ):
        assert raw["event_id"] == expected["event_id"]
        assert raw[OPTIMIZELY] is None or raw[FEATURE_FLAG] is None, "one experiment per page view"
        if raw[OPTIMIZELY] is not None:
            (context,) = json.loads(raw[OPTIMIZELY])
            assert set(context) == {"experimentId", "variationName", "variation", "visitorId"}
            shape = {"shape": "optimizely", "experiment_id": context["experimentId"]}
            shape |= {"variant": context["variationName"], "variation": context["variation"]}
            shape["visitor_id"] = context["visitorId"]
        elif raw[FEATURE_FLAG] is not None:
            (context,) = json.loads(raw[FEATURE_FLAG])
            assert set(context) == {"key", "variation", "value"}
            shape = {"shape": "feature_flag", "experiment_id": context["key"], "variant": context["value"]}
            shape["variation"] = context["variation"]
        else:
            continue
        found.append({**expected, **shape, "source": "snowplow", **raw})
    return found


def test_snowplow_page_views_of_an_experiments_page_carry_its_context(data: GeneratedData) -> None:
    exposures = exposure_rows(data)
    shapes = Counter((row["shape"], row["experiment_id"]) for row in exposures)
    assert set(shapes) == {
        ("experiment_viewed", "exp_checkout_button"),
        ("experiment_viewed", "exp_pricing_page"),
        ("optimizely", "exp_checkout_button"),
        ("feature_flag", "exp_pricing_page"),
    }
    assert all(count > 50 for count in shapes.values()), shapes
    for row in exposures:
        assert isinstance(row["variation"], int)
        assert VARIANTS[row["experiment_id"]][row["variation"]] == row["variant"]
        if row["source"] == "snowplow":
            assert row["event"] == "page_view" and row["page_urlpath"] == EXPERIMENT_PAGES[row["experiment_id"]]
        if row["shape"] == "optimizely" and row["domain_userid"] is not None:
            assert row["visitor_id"] == row["domain_userid"]
    # every human Snowplow page view of an experiment's page carries it; bots' none
    devices = data.truth["devices"]
    bots = set(devices.filter(devices["is_bot"])["device_id"].to_pylist())
    carried = {(row["event_id"], row["page_urlpath"]) for row in exposures if row["source"] == "snowplow"}
    events = data.snowplow["events"]
    for row in rows(events, ["event", "event_id", "page_urlpath", "domain_userid"]):
        if row["event"] == "page_view" and row["page_urlpath"] in EXPERIMENT_PAGES.values():
            if row["domain_userid"] in bots:
                assert (row["event_id"], row["page_urlpath"]) not in carried
            elif row["event_id"] is not None:
                assert (row["event_id"], row["page_urlpath"]) in carried


@pytest.mark.parametrize("name", ["data", "messy"])
def test_experiment_context_tables_agree_with_the_json_columns_row_for_row(
    name: str, request: pytest.FixtureRequest
) -> None:
    data = request.getfixturevalue(name)
    events = data.snowplow["events"]
    with_id = rows(
        events.filter(pc.is_valid(events["event_id"])), ["event_id", "collector_tstamp", OPTIMIZELY, FEATURE_FLAG]
    )
    optimizely = [
        (
            r["event_id"],
            r["collector_tstamp"],
            c["experimentId"],
            c["variationName"],
            str(c["variation"]),
            c["visitorId"],
        )
        for r in with_id
        if r[OPTIMIZELY] is not None
        for c in json.loads(r[OPTIMIZELY])
    ]
    columns = ["root_id", "root_tstamp", "experiment_id", "variation_name", "variation", "visitor_id"]
    assert data.snowplow[OPTIMIZELY_TABLE].column_names == columns
    assert optimizely == [tuple(r.values()) for r in rows(data.snowplow[OPTIMIZELY_TABLE])]
    flags = [
        (r["event_id"], r["collector_tstamp"], c["key"], str(c["variation"]), c["value"])
        for r in with_id
        if r[FEATURE_FLAG] is not None
        for c in json.loads(r[FEATURE_FLAG])
    ]
    assert data.snowplow[FEATURE_FLAG_TABLE].column_names == ["root_id", "root_tstamp", "key", "variation", "value"]
    assert flags == [tuple(r.values()) for r in rows(data.snowplow[FEATURE_FLAG_TABLE])]
    assert len(optimizely) > 50 and len(flags) > 50
    if name == "messy":  # a row without an event id carries the context in the JSON column only
        without_id = events.filter(pc.invert(pc.is_valid(events["event_id"])))
        assert without_id[OPTIMIZELY].null_count + without_id[FEATURE_FLAG].null_count < 2 * without_id.num_rows


def test_experiment_exposures_show_the_assigned_variant_except_for_multi_variant_persons(
    data: GeneratedData,
) -> None:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in exposure_rows(data):
        if row["expected_outcome"] == "kept":
            seen[(row["person_id"], row["experiment_id"])].add(row["variant"])
    assignments = rows(data.truth["experiment_assignments"])
    assert {(a["person_id"], a["experiment_id"]) for a in assignments} == set(seen)
    assert {a["experiment_id"] for a in assignments} == {"exp_checkout_button", "exp_pricing_page"}
    multi = [a for a in assignments if a["is_multi_variant"]]
    assert 0 < len(multi) < 0.05 * len(assignments)
    for a in assignments:
        variants = seen[(a["person_id"], a["experiment_id"])]
        assert a["variant"] in variants
        assert len(variants) == (2 if a["is_multi_variant"] else 1)


def first_exposures(data: GeneratedData) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (person, experiment): the first kept exposure row (by event_at, then event id) and the number of kept
    exposure rows."""
    kept: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in exposure_rows(data):
        if row["expected_outcome"] == "kept":
            kept[(row["person_id"], row["experiment_id"])].append(row)
    return {
        key: {**min(found, key=lambda r: (r["event_at"], r["event_id"])), "count": len(found)}
        for key, found in kept.items()
    }


@pytest.mark.parametrize("name", ["data", "messy"])
def test_assignments_date_and_count_the_kept_exposure_rows(name: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(name)
    firsts = first_exposures(data)
    signed_up = {row["person_id"]: row["signed_up_at"] for row in rows(data.truth["persons"])}
    assignments = rows(data.truth["experiment_assignments"])
    assert data.truth["experiment_assignments"].schema == pa.schema(
        {
            "person_id": pa.string(),
            "experiment_id": pa.string(),
            "variant": pa.string(),
            "is_multi_variant": pa.bool_(),
            "first_exposed_at": pa.timestamp("us", tz="UTC"),
            "exposure_count": pa.int64(),
            "first_source_system": pa.string(),
            "is_anonymous_at_exposure": pa.bool_(),
            "is_exposed_before_signup": pa.bool_(),
        }
    )
    for a in assignments:
        first = firsts[(a["person_id"], a["experiment_id"])]
        assert a["first_exposed_at"] == first["event_at"] and a["exposure_count"] == first["count"]
        assert a["first_source_system"] == first["source"]
        assert a["is_anonymous_at_exposure"] == (first["user_id"] is None)
        signup = signed_up[a["person_id"]]
        assert a["is_exposed_before_signup"] == (signup is not None and first["event_at"] < signup)
    sources = Counter((a["experiment_id"], a["first_source_system"]) for a in assignments)
    assert len(sources) == 4 and min(sources.values()) > 30, "each experiment is first seen on both sources"
    exposures = exposure_rows(data)
    assert sum(a["exposure_count"] for a in assignments) == sum(r["expected_outcome"] == "kept" for r in exposures)
    if name == "messy":  # copies of Snowplow exposures: redeliveries and bad copies count 0, re-sent ones 1
        outcomes = Counter(row["expected_outcome"] for row in exposures if row["source"] == "snowplow")
        assert outcomes["duplicate_event_id"] > 3 and len(outcomes) > 4, outcomes
        page_views: Counter[str] = Counter()
        for row in exposures:
            if row["source"] == "snowplow" and row["expected_outcome"] == "kept":
                page_views[json.loads(row[WEB_PAGE])[0]["id"]] += 1
        assert 2 in page_views.values(), "a re-sent page view is two exposures"


def test_some_exposures_are_anonymous_on_devices_that_later_log_in_and_before_signup(data: GeneratedData) -> None:
    identified_at: dict[str, dt.datetime] = {}
    for row in rows(kept_events(data), ["device_id", "user_id", "event_at"]):
        if row["user_id"] is not None:
            identified_at[row["device_id"]] = min(identified_at.get(row["device_id"], row["event_at"]), row["event_at"])
    anonymous_then_known = Counter(
        row["source"]
        for row in exposure_rows(data)
        if row["expected_outcome"] == "kept"
        and row["user_id"] is None
        and row["event_at"] < identified_at.get(row["device_id"], dt.datetime.min.replace(tzinfo=dt.UTC))
    )
    assert anonymous_then_known["segment"] > 10 and anonymous_then_known["snowplow"] > 10, anonymous_then_known
    assignments = rows(data.truth["experiment_assignments"])
    before_signup = [a for a in assignments if a["is_exposed_before_signup"]]
    assert len(before_signup) > 20
    assert sum(a["is_anonymous_at_exposure"] for a in before_signup) > 0.8 * len(before_signup)


EFFECT_PAGE = "/features/trip-planner"
EXPERIMENT_IDS = [experiment.experiment_id for experiment in EXPERIMENTS]


def test_experiment_effects_list_each_variant_against_its_control(data: GeneratedData) -> None:
    effects = rows(data.truth["experiment_effects"])
    assert data.truth["experiment_effects"].schema.field("absolute_lift").type == pa.float64()
    assert [tuple(e.values()) for e in effects] == [
        ("exp_checkout_button", "treatment", "page_views", 0.0),
        ("exp_pricing_page", "v1", "page_views", 0.0),
        ("exp_pricing_page", "v2", "page_views", 0.5),
    ]
    assert EFFECT_PAGE not in EXPERIMENT_PAGES.values()


def test_the_effect_adds_a_page_view_after_the_first_exposure_of_half_the_v2_persons(data: GeneratedData) -> None:
    """A kept page view of the effect's page by the first exposure's device, in its session, 5-20 s after it
    (3-23 s: a Snowplow row without derived_tstamp reads its collector time, up to 2 s later)."""
    effect_views: dict[tuple[str, str], list[dt.datetime]] = defaultdict(list)
    for row in rows(kept_events(data), ["device_id", "session_id", "event_type", "page_path", "event_at"]):
        if row["event_type"] == "page_view" and row["page_path"] == EFFECT_PAGE:
            effect_views[(row["device_id"], row["session_id"])].append(row["event_at"])
    firsts = first_exposures(data)
    with_effect: dict[str, list[bool]] = defaultdict(list)
    for a in rows(data.truth["experiment_assignments"]):
        if a["experiment_id"] != "exp_pricing_page" or a["is_multi_variant"]:
            continue
        first = firsts[(a["person_id"], a["experiment_id"])]
        seconds = [
            (at - a["first_exposed_at"]).total_seconds()
            for at in effect_views[(first["device_id"], first["session_id"])]
        ]
        with_effect[a["variant"]].append(any(3 <= s <= 23 for s in seconds))
    assert len(with_effect["v2"]) > 80
    assert 0.35 < sum(with_effect["v2"]) / len(with_effect["v2"]) < 0.65
    # a visitor may browse to that page by chance, a few times
    assert sum(with_effect["control"]) + sum(with_effect["v1"]) <= 0.03 * (
        len(with_effect["control"]) + len(with_effect["v1"])
    )


def test_the_effect_opens_a_new_tab_only_after_the_first_exposure_of_v2_persons() -> None:
    """In the simulated world: each page view opened in a new tab follows the first exposure of a person
    assigned v2 of exp_pricing_page, by 5-20 s, on its device and in its session."""
    world = simulate(GeneratorConfig(), *streams(GeneratorConfig().seed, 0))
    events, truth_person = world.events, world.users.truth_person
    codes = exposure_codes(events, world.population, np.arange(events.n))
    pricing = EXPERIMENT_IDS.index("exp_pricing_page")
    first: dict[int, int] = {}
    for i in np.flatnonzero(codes == pricing):
        person = int(truth_person[events.person[i]])
        if person not in first or events.t[i] < events.t[first[person]]:
            first[person] = int(i)
    assigned = {
        int(pair) // len(EXPERIMENT_IDS): int(variant)
        for pair, variant in zip(world.assignments.pairs, world.assignments.assigned, strict=True)
        if pair % len(EXPERIMENT_IDS) == pricing
    }
    by_session_device = {(int(events.sess[i]), int(events.dev[i])): i for i in first.values()}
    opened = np.flatnonzero(events.new_tab)
    for tab in opened:
        exposure = by_session_device[(int(events.sess[tab]), int(events.dev[tab]))]
        assert (
            assigned[int(truth_person[events.person[exposure]])] == 2
            and first[int(truth_person[events.person[exposure]])] == exposure
        )
        assert 5_000 <= events.t[tab] - events.t[exposure] <= 20_000
        assert events.kind[tab] == PV and events.path[tab] == PATH_INDEX[EFFECT_PAGE]
    v2 = sum(variant == 2 for variant in assigned.values())
    assert 0.35 < opened.size / v2 < 0.65


def test_orders_in_truth_match_the_raw_order_events(data: GeneratedData) -> None:
    orders = {row["event_id"]: row for row in rows(data.truth["orders"])}
    raw = {row["id"]: row["revenue"] for row in rows(data.segment["order_completed"], ["id", "revenue"])}
    events = data.snowplow["events"]
    transactions = events.filter(pc.equal(events["event"], "transaction"))
    for row in rows(transactions, ["event_id", "tr_total"]):
        raw[row["event_id"]] = float(row["tr_total"])
    assert raw.keys() == orders.keys()
    for event_id, revenue in raw.items():
        assert orders[event_id]["revenue"] == revenue and orders[event_id]["currency"] == "USD"
    revenue_rows = kept_events(data).filter(pc.is_valid(kept_events(data)["revenue"]))
    assert sorted(revenue_rows["event_id"].to_pylist()) == sorted(orders)


# the video product and milestones ----------------------------------------------------------------


def product_action(row: dict[str, Any]) -> str | None:
    """The product action a truth event row is (Segment: its event name; Snowplow: its category and action)."""
    if row["source"] == "segment":
        return row["event_name"] if row["event_name"] in PRODUCT_ACTIONS else None
    return STRUCT_ACTIONS.get((row["event_category"], row["event_action"]))


def kept_actions(data: GeneratedData) -> list[dict[str, Any]]:
    columns = ["source", "event_id", "event_at", "event_name", "event_category", "event_action", "event_property"]
    columns += ["person_id", "user_id", "session_id", "page_path"]
    found = [{**row, "action": product_action(row)} for row in rows(kept_events(data), columns)]
    return [row for row in found if row["action"]]


def test_product_actions_come_after_signup_first_create_then_render_then_share(data: GeneratedData) -> None:
    signed_up = {p["person_id"]: p["signed_up_at"] for p in rows(data.truth["persons"]) if p["signed_up_at"]}
    owner = {row["user_id"]: row["person_id"] for row in rows(data.truth["user_ids"])}
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in kept_actions(data):
        assert row["event_at"] > signed_up[row["person_id"]]
        assert row["user_id"] is not None and owner[row["user_id"]] == row["person_id"]
        assert row["page_path"] == PRODUCT_ACTIONS[row["action"]][5]
        assert row["event_property"] in PRODUCT_ACTIONS[row["action"]][4]
        by_person[row["person_id"]].append(row)
    for actions in by_person.values():
        first = {}
        for row in sorted(actions, key=lambda row: row["event_at"]):
            first.setdefault(row["action"], row["event_at"])
        assert "project_created" in first
        assert "video_shared" not in first or "video_rendered" in first
        times = [first[action] for action in PRODUCT_ACTIONS if action in first]
        assert times == sorted(times) and len(set(times)) == len(times)
    creators = [actions for actions in by_person.values() if any(r["action"] == "project_created" for r in actions)]
    assert 0.3 < len(creators) / len(signed_up) < 0.7
    assert any(sum(r["action"] == "project_created" for r in actions) > 1 for actions in creators), "a 2nd project"
    in_signup_session = {s["event_id"]: s for s in rows(data.truth["signups"])}
    signup_sessions = {
        row["session_id"]
        for row in rows(kept_events(data), ["event_id", "session_id"])
        if row["event_id"] in in_signup_session
    }
    sessions = Counter(row["session_id"] in signup_sessions for row in kept_actions(data))
    assert sessions[True] and sessions[False], "in the signup session and in later sessions"
    assert Counter(row["source"] for row in kept_actions(data)).keys() == {"segment", "snowplow"}


def test_both_writers_carry_the_product_actions_and_their_property(data: GeneratedData) -> None:
    tracks = data.segment["tracks"]
    for action, (event_text, _, _, column, values, _) in PRODUCT_ACTIONS.items():
        in_tracks = tracks.filter(pc.equal(tracks["event"], action))
        assert set(in_tracks["event_text"].to_pylist()) == {event_text}
        spec = data.segment[action]
        assert spec.column_names == [*tracks.column_names, column]
        assert spec.select(tracks.column_names).equals(in_tracks), "the event's tracks rows, copies included"
        assert set(spec[column].to_pylist()) == values
    events = data.snowplow["events"]
    struct = rows(events.filter(pc.equal(events["event"], "struct")))
    for row in struct:
        assert (row["event_vendor"], row["event_name"]) == ("com.google.analytics", "event")
        action = STRUCT_ACTIONS.get((row["se_category"], row["se_action"]))
        if action:
            assert row["se_property"] in PRODUCT_ACTIONS[action][4] and row["se_label"] is None
        else:
            assert (row["se_category"], row["se_action"]) in {("product", "view_item"), ("product", "add_to_cart")}
            assert row["se_property"] is None and row["se_label"] is not None
    assert {(r["se_category"], r["se_action"]) for r in struct} >= set(STRUCT_ACTIONS)
    not_struct = events.filter(pc.not_equal(events["event"], "struct"))
    assert all(not_struct[c].null_count == not_struct.num_rows for c in ("se_category", "se_action", "se_property"))


def test_truth_events_take_category_action_and_property_from_the_raw_rows(data: GeneratedData) -> None:
    """Snowplow: se_category, se_action, se_property; a Segment product action: its spec table's property."""
    truth = data.truth["events"]
    offset = 0
    for source, name in RAW_EVENT_TABLES:
        raw = raw_event_table(data, source, name)
        part = truth.slice(offset, raw.num_rows)
        offset += raw.num_rows
        if source == "snowplow":
            expected = [tuple(r.values()) for r in rows(raw, ["se_category", "se_action", "se_property"])]
        else:
            expected = [(None, None, None)] * raw.num_rows
        if name == "tracks":
            names = raw["event"].to_pylist()
            for action, spec in PRODUCT_ACTIONS.items():
                positions = [i for i, event in enumerate(names) if event == action]
                for i, value in zip(positions, data.segment[action][spec[3]].to_pylist(), strict=True):
                    expected[i] = (None, None, value)
        got = [tuple(r.values()) for r in rows(part, ["event_category", "event_action", "event_property"])]
        assert got == expected, name
    categories = Counter(kept_events(data)["event_category"].to_pylist())
    assert categories.keys() == {None, "product", "project", "video"}


def expected_milestones(data: GeneratedData) -> set[tuple[Any, ...]]:
    """Per signed-up person and milestone, the first kept event at or after signup: its time, id, property."""
    signed_up = {p["person_id"]: p["signed_up_at"] for p in rows(data.truth["persons"]) if p["signed_up_at"]}
    orders = set(data.truth["orders"]["event_id"].to_pylist())
    candidates = [{**row, "milestone": f"first_{row['action']}"} for row in kept_actions(data)]
    columns = ["event_id", "event_at", "person_id", "event_property"]
    candidates += [
        {**row, "milestone": "first_order"} for row in rows(kept_events(data), columns) if row["event_id"] in orders
    ]
    first: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in candidates:
        person = row["person_id"]
        if person in signed_up and row["event_at"] >= signed_up[person]:
            reached = (row["event_at"], row["event_id"], row["event_property"])
            first[(person, row["milestone"])] = min(first.get((person, row["milestone"]), reached), reached)
    return {(person, name, *reached) for (person, name), reached in first.items()}


def test_milestones_are_each_signed_up_persons_first_kept_actions_and_order(data: GeneratedData) -> None:
    milestones = data.truth["milestones"]
    assert milestones.column_names == ["person_id", "milestone_name", "reached_at", "event_id", "event_property"]
    found = [tuple(r.values()) for r in rows(milestones)]
    assert len(found) == len(set(found)) and set(found) == expected_milestones(data)
    assert Counter(row[1] for row in found).keys() == set(MILESTONES)
    assert all((row[4] is None) == (row[1] == "first_order") for row in found)
    reached: dict[str, dict[str, dt.datetime]] = defaultdict(dict)
    for person, name, reached_at, *_ in found:
        reached[person][name] = reached_at
    for person_reached in reached.values():
        product = [name for name in MILESTONES[:3] if name in person_reached]
        assert product == list(MILESTONES[: len(product)]), "a render needs a create, a share a render"
        times = [person_reached[name] for name in product]
        assert times == sorted(times)


def test_copies_of_product_actions_are_never_milestones(data: GeneratedData) -> None:
    truth = rows(data.truth["events"], ["event_id", "expected_outcome", "event_property"])
    copies = [row for row in truth if row["event_property"] and row["expected_outcome"] != "kept"]
    assert copies, "the data has quarantined or redelivered product actions"
    kept = {row["event_id"] for row in truth if row["expected_outcome"] == "kept"}
    assert set(data.truth["milestones"]["event_id"].to_pylist()) <= kept


def test_without_product_use_the_action_tables_are_empty_and_orders_the_only_milestones() -> None:
    data = generate(replace(SMALL, project_person_share=0.0))
    for action, spec in PRODUCT_ACTIONS.items():
        assert data.segment[action].num_rows == 0 and data.segment[action].column_names[-1] == spec[3]
    assert data.truth["events"]["event_property"].null_count == data.truth["events"].num_rows
    assert set(data.truth["milestones"]["milestone_name"].to_pylist()) == {"first_order"}


# conversions and their touches -------------------------------------------------------------------

TOUCH_COLUMNS = ["session_id", "channel", "utm_source", "utm_medium", "utm_campaign", "started_at"]


def expected_conversion_touches(data: GeneratedData, lookback: dt.timedelta) -> list[tuple[Any, ...]]:
    """Each signup, then each order, with its truth person's sessions that started in [its time - lookback, its
    time], numbered by start then session id; one row with touch index 0 for a conversion with none."""
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in rows(data.truth["sessions"]):
        by_person[session["person_id"]].append(session)
    conversions = [
        ("signup", row["event_id"], row["person_id"], row["signed_up_at"]) for row in rows(data.truth["signups"])
    ]
    conversions += [
        ("order", row["event_id"], row["person_id"], row["ordered_at"]) for row in rows(data.truth["orders"])
    ]
    expected = []
    for name, event_id, person, at in conversions:
        touches = sorted(
            (s for s in by_person[person] if dt.timedelta(0) <= at - s["started_at"] <= lookback),
            key=lambda s: (s["started_at"], s["session_id"]),
        )
        head = (event_id, name, person, at)
        if not touches:
            expected.append((*head, None, 0, 0, None, None, None, None, None, None))
        for index, s in enumerate(touches, start=1):
            days = (at - s["started_at"]) / dt.timedelta(days=1)
            expected.append((*head, s["session_id"], index, len(touches), *(s[c] for c in TOUCH_COLUMNS[1:]), days))
    return expected


def touch_rows(table: pa.Table) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in rows(table)]


def test_conversion_touches_are_each_conversions_sessions_of_its_person_in_the_lookback(data: GeneratedData) -> None:
    touches = data.truth["conversion_touches"]
    assert touches.column_names == [
        "event_id", "conversion_name", "person_id", "converted_at", "session_id", "touch_index", "touch_count",
        "channel", "utm_source", "utm_medium", "utm_campaign", "started_at", "days_before",
    ]  # fmt: skip
    assert touch_rows(touches) == expected_conversion_touches(data, dt.timedelta(days=ATTRIBUTION_LOOKBACK_DAYS))
    conversions = {(row["event_id"], row["conversion_name"]) for row in rows(touches)}
    assert len(conversions) == data.truth["signups"].num_rows + data.truth["orders"].num_rows
    assert max(touches["touch_count"].to_pylist()) > 3, "conversions with several touches"


def test_conversion_touches_of_a_shorter_lookback_leave_the_earlier_sessions_out(data: GeneratedData) -> None:
    """The data's window is shorter than the default lookback, so the lookback itself is checked at two days."""
    truth = data.truth
    short = conversion_touches_table(truth["sessions"], truth["signups"], truth["orders"], lookback_days=2)
    assert touch_rows(short) == expected_conversion_touches(data, dt.timedelta(days=2))
    assert short.num_rows < truth["conversion_touches"].num_rows


def test_conversion_touches_compare_timestamps_at_both_ends_of_the_lookback() -> None:
    """A session exactly the lookback before is a touch, a microsecond earlier is not; one at the conversion's time
    is, a microsecond later is not; sessions starting together are numbered by session id; another person's
    sessions never count; a conversion without touches keeps one row with touch index 0."""
    at = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    us = dt.timedelta(microseconds=1)
    sessions = [
        ("s5", "p1", at - dt.timedelta(days=30) - us),
        ("s4", "p1", at - dt.timedelta(days=30)),
        ("s3", "p1", at - dt.timedelta(days=1)),
        ("s2", "p1", at - dt.timedelta(days=1)),
        ("s1", "p1", at),
        ("s0", "p1", at + us),
        ("s9", "p2", at - dt.timedelta(hours=1)),
    ]
    session_table = pa.table(
        {
            "session_id": [s[0] for s in sessions],
            "person_id": [s[1] for s in sessions],
            "started_at": pa.array([s[2] for s in sessions], pa.timestamp("us", tz="UTC")),
            **{c: [f"{c}-{s[0]}" for s in sessions] for c in TOUCH_COLUMNS[1:-1]},
        }
    )
    ts = pa.timestamp("us", tz="UTC")
    signups = pa.table({"event_id": ["e1"], "person_id": ["p1"], "signed_up_at": pa.array([at], ts)})
    orders = pa.table({"event_id": ["e2"], "person_id": ["p3"], "ordered_at": pa.array([at], ts)})
    found = rows(conversion_touches_table(session_table, signups, orders))
    assert [(r["event_id"], r["session_id"], r["touch_index"], r["touch_count"]) for r in found] == [
        ("e1", "s4", 1, 4),
        ("e1", "s2", 2, 4),
        ("e1", "s3", 3, 4),
        ("e1", "s1", 4, 4),
        ("e2", None, 0, 0),
    ]
    assert [r["days_before"] for r in found] == [30.0, 1.0, 1.0, 0.0, None]
    assert [r["channel"] for r in found] == ["channel-s4", "channel-s2", "channel-s3", "channel-s1", None]


def test_the_truths_lookback_is_the_default_of_the_projects_lookback_var() -> None:
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    assert variables["journeys__attribution_lookback_days"] == ATTRIBUTION_LOOKBACK_DAYS


# truth files -------------------------------------------------------------------------------------


def test_truth_round_trips_through_parquet(tmp_path: Path) -> None:
    data = generate(SMALL)
    write_truth(data, tmp_path / "truth")
    written = sorted(p.name for p in (tmp_path / "truth").iterdir())
    assert written == sorted(f"{name}.parquet" for name in data.truth)
    loaded = read_truth(tmp_path / "truth")
    assert loaded.keys() == data.truth.keys()
    for name, table in data.truth.items():
        assert loaded[name].equals(table.combine_chunks()), name


# Snowplow page views: ids, re-sent page views, ping timing ---------------------------------------

WEB_PAGE = "contexts_com_snowplowanalytics_snowplow_web_page_1_0_0"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def snowplow_rows(data: GeneratedData) -> list[dict[str, Any]]:
    """Each raw Snowplow row, its web_page context id, and its truth row's outcome, session and page view id."""
    truth = data.truth["events"]
    truth = truth.filter(pc.equal(truth["source"], "snowplow"))
    merged = []
    for raw, expected in zip(
        rows(data.snowplow["events"], ["event", "event_id", "dvce_created_tstamp", "page_urlpath", WEB_PAGE]),
        rows(truth, ["event_id", "expected_outcome", "session_id", "page_view_id", "event_at"]),
        strict=True,
    ):
        assert raw["event_id"] == expected["event_id"]
        context = json.loads(raw[WEB_PAGE])
        assert len(context) == 1 and set(context[0]) == {"id"} and UUID.match(context[0]["id"]), raw[WEB_PAGE]
        merged.append({**raw, **expected, "context_id": context[0]["id"]})
    return merged


def kept_sessions(data: GeneratedData) -> dict[str, list[dict[str, Any]]]:
    """Kept Snowplow rows per session, in the order they happened on the device."""
    sessions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in snowplow_rows(data):
        if row["expected_outcome"] == "kept":
            sessions[row["session_id"]].append(row)
    for events in sessions.values():
        events.sort(key=lambda row: row["dvce_created_tstamp"])
    return sessions


def test_every_snowplow_row_carries_a_web_page_context_with_its_page_view_id(data: GeneratedData) -> None:
    sample = Path(__file__).resolve().parent.parent / "data" / "snowplow_web_sample" / "snowplow_web_events.csv"
    assert WEB_PAGE in sample.open().readline().strip().split(",")
    assert all(row["context_id"] == row["page_view_id"] for row in snowplow_rows(data))
    segment = data.truth["events"].filter(pc.equal(data.truth["events"]["source"], "segment"))
    assert segment["page_view_id"].null_count == segment.num_rows


def test_web_page_context_table_has_each_event_ids_page_view_id(data: GeneratedData) -> None:
    events = data.snowplow["events"]
    with_id = rows(events.filter(pc.is_valid(events["event_id"])), ["event_id", "collector_tstamp", WEB_PAGE])
    context = rows(data.snowplow["com_snowplowanalytics_snowplow_web_page_1"])
    assert [(r["event_id"], r["collector_tstamp"], json.loads(r[WEB_PAGE])[0]["id"]) for r in with_id] == [
        (r["root_id"], r["root_tstamp"], r["id"]) for r in context
    ]


def test_page_pings_and_other_events_share_the_id_of_the_page_view_before_them(data: GeneratedData) -> None:
    """... but for a page view opened in a new tab (an experiment's effect): the events after it stay on the
    page it was opened from. A new page view is taken for the tab's page until an event says otherwise."""
    opened: set[str] = set()
    shared = Counter()
    new_tabs: list[dict[str, Any]] = []
    for session, events in kept_sessions(data).items():
        assert events[0]["event"] == "page_view", session
        current, candidate = None, None
        for row in events:
            if row["event"] == "page_view" and row["context_id"] not in opened:
                opened.add(row["context_id"])
                current, candidate = candidate or current, row
                continue
            # a page ping, another event on the page, or a page view sent again
            shared[row["event"]] += 1
            if candidate is not None and row["context_id"] == candidate["context_id"]:
                if row["event"] != "page_view":
                    current, candidate = candidate, None
            elif candidate is not None and current is not None and row["context_id"] == current["context_id"]:
                new_tabs.append(candidate)
                candidate = None
            else:
                assert candidate is None and row["context_id"] == current["context_id"], (session, row["event"])
    assert shared["page_ping"] > 1000 and shared["struct"] > 100 and shared["page_view"] > 0
    assert new_tabs and {row["page_urlpath"] for row in new_tabs} == {EFFECT_PAGE}


def test_a_resent_page_view_has_its_first_id_another_event_id_and_counts_once(data: GeneratedData) -> None:
    page_view_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for events in kept_sessions(data).values():
        for row in events:
            if row["event"] == "page_view":
                page_view_rows[row["context_id"]].append(row)
    resent = {pv: copies for pv, copies in page_view_rows.items() if len(copies) > 1}
    assert 0.002 < len(resent) / len(page_view_rows) < 0.01
    for copies in resent.values():
        assert len(copies) == 2 and copies[0]["event_id"] != copies[1]["event_id"]
        assert copies[0]["session_id"] == copies[1]["session_id"]
        assert dt.timedelta(0) < copies[1]["event_at"] - copies[0]["event_at"] < dt.timedelta(seconds=1)
    page_views = data.truth["page_views"]
    snowplow = page_views.filter(pc.equal(page_views["source"], "snowplow"))
    assert sorted(snowplow["page_view_id"].to_pylist()) == sorted(page_view_rows)
    twice = snowplow.filter(pc.equal(snowplow["page_view_events"], 2))
    assert set(twice["page_view_id"].to_pylist()) == set(resent)


def test_page_pings_come_after_the_minimum_visit_then_one_per_heartbeat_with_jitter(data: GeneratedData) -> None:
    """Device times (dvce_created_tstamp) of a page view and its pings (which carry its id): the tracker's own
    clock."""
    late_by: list[float] = []
    skipped = 0
    for events in kept_sessions(data).values():
        page_view_at: dict[str, dt.datetime] = {}
        last_window: dict[str, int] = {}
        for row in events:
            device_time = dt.datetime.fromisoformat(row["dvce_created_tstamp"])
            page_view = row["context_id"]
            if row["event"] == "page_view" and page_view not in page_view_at:
                page_view_at[page_view], last_window[page_view] = device_time, -1
            elif row["event"] == "page_ping":
                since_page_view = (device_time - page_view_at[page_view]).total_seconds()
                window, into_window = divmod(since_page_view - 5, 10)
                assert since_page_view >= 5 and window > last_window[page_view]
                skipped += window > last_window[page_view] + 1
                last_window[page_view] = int(window)
                late_by.append(into_window)
    assert len(late_by) > 1000 and skipped > 100, "pings skip the windows without activity"
    assert max(late_by) <= 1.5 and sorted(late_by)[len(late_by) // 2] < 0.3
    assert sum(late < 0.001 for late in late_by) < len(late_by) / 5, "timer jitter, not exact ticks"


def test_truth_page_views_follow_the_engaged_time_rule_on_the_kept_events(data: GeneratedData) -> None:
    events = rows(kept_events(data), ["source", "event_id", "event_type", "session_id", "page_view_id", "event_at"])
    first_seen: dict[str, dt.datetime] = {}
    page_view_events: Counter[str] = Counter()
    session_of: dict[str, str] = {}
    for row in events:
        if row["event_type"] == "page_view":
            key = row["page_view_id"] or row["event_id"]
            first_seen[key] = min(first_seen.get(key, row["event_at"]), row["event_at"])
            page_view_events[key] += 1
            session_of[key] = row["session_id"]
    windows: dict[str, set[int]] = defaultdict(set)
    pings: Counter[str] = Counter()
    for row in events:
        if row["event_type"] == "page_ping":
            since = (row["event_at"] - first_seen[row["page_view_id"]]).total_seconds()
            windows[row["page_view_id"]].add(int((since - 5) // 10))
            pings[row["page_view_id"]] += 1
    truth = {row["page_view_id"]: row for row in rows(data.truth["page_views"])}
    assert truth.keys() == first_seen.keys()
    for key, row in truth.items():
        assert row["session_id"] == session_of[key] and row["page_view_at"] == first_seen[key]
        assert row["page_view_events"] == page_view_events[key] and row["ping_count"] == pings[key]
        assert row["heartbeat_windows"] == len(windows[key])
        assert row["engaged_seconds"] == (5 + 10 * (len(windows[key]) - 1) if windows[key] else 0)
    assert Counter(row["source"] for row in truth.values()).keys() == {"segment", "snowplow"}
    assert max(row["ping_count"] for row in truth.values()) >= 3


# generation in parts -----------------------------------------------------------------------------

CHUNKED = GeneratorConfig(seed=5, events=9_000)


@pytest.fixture(scope="module")
def parts() -> list[GeneratedData]:
    return list(generate_chunks(CHUNKED, chunk_events=4_000))


def test_parts_split_the_events_evenly_and_stay_near_the_chunk_size(parts: list[GeneratedData]) -> None:
    assert part_sizes(9_000, 4_000) == [3_000, 3_000, 3_000]
    assert part_sizes(100_000_000, 2_000_000) == [2_000_000] * 50
    assert part_sizes(10, 3) == [3, 3, 2, 2]
    assert len(parts) == 3
    for part in parts:
        assert abs(part.truth["events"].num_rows / 3_000 - 1) < 0.1


def test_parts_have_the_same_tables_and_schemas(parts: list[GeneratedData]) -> None:
    """A loader creates each table from the first part and appends the others."""
    first = all_tables(parts[0])
    for part in parts[1:]:
        tables = all_tables(part)
        assert tables.keys() == first.keys()
        assert all(tables[name].schema == first[name].schema for name in first)


def test_first_part_is_generate_of_its_size_and_one_part_is_generate(parts: list[GeneratedData]) -> None:
    alone = all_tables(generate(replace(CHUNKED, events=3_000)))
    first = all_tables(parts[0])
    assert first.keys() == alone.keys()
    assert all(ipc_bytes(first[name]) == ipc_bytes(alone[name]) for name in first)
    (whole,) = generate_chunks(SMALL, chunk_events=SMALL.events)
    expected = all_tables(generate(SMALL))
    assert all(ipc_bytes(table) == ipc_bytes(expected[name]) for name, table in all_tables(whole).items())


def test_parts_have_disjoint_persons_devices_user_ids_sessions_and_event_ids(parts: list[GeneratedData]) -> None:
    def ids(part: GeneratedData) -> dict[str, set[str]]:
        events = part.truth["events"]
        return {
            "person": set(part.truth["persons"]["person_id"].to_pylist()),
            "device": set(part.truth["devices"]["device_id"].to_pylist()),
            "user": set(part.truth["user_ids"]["user_id"].to_pylist()),
            "session": set(part.truth["sessions"]["session_id"].to_pylist()),
            "event": {e for e in events["event_id"].to_pylist() if e},
            "order": set(part.segment["order_completed"]["order_id"].to_pylist()),
            "page_view": set(part.truth["page_views"]["page_view_id"].to_pylist()),
        }

    per_part = [ids(part) for part in parts]
    for kind in per_part[0]:
        sizes = [len(p[kind]) for p in per_part]
        assert all(sizes), kind
        assert len(set().union(*(p[kind] for p in per_part))) == sum(sizes), f"{kind} ids repeat across parts"


def test_union_of_parts_has_consistent_truth(parts: list[GeneratedData]) -> None:
    union = {name: pa.concat_tables([p.truth[name] for p in parts]) for name in parts[0].truth}
    owner = dict(zip(union["user_ids"]["user_id"].to_pylist(), union["user_ids"]["person_id"].to_pylist(), strict=True))
    persons = set(union["persons"]["person_id"].to_pylist())
    sessions = {r["session_id"]: r for r in rows(union["sessions"])}
    events = union["events"]
    kept = rows(events.filter(pc.equal(events["expected_outcome"], "kept")), ["session_id", "person_id", "user_id"])
    counts = Counter(row["session_id"] for row in kept)
    for row in kept:
        assert row["person_id"] in persons and sessions[row["session_id"]]["person_id"] == row["person_id"]
        if row["user_id"] is not None:
            assert owner[row["user_id"]] == row["person_id"]
    assert all(session["event_count"] == counts[sid] for sid, session in sessions.items())


def test_each_parts_milestones_follow_its_own_events(parts: list[GeneratedData]) -> None:
    seen: set[str] = set()
    for part in parts:
        found = {tuple(r.values()) for r in rows(part.truth["milestones"])}
        assert found and found == expected_milestones(part)
        persons = {row[0] for row in found}
        assert persons <= set(part.truth["persons"]["person_id"].to_pylist()) and not persons & seen
        seen |= persons


def test_generate_chunks_makes_one_part_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[int] = []
    real = generator_parts.generate_part

    def counting(config: GeneratorConfig, part: int, offsets: Any) -> Any:
        made.append(part)
        return real(config, part, offsets)

    monkeypatch.setattr(generator_parts, "generate_part", counting)
    chunks = generate_chunks(GeneratorConfig(seed=1, events=3_000), chunk_events=1_000)
    assert made == []
    next(chunks)
    assert made == [0]
    next(chunks)
    assert made == [0, 1]


# facts shared with the dbt project ---------------------------------------------------------------

PROJECT = Path(__file__).resolve().parent.parent


def test_quarantine_reasons_come_from_the_seed_in_check_order() -> None:
    with (PROJECT / "seeds" / "quarantine_reasons.csv").open(newline="") as handle:
        seed = list(csv.DictReader(handle))
    assert [int(row["check_order"]) for row in seed] == list(range(1, len(seed) + 1))
    assert all(row["description"] for row in seed)
    assert quarantine_reasons() == tuple(row["quarantine_reason"] for row in seed)
    assert quarantine_reasons()[-1] == "duplicate_event_id"
    assert expected_outcomes() == ("kept", *quarantine_reasons())


def test_bot_regex_is_the_dbt_project_var() -> None:
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    assert bot_user_agent_regex() == variables["journeys__bot_user_agent_regex"]


def test_simulated_tracker_timing_is_the_project_default() -> None:
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    assert variables["journeys__page_ping_min_visit_seconds"] * 1000 == MIN_VISIT_MS
    assert variables["journeys__page_ping_heartbeat_seconds"] * 1000 == HEARTBEAT_MS


def declared_source_tables() -> dict[str, set[str]]:
    """Per source, the table each sources yml declares: its identifier (a var's default resolved) or name."""
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    default = re.compile(r"^\{\{\s*var\('(\w+)'\)\s+or\s+'(\w+)'\s*\}\}$")
    declared: dict[str, set[str]] = defaultdict(set)
    for path in sorted(PROJECT.glob("models/staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                identifier = table.get("identifier", table["name"])
                match = default.match(identifier)
                if match:
                    identifier = variables.get(match.group(1)) or match.group(2)
                assert "{{" not in identifier, f"{path}: cannot resolve {identifier}"
                declared[source["name"]].add(identifier)
    return declared


def segment_property_columns() -> dict[str, str]:
    """The Segment per-event tables the project reads by name (var journeys__segment_property_columns), each
    with the column it reads as the track's event_property."""
    variables = yaml.safe_load((PROJECT / "dbt_project.yml").read_text())["vars"]
    return dict(variables["journeys__segment_property_columns"])


def test_raw_table_names_are_the_tables_the_sources_declare_or_the_property_var_names(data: GeneratedData) -> None:
    declared = declared_source_tables()
    property_columns = segment_property_columns()
    assert set(SEGMENT_TABLES) == set(data.segment) <= declared["segment"] | set(property_columns)
    assert set(SNOWPLOW_TABLES) == set(data.snowplow) <= declared["snowplow"]
    assert tuple(data.truth) == TRUTH_TABLES
    assert {action: property_columns.get(action) for action in PRODUCT_ACTIONS} == {
        action: spec[3] for action, spec in PRODUCT_ACTIONS.items()
    }
    for table, column in property_columns.items():
        assert column in data.segment[table].column_names
