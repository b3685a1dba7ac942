#!/usr/bin/env python3
"""gen_core_kinds.py - one generated capture per kind of issue 26 items 4 and 5, and
what wirelab must say of each.

  gen_core_kinds.py WIRELAB [OUTDIR]     write the captures, read each with wirelab -v -T json, check
  gen_core_kinds.py --write OUTDIR       only write them (to look at them with tshark)

Kinds:
  wrap.pcap       a TCP transfer whose sequence numbers cross 2^32, then a capture gap of
                  more than 2^31 bytes (a multi-gigabyte transfer with holes): compared
                  modulo 2^32 (RFC 1982), no segment after the wrap or the gap is taken for
                  a retransmission, and the data after the gap is still delivered.
  null.pcap       DLT_NULL with the BSD AF values for IPv6 (24, 28, 30) in both byte
                  orders, IPv4, and an unknown family, which must be said, not dropped.
  loop.pcap       DLT_LOOP (big-endian, and a writer's little-endian) with AF 24 and 2.
  6in4.pcap       IPv6 in IPv4 (protocol 41): the outer ip.src/ip.dst and the inner ipv6.*.
  icmperr.pcap    ICMP port unreachable quoting IPv4+UDP, ICMPv6 destination unreachable
                  quoting IPv6+UDP: the quoted header's fields after the outer ones, as
                  tshark repeats them.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

A4, B4 = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
A6 = bytes.fromhex("20010db8000000000000000000000001")
B6 = bytes.fromhex("20010db8000000000000000000000002")


def pcap(path, linktype, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1000 + i // 1000, (i % 1000) * 1000, len(fr), len(fr)))
            f.write(fr)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, payload, ident=1):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ip6(src, dst, nxt, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, 64, src, dst) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0x1234) + payload


def tcp(sport, dport, seq, ack, flags, payload=b"", win=512):
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff, 5 << 4, flags,
                       win, 0, 0) + payload


SYN, ACK, PSH, FIN = 2, 16, 8, 1


def wrap_frames():
    """Client ISN 2^32 - 100: its bytes cross the wrap at once; then a gap of 2^31 + 2^20."""
    c, s = 0xffffffff - 99, 5000
    cp, sp = 40000, 9000
    out = []

    def c2s(seq, ack, fl, data=b""):
        out.append(ip4(A4, B4, 6, tcp(cp, sp, seq, ack, fl, data)))

    def s2c(seq, ack, fl, data=b""):
        out.append(ip4(B4, A4, 6, tcp(sp, cp, seq, ack, fl, data)))

    c2s(c, 0, SYN)
    s2c(s, c + 1, SYN | ACK)
    c2s(c + 1, s + 1, ACK)
    seq = c + 1
    for i in range(4):                      # 4 x 64 bytes: crosses 2^32 in the 2nd
        c2s(seq, s + 1, PSH | ACK, bytes([0x41 + i]) * 64)
        seq += 64
        s2c(s + 1, seq, ACK)
    seq += (1 << 31) + (1 << 20)            # the capture misses 2 GiB + 1 MiB
    c2s(seq, s + 1, PSH | ACK, b"after the gap\n")
    seq += 14
    s2c(s + 1, seq, ACK)
    c2s(seq, s + 1, FIN | ACK)
    s2c(s + 1, seq + 1, FIN | ACK)
    c2s(seq + 1, s + 2, ACK)
    return out


def write(outdir):
    os.makedirs(outdir, exist_ok=True)
    u4 = ip4(A4, B4, 17, udp(1111, 2222, b"v4"))
    u6 = ip6(A6, B6, 17, udp(1111, 2222, b"v6"))
    pcap(os.path.join(outdir, "wrap.pcap"), 101, wrap_frames())
    pcap(os.path.join(outdir, "null.pcap"), 0, [
        struct.pack("<I", 24) + u6, struct.pack("<I", 28) + u6, struct.pack("<I", 30) + u6,
        struct.pack(">I", 24) + u6, struct.pack(">I", 28) + u6, struct.pack(">I", 30) + u6,
        struct.pack("<I", 2) + u4, struct.pack(">I", 2) + u4, struct.pack("<I", 7) + u4])
    pcap(os.path.join(outdir, "loop.pcap"), 108, [
        struct.pack(">I", 24) + u6, struct.pack("<I", 24) + u6, struct.pack(">I", 2) + u4])
    pcap(os.path.join(outdir, "6in4.pcap"), 101, [ip4(A4, B4, 41, u6)])
    q4 = ip4(A4, B4, 17, udp(1111, 2222, b"quoted"))
    icmp4 = struct.pack("!BBHI", 3, 3, 0, 0) + q4[:28]
    icmp4 = icmp4[:2] + struct.pack("!H", csum(icmp4)) + icmp4[4:]
    q6 = ip6(A6, B6, 17, udp(1111, 2222, b"quoted"))
    icmp6 = struct.pack("!BBHI", 1, 4, 0, 0) + q6[:48]
    pcap(os.path.join(outdir, "icmperr.pcap"), 101, [ip4(B4, A4, 1, icmp4), ip6(B6, A6, 58, icmp6)])


def read(wirelab, path):
    out = subprocess.run([wirelab, "read", "-v", "-T", "json", "-r", path], capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def as_list(v):
    return v if isinstance(v, list) else [v]


def check(wirelab, outdir):
    bad = []

    def expect(cond, what):
        if not cond:
            bad.append(what)

    msgs = read(wirelab, os.path.join(outdir, "wrap.pcap"))
    segs = [m for m in msgs if m.get("proto") == "tcp"]
    flagged = [m["frame"] for m in segs if any(k.startswith("tcp.analysis.retransmission") or
                                                k == "tcp.analysis.out_of_order" for k in m["fields"])]
    expect(not flagged, "wrap: no retransmission or out-of-order, got frames %s" % flagged)
    lost = [m["frame"] for m in segs if "tcp.analysis.lost_segment" in m["fields"]]
    expect(lost == [12], "wrap: the segment after the gap is 'previous segment not captured': %s" % lost)
    datas = [m for m in msgs if m.get("proto") == "data"]
    expect(any("after the gap" in m.get("text", "") for m in datas), "wrap: the data after the gap delivered")
    seq5 = [m for m in segs if m["frame"] == 8]
    expect(seq5 and seq5[0]["fields"].get("tcp.seq") == 129 and seq5[0]["fields"].get("tcp.seq_raw") == 29,
           "wrap: relative seq 129 across the wrap (raw 29)")

    for name, n6, n4 in (("null.pcap", 6, 2), ("loop.pcap", 2, 1)):
        msgs = read(wirelab, os.path.join(outdir, name))
        v6 = [m for m in msgs if m.get("proto") == "udp" and "ipv6.src" in m["fields"]]
        v4 = [m for m in msgs if m.get("proto") == "udp" and "ip.src" in m["fields"]]
        expect(len(v6) == n6 and len(v4) == n4, "%s: %d IPv6 and %d IPv4 datagrams, got %d and %d" %
               (name, n6, n4, len(v6), len(v4)))
        frames = {m["frame"] for m in msgs}
        expect(len(frames) == n6 + n4 + (name == "null.pcap"), "%s: every frame has a message" % name)
    unknown = [m for m in read(wirelab, os.path.join(outdir, "null.pcap")) if m["frame"] == 9]
    expect(unknown and any("address family 7" in n["text"] for n in unknown[0].get("notes", [])),
           "null: the unknown family is said")

    m = [m for m in read(wirelab, os.path.join(outdir, "6in4.pcap")) if m.get("proto") == "udp"]
    f = m[0]["fields"] if m else {}
    expect(as_list(f.get("ip.src")) == ["10.0.0.1"] and as_list(f.get("ip.dst")) == ["10.0.0.2"] and
           f.get("ip.proto") == 41, "6in4: the outer IPv4 header")
    expect(as_list(f.get("ipv6.src")) == ["2001:db8::1"] and f.get("ipv6.nxt") == 17, "6in4: the inner IPv6 header")

    msgs = read(wirelab, os.path.join(outdir, "icmperr.pcap"))
    i4 = [m for m in msgs if m.get("proto") == "icmp"]
    f = i4[0]["fields"] if i4 else {}
    expect(as_list(f.get("ip.src")) == ["10.0.0.2", "10.0.0.1"] and as_list(f.get("ip.proto")) == [1, 17] and
           f.get("udp.srcport") == 1111 and f.get("udp.dstport") == 2222,
           "icmp: outer then quoted ip.src, ip.proto, and the quoted UDP ports: %s" % f)
    i6 = [m for m in msgs if m.get("proto") == "icmpv6"]
    f = i6[0]["fields"] if i6 else {}
    expect(as_list(f.get("ipv6.src")) == ["2001:db8::2", "2001:db8::1"] and f.get("udp.dstport") == 2222,
           "icmpv6: outer then quoted ipv6.src and the quoted UDP ports: %s" % f)
    for b in bad:
        print("FAIL " + b)
    print("%d checks failed" % len(bad))
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--write":
        write(sys.argv[2])
        return 0
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    outdir = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="wl-kinds-")
    write(outdir)
    return check(sys.argv[1], outdir)


if __name__ == "__main__":
    sys.exit(main())
