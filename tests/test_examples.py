"""docs/examples.md: every pandas block runs against `unsc.load()` of a release built from the record, and every
SQL block runs in DuckDB over that release's Parquet files and in SQLite over its database, so the examples
cannot rot. Each answer must be non-empty: the record has Gaza drafts, abstentions, US vetoes, sponsors of vetoed
drafts and Chinese explanations on Syria."""
from __future__ import annotations

import re
import sqlite3

import pytest

from conftest import ROOT

DOC = (ROOT / "docs" / "examples.md").read_text(encoding="utf-8")
PYTHON = re.findall(r"^```python\n(.*?)^```$", DOC, re.S | re.M)
SQL = re.findall(r"^```sql\n(.*?)^```$", DOC, re.S | re.M)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    from unsc.contract import load_contract
    from unsc.publish.release import _write_release, release_timestamp

    stage = tmp_path_factory.mktemp("release")
    contract = load_contract(ROOT)
    _write_release(contract, stage, release_timestamp(ROOT, contract.version))
    return stage


def test_the_page_has_five_questions_in_pandas_and_sql():
    assert len(PYTHON) == 5 and len(SQL) == 5
    assert all(len([line for line in block.splitlines() if line.strip()]) <= 5 for block in PYTHON + SQL)


def test_the_pandas_answers_run_on_the_release(release):
    import unsc

    scope = {"unsc": unsc}
    exec(compile("t = unsc.load(RELEASE)\n", "<setup>", "exec"), {**scope, "RELEASE": str(release)}, scope)
    for i, block in enumerate(PYTHON, start=1):
        lines = block.replace("unsc.load()", "t").strip().splitlines()
        exec("\n".join(lines[:-1]), scope)
        answer = eval(lines[-1], scope)
        assert len(answer) > 0, f"question {i} answered nothing"


def test_the_sql_answers_run_in_duckdb_on_the_parquet(release):
    import duckdb

    con = duckdb.connect()
    for name in ("drafts_overview", "votes_detail", "sponsors", "positions"):
        con.execute(f"create view {name} as select * from read_parquet('{release / 'parquet' / (name + '.parquet')}')")
    for i, sql in enumerate(SQL, start=1):
        assert con.execute(sql).fetchall(), f"question {i} answered nothing in DuckDB"


def test_the_sql_answers_run_in_sqlite(release):
    con = sqlite3.connect(release / "unsc-record.sqlite")
    for i, sql in enumerate(SQL, start=1):
        assert con.execute(re.sub(r"date '([0-9-]+)'", r"'\1'", sql)).fetchall(), f"question {i} answered nothing in SQLite"
