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
# A helper to paste into your own code: count the hidden units that pass no gradient on any of your inputs.
import torch
from torch import nn

# %% Step 1: the helper
ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU, nn.Mish, nn.Hardswish)
ACTIVATIONS += (nn.Softplus, nn.Tanh, nn.Sigmoid)  # add your library's own classes here


def dead_units(model, inputs, threshold=1e-3, unit_dim=-1):
    """Per activation call: (units, indices of units whose |f'| < threshold on every input).

    unit_dim is the axis that holds the units: -1 (features last) for Linear layers and transformer
    MLPs, whose activations are (batch, sequence, features); 1 for the channels of a Conv layer.
    """
    calls = []  # (name, module, pre-activations): one entry per call, so a reused module counts each time
    # a pre-hook, and a copy: an in-place activation (nn.ReLU(inplace=True)) overwrites its input
    hooks = [
        module.register_forward_pre_hook(lambda m, args, name=name: calls.append((name, m, args[0].clone())))
        for name, module in model.named_modules()
        if isinstance(module, ACTIVATIONS)
    ]
    modes = [(module, module.training) for module in model.modules()]  # put back as found, module by module
    # BatchNorm uses, and does not update, its running statistics (if it tracks them: track_running_stats=True, the
    # default); Dropout drops nothing
    model.eval()
    try:
        with torch.no_grad():
            model(inputs)
    finally:
        for module, training in modes:
            module.training = training
        for hook in hooks:
            hook.remove()
    report, call = {}, {}  # call[name]: how many times that module has run so far
    for name, module, z in calls:
        call[name] = call.get(name, 0) + 1
        z = z.detach().requires_grad_(True)
        (slope,) = torch.autograd.grad(module(z.clone()).sum(), z)  # f'(z) for every input and unit
        per_unit = slope.abs().movedim(unit_dim, 0).flatten(1)  # one row per unit, every input and position
        dead = (per_unit < threshold).all(dim=1).nonzero().flatten().tolist()
        report[f"module '{name}', call {call[name]}"] = (per_unit.shape[0], dead)
    return report


# %% Step 2: tested on a small model with units killed on purpose publish=["extra_dead"]
torch.manual_seed(0)
inputs = torch.randn(512, 4)
killed = {0: [2, 5, 11], 2: [0, 7]}  # index of a Linear layer in the model: units to kill
extra_dead = {}  # per activation: dead units that were not killed on purpose
for act in (nn.ReLU(), nn.GELU()):
    torch.manual_seed(1)  # the same starting weights for both models: only the activation differs
    model = nn.Sequential(nn.Linear(4, 16), act, nn.Linear(16, 16), act, nn.Linear(16, 1))
    with torch.no_grad():
        for layer, units in killed.items():
            model[layer].bias[units] = -100.0  # far below anything the weights can make up for
    report = dead_units(model, inputs)
    for (name, (units, dead)), layer in zip(report.items(), killed, strict=True):
        print(f"{type(act).__name__:5} {name}: {len(dead)} of {units} dead, units {dead}")
        assert set(killed[layer]) <= set(dead), "a unit killed on purpose was missed"
        extra_dead[type(act).__name__] = extra_dead.get(type(act).__name__, 0) + len(set(dead) - set(killed[layer]))
        if isinstance(act, nn.ReLU):  # a second opinion: a ReLU unit is dead iff its input is never above 0
            with torch.no_grad():
                z = model[: layer + 1](inputs)
            assert dead == (z <= 0).all(dim=0).nonzero().flatten().tolist()
    # the same answer with a sequence axis (batch, positions, features) and with an in-place ReLU
    assert dead_units(model, inputs.unsqueeze(1).expand(-1, 3, -1)) == report
    act.inplace = isinstance(act, nn.ReLU)
    assert dead_units(model, inputs) == report

# a model left in training mode: the census runs it in eval mode, so it is the same twice, leaves BatchNorm's
# state alone (running mean and variance, batch count), and hands back every module in training mode
model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 16), nn.ReLU())
batch_norm = {key: value.clone() for key, value in model[1].state_dict().items()}
assert dead_units(model, inputs) == dead_units(model, inputs)
assert all(module.training for module in model.modules())
assert all(torch.equal(value, batch_norm[key]) for key, value in model[1].state_dict().items())
