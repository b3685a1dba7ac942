#!/usr/bin/env python3
"""hostile_pcap.py - writes a hostile capture (pcap, Ethernet) and optionally
checks that `wirelab read` gets through it with bounded memory.

  hostile_pcap.py -n 200000 -o hostile.pcap [--seed 1]
  hostile_pcap.py -n 200000 -o hostile.pcap --run build/wirelab --max-rss-mib 256

The packets, mixed at random (seeded, so the file is the same every time):
  - random TCP segments on many flows that never close: out of order,
    overlapping, retransmitted, with holes that never fill;
  - a SYN flood from random addresses and ports (each a new flow: the flow
    table's cap and eviction);
  - one long stream without a PDU boundary to the FTP port (a line-based
    dissector waits for an end of line that never comes: the buffering cap);
  - UDP datagrams to random ports, IPv4 fragments that never complete (the
    fragment caps), and garbage frames cut at random lengths.
Only the standard library: the pcap is written by hand."""
import argparse
import os
import random
import resource
import struct
import subprocess
import sys
import time


def csum(b):
    return 0  # checksums are not verified by wirelab nor tshark by default


def ipv4(src, dst, proto, payload, ident=0, frag=0x4000):
    total = 20 + len(payload)
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, ident, frag, 64, proto, 0, src, dst) + payload


def tcp(sport, dport, seq, ack, flags, payload, win=65535):
    return struct.pack(">HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff, 5 << 4,
                       flags, win, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


ETH = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"


class Gen:
    def __init__(self, seed, nflows):
        self.r = random.Random(seed)
        self.blob = bytes(self.r.getrandbits(8) for _ in range(1 << 16))
        # printable bytes without an end of line, for the long stream
        self.text = bytes(self.r.randrange(0x20, 0x7f) for _ in range(1 << 16))
        self.flows = []
        for i in range(nflows):
            c = bytes([10, 1 + (i >> 16) % 200, (i >> 8) & 255, i & 255])
            s = bytes([10, 250, 0, 1 + i % 7])
            self.flows.append([c, s, 20000 + i % 40000, self.r.choice([80, 443, 21, 25, 4444, 8080]),
                               self.r.getrandbits(32), self.r.getrandbits(32), False])
        self.long_seq = 1
        self.long_started = False
        self.ident = 0

    def payload(self, n):
        o = self.r.randrange(0, len(self.blob) - n)
        return self.blob[o:o + n]

    def flow_segment(self):
        r = self.r
        f = r.choice(self.flows)
        c, s, cp, sp = f[0], f[1], f[2], f[3]
        if not f[6]:
            f[6] = True
            return ipv4(c, s, 6, tcp(cp, sp, f[4], 0, 0x02, b""))
        d = r.random() < 0.4
        n = r.choice([0, 0, 1, 10, 100, 536, 1200])
        key = 5 if d else 4
        off = r.choice([0, 0, 0, 0, -n, -(n // 2), n, 3 * n, 5000, -70000])
        seq = f[key] + 1 + off
        if off == 0:
            f[key] = (f[key] + n) & 0xffffffff
        pl = self.payload(n)
        if d:
            return ipv4(s, c, 6, tcp(sp, cp, seq, f[4] + 1, 0x18, pl, r.choice([65535, 0, 512])))
        return ipv4(c, s, 6, tcp(cp, sp, seq, f[5] + 1, 0x18, pl))

    def syn_flood(self):
        r = self.r
        src = bytes([r.randrange(1, 224), r.getrandbits(8), r.getrandbits(8), r.getrandbits(8)])
        return ipv4(src, b"\x0a\xfa\x00\x01", 6, tcp(r.randrange(1024, 65536), 80, r.getrandbits(32), 0, 0x02, b""))

    def long_stream(self):
        c, s = b"\x0a\x09\x09\x09", b"\x0a\xfa\x00\x09"
        if not self.long_started:
            self.long_started = True
            return ipv4(c, s, 6, tcp(50000, 21, 0, 0, 0x02, b""))
        o = self.r.randrange(0, len(self.text) - 1400)
        pkt = ipv4(c, s, 6, tcp(50000, 21, self.long_seq, 1, 0x18, self.text[o:o + 1400]))
        self.long_seq += 1400
        return pkt

    def udp_dgram(self):
        r = self.r
        src = bytes([10, 3, r.getrandbits(8), r.getrandbits(8)])
        return ipv4(src, b"\x0a\xfa\x00\x02", 17,
                    udp(r.randrange(1024, 65536), r.choice([53, 123, 161, 389, 9999]), self.payload(r.choice([0, 12, 48, 300]))))

    def fragment(self):
        r = self.r
        self.ident = (self.ident + 1) & 0xffff
        off = r.randrange(0, 8000) // 8
        more = 0x2000 if r.random() < 0.9 else 0
        return ipv4(b"\x0a\x04\x00\x01", b"\x0a\xfa\x00\x03", 17, self.payload(r.choice([8, 64, 1024])),
                    ident=r.getrandbits(16), frag=more | off)

    def garbage(self):
        r = self.r
        p = self.payload(r.randrange(1, 200))
        if r.random() < 0.5:  # an IPv4-looking start
            p = b"\x45" + p
        return p

    def packet(self):
        x = self.r.random()
        if x < 0.45:
            return self.flow_segment()
        if x < 0.60:
            return self.syn_flood()
        if x < 0.75:
            return self.long_stream()
        if x < 0.85:
            return self.udp_dgram()
        if x < 0.93:
            return self.fragment()
        return self.garbage()


def write(path, n, seed, nflows):
    g = Gen(seed, nflows)
    ts = 1700000000 * 1000000
    with open(path, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        hdr = struct.Struct("<IIII")
        for i in range(n):
            frame = ETH + g.packet()
            ts += g.r.choice([10, 100, 1000])
            # 2% cut short, some inside the Ethernet header (a frame with no field)
            caplen = len(frame) if g.r.random() > 0.02 else g.r.randrange(6, len(frame) + 1)
            if i == 0:
                caplen = 6   # the first frame without a field, before any other (the gate's ids)
            f.write(hdr.pack(ts // 1000000, ts % 1000000, caplen, len(frame)))
            f.write(frame[:caplen])


def run(wirelab, path, max_rss_mib, fmt, query=()):
    t0 = time.time()
    argv = [wirelab, "read", "-r", path, "-T", fmt] + list(query)
    gnu = os.access("/usr/bin/time", os.X_OK)
    if gnu:  # measures wirelab alone (a child of Python counts Python's pages before exec)
        argv = ["/usr/bin/time", "-f", "%M", "-o", path + ".rss"] + argv
    with open(os.devnull, "wb") as null:
        p = subprocess.run(argv, stdout=null, stderr=subprocess.PIPE)
    dt = time.time() - t0
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if gnu:
        with open(path + ".rss") as f:
            rss_kib = int(f.read().split()[-1])
    print("wirelab read -T %s%s: exit %d, %.1f s, peak RSS %.1f MiB (cap %d MiB)"
          % (fmt, "".join(" " + q for q in query), p.returncode, dt, rss_kib / 1024.0, max_rss_mib))
    err = p.stderr.decode(errors="replace")
    if p.returncode != 0 or "Sanitizer" in err or "runtime error" in err:
        print(err[-3000:])
        return 1
    if rss_kib > max_rss_mib * 1024:
        print("FAIL: peak memory over the cap")
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=200000, help="packets (default 200000)")
    ap.add_argument("-o", required=True, help="output pcap")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flows", type=int, default=20000, help="long-lived random flows")
    ap.add_argument("--run", metavar="WIRELAB", help="then run `WIRELAB read -T json` on it")
    ap.add_argument("--format", default="json")
    ap.add_argument("--max-rss-mib", type=int, default=256)
    a = ap.parse_args()
    t0 = time.time()
    write(a.o, a.n, a.seed, a.flows)
    print("%s: %d packets, %.1f MB, written in %.1f s" % (a.o, a.n, os.path.getsize(a.o) / 1e6, time.time() - t0))
    if a.run:
        # and through the query path (the gate, the filter, -T fields), which
        # sees each frame's messages whole, the field-less ones too
        rcs = [run(a.run, a.o, a.max_rss_mib, a.format),
               run(a.run, a.o, a.max_rss_mib, "fields",
                   ["-Y", "frame.len > 0 || tcp.port == 1", "-e", "frame.number", "-e", "ip.src"])]
        print("%d passed, %d failed" % (rcs.count(0), len(rcs) - rcs.count(0)))
        return 1 if any(rcs) else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
