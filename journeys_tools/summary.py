"""A short, readable account of what a dbt build produced: rows per layer and model, quarantine reasons, the
journeys reports (visit-to-registration by first-touch channel, top signup paths, funnels) and attribution by
channel."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeys_tools.warehouse import Warehouse


@dataclass(frozen=True)
class ModelRows:
    layer: str
    model: str
    relation: str
    rows: int


def built_models(project_dir: Path) -> list[tuple[str, str, str]]:
    """(layer, model, relation) of every enabled model in the project's last manifest."""
    manifest = json.loads((project_dir / "target" / "manifest.json").read_text())
    models = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or not node.get("relation_name"):
            continue
        layer = node["fqn"][1] if len(node["fqn"]) > 2 else "models"
        models.append((layer, node["name"], node["relation_name"]))
    order = {"staging": 0, "intermediate": 1, "marts": 2}
    return sorted(models, key=lambda item: (order.get(item[0], 9), item[1]))


def count_rows(warehouse: Warehouse, project_dir: Path) -> list[ModelRows]:
    return [
        ModelRows(layer, model, relation, int(warehouse.query(f"select count(*) from {relation}")[0][0]))
        for layer, model, relation in built_models(project_dir)
    ]


def quarantine_counts(warehouse: Warehouse, relation: str) -> list[tuple[str, str, int]]:
    rows = warehouse.query(
        f"select source_table, quarantine_reason, count(*) from {relation} "
        "group by source_table, quarantine_reason order by source_table, quarantine_reason"
    )
    return [(str(table), str(reason), int(count)) for table, reason, count in rows]


def format_table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [headers, *[[str(value) for value in row] for row in rows]]
    widths = [max(len(row[index]) for row in cells) for index in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(
            value.rjust(width) if value.replace(".", "").isdigit() else value.ljust(width)
            for value, width in zip(row, widths, strict=True)
        ).rstrip()

    return "\n".join([line(cells[0]), line(["-" * width for width in widths]), *map(line, cells[1:])])


def build_summary(warehouse: Warehouse, project_dir: Path) -> str:
    """Rows per layer and model, then quarantined events by table and reason."""
    model_rows = count_rows(warehouse, project_dir)
    parts = [
        "Rows per model",
        format_table(["layer", "model", "rows"], [[m.layer, m.model, m.rows] for m in model_rows]),
    ]
    quarantine = next((m for m in model_rows if m.model == "int_events_quarantined"), None)
    validated = next((m for m in model_rows if m.model == "int_events_validated"), None)
    if quarantine is not None and validated is not None:
        counts = quarantine_counts(warehouse, quarantine.relation)
        total = validated.rows + quarantine.rows
        parts += [
            "",
            f"Canonical stream: {validated.rows} of {total} raw events; quarantined: {quarantine.rows}",
            format_table(["raw table", "reason", "events"], [list(row) for row in counts]),
        ]
    sessions = next((m for m in model_rows if m.model == "fct_sessions"), None)
    persons = next((m for m in model_rows if m.model == "dim_persons"), None)
    if sessions is not None and persons is not None and sessions.rows:
        parts += [
            "",
            "Sessions by channel",
            format_table(
                ["channel", "sessions", "share %", "bounce %"],
                [
                    [channel, count, f"{100 * count / sessions.rows:.1f}", f"{100 * bounces / count:.1f}"]
                    for channel, count, bounces in channel_counts(warehouse, sessions.relation)
                ],
            ),
        ]
        identified = warehouse.query(f"select count(*) from {persons.relation} where is_identified")[0][0]
        parts.append(f"\nPersons: {persons.rows} ({identified} identified, {persons.rows - identified} anonymous)")
    relations = {m.model: m.relation for m in model_rows}
    parts += journey_reports(relations, warehouse)
    parts += attribution_reports(relations, warehouse)
    parts += experiment_report(relations, warehouse)
    return "\n".join(parts)


def channel_counts(warehouse: Warehouse, relation: str) -> list[tuple[str, int, int]]:
    rows = warehouse.query(
        f"select channel, count(*), sum(case when is_bounce then 1 else 0 end) from {relation} "
        "group by channel order by count(*) desc, channel"
    )
    return [(str(channel), int(count), int(bounces or 0)) for channel, count, bounces in rows]


def percent(part: float | None, whole: float | None = 1.0) -> str:
    """A fraction (or part / whole) as a percentage with one decimal; '-' where there is none."""
    if part is None or not whole:
        return "-"
    return f"{100 * float(part) / float(whole):.1f}"


def shortened(path: str, width: int = 70) -> str:
    """A long path cut at the front, keeping its last steps."""
    return path if len(path) <= width else "... " + path[-(width - 4) :]


def journey_reports(relations: dict[str, str], warehouse: Warehouse) -> list[str]:
    """Visit-to-registration by first-touch channel, the top signup paths and the funnels, for the reports that
    the build made (rpt_funnel_steps is printed only where it exists)."""
    parts: list[str] = []
    if "rpt_signup_conversion_by_channel" in relations and "fct_signup_journeys" in relations:
        rows = conversion_by_channel(warehouse, relations)
        parts += [
            "",
            "Visit-to-registration by first-touch channel (all weeks)",
            format_table(["channel", "visitors", "signups", "signup %", "median days"], rows),
        ]
    if "rpt_signup_paths" in relations:
        for path_type, title, limit in (("channel", "channels", 10), ("landing_page", "landing pages", 5)):
            rows = warehouse.query(
                f"select path_rank, path, persons, signups, signup_rate from {relations['rpt_signup_paths']} "
                f"where path_type = '{path_type}' and path_rank <= {limit} order by path_rank"
            )
            parts += [
                "",
                f"Top signup paths: {title} before signup (rpt_signup_paths)",
                format_table(
                    ["rank", "path", "persons", "signups", "signup %"],
                    [
                        [rank, shortened(str(path)), persons, signups, percent(rate)]
                        for rank, path, persons, signups, rate in rows
                    ],
                ),
            ]
    if "rpt_funnel_steps" in relations:
        rows = warehouse.query(
            "select funnel_name, step_number, step_name, persons, conversion_from_previous_step, "
            f"conversion_from_first_step, median_seconds_from_previous_step from {relations['rpt_funnel_steps']} "
            "order by funnel_name, step_number"
        )
        parts += [
            "",
            "Funnels (rpt_funnel_steps)",
            format_table(
                ["funnel", "step", "name", "persons", "% of previous", "% of first", "median time from previous"],
                [
                    [funnel, step, name, persons, percent(previous), percent(first), duration(seconds)]
                    for funnel, step, name, persons, previous, first, seconds in rows
                ],
            ),
        ]
    return parts


def conversion_by_channel(warehouse: Warehouse, relations: dict[str, str]) -> list[list[object]]:
    """Visitors, signups, the rate and the median days to signup per first-touch channel over all weeks: the
    counts from the report, the medians from the signup journeys (a median of weekly medians is none)."""
    counts = warehouse.query(
        f"select channel, sum(visitors), sum(signups) from {relations['rpt_signup_conversion_by_channel']} "
        "group by channel order by sum(visitors) desc, channel"
    )
    days: dict[str | None, list[float]] = defaultdict(list)
    for channel, days_to_signup in warehouse.query(
        f"select first_touch_channel, days_to_signup from {relations['fct_signup_journeys']} where is_signed_up"
    ):
        days[channel].append(float(days_to_signup))
    rows: list[list[object]] = []
    for channel, visitors, signups in counts:
        median = f"{statistics.median(days[channel]):.1f}" if days[channel] else "-"
        rows.append([channel or "(no session)", int(visitors), int(signups), percent(signups, visitors), median])
    return rows


def duration(seconds: float | None) -> str:
    """Seconds as a short duration: 45 s, 12 min, 3.5 h, 2.1 days."""
    if seconds is None:
        return "-"
    seconds = float(seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


SIDE_BY_SIDE_MODELS = ("last_touch", "linear", "markov")
"""The attribution models the summary compares: the last click, an even split, and the data-driven chain."""


def attribution_reports(relations: dict[str, str], warehouse: Warehouse) -> list[str]:
    """Per conversion name, conversions and value by channel under SIDE_BY_SIDE_MODELS side by side (from
    rpt_attribution_by_channel), then the channel's spend and ROAS where the ad spend source is on; value and
    ROAS columns only for a conversion that has values."""
    if "rpt_attribution_by_channel" not in relations:
        return []
    models = ", ".join(f"'{model}'" for model in SIDE_BY_SIDE_MODELS)
    cells: dict[str, dict[str, dict[str, tuple[Any, ...]]]] = defaultdict(lambda: defaultdict(dict))
    for name, channel, model, *numbers in warehouse.query(
        "select conversion_name, channel, model, conversions, attributed_value, spend, roas "
        f"from {relations['rpt_attribution_by_channel']} where model in ({models})"
    ):
        cells[str(name)][str(channel)][str(model)] = tuple(numbers)
    parts: list[str] = []
    for name, channels in sorted(cells.items()):
        values = [numbers for by_model in channels.values() for numbers in by_model.values()]
        has_value = any(numbers[1] is not None for numbers in values)
        has_spend = has_value and any(numbers[2] is not None for numbers in values)
        headers = ["channel", *SIDE_BY_SIDE_MODELS]
        headers += [f"value {model}" for model in SIDE_BY_SIDE_MODELS] if has_value else []
        headers += ["spend", *(f"ROAS {model}" for model in SIDE_BY_SIDE_MODELS)] if has_spend else []
        rows: list[list[object]] = []
        # the channels with the most conversions under the even split first
        for channel in sorted(channels, key=lambda c: (-float(channels[c].get("linear", (0,))[0]), c)):
            by_model = [channels[channel].get(model) for model in SIDE_BY_SIDE_MODELS]
            row: list[object] = [channel, *(number(numbers, 0, 1) for numbers in by_model)]
            if has_value:
                row += [number(numbers, 1, 0) for numbers in by_model]
            if has_spend:
                row += [number(next(numbers for numbers in by_model if numbers), 2, 0)]
                row += [number(numbers, 3, 2) for numbers in by_model]
            rows.append(row)
        parts += [
            "",
            f"{name.capitalize()}s by channel: {', '.join(SIDE_BY_SIDE_MODELS)} (rpt_attribution_by_channel)",
            format_table(headers, rows),
        ]
    return parts


def number(numbers: tuple[Any, ...] | None, index: int, decimals: int) -> str:
    """One of a report row's numbers with that many decimals; '-' where the row or the number is missing."""
    if numbers is None or numbers[index] is None:
        return "-"
    return f"{float(numbers[index]):.{decimals}f}"


def experiment_report(relations: dict[str, str], warehouse: Warehouse) -> list[str]:
    """The results of the experiment with the most units (fct_experiment_results, whole experiment): per metric
    and variant, units, the rate or mean, the relative lift with its interval and p-value, then the SRM check."""
    if "fct_experiment_results" not in relations:
        return []
    relation = relations["fct_experiment_results"]
    largest = warehouse.query(
        f"select experiment_id, sum(units) from {relation} where dimension = 'all' and metric = 'sessions' "
        "group by experiment_id order by sum(units) desc, experiment_id"
    )
    if not largest:
        return []
    experiment = str(largest[0][0])
    rows = warehouse.query(
        "select metric, variant, is_control, metric_type, units, mean, relative_lift, relative_lift_ci_lower, "
        f"relative_lift_ci_upper, p_value, srm_p_value, is_srm from {relation} "
        f"where experiment_id = '{experiment}' and dimension = 'all' order by metric, is_control desc, variant"
    )
    table: list[list[object]] = []
    for metric, variant, is_control, metric_type, units, mean, lift, lower, upper, p_value, *_ in rows:
        shown_mean = percent(mean) + " %" if metric_type == "binary" else number((mean,), 0, 2)
        interval = "" if is_control or lower is None else f"[{percent(lower)}, {percent(upper)}]"
        table.append(
            [
                metric,
                f"{variant} (control)" if is_control else variant,
                units,
                shown_mean,
                "" if is_control else percent(lift),
                interval,
                "" if is_control else number((p_value,), 0, 4),
            ]
        )
    srm_p_value, is_srm = rows[0][10], rows[0][11]
    srm = "no SRM" if not is_srm else "SAMPLE RATIO MISMATCH: do not trust these results"
    return [
        "",
        f"Experiment {experiment} (fct_experiment_results, 95% intervals; lift relative to the control)",
        format_table(["metric", "variant", "units", "rate / mean", "lift %", "interval %", "p-value"], table),
        f"SRM check: p = {number((srm_p_value,), 0, 4)} ({srm})",
    ]
