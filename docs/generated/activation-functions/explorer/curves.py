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
# The explorer's data: every activation and its derivative on a grid, for each slider position, by autograd.
import matplotlib.pyplot as plt
import torch
from torch.nn import functional as F

# %% Step 1: the grid of inputs and of parameter values publish=["n_betas", "n_slopes", "x_max"]
x = (torch.arange(-60, 61, dtype=torch.float64) / 10).requires_grad_(True)  # -6 to 6, step 0.1
betas = [0.25 * k for k in range(1, 13)]  # Swish beta from 0.25 to 3; beta = 1 is SiLU
slopes = [0.05 * k for k in range(0, 11)]  # Leaky ReLU's negative slope from 0 (ReLU) to 0.5
families = {
    "sigmoid": ("sigmoid", None, [None], lambda t, p: torch.sigmoid(t)),
    "tanh": ("tanh", None, [None], lambda t, p: torch.tanh(t)),
    "gelu": ("GELU", None, [None], lambda t, p: F.gelu(t)),
    "swish": ("Swish (SiLU at beta = 1)", "beta", betas, lambda t, p: t * torch.sigmoid(p * t)),
    "leaky": ("Leaky ReLU", "negative slope", slopes, lambda t, p: F.leaky_relu(t, p)),
}
x_max, n_betas, n_slopes = x[-1].item(), len(betas), len(slopes)
print(
    f"{x.numel()} inputs from {x[0].item():g} to {x[-1].item():g}; "
    f"{len(betas)} values of beta, {len(slopes)} negative slopes"
)


# %% Step 2: values and slopes, rounded for the page publish=["explorer", "swish_peak", "bridge_beta"]
def sampled(f, p):
    y = f(x, p)
    (dy,) = torch.autograd.grad(y.sum(), x)
    # 4 decimals: finer than a pixel of the plot, and stable across CPUs
    return [round(v, 4) + 0.0 for v in y.tolist()], [round(v, 4) + 0.0 for v in dy.tolist()]


explorer = {"x": [round(v, 1) for v in x.tolist()], "functions": {}}
for key, (label, parameter, grid, f) in families.items():
    curves = {}
    for p in grid:
        name = "" if p is None else f"{p:.2f}"
        curves[name] = dict(zip(("f", "df"), sampled(f, p), strict=True))
    explorer["functions"][key] = {
        "label": label,
        "parameter": parameter,
        "values": [] if parameter is None else [f"{p:.2f}" for p in grid],
        "curves": curves,
    }
swish = explorer["functions"]["swish"]["curves"]
print("Swish slope at x = 2:", ", ".join(f"beta {b} -> {swish[b]['df'][80]}" for b in ("0.50", "1.00", "2.00")))
# the largest Swish slope on the grid, and where: (slope, x) per beta
swish_peak = {b: max(zip(swish[b]["df"], explorer["x"], strict=True)) for b in swish}
print(
    "Largest Swish slope:",
    ", ".join(f"beta {b} -> {swish_peak[b][0]} at x = {swish_peak[b][1]}" for b in ("0.25", "1.00", "3.00")),
)
bridge_beta = min(betas, key=lambda b: abs(b - 1.702))  # the slider's closest value to GELU's 1.702

# %% Step 3: a still picture of the same data, for readers without JavaScript alt="Four panels over x from -6 to 6. Top: Swish for beta 0.5, 1 and 2, and its slope; a larger beta bends the curve more sharply at 0 and moves it towards ReLU, and the slope rises above 1 before settling at 1. Bottom: Leaky ReLU for negative slopes 0, 0.1 and 0.3, and its slope, a step from the negative slope to 1 at x = 0."
fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), sharex=True)
colours = ["#0072B2", "#E69F00", "#D55E00"]
for row, (key, picks) in enumerate((("swish", ["0.50", "1.00", "2.00"]), ("leaky", ["0.00", "0.10", "0.30"]))):
    family = explorer["functions"][key]
    for p, colour in zip(picks, colours, strict=True):
        curve = family["curves"][p]
        axes[row, 0].plot(explorer["x"], curve["f"], color=colour, label=f"{family['parameter']} {p}")
        axes[row, 1].plot(explorer["x"], curve["df"], color=colour, label=f"{family['parameter']} {p}")
    axes[row, 0].set_title(family["label"])
    axes[row, 1].set_title(f"{family['label']}: slope")
    axes[row, 0].legend(loc="upper left")
for ax in axes[1]:
    ax.set_xlabel("x")
fig.tight_layout()
plt.show()
