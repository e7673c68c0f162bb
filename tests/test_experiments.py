"""What the pages conclude from their experiments, asserted on the values the snippets published.

Every comparative or absolute word a page draws from a result ("none", "jumps", "rarely", "the
least", "nearly equal") has a test here, on the unrounded values in each snippet's values.json. A
test names the page, the line and the words it binds (`claim`), and fails with them when a changed
result no longer supports the sentence, or when the sentence is no longer on the page.
The printed tables round (see each page); the tests read the values before rounding.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import GENERATED, ROOT

PAGES = ROOT / "docs" / "activation-functions"
ACTIVATIONS = ["ReLU", "Leaky ReLU", "GELU", "SiLU"]


def claim(page: str, words: str) -> str:
    """The failure message for a conclusion on `page`: where the words stand, and what they say."""
    lines = (PAGES / page).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if words in line]
    assert found, f"docs/activation-functions/{page} no longer says {words!r}: update or remove the test that binds it"
    where = f"docs/activation-functions/{page}:{found[0]}"
    return f"{where}: the page says {words!r}, which the published values no longer support"


def values(snippet: str) -> dict:
    return json.loads((GENERATED / snippet / "values.json").read_text())


# --- exp-dying-relu.md: medians over 48 networks, unrounded ("quartiles": 25 %, median, 75 %) ---

DYING = "exp-dying-relu.md"


@pytest.fixture(scope="module")
def dying():
    return values("activation-functions/experiments/dying_relu")


def median(dying, stat, name, lr):
    return dying["quartiles"][stat][name][lr][1]


def rates(dying):
    """The learning rates as the values name them: untrained first, the largest last."""
    return [str(lr) for lr in dying["learning_rates"]]


def test_every_activation_starts_from_about_the_same_share_of_silent_units(dying):
    start = [median(dying, "never_positive", name, "0.0") for name in ACTIVATIONS]
    assert start[0] > 0, claim(DYING, "Some units are dead before training starts.") + f": {start}"
    # the same starting weights for all four: only the deeper layers' inputs differ
    assert max(start) - min(start) <= 5, claim(DYING, "start close to that") + f": {start}"


def test_moderate_rates_add_no_relu_deaths_and_revive_some(dying):
    untrained, *moderate, largest = rates(dying)
    relu = [median(dying, "never_positive", "ReLU", lr) for lr in (untrained, *moderate)]
    words = claim(DYING, "Moderate learning rates do not add ReLU deaths; they revive some.")
    assert all(share <= relu[0] for share in relu[1:]) and relu[-1] < relu[0], f"{words}: {relu}"


def test_relu_gelu_and_silu_end_the_moderate_rates_at_the_same_rounded_share(dying):
    lr = rates(dying)[-2]
    shares = {name: dying["median"]["never_positive"][name][lr] for name in ("ReLU", "GELU", "SiLU")}
    assert len(set(shares.values())) == 1, claim(DYING, "The table rounds all three to the same") + f": {shares}"
    # "GELU and SiLU networks lose silent units too, and more of them": below ReLU before rounding
    unrounded = {name: median(dying, "never_positive", name, lr) for name in ("ReLU", "GELU", "SiLU")}
    words = claim(DYING, "networks lose silent units too, and more of them.")
    assert max(unrounded["GELU"], unrounded["SiLU"]) < unrounded["ReLU"], f"{words}: {unrounded}"
    start = {name: median(dying, "never_positive", name, "0.0") for name in ("GELU", "SiLU")}
    assert all(unrounded[name] < start[name] for name in start), f"{words}: {unrounded} from {start}"


def test_relu_count_jumps_at_the_largest_rate_to_the_highest_share(dying):
    untrained, *_, second, largest = rates(dying)
    relu = {lr: median(dying, "never_positive", "ReLU", lr) for lr in rates(dying)}
    words = claim(DYING, "At the largest learning rate the ReLU count jumps,")
    # a jump: at least a quarter above the untrained share, and ten points above the rate before
    assert relu[largest] >= 1.25 * relu[untrained] and relu[largest] >= relu[second] + 10, f"{words}: {relu}"
    highest = max(median(dying, "never_positive", name, lr) for name in ACTIVATIONS for lr in rates(dying))
    assert relu[largest] == highest, claim(DYING, "the highest share in the table") + f": {relu[largest]} < {highest}"


def test_leaky_relu_units_are_pushed_negative_too_but_fewer_and_keep_a_gradient(dying):
    *_, second, largest = rates(dying)
    leaky = {lr: median(dying, "never_positive", "Leaky ReLU", lr) for lr in (second, largest)}
    relu = median(dying, "never_positive", "ReLU", largest)
    words = claim(DYING, "Leaky ReLU units are pushed negative too, but fewer, and they keep a gradient.")
    assert leaky[second] < leaky[largest] < relu, f"{words}: Leaky ReLU {leaky}, ReLU {relu}"
    no_gradient = dying["quartiles"]["no_gradient"]["Leaky ReLU"]
    assert all(q == 0 for qs in no_gradient.values() for q in qs), f"{words}: {no_gradient}"


def test_gelu_and_silu_units_rarely_stay_negative_and_mostly_keep_a_gradient(dying):
    largest = rates(dying)[-1]
    smooth = [median(dying, "never_positive", name, largest) for name in ("GELU", "SiLU")]
    others = [median(dying, "never_positive", name, largest) for name in ("ReLU", "Leaky ReLU")]
    # rarely: fewer than one unit in ten; the lowest: below both piecewise-linear activations
    assert max(smooth) < 10, claim(DYING, "GELU and SiLU units rarely stay on the negative side,") + f": {smooth}"
    words = claim(DYING, "the lowest of the four activations at that rate")
    assert max(smooth) < min(others), f"{words}: {smooth} against {others}"
    for name in ("GELU", "SiLU"):
        upper = [qs[2] for qs in dying["quartiles"]["no_gradient"][name].values()]
        # most networks: the upper quartile is 0, so at least three networks in four have none
        assert all(q == 0 for q in upper), (
            claim(DYING, "none of their units crosses the no-gradient threshold") + f": {name} {upper}"
        )


def test_for_relu_never_firing_and_passing_no_gradient_are_the_same(dying):
    words = claim(DYING, 'For ReLU, "never fires" and "passes no gradient" are the same thing.')
    assert dying["quartiles"]["never_positive"]["ReLU"] == dying["quartiles"]["no_gradient"]["ReLU"], words


def test_dead_units_did_not_decide_accuracy(dying):
    largest = rates(dying)[-1]
    accuracy = {name: median(dying, "accuracy", name, largest) for name in ACTIVATIONS}
    silent = {name: median(dying, "never_positive", name, largest) for name in ACTIVATIONS}
    words = claim(DYING, "most dead units, still classify nearly all of the training points correctly")
    assert silent["ReLU"] == max(silent.values()), f"{words}: {silent}"
    # nearly all: 95 % or more, which the table's rounding to the nearest 10 shows as 100
    assert all(accuracy[name] >= 95 for name in ("ReLU", "Leaky ReLU", "GELU")), f"{words}: {accuracy}"
    words = claim(DYING, "The SiLU networks, with the fewest silent units, are the")
    assert silent["SiLU"] == min(silent.values()) and accuracy["SiLU"] == min(accuracy.values()), (
        f"{words}: silent {silent}, accuracy {accuracy}"
    )


def test_relu_and_leaky_relu_reach_nearly_the_same_accuracy_at_every_rate(dying):
    # relu.md, on CS231n's caution that Leaky ReLU's benefit is inconsistent
    words = claim("relu.md", "ReLU and Leaky ReLU networks reach nearly the same accuracy at every learning rate tried")
    gaps = {
        lr: median(dying, "accuracy", "ReLU", lr) - median(dying, "accuracy", "Leaky ReLU", lr) for lr in rates(dying)
    }
    # nearly the same: within 2 percentage points of median accuracy, at each rate of the sweep
    assert all(abs(gap) < 2 for gap in gaps.values()), f"{words}: {gaps}"


def test_the_smooth_activations_train_more_slowly_at_the_same_rate(dying):
    words = claim(DYING, "At the same learning rate the smooth activations train more slowly.")
    for lr in rates(dying)[1:3]:
        accuracy = {name: median(dying, "accuracy", name, lr) for name in ACTIVATIONS}
        assert max(accuracy["GELU"], accuracy["SiLU"]) < min(accuracy["ReLU"], accuracy["Leaky ReLU"]), (
            f"{words}: at lr {lr}, {accuracy}"
        )
    lr = rates(dying)[1]  # the page cites ReLU's value for both
    shown = {name: dying["median"]["accuracy"][name][lr] for name in ("ReLU", "Leaky ReLU")}
    assert len(set(shown.values())) == 1, claim(DYING, "% for ReLU and Leaky ReLU") + f": {shown}"


def test_training_works_at_every_rate(dying):
    # the dead units do not come from a failed run: every trained median network fits the moons well
    for name in ACTIVATIONS:
        accuracy = dying["median"]["accuracy"][name]
        assert accuracy["0.0"] == 50.0 and all(accuracy[lr] >= 80 for lr in rates(dying)[1:]), (name, accuracy)


def test_few_runs_diverge(dying):
    assert dying["diverged_runs"] <= 0.05 * dying["seeds"] * len(ACTIVATIONS) * (len(rates(dying)) - 1)


# --- exp-vanishing-gradients.md: medians over seeds of the first layer's gradient norm ---

VANISHING = "exp-vanishing-gradients.md"


@pytest.fixture(scope="module")
def vanishing():
    return values("activation-functions/experiments/vanishing_gradients")


def test_with_the_default_init_every_activation_loses_the_gradient_sigmoid_fastest(vanishing):
    lost = vanishing["orders_lost"]["default"]
    words = claim(VANISHING, "With the default initialisation, every activation loses the gradient")
    assert min(lost.values()) > 1, f"{words}: {lost}"
    assert lost["sigmoid"] == max(lost.values()), claim(VANISHING, "Sigmoid falls fastest") + f": {lost}"


def test_tanh_loses_the_least_under_the_default_init_in_the_predicted_order(vanishing):
    lost = vanishing["orders_lost"]["default"]
    words = claim(VANISHING, "Tanh loses the least under the default initialisation.")
    assert lost["tanh"] == min(lost.values()), f"{words}: {lost}"
    # the per-layer factor's order: tanh' near 1, ReLU passing half, sigmoid' at most 1/4
    assert lost["tanh"] < lost["ReLU"] < lost["sigmoid"], claim(VANISHING, "explains the order") + f": {lost}"
    assert lost["tanh"] < lost["ReLU"], (
        claim("takeaways.md", "tanh keeps a gradient better than ReLU does") + f": {lost}"
    )


def test_a_suited_init_keeps_relu_level_and_tanh_slow(vanishing):
    relu = vanishing["norms"]["suited"]["ReLU"]
    words = claim(VANISHING, "With a suited initialisation, ReLU keeps its gradient at every depth tried")
    assert all(0.1 <= norm / relu[0] <= 10 for norm in relu), f"{words}: {relu}"
    lost = vanishing["orders_lost"]["suited"]
    assert 0 < lost["tanh"] < 1, claim(VANISHING, "at every depth tried**, and tanh loses") + f": {lost}"


def test_tanh_shrinks_gradients_slightly_before_it_saturates(vanishing):
    factor = vanishing["measured"]["suited"]["tanh"]
    words = claim(VANISHING, "Tanh shrinks gradients even before its units saturate, but")
    assert 0.9 < factor < 1, f"{words}: tanh's factor per layer under Xavier is {factor}"


def test_xavier_does_not_rescue_sigmoid_but_slows_its_decline(vanishing):
    default, suited = (vanishing["orders_lost"][init]["sigmoid"] for init in ("default", "suited"))
    words = claim(VANISHING, "Xavier's initialisation does not rescue sigmoid.")
    # still vanishing (more than ten orders), and only somewhat slower: at least half the default's loss
    assert 10 < suited < default and suited > default / 2, (
        f"{words}: {suited} orders lost with Xavier, {default} with the default"
    )


def test_gelu_and_silu_under_kaiming_sit_in_between_silu_faster(vanishing):
    lost = vanishing["orders_lost"]["suited"]
    words = claim(VANISHING, "GELU and SiLU under Kaiming's ReLU gain sit in between.")
    assert lost["ReLU"] < lost["GELU"] < lost["SiLU"] < lost["sigmoid"], f"{words}: {lost}"


def test_the_deepest_sigmoid_gradients_leave_float32_s_normal_range(vanishing):
    norms, width = vanishing["norms"]["default"]["sigmoid"], vanishing["width"]
    tiny = float(np.finfo(np.float32).tiny)  # the smallest normal float32
    subnormal = float(np.nextafter(np.float32(0), np.float32(1)))  # the smallest positive float32
    typical = norms[-2] / width  # the root mean square of the width * width entries
    words = claim(VANISHING, "entry, the norm divided by the square root of the")
    assert typical > tiny and typical**2 < subnormal, f"{words}: typical entry {typical:.2e} at depth 40"
    words = claim(VANISHING, "is below the smallest normal number: in float32 every entry")
    assert norms[-1] < tiny, f"{words}: norm {norms[-1]:.2e} at the deepest depth"


# --- exp-linear-depth.md ---

LINEAR = "exp-linear-depth.md"


def test_the_linear_stack_is_stuck_and_the_others_separate_the_training_data():
    scores = values("activation-functions/experiments/linear_depth")["scores"]
    others = [scores[name] for name in ("ReLU", "GELU", "SiLU")]
    words = claim(LINEAR, "The accuracy table shows it stuck well below the others, with a")
    assert scores["none"]["train_acc"] < min(s["train_acc"] for s in others) - 0.05, f"{words}: {scores}"
    assert scores["none"]["train_loss"] > 100 * max(s["train_loss"] for s in others), f"{words}: {scores}"
    words = claim(LINEAR, "separate the training data completely and score close to each other on the test set.")
    tests = [s["test_acc"] for s in others]
    assert all(s["train_acc"] == 1.0 for s in others) and max(tests) - min(tests) <= 0.02, f"{words}: {scores}"


# --- explorer.md, centring-and-dead-units.md ---


def test_swish_s_overshoot_keeps_its_height_and_moves_towards_zero():
    curves = values("activation-functions/explorer/curves")
    peaks, x_max = curves["swish_peak"], curves["x_max"]
    inside = {beta: peak for beta, peak in peaks.items() if peak[1] < x_max}
    heights = [slope for slope, _ in inside.values()]
    words = claim("explorer.md", "overshoot slide towards 0 as β grows, while its height stays at")
    assert max(heights) - min(heights) <= 1e-3, f"{words}: {inside}"  # within the grid's sampling
    positions = [inside[beta][1] for beta in sorted(inside, key=float)]
    assert positions == sorted(positions, reverse=True) and positions[0] > positions[-1], f"{words}: {positions}"
    smallest = min(peaks, key=float)
    words = claim("explorer.md", "At the smallest β the peak lies beyond the plotted")
    assert peaks[smallest][1] == x_max and peaks[smallest][0] < min(heights) - 0.01, f"{words}: {peaks[smallest]}"


def test_with_the_same_weights_only_the_relu_model_has_dead_units_of_its_own():
    extra = values("activation-functions/ideas/dead_units")["extra_dead"]
    words = claim("centring-and-dead-units.md", "while GELU's slope falls")
    assert extra["ReLU"] > extra["GELU"], f"{words}: {extra}"


def test_sigmoid_inputs_make_one_slow_direction_tanh_inputs_none():
    centring = values("activation-functions/ideas/zero_centring")
    sigmoid, tanh = centring["curvature"]["sigmoid"], centring["curvature"]["tanh"]
    words = claim("centring-and-dead-units.md", "With sigmoid inputs one is large,")
    assert sigmoid[0] < 0.2 * sigmoid[1], f"{words}: eigenvalues {sigmoid}"
    words = claim("centring-and-dead-units.md", "inputs the two are nearly equal")
    assert tanh[0] > 0.9 * tanh[1], f"{words}: eigenvalues {tanh}"
    words = claim(
        "centring-and-dead-units.md", "the centred inputs have reached the best weights to the printed precision"
    )
    assert round(centring["distance"]["tanh"], 3) == 0 < round(centring["distance"]["sigmoid"], 3), (
        f"{words}: {centring['distance']}"
    )


def test_every_sentence_a_test_binds_is_still_on_its_page():
    # an assertion's message is built only when it fails: check every bound sentence here, now
    calls = [
        node
        for node in ast.walk(ast.parse(Path(__file__).read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "claim"
        and isinstance(node.args[1], ast.Constant)  # not the call below
    ]
    assert len(calls) > 20
    for call in calls:
        page, words = (globals()[a.id] if isinstance(a, ast.Name) else a.value for a in call.args)
        claim(page, words)  # fails naming the page and the words when they are gone
