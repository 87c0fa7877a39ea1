"""The real Snowplow web sample shipped in data/snowplow_web_sample (see its NOTICE)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

SNOWPLOW_SAMPLE_FILES = {
    "events": "snowplow_web_events.csv",
    "com_iab_snowplow_spiders_and_robots_1": "snowplow_web_spider_context.csv",
}


def read_csv_as_text(path: Path) -> pa.Table:
    """A CSV file as it is: every column text, empty fields NULL, column names lower-cased."""
    with path.open("rb") as handle:
        header = handle.readline().decode("utf-8").strip().split(",")
    table = pa_csv.read_csv(
        path,
        convert_options=pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in header}, strings_can_be_null=True
        ),
    )
    return table.rename_columns([name.strip().lower() for name in table.column_names])


def read_snowplow_sample(sample_dir: Path) -> dict[str, pa.Table]:
    """The sample's tables by the names Snowplow gives them in the atomic schema."""
    return {name: read_csv_as_text(sample_dir / file) for name, file in SNOWPLOW_SAMPLE_FILES.items()}
