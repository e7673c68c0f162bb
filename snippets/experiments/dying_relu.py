# Counts hidden units that no longer respond to any training example after SGD, as the learning rate grows.
# %% Step 1: data and a small classifier
import math

import matplotlib.pyplot as plt
import torch
from torch import nn

# one thread: a matmul split over threads can sum in another order and move the last digits
torch.set_num_threads(1)
torch.manual_seed(0)

n = 150
t = torch.rand(n) * math.pi
upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
x = torch.cat([upper, lower]) + 0.1 * torch.randn(2 * n, 2)
y = torch.cat([torch.zeros(n), torch.ones(n)]).unsqueeze(1)

activations = {"ReLU": nn.ReLU(), "Leaky ReLU": nn.LeakyReLU(0.01), "GELU": nn.GELU(), "SiLU": nn.SiLU()}
width, steps, batch = 50, 300, 32


def train(act, lr, seed):
    torch.manual_seed(seed)  # same weights and mini-batches for every activation
    net = nn.Sequential(nn.Linear(2, width), act, nn.Linear(width, width), act,
                        nn.Linear(width, width), act, nn.Linear(width, 1))
    optimiser = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps if lr > 0 else 0):
        i = torch.randint(0, 2 * n, (batch,))
        loss = nn.functional.binary_cross_entropy_with_logits(net(x[i]), y[i])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    # above lr = 2 some runs blow up to NaN, which would say nothing about dead units
    assert all(p.isfinite().all() for p in net.parameters()), f"diverged at lr={lr}"
    return net


# %% Step 2: what "dead" means here
def census(net, act):
    """Share of hidden units that never fire, and that pass no gradient, on all of x."""
    h, z = x, []
    with torch.no_grad():
        for layer in net[:-1]:
            h = layer(h)
            if isinstance(layer, nn.Linear):
                z.append(h)  # pre-activations, one column per hidden unit
    z = torch.cat(z, dim=1).requires_grad_(True)
    (slope,) = torch.autograd.grad(act(z).sum(), z)  # f'(z) for every example and unit
    never_positive = (z <= 0).all(dim=0).float().mean().item()
    no_gradient = (slope.abs() < 1e-3).all(dim=0).float().mean().item()
    with torch.no_grad():
        accuracy = ((net(x) > 0).float() == y).float().mean().item()
    return never_positive, no_gradient, accuracy


# %% Step 3: sweep the learning rate, three seeds each
learning_rates = [0.0, 0.1, 0.3, 1.0, 1.5, 2.0]  # 0.0 = untrained, the starting point
seeds = [1, 2, 3]
result = {}
for name, act in activations.items():
    for lr in learning_rates:
        runs = torch.tensor([census(train(act, lr, seed), act) for seed in seeds])
        result[name, lr] = runs.mean(dim=0).tolist()  # never_positive, no_gradient, accuracy

columns = ["never above 0 (% of units)", "no gradient (% of units)", "accuracy on x (%)"]
for k, title in enumerate(columns):
    print(f"{title}, mean of {len(seeds)} seeds")
    print(f"{'lr':>5}" + "".join(f"{name:>12}" for name in activations))
    for lr in learning_rates:
        print(f"{lr:5.1f}" + "".join(f"{100 * result[name, lr][k]:12.1f}" for name in activations))
    print()

# %% Step 4: dead units against learning rate
colours = {"ReLU": "#0072B2", "Leaky ReLU": "#E69F00", "GELU": "#009E73", "SiLU": "#CC79A7"}
markers = {"ReLU": "o", "Leaky ReLU": "s", "GELU": "^", "SiLU": "D"}
fig, axes = plt.subplots(
    1, 2, figsize=(10, 4), sharey=True,
    num="Two line plots of the share of hidden units against SGD learning rate "
        "from 0 (untrained) to 2, one line per activation, all starting near 20 "
        "percent. Left, units whose output is never above zero: ReLU climbs "
        "steeply at the two largest rates, Leaky ReLU climbs too but less, GELU "
        "and SiLU end below where they started. Right, units that pass no "
        "gradient on any example: ReLU's line is the same as on the left, while "
        "Leaky ReLU, GELU and SiLU stay at or near zero throughout.",
)
for ax, k in zip(axes, (0, 1), strict=True):
    for name in activations:
        ax.plot(learning_rates, [100 * result[name, lr][k] for lr in learning_rates],
                marker=markers[name], color=colours[name], label=name)
    ax.set_title(columns[k].replace(" (% of units)", " on any example"))
    ax.set_xlabel("SGD learning rate (0 = before training)")
axes[0].set_ylabel("hidden units (%)")
axes[0].legend()
fig.tight_layout()
plt.show()
