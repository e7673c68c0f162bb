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
# A step unit gives gradient descent nothing to follow; a sigmoid unit, its smooth version, learns.
import matplotlib.pyplot as plt
import torch


def step(z):
    return (torch.sign(z) + 1) / 2  # 0 below the threshold, 1 above: the threshold unit


# %% Step 1: autograd on one unit of each kind publish=["w_start", "b_start", "start_loss", "start_gradient"]
# six points on a line; the label is 1 to the right of 1
x = torch.tensor([-2.0, -1.0, 0.0, 2.0, 3.0, 4.0])
y = (x > 1).float()
w_start, b_start = -0.5, 0.0  # a bad start: the unit points the wrong way
start_loss, start_gradient = {}, {}

for name, f in (("step", step), ("sigmoid", torch.sigmoid)):
    w = torch.tensor(w_start, requires_grad=True)
    b = torch.tensor(b_start, requires_grad=True)
    loss = ((f(w * x + b) - y) ** 2).mean()
    loss.backward()
    start_loss[name], start_gradient[name] = loss.item(), [w.grad.item(), b.grad.item()]
    print(f"{name:8s} loss {loss.item():.4f}   dloss/dw {w.grad.item():+.4f}   dloss/db {b.grad.item():+.4f}")

# %% Step 2: gradient descent, w <- w - lr * dloss/dw publish=["lr", "steps", "final_weights", "final_errors"]
lr, steps = 1.0, 200
final_weights, final_errors = {}, {}
print("unit      steps   w        b        loss     misclassified")
for name, f in (("step", step), ("sigmoid", torch.sigmoid)):
    w = torch.tensor(w_start, requires_grad=True)
    b = torch.tensor(b_start, requires_grad=True)
    for _ in range(steps):
        loss = ((f(w * x + b) - y) ** 2).mean()
        w.grad, b.grad = None, None
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
    with torch.no_grad():
        loss = ((f(w * x + b) - y) ** 2).mean()
        final_weights[name] = [w.item(), b.item()]
        final_errors[name] = int(((w * x + b > 0).float() != y).sum())
    print(
        f"{name:8s} {steps:6d}  {w.item():+.3f}   {b.item():+.3f}   {loss.item():.4f}   {final_errors[name]} of {len(x)}"
    )

# %% Step 3: the loss as a function of the weight alt="Two panels. Left: the step jumps from 0 to 1 at zero, while the sigmoid rises smoothly through one half. Right: the squared error of the six points as a function of the weight w, with the bias held fixed: for the step unit it is a staircase of flat pieces with jumps, so its slope is zero wherever it is defined; for the sigmoid unit it falls smoothly as w grows, so the slope points the way downhill."
z = torch.linspace(-6, 6, 601)
weights = torch.linspace(-2, 2, 801)
b_fixed = -1.0  # a bias that puts each point's switch at a different weight
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
left.plot(z, step(z), color="#D55E00", linewidth=2, label="step")
left.plot(z, torch.sigmoid(z), color="#0072B2", linewidth=2, linestyle="--", label="sigmoid")
left.set_xlabel("z = w x + b")
left.set_ylabel("unit output")
left.set_title("The unit")
left.legend()
for name, f, colour, style in (("step", step, "#D55E00", "-"), ("sigmoid", torch.sigmoid, "#0072B2", "--")):
    losses = ((f(weights[:, None] * x + b_fixed) - y) ** 2).mean(dim=1)
    right.plot(weights, losses, color=colour, linewidth=2, linestyle=style, label=name)
right.set_xlabel(f"weight w (bias fixed at {b_fixed:g})")
right.set_ylabel("squared error")
right.set_title("The loss gradient descent sees")
right.legend()
fig.tight_layout()
plt.show()
