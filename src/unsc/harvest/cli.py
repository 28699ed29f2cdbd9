"""`unsc harvest` (fetch, parse, review) and `unsc crosscheck` (compare with an outside copy)."""
from __future__ import annotations

import sys
from pathlib import Path

import click


def _root(path):
    from unsc.contract import find_root

    try:
        return find_root(path)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from e


_root_opt = click.option("--root", type=click.Path(exists=True, file_okay=False), help="The package (default: found from the current folder).")


@click.group(invoke_without_command=True)
@click.option("--offline", is_flag=True, help="Fetch nothing: replay the snapshots kept in sources/harvest/.")
@click.option("--since", help="Fetch what is dated after this day (YYYY-MM-DD; default: the record's last date).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), help="Where fetched files are cached (default: .cache/harvest).")
@click.option("--interval", type=float, default=2.0, show_default=True, help="Seconds between two requests to the network.")
@click.option("--no-rebuild", is_flag=True, help="Write the curation rows and the ledger, but do not run the curated import and validation.")
@_root_opt
@click.pass_context
def harvest(ctx, offline, since, cache_dir, interval, no_rebuild, root):
    """Bring the record up to date from the UN's own records (voting records, press releases).

    Every fetched file is kept under sources/harvest/ with its manifest row; the votes read from
    them go to curation/votes/harvest-YYYY.csv and through the curated import; a vote that
    disagrees with the record is reported, never written over it.
    """
    if ctx.invoked_subcommand is not None:
        return
    import re

    from unsc.harvest.fetch import FetchError, Fetcher
    from unsc.harvest.run import HarvestError, harvest as run

    if since and not re.match(r"^\d{4}-\d{2}-\d{2}$", since):
        raise click.UsageError(f"--since {since!r}: give a day as YYYY-MM-DD")
    r = _root(root)
    fetcher, bar = None, None
    if not offline:
        fetcher = Fetcher(Path(cache_dir) if cache_dir else r / ".cache" / "harvest", interval=interval)
        from tqdm import tqdm

        bar = tqdm(desc="fetching", unit="file", file=sys.stderr, disable=not sys.stderr.isatty())
    try:
        rep = run(r, offline=offline, fetcher=fetcher, since=since, rebuild=not no_rebuild, progress=bar)
    except (HarvestError, FetchError) as e:
        raise click.ClickException(f"{e}\n(nothing was written over the record; check the connection and run again: what was fetched is cached, so the run resumes. Or replay the snapshots with --offline.)") from None
    finally:
        if bar is not None:
            bar.close()
    if not offline:
        click.echo(f"fetched {rep.fetched} file(s) from the network, {rep.from_cache} from the cache")
    click.echo(f"read {len(rep.rows)} vote(s) from {rep.snapshots} snapshot(s): {rep.agree} agree with the record, "
               f"{len(rep.disagreements)} disagree or are unmatched, {len(rep.new)} new")
    for d in rep.disagreements:
        click.echo(f"disagreement: {d}")
    for n in rep.import_notes:
        click.echo(f"note: {n}")
    for p in rep.problems:
        click.echo(p, err=True)
    click.echo("wrote " + (", ".join(rep.written) if rep.written else "nothing (no change)"))
    sys.exit(1 if rep.problems else 0)


@harvest.group()
def parse():
    """Print the votes a file states, as CSV (source,date,draft,resolution,outcome,yes,no,abstain,against,abstaining)."""


def _print(kind, files, root):
    from unsc.harvest import press, undl
    from unsc.harvest.names import Names
    from unsc.harvest.rows import to_csv

    r = _root(root)
    names = Names(r / "data" / "states.csv")
    rows = []
    for f in files:
        start = len(rows)
        p = Path(f)
        data = p.read_bytes()
        if kind == "press":
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise click.ClickException(f"{f}: not UTF-8 text; save the release's text or HTML as UTF-8 and try again") from None
            rows += press.parse(text, names, source=p.stem.replace("SC-", "SC/") if p.stem.startswith("SC-") else p.name)
        else:
            try:
                rows += undl.parse(data, names, source=p.name)
            except undl.NotAVotingRecord as e:
                raise click.ClickException(f"{f}: {e}; give a MARCXML voting record (the library's 'export as MARCXML')") from None
        for row in rows[start:]:
            if row.unknown_names:
                click.echo(f"{f}: member name(s) not known: {', '.join(row.unknown_names)}; add them to src/unsc/harvest/aliases.csv", err=True)
    click.echo(to_csv(rows), nl=False)


@parse.command("press")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_root_opt
def parse_press(files, root):
    """Press releases (SC/nnnnn): the page's HTML, or its opening copied as plain text."""
    _print("press", files, root)


@parse.command("undl")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@_root_opt
def parse_undl(files, root):
    """UN Digital Library voting records in MARCXML."""
    _print("undl", files, root)


@click.group()
def crosscheck():
    """Compare the record with an outside copy of the same facts."""


@crosscheck.command("undl")
@click.argument("file", type=click.Path(dir_okay=False))
@_root_opt
def crosscheck_undl(file, root):
    """Every disagreement between the record and the library's voting export FILE; exit 1 when any."""
    from unsc.harvest.crosscheck import ExportError, compare, read_export

    r = _root(root)
    try:
        export = read_export(Path(file))
    except ExportError as e:
        raise click.ClickException(str(e)) from None
    found = compare(r, export)
    for d in found:
        click.echo(d.line())
    click.echo(f"{len(export)} resolution(s) compared; {len(found)} disagreement(s)")
    sys.exit(1 if found else 0)
