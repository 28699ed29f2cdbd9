"""The `unsc` command. Exit codes: 0 success/valid, 1 invalid data, 2 usage error."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from unsc.contract import find_root


def _root(path) -> Path:
    try:
        return find_root(path)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from e


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="unsc-record")
def main():
    """UNSC Record: validate, import, release and publish the Security Council record."""


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--report", "report_dir", type=click.Path(file_okay=False), help="Also run the great-expectations suite and write Data Docs HTML here.")
def validate(path, fmt, report_dir):
    """Validate the package at PATH (default: the repository root): every layer, one report."""
    from unsc.report import as_json, as_text
    from unsc.validate import validate as run

    root = _root(path)
    issues = run(root, report_dir=report_dir)
    from unsc.contract import load_contract

    checked = ["datapackage.json"] + [t.path for t in load_contract(root).tables.values()]
    click.echo((as_json if fmt == "json" else as_text)(issues, checked), nl=False)
    sys.exit(1 if issues else 0)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--check", is_flag=True, help="Only report which files would change; exit 1 if any.")
def fmt(path, check):
    """Rewrite every CSV in canonical form (UTF-8, LF, schema column order, sorted by primary key)."""
    from unsc.fmt import format_package
    from unsc.validate import canonical_layer
    from unsc.contract import load_contract

    root = _root(path)
    if check:
        issues = canonical_layer(load_contract(root))
        for i in issues:
            click.echo(i.line())
        sys.exit(1 if issues else 0)
    try:
        changed = format_package(root)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    for c in changed:
        click.echo(f"formatted {c}")
    if not changed:
        click.echo("all files already canonical")


def run():  # pragma: no cover - console entry point alias
    main()


def _finish(ws, result, notes, dry_run: bool):
    for n in notes:
        click.echo(f"note: {n}")
    for c in result.conflicts:
        click.echo(f"conflict: {c.line()}")
    click.echo(f"added {sum(result.added.values())} row(s) {dict(sorted(result.added.items()))}; updated {sum(result.updated.values())}; conflicts {len(result.conflicts)}")
    if dry_run:
        click.echo("dry run: nothing written")
        return
    written, problems = ws.commit()
    if problems:
        for p in problems:
            click.echo(p.line(), err=True)
        click.echo(f"nothing written: the import would add {len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("wrote " + (", ".join(written) if written else "nothing (no change)"))


@main.group(name="import")
def import_():
    """Import raw sources into the record (idempotent; curated rows always win)."""


_dry = click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
_root_opt = click.option("--root", type=click.Path(exists=True, file_okay=False), help="The package (default: found from the current folder).")


@import_.command("states")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_root_opt
@_dry
def import_states(path, root, dry_run):
    """States from the datasets/country-codes CSV at PATH, plus dissolved states."""
    from unsc.importers.run import import_states as run
    from unsc.workspace import Workspace

    ws = Workspace(_root(root))
    _finish(ws, *run(ws, path), dry_run)


@import_.command("membership")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--overrides", type=click.Path(exists=True, dir_okay=False), help="Curated corrections (default: curation/membership_overrides.csv).")
@_root_opt
@_dry
def import_membership(path, overrides, root, dry_run):
    """Council terms from the DPPA yearly membership CSV at PATH, with curated real dates."""
    from unsc.importers.run import import_membership as run
    from unsc.workspace import Workspace

    ws = Workspace(_root(root))
    _finish(ws, *run(ws, path, Path(overrides or ws.root / "curation" / "membership_overrides.csv")), dry_run)


@import_.command("dhl")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--wpd", type=click.Path(exists=True, dir_okay=False), help="The World Politics Data Lab veto CSV, to cross-check vetoes.")
@_root_opt
@_dry
def import_dhl(path, wpd, root, dry_run):
    """Meetings and drafts from the library's yearly tables in folder PATH."""
    from unsc.importers.run import import_dhl as run
    from unsc.workspace import Workspace

    ws = Workspace(_root(root))
    _finish(ws, *run(ws, path, overrides=ws.root / "curation" / "dhl_overrides.csv", wpd=wpd), dry_run)


@import_.command("curated")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--notes", "notes_path", type=click.Path(dir_okay=False), help="Also write the list of votes left partial to this Markdown file.")
@_root_opt
@_dry
def import_curated(path, notes_path, root, dry_run):
    """Votes curated from UN press releases, in the interchange CSVs of folder PATH."""
    from unsc.importers.run import import_curated as run
    from unsc.workspace import Workspace

    ws = Workspace(_root(root))
    result, notes = run(ws, path)
    if notes_path and not dry_run:
        from unsc.canonical import atomic_write

        body = "\n".join(f"- {n}" for n in notes)
        atomic_write(Path(notes_path), f"# Votes left partial or left out by the curated import\n\nGenerated by `unsc import curated`; each line names the curation file and row.\n\n{body}\n")
    _finish(ws, result, notes, dry_run)


@import_.command("undl")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_root_opt
@_dry
def import_undl(path, root, dry_run):
    """Per-member votes of adopted resolutions from a UN Digital Library voting export at PATH."""
    from unsc.importers.run import import_undl as run
    from unsc.workspace import Workspace

    ws = Workspace(_root(root))
    _finish(ws, *run(ws, path), dry_run)


@import_.command("positions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_root_opt
@_dry
def import_positions(path, root, dry_run):
    """Explanations of vote (summaries in our own words) from a curated positions CSV at PATH."""
    from unsc.importers.run import import_positions as run
    from unsc.workspace import Workspace

    ws = Workspace(_root(root))
    _finish(ws, *run(ws, path), dry_run)


def _register_optional_commands():
    """Commands that live in their own modules (release, diff, site, new/add)."""
    import importlib

    for module, names in (("unsc.release_cli", ("release", "diff")), ("unsc.site_cli", ("site",)), ("unsc.contrib_cli", ("new", "add")),
                          ("unsc.coverage", ("coverage",))):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        for name in names:
            if hasattr(mod, name):
                main.add_command(getattr(mod, name))


_register_optional_commands()
