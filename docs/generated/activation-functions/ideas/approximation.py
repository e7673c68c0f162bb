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
# One hidden layer of random units, output weights fitted by least squares: ReLU and tanh approach sin, a square cannot.
import math

import torch

# %% Step 1: wider layers fit better, unless the activation is a polynomial publish=["widths", "max_errors", "frequency"]
torch.manual_seed(0)
x = torch.linspace(-math.pi, math.pi, 400, dtype=torch.float64).unsqueeze(1)
frequency = 3
target = torch.sin(frequency * x)
activations = {"ReLU": torch.relu, "tanh": torch.tanh, "square": torch.square}
widths = [4, 16, 64, 256]


def fit(act, width, seed):
    """Random hidden weights; only the output layer is solved, by least squares."""
    torch.manual_seed(seed)
    W = 3 * torch.randn(1, width, dtype=torch.float64)
    centres = (2 * torch.rand(width, dtype=torch.float64) - 1) * math.pi  # where each unit bends
    b = -(W * centres).squeeze(0)
    features = torch.cat([act(x @ W + b), torch.ones_like(x)], dim=1)
    out = torch.linalg.lstsq(features, target, driver="gelsd").solution  # SVD: stable when columns nearly repeat
    return lambda z: torch.cat([act(z @ W + b), torch.ones_like(z)], dim=1) @ out


print(f"largest |error| on [-pi, pi], target sin({frequency}x)")
print(f"{'width':>6}" + "".join(f"{name:>10}" for name in activations))
max_errors = {name: [] for name in activations}
for width in widths:
    for name, act in activations.items():
        max_errors[name].append((fit(act, width, seed=1)(x) - target).abs().max().item())
    print(f"{width:6d}" + "".join(f"{max_errors[name][-1]:10.4f}" for name in activations))

# %% Step 2: the guarantee is for a bounded interval only publish=["inside_error", "outside_error"]
outside = torch.linspace(2 * math.pi, 3 * math.pi, 200, dtype=torch.float64).unsqueeze(1)
relu_net = fit(torch.relu, 256, seed=1)
inside_error = (relu_net(x) - target).abs().max().item()
outside_error = (relu_net(outside) - torch.sin(frequency * outside)).abs().max().item()
print(f"width 256 ReLU, largest |error| on [-pi, pi]:  {inside_error:.4f}")
print(f"same network on [2 pi, 3 pi], never trained on: {outside_error:.1f}")
