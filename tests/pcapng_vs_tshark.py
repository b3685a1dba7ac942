#!/usr/bin/env python3
"""pcapng_vs_tshark.py - `wirelab read -T json` against tshark on the pcapng test
captures (tests/data/pcapng/*.pcapng, made by make_pcapng.py) and on the corpus's
multi-interface capture: per frame the frame count, frame.interface_id,
frame.comment, ip.src, ip.dst and the time since the first frame (to the
microsecond wirelab prints). Each capture is also read from a pipe (-r -): the
same output.

  pcapng_vs_tshark.py WIRELAB [CAPTURE...]     compare (tshark now if installed,
                                               else the stored .tsv beside each)
  pcapng_vs_tshark.py --make-ref [CAPTURE...]  write the .tsv files with tshark

The stored .tsv is tshark 4.0's output (see FIELDS); wirelab shows
frame.interface_id only where the frame's section has several interfaces, so
it is compared there only."""
import glob
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "pcapng")
CORPUS_FILE = os.path.join(HERE, "..", "..", "shared", "corpus", "tcp", "pcapng-multi-interface.pcapng")
FIELDS = ["frame.number", "frame.interface_id", "frame.time_epoch", "frame.time_relative",
          "frame.len", "frame.cap_len", "ip.src", "ip.dst", "frame.comment"]
# what a pcapng file says of a frame and wirelab shows with -v only, compared on every
# frame: present on the same frames, the same values
VFIELDS = ["frame.section_number", "frame.interface_name", "frame.interface_description",
           "frame.encap_type", "frame.packet_flags", "frame.packet_flags_direction",
           "frame.packet_flags_reception_type", "frame.packet_flags_fcs_length",
           "frame.packet_flags_reserved", "frame.packet_flags_crc_error",
           "frame.packet_flags_packet_too_error", "frame.packet_flags_packet_too_short_error",
           "frame.packet_flags_wrong_inter_frame_gap_error",
           "frame.packet_flags_unaligned_frame_error",
           "frame.packet_flags_start_frame_delimiter_error", "frame.packet_flags_preamble_error",
           "frame.packet_flags_symbol_error"]
AGG = "\x1f"  # between repeated values: a byte no comment here contains
# frames with frame.interface_id: those of sections with several interfaces (None: all)
SHOWN = {"multi-link": None, "big-endian": None, "two-sections": 2, "spb-opb": 0, "comment": 0,
         "flags": None, "pcapng-multi-interface": None}


def tshark_rows(path):
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "header=y", "-E", "occurrence=a",
           "-E", "aggregator=" + AGG]
    for f in FIELDS + VFIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return out


def unescape(v):
    """tshark -T fields writes a tab in a value as \\t, a newline as \\n."""
    return v.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")


def parse_tsv(text):
    lines = text.rstrip("\n").split("\n")
    head = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        rows.append({h: unescape(c) for h, c in zip(head, cells)})
    return rows


def wirelab_frames(wirelab, path, stdin=False, verbose=False):
    env = dict(os.environ, TZ="UTC", LC_ALL="C")
    opts = ["-T", "json"] + (["-v"] if verbose else [])
    if stdin:
        with open(path, "rb") as f:
            r = subprocess.run([wirelab, "read", "-r", "-"] + opts, stdin=f,
                               capture_output=True, env=env)
    else:
        r = subprocess.run([wirelab, "read", "-r", path] + opts, capture_output=True, env=env)
    if r.returncode != 0:
        raise SystemExit("FAIL: %s: wirelab exit %d: %s" % (path, r.returncode, r.stderr.decode()))
    frames = {}
    for line in r.stdout.decode().splitlines():
        m = json.loads(line)
        fr = frames.setdefault(m["frame"], {"time": m["time"], "fields": {}})
        for k, v in m["fields"].items():
            fr["fields"].setdefault(k, v)
    return frames, r.stdout


def as_list(v):
    return v if isinstance(v, list) else [v]


def compare(wirelab, path, ref):
    bad = []
    frames, out = wirelab_frames(wirelab, path)
    _, piped = wirelab_frames(wirelab, path, stdin=True)
    if piped != out:
        bad.append("read from a pipe differs from read from the file")
    if len(frames) != len(ref):
        bad.append("%d frames, tshark %d" % (len(frames), len(ref)))
    for row in ref:
        n = int(row["frame.number"])
        fr = frames.get(n)
        if fr is None:
            bad.append("frame %d: missing" % n)
            continue
        f = fr["fields"]
        for key in ("ip.src", "ip.dst"):
            want = row[key] or None
            if f.get(key) != want:
                bad.append("frame %d: %s %s, tshark %s" % (n, key, f.get(key), want))
        want_c = row["frame.comment"].split(AGG) if row["frame.comment"] else []
        got_c = as_list(f["frame.comment"]) if "frame.comment" in f else []
        if got_c != want_c:
            bad.append("frame %d: frame.comment %r, tshark %r" % (n, got_c, want_c))
        if "frame.interface_id" in f and str(f["frame.interface_id"]) != row["frame.interface_id"]:
            bad.append("frame %d: frame.interface_id %s, tshark %s" % (n, f["frame.interface_id"],
                                                                    row["frame.interface_id"]))
        rel = row["frame.time_relative"]
        # wirelab prints 6 decimals, truncated from ns; tshark 9
        if rel and abs(fr["time"] - float(rel)) > 1.5e-6:
            bad.append("frame %d: time %.6f, tshark %s" % (n, fr["time"], rel))
    shown = sum("frame.interface_id" in fr["fields"] for fr in frames.values())
    if any(k in fr["fields"] for fr in frames.values() for k in VFIELDS):
        bad.append("-v fields without -v")
    bad += compare_verbose(wirelab, path, ref)
    return bad, shown


def as_token(v):
    """A JSON value and tshark's text of it as one comparable string."""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int):
        return str(v)
    return str(int(v, 16)) if v.startswith("0x") else v


def compare_verbose(wirelab, path, ref):
    """VFIELDS with -v: on the frames where tshark has them, with its values."""
    bad = []
    frames, _ = wirelab_frames(wirelab, path, verbose=True)
    for row in ref:
        n = int(row["frame.number"])
        f = frames.get(n, {"fields": {}})["fields"]
        for key in VFIELDS:
            if key not in row:
                continue  # a stored .tsv from before these fields
            got = as_token(f[key]) if key in f else ""
            if got != as_token(row[key]):
                bad.append("frame %d: -v %s %r, tshark %r" % (n, key, got, row[key]))
    return bad


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    make_ref = args[0] == "--make-ref"
    wirelab = None if make_ref else args[0]
    paths = args[1:] or sorted(glob.glob(os.path.join(DATA, "*.pcapng")))
    have_tshark = shutil.which("tshark") is not None
    if make_ref:
        for p in paths:
            with open(os.path.splitext(p)[0] + ".tsv", "w") as f:
                f.write(tshark_rows(p))
        return 0
    if not args[1:] and os.path.exists(CORPUS_FILE) and have_tshark:
        paths.append(CORPUS_FILE)
    failed = 0
    for p in paths:
        tsv = os.path.splitext(p)[0] + ".tsv"
        if have_tshark:
            ref, how = parse_tsv(tshark_rows(p)), "tshark"
        elif os.path.exists(tsv):
            ref, how = parse_tsv(open(tsv).read()), "stored tshark output"
        else:
            print("skipped %s: no tshark and no stored output" % p)
            continue
        bad, shown = compare(wirelab, p, ref)
        name = os.path.basename(p)
        stem = os.path.splitext(name)[0]
        if stem in SHOWN:
            want = len(ref) if SHOWN[stem] is None else SHOWN[stem]
            if shown != want:
                bad.append("frame.interface_id on %d frames, expected %d" % (shown, want))
        if bad:
            failed += 1
            print("FAIL %s (against %s):" % (name, how))
            for b in bad[:20]:
                print("  " + b)
        else:
            print("ok %s: %d frames as %s (frame.interface_id on %d)" % (name, len(ref), how, shown))
    print("%d passed, %d failed" % (len(paths) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
