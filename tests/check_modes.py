#!/usr/bin/env python3
"""check_modes.py WIRELAB: every mode of `wirelab check`, on copies of pcaps/ in a
temporary folder (run from the source folder, as ctest does).

The deliberately changed capture is pcaps/ftp.pcap with the reply to PASS turned
from "230 Login successful" into "530 Login successful": every mode must fail on it
and name frame 11's ftp.response.code, 230 → 530. JUnit reports are validated with
xmllint against both schemas CI systems read them with (tests/data/junit/), TAP
with PyYAML when it is there. Exit 0, or 1 with what failed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

try:
    import yaml
except ImportError:  # python3-yaml: the YAML blocks are then checked by their shape only
    yaml = None

WIRELAB = os.path.abspath(sys.argv[1])
SRC = os.getcwd()
PCAPS = os.path.join(SRC, "pcaps")
SCHEMAS = [os.path.join(SRC, "tests", "data", "junit", x)
           for x in ("jenkins-junit-10.xsd", "windyroad-JUnit.xsd")]
TSV = os.path.join(SRC, "tests", "data", "tshark", "ftp.tsv")
CHANGED_FIELD = "frame 11 ftp.response.code: 230 → 530"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL: " + what)
    return cond


def run(*args, stdin=subprocess.DEVNULL):
    p = subprocess.run([WIRELAB, "check"] + list(args), stdin=stdin, capture_output=True,
                       env=dict(os.environ, TZ="UTC", LC_ALL="C"))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def copy_capture(name, into, exts=("pcap", "trace", "jsonl", "keylog", "ntpassword", "snmp_users"), as_name=None):
    os.makedirs(into, exist_ok=True)
    for ext in exts:
        src = os.path.join(PCAPS, "%s.%s" % (name, ext))
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(into, "%s.%s" % (as_name or name, ext)))


def changed_ftp(into, exts=("trace", "jsonl")):
    """pcaps/ftp.pcap with the login reply's code changed, beside ftp's expected files."""
    copy_capture("ftp", into, exts)
    data = open(os.path.join(PCAPS, "ftp.pcap"), "rb").read()
    assert data.count(b"230 Login successful") >= 1
    open(os.path.join(into, "ftp.pcap"), "wb").write(data.replace(b"230 Login successful",
                                                                  b"530 Login successful", 1))


def summary(out):
    lines = out.rstrip("\n").split("\n")
    return lines[-1] if lines else ""


# ---- the modes ----

def test_plain(tmp):
    n = len([f for f in os.listdir(PCAPS) if f.endswith(".pcap")])
    rc, out, err = run("pcaps")
    check(rc == 0, "check pcaps: exit %d: %s" % (rc, err))
    check(summary(out) == "%d passed, 0 failed" % n, "summary line: %r" % summary(out))
    check(all(l.startswith("ok   ") for l in out.split("\n")[:-2]), "every capture ok")
    d = os.path.join(tmp, "changed")
    changed_ftp(d)
    rc, out, err = run(d)
    check(rc == 1, "changed capture: exit %d" % rc)
    check("FAIL %s/ftp.pcap: differs from %s/ftp.trace; differs from %s/ftp.jsonl" % (d, d, d) in out,
          "changed: the FAIL line names both files")
    check(re.search(r"^-\s+11\s.*230 Login successful\.", out, re.M) and
          re.search(r"^\+\s+11\s.*530 Login successful\.", out, re.M), "changed: the unified diff")
    check(summary(out) == "0 passed, 1 failed", "changed: summary %r" % summary(out))


def test_fields(tmp):
    d = os.path.join(tmp, "changed")
    changed_ftp(d)
    rc, out, _ = run("--diff", "fields", d)
    check(rc == 1 and CHANGED_FIELD in out, "--diff fields names the field: %s" % out)
    check("wl.note.info" in out and "ftp wl.text" in out, "--diff fields: the notes and text too")
    # a new wording but not a new meaning: the field alone
    rc, out, _ = run("--ignore-notes", "--ignore", "wl.text", "--ignore", "frame.time*", d)
    lines = out.strip().split("\n")
    check(rc == 1 and lines == ["FAIL %s/ftp.pcap: 1 field differs from %s/ftp.jsonl" % (d, d),
                                CHANGED_FIELD, "0 passed, 1 failed"], "--ignore: %r" % lines)
    rc, out, _ = run("--ignore-notes", "--ignore", "wl.text,ftp.response.code", d)
    check(rc == 0, "--ignore of every changed field passes: %s" % out)
    rc, out, _ = run("--expect-fields", "ftp.response.code", d)
    check(rc == 1 and CHANGED_FIELD in out, "--expect-fields names the field: %s" % out)
    rc, out, _ = run("--expect-fields", "ftp.request.*,tcp.len", d)
    check(rc == 0, "--expect-fields of unchanged fields passes: %s" % out)
    rc, _, err = run("--diff", "text", "--ignore", "x", d)
    check(rc == 2 and "--diff text" in err, "--ignore with --diff text is a usage error")


def test_jobs(tmp):
    d = os.path.join(tmp, "many")
    names = sorted(f[:-5] for f in os.listdir(PCAPS) if f.endswith(".pcap"))
    for k in range(3):
        for n in names:
            copy_capture(n, d, as_name="%s-%d" % (n, k))
    changed_ftp(os.path.join(tmp, "ch"))
    for ext in ("pcap", "trace", "jsonl"):
        shutil.copyfile(os.path.join(tmp, "ch", "ftp." + ext), os.path.join(d, "ftp-changed." + ext))
    outs = {}
    for j in ("1", "2", "7"):
        rc, out, _ = run("-j", j, d)
        outs[j] = out
        check(rc == 1, "-j %s: exit %d" % (j, rc))
    check(outs["1"] == outs["2"] == outs["7"], "-j 1, 2 and 7 print the same, in the same order")
    check(summary(outs["1"]) == "%d passed, 1 failed" % (3 * len(names)), "-j: %s" % summary(outs["1"]))
    _, tap1, _ = run("-j", "1", "--tap", d)
    _, tap2, _ = run("-j", "2", "--tap", d)
    check(tap1 == tap2, "-j: TAP in the same order")
    rc, _, err = run("-j", "0", d)
    check(rc == 2, "-j 0 is a usage error")


def parse_tap(text):
    """Test points and their YAML blocks; checks the TAP 14 shape on the way."""
    lines = text.split("\n")
    check(lines[0] == "TAP version 14", "TAP: the version line: %r" % lines[0])
    m = re.fullmatch(r"1\.\.(\d+)", lines[1])
    check(m is not None, "TAP: the plan: %r" % lines[1])
    points, i = [], 2
    while i < len(lines):
        line = lines[i]
        pm = re.fullmatch(r"(not )?ok (\d+) - (.*)", line)
        if pm:
            points.append({"ok": not pm.group(1), "n": int(pm.group(2)), "name": pm.group(3)})
        elif line == "  ---":
            j = lines.index("  ...", i)
            block = "\n".join(l[2:] for l in lines[i + 1:j])
            check(all(l.startswith("  ") for l in lines[i + 1:j]), "TAP: YAML indented by 2")
            if yaml:
                points[-1]["yaml"] = yaml.safe_load(block)
            else:
                points[-1]["yaml"] = {"message": "", "diff": block}
            i = j
        else:
            check(line == "" or line.startswith("# "), "TAP: an unknown line %r" % line)
        i += 1
    check(m and [p["n"] for p in points] == list(range(1, int(m.group(1)) + 1)), "TAP: numbered 1..N")
    return points


def test_tap(tmp):
    d = os.path.join(tmp, "changed")
    changed_ftp(d)
    copy_capture("dns", d)
    rc, out, _ = run("--tap", "--diff", "fields", d)
    check(rc == 1, "--tap: exit %d" % rc)
    points = parse_tap(out)
    check([(p["ok"], os.path.basename(p["name"])) for p in points] == [(True, "dns.pcap"), (False, "ftp.pcap")],
          "--tap: the points: %r" % points)
    y = points[1].get("yaml", {})
    check(CHANGED_FIELD in y.get("diff", ""), "--tap: the YAML diff names the field")
    if yaml:
        check(y.get("severity") == "fail" and "differ" in y.get("message", ""), "--tap: message/severity")
    check(out.rstrip("\n").endswith("# 1 passed, 1 failed"), "--tap: the summary comment")
    rc, out, _ = run("--tap", d)
    points = parse_tap(out)
    check("+++ actual" in points[1].get("yaml", {}).get("diff", ""), "--tap: a text diff in YAML")


def validate_junit(path, what):
    if not check(shutil.which("xmllint") is not None, "xmllint is needed: apt-get install libxml2-utils"):
        return
    for xsd in SCHEMAS:
        p = subprocess.run(["xmllint", "--noout", "--schema", xsd, path], capture_output=True, text=True)
        check(p.returncode == 0, "%s: not valid against %s: %s" % (what, os.path.basename(xsd),
                                                                   p.stderr[-2000:]))


def test_junit(tmp):
    d = os.path.join(tmp, "junit")
    changed_ftp(d)
    copy_capture("dns", d)
    # an expected file with bytes XML cannot carry, and markup, for the diff to hold
    copy_capture("udp-hello", d)
    trace = os.path.join(d, "udp-hello.trace")
    data = open(trace, "rb").read().split(b"\n")
    data.insert(3, b"\x00\x01\x07\x1b[31m red \xff\xfe\xc0\xaf \xef\xbf\xbe ]]> &amp; <b>\"'\r x")
    open(trace, "wb").write(b"\n".join(data))
    open(os.path.join(d, "broken.pcap"), "wb").write(b"not a capture at all")
    report = os.path.join(tmp, "report.xml")
    rc, out, _ = run("--junit", report, d)
    check(rc == 1, "--junit: exit %d" % rc)
    check(summary(out) == "1 passed, 3 failed", "--junit: the plain lines too: %s" % summary(out))
    validate_junit(report, "report.xml")
    suite = ET.parse(report).getroot().find("testsuite")
    check(suite.get("tests") == "4" and suite.get("failures") == "2" and suite.get("errors") == "1",
          "--junit: counts %r" % suite.attrib)
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    check(sorted(cases) == ["broken", "dns", "ftp", "udp-hello"], "--junit: one testcase per capture")
    check(cases["dns"].find("failure") is None and cases["dns"].find("error") is None, "--junit: dns passes")
    check(cases["broken"].find("error") is not None, "--junit: an unreadable capture is an error")
    f = cases["ftp"].find("failure")
    check(f is not None and "ftp.trace" in f.get("message") and "530 Login successful" in f.text,
          "--junit: the failure's message and its diff")
    u = cases["udp-hello"].find("failure")
    check(u is not None and "]]> &amp; <b>\"'\r x" in u.text and "\ufffd" in u.text,
          "--junit: markup kept as text, what XML cannot carry as U+FFFD")
    rc, out, _ = run("--junit", "-", "--diff", "fields", os.path.join(d, "ftp.pcap"))
    validate_junit_text = os.path.join(tmp, "stdout.xml")
    open(validate_junit_text, "w").write(out)
    validate_junit(validate_junit_text, "--junit -")
    f = ET.fromstring(out).find("testsuite/testcase/failure")
    check(f is not None and CHANGED_FIELD in f.text, "--junit - --diff fields: the field in the failure")


def test_formats(tmp):
    d = os.path.join(tmp, "formats")
    copy_capture("ftp", d, ("pcap", "trace"))
    rc, out, _ = run(d)
    check(rc == 1 and "no %s/ftp.jsonl" % d in out, "a missing X.jsonl fails by default: %s" % out)
    rc, _, _ = run("--format", "trace", d)
    check(rc == 0, "--format trace compares only the trace")
    rc, _, _ = run("--format", "json", d)
    check(rc == 1, "--format json needs X.jsonl")
    rc, _, _ = run("--format", "both", d)
    check(rc == 1, "--format both needs X.jsonl")
    rc, _, err = run("--format", "pdf", d)
    check(rc == 2 and "--format" in err, "--format pdf is a usage error")
    c = os.path.join(tmp, "fmt-changed")
    changed_ftp(c, ("trace",))
    rc, out, _ = run("--format", "trace", c)
    check(rc == 1 and "differs from %s/ftp.trace" % c in out, "--format trace: the changed trace")


def test_tsv(tmp):
    d = os.path.join(tmp, "tshark")
    copy_capture("ftp", d, ("pcap",))
    shutil.copyfile(TSV, os.path.join(d, "ftp.tsv"))
    rc, out, _ = run(d)
    check(rc == 0, "a tshark suite (X.pcap + X.tsv) passes: %s" % out)
    rc, out, _ = run("--format", "tsv", d)
    check(rc == 0, "--format tsv passes: %s" % out)
    c = os.path.join(tmp, "tshark-changed")
    changed_ftp(c, ())
    shutil.copyfile(TSV, os.path.join(c, "ftp.tsv"))
    rc, out, _ = run(c)
    check(rc == 1 and "1 value differs from %s/ftp.tsv" % c in out and CHANGED_FIELD in out,
          "the TSV names the changed field: %s" % out)
    rc, out, _ = run("--expect-fields", "ftp.request.*,tcp.*", c)
    check(rc == 0, "--expect-fields picks the TSV's columns: %s" % out)
    # without frame.number: rows are frames in order
    rows = [l.split("\t")[1:] for l in open(TSV).read().rstrip("\n").split("\n")]
    open(os.path.join(c, "ftp.tsv"), "w").write("\n".join("\t".join(r) for r in rows) + "\n")
    rc, out, _ = run(c)
    check(rc == 1 and CHANGED_FIELD in out, "a TSV without frame.number: %s" % out)
    # beside the trace and the JSON, the TSV is compared too
    b = os.path.join(tmp, "all-three")
    changed_ftp(b)
    shutil.copyfile(TSV, os.path.join(b, "ftp.tsv"))
    rc, out, _ = run(b)
    check(rc == 1 and "ftp.tsv" in out.split("\n")[0], "X.tsv beside X.trace and X.jsonl: %s" % out[:300])
    n = os.path.join(tmp, "no-tsv")
    copy_capture("ftp", n)
    rc, out, _ = run("--format", "tsv", n)
    check(rc == 1 and "no %s/ftp.tsv" % n in out, "--format tsv without X.tsv fails: %s" % out)


def test_headers(tmp):
    d = os.path.join(tmp, "headers")
    copy_capture("dns", d)
    trace, jsonl = os.path.join(d, "dns.trace"), os.path.join(d, "dns.jsonl")
    first = open(trace).readline()
    check(re.fullmatch(r"# wirelab \S+ check: read -T text --color=never\n", first), "trace header %r" % first)
    version = first.split()[2]
    j = open(jsonl).readline()
    check(j == '{"type":"expect","wirelab":"%s","options":["-T","json"]}\n' % version, "json header %r" % j)
    rc, out, _ = run(d)
    check(rc == 0 and "warning" not in out, "a current header: no warning")
    # an older wirelab wrote them
    for p in (trace, jsonl):
        text = open(p).read().replace(version, "0.0.1", 1)
        open(p, "w").write(text)
    rc, out, _ = run(d)
    check(rc == 0 and "warning: %s was written by wirelab 0.0.1; this is wirelab %s" % (trace, version) in out
          and "warning: %s was written by wirelab 0.0.1" % jsonl in out, "another version: warned: %s" % out)
    rc, out, _ = run("--tap", d)
    check("# warning: %s was written by wirelab 0.0.1" % trace in out, "--tap: the warning as a comment")
    # no header (an older suite): compared whole, no warning
    for p in (trace, jsonl):
        text = open(p).read()
        open(p, "w").write(text[text.index("\n") + 1:])
    rc, out, _ = run(d)
    check(rc == 0 and "warning" not in out, "no header: accepted, no warning: %s" % out)
    # other options: -v makes other files, and says so
    rc, out, _ = run("--update", "--yes", "-v", d)
    check(rc == 0 and open(trace).readline().endswith("check: read -T text --color=never -v\n"),
          "--update -v records -v")
    rc, out, _ = run(d)
    check(rc == 1 and "was written by `wirelab read -T text --color=never -v`; this check runs "
          "`wirelab read -T text --color=never`" in out, "other options: warned: %s" % out[-600:])


def test_update(tmp):
    d = os.path.join(tmp, "update")
    changed_ftp(d)
    copy_capture("dns", d)
    copy_capture("udp-hello", d, ("pcap", "trace"))
    old = open(os.path.join(d, "ftp.trace"), "rb").read()
    rc, out, err = run("--update", d)
    check(rc == 2 and "--yes" in err, "--update without a terminal or --yes: exit %d %s" % (rc, err))
    check(open(os.path.join(d, "ftp.trace"), "rb").read() == old, "--update without --yes writes nothing")
    check(re.search(r"ftp\.trace\s+changed: \+\d+ -\d+ lines", out) and re.search(r"ftp\.jsonl\s+changed", out),
          "--update says what changes: %s" % out)
    check(re.search(r"udp-hello\.jsonl\s+new", out) and "dns." not in out, "--update: new, unchanged")
    check("3 files of 2 captures to rewrite (3 captures checked)" in out, "--update: the count: %s" % out)
    rc, out, _ = run("--update", "--yes", d)
    check(rc == 0 and "3 files rewritten" in out, "--update --yes writes: %s" % out)
    rc, out, _ = run(d)
    check(rc == 0, "after --update the check passes: %s" % out)
    rc, out, _ = run("--update", "--yes", d)
    check(rc == 0 and "every expected file is up to date" in out, "--update again: nothing to do")
    trace = os.path.join(d, "dns.trace")
    text = open(trace).read()
    open(trace, "w").write(text[text.index("\n") + 1:])
    rc, out, _ = run("--update", "--yes", d)
    check(re.search(r"dns\.trace\s+header only", out), "--update: header only: %s" % out)
    for bad in (["--update", "--tap"], ["--update", "--junit", "x.xml"], ["--yes"],
                ["--update", "--format", "tsv"], ["no-such-folder"]):
        rc, _, _ = run(*bad)
        check(rc == 2, "usage error: %s" % " ".join(bad))


def main():
    with tempfile.TemporaryDirectory(prefix="wirelab-check-modes-") as tmp:
        for name, fn in sorted(globals().items()):
            if name.startswith("test_") and callable(fn):
                sub = os.path.join(tmp, name)
                os.makedirs(sub)
                before = len(failures)
                fn(sub)
                print("%s: %s" % (name, "FAILED" if len(failures) > before else "ok"))
    if failures:
        print("check_modes: %d failed" % len(failures))
        return 1
    print("check_modes: every mode as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
