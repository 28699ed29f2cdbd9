"""The `unsc` command. Exit codes: 0 success/valid, 1 invalid data, 2 usage or input error, 70 a bug (see unsc.errors)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from unsc.contract import find_root
from unsc.validate.lean import lean_for

lean_for(sys.argv)  # before anything loads pandas: see unsc.validate.lean


def _root(path, recover: bool = True) -> Path:
    try:
        root = find_root(path)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from e
    if recover:
        _recover(root)
    return root


def _recover(root: Path, strict: bool = True):
    """Finish or undo a write an earlier command left unfinished; say what was done on stderr."""
    from unsc.contract import canonical
    from unsc.errors import UnfinishedWrite

    rec = canonical.recover(root)
    if rec.completed:
        click.echo(f"note: finished an interrupted write of {', '.join(rec.completed)}", err=True)
    if rec.removed:
        click.echo(f"note: removed {len(rec.removed)} temporary file(s) of a write that was interrupted before it changed anything", err=True)
    if rec.problems and strict:
        raise UnfinishedWrite("an interrupted write cannot be finished: " + "; ".join(rec.problems), canonical.JOURNAL, None, canonical.RECOVER_HINT)
    return rec


class _Entry(click.Group):
    """The entry point: every failure becomes one line naming the file and what to do (see unsc.errors)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from unsc import errors

        argv = list(sys.argv[1:] if args is None else args)
        as_json = any(a == "--format=json" for a in argv) or any(a == "--format" and b == "json" for a, b in zip(argv, argv[1:]))

        def fail(code: int, info: dict):
            if as_json:
                import json

                click.echo(json.dumps({"valid": False, "error": info, "exit_code": code}, indent=2))
            click.echo(errors.message_line(info), err=True)
            sys.exit(code)

        try:
            rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except SystemExit:
            raise
        except (click.exceptions.Abort, KeyboardInterrupt, EOFError):
            fail(130, {"file": None, "row": None, "message": "interrupted; an unfinished write is finished or undone by the next command", "hint": ""})
        except BrokenPipeError:  # `unsc diff | head`: the reader left; say nothing more
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except click.ClickException as e:
            if as_json:
                fail(e.exit_code, {"file": None, "row": None, "message": e.format_message(), "hint": "see --help"})
            e.show()
            sys.exit(e.exit_code)
        except Exception as e:  # noqa: BLE001 - the one place every failure is turned into a message
            code, info = errors.describe(e)
            if errors.debug():
                click.echo(errors.format_traceback(e), err=True)
            fail(code, info)
        sys.exit(rv if isinstance(rv, int) else 0)


def _check_environment():
    import os
    import re

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and (not re.fullmatch(r"^[0-9]{1,11}$", epoch) or int(epoch) > 253402300799):
        raise click.UsageError(f"SOURCE_DATE_EPOCH is {epoch!r}: it must be a whole number of seconds since 1970-01-01 UTC "
                               "(e.g. `git log -1 --format=%ct`), or unset it")


@click.group(cls=_Entry, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="unsc-record")
@click.pass_context
def main(ctx):
    """UNSC Record: validate, import, release and publish the Security Council record."""
    _check_environment()
    try:
        root = find_root()
    except FileNotFoundError:
        return
    _recover(root, strict=ctx.invoked_subcommand != "validate")  # validate reports it in its own format


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
    from unsc.contract import canonical
    from unsc.errors import ContractError, UnfinishedWrite
    from unsc.validate.report import Issue, as_json, as_text

    root = _root(path, recover=False)
    rec = _recover(root, strict=False)
    if rec.problems:
        issues = [Issue(canonical.JOURNAL, None, None, "write.unfinished", "an interrupted write cannot be finished: " + "; ".join(rec.problems), canonical.RECOVER_HINT, "write")]
    else:
        try:
            sys.exit(run_validate(root, fmt, report_dir, changed, quiet, with_frictionless))
        except (ContractError, UnfinishedWrite) as e:
            issues = [Issue(e.file or "datapackage.json", e.row, None, "package.schema", e.message, e.hint, "contract")]
    click.echo((as_json if fmt == "json" else as_text)(issues, ["datapackage.json"]), nl=False)
    sys.exit(1)


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
    if written:
        click.echo("note: data/ is generated; rows an importer writes from outside sources/ and curation/ last until the next `unsc build`")


@main.group(name="import")
def import_():
    """Run one importer against data/ (for inspection; `unsc build` is how data/ is made)."""


_dry = click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
_root_opt = click.option("--root", type=click.Path(exists=True, file_okay=False), help="The package (default: found from the current folder).")


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


@main.command()
@click.option("--sources", type=click.Path(exists=True, file_okay=False), help="The raw sources (default: sources/ in the package).")
@_root_opt
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name the tables and rows that differ if data/ is not what the inputs give.")
@click.option("--no-validate", is_flag=True, help="Skip the validation of the result (it still runs in `unsc validate`).")
def build(sources, root, check, no_validate):
    """Rebuild data/ from sources/ and curation/ alone (byte for byte), then validate it."""
    from unsc.build.write import build_and_write

    sys.exit(build_and_write(_root(root), sources, check=check, validate=not no_validate, echo=click.echo))


def _register_optional_commands():
    """Commands that live in their own modules (release, diff, site, new/add)."""
    import importlib

    for module, names in (("unsc.publish.release_cli", ("release", "diff")), ("unsc.publish.site_cli", ("site",)), ("unsc.contrib.cli", ("new", "add")),
                          ("unsc.publish.coverage", ("coverage",)), ("unsc.harvest.cli", ("harvest", "crosscheck"))):
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
