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
# The derivatives of six activations, by autograd: GELU's and SiLU's rise above 1 and dip below 0.
import matplotlib.pyplot as plt
import torch
from torch.nn import functional as F

# %% Step 1: every derivative from autograd publish=["sigmoid_max", "gelu_slope_0", "silu_slope_0", "x_low", "x_high"]
activations = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "ReLU": torch.relu,
    "Leaky ReLU": lambda t: F.leaky_relu(t, negative_slope=0.1),
    "GELU": F.gelu,
    "SiLU": F.silu,
}
# float64, so the extrema found below are exact to the digits printed
x = (torch.arange(-500, 501, dtype=torch.float64) / 100).requires_grad_(True)  # step 0.01, with 0 exactly
x_low, x_high = x[0].item(), x[-1].item()
values, slopes = {}, {}
for name, f in activations.items():
    y = f(x)
    (slope,) = torch.autograd.grad(y.sum(), x)  # each y_i depends on x_i only
    values[name], slopes[name] = y.detach(), slope

print("         f    f(0)   f'(0)   max f'   min f'")
for name in activations:
    middle = slopes[name][500]  # x = 0
    print(
        f"{name:>10} {values[name][500].item():7.3f} {middle.item():7.3f} "
        f"{slopes[name].max().item():8.4f} {slopes[name].min().item():8.4f}"
    )
sigmoid_max = slopes["sigmoid"].max().item()
gelu_slope_0, silu_slope_0 = slopes["GELU"][500].item(), slopes["SiLU"][500].item()


# %% Step 2: the peaks and dips of the GELU and SiLU slopes, by Newton steps publish=["gelu_peak", "gelu_peak_x", "gelu_dip", "gelu_dip_x", "silu_peak", "silu_peak_x", "silu_dip", "silu_dip_x"]
def refine(f, start):
    """Newton steps on f''(x) = 0 from `start`; autograd gives f'' and f'''."""
    x0 = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    for _ in range(8):
        (d1,) = torch.autograd.grad(f(x0), x0, create_graph=True)
        (d2,) = torch.autograd.grad(d1, x0, create_graph=True)
        (d3,) = torch.autograd.grad(d2, x0)
        with torch.no_grad():
            x0 -= d2 / d3
    (d1,) = torch.autograd.grad(f(x0), x0)
    return x0.item(), d1.item()


extrema = {}
for name in ("GELU", "SiLU"):
    for kind, pick in (("peak", torch.argmax), ("dip", torch.argmin)):
        start = x[pick(slopes[name])].item()  # the grid's best point, then Newton
        extrema[name, kind] = refine(activations[name], start)
        where, height = extrema[name, kind]
        print(f"{name}' {kind:>4}: {height:+.4f} at x = {where:+.4f}")
print(f"sqrt(2) = {2**0.5:.4f}")
(gelu_peak_x, gelu_peak), (gelu_dip_x, gelu_dip) = extrema["GELU", "peak"], extrema["GELU", "dip"]
(silu_peak_x, silu_peak), (silu_dip_x, silu_dip) = extrema["SiLU", "peak"], extrema["SiLU", "dip"]

# %% Step 3: the figure alt="Two panels over x from {{ x_low | fmt('.0f') }} to {{ x_high | fmt('.0f') }}. First panel: sigmoid, tanh, ReLU, Leaky ReLU, GELU and SiLU. Second panel: their derivatives. Sigmoid's slope peaks at {{ sigmoid_max | fmt('.2f') }} and tanh's at 1, both at x = 0; ReLU's jumps from 0 to 1 there; GELU's rises to {{ gelu_peak | fmt('.2f') }} at x = {{ gelu_peak_x | fmt('.2f') }} and SiLU's to {{ silu_peak | fmt('.2f') }} at x = {{ silu_peak_x | fmt('.2f') }}, above 1, and on the left both dip below 0."
colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
styles = ["-", "--", "-", ":", "-", "-."]
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(10, 4))
grid = x.detach()
for (name, colour), style in zip(zip(activations, colours, strict=True), styles, strict=True):
    ax_f.plot(grid, values[name], style, color=colour, label=name)
    ax_d.plot(grid, slopes[name], style, color=colour, label=name)
for ax, title in ((ax_f, "f(x)"), (ax_d, "f'(x), by autograd")):
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.set_xlabel("x")
    ax.set_title(title)
ax_d.axhline(1, color="gray", linewidth=0.5, linestyle=":")
ax_f.set_ylim(-1.5, 3)
ax_f.legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% Step 4: two identities, checked on the grid
for name in ("GELU", "SiLU"):
    f, slope = values[name], slopes[name]
    # flip(0) reverses the symmetric grid, so it holds f(-x) and f'(-x)
    odd_gap = (f - f.flip(0) - grid).abs().max().item()
    slope_gap = (slope + slope.flip(0) - 1).abs().max().item()
    print(
        f"{name}: f(x) - f(-x) = x within 1e-12: {odd_gap < 1e-12};  "
        f"f'(x) + f'(-x) = 1 within 1e-12: {slope_gap < 1e-12}"
    )

# %% Step 5: GELU(x) is close to x * sigmoid(1.702 x), a Swish with beta 1.702 publish=["bridge_gap", "bridge_gap_at"]
bridge = grid * torch.sigmoid(1.702 * grid)
gap = (values["GELU"] - bridge).abs()
bridge_gap, bridge_gap_at = gap.max().item(), grid[gap.argmax()].abs().item()
print(f"largest |GELU(x) - x sigmoid(1.702x)| on [-5, 5]: {bridge_gap:.4f} at |x| = {bridge_gap_at:.2f}")
