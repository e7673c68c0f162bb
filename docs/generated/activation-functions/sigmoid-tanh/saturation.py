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
# Sigmoid and tanh: their values, their autograd derivatives, and where the gradient goes flat.
import matplotlib.pyplot as plt
import torch

# %% Step 1: sigmoid and tanh at a few inputs
x = torch.tensor([-6.0, -2.5, -1.0, 0.0, 1.0, 2.5, 6.0])
print("x        ", x)
print("sigmoid  ", torch.sigmoid(x).round(decimals=4))
print("tanh     ", torch.tanh(x).round(decimals=4))

# %% Step 2: their derivatives, computed by autograd
x = torch.tensor([-6.0, -2.5, -1.0, 0.0, 1.0, 2.5, 6.0], requires_grad=True)
torch.sigmoid(x).sum().backward()
d_sigmoid = x.grad.clone()
x.grad = None
torch.tanh(x).sum().backward()
d_tanh = x.grad.clone()
print("x          ", x.detach())
print("d sigmoid  ", d_sigmoid.round(decimals=4))
print("d tanh     ", d_tanh.round(decimals=4))
print(f"largest d sigmoid: {d_sigmoid.max().item():.4f} at x = {x[d_sigmoid.argmax()].item():.1f}")
print(f"largest d tanh:    {d_tanh.max().item():.4f} at x = {x[d_tanh.argmax()].item():.1f}")

# %% Step 3: shade where the gradient is almost zero (|gradient| < 0.05) publish=["threshold", "x_max", "flat_beyond"] alt="Three panels, sigmoid, tanh and ReLU on x from -{{ x_max }} to {{ x_max }}, each drawn with its gradient as a dashed line. Shaded bands mark where the gradient is below {{ threshold | fmt('g') }}: for sigmoid beyond about plus or minus {{ flat_beyond['sigmoid'] | fmt('.1f') }}, for tanh beyond about plus or minus {{ flat_beyond['tanh'] | fmt('.1f') }}, and for ReLU the whole negative half."
threshold = 0.05
x_max = 6
x = torch.linspace(-x_max, x_max, 1201, requires_grad=True)
activations = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "ReLU": torch.relu}
colours = {"sigmoid": "#0072B2", "tanh": "#009E73", "ReLU": "#E69F00"}

fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharey=True)
print(f"threshold: |gradient| < {threshold}, on x in [-{x_max}, {x_max}]")
flat_beyond = {}  # for x > 0: the smallest x where the gradient is below the threshold
for ax, (name, f) in zip(axes, activations.items(), strict=True):
    x.grad = None
    y = f(x)
    y.sum().backward()
    grad = x.grad
    flat = grad.abs() < threshold
    xs = x.detach()
    left = xs[flat & (xs < 0)].max().item()
    right = xs[flat & (xs > 0)]
    if len(right):
        flat_beyond[name] = right.min().item()
    right_text = f"x >= {right.min().item():5.2f}" if len(right) else "no x > 0"
    print(f"{name:8} flat for x <= {left:5.2f}, and for {right_text}  ({flat.float().mean().item():.1%} of the range)")
    ax.plot(xs, y.detach(), color=colours[name], linewidth=2, label=name)
    ax.plot(xs, grad, color=colours[name], linewidth=2, linestyle="--", label=f"d {name} / dx")
    ax.fill_between(
        xs,
        0,
        1,
        where=flat,
        color="#D55E00",
        alpha=0.2,
        transform=ax.get_xaxis_transform(),
        label=f"|gradient| < {threshold}",
    )
    ax.set_title(name)
    ax.set_xlabel("x")
    ax.set_ylim(-1.2, 1.6)
    ax.legend(loc="upper left", fontsize=8)
axes[0].set_ylabel("value")
fig.suptitle("Activations (solid), their gradients (dashed), near-zero gradient (shaded)")
fig.tight_layout()
plt.show()
