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
# Prints the settings that decide a snippet's last digits; run it on your machine and compare.
import os
import platform

import torch

# %% What decides the last digits publish=["capability", "threads"]
capability = torch.backends.cpu.get_cpu_capability()  # which of ATen's vectorised kernels run
threads = torch.get_num_threads()
print(f"{'CPU architecture':<20} {platform.machine()}")
print(f"{'torch':<20} {torch.__version__}")
print(f"{'ATen kernels':<20} {capability}")
print(f"{'threads':<20} {threads}")
for name in ("MKL_CBWR", "ONEDNN_MAX_CPU_ISA"):
    print(f"{name:<20} {os.environ.get(name, 'not set')}")
