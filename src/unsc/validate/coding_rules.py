"""Rules on the analysis coding: every draft and meeting has its situation.

Kept out of the Table Schema's `required` because a single importer adds drafts before `unsc build`
codes them (`blocks_import=False`, like `gap.listed`); `unsc validate`, `unsc build` and `unsc add` enforce it.
"""
from __future__ import annotations

from unsc.validate.rules import rule

HINT = ("map the meeting's agenda string in curation/situation_agenda.csv, or decide the draft in "
        "curation/situation_drafts.csv (docs/situations.md), then run `unsc build`")


@rule("situation.coded", "drafts", "Every draft and every meeting is coded with a situation.", HINT, blocks_import=False)
def situation_coded(t):
    for table, key in (("drafts", "draft_id"), ("meetings", "meeting_id")):
        df = t[table]
        if "situation_id" not in df.columns:
            return
        for idx in df.index[df["situation_id"].isna()]:
            yield table, idx, "situation_id", f"{df.at[idx, key]} has no situation", df.at[idx, key]
