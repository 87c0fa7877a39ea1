"""The real Snowplow web sample goes through staging as it is: every row is kept or quarantined with a reason."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from typing import Any

from tests.conftest import REPO_ROOT, BuiltProject

SAMPLE_EVENTS = REPO_ROOT / "data" / "snowplow_web_sample" / "snowplow_web_events.csv"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE_EVENTS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_sample_row_is_in_the_stream_or_quarantined(built: BuiltProject):
    raw = sample_rows()
    kept = built.rows("select count(*) from journeys_sample.int_events_validated")[0][0]
    quarantined = built.rows(
        "select quarantine_reason, count(*) from journeys_sample.int_events_quarantined group by quarantine_reason"
    )
    # Worked by hand from the file: 160 rows, three event ids delivered twice, nothing else invalid.
    assert len(raw) == 160
    assert kept == 157
    assert quarantined == [("duplicate_event_id", 3)]


def test_sample_duplicates_keep_the_copy_loaded_first(built: BuiltProject):
    copies: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in sample_rows():
        copies[row["event_id"]].append(row)
    duplicated = {event_id: rows for event_id, rows in copies.items() if len(rows) > 1}
    assert len(duplicated) == 3
    ids = ", ".join(f"'{event_id}'" for event_id in duplicated)
    kept = dict(
        built.rows(f"select event_id, loaded_at from journeys_sample.int_events_validated where event_id in ({ids})")
    )
    assert set(kept) == set(duplicated)
    for event_id, rows in duplicated.items():
        first_loaded = min(row["load_tstamp"] or row["collector_tstamp"] for row in rows)
        assert kept[event_id] == dt.datetime.fromisoformat(first_loaded)


def test_sample_event_without_domain_userid_is_kept_for_its_user_id(built: BuiltProject):
    rows = built.rows("select user_id from journeys_sample.int_events_validated where device_id is null")
    assert rows == [("NULL domain_userid",)]


def test_sample_page_views_have_paths_and_campaign_landings_their_utm(built: BuiltProject):
    rows = built.rows(
        "select count(*), count(page_path), count(case when utm_source = 'google-ad' then 1 end), "
        "count(click_id) from journeys_sample.int_events_validated where event_type = 'page_view'"
    )
    page_views, with_path, google_ads, with_click_id = rows[0]
    raw = [r for r in sample_rows() if r["event"] == "page_view"]
    assert page_views == len({r["event_id"] for r in raw})
    assert with_path == page_views
    assert google_ads == len({r["event_id"] for r in raw if r["mkt_source"] == "google-ad"})
    assert with_click_id == len({r["event_id"] for r in raw if r["mkt_clickid"]})


def first_id(context: Any) -> str | None:
    """The `id` of the first object in a context's JSON, however deep the arrays around it."""
    if isinstance(context, dict):
        return context.get("id")
    if isinstance(context, list):
        return next((found for item in context if (found := first_id(item)) is not None), None)
    return None


def test_sample_events_carry_the_page_view_id_of_their_web_page_context(built: BuiltProject):
    expected = {}
    for row in sample_rows():
        context = row["contexts_com_snowplowanalytics_snowplow_web_page_1_0_0"]
        expected[row["event_id"]] = first_id(json.loads(context)) if context else None
    kept = dict(built.rows("select event_id, tracker_page_view_id from journeys_sample.int_events_validated"))
    assert kept == expected
    # worked from the file: every event but one page view carries one
    assert sum(page_view_id is None for page_view_id in kept.values()) == 1
