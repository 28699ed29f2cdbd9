"""`unsc.load()`: the record's tables as DataFrames typed from the schemas, from wherever they are.

One entry point for a repository checkout, an unpacked release folder or a downloaded release zip (as
published: `datapackage.json` at its root; older zips with one top folder open too), so that analysis code
does not care which it was given and needs no repository. Typing is done by :mod:`unsc.contract.frames`, like validation.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from unsc.contract import find_root, load_contract
from unsc.contract.frames import read_raw, typed

_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def _find_version(version: str) -> Path:
    """dist/unsc-record-X.Y.Z (folder first, then zip) under the repository and the current folder."""
    places = []
    try:
        places.append(find_root() / "dist")
    except FileNotFoundError:
        pass
    places.append(Path.cwd() / "dist")
    for d in places:
        for cand in (d / f"unsc-record-{version}", d / f"unsc-record-{version}.zip"):
            if cand.exists():
                return cand
    raise FileNotFoundError(f"release {version} not found in {', '.join(map(str, dict.fromkeys(places)))}; "
                            f"build it with `unsc release build` or pass the path of the release zip")


def _resolve(path_or_version) -> Path:
    if path_or_version is None:
        try:
            return find_root()
        except FileNotFoundError as e:
            raise FileNotFoundError(f"{e}. Pass unsc.load() a repository, a release folder, a release zip "
                                    "(unsc-record-X.Y.Z.zip) or a version 'X.Y.Z' built into dist/") from None
    p = Path(path_or_version)
    if p.exists():
        return p
    if isinstance(path_or_version, str) and _VERSION.match(path_or_version):
        return _find_version(path_or_version)
    raise FileNotFoundError(f"{path_or_version} does not exist (expected a folder, a release zip or a version X.Y.Z)")


def _read(root: Path, tables) -> dict[str, pd.DataFrame]:
    contract = load_contract(root)
    names = [tables] if isinstance(tables, str) else list(tables or contract.tables)
    unknown = [n for n in names if n not in contract.tables]
    if unknown:
        raise KeyError(f"no table {', '.join(unknown)}; tables are {', '.join(contract.tables)}")
    return {n: typed(read_raw(root / contract.tables[n].path, contract.tables[n]), contract.tables[n], categorical=True) for n in names}


def load(path_or_version=None, tables=None, views: bool = True) -> dict[str, pd.DataFrame]:
    """``{table: DataFrame}``: dates datetime64, enumerations Categorical (the schema's values as categories),
    integers Int64, text "string". *tables* limits which tables are read. With every table read, the
    ready-made views (`drafts_overview`, `votes_detail`: :mod:`unsc.publish.views`) are added unless *views* is false."""
    from unsc.publish.release import open_package

    with open_package(_resolve(path_or_version)) as root:
        out = _read(root, tables)
    if views and tables is None:
        from unsc.publish.views import add_views

        out = add_views(out)
    return out
