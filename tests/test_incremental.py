"""Incremental runs over data delivered in batches give the same marts as one full refresh, on every engine."""

from __future__ import annotations

import pyarrow as pa
import pytest

from journeys_tools.benchmark.split import equal_cuts, split_into_batches
from journeys_tools.generator import GeneratedData
from tests.conftest import BUILD_VARS, BuiltProject

BATCHES = 3
# the full build's vars too (it reads the generated ad spend), so the two builds differ only in how data arrived
BATCH_VARS = {
    **BUILD_VARS,
    "journeys__segment_schema": "segment_batches",
    "journeys__snowplow_schema": "atomic_batches",
}


def rounded(columns: str, doubles: tuple[str, ...]) -> str:
    """The columns, then the doubles to 6 decimals: attribution's credits and its reports' sums have last bits that
    depend on the order rows are summed in, which may differ between a full refresh and the last batch's run."""
    return ", ".join([columns, *(f"cast({c} as decimal(24, 6)) as {c}" for c in doubles)])


ATTRIBUTION_COLUMNS = rounded(
    "conversion_id, conversion_name, person_id, converted_at, conversion_value, model, session_id, touch_index, "
    "channel, source, medium, campaign",
    ("credit", "attributed_value"),
)
ATTRIBUTION_REPORT_DOUBLES = ("conversions", "attributed_value", "spend", "cost_per_conversion", "roas")
EXPERIMENT_RESULT_DOUBLES = (
    "metric_sum",
    "metric_sum_squares",
    "mean",
    "absolute_lift",
    "relative_lift_ci_upper",
    "p_value",
    "corrected_p_value",
    "cuped_theta",
    "cuped_relative_lift",
    "cuped_p_value",
    "srm_p_value",
)
# the marts, and the stream and quarantine the screening now builds incrementally too
COMPARED_MODELS = {
    "int_events_validated": "*",
    "int_events_quarantined": "*",
    "fct_events": "event_id, session_id, person_id, device_key, event_at, loaded_at, event_name, revenue",
    "fct_sessions": "*",
    "fct_page_views": "*",
    "dim_persons": "*",
    "bridge_person_identifiers": "*",
    "rpt_signup_paths": "*",
    "rpt_signup_conversion_by_channel": "*",
    "rpt_retention_weekly": "*",
    "fct_conversions": "*",
    "fct_signup_journeys": "*",
    "fct_milestones": "*",
    "fct_person_timeline": "*",
    "fct_funnel_progress": "*",
    "rpt_funnel_steps": "*",
    "fct_attribution_credits": ATTRIBUTION_COLUMNS,
    "rpt_attribution_by_channel": rounded(
        "attribution_channel_id, conversion_name, model, channel", ATTRIBUTION_REPORT_DOUBLES
    ),
    "rpt_attribution_by_campaign": rounded(
        "attribution_campaign_id, conversion_name, model, channel, campaign", ATTRIBUTION_REPORT_DOUBLES
    ),
    "fct_experiment_exposures": "*",
    "fct_experiment_unit_metrics": rounded(
        "unit_metric_id, experiment_id, person_id, variant, metric, metric_type", ("value", "pre_period_value")
    ),
    "fct_experiment_results": rounded("experiment_result_id, units, is_srm", EXPERIMENT_RESULT_DOUBLES),
    "rpt_experiment_milestones": rounded(
        "experiment_milestone_id, exposed_persons, persons_reached", ("median_days_since_exposure",)
    ),
    "rpt_experiment_signup_journeys": rounded(
        "experiment_variant_id, exposed_before_signup, signed_up_after_exposure", ("median_days_to_signup",)
    ),
}


def batches(data: GeneratedData) -> list[dict[str, dict[str, pa.Table]]]:
    """The raw tables dealt into BATCHES equal batches by load time, as the benchmark splits its increment
    (rows without a load time travel with the first batch), in the schemas BATCH_VARS names."""
    raw = {"segment": data.segment, "atomic": data.snowplow}
    return [
        {"segment_batches": batch["segment"], "atomic_batches": batch["atomic"]}
        for batch in split_into_batches(raw, equal_cuts(raw, BATCHES))
    ]


@pytest.fixture(scope="module")
def incremental_build(built: BuiltProject, generated_data: GeneratedData) -> BuiltProject:
    built.use_schema("journeys_incremental")
    try:
        dealt = batches(generated_data)
        for index, tables in enumerate(dealt):
            built.warehouse.load_schemas(tables, append=index > 0)
            # the data tests run on the last batch's tables, the ones compared with the full refresh
            skipped = ["test_type:unit"] if index == len(dealt) - 1 else ["test_type:unit", "test_type:data"]
            built.dbt.invoke(["build", "--exclude", *skipped], BATCH_VARS)
    finally:
        built.use_schema("journeys")
    return built


def test_batches_split_the_raw_rows_without_loss(generated_data: GeneratedData):
    totals: dict[str, int] = {}
    for batch in batches(generated_data):
        assert batch["atomic_batches"]["events"].num_rows > 0
        for schema, tables in batch.items():
            for name, table in tables.items():
                totals[f"{schema}.{name}"] = totals.get(f"{schema}.{name}", 0) + table.num_rows
    for name, table in generated_data.snowplow.items():
        assert totals[f"atomic_batches.{name}"] == table.num_rows
    for name, table in generated_data.segment.items():
        assert totals[f"segment_batches.{name}"] == table.num_rows


@pytest.mark.parametrize("model", list(COMPARED_MODELS))
def test_incremental_batches_equal_one_full_refresh(incremental_build: BuiltProject, model: str):
    columns = COMPARED_MODELS[model]
    full = f"select {columns} from journeys.{model}"
    incremental = f"select {columns} from journeys_incremental.{model}"
    full_rows, incremental_rows, only_full, only_incremental = incremental_build.compare(full, incremental)
    assert full_rows > 0
    assert (full_rows, only_full, only_incremental) == (incremental_rows, 0, 0)


def test_a_changed_setting_recomputes_every_person(incremental_build: BuiltProject):
    """fct_signup_journeys is incremental by person and names journeys__path_max_steps among its settings: a run with
    another value re-computes every person, not only those whose data changed, and so does the run that sets it
    back. Each build is compared with a full refresh under the same vars."""
    if incremental_build.engine == "spark":
        pytest.skip("Spark rebuilds the person-grain models whole, so there is nothing to re-compute by person")
    changed = {"journeys__path_max_steps": 2}

    def build_both(extra_vars: dict[str, int]) -> tuple[int, int, int, int]:
        for schema, variables, refresh in (
            ("journeys", BUILD_VARS, ["--full-refresh"]),
            ("journeys_incremental", BATCH_VARS, []),
        ):
            incremental_build.use_schema(schema)
            try:
                incremental_build.dbt.invoke(
                    ["build", "--select", "fct_signup_journeys", "--exclude", "test_type:unit", *refresh],
                    {**variables, **extra_vars},
                )
            finally:
                incremental_build.use_schema("journeys")
        return incremental_build.compare(
            "select * from journeys.fct_signup_journeys", "select * from journeys_incremental.fct_signup_journeys"
        )

    try:
        full_rows, incremental_rows, only_full, only_incremental = build_both(changed)
        assert (full_rows, only_full, only_incremental) == (incremental_rows, 0, 0)
        cut = incremental_build.rows(
            "select count(*) from journeys_incremental.fct_signup_journeys where channel_path_dropped_steps > 0"
        )[0][0]
        assert cut > 0, "the test data should have journeys longer than the changed journeys__path_max_steps"
    finally:
        full_rows, incremental_rows, only_full, only_incremental = build_both({})
    assert (full_rows, only_full, only_incremental) == (incremental_rows, 0, 0)
