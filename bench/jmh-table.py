#!/usr/bin/env python3
"""Turns JMH's JSON (-rf json) into the markdown table pasted into bench/RESULTS.md.

Usage: bench/jmh-table.py [bench/results/jmh.json]

One row per benchmark and parameter set, named method_backend_bBATCH plus the other parameters
(e.g. trainStep_refCnnA_cpu_b128). Time per call comes from the primary score (throughput or
average time alike); the StepRate counters, which JMH reports per second, give images or tokens
per second, GFLOP/s and GB/s. Python 3 standard library only.
"""
import json
import sys

SHORT = {"hidden": "h", "bptt": "t", "vocab": "v", "repeats": "r", "filters": "f", "layers": "L",
         "layer": "L", "size": "n"}
TIME_UNITS = {"s/op": 1e3, "ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6}
RATE_UNITS = {"ops/s": 1.0, "ops/ms": 1e3, "ops/us": 1e6, "ops/ns": 1e9}


def row_name(result):
    method = result["benchmark"].rsplit(".", 1)[1]
    params = dict(result.get("params", {}))
    parts = [method]
    if "backend" in params:
        parts.append(params.pop("backend"))
    if "batch" in params:
        parts.append("b" + params.pop("batch"))
    parts += [SHORT.get(k, k) + v for k, v in sorted(params.items())]
    return "_".join(parts)


def millis_per_call(metric):
    """Time of one call in ms and its 99.9% error, from either kind of primary score."""
    score, unit = float(metric["score"]), metric["scoreUnit"]
    err = float(metric.get("scoreError", "nan"))  # JMH writes "NaN" for a single iteration
    if unit in TIME_UNITS:
        return score * TIME_UNITS[unit], err * TIME_UNITS[unit]
    if unit in RATE_UNITS:
        per_s = score * RATE_UNITS[unit]
        err_s = err * RATE_UNITS[unit]
        return 1e3 / per_s, 1e3 * err_s / (per_s * per_s)
    raise SystemExit(f"unknown score unit {unit!r} in {metric}")


def counter(result, name):
    m = result.get("secondaryMetrics", {}).get(name)
    score = float(m["score"]) if m else 0.0
    if not score > 0:
        return ""
    return fmt(score * RATE_UNITS.get(m["scoreUnit"], 1.0))


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def main(argv):
    path = argv[1] if len(argv) > 1 else "bench/results/jmh.json"
    with open(path) as f:
        results = json.load(f)
    if not results:
        raise SystemExit(f"{path}: no results")
    print("| benchmark | ms / call | ± (99.9%) | images or tokens / s | GFLOP/s | GB/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        ms, err = millis_per_call(r["primaryMetric"])
        err_text = "" if err != err else fmt(err)  # NaN when there was a single iteration
        print(f"| {row_name(r)} | {fmt(ms)} | {err_text} | {counter(r, 'examples')} | {counter(r, 'gflop')} "
              f"| {counter(r, 'gbyte')} |")
    first = results[0]
    print()
    print(f"JMH {first.get('jmhVersion', '?')}, {first.get('vmName', '')} {first.get('vmVersion', '')}, "
          f"{first.get('forks', '?')} fork, {first.get('warmupIterations', '?')} warm-up x "
          f"{first.get('warmupTime', '?')}, {first.get('measurementIterations', '?')} x "
          f"{first.get('measurementTime', '?')} measured (first benchmark's settings).")


if __name__ == "__main__":
    main(sys.argv)
