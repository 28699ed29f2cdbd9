"""The site's charts: static SVG drawn by matplotlib at build time, accessible and reproducible.

Every chart is narrow (4.6 in, about 440 px, so that it scales down to a 390 px phone screen with its text
still legible), uses small multiples rather than stacked colours, and carries a `<title>` and a `<desc>`
(with `role="img"` and `aria-labelledby`) that say in words what it shows. `svg.hashsalt` is fixed and the date
metadata dropped, so the same data gives the same bytes.
"""
from __future__ import annotations

import io
from html import escape

import pandas as pd

WIDTH = 4.6
RC = {"svg.hashsalt": "unsc", "svg.fonttype": "none", "font.size": 11, "axes.titlesize": 11,
      "axes.labelsize": 10, "xtick.labelsize": 10, "ytick.labelsize": 10, "legend.fontsize": 10,
      "font.family": "DejaVu Sans"}
INK = "#3949ab"
SEAT_COLOUR = {"USA": "#1f4e99", "GBR": "#6a3d9a", "FRA": "#00796b", "RUS": "#b71c1c", "CHN": "#8d4e00"}
STATUS_COLOUR = {"complete": "#2e7d32", "partial": "#f9a825", "none": "#9e9e9e"}


def _figure(rows: int = 1, height_per_row: float = 1.0, extra: float = 0.8, sharex: bool = True):
    import matplotlib

    matplotlib.rcParams.update(RC)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, rows * height_per_row + extra), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.04, hspace=0.06)
    axes = fig.subplots(rows, 1, sharex=sharex, squeeze=False)[:, 0]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes


def to_svg(fig, title: str, desc: str) -> str:
    """The figure as SVG text, with an accessible name and description, byte-reproducible."""
    import matplotlib

    with matplotlib.rc_context(RC):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = buf.getvalue()
    head = f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>'
    return _insert(svg, head)


def _insert(svg: str, head: str) -> str:
    start = svg.index("<svg ")
    end = svg.index(">", start)
    tag = svg[start:end].replace("<svg ", '<svg role="img" aria-labelledby="chart-title chart-desc" ', 1)
    return svg[:start] + tag + ">\n " + head + svg[end + 1:]


def _years_axis(ax, years):
    lo, hi = int(min(years)), int(max(years))
    ax.set_xlim(lo - 1, hi + 1)


def vetoes_chart(per_year: pd.DataFrame, labels: dict[str, str]) -> str:
    """Small multiples: one row per permanent seat, vetoes cast per year. *per_year*: index year, one column per seat."""
    seats = list(per_year.columns)
    fig, axes = _figure(len(seats), 1.0)
    top = max(1, int(per_year.values.max()))
    for ax, seat in zip(axes, seats):
        ax.bar(per_year.index, per_year[seat], color=SEAT_COLOUR.get(seat, INK), width=0.9)
        ax.set_ylim(0, top)
        ax.set_yticks([0, top])
        ax.set_title(f"{labels.get(seat, seat)}: {int(per_year[seat].sum())}", loc="left", pad=2)
    _years_axis(axes[-1], per_year.index)
    fig.supylabel("vetoes cast per year", fontsize=10)
    peaks = ", ".join(f"{labels.get(s, s)} {int(per_year[s].sum())} (most in {int(per_year[s].idxmax())})"
                      for s in seats if per_year[s].sum())
    return to_svg(fig, "Vetoes cast by each permanent member, per year",
                  f"One panel per permanent seat, years {int(per_year.index.min())} to {int(per_year.index.max())}. Totals: {peaks}.")


def agreement_chart(shares: pd.DataFrame) -> str:
    """Small multiples: one row per pair of permanent seats, the share of drafts both voted the same way, per year.
    *shares*: index year, one column per pair label, values 0–1 (NaN where the pair shared no vote)."""
    pairs = list(shares.columns)
    fig, axes = _figure(len(pairs), 0.95)
    low = float(shares.min().min()) if shares.notna().any().any() else 0.0
    floor = min(50, int(low * 10) * 10)  # the axis starts at 50% unless a share falls below it
    for ax, pair in zip(axes, pairs):
        s = shares[pair]  # a missing year breaks the line rather than bridging it
        ax.plot(s.index, s.values * 100, color=INK, linewidth=1.4, marker="o", markersize=2)
        ax.fill_between(s.index, floor, s.values * 100, where=s.notna().values, color=INK, alpha=0.15, linewidth=0)
        ax.set_ylim(floor, 100)
        ax.set_yticks([floor, 100])
        ax.set_title(f"{pair}: {100 * s.mean():.0f}% on average" if s.notna().any() else pair, loc="left", pad=2)
    _years_axis(axes[-1], shares.index)
    fig.supylabel("% of drafts voted alike", fontsize=10)
    desc = "; ".join(f"{p} {100 * shares[p].mean():.0f}% on average" for p in pairs if shares[p].notna().any())
    return to_svg(fig, "Agreement between the permanent members, per year",
                  "Share of the drafts on which both members of a pair cast the same vote (yes, no or abstain), one panel "
                  f"per pair, years {int(shares.index.min())} to {int(shares.index.max())}, vertical axis from {floor}% to 100%: {desc}.")


def elected_chart(per_year: pd.DataFrame) -> str:
    """Two panels: "no" votes and abstentions cast by elected members, per year. *per_year*: index year, columns no, abstain."""
    fig, axes = _figure(2, 1.3)
    for ax, (col, label, colour) in zip(axes, (("no", "No votes", "#b71c1c"), ("abstain", "Abstentions", "#f57c00"))):
        ax.bar(per_year.index, per_year[col], color=colour, width=0.9)
        ax.set_title(f"{label} by elected members: {int(per_year[col].sum())}", loc="left", pad=2)
    _years_axis(axes[-1], per_year.index)
    fig.supylabel("votes per year", fontsize=10)
    return to_svg(fig, "No votes and abstentions of elected members, per year",
                  f"Years {int(per_year.index.min())} to {int(per_year.index.max())}: {int(per_year['no'].sum())} no votes "
                  f"(most in {int(per_year['no'].idxmax())}) and {int(per_year['abstain'].sum())} abstentions "
                  f"(most in {int(per_year['abstain'].idxmax())}).")


def coverage_chart(per_year: pd.DataFrame) -> str:
    """Three panels (complete, partial, none): texts put to the vote per year, by the state of their per-member votes."""
    fig, axes = _figure(3, 1.0)
    top = max(1, int(per_year[["complete", "partial", "none"]].values.max()))
    for ax, (status, label) in zip(axes, (("complete", "Complete per-member votes"), ("partial", "Partial"), ("none", "None recorded"))):
        ax.bar(per_year.index, per_year[status], color=STATUS_COLOUR[status], width=0.9)
        ax.set_ylim(0, top)
        ax.set_title(f"{label}: {int(per_year[status].sum())}", loc="left", pad=2)
    _years_axis(axes[-1], per_year.index)
    fig.supylabel("texts put to the vote", fontsize=10)
    tot = per_year[["complete", "partial", "none"]].sum()
    return to_svg(fig, "Per-member votes recorded, by year",
                  f"Texts put to the vote per year, years {int(per_year.index.min())} to {int(per_year.index.max())}: "
                  f"{int(tot['complete'])} with complete per-member votes, {int(tot['partial'])} partial, {int(tot['none'])} with none.")
