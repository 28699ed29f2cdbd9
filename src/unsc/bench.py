"""`make bench`: how much `unsc validate` costs over bare `frictionless validate`.

Measures, in one run, on (a) the package at the repository root and (b) a synthetic package ten times
its size, each on one core (`taskset -c 0`) and on two, the wall time (best of N, the two commands
alternating so that a load spike hits both) and peak resident memory of

    unsc validate PATH                      (every layer: contract, structure, schema cells and keys, rules)
    frictionless validate datapackage.json  (bare Frictionless, the baseline)
    unsc validate PATH --report DIR         (the same plus the great-expectations suite and Data Docs; 2 cores, 1 run)

and prints the ratios unsc/frictionless (targets: time <= 1.0, memory <= 2.0). It also times the
contributor loop on a scratch git copy of the real package (targets in seconds): `unsc add` of a
one-vote contribution (<= 5 s) and `unsc validate --changed` after it (<= 3 s). It only prints; no test
asserts on timings. Each command runs as one child process (unsc validate starts no other); its peak
memory is the ru_maxrss that os.wait4 returns for that child.

The 10x package
---------------
datapackage.json and schemas/ are copied unchanged. Each table's real rows are written ten times,
copy k = 0..9, with every identifier rewritten so that primary keys stay unique, foreign keys still
resolve and every domain rule still holds:

* symbols with a serial number (draft_id, amends, meeting_id, resolution, exceptions.subject) get
  the number N replaced by 10*N + k: S/2024/173 -> S/2024/173k, S/PV.9451 -> S/PV.9451k,
  S/RES/2728 (2024) -> S/RES/2728k (2024); resolution_number and meeting_number likewise. Interleaving
  the copies keeps resolution numbers in date order (copies of one resolution share its date);
* source_id gets the suffix `.k<k>` for k >= 1 (copy 0 keeps the real ids);
* states and memberships are written once: state ids are ISO codes (no room for a suffix) and ten
  copies of every term would break the Council-size rule. They are ~600 of the ~50,000 rows;
* exceptions for `council.size` (about membership periods) are written once; the others follow their
  draft. Files are written in canonical form (`unsc.contract.canonical.render`).
The script checks that the copy is valid (`unsc validate` exits 0) and says so if not.

Usage: python scripts/bench.py [--repeat N] [--scale K] [--skip-synthetic] [--skip-report]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from unsc.contract import find_root

ROOT = find_root()  # the repository the benchmark is run in (make bench runs it at the root)
BIN = Path(sys.executable).parent
UNSC = BIN / "unsc"
FRICTIONLESS = BIN / "frictionless"
TARGET = {"time": 1.0, "memory": 2.0}
LOOP_TARGET = {"add": 5.0, "changed": 3.0}  # seconds: the contributor loop (issue #21)
PACKAGE_PARTS = ("datapackage.json", "schemas", "data", "curation", "sources")
ONE_CORE = ["taskset", "-c", "0"]

_RES = re.compile(r"^(S/RES/)([0-9]+)( \([0-9]{4}\))$")
_PV = re.compile(r"^(S/PV\.)([0-9]+)(.*)$")
_DOC = re.compile(r"^(S/(?:[0-9]{4}/)?)([0-9]+)(.*)$")
_VOTE = re.compile(r"^(vote:[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z]+-)([0-9]+)()$")


def bump(symbol: str, k: int, scale: int) -> str:
    """*symbol* with its serial number N made scale*N + k (symbols without one are returned as they are)."""
    if not symbol:
        return symbol
    for rx in (_RES, _PV, _DOC, _VOTE):
        m = rx.match(symbol)
        if m:
            return f"{m.group(1)}{int(m.group(2)) * scale + k}{m.group(3)}"
    return symbol


def synthesize(src: Path, dest: Path, scale: int = 10) -> dict[str, int]:
    """Write a package *scale* times the size of the one at *src* into *dest*; return rows per table."""
    from unsc.contract import canonical
    from unsc.contract import load_contract

    contract = load_contract(src)
    shutil.copy(src / "datapackage.json", dest / "datapackage.json")
    shutil.copytree(src / "schemas", dest / "schemas")
    symbol_cols = {"draft_id", "amends", "meeting_id", "resolution", "draft_symbol"}
    number_cols = {"resolution_number", "meeting_number"}
    once = {"states", "memberships", "situations"}  # vocabularies: one copy, every copy of a draft refers to it
    counts: dict[str, int] = {}
    for t in contract.tables.values():
        _, rows = canonical.read_rows(src / t.path)
        out = []
        for k in range(1 if t.name in once else scale):
            for r in rows:
                if t.name == "exceptions" and r["rule_id"] == "council.size" and k:
                    continue
                r = dict(r)
                if t.name not in once:
                    for c in symbol_cols & r.keys():
                        r[c] = bump(r[c], k, scale)
                    for c in number_cols & r.keys():
                        if r[c]:
                            r[c] = str(int(r[c]) * scale + k)
                    if t.name == "exceptions" and r["rule_id"] != "council.size":
                        r["subject"] = bump(r["subject"], k, scale)
                if k and r.get("source_id"):
                    r["source_id"] = f"{r['source_id']}.k{k}"
                out.append(r)
        path = dest / t.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(canonical.render(t, out), encoding="utf-8")
        counts[t.name] = len(out)
    return counts


def run(cmd: list[str], cwd: Path) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MiB, exit code) of *cmd* as a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024  # KiB on Linux, bytes on macOS
    return wall, round(rss), proc.returncode


def best_pair(a: list[str], b: list[str], cwd: Path, repeat: int) -> tuple[tuple, tuple]:
    """Best time and peak memory of *a* and of *b*, run alternately *repeat* times each."""
    ra, rb = [], []
    for _ in range(repeat):
        ra.append(run(a, cwd))
        rb.append(run(b, cwd))
    pick = lambda rs: (min(r[0] for r in rs), max(r[1] for r in rs), rs[-1][2])  # noqa: E731
    return pick(ra), pick(rb)


def measure(label: str, root: Path, repeat: int, report: bool, core_sets: list[str]) -> dict:
    print(f"\n== {label}: {root}", flush=True)
    result: dict = {}
    for cores in core_sets:
        prefix = ONE_CORE if cores == "1" else []
        unsc, fl = best_pair(prefix + [str(UNSC), "validate", "--quiet", str(root)],
                             prefix + [str(FRICTIONLESS), "validate", "datapackage.json"], root, repeat)
        t_ratio, m_ratio = unsc[0] / fl[0], unsc[1] / fl[1]
        print(f"  [{cores} core{'s' if cores != '1' else ''}] unsc validate          {unsc[0]:7.2f} s  {unsc[1]:6d} MiB  exit {unsc[2]}")
        print(f"  [{cores} core{'s' if cores != '1' else ''}] frictionless validate  {fl[0]:7.2f} s  {fl[1]:6d} MiB  exit {fl[2]}")
        for what, ratio in (("time", t_ratio), ("memory", m_ratio)):
            verdict = "ok" if ratio <= TARGET[what] else f"ABOVE the {TARGET[what]} target by {ratio / TARGET[what] - 1:.0%}"
            print(f"  [{cores} core{'s' if cores != '1' else ''}] unsc/frictionless {what:<7}{ratio:5.2f}  ({verdict})")
        if unsc[2] != 0 or fl[2] != 0:
            print("  note: a validator exited non-zero: the package is not valid, so the timings include reporting problems")
        result[cores] = {"unsc": unsc, "frictionless": fl, "ratios": (t_ratio, m_ratio)}
    if report:
        with tempfile.TemporaryDirectory(prefix="unsc-bench-report-") as out:
            rep = run([str(UNSC), "validate", "--quiet", str(root), "--report", out], root)
        print(f"  unsc validate --report   {rep[0]:7.2f} s  {rep[1]:6d} MiB  exit {rep[2]}  (GX suites + Data Docs, 1 run, 2 cores)")
        result["report"] = rep
    return result


def one_vote_contribution(root: Path, folder: Path) -> str:
    """Write into *folder* a contribution of one vote: the first vote the record derives from a tally,
    now stated by its source (`basis` recorded) — a real row, so the contribution validates."""
    from unsc.contract import canonical, load_contract

    votes = load_contract(root).tables["votes"]
    _, rows = canonical.read_rows(root / votes.path)
    row = next(r for r in rows if r["basis"] == "derived")
    folder.mkdir(parents=True)
    (folder / "votes.csv").write_text(canonical.render(votes, [{**row, "basis": "recorded"}]), encoding="utf-8")
    return f"{row['draft_id']} {row['state_id']}"


def measure_loop(repeat: int) -> dict:
    """Best of *repeat* runs of `unsc add` (one vote) and then `unsc validate --changed`, each on a fresh
    scratch git copy of the package (git reset between runs)."""
    print("\n== contributor loop: a scratch git copy of the real package", flush=True)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false"]
    with tempfile.TemporaryDirectory(prefix="unsc-bench-loop-") as tmp:
        pkg, contribution = Path(tmp) / "pkg", Path(tmp) / "contribution"
        pkg.mkdir()
        for part in PACKAGE_PARTS:
            (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, pkg / part)
        for cmd in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
            subprocess.run(git + cmd, cwd=pkg, check=True, stdout=subprocess.DEVNULL)
        what = one_vote_contribution(pkg, contribution)
        adds, changed = [], []
        for _ in range(repeat):
            adds.append(run([str(UNSC), "add", str(contribution), "--root", str(pkg)], pkg))
            changed.append(run([str(UNSC), "validate", "--quiet", "--changed", str(pkg)], pkg))
            subprocess.run(git + ["checkout", "-q", "--", "."], cwd=pkg, check=True)
            subprocess.run(git + ["clean", "-qfd"], cwd=pkg, check=True)
    result = {}
    for label, runs, target in (("add", adds, LOOP_TARGET["add"]), ("changed", changed, LOOP_TARGET["changed"])):
        best = min(r[0] for r in runs)
        code = runs[-1][2]
        name = "unsc add (one vote)" if label == "add" else "validate --changed"
        verdict = "ok" if best <= target and code == 0 else (f"exit {code}" if code else f"ABOVE the {target:.0f} s target")
        print(f"  {name:<24}{best:7.2f} s  {max(r[1] for r in runs):6d} MiB  exit {code}  (target <= {target:.0f} s: {verdict})")
        result[label] = (best, code)
    print(f"  (the vote: {what}, derived -> recorded)")
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per command; the best time is kept (default 3)")
    ap.add_argument("--scale", type=int, default=10, help="size of the synthetic package (default 10x)")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--skip-report", action="store_true", help="do not time the --report (great-expectations) path")
    ap.add_argument("--skip-loop", action="store_true", help="do not time the contributor loop (unsc add, validate --changed)")
    args = ap.parse_args()
    for b in (UNSC, FRICTIONLESS):
        if not b.exists():
            print(f"missing {b}: install the project into this interpreter's environment", file=sys.stderr)
            return 2
    core_sets = ["1", "2"] if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else ["all"]
    if core_sets == ["all"]:
        print("taskset is missing or there is one core: measuring on all cores only")
    print(f"python {sys.version.split()[0]} at {sys.executable}; best of {args.repeat}, alternating; peak RSS per child process; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results = {"real": measure("real package", ROOT, args.repeat, not args.skip_report, core_sets)}
    if not args.skip_synthetic:
        with tempfile.TemporaryDirectory(prefix="unsc-bench-") as tmp:
            t0 = time.perf_counter()
            counts = synthesize(ROOT, Path(tmp), args.scale)
            print(f"\nsynthetic {args.scale}x package written in {time.perf_counter() - t0:.1f} s: {sum(counts.values())} rows "
                  + ", ".join(f"{k} {v}" for k, v in counts.items()))
            results[f"{args.scale}x"] = measure(f"{args.scale}x synthetic package", Path(tmp), args.repeat, not args.skip_report, core_sets)
    loop = None if args.skip_loop or not shutil.which("git") else measure_loop(args.repeat)
    print(f"\nsummary (unsc/frictionless; targets: time <= {TARGET['time']}, memory <= {TARGET['memory']}):")
    ok = True
    for label, r in results.items():
        for cores in core_sets:
            t, m = r[cores]["ratios"]
            ok &= t <= TARGET["time"] and m <= TARGET["memory"]
            print(f"  {label:<5} {cores} core{'s' if cores != '1' else ' '}  time {t:5.2f}  memory {m:5.2f}"
                  f"  ({r[cores]['unsc'][0]:.2f} s vs {r[cores]['frictionless'][0]:.2f} s; {r[cores]['unsc'][1]} vs {r[cores]['frictionless'][1]} MiB)")
        if "report" in r:
            print(f"  {label:<5} --report {r['report'][0]:.1f} s")
    if loop:
        for label, (best, code) in loop.items():
            ok &= best <= LOOP_TARGET[label] and code == 0
        print(f"  loop  unsc add {loop['add'][0]:.2f} s (<= {LOOP_TARGET['add']:.0f}), validate --changed {loop['changed'][0]:.2f} s"
              f" (<= {LOOP_TARGET['changed']:.0f})")
    print("all targets met" if ok else "NOT all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
