"""The `unsc` command. Exit codes: 0 success/valid, 1 invalid data, 2 usage error."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from unsc.contract import find_root
from unsc.validate.lean import lean_for

lean_for(sys.argv)  # before anything loads pandas: see unsc.validate.lean


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
@click.option("--changed", is_flag=True, help="Check only the files git says changed (vs HEAD, and untracked) and the tables they reference.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or phase times on stderr.")
@click.option("--frictionless", "with_frictionless", is_flag=True, help="Also run bare Frictionless over every row (slow; the schema layer already reports what it finds).")
def validate(path, fmt, report_dir, changed, quiet, with_frictionless):
    """Validate the package at PATH (default: the repository root): every layer, one report."""
    from unsc.validate.cli import run_validate

    sys.exit(run_validate(_root(path), fmt, report_dir, changed, quiet, with_frictionless))


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--check", is_flag=True, help="Only report which files would change; exit 1 if any.")
def fmt(path, check):
    """Rewrite every CSV in canonical form (UTF-8, LF, schema column order, sorted by primary key)."""
    from unsc.build.fmt import format_package
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


def _finish(ws, result, notes, dry_run: bool):
    for n in notes:
        click.echo(f"note: {n}")
    for c in result.conflicts:
        click.echo(f"conflict: {c.line()}")
    click.echo(f"added {sum(result.added.values())} row(s) {dict(sorted(result.added.items()))}; updated {sum(result.updated.values())}; conflicts {len(result.conflicts)}")
    if dry_run:
        click.echo("dry run: nothing written")
        return
    written, problems = ws.commit(importing=True)
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


@import_.command("clear")
@_root_opt
def import_clear(root):
    """Empty every table to its header, so the importers that follow rebuild the record from the sources and curation alone."""
    from unsc.contract.canonical import atomic_write_many, render
    from unsc.contract import load_contract

    contract = load_contract(_root(root))
    atomic_write_many({contract.root / t.path: render(t, []) for t in contract.tables.values()})
    click.echo(f"emptied {len(contract.tables)} tables")


def _importer(name: str, folder: bool = False, *options):
    """Declare `unsc import NAME PATH`: the body maps (workspace, path, options) to (result, notes)."""

    def wrap(body):
        def command(path, root, dry_run, **opts):
            from unsc.build.workspace import Workspace

            ws = Workspace(_root(root))
            result, notes = body(ws, path, dry_run=dry_run, **opts)
            _finish(ws, result, notes, dry_run)

        command.__doc__ = body.__doc__
        for option in reversed((click.argument("path", type=click.Path(exists=True, file_okay=not folder, dir_okay=folder)), *options, _root_opt, _dry)):
            command = option(command)
        return import_.command(name)(command)

    return wrap


@_importer("states")
def import_states(ws, path, dry_run):
    """States from the datasets/country-codes CSV at PATH, plus dissolved states."""
    from unsc.build.importers.run import import_states as run

    return run(ws, path)


@_importer("membership", False, click.option("--overrides", type=click.Path(exists=True, dir_okay=False), help="Curated corrections (default: curation/membership_overrides.csv)."))
def import_membership(ws, path, dry_run, overrides):
    """Council terms from the DPPA yearly membership CSV at PATH, with curated real dates."""
    from unsc.build.importers.run import import_membership as run

    return run(ws, path, Path(overrides or ws.root / "curation" / "membership_overrides.csv"))


@_importer("dhl", True, click.option("--wpd", type=click.Path(exists=True, dir_okay=False), help="The World Politics Data Lab veto CSV, to cross-check vetoes."))
def import_dhl(ws, path, dry_run, wpd):
    """Meetings and drafts from the library's yearly tables in folder PATH."""
    from unsc.build.importers.run import import_dhl as run

    return run(ws, path, overrides=ws.root / "curation" / "dhl_overrides.csv", wpd=wpd)


@_importer("curated", True, click.option("--notes", "notes_path", type=click.Path(dir_okay=False), help="Also write the list of votes left partial to this Markdown file."))
def import_curated(ws, path, dry_run, notes_path):
    """Votes curated from UN press releases, in the interchange CSVs of folder PATH."""
    from unsc.build.importers.run import import_curated as run

    result, notes = run(ws, path)
    if notes_path and not dry_run:
        from unsc.contract.canonical import atomic_write

        body = "\n".join(f"- {n}" for n in notes)
        atomic_write(Path(notes_path), f"# Votes left partial or left out by the curated import\n\nGenerated by `unsc import curated`; each line names the curation file and row.\n\n{body}\n")
    return result, notes


@_importer("undl")
def import_undl(ws, path, dry_run):
    """Per-member votes of adopted resolutions from a UN Digital Library voting export at PATH."""
    from unsc.build.importers.run import import_undl as run

    return run(ws, path)


@_importer("positions", True)
def import_positions(ws, path, dry_run):
    """Explanations of vote (summaries in our own words) and the reasons some are missing, from folder PATH (positions.csv, gaps.csv)."""
    from unsc.build.importers.run import import_positions as run

    return run(ws, path)


def _register_optional_commands():
    """Commands that live in their own modules (release, diff, site, new/add)."""
    import importlib

    for module, names in (("unsc.publish.release_cli", ("release", "diff")), ("unsc.publish.site_cli", ("site",)), ("unsc.contrib.cli", ("new", "add")),
                          ("unsc.publish.coverage", ("coverage",))):
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
