#!/usr/bin/env python3
"""text_without_fields.py - reads that keep fewer fields print the same (issue 24).

  text_without_fields.py WIRELAB PCAP|DIR...

Two ways a read makes only some of its fields, each checked against the same
read with WIRELAB_DISSECT_ALL=1, which makes them all:
- `wirelab read` with the text or ladder view and no -v keeps no field but the
  secrets (wl_opts.no_fields: the view prints none, and counts the secrets);
- -T fields and -T ek make no text and no note (wl_opts.no_texts), and
  -T fields of header columns dissects no application (wl_opts.headers_only);
- a display filter and -T fields keep only the fields they read
  (wl_opts.want_field): in the text view without -v, with -T fields, and in
  the first pass of a filter on headers alone, which decides whether a read
  prints any frame.
On every capture given, both must print the same bytes: no text, note, count
or closing line depended on a field that was not made, and no filter lost a
frame. A capture's X.keylog / X.ntpassword / X.snmp_users come along, so the
decrypted and secret-bearing paths are read too.
"""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tshark_fields import captures      # tests/: the capture files under the paths
from verbose_fields import capture_args  # tests/: a capture's key log, password, SNMP users

# Filters that pass some frames of most captures and fail others, on the
# headers (a first pass), on applications (flows pruned), on protocols by
# their fields (ntlmssp inside smb2), on a payload and on a negation.
FILTERS = [
    "tcp.flags.syn == 1 || udp.port == 53",
    "frame.number <= 20 && ip.addr == 127.0.0.1",
    "dns || ftp.request.command || snmp || ldap.protocolOp",
    "ntlmssp || smb2.cmd == 5 || tls.handshake.type == 11",
    "tcp.payload contains 00:00 && !tcp.analysis.retransmission",
    "tcp.port == 1",
]
# Filters on headers for -T fields: one that matches no frame (its first pass
# is the whole answer), and ones whose first pass must find the frame that matches.
FIELDS_FILTERS = ["tcp.port == 1", "tcp.flags.syn == 1 && tcp.len > 0", "ip.addr == 127.0.0.1 && frame.number > 3",
                  "udp.length > 100 || tcp.window_size_value < 1000", "tcp.stream == 2 && tcp.seq > 1",
                  "tcp.analysis.retransmission || tcp.analysis.duplicate_ack", "tcp.analysis.flags && tcp.len < 10",
                  "tcp && frame.len > 1000", "tcp.stream == 3", "frame.number == 5",
                  "udp.stream == 1 || frame.len > 1400"]

# -T fields makes the fields its columns and its filter read: columns of the
# core, of applications, of a protocol inside another, of the TCP analysis, an
# alias and a protocol.
COLUMNS = ["frame.number", "ip.addr", "tcp.srcport", "udp.length", "dns.qry.name", "ftp.request.command",
           "tcp.analysis.ack_rtt", "smb2.cmd", "ntlmssp.auth.username", "tls.handshake.type",
           "snmp.name", "ldap.protocolOp", "ssh.protocol", "tcp.stream", "tcp.payload", "ntp"]

# Columns of the headers alone: the applications are not dissected at all
# (wl_qplan_columns_below_apps).
HEADER_COLUMNS = ["frame.number", "frame.time_epoch", "frame.len", "eth.src", "ip.src", "ip.ttl", "ipv6.dst",
                  "tcp.srcport", "tcp.seq", "tcp.ack", "tcp.len", "tcp.flags", "tcp.window_size", "tcp.stream",
                  "tcp.analysis.ack_rtt", "tcp.analysis.bytes_in_flight", "tcp.analysis.flags", "tcp.payload",
                  "udp.port", "udp.stream", "icmp.type"]

ALL = dict(os.environ, WIRELAB_DISSECT_ALL="1")


def read(wirelab, args, env=None):
    r = subprocess.run([wirelab, "read", "--color=never"] + args, capture_output=True, timeout=300, env=env)
    return r.returncode, r.stdout


def reads(pcap):
    base = ["-r", pcap] + capture_args(pcap)
    yield base, "text"
    yield base + ["-T", "ladder"], "ladder"
    for f in FILTERS:
        yield base + ["-Y", f], "text -Y '%s'" % f
    for f in FIELDS_FILTERS:
        yield base + ["-Y", f, "-T", "fields", "-e", "frame.number"], "-T fields -Y '%s'" % f
    cols = [a for e in COLUMNS for a in ("-e", e)]
    yield base + ["-T", "fields"] + cols, "-T fields (columns)"
    yield base + ["-T", "fields", "-Y", FILTERS[2]] + cols, "-T fields (columns) -Y '%s'" % FILTERS[2]
    yield base + ["-T", "ek"], "-T ek"
    hcols = [a for e in HEADER_COLUMNS for a in ("-e", e)]
    yield base + ["-T", "fields"] + hcols, "-T fields (header columns)"
    yield base + ["-T", "fields", "-Y", "tcp.len > 0 || udp"] + hcols, "-T fields (header columns) -Y"


def check(wirelab, pcap):
    bad = []
    n = 0
    for args, what in reads(pcap):
        n += 1
        fewer, whole = read(wirelab, args), read(wirelab, args, ALL)
        if fewer != whole:
            bad.append("text_without_fields: %s %s: differs from the read with every field (rc %d vs %d)"
                       % (pcap, what, fewer[0], whole[0]))
    return n, bad


def main():
    wirelab, paths = sys.argv[1], sys.argv[2:]
    total = nbad = 0
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for n, bad in pool.map(lambda p: check(wirelab, p), captures(paths)):
            total += n
            nbad += len(bad)
            for line in bad:
                print(line)
    print("text_without_fields: %d reads compared, %d differ" % (total, nbad))
    return 1 if nbad or not total else 0


if __name__ == "__main__":
    sys.exit(main())
