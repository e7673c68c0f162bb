"""What the experiment pages conclude, asserted on the values their snippets published.

`make portability` shows the printed statistics do not move under other CPUs and unpinned kernels,
so these conclusions hold there too. A page may state a conclusion only if a test here asserts it.
"""

from __future__ import annotations

import json

import pytest
from conftest import GENERATED

ACTIVATIONS = ["ReLU", "Leaky ReLU", "GELU", "SiLU"]


@pytest.fixture(scope="module")
def dying():
    return json.loads((GENERATED / "experiments/dying_relu/values.json").read_text())


def trained(dying):
    return [str(lr) for lr in dying["learning_rates"] if lr > 0]


def test_every_activation_starts_from_about_the_same_share_of_silent_units(dying):
    start = [dying["median"]["never_positive"][name]["0.0"] for name in ACTIVATIONS]
    assert max(start) - min(start) <= 5, start  # same weights for all four; only the activation differs


def test_relu_loses_most_units_at_the_largest_learning_rate(dying):
    relu = dying["median"]["never_positive"]["ReLU"]
    *smaller, largest = trained(dying)
    assert relu[largest] >= max(relu[lr] for lr in smaller) + 10, relu
    assert relu[largest] >= relu["0.0"] + 10, relu


def test_relu_loses_more_units_than_any_other_activation_at_the_largest_rate(dying):
    largest = trained(dying)[-1]
    shares = {name: dying["median"]["never_positive"][name][largest] for name in ACTIVATIONS}
    assert shares["ReLU"] == max(shares.values()) and shares["ReLU"] > shares["Leaky ReLU"], shares


def test_for_relu_never_firing_and_passing_no_gradient_are_the_same(dying):
    assert dying["median"]["never_positive"]["ReLU"] == dying["median"]["no_gradient"]["ReLU"]


def test_only_relu_units_lose_their_gradient(dying):
    for name in ACTIVATIONS[1:]:
        assert set(dying["median"]["no_gradient"][name].values()) == {0.0}, name


def test_gelu_and_silu_bring_silent_units_back(dying):
    for name in ("GELU", "SiLU"):
        shares = dying["median"]["never_positive"][name]
        assert all(shares[lr] < shares["0.0"] for lr in trained(dying)), (name, shares)


def test_training_works_at_every_rate(dying):
    # the dead units do not come from a failed run: every trained median network fits the moons well
    for name in ACTIVATIONS:
        accuracy = dying["median"]["accuracy"][name]
        assert accuracy["0.0"] == 50.0 and all(accuracy[lr] >= 80 for lr in trained(dying)), (name, accuracy)


def test_few_runs_diverge(dying):
    assert dying["diverged_runs"] <= 0.05 * dying["seeds"] * len(ACTIVATIONS) * len(trained(dying))


def test_moderate_rates_add_no_relu_deaths(dying):
    relu = dying["median"]["never_positive"]["ReLU"]
    assert all(relu[lr] <= relu["0.0"] for lr in trained(dying)[:-1]), relu


def test_leaky_relu_units_are_pushed_negative_at_the_largest_rate_too_but_fewer(dying):
    leaky = dying["median"]["never_positive"]["Leaky ReLU"]
    relu = dying["median"]["never_positive"]["ReLU"]
    *_, second, largest = trained(dying)
    assert leaky[second] < leaky[largest] < relu[largest], (leaky, relu)
