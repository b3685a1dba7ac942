#!/usr/bin/env python3
"""tshark_fields.py - wirelab's fields against tshark's, on every frame of real captures.

  tshark_fields.py [options] WIRELAB PCAP|DIR...

Two measures, per protocol (issue 20):
  coverage   of the field names tshark 4.0 shows for a protocol (PDML; value-carrying
             types only, tshark's own _ws.* and label-only FT_NONE/FT_PROTOCOL items
             left out), how many wirelab emits anywhere in the same captures;
  agreement  for every name wirelab emits that tshark knows (tshark -G fields), on every
             frame where either has it: equal (the same values, as a multiset, after the
             normalisation of shared/tools/fieldcheck), wirelab-only (extra), tshark-only
             (missing on that frame), or different.

Captures: pcaps/ files are read with the lab's decode-as rules for tshark (the lab ports,
see shared/LAB.md section 13) and X.keylog as TLS key log, X.ntpassword as the SMB/NTLM password and X.snmp_users as SNMPv3 users for both tools; corpus files with
the rules of <corpus>/reference/DECODE-AS. Extra wirelab options with --wirelab-arg.

Output: a table per protocol, then (with -v) the names tshark has and wirelab lacks, and the
first disagreements per name. --json FILE writes the figures for a test to assert on.
--min-coverage P / --min-agreement P make the exit status 1 when a protocol falls short.

--known DIR (tests/tshark_known; the ctest corpus_fields_all): every disagreement, frame
by frame, must be documented by a rule of DIR/*.known, a line
    CAPTURE FRAMES FIELD VERDICT why
CAPTURE a file name (a glob), FRAMES * or a list like 3,10-12, FIELD a name (a glob),
VERDICT extra (only wirelab has it), missing (only tshark), differ, or *; `why` names the
cause and its evidence (a test, a Wireshark source file). The exit status is 1 for a
disagreement no rule documents, and for a rule that documents nothing on the captures
read (it agrees now: drop it).
"""
import argparse
import collections
import concurrent.futures
import fnmatch
import importlib.machinery
import importlib.util
import json
import os
import re
import subprocess
import sys
import shutil
import xml.etree.ElementTree as ET

import tshark_cache   # tests/: the gcc stage's tshark answers serve the ASan stage

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared")
AGG = "\x1f"

# The lab's ports, as tshark must be told them (wirelab finds them by probing).
LAB_DECODE_AS = [
    "tcp.port==2222,ssh", "tcp.port==2121,ftp", "udp.port==1161,snmp", "tcp.port==3389,ldap",
    "tcp.port==4445,nbss", "udp.port==1053,dns", "tcp.port==1053,dns", "udp.port==1123,ntp",
    "udp.port==11123,ntp", "tcp.port==8443,tls", "tcp.port==8444,tls", "tcp.port==4443,tls",
]

# Protocol names as PDML has them -> the report's row (x509 parts are one row).
ROW = {"x509af": "x509", "x509ce": "x509", "x509if": "x509", "x509sat": "x509",
       "ftp-data": "ftp-data", "ssl": "tls"}
VALUE_LESS = {"FT_NONE", "FT_PROTOCOL"}
FC = None  # shared/tools/fieldcheck, loaded in main()


def load_fieldcheck():
    path = os.path.join(SHARED, "tools", "fieldcheck")
    loader = importlib.machinery.SourceFileLoader("fieldcheck", path)
    spec = importlib.util.spec_from_loader("fieldcheck", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def tshark_field_types():
    out = tshark_cache.run(["tshark", "-G", "fields"])
    if out.returncode:
        sys.exit("tshark -G fields failed: %s" % out.stderr.decode(errors="replace")[:300])
    types = {}
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[0] == "F":
            types[parts[2]] = parts[3]
    return types


def captures(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in sorted(os.walk(p)):
                for f in sorted(files):
                    if re.search(r"\.(pcap|pcapng|cap)$", f):
                        yield os.path.join(root, f)
        else:
            yield p


def rules_for(pcap):
    """(tshark decode-as rules, keylog or None) for one capture."""
    keylog = os.path.splitext(pcap)[0] + ".keylog"
    keylog = keylog if os.path.exists(keylog) else None
    corpus_rules = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(pcap))),
                                "reference", "DECODE-AS")
    rules = []
    if os.path.exists(corpus_rules):
        for line in open(corpus_rules):
            parts = line.split()
            if len(parts) >= 2 and parts[0] == os.path.basename(pcap):
                rules += parts[1:]
    else:
        rules = list(LAB_DECODE_AS)
    return rules, keylog


def nt_password_for(pcap):
    """The first line of X.ntpassword beside X.pcap (an SMB login's password), or None."""
    path = os.path.splitext(pcap)[0] + ".ntpassword"
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.readline().rstrip("\r\n") or None


def snmp_users_for(pcap):
    """The records of X.snmp_users beside X.pcap (Wireshark's snmp_users table, one a line)
    for tshark, and the file's path for wirelab; ([], None) when there is none. Lines in
    wirelab's USER:AUTH:... form are users tshark 4.0 cannot express (net-snmp's AES-192/256
    under a shorter hash): wirelab alone gets them."""
    path = os.path.splitext(pcap)[0] + ".snmp_users"
    if not os.path.exists(path):
        return [], None
    with open(path) as f:
        return [l.strip() for l in f if l.strip().startswith('"')], path


def tshark_args(pcap, rules, keylog):
    args = ["tshark", "-n", "-r", pcap]
    for r in rules:
        args += ["-d", r]
    if keylog:
        args += ["-o", "tls.keylog_file:" + keylog]
    if nt_password_for(pcap):
        args += ["-o", "ntlmssp.nt_password:" + nt_password_for(pcap)]
    for rec in snmp_users_for(pcap)[0]:
        args += ["-o", "uat:snmp_users:" + rec]
    return args


def pdml_names(pcap, rules, keylog, types):
    """{row: set of field names} tshark shows in this capture (a name's row is its prefix:
    certificates' x509af.* inside tls count as x509), and the (frame, name) pairs whose value
    PDML shows empty (-T fields prints nothing for an empty string)."""
    out = tshark_cache.run(tshark_args(pcap, rules, keylog) + ["-T", "pdml"], timeout=600)
    names = collections.defaultdict(set)
    empty = set()
    try:
        root = ET.fromstring(out.stdout)
    except ET.ParseError:
        return names, empty

    def walk(node, proto, frame):
        for child in node:
            if child.tag == "proto":
                walk(child, child.get("name") or proto, frame)
            elif child.tag == "field":
                n = child.get("name") or ""
                if n and not n.startswith("_ws.") and types.get(n, "FT_NONE") not in VALUE_LESS:
                    names[row_of(n)].add(n)
                    if child.get("show") == "" and child.get("size") == "0":
                        empty.add((frame, n))
                walk(child, proto, frame)
    for packet in root.iter("packet"):
        num = packet.find("proto/field[@name='frame.number']")
        frame = int(num.get("show")) if num is not None else 0
        for proto in packet.findall("proto"):
            if proto.get("name") != "fake-field-wrapper":
                walk(proto, proto.get("name"), frame)
    return names, empty


def wirelab_frames(wirelab, pcap, keylog, extra):
    """{frame: {name: [values]}} from wirelab read -T json."""
    cmd = [wirelab, "read", "-r", pcap, "-T", "json"] + extra
    if keylog:
        cmd += ["--keylog", keylog]
    if nt_password_for(pcap):
        cmd += ["--smb-password", nt_password_for(pcap)]
    if snmp_users_for(pcap)[1]:
        cmd += ["--snmp-users", snmp_users_for(pcap)[1]]
    out = subprocess.run(cmd, capture_output=True, timeout=600)
    frames = collections.defaultdict(lambda: collections.defaultdict(list))
    for line in out.stdout.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if "frame" not in rec:
            continue
        for name, v in (rec.get("fields") or {}).items():
            frames[rec["frame"]][name] += v if isinstance(v, list) else [v]
    return frames


def tshark_frames(pcap, rules, keylog, names):
    """{frame: {name: [values]}} from tshark -T fields, in batches of names."""
    frames = collections.defaultdict(dict)
    # frame.number is the key column: asked twice, tshark leaves the first empty
    want_number = "frame.number" in names
    names = sorted(n for n in names if n != "frame.number")
    for i in range(0, len(names), 150):
        batch = names[i:i + 150]
        cmd = tshark_args(pcap, rules, keylog) + ["-T", "fields", "-E", "occurrence=a",
                                                   "-E", "aggregator=" + AGG, "-E", "separator=/t",
                                                   "-e", "frame.number"]
        for n in batch:
            cmd += ["-e", n]
        out = tshark_cache.run(cmd, timeout=600)
        for line in out.stdout.decode("utf-8", "replace").splitlines():
            cells = line.split("\t")
            if not cells[0].isdigit():
                continue
            fr = int(cells[0])
            if want_number:
                frames[fr]["frame.number"] = [cells[0]]
            for n, cell in zip(batch, cells[1:]):
                values = [v for v in cell.split(AGG) if v != ""]
                if values:
                    frames[fr][n] = values
    return frames


def visible(values, ftype):
    """wirelab's values of one field on one frame as tshark -T fields can print them: an
    empty string prints as nothing (so it cannot be compared), empty bytes as <MISSING>."""
    if values is None:
        return None
    out = []
    for v in values:
        if v == "" and ftype == "FT_BYTES":
            out.append("<MISSING>")
        elif v != "":
            out.append(v)
    return out or None


def norm(v):
    """fieldcheck's normalisation, and numbers with a fraction (FT_RELATIVE_TIME, FT_DOUBLE:
    tshark prints 0.012793000 where JSON has 0.012793) as floats."""
    if isinstance(v, str) and re.fullmatch(r"-?\d+\.\d+", v.strip()):
        return ("f", round(float(v), 6))
    return FC.norm(v)


def row_of(name):
    head = name.split(".")[0]
    return ROW.get(head, head)


# tshark prints a relative time as "0.000043000", wirelab as the JSON number
# 4.3e-05 (or 0): for these types both are numbers, compared to the microsecond.
REAL_TYPES = {"FT_RELATIVE_TIME", "FT_DOUBLE", "FT_FLOAT"}


def real_norm(v):
    try:
        return ("f", round(float(v), 6))
    except (TypeError, ValueError):
        return ("s", str(v))


class Known:
    """The documented disagreements: the rules of DIR/*.known."""

    def __init__(self, folder):
        self.rules = []
        for path in sorted(glob_known(folder)):
            for num, line in enumerate(open(path, encoding="utf-8"), 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                parts = line.split(None, 4)
                if len(parts) < 5 or parts[3] not in ("extra", "missing", "differ", "*") or \
                   not re.fullmatch(r"\*|\d+(-\d+)?(,\d+(-\d+)?)*", parts[1]):
                    sys.exit("%s:%d: want CAPTURE FRAMES FIELD VERDICT why" % (path, num))
                cap, frames, field, verdict, why = parts
                self.rules.append({"where": "%s:%d" % (os.path.basename(path), num), "cap": cap,
                                   "frames": parse_frames(frames), "field": field,
                                   "verdict": verdict, "why": why, "used": 0})

    def why(self, cap, frame, name, verdict):
        for r in self.rules:
            if fnmatch.fnmatchcase(cap, r["cap"]) and fnmatch.fnmatchcase(name, r["field"]) \
               and r["verdict"] in ("*", verdict) and (r["frames"] is None or frame in r["frames"]):
                r["used"] += 1
                return r
        return None

    def unused(self, caps_read):
        return [r for r in self.rules if not r["used"]
                and any(fnmatch.fnmatchcase(c, r["cap"]) for c in caps_read)]


def glob_known(folder):
    return [os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".known")]


def parse_frames(text):
    if text == "*":
        return None
    frames = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        frames.update(range(int(lo), int(hi or lo) + 1))
    return frames


def compare_capture(pcap, wirelab, extra, types):
    """What one capture gives: tshark's names by row, wirelab's names, and a verdict for every
    (frame, name) either tool has."""
    rules, keylog = rules_for(pcap)
    ts_names, empty = pdml_names(pcap, rules, keylog, types)
    wl = wirelab_frames(wirelab, pcap, keylog, extra)
    names = {n for fr in wl.values() for n in fr}
    known = {n for n in names if n in types}
    ts = tshark_frames(pcap, rules, keylog, known)
    verdicts = []
    for fr in sorted(set(wl) | set(ts)):
        for n in sorted(known):
            a = visible(wl.get(fr, {}).get(n), types.get(n))
            b = ts.get(fr, {}).get(n)
            if a is None and b is None:
                continue
            if b is None and (fr, n) in empty and all(v == "" for v in a):
                b = [""] * len(a)   # an empty value: PDML shows it, -T fields cannot
            if a is None:
                verdict = "missing"
            elif b is None:
                verdict = "extra"
            else:
                cmp = real_norm if types.get(n) in REAL_TYPES else norm
                ca = collections.Counter(cmp(v) for v in a)
                cb = collections.Counter(cmp(v) for v in b)
                verdict = "equal" if ca == cb else "differ"
            verdicts.append((fr, n, verdict, a, b))
    return ts_names, names, verdicts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wirelab")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--wirelab-arg", action="append", default=[], help="an extra option for wirelab read")
    ap.add_argument("--only", help="comma-separated rows to report (tcp,smb2,...)")
    ap.add_argument("-v", action="count", default=0)
    ap.add_argument("--json", help="write the figures as JSON to this file")
    ap.add_argument("--min-coverage", type=float)
    ap.add_argument("--min-agreement", type=float)
    ap.add_argument("--known", help="a folder of .known rules: fail on any disagreement they do not document")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    if not shutil.which("tshark") or not os.path.exists(os.path.join(SHARED, "tools", "fieldcheck")):
        print("skipped: tshark or %s/tools/fieldcheck is missing" % SHARED)
        return 77
    global FC
    fc = FC = load_fieldcheck()
    types = tshark_field_types()
    only = set(args.only.split(",")) if args.only else None

    shown = collections.defaultdict(set)       # row -> names tshark shows
    emitted = collections.defaultdict(set)     # row -> names wirelab emits
    tally = collections.defaultdict(collections.Counter)   # name -> equal/extra/missing/differ
    samples = collections.defaultdict(list)    # name -> first disagreements
    unknown = collections.Counter()            # wirelab names tshark does not know
    known_rules = Known(args.known) if args.known else None
    undocumented = []
    caps = list(captures(args.paths))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = pool.map(lambda p: compare_capture(p, args.wirelab, args.wirelab_arg, types), caps)
        for pcap, (ts_names, names, verdicts) in zip(caps, results):
            for row, ns in ts_names.items():
                shown[row] |= ns
            for n in names:
                if n in types:
                    emitted[row_of(n)].add(n)
                elif not n.startswith("wl."):
                    unknown[n] += 1
            cap = os.path.basename(pcap)
            for fr, n, verdict, a, b in verdicts:
                tally[n][verdict] += 1
                if verdict == "equal":
                    continue
                if len(samples[n]) < 3:
                    samples[n].append("%s frame %d: wirelab %s tshark %s" % (cap, fr, a, b))
                if known_rules and not known_rules.why(cap, fr, n, verdict):
                    undocumented.append("%s frame %d %s %s: wirelab %s tshark %s" %
                                        (cap, fr, n, verdict, a, b))

    rows = sorted(set(shown) | set(emitted))
    figures = {}
    print("%-10s %8s %8s %9s %10s %8s %8s %8s" % ("protocol", "tshark", "wirelab", "coverage",
                                                  "agreement", "extra", "missing", "differ"))
    bad = False
    for row in rows:
        if only and row not in only:
            continue
        ts_names = shown[row]
        covered = ts_names & emitted[row]
        cnt = collections.Counter()
        for n in emitted[row]:
            cnt.update(tally[n])
        compared = sum(cnt.values())
        cov = 100.0 * len(covered) / len(ts_names) if ts_names else 100.0
        agr = 100.0 * cnt["equal"] / compared if compared else 100.0
        figures[row] = {"tshark": len(ts_names), "wirelab": len(covered), "coverage": round(cov, 1),
                        "agreement": round(agr, 2), "equal": cnt["equal"], "extra": cnt["extra"],
                        "missing": cnt["missing"], "differ": cnt["differ"],
                        "lacking": sorted(ts_names - emitted[row])}
        print("%-10s %8d %8d %8.1f%% %9.2f%% %8d %8d %8d" % (row, len(ts_names), len(covered), cov, agr,
                                                            cnt["extra"], cnt["missing"], cnt["differ"]))
        if (args.min_coverage is not None and ts_names and cov < args.min_coverage) or \
           (args.min_agreement is not None and compared and agr < args.min_agreement):
            bad = True
    if args.v:
        for row in rows:
            if only and row not in only:
                continue
            lacking = sorted(shown[row] - emitted[row])
            if lacking:
                print("\n%s: tshark shows, wirelab lacks (%d): %s" % (row, len(lacking), " ".join(lacking)))
        print("\ndisagreements (first 3 per name):")
        for n in sorted(samples):
            if only and row_of(n) not in only:
                continue
            t = tally[n]
            print("  %s: equal %d extra %d missing %d differ %d" % (n, t["equal"], t["extra"], t["missing"], t["differ"]))
            for s in samples[n]:
                print("    " + s)
        if unknown:
            print("\nnames wirelab emits that tshark does not know (not wl.*): " +
                  " ".join(sorted(unknown)))
    if known_rules:
        for u in undocumented:
            print("UNDOCUMENTED " + u[:400])
        stale = known_rules.unused({os.path.basename(c) for c in caps})
        for r in stale:
            print("AGREES NOW (drop the rule) %s: %s %s %s" % (r["where"], r["cap"], r["field"], r["verdict"]))
        print("%d disagreements documented by %d rules, %d undocumented, %d rules unused" %
              (sum(r["used"] for r in known_rules.rules), len(known_rules.rules), len(undocumented), len(stale)))
        bad = bad or bool(undocumented) or bool(stale)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": figures, "unknown": sorted(unknown)}, f, indent=1, sort_keys=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
