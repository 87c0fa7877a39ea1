"""Session fixtures: one warehouse per engine, built once from generated data and once from the sample.

Each engine gets a copy of the project in a temporary folder, its own warehouse files there, the raw
tables loaded by the project's loaders, and `dbt build` (models and data tests) run through dbtRunner.
"""

from __future__ import annotations

import atexit
import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from journeys_tools.generator import GeneratedData, GeneratorConfig, generate
from journeys_tools.generator.spend import ad_spend_schemas
from journeys_tools.project import DbtProject, copy_project, prepare_profiles
from journeys_tools.samples import read_snowplow_sample
from journeys_tools.warehouse import Warehouse, java_is_available, make_warehouse

# Python datetimes from every engine (PySpark converts to the process's local zone) read as UTC.
os.environ["TZ"] = "UTC"
time.tzset()

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_CONFIG = GeneratorConfig(seed=7, events=12_000)
SAMPLE_VARS = {"journeys__segment_enabled": False, "journeys__snowplow_schema": "atomic_sample"}
# The generated data's build reads the generated ad spend too (the sample's does not: its reports show NULL spend).
BUILD_VARS = {"journeys__ad_spend_enabled": True}
ENGINE_PARAMS = [
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("duckdb", marks=pytest.mark.duckdb),
    pytest.param("spark", marks=pytest.mark.spark),
]


@dataclass
class BuiltProject:
    """A warehouse with the generated data built into schema `journeys`, the sample into `journeys_sample`."""

    engine: str
    warehouse: Warehouse
    dbt: DbtProject
    data: GeneratedData

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.warehouse.query(sql)

    def compare(self, left: str, right: str) -> tuple[int, int, int, int]:
        """Rows of two queries, then how many rows of each the other lacks: equal results give (n, n, 0, 0)."""
        counts = self.rows(
            f"select (select count(*) from ({left}) as a), (select count(*) from ({right}) as b), "
            f"(select count(*) from ({left} except {right}) as c), "
            f"(select count(*) from ({right} except {left}) as d)"
        )
        left_rows, right_rows, only_left, only_right = counts[0]
        return left_rows, right_rows, only_left, only_right

    def use_schema(self, schema: str) -> None:
        self.warehouse.schema = schema
        self.warehouse.apply_env()


@pytest.fixture(scope="session")
def generated_data() -> GeneratedData:
    return generate(TEST_CONFIG)


@pytest.fixture(scope="session")
def truth(generated_data: GeneratedData) -> dict[str, pa.Table]:
    return generated_data.truth


def _build(engine: str, root: Path, data: GeneratedData) -> BuiltProject:
    if engine == "spark" and not java_is_available():
        pytest.skip("Spark tests skipped: no Java found (install a JDK 17+ or set JAVA_HOME).")
    project_dir = copy_project(REPO_ROOT, root / "project")
    state_dir = root / "state"
    warehouse = make_warehouse(engine, state_dir)
    if hasattr(warehouse, "keep_running"):
        warehouse.keep_running = False
    warehouse.start()
    warehouse.apply_env()
    os.environ.pop("DBT_PROFILES_DIR", None)
    dbt = DbtProject(project_dir, prepare_profiles(project_dir, state_dir), engine)
    warehouse.load_schemas(
        {
            "segment": data.segment,
            "atomic": data.snowplow,
            "atomic_sample": read_snowplow_sample(REPO_ROOT / "data" / "snowplow_web_sample"),
            **ad_spend_schemas(data),
        }
    )
    built = BuiltProject(engine, warehouse, dbt, data)
    built.use_schema("journeys_sample")
    # the unit tests run once, in the build of the generated data: their rows are their own, whatever data is loaded
    dbt.invoke(["build", "--exclude", "test_type:unit"], SAMPLE_VARS)
    built.use_schema("journeys")
    dbt.invoke(["build"], BUILD_VARS)
    return built


_BUILDS: dict[str, BuiltProject] = {}
_BUILD_FAILURES: dict[str, Exception] = {}


def _built_once(engine: str, tmp_path_factory: pytest.TempPathFactory, data: GeneratedData) -> BuiltProject:
    """Build each engine at most once per session; a failed build fails its tests without being retried."""
    if engine in _BUILD_FAILURES:
        pytest.fail(f"the {engine} build failed earlier in this session: {_BUILD_FAILURES[engine]}")
    if engine not in _BUILDS:
        try:
            _BUILDS[engine] = _build(engine, tmp_path_factory.mktemp(engine), data)
        except pytest.skip.Exception:
            raise
        except Exception as error:
            _BUILD_FAILURES[engine] = error
            raise
    _BUILDS[engine].use_schema("journeys")
    return _BUILDS[engine]


@pytest.fixture(scope="session", params=ENGINE_PARAMS)
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, generated_data: GeneratedData
) -> Iterator[BuiltProject]:
    """The project built on one engine (each engine once per session, in parameter order)."""
    yield _built_once(request.param, tmp_path_factory, generated_data)


@pytest.fixture(scope="session")
def built_duckdb(tmp_path_factory: pytest.TempPathFactory, generated_data: GeneratedData) -> BuiltProject:
    """The DuckDB build alone, for checks that need one compiled, loaded project (lint, manifest)."""
    return _built_once("duckdb", tmp_path_factory, generated_data)


# The order in which `make test` hands the groups to its workers (`--no-loadscope-reorder`): Spark's builds take the
# longest, so its group starts first, in one worker, while the other runs PostgreSQL's, DuckDB's and the tests
# that need no build.
GROUP_ORDER = ("spark", "postgres", "duckdb")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Iterator[None]:
    """Under pytest-xdist (`make test`: `-n 2 --dist loadgroup`), the tests of one engine's built warehouse form one
    group, which runs in one worker, so each worker builds only the engines it tests. The groups are marked before
    the other hooks (xdist's tags each grouped test's node id with its group); after them (pytest's orders the tests
    by engine), each group's tests come in GROUP_ORDER, then the others."""
    for item in items:
        engine = _built_engine(item)
        if engine is not None:
            item.add_marker(pytest.mark.xdist_group(engine))
    yield
    if config.getoption("loadgroup", default=False):
        items.sort(key=_group_rank)


def _group_rank(item: pytest.Item) -> int:
    """Where a test's group comes in GROUP_ORDER; the tests that need no build come last."""
    engine = _built_engine(item)
    return GROUP_ORDER.index(engine) if engine is not None else len(GROUP_ORDER)


def _built_engine(item: pytest.Item) -> str | None:
    """The engine whose session build (`built`, `built_duckdb`) a test reads, if any."""
    names = getattr(item, "fixturenames", ())
    if "built_duckdb" in names:
        return "duckdb"
    callspec = getattr(item, "callspec", None)
    if "built" in names and callspec is not None:
        return callspec.params["built"]
    return None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for built_project in _BUILDS.values():
        built_project.warehouse.stop()


def _silence_stderr() -> None:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


def pytest_unconfigure(config: pytest.Config) -> None:
    """After pytest's summary: DuckDB's bindings report "leaked" objects when the interpreter shuts down,
    noise that would otherwise follow the summary line. pytest restores stderr after this hook, so the
    silencing runs at exit."""
    atexit.register(_silence_stderr)


def close(actual: Any, wanted: Any, tolerance: float = 1e-9, *, absolute: float | None = None) -> bool:
    """Both NULL, or numbers within `tolerance` of each other, relative (absolute below 1, or `absolute` when
    given)."""
    if actual is None or wanted is None:
        return actual is None and wanted is None
    return math.isclose(
        float(actual), float(wanted), rel_tol=tolerance, abs_tol=tolerance if absolute is None else absolute
    )
