"""One derivation of the contract: every type and constraint the schemas use maps to every target, the
domain groups name values the schemas allow, and the patterns Table Schema forces us to copy are identical."""
from __future__ import annotations

import json
import re
from collections import defaultdict

import pandas as pd
import pytest
from conftest import ROOT

from unsc.contract import Field, derive, load_contract
from unsc.domain import vocab

CONTRACT = load_contract(ROOT)
FIELDS = [(t, f) for t in CONTRACT.tables.values() for f in t.fields]


def test_every_type_and_constraint_in_use_is_derived():
    for t, f in FIELDS:
        tm = derive.type_of(f)
        assert tm.pandas and tm.arrow and tm.sqlite and tm.wording, f.name
        for c, _ in derive.constraints_of(f):
            assert c.wording(f.constraints[c.key]) and c.hint(f, f.constraints[c.key]), (t.name, f.name, c.key)


def test_unknown_type_or_constraint_is_refused_not_ignored():
    with pytest.raises(ValueError, match="type 'strng'"):
        derive.type_of(Field("x", "strng", "", {}, {}))
    with pytest.raises(ValueError, match="patern"):
        derive.constraints_of(Field("x", "string", "", {"patern": "^x$"}, {}))


def test_targets_agree_on_each_type():
    import pyarrow as pa

    for name, tm in derive.TYPES.items():
        f = Field("x", name, "", {}, {})
        assert derive.arrow_type(f) == getattr(pa, tm.arrow)()
        assert pd.api.types.pandas_dtype(tm.pandas) is not None
        assert tm.lexical is None or (tm.lexical.startswith("^") and tm.lexical.endswith("$"))


@pytest.mark.parametrize("key,value,good,bad", [
    ("enum", ["a", "b"], "a", "c"),
    ("pattern", "^[A-Z]{3}$", "USA", "usa"),
    ("minimum", 0, "0", "-1"),
    ("maximum", 15, "15", "16"),
    ("minLength", 2, "ab", "a"),
    ("maxLength", 3, "abc", "abcd"),
])
def test_each_constraint_in_pandas_and_pandera_agree(key, value, good, bad):
    """The vectorised check of `unsc validate` and the pandera check of `unsc.validate.models` accept and refuse the same values."""
    import pandera.pandas as pa

    ftype = "integer" if key in ("minimum", "maximum") else "string"
    f = Field("x", ftype, "", {key: value}, {})
    text = pd.Series([good, bad], dtype=object)
    typed = derive.cast(text, f)
    ((c, v),) = derive.constraints_of(f)
    assert c.mask(text, typed, v).tolist() == [False, True]
    schema = pa.DataFrameSchema({"x": derive.pandera_column(f)})
    schema.validate(pd.DataFrame({"x": typed[:1]}))
    with pytest.raises(pa.errors.SchemaError):
        schema.validate(pd.DataFrame({"x": typed[1:]}))
    assert c.gx(f, value)[0].startswith("Expect")


def test_vocabulary_groups_name_allowed_values():
    assert vocab.check(CONTRACT) == []
    broken = json.loads((ROOT / "schemas" / "drafts.json").read_text(encoding="utf-8"))
    assert "adopted" in next(f for f in broken["fields"] if f["name"] == "outcome")["constraints"]["enum"]


def test_copied_patterns_are_identical():
    """Table Schema has no shared definitions, so the draft id pattern (and any other pattern of a field that
    references another table's key) is copied into each schema: every copy equals its referenced field's."""
    copies = defaultdict(set)
    for t in CONTRACT.tables.values():
        for fk in t.foreign_keys:
            ref = CONTRACT.tables[fk.resource]
            for local, target in zip(fk.fields, fk.reference_fields):
                lf, rf = t.field(local), ref.field(target)
                if lf.pattern or rf.pattern:
                    assert lf.pattern == rf.pattern, f"{t.name}.{local} and {fk.resource}.{target} have different patterns"
                    copies[f"{fk.resource}.{target}"].add(f"{t.name}.{local}")
    assert len(copies["drafts.draft_id"]) >= 4  # votes, sponsors, positions, position_gaps, drafts.amends
    by_name = defaultdict(set)
    for t, f in FIELDS:
        if f.name in ("draft_id", "amends") and f.pattern:
            by_name["draft"].add(f.pattern)
    assert len(by_name["draft"]) == 1


def test_every_pattern_is_anchored_and_compiles():
    for t, f in FIELDS:
        if f.pattern:
            assert f.pattern.startswith("^") and f.pattern.endswith("$"), (t.name, f.name)
            re.compile(f.pattern)


def test_codebook_words_come_from_derive():
    from unsc.publish.codebook import code, field_section

    t = CONTRACT.tables["votes"]
    f = t.field("state_id")
    lines = "\n".join(field_section(CONTRACT, t, f, None))
    assert "pattern " + code("^[A-Z]{3}$") in lines
    assert derive.codebook_constraints(f) == ["pattern `^[A-Z]{3}$`"]
