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
# Inputs that are all positive give a unit's weight gradients one shared sign, and gradient descent zig-zags;
# batch and layer normalisation re-centre only along the axis they average over, RMSNorm along neither.
import matplotlib.pyplot as plt
import torch
from torch import nn

# %% Step 1: one sign for every weight of a unit publish=["same_sign"]
torch.manual_seed(0)
z = torch.randn(1000, 2)  # pre-activations of the layer below
inputs = {"sigmoid": torch.sigmoid(z), "tanh": torch.tanh(z)}  # outputs all > 0, and centred on 0
same_sign = {}
for name, x in inputs.items():
    # per example, dL/dw = delta * x: delta is one number, so the signs follow the signs of x
    delta = torch.randn(1000, 1)
    grad_w = delta * x
    same_sign[name] = (torch.sign(grad_w[:, 0]) == torch.sign(grad_w[:, 1])).float().mean().item()
    print(f"{name} outputs: both weight gradients share a sign in {same_sign[name]:.0%} of examples")

# %% Step 2: one example at a time, towards weights of opposite signs publish=["w_best", "steps", "lr", "alike", "sign_margin", "distance", "curvature"]
w_best = torch.tensor([1.0, -1.0])  # the best weights: one must go up, the other down
steps, lr = 60, 0.5


def sgd_path(x):
    """Plain SGD on the squared error, one example per step; returns every weight visited."""
    w, path = torch.zeros(2), [torch.zeros(2)]
    for i in range(steps):
        error = x[i] @ w - x[i] @ w_best
        w = w - lr * 2 * error * x[i]  # a multiple of x[i]: with x[i] > 0, both weights move alike
        path.append(w)
    return torch.stack(path)


paths, alike, sign_margin, distance, curvature = {}, {}, {}, {}, {}
for name, x in inputs.items():
    paths[name] = sgd_path(x)
    # A step moves w along its example x[i], so it moves both weights alike exactly when x[i]'s two entries share
    # a sign. Counted from the inputs, not from the path's differences: once a path reaches the best weights, its
    # steps are zero or rounding noise, and their signs differ from one CPU to another.
    seen = x[:steps]
    alike[name] = (torch.sign(seen[:, 0]) == torch.sign(seen[:, 1])).float().mean().item()
    sign_margin[name] = seen.abs().min().item()  # the input nearest to changing its sign
    distance[name] = (paths[name][-1] - w_best).norm().item()
    # the squared error's curvature: eigenvalues of the average x x^T, smallest first
    curvature[name] = torch.linalg.eigvalsh(x.T @ x / len(x)).tolist()
    print(
        f"{name} outputs: steps moving both weights alike {alike[name]:.0%}, "
        f"distance to best after {steps} steps {distance[name]:.3f}"
    )
    print(f"{name} outputs: curvature along the two eigenvectors {curvature[name][0]:.3f} and {curvature[name][1]:.3f}")

# %% Step 3: the two paths alt="Two panels of SGD paths in the plane of the two weights, from (0, 0) towards the best weights (1, -1). First, all-positive inputs: the path jumps back and forth across a long narrow valley and moves both weights up or both down at every step, and creeps towards (1, -1). Second, centred inputs: the path heads towards (1, -1) with steps in every direction."
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True, sharey=True)
for ax, (name, path), colour in zip(axes, paths.items(), ("#D55E00", "#0072B2"), strict=True):
    ax.plot(path[:, 0], path[:, 1], "-o", color=colour, markersize=3, label="SGD, one example per step")
    ax.plot(*w_best, "*", color="#009E73", markersize=14, label="best weights")
    ax.set_title(f"{name} outputs" + (" (all > 0)" if name == "sigmoid" else " (centred)"))
    ax.set_xlabel("w1")
axes[0].set_ylabel("w2")
axes[0].legend(loc="lower left")
fig.tight_layout()
plt.show()

# %% Step 4: the means a normalisation layer leaves publish=["examples", "units", "left"]
torch.manual_seed(0)
examples, units = 512, 256
noise = torch.randn(examples, units)
unit_shift = torch.linspace(-1, 1, units)  # some units fire more often than others
example_shift = torch.linspace(-1, 1, examples)[:, None]  # some examples excite every unit more
relu_outputs = {"shifted": torch.relu(noise + unit_shift + example_shift), "alike": torch.relu(noise)}
left = {}
for norm in (nn.BatchNorm1d(units), nn.LayerNorm(units), nn.RMSNorm(units)):
    name = type(norm).__name__
    left[name] = {}
    for kind, h in relu_outputs.items():
        out = norm(h)
        # the largest mean left, in absolute value, per unit (over the examples) and per example (over the units)
        per_unit, per_example = out.mean(dim=0).abs().max().item(), out.mean(dim=1).abs().max().item()
        left[name][kind] = {"per_unit": per_unit, "per_example": per_example}
    shifted, alike = left[name]["shifted"], left[name]["alike"]
    print(
        f"{name:11} per unit {shifted['per_unit']:.2f}, per example {shifted['per_example']:.2f}   "
        f"without the shifts: {alike['per_unit']:.2f}, {alike['per_example']:.2f}"
    )
