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
