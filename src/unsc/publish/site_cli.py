"""`unsc site build`: the public site, generated from the package (registered by `unsc.cli`)."""
from __future__ import annotations

import click


@click.group()
def site():
    """Build the public site (codebook, coverage, vetoes, the record year by year)."""


@site.command("build")
@click.option("--root", type=click.Path(exists=True, file_okay=False), help="The package (default: found from the current folder).")
@click.option("--out", default="site", show_default=True, type=click.Path(file_okay=False), help="Where to write the HTML site.")
@click.option("--docs", "docs", type=click.Path(file_okay=False), help="Where to write the generated Markdown (default: ROOT/build/docs).")
@click.option("--no-check", is_flag=True, help="Skip the scan for resources loaded from other hosts.")
def build(root, out, docs, no_check):
    """Generate the Markdown pages and run `mkdocs build --strict` into OUT."""
    from unsc.cli import _root
    from unsc.publish.site import build_site

    try:
        result = build_site(_root(root), out, docs=docs, check=not no_check)
    except (RuntimeError, ValueError) as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"built {result.pages} page(s) into {result.site} "
               f"(pages {result.seconds_generate:.1f}s, mkdocs {result.seconds_mkdocs:.1f}s; Markdown in {result.docs})")
