"""The house rules that can be checked by machine: sqlfluff, and dbt-project-evaluator's manifest rules."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import yaml

from tests.conftest import REPO_ROOT, BuiltProject

# Staging models keep every raw row (duplicates and rows without an id included), so they have no key.
MODELS_WITHOUT_PRIMARY_KEY = {"staging"}


@pytest.fixture(scope="module")
def manifest(built_duckdb: BuiltProject) -> dict[str, Any]:
    return json.loads((built_duckdb.dbt.project_dir / "target" / "manifest.json").read_text())


def models(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_sqlfluff_finds_nothing_in_models_macros_tests_and_analyses(built_duckdb: BuiltProject, tmp_path: Path):
    # sqlfluff's dbt templater compiles against the loaded warehouse; this process holds the DuckDB file's
    # lock, so it reads a copy.
    database = Path(built_duckdb.warehouse.profile_env()["JOURNEYS_DUCKDB_PATH"])
    for file in database.parent.glob(database.name + "*"):
        shutil.copy2(file, tmp_path / file.name)
    env = {
        **os.environ,
        **built_duckdb.warehouse.profile_env(),
        "JOURNEYS_DUCKDB_PATH": str(tmp_path / database.name),
        "DBT_PROFILES_DIR": str(built_duckdb.dbt.profiles_dir),
    }
    paths = [p for p in ("models", "tests", "analyses") if any((REPO_ROOT / p).rglob("*.sql"))]
    result = subprocess.run(
        [sys.executable, "-m", "sqlfluff", "lint", *paths, "--disable-progress-bar", "--nofail"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [line for line in result.stdout.splitlines() if line.startswith(("L:", "== ["))]
    assert result.returncode == 0, result.stderr[-2000:]
    assert problems == [], "\n".join(problems[:40])


def test_only_staging_reads_sources(manifest: dict[str, Any]):
    offenders = [
        m["name"]
        for m in models(manifest)
        if m["fqn"][1] != "staging" and any(d.startswith("source.") for d in m["depends_on"]["nodes"])
    ]
    assert offenders == []


def test_staging_models_depend_on_sources_only(manifest: dict[str, Any]):
    offenders = [
        m["name"]
        for m in models(manifest)
        if m["fqn"][1] == "staging" and any(d.startswith("model.") for d in m["depends_on"]["nodes"])
    ]
    assert offenders == []


def test_every_model_and_documented_column_has_a_description(manifest: dict[str, Any]):
    missing = [m["name"] for m in models(manifest) if not m["description"].strip()]
    missing += [
        f"{m['name']}.{c}"
        for m in models(manifest)
        for c, col in m["columns"].items()
        if not col["description"].strip()
    ]
    assert missing == []


def test_every_model_outside_staging_has_a_tested_primary_key(manifest: dict[str, Any]):
    """A model's key is tested unique and not null (one of its `not_null_columns`) on the model, or, where the model
    holds the same rows as another (a view over it, or one row per row of it), once on that model: its `meta` names
    the key and the model (`primary_key`, `primary_key_tested_on`), so the same uniqueness is not checked over the
    same rows twice."""
    tested: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        test = node.get("test_metadata") or {}
        if node["resource_type"] != "test":
            continue
        if test.get("name") == "unique":
            tested.setdefault(f"{node.get('attached_node')}:{node.get('column_name')}", set()).add("unique")
        if test.get("name") == "not_null_columns":
            for column in test["kwargs"]["columns"]:
                tested.setdefault(f"{node.get('attached_node')}:{column}", set()).add("not_null")
    by_name = {m["name"]: m for m in models(manifest)}

    def has_tested_key(model: dict[str, Any]) -> bool:
        meta = model["config"].get("meta", {})
        if "primary_key_tested_on" in meta:
            other = by_name[meta["primary_key_tested_on"]]
            return tested.get(f"{other['unique_id']}:{meta['primary_key']}") == {"unique", "not_null"}
        return any(tested.get(f"{model['unique_id']}:{c}") == {"unique", "not_null"} for c in model["columns"])

    without_key = [
        m["name"] for m in models(manifest) if m["fqn"][1] not in MODELS_WITHOUT_PRIMARY_KEY and not has_tested_key(m)
    ]
    assert without_key == []


def test_required_columns_are_tested_in_one_scan_per_model(manifest: dict[str, Any]):
    """Outside staging, not-null checks are one `not_null_columns` test per model (one scan for all its required
    columns), never a not_null test per column. Staging models and seeds check what a user loads or edits, so
    there a test per column names the column at fault."""
    by_id = {m["unique_id"]: m for m in models(manifest)}
    per_column = [
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "not_null"
        and node.get("attached_node") in by_id
        and by_id[node["attached_node"]]["fqn"][1] != "staging"
    ]
    assert per_column == []
    per_model: dict[str, int] = {}
    for node in manifest["nodes"].values():
        if (node.get("test_metadata") or {}).get("name") == "not_null_columns":
            per_model[node["attached_node"]] = per_model.get(node["attached_node"], 0) + 1
    assert [model for model, count in per_model.items() if count > 1] == []


def test_the_required_columns_test_fails_on_each_row_with_a_null_and_names_its_columns(built_duckdb: BuiltProject):
    built_duckdb.warehouse.load_table(
        "journeys_null_check", "rows", pa.table({"a": [1, 2, 3], "b": [None, 3, 4], "c": ["x", None, None]})
    )
    relation = "api.Relation.create(database=target.database, schema='journeys_null_check', identifier='rows')"

    def failing_rows(columns: list[str]) -> list[tuple[Any, ...]]:
        call = f"{{{{ test_not_null_columns(model={relation}, columns={columns}) }}}}"
        compiled = built_duckdb.dbt.invoke(["compile", "--inline", call]).results[0].node.compiled_code
        return built_duckdb.rows(f"select a, null_columns from ({compiled}) as failing order by a")

    assert failing_rows(["a", "b", "c"]) == [(1, "b"), (2, "c"), (3, "c")]
    assert failing_rows(["b", "c"]) == [(1, "b"), (2, "c"), (3, "c")]
    assert failing_rows(["a"]) == []


def test_models_name_no_relation_directly(manifest: dict[str, Any]):
    hard_coded = re.compile(r"\b(from|join)\s+[\"`]?[a-z_][a-z0-9_]*[\"`]?\.[\"`]?[a-z_]", re.IGNORECASE)
    offenders = [m["name"] for m in models(manifest) if hard_coded.search(m["raw_code"])]
    assert offenders == []


def test_every_macro_is_documented_once_and_every_documented_macro_exists(manifest: dict[str, Any]):
    """Each macro of macros/ (an engine's implementation of a dispatched one aside) has one entry in a
    _<purpose>__macros.yml, and every entry names a macro: dbt only warns of an entry that names none."""
    macros = {
        m["name"]: m
        for m in manifest["macros"].values()
        if m["package_name"] == "journeys" and m["original_file_path"].startswith("macros/")
    }
    implementation = re.compile(r"^(default|postgres|duckdb|spark)__")
    documented = [
        entry["name"]
        for path in sorted(REPO_ROOT.glob("macros/**/_*__macros.yml"))
        for entry in yaml.safe_load(path.read_text())["macros"]
    ]
    assert sorted(name for name in documented if name not in macros) == []
    assert sorted(name for name in set(documented) if documented.count(name) > 1) == []
    undocumented = [name for name, m in macros.items() if not implementation.match(name) and not m["description"]]
    assert sorted(undocumented) == []


def test_every_var_is_namespaced_declared_and_explained_once():
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    declared = set(project["vars"])
    used = set()
    for path in [
        *REPO_ROOT.glob("models/**/*.sql"),
        *REPO_ROOT.glob("macros/**/*.sql"),
        *REPO_ROOT.glob("tests/**/*.sql"),
        *REPO_ROOT.glob("models/**/*.yml"),
    ]:
        used |= set(re.findall(r"var\(\s*['\"]([a-z0-9_]+)['\"]", path.read_text()))
    assert all(name.startswith("journeys__") for name in declared | used)
    assert used <= declared, f"used but not declared: {sorted(used - declared)}"
    lines = (REPO_ROOT / "dbt_project.yml").read_text().splitlines()
    for name in declared:
        index = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{name}:"))
        assert lines[index - 1].strip().startswith("#"), f"{name} has no explanation above it in dbt_project.yml"


def test_snowplow_sample_ships_with_its_notice():
    sample = Path(REPO_ROOT / "data" / "snowplow_web_sample")
    assert (sample / "NOTICE").read_text().startswith("Origin:")
    assert (sample / "snowplow_web_events.csv").exists()
