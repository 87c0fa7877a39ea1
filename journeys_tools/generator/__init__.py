"""Deterministic generator of clickstream data as Segment and Snowplow land it, plus its ground truth.

The simulation works on arrays of persons, devices, sessions and events (numpy, no per-row loops); every
random draw comes from a ``numpy.random.Generator`` seeded from the config, so the same config gives
byte-identical tables. Internally times are integer milliseconds since ``config.start``.

One module per stage, in the order they run (:mod:`.world` and :mod:`.parts` run them):

- :mod:`.population`: persons, devices and sessions, each session's base events; bot devices.
- :mod:`.tracker`: Snowplow's tracker: page ping timing, page view ids, re-sent page views, engaged time.
- :mod:`.devices`: device traits (user agent, class, country, clock skew); shared devices.
- :mod:`.sessions`: each session's marketing touch; the pages of the base events.
- :mod:`.identity`, :mod:`.commerce`, :mod:`.product`, :mod:`.aliases`: signups and logins, orders, the
  video product's actions (projects created, videos rendered and shared), user ids and aliases.
- :mod:`.events`: the merged, sorted event stream with user ids; the page each event happened on.
- :mod:`.experiments`: the exposures, the variant each shows, and the page views the true effects add.
- :mod:`.bad_rows`, :mod:`.outcomes`: the raw rows (deliveries, bad copies, re-sent page views) and the
  outcome the quarantine rules give each.
- :mod:`.vocabulary`, :mod:`.segment`, :mod:`.snowplow`, :mod:`.exposure_contexts` (through :mod:`.render`):
  the vendor tables.
- :mod:`.spend`: the ad platforms' spend per day and paid campaign (made by :func:`generate`).
- :mod:`.truth_events`, :mod:`.page_views`, :mod:`.milestones`, :mod:`.conversion_touches`,
  :mod:`.experiment_truth`, :mod:`.truth`: the ground truth (its tables: :data:`TRUTH_TABLES`, described in
  :mod:`.truth`).

:func:`generate_chunks` (:mod:`.parts`) yields a large data set in parts of disjoint persons, one part in
memory at a time. Facts shared with the dbt project (quarantine reasons, bot regex, raw table names) are
read from the project's files: see :mod:`.facts`.
"""

from __future__ import annotations

import pathlib

import pyarrow as pa

from journeys_tools.generator import truth as _truth
from journeys_tools.generator.catalog import SITE, SITE_HOST
from journeys_tools.generator.config import GeneratedData, GeneratorConfig, IdOffsets
from journeys_tools.generator.facts import (
    KEPT,
    SEGMENT_TABLES,
    SNOWPLOW_TABLES,
    bot_user_agent_regex,
    expected_outcomes,
    quarantine_reasons,
)
from journeys_tools.generator.parts import DEFAULT_CHUNK_EVENTS, generate_chunks, generate_part
from journeys_tools.generator.spend import ad_spend_table
from journeys_tools.generator.truth import TRUTH_TABLES

__all__ = [
    "DEFAULT_CHUNK_EVENTS",
    "KEPT",
    "SEGMENT_TABLES",
    "SITE",
    "SITE_HOST",
    "SNOWPLOW_TABLES",
    "TRUTH_TABLES",
    "GeneratedData",
    "GeneratorConfig",
    "bot_user_agent_regex",
    "expected_outcomes",
    "generate",
    "generate_chunks",
    "quarantine_reasons",
    "read_truth",
    "write_truth",
]


def generate(config: GeneratorConfig) -> GeneratedData:
    """Simulate the world described by ``config``; return its raw tables (the ad spend table too) and truth."""
    data, _ = generate_part(config, 0, IdOffsets())
    data.ad_spend = ad_spend_table(config)
    return data


def write_truth(data: GeneratedData, directory: pathlib.Path) -> None:
    """Write each truth table as ``<name>.parquet`` in ``directory`` (created when missing)."""
    _truth.write_truth(data, directory)


def read_truth(directory: pathlib.Path) -> dict[str, pa.Table]:
    """Read the truth tables written by :func:`write_truth`."""
    return _truth.read_truth(directory)
