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
# Measures how far GELU's tanh formula strays from the exact GELU, and finds the minima of SiLU and GELU.
# %% Step 1: exact GELU against its tanh approximation publish=["x_max", "grid_step", "max_error", "max_error_at", "float32_step"]
import matplotlib.pyplot as plt
import torch
from torch.nn import functional as F

# float64 and a step of 1e-4, so the grid itself adds no visible error
x_max, grid_step = 6, 1e-4
x = torch.arange(-60_000, 60_001, dtype=torch.float64) * grid_step
gelu_exact = F.gelu(x)  # x * Phi(x), computed with erf
gelu_tanh = F.gelu(x, approximate="tanh")
error = (gelu_exact - gelu_tanh).abs()

# the error is an even function of x, so report |x| at the largest error
worst = error.argmax()
max_error, max_error_at = error[worst].item(), x[worst].abs().item()
print(f"largest |exact - tanh|: {max_error:.3e}")
print(f"reached at |x| =        {max_error_at:.3f}")
print(f"error at x = 0, 1, 6:   {error[60_000].item():.1e}, {error[70_000].item():.1e}, {error[-1].item():.1e}")
# is the gap visible in float32? compare it with the spacing of float32 numbers near GELU(+|x|),
# the larger of the two values (about x), so the coarser spacing
value32 = F.gelu(torch.tensor(max_error_at, dtype=torch.float32))
float32_step = (torch.nextafter(value32, torch.tensor(float("inf"))) - value32).item()
print(f"float32 spacing there:  {float32_step:.1e}")

# %% Step 2: the minima of SiLU and GELU, by Newton's method where the slope is zero publish=["newton_steps", "silu_offset"]
newton_steps = 5
for name, f in [("SiLU", F.silu), ("GELU", F.gelu)]:
    # start from the lowest point of the grid, then refine with autograd
    x_min = x[f(x).argmin()].clone().requires_grad_(True)
    for _ in range(newton_steps):
        (slope,) = torch.autograd.grad(f(x_min), x_min, create_graph=True)
        (curvature,) = torch.autograd.grad(slope, x_min)
        with torch.no_grad():
            x_min -= slope / curvature
    (slope,) = torch.autograd.grad(f(x_min), x_min)
    print(
        f"{name}: minimum {f(x_min).item():.4f} at x = {x_min.item():.4f}, "
        f"slope there below 1e-12: {abs(slope.item()) < 1e-12}"
    )
    if name == "SiLU":
        silu_offset = f(x_min).item() - x_min.item()  # the minimum value minus its position

# %% Step 3: where the tanh formula is off publish=["near_low", "near_high"] alt="Two panels. First: absolute difference between exact GELU and its tanh approximation for x from -{{ x_max }} to {{ x_max }}; the curve is symmetric about x = 0, with two tall peaks near x = -{{ max_error_at | fmt('.1f') }} and x = {{ max_error_at | fmt('.1f') }}, two lower bumps closer to zero, and it fades to nothing towards the edges. Second: SiLU and GELU between {{ near_low }} and {{ near_high }}, each with its minimum marked; SiLU dips lower and further left than GELU."
near_low, near_high = -4, 1
fig, (ax_err, ax_min) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ax_err.plot(x, error, color="#0072B2", label="|GELU exact - GELU tanh|")
ax_err.axvline(x[worst].abs().item(), color="#D55E00", linestyle="--", label="largest error")
ax_err.axvline(-x[worst].abs().item(), color="#D55E00", linestyle="--")
ax_err.set_xlabel("x")
ax_err.set_ylabel("absolute error")
ax_err.set_title("Tanh approximation of GELU")
# legends below the axes, where no curve can be
ax_err.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)

near = x[(x > near_low) & (x < near_high)]
for name, f, colour in [("SiLU", F.silu, "#009E73"), ("GELU", F.gelu, "#E69F00")]:
    ax_min.plot(near, f(near), color=colour, label=name)
    lowest = near[f(near).argmin()]
    ax_min.plot(lowest, f(lowest), "o", color=colour)
ax_min.axhline(0, color="gray", linewidth=0.5)
ax_min.set_xlabel("x")
ax_min.set_ylabel("f(x)")
ax_min.set_title("Negative dips, minima marked")
ax_min.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
plt.show()
