"""The distribution macros (macros/statistics) against scipy.stats, on every engine.

Each engine evaluates every grid below in one query: the macro calls are compiled by dbt (`dbt compile --inline`)
in a copy of the project that holds its macros and nothing else, so no warehouse is built and no data is loaded.
"""

from __future__ import annotations

import math
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scipy import stats

from journeys_tools.project import DbtProject, prepare_profiles
from journeys_tools.warehouse import Warehouse, java_is_available, make_warehouse
from tests.conftest import ENGINE_PARAMS, REPO_ROOT

TOLERANCE = 1e-7
NAN = float("nan")  # stands for SQL NULL in the grids (an input) and in the expectations (no value)


def _grid(*axes: list[float]) -> list[tuple[float, ...]]:
    rows: list[tuple[float, ...]] = [()]
    for axis in axes:
        rows = [(*row, value) for row in rows for value in axis]
    return rows


DFS = [0.5, 1, 1.5, 2, 2.7, 3, 5, 9.3, 30, 100, 499, 501, 1234.5, 1e5, 1e7, 1e9]
T_VALUES = [0, 1e-300, 1e-8, 0.01, 0.3, 1, 1.7, 2, 2.5, 4, 10, 40, 1000]
PROBABILITIES = [1e-12, 1e-9, 1e-6, 1e-4, 0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.49, 0.5]
PROBABILITIES += [1 - p for p in reversed(PROBABILITIES[:-1])]
CHI_SQUARE_DFS = [1, 2, 3, 4, 5, 7, 10, 15, 20, 29, 30, 31, 50, 99, 100]
CHI_SQUARE_XS = [0, 1e-8, 1e-3, 0.1, 0.5, 1, 2, 3.84, 5, 7.5, 10, 20, 30, 50, 100, 200, 300, 500]

# macro -> (its arguments' names, the rows of arguments it is evaluated at)
GRIDS: dict[str, tuple[tuple[str, ...], list[tuple[float, ...]]]] = {
    "normal_cdf": (
        ("x",),
        _grid(
            sorted(
                {0.0, 1e-300, 1e-12, 1e-3, 0.5, 0.66291, 0.675, 1, 1.96, 3, 5.656, 5.66, 8, 10, 20, 30, 37, 37.5, 38}
                | {s * x for s in (-1, 1) for x in [i / 4 for i in range(1, 161)]}
            )
        ),
    ),
    "normal_quantile": (("p",), _grid([*PROBABILITIES, 0.075, 0.425, 0.575, 0.925, 1e-100, 1e-300, 1 - 2**-53])),
    "student_t_cdf": (("t", "df"), _grid(sorted({s * t for t in T_VALUES for s in (-1, 1)}), DFS)),
    "student_t_quantile": (("p", "df"), _grid(PROBABILITIES, DFS)),
    "chi_square_survival": (("x", "df"), _grid(CHI_SQUARE_XS, CHI_SQUARE_DFS)),
}
# Inputs outside each macro's domain, NULLs among them: each gives NULL (or the stated value), never an error.
EDGE_CASES: dict[str, list[tuple[tuple[float, ...], float]]] = {
    "normal_cdf": [((NAN,), NAN), ((1e300,), 1.0), ((-1e300,), 0.0)],
    "normal_quantile": [((NAN,), NAN), ((0,), NAN), ((1,), NAN), ((-0.5,), NAN), ((1.5,), NAN), ((1e300,), NAN)],
    "student_t_cdf": [
        ((NAN, 3), NAN),
        ((1, NAN), NAN),
        ((1, 0), NAN),
        ((1, -2), NAN),
        ((1e300, 5), 1.0),
        ((-1e300, 5), 0.0),
        ((2, 1e300), stats.norm.cdf(2)),
        ((-1e-300, 1e300), 0.5),
        ((-2, 1e-300), 0.5),
    ],
    "student_t_quantile": [
        ((NAN, 3), NAN),
        ((0.3, NAN), NAN),
        ((0, 3), NAN),
        ((1, 3), NAN),
        ((1.5, 3), NAN),
        ((0.3, 0), NAN),
        ((0.3, -1), NAN),
        ((0.975, 1e300), stats.norm.ppf(0.975)),
        ((1e-300, 30), stats.t.ppf(1e-300, 30)),
        ((1 - 2**-53, 9.3), stats.t.ppf(1 - 2**-53, 9.3)),
    ],
    "chi_square_survival": [
        ((NAN, 3), NAN),
        ((3, NAN), NAN),
        ((3, 0), NAN),
        ((3, 2.5), NAN),
        ((3, 101), NAN),
        ((-1, 3), 1.0),
        ((1e300, 3), 0.0),
        ((1e-300, 1), 1.0),
    ],
}
# Calls with literal arguments (which the engines fold while planning) and calls nested in another's argument.
LITERAL_CALLS: list[tuple[str, float]] = [
    ("normal_cdf('-1.96')", stats.norm.cdf(-1.96)),
    ("normal_quantile('0.975')", stats.norm.ppf(0.975)),
    ("normal_quantile('0')", NAN),
    ("student_t_cdf('-2.5', '7.3')", stats.t.cdf(-2.5, 7.3)),
    ("student_t_cdf('null', '3')", NAN),
    ("student_t_quantile('0.975', '4.5')", stats.t.ppf(0.975, 4.5)),
    ("student_t_quantile('0.01', '0.5')", stats.t.ppf(0.01, 0.5)),
    ("student_t_quantile('2', '3')", NAN),
    ("chi_square_survival('12.5', '4')", stats.chi2.sf(12.5, 4)),
    ("chi_square_survival('1e300', '3')", 0.0),
    ("normal_cdf(journeys.normal_quantile('0.3'))", 0.3),
    ("student_t_cdf(journeys.student_t_quantile('0.025', '2.7'), '2.7')", 0.025),
]
REFERENCES = {
    "normal_cdf": stats.norm.cdf,
    "normal_quantile": stats.norm.ppf,
    "student_t_cdf": stats.t.cdf,
    "student_t_quantile": stats.t.ppf,
    "chi_square_survival": stats.chi2.sf,
}
QUANTILES = {"normal_quantile", "student_t_quantile"}
BEGIN, END = "/* statistics macro begins */", "/* statistics macro ends */"


@dataclass
class Evaluated:
    """One engine's values for every grid row and edge case, and the compiled text of each macro call."""

    engine: str
    values: dict[str, list[tuple[tuple[float, ...], float | None]]]
    edge_values: dict[str, list[tuple[tuple[float, ...], float | None, float]]]
    literal_values: list[tuple[str, float | None, float]]
    compiled_sizes: dict[str, int]


def _literal(value: float) -> str:
    return "null" if math.isnan(value) else repr(float(value))


def _select(macro: str, arguments: tuple[str, ...], rows: list[tuple[float, ...]]) -> str:
    values = ", ".join(
        "(" + ", ".join([str(i), *(f"cast({_literal(v)} as {{{{ float }}}})" for v in row)]) + ")"
        for i, row in enumerate(rows)
    )
    call_arguments = ", ".join(f"'g.{name}'" for name in arguments)
    return (
        f"select '{macro}' as macro, g.i as i, {BEGIN} {{{{ journeys.{macro}({call_arguments}) }}}} {END} as v\n"
        f"from (values {values}) as g(i, {', '.join(arguments)})"
    )


def _query() -> tuple[str, dict[str, list[tuple[float, ...]]]]:
    """One query over every grid, edge case and literal call: rows (macro, i, value); for a macro, i indexes its
    grid, then its edge cases."""
    parts, inputs = [], {}
    for macro, (arguments, rows) in GRIDS.items():
        inputs[macro] = rows + [row for row, _ in EDGE_CASES[macro]]
        parts.append(_select(macro, arguments, inputs[macro]))
    for i, (call, _) in enumerate(LITERAL_CALLS):
        parts.append(f"select 'literal' as macro, {i} as i, {{{{ journeys.{call} }}}} as v")
    return "{% set float = dbt.type_float() %}\n" + "\nunion all\n".join(parts), inputs


def _saved_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key.startswith("JOURNEYS_")}


def _restore_environment(saved: dict[str, str]) -> None:
    for key in [key for key in os.environ if key.startswith("JOURNEYS_")]:
        del os.environ[key]
    os.environ.update(saved)


def _spark_session_running() -> bool:
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() is not None


@contextmanager
def evaluated_on(engine: str, root: Path) -> Iterator[Evaluated]:
    """The grids evaluated on one engine, in a warehouse of its own under `root` (a Spark session already running in
    this process, e.g. the built project's, is used and left running: Spark has one session per process)."""
    project_dir = root / "project"
    project_dir.mkdir()
    for name in ("dbt_project.yml", "profiles.yml.example"):
        shutil.copy2(REPO_ROOT / name, project_dir / name)
    shutil.copytree(REPO_ROOT / "macros", project_dir / "macros")
    saved = _saved_environment()
    stop_afterwards = not (engine == "spark" and _spark_session_running())
    warehouse: Warehouse = make_warehouse(engine, root / "state")
    if hasattr(warehouse, "keep_running"):
        warehouse.keep_running = False
    try:
        warehouse.start()
        warehouse.apply_env()
        os.environ.pop("DBT_PROFILES_DIR", None)
        dbt = DbtProject(project_dir, prepare_profiles(project_dir, root / "state"), engine)
        sql, inputs = _query()
        compiled = dbt.invoke(["compile", "--inline", sql, "--quiet"]).results[0].node.compiled_code
        yield _evaluated(engine, warehouse.query(compiled), inputs, compiled)
    finally:
        if stop_afterwards:
            warehouse.stop()
        _restore_environment(saved)


@pytest.fixture(scope="module", params=ENGINE_PARAMS)
def evaluated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Evaluated]:
    if request.param == "spark" and not java_is_available():
        pytest.skip("Spark tests skipped: no Java found (install a JDK 17+ or set JAVA_HOME).")
    with evaluated_on(request.param, tmp_path_factory.mktemp(f"statistics_{request.param}")) as result:
        yield result


def _evaluated(engine: str, rows: list[tuple[Any, ...]], inputs: dict[str, list[tuple[float, ...]]], compiled: str):
    by_macro: dict[str, dict[int, float | None]] = {macro: {} for macro in [*GRIDS, "literal"]}
    for macro, i, value in rows:
        by_macro[macro][int(i)] = None if value is None else float(value)
    values, edge_values = {}, {}
    for macro, (_, grid) in GRIDS.items():
        values[macro] = [(row, by_macro[macro][i]) for i, row in enumerate(grid)]
        edge_values[macro] = [
            (row, by_macro[macro][len(grid) + j], expected) for j, (row, expected) in enumerate(EDGE_CASES[macro])
        ]
    literal_values = [(call, by_macro["literal"][i], expected) for i, (call, expected) in enumerate(LITERAL_CALLS)]
    calls = re.findall(re.escape(BEGIN) + "(.*?)" + re.escape(END), compiled, flags=re.DOTALL)
    sizes = {macro: len(call.strip()) for macro, call in zip(GRIDS, calls, strict=True)}
    return Evaluated(engine, values, edge_values, literal_values, sizes)


def _error(macro: str, row: tuple[float, ...], value: float | None) -> float:
    """The absolute error against scipy; for a quantile beyond 1 in magnitude, relative to it."""
    expected = float(REFERENCES[macro](*row))
    if value is None:
        return math.inf
    if macro in QUANTILES:
        return abs(value - expected) / max(1.0, abs(expected))
    return abs(value - expected)


def _worst(evaluated: Evaluated, macro: str) -> tuple[float, tuple[float, ...], float | None]:
    return max((_error(macro, row, value), row, value) for row, value in evaluated.values[macro])


@pytest.mark.parametrize("macro", list(GRIDS))
def test_statistics_macro_matches_scipy_to_1e7_on_every_engine(evaluated: Evaluated, macro: str):
    error, row, value = _worst(evaluated, macro)
    assert error <= TOLERANCE, f"{macro}{row} = {value} on {evaluated.engine}, scipy: {REFERENCES[macro](*row)}"


@pytest.mark.parametrize("macro", ["normal_cdf", "student_t_cdf", "chi_square_survival"])
def test_small_probabilities_keep_their_relative_precision_on_every_engine(evaluated: Evaluated, macro: str):
    """A p-value of 1e-12 neither prints as 0 nor loses its leading digits: 1e-9 relative error down to 1e-100;
    below, still positive, and within 1e-5 (Hill's approximation for df > 500 there)."""
    for row, value in evaluated.values[macro]:
        expected = float(REFERENCES[macro](*row))
        if 1e-300 < expected < 1e-7:
            assert value is not None and value > 0, f"{macro}{row} = {value}, scipy: {expected}"
            bound = 1e-9 if expected >= 1e-100 else 1e-5
            assert abs(value / expected - 1) <= bound, f"{macro}{row} = {value}, scipy: {expected}"


@pytest.mark.parametrize("macro", ["normal_cdf", "student_t_cdf", "chi_square_survival"])
def test_probabilities_stay_within_0_and_1_on_every_engine(evaluated: Evaluated, macro: str):
    assert all(value is not None and 0 <= value <= 1 for _, value in evaluated.values[macro])


@pytest.mark.parametrize("macro", list(GRIDS))
def test_null_and_out_of_domain_inputs_give_null_or_the_limit_without_an_error(evaluated: Evaluated, macro: str):
    for row, value, expected in evaluated.edge_values[macro]:
        if math.isnan(expected):
            assert value is None, f"{macro}{row} = {value}, expected NULL"
        else:
            assert value is not None and math.isclose(value, expected, rel_tol=1e-9, abs_tol=TOLERANCE), (
                f"{macro}{row} = {value}, expected {expected}"
            )


def test_macros_take_literal_and_nested_arguments_on_every_engine(evaluated: Evaluated):
    for call, value, expected in evaluated.literal_values:
        if math.isnan(expected):
            assert value is None, f"{call} = {value}, expected NULL"
        else:
            assert value is not None and abs(value - expected) <= TOLERANCE * max(1.0, abs(expected)), (
                f"{call} = {value}, expected {expected}"
            )


def test_student_t_quantile_inverts_student_t_cdf_at_the_interval_factors(evaluated: Evaluated):
    """t.ppf(0.975, df), the half-width factor of a 95% interval, for the Welch df of small samples."""
    quantiles = {row: value for row, value in evaluated.values["student_t_quantile"]}
    for df in (1, 1.5, 2.7, 9.3, 30):
        assert quantiles[(0.975, df)] == pytest.approx(stats.t.ppf(0.975, df), rel=1e-12)


@pytest.mark.parametrize("macro", list(GRIDS))
def test_each_macro_compiles_to_less_than_100_kb(evaluated: Evaluated, macro: str):
    """The models select a few thousand rows: tens of KB of SQL per call are fine (the quantile, about 50 KB, 72 KB
    on Spark, holds three evaluations of the t distribution), a megabyte would not be."""
    assert evaluated.compiled_sizes[macro] < 100_000
