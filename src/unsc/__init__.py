"""UNSC Record: the Security Council's drafts, votes, sponsors and explanations of vote.

`unsc.load()` returns the record's tables as typed pandas DataFrames.
"""
from __future__ import annotations

__all__ = ["load", "__version__"]
__version__ = "0.1.0"


def load(path_or_version=None, tables=None):
    """Return ``{table name: DataFrame}`` typed from the schemas (see :mod:`unsc.load`)."""
    from unsc.publish.loader import load as _load

    return _load(path_or_version, tables=tables)
