"""The experiment marts (fct_experiment_exposures, fct_experiment_unit_metrics, fct_experiment_results and the two
experiment reports) against an independent computation.

Everything expected is worked out here in plain Python, numpy and scipy, never from the SQL:

- the statistics from the formulas of models/marts/experiments/_experiments__docs.md (GrowthBook's definitions:
  Welch's t with Welch-Satterthwaite degrees of freedom, the delta method for relative lifts, CUPED with a pooled
  theta), with scipy's t distribution, on hand-made sufficient statistics run through macro experiment_comparisons;
- the exposures, units and metric values from the generator's truth: its exposure rows are the kept rows of the
  experiment's exposure events (Segment's Experiment Viewed track, a Snowplow page view of the experiment's page),
  their variant the truth assignment (for a person seen in two variants, every second exposure in time order
  shows the next variant), their person the one the project's identity rules give the row's session
  (tests/test_journeys.py's `derive`), and the metrics are counted from the truth tables (signups, orders,
  milestones, sessions, page views) mapped the same way.

The truth's `experiment_assignments` is one row per truth person, the project's unit the stitched person: a truth
person who also browses on a device that never logs in is two of the project's persons (nothing in the data joins
that device to them). So the truth table is compared with the project's exposures summed up per truth person, and
the project's rows one for one with the exposures re-derived at the stitched person from the truth's events.
"""

from __future__ import annotations

import contextlib
import math
import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
import yaml
from scipy import stats

from journeys_tools.generator import GeneratedData, GeneratorConfig, generate
from journeys_tools.generator.catalog import EXPERIMENTS, FEATURE_FLAG, OPTIMIZELY_SUMMARY, PAGES
from journeys_tools.project import DbtFailure, DbtProject, copy_project, prepare_profiles
from journeys_tools.warehouse import make_warehouse
from tests.conftest import REPO_ROOT, BuiltProject
from tests.conftest import close as numbers_close
from tests.test_error_messages import scratch_schema  # noqa: F401 (the fixture)
from tests.test_journeys import JOURNEY_COLUMNS, Journeys, ProjectIds, expected, ids, read_seed, utc_naive  # noqa: F401 (fixtures)

with (REPO_ROOT / "dbt_project.yml").open() as _handle:
    PROJECT_VARS = yaml.safe_load(_handle)["vars"]
WINDOW_DAYS = PROJECT_VARS["journeys__experiment_window_days"]
CONFIDENCE_LEVEL = PROJECT_VARS["journeys__experiment_confidence_level"]
SRM_THRESHOLD = PROJECT_VARS["journeys__experiment_srm_threshold"]
STATISTICS_TOLERANCE = 1e-6  # relative, and absolute for values below 1 (the distribution macros are good to 1e-7)
SNOWPLOW_SOURCE_SYSTEMS = {OPTIMIZELY_SUMMARY: "snowplow_optimizely", FEATURE_FLAG: "snowplow_feature_flag"}
EXPERIMENT_OF_PAGE = {PAGES[experiment.path][0]: experiment for experiment in EXPERIMENTS}
RESULT_STATISTICS = (
    "mean",
    "variance",
    "absolute_lift",
    "absolute_lift_ci_lower",
    "absolute_lift_ci_upper",
    "relative_lift",
    "relative_lift_ci_lower",
    "relative_lift_ci_upper",
    "p_value",
    "absolute_p_value",
    "degrees_of_freedom",
    "cuped_theta",
    "cuped_absolute_lift",
    "cuped_absolute_lift_ci_lower",
    "cuped_absolute_lift_ci_upper",
    "cuped_relative_lift",
    "cuped_relative_lift_ci_lower",
    "cuped_relative_lift_ci_upper",
    "cuped_p_value",
    "cuped_absolute_p_value",
)


def close(actual: Any, wanted: Any, tolerance: float = STATISTICS_TOLERANCE) -> bool:
    """Both NULL, or numbers within `tolerance` (relative, absolute below 1); by default the statistics' tolerance."""
    return numbers_close(actual, wanted, tolerance)


def assert_report_rows_equal(actual: dict[Any, tuple[Any, ...]], wanted: dict[Any, tuple[Any, ...]]) -> None:
    """A report's rows by key equal their recomputation: the same keys, every value within 1e-9 or both NULL."""
    assert set(actual) == set(wanted)
    differ = [
        (key, actual[key], value)
        for key, value in wanted.items()
        if not all(close(a, e, 1e-9) for a, e in zip(actual[key], value, strict=True))
    ]
    assert not differ, f"{len(differ)} rows differ (key, actual, expected), e.g. {differ[:3]}"


# ---------------------------------------------------------------------------------------------------------------
# 1. the statistics, from the docs' formulas, on hand-made sufficient statistics


@dataclass(frozen=True)
class Sums:
    """One row of experiment_comparisons' input: a variant's sufficient statistics."""

    experiment_id: str
    variant: str
    is_control: bool
    metric: str
    metric_type: str
    units: int
    metric_sum: float
    metric_sum_squares: float
    pre_period_sum: float = 0.0
    pre_period_sum_squares: float = 0.0
    sum_of_products: float = 0.0
    dimension: str = "all"
    dimension_value: str = "all"

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.experiment_id, self.variant, self.metric, self.dimension, self.dimension_value)

    @property
    def group(self) -> tuple[str, str, str, str]:
        return (self.experiment_id, self.metric, self.dimension, self.dimension_value)


def continuous(n: int, mean: float, variance: float, pre_mean: float, pre_variance: float, covariance: float):
    """The sums of n units with these sample moments (divided by n - 1), for a continuous metric's row."""
    s, pre_s = n * mean, n * pre_mean
    return {
        "units": n,
        "metric_sum": s,
        "metric_sum_squares": (n - 1) * variance + s * s / n,
        "pre_period_sum": pre_s,
        "pre_period_sum_squares": (n - 1) * pre_variance + pre_s * pre_s / n,
        "sum_of_products": (n - 1) * covariance + s * pre_s / n,
    }


def binary(n: int, converted: int, converted_before: int, both: int):
    """The sums of a binary metric's row: n units, how many converted in the window, before it, and in both."""
    return {
        "units": n,
        "metric_sum": converted,
        "metric_sum_squares": converted,
        "pre_period_sum": converted_before,
        "pre_period_sum_squares": converted_before,
        "sum_of_products": both,
    }


HAND_MADE = [
    # (a) proportions 50/1000 against 65/1000; no pre-period conversions: theta 0, CUPED equals the plain figures
    Sums("a_proportions", "control", True, "signup", "binary", **binary(1000, 50, 0, 0)),
    Sums("a_proportions", "treatment", False, "signup", "binary", **binary(1000, 65, 0, 0)),
    # the same experiment broken down: each breakdown value has its own control
    Sums("a_proportions", "control", True, "signup", "binary", **binary(400, 30, 0, 0), dimension="country",
         dimension_value="DE"),
    Sums("a_proportions", "treatment", False, "signup", "binary", **binary(380, 19, 0, 0), dimension="country",
         dimension_value="DE"),
    # (b) a continuous metric, unequal variances and unequal n (Welch-Satterthwaite far from n_a + n_b - 2), two
    # variants against one control
    Sums("b_welch", "control", True, "revenue", "continuous", **continuous(40, 10.0, 100.0, 9.5, 5.0, 1.0)),
    Sums("b_welch", "v1", False, "revenue", "continuous", **continuous(120, 11.5, 4.0, 9.8, 90.0, 5.0)),
    Sums("b_welch", "v2", False, "revenue", "continuous", **continuous(75, 9.0, 30.0, 9.9, 25.0, -6.0)),
    # (c) CUPED: a continuous metric strongly correlated with its pre-period, and a binary one
    Sums("c_cuped", "control", True, "page_views", "continuous", **continuous(200, 5.0, 9.0, 4.8, 8.0, 7.0)),
    Sums("c_cuped", "treatment", False, "page_views", "continuous", **continuous(210, 5.6, 10.0, 4.9, 8.5, 8.0)),
    Sums("c_cuped", "control", True, "order", "binary", **binary(500, 100, 90, 60)),
    Sums("c_cuped", "treatment", False, "order", "binary", **binary(520, 130, 95, 70)),
    # (d) a control mean of 0: no relative figures (NULL), the absolute ones still computed
    Sums("d_zero_control", "control", True, "orders", "continuous", units=30, metric_sum=0, metric_sum_squares=0,
         pre_period_sum=6, pre_period_sum_squares=10, sum_of_products=0),
    Sums("d_zero_control", "treatment", False, "orders", "continuous", units=30, metric_sum=12,
         metric_sum_squares=20, pre_period_sum=9, pre_period_sum_squares=15, sum_of_products=8),
    Sums("d_zero_control", "control", True, "order", "binary", **binary(300, 0, 3, 0)),
    Sums("d_zero_control", "treatment", False, "order", "binary", **binary(300, 4, 2, 1)),
    # (e) a variant of one unit: its variance is 0 and it has no degrees of freedom, so no interval or p-value
    Sums("e_one_unit", "control", True, "revenue", "continuous", **continuous(50, 20.0, 16.0, 19.0, 15.0, 5.0)),
    Sums("e_one_unit", "treatment", False, "revenue", "continuous", units=1, metric_sum=7, metric_sum_squares=49,
         pre_period_sum=3, pre_period_sum_squares=9, sum_of_products=21),
]  # fmt: skip


@dataclass
class Group:
    """A group's moments as the docs define them."""

    n: float
    mean: float
    variance: float
    pre_mean: float
    pre_variance: float
    covariance: float


def moments(row: Sums) -> Group:
    """Mean; variance m(1 - m) for a binary metric, (ss - s^2/n)/(n - 1) otherwise (0 for one unit); the
    pre-period's and the covariance by the same rule (a binary metric's divide by n)."""
    n = float(row.units)
    mean, pre_mean = row.metric_sum / n, row.pre_period_sum / n
    if row.metric_type == "binary":
        return Group(
            n,
            mean,
            mean * (1 - mean),
            pre_mean,
            pre_mean * (1 - pre_mean),
            row.sum_of_products / n - mean * pre_mean,
        )
    if n < 2:
        return Group(n, mean, 0.0, pre_mean, 0.0, 0.0)
    return Group(
        n,
        mean,
        (row.metric_sum_squares - row.metric_sum**2 / n) / (n - 1),
        pre_mean,
        (row.pre_period_sum_squares - row.pre_period_sum**2 / n) / (n - 1),
        (row.sum_of_products - row.metric_sum * row.pre_period_sum / n) / (n - 1),
    )


def pooled_theta(control: Sums, variant: Sums) -> float:
    """cov(y, x) / var(x) over the pooled units of both groups; 0 when either pooled variance is 0 (dividing by n
    or n - 1 gives the same ratio)."""
    n = control.units + variant.units
    s = control.metric_sum + variant.metric_sum
    ss = control.metric_sum_squares + variant.metric_sum_squares
    xs = control.pre_period_sum + variant.pre_period_sum
    xss = control.pre_period_sum_squares + variant.pre_period_sum_squares
    sp = control.sum_of_products + variant.sum_of_products
    divisor = n if control.metric_type == "binary" else n - 1
    variance_y = (ss - s * s / n) / divisor
    variance_x = (xss - xs * xs / n) / divisor
    covariance = (sp - s * xs / n) / divisor
    return covariance / variance_x if variance_x > 0 and variance_y > 0 else 0.0


def welch_dof(variance_b: float, n_b: float, variance_a: float, n_a: float) -> float | None:
    """Welch-Satterthwaite; NULL for a group of one unit (no degrees of freedom) or no variance at all."""
    if n_a < 2 or n_b < 2:
        return None
    b, a = variance_b / n_b, variance_a / n_a
    if b + a <= 0:
        return None
    return (b + a) ** 2 / (b * b / (n_b - 1) + a * a / (n_a - 1))


def t_figures(estimate: float | None, variance: float | None, dof: float | None, level: float):
    """(lower, upper, two-sided p) of an estimate: estimate +- t(1 - (1 - level)/2, df) * se, 2 T(-|est/se|, df)."""
    if estimate is None or variance is None or dof is None or not variance > 0:
        return None, None, None
    se = math.sqrt(variance)
    critical = stats.t.ppf(1 - (1 - level) / 2, dof)
    return estimate - critical * se, estimate + critical * se, 2 * stats.t.cdf(-abs(estimate / se), dof)


def expected_comparison(row: Sums, control: Sums, level: float) -> dict[str, Any]:
    """Every statistic of experiment_comparisons for `row` against `control`, from the docs."""
    g = moments(row)
    figures: dict[str, Any] = {"units": row.units, "mean": g.mean, "variance": g.variance}
    if row.is_control:
        return figures | {name: None for name in RESULT_STATISTICS[2:]}
    a = moments(control)
    difference = g.mean - a.mean
    difference_variance = g.variance / g.n + a.variance / a.n
    dof = welch_dof(g.variance, g.n, a.variance, a.n)
    lower, upper, absolute_p = t_figures(difference, difference_variance, dof, level)
    relative = relative_variance = None
    if a.mean != 0:
        relative = difference / a.mean
        relative_variance = g.variance / (a.mean**2 * g.n) + a.variance * g.mean**2 / (a.mean**4 * a.n)
    relative_lower, relative_upper, relative_p = t_figures(relative, relative_variance, dof, level)

    theta = pooled_theta(control, row)
    adjusted_b = g.variance + theta**2 * g.pre_variance - 2 * theta * g.covariance
    adjusted_a = a.variance + theta**2 * a.pre_variance - 2 * theta * a.covariance
    cuped_difference = (g.mean - theta * g.pre_mean) - (a.mean - theta * a.pre_mean)
    cuped_variance = adjusted_b / g.n + adjusted_a / a.n
    cuped_dof = welch_dof(adjusted_b, g.n, adjusted_a, a.n)
    cuped_lower, cuped_upper, cuped_absolute_p = t_figures(cuped_difference, cuped_variance, cuped_dof, level)
    cuped_relative = cuped_relative_variance = None
    if a.mean != 0:
        cuped_relative = cuped_difference / a.mean
        cuped_relative_variance = (
            cuped_variance / a.mean**2
            + cuped_difference**2 * a.variance / (a.n * a.mean**4)
            + 2 * cuped_difference * (a.variance - theta * a.covariance) / (a.n * a.mean**3)
        )
    cuped_relative_lower, cuped_relative_upper, cuped_p = t_figures(
        cuped_relative, cuped_relative_variance, cuped_dof, level
    )
    return figures | {
        "absolute_lift": difference,
        "absolute_lift_ci_lower": lower,
        "absolute_lift_ci_upper": upper,
        "relative_lift": relative,
        "relative_lift_ci_lower": relative_lower,
        "relative_lift_ci_upper": relative_upper,
        "p_value": relative_p,
        "absolute_p_value": absolute_p,
        "degrees_of_freedom": dof,
        "cuped_theta": theta,
        "cuped_absolute_lift": cuped_difference,
        "cuped_absolute_lift_ci_lower": cuped_lower,
        "cuped_absolute_lift_ci_upper": cuped_upper,
        "cuped_relative_lift": cuped_relative,
        "cuped_relative_lift_ci_lower": cuped_relative_lower,
        "cuped_relative_lift_ci_upper": cuped_relative_upper,
        "cuped_p_value": cuped_p,
        "cuped_absolute_p_value": cuped_absolute_p,
    }


def expected_comparisons(rows: list[Sums], level: float) -> dict[tuple[str, ...], dict[str, Any]]:
    controls = {row.group: row for row in rows if row.is_control}
    return {row.key: expected_comparison(row, controls[row.group], level) for row in rows}


def test_expected_statistics_reproduce_textbook_values():
    """The oracle itself, on figures worked by hand: Welch's df for (b)'s v1, and the two-proportion case (a)."""
    control, treatment = HAND_MADE[0], HAND_MADE[1]
    worked = expected_comparison(treatment, control, 0.95)
    se = math.sqrt(0.065 * 0.935 / 1000 + 0.05 * 0.95 / 1000)
    assert close(worked["absolute_lift"], 0.015)
    assert close(worked["absolute_p_value"], 2 * stats.t.sf(0.015 / se, worked["degrees_of_freedom"]))
    assert close(worked["relative_lift"], 0.3)
    assert worked["cuped_theta"] == 0.0 and close(worked["cuped_absolute_lift"], worked["absolute_lift"])
    welch = expected_comparison(HAND_MADE[5], HAND_MADE[4], 0.95)
    # Welch-Satterthwaite for variances 4 (n 120) and 100 (n 40)
    assert close(welch["degrees_of_freedom"], (4 / 120 + 100 / 40) ** 2 / ((4 / 120) ** 2 / 119 + 2.5**2 / 39))
    # and scipy's own Welch test on two samples with exactly these moments agrees with the p-value
    sample_a, sample_b = np.tile([-1.0, 1.0], 20), np.tile([-1.0, 1.0], 60)
    sample_a = 10 + sample_a * math.sqrt(100 / sample_a.var(ddof=1))
    sample_b = 11.5 + sample_b * math.sqrt(4 / sample_b.var(ddof=1))
    assert close(stats.ttest_ind(sample_b, sample_a, equal_var=False).pvalue, welch["absolute_p_value"])


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return f"cast({float(value)!r} as {{{{ dbt.type_float() }}}})"


def hand_made_sql(rows: list[Sums], levels: tuple[float, ...]) -> str:
    """`with hand_made as (<the rows>) select <level>, results.* from (<the macro's select>) as results` for each
    level, united: the macro's output begins with its own `with`, so it runs as a subquery."""
    columns = (
        "experiment_id", "variant", "is_control", "metric", "metric_type", "dimension", "dimension_value",
    )  # fmt: skip
    sums = ("metric_sum", "metric_sum_squares", "pre_period_sum", "pre_period_sum_squares", "sum_of_products")
    selects = []
    for row in rows:
        values = [f"{_literal(getattr(row, c))} as {c}" for c in columns]
        values.append(f"cast({row.units} as {{{{ dbt.type_bigint() }}}}) as units")
        values += [f"{_literal(getattr(row, c))} as {c}" for c in sums]
        selects.append("select " + ", ".join(values))
    body = "\nunion all\n".join(selects)
    results = "\nunion all\n".join(
        f"select cast({level!r} as {{{{ dbt.type_float() }}}}) as confidence_level, results.* from (\n"
        f"{{{{ journeys.experiment_comparisons('hand_made', {level!r}) }}}}\n) as results"
        for level in levels
    )
    return f"with hand_made as (\n{body}\n)\n{results}"


HAND_MADE_LEVELS = (CONFIDENCE_LEVEL, 0.9)


def hand_made_levels(engine: str) -> tuple[float, ...]:
    """Spark plans the statistics slowly (the t quantile is a long expression: some 110 s for one level's rows on
    this machine), so it runs the default level only."""
    return HAND_MADE_LEVELS[:1] if engine == "spark" else HAND_MADE_LEVELS


@pytest.fixture(scope="module")
def hand_made_results(built: BuiltProject) -> dict[tuple[Any, ...], dict[str, Any]]:
    """experiment_comparisons on the hand-made rows, one `dbt show` per engine, keyed by (level, row key)."""
    levels = hand_made_levels(built.engine)
    sql = hand_made_sql(HAND_MADE, levels)
    result = built.dbt.invoke(["show", "--inline", sql, "--limit", str(len(HAND_MADE) * len(levels) + 1)])
    table = result.results[0].agate_table
    rows = [dict(zip(table.column_names, row, strict=True)) for row in table.rows]
    assert len(rows) == len(HAND_MADE) * len(levels), "experiment_comparisons gives one row per input row"
    keyed = {}
    for row in rows:
        key = (round(float(row["confidence_level"]), 6), row["experiment_id"], row["variant"], row["metric"],
               row["dimension"], row["dimension_value"])  # fmt: skip
        keyed[key] = row
    assert len(keyed) == len(rows)
    return keyed


@pytest.mark.parametrize("level", HAND_MADE_LEVELS)
@pytest.mark.parametrize("row", HAND_MADE, ids=lambda row: "-".join(row.key[:3] + row.key[4:]))
def test_experiment_comparisons_equal_the_documented_formulas(
    built: BuiltProject, hand_made_results: dict[tuple[Any, ...], dict[str, Any]], row: Sums, level: float
):
    """Every statistic of the macro, on every engine, equals the docs' formula computed with scipy (1e-6)."""
    if level not in hand_made_levels(built.engine):
        pytest.skip(f"{built.engine} runs the default confidence level only")
    actual = hand_made_results[(round(level, 6), *row.key)]
    wanted = expected_comparisons(HAND_MADE, level)[row.key]
    passed_through = ("experiment_id", "variant", "is_control", "metric", "metric_type", "dimension",
                      "dimension_value", "units", "metric_sum", "metric_sum_squares")  # fmt: skip
    assert set(actual) == {"confidence_level", *passed_through, *RESULT_STATISTICS}, "the macro's columns"
    assert (*(actual[name] for name in passed_through[:7]), int(actual["units"])) == (*row.key[:2], row.is_control,
        row.metric, row.metric_type, *row.key[3:], row.units)  # fmt: skip
    assert close(actual["metric_sum"], row.metric_sum) and close(actual["metric_sum_squares"], row.metric_sum_squares)
    differ = {name: (actual[name], wanted[name]) for name in RESULT_STATISTICS if not close(actual[name], wanted[name])}
    assert not differ, f"(actual, expected) of the columns that differ: {differ}"


def test_hand_made_cases_cover_what_they_are_named_for():
    """The hand-made rows are the cases the brief names, so the comparison above is not vacuous."""
    figures = expected_comparisons(HAND_MADE, CONFIDENCE_LEVEL)
    welch = figures[("b_welch", "v1", "revenue", "all", "all")]
    assert welch["degrees_of_freedom"] < 0.5 * (120 + 40 - 2), "(b) Welch's df well below the pooled n - 2"
    cuped = figures[("c_cuped", "treatment", "page_views", "all", "all")]
    assert cuped["cuped_theta"] > 0.5
    assert (cuped["cuped_absolute_lift_ci_upper"] - cuped["cuped_absolute_lift_ci_lower"]) < 0.7 * (
        cuped["absolute_lift_ci_upper"] - cuped["absolute_lift_ci_lower"]
    ), "(c) CUPED narrows the interval"
    assert figures[("c_cuped", "treatment", "order", "all", "all")]["cuped_theta"] > 0, "(c) a binary CUPED"
    zero = figures[("d_zero_control", "treatment", "orders", "all", "all")]
    assert zero["relative_lift"] is None and zero["p_value"] is None and zero["absolute_p_value"] is not None
    one = figures[("e_one_unit", "treatment", "revenue", "all", "all")]
    assert one["degrees_of_freedom"] is None and one["absolute_lift"] is not None


# ---------------------------------------------------------------------------------------------------------------
# the truth of the generated data, at the stitched person


@dataclass
class Unit:
    """A (stitched person, experiment) exposed, re-derived from the truth."""

    experiment_id: str
    person: str  # the expected person (test_journeys' identity rules)
    truth_person: str
    exposures: list[dict[str, Any]] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)

    @property
    def first(self) -> dict[str, Any]:
        return self.exposures[0]

    @property
    def first_exposed_at(self) -> datetime:
        return self.first["event_at"]

    @property
    def variant(self) -> str:
        return self.variants[0]

    @property
    def is_multiple_variants(self) -> bool:
        return len(set(self.variants)) > 1


@dataclass
class ExperimentTruth:
    units: dict[tuple[str, str], Unit]  # (experiment, expected person)
    assignments: dict[tuple[str, str], dict[str, Any]]  # (truth person, experiment)
    truth_person_of: dict[str, str]  # expected person -> truth person
    journeys: Journeys


def exposure_experiment(event: dict[str, Any]) -> str | None:
    """The experiment a kept truth event exposes: an Experiment Viewed track (Segment) or a page view (Snowplow)
    of the experiment's page; the truth events name the page, not the experiment."""
    experiment = EXPERIMENT_OF_PAGE.get(event["page_path"])
    if experiment is None or event["expected_outcome"] != "kept":
        return None
    if event["source"] == "segment":
        return experiment.experiment_id if event["event_name"] == "experiment_viewed" else None
    return experiment.experiment_id if event["event_type"] == "page_view" else None


def derive_experiments(truth: dict[str, pa.Table], journeys: Journeys) -> ExperimentTruth:
    assignments = {(r["person_id"], r["experiment_id"]): r for r in truth["experiment_assignments"].to_pylist()}
    variants_of = {experiment.experiment_id: experiment.variants for experiment in EXPERIMENTS}
    by_truth_person: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for event in truth["events"].to_pylist():
        experiment = exposure_experiment(event)
        if experiment is not None:
            by_truth_person[(event["person_id"], experiment)].append({k: utc_naive(v) for k, v in event.items()})
    assert set(by_truth_person) == set(assignments), "the exposure rows re-derived are not the truth's"
    units: dict[tuple[str, str], Unit] = {}
    for (truth_person, experiment), events in by_truth_person.items():
        assignment = assignments[(truth_person, experiment)]
        variants = variants_of[experiment]
        events.sort(key=lambda e: (e["event_at"], e["event_id"]))
        for rank, event in enumerate(events):
            variant = assignment["variant"]
            if assignment["is_multi_variant"] and rank % 2 == 1:
                variant = variants[(variants.index(variant) + 1) % len(variants)]
            person = journeys.session_person[event["session_id"]]
            unit = units.setdefault((experiment, person), Unit(experiment, person, truth_person))
            unit.exposures.append(event)
            unit.variants.append(variant)
    devices = {row["device_id"]: row["person_id"] for row in truth["devices"].to_pylist()}
    truth_person_of = {
        person: devices[person.removeprefix("device:")] if person.startswith("device:") else person
        for person in set(journeys.session_person.values())
    }
    for unit in units.values():
        assert truth_person_of[unit.person] == unit.truth_person
    return ExperimentTruth(units, assignments, truth_person_of, journeys)


@pytest.fixture(scope="module")
def experiment_truth(truth: dict[str, pa.Table], expected: Journeys) -> ExperimentTruth:  # noqa: F811
    return derive_experiments(truth, expected)


def source_system(event: dict[str, Any]) -> str:
    if event["source"] == "segment":
        return "segment"
    experiment = next(e for e in EXPERIMENTS if PAGES[e.path][0] == event["page_path"])
    return SNOWPLOW_SOURCE_SYSTEMS[experiment.snowplow_context]


def analysed(experiment_truth: ExperimentTruth) -> list[Unit]:
    return [unit for unit in experiment_truth.units.values() if not unit.is_multiple_variants]


# ---------------------------------------------------------------------------------------------------------------
# 4a-c. exposures and units against the truth

EXPOSURE_COLUMNS = (
    "variant",
    "is_multiple_variants",
    "variant_count",
    "first_exposed_at",
    "exposure_count",
    "source_system",
    "exposure_session_id",
    "exposure_event_id",
    "device_class",
    "country",
    "channel",
)


def _exposures(built: BuiltProject, project_ids: ProjectIds) -> dict[tuple[str, str], dict[str, Any]]:
    rows = built.rows(
        f"select experiment_id, person_id, {', '.join(EXPOSURE_COLUMNS)} from journeys.fct_experiment_exposures"
    )
    keyed = {}
    for experiment, person, *values in rows:
        row = dict(zip(EXPOSURE_COLUMNS, values, strict=True))
        row["first_exposed_at"] = utc_naive(row["first_exposed_at"])
        row["exposure_session_id"] = project_ids.sessions(row["exposure_session_id"])
        keyed[(experiment, project_ids.persons(person))] = row
    assert len(keyed) == len(rows), "two of the project's persons are one expected person"
    return keyed


def test_exposures_summed_per_truth_person_equal_the_truth_assignments(
    built: BuiltProject,
    ids: ProjectIds,  # noqa: F811 (the fixture)
    experiment_truth: ExperimentTruth,
):
    """The truth's experiment_assignments, one row per truth (person, experiment), against the project's exposures
    of all the stitched persons of that truth person: the earliest is the truth's first exposure (time, source,
    anonymous or not), the counts add up to the truth's, every row shows the truth's variant unless the truth
    person is seen in two."""
    exposures = _exposures(built, ids)
    grouped: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for (experiment, person), row in exposures.items():
        grouped[(experiment_truth.truth_person_of[person], experiment)].append((person, row))
    assert set(grouped) == set(experiment_truth.assignments)
    events = experiment_truth.journeys.events
    problems = []
    for key, truth_row in experiment_truth.assignments.items():
        rows = sorted(grouped[key], key=lambda pr: (pr[1]["first_exposed_at"], pr[1]["exposure_event_id"]))
        first = rows[0][1]
        first_event = events[first["exposure_event_id"]]
        actual = (
            first["first_exposed_at"],
            sum(row["exposure_count"] for _, row in rows),
            "segment" if first["source_system"] == "segment" else "snowplow",
            first_event["user_id"] is None,
            first["variant"],
        )
        wanted = (
            utc_naive(truth_row["first_exposed_at"]),
            truth_row["exposure_count"],
            truth_row["first_source_system"],
            truth_row["is_anonymous_at_exposure"],
            truth_row["variant"],
        )
        if actual != wanted:
            problems.append((key, actual, wanted))
        if not truth_row["is_multi_variant"]:
            others = [(p, row["variant"], row["is_multiple_variants"]) for p, row in rows]
            if any(variant != truth_row["variant"] or multi for _, variant, multi in others):
                problems.append((key, "variants", others, truth_row["variant"]))
        elif len(rows) == 1 and not first["is_multiple_variants"]:
            problems.append((key, "not flagged as seen in several variants"))
    assert not problems, f"{len(problems)} of {len(experiment_truth.assignments)} differ, e.g. {problems[:4]}"


def test_exposures_equal_the_truth_at_the_stitched_person(
    built: BuiltProject,
    ids: ProjectIds,  # noqa: F811 (the fixture)
    experiment_truth: ExperimentTruth,
):
    """One row per stitched person and experiment exposed, every column as re-derived from the truth."""
    actual = _exposures(built, ids)
    journey_columns = experiment_truth.journeys.journeys
    channel_index = JOURNEY_COLUMNS.index("first_touch_channel")
    wanted = {}
    for key, unit in experiment_truth.units.items():
        first = unit.first
        wanted[key] = {
            "variant": unit.variant,
            "is_multiple_variants": unit.is_multiple_variants,
            "variant_count": len(set(unit.variants)),
            "first_exposed_at": unit.first_exposed_at,
            "exposure_count": len(unit.exposures),
            "source_system": source_system(first),
            "exposure_session_id": first["session_id"],
            "exposure_event_id": first["event_id"],
            "device_class": first["device_class"],
            "country": first["country"],
            "channel": journey_columns[unit.person][channel_index],
        }
    only_actual, only_expected = sorted(set(actual) - set(wanted)), sorted(set(wanted) - set(actual))
    assert not (only_actual or only_expected), (
        f"{len(only_actual)} only in the mart, e.g. {only_actual[:3]}; {len(only_expected)} only expected, "
        f"e.g. {only_expected[:3]}"
    )
    by_column: dict[str, list[Any]] = defaultdict(list)
    for key in wanted:
        for name in EXPOSURE_COLUMNS:
            if actual[key][name] != wanted[key][name]:
                by_column[name].append((key, actual[key][name], wanted[key][name]))
    summary = {
        name: f"{len(found)} rows, e.g. (key, actual, expected) {found[:2]}" for name, found in by_column.items()
    }
    assert not by_column, f"columns that differ: {summary}"


def test_truth_has_the_exposure_cases_that_matter(experiment_truth: ExperimentTruth):
    """Persons anonymous at exposure, exposed before signup, seen in two variants, exposed on both trackers and
    split over two stitched persons all occur, so the comparisons above are not vacuous."""
    assignments = list(experiment_truth.assignments.values())
    assert any(row["is_anonymous_at_exposure"] and row["is_exposed_before_signup"] for row in assignments)
    assert any(row["is_multi_variant"] for row in assignments)
    assert {row["first_source_system"] for row in assignments} == {"segment", "snowplow"}
    assert any(len({e["source"] for e in unit.exposures}) == 2 for unit in experiment_truth.units.values())
    assert len(experiment_truth.units) > len(experiment_truth.assignments), "no truth person split: a weak check"


def test_units_per_variant_equal_the_truth(built: BuiltProject, experiment_truth: ExperimentTruth):
    """The split: units per variant (persons seen in several variants left out) in the exposures, the unit
    metrics and the results equal the truth's."""
    wanted = Counter((unit.experiment_id, unit.variant) for unit in analysed(experiment_truth))
    exposures = Counter(
        dict(
            ((experiment, variant), count)
            for experiment, variant, count in built.rows(
                "select experiment_id, variant, count(*) from journeys.fct_experiment_exposures "
                "where not is_multiple_variants group by experiment_id, variant"
            )
        )
    )
    metrics = Counter(
        dict(
            ((experiment, variant), count)
            for experiment, variant, count in built.rows(
                "select experiment_id, variant, count(distinct person_id) from journeys.fct_experiment_unit_metrics "
                "group by experiment_id, variant"
            )
        )
    )
    results = {
        (experiment, variant): units
        for experiment, variant, units in built.rows(
            "select distinct experiment_id, variant, units from journeys.fct_experiment_results "
            "where dimension = 'all' and metric = 'signup'"
        )
    }
    assert dict(exposures) == dict(wanted)
    assert dict(metrics) == dict(wanted)
    assert results == dict(wanted)


def test_anonymous_exposures_before_signup_belong_to_the_stitched_person(
    built: BuiltProject,
    ids: ProjectIds,  # noqa: F811 (the fixture)
    experiment_truth: ExperimentTruth,
):
    """A person first exposed on a device not yet logged in, who signs up later, is one unit under their
    stitched (identified) person, and a signup within the window counts: signup metric 1."""
    window = timedelta(days=WINDOW_DAYS)
    signups = experiment_truth.journeys.signups
    cases = [
        unit
        for unit in analysed(experiment_truth)
        if unit.first["user_id"] is None
        and not unit.person.startswith("device:")
        and unit.person in signups
        and unit.first_exposed_at <= signups[unit.person].at < unit.first_exposed_at + window
    ]
    assert len(cases) >= 5, "too few anonymous exposures before a signup in the window: a weak check"
    rows = built.rows(
        "select e.experiment_id, e.person_id, e.first_exposed_at, m.value from journeys.fct_experiment_exposures e "
        "inner join journeys.fct_experiment_unit_metrics m "
        "on e.experiment_id = m.experiment_id and e.person_id = m.person_id and m.metric = 'signup'"
    )
    actual = {(experiment, ids.persons(person)): (utc_naive(at), value) for experiment, person, at, value in rows}
    wrong = [
        (unit.experiment_id, unit.person, actual.get((unit.experiment_id, unit.person)))
        for unit in cases
        if actual.get((unit.experiment_id, unit.person)) != (unit.first_exposed_at, 1.0)
    ]
    assert not wrong, f"{len(wrong)} of {len(cases)} anonymous-then-signed-up units differ, e.g. {wrong[:3]}"


# ---------------------------------------------------------------------------------------------------------------
# 4d. each unit's metric values


def metric_definitions() -> dict[str, str]:
    """Metric name -> type, from the seeds as the docs define them."""
    metrics = {}
    for row in read_seed("conversion_definitions"):
        metrics[row["conversion_name"]] = "binary"
        if row["value_column"]:
            metrics[f"{row['conversion_name']}_value"] = "continuous"
    for row in read_seed("milestone_definitions"):
        metrics[f"milestone_{row['milestone_name']}"] = "binary"
    return metrics | {"sessions": "continuous", "page_views": "continuous", "engaged_seconds": "continuous"}


def person_facts(truth: dict[str, pa.Table], journeys: Journeys) -> dict[str, list[tuple[str, datetime, float]]]:
    """(metric, time, amount) of everything each expected person did, from the truth tables: signups and orders
    (their events' sessions give the person), milestones, sessions and page views with their engaged seconds."""
    person_of_session = journeys.session_person
    person_of_event = {event_id: person_of_session[e["session_id"]] for event_id, e in journeys.events.items()}
    facts: dict[str, list[tuple[str, datetime, float]]] = defaultdict(list)
    for row in truth["signups"].to_pylist():
        facts[person_of_event[row["event_id"]]].append(("signup", utc_naive(row["signed_up_at"]), 1.0))
    for row in truth["orders"].to_pylist():
        person, at = person_of_event[row["event_id"]], utc_naive(row["ordered_at"])
        facts[person] += [("order", at, 1.0), ("order_value", at, float(row["revenue"]))]
    for row in truth["milestones"].to_pylist():
        facts[person_of_event[row["event_id"]]].append(
            (f"milestone_{row['milestone_name']}", utc_naive(row["reached_at"]), 1.0)
        )
    for row in truth["sessions"].to_pylist():
        facts[person_of_session[row["session_id"]]].append(("sessions", utc_naive(row["started_at"]), 1.0))
    for row in truth["page_views"].to_pylist():
        person, at = person_of_session[row["session_id"]], utc_naive(row["page_view_at"])
        facts[person] += [("page_views", at, 1.0), ("engaged_seconds", at, float(row["engaged_seconds"] or 0))]
    return facts


def expected_unit_metrics(
    truth: dict[str, pa.Table], experiment_truth: ExperimentTruth
) -> dict[tuple[str, str, str], tuple[str, str, float, float]]:
    """(experiment, person, metric) -> (variant, metric_type, value, pre_period_value) of every analysed unit:
    what happened in [first exposure, + window) and in [first exposure - window, first exposure)."""
    metrics = metric_definitions()
    facts = person_facts(truth, experiment_truth.journeys)
    window = timedelta(days=WINDOW_DAYS)
    values = {}
    for unit in analysed(experiment_truth):
        start = unit.first_exposed_at
        sums = {metric: [0.0, 0.0] for metric in metrics}
        for metric, at, amount in facts[unit.person]:
            if start <= at < start + window:
                sums[metric][0] += amount
            elif start - window <= at < start:
                sums[metric][1] += amount
        for metric, kind in metrics.items():
            value, before = sums[metric]
            if kind == "binary":
                value, before = float(value > 0), float(before > 0)
            values[(unit.experiment_id, unit.person, metric)] = (unit.variant, kind, value, before)
    return values


def test_unit_metrics_equal_the_truth(
    built: BuiltProject,
    ids: ProjectIds,  # noqa: F811 (the fixture)
    truth: dict[str, pa.Table],
    experiment_truth: ExperimentTruth,
):
    """Every unit's value and pre-period value of every metric equals the one counted from the truth's signups,
    orders, milestones, sessions and page views (exactly; sums of order values and engaged seconds to 1e-9)."""
    rows = built.rows(
        "select experiment_id, person_id, metric, variant, metric_type, value, pre_period_value "
        "from journeys.fct_experiment_unit_metrics"
    )
    actual = {(experiment, ids.persons(person), metric): tuple(rest) for experiment, person, metric, *rest in rows}
    assert len(actual) == len(rows)
    wanted = expected_unit_metrics(truth, experiment_truth)
    assert set(actual) == set(wanted), (
        f"{len(set(actual) - set(wanted))} rows only in the mart, e.g. {sorted(set(actual) - set(wanted))[:3]}; "
        f"{len(set(wanted) - set(actual))} only expected, e.g. {sorted(set(wanted) - set(actual))[:3]}"
    )
    differ: dict[str, list[Any]] = defaultdict(list)
    for key, (variant, kind, value, before) in wanted.items():
        a_variant, a_kind, a_value, a_before = actual[key]
        if (a_variant, a_kind) != (variant, kind) or not (
            close(a_value, value, 1e-9) and close(a_before, before, 1e-9)
        ):
            differ[key[2]].append((key[:2], actual[key], wanted[key]))
    summary = {metric: f"{len(found)} units, e.g. {found[:2]}" for metric, found in differ.items()}
    assert not differ, f"metrics that differ (unit, actual, expected): {summary}"


def test_unit_metrics_cover_the_cases_that_matter(truth: dict[str, pa.Table], experiment_truth: ExperimentTruth):
    """Every metric is non-zero for some unit in the window and in the pre-period (so neither side is vacuous)."""
    wanted = expected_unit_metrics(truth, experiment_truth)
    in_window = {metric for (_, _, metric), (_, _, value, _) in wanted.items() if value}
    before = {metric for (_, _, metric), (_, _, _, pre) in wanted.items() if pre}
    metrics = set(metric_definitions())
    assert in_window == metrics
    assert before >= metrics - {"signup", "milestone_first_project_created", "milestone_first_video_rendered",
                                "milestone_first_video_shared"}  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# 2. SRM


def expected_shares() -> dict[str, dict[str, float]]:
    shares: dict[str, dict[str, float]] = defaultdict(dict)
    for row in read_seed("experiment_definitions"):
        shares[row["experiment_id"]][row["variant"]] = float(row["expected_share"])
    return {experiment: {v: s / sum(split.values()) for v, s in split.items()} for experiment, split in shares.items()}


def srm_p_value(units: dict[str, int], shares: dict[str, float]) -> float:
    """scipy's chi-square goodness of fit over the configured variants; 0 when a variant not configured has units."""
    if any(count > 0 and variant not in shares for variant, count in units.items()):
        return 0.0
    total = sum(units.values())
    observed = [units.get(variant, 0) for variant in shares]
    return float(stats.chisquare(observed, [shares[v] * total for v in shares]).pvalue)


def test_srm_p_value_is_scipys_chi_square_of_the_units_against_the_seeds_split(built: BuiltProject):
    """srm_p_value of every result row of an experiment is scipy's chi-square p-value of its units per variant
    (persons in several variants left out: the non-flagged exposures) against the seed's split; is_srm below the
    threshold."""
    units: dict[str, dict[str, int]] = defaultdict(dict)
    for experiment, variant, count in built.rows(
        "select experiment_id, variant, count(*) from journeys.fct_experiment_exposures "
        "where not is_multiple_variants group by experiment_id, variant"
    ):
        units[experiment][variant] = count
    shares = expected_shares()
    results = built.rows("select distinct experiment_id, srm_p_value, is_srm from journeys.fct_experiment_results")
    assert len(results) == len({row[0] for row in results}), "one SRM figure per experiment"
    assert {row[0] for row in results} == set(units)
    for experiment, p_value, is_srm in results:
        wanted = srm_p_value(units[experiment], shares[experiment])
        assert close(p_value, wanted), (experiment, units[experiment], p_value, wanted)
        assert is_srm == (wanted < SRM_THRESHOLD), experiment


def test_srm_of_the_truths_split_is_no_mismatch(experiment_truth: ExperimentTruth):
    """The generator assigns variants uniformly: the truth's own split passes the SRM check (else the comparison
    above could not tell a real mismatch from a model's)."""
    units: dict[str, Counter[str]] = defaultdict(Counter)
    for unit in analysed(experiment_truth):
        units[unit.experiment_id][unit.variant] += 1
    shares = expected_shares()
    for experiment, counts in units.items():
        assert srm_p_value(dict(counts), shares[experiment]) >= SRM_THRESHOLD, (experiment, counts)


# ---------------------------------------------------------------------------------------------------------------
# 3. p-value corrections (DuckDB: the model's select through `dbt show`, nothing written)


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input's order."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    m, running, adjusted = len(p_values), 0.0, [0.0] * len(p_values)
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg's step-up adjusted p-values, in the input's order."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    m, running, adjusted = len(p_values), 1.0, [0.0] * len(p_values)
    for rank in range(m - 1, -1, -1):
        index = order[rank]
        running = min(running, min(1.0, m * p_values[index] / (rank + 1)))
        adjusted[index] = running
    return adjusted


def test_correction_oracles_agree_with_textbook_values():
    p_values = [0.01, 0.04, 0.03, 0.005, 0.5]
    assert holm(p_values) == pytest.approx([0.04, 0.09, 0.09, 0.025, 0.5])
    assert benjamini_hochberg(p_values) == pytest.approx(list(stats.false_discovery_control(p_values)))


CORRECTED_COLUMNS = ("experiment_id", "variant", "metric", "dimension", "dimension_value", "p_value",
                     "corrected_p_value")  # fmt: skip


def _corrected(built_duckdb: BuiltProject, correction: str) -> list[dict[str, Any]]:
    result = built_duckdb.dbt.invoke(
        ["show", "--select", "fct_experiment_results", "--limit", "1000000"],
        {"journeys__experiment_p_value_correction": correction},
    )
    table = result.results[0].agate_table
    rows = [dict(zip(table.column_names, row, strict=True)) for row in table.rows]
    assert len(rows) == built_duckdb.rows("select count(*) from journeys.fct_experiment_results")[0][0]
    return [{name: row[name] for name in CORRECTED_COLUMNS} for row in rows]


@pytest.mark.duckdb
@pytest.mark.parametrize(
    ("correction", "oracle"),
    [("holm", holm), ("benjamini_hochberg", benjamini_hochberg)],
    ids=["holm", "benjamini_hochberg"],
)
def test_corrected_p_values_equal_an_independent_correction(built_duckdb: BuiltProject, correction: str, oracle):
    """With var journeys__experiment_p_value_correction, corrected_p_value is Holm's / Benjamini-Hochberg's
    correction of the non-NULL p-values of each experiment and breakdown value (all its variants and metrics)."""
    rows = _corrected(built_duckdb, correction)
    families: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["p_value"] is None:
            assert row["corrected_p_value"] is None
        else:
            families[(row["experiment_id"], row["dimension"], row["dimension_value"])].append(row)
    assert any(len(family) > 3 for family in families.values()), "no family of several comparisons: a weak check"
    differ = []
    for key, family in families.items():
        wanted = oracle([float(row["p_value"]) for row in family])
        for row, value in zip(family, wanted, strict=True):
            if not close(row["corrected_p_value"], value, 1e-9):
                differ.append((key, row["variant"], row["metric"], row["p_value"], row["corrected_p_value"], value))
    assert not differ, f"{len(differ)} corrected p-values differ, e.g. {differ[:3]}"
    changed = [row for family in families.values() for row in family if row["corrected_p_value"] != row["p_value"]]
    assert changed, "the correction changed nothing: a weak check"


@pytest.mark.duckdb
def test_no_correction_leaves_the_p_value(built_duckdb: BuiltProject):
    rows = built_duckdb.rows("select p_value, corrected_p_value from journeys.fct_experiment_results")
    assert all(p == corrected for p, corrected in rows)


# ---------------------------------------------------------------------------------------------------------------
# 4e. the true effects inside the intervals


def _effects(truth: dict[str, pa.Table]) -> list[dict[str, Any]]:
    return truth["experiment_effects"].to_pylist()


def _intervals(built: BuiltProject) -> dict[tuple[str, str, str], tuple[float, ...]]:
    return {
        (experiment, variant, metric): tuple(rest)
        for experiment, variant, metric, *rest in built.rows(
            "select experiment_id, variant, metric, units, absolute_lift_ci_lower, absolute_lift_ci_upper, "
            "cuped_absolute_lift_ci_lower, cuped_absolute_lift_ci_upper from journeys.fct_experiment_results "
            "where dimension = 'all' and not is_control"
        )
    }


def test_true_effects_are_inside_the_intervals(built: BuiltProject, truth: dict[str, pa.Table]):
    """Each true lift of the truth's experiment_effects (exp_pricing_page's v2 adds 0.5 page views, v1 and the
    checkout treatment nothing) is inside the reported 95% interval of the absolute lift, plain and after CUPED.
    At seed 7 and 12,000 events the units are 82 (control), 82 (v1) and 77 (v2) for exp_pricing_page and 74/78 for
    exp_checkout_button, with a page-view standard deviation of 12-17 per unit: the intervals are some +-4 to +-5
    wide, so this checks the wiring, not the power (that is the large-sample check on DuckDB below)."""
    intervals = _intervals(built)
    for effect in _effects(truth):
        units, lower, upper, cuped_lower, cuped_upper = intervals[
            (effect["experiment_id"], effect["variant"], effect["metric"])
        ]
        assert units > 30
        assert lower <= effect["absolute_lift"] <= upper, (effect, lower, upper)
        assert cuped_lower <= effect["absolute_lift"] <= cuped_upper, (effect, cuped_lower, cuped_upper)


# The power the check needs: a unit's page views have a standard deviation near 13.5, so the interval of a difference
# is about +-2.8 x 13.5 x sqrt(2 / n) wide: telling +0.5 from 0 takes some 13,000 units per variant, which is 2M
# events (about 90 s to generate, load and build on DuckDB here; at 200,000 events the interval is still +-1.15).
LARGE_CONFIG = GeneratorConfig(seed=11, events=2_000_000)


@contextlib.contextmanager
def profile_env_restored() -> Iterator[None]:
    """Put back the JOURNEYS_* variables (the dbt profile's target, schema and DuckDB file) when done: the session's
    built projects read them at every dbt invocation."""
    saved = {name: value for name, value in os.environ.items() if name.startswith("JOURNEYS_")}
    try:
        yield
    finally:
        for name in [name for name in os.environ if name.startswith("JOURNEYS_")]:
            del os.environ[name]
        os.environ.update(saved)


@pytest.fixture(scope="module")
def large_duckdb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, GeneratedData]:
    """LARGE_CONFIG generated, loaded into a DuckDB file of its own and built up to fct_experiment_results (models
    and seeds only, no data tests): the warehouse and the data."""
    root = tmp_path_factory.mktemp("experiments_large")
    data = generate(LARGE_CONFIG)
    with profile_env_restored():
        project_dir = copy_project(REPO_ROOT, root / "project")
        warehouse = make_warehouse("duckdb", root / "state")
        warehouse.start()
        warehouse.apply_env()
        dbt = DbtProject(project_dir, prepare_profiles(project_dir, root / "state"), "duckdb")
        warehouse.load_schemas({"segment": data.segment, "atomic": data.snowplow})
        dbt.invoke(["build", "--select", "+fct_experiment_results", "--exclude", "test_type:data", "test_type:unit"])
    return warehouse, data


@pytest.mark.duckdb
def test_true_effects_are_inside_the_intervals_of_a_large_sample(large_duckdb: tuple[Any, GeneratedData]):
    """On LARGE_CONFIG (DuckDB only; some 13,000 units per variant): each true lift is inside its 95% interval,
    plain and after CUPED, and exp_pricing_page's v2 (+0.5 page views) is told from 0: its interval excludes 0.

    Honestly: at this size the test has roughly a 70-80% chance of detecting v2, and each of the three intervals
    misses its true value 5% of the time. Seed 11 was the first seed tried, and it passes (v2's interval about
    [0.26, 1.03], v1's [-0.21, 0.55], the checkout treatment's [-0.26, 0.55] when written); another seed, or a
    change to the generator that shifts its draws, may fail this without any bug."""
    warehouse, data = large_duckdb
    rows = warehouse.query(
        "select experiment_id, variant, metric, units, absolute_lift_ci_lower, absolute_lift_ci_upper, "
        "cuped_absolute_lift_ci_lower, cuped_absolute_lift_ci_upper from journeys.fct_experiment_results "
        "where dimension = 'all' and not is_control"
    )
    intervals = {(e, v, m): tuple(rest) for e, v, m, *rest in rows}
    detected = []
    for effect in _effects(data.truth):
        units, lower, upper, cuped_lower, cuped_upper = intervals[
            (effect["experiment_id"], effect["variant"], effect["metric"])
        ]
        assert units > 10_000
        assert lower <= effect["absolute_lift"] <= upper, (effect, lower, upper)
        assert cuped_lower <= effect["absolute_lift"] <= cuped_upper, (effect, cuped_lower, cuped_upper)
        if effect["absolute_lift"] != 0:
            detected.append((effect["variant"], lower > 0, cuped_lower > 0))
    assert detected == [("v2", True, True)], detected


# ---------------------------------------------------------------------------------------------------------------
# 5. the experiment reports


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _units(built: BuiltProject) -> list[tuple[str, str, str, datetime]]:
    return [
        (experiment, variant, person, utc_naive(at))
        for experiment, variant, person, at in built.rows(
            "select experiment_id, variant, person_id, first_exposed_at from journeys.fct_experiment_exposures "
            "where not is_multiple_variants"
        )
    ]


def test_experiment_milestones_report_equals_its_recomputation(built: BuiltProject):
    """rpt_experiment_milestones from fct_experiment_exposures and fct_milestones: per experiment, variant and
    milestone of the seed, the exposed persons, how many first reached it at or after their exposure, the share,
    and the median days since the exposure and since signup."""
    reached: dict[str, dict[str, tuple[datetime, float]]] = defaultdict(dict)
    for person, name, at, seconds in built.rows(
        "select person_id, milestone_name, reached_at, seconds_since_signup from journeys.fct_milestones"
    ):
        reached[person][name] = (utc_naive(at), float(seconds))
    names = [row["milestone_name"] for row in read_seed("milestone_definitions")]
    groups: dict[tuple[str, str], list[tuple[str, datetime]]] = defaultdict(list)
    for experiment, variant, person, at in _units(built):
        groups[(experiment, variant)].append((person, at))
    wanted = {}
    for (experiment, variant), units in groups.items():
        for name in names:
            hits = [
                (reached[person][name], exposed_at)
                for person, exposed_at in units
                if name in reached[person] and reached[person][name][0] >= exposed_at
            ]
            wanted[(experiment, variant, name)] = (
                len(units),
                len(hits),
                len(hits) / len(units),
                _median([(at - exposed_at).total_seconds() / 86400 for (at, _), exposed_at in hits]),
                _median([seconds / 86400 for (_, seconds), _ in hits]),
            )
    actual = {
        (experiment, variant, name): tuple(rest)
        for experiment, variant, name, *rest in built.rows(
            "select experiment_id, variant, milestone_name, exposed_persons, persons_reached, reached_share, "
            "median_days_since_exposure, median_days_since_signup from journeys.rpt_experiment_milestones"
        )
    }
    assert_report_rows_equal(actual, wanted)
    assert any(value[1] > 0 for value in wanted.values()), "no milestone reached after an exposure: a weak check"


def test_experiment_signup_journeys_report_equals_its_recomputation(built: BuiltProject):
    """rpt_experiment_signup_journeys from fct_experiment_exposures and fct_signup_journeys: per experiment and
    variant, the exposed persons, those not signed up when exposed, those who signed up at or after the exposure,
    the visit-to-registration rate, and the average and medians of their journeys."""
    journeys = {
        person: (signed_up, utc_naive(at), sessions, days)
        for person, signed_up, at, sessions, days in built.rows(
            "select person_id, is_signed_up, signed_up_at, sessions_before_signup, days_to_signup "
            "from journeys.fct_signup_journeys"
        )
    }
    groups: dict[tuple[str, str], list[tuple[str, datetime]]] = defaultdict(list)
    for experiment, variant, person, at in _units(built):
        groups[(experiment, variant)].append((person, at))
    wanted = {}
    for key, units in groups.items():
        before = after = 0
        sessions, days = [], []
        for person, exposed_at in units:
            signed_up, at, person_sessions, person_days = journeys.get(person, (False, None, None, None))
            if not (signed_up and at < exposed_at):
                before += 1
            if signed_up and at >= exposed_at:
                after += 1
                sessions.append(float(person_sessions))
                days.append(float(person_days))
        wanted[key] = (
            len(units),
            before,
            after,
            after / before if before else None,
            statistics.fmean(sessions) if sessions else None,
            _median(sessions),
            _median(days),
        )
    actual = {
        (experiment, variant): tuple(rest)
        for experiment, variant, *rest in built.rows(
            "select experiment_id, variant, exposed_persons, exposed_before_signup, signed_up_after_exposure, "
            "visit_to_registration_rate, avg_sessions_before_signup, median_sessions_before_signup, "
            "median_days_to_signup from journeys.rpt_experiment_signup_journeys"
        )
    }
    assert_report_rows_equal(actual, wanted)
    assert any(value[2] > 0 for value in wanted.values()), "no signup after an exposure: a weak check"


# ---------------------------------------------------------------------------------------------------------------
# 6. bad settings


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("journeys__experiment_window_days", 0, "a whole number of at least 1"),
        ("journeys__experiment_p_value_correction", "bonferroni", "none, holm, benjamini_hochberg"),
        ("journeys__experiment_confidence_level", 1.5, "between 0 and 1"),
        ("journeys__experiment_confidence_level", 0, "greater than 0"),
        ("journeys__experiment_breakdown_top_n", -1, "a whole number of at least 1"),
        ("journeys__experiment_srm_threshold", 1.5, "between 0 and 1"),
    ],
)
def test_bad_experiment_var_names_the_var(scratch_schema: BuiltProject, var: str, value: Any, expected: str):  # noqa: F811
    """A bad value stops the compile of the models that read it, with a message naming the var."""
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["compile", "--select", "fct_experiment_results", "int_experiment_variants", "int_experiment_variant_sums"],
            {var: value},
        )
    message = str(failure.value)
    assert var in message and expected in message, message
