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
# XOR with two ReLU units and weights chosen by hand, and the regions the network carves out.
import matplotlib.pyplot as plt
import torch

# %% Step 1: no straight line separates XOR, two ReLU units do
inputs = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
targets = torch.tensor([0.0, 1.0, 1.0, 0.0])

W1 = torch.tensor([[1.0, 1.0], [1.0, 1.0]])  # both units see x1 + x2 ...
b1 = torch.tensor([0.0, -1.0])  # ... the second only once it passes 1
w2 = torch.tensor([1.0, -2.0])  # the second unit cancels the first at (1, 1)


def xor_net(x):
    hidden = torch.relu(x @ W1.T + b1)
    return hidden @ w2


print(" x1  x2   h1  h2   output  target")
for x, t in zip(inputs, targets, strict=True):
    h = torch.relu(x @ W1.T + b1)
    print(f"{x[0]:3.0f} {x[1]:3.0f}  {h[0]:3.0f} {h[1]:3.0f}  {xor_net(x):7.0f} {t:7.0f}")

# %% Step 2: without the ReLU the same weights collapse to one line
collapsed = inputs @ W1.T + b1
print("linear output:", (collapsed @ w2).tolist(), "- one linear function of x1 + x2")

# %% Step 3: the decision regions alt="The square from -0.5 to 1.5 in x1 and x2, split by the rule output above 0.5. A diagonal band between the lines x1 + x2 = 0.5 and x1 + x2 = 1.5 is class 1 and holds the points (0, 1) and (1, 0); the corners below and above the band are class 0 and hold (0, 0) and (1, 1)."
grid = torch.linspace(-0.5, 1.5, 201)
g1, g2 = torch.meshgrid(grid, grid, indexing="xy")
output = xor_net(torch.stack([g1.ravel(), g2.ravel()], dim=1)).reshape(g1.shape)
fig, ax = plt.subplots(figsize=(5, 4.5))
ax.contourf(g1, g2, output > 0.5, levels=[-0.5, 0.5, 1.5], colors=["#56B4E9", "#E69F00"], alpha=0.35)
ax.contour(g1, g2, output, levels=[0.5], colors="#555555", linewidths=1)
for label, marker, colour in ((0, "o", "#0072B2"), (1, "s", "#D55E00")):
    chosen = inputs[targets == label]
    ax.scatter(chosen[:, 0], chosen[:, 1], s=90, marker=marker, color=colour, label=f"XOR = {label}")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("XOR by two ReLU units")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %% Step 4: the four points as the hidden layer sees them publish=["hidden_points"] alt="The four inputs plotted at their hidden-layer values h1 and h2. (0, 0) stays at the origin, (1, 1) moves to ({{ hidden_points[3][0] | fmt('.0f') }}, {{ hidden_points[3][1] | fmt('.0f') }}), and (0, 1) and (1, 0) both land on the same point, ({{ hidden_points[1][0] | fmt('.0f') }}, {{ hidden_points[1][1] | fmt('.0f') }}). One straight line, where the output h1 - 2 h2 equals one half, separates that point from the other two."
hidden = torch.relu(inputs @ W1.T + b1)
hidden_points = hidden.tolist()
print("input       hidden (h1, h2)")
for x, h in zip(inputs, hidden, strict=True):
    print(f"({x[0]:.0f}, {x[1]:.0f})  ->  ({h[0]:.0f}, {h[1]:.0f})")

fig, ax = plt.subplots(figsize=(5, 4.5))
h1 = torch.linspace(-0.5, 2.5, 2)
ax.plot(h1, (h1 - 0.5) / 2, color="#555555", linewidth=1, label="output = 0.5")  # w2 . h = 0.5
for label, marker, colour in ((0, "o", "#0072B2"), (1, "s", "#D55E00")):
    chosen = hidden[targets == label]
    ax.scatter(chosen[:, 0], chosen[:, 1], s=90, marker=marker, color=colour, label=f"XOR = {label}")
for x, h, offset in zip(inputs, hidden, (0.12, 0.12, -0.2, 0.12), strict=True):
    ax.annotate(f"from ({x[0]:.0f}, {x[1]:.0f})", (h[0].item(), h[1].item() + offset), ha="center")
ax.set_xlim(-0.5, 2.5)
ax.set_ylim(-0.5, 1.5)
ax.set_xlabel("h1 = ReLU(x1 + x2)")
ax.set_ylabel("h2 = ReLU(x1 + x2 - 1)")
ax.set_title("XOR in the hidden layer")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()
