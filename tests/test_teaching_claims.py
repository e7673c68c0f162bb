"""What the teaching sections added for issue 24 conclude, asserted on the values their snippets published.

Each test names the page and the sentence it guards, so a changed result fails with the words it would falsify.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import GENERATED


def values(slug: str) -> dict:
    return json.loads((GENERATED / slug / "values.json").read_text())


@pytest.fixture(scope="module")
def vanishing():
    return values("activation-functions/experiments/vanishing_gradients")


@pytest.fixture(scope="module")
def exploding():
    return values("activation-functions/experiments/exploding_symmetry")


def test_step_unit_gets_no_gradient_and_never_moves():
    step = values("activation-functions/sigmoid-tanh/step")
    # sigmoid-tanh.md: "The step unit's gradients are exactly zero, even though its loss is the larger of the two."
    assert step["start_gradient"]["step"] == [0.0, 0.0], step["start_gradient"]
    assert step["start_loss"]["step"] > step["start_loss"]["sigmoid"], step["start_loss"]
    assert any(g != 0 for g in step["start_gradient"]["sigmoid"]), step["start_gradient"]
    # sigmoid-tanh.md: "The step unit has not moved ...; the sigmoid unit turned round"
    assert step["final_weights"]["step"] == [step["w_start"], step["b_start"]], step["final_weights"]
    assert step["final_weights"]["sigmoid"][0] > 0 > step["w_start"], step["final_weights"]
    assert step["final_errors"]["step"] > step["final_errors"]["sigmoid"], step["final_errors"]


def test_gelu_and_silu_share_their_slope_at_the_origin():
    slopes = values("activation-functions/derivatives/slopes")
    # derivatives.md: "At the origin GELU and SiLU both have slope 0.5"; exp-vanishing-gradients.md: "both have
    # slope 0.5 at 0" (GELU'(0) = Phi(0) and SiLU'(0) = sigmoid(0), each exactly 1/2)
    assert slopes["gelu_slope_0"] == slopes["silu_slope_0"] == 0.5, slopes


def test_each_tent_layer_doubles_the_pieces():
    saw = values("activation-functions/ideas/sawtooth")
    # depth.md: "k layers of two units each give 2^k pieces"; "a single hidden layer needs ... one more than it has
    # bends"; "the snippet builds this one-layer network and finds it equal to the deep one"
    for k, units, pieces, shallow, error in zip(
        saw["depths"], saw["deep_units"], saw["pieces"], saw["shallow_units"], saw["errors"], strict=True
    ):
        assert (units, pieces, shallow, error) == (2 * k, 2**k, 2**k, 0.0), (k, units, pieces, shallow, error)


def test_xor_hidden_layer_folds_the_two_true_inputs_onto_one_point():
    hidden = values("activation-functions/ideas/xor")["hidden_points"]
    # expressivity.md: "(0, 1) and (1, 0) now sit on one point" (inputs in the order 00, 01, 10, 11)
    assert hidden[1] == hidden[2], hidden
    assert len({tuple(h) for h in hidden}) == 3, hidden  # "the three distinct points"
    w2 = [
        1.0,
        -2.0,
    ]  # the output weights of snippets/activation-functions/ideas/xor.py: one line, output = 1/2, separates them
    outputs = [sum(w * h for w, h in zip(w2, point, strict=True)) for point in hidden]
    assert [o > 0.5 for o in outputs] == [False, True, True, False], outputs


def test_the_factor_rule_ranks_the_activations(vanishing):
    default, suited = vanishing["measured"]["default"], vanishing["measured"]["suited"]
    # exp-vanishing-gradients.md: "tanh ... keeps the largest factor ..., and sigmoid ... the smallest"
    assert max(default, key=default.get) == "tanh", default
    assert min(default, key=default.get) == "sigmoid", default
    # "Under the suited initialisation ReLU's factor is [about 1], as Kaiming's scaling intends"
    assert abs(suited["ReLU"] - 1) < 0.05, suited
    # "the ReLU gain is too small for them by about a factor of 2, which is why their curves keep falling"
    for name in ("GELU", "SiLU"):
        assert 1.5 < suited["ReLU"] / suited[name] < 2.5, suited
        assert suited[name] < 1, suited


def test_only_kaimings_scale_holds_the_relu_gradient_steady(exploding):
    low, kaiming, high = exploding["explode_measured"]
    # exp-exploding-symmetry.md: "Only the middle column, Kaiming's choice, holds steady."
    assert low < 0.6 and high > 1.6 and abs(kaiming - 1) < 0.1, exploding["explode_measured"]
    # "The factors measured ... fall a few per cent short of the predicted ones, by one shared ratio: each is [0.966]
    # times its prediction" (the columns are one measurement rescaled: ReLU, zero biases, the same seeds)
    ratios = [m / p for m, p in zip(exploding["explode_measured"], exploding["explode_predicted"], strict=True)]
    assert exploding["explode_predicted"][1] == 1 and 0.95 < ratios[1] < 1, ratios
    assert all(abs(ratio - ratios[1]) < 1e-9 for ratio in ratios), ratios
    small, steady, large = exploding["explode_deep"]
    # "turns a gradient of ... at depth 50 into one of about [10^6]; halving it shrinks the gradient to [10^-8]"
    assert small < 1e-6 < 0.1 < steady < 10 < 1e5 < large, exploding["explode_deep"]


def test_equal_starting_weights_stay_equal(exploding):
    distinct, accuracy = exploding["distinct"], exploding["accuracy"]
    # exp-exploding-symmetry.md: "all ... other units differ from the first"; "0 units differ after training"
    assert distinct == {"random": exploding["width"] - 1, "constant": 0}, distinct
    # "is little better than guessing", against the random start's accuracy
    assert accuracy["constant"] < 0.6 < 0.9 < accuracy["random"], accuracy


def test_every_core_page_ends_with_a_checked_exercise():
    # activation-functions/index.md marks the core path with ★; each of those pages ends with an exercise
    # whose solution is a pycon block (run by tests/test_doctests.py)
    docs = GENERATED.parent / "activation-functions"
    overview = (docs / "index.md").read_text(encoding="utf-8")
    core = re.findall(r"★ \[[^\]]+\]\(([\w-]+\.md)\)", overview)
    assert len(core) >= 6, core
    for page in core:
        text = (docs / page).read_text(encoding="utf-8")
        assert "## Exercises" in text, f"docs/activation-functions/{page}: a core page without exercises"
        exercises = text.split("## Exercises", 1)[1]
        assert '??? question "' in exercises and ">>> " in exercises, f"{page}: no exercise with a doctested solution"
        assert not re.search(r"^## ", exercises, re.M), f"{page}: a section follows the exercises"


def test_the_vanishing_gradient_page_bullets_hold_at_every_depth_tried(vanishing):
    default = vanishing["orders_lost"]["default"]
    # exp-vanishing-gradients.md: "With the default initialisation, every activation loses the gradient"
    assert all(lost > 1 for lost in default.values()), default
    # "Sigmoid falls fastest"; "Tanh loses the least under the default initialisation"
    assert max(default, key=default.get) == "sigmoid" and min(default, key=default.get) == "tanh", default
    # "With a suited initialisation, ReLU keeps its gradient at every depth tried": within a factor 2 of depth 1
    relu = vanishing["norms"]["suited"]["ReLU"]
    assert all(0.5 < norm / relu[0] < 2 for norm in relu), relu
    # "Every measured factor is within [worst_gap] of its prediction" (worst_gap is the largest gap, by definition)
    measured, predicted = vanishing["measured"], vanishing["predicted"]
    gaps = [abs(measured[i][n] / predicted[i][n] - 1) for i in measured for n in measured[i]]
    assert max(gaps) == vanishing["worst_gap"] and len(gaps) == 10, gaps


def test_no_width_moves_the_square_activations_error():
    square = values("activation-functions/ideas/approximation")["max_errors"]["square"]
    # expressivity.md: "while the square's stays at [the largest error of the least-squares quadratic]",
    # at every width tried: equal up to rounding in the last bits of the least-squares solve
    assert max(square) - min(square) < 1e-9 * max(square), square


def test_positive_inputs_move_both_weights_alike_at_every_step_on_every_cpu():
    centring = values("activation-functions/ideas/zero_centring")
    # centring-and-dead-units.md: "every one of their steps having moved both weights the same way" (sigmoid inputs)
    assert centring["alike"]["sigmoid"] == 1.0, centring["alike"]
    assert centring["alike"]["tanh"] < 0.75, centring["alike"]  # centred inputs: far from always
    # The share is counted from the inputs' signs, so it holds on any CPU as long as no input sits within rounding
    # of zero: float32's last-bit differences between CPUs are about 1e-7 here, the nearest input is far larger.
    assert min(centring["sign_margin"].values()) > 1e-4, centring["sign_margin"]


def test_each_normalisation_leaves_real_means_along_the_axis_it_does_not_average():
    left = values("activation-functions/ideas/zero_centring")["left"]
    batch, layer, rms = left["BatchNorm1d"], left["LayerNorm"], left["RMSNorm"]
    # centring-and-dead-units.md: "Untrained, as here, batch norm zeroes each unit's mean ...; layer norm zeroes each
    # example's mean"
    # (with and without the shifts: what is left is float32 rounding)
    for kind in ("shifted", "alike"):
        assert batch[kind]["per_unit"] < 1e-5 and layer[kind]["per_example"] < 1e-5, left
    # "Without the shifts the two numbers fall to [0.17] and [0.15]: ... sampling noise"; "The means left with the
    # shifts are well above that noise": each is at least four times what the same layer leaves without them
    noise = max(batch["alike"]["per_example"], layer["alike"]["per_unit"])
    assert batch["shifted"]["per_example"] > 4 * batch["alike"]["per_example"], batch
    assert layer["shifted"]["per_unit"] > 4 * layer["alike"]["per_unit"], layer
    # "RMSNorm leaves large means along both axes, with or without the shifts": every one of its four numbers is
    # at least three times the noise level above
    assert all(value > 3 * noise for means in rms.values() for value in means.values()), (rms, noise)
