"""`unsc release guard BASE HEAD`: a change may not lose coverage unless it says why.

Two kinds of loss are caught between a base version (the pull request's base branch, the last
release) and a head version (the change):

- a draft whose per-member votes were **complete** in the base and are partial, missing or gone
  in the head (one deleted vote row is enough); reported as table `votes`, key = the draft's id.
  A draft that only changed its id (the same date and the same members' votes, complete under a
  new id, as when a dated id gets its meeting record) is not a loss;
- a table that **shrinks sharply**: it loses more than `max_shrink` of its rows (default 5 %), or
  disappears; reported as the table with key `*`.

A loss passes when it is declared: a row `table,key,reason` in `curation/declared_losses.csv`
(key `*` declares a table's shrink) that is new in this change — rows already in the base's file
declared earlier losses and do not excuse new ones — or, for a pull request, the label named by
`LOSS_LABEL` passed in `$UNSC_PR_LABELS` (comma-separated), whose reason then belongs in the
pull request's description. The report is Markdown for the job summary: the coverage change, then
every loss, declared or not.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

DECLARATIONS = "curation/declared_losses.csv"
DECLARATION_FIELDS = ("table", "key", "reason")
LOSS_LABEL = "declared-loss"
LABELS_ENV = "UNSC_PR_LABELS"
MAX_SHRINK = 0.05


class GuardError(Exception):
    """The guard cannot run (a version cannot be read, the declaration file is malformed)."""


@dataclass(frozen=True)
class Loss:
    table: str
    key: str
    what: str
    declared: str | None = None  # the reason, when declared

    def declare(self, reason: str) -> "Loss":
        return Loss(self.table, self.key, self.what, reason)


# --------------------------------------------------------------------------- declarations


def parse_declarations(text: str, where: str) -> dict[tuple[str, str], str]:
    """{(table, key): reason} from the declaration CSV; a row without a reason is an error, not a declaration."""
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return {}
    if tuple(h.strip() for h in rows[0]) != DECLARATION_FIELDS:
        raise GuardError(f"{where}:1: the header must be {','.join(DECLARATION_FIELDS)} (found {','.join(rows[0])!r}); "
                         "fix the first line of the file")
    out = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 3 or not all(c.strip() for c in row):
            raise GuardError(f"{where}:{n}: a declaration needs a table, a key (or *) and a reason, found {row!r}; "
                             "complete the row or delete it (put a reason that contains a comma in double quotes)")
        out[(row[0].strip(), row[1].strip())] = row[2].strip()
    return out


def _declarations_at(spec: str, repo: Path | None) -> str:
    """The declaration file's text in a version: a folder, or (given *repo*) a git ref; '' when it has none."""
    p = Path(spec)
    if p.is_dir():
        f = p / DECLARATIONS
        return f.read_text(encoding="utf-8") if f.is_file() else ""
    if repo is not None and not p.exists():
        r = subprocess.run(["git", "-C", str(repo), "show", f"{spec}:./{DECLARATIONS}"], capture_output=True)
        return r.stdout.decode("utf-8") if r.returncode == 0 else ""
    return ""  # a release zip carries no curation files


def new_declarations(base: str, head: str, repo: Path | None = None) -> dict[tuple[str, str], str]:
    """Declarations in HEAD's file that are not in BASE's: the ones this change makes."""
    old = parse_declarations(_declarations_at(base, repo), f"{base}:{DECLARATIONS}")
    new = parse_declarations(_declarations_at(head, repo), f"{head}:{DECLARATIONS}")
    return {k: v for k, v in new.items() if k not in old}


def labels_from_env() -> set[str]:
    return {x.strip() for x in os.environ.get(LABELS_ENV, "").split(",") if x.strip()}


# --------------------------------------------------------------------------- losses


def _frames(root: Path):
    from unsc.contract import load_contract
    from unsc.contract.frames import read_tables

    contract = load_contract(root)
    return contract, read_tables(contract)


def under_current_names(contract, frames: dict) -> dict:
    """*frames* of an older version (the base) with every column renamed since under its name in *contract* (the
    head's schemas, `unsc:formerName`), so that one set of queries reads both sides of the rename."""
    from unsc.contract import rename_former

    return {n: df.rename(columns=rename_former(df.columns, contract.tables[n])) if n in contract.tables else df
            for n, df in frames.items()}


def _completeness(frames) -> dict[str, str]:
    from unsc.validate.rules import completeness

    return dict(zip(frames["drafts"]["draft_id"], completeness(frames)))


def find_losses(old: dict, new: dict, max_shrink: float = MAX_SHRINK) -> list[Loss]:
    """Losses from the base tables *old* to the head tables *new* (each {table: DataFrame})."""
    losses = []
    for name, df in old.items():
        n_old = len(df)
        if name not in new:
            losses.append(Loss(name, "*", f"table removed ({n_old} rows)"))
            continue
        n_new = len(new[name])
        if n_old and (n_old - n_new) / n_old > max_shrink:
            losses.append(Loss(name, "*", f"shrank from {n_old} to {n_new} rows (−{(n_old - n_new) / n_old:.1%}, more than {max_shrink:.0%})"))
    if {"drafts", "votes", "memberships"} <= set(old) and {"drafts", "votes", "memberships"} <= set(new):
        before, after = _completeness(old), _completeness(new)
        renamed = _signatures(new, {d for d, st in after.items() if st == "complete" and d not in before})
        for draft, status in sorted(before.items()):
            if status == "complete" and after.get(draft) != "complete":
                now = after.get(draft)
                if now is None and _signatures(old, {draft}).get(draft) in set(renamed.values()):
                    continue  # the same complete vote under a new id (a dated id given its meeting record): not a loss
                losses.append(Loss("votes", draft, "per-member votes were complete, now " + (f"{now}" if now else "the draft is gone")))
    return losses


def _signatures(frames, drafts: set[str]) -> dict[str, tuple]:
    """Per draft: (date, every member's vote) — what identifies a vote whatever the draft's id."""
    if not drafts:
        return {}
    d = frames["drafts"]
    dates = dict(zip(d["draft_id"], d["decision_date"].astype("string")))
    v = frames["votes"][frames["votes"]["draft_id"].isin(drafts)]
    out: dict[str, list] = {x: [] for x in drafts}
    for draft, state, vote in zip(v["draft_id"], v["state_id"], v["vote"].astype("string")):
        out[draft].append((state, vote))
    return {x: (dates.get(x), tuple(sorted(pairs))) for x, pairs in out.items()}


def apply_declarations(losses: list[Loss], declared: dict[tuple[str, str], str], labels: set[str] = frozenset()) -> list[Loss]:
    out = []
    for loss in losses:
        reason = declared.get((loss.table, loss.key)) or declared.get((loss.table, "*"))
        if reason is None and LOSS_LABEL in labels:
            reason = f"pull request labelled `{LOSS_LABEL}` (the reason is in its description)"
        out.append(loss.declare(reason) if reason else loss)
    return out


# --------------------------------------------------------------------------- report


def _delta(a, b) -> str:
    if a == b:
        return f"{b}"
    return f"{a} → **{b}** ({b - a:+d})"


def coverage_markdown(old_cov: dict, new_cov: dict) -> str:
    """The coverage of the base and of the head side by side: totals, then complete / partial / none per period."""
    lines = ["### Coverage change", "", "| | base | head |", "|---|---:|---:|"]
    for k in ("meetings", "drafts", "votes"):
        lines.append(f"| {k} | {old_cov.get(k)} | {_delta(old_cov.get(k, 0), new_cov.get(k, 0))} |")
    pos_old, pos_new = old_cov.get("positions", {}), new_cov.get("positions", {})
    if pos_old or pos_new:
        lines.append(f"| drafts in scope with every permanent member's position | {pos_old.get('every_permanent_member')} | "
                     f"{_delta(pos_old.get('every_permanent_member', 0), pos_new.get('every_permanent_member', 0))} |")
    lines += ["", "| period | complete | partial | none |", "|---|---:|---:|---:|"]
    periods = [("overall", old_cov.get("overall"), new_cov.get("overall"))]
    decades = list(dict.fromkeys([*old_cov.get("by_decade", {}), *new_cov.get("by_decade", {})]))
    periods += [(f"{d}s", old_cov.get("by_decade", {}).get(d), new_cov.get("by_decade", {}).get(d)) for d in sorted(decades)]
    periods.append(("since 1 July 2022", old_cov.get("since_july_2022"), new_cov.get("since_july_2022")))
    zero = {"complete": 0, "partial": 0, "none": 0}
    for name, a, b in periods:
        a, b = a or zero, b or zero
        if name != "overall" and all(a.get(k) == b.get(k) for k in zero):
            continue  # unchanged periods are left out
        lines.append(f"| {name} | " + " | ".join(_delta(a.get(k, 0), b.get(k, 0)) for k in zero) + " |")
    return "\n".join(lines) + "\n"


def losses_markdown(losses: list[Loss]) -> str:
    if not losses:
        return "### Coverage losses\n\nNone: no complete vote became partial and no table shrank sharply.\n"
    bad = [x for x in losses if not x.declared]
    lines = ["### Coverage losses", ""]
    if bad:
        lines += [f"**{len(bad)} undeclared loss(es): this check fails.** If the loss is intended, add a row "
                  f"`table,key,reason` for each to `{DECLARATIONS}` (key `*` for a table's shrink), or label the pull "
                  f"request `{LOSS_LABEL}` and explain in its description. See CONTRIBUTING.md, \"Losing coverage on purpose\".", ""]
    lines += ["| table | key | loss | declared |", "|---|---|---|---|"]
    for x in losses:
        lines.append(f"| `{x.table}` | `{x.key}` | {x.what} | {x.declared.replace('|', '/') if x.declared else '**no**'} |")
    return "\n".join(lines) + "\n"


def guard(base: str, head: str, repo: Path | None = None, max_shrink: float = MAX_SHRINK,
          labels: set[str] | None = None) -> tuple[list[Loss], str]:
    """(losses with their declarations, Markdown report) between BASE and HEAD (folders, release zips or git refs)."""
    from unsc.publish.coverage import compute
    from unsc.publish.release import open_package

    labels = labels_from_env() if labels is None else labels
    declared = new_declarations(base, head, repo)
    with open_package(base, repo) as a, open_package(head, repo) as b:
        _, old = _frames(a)
        contract, new = _frames(b)
        old = under_current_names(contract, old)
        losses = apply_declarations(find_losses(old, new, max_shrink), declared, labels)
        report = coverage_markdown(compute(old), compute(new)) + "\n" + losses_markdown(losses)
    return losses, report
