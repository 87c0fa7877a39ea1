"""Where a dbt build spends its time: the time of every node from dbt's `target/run_results.json`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeys_tools.summary import format_table

COSTLIEST = 10
"""How many nodes of each build the report shows."""
MODEL_GROUPS = {"attribution": ("int_attribution_", "fct_attribution_", "rpt_attribution_")}
"""Groups of models whose every node time the report shows, whatever their rank: name prefixes per group."""
_TEST_HASH = re.compile(r"\.[0-9a-f]{10}$")
_KINDS = {"unit_test": "unit test"}


@dataclass(frozen=True)
class NodeTime:
    """One node of a build: its name, kind (model, test, seed, unit test, ...) and execution seconds."""

    name: str
    kind: str
    seconds: float


@dataclass(frozen=True)
class BuildNodes:
    """The nodes of one dbt invocation, costliest first, with dbt's own elapsed time of the invocation."""

    nodes: tuple[NodeTime, ...]
    elapsed_s: float | None = None

    @property
    def total_s(self) -> float:
        """Summed node time; with several threads, nodes overlap and the sum exceeds the elapsed time."""
        return sum(node.seconds for node in self.nodes)

    def share(self, node: NodeTime) -> float:
        """The node's part of the summed node time, 0 to 1."""
        return node.seconds / self.total_s if self.total_s else 0.0

    def costliest(self, count: int = COSTLIEST) -> tuple[NodeTime, ...]:
        return self.nodes[:count]

    def models_named(self, prefixes: tuple[str, ...]) -> tuple[NodeTime, ...]:
        """The models whose name starts with one of `prefixes`, costliest first."""
        return tuple(node for node in self.nodes if node.kind == "model" and node.name.startswith(prefixes))

    def to_json(self) -> dict[str, Any]:
        return {
            "elapsed_s": self.elapsed_s,
            "nodes": [[node.name, node.kind, node.seconds] for node in self.nodes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildNodes:
        nodes = tuple(NodeTime(str(name), str(kind), float(seconds)) for name, kind, seconds in data["nodes"])
        return cls(nodes, data.get("elapsed_s"))


def node_name(unique_id: str) -> tuple[str, str]:
    """(name, kind) of a node id: 'model.journeys.fct_events' -> ('fct_events', 'model'); a data test's
    hash suffix is dropped."""
    kind, _, rest = unique_id.partition(".")
    name = rest.partition(".")[2] or rest
    if kind == "test":
        name = _TEST_HASH.sub("", name)
    return name, _KINDS.get(kind, kind)


def read_run_results(path: Path) -> BuildNodes:
    """The nodes of the invocation that wrote `path` (dbt's run_results.json), costliest first."""
    data = json.loads(path.read_text())
    nodes = [NodeTime(*node_name(result["unique_id"]), float(result["execution_time"])) for result in data["results"]]
    nodes.sort(key=lambda node: (-node.seconds, node.name))
    elapsed = data.get("elapsed_time")
    return BuildNodes(tuple(nodes), float(elapsed) if elapsed is not None else None)


def _rows(build: BuildNodes, count: int) -> list[list[object]]:
    return [
        [rank, node.name, node.kind, f"{node.seconds:.1f}", f"{100 * build.share(node):.1f}"]
        for rank, node in enumerate(build.costliest(count), start=1)
    ]


HEADERS = ["#", "node", "kind", "s", "share %"]


def heading(label: str, build: BuildNodes) -> str:
    """'<label>: N nodes, S s of node time (dbt elapsed E s)'."""
    elapsed = f", dbt elapsed {build.elapsed_s:.1f} s" if build.elapsed_s is not None else ""
    return f"{label}: {len(build.nodes)} nodes, {build.total_s:.1f} s of node time{elapsed}"


def text_table(label: str, build: BuildNodes, count: int = COSTLIEST) -> str:
    """The costliest nodes as plain text, under a heading."""
    return f"{heading(label, build)}\n{format_table(HEADERS, _rows(build, count))}"


def markdown_table(label: str, build: BuildNodes, count: int = COSTLIEST) -> str:
    """The costliest nodes as a Markdown table, under a bold heading."""
    lines = [f"**{heading(label, build)}**", "", "| " + " | ".join(HEADERS) + " |", "|---:|---|---|---:|---:|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in _rows(build, count)]
    return "\n".join(lines)


def group_markdown_table(group: str, labelled_builds: list[tuple[str, BuildNodes]]) -> str:
    """The models of MODEL_GROUPS[group], one row each, with their seconds in every labelled build (blank where a
    build did not run the model), and their summed seconds last."""
    prefixes = MODEL_GROUPS[group]
    names = sorted({node.name for _, build in labelled_builds for node in build.models_named(prefixes)})
    seconds = [{node.name: node.seconds for node in build.models_named(prefixes)} for _, build in labelled_builds]
    header = ["model", *(label for label, _ in labelled_builds)]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * len(labelled_builds)]
    for name in names:
        cells = [f"{build[name]:.1f}" if name in build else "" for build in seconds]
        lines.append("| " + " | ".join([name, *cells]) + " |")
    totals = [f"{sum(build.values()):.1f}" for build in seconds]
    lines.append("| " + " | ".join([f"all {group} models", *totals]) + " |")
    return "\n".join(lines)
