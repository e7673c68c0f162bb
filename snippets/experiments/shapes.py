# Measures how far GELU's tanh formula strays from the exact GELU, and finds the minima of SiLU and GELU.
# %% Step 1: exact GELU against its tanh approximation
import matplotlib.pyplot as plt
import torch
from torch.nn import functional as F

# float64 and a step of 1e-4, so the grid itself adds no visible error
x = torch.arange(-60_000, 60_001, dtype=torch.float64) / 10_000
gelu_exact = F.gelu(x)  # x * Phi(x), computed with erf
gelu_tanh = F.gelu(x, approximate="tanh")
error = (gelu_exact - gelu_tanh).abs()

# the error is an even function of x, so report |x| at the largest error
worst = error.argmax()
print(f"largest |exact - tanh|: {error[worst].item():.3e}")
print(f"reached at |x| =        {x[worst].abs().item():.3f}")
print(f"error at x = 0, 1, 6:   {error[60_000].item():.1e}, {error[70_000].item():.1e}, {error[-1].item():.1e}")

# %% Step 2: the minima of SiLU and GELU, by Newton's method on f'(x) = 0
for name, f in [("SiLU", F.silu), ("GELU", F.gelu)]:
    # start from the lowest point of the grid, then refine with autograd
    x_min = x[f(x).argmin()].clone().requires_grad_(True)
    for _ in range(5):
        (slope,) = torch.autograd.grad(f(x_min), x_min, create_graph=True)
        (curvature,) = torch.autograd.grad(slope, x_min)
        with torch.no_grad():
            x_min -= slope / curvature
    (slope,) = torch.autograd.grad(f(x_min), x_min)
    print(
        f"{name}: minimum {f(x_min).item():.4f} at x = {x_min.item():.4f}, "
        f"slope there below 1e-12: {abs(slope.item()) < 1e-12}"
    )

# %% Step 3: where the tanh formula is off
fig, (ax_err, ax_min) = plt.subplots(
    1,
    2,
    figsize=(10, 4),
    layout="constrained",
    num=(
        "Two panels. Left: absolute difference between exact GELU and its tanh "
        "approximation for x from -6 to 6; the curve is symmetric about x = 0, "
        "with two tall peaks near x = -2.7 and x = 2.7, two lower bumps closer to "
        "zero, and it fades to nothing towards the edges. Right: SiLU and GELU "
        "between -4 and 1, each with its minimum marked; SiLU dips lower and "
        "further left than GELU."
    ),
)
ax_err.plot(x, error, color="#0072B2", label="|GELU exact - GELU tanh|")
ax_err.axvline(x[worst].abs().item(), color="#D55E00", linestyle="--", label="largest error")
ax_err.axvline(-x[worst].abs().item(), color="#D55E00", linestyle="--")
ax_err.set_xlabel("x")
ax_err.set_ylabel("absolute error")
ax_err.set_title("Tanh approximation of GELU")
# legends below the axes, where no curve can be
ax_err.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)

near = x[(x > -4) & (x < 1)]
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
