# %% Run first: the numeric environment the site's outputs were made in
# Run this cell first. PyTorch, MKL and oneDNN choose their kernels by CPU, and kernels
# of different widths round the last digits differently. These settings, read when
# torch first computes, make every x86-64 CPU take the path the site's outputs were
# produced on (see the site's Reproducibility page).
import os
import platform
import subprocess
import sys

os.environ.update(
    {
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
)
if platform.machine().lower() in ("x86_64", "amd64"):  # kernel choices that exist only on x86-64
    os.environ.update(
        {
            "ATEN_CPU_CAPABILITY": "avx2",
            "MKL_CBWR": "COMPATIBLE",
            "ONEDNN_MAX_CPU_ISA": "SSE41",
        }
    )
else:
    print(
        f"Note: on {platform.machine()} a printed number can differ from the site's by 0.1 %"
        " or by one unit in its last digit, whichever is more (checked on an emulated ARM CPU)."
        " A figure can differ where its result depends on the CPU."
    )
if "google.colab" in sys.modules:  # on Colab only: the versions the site was built with
    pins = ["torch==2.13.0+cpu", "numpy==2.4.6", "matplotlib==3.11.2"]
    cpu_index = "https://download.pytorch.org/whl/cpu"  # torch's CPU build
    command = [sys.executable, "-m", "pip", "install", "-q", "--extra-index-url", cpu_index]
    subprocess.run([*command, *pins], check=True)

# %%
# Counts hidden units that stop responding to every training example after SGD, as the learning rate grows.
# %% Step 1: data, and many small networks trained side by side publish=["hidden_layers"]
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)
n = 150
t = torch.rand(n) * math.pi
upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
x = torch.cat([upper, lower]) + 0.1 * torch.randn(2 * n, 2)
y = torch.cat([torch.zeros(n), torch.ones(n)]).unsqueeze(1)

activations = {"ReLU": nn.ReLU(), "Leaky ReLU": nn.LeakyReLU(0.01), "GELU": nn.GELU(), "SiLU": nn.SiLU()}
sizes = [2, 32, 32, 32, 1]  # three hidden layers of 32 units
hidden_layers = len(sizes) - 2
seeds, steps, batch = 48, 150, 64


def initial_weights(seed):
    """(W, b) per layer, one network per seed stacked in front: W has shape (seeds, inputs, outputs)."""
    torch.manual_seed(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        bound = 1 / math.sqrt(fan_in)  # nn.Linear's default init
        W = (torch.rand(seeds, fan_in, fan_out) * 2 - 1) * bound
        b = (torch.rand(seeds, 1, fan_out) * 2 - 1) * bound
        layers.append((W, b))
    return layers


def forward(layers, inputs, act):
    """All networks at once: inputs has shape (seeds, examples, 2); returns pre-activations and logits."""
    h, pre = inputs, []
    for W, b in layers[:-1]:
        z = h @ W + b
        pre.append(z)
        h = act(z)
    W, b = layers[-1]
    return pre, h @ W + b


def train(act, lr):
    layers = initial_weights(seed=1)  # the same start for every activation
    params = [p.requires_grad_() for layer in layers for p in layer]
    torch.manual_seed(2)  # the same mini-batches too
    for _ in range(steps if lr > 0 else 0):
        i = torch.randint(0, 2 * n, (seeds, batch))
        _, logits = forward(layers, x[i], act)
        # summed over networks, so each one gets exactly the gradient of its own mean loss
        loss = nn.functional.binary_cross_entropy_with_logits(logits, y[i], reduction="none").mean(dim=(1, 2)).sum()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads, strict=True):
                p -= lr * g
    return [(W.detach(), b.detach()) for W, b in layers]


# %% Step 2: what "dead" means here
def census(layers, act):
    """Per network: % of hidden units never above 0, % passing no gradient, accuracy on all of x."""
    every = x.expand(seeds, -1, -1)
    z, logits = forward(layers, every, act)
    z = torch.cat(z, dim=2).requires_grad_(True)  # (seeds, examples, hidden units)
    (slope,) = torch.autograd.grad(act(z).sum(), z)  # f'(z) for every example and unit
    never_positive = (z <= 0).all(dim=1).float().mean(dim=1)
    no_gradient = (slope.abs() < 1e-3).all(dim=1).float().mean(dim=1)
    accuracy = ((logits > 0).float() == y).float().mean(dim=(1, 2))
    finite = torch.stack([p.isfinite().flatten(1).all(dim=1) for layer in layers for p in layer]).all(dim=0)
    return 100 * torch.stack([never_positive, no_gradient, accuracy]), finite


# %% Step 3: sweep the learning rate; report each statistic's median over the networks, and the middle half publish=["median", "quartiles", "rounding", "diverged_runs", "seeds", "steps", "learning_rates"]
learning_rates = [0.0, 0.1, 0.3, 1.0, 1.5]  # 0.0 = untrained, the starting point
result, diverged = {}, {}
for name, act in activations.items():
    for lr in learning_rates:
        stats, finite = census(train(act, lr), act)
        diverged[name, lr] = int((~finite).sum())
        result[name, lr] = stats[:, finite].quantile(torch.tensor([0.25, 0.5, 0.75]), dim=1)  # (3 quartiles, 3 stats)

# One rounding difference can change which units die in a single run at a large learning rate, so
# each median over the networks is printed to the nearest 10 %: that much does not depend on the CPU.
stats, rounding = ("never_positive", "no_gradient", "accuracy"), 10
median = {
    stat: {
        name: {str(lr): rounding * round(result[name, lr][1, k].item() / rounding) for lr in learning_rates}
        for name in activations
    }
    for k, stat in enumerate(stats)
}
# unrounded quartiles (25 %, median, 75 %), published for the tests of what the page concludes
quartiles = {
    stat: {name: {str(lr): result[name, lr][:, k].tolist() for lr in learning_rates} for name in activations}
    for k, stat in enumerate(stats)
}
columns = ["never above 0 (% of units)", "no gradient (% of units)", "accuracy on x (%)"]
for stat, title in zip(stats, columns, strict=True):
    print(f"{title}: median of {seeds} networks, to the nearest {rounding}")
    print(f"{'lr':>4}" + "".join(f"{name:>12}" for name in activations))
    for lr in learning_rates:
        print(f"{lr:4.1f}" + "".join(f"{median[stat][name][str(lr)]:>12}" for name in activations))
    print()
diverged_runs = sum(diverged.values())
print("diverged runs (not counted above):", diverged_runs)

# %% Step 4: dead units against learning rate alt="Two line plots of the share of hidden units against the SGD learning rate, from 0 (untrained) to {{ learning_rates[-1] | fmt('.1f') }}, the median of {{ seeds }} networks with a band for the middle half, one line per activation. First panel, units never above zero: all four start near {{ quartiles[never_positive][ReLU][0.0][1] | fmt('.0f') }} percent; ReLU rises to {{ quartiles[never_positive][ReLU][1.5][1] | fmt('.0f') }} percent at the largest rate and Leaky ReLU to {{ quartiles[never_positive][Leaky ReLU][1.5][1] | fmt('.0f') }}, while GELU falls to {{ quartiles[never_positive][GELU][1.5][1] | fmt('.0f') }} and SiLU to {{ quartiles[never_positive][SiLU][1.5][1] | fmt('.0f') }}. Second panel, units passing no gradient: ReLU's line is the same as in the first; Leaky ReLU, GELU and SiLU stay at {{ quartiles[no_gradient][Leaky ReLU][1.5][1] | fmt('.0f') }}."
colours = {"ReLU": "#0072B2", "Leaky ReLU": "#E69F00", "GELU": "#009E73", "SiLU": "#CC79A7"}
markers = {"ReLU": "o", "Leaky ReLU": "s", "GELU": "^", "SiLU": "D"}
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, k in zip(axes, (0, 1), strict=True):
    for name in activations:
        q = torch.stack([result[name, lr][:, k] for lr in learning_rates])
        ax.plot(learning_rates, q[:, 1], marker=markers[name], color=colours[name], label=name)
        ax.fill_between(learning_rates, q[:, 0], q[:, 2], color=colours[name], alpha=0.15, linewidth=0)
    ax.set_title(columns[k].replace(" (% of units)", " on any example"))
    ax.set_xlabel("SGD learning rate (0 = before training)")
axes[0].set_ylabel("hidden units (%)")
axes[0].legend()
fig.tight_layout()
plt.show()
