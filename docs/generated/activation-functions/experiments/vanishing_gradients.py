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
# Measures how much gradient reaches the first layer of an MLP as it gets deeper, per activation and initialisation.
# %% Step 1: one deep MLP, one backward pass publish=["width", "batch", "seeds", "depths"]
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

# a matmul split over several threads may sum in a different order;
# one thread keeps every printed digit the same from run to run
torch.set_num_threads(1)
# float64: in float32 the norms of the smallest gradients below would underflow to 0
torch.set_default_dtype(torch.float64)

width, batch, seeds = 64, 32, 5
activations = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "ReLU": nn.ReLU, "GELU": nn.GELU, "SiLU": nn.SiLU}
depths = [1, 2, 5, 10, 20, 30, 40, 50]


def suited_init(layer, name):
    # Glorot & Bengio (2010) for the saturating pair, He et al. (2015) for the ReLU family
    if name in ("sigmoid", "tanh"):
        nn.init.xavier_normal_(layer.weight)
    else:
        nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
    nn.init.zeros_(layer.bias)


def first_layer_gradient(name, depth, init, seed):
    torch.manual_seed(seed)  # same inputs and weights for every activation
    x = torch.randn(batch, width)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activations[name]()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    if init == "suited":
        for layer in net:
            if isinstance(layer, nn.Linear):
                suited_init(layer, name)
    net(x).mean().backward()  # the same unit signal leaves every net's output
    return net[0].weight.grad.norm().item()


# one random net is noisy; keep the median over a few seeds
grad = {}
for init in ("default", "suited"):
    for name in activations:
        for depth in depths:
            runs = [first_layer_gradient(name, depth, init, seed) for seed in range(seeds)]
            grad[init, name, depth] = torch.tensor(runs).median().item()

# %% Step 2: the table publish=["orders_lost", "norms"]
for init in ("default", "suited"):
    if init != "default":
        print()  # a blank line between the two tables, none after the last
    print(f"first-layer gradient norm (median of {seeds} seeds), {init} init")
    print("depth" + "".join(f"{name:>10}" for name in activations))
    for depth in depths:
        print(f"{depth:5d}" + "".join(f"{grad[init, name, depth]:10.1e}" for name in activations))
# the medians behind the table, unrounded, per initialisation and activation (one per depth)
norms = {
    init: {name: [grad[init, name, depth] for depth in depths] for name in activations}
    for init in ("default", "suited")
}
# powers of ten lost between the shallowest and the deepest net, per initialisation and activation
orders_lost = {
    init: {name: math.log10(grad[init, name, depths[0]] / grad[init, name, depths[-1]]) for name in activations}
    for init in ("default", "suited")
}

# %% Step 3: the plot, on a log scale alt="Two log-scale line plots of the gradient norm at the first layer against depth from {{ depths[0] }} to {{ depths[-1] }}, one line per activation. First panel, PyTorch's default initialisation: every line falls steadily, sigmoid fastest (about {{ orders_lost[default][sigmoid] | fmt('.0f') }} powers of ten at depth {{ depths[-1] }}), tanh slowest, GELU and SiLU almost on top of each other. Second panel, Xavier for sigmoid and tanh and Kaiming for ReLU, GELU and SiLU: ReLU stays level, tanh sinks gently, GELU and SiLU fall by several orders of magnitude, sigmoid still collapses."
colours = {"sigmoid": "#0072B2", "tanh": "#E69F00", "ReLU": "#009E73", "GELU": "#D55E00", "SiLU": "#CC79A7"}
markers = {"sigmoid": "o", "tanh": "s", "ReLU": "^", "GELU": "D", "SiLU": "v"}
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, init, title in zip(
    axes, ("default", "suited"), ("PyTorch default init", "Xavier (sigmoid, tanh) / Kaiming (rest)"), strict=True
):
    for name in activations:
        ax.plot(depths, [grad[init, name, d] for d in depths], marker=markers[name], color=colours[name], label=name)
    ax.set_yscale("log")
    ax.set_xlabel("hidden layers")
    ax.set_title(title)
axes[0].set_ylabel("gradient norm at the first layer")
axes[0].legend()
fig.tight_layout()
plt.show()

# %% Step 4: the factor per layer, predicted and measured publish=["var_scale", "slope_sq", "shallow", "predicted", "measured", "worst_gap"]
# n Var(W): PyTorch's default draws from U(-1/sqrt(n), 1/sqrt(n)), variance 1/(3n); Xavier with
# n_in = n_out = n gives 1/n; Kaiming with the ReLU gain gives 2/n
var_scale = {"default": {name: 1 / 3 for name in activations}, "suited": {}}
for name in activations:
    var_scale["suited"][name] = 1.0 if name in ("sigmoid", "tanh") else 2.0
# E[f'(z)^2] for pre-activations just either side of zero, by autograd
z = torch.tensor([-1e-3, 1e-3], requires_grad=True)
slope_sq = {}
for name in activations:
    (slope,) = torch.autograd.grad(activations[name]()(z).sum(), z)
    slope_sq[name] = slope.pow(2).mean().item()
# measured: the squared norm's factor per layer between depth 20 and the deepest net
shallow, deep = 20, depths[-1]
predicted, measured = {}, {}
for init in ("default", "suited"):
    print(f"{init} init: factor per layer of the squared gradient norm")
    print("            n Var(W)  E[f'^2] near 0  predicted  measured")
    for name in activations:
        predicted[init, name] = var_scale[init][name] * slope_sq[name]
        measured[init, name] = (grad[init, name, deep] / grad[init, name, shallow]) ** (2 / (deep - shallow))
        print(
            f"  {name:8s} {var_scale[init][name]:9.4f} {slope_sq[name]:15.4f}"
            f" {predicted[init, name]:10.4f} {measured[init, name]:9.4f}"
        )
predicted = {init: {name: predicted[init, name] for name in activations} for init in ("default", "suited")}
measured = {init: {name: measured[init, name] for name in activations} for init in ("default", "suited")}
# the largest relative gap between a measured factor and its prediction, over all ten rows
worst_gap = max(abs(measured[i][n] / predicted[i][n] - 1) for i in ("default", "suited") for n in activations)
print(f"largest gap between measured and predicted: {worst_gap:.0%}")
