"""The curation inputs have their own schemas: a contributor's typo is reported in the file they edited."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from unsc.contract import load_contract
from unsc.validate.curation import validate_curation


@pytest.fixture
def pkg(tmp_path):
    shutil.copy(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(ROOT / "curation", tmp_path / "curation")
    return tmp_path


def _issues(root):
    return [(i.file, i.row, i.field, i.rule) for i in validate_curation(load_contract(root))]


def test_the_committed_curation_follows_its_schemas():
    assert validate_curation(load_contract(ROOT)) == []


def test_a_bad_cell_is_named_in_the_curation_file(pkg):
    path = pkg / "curation" / "outlets.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace(",refused,", ",maybe,").replace(",accepted,", ",maybe,")
    path.write_text("".join(lines))
    assert ("curation/outlets.csv", 2, "verdict", "curation.enum") in _issues(pkg)


def test_a_pattern_taken_from_the_record_is_enforced(pkg):
    path = pkg / "curation" / "positions" / "positions.csv"
    header, first, rest = path.read_text().split("\n", 2)
    cells = first.split(",")
    cells[3] = "usa"  # state_id: the record's pattern is three capitals
    path.write_text("\n".join([header, ",".join(cells), rest]))
    assert ("curation/positions/positions.csv", 2, "state_id", "curation.pattern") in _issues(pkg)


def test_a_byte_order_mark_is_refused_not_silently_shifted(pkg):
    path = pkg / "curation" / "positions" / "positions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert ("curation/positions/positions.csv", 1, None, "curation.encoding") in _issues(pkg)


def test_a_wrong_header_and_an_undeclared_file_are_named(pkg):
    path = pkg / "curation" / "dhl_reviewed.csv"
    path.write_text(path.read_text().replace("meeting_id,text,reason", "meeting,text,reason", 1))
    (pkg / "curation" / "stray.csv").write_text("a,b\n1,2\n")
    issues = _issues(pkg)
    assert ("curation/dhl_reviewed.csv", 1, None, "curation.header") in issues
    assert ("curation/stray.csv", None, None, "curation.undeclared") in issues


def test_contributed_tables_follow_the_record_schema(pkg):
    (pkg / "curation" / "tables").mkdir(exist_ok=True)
    (pkg / "curation" / "tables" / "votes.csv").write_text("draft_id,state_id,vote,basis,source_id\nS/2023/792,FRA,maybe,recorded,SC/15464\n")
    assert ("curation/tables/votes.csv", 2, "vote", "curation.enum") in _issues(pkg)


def test_the_importers_read_the_columns_the_curation_schemas_define():
    """The column lists in the importer are the copies Python needs; they must equal the curation schemas."""
    import json

    from unsc.build.importers import curated

    def names(schema):
        return [f["name"] for f in json.loads((ROOT / "curation" / "schemas" / f"{schema}.json").read_text())["fields"]]

    assert curated.COLUMNS == names("vote_rows")
    assert curated.POSITION_COLUMNS == names("positions")
    assert curated.GAP_COLUMNS[: len(names("position_gaps")) - 1] == names("position_gaps")[:-1]  # + curation_log, not read


def test_a_byte_order_mark_in_a_curation_file_stops_the_build(pkg):
    """Not only `unsc validate`: the build itself refuses the file, so no explanation lands on the wrong draft."""
    from unsc.build.rebuild import rebuild
    from unsc.errors import InputError

    path = pkg / "curation" / "positions" / "positions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(InputError, match="byte-order mark"):
        rebuild(pkg, ROOT / "sources")


def test_a_bad_number_or_date_is_named_with_its_type(pkg):
    path = pkg / "curation" / "dhl_meetings.csv"
    header, first, rest = path.read_text().split("\n", 2)
    cells = first.split(",")
    cells[1] = "2021-02-30"  # date: no such day
    path.write_text("\n".join([header, ",".join(cells), rest]))
    path = pkg / "curation" / "membership_overrides.csv"
    header, first, rest = path.read_text().split("\n", 2)
    cells = first.split(",")
    cells[2] = "1964a"  # year: not an integer
    path.write_text("\n".join([header, ",".join(cells), rest]))
    issues = _issues(pkg)
    assert ("curation/dhl_meetings.csv", 2, "date", "curation.type") in issues
    assert ("curation/membership_overrides.csv", 2, "year", "curation.type") in issues


def test_the_importer_symbol_patterns_are_the_schema_patterns():
    """The curated importer recognises a draft symbol and a meeting record by the contract's own patterns."""
    from unsc.build.importers import curated

    contract = load_contract(ROOT)
    assert curated.DOC_SYMBOL.pattern == contract.tables["drafts"].field("draft_symbol").pattern
    meeting = contract.tables["meetings"].field("meeting_id").regex
    assert all(bool(curated.MEETING.match(v)) <= bool(meeting.match(v)) for v in ("S/PV.9442", "S/PV.1", "S/PV.0", "S/2020/1"))
