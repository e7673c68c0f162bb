# SiLU is Swish with beta = 1; SiLU and GELU both dip below zero, and a fine grid finds how far.
import torch
from torch.nn import functional as F

# %% Step 1: SiLU is x times sigmoid(x)
x = torch.tensor([-3.0, -1.0, -0.5, 0.5, 1.0, 3.0])
print("x               ", x)
print("x * sigmoid(x)  ", (x * torch.sigmoid(x)).round(decimals=4))
print("F.silu(x)       ", F.silu(x).round(decimals=4))

# %% Step 2: Swish puts a slope beta inside the sigmoid, and beta of 1 gives SiLU back publish=["betas"]
betas = [0.5, 1.0, 2.0]
for beta in betas:
    swish = x * torch.sigmoid(beta * x)
    print(f"swish, beta={beta:<4}", swish.round(decimals=4))
print("relu(x)         ", torch.relu(x))
print("same as SiLU at beta = 1?", torch.allclose(x * torch.sigmoid(1.0 * x), F.silu(x)))

# %% Step 3: find the lowest point of SiLU and GELU on a fine grid publish=["minima"]
x = torch.linspace(-3, 0, 300001, dtype=torch.float64)
minima = {}
for name, y in [("SiLU", F.silu(x)), ("GELU (exact)", F.gelu(x))]:
    lowest = y.argmin()
    minima[name] = {"value": y[lowest].item(), "at": x[lowest].item()}
    print(f"{name:12}  minimum {y[lowest].item():.3f}  at x = {x[lowest].item():.3f}")
