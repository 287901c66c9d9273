"""wik's performance suite: plain Python, standard-library timing, no network.

    python benchmarks/run.py [--quick]

Prints one table and writes benchmarks/results.json. Each figure is the median over its
runs; ratios are taken between commands measured alternately in the same run, so a
machine that drifts affects both sides alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, UTC
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
WIK = [PY, "-m", "wikcli"]
_bin = Path(PY).parent / "wik"
if _bin.exists():
    WIK = [str(_bin)]

TARGETS = {
    "calc_vs_floor": 1.25,  # wik calc 244 --json / one-command Typer app, at most
    "write_10k_vs_calc": 1.5,  # wik pay, wik note on 10,000 invoices / wik calc 244 --json, at most
    "write_100k_s": 0.5,  # wik pay, wik note on 100,000 invoices, seconds, at most
    "status_10k_s": 0.5,  # wik status --json on 10,000 invoices, seconds, at most
    "status_10k_vs_parse": 5.0,  # ... and times the bare json.loads-per-line parse, at most
    "status_100k_s": 4.0,  # on 100,000 invoices, seconds, at most
    "status_100k_mb": 500.0,  # ... peak memory, MB, at most
    "cold_vs_before": 1.0,  # the first status after the snapshot was deleted / the code before (--before)
    "letters_per_s": 25.0,  # WIK-letters rendered per second in one process, at least
    "bank_import_10k_s": 3.0,  # wik bank import of 10,000 entries into 10,000 invoices, seconds, at most
}
BANK_ENTRIES = BANK_INVOICES = 10_000

# wik as installed: with the bytecode Python keeps of its modules. A shell that switches that
# off would have every run compile wik's modules again, which no installed copy does.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BEFORE: list[str] | None = None  # --before: the wik of the code before, for the cold-start target


def wall(cmd: list[str], env: dict | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or ENV, check=False)
    return time.perf_counter() - t0


def alternate(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Run each command once per round, in turn, after one warm-up round."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for c in cmds.values():
        wall(c)
    for _ in range(runs):
        for k, c in cmds.items():
            times[k].append(wall(c))
    return times


TODAY = "2026-11-25"
NEXT_DAY = "2026-11-26"
LEDGER_SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)


# Runs one command and reports its wall time and its own peak memory. A child forked from
# this process would start as a copy of it (a large generated ledger included) and count that
# as its peak; forked from this small runner, it cannot.
RUNNER = """
import json, os, sys, time
devnull = os.open(os.devnull, os.O_WRONLY)
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - t0
print(json.dumps([elapsed, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)]))
"""


def child(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in bytes, exit code) of one run of ``cmd``."""
    out = subprocess.run([PY, "-c", RUNNER, *cmd], capture_output=True, text=True, check=True, env=ENV)
    elapsed, rss, code = json.loads(out.stdout)
    return elapsed, rss, code


BARE_PARSE = "import json, sys\nwith open(sys.argv[1], encoding='utf-8') as f:\n    for line in f:\n        json.loads(line)\n"


def make_home(root: Path, n: int) -> Path:
    """A generated home of ``n`` invoices under ``root`` (made once per run)."""
    sys.path.insert(0, str(HERE))
    from gen_journal import generate

    home = root / f"home-{n}"
    if not (home / "journal.jsonl").exists():
        generate(home, n)
    return home


def ledger_scale(root: Path, sizes: tuple[int, ...], runs: int) -> list[dict]:
    """Per ledger size, in rounds (each command once per round, in turn): the bare parse;
    ``wik status`` and ``wik check`` through the snapshot and the day's overview (after the
    previous round's note and payment: the invoice they touched assessed anew); the first
    ``wik status`` after the snapshot was deleted (``cold``: the whole journal read, the
    snapshot written, the overview checked against it); ``wik note`` and ``wik pay`` on an
    open invoice, against ``wik calc`` in the same round; the first status of a new day
    (``newday``: every invoice assessed through the snapshot; the overview of the day is put
    back after it); the first status with no snapshot and no overview (``bare``); and the
    same status with the code before (``--before``)."""
    out = []
    for n in sizes:
        home = make_home(root, n)
        journal = home / "journal.jsonl"
        snapshot = home / "journal.snapshot"
        overview = home / "journal.overview"
        derived = [snapshot, overview, home / "journal.seen"]
        common = ["--today", TODAY, "--home", str(home)]
        first = subprocess.run(WIK + ["status", "--json", *common], capture_output=True, text=True, check=True,
                               env=ENV)  # also writes the snapshot the rounds start from
        number = json.loads(first.stdout)[0]["invoice"]
        cmds = {
            "parse": [PY, "-c", BARE_PARSE, str(journal)],
            "status": WIK + ["status", "--json", *common],
            "check": WIK + ["check", *common],
            "cold": WIK + ["status", "--json", *common],
            "note": WIK + ["note", number, "benchmark", "--date", TODAY, *common],
            "pay": WIK + ["pay", number, "0.01", "--date", TODAY, *common],
            "calc": WIK + ["calc", "244", "--json"],
            "newday": WIK + ["status", "--json", "--today", NEXT_DAY, "--home", str(home)],
            "bare": WIK + ["status", "--json", *common],
        }
        if BEFORE:
            cmds["before"] = BEFORE + ["status", "--json", *common]
        r = runs if n < 100_000 else max(1, min(runs, 3))
        t: dict[str, list[float]] = {k: [] for k in cmds}
        mem: dict[str, int] = dict.fromkeys(cmds, 0)
        for _ in range(r):
            for k, c in cmds.items():
                if k == "cold":
                    snapshot.unlink(missing_ok=True)
                elif k == "bare":
                    for path in derived:
                        path.unlink(missing_ok=True)
                elif k == "newday":
                    day_rows = overview.read_bytes()
                s, rss, code = child(c)
                if k == "newday":  # the overview of TODAY back, as the next round's status finds it
                    put_back = overview.with_name(".benchmark-overview")
                    put_back.write_bytes(day_rows)
                    os.chmod(put_back, 0o600)
                    os.replace(put_back, overview)
                if code not in (0, 1):  # `wik check` exits 1 when actions are due
                    raise SystemExit(f"benchmark: {' '.join(c[-6:])} failed with exit code {code}")
                t[k].append(s)
                mem[k] = max(mem[k], rss)
        med = {k: statistics.median(v) for k, v in t.items()}

        def ratio(a: str, b: str = "parse") -> float:
            return statistics.median(x / y for x, y in zip(t[a], t[b]))

        row = {
            "invoices": n,
            "events": sum(1 for _ in journal.open("rb")) - 1,
            "journal_mb": round(journal.stat().st_size / 1e6, 1),
            "runs": r,
            "median_s": {k: round(v, 4) for k, v in med.items()},
            "peak_mb": {k: round(v / 1e6, 1) for k, v in mem.items()},
            "status_vs_parse": round(ratio("status"), 2),
            "check_vs_parse": round(ratio("check"), 2),
            "status_us_per_invoice": round(med["status"] / n * 1e6, 1),
            "check_us_per_invoice": round(med["check"] / n * 1e6, 1),
            "note_vs_calc": round(ratio("note", "calc"), 3),
            "pay_vs_calc": round(ratio("pay", "calc"), 3),
        }
        if BEFORE:
            row["cold_vs_before"] = round(ratio("cold", "before"), 3)
            row["newday_vs_before"] = round(ratio("newday", "before"), 3)
            row["bare_vs_before"] = round(ratio("bare", "before"), 3)
        out.append(row)
    return out


LETTERS = """
import json, sys, time
from datetime import date
t0 = time.perf_counter()
from wikcli.ledger import claims
from wikcli.documents import letter as letters, page as pdf
from wikcli.ledger.claims import ClaimError
from wikcli.store.home import Home
h = Home.open(sys.argv[1])
ledger = h.ledger()
day = date.fromisoformat(sys.argv[2])
want = int(sys.argv[3])
t1 = time.perf_counter()
done = 0
dirs = letters.template_dirs(h.path)
for number in ledger.invoices:
    try:
        claim = claims.compose(ledger, h.rulebook, [number], "wik", day, "post", today=day)
    except ClaimError:
        continue  # closed or settled: no letter to send
    data = letters.from_claim(claim, h.config)
    text = letters.render_text(data, dirs)
    blob = pdf.render(data, text)
    assert blob.startswith(b"%PDF")
    done += 1
    if done == want:
        break
t2 = time.perf_counter()
if not done:
    sys.exit("no WIK-letter could be made from the generated ledger")
print(json.dumps({"letters": done, "setup_s": t1 - t0, "render_s": t2 - t1}))
"""


def letter_rate(root: Path, count: int) -> dict:
    home = make_home(root, int(count * 2))
    out = subprocess.run([PY, "-c", LETTERS, str(home), TODAY, str(count)], capture_output=True,
                         text=True, check=True, env=ENV)
    r = json.loads(out.stdout)
    return {
        "letters": r["letters"],
        "setup_s": round(r["setup_s"], 3),
        "render_s": round(r["render_s"], 3),
        "per_second": round(r["letters"] / r["render_s"], 1),
        "per_second_incl_setup": round(r["letters"] / (r["render_s"] + r["setup_s"]), 1),
    }


def bank_import(root: Path, runs: int) -> dict:
    """The whole `wik bank import` of a 10,000-entry statement into 10,000 invoices
    (benchmarks/bank_import.py), each run on a fresh copy of the home."""
    sys.path.insert(0, str(HERE))
    import bank_import as bench

    return bench.whole_command(BANK_INVOICES, BANK_ENTRIES, runs, WIK, root, home=make_home(root, BANK_INVOICES))


def cold_start(runs: int) -> dict:
    cmds = {
        "python -c pass": [PY, "-c", "pass"],
        "typer floor": [PY, str(HERE / "typer_floor.py")],
        "wik calc 244 --json": WIK + ["calc", "244", "--json"],
        "wik --help": WIK + ["--help"],
    }
    t = alternate(cmds, runs)
    med = {k: statistics.median(v) for k, v in t.items()}
    bare, floor = med["python -c pass"], med["typer floor"]

    def pair_ratio(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(t[a], t[b]))

    return {
        "runs": runs,
        "median_s": {k: round(v, 4) for k, v in med.items()},
        "calc_vs_bare": round(pair_ratio("wik calc 244 --json", "python -c pass"), 2),
        "calc_vs_floor": round(pair_ratio("wik calc 244 --json", "typer floor"), 3),
        "help_vs_bare": round(pair_ratio("wik --help", "python -c pass"), 2),
        "help_vs_floor": round(pair_ratio("wik --help", "typer floor"), 3),
        "floor_vs_bare": round(floor / bare, 2),
    }


def same_code(before: list[str], wik: list[str]) -> None:
    """Refuse a --before that would run this very code (a PYTHONPATH that does not exist
    falls through to the installed wik, and the comparison would be with itself)."""
    if before[-2:] != ["-m", "wikcli"]:
        return
    where = "import sys, wikcli; sys.stdout.write(wikcli.__file__)"
    theirs = subprocess.run(before[:-2] + ["-c", where], capture_output=True, text=True, env=ENV).stdout
    ours = subprocess.run([PY, "-c", where], capture_output=True, text=True, env=ENV).stdout
    if Path(theirs).resolve() == Path(ours).resolve():
        raise SystemExit(f"benchmark: --before runs this very code ({theirs}): point it at the checkout before")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and the small ledgers only")
    ap.add_argument("--out", default=str(HERE / "results.json"))
    ap.add_argument("--wik", metavar="CMD", help="the command that runs wik, e.g. to measure another "
                    "checkout: 'python -m wikcli' (default: the wik next to this interpreter)")
    ap.add_argument("--before", metavar="CMD", help="the command that runs the wik to compare the first "
                    "status after a deleted snapshot with, e.g. 'env PYTHONPATH=../old python -m wikcli'")
    args = ap.parse_args(argv)
    global WIK, BEFORE
    if args.wik:
        WIK = shlex.split(args.wik)
    if args.before:
        BEFORE = shlex.split(args.before)
        same_code(BEFORE, WIK)
    results: dict = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "quick": args.quick,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "before": args.before,
    }
    results["cold_start"] = cold_start(5 if args.quick else 15)
    with tempfile.TemporaryDirectory(prefix="wik-bench-") as tmp:
        root = Path(tmp)
        results["ledger"] = ledger_scale(root, QUICK_SIZES if args.quick else LEDGER_SIZES,
                                         3 if args.quick else 5)
        results["letters"] = letter_rate(root, 200)
        results["bank_import"] = bank_import(root, 3 if args.quick else 5)
    results["targets"] = check_targets(results)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(render_table(table_rows(results)))
    print()
    for ok, text in results["targets"].values():
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def check_targets(r: dict) -> dict[str, tuple[bool, str]]:
    """Each target of the suite: (met, what was measured against it)."""
    T = TARGETS
    cs = r["cold_start"]
    out = {"calc_vs_floor": (cs["calc_vs_floor"] <= T["calc_vs_floor"],
                             f"wik calc 244 --json {cs['calc_vs_floor']}x the Typer floor (<= {T['calc_vs_floor']}x)")}
    by = {row["invoices"]: row for row in r["ledger"]}
    if 10_000 in by:
        row = by[10_000]
        w = max(row["note_vs_calc"], row["pay_vs_calc"])
        out["write_10k_vs_calc"] = (w <= T["write_10k_vs_calc"],
                                    f"note/pay on 10k invoices {row['note_vs_calc']}x/{row['pay_vs_calc']}x "
                                    f"wik calc (<= {T['write_10k_vs_calc']}x)")
        s = row["median_s"]["status"]
        out["status_10k_s"] = (s <= T["status_10k_s"], f"status on 10k invoices {s:.2f} s (<= {T['status_10k_s']} s)")
        v = row["status_vs_parse"]
        out["status_10k_vs_parse"] = (v <= T["status_10k_vs_parse"],
                                      f"status on 10k invoices {v}x the bare parse (<= {T['status_10k_vs_parse']}x)")
    if 100_000 in by:
        row = by[100_000]
        m = row["median_s"]
        w = max(m["note"], m["pay"])
        out["write_100k_s"] = (w <= T["write_100k_s"],
                               f"note/pay on 100k invoices {m['note']:.2f}/{m['pay']:.2f} s (<= {T['write_100k_s']} s)")
        s, mb = m["status"], row["peak_mb"]["status"]
        out["status_100k_s"] = (s <= T["status_100k_s"], f"status on 100k invoices {s:.2f} s (<= {T['status_100k_s']} s)")
        out["status_100k_mb"] = (mb <= T["status_100k_mb"],
                                 f"status on 100k invoices peak memory {mb:.0f} MB (<= {T['status_100k_mb']:.0f} MB)")
    for n, row in sorted(by.items()):
        if "cold_vs_before" in row and n >= 10_000:
            v = row["cold_vs_before"]
            out[f"cold_vs_before_{n // 1000}k"] = (
                v <= T["cold_vs_before"], f"first status after the snapshot was deleted, {n // 1000}k invoices: "
                f"{v}x the code before (<= {T['cold_vs_before']}x)")
    lps = r["letters"]["per_second"]
    out["letters_per_s"] = (lps >= T["letters_per_s"], f"{lps} WIK-letters per second (>= {T['letters_per_s']:.0f})")
    if "bank_import" in r:
        b = r["bank_import"]
        out["bank_import_10k_s"] = (b["median_s"] <= T["bank_import_10k_s"],
                                    f"bank import of {b['entries']:,} entries into {b['invoices']:,} invoices "
                                    f"{b['median_s']:.2f} s (<= {T['bank_import_10k_s']} s)")
    return out


def table_rows(r: dict) -> list[tuple[str, str, str]]:
    cs = r["cold_start"]
    rows = [
        ("python -c pass (median)", f"{cs['median_s']['python -c pass'] * 1000:.0f} ms", ""),
        ("one-command Typer app (median)", f"{cs['median_s']['typer floor'] * 1000:.0f} ms",
         f"{cs['floor_vs_bare']}x bare"),
        ("wik calc 244 --json (median)", f"{cs['median_s']['wik calc 244 --json'] * 1000:.0f} ms",
         f"{cs['calc_vs_floor']}x floor (target <= {TARGETS['calc_vs_floor']}), {cs['calc_vs_bare']}x bare"),
        ("wik --help (median)", f"{cs['median_s']['wik --help'] * 1000:.0f} ms",
         f"{cs['help_vs_floor']}x floor, {cs['help_vs_bare']}x bare"),
    ]
    for row in r.get("ledger", []):
        n, m, mb = row["invoices"], row["median_s"], row["peak_mb"]
        label = f"{n:,} invoices ({row['events']:,} events, {row['journal_mb']} MB)"
        rows.append((f"{label}: bare parse", f"{m['parse']:.2f} s", f"{mb['parse']:.0f} MB peak"))
        rows.append((f"{label}: wik status --json", f"{m['status']:.2f} s",
                     f"{row['status_vs_parse']}x parse, {row['status_us_per_invoice']} us/invoice, "
                     f"{mb['status']:.0f} MB peak"))
        rows.append((f"{label}: wik check", f"{m['check']:.2f} s",
                     f"{row['check_vs_parse']}x parse, {row['check_us_per_invoice']} us/invoice, "
                     f"{mb['check']:.0f} MB peak"))
        before = ""
        if "before" in m:
            before = f", {row['cold_vs_before']}x the code before ({m['before']:.2f} s, {mb['before']:.0f} MB)"
        rows.append((f"{label}: status, snapshot deleted", f"{m['cold']:.2f} s",
                     f"{mb['cold']:.0f} MB peak{before}"))
        for key, what in (("newday", "status, a new day"), ("bare", "status, snapshot and overview deleted")):
            if key in m:
                vs = f", {row[key + '_vs_before']}x the code before" if "before" in m else ""
                rows.append((f"{label}: {what}", f"{m[key]:.2f} s", f"{mb[key]:.0f} MB peak{vs}"))
        rows.append((f"{label}: wik note", f"{m['note'] * 1000:.0f} ms",
                     f"{row['note_vs_calc']}x wik calc ({m['calc'] * 1000:.0f} ms), {mb['note']:.0f} MB peak"))
        rows.append((f"{label}: wik pay", f"{m['pay'] * 1000:.0f} ms",
                     f"{row['pay_vs_calc']}x wik calc, {mb['pay']:.0f} MB peak"))
    if "letters" in r:
        lt = r["letters"]
        rows.append((f"{lt['letters']} WIK-letters in one process", f"{lt['per_second']}/s",
                     f"{lt['render_s']:.2f} s rendering after {lt['setup_s']:.2f} s start-up "
                     f"({lt['per_second_incl_setup']}/s with it)"))
    if "bank_import" in r:
        b = r["bank_import"]
        rows.append((f"wik bank import: {b['entries']:,} entries ({b['statement_mb']} MB) into {b['invoices']:,} "
                     "invoices", f"{b['median_s']:.2f} s",
                     f"{b['credits']:,} credits: {b['booked']:,} booked, {b['kept']:,} kept; max {b['max_s']:.2f} s"))
    return rows


def render_table(rows: list[tuple[str, str, str]]) -> str:
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    lines = [f"| {'measure'.ljust(w0)} | {'value'.ljust(w1)} | compared |", f"|{'-' * (w0 + 2)}|{'-' * (w1 + 2)}|---|"]
    lines += [f"| {a.ljust(w0)} | {b.ljust(w1)} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
