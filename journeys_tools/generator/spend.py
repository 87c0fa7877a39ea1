"""The ad platforms' spend: what each paid campaign cost per day, the optional source of the attribution reports'
spend, cost per conversion and ROAS (vars ``journeys__ad_spend_*``).

One row per day, paid channel and campaign (the campaigns :func:`journeys_tools.generator.sessions.draw_touches`
gives the paid channels' sessions), from ``SPEND_MARGIN_DAYS`` before the window in which sessions start to as
many after it, so that the reports' period (the sessions' first to last day) leaves some rows out. The amounts
are a daily budget per campaign, scaled to the data set's size, times a log-normal day-to-day factor, in cents.
They come from a stream of their own: the spend changes no other draw of the generator.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from journeys_tools.generator.catalog import CH_PAID_SEARCH, CH_PAID_SOCIAL, CHANNELS, UTM_CAMPAIGNS
from journeys_tools.generator.config import GeneratedData, GeneratorConfig, as_utc
from journeys_tools.generator.facts import ad_spend_location

PAID_CAMPAIGNS: tuple[tuple[int, int, float], ...] = (
    (CH_PAID_SEARCH, 0, 12.0),
    (CH_PAID_SEARCH, 1, 24.0),
    (CH_PAID_SEARCH, 2, 14.0),
    (CH_PAID_SOCIAL, 3, 18.0),
    (CH_PAID_SOCIAL, 4, 10.0),
    (CH_PAID_SOCIAL, 5, 16.0),
)
"""Channel (index into CHANNELS), campaign (index into UTM_CAMPAIGNS) and daily budget per 10,000 events."""
SPEND_MARGIN_DAYS = 7
SPEND_SPAWN_KEY = (0, 2)
"""The spend's random stream: beside the first part's simulation (seed) and tracker ((0, 1)) streams."""


def ad_spend_table(config: GeneratorConfig) -> pa.Table:
    """The spend table: ``date``, ``channel``, ``campaign``, ``spend``, ordered by date, then campaign."""
    rng = np.random.default_rng(np.random.SeedSequence(config.seed, spawn_key=SPEND_SPAWN_KEY))
    channel, campaign, budget = (np.array(column) for column in zip(*PAID_CAMPAIGNS, strict=True))
    n_days = config.days + 2 * SPEND_MARGIN_DAYS
    first_day: date = as_utc(config.start).date() - timedelta(days=SPEND_MARGIN_DAYS)
    day = np.repeat(np.arange(n_days), len(PAID_CAMPAIGNS))
    row = np.tile(np.arange(len(PAID_CAMPAIGNS)), n_days)
    factor = rng.lognormal(mean=0.0, sigma=0.25, size=row.size)
    spend = np.round(budget[row] * config.events / 10_000 * factor, 2)
    return pa.table(
        {
            "date": pa.array(np.datetime64(first_day, "D") + day),
            "channel": pa.array(np.array(CHANNELS)[channel[row]]),
            "campaign": pa.array(np.array(UTM_CAMPAIGNS)[campaign[row]]),
            "spend": pa.array(spend),
        }
    )


def ad_spend_schemas(data: GeneratedData) -> dict[str, dict[str, pa.Table]]:
    """The ad spend table where the project reads it by default ({schema: {table: rows}}), for a loader's
    ``load_schemas``; empty when the data has none."""
    if data.ad_spend is None:
        return {}
    schema, table = ad_spend_location()
    return {schema: {table: data.ad_spend}}
