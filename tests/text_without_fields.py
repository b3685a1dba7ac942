#!/usr/bin/env python3
"""text_without_fields.py - the ladder read without fields is the ladder (issue 24).

  text_without_fields.py WIRELAB PCAP|DIR...

`wirelab read` with the text or ladder view and no -v keeps no field but the
secrets (wl_opts.no_fields: the view prints none, and counts the secrets). The
same view through a display filter that passes every frame (`-Y frame`) keeps
them all, as any filter must. This checks, on every capture given, that both
print the same bytes: that no text, note, count or closing line of the ladder
depended on a field. A capture's X.keylog / X.ntpassword / X.snmp_users come
along, so the decrypted and secret-bearing paths are read too.
"""
import subprocess
import sys

from tshark_fields import captures      # tests/: the capture files under the paths
from verbose_fields import capture_args  # tests/: a capture's key log, password, SNMP users


def read(wirelab, args):
    r = subprocess.run([wirelab, "read", "--color=never"] + args, capture_output=True, timeout=300)
    return r.returncode, r.stdout


def main():
    wirelab, paths = sys.argv[1], sys.argv[2:]
    bad = n = 0
    for pcap in captures(paths):
        for view in ([], ["-T", "ladder"]):
            args = ["-r", pcap] + capture_args(pcap) + view
            plain, filtered = read(wirelab, args), read(wirelab, args + ["-Y", "frame"])
            n += 1
            if plain != filtered:
                bad += 1
                print("text_without_fields: %s %s: the ladder differs without fields (rc %d vs %d)"
                      % (pcap, " ".join(view) or "text", plain[0], filtered[0]))
    print("text_without_fields: %d reads compared, %d differ" % (n, bad))
    return 1 if bad or not n else 0


if __name__ == "__main__":
    sys.exit(main())
