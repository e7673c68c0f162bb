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
# Trains the same deep net on two moons with and without activations: without them, depth cannot bend the boundary.
# %% Step 1: two moons, made in code publish=["n_per_class"]
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

# one thread: a matmul split over threads can sum in another order and move the last digits
torch.set_num_threads(1)
torch.manual_seed(0)


def two_moons(n, noise=0.15):
    t = torch.rand(n) * math.pi
    upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
    x = torch.cat([upper, lower]) + noise * torch.randn(2 * n, 2)
    y = torch.cat([torch.zeros(n), torch.ones(n)])
    return x, y


n_per_class = 200
x_train, y_train = two_moons(n_per_class)
x_test, y_test = two_moons(n_per_class)
print("train:", tuple(x_train.shape), " test:", tuple(x_test.shape))

# %% Step 2: the same six-layer net, four choices between the layers publish=["width", "depth", "steps", "test_points", "spread_points", "scores"]
width, depth, steps = 32, 6, 200
activations = {"none": nn.Identity, "ReLU": nn.ReLU, "GELU": nn.GELU, "SiLU": nn.SiLU}
nets, test_accs, scores = {}, {}, {}
print(f"{'activation':<11}{'train acc':>10}{'test acc':>10}{'train loss':>12}")
for name, act in activations.items():
    torch.manual_seed(1)  # identical starting weights for every activation
    sizes = [2] + [width] * (depth - 1) + [1]
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [nn.Linear(n_in, n_out), act()]
    net = nn.Sequential(*layers[:-1])  # no activation after the last layer
    # fused: one kernel per step, whose square root rounds alike on every CPU that `make portability`
    # tries; the unfused step's does not (docs/reproducibility.md)
    optimiser = torch.optim.Adam(net.parameters(), lr=0.01, fused=True)
    for _ in range(steps):
        loss = nn.functional.binary_cross_entropy_with_logits(net(x_train).squeeze(1), y_train)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        train_acc = ((net(x_train).squeeze(1) > 0).float() == y_train).float().mean().item()
        test_acc = ((net(x_test).squeeze(1) > 0).float() == y_test).float().mean().item()
    nets[name], test_accs[name] = net, test_acc
    scores[name] = {"train_acc": train_acc, "test_acc": test_acc, "train_loss": loss.item()}
    print(f"{name:<11}{train_acc:>10.2%}{test_acc:>10.2%}{loss.item():>12.1e}")
# how many test points separate the best and the worst of the three non-linear nets
test_points = len(y_test)
nonlinear = [test_accs[name] for name in ("ReLU", "GELU", "SiLU")]
spread_points = round((max(nonlinear) - min(nonlinear)) * test_points)

# %% Step 3: the linear stack really is one affine map
# multiply the six weight matrices together and carry the biases through
W, b = torch.eye(2), torch.zeros(2)
with torch.no_grad():
    for layer in nets["none"]:
        if isinstance(layer, nn.Linear):
            W, b = layer.weight @ W, layer.weight @ b + layer.bias
    six_layers = nets["none"](x_test)
    one_layer = x_test @ W.T + b
print(f"one affine map: W = [{W[0, 0]:.2f}, {W[0, 1]:.2f}], b = {b[0]:.2f}")
print("six layers give the same outputs:", torch.allclose(six_layers, one_layer, atol=1e-5))

# %% Step 4: decision boundaries alt="Four panels of the two-moons test points, blue circles for class 0 and vermilion triangles for class 1, over the region each trained net assigns to each class (light blue and orange). With no activation the boundary is a single straight line that cuts through both moons. With ReLU, GELU and SiLU the boundary curves between the moons and separates them almost perfectly."
g1, g2 = torch.meshgrid(torch.linspace(-1.5, 2.5, 200), torch.linspace(-1.0, 1.5, 200), indexing="xy")
grid = torch.stack([g1.flatten(), g2.flatten()], dim=1)
fig, axes = plt.subplots(1, 4, figsize=(14, 3.6), sharey=True)
for ax, (name, net) in zip(axes, nets.items(), strict=True):
    with torch.no_grad():
        p = torch.sigmoid(net(grid)).reshape(g1.shape)
    ax.contourf(g1, g2, p, levels=[0, 0.5, 1], colors=["#56B4E9", "#E69F00"], alpha=0.35)
    ax.scatter(*x_test[y_test == 0].T, s=8, color="#0072B2", label="class 0")
    ax.scatter(*x_test[y_test == 1].T, s=8, color="#D55E00", marker="^", label="class 1")
    ax.set_title(f"{depth} layers, activation: {name}")
    ax.set_xlabel("$x_1$")
axes[0].set_ylabel("$x_2$")
axes[0].legend(loc="lower left")
fig.tight_layout()
plt.show()
