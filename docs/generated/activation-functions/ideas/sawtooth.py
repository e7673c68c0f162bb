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
# Depth multiplies linear pieces: a two-unit ReLU "tent" composed k times has 2**k pieces from 2k units.
import matplotlib.pyplot as plt
import torch


# %% Step 1: one tent from two ReLU units
def tent(x):
    # a hidden layer of two ReLU units and a linear read-out: up from 0 to 1 on [0, 1/2], down to 0 on [1/2, 1]
    return 2 * torch.relu(x) - 4 * torch.relu(x - 0.5)


# multiples of 1/4096 are exact in float64, and so is every tent of them: the count below is exact
x = torch.arange(4097, dtype=torch.float64) / 4096
print("x         ", x[::512].tolist())
print("tent(x)   ", tent(x)[::512].tolist())


# %% Step 2: compose the tent k times and count its linear pieces publish=["depths", "deep_units", "pieces", "shallow_units", "errors"]
def count_pieces(y):
    slopes = torch.diff(y) / torch.diff(x)
    return 1 + int((slopes[1:] * slopes[:-1] < 0).sum())  # a new piece wherever the slope flips sign


depths = [1, 2, 3, 4, 5, 6, 8, 10]
deep_units, pieces, shallow_units, errors = [], [], [], []
print("hidden layers  ReLU units  linear pieces  units one hidden layer needs  max |one layer - deep|")
for k in depths:
    y = x
    for _ in range(k):
        y = tent(y)
    deep_units.append(2 * k)
    pieces.append(count_pieces(y))
    # the same zig-zag from one hidden layer: relu(x) sets the first slope, then one unit per bend adds its change
    slopes = torch.diff(y) / torch.diff(x)
    bends = torch.nonzero(slopes[1:] != slopes[:-1]).flatten()
    starts = torch.cat([x[:1], x[bends + 1]])
    changes = torch.cat([slopes[:1], slopes[bends + 1] - slopes[bends]])
    one_layer = torch.relu(x[:, None] - starts) @ changes
    shallow_units.append(len(starts))
    errors.append((one_layer - y).abs().max().item())
    print(f"{k:13d} {deep_units[-1]:11d} {pieces[-1]:14d} {shallow_units[-1]:29d} {errors[-1]:22.1f}")

# %% Step 3: the sawtooth, one panel per depth alt="Four panels of the tent composed 1, 2, 3 and 4 times on x from 0 to 1. Each is a zig-zag between 0 and 1 with twice as many teeth as the panel before: {{ pieces[0] }}, {{ pieces[1] }}, {{ pieces[2] }} and {{ pieces[3] }} straight pieces."
fig, axes = plt.subplots(1, 4, figsize=(10, 2.8), sharey=True)
y = x
for k, ax in enumerate(axes, start=1):
    y = tent(y)
    ax.plot(x, y, color="#0072B2", linewidth=1.5)
    ax.set_title(f"{k} layer{'s' if k > 1 else ''}: {count_pieces(y)} pieces")
    ax.set_xlabel("x")
axes[0].set_ylabel("output")
fig.tight_layout()
plt.show()
