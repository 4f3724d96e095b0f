"""Print the markdown tables of one bench/run_all.sh run.  Usage: python bench/report.py RESULTS_DIR

Reads the peer kit's raw outputs (RESULTS_DIR/peer/), surveyapp's cycle runs (sa_cycle_<db>_c<N>.txt and
.counts), the c=8 cycles of the peer, the limit and the secure limit with their server CPU (*_cpu_cycle_c8), the
page-weight JSON lines and the other areas' outputs, and prints one table per area with surveyapp, the peer, the
bare-Flask limit and the secure limit (signed session, CSRF, unique response key) side by side and the ratios.
"""

import json
import re
import sys
from pathlib import Path

R = Path(sys.argv[1])
PEER_KIT = "/work/shared/peer"
GOAL_LIMIT = 0.5  # issue 12: at least half the secure limit's respondent rate


def read(name: str) -> str | None:
    path = R / name
    return path.read_text() if path.exists() else None


def machine() -> dict:
    return dict(line.split("=", 1) for line in (read("machine.txt") or "").splitlines() if "=" in line)


def wrk_result(name: str) -> dict | None:
    """A wrk_cycle.lua RESULT line -> respondents/s (ok ÷ duration) and per-request latency percentiles."""
    m = re.search(r"^RESULT (.*)$", read(name) or "", re.M)
    if not m:
        return None
    kv = dict(x.split("=", 1) for x in m.group(1).split())
    ok, dur = int(kv["ok"]), float(kv["duration_s"])
    return {
        "ok": ok,
        "failed": int(kv["bad"]) + int(kv["sock_err"]),
        "rate": ok / dur,
        "p50": float(kv["p50_ms"]),
        "p95": float(kv["p95_ms"]),
        "p99": float(kv["p99_ms"]),
        "s4xx": int(kv["status4xx"]),
        "s5xx": int(kv["status5xx"]),
    }


def verdict(res: dict, counts: str | None, conc: int) -> str:
    """Stored vs successful: wrk leaves up to `conc` requests in flight at the end; the server ends them."""
    if res is None or not counts:
        return "no result"
    r0, a0, r1, a1 = map(int, counts.split())
    stored, answers = r1 - r0, a1 - a0
    diff = stored - res["ok"]
    good = 0 <= diff <= conc and answers == 20 * stored
    return (
        f"{'OK' if good else '**CHECK FAILED**'}: stored {stored:,} vs ok {res['ok']:,} ({diff:+d}); "
        f"answers {answers:,} {'=' if answers == 20 * stored else '≠'} 20 × stored"
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×" if b else "—"


def percent(a: float, b: float | None) -> str:
    return f"{100 * a / b:.0f} %" if b else "—"


def cycle_table(seconds: str) -> list[str]:
    """The peer kit's own c=8 cycle rows (peer, limit, secure limit) beside surveyapp's, in respondents/s."""
    peer, limit = wrk_result("peer/peer_cycle.txt"), wrk_result("peer/ref_cycle.txt")
    secure = wrk_result("peer/ref_secure_cycle.txt")
    kit = f"`bash {PEER_KIT}/run.sh {seconds} --exports`"
    rows = [
        ("Peer (django-survey-and-report 1.5.0)", "SQLite WAL", peer, read("peer/peer_cycle_counts.txt"),
         f"{kit} (row: peer respondent cycle)"),
        ("Limit (bare Flask, same work)", "SQLite WAL", limit, read("peer/ref_cycle_counts.txt"),
         f"{kit} (row: Flask respondent cycle)"),
        ("Secure limit (+ signed session, CSRF, unique key, 302)", "SQLite WAL", secure,
         read("peer/ref_secure_cycle_counts.txt"), f"{kit} (row: Flask secure respondent cycle)"),
    ]
    for db, label in (("sqlite", "SQLite WAL"), ("postgres", "PostgreSQL")):
        rows.append(("**surveyapp**", label, wrk_result(f"sa_cycle_{db}_c8.txt"), read(f"sa_cycle_{db}_c8.counts"),
                     f"`bash bench/run_all.sh {seconds}` (BENCH_DBS={db} BENCH_CONCURRENCY=8 for this row alone)"))
    out = [
        "| App | Database | Respondents/s | p50 / p95 / p99 ms (per request) | ÷ peer | % of limit | "
        "% of secure limit | Stored = successes | Command |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, db, res, counts, cmd in rows:
        if res is None:
            out.append(f"| {name} | {db} | not measured | | | | | | {cmd} |")
            continue
        vs_peer = ratio(res["rate"], peer["rate"]) if peer else "—"
        out.append(
            f"| {name} | {db} | **{res['rate']:,.1f}** | {res['p50']:.1f} / {res['p95']:.1f} / "
            f"{res['p99']:.1f} | {vs_peer} | {percent(res['rate'], limit and limit['rate'])} | "
            f"{percent(res['rate'], secure and secure['rate'])} | {verdict(res, counts, 8)} | {cmd} |"
        )
    return out


def cpu_ms(name: str) -> float | None:
    """Server worker CPU (user + system) per completed respondent in run `name` (name.cpu + name.txt)."""
    cpu, res = read(f"{name}.cpu"), wrk_result(f"{name}.txt")
    if not cpu or not res or not res["ok"]:
        return None
    t0, t1, hz = map(int, cpu.split())
    return 1000 * (t1 - t0) / hz / res["ok"]


CPU_ROWS = (
    ("Peer", "SQLite WAL", "peer_cpu_cycle_c8"),
    ("Limit (bare Flask)", "SQLite WAL", "ref_cpu_cycle_c8"),
    ("Secure limit (bare Flask + session, CSRF, unique key)", "SQLite WAL", "refsec_cpu_cycle_c8"),
    ("**surveyapp**", "SQLite WAL", "sa_cycle_sqlite_c8"),
    ("**surveyapp**", "PostgreSQL", "sa_cycle_postgres_c8"),
)


def cpu_table() -> list[str]:
    """Server CPU per respondent of every c=8 cycle of this run, with the ratios to the peer and both limits."""
    costs = {name: cpu_ms(name) for _, _, name in CPU_ROWS}
    peer, limit, secure = (costs[n] for n in ("peer_cpu_cycle_c8", "ref_cpu_cycle_c8", "refsec_cpu_cycle_c8"))
    out = ["| App | Database | Respondents/s (this run) | Server CPU per respondent | Peer's cost ÷ this | "
           "This ÷ limit's cost | This ÷ secure limit's cost (% of its rate) | Ceiling on 2 cores | "
           "Stored = successes |", "|---|---|---|---|---|---|---|---|---|"]
    for app, db, name in CPU_ROWS:
        cost, res = costs[name], wrk_result(f"{name}.txt")
        if cost is None:
            continue
        vs_peer = f"{peer / cost:.1f}×" if peer else "—"
        vs_limit = f"{cost / limit:.1f}×" if limit else "—"
        vs_secure = f"{cost / secure:.2f}× ({100 * secure / cost:.0f} %)" if secure else "—"
        counts = read(f"{name}.counts")
        check = verdict(res, counts, 8) if counts else "not counted"
        out.append(f"| {app} | {db} | {res['rate']:,.1f} | **{cost:.2f} ms** | {vs_peer} | {vs_limit} | "
                   f"{vs_secure} | {2000 / cost:,.0f} /s | {check} |")
    if len(out) == 2:
        return []
    return out + ["", goal_line(costs)]


def goal_line(costs: dict) -> str:
    """Issue 12's goal in CPU terms: surveyapp's cost per respondent ≤ 2× the secure limit's, nothing lost."""
    peer, secure = costs["peer_cpu_cycle_c8"], costs["refsec_cpu_cycle_c8"]
    if not secure:
        return "Goal (≥ 50 % of the secure limit's rate): the secure limit was not measured in this run."
    parts = []
    for db in ("sqlite", "postgres"):
        name = f"sa_cycle_{db}_c8"
        cost, counts = costs[name], read(f"{name}.counts")
        if cost is None:
            continue
        lost = not verdict(wrk_result(f"{name}.txt"), counts, 8).startswith("OK")
        met = cost <= secure / GOAL_LIMIT and not lost
        peer_part = f", {peer / cost:.1f}× cheaper than the peer" if peer else ""
        parts.append(f"{db}: {'met' if met else 'MISSED'} ({100 * secure / cost:.0f} % of the secure limit's "
                     f"rate by CPU{peer_part}{'; CHECK FAILED' if lost else ''})")
    return (f"Goal (CPU per respondent ≤ {1 / GOAL_LIMIT:.0f}× the secure limit's, i.e. ≥ "
            f"{100 * GOAL_LIMIT:.0f} % of its rate; nothing lost): " + "; ".join(parts))


def concurrency_table() -> list[str]:
    out = [
        "| surveyapp | c | Respondents/s | p50 / p95 / p99 ms | Stored = successes |",
        "|---|---|---|---|---|",
    ]
    found = False
    for db in ("sqlite", "postgres"):
        for conc in (2, 8, 16):
            res = wrk_result(f"sa_cycle_{db}_c{conc}.txt")
            if res is None:
                continue
            found = True
            out.append(
                f"| {db} | {conc} | {res['rate']:,.1f} | "
                f"{res['p50']:.1f} / {res['p95']:.1f} / {res['p99']:.1f} "
                f"| {verdict(res, read(f'sa_cycle_{db}_c{conc}.counts'), conc)} |"
            )
    return out if found else []


def page_weight_table() -> list[str]:
    out = [
        "| Page | Requests (first load) | Raw | Gzip-6 | HTML raw / gzip-6 | Server compresses | Command |",
        "|---|---|---|---|---|---|---|",
    ]
    found = False
    for name, file, cmd in (
        ("**surveyapp** `/s/bench`", "sa_pageweight.json", "`python bench/page_weight.py --json URL`"),
        (
            "Peer `/survey/<id>/`",
            "peer_pageweight.json",
            "`python bench/page_weight.py --json --all-links URL`",
        ),
    ):
        text = read(file)
        if not text or not text.strip().startswith("{"):
            continue
        found = True
        j = json.loads(text.strip().splitlines()[-1])
        out.append(
            f"| {name} | {j['requests']} | {j['bytes'] / 1024:,.1f} KiB | **{j['gzip6'] / 1024:,.1f} KiB** | "
            f"{j['html_bytes']:,} B / {j['html_gzip6']:,} B | {'yes' if j['server_compresses'] else 'no'} "
            f"| {cmd} |"
        )
    return out if found else []


def timed(stem: str) -> str | None:
    """'12.3 s, 456 MiB peak' from a `/usr/bin/time -v` capture (stem.time) and its size file (stem.size)."""
    t, size = read(f"{stem}.time"), read(f"{stem}.size")
    if t is None:
        return None
    kv = dict(x.split("=", 1) for x in (size or "").split() if "=" in x)
    if kv.get("rc", "0") != "0":
        return f"failed (rc={kv.get('rc')}): " + ((t.strip().splitlines() or ["?"])[-1])[:120]
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    secs = "?"
    if wall:
        parts = [float(x) for x in wall.group(1).split(":")]
        secs = f"{sum(p * 60**i for i, p in enumerate(reversed(parts))):.1f}"
    peak = f", {int(rss.group(1)) / 1024:,.0f} MiB peak RSS" if rss else ""
    return f"**{secs} s**{peak}; {int(kv.get('bytes', 0)):,} B"


def exports_table() -> list[str]:
    out = ["| What | Responses | surveyapp | Peer | Command |", "|---|---|---|---|---|"]
    peer_csv = timed("peer/export_csv")
    found = False
    for step, label in (("csv", "CSV export (wide)"), ("pdf", "PDF report")):
        for n in (10000, 100000):
            mine = timed(f"export_{step}_{n}")
            if mine is None:
                continue
            found = True
            peer = peer_csv if (step, n) == ("csv", 10000) and peer_csv else "—"
            cmd = f"/usr/bin/time -v python bench/exports.py {step} --db DB"
            seed = f"bench/exports.py seed --responses {n}"
            out.append(f"| {label} | {n:,} | {mine} | {peer} | `{cmd}` (DB: `{seed}`) |")
    return out if found else []


def main() -> None:
    m = machine()
    print(
        f"Run {m.get('date', '?')}: {m.get('cores', '?')} cores ({m.get('cpu', '?')}), "
        f"Python {m.get('python', '?')}, "
        f"SQLite {m.get('sqlite', '?')}, PostgreSQL {m.get('postgres', '?')}, wrk {m.get('wrk', '?')}, "
        f"surveyapp {m.get('git') or '?'} {m.get('label', '')}; {m.get('seconds', '?')} s per load run; "
        f"whole run {m.get('total_s', '?')} s.\n"
    )
    print("## Respondent cycle, c=8 (a new respondent per iteration: GET the page, POST 20 answers)\n")
    print("\n".join(cycle_table(m.get("seconds", "15"))))
    cpu = cpu_table()
    if cpu:
        print("\n## Server CPU per respondent, c=8 (robust to a busy machine; excludes PostgreSQL's CPU)\n")
        print("\n".join(cpu))
    conc = concurrency_table()
    if conc:
        print("\n## surveyapp respondent cycle by concurrency\n")
        print("\n".join(conc))
    pw = page_weight_table()
    if pw:
        print("\n## Page weight\n")
        print("\n".join(pw))
    ex = exports_table()
    if ex:
        print("\n## Exports and reports (wall time and peak memory of the whole process)\n")
        print("\n".join(ex))
    sent = re.search(r"^dispatched .*$", read("dispatch.out") or "", re.M)
    if sent:
        print("\n## Dispatch\n")
        print("| surveyapp | Peer | Command |\n|---|---|---|")
        print(f"| {sent.group(0)} | — (the peer has no invitations) | "
              f"`DATABASE_URL=<scratch> python bench/dispatch.py --count N` |")
    for name, title in (("peer_table.md", "Peer kit's own table"),):
        text = read(name)
        if text and text.strip():
            print(f"\n## {title}\n\n{text.strip()}")


if __name__ == "__main__":
    main()
