"""`unsc new vote|fix` and `unsc add`: the contributor's commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from unsc.contract import find_root


@click.group()
def new():
    """Scaffold a contribution folder from a template shipped with the toolkit."""


@new.command("vote")
@click.option("--date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Date of the vote (YYYY-MM-DD).")
@click.option("--meeting", required=True, help="Meeting record, S/PV.nnnn.")
@click.option("--draft", required=True, help="Symbol of the draft voted on, S/yyyy/nnn.")
@click.option("--out", type=click.Path(file_okay=False), help="Folder to create; must not exist (default: contributions/<draft>).")
@click.option("--root", type=click.Path(exists=True, file_okay=False))
def new_vote(date, meeting, draft, out, root):
    """A folder for one vote, prefilled with the members sitting that day."""
    from unsc.contrib import new_vote as run

    root = find_root(root)
    # ids are checked against the schema and the folder must not exist: nothing is overwritten (unsc.errors reports why)
    path = run(root, date.date().isoformat(), meeting, draft, Path(out) if out else None)
    click.echo(f"created {path}: fill its CSV files (see README.md there), then run `unsc add {path}`")


@new.command("fix")
@click.option("--table", required=True, type=click.Choice(["sources", "states", "memberships", "meetings", "drafts", "votes", "sponsors", "positions", "position_gaps"]))
@click.option("--key", "keys", required=True, multiple=True, help="Primary key of a row to correct; compound keys joined by | (repeatable).")
@click.option("--reason", required=True, help="Why the record is wrong.")
@click.option("--source", "source_id", required=True, help="source_id of the record showing the right value.")
@click.option("--out", type=click.Path(file_okay=False))
@click.option("--root", type=click.Path(exists=True, file_okay=False))
def new_fix(table, keys, reason, source_id, out, root):
    """A folder holding the rows to correct, with the reason and source required."""
    from unsc.contrib import new_fix as run

    root = find_root(root)
    path = run(root, table, list(keys), reason, source_id, Path(out) if out else None)
    click.echo(f"created {path}: edit the rows, then run `unsc add {path}`")


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--root", type=click.Path(exists=True, file_okay=False))
def add(folder, root):
    """Check a contribution, keep it in curation/, rebuild data/ and validate it (all or nothing)."""
    from unsc.contrib import add as run

    written, problems, notes = run(find_root(root), Path(folder))
    for p in problems:
        click.echo(p.line())
    if problems:
        click.echo(f"nothing changed: {len(problems)} problem(s) to fix in {folder}", err=True)
        sys.exit(1)
    for n in notes:
        click.echo(n)
    click.echo("wrote " + (", ".join(written) if written else "nothing (the record already has these rows)"))
