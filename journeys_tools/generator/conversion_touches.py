"""The truth ``conversion_touches`` table: each conversion and the truth sessions that lead to it.

A conversion is a truth signup (``conversion_name`` 'signup') or order ('order'), named as in the project's seed
``conversion_definitions``. Its touches are the truth sessions of its truth person that started within
:data:`ATTRIBUTION_LOOKBACK_DAYS` before it, up to its own time: ``0 <= converted_at - started_at <= lookback``,
timestamps compared, never calendar days. One row per conversion and touch: ``event_id``, ``conversion_name``,
``person_id``, ``converted_at``, ``session_id``, ``touch_index`` (1.. in start order, then session id),
``touch_count``, the session's ``channel``, ``utm_source``, ``utm_medium``, ``utm_campaign`` and ``started_at``, and
``days_before`` (fractional days from the session's start to the conversion). A conversion with no such session
has one row with ``touch_index`` 0, ``touch_count`` 0 and the session's columns NULL.

This is the truth person's view: the project gives sessions to persons by its identity rules (an anonymous device
never identified stays its own person), so the project's touches of a conversion can be fewer. Rows are in the
order of the ``signups`` then the ``orders`` table, each conversion's touches by ``touch_index``.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from journeys_tools.generator.arrays import Ints, run_rank
from journeys_tools.generator.columns import take, vocab

ATTRIBUTION_LOOKBACK_DAYS = 30
"""The default lookback of attribution (var ``journeys__attribution_lookback_days`` in ``dbt_project.yml``; a
checked copy, see ``tests/test_generator.py``)."""
DAY_US = 86_400 * 1_000_000
TOUCH_COLUMNS = ("session_id", "channel", "utm_source", "utm_medium", "utm_campaign", "started_at")


def _micros(values: pa.ChunkedArray | pa.Array) -> Ints:
    return pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False)


def _conversions(signups: pa.Table, orders: pa.Table) -> pa.Table:
    def named(table: pa.Table, at: str, name: str) -> pa.Table:
        return pa.table(
            {
                "event_id": table["event_id"],
                "conversion_name": take(vocab([name]), np.zeros(table.num_rows, dtype=np.int64)),
                "person_id": table["person_id"],
                "converted_at": table[at],
            }
        )

    return pa.concat_tables([named(signups, "signed_up_at", "signup"), named(orders, "ordered_at", "order")])


def conversion_touches_table(
    sessions: pa.Table, signups: pa.Table, orders: pa.Table, lookback_days: int = ATTRIBUTION_LOOKBACK_DAYS
) -> pa.Table:
    """The touches of each conversion of the truth ``signups`` and ``orders`` among the truth ``sessions``."""
    conversions = _conversions(signups, orders)
    n_sessions = sessions.num_rows
    persons = pa.chunked_array([*sessions["person_id"].chunks, *conversions["person_id"].chunks], pa.string())
    person = pc.fill_null(pc.dictionary_encode(persons).combine_chunks().indices, -1).to_numpy().astype(np.int64)
    p_s, p_c = person[:n_sessions], person[n_sessions:]
    t_s, t_c = _micros(sessions["started_at"]), _micros(conversions["converted_at"])
    earliest = t_c - lookback_days * DAY_US
    # dense ranks of every time involved, so (person, time) is one sortable integer key of any width of data
    times, rank = np.unique(np.concatenate([t_s, t_c, earliest]), return_inverse=True)
    r_s, r_c, r_earliest = np.split(rank.astype(np.int64), [n_sessions, n_sessions + t_c.size])
    width = times.size
    session_key = p_s * width + r_s
    keys = pa.table({"key": session_key, "session_id": sessions["session_id"]})
    order = pc.sort_indices(keys, sort_keys=[("key", "ascending"), ("session_id", "ascending")]).to_numpy()
    order = order.astype(np.int64)  # sort_indices gives uint64
    sorted_key = session_key[order]
    first = np.searchsorted(sorted_key, p_c * width + r_earliest, side="left")
    count = np.searchsorted(sorted_key, p_c * width + r_c, side="right") - first

    rows = np.maximum(count, 1)
    conversion = np.repeat(np.arange(t_c.size, dtype=np.int64), rows)
    starts = np.zeros(conversion.size, dtype=bool)
    starts[np.cumsum(rows) - rows] = True
    position = run_rank(starts)
    touched = count[conversion] > 0
    session = np.append(order, -1)[np.where(touched, first[conversion] + position, n_sessions)]
    days_before = (t_c[conversion] - np.append(t_s, 0)[session]) / DAY_US
    return pa.table(
        {
            **{name: conversions[name].take(pa.array(conversion)) for name in conversions.column_names},
            "session_id": take(sessions["session_id"].combine_chunks(), session),
            "touch_index": pa.array(np.where(touched, position + 1, 0)),
            "touch_count": pa.array(count[conversion].astype(np.int64)),
            **{name: take(sessions[name].combine_chunks(), session) for name in TOUCH_COLUMNS[1:]},
            "days_before": pa.array(days_before, mask=~touched, type=pa.float64()),
        }
    )
