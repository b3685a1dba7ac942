#!/usr/bin/env python3
"""lab_json_check.py WIRELAB [EXCHANGE|all]: `wirelab lab X -T json` writes JSON Lines only.

Every line of stdout must be one JSON object: a message of the trace (it has "frame",
"proto" and "type") or a step of the lab (it has "type":"step", "step" and, but for
nothing else, "exchange"). Each exchange that ran must say start, trace and summary,
and its summary must say ok; a skipped exchange says why. Exit 0, or 1 with the line.
"""
import collections
import json
import subprocess
import sys


def fail(msg):
    print("lab_json_check: " + msg)
    sys.exit(1)


def main():
    wirelab, name = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "all"
    p = subprocess.run([wirelab, "lab", name, "-T", "json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=1800)
    steps = collections.defaultdict(list)
    messages = 0
    for no, raw in enumerate(p.stdout.split(b"\n"), 1):
        if not raw:
            continue
        try:
            rec = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            fail("stdout line %d is not JSON (%s): %r" % (no, e, raw[:200]))
        if not isinstance(rec, dict):
            fail("stdout line %d is not a JSON object: %r" % (no, raw[:200]))
        if rec.get("type") == "step":
            if "step" not in rec:
                fail("line %d: a step without its name: %r" % (no, raw[:200]))
            steps[rec.get("exchange")].append(rec)
        elif {"frame", "proto", "type"} <= rec.keys():
            messages += 1
        else:
            fail("line %d is neither a message nor a step: %r" % (no, raw[:200]))
    if not steps:
        fail("no steps at all; stderr: %s" % p.stderr.decode(errors="replace")[-2000:])
    ran = 0
    for exchange, recs in steps.items():
        if exchange is None:
            continue
        kinds = [r["step"] for r in recs]
        if "skipped" in kinds:
            print("%s: skipped (%s)" % (exchange, recs[kinds.index("skipped")].get("reason")))
            continue
        for want in ("start", "trace", "summary"):
            if want not in kinds:
                fail("%s: no %s step (steps: %s)" % (exchange, want, kinds))
        summary = recs[kinds.index("summary")]
        if summary.get("result") != "ok":
            fail("%s: result %s: %s" % (exchange, summary.get("result"), summary.get("reason")))
        ran += 1
    if p.returncode != 0:
        fail("exit status %d; stderr: %s" % (p.returncode, p.stderr.decode(errors="replace")[-2000:]))
    print("%d exchanges, %d messages, every line of stdout a JSON object" % (ran, messages))


if __name__ == "__main__":
    main()
