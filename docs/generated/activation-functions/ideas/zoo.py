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
# Five more activations PyTorch ships, side by side, and Maxout, which is a layer rather than a function.
import matplotlib.pyplot as plt
import torch
from torch import nn

# %% Step 1: the zoo, by module name
zoo = [nn.Softplus(), nn.ELU(), nn.SELU(), nn.Mish(), nn.Hardswish()]
x = torch.arange(-400, 401, dtype=torch.float64) / 100  # -4 to 4, step 0.01, 0 exactly
print(f"{'torch.nn module':16} {'f(-3)':>8} {'f(0)':>8} {'f(3)':>8} {'min f':>8}")
for module in zoo:
    y = module(x)
    at = {v: y[400 + 100 * v].item() + 0.0 for v in (-3, 0, 3)}  # + 0.0 turns -0.0 into 0.0
    print(f"{type(module).__name__:16} {at[-3]:8.4f} {at[0]:8.4f} {at[3]:8.4f} {y.min().item():8.4f}")

# %% Step 2: the figure alt="Softplus, ELU, SELU, Mish and Hardswish for x from -4 to 4. All five are close to the line y = x on the right (SELU a little steeper). On the left Softplus stays just above 0, ELU and SELU level off below 0 (SELU lower), and Mish and Hardswish dip below 0 and come back towards 0."
colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
styles = ["-", "--", "-.", "-", ":"]
fig, ax = plt.subplots(figsize=(6.5, 4))
for module, colour, style in zip(zoo, colours, styles, strict=True):
    ax.plot(x, module(x), style, color=colour, linewidth=2, label=type(module).__name__)
ax.axhline(0, color="gray", linewidth=0.5)
ax.set_xlabel("x")
ax.set_ylabel("f(x)")
ax.set_title("Five more activations in torch.nn")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()


# %% Step 3: Maxout takes the largest of k linear maps publish=["k", "leaky_slope"]
class Maxout(nn.Module):
    """k linear maps of the same input; each output unit keeps the largest of its k values."""

    def __init__(self, n_in, n_out, k):
        super().__init__()
        self.n_out, self.k = n_out, k
        self.linear = nn.Linear(n_in, n_out * k)

    def forward(self, x):
        pieces = self.linear(x).view(*x.shape[:-1], self.n_out, self.k)
        return pieces.amax(dim=-1)


torch.manual_seed(0)
k, leaky_slope = 2, 0.1
layer = Maxout(n_in=3, n_out=4, k=k)


def count(module):
    return sum(p.numel() for p in module.parameters())


print("output shape:", tuple(layer(torch.randn(5, 3)).shape))
print(f"parameters: {count(layer)}; nn.Linear(3, 4) has {count(nn.Linear(3, 4))}")

# with pieces x and 0, one Maxout unit is ReLU; with x and 0.1 x, it is Leaky ReLU
one = Maxout(n_in=1, n_out=1, k=k)
with torch.no_grad():
    one.linear.weight.copy_(torch.tensor([[1.0], [0.0]]))
    one.linear.bias.zero_()
t = torch.linspace(-2, 2, 9).unsqueeze(1)
print("Maxout(x, 0) equals ReLU:             ", torch.equal(one(t), torch.relu(t)))
with torch.no_grad():
    one.linear.weight.copy_(torch.tensor([[1.0], [leaky_slope]]))
print(f"Maxout(x, {leaky_slope}x) equals LeakyReLU({leaky_slope}):", torch.equal(one(t), nn.LeakyReLU(leaky_slope)(t)))
