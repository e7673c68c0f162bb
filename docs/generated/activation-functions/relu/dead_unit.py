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
# ReLU zeroes negatives, passes no gradient there, and so a unit can die; leaky variants keep a gradient.
import torch
import torch.nn as nn
from torch.nn import functional as F

# %% Step 1: ReLU keeps positives and zeroes negatives
x = torch.tensor([-3.0, -1.0, -0.5, 0.5, 2.0], requires_grad=True)
y = torch.relu(x)
y.sum().backward()
print("x          ", x.detach())
print("relu(x)    ", y.detach())
print("d relu / dx", x.grad)

# %% Step 2: a unit whose pre-activation is negative for every input gets no gradient publish=["dead_bias", "n_inputs", "fired", "n_params", "zero_grads"]
torch.manual_seed(0)
unit = nn.Linear(3, 1)
dead_bias, n_inputs = -10.0, 256
with torch.no_grad():
    unit.bias.fill_(dead_bias)  # e.g. after one oversized update pushed the bias far down
inputs = torch.randn(n_inputs, 3)
pre_activation = unit(inputs)
loss = torch.relu(pre_activation).pow(2).mean()
loss.backward()
fired = (pre_activation > 0).sum().item()
n_params = sum(p.numel() for p in unit.parameters())
zero_grads = sum((p.grad == 0).sum().item() for p in unit.parameters())
print(f"largest pre-activation over {n_inputs} inputs: {pre_activation.max().item():.4f}")
print(f"inputs where the unit fires: {fired} of {n_inputs}")
print("gradient of the weights:", unit.weight.grad)
print("gradient of the bias:   ", unit.bias.grad)

# %% Step 3: training cannot bring it back
optimizer = torch.optim.SGD(unit.parameters(), lr=0.1)
weight_before = unit.weight.detach().clone()
for _ in range(100):
    optimizer.zero_grad()
    loss = torch.relu(unit(inputs)).pow(2).mean()
    loss.backward()
    optimizer.step()
print(f"bias after 100 SGD steps:     {unit.bias.item():.4f}")
print("weights changed at all?      ", not torch.equal(unit.weight.detach(), weight_before))

# %% Step 4: variants that keep a gradient for negative inputs publish=["leaky_slope", "prelu_init"]
x = torch.tensor([-3.0, -1.0, -0.5, 0.5, 2.0], requires_grad=True)
leaky_slope, prelu_init = 0.01, 0.25  # PyTorch's defaults
prelu = nn.PReLU(init=prelu_init)  # the negative slope is a learned parameter; this is its start
fixes = {
    "leaky_relu": lambda t: F.leaky_relu(t, negative_slope=leaky_slope),
    "prelu": prelu,
    "elu": lambda t: F.elu(t, alpha=1.0),
}
print("x            ", x.detach())
for name, f in fixes.items():
    x.grad = None
    y = f(x)
    y.sum().backward()
    print(f"{name:11} y ", y.detach().round(decimals=4))
    print(f"{name:11} dy", x.grad.round(decimals=4))
