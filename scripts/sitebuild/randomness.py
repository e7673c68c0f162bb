"""Catch a snippet that draws random numbers without seeding them (runs in the snippet's child).

Each global generator (torch, NumPy, Python's `random`) starts from a sentinel
seed and its seeding functions are wrapped; a generator whose state moved
although the snippet never seeded it gives a reader different digits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

SENTINEL = 0x5EED_0F_F00D  # the seed a snippet's generators start from unless it seeds them


@dataclass
class Generator:
    name: str  # as the author would write it: "torch", "numpy.random", "random"
    fix: str  # the call that seeds it
    state: Callable[[], object]
    seeded: Callable[[], bool]
    start: object = None

    def drew_unseeded(self) -> bool:
        return not self.seeded() and self.state() != self.start


def watch_generators() -> list[Generator]:
    """Seed every global generator with the sentinel and start watching it."""
    import numpy
    import torch

    marks = {"random": False, "numpy.random": False}  # set when the snippet seeds one
    unseeded_rngs: list[None] = []  # numpy.random.default_rng() calls without a seed
    generators = [
        # torch remembers its seed: manual_seed() changes initial_seed(), no wrapper needed
        Generator(
            "torch",
            "torch.manual_seed(0)",
            lambda: bytes(torch.get_rng_state().numpy()),
            lambda: torch.initial_seed() != SENTINEL,
        ),
        Generator(
            "numpy.random",
            "np.random.seed(0) or rng = np.random.default_rng(0)",
            lambda: (_numpy_state(numpy), len(unseeded_rngs)),
            lambda: marks["numpy.random"],
        ),
        Generator("the random module", "random.seed(0)", random.getstate, lambda: marks["random"]),
    ]
    torch.manual_seed(SENTINEL)
    _watch_seeding(numpy, marks, unseeded_rngs)
    for generator in generators:
        generator.start = generator.state()
    return generators


def _watch_seeding(numpy, marks: dict, unseeded_rngs: list) -> None:
    """Seed random and numpy.random with the sentinel, and mark each one when the snippet seeds it itself."""
    random.seed(SENTINEL)
    numpy.random.seed(SENTINEL % 2**32)
    random.seed = _marking(marks, "random", random.seed, lambda a=None, *_, **__: a is not None)
    random.setstate = _marking(marks, "random", random.setstate)
    numpy.random.seed = _marking(marks, "numpy.random", numpy.random.seed, lambda seed=None, *_: seed is not None)
    numpy.random.set_state = _marking(marks, "numpy.random", numpy.random.set_state)
    default_rng = numpy.random.default_rng

    def watched_default_rng(seed=None, *args, **kwargs):
        if seed is None:  # fresh entropy: different digits on every run
            unseeded_rngs.append(seed)
        return default_rng(seed, *args, **kwargs)

    numpy.random.default_rng = watched_default_rng


def unseeded_message(relpath: str, line: int, title: str, generators: list[Generator]) -> str | None:
    """The error for the first cell that drew from an unseeded generator, or None."""
    culprits = [g for g in generators if g.drew_unseeded()]
    if not culprits:
        return None
    names = " and ".join(g.name for g in culprits)
    fixes = "; ".join(g.fix for g in culprits)
    cell = f"cell '{title}'" if title else "this cell"
    return (
        f"{relpath}:{line}: Error: {cell} draws random numbers from {names} without seeding, "
        f"so a reader gets different digits; seed before the first draw, e.g. {fixes}"
    )


def _numpy_state(numpy) -> tuple:
    _, keys, position, has_gauss, gauss = numpy.random.get_state(legacy=True)
    return keys.tobytes(), position, has_gauss, gauss


def _marking(marks: dict, name: str, function, is_seed: Callable[..., bool] = lambda *_, **__: True):
    """`function`, which also records in `marks[name]` that the snippet seeded the generator."""

    def wrapper(*args, **kwargs):
        marks[name] |= is_seed(*args, **kwargs)
        return function(*args, **kwargs)

    return wrapper
