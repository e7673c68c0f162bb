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
# GELU: the exact x * Phi(x) that PyTorch computes by default, its tanh approximation, and how far apart they are.
import math

import matplotlib.pyplot as plt
import torch
from torch.nn import functional as F

# %% Step 1: the exact formula, x times the standard normal CDF
x = torch.tensor([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0])
Phi = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
by_hand = x * Phi
print("x                  ", x)
print("x * Phi(x)         ", by_hand.round(decimals=4))
print("F.gelu(x)          ", F.gelu(x).round(decimals=4))
print("same as default?   ", torch.allclose(by_hand, F.gelu(x)))

# %% Step 2: the tanh approximation is a separate option publish=["gap_at_points"]
tanh_formula = 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
gap_at_points = (tanh_formula - by_hand).abs().max()
print("tanh formula       ", tanh_formula.round(decimals=4))
print("approximate='tanh' ", F.gelu(x, approximate="tanh").round(decimals=4))
print("same as 'tanh'?    ", torch.allclose(tanh_formula, F.gelu(x, approximate="tanh")))
print(f"largest gap here:   {gap_at_points:.1e}")

# %% Step 3: measure the gap between the two on a fine grid publish=["max_gap", "max_gap_at", "dip", "dip_at"]
x = torch.linspace(0, 6, 60001, dtype=torch.float64)
gap = F.gelu(x, approximate="tanh") - F.gelu(x)
gap_mirror = F.gelu(-x, approximate="tanh") - F.gelu(-x)
max_gap, max_gap_at = gap.abs().max(), x[gap.abs().argmax()]
dip, dip_at = gap.min(), x[gap.argmin()]
print(f"largest |tanh - exact| for x >= 0: {max_gap:.2e}")
print(f"reached at x =                     {max_gap_at:.2f}")
print(f"most negative tanh - exact:        {dip:.2e} at x = {dip_at:.2f}")
print(f"same gap at -x (gap is even)?      {torch.allclose(gap, gap_mirror)}")

# %% Step 4: plot both forms and their difference alt="Two stacked plots on x from -{{ plot_max }} to {{ plot_max }}. Top: exact GELU and its tanh approximation, drawn on top of each other and indistinguishable. Bottom: their difference, symmetric about x = 0, with dips of {{ dip | sci(1) }} near x = plus or minus {{ dip_at | fmt('.1f') }} and peaks of {{ max_gap | sci(1) }} near x = plus or minus {{ max_gap_at | fmt('.1f') }}, fading to zero far from 0." publish=["plot_max"]
plot_max = 5
x = torch.linspace(-plot_max, plot_max, 1001)
gap = F.gelu(x, approximate="tanh") - F.gelu(x)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True, height_ratios=[2, 1])
top.plot(x, F.gelu(x), color="#0072B2", linewidth=3, label="exact: x·Φ(x) (F.gelu default)")
top.plot(
    x,
    F.gelu(x, approximate="tanh"),
    color="#E69F00",
    linewidth=1.5,
    linestyle="--",
    label='tanh approximation (approximate="tanh")',
)
top.set_ylabel("GELU(x)")
top.set_title("GELU: exact and tanh approximation")
top.legend(loc="upper left")
bottom.plot(x, gap, color="#D55E00", linewidth=1.5, label="tanh approximation minus exact")
bottom.axhline(0, color="#999999", linewidth=0.8)
bottom.set_xlabel("x")
bottom.set_ylabel("difference")
bottom.ticklabel_format(axis="y", style="sci", scilimits=(0, 0))
bottom.legend(loc="upper center")
fig.tight_layout()
plt.show()
