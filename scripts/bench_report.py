#!/usr/bin/env python3
"""The table of scripts/bench: every target's req/s, latency percentiles, errors, server-side CPU per request and
peak RSS, Postern's ratios to the nginx floor and to the matching peer, the issue's targets met or missed, the load
generator's ceiling and the delivery drain. Writes results.json and bench.png into the output directory.

    bench_report.py WORK_DIR OUT_DIR
"""
import glob
import json
import os
import re
import sys

DISTURBED = 0.15
PEER_OF = {"postern-webhook": "seed001", "postern-fulfillment": "seed002", "postern-webhook-pg": "seed001"}
DESCRIPTION = {
    "nginx": "nginx return 200 (HTTP floor)",
    "seed002": "seed 002 (Go, HMAC, in-memory idempotency)",
    "seed001": "seed 001 (Go, HMAC, PostgreSQL insert)",
    "postern-webhook": "Postern cognigy-webhook, SQLite FULL",
    "postern-fulfillment": "Postern cognigy-fulfillment, SQLite FULL",
    "postern-webhook-pg": "Postern cognigy-webhook, PostgreSQL (CPU incl. the server)",
}


def lines(path):
    return [json.loads(l) for l in open(path) if l.strip()] if os.path.exists(path) else []


def p999(raw_dir, label, conns):
    """p99.9 in ms from the raw wrk output (the last attempt's file)."""
    # Postern's raw files are LABEL-cN.txt, the peers' LABEL-PIN-cN-tryK.txt (a longer label never matches)
    files = sorted(glob.glob(os.path.join(raw_dir, f"{label}-c{conns}.txt"))
                   + glob.glob(os.path.join(raw_dir, f"{label}-*-c{conns}-try*.txt")))
    for path in reversed(files):
        m = re.search(r"p99\.9: (\d+) us", open(path).read())
        if m:
            return int(m.group(1)) / 1000
    return None


def best(runs):
    """Of repeated runs, an undisturbed one (the median by req/s), as the peers' report picks it."""
    good = [r for r in runs if r["other_cores"] <= DISTURBED] or [min(runs, key=lambda r: r["other_cores"])]
    good.sort(key=lambda r: r["rps"] or 0)
    return good[(len(good) - 1) // 2]


def main(work, out):
    grouped = {}
    for r in lines(os.path.join(work, "peers.jsonl")) + lines(os.path.join(work, "postern.jsonl")):
        grouped.setdefault((r["label"], r["conns"]), []).append(r)
    rss = {(r["label"], r["conns"]): r["peak_rss_kb"] for r in lines(os.path.join(work, "rss.jsonl"))}
    rows = []
    for (label, conns), runs in grouped.items():
        r = best(runs)
        raw = os.path.join(work, "raw-postern" if label.startswith("postern") else "raw-peers")
        rows.append({
            "target": label, "conns": conns, "rps": r["rps"], "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"],
            "p999_ms": p999(raw, label, conns), "errors": (r["non2xx"] or 0) + (r["sock_err"] or 0),
            "cpu_us_per_req": round(r["server_cores"] * 1e6 / r["rps"], 1) if r.get("rps") else None,
            "peak_rss_mb": round(rss[(label, conns)] / 1024, 1) if (label, conns) in rss else None,
            "other_cores": r["other_cores"], "note": r.get("note", ""),
        })
    order = ["nginx", "seed002", "seed001", "postern-fulfillment", "postern-webhook", "postern-webhook-pg"]
    rows.sort(key=lambda x: (order.index(x["target"]) if x["target"] in order else 9, x["conns"]))
    by = {(r["target"], r["conns"]): r for r in rows}
    for r in rows:
        if r["target"].startswith("postern"):
            floor, peer = by.get(("nginx", r["conns"])), by.get((PEER_OF[r["target"]], r["conns"]))
            r["x_nginx"] = round(r["rps"] / floor["rps"], 2) if floor else None
            r["x_peer"] = round(r["rps"] / peer["rps"], 2) if peer else None

    def fmt(v, f="{:.2f}"):
        return "—" if v is None else f.format(v)

    print("| target | conns | req/s | p50 ms | p99 ms | p99.9 ms | errors | server CPU µs/req | peak RSS MB | × nginx | × peer |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {DESCRIPTION.get(r['target'], r['target'])} | {r['conns']} | {fmt(r['rps'], '{:,.0f}')} | {fmt(r['p50_ms'])} "
              f"| {fmt(r['p99_ms'])} | {fmt(r['p999_ms'])} | {r['errors']} | {fmt(r['cpu_us_per_req'], '{:.0f}')} "
              f"| {fmt(r['peak_rss_mb'], '{:.0f}')} | {fmt(r.get('x_nginx'))} | {fmt(r.get('x_peer'))} |"
              + (" disturbed" if r["other_cores"] > DISTURBED else ""))

    extra = {}
    for name in ("loadtest-nginx", "soak-load", "drain"):
        path = os.path.join(work, name + ".json")
        if os.path.exists(path):
            extra[name] = json.load(open(path))
    soak_path = os.path.join(work, "soak-rss.txt")
    if os.path.exists(soak_path):
        samples = [int(x) / 1024 for x in open(soak_path).read().split()]
        if samples:
            extra["soak-rss-mb"] = {"first": round(samples[0], 1), "last": round(samples[-1], 1), "peak": round(max(samples), 1),
                                    "samples": len(samples)}
    print()
    if "loadtest-nginx" in extra:
        l = extra["loadtest-nginx"]
        print(f"load generator ceiling (postern-loadtest, signing every request, against nginx, 64 conns): "
              f"{l['rps']:,.0f} req/s, p99 {l['p99_ms']:.2f} ms")
    if "soak-load" in extra:
        l, m = extra["soak-load"], extra.get("soak-rss-mb", {})
        print(f"soak ({l['duration_s']:.0f} s, 64 conns, postern-loadtest): {l['rps']:,.0f} req/s, p99 {l['p99_ms']:.2f} ms, "
              f"p99.9 {l['p999_ms']:.2f} ms, non-2xx {l['non2xx']}; RSS {m.get('first')} → {m.get('last')} MB (peak {m.get('peak')})")
    if "drain" in extra:
        d = extra["drain"]
        print(f"delivery: {d['delivered']:,} of {d['events']:,} events drained to a local sink in {d['drain_s']:.1f} s = "
              f"{d['events_per_s']:,.0f} events/s")

    checks = []

    def check(name, value, goal, ok):
        checks.append({"target": name, "value": value, "goal": goal, "met": ok})

    # The performance issue's targets (issue 19): both SQLite sources ≥ 1.5× seed 002 and ≥ 0.2× nginx, server CPU
    # ≤ 50 µs per request, p99 ≤ 10 ms and p99.9 ≤ 20 ms at 64 connections, RSS ≤ 64 MB at load, and PostgreSQL
    # ≥ 10× seed 001 with its server's CPU counted.
    for conns in (16, 64):
        seed002, seed001 = by.get(("seed002", conns)), by.get(("seed001", conns))
        for label in ("postern-webhook", "postern-fulfillment"):
            r = by.get((label, conns))
            if not r:
                continue
            if seed002:
                ratio = round(r["rps"] / seed002["rps"], 2)
                check(f"{label} req/s vs seed 002 at {conns}", ratio, "≥ 1.5×", ratio >= 1.5)
            if r.get("x_nginx") is not None:
                check(f"{label} vs nginx at {conns}", r["x_nginx"], "≥ 0.2×", r["x_nginx"] >= 0.2)
            if r["cpu_us_per_req"] is not None:
                check(f"{label} CPU µs/req at {conns}", r["cpu_us_per_req"], "≤ 50", r["cpu_us_per_req"] <= 50)
        pg = by.get(("postern-webhook-pg", conns))
        if pg and seed001:
            ratio = round(pg["rps"] / seed001["rps"], 2)
            check(f"postern-webhook-pg req/s vs seed 001 at {conns}", ratio, "≥ 10×", ratio >= 10)
    for label in ("postern-webhook", "postern-fulfillment"):
        r = by.get((label, 64))
        if r:
            check(f"{label} p99 at 64", r["p99_ms"], "≤ 10 ms", r["p99_ms"] <= 10)
            if r["p999_ms"] is not None:
                check(f"{label} p99.9 at 64", r["p999_ms"], "≤ 20 ms", r["p999_ms"] <= 20)
            if r["peak_rss_mb"] is not None:
                check(f"{label} peak RSS at 64", r["peak_rss_mb"], "≤ 64 MB", r["peak_rss_mb"] <= 64)
    if "soak-rss-mb" in extra:
        m = extra["soak-rss-mb"]
        check("RSS growth over the soak", round(m["last"] - m["first"], 1), "no growth (≤ 10 MB)", m["last"] - m["first"] <= 10)
    if "drain" in extra:
        check("drain events/s", extra["drain"]["events_per_s"], "≥ 5,000", extra["drain"]["events_per_s"] >= 5000)
    print()
    print("| target | measured | goal | |")
    print("|---|---:|---|---|")
    for c in checks:
        print(f"| {c['target']} | {c['value']} | {c['goal']} | {'met' if c['met'] else 'MISSED'} |")

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"rows": rows, **extra, "checks": checks}, f, indent=2)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
    targets = [t for t in order if any(r["target"] == t for r in rows)]
    for offset, conns in ((-0.2, 16), (0.2, 64)):
        left.bar([i + offset for i in range(len(targets))], [by.get((t, conns), {}).get("rps") or 0 for t in targets],
                 width=0.4, label=f"{conns} connections")
        right.bar([i + offset for i in range(len(targets))], [by.get((t, conns), {}).get("cpu_us_per_req") or 0 for t in targets],
                  width=0.4, label=f"{conns} connections")
    for axis, title in ((left, "requests/s"), (right, "server-side CPU µs per request")):
        axis.set_xticks(range(len(targets)), targets, fontsize=8, rotation=25, ha="right")
        axis.set_title(title)
        axis.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "bench.png"), dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
