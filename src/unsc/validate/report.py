"""One report for every validation layer: `file:row:field rule-id message (hint)`."""
from __future__ import annotations

import json
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

    def sort_key(self):
        return (self.file, self.row or 0, self.field or "", self.rule, self.message)

    def line(self) -> str:
        where = f"{self.file}:{self.row if self.row is not None else '-'}:{self.field or '-'}"
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where} {self.rule} {self.message}{hint}"


def dedupe(issues: list[Issue]) -> list[Issue]:
    """Sorted, without a second report of a cell an earlier layer already flagged."""
    seen_cells: set[tuple] = set()
    seen: set[tuple] = set()
    out: list[Issue] = []
    for issue in issues:  # layers arrive in order: canonical, frictionless, pandera, rules
        cell = (issue.file, issue.row, issue.field)
        key = (issue.file, issue.row, issue.field, issue.rule, issue.message)
        if key in seen:
            continue
        if issue.layer == "pandera" and issue.row is not None and cell in seen_cells:
            continue
        seen.add(key)
        if issue.row is not None:
            seen_cells.add(cell)
        out.append(issue)
    return sorted(out, key=Issue.sort_key)


def as_text(issues: list[Issue], checked: list[str]) -> str:
    lines = [i.line() for i in issues]
    verdict = "valid" if not issues else f"invalid: {len(issues)} problem(s)"
    lines.append(f"{verdict} — checked {len(checked)} file(s): {', '.join(checked)}")
    return "\n".join(lines) + "\n"


def as_json(issues: list[Issue], checked: list[str]) -> str:
    return json.dumps({"valid": not issues, "checked": checked, "issues": [asdict(i) for i in issues]}, indent=2) + "\n"
