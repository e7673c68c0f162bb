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
# SiLU is Swish with beta = 1; SiLU and GELU both dip below zero, and a fine grid finds how far.
import torch
from torch.nn import functional as F

# %% Step 1: SiLU is x times sigmoid(x)
x = torch.tensor([-3.0, -1.0, -0.5, 0.5, 1.0, 3.0])
print("x               ", x)
print("x * sigmoid(x)  ", (x * torch.sigmoid(x)).round(decimals=4))
print("F.silu(x)       ", F.silu(x).round(decimals=4))

# %% Step 2: Swish puts a slope beta inside the sigmoid, and beta of 1 gives SiLU back publish=["betas"]
betas = [0.5, 1.0, 2.0]
for beta in betas:
    swish = x * torch.sigmoid(beta * x)
    print(f"swish, beta={beta:<4}", swish.round(decimals=4))
print("relu(x)         ", torch.relu(x))
print("same as SiLU at beta = 1?", torch.allclose(x * torch.sigmoid(1.0 * x), F.silu(x)))

# %% Step 3: find the lowest point of SiLU and GELU on a fine grid publish=["minima"]
x = torch.linspace(-3, 0, 300001, dtype=torch.float64)
minima = {}
for name, y in [("SiLU", F.silu(x)), ("GELU (exact)", F.gelu(x))]:
    lowest = y.argmin()
    minima[name] = {"value": y[lowest].item(), "at": x[lowest].item()}
    print(f"{name:12}  minimum {y[lowest].item():.3f}  at x = {x[lowest].item():.3f}")
