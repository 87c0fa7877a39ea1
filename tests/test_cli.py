"""The README's commands, run as a user would: the demo end to end (on DuckDB, small) in a copy of the
project, a dbt failure, and starting and stopping the embedded PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import psycopg2
import pytest

from journeys_tools.project import copy_project
from journeys_tools.warehouse import (
    DUCKDB_MEMORY_LIMIT,
    EMBEDDED_POSTGRES_DATABASE_LOCALE,
    EMBEDDED_POSTGRES_SETTINGS,
    embedded_postgres_pid,
)
from tests.conftest import REPO_ROOT

# the connection of a warehouse other than the one under test
FOREIGN_ENV = (
    "DBT_PROFILES_DIR",
    "JOURNEYS_TARGET",
    "JOURNEYS_STATE_DIR",
    "JOURNEYS_DUCKDB_PATH",
    "JOURNEYS_PG_HOST",
    "JOURNEYS_PG_PORT",
)


def journeys(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the `journeys` command line in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "journeys_tools.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def test_demo_builds_everything_and_prints_the_headline_results(tmp_path: Path):
    project = copy_project(REPO_ROOT, tmp_path / "project")
    env = {**os.environ, "JOURNEYS_PROJECT_DIR": str(project)}
    env.pop("DBT_PROFILES_DIR", None)
    result = journeys("demo", "--target", "duckdb", "--events", "3000", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    for heading in ("Rows per model", "Canonical stream:", "Sessions by channel", "Persons:"):
        assert heading in result.stdout
    assert "fct_sessions" in result.stdout and "int_events_quarantined" in result.stdout
    # attribution by channel, three models side by side, with the generated spend read: ROAS shows
    assert "Orders by channel: last_touch, linear, markov" in result.stdout and "ROAS markov" in result.stdout
    # one experiment's results: variants with units, rates, lifts with their intervals and p-values, the SRM check
    assert "Experiment exp_" in result.stdout and "SRM check: p = " in result.stdout
    assert "interval %" in result.stdout and "(control)" in result.stdout
    assert (project / ".journeys" / "truth" / "events.parquet").exists()


def test_a_dbt_failure_is_reported_in_one_line_without_a_traceback(tmp_path: Path):
    project = copy_project(REPO_ROOT, tmp_path / "project")
    env = {**os.environ, "JOURNEYS_PROJECT_DIR": str(project)}
    env.pop("DBT_PROFILES_DIR", None)
    result = journeys("dbt", "--target", "duckdb", "--", "run", "--select", "stg_segment__pages", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "journeys: dbt run" in result.stderr and "was not found" in result.stderr


@pytest.mark.postgres
def test_warehouse_stop_ends_the_server_start_left_running_and_a_second_stop_says_so(tmp_path: Path):
    state = tmp_path / "state"
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env.update({"JOURNEYS_PROJECT_DIR": str(REPO_ROOT), "JOURNEYS_STATE_DIR": str(state)})
    started = journeys("warehouse", "start", env=env)
    assert started.returncode == 0, started.stderr[-3000:]
    pid = embedded_postgres_pid(state / "postgres")
    assert pid is not None and psutil.pid_exists(pid)
    try:
        # the server the project starts runs with the analytics settings, and without data checksums
        host = next(line.split("=", 1)[1] for line in started.stdout.splitlines() if "JOURNEYS_PG_HOST=" in line)
        conn = psycopg2.connect(host=host, user="postgres", dbname="journeys")
        try:
            with conn.cursor() as cur:
                for name, (value, _) in EMBEDDED_POSTGRES_SETTINGS.items():
                    cur.execute("select current_setting(%s)", (name,))
                    assert cur.fetchone() == (value,), name
                cur.execute("select current_setting('data_checksums')")
                assert cur.fetchone() == ("off",)
                # and its database sorts text byte by byte (PostgreSQL's builtin provider)
                cur.execute("select datlocprovider, datlocale from pg_database where datname = current_database()")
                assert cur.fetchone() == ("b", EMBEDDED_POSTGRES_DATABASE_LOCALE)
        finally:
            conn.close()

        stopped = journeys("warehouse", "stop", env=env)
        assert stopped.returncode == 0, stopped.stderr[-3000:]
        assert f"Stopped the embedded PostgreSQL (process {pid})" in stopped.stdout
        assert not psutil.pid_exists(pid)
        assert embedded_postgres_pid(state / "postgres") is None
    finally:
        if psutil.pid_exists(pid):  # a failed stop must not leave a server behind
            psutil.Process(pid).kill()

    again = journeys("warehouse", "stop", env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "No embedded PostgreSQL is running" in again.stdout and "nothing to stop" in again.stdout


@pytest.mark.postgres
def test_warehouse_start_replaces_a_server_whose_folder_was_deleted_under_it(tmp_path: Path):
    """Deleting the state folder while its server runs leaves that server running without its postmaster.pid;
    the next start stops it and starts a new one, and stop finds a server by its folder alone."""
    state = tmp_path / "state"
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env.update({"JOURNEYS_PROJECT_DIR": str(REPO_ROOT), "JOURNEYS_STATE_DIR": str(state)})
    pids: list[int] = []
    try:
        first = journeys("warehouse", "start", env=env)
        assert first.returncode == 0, first.stderr[-3000:]
        old_pid = embedded_postgres_pid(state / "postgres")
        assert old_pid is not None
        pids.append(old_pid)
        shutil.rmtree(state / "postgres")
        assert psutil.pid_exists(old_pid) and embedded_postgres_pid(state / "postgres") == old_pid

        second = journeys("warehouse", "start", env=env)
        assert second.returncode == 0, second.stderr[-3000:]
        assert "Traceback" not in second.stderr
        new_pid = embedded_postgres_pid(state / "postgres")
        assert new_pid is not None and new_pid != old_pid
        pids.append(new_pid)
        assert not psutil.pid_exists(old_pid) or psutil.Process(old_pid).status() == psutil.STATUS_ZOMBIE

        shutil.rmtree(state / "postgres")
        stopped = journeys("warehouse", "stop", env=env)
        assert stopped.returncode == 0, stopped.stderr[-3000:]
        assert f"Stopped the embedded PostgreSQL (process {new_pid})" in stopped.stdout
    finally:
        for pid in pids:  # a failed step must not leave a server behind
            if psutil.pid_exists(pid):
                psutil.Process(pid).kill()


@pytest.mark.duckdb
def test_duckdb_takes_its_memory_limit_and_threads_from_the_environment(tmp_path: Path):
    profile = (REPO_ROOT / "profiles.yml.example").read_text()
    assert f"env_var('JOURNEYS_DUCKDB_MEMORY_LIMIT', '{DUCKDB_MEMORY_LIMIT}')" in profile
    project = copy_project(REPO_ROOT, tmp_path / "project")
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV}
    env.update(
        {"JOURNEYS_PROJECT_DIR": str(project), "JOURNEYS_DUCKDB_MEMORY_LIMIT": "1GB", "JOURNEYS_DUCKDB_THREADS": "1"}
    )
    query = "select current_setting('memory_limit') as memory_limit, current_setting('threads') as threads"
    result = journeys("dbt", "--target", "duckdb", "--", "show", "--inline", query, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    # DuckDB shows 1GB (10^9 bytes) in MiB
    assert re.search(r"\|\s*953\.6 MiB\s*\|\s*1\s*\|", result.stdout), result.stdout[-2000:]
