"""Facts the generator shares with the dbt project, read from the project's own files (one home per fact).

- The quarantine reasons and the order the screening checks them: ``seeds/quarantine_reasons.csv``.
- The bot user-agent regex: the var ``journeys__bot_user_agent_regex`` in ``dbt_project.yml``.
- Where the ad spend table is read from: the vars ``journeys__ad_spend_schema`` and ``journeys__ad_spend_table``.
- The raw table names: :data:`SEGMENT_TABLES` and :data:`SNOWPLOW_TABLES` below, the tables the generator
  writes; a test checks them against the ``name``/``identifier`` of the tables in
  ``models/staging/*/_*__sources.yml`` and, for the Segment per-event tables of the product's actions, the
  tables the var ``journeys__segment_property_columns`` names (the project reads those by name, beside
  ``tracks``). The identifiers are Jinja, so the project's files are the reference and this is a checked copy
  rather than a parse of them at run time.
"""

from __future__ import annotations

import csv
import functools

import yaml

from journeys_tools.project import project_root

QUARANTINE_REASONS_SEED = "seeds/quarantine_reasons.csv"
BOT_REGEX_VAR = "journeys__bot_user_agent_regex"
KEPT = "kept"
"""The expected outcome of a raw row that reaches the canonical stream."""

SEGMENT_TABLES = (
    "pages",
    "tracks",
    "identifies",
    "aliases",
    "order_completed",
    "experiment_viewed",
    "signed_up",
    "project_created",
    "video_rendered",
    "video_shared",
)
SNOWPLOW_TABLES = (
    "events",
    "com_iab_snowplow_spiders_and_robots_1",
    "com_snowplowanalytics_snowplow_web_page_1",
    "com_optimizely_optimizelyx_summary_1",
    "com_launchdarkly_feature_flag_1",
)


@functools.cache
def quarantine_reasons() -> tuple[str, ...]:
    """The quarantine reasons in the order the screening checks them (the seed's ``check_order``)."""
    path = project_root() / QUARANTINE_REASONS_SEED
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ordered = sorted(rows, key=lambda row: int(row["check_order"]))
    reasons = tuple(row["quarantine_reason"] for row in ordered)
    if len(set(reasons)) != len(reasons) or len({row["check_order"] for row in rows}) != len(rows):
        raise ValueError(f"{path}: each quarantine_reason and each check_order must appear once")
    return reasons


def expected_outcomes() -> tuple[str, ...]:
    """Every expected outcome of a raw row: 'kept', then the quarantine reasons in check order."""
    return (KEPT, *quarantine_reasons())


def project_string_var(name: str) -> str:
    """A string var's default in ``dbt_project.yml``."""
    path = project_root() / "dbt_project.yml"
    variables = yaml.safe_load(path.read_text(encoding="utf-8")).get("vars") or {}
    if not isinstance(variables.get(name), str):
        raise ValueError(f"{path}: vars.{name} must be a string")
    return str(variables[name])


@functools.cache
def bot_user_agent_regex() -> str:
    """The case-insensitive regex whose match on the user agent makes an event a bot event."""
    return project_string_var(BOT_REGEX_VAR)


@functools.cache
def ad_spend_location() -> tuple[str, str]:
    """The schema and table the project reads the ad spend from by default."""
    return project_string_var("journeys__ad_spend_schema"), project_string_var("journeys__ad_spend_table")
