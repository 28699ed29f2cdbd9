"""Differential test: every error bare Frictionless reports on a broken package, `unsc validate` reports too.

`unsc validate` no longer runs Frictionless row by row: the schema's cell and key constraints run vectorised
(`unsc.validate.cells`) after a structure pass (`unsc.validate.structure`). Each mutation below breaks the
small fixture package one way; for every error `frictionless validate` finds, `unsc validate` must name the
same file and row, and the same field where Frictionless names one (its foreign-key errors name none).
Metadata mutations (a schema Frictionless rejects) must be refused too.
"""
from __future__ import annotations

import json

import pytest

from unsc.validate import validate
from unsc.validate.frictionless_layer import validate_package

DRAFT = {"draft_id": "S/2023/773"}
USA_VOTE = {"draft_id": "S/2023/773", "state_id": "USA"}


def _text(pkg, table, fn):
    p = pkg.path(table)
    p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")


MUTATIONS = {
    "bad-integer": lambda p: p.update("drafts", DRAFT, yes="twelve"),
    "decimal-integer": lambda p: p.update("drafts", DRAFT, yes="12.0"),
    "bad-date-day": lambda p: p.update("drafts", DRAFT, decision_date="2023-02-30"),
    "bad-date-form": lambda p: p.update("meetings", {"meeting_id": "S/PV.9443"}, meeting_date="19/10/2023"),
    "bad-enum": lambda p: p.update("votes", USA_VOTE, vote="maybe"),
    "bad-pattern": lambda p: p.update("votes", USA_VOTE, state_id="usa"),
    "missing-required": lambda p: p.update("sources", {"source_id": "SC/15462"}, source_kind=""),
    "empty-key": lambda p: p.update("sponsors", DRAFT, state_id=""),
    "below-minimum": lambda p: p.update("drafts", DRAFT, no="-1"),
    "above-maximum": lambda p: p.update("drafts", DRAFT, yes="99"),
    "too-long": lambda p: p.update("positions", {"state_id": "USA"}, summary="x" * 5000),
    "bad-uri": lambda p: p.update("sources", {"source_id": "SC/15462"}, source_url="not a url"),
    "duplicate-key": lambda p: p.write("sponsors", p.rows("sponsors") * 2),
    "duplicate-unique": lambda p: p.update("drafts", {"draft_id": "S/RES/2700 (2023)"}, resolution_number="2700") and
    p.write("drafts", p.rows("drafts") + [dict(p.rows("drafts")[1], draft_id="S/2023/999", id_kind="document_symbol", resolution="")]),
    "missing-fk-target": lambda p: p.update("sponsors", DRAFT, state_id="ZZZ"),
    "missing-self-fk": lambda p: p.update("drafts", DRAFT, draft_kind="amendment", amends="S/2023/999"),
    "deleted-referenced-row": lambda p: p.write("states", [r for r in p.rows("states") if r["state_id"] != "ALB"]),
    "extra-column": lambda p: _text(p, "sponsors", lambda t: "\n".join(line + ",x" for line in t.splitlines()) + "\n"),
    "missing-column": lambda p: _text(p, "sponsors", lambda t: t.replace(",role", "", 1).replace(",penholder", "")),
    "swapped-columns": lambda p: _text(p, "sponsors", lambda t: t.replace("draft_id,state_id", "state_id,draft_id", 1)),
    "ragged-short": lambda p: _text(p, "sponsors", lambda t: t.replace(",penholder", "")),
    "ragged-long": lambda p: _text(p, "sponsors", lambda t: t.replace(",penholder", ",penholder,zz")),
    "blank-row": lambda p: _text(p, "meetings", lambda t: t.replace("\n", "\n\n", 2)),
    "missing-file": lambda p: p.path("exceptions").unlink(),
    "not-utf8": lambda p: p.path("sponsors").write_bytes(p.path("sponsors").read_bytes().replace(b"penholder", b"penh\xf6lder")),
    "quoted-newline-then-bad": lambda p: (p.update("drafts", DRAFT, draft_title="two\nlines"), p.update("drafts", {"draft_id": "S/RES/2700 (2023)"}, yes="x")),
}


def _matches(f, ours) -> bool:
    for u in ours:
        if u.file != f.file:
            continue
        if f.row is None:  # about the file or its header: a structural issue on the same file
            if u.row in (None, 1) or u.layer == "structure":
                return True
            continue
        if u.row != f.row:
            continue
        if not f.field or f.rule == "frictionless.foreign-key" or u.field == f.field:
            return True
    return False


# Cell-level mutations leave every file readable, so several share one package (one Frictionless run each,
# which is the slow part); the structural ones each get their own.
CELL_LEVEL = [["bad-integer", "bad-enum", "missing-required", "too-long", "missing-fk-target", "bad-date-form", "missing-self-fk"],
              ["decimal-integer", "bad-pattern", "bad-uri", "empty-key", "below-minimum"],
              ["bad-date-day", "above-maximum", "duplicate-key", "duplicate-unique"]]
GROUPS = CELL_LEVEL + [[n] for n in MUTATIONS if not any(n in g for g in CELL_LEVEL)]


def test_groups_cover_every_mutation():
    assert sorted(n for g in GROUPS for n in g) == sorted(MUTATIONS)


@pytest.mark.parametrize("names", GROUPS, ids=["+".join(g) for g in GROUPS])
def test_every_frictionless_error_is_reported(mini, names):
    for name in names:
        MUTATIONS[name](mini)
    name = "+".join(names)
    theirs = validate_package(mini.root / "datapackage.json")
    assert theirs, f"the mutation {name} should break the package for Frictionless too"
    ours = validate(mini.root)
    missed = [f.line() for f in theirs if not _matches(f, ours)]
    assert not missed, "Frictionless found, unsc did not:\n" + "\n".join(missed) + "\nunsc said:\n" + "\n".join(i.line() for i in ours)


def test_unchanged_fixture_is_valid_for_both(mini):
    assert validate_package(mini.root / "datapackage.json") == []
    assert validate(mini.root) == []


SCHEMA_MUTATIONS = {
    "unknown-type": lambda s: s["fields"][0].update(type="strng"),
    "unknown-constraint": lambda s: s["fields"][1]["constraints"].update(patern="^x$"),
    "key-names-no-field": lambda s: s.update(primaryKey=["draft_id", "nope"]),
    "fk-to-no-table": lambda s: s["foreignKeys"][0]["reference"].update(resource="nowhere"),
}


@pytest.mark.parametrize("name", list(SCHEMA_MUTATIONS))
def test_schema_errors_are_refused(mini, name):
    path = mini.root / "schemas" / "votes.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    SCHEMA_MUTATIONS[name](schema)
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert validate_package(mini.root / "datapackage.json"), f"Frictionless accepts {name}"
    ours = validate(mini.root)
    assert any(i.rule == "package.schema" and i.file == "schemas/votes.json" for i in ours), [i.line() for i in ours]
