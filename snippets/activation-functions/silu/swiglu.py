# SwiGLU, the feed-forward block of LLaMA and Mistral: a SiLU-activated gate multiplies a second linear projection.
import torch
import torch.nn as nn
from torch.nn import functional as F

# %% Step 1: three weight matrices, no biases (as in LLaMA)
torch.manual_seed(2)
d_model, d_hidden = 8, 16
W_gate = nn.Linear(d_model, d_hidden, bias=False)
W_up = nn.Linear(d_model, d_hidden, bias=False)
W_down = nn.Linear(d_hidden, d_model, bias=False)
x = torch.randn(2, d_model)  # two token vectors
print("x:", tuple(x.shape), " W_gate, W_up:", tuple(W_gate.weight.shape), " W_down:", tuple(W_down.weight.shape))

# %% Step 2: SwiGLU(x) = W_down( silu(W_gate x) * (W_up x) )
gate = F.silu(W_gate(x))
up = W_up(x)
hidden = gate * up
out = W_down(hidden)
with torch.no_grad():
    print("first token, first 4 hidden units")
    print("  silu(W_gate x)   ", gate[0, :4].round(decimals=4))
    print("  W_up x           ", up[0, :4].round(decimals=4))
    print("  product          ", hidden[0, :4].round(decimals=4))
    print("output shape:", tuple(out.shape))

# %% Step 3: GeGLU (Gemma) is the same block with the tanh GELU as the gate
gate_geglu = F.gelu(W_gate(x), approximate="tanh")
out_geglu = W_down(gate_geglu * W_up(x))
with torch.no_grad():
    print("SwiGLU output, first token:", out[0, :4].round(decimals=4))
    print("GeGLU output,  first token:", out_geglu[0, :4].round(decimals=4))
