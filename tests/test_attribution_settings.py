"""Bad attribution settings stop the run with a message naming the var; a Markov chain iterated too few times
fails a data test naming the var to raise."""

from __future__ import annotations

from typing import Any

import pytest

from journeys_tools.project import DbtFailure
from tests.conftest import BuiltProject
from tests.test_error_messages import scratch_schema  # noqa: F401 (the fixture)


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("journeys__attribution_markov_order", 4, "it must be 1, 2 or 3"),
        ("journeys__attribution_markov_order", 0, "a whole number of at least 1"),
        ("journeys__attribution_position_weights", [40, 60], "three numbers"),
        ("journeys__attribution_position_weights", [0, 0, 0], "not all 0"),
        ("journeys__attribution_half_life_days", 0, "greater than 0"),
        ("journeys__attribution_excluded_channels", "Direct", "a list of names"),
        ("journeys__attribution_reset_at_previous_conversion", "yes", "true or false"),
        ("journeys__attribution_max_touches", 0, "a whole number of at least 1"),
        ("journeys__attribution_lookback_days", -3, "a whole number of at least 1"),
    ],
)
def test_bad_attribution_var_names_the_var(scratch_schema: BuiltProject, var: str, value: Any, expected: str):  # noqa: F811
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            ["compile", "--select", "path:models/intermediate/attribution", "path:models/marts/attribution"],
            {var: value},
        )
    message = str(failure.value)
    assert var in message and expected in message


def test_too_few_markov_iterations_fail_a_test_naming_the_var(scratch_schema: BuiltProject):  # noqa: F811
    with pytest.raises(DbtFailure) as failure:
        scratch_schema.dbt.invoke(
            [
                "build",
                "--select",
                "+assert_markov_converged_in_journeys__attribution_markov_iterations",
                "--exclude",
                "test_type:unit",
                "assert_raw_rows_reconcile_with_stream_and_quarantine",
            ],
            {"journeys__attribution_markov_iterations": 3},
        )
    assert "assert_markov_converged_in_journeys__attribution_markov_iterations: fail" in str(failure.value)
