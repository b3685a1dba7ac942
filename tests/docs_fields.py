#!/usr/bin/env python3
"""docs_fields.py - docs/fields.md lists exactly wirelab's own fields (issue 20 item 3).

  docs_fields.py WIRELAB DOCS/fields.md

The names under wl.* that `wirelab read --list-fields` prints (the dissectors'
.fields tables) against the rows of the doc's table: a field missing from the doc,
or a row for a field that no longer exists, fails the test.
"""
import re
import subprocess
import sys


def main():
    wirelab, doc = sys.argv[1], sys.argv[2]
    out = subprocess.run([wirelab, "read", "--list-fields"], capture_output=True, text=True,
                         check=True).stdout
    emitted = {line.split("\t")[1] for line in out.splitlines()
               if line.startswith("F\t") and line.split("\t")[1].startswith("wl.")}
    with open(doc, encoding="utf-8") as f:
        listed = set(re.findall(r"^\| `(wl\.[^`]+)` \|", f.read(), re.M))
    bad = 0
    for name in sorted(emitted - listed):
        print(f"docs_fields: {name} is a field of wirelab and not in {doc}")
        bad += 1
    for name in sorted(listed - emitted):
        print(f"docs_fields: {doc} lists {name}, which wirelab does not have")
        bad += 1
    if not emitted:
        print("docs_fields: wirelab read --list-fields gave no wl.* field")
        bad += 1
    print(f"docs_fields: {len(emitted)} wl.* fields, {len(listed)} rows, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
