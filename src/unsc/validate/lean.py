"""Start `unsc validate` lean: without pyarrow, which pandas loads eagerly when it is installed.

Plain validation needs no Arrow: pandas then holds strings as Python objects, which for this record is as
fast, and the process peaks about 35 MB lower (pyarrow is ~35 MB resident). Only `unsc validate` without
`--report` is affected, and only when pandas is not loaded yet; release, site and the great-expectations
report load pyarrow as usual. A module the CLI imports at start must therefore not import pyarrow at its
top (import it inside the function that needs it, as release.py does); tests/test_validate_rules.py runs
`unsc validate` in its own process to catch that.
"""
from __future__ import annotations

import sys


def lean_for(argv: list[str]) -> bool:
    """Keep pyarrow out of this process if *argv* is a plain `unsc validate`; True if it did."""
    args = argv[1:]
    if "pandas" in sys.modules or "pyarrow" in sys.modules or args[:1] != ["validate"]:
        return False
    if any(a == "--report" or a.startswith("--report=") for a in args):
        return False
    sys.modules["pyarrow"] = None  # `import pyarrow` now raises ImportError; pandas falls back to Python strings
    return True
