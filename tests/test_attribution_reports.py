"""The attribution reports recomputed in Python from fct_attribution_credits and the generator's ad spend table, on
every engine; the spend table itself; an enabled spend source without its table, and a bad spend row."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from journeys_tools.generator import GeneratedData, GeneratorConfig
from journeys_tools.generator.facts import ad_spend_location
from journeys_tools.generator.spend import SPEND_MARGIN_DAYS, ad_spend_table
from journeys_tools.project import DbtFailure
from tests.conftest import BUILD_VARS, REPO_ROOT, TEST_CONFIG, BuiltProject, close

Key = tuple[Any, ...]
REPORT_COLUMNS = "conversions, attributed_value, spend, cost_per_conversion, roas"


def channel_rules() -> dict[str, bool]:
    """Each channel of seed channel_rules and whether it is paid."""
    lines = (REPO_ROOT / "seeds" / "channel_rules.csv").read_text().splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    return {row["channel"]: row["is_paid"] == "true" for row in rows}


def test_ad_spend_is_one_row_per_day_and_paid_campaign_around_the_window(generated_data: GeneratedData):
    spend = generated_data.ad_spend
    assert spend is not None
    assert spend.equals(ad_spend_table(TEST_CONFIG))
    assert not spend.equals(ad_spend_table(GeneratorConfig(seed=8, events=TEST_CONFIG.events)))
    rows = spend.to_pylist()
    keys = [(row["date"], row["channel"], row["campaign"]) for row in rows]
    assert len(keys) == len(set(keys))
    first = TEST_CONFIG.start.date() - dt.timedelta(days=SPEND_MARGIN_DAYS)
    days = TEST_CONFIG.days + 2 * SPEND_MARGIN_DAYS
    assert {row["date"] for row in rows} == {first + dt.timedelta(days=d) for d in range(days)}
    assert all(row["spend"] > 0 for row in rows)
    # the paid channels' campaigns, exactly those the generated paid sessions carry, in channels the project names
    sessions = generated_data.truth["sessions"]
    paid_campaigns = {
        (channel, campaign)
        for channel, campaign, is_paid in zip(
            sessions["channel"].to_pylist(),
            sessions["utm_campaign"].to_pylist(),
            sessions["is_paid"].to_pylist(),
            strict=True,
        )
        if is_paid
    }
    assert {(row["channel"], row["campaign"]) for row in rows} == paid_campaigns
    rules = channel_rules()
    assert all(rules[channel] for channel, _ in paid_campaigns)


def data_period(built: BuiltProject, schema: str = "journeys") -> tuple[dt.date, dt.date]:
    """The first session start's and the last session end's dates."""
    first, last = built.rows(f"select min(started_at), max(ended_at) from {schema}.fct_sessions")[0]
    return first.date(), last.date()


def spend_in_period(built: BuiltProject) -> dict[tuple[str, str], float]:
    """The generated spend over the data's period, per channel and campaign."""
    first, last = data_period(built)
    assert built.data.ad_spend is not None
    totals: dict[tuple[str, str], float] = defaultdict(float)
    left_out = 0
    for row in built.data.ad_spend.to_pylist():
        if first <= row["date"] <= last:
            totals[(row["channel"], row["campaign"])] += row["spend"]
        else:
            left_out += 1
    assert left_out > 0 and totals, "the generated spend should reach both into and beyond the data's period"
    return dict(totals)


def expected_reports(built: BuiltProject, by_campaign: bool) -> dict[Key, tuple[float, float | None, float]]:
    """(conversion name, model, channel[, campaign]) -> (conversions, attributed value, spend), worked from the
    credits and the generated spend: a row per group of credits, and per spent channel (or campaign) without one."""
    credits: dict[Key, list[Any]] = defaultdict(lambda: [0.0, []])
    has_value: dict[str, bool] = defaultdict(bool)
    pairs = set()
    for name, model, channel, campaign, credit, value, conversion_value in built.rows(
        "select conversion_name, model, channel, campaign, credit, attributed_value, conversion_value "
        "from journeys.fct_attribution_credits"
    ):
        key = (name, model, channel, campaign) if by_campaign else (name, model, channel)
        credits[key][0] += float(credit)
        if value is not None:
            credits[key][1].append(float(value))
        has_value[name] |= conversion_value is not None
        pairs.add((name, model))
    spend: dict[Key, float] = defaultdict(float)
    for (channel, campaign), amount in spend_in_period(built).items():
        spend[(channel, campaign) if by_campaign else (channel,)] += amount
    keys = set(credits) | {(*pair, *spent) for pair in pairs for spent in spend}
    return {
        key: (
            credits[key][0] if key in credits else 0.0,
            math.fsum(credits[key][1] if key in credits else []) if has_value[key[0]] else None,
            spend.get(key[2:], 0.0),
        )
        for key in keys
    }


@pytest.mark.parametrize("by_campaign", [True, False], ids=["by_campaign", "by_channel"])
def test_attribution_reports_are_recomputed_from_the_credits_and_the_spend(built: BuiltProject, by_campaign: bool):
    expected = expected_reports(built, by_campaign)
    model, keys = ("campaign", "channel, campaign") if by_campaign else ("channel", "channel")
    report = {
        tuple(row[:-5]): row[-5:]
        for row in built.rows(
            f"select conversion_name, model, {keys}, {REPORT_COLUMNS} from journeys.rpt_attribution_by_{model}"
        )
    }
    assert set(report) == set(expected)
    assert any(spend for _, _, spend in expected.values())
    for key, (conversions, value, spend) in expected.items():
        actual = report[key]
        assert close(actual[0], conversions) and close(actual[1], value) and close(actual[2], spend), key
        assert close(actual[3], spend / conversions if conversions > 0 else None), key
        assert close(actual[4], value / spend if spend > 0 and value is not None else None), key


def test_each_model_hands_out_one_conversion_per_conversion(built: BuiltProject):
    conversions = dict(
        built.rows("select conversion_name, count(*) from journeys.fct_conversions group by conversion_name")
    )
    totals = built.rows(
        "select conversion_name, model, sum(conversions) from journeys.rpt_attribution_by_channel "
        "group by conversion_name, model"
    )
    assert {name for name, _, _ in totals} == {"order", "signup"} == set(conversions)
    assert len(totals) == 2 * 10
    for name, model, total in totals:
        assert close(total, float(conversions[name])), (name, model)


def test_reports_without_the_spend_source_read_no_spend(built: BuiltProject):
    """The sample's build leaves the ad spend source off: its staging model is empty and every spend column NULL."""
    assert built.rows("select count(*) from journeys_sample.stg_marketing__ad_spend") == [(0,)]
    for model in ("rpt_attribution_by_channel", "rpt_attribution_by_campaign"):
        spent = built.rows(
            f"select count(*) from journeys_sample.{model} "
            "where spend is not null or cost_per_conversion is not null or roas is not null"
        )
        assert spent == [(0,)], model


@pytest.fixture
def scratch_schema(built: BuiltProject) -> Iterator[BuiltProject]:
    """The build of one engine, with models written to a throwaway schema for the duration of a test."""
    built.use_schema("journeys_spend_errors")
    yield built
    built.use_schema("journeys")


def test_an_enabled_spend_source_without_its_table_names_the_table_and_the_vars(scratch_schema: BuiltProject):
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["run", "--select", "stg_marketing__ad_spend"],
            {**BUILD_VARS, "journeys__ad_spend_table": "no_such_spend"},
        )
    message = str(failure.value)
    schema, _ = ad_spend_location()
    assert "the ad spend table" in message and schema in message and "no_such_spend" in message
    assert "journeys__ad_spend_schema" in message and "journeys__ad_spend_enabled" in message


def test_a_bad_spend_row_fails_a_data_test_naming_it(built_duckdb: BuiltProject):
    """Spend loaded as text: an unparseable date, an unknown channel and a negative amount each fail a test of
    stg_marketing__ad_spend (so `dbt build` stops before the reports), rather than dropping out of them."""
    bad = pa.table(
        {
            "date": ["2026-01-05", "2026-01-32", "2026-01-06", "2026-01-07"],
            "channel": ["Paid Search", "Paid Search", "Paid Serch", "Paid Social"],
            "campaign": ["brand_search", "brand_search", "brand_search", "winter_sale"],
            "spend": ["12.50", "3", "4", "-1"],
        }
    )
    built_duckdb.warehouse.load_table("marketing_bad", "ad_spend", bad)
    built_duckdb.use_schema("journeys_spend_errors")
    try:
        with pytest.raises(DbtFailure) as failure:
            built_duckdb.dbt.invoke(
                ["build", "--select", "channel_rules", "stg_marketing__ad_spend"],
                {**BUILD_VARS, "journeys__ad_spend_schema": "marketing_bad"},
            )
        rows = built_duckdb.rows("select count(*), sum(spend) from journeys_spend_errors.stg_marketing__ad_spend")
    finally:
        built_duckdb.use_schema("journeys")
    # the failure lists the failed nodes only, each by name
    message = str(failure.value)
    assert "not_null_stg_marketing__ad_spend_spend_date" in message
    assert "relationships_stg_marketing__ad_spend_channel" in message
    assert "stg_marketing__ad_spend_spend_is_not_negative" in message
    assert "not_null_stg_marketing__ad_spend_spend." not in message
    assert rows == [(4, 18.5)]


def test_demo_summary_prints_attribution_by_channel_for_three_models(built: BuiltProject):
    from journeys_tools.summary import attribution_reports

    summary = "\n".join(
        attribution_reports({"rpt_attribution_by_channel": "journeys.rpt_attribution_by_channel"}, built.warehouse)
    )
    assert "Orders by channel: last_touch, linear, markov (rpt_attribution_by_channel)" in summary
    assert "Signups by channel: last_touch, linear, markov (rpt_attribution_by_channel)" in summary
    assert "Paid Search" in summary and "ROAS" in summary
