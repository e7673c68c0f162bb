"""In-process unit tests of the build's pure functions: no subprocess, no torch, milliseconds each.

One file per module under scripts/, in the style of markdown-exec's tests.
"""
