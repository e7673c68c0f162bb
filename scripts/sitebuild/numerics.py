"""The one numeric environment every snippet runs in, so every x86-64 CPU prints the same bytes.

Each computing layer under torch picks its kernels by CPU; these settings make them all take the
same path. `make portability` proves the bytes match under emulated Intel and AMD CPUs.
"""

from __future__ import annotations

import os
import platform

# Every variable is read lazily, on the first operation that needs it, so setting them before the
# first computation is enough even when torch is already imported.
SETTINGS = {
    # ATen's vectorised kernels (exp, tanh, erf, GELU, reductions) exist in DEFAULT, AVX2 and AVX512
    # flavours that round differently. AVX2 is the widest every CPU of the last decade has (Intel
    # since Haswell, AMD since Zen, GitHub's runners); DEFAULT would be slower and still differs
    # under emulation, because its scalar paths call the C library's CPU-dispatched maths.
    "ATEN_CPU_CAPABILITY": "avx2",
    # MKL's conditional numerical reproducibility. COMPATIBLE (SSE2, no approximate rcpps/rsqrtps) is
    # the one fixed branch Intel supports on non-Intel CPUs: the AVX2/AVX512 branches fall back to AUTO
    # on AMD, which dispatches by CPU (oneMKL reference, "Named Constants for CNR Control").
    "MKL_CBWR": "COMPATIBLE",
    # oneDNN (convolutions, some matrix products) JIT-compiles kernels for the best ISA it finds;
    # capping it at SSE4.1, which every x86-64 CPU in use has, makes the JIT pick the same code.
    "ONEDNN_MAX_CPU_ISA": "SSE41",
    # One thread: a reduction split over threads adds in another order, and the split depends on
    # the core count. Threads also make a fork after a parallel op hang (OpenMP is not fork-safe).
    "OMP_NUM_THREADS": "1",
    # MKL sizes its own thread pool and reads this before OMP_NUM_THREADS.
    "MKL_NUM_THREADS": "1",
}

# The settings that choose among x86-64 kernels. Elsewhere they name nothing (on aarch64 PyTorch warns "ignoring
# invalid value for ATEN_CPU_CAPABILITY: avx2" in every snippet), so only the thread counts apply there.
X86_ONLY = ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "ONEDNN_MAX_CPU_ISA")
X86_64 = ("x86_64", "amd64")
UNPINNED_VARIABLE = "SITEBUILD_UNPINNED"  # "1": run snippets with the machine's own choices


def settings(machine: str | None = None) -> dict[str, str]:
    """SETTINGS as they apply on this machine, or on `machine` (platform.machine()'s name for a CPU family)."""
    if (machine or platform.machine()).lower() in X86_64:
        return dict(SETTINGS)
    return {key: value for key, value in SETTINGS.items() if key not in X86_ONLY}


def pinned() -> bool:
    """False when the author asked to run without the pins (to test what is platform-sensitive)."""
    return os.environ.get(UNPINNED_VARIABLE, "") != "1"


def pin() -> None:
    """Put the settings in this process's environment, before any computation reads them."""
    if pinned():
        os.environ.update(settings())


def pin_threads() -> None:
    """In the child, right before the snippet runs: torch's pool may have been sized at import."""
    import torch

    if pinned():
        torch.set_num_threads(1)


def fingerprint() -> dict[str, str]:
    """What decides the bytes besides the code and the package versions: CPU family and settings."""
    applied = ", ".join(f"{key}={value}" for key, value in settings().items()) if pinned() else "unpinned"
    return {"architecture": platform.machine(), "numerics": applied}


def describe(env: dict[str, str]) -> str:
    """The fingerprint in a few words, for messages: "aarch64, pinned" or "x86_64, unpinned"."""
    numerics = "unpinned" if env.get("numerics") == "unpinned" else "pinned"
    return f"{env.get('architecture', 'unknown CPU')}, {numerics}"
