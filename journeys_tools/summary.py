"""A short, readable account of what a dbt build produced: rows per layer and model, quarantine reasons."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

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
    return "\n".join(parts)


def channel_counts(warehouse: Warehouse, relation: str) -> list[tuple[str, int, int]]:
    rows = warehouse.query(
        f"select channel, count(*), sum(case when is_bounce then 1 else 0 end) from {relation} "
        "group by channel order by count(*) desc, channel"
    )
    return [(str(channel), int(count), int(bounces or 0)) for channel, count, bounces in rows]
