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
