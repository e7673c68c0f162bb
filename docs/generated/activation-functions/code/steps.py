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
# Three steps: two linear layers collapse into one, a ReLU stops that, and the ReLU family plotted.
import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.nn import functional as F

# %% Step 1: two linear layers equal one layer
torch.manual_seed(0)
torch.set_printoptions(sci_mode=False)  # plain decimals, easier to compare by eye
W1 = nn.Linear(4, 4, bias=False)
W2 = nn.Linear(4, 4, bias=False)

combined = nn.Linear(4, 4, bias=False)
with torch.no_grad():
    combined.weight.copy_(W2.weight @ W1.weight)  # y = W2 (W1 x) = (W2 W1) x

x = torch.randn(1, 4)
with torch.no_grad():
    two_layers = W2(W1(x))
    one_layer = combined(x)

print("two layers:", two_layers.round(decimals=4))
print("one layer: ", one_layer.round(decimals=4))
print("largest difference:", f"{(two_layers - one_layer).abs().max().item():.1e}")
print("same up to float rounding?", torch.allclose(two_layers, one_layer, atol=1e-6))

# %% Step 2: a ReLU between the layers breaks the equality
with torch.no_grad():
    with_relu = W2(F.relu(W1(x)))

print("with ReLU:   ", with_relu.round(decimals=4))
print("one layer:   ", one_layer.round(decimals=4))
print("same?", torch.allclose(with_relu, one_layer, atol=1e-6))

# %% Step 3: ReLU, GELU and SiLU side by side publish=["z_max"] alt="ReLU, GELU and SiLU for inputs from -{{ z_max }} to {{ z_max }}: all three are near zero for negative inputs and close to the identity for positive ones; GELU and SiLU bend smoothly and dip slightly below zero"
z_max = 4
z = torch.linspace(-z_max, z_max, 401)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(z, F.relu(z), label="ReLU", color="#0072B2", linewidth=2)
ax.plot(z, F.gelu(z), label="GELU (exact)", color="#E69F00", linewidth=2, linestyle="--")
ax.plot(z, F.silu(z), label="SiLU", color="#009E73", linewidth=2, linestyle=":")
ax.axhline(0, color="grey", linewidth=0.6)
ax.axvline(0, color="grey", linewidth=0.6)
ax.set(xlabel="input x", ylabel="activation f(x)", title="ReLU, GELU and SiLU")
ax.legend()
fig.tight_layout()
plt.show()
