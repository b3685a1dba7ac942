#!/usr/bin/env python3
"""run.py - times readers of one capture, interleaved, and prints the table.

  run.py --wirelab build/wirelab --runs 5 CAPTURE

Each command reads CAPTURE with its output sent to /dev/null; the commands run
one after the other, RUNS rounds (so slow drifts of the machine hit them all
alike). Per run: wall time, CPU seconds (user+sys, from wait4) and peak RSS
(GNU time, else wait4). The table gives medians, packets/s and MB/s from the
wall time, packets per CPU second (steadier on a shared machine), and both
rates as multiples of `wirelab read -T json`'s."""
import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.len",
          "tcp.flags", "udp.srcport", "udp.dstport"]


def count_packets(path):
    n = 0
    with open(path, "rb") as f:
        hdr = f.read(24)
        e = "<" if hdr[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        rec = struct.Struct(e + "IIII")
        while True:
            h = f.read(16)
            if len(h) < 16:
                break
            incl = rec.unpack(h)[2]
            f.seek(incl, 1)
            n += 1
    return n


def commands(wirelab, cap, skip_tshark):
    c = [
        ("wirelab read -T json", [wirelab, "read", "-r", cap, "-T", "json"]),
        ("wirelab read -T json --one-thread", [wirelab, "read", "-r", cap, "-T", "json", "--one-thread"]),
        ("wirelab read -T text", [wirelab, "read", "-r", cap, "-T", "text"]),
        ("wirelab read -T ladder", [wirelab, "read", "-r", cap, "-T", "ladder"]),
        ("wirelab read -T fields (%d)" % len(FIELDS),
         [wirelab, "read", "-r", cap, "-T", "fields"] + sum((["-e", f] for f in FIELDS), [])),
    ]
    if shutil.which("tcpdump"):
        c += [(LIMIT, ["tcpdump", "-r", cap, "-w", "/dev/null"]),
              ("tcpdump -n -r", ["tcpdump", "-n", "-r", cap]),
              ("tcpdump -vv -n -r", ["tcpdump", "-vv", "-n", "-r", cap])]
    if shutil.which("tshark") and not skip_tshark:
        c += [("tshark -n -r", ["tshark", "-n", "-r", cap]),
              ("tshark -T fields (%d)" % len(FIELDS),
               ["tshark", "-n", "-r", cap, "-T", "fields"] + sum((["-e", f] for f in FIELDS), []))]
    return c


GNU_TIME = "/usr/bin/time"
# libpcap's own read loop, copying every packet: what reading the file costs (issue 24)
LIMIT = "tcpdump -r -w /dev/null"


def run_once(argv):
    """(wall s, cpu s, peak RSS MiB, exit). GNU time measures the command alone;
    wait4 on a child of Python would count Python's pages from before the exec."""
    with open(os.devnull, "wb") as null, tempfile.NamedTemporaryFile("r") as tf:
        gnu = os.access(GNU_TIME, os.X_OK)
        if gnu:
            argv = [GNU_TIME, "-f", "%U %S %M", "-o", tf.name] + argv
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=null, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        cpu, rss = ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0
        if gnu:
            last = tf.read().strip().splitlines()[-1].split()
            cpu, rss = float(last[0]) + float(last[1]), int(last[2]) / 1024.0
    return wall, cpu, rss, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wirelab", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-tshark", action="store_true")
    ap.add_argument("--only", help="comma-separated prefixes of the commands to run")
    ap.add_argument("capture")
    a = ap.parse_args()
    npk = count_packets(a.capture)
    mb = os.path.getsize(a.capture) / 1e6
    cmds = commands(a.wirelab, a.capture, a.skip_tshark)
    if a.only:
        cmds = [c for c in cmds if any(c[0].startswith(p) for p in a.only.split(","))]
    res = {name: [] for name, _ in cmds}
    for r in range(a.runs):
        for name, argv in cmds:
            w, cpu, rss, rc = run_once(argv)
            res[name].append((w, cpu, rss))
            print("run %d/%d  %-26s %7.2f s wall %7.2f s cpu %8.1f MiB  exit %d"
                  % (r + 1, a.runs, name, w, cpu, rss, rc), file=sys.stderr, flush=True)
    print("\n%s: %d packets, %.1f MB; median of %d runs each, interleaved\n" % (a.capture, npk, mb, a.runs))
    print("| command | packets/s | MB/s | wall s | CPU s | packets/CPU-s | peak RSS MiB | vs wirelab -T json (packets/s, packets/CPU-s) | wall / the read limit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    limit = statistics.median(x[0] for x in res[LIMIT]) if res.get(LIMIT) else None
    ref = None
    rows = []
    for name, _ in cmds:
        w = statistics.median(x[0] for x in res[name])
        cpu = statistics.median(x[1] for x in res[name])
        rss = max(x[2] for x in res[name])
        pps = npk / w if w else 0
        cps = npk / cpu if cpu else 0
        if ref is None and name == "wirelab read -T json":
            ref, cref = pps, cps
        rows.append((name, pps, mb / w if w else 0, w, cpu, cps, rss))
    for name, pps, mbs, w, cpu, cps, rss in rows:
        ratio = "%.2f× / %.2f×" % (pps / ref, cps / cref) if ref and cref else "-"
        times = "%.1f×" % (w / limit) if limit else "-"
        print("| `%s` | %s | %.1f | %.3f | %.3f | %s | %.1f | %s | %s |"
              % (name, format(int(pps), ","), mbs, w, cpu, format(int(cps), ","), rss, ratio, times))


if __name__ == "__main__":
    main()
