"""Where the dbt project and the tooling's state live, and how dbt is invoked on them."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_FILES = ("dbt_project.yml", "profiles.yml.example", ".sqlfluff", ".sqlfluffignore")
PROJECT_FOLDERS = ("models", "macros", "seeds", "tests", "analyses", "data")
SCHEDULED_BUILD = ("build", "--exclude-resource-type", "unit_test")
"""The scheduled job (the demo, the benchmark, a team's cron): every seed, model and data test. The unit tests
check the SQL on fixed inputs, so they give the same answer on every run; they run in the test suite, as dbt
recommends (run unit tests in development and CI, not in production)."""


class DbtFailure(RuntimeError):
    """A dbt invocation failed; the message lists what failed and why."""


def project_root() -> Path:
    """The dbt project folder: JOURNEYS_PROJECT_DIR, else the folder above this package."""
    configured = os.environ.get("JOURNEYS_PROJECT_DIR")
    root = Path(configured) if configured else Path(__file__).resolve().parent.parent
    if not (root / "dbt_project.yml").exists():
        raise FileNotFoundError(f"No dbt_project.yml in {root}: set JOURNEYS_PROJECT_DIR to the journeys folder.")
    return root


def copy_project(source: Path, destination: Path) -> Path:
    """A copy of the dbt project (no state, no build output) in `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        if (source / name).exists():
            shutil.copy2(source / name, destination / name)
    for name in PROJECT_FOLDERS:
        if (source / name).exists():
            shutil.copytree(
                source / name,
                destination / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
    return destination


def prepare_profiles(project_dir: Path, state_dir: Path) -> Path:
    """The profiles folder dbt uses: DBT_PROFILES_DIR if set, else a copy of profiles.yml.example."""
    configured = os.environ.get("DBT_PROFILES_DIR")
    if configured:
        return Path(configured)
    profiles_dir = state_dir / "profiles"
    profiles_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(project_dir / "profiles.yml.example", profiles_dir / "profiles.yml")
    return profiles_dir


@dataclass
class DbtProject:
    """A dbt project folder with the profiles folder and target it runs with."""

    project_dir: Path
    profiles_dir: Path
    target: str

    def invoke(self, args: Sequence[str], variables: Mapping[str, Any] | None = None) -> Any:
        """Run one dbt command in this process; raise DbtFailure naming what failed."""
        from dbt.cli.main import dbtRunner

        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        full_args = [
            *args,
            "--project-dir",
            str(self.project_dir),
            "--profiles-dir",
            str(self.profiles_dir),
            "--target",
            self.target,
        ]
        if variables:
            full_args += ["--vars", json.dumps(dict(variables))]
        result = dbtRunner().invoke(full_args)
        if not result.success:
            raise DbtFailure(describe_failure(args, result))
        return result.result


def describe_failure(args: Sequence[str], result: Any) -> str:
    """One line per failed node (or the exception), for a message a person can act on."""
    lines = [f"dbt {' '.join(args)} failed:"]
    if result.exception is not None:
        lines.append(f"  {result.exception}")
    node_results = getattr(result.result, "results", None) or []
    for node_result in node_results:
        status = str(node_result.status).lower()
        if status in {"error", "fail", "runtime error"}:
            lines.append(f"  {node_result.node.unique_id}: {status}: {node_result.message}")
    return "\n".join(lines)
