#!/usr/bin/env python3
"""text_vs_tshark.py - the text view's tshark options against tshark 4.0 on
the same captures (pcaps/*.pcap and the public corpus):

  -x         every frame's hex block, byte for byte (with -v every frame has
             a line, so the blocks pair one to one with tshark -x's; tshark's
             further blocks of reassembled or decrypted data are not ours);
  -t, -u     the time column of each frame's first line, for every -t format
             (in a time zone with summer time, so local and UTC differ) and
             -u hms, against tshark's _ws.col.Time, on TIME_FILES: the lab's
             captures and the corpus's longest (hours, days, a year).

  text_vs_tshark.py WIRELAB [CAPTURE...]

Two corpus files are left out of -x: their records are longer than the
file's snaplen, which libpcap clamps (wirelab gets 1 and 143 bytes) and
tshark's own reader does not."""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tshark_cache  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")
TIME_FORMATS = [(t, "s") for t in "r d dd e a ad adoy u ud udoy".split()] + [("r", "hms"), ("d", "hms")]
TIME_FILES = ["pcaps/tcp-time.pcap", "pcaps/ftp.pcap", "pcaps/ntp.pcap",
              "../shared/corpus/snmp/snmp.pcap", "../shared/corpus/snmp/snmpv3_synthetic.pcap",
              "../shared/corpus/ntp/ntp.pcap"]
ENV = dict(os.environ, TZ="America/New_York")
HEXLINE = re.compile(r"^[0-9a-f]{4,8}  ")


def run(cmd):
    if cmd[0] == "tshark":
        return tshark_cache.run(cmd, env=ENV).stdout.decode("utf-8", "replace")
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", env=ENV).stdout


def hex_blocks(text):
    """The frames' hex blocks. tshark follows a frame's block with one per
    further data source ("Reassembled TCP (3835 bytes):", "Decrypted TLS"),
    and then heads the frame's own "Frame (216 bytes):"; wirelab prints the
    frame's bytes only, so only those are compared."""
    blocks, cur, source = [], [], None
    for line in text.splitlines():
        if HEXLINE.match(line):
            cur.append(line)
            continue
        if cur and source in (None, "Frame"):
            blocks.append("\n".join(cur))
        cur = []
        source = line.split(" (")[0] if line.endswith("bytes):") else None
    if cur and source in (None, "Frame"):
        blocks.append("\n".join(cur))
    return blocks


def check_hex(wirelab, f):
    ours = hex_blocks(run([wirelab, "read", "-r", f, "-v", "-x"]))
    theirs = hex_blocks(run(["tshark", "-r", f, "-x"]))
    if ours == theirs:
        return 0
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            print(f"{f}: -x frame block {i + 1} differs:\n{a}\n--- tshark:\n{b}")
            return 1
    print(f"{f}: -x {len(ours)} frame blocks, tshark {len(theirs)}")
    return 1


def first_lines(text):
    """Each frame's first line, after the frame number and its space."""
    seen = {}
    for line in text.splitlines():
        num = line[:7].strip()
        if not HEXLINE.match(line) and num.isdigit() and line[7:8] == " " and num not in seen:
            seen[num] = line[8:].lstrip()
    return seen


def check_times(wirelab, f):
    bad = 0
    for t, u in TIME_FORMATS:
        ours = first_lines(run([wirelab, "read", "-r", f, "-v", "-t", t, "-u", u]))
        theirs = run(["tshark", "-r", f, "-t", t, "-u", u, "-T", "fields",
                      "-e", "frame.number", "-e", "_ws.col.Time"])
        compared = 0
        for line in theirs.splitlines():
            num, tm = line.split("\t")
            if num in ours:
                compared += 1
                if not ours[num].startswith(tm + "  "):
                    print(f"{f}: -t {t} -u {u}: frame {num}: {ours[num][:40]!r}, tshark {tm!r}")
                    bad += 1
                    break
        if not compared:
            print(f"{f}: -t {t}: no frame compared")
            bad += 1
    return bad


def main():
    wirelab = sys.argv[1]
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(ROOT, "pcaps", "*.pcap")) +
                                   glob.glob(os.path.join(CORPUS, "*", "*.pcap*")))
    hexed = files   # records longer than the snaplen come whole, as in tshark (capture/pcapfile.c)
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        jobs = [pool.submit(check_hex, wirelab, f) for f in hexed]
        # the corpus files only where the corpus is (a clone elsewhere has pcaps/ alone)
        times = [os.path.join(ROOT, f) for f in TIME_FILES]
        jobs += [pool.submit(check_times, wirelab, f) for f in times if os.path.exists(f)]
        bad = sum(j.result() for j in jobs)
    ntimes = sum(os.path.exists(os.path.join(ROOT, f)) for f in TIME_FILES)
    print(f"-x on {len(hexed)} captures, -t on {ntimes}: {bad} disagreements with tshark")
    return 1 if bad or not hexed else 0


if __name__ == "__main__":
    sys.exit(main())
