"""Bad configuration and bad raw tables stop the run with a message naming the var, table or column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pyarrow as pa
import pytest

from journeys_tools.cli import main
from journeys_tools.project import DbtFailure
from tests.conftest import BuiltProject


@pytest.fixture
def scratch_schema(built_duckdb: BuiltProject) -> Iterator[BuiltProject]:
    """The DuckDB build, with models written to a throwaway schema for the duration of a test."""
    built_duckdb.use_schema("journeys_errors")
    yield built_duckdb
    built_duckdb.use_schema("journeys")


def minimal_tracks() -> pa.Table:
    """A tracks table with only the required columns, as a fresh Segment source can have."""
    return pa.table(
        {
            "id": ["e1"],
            "anonymous_id": ["a1"],
            "user_id": pa.array([None], pa.string()),
            "event": ["signed_up"],
            "timestamp": pa.array([dt.datetime(2026, 1, 5, tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC")),
        }
    )


def tracks_without(column: str) -> pa.Table:
    return minimal_tracks().drop_columns([column])


def test_missing_required_column_names_table_and_column(scratch_schema: BuiltProject):
    scratch_schema.warehouse.load_table("segment_broken", "tracks", tracks_without("event"))
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["run", "--select", "stg_segment__tracks"], {"journeys__segment_schema": "segment_broken"}
        )
    message = str(failure.value)
    assert "segment_broken" in message and "tracks" in message and "has no column 'event'" in message


def test_missing_optional_columns_read_as_null(scratch_schema: BuiltProject):
    scratch_schema.warehouse.load_table("segment_minimal", "tracks", minimal_tracks())
    scratch_schema.dbt.invoke(
        ["run", "--select", "stg_segment__tracks"], {"journeys__segment_schema": "segment_minimal"}
    )
    rows = scratch_schema.rows(
        "select event_id, event_name, page_url, utm_source, user_agent, loaded_at "
        "from journeys_errors.stg_segment__tracks"
    )
    assert rows == [("e1", "signed_up", None, None, None, dt.datetime(2026, 1, 5))]


def test_missing_source_table_names_the_table_and_the_vars(scratch_schema: BuiltProject):
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["run", "--select", "stg_snowplow__events"], {"journeys__snowplow_schema": "no_such_schema"}
        )
    message = str(failure.value)
    assert "no_such_schema" in message and "events" in message and "journeys__snowplow_schema" in message


def test_bot_regex_with_a_quote_names_the_var(scratch_schema: BuiltProject):
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["run", "--select", "stg_snowplow__events"], {"journeys__bot_user_agent_regex": "bot|o'reilly"}
        )
    assert "journeys__bot_user_agent_regex" in str(failure.value)


def test_no_enabled_source_names_the_vars(scratch_schema: BuiltProject):
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["run", "--select", "int_events_screened"],
            {"journeys__segment_enabled": False, "journeys__snowplow_enabled": False},
        )
    assert "journeys__segment_enabled" in str(failure.value)


def test_cli_refuses_an_unknown_engine_naming_the_choices(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["demo", "--target", "oracle"])
    assert "invalid choice: 'oracle'" in capsys.readouterr().err


def test_too_few_identity_passes_fail_a_test_naming_the_var(scratch_schema: BuiltProject):
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            [
                "build",
                "--select",
                "+assert_alias_chains_fit_in_journeys__identity_max_passes",
                "--exclude",
                "test_type:unit",
                "assert_raw_rows_reconcile_with_stream_and_quarantine",
            ],
            {"journeys__identity_max_passes": 1},
        )
    assert "assert_alias_chains_fit_in_journeys__identity_max_passes: fail" in str(failure.value)


def test_unknown_identity_policy_names_the_var(scratch_schema: BuiltProject):
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["run", "--select", "int_sessions_identified"], {"journeys__identity_policy": "newest"}
        )
    assert "journeys__identity_policy" in str(failure.value) and "time_aware, latest" in str(failure.value)


def test_edited_definitions_stop_an_incremental_run_naming_the_seed(scratch_schema: BuiltProject):
    """Stored matches follow the definitions of the run that made them: after the seed changes, an incremental
    run stops, naming the seed and the full refresh that rebuilds the matches."""
    project = scratch_schema.dbt
    seed = project.project_dir / "seeds" / "conversion_definitions.csv"
    original = seed.read_text()
    project.invoke(["build", "--select", "+int_events_matched", "--exclude", "test_type:unit"])
    try:
        seed.write_text(original.replace("signed_up,", "signed_up|registered,"))
        with pytest.raises(DbtFailure) as failure:
            project.invoke(["build", "--select", "conversion_definitions", "int_events_matched"])
        message = str(failure.value)
        assert "seed conversion_definitions or milestone_definitions changed since int_events_matched" in message
        assert "dbt build --full-refresh --select int_events_matched+" in message
        project.invoke(["build", "--full-refresh", "--select", "conversion_definitions", "int_events_matched"])
    finally:
        seed.write_text(original)
        project.invoke(["seed", "--select", "conversion_definitions"])
