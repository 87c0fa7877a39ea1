"""From the simulated world and its raw rows to the vendor tables and the truth, built in row chunks."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from journeys_tools.generator import exposure_contexts, segment, snowplow
from journeys_tools.generator.arrays import Ints
from journeys_tools.generator.bad_rows import RawRows
from journeys_tools.generator.catalog import FEATURE_FLAG, OPTIMIZELY_SUMMARY, SNOWPLOW_EXPOSURE_CONTEXTS
from journeys_tools.generator.codes import IDENTIFY, PV
from journeys_tools.generator.columns import row_chunks
from journeys_tools.generator.config import GeneratedData, IdOffsets
from journeys_tools.generator.context import RenderContext
from journeys_tools.generator.facts import SEGMENT_TABLES
from journeys_tools.generator.outcomes import Outcomes
from journeys_tools.generator.truth import entity_tables
from journeys_tools.generator.truth_events import SNOWPLOW_EVENTS_CODE, truth_event_columns
from journeys_tools.generator.vocabulary import build_vocabulary
from journeys_tools.generator.world import World


def render(
    world: World,
    rows: RawRows,
    outcomes: Outcomes,
    rng: np.random.Generator,
    tracker_rng: np.random.Generator,
    offsets: IdOffsets,
) -> tuple[GeneratedData, IdOffsets]:
    """Build every table (raw event tables and truth events in row chunks, in load order); also return
    where the ids of a next part of the same data set start."""
    ctx = RenderContext(world, rows, outcomes, build_vocabulary(world, rng, tracker_rng, offsets))
    o = outcomes
    table_of = np.where(o.snow, 3, np.where(o.kind == PV, 0, np.where(o.kind == IDENTIFY, 2, 1)))
    builders = (
        lambda chunk: segment.pages_columns(ctx, chunk),
        lambda chunk: segment.tracks_columns(ctx, chunk),
        lambda chunk: segment.identifies_columns(ctx, chunk),
        lambda chunk: snowplow.events_columns(ctx, chunk, rng),
    )
    raw: list[pa.Table] = []
    truth_batches: list[pa.RecordBatch] = []
    spider_batches: list[pa.RecordBatch] = []
    web_page_batches: list[pa.RecordBatch] = []
    optimizely_batches: list[pa.RecordBatch] = []
    feature_flag_batches: list[pa.RecordBatch] = []
    table_rows: list[Ints] = []
    for code, build in enumerate(builders):
        in_table = np.flatnonzero(table_of == code)
        in_table = in_table[np.argsort(o.loaded[in_table], kind="stable")]
        table_rows.append(in_table)
        batches = []
        for chunk in row_chunks(in_table):
            cols = build(chunk)
            batches.append(pa.RecordBatch.from_pydict(cols))
            truth_batches.append(pa.RecordBatch.from_pydict(truth_event_columns(ctx, chunk, code, cols)))
            if code == SNOWPLOW_EVENTS_CODE:
                spider_batches.append(pa.RecordBatch.from_pydict(snowplow.spider_context_columns(ctx, chunk, cols)))
                web_page_batches.append(pa.RecordBatch.from_pydict(snowplow.web_page_context_columns(ctx, chunk, cols)))
                optimizely_batches.append(
                    pa.RecordBatch.from_pydict(exposure_contexts.optimizely_context_columns(ctx, chunk, cols))
                )
                feature_flag_batches.append(
                    pa.RecordBatch.from_pydict(exposure_contexts.feature_flag_context_columns(ctx, chunk, cols))
                )
        raw.append(pa.Table.from_batches(batches))
    tables = {
        "pages": raw[0],
        "tracks": raw[1],
        "identifies": raw[2],
        "aliases": segment.aliases_table(ctx, rng),
        **segment.spec_tables(ctx, raw[1], table_rows[1]),
    }
    snowplow_tables = {
        "events": raw[3],
        "com_iab_snowplow_spiders_and_robots_1": pa.Table.from_batches(spider_batches),
        "com_snowplowanalytics_snowplow_web_page_1": pa.Table.from_batches(web_page_batches),
        SNOWPLOW_EXPOSURE_CONTEXTS[OPTIMIZELY_SUMMARY][1]: pa.Table.from_batches(optimizely_batches),
        SNOWPLOW_EXPOSURE_CONTEXTS[FEATURE_FLAG][1]: pa.Table.from_batches(feature_flag_batches),
    }
    truth = {"events": pa.Table.from_batches(truth_batches), **entity_tables(ctx)}
    data = GeneratedData(segment={k: tables[k] for k in SEGMENT_TABLES}, snowplow=snowplow_tables, truth=truth)
    return data, _next_offsets(ctx, offsets)


def _next_offsets(ctx: RenderContext, offsets: IdOffsets) -> IdOffsets:
    pop = ctx.world.population
    return IdOffsets(
        persons=offsets.persons + pop.n_persons,
        sessions=offsets.sessions + pop.n_sessions,
        user_ids=offsets.user_ids + ctx.world.users.n_uids,
        orders=offsets.orders + max(1, ctx.world.orders.n),
        keys=offsets.keys + ctx.rows.n_keys,
        id_salt=ctx.vocabulary.ids.id_salt,
    )
