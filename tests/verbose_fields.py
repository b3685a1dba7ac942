#!/usr/bin/env python3
"""verbose_fields.py - a field that wirelab emits only with -v comes without -v
when -e names it (and so when -Y does), as in tshark, where every field is
always there to filter on.

  verbose_fields.py WIRELAB CAPTURE...

The field names of `read -T json -v` that `read -T json` lacks, each on the
first capture that has it: `read -T fields -e NAME` prints the same without -v
as with it. A name missing there is a field left out of its dissector's
fields_verbose table (or the core's wl_core_fields_verbose)."""
import json
import os
import subprocess
import sys


def capture_args(cap):
    """The lab's decode-as rules and secrets, as check and the golden traces use them."""
    base = os.path.splitext(cap)[0]
    args = []
    if os.path.exists(base + ".keylog"):
        args += ["--keylog", base + ".keylog"]
    if os.path.exists(base + ".ntpassword"):
        with open(base + ".ntpassword") as f:
            args += ["--smb-password", f.read().strip()]
    if os.path.exists(base + ".snmp_users"):
        args += ["--snmp-users", base + ".snmp_users"]
    return args


def json_names(wirelab, cap, extra):
    out = subprocess.run([wirelab, "read", "-r", cap, "-T", "json"] + capture_args(cap) + extra,
                         capture_output=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        names |= set(json.loads(line).get("fields", {}))
    return names


def fields_out(wirelab, cap, name, extra):
    return subprocess.run([wirelab, "read", "-r", cap, "-T", "fields", "-e", name] + extra +
                          capture_args(cap), capture_output=True, text=True).stdout


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    wirelab, caps = sys.argv[1], sys.argv[2:]
    first = {}  # each -v-only name, on the first capture that has it
    for cap in caps:
        for name in sorted(json_names(wirelab, cap, ["-v"]) - json_names(wirelab, cap, [])):
            first.setdefault(name, cap)
    if os.environ.get("WIRELAB_VERBOSE_NAMES_CHECK", "1") == "0":
        # A sanitizer build (the second CI stage): the reads above ran every
        # capture with and without -v under the sanitizers; the per-name runs
        # below check logic, the same whatever the compiler, in the gcc stage.
        print("%d -v-only field names on %d captures; per-name check skipped" % (len(first), len(caps)))
        return 0 if first else 1
    bad = []
    for name, cap in sorted(first.items()):
        plain = fields_out(wirelab, cap, name, [])
        # the same values as with -v (empty bytes print as nothing in both)
        if plain != fields_out(wirelab, cap, name, ["-v"]):
            bad.append("%s: -e %s differs without -v" % (os.path.basename(cap), name))
    for b in bad:
        print("FAIL " + b)
    print("%d -v-only field names on %d captures, %d not shown alike when named" %
          (len(first), len(caps), len(bad)))
    if not first:
        print("FAIL: no -v-only field found: the check checked nothing")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
