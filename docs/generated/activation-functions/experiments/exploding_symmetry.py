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
# Two more ways initialisation fails: weights too large make gradients explode; equal weights never break symmetry.
import math

import torch
from torch import nn

# the same settings as the vanishing-gradient experiment: one thread, float64, width 64, batch 32, 5 seeds
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
width, batch, seeds = 64, 32, 5
depths = [1, 2, 5, 10, 20, 30, 40, 50]


# %% Step 1: ReLU stacks with weights too small, right and too large publish=["width", "seeds", "depths", "shallow", "scales", "explode_predicted", "explode_measured", "explode_deep"]
def relu_gradient(depth, scale, seed):
    torch.manual_seed(seed)
    x = torch.randn(batch, width)
    layers = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        nn.init.normal_(linear.weight, std=math.sqrt(scale / width))  # n Var(W) = scale
        nn.init.zeros_(linear.bias)
        layers += [linear, nn.ReLU()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    net(x).mean().backward()
    return net[0].weight.grad.norm().item()


scales = [1.0, 2.0, 4.0]  # n Var(W); for ReLU, E[f'^2] = 1/2, so the predicted factor is scale / 2
grad = {}
for scale in scales:
    for depth in depths:
        runs = [relu_gradient(depth, scale, seed) for seed in range(seeds)]
        grad[scale, depth] = torch.tensor(runs).median().item()
print(f"ReLU, first-layer gradient norm (median of {seeds} seeds)")
print("depth" + "".join(f"  n Var(W)={scale:g}" for scale in scales))
for depth in depths:
    print(f"{depth:5d}" + "".join(f"{grad[scale, depth]:13.1e}" for scale in scales))

# the squared norm's factor per layer, between depth 20 and the deepest net
shallow, deep = 20, depths[-1]
explode_predicted = [scale / 2 for scale in scales]
explode_measured = [(grad[s, deep] / grad[s, shallow]) ** (2 / (deep - shallow)) for s in scales]
explode_deep = [grad[s, deep] for s in scales]
print("factor per layer, predicted" + "".join(f"{factor:8.3f}" for factor in explode_predicted))
print("factor per layer, measured " + "".join(f"{factor:8.3f}" for factor in explode_measured))

# %% Step 2: units that start equal stay equal publish=["constant", "train_steps", "distinct", "accuracy"]
# a small task one unit cannot solve: is x1 * x2 positive?
torch.manual_seed(0)
points = torch.randn(256, 2)
labels = (points[:, 0] * points[:, 1] > 0).double()
constant, train_steps, distinct, accuracy = 0.5, 500, {}, {}
print("start weights   hidden units that differ from unit 0   accuracy")
for start in ("random", "constant"):
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, 1))
    if start != "random":
        for layer in (net[0], net[2]):
            nn.init.constant_(layer.weight, constant)  # every weight equal
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(train_steps):
        loss = nn.functional.binary_cross_entropy_with_logits(net(points).squeeze(1), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    W1 = net[0].weight.detach()
    distinct[start] = int(((W1 - W1[0]).abs().max(dim=1).values > 1e-6).sum())
    accuracy[start] = ((net(points).squeeze(1) > 0).double() == labels).double().mean().item()
    print(f"{start:15s} {distinct[start]:12d} of {width - 1:<22d} {accuracy[start]:8.1%}")
