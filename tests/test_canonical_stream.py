"""The canonical event stream and the quarantine against the generator's truth, on every engine."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from typing import Any

import pyarrow as pa

from tests.conftest import REPO_ROOT, BuiltProject

COMPARED_COLUMNS = [
    "event_at",
    "device_id",
    "user_id",
    "event_type",
    "event_name",
    "event_category",
    "event_action",
    "event_property",
    "page_url",
    "page_path",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "click_id",
    "referrer_host",
    "device_class",
    "revenue",
    "country",
    "tracker_page_view_id",
]
# the truth's name of a stream column, where it differs
TRUTH_NAMES = {"tracker_page_view_id": "page_view_id"}


def normalise(value: Any) -> Any:
    """One representation per value across engines: naive UTC datetimes, floats rounded to cents."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, float):
        return round(value, 2)
    if hasattr(value, "as_integer_ratio") and not isinstance(value, int | bool):
        return round(float(value), 2)
    return value


def truth_rows(table: pa.Table, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: normalise(row[c]) for c in columns} for row in table.select(columns).to_pylist()]


def test_every_raw_event_row_gets_the_outcome_the_truth_expects(built: BuiltProject, truth: dict[str, pa.Table]):
    kept = built.rows("select source_table, event_id from journeys.int_events_validated")
    quarantined = built.rows("select source_table, event_id, quarantine_reason from journeys.int_events_quarantined")
    actual = Counter([(table, event_id, "kept") for table, event_id in kept] + quarantined)
    expected = Counter(
        # staging reads an empty id as missing (NULL)
        (row["source_table"], row["event_id"] or None, row["expected_outcome"])
        for row in truth["events"].select(["source_table", "event_id", "expected_outcome"]).to_pylist()
    )
    assert actual - expected == Counter(), "rows with an outcome the truth does not expect"
    assert expected - actual == Counter(), "expected outcomes missing from stream and quarantine"


def test_each_quarantine_reason_of_the_seed_is_exercised_by_the_test_data(built: BuiltProject):
    with (REPO_ROOT / "seeds" / "quarantine_reasons.csv").open(newline="") as handle:
        seeded = {row["quarantine_reason"] for row in csv.DictReader(handle)}
    reasons = {row[0] for row in built.rows("select distinct quarantine_reason from journeys.int_events_quarantined")}
    assert len(seeded) == 9
    assert reasons == seeded


def test_canonical_columns_of_kept_events_equal_the_truth(built: BuiltProject, truth: dict[str, pa.Table]):
    columns = ["event_id", *COMPARED_COLUMNS]
    actual = {
        row[0]: dict(zip(columns, map(normalise, row), strict=True))
        for row in built.rows(f"select {', '.join(columns)} from journeys.int_events_validated")
    }
    events = truth["events"]
    kept = events.filter(pa.compute.equal(events["expected_outcome"], "kept"))
    kept = kept.rename_columns([{v: k for k, v in TRUTH_NAMES.items()}.get(c, c) for c in kept.column_names])
    mismatches = []
    for expected in truth_rows(kept, columns):
        got = actual.get(expected["event_id"])
        differing = {c: (got[c], expected[c]) for c in COMPARED_COLUMNS if got is None or got[c] != expected[c]}
        if differing:
            mismatches.append((expected["event_id"], differing))
    assert not mismatches, f"{len(mismatches)} events differ from the truth, e.g. {mismatches[:3]}"


def test_redelivered_event_keeps_its_first_loaded_copy(built: BuiltProject, truth: dict[str, pa.Table]):
    events = truth["events"].to_pylist()
    first_loaded = {}
    for row in events:
        if row["expected_outcome"] in ("kept", "duplicate_event_id"):
            key = row["event_id"]
            if key not in first_loaded or row["loaded_at"] < first_loaded[key]:
                first_loaded[key] = row["loaded_at"]
    duplicated = {r["event_id"] for r in events if r["expected_outcome"] == "duplicate_event_id"}
    assert duplicated, "the test data has redeliveries"
    kept = dict(built.rows("select event_id, loaded_at from journeys.int_events_validated"))
    for event_id in duplicated:
        assert normalise(kept[event_id]) == normalise(first_loaded[event_id])


def test_tracks_table_without_optional_campaign_columns_reads_them_as_null(built: BuiltProject):
    # the generated tracks table has no context_campaign_term/content: only a landing URL can give them
    rows = built.rows(
        "select count(*) from journeys.stg_segment__tracks where (utm_term is not null "
        "and coalesce(page_url, '') not like '%utm_term=%') or (utm_content is not null "
        "and coalesce(page_url, '') not like '%utm_content=%')"
    )
    assert rows == [(0,)]


def test_quarantine_analysis_accounts_for_every_quarantined_row(built: BuiltProject):
    result = built.dbt.invoke(["show", "--select", "quarantine_by_day_and_reason", "--limit", "-1"])
    table = result.results[0].agate_table
    quarantined = built.rows("select count(*) from journeys.int_events_quarantined")[0][0]
    assert sum(int(row["quarantined_events"]) for row in table.rows) == quarantined
    assert all(0 < float(row["quarantined_percent"]) <= 100 for row in table.rows)
