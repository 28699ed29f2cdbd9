"""UNSC Record: the Security Council's drafts, votes, sponsors and explanations of vote.

`unsc.load()` returns the record's tables as typed pandas DataFrames.
"""
from __future__ import annotations

__all__ = ["load", "views", "contract", "__version__"]
__version__ = "0.1.0"


def load(path_or_version=None, tables=None, views: bool = True):
    """Return ``{table name: DataFrame}`` typed from the schemas, with the ready-made views (see :mod:`unsc.publish.loader`)."""
    from unsc.publish.loader import load as _load

    return _load(path_or_version, tables=tables, views=views)


def __getattr__(name):
    if name == "views":  # `unsc.views.member_matrix(unsc.load())`, imported only when used
        from unsc.publish import views

        return views
    if name == "contract":  # `unsc.contract.former_names("drafts")`: the columns renamed in 1.0.0, {old: new}
        import importlib

        return importlib.import_module("unsc.contract")
    raise AttributeError(name)
