"""The faulty snippets of tests/test_faults.py, each with the message the author must see, and good ones.

Kept apart so that the test module reads as tests; `{pid_file}` is filled in by the fixture.
"""

from __future__ import annotations

from dataclasses import dataclass

HANG_TIMEOUT = 2  # the hung snippet's own build: how long it may hang before it is killed


@dataclass
class Fault:
    body: bytes
    message: str  # what the author must see on stderr


def _fault(body: str, message: str) -> Fault:
    return Fault(body.encode(), message)


FAULTS = {
    "raises": _fault(
        "# fails\nimport math\n\n# %% Step 1\nprint('fine')\n# %% Step 2\nx = math.log(-1)\n",
        "snippets/post/faults/raises.py:7: ValueError: math domain error",
    ),
    "syntax_error": _fault(
        "# broken\n# %% Step 1\nprint('fine')\nif True print('no colon')\n",
        "snippets/post/faults/syntax_error.py:4: SyntaxError",
    ),
    "sys_exit": _fault(
        "# exits early\n# %% Step 1\nimport sys\nprint('before')\nsys.exit(3)\n",
        "snippets/post/faults/sys_exit.py:5: SystemExit: the snippet called sys.exit(3); let it run to the end",
    ),
    "os_exit": _fault(
        "# ends the interpreter\n# %% Step 1\nimport os\nprint('before')\nos._exit(1)\n",
        "snippets/post/faults/os_exit.py:5: Error: the snippet ended the interpreter with status 1",
    ),
    "segfault": _fault(
        "# crashes the interpreter\n# %% Step 1\nimport ctypes\nprint('before')\nctypes.string_at(0)\n",
        "snippets/post/faults/segfault.py:5: Error: the interpreter crashed (SIGSEGV)",
    ),
    "missing_import": _fault(
        "# imports what is not there\n# %% Step 1\nimport no_such_module\n",
        "snippets/post/faults/missing_import.py:3: ModuleNotFoundError: No module named 'no_such_module'",
    ),
    "not_utf8": Fault(
        b"# saved as Latin-1\n# %% Step 1\nprint('caf\xe9')\n",
        "snippets/post/faults/not_utf8.py:3: SyntaxError: byte 0xe9 is not UTF-8; save the file as UTF-8",
    ),
    "huge_output": _fault(
        "# prints 50 MB\n# %% Step 1\nline = 'x' * 99\nfor _ in range(500_000):\n    print(line)\n",
        "snippets/post/faults/huge_output.py:5: OutputTooLarge: the cell printed more than 1,000,000 characters; "
        "print a summary",
    ),
    "unseeded_torch": _fault(
        "# forgets to seed\nimport torch\n\n# %% Step 1: noise\nprint(torch.randn(3).round(decimals=2))\n",
        "snippets/post/faults/unseeded_torch.py:4: Error: cell 'Step 1: noise' draws random numbers from torch "
        "without seeding, so a reader gets different digits; seed before the first draw, e.g. torch.manual_seed(0)",
    ),
    "unseeded_numpy": _fault(
        "# forgets to seed\nimport numpy as np\n\n# %% Step 1\nprint('fine')\n# %% Step 2\n"
        "print(np.random.rand(2).round(2))\n",
        "snippets/post/faults/unseeded_numpy.py:6: Error: cell 'Step 2' draws random numbers from numpy.random "
        "without seeding",
    ),
    "unseeded_random": _fault(
        "# forgets to seed\nimport random\n\n# %% Step 1\nprint(random.choice('abc'))\n",
        "snippets/post/faults/unseeded_random.py:4: Error: cell 'Step 1' draws random numbers from the random module "
        "without seeding, so a reader gets different digits; seed before the first draw, e.g. random.seed(0)",
    ),
    # Runs first (sorted by name): everything it changes must stay in its own process.
    "a_leaks_state": _fault(
        "# writes a file and changes global state\nimport builtins, os\n\nimport matplotlib.pyplot as plt\n"
        "import torch\n\n# %% Step 1\n"
        "open('notes.txt', 'w').write('x')\n"
        "torch.set_default_dtype(torch.float64)\nplt.rcParams['lines.linewidth'] = 9\n"
        "builtins.LEAKED = True\nos.environ['LEAKED'] = '1'\nos.chdir('/')\nprint('changed everything')\n",
        "snippets/post/faults/a_leaks_state.py:1: Error: the snippet wrote files (notes.txt); snippets write nothing",
    ),
}

HANG = _fault(
    "# hangs, with a child process\n# %% Step 1\nimport pathlib, subprocess, time\n"
    "child = subprocess.Popen(['sleep', '600'])\n"
    "pathlib.Path('{pid_file}').write_text(str(child.pid))\n"
    "while True:\n    time.sleep(0.1)\n",
    f"snippets/post/faults/hang_with_child.py:7: Error: timed out after {HANG_TIMEOUT} s",
)

# Snippets that must succeed, and what their outputs must show.
GOOD = {
    "z_sees_clean_state": (
        "# runs after a_leaks_state\nimport builtins, os\n\nimport matplotlib.pyplot as plt\nimport torch\n\n"
        "# %% Step 1\nprint(torch.get_default_dtype(), plt.rcParams['lines.linewidth'], hasattr(builtins, 'LEAKED'),\n"
        "      os.environ.get('LEAKED'), os.path.basename(os.getcwd()))\n"
    ),
    "dozens_of_figures": (
        "# thirty figures in one cell, none closed\nimport matplotlib.pyplot as plt\n\n# %% Step 1\n"
        "for i in range(30):\n    fig, ax = plt.subplots(figsize=(1, 1), num=f'figure {i}')\n"
        "    ax.plot([0, 1], [0, i])\n"
        "# %% Step 2\nprint('open figures:', len(plt.get_fignums()))\n"
    ),
    "warns": "# warns, and still builds\nimport warnings\n\n# %% Step 1\nwarnings.warn('check this')\nprint('fine')\n",
    "bytes_and_ansi": (
        "# prints bytes that are not UTF-8, and colour codes\nimport sys\n\n# %% Step 1\n"
        "sys.stdout.buffer.write(b'caf\\xe9 \\xff then \\xc3')\nsys.stdout.buffer.write(b'\\xa9 whole\\n')\n"
        "print('\\x1b[31mred\\x1b[0m', 'lone \\udce9')\n"
    ),
}
