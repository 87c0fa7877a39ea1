"""The README's first command, run end to end (on DuckDB, small) in a copy of the project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from journeys_tools.project import copy_project
from tests.conftest import REPO_ROOT


def test_demo_builds_everything_and_prints_the_headline_results(tmp_path: Path):
    project = copy_project(REPO_ROOT, tmp_path / "project")
    env = {**os.environ, "JOURNEYS_PROJECT_DIR": str(project)}
    env.pop("DBT_PROFILES_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "journeys_tools.cli", "demo", "--target", "duckdb", "--events", "3000"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for heading in ("Rows per model", "Canonical stream:", "Sessions by channel", "Persons:"):
        assert heading in result.stdout
    assert "fct_sessions" in result.stdout and "int_events_quarantined" in result.stdout
    assert (project / ".journeys" / "truth" / "events.parquet").exists()


def test_a_dbt_failure_is_reported_in_one_line_without_a_traceback(tmp_path: Path):
    project = copy_project(REPO_ROOT, tmp_path / "project")
    env = {**os.environ, "JOURNEYS_PROJECT_DIR": str(project)}
    env.pop("DBT_PROFILES_DIR", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "journeys_tools.cli",
            "dbt",
            "--target",
            "duckdb",
            "--",
            "run",
            "--select",
            "stg_segment__pages",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "journeys: dbt run" in result.stderr and "was not found" in result.stderr
