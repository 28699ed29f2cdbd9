"""One report for every validation layer: `file:row:field rule-id message (hint)`.

An issue may name its root cause (`cause`, the `key()` of another issue): a ragged row's cell errors,
the rows that repeat a missing foreign-key value, the votes of a draft whose date is wrong. The text
report prints the root cause and then, indented under it, "and N rows that follow from it"; the JSON
report keeps every issue with its `cause`.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Issue:
    file: str
    row: int | None
    field: str | None
    rule: str
    message: str
    hint: str = ""
    layer: str = ""
    cause: str = ""  # key() of the issue this one follows from; empty for a root cause

    def sort_key(self):
        return (self.file, self.row or 0, self.field or "", self.rule, self.message)

    def key(self) -> str:
        return f"{self.file}:{self.row if self.row is not None else '-'}:{self.field or '-'}:{self.rule}"

    def line(self) -> str:
        where = f"{self.file}:{self.row if self.row is not None else '-'}:{self.field or '-'}"
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where} {self.rule} {self.message}{hint}"


# Which report of one cell wins when several layers flag it: the most basic problem first. Rules and the
# great-expectations report are about meaning, not the cell's form, and are always kept.
_CELL_RANK = {"structure": 0, "frictionless": 1, "schema": 2, "pandera": 3}
_RULE_RANK = {"csv.missing-cell": 0, "csv.extra-cell": 0, "schema.type": 1, "schema.required": 2}


def _rank(issue: Issue) -> tuple:
    return (_CELL_RANK.get(issue.layer, 9), _RULE_RANK.get(issue.rule, 5), issue.rule, issue.message)


def dedupe(issues: list[Issue]) -> list[Issue]:
    """Sorted, each exact repeat dropped, and one report per bad cell among the layers that check a cell's
    form (structure, Frictionless, schema, pandera): the most basic one, whatever order the layers ran in."""
    best: dict[tuple, Issue] = {}
    out: list[Issue] = []
    seen: set[tuple] = set()
    for issue in issues:
        key = (issue.file, issue.row, issue.field, issue.rule, issue.message)
        if key in seen:
            continue
        seen.add(key)
        if issue.layer in _CELL_RANK and issue.row is not None and issue.field is not None:
            cell = (issue.file, issue.row, issue.field)
            if cell not in best or _rank(issue) < _rank(best[cell]):
                best[cell] = issue
            continue
        out.append(issue)
    out += best.values()
    return sorted(out, key=Issue.sort_key)


def group(issues: list[Issue]) -> list[tuple[Issue, list[Issue]]]:
    """(root cause, the issues that follow from it) in report order; an issue whose cause is not in the list is a root."""
    keys = {i.key() for i in issues}
    followers: dict[str, list[Issue]] = defaultdict(list)
    roots = []
    for i in issues:
        if i.cause and i.cause in keys and i.cause != i.key():
            followers[i.cause].append(i)
        else:
            roots.append(i)
    return [(r, followers.pop(r.key(), [])) for r in roots]


def _rows_text(rows: list) -> str:
    rows = sorted({r for r in rows if r is not None})
    shown = ", ".join(map(str, rows[:8]))
    return f"row{'s' if len(rows) > 1 else ''} {shown}" + (f", … ({len(rows)} rows)" if len(rows) > 8 else "")


def as_text(issues: list[Issue], checked: list[str]) -> str:
    lines = []
    for root, rest in group(issues):
        lines.append(root.line())
        if not rest:
            continue
        by_file: dict[tuple, list[Issue]] = defaultdict(list)
        for i in rest:
            by_file[(i.file, i.rule)].append(i)
        for (file, rule), group_ in by_file.items():
            n = len({(i.row, i.field) for i in group_})
            what = "1 problem that follows" if n == 1 else f"{n} problems that follow"
            lines.append(f"    and {what} from it: {file} {_rows_text([i.row for i in group_])} ({rule})")
    n_roots = sum(1 for _ in group(issues))
    verdict = "valid" if not issues else f"invalid: {len(issues)} problem(s)" + (f", {n_roots} root cause(s)" if n_roots != len(issues) else "")
    lines.append(f"{verdict} — checked {len(checked)} file(s): {', '.join(checked)}")
    return "\n".join(lines) + "\n"


def as_json(issues: list[Issue], checked: list[str]) -> str:
    return json.dumps({"valid": not issues, "checked": checked, "issues": [asdict(i) for i in issues]}, indent=2) + "\n"
