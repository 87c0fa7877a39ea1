"""Multi-touch attribution (fct_attribution_credits) against an independent computation, exactly, on every engine.

Everything expected is worked out here in plain Python and numpy from the generator's truth and the spec
(models/marts/attribution/_attribution__docs.md): the conversions and the person each session gets under the
project's identity rules come from tests/test_journeys.py (`derive`), a conversion's touches are its person's
sessions in the lookback, and each model's credits are computed from them: the heuristic models touch by touch,
the data-driven ones (markov, shapley, counterfactual) from the paths of every conversion and of every person who
did not convert, with numpy's linear solver for the Markov chain. The vars and seeds are read from the project's
files, never copied. The project's ids are hashes: its sessions and persons are mapped to the truth's through
fct_events, its conversion ids to (event id, conversion name) through fct_conversions.

The pure parts are checked on the spec's worked examples first, without a warehouse.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
import yaml

from tests.conftest import REPO_ROOT, BuiltProject, close
from tests.test_journeys import Conversion, Journeys, ProjectIds, derive, one_to_one, read_seed, utc_naive

HEURISTIC_MODELS = (
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "time_decay",
    "position_based",
    "weighted",
)
DATA_DRIVEN_MODELS = ("markov", "shapley", "counterfactual")
MODELS = HEURISTIC_MODELS + DATA_DRIVEN_MODELS
NONE = "(none)"
DIRECT = "Direct"
HEURISTIC_TOLERANCE = 1e-9
DATA_DRIVEN_TOLERANCE = 1e-6  # the SQL reaches the Markov values by iterating
# the options this oracle implements only at their defaults: a changed default fails here, naming the var
DEFAULT_ONLY_VARS = {
    "journeys__attribution_excluded_channels": [],
    "journeys__attribution_reset_at_previous_conversion": False,
    "journeys__attribution_max_touches": None,
    "journeys__path_transform": "collapse_repeats",
    "journeys__path_removed_channel": None,
}
MART_COLUMNS = (
    "person_id",
    "touch_index",
    "channel",
    "source",
    "medium",
    "campaign",
    "credit",
    "attributed_value",
    "converted_at",
    "conversion_value",
)
CREDIT_COLUMN = MART_COLUMNS.index("credit")
VALUE_COLUMN = MART_COLUMNS.index("attributed_value")
TOUCH_INDEX = MART_COLUMNS.index("touch_index")

CreditKey = tuple[str, str, str, str]
"""(event id, conversion name, model, truth session id or '(none)')."""


# ---------------------------------------------------------------------------------------------------------------
# settings: the project's vars and seeds


@dataclass(frozen=True)
class Settings:
    lookback_days: dict[str, float]
    """Per conversion name: its seed lookback_days, else var journeys__attribution_lookback_days."""
    half_life_days: float
    position_weights: tuple[float, float, float]
    """first, middle, last, normalised to sum 1."""
    markov_order: int
    channel_weights: dict[tuple[str, str | None], float]
    """(channel, campaign or None for the channel's own row) -> weight, seed attribution_channel_weights."""


def read_settings() -> Settings:
    variables = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]
    for name, default in DEFAULT_ONLY_VARS.items():
        assert variables[name] == default, f"this test implements var {name} at its default {default!r} only"
    default_lookback = float(variables["journeys__attribution_lookback_days"])
    lookback = {
        row["conversion_name"]: float(row["lookback_days"]) if row.get("lookback_days") else default_lookback
        for row in read_seed("conversion_definitions")
    }
    weights = [float(w) for w in variables["journeys__attribution_position_weights"]]
    with (REPO_ROOT / "seeds" / "attribution_channel_weights.csv").open(newline="") as handle:
        channel_weights = {
            (row["channel"], row["campaign"] or None): float(row["weight"]) for row in csv.DictReader(handle)
        }
    return Settings(
        lookback_days=lookback,
        half_life_days=float(variables["journeys__attribution_half_life_days"]),
        position_weights=(weights[0] / sum(weights), weights[1] / sum(weights), weights[2] / sum(weights)),
        markov_order=int(variables["journeys__attribution_markov_order"]),
        channel_weights=channel_weights,
    )


# ---------------------------------------------------------------------------------------------------------------
# the models, as the spec states them


@dataclass(frozen=True)
class Touch:
    session: str
    started_at: datetime
    channel: str
    source: str | None
    medium: str | None
    campaign: str | None
    days_before: float


Credits = tuple[list[float], float]
"""A model's credit of each touch, in touch order, and of the '(none)' touch."""


def normalised(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]


def one_hot(n: int, index: int) -> list[float]:
    return [1.0 if i == index else 0.0 for i in range(n)]


def time_decay(days_before: list[float], half_life_days: float) -> list[float]:
    return normalised([2.0 ** (-d / half_life_days) for d in days_before])


def position_based(n: int, weights: tuple[float, float, float]) -> list[float]:
    if n <= 2:
        return [1.0 / n] * n
    first, middle, last = weights
    return [first, *([middle / (n - 2)] * (n - 2)), last]


def channel_weight(touch: Touch, weights: dict[tuple[str, str | None], float]) -> float:
    return weights.get((touch.channel, touch.campaign), weights.get((touch.channel, None), 1.0))


def heuristic_credits(touches: list[Touch], settings: Settings) -> dict[str, Credits]:
    """Each heuristic model's credits of a conversion with at least one touch."""
    n = len(touches)
    not_direct = [i for i, touch in enumerate(touches) if touch.channel != DIRECT]
    weights = [channel_weight(touch, settings.channel_weights) for touch in touches]
    return {
        "first_touch": (one_hot(n, 0), 0.0),
        "last_touch": (one_hot(n, n - 1), 0.0),
        "last_non_direct": (one_hot(n, not_direct[-1] if not_direct else n - 1), 0.0),
        "linear": ([1.0 / n] * n, 0.0),
        "time_decay": (time_decay([t.days_before for t in touches], settings.half_life_days), 0.0),
        "position_based": (position_based(n, settings.position_weights), 0.0),
        "weighted": (normalised(weights), 0.0) if sum(weights) > 0 else ([0.0] * n, 1.0),
    }


def collapse_repeats(channels: Iterable[str]) -> tuple[str, ...]:
    return tuple(channel for channel, _ in itertools.groupby(channels))


def over_touches(channel_credit: dict[str, float], channels: list[str]) -> list[float]:
    """Each channel's credit shared evenly by the conversion's touches of that channel; all to the last touch when
    every channel scores 0."""
    if sum(channel_credit.values()) <= 0:
        return one_hot(len(channels), len(channels) - 1)
    total = sum(channel_credit.values())
    touches_of = Counter(channels)
    return [channel_credit[channel] / total / touches_of[channel] for channel in channels]


PathCounts = dict[tuple[str, ...], list[int]]
"""Per path (transformed channel sequence): [converting paths, all paths]."""


def count_paths(paths: Iterable[tuple[tuple[str, ...], bool]]) -> PathCounts:
    counts: PathCounts = defaultdict(lambda: [0, 0])
    for path, converted in paths:
        if path:
            counts[path][0] += converted
            counts[path][1] += 1
    return dict(counts)


START: tuple[str, ...] = ()
CONVERSION, NULL = "conversion", "null"


def markov_removal_effects(paths: PathCounts, order: int) -> dict[str, float]:
    """RE(c) = 1 - P(conversion without c) / P(conversion) of the absorbing chain of the paths (states: the last
    `order` channels), each probability solved exactly with numpy."""
    transitions: dict[tuple[str, ...], Counter[Any]] = defaultdict(Counter)
    for path, (converting, total) in paths.items():
        state = START
        for end in range(1, len(path) + 1):
            following = path[max(0, end - order) : end]
            transitions[state][following] += total
            state = following
        transitions[state][CONVERSION] += converting
        transitions[state][NULL] += total - converting
    states = sorted(transitions)

    def p_conversion(removed: str | None) -> float:
        kept = [s for s in states if removed not in s]
        index = {state: i for i, state in enumerate(kept)}
        q, b = np.zeros((len(kept), len(kept))), np.zeros(len(kept))
        for state in kept:
            out = transitions[state]
            total = sum(out.values())
            for target, count in out.items():
                if target == CONVERSION:
                    b[index[state]] += count / total
                elif target in index:  # null, and a state that holds the removed channel: absorbed in null
                    q[index[state], index[target]] += count / total
        return float(np.linalg.solve(np.eye(len(kept)) - q, b)[index[START]])

    base = p_conversion(None)
    channels = sorted({channel for path in paths for channel in path})
    return {channel: 1.0 - p_conversion(channel) / base for channel in channels}


def markov_channel_credit(path: tuple[str, ...], effects: dict[str, float]) -> dict[str, float]:
    return {channel: effects[channel] for channel in set(path)}


def set_game(paths: PathCounts) -> Callable[[frozenset[str]], float]:
    """v(S): the conversion rate of the paths whose channel set is exactly S; 0 for a set never seen."""
    counts: dict[frozenset[str], list[int]] = defaultdict(lambda: [0, 0])
    for path, (converting, total) in paths.items():
        counts[frozenset(path)][0] += converting
        counts[frozenset(path)][1] += total
    return lambda s: counts[s][0] / counts[s][1] if s in counts else 0.0


def shapley_values(channels: frozenset[str], worth: Callable[[frozenset[str]], float]) -> dict[str, float]:
    """Each channel's exact Shapley value in the game `worth` restricted to `channels`."""
    n = len(channels)
    values = {}
    for channel in channels:
        others = sorted(channels - {channel})
        phi = 0.0
        for size in range(len(others) + 1):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in itertools.combinations(others, size):
                coalition = frozenset(subset)
                phi += weight * (worth(coalition | {channel}) - worth(coalition))
        values[channel] = phi
    return values


def shapley_channel_credit(path: tuple[str, ...], worth: Callable[[frozenset[str]], float]) -> dict[str, float]:
    return {c: max(phi, 0.0) for c, phi in shapley_values(frozenset(path), worth).items()}


def counterfactual_channel_credit(path: tuple[str, ...], paths: PathCounts) -> dict[str, float]:
    """Per channel, the sum of its steps' max(0, rate(path) - rate(path without the step))."""

    def rate(sequence: tuple[str, ...]) -> float:
        converting, total = paths.get(sequence, (0, 0))
        return converting / total if total else 0.0

    credit: dict[str, float] = defaultdict(float)
    for step, channel in enumerate(path):
        credit[channel] += max(0.0, rate(path) - rate(path[:step] + path[step + 1 :]))
    return dict(credit)


# ---------------------------------------------------------------------------------------------------------------
# the spec's worked examples


def test_time_decay_gives_the_specs_shares_at_a_seven_day_half_life():
    credits = time_decay([0.0, 7.0, 14.0, 28.0], 7.0)
    assert [round(c, 4) for c in credits] == [0.5517, 0.2759, 0.1379, 0.0345]


def test_position_based_gives_one_half_to_two_touches_and_splits_the_middle():
    weights = (0.4, 0.2, 0.4)
    assert position_based(1, weights) == [1.0]
    assert position_based(2, weights) == [0.5, 0.5]
    assert position_based(4, weights) == pytest.approx([0.4, 0.1, 0.1, 0.4], abs=1e-15)


def test_markov_removal_effects_of_the_specs_example():
    paths = count_paths([(("A", "B"), True), (("A",), False), (("B",), True)])
    effects = markov_removal_effects(paths, 1)
    assert effects == pytest.approx({"A": 0.5, "B": 1.0}, abs=1e-12)
    assert over_touches(markov_channel_credit(("A", "B"), effects), ["A", "B"]) == pytest.approx([1 / 3, 2 / 3])
    assert over_touches(markov_channel_credit(("B",), effects), ["B"]) == [1.0]


def test_markov_of_a_higher_order_keeps_the_last_channels_as_the_state():
    """A > C converts, B > C does not: at order 1 the state C mixes both (A and B each 1/2), at order 2 (A, C) always
    converts and (B, C) never, so B is worth nothing and A everything."""
    paths = count_paths([(("A", "C"), True), (("B", "C"), False)])
    assert markov_removal_effects(paths, 1) == pytest.approx({"A": 0.5, "B": 0.5, "C": 1.0}, abs=1e-12)
    assert markov_removal_effects(paths, 2) == pytest.approx({"A": 1.0, "B": 0.0, "C": 1.0}, abs=1e-12)


def test_shapley_values_of_the_specs_three_channel_game():
    game = {"A": 0.2, "B": 0.1, "C": 0.0, "AB": 0.5, "AC": 0.3, "BC": 0.2, "ABC": 0.6}
    values = shapley_values(frozenset("ABC"), lambda s: game.get("".join(sorted(s)), 0.0))
    assert values == pytest.approx({"A": 0.19 / 0.6, "B": 0.13 / 0.6, "C": 0.04 / 0.6}, abs=1e-12)
    assert [round(v / sum(values.values()), 4) for v in (values["A"], values["B"], values["C"])] == [
        0.5278,
        0.3611,
        0.1111,
    ]


def test_shapley_game_is_the_conversion_rate_of_exact_channel_sets():
    paths = count_paths([(("A", "B"), True), (("B", "A"), False), (("A",), False), (("A",), True), (("C",), False)])
    worth = set_game(paths)
    assert (worth(frozenset("AB")), worth(frozenset("A")), worth(frozenset("C")), worth(frozenset("B"))) == (
        0.5,
        0.5,
        0.0,
        0.0,
    )
    assert worth(frozenset()) == 0.0


def test_counterfactual_scores_each_step_by_the_rate_lost_without_it():
    """A>B converts 2 of 4, A 1 of 4, B 0 of 1: A's step loses 1/2 - 0, B's 1/2 - 1/4; B>A>B never seen."""
    paths = count_paths(
        [(("A", "B"), True)] * 2 + [(("A", "B"), False)] * 2 + [(("A",), True)] + [(("A",), False)] * 3
        + [(("B",), False)]
    )  # fmt: skip
    assert counterfactual_channel_credit(("A", "B"), paths) == pytest.approx({"A": 0.5, "B": 0.25})
    assert over_touches(counterfactual_channel_credit(("A", "B"), paths), ["A", "A", "B"]) == pytest.approx(
        [1 / 3, 1 / 3, 1 / 3]
    )
    assert counterfactual_channel_credit(("A",), paths) == {"A": 0.25}
    assert over_touches({"A": 0.0, "B": 0.0}, ["A", "B", "A"]) == [0.0, 0.0, 1.0], "nothing scores: the last touch"


def test_weighted_reads_the_channel_and_campaign_row_then_the_channel_row_then_one():
    weights = {("Paid Search", None): 1.0, ("Paid Search", "brand_search"): 0.5, ("Direct", None): 0.0}
    touches = [
        Touch("s1", datetime(2026, 1, 1), "Paid Search", "google", "cpc", "brand_search", 2.0),
        Touch("s2", datetime(2026, 1, 2), "Paid Search", "google", "cpc", "winter_sale", 1.0),
        Touch("s3", datetime(2026, 1, 3), "Email", "newsletter", "email", None, 0.0),
        Touch("s4", datetime(2026, 1, 3), DIRECT, None, None, None, 0.0),
    ]
    assert [channel_weight(t, weights) for t in touches] == [0.5, 1.0, 1.0, 0.0]
    settings = Settings({}, 7.0, (0.4, 0.2, 0.4), 1, weights)
    assert heuristic_credits(touches, settings)["weighted"] == ([0.2, 0.4, 0.4, 0.0], 0.0)
    assert heuristic_credits(touches, settings)["last_non_direct"] == ([0.0, 0.0, 1.0, 0.0], 0.0)
    assert heuristic_credits(touches[3:], settings)["weighted"] == ([0.0], 1.0)


# ---------------------------------------------------------------------------------------------------------------
# the expected touches, paths and credits, from the truth


@dataclass
class Attribution:
    """Everything expected, keyed by truth ids (events, truth sessions, the persons the identity rules give)."""

    journeys: Journeys
    settings: Settings
    person_sessions: dict[str, list[dict[str, Any]]]
    """Each person's sessions by start."""
    touches: dict[tuple[str, str], list[Touch]]
    """Per conversion (event id, name)."""


def touches_of(sessions: list[dict[str, Any]], at: datetime, lookback_days: float) -> list[Touch]:
    """The sessions that started within the lookback before `at`, up to it (timestamps compared, inclusive)."""
    found = []
    for session in sessions:
        seconds = (at - session["started_at"]).total_seconds()
        if 0 <= seconds <= lookback_days * 86400:
            found.append(
                Touch(
                    session["session_id"],
                    session["started_at"],
                    session["channel"],
                    session["utm_source"],
                    session["utm_medium"],
                    session["utm_campaign"],
                    seconds / 86400,
                )
            )
    return found


def expected_attribution(truth: dict[str, pa.Table]) -> Attribution:
    journeys = derive(truth)
    settings = read_settings()
    person_sessions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for session in journeys.sessions.values():
        person_sessions[journeys.session_person[session["session_id"]]].append(session)
    for sessions in person_sessions.values():
        sessions.sort(key=lambda s: s["started_at"])
        starts = [s["started_at"] for s in sessions]
        assert len(starts) == len(set(starts)), "two sessions of one person start together: the order needs the ids"
    touches = {
        key: touches_of(person_sessions[c.person], c.at, settings.lookback_days[c.name])
        for key, c in journeys.conversions.items()
    }
    return Attribution(journeys, settings, dict(person_sessions), touches)


def credit_rows(
    conversion: Conversion, touches: list[Touch], credits: dict[str, Credits]
) -> dict[CreditKey, tuple[Any, ...]]:
    """The mart's rows of one conversion: a row per model and touch, and the '(none)' row where it has credit."""
    rows: dict[CreditKey, tuple[Any, ...]] = {}

    def add(model: str, session: str, index: int, touch: tuple[Any, ...], credit: float) -> None:
        value = None if conversion.value is None else credit * conversion.value
        rows[(conversion.event_id, conversion.name, model, session)] = (
            conversion.person, index, *touch, credit, value, conversion.at, conversion.value,
        )  # fmt: skip

    for model, (touch_credits, none_credit) in credits.items():
        for index, (touch, credit) in enumerate(zip(touches, touch_credits, strict=True), start=1):
            add(model, touch.session, index, (touch.channel, touch.source, touch.medium, touch.campaign), credit)
        if none_credit > 0 or not touches:
            add(model, NONE, 0, (NONE, None, None, None), 1.0)
    return rows


def expected_heuristic_rows(expected: Attribution) -> dict[CreditKey, tuple[Any, ...]]:
    rows = {}
    for key, conversion in expected.journeys.conversions.items():
        touches = expected.touches[key]
        credits = heuristic_credits(touches, expected.settings) if touches else {m: ([], 1.0) for m in HEURISTIC_MODELS}
        rows.update(credit_rows(conversion, touches, credits))
    return rows


def non_converting_paths(expected: Attribution, name: str, data_end: datetime) -> list[tuple[str, ...]]:
    """The path of every person without a conversion of this name: their sessions in the lookback before the end
    of the data, repeats collapsed."""
    converted = {c.person for c in expected.journeys.conversions.values() if c.name == name}
    lookback = expected.settings.lookback_days[name]
    return [
        collapse_repeats(t.channel for t in touches_of(sessions, data_end, lookback))
        for person, sessions in expected.person_sessions.items()
        if person not in converted
    ]


def expected_data_driven_rows(
    expected: Attribution, data_end: datetime
) -> tuple[dict[CreditKey, tuple[Any, ...]], Counter[str]]:
    """The rows of the data-driven models, and how often the rules that rarely apply did (to check the data has
    them): a negative Shapley value floored, every channel scoring 0 (the last touch)."""
    rows, cases = {}, Counter[str]()
    for name in sorted({c.name for c in expected.journeys.conversions.values()}):
        conversions = {k: c for k, c in expected.journeys.conversions.items() if c.name == name}
        converting = [collapse_repeats(t.channel for t in expected.touches[k]) for k in conversions]
        paths = count_paths(
            [(path, True) for path in converting]
            + [(path, False) for path in non_converting_paths(expected, name, data_end)]
        )
        effects = markov_removal_effects(paths, expected.settings.markov_order)
        worth = set_game(paths)
        for key, conversion in conversions.items():
            touches = expected.touches[key]
            if not touches:
                rows.update(credit_rows(conversion, touches, {m: ([], 1.0) for m in DATA_DRIVEN_MODELS}))
                continue
            path, channels = collapse_repeats(t.channel for t in touches), [t.channel for t in touches]
            channel_credits = {
                "markov": markov_channel_credit(path, effects),
                "shapley": shapley_channel_credit(path, worth),
                "counterfactual": counterfactual_channel_credit(path, paths),
            }
            cases["shapley floored"] += min(shapley_values(frozenset(path), worth).values()) < 0
            cases.update(f"{model} to the last touch" for model, c in channel_credits.items() if sum(c.values()) <= 0)
            credits = {model: (over_touches(c, channels), 0.0) for model, c in channel_credits.items()}
            rows.update(credit_rows(conversion, touches, credits))
    return rows, cases


# ---------------------------------------------------------------------------------------------------------------
# the expected touches against the generator's own truth table


def truth_conversion_touches(truth: dict[str, pa.Table]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The generator's `conversion_touches`, per conversion (event id, name), in touch order."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in truth["conversion_touches"].to_pylist():
        grouped[(row["event_id"], row["conversion_name"])].append({k: utc_naive(v) for k, v in row.items()})
    return dict(grouped)


def agreeing_conversions(expected: Attribution, truth_touches: dict[tuple[str, str], list[dict[str, Any]]]) -> set:
    """The conversions whose truth touches are all sessions the identity rules give the conversion's person, and
    whose expected touches are all sessions of the truth person: both sides see the same sessions."""
    truth_person_of = {s["session_id"]: s["person_id"] for s in expected.journeys.sessions.values()}
    return {
        key
        for key, rows in truth_touches.items()
        if all(
            expected.journeys.session_person[r["session_id"]] == expected.journeys.conversions[key].person for r in rows
        )
        and all(truth_person_of[t.session] == rows[0]["person_id"] for t in expected.touches[key])
    }


def test_expected_touches_equal_the_truths_conversion_touches_where_the_persons_agree(truth: dict[str, pa.Table]):
    """The truth's `conversion_touches` are per truth person; the expected touches per the person the identity rules
    give each session. They differ by design where the person's sessions are on a device the rules never tie to
    them (an anonymous device never identified), or on a shared device. So: for every conversion, the touches both
    sides give the same person are the same sessions in the same order; where every touch is (most conversions),
    the touches are equal column by column."""
    expected = expected_attribution(truth)
    truth_touches = truth_conversion_touches(truth)
    assert truth_touches.keys() == expected.journeys.conversions.keys()
    truth_person_of = {s["session_id"]: s["person_id"] for s in expected.journeys.sessions.values()}
    for key, rows in truth_touches.items():
        person = expected.journeys.conversions[key].person
        both_truth = [r["session_id"] for r in rows if expected.journeys.session_person[r["session_id"]] == person]
        both_expected = [t.session for t in expected.touches[key] if truth_person_of[t.session] == rows[0]["person_id"]]
        assert both_truth == both_expected, key
    agreeing = agreeing_conversions(expected, truth_touches)
    for key in agreeing:
        rows, touches, at = truth_touches[key], expected.touches[key], expected.journeys.conversions[key].at
        assert [
            (r["touch_index"], r["touch_count"], r["session_id"], r["channel"], r["utm_source"], r["utm_medium"],
             r["utm_campaign"], r["started_at"], r["converted_at"])
            for r in rows
        ] == [
            (i, len(touches), t.session, t.channel, t.source, t.medium, t.campaign, t.started_at, at)
            for i, t in enumerate(touches, start=1)
        ], key  # fmt: skip
        assert [r["days_before"] for r in rows] == pytest.approx([t.days_before for t in touches], abs=1e-12)
    assert len(agreeing) >= 0.7 * len(truth_touches), f"only {len(agreeing)} of {len(truth_touches)} agree"
    assert len(agreeing) < len(truth_touches), "no conversion where the identity rules differ: a weak check"


def test_the_data_has_the_cases_attribution_must_get_right(truth: dict[str, pa.Table]):
    expected = expected_attribution(truth)
    touches = list(expected.touches.values())
    assert any(len(t) > 3 for t in touches), "a conversion with several touches"
    assert any(len(t) == 1 for t in touches), "a conversion with one touch"
    assert any(t and t[-1].channel == DIRECT and any(x.channel != DIRECT for x in t) for t in touches), (
        "a last touch that is Direct after one that is not (last_non_direct differs from last_touch)"
    )
    assert any(t and all(x.channel == DIRECT for x in t) for t in touches), "only Direct touches: weighted's (none)"
    assert any(x.campaign == "brand_search" for t in touches for x in t), "a campaign with its own weight"
    assert any(len(collapse_repeats(x.channel for x in t)) < len(t) for t in touches), "repeats to collapse"
    assert any(len(set(x.channel for x in t)) < len(collapse_repeats(x.channel for x in t)) for t in touches), (
        "a channel that comes back after another (counterfactual's steps differ from shapley's set)"
    )
    assert {c.name for c in expected.journeys.conversions.values()} == {"signup", "order"}


# ---------------------------------------------------------------------------------------------------------------
# the mart, on every engine


@pytest.fixture(scope="module")
def expected(truth: dict[str, pa.Table]) -> Attribution:
    return expected_attribution(truth)


@pytest.fixture(scope="module")
def ids(built: BuiltProject, expected: Attribution) -> ProjectIds:
    events = expected.journeys.events
    rows = built.rows("select event_id, session_id, person_id from journeys.fct_events")
    sessions = [(session, events[event]["session_id"]) for event, session, _ in rows]
    persons = [(person, expected.journeys.session_person[events[event]["session_id"]]) for event, _, person in rows]
    return ProjectIds(one_to_one(sessions, "session"), one_to_one(persons, "person"))


@pytest.fixture(scope="module")
def mart(built: BuiltProject, ids: ProjectIds) -> dict[CreditKey, tuple[Any, ...]]:
    """The mart's rows keyed by (event id, conversion name, model, truth session or '(none)'), its person mapped to
    the expected person."""
    conversion_of = {
        conversion_id: (event_id, name)
        for conversion_id, event_id, name in built.rows(
            "select conversion_id, event_id, conversion_name from journeys.fct_conversions"
        )
    }
    rows = built.rows(
        "select conversion_id, conversion_name, model, session_id, " + ", ".join(MART_COLUMNS)
        + " from journeys.fct_attribution_credits"
    )  # fmt: skip
    keyed: dict[CreditKey, tuple[Any, ...]] = {}
    for conversion_id, name, model, session, person, *rest in rows:
        event_id, conversion_name = conversion_of.get(conversion_id, (f"unknown:{conversion_id}", None))
        assert conversion_name == name, f"conversion {conversion_id} is {conversion_name} in fct_conversions"
        truth_session = NONE if session == NONE else ids.sessions(session)
        keyed[(event_id, name, model, truth_session)] = (ids.persons(person), *(utc_naive(v) for v in rest))
    assert len(keyed) == len(rows), "the mart's key (conversion, model, session) is not unique"
    return keyed


def assert_credits_equal(
    actual: dict[CreditKey, tuple[Any, ...]], wanted: dict[CreditKey, tuple[Any, ...]], tolerance: float
) -> None:
    only_actual, only_wanted = sorted(set(actual) - set(wanted)), sorted(set(wanted) - set(actual))
    assert not (only_actual or only_wanted), (
        f"{len(only_actual)} rows only in the mart, e.g. {only_actual[:3]}; "
        f"{len(only_wanted)} only expected, e.g. {only_wanted[:3]}"
    )
    differing: dict[str, list[tuple[Any, Any, Any]]] = defaultdict(list)
    for key in sorted(wanted):
        for index, (name, a, e) in enumerate(zip(MART_COLUMNS, actual[key], wanted[key], strict=True)):
            numeric = index in (CREDIT_COLUMN, VALUE_COLUMN) or name == "conversion_value"
            if not (close(a, e, tolerance) if numeric else a == e):
                differing[name].append((key, a, e))
    summary = {
        name: f"{len(found)} rows, e.g. (key, actual, expected) {found[:3]}" for name, found in differing.items()
    }
    assert not differing, f"columns that differ: {summary}"


def of_models(rows: dict[CreditKey, tuple[Any, ...]], models: tuple[str, ...]) -> dict[CreditKey, tuple[Any, ...]]:
    return {key: row for key, row in rows.items() if key[2] in models}


def test_heuristic_models_equal_an_independent_computation_from_the_truth(
    mart: dict[CreditKey, tuple[Any, ...]], expected: Attribution
):
    """first_touch, last_touch, last_non_direct, linear, time_decay, position_based and weighted: every touch of
    every conversion (its person's sessions in the lookback, numbered by start), its touch columns, its credit and
    attributed value, exactly."""
    assert_credits_equal(of_models(mart, HEURISTIC_MODELS), expected_heuristic_rows(expected), HEURISTIC_TOLERANCE)


def test_the_marts_touches_are_the_truths_conversion_touches_where_the_persons_agree(
    mart: dict[CreditKey, tuple[Any, ...]], expected: Attribution, truth: dict[str, pa.Table]
):
    """The mart's linear rows against the generator's own `conversion_touches`, for the conversions where both see
    the same sessions (see the test of the expected touches above)."""
    truth_touches = truth_conversion_touches(truth)
    agreeing = agreeing_conversions(expected, truth_touches)
    columns = ("touch_index", "channel", "source", "medium", "campaign", "credit")
    wanted = {
        (*key, "linear", r["session_id"]): (
            r["touch_index"], r["channel"], r["utm_source"], r["utm_medium"], r["utm_campaign"], 1 / r["touch_count"]
        )
        for key in agreeing
        for r in truth_touches[key]
    }  # fmt: skip
    positions = [MART_COLUMNS.index(c) for c in columns]
    actual = {k: tuple(row[c] for c in positions) for k, row in mart.items() if k[2] == "linear" and k[:2] in agreeing}
    assert actual.keys() == wanted.keys()
    differing = [
        (key, actual[key], row)
        for key, row in wanted.items()
        if actual[key][:-1] != row[:-1] or not close(actual[key][-1], row[-1], HEURISTIC_TOLERANCE)
    ]
    assert not differing, f"{len(differing)} of {len(wanted)} touches differ from the truth, e.g. {differing[:3]}"
    assert len(agreeing) >= 0.7 * len(truth_touches)


def test_data_driven_models_equal_an_independent_computation(
    built: BuiltProject, mart: dict[CreditKey, tuple[Any, ...]], expected: Attribution
):
    """markov (removal effects of the absorbing chain, solved exactly), shapley (exact over the subsets of the
    path's channels) and counterfactual (each step left out), from the paths of the conversions and of every person
    without a conversion of that name, each channel's part shared by its touches, the last touch when nothing
    scores."""
    (data_end,) = built.rows("select max(ended_at) from journeys.fct_sessions")[0]
    truth_end = max(s["ended_at"] for s in expected.journeys.sessions.values())
    assert utc_naive(data_end) == truth_end
    wanted, cases = expected_data_driven_rows(expected, truth_end)
    assert_credits_equal(of_models(mart, DATA_DRIVEN_MODELS), wanted, DATA_DRIVEN_TOLERANCE)
    assert cases["shapley floored"] and cases["counterfactual to the last touch"], f"weak data: {cases}"


def by_conversion_and_model(mart: dict[CreditKey, tuple[Any, ...]]) -> dict[tuple[str, str, str], list[Any]]:
    grouped: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for (event_id, name, model, session), row in mart.items():
        grouped[(event_id, name, model)].append((session, row))
    return grouped


def test_credits_sum_to_one_and_attributed_values_to_the_conversion_value(mart: dict[CreditKey, tuple[Any, ...]]):
    sums = []
    for key, rows in by_conversion_and_model(mart).items():
        credits = [row[CREDIT_COLUMN] for _, row in rows]
        assert all(credit >= -1e-12 for credit in credits), key
        assert abs(sum(credits) - 1) <= 1e-9, (key, sum(credits))
        value = rows[0][1][MART_COLUMNS.index("conversion_value")]
        values = [row[VALUE_COLUMN] for _, row in rows]
        if value is None:
            assert values == [None] * len(values), key
        else:
            assert abs(sum(values) - value) <= 1e-9 * max(1.0, value), (key, sum(values), value)
            sums.append(value)
    assert sums, "no conversion with a value"


def test_every_conversion_has_every_model_and_every_model_every_touch(
    built: BuiltProject, mart: dict[CreditKey, tuple[Any, ...]]
):
    conversions = {
        (event, name) for event, name in built.rows("select event_id, conversion_name from journeys.fct_conversions")
    }
    grouped = by_conversion_and_model(mart)
    assert set(grouped) == {(*c, model) for c in conversions for model in MODELS}
    for conversion in conversions:
        touches = {
            model: sorted(
                (row[TOUCH_INDEX], session) for session, row in grouped[(*conversion, model)] if session != NONE
            )
            for model in MODELS
        }
        assert len({tuple(t) for t in touches.values()}) == 1, (conversion, touches)
        assert [index for index, _ in touches["linear"]] == list(range(1, len(touches["linear"]) + 1)), conversion


def test_no_touch_is_outside_the_lookback(
    built: BuiltProject, mart: dict[CreditKey, tuple[Any, ...]], ids: ProjectIds, expected: Attribution
):
    started = {
        ids.sessions(s): utc_naive(at)
        for s, at in built.rows("select session_id, started_at from journeys.fct_sessions")
    }
    converted_at = MART_COLUMNS.index("converted_at")
    for (event_id, name, model, session), row in mart.items():
        if session == NONE:
            continue
        seconds = (row[converted_at] - started[session]).total_seconds()
        assert 0 <= seconds <= expected.settings.lookback_days[name] * 86400, (event_id, name, model, session)
