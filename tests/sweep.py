#!/usr/bin/env python3
"""sweep.py - every capture through every output of `wirelab read`, whole and cut short.

  sweep.py WIRELAB [-j N] [--cuts K] [--timeout S] PATH...

PATH is a capture or a folder searched for *.pcap, *.pcapng, *.cap (recursively).
Each capture is read with each of MODES, and K copies of it cut short at
evenly spaced byte offsets (a record torn in its header, in its data) are read
with the first two modes. A run fails when it exits on a signal, takes longer
than the timeout, or prints a sanitizer report (ASan, UBSan, LSan); a refused
file (exit 1 or 2 with a message) is not a failure. Build WIRELAB with
-DWIRELAB_SANITIZE=ON to make the sweep mean something:

  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=tests/lsan.supp \\
      tests/sweep.py build-asan/wirelab pcaps ../shared/corpus tests/data

Exit 0 when no run failed, 1 otherwise (each failure is printed with its command).
"""
import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

MODES = [
    ["-T", "json"],
    [],
    ["-vv", "-x"],
    ["-T", "ladder"],
    ["-T", "html"],
    ["-T", "svg"],
    ["-T", "ek"],
    ["-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "ip.src", "-e", "frame.protocols"],
    ["-q", "-z", "conv,tcp", "-z", "conv,udp", "-z", "endpoints,ip", "-z", "io,phs",
     "-z", "expert", "-z", "credentials"],
    ["-q", "-z", "follow,tcp,hex,0", "-z", "follow,udp,ascii,0"],
    ["-Y", "tcp.len > 0 || udp || frame.number == 1"],
]
REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:", "SUMMARY: UndefinedBehavior")


def captures(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        for root, _, names in os.walk(p):
            for n in sorted(names):
                if n.endswith((".pcap", ".pcapng", ".cap", ".pcap.gz")) and not n.startswith("."):
                    yield os.path.join(root, n)


def run(wirelab, cap, mode, timeout):
    cmd = [wirelab, "read", "-r", cap] + mode
    try:
        out = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return cmd, "hung (more than %d s)" % timeout
    err = out.stderr.decode("utf-8", "replace")
    if out.returncode < 0 or out.returncode >= 128:
        return cmd, "exit %d: %s" % (out.returncode, err[-800:])
    for r in REPORTS:
        if r in err:
            at = err.index(r)
            return cmd, "sanitizer: " + err[max(0, at - 200):at + 1200]
    return cmd, None if out.returncode == 0 else "refused"


def cut_copies(n, cap, k, folder):
    """k copies of capture number n cut short (n keeps two captures of one
    name in different folders apart)."""
    data = open(cap, "rb").read()
    if len(data) < 64 or k <= 0:
        return []
    out = []
    base = os.path.basename(cap)
    for i in range(1, k + 1):
        at = len(data) * i // (k + 1)
        path = os.path.join(folder, "%d-%s.cut%d" % (n, base, at))
        with open(path, "wb") as f:
            f.write(data[:at])
        out.append(path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wirelab")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--cuts", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args()
    caps = list(dict.fromkeys(captures(a.paths)))
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(c, m) for c in caps for m in MODES]
        for n, c in enumerate(caps):
            jobs += [(cut, m) for cut in cut_copies(n, c, a.cuts, tmp) for m in MODES[:2]]
        with ThreadPoolExecutor(max_workers=a.j) as pool:
            results = list(pool.map(lambda j: run(a.wirelab, j[0], j[1], a.timeout), jobs))
    bad = [(cmd, why) for cmd, why in results if why and why != "refused"]
    # a mode no capture accepts sweeps nothing: an option that changed, say
    for m in MODES:
        if not any(why is None for (cmd, why), (_, jm) in zip(results, jobs) if jm is m):
            bad.append((["read"] + m, "refused on every capture"))
    for cmd, why in bad:
        print("FAIL: %s\n  %s" % (" ".join(cmd), why.replace("\n", "\n  ")))
    print("sweep: %d captures (%d cut copies each), %d runs, %d failed" %
          (len(caps), a.cuts, len(results), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
