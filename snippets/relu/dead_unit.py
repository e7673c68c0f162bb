# ReLU zeroes negatives, passes no gradient there, and so a unit can die; leaky variants keep a gradient.
import torch
import torch.nn as nn
from torch.nn import functional as F

# %% Step 1: ReLU keeps positives and zeroes negatives
x = torch.tensor([-3.0, -1.0, -0.5, 0.5, 2.0], requires_grad=True)
y = torch.relu(x)
y.sum().backward()
print("x          ", x.detach())
print("relu(x)    ", y.detach())
print("d relu / dx", x.grad)

# %% Step 2: a unit whose pre-activation is negative for every input gets no gradient
torch.manual_seed(0)
unit = nn.Linear(3, 1)
with torch.no_grad():
    unit.bias.fill_(-10.0)  # e.g. after one oversized update pushed the bias far down
inputs = torch.randn(256, 3)
pre_activation = unit(inputs)
loss = torch.relu(pre_activation).pow(2).mean()
loss.backward()
print(f"largest pre-activation over 256 inputs: {pre_activation.max().item():.4f}")
print(f"share of inputs where the unit fires:   {(pre_activation > 0).float().mean().item():.0%}")
print("gradient of the weights:", unit.weight.grad)
print("gradient of the bias:   ", unit.bias.grad)

# %% Step 3: training cannot bring it back
optimizer = torch.optim.SGD(unit.parameters(), lr=0.1)
weight_before = unit.weight.detach().clone()
for _ in range(100):
    optimizer.zero_grad()
    loss = torch.relu(unit(inputs)).pow(2).mean()
    loss.backward()
    optimizer.step()
print(f"bias after 100 SGD steps:     {unit.bias.item():.4f}")
print("weights changed at all?      ", not torch.equal(unit.weight.detach(), weight_before))

# %% Step 4: the fixes aimed at dead units keep a gradient for negative inputs
x = torch.tensor([-3.0, -1.0, -0.5, 0.5, 2.0], requires_grad=True)
prelu = nn.PReLU(init=0.25)  # the negative slope is a learned parameter
fixes = {
    "leaky_relu": lambda t: F.leaky_relu(t, negative_slope=0.01),
    "prelu": prelu,
    "elu": lambda t: F.elu(t, alpha=1.0),
}
print("x            ", x.detach())
for name, f in fixes.items():
    x.grad = None
    y = f(x)
    y.sum().backward()
    print(f"{name:11} y ", y.detach().round(decimals=4))
    print(f"{name:11} dy", x.grad.round(decimals=4))
