"""Run the project's Python on an emulated aarch64 (ARM64) CPU, under qemu-user, with the pinned packages.

Setup, once (again only when a pin changes): a sysroot in ../.cache-aarch64/ beside the checkout, outside the
repository, holding Debian's arm64 python3.11 and the libraries it loads (apt-get download, dpkg -x), PyPI's aarch64
wheels of what a snippet and scripts/build.py import at requirements.txt's pins, stand-ins for the CUDA libraries
that PyPI's aarch64 torch links to, and the files a Neoverse-N1 shows in /proc and /sys. Then the arguments after
`--` go to that Python, from the project root, with scripts/ on its path.
Usage: python tools/aarch64.py [--cpu neoverse-n1] [--pinned] [--rebuild] [--cache DIR] [-- ARGUMENT ...]
  python tools/aarch64.py -- scripts/build.py --check --jobs 1 --timeout 3600 snippets/activation-functions/relu/*.py
  python tools/aarch64.py -- -c "import platform, torch; print(platform.machine(), torch.__version__)"
(no arguments: only the setup.) The first setup needs root (dpkg --add-architecture arm64, apt-get) and downloads
about 0.5 GB; it installs Debian's qemu-user and binutils-aarch64-linux-gnu when they are missing.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))  # sitebuild, also when not run from the project's venv

from sitebuild.numerics import SETTINGS  # noqa: E402

CACHE = ROOT.parent / ".cache-aarch64"  # /work/.cache-aarch64 for /work/main: shared by the checkouts beside it
FORMAT = 1  # the sysroot's layout: bump it when this file changes what setup() makes, so old sysroots are rebuilt

# Debian bookworm's arm64 python3.11 and what its interpreter and standard library load: the Depends of
# python3.11, libpython3.11-stdlib and libstdc++6 (torch's C++), less media-types (mimetypes has its own table).
DEBS = (
    "python3.11", "python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib",
    "libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libffi8", "libssl3", "libexpat1", "libbz2-1.0", "liblzma5",
    "libsqlite3-0", "libncursesw6", "libtinfo6", "libreadline8", "libuuid1", "libcrypt1", "libdb5.3", "libnsl2",
    "libtirpc3", "libgssapi-krb5-2", "libkrb5-3", "libk5crypto3", "libkrb5support0", "libcom-err2", "libkeyutils1",
)  # fmt: skip
# What a snippet imports is requirements-reader.txt; the build imports these besides (the notebook format, the
# cells' headers, and the figures' rendering for comparisons within tolerance). Their dependencies come along,
# at requirements.txt's pins (a constraint file).
BUILD = ("nbformat", "jupytext", "resvg-py")
# pip 23 does not widen one manylinux tag to the older ones, so every glibc up to bookworm's 2.36 is named.
PLATFORMS = ("manylinux2014_aarch64", *(f"manylinux_2_{minor}_aarch64" for minor in range(17, 37)))
SITE = Path("usr/lib/python3/dist-packages")  # on Debian's sys.path: the emulated Python needs no PYTHONPATH
WRAPPER = Path("usr/bin/python")  # sys.executable inside the emulation (see write_wrapper)

# The emulated CPU. Neoverse-N1 (AWS Graviton2, Ampere Altra) is Armv8.2 with dot products and no SVE, the
# commonest ARM server core; qemu's model of it has this MIDR_EL1 (Arm, variant 4, part 0xd0c, revision 1) and
# these hardware capabilities (getauxval(AT_HWCAP) in the guest).
CPU = "neoverse-n1"
MIDR = "0x00000000414fd0c1"
FEATURES = "fp asimd aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp"
CUDA_STANDIN_ERROR = 100  # what every stand-in function returns: cudaErrorNoDevice, as on a machine without a GPU


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options, command = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", default=CPU, help=f"qemu's aarch64 CPU model (default {CPU})")
    parser.add_argument(
        "--pinned", action="store_true", help="set numerics.SETTINGS, as build.py does for its snippets itself"
    )
    parser.add_argument("--rebuild", action="store_true", help="make the sysroot afresh even when its pins match")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where the sysroot goes (default {CACHE})")
    args = parser.parse_args(options)
    sysroot = setup(args.cache.resolve(), args.rebuild)
    if not command:
        return 0
    return run(sysroot, command, args.cpu, args.pinned)


def setup(cache: Path, rebuild: bool = False) -> Path:
    """The sysroot in `cache`, made (or made again) unless its stamp records the same recipe and pins."""
    sysroot, recipe = cache / "sysroot", make_recipe()
    stamp = sysroot / "aarch64-stamp.json"
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "setup.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second run waits for the first one's setup, then finds it done
        if not rebuild and stamp.exists() and current(json.loads(stamp.read_text()), recipe):
            cpu_files(sysroot)  # the host's core count may differ from the machine that made it
            return sysroot
        return make_sysroot(cache, recipe)


def make_sysroot(cache: Path, recipe: dict) -> Path:
    """Download, unpack, install and check in sysroot.new; put it in place of sysroot; write its stamp last."""
    sysroot, started = cache / "sysroot", time.perf_counter()
    host_tools()
    building = cache / "sysroot.new"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    debs = download_debs(cache / "debs")
    for deb in debs:
        subprocess.run(["dpkg", "-x", str(deb), str(building)], check=True)
    say(f"unpacked {len(debs)} Debian packages ({size(cache / 'debs')})")
    installed = install_wheels(building / SITE, recipe)
    standins = cuda_standins(building, building / SITE / "torch" / "lib")
    say(f"made {len(standins)} CUDA stand-ins: {', '.join(standins)}")
    write_wrapper(building)
    cpu_files(building)
    smoke_test(building)
    shutil.rmtree(sysroot, ignore_errors=True)
    building.rename(sysroot)
    seconds = round(time.perf_counter() - started, 1)
    versions = {deb.name.split("_")[0]: deb.name.split("_")[1] for deb in debs}
    record = {"recipe": recipe, "installed": installed, "debian": versions, "seconds": seconds}
    # Last: a setup cut short leaves no stamp, and the next run starts again.
    (sysroot / "aarch64-stamp.json").write_text(json.dumps(record, indent=1) + "\n")
    say(f"sysroot ready in {seconds:.0f} s: {sysroot} ({size(sysroot)})")
    return sysroot


def make_recipe() -> dict:
    """What decides the sysroot's contents: this file's choices and the pins of what is asked for."""
    pins = requirement_pins()
    reader = (ROOT / "requirements-reader.txt").read_text().splitlines()
    names = [re.split(r"[=;<>~! ]", line.strip())[0] for line in reader if line.strip()[:1].isalnum()]
    wanted = sorted({normal(name) for name in [*names, *BUILD]} - {"torch"})
    missing = [name for name in [*wanted, "torch"] if name not in pins]
    if missing:
        raise SystemExit(f"aarch64: requirements.txt pins no {', '.join(missing)} (expected lines `name==version`)")
    return {
        "format": FORMAT,
        "debs": list(DEBS),
        "platforms": list(PLATFORMS),
        "torch": pins["torch"],
        "requirements": [f"{name}=={pins[name]}" for name in wanted],
    }


def current(record: dict, recipe: dict) -> bool:
    """Same recipe, and every package installed (dependencies too) still at requirements.txt's pin."""
    pins = requirement_pins()
    stale = [name for name, version in record.get("installed", {}).items() if pins.get(name, version) != version]
    return record.get("recipe") == recipe and not stale


def requirement_pins() -> dict[str, str]:
    """requirements.txt's `name==version` lines, by normalised name."""
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip())
        if match:
            pins[normal(match.group(1))] = match.group(2)
    return pins


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def host_tools() -> None:
    """qemu-user and the aarch64 binutils (readelf, as, ld for the CUDA stand-ins); installed when missing."""
    wanted = {"qemu-aarch64": "qemu-user", "aarch64-linux-gnu-ld": "binutils-aarch64-linux-gnu"}
    missing = sorted({package for tool, package in wanted.items() if shutil.which(tool) is None})
    for tool in ("dpkg", "apt-get"):
        if shutil.which(tool) is None:
            raise SystemExit(f"aarch64: {tool} not found: the sysroot is made from Debian's packages")
    if missing:
        root_only(f"apt-get install -y {' '.join(missing)}")
        say(f"installing {', '.join(missing)}")
        apt("install", "-y", *missing)
    if "arm64" not in subprocess.run(["dpkg", "--print-foreign-architectures"], capture_output=True, text=True).stdout:
        root_only("dpkg --add-architecture arm64 && apt-get update")
        say("adding Debian's arm64 architecture (dpkg --add-architecture arm64) and updating apt's lists")
        subprocess.run(["dpkg", "--add-architecture", "arm64"], check=True)
        apt("update")


def root_only(command: str) -> None:
    if os.geteuid() != 0:
        raise SystemExit(f"aarch64: the setup needs `{command}`: run that as root, or this script as root")


def apt(*arguments: str) -> None:
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "-q", *arguments], check=True, env=env, stdout=subprocess.DEVNULL)


def download_debs(folder: Path) -> list[Path]:
    """Today's arm64 builds of DEBS, in `folder` (replacing the last download); apt's lists updated if stale."""
    fresh = folder.with_name(folder.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    # Root's apt drops to the user _apt to download, which may not write here; the download is checked all the same.
    command = ["apt-get", "-q", "-o", "APT::Sandbox::User=root", "download", *(f"{deb}:arm64" for deb in DEBS)]
    if subprocess.run(command, cwd=fresh, stdout=subprocess.DEVNULL).returncode != 0:
        root_only("apt-get update")
        say("apt-get download failed; updating apt's lists and trying again")
        apt("update")
        subprocess.run(command, cwd=fresh, stdout=subprocess.DEVNULL, check=True)
    shutil.rmtree(folder, ignore_errors=True)
    fresh.rename(folder)
    return sorted(folder.glob("*.deb"))


def install_wheels(site: Path, recipe: dict) -> dict[str, str]:
    """PyPI's aarch64 wheels into `site`, by the host's pip; returns what is installed, name to version.

    torch goes without its dependencies: on aarch64 PyPI's torch is the CUDA build, whose Requires-Dist adds
    2.4 GB of nvidia-* wheels and triton, none of which runs on a CPU (cuda_standins() stands in for them).
    """
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(site)]
    pip += [flag for platform in PLATFORMS for flag in ("--platform", platform)]
    pip += ["--python-version", "3.11", "--implementation", "cp", "--abi", "cp311", "--only-binary=:all:"]
    say(f"pip: {len(recipe['requirements'])} packages and their dependencies, for aarch64")
    subprocess.run([*pip, "-c", str(ROOT / "requirements.txt"), *recipe["requirements"]], check=True)
    say(f"pip: torch=={recipe['torch']} without its CUDA dependencies")
    # --upgrade: replace the bin/ folder the first run made (its scripts name the host's Python and are unused)
    subprocess.run([*pip, "--no-deps", "--upgrade", f"torch=={recipe['torch']}"], check=True)
    installed = {}
    for info in site.glob("*.dist-info"):
        name, version = info.name.removesuffix(".dist-info").rsplit("-", 1)
        installed[normal(name)] = version
    pins = requirement_pins()
    for name, version in sorted(installed.items()):
        if pins.get(name) != version:
            say(f"note: {name} {version} is installed, requirements.txt pins {pins.get(name, 'no version')}")
    say(f"installed {len(installed)} packages ({size(site)})")
    return installed


def cuda_standins(sysroot: Path, folder: Path) -> list[str]:
    """Stand-in libraries in `folder` for each CUDA library that torch's own libraries need but nothing provides.

    Each exports the symbols torch imports from it, with their symbol versions; every function returns
    CUDA_STANDIN_ERROR, and those that name an error return a message. torch then loads and runs on the CPU as on
    a machine without a GPU (torch.cuda.is_available() is False). `folder` is torch/lib, which the RPATH of each of
    torch's libraries names ($ORIGIN) whatever CUDA version it was built for.
    Libraries that need the driver (libcuda.so.1) are loaded only with a GPU, and are left out.
    """
    site = sysroot / SITE
    libraries = [sysroot / "lib/aarch64-linux-gnu", sysroot / "usr/lib/aarch64-linux-gnu"]
    elves = [path for path in site.rglob("*.so*") if path.is_file() and not path.is_symlink()]
    present = {path.name for folder in libraries for path in folder.iterdir()} | {path.name for path in elves}
    defined: set[str] = set()
    for path in [*elves, *(p for folder in libraries for p in folder.glob("*.so*")), sysroot / "usr/bin/python3.11"]:
        defined |= {symbol for symbol, _, _, undefined in dynamic_symbols(path) if not undefined}
    standins: dict[str, dict[str, dict[str, str]]] = {}  # library -> version ("" for none) -> symbol -> type
    for path in (site / "torch").rglob("*.so*"):
        needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", readelf("-d", path))
        absent = [name for name in needed if name not in present]
        if "libcuda.so.1" in absent or not absent:
            continue
        strangers = [name for name in absent if not re.match(r"lib(cu|nv|nccl)", name)]
        if strangers:
            raise SystemExit(f"aarch64: {path.name} needs {', '.join(strangers)}: add its Debian package to DEBS")
        version_files = version_needs(path)
        for symbol, version, kind, undefined in dynamic_symbols(path):
            if not undefined:
                continue
            if version:
                library = version_files.get(version)
                if library not in absent:
                    continue
            elif symbol in defined:
                continue
            else:
                library = absent[0]  # unversioned: any library in the lookup scope will do
            standins.setdefault(library, {}).setdefault(version, {})[symbol] = kind
        for library in absent:
            standins.setdefault(library, {})
    folder.mkdir(parents=True, exist_ok=True)
    for library, versions in sorted(standins.items()):
        link_standin(folder / library, versions)
    return sorted(standins)


def dynamic_symbols(path: Path) -> list[tuple[str, str, str, bool]]:
    """(name, version, type, undefined) of each global or weak-but-defined dynamic symbol of an ELF file."""
    symbols = []
    for line in readelf("--dyn-syms", path).splitlines():
        fields = line.split()
        if len(fields) < 8 or not fields[0].endswith(":") or fields[4] == "LOCAL":
            continue
        undefined = fields[6] == "UND"
        if undefined and fields[4] == "WEAK":
            continue  # a weak reference may stay unresolved
        name, _, version = fields[7].partition("@")
        symbols.append((name, version.lstrip("@"), fields[3], undefined))
    return symbols


def version_needs(path: Path) -> dict[str, str]:
    """Symbol version name -> the library the ELF file expects it from (its .gnu.version_r section)."""
    files, library = {}, None
    for line in readelf("-V", path).splitlines():
        if match := re.search(r"File: (\S+)", line):
            library = match.group(1)
        elif (match := re.search(r"Name: (\S+)", line)) and library:
            files[match.group(1)] = library
    return files


def readelf(option: str, path: Path) -> str:
    command = ["aarch64-linux-gnu-readelf", "-W", option, str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def link_standin(target: Path, versions: dict[str, dict[str, str]]) -> None:
    """Assemble and link one stand-in: each function an alias of one of two tiny bodies, each object 256 zeros."""
    message = "CUDA is not available: this library is a stand-in made by tools/aarch64.py"
    assembly = [
        ".text", ".p2align 2",
        "standin_error:", f"  mov w0, #{CUDA_STANDIN_ERROR}", "  ret",
        "standin_message:", "  adr x0, message", "  ret",
        ".section .rodata", f'message: .asciz "{message}"',
    ]  # fmt: skip
    script = []
    for version, symbols in sorted(versions.items()):
        if version:
            script.append(f"{version} {{ global: {' '.join(f'{symbol};' for symbol in sorted(symbols))} }};")
        for symbol, kind in sorted(symbols.items()):
            if kind == "FUNC":
                body = "standin_message" if re.search(r"Get(Error|Status)(String|Name)$", symbol) else "standin_error"
                assembly += [".text", f".globl {symbol}", f".type {symbol}, %function", f".set {symbol}, {body}"]
            else:
                assembly += [".data", f".globl {symbol}", f".type {symbol}, %object", f".size {symbol}, 256"]
                assembly += [f"{symbol}: .zero 256"]
    with tempfile.TemporaryDirectory() as scratch:
        source, objects, versions_file = (Path(scratch) / name for name in ("standin.s", "standin.o", "versions"))
        source.write_text("\n".join(assembly) + "\n")
        subprocess.run(["aarch64-linux-gnu-as", "-o", str(objects), str(source)], check=True)
        link = ["aarch64-linux-gnu-ld", "-shared", "--build-id=none", "-soname", target.name]
        if script:
            versions_file.write_text("\n".join(script) + "\n")
            link += ["--version-script", str(versions_file)]
        subprocess.run([*link, "-o", str(target), str(objects)], check=True)


def write_wrapper(sysroot: Path) -> None:
    """usr/bin/python: a host shell script that starts the arm64 python3.11 under qemu-aarch64, naming itself argv[0].

    Python takes sys.executable from argv[0], so sys.executable is this script, and a subprocess started with it
    (sitebuild.worker, pip) is emulated too. Without it such a subprocess would need the kernel's binfmt_misc to
    run an aarch64 binary, which these machines do not mount. The sysroot is found from the script's own place.
    """
    qemu = shutil.which("qemu-aarch64") or "qemu-aarch64"
    wrapper = sysroot / WRAPPER
    wrapper.write_text(
        "#!/bin/sh\n"
        "# Debian's arm64 python3.11 under qemu-user (tools/aarch64.py); sys.executable inside the emulation.\n"
        'root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)\n'
        f'exec {qemu} -L "$root" -cpu "${{QEMU_CPU:-{CPU}}}" -0 "$0" "$root/usr/bin/python3.11" "$@"\n'
    )
    wrapper.chmod(0o755)


def cpu_files(sysroot: Path) -> None:
    """An ARM /proc/cpuinfo, and each core's MIDR_EL1 in /sys, one entry per core of this machine.

    qemu 7.2 shows an aarch64 guest the host's /proc/cpuinfo (it makes one up for a few other targets only), in
    which torch's cpuinfo library finds no ARM core: `import torch` then dies of a segmentation fault. qemu's -L
    looks every absolute path up in the sysroot first, so these files are what the guest reads; oneDNN's
    xbyak_aarch64 warns on each import without the MIDR_EL1 files. A side effect: a guest listing
    /sys/devices/system/cpu sees only the cpuN folders (reading any file there still reaches the host's).
    """
    cores = os.cpu_count() or 1
    entry = (
        "processor\t: {core}\nBogoMIPS\t: 50.00\nFeatures\t: {features}\nCPU implementer\t: 0x41\n"
        "CPU architecture: 8\nCPU variant\t: 0x4\nCPU part\t: 0xd0c\nCPU revision\t: 1\n"
    )
    text = "\n".join(entry.format(core=core, features=FEATURES) for core in range(cores)) + "\n"
    cpuinfo = sysroot / "proc" / "cpuinfo"
    if not cpuinfo.exists() or cpuinfo.read_text() != text:
        cpuinfo.parent.mkdir(exist_ok=True)
        cpuinfo.write_text(text)
        shutil.rmtree(sysroot / "sys", ignore_errors=True)
        for core in range(cores):
            midr = sysroot / f"sys/devices/system/cpu/cpu{core}/regs/identification/midr_el1"
            midr.parent.mkdir(parents=True)
            midr.write_text(MIDR + "\n")


def smoke_test(sysroot: Path) -> None:
    """Every package the build needs imports in the emulation, and torch computes."""
    code = (
        "import platform, matplotlib, nbformat, jupytext, resvg_py, PIL, numpy, torch\n"
        "print(platform.machine(), 'Python', platform.python_version(), 'torch', torch.__version__,"
        " torch.backends.cpu.get_cpu_capability(), 'CUDA', torch.cuda.is_available(), torch.ones(3).sum().item())"
    )
    say("checking the emulated Python (importing torch takes about half a minute)")
    env = guest_environment(sysroot, CPU)
    result = subprocess.run([str(sysroot / WRAPPER), "-c", code], env=env, capture_output=True, text=True)
    if result.returncode != 0 or not result.stdout.startswith("aarch64 "):
        raise SystemExit(f"aarch64: the emulated Python fails:\n{result.stdout}{result.stderr}")
    say(result.stdout.strip() + (f"\n{result.stderr.strip()}" if result.stderr.strip() else ""))


def guest_environment(sysroot: Path, cpu: str, pinned: bool = False) -> dict[str, str]:
    """The environment for the emulated Python: the host's, less what would point it at the host's packages."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONHOME", "LD_PRELOAD")}
    env |= {
        "PYTHONPATH": str(ROOT / "scripts"),  # sitebuild, as the venv's editable install gives (pyproject.toml)
        "PYTHONNOUSERSITE": "1",  # ~/.local holds the host's x86-64 packages
        "QEMU_CPU": cpu,  # read by the wrapper, so subprocesses get the same CPU
        "MPLCONFIGDIR": str(sysroot.parent / "matplotlib"),  # its font cache names the sysroot's fonts
    }
    return env | (SETTINGS if pinned else {})


def run(sysroot: Path, command: list[str], cpu: str, pinned: bool) -> int:
    """Run the emulated Python with `command` from the project root; its exit status."""
    say(f"running python3.11 {' '.join(command)} on qemu-aarch64 -cpu {cpu}")
    env = guest_environment(sysroot, cpu, pinned)
    return subprocess.run([str(sysroot / WRAPPER), *command], cwd=ROOT, env=env).returncode


def size(path: Path) -> str:
    total = sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return f"{total / 1e6:.0f} MB"


def say(message: str) -> None:
    print(f"aarch64: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
