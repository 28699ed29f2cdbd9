"""`unsc release build|bump` and `unsc diff`: thin click wrappers over :mod:`unsc.publish.release`.

Kept apart from cli.py so that the release machinery (pyarrow, datacompy) loads only when used;
cli.py registers `release` and `diff` from here.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from unsc.contract import find_root

_root_opt = click.option("--root", type=click.Path(exists=True, file_okay=False), help="The package (default: found from the current folder).")


def _root(path) -> Path:
    try:
        return find_root(path)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from e


@click.group()
def release():
    """Build a reproducible release, bump the data version, or guard a change against losing coverage."""


@release.command()
@_root_opt
@click.option("--out", type=click.Path(file_okay=False), help="Where to write the release (default: dist/ under the package).")
def build(root, out):
    """Validate, then write dist/unsc-record-X.Y.Z/, its zip and dist/SHA256SUMS (byte-reproducible).

    The zip has datapackage.json at its root and every file's size and SHA-256 in it; BUILD-INFO records the
    commit. Set UNSC_RELEASE_DOI to stamp a DOI (see RELEASING.md).
    """
    from unsc.publish.release import ReleaseError, build as run, git_state

    root = _root(root)
    try:
        zip_path = run(root, Path(out) if out else root / "dist")
    except ReleaseError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    click.echo(f"wrote {zip_path.with_suffix('')}/, {zip_path} and {zip_path.parent / 'SHA256SUMS'}")
    if git_state(root)["dirty"]:
        click.echo("note: built from a tree with uncommitted changes (recorded in BUILD-INFO); "
                   "commit them before building a release to publish", err=True)


@release.command()
@click.argument("part", type=click.Choice(["major", "minor", "patch"]))
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Release date (default: today).")
@_root_opt
def bump(part, day, root):
    """Bump the version in datapackage.json, CITATION.cff and CHANGELOG.md together."""
    from unsc.publish.release import ReleaseError, bump as run

    try:
        new = run(_root(root), part, day.date() if day else date.today())
    except ReleaseError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    click.echo(f"version {new}: datapackage.json, CITATION.cff and CHANGELOG.md updated")


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--limit", type=int, default=50, show_default=True, help="Rows listed per section in markdown.")
@_root_opt
def diff(old, new, fmt, limit, root):
    """Rows added, removed and changed between OLD and NEW (each a release folder, release zip or git ref)."""
    from unsc.publish.release import ReleaseError, diff as run, diff_json, diff_markdown

    try:
        repo = find_root(root)
    except FileNotFoundError:
        repo = Path(root or ".")
    try:
        result = run(old, new, repo)
    except ReleaseError as e:
        raise click.UsageError(str(e)) from e
    click.echo(diff_json(result) if fmt == "json" else diff_markdown(result, limit), nl=False)


@release.command()
@click.argument("base")
@click.argument("head", default=".")
@click.option("--max-shrink", type=click.FloatRange(0, 1), default=0.05, show_default=True,
              help="A table losing more than this share of its rows is a loss.")
@click.option("--labels", default=None, help="Pull-request labels, comma-separated (default: $UNSC_PR_LABELS).")
@_root_opt
def guard(base, head, max_shrink, labels, root):
    """Fail if HEAD loses coverage against BASE without declaring it; print the coverage change as Markdown.

    BASE and HEAD are each a folder, a release zip or a git ref. A loss is a draft whose per-member votes
    were complete and no longer are, or a table shrinking by more than --max-shrink. Declare one in
    curation/declared_losses.csv (table,key,reason) or with the pull-request label `declared-loss`.
    Exit 0: no undeclared loss; 1: undeclared losses; 2: a version cannot be read.
    """
    from unsc.publish.guard import GuardError, guard as run
    from unsc.publish.release import ReleaseError

    try:
        repo = find_root(root)
    except FileNotFoundError:
        repo = Path(root or ".")
    label_set = None if labels is None else {x.strip() for x in labels.split(",") if x.strip()}
    try:
        losses, report = run(base, head, repo, max_shrink, label_set)
    except (ReleaseError, GuardError) as e:
        raise click.UsageError(str(e)) from e
    click.echo(report, nl=False)
    sys.exit(1 if any(not x.declared for x in losses) else 0)
