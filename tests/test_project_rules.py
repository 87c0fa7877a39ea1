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
    """A model's key is tested unique and not null on the model, or, where the model holds the same rows as another
    (a view over it, or one row per row of it), once on that model: its `meta` names the key and the model
    (`primary_key`, `primary_key_tested_on`), so the same uniqueness is not checked over the same rows twice."""
    tested: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata", {}).get("name") in ("unique", "not_null"):
            model_id = node.get("attached_node")
            column = node.get("column_name")
            tested.setdefault(f"{model_id}:{column}", set()).add(node["test_metadata"]["name"])
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


def test_models_name_no_relation_directly(manifest: dict[str, Any]):
    hard_coded = re.compile(r"\b(from|join)\s+[\"`]?[a-z_][a-z0-9_]*[\"`]?\.[\"`]?[a-z_]", re.IGNORECASE)
    offenders = [m["name"] for m in models(manifest) if hard_coded.search(m["raw_code"])]
    assert offenders == []


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
