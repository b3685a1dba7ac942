#!/usr/bin/env python3
"""corpus_check.py - whole-corpus checks for ctest, around ../shared/tools/fieldcheck.

  corpus_check.py WIRELAB CORPUS sweep
      every capture through `wirelab read`: no crash, hang or sanitizer report.
  corpus_check.py WIRELAB CORPUS fields PROTO MIN_RECALL MAX_EXTRA [tshark]
      fieldcheck --proto PROTO over every capture (over CORPUS/PROTO only when that
      folder exists, e.g. ssh, dns): recall and extras against tshark (its stored
      references, or tshark run now with the last argument).

Exits 77 (ctest: skipped) when the corpus or fieldcheck is absent. A run that
exits 2 because a decode-as rule of the corpus names a dissector that does not
exist yet is reported but tolerated: it resolves as dissectors land."""
import glob, os, re, subprocess, sys

TOLERATED = re.compile(r"CRASH exit 2: .*decode-as rule .*unknown protocol")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    wirelab, corpus, mode = sys.argv[1:4]
    tool = os.path.join(corpus, "..", "tools", "fieldcheck")
    pcaps = sorted(glob.glob(os.path.join(corpus, "*", "*.pcap*")))
    if not os.path.isdir(corpus) or not os.path.exists(tool) or not pcaps:
        print("skipped: no corpus at %s" % corpus)
        return 77
    cmd = [sys.executable, tool, "--wirelab", wirelab, "--timeout", "120"]
    if mode == "sweep":
        cmd += ["--sweep"]
    else:
        proto, min_recall, max_extra = sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
        cmd += ["--proto", proto]
        if os.path.isdir(os.path.join(corpus, proto)) and proto != "tcp":
            # an application protocol: its own folder, against its stored references
            pcaps = sorted(glob.glob(os.path.join(corpus, proto, "*.pcap*")))
        if len(sys.argv) > 7 and sys.argv[7] == "tshark":
            # no stored reference for this protocol: tshark makes it now
            import shutil
            if not shutil.which("tshark"):
                print("skipped: tshark is not installed")
                return 77
            cmd += ["--tshark"]
    out = subprocess.run(cmd + pcaps, capture_output=True, text=True)
    text = out.stdout + out.stderr
    bad = []
    for line in text.splitlines():
        if " CRASH " in line or ": CRASH" in line:
            if TOLERATED.search(line):
                print("tolerated (dissector not there yet): " + line)
            else:
                bad.append(line)
    tail = [l for l in text.splitlines() if l.startswith("fieldcheck:") or l.startswith("peak memory")]
    print("\n".join(tail))
    for line in bad:
        print("FAIL: " + line)
    if mode != "sweep":
        m = re.search(r"fieldcheck: (\d+)/(\d+) reference values matched \(([\d.]+)%\), (\d+) extra", text)
        if not m:
            print(text[-3000:])
            print("FAIL: no figure from fieldcheck")
            return 1
        matched, total, extra = int(m.group(1)), int(m.group(2)), int(m.group(4))
        recall = 100.0 * matched / total if total else 0.0
        if recall < min_recall:
            bad.append("recall %.2f%% < %s%%" % (recall, min_recall))
            print("\n".join(l for l in text.splitlines() if "only" in l)[:5000])
        if extra > max_extra:
            bad.append("%d extra > %d" % (extra, max_extra))
        for b in bad[-2:]:
            print("FAIL: " + b)
    print("%d passed, %d failed" % (0 if bad else 1, 1 if bad else 0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
