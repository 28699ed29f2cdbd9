"""Groups of the contract's allowed values, declared once: which outcomes are adoptions, which carry no vote,
which votes dissent, which source kinds are UN records. Every module asks here instead of retyping a list.

Each group names values of one schema field (`FIELD`); `check(contract)` (run by tests/test_derive.py) proves
every value is one the schema allows, so a value renamed in the schema fails a test rather than silently
emptying a group.
"""
from __future__ import annotations

# drafts.outcome
ADOPTED = ("adopted", "adopted_without_vote")  # a resolution or decision exists
NO_VOTE = ("adopted_without_vote", "not_put_to_vote", "withdrawn")  # no tally, no per-member votes
FAILED = ("vetoed", "not_adopted")  # put to the vote and not adopted
PUT_TO_VOTE = ("adopted", "vetoed", "not_adopted")  # a vote was taken: per-member votes can exist
VETOED = "vetoed"
# votes.vote, in the order a table shows them
VOTES = ("yes", "no", "abstain", "not_participating", "absent")
TALLY = ("yes", "no", "abstain", "not_participating")  # the announced counts, drafts' columns of the same names
DISSENT = ("no", "abstain")  # a member voting so is expected to explain its vote
# sources.source_kind
UN_RECORDS = ("press_release", "meeting_record", "un_document")
FULL_RECORD = ("press_release", "meeting_record")  # list every speaker: the evidence for did_not_speak
CURATED_SOURCE_KINDS = ("press_release", "meeting_record", "un_document", "member_statement", "secondary")
# memberships.seat
PERMANENT = "permanent"
ELECTED = "elected"

FIELD = {
    "ADOPTED": "drafts.outcome", "NO_VOTE": "drafts.outcome", "FAILED": "drafts.outcome", "PUT_TO_VOTE": "drafts.outcome",
    "VETOED": "drafts.outcome", "VOTES": "votes.vote", "TALLY": "votes.vote", "DISSENT": "votes.vote",
    "UN_RECORDS": "sources.source_kind", "FULL_RECORD": "sources.source_kind", "CURATED_SOURCE_KINDS": "sources.source_kind",
    "PERMANENT": "memberships.seat", "ELECTED": "memberships.seat",
}


def check(contract) -> list[str]:
    """Every group value the schema does not allow, as 'GROUP: value not in table.field'."""
    out = []
    for name, where in FIELD.items():
        table, field = where.split(".")
        allowed = set(contract.table(table).field(field).enum or ())
        values = globals()[name]
        for v in (values,) if isinstance(values, str) else values:
            if v not in allowed:
                out.append(f"{name}: {v!r} not in {where}")
    return out
