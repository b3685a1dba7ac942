#!/usr/bin/env python3
"""gen_dns_family.py - a capture of the DNS family that the corpus lacks (issue 26 item 6).

  gen_dns_family.py OUT.pcap

Ethernet/IPv4 frames, written with struct:
  - mDNS (udp 5353): a query with the QU bit, an announcement with cache-flush records;
  - LLMNR (udp 5355): query, a response with the C and T bits; LLMNR over tcp 5355;
  - DNS UPDATE (opcode 5): zone, prerequisite and update sections, and its response;
  - queries and responses with every header flag bit (Z, CD, AD, AA, RA, RD off) over
    UDP and TCP, and rcodes 0-10 and 16+ (through OPT) by name;
  - a query sent twice with the same id (dns.retransmission) over UDP and TCP.
"""
import struct
import sys

T0 = 1700000000


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, ip4(src), ip4(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def eth(payload, dst=b"\x02\0\0\0\0\x02"):
    return dst + b"\x02\0\0\0\0\x01" + b"\x08\x00" + payload


def udp(src, sport, dst, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(u))
    u = u[:6] + struct.pack("!H", csum(ph + u) or 0xFFFF) + u[8:]
    return eth(ipv4(src, dst, 17, u))


def tcp(src, sport, dst, dport, seq, ack, flags, data=b""):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(t))
    t = t[:16] + struct.pack("!H", csum(ph + t)) + t[18:]
    return eth(ipv4(src, dst, 6, t))


def name(n):
    out = b""
    for lab in n.rstrip(".").split("."):
        if lab:
            out += bytes([len(lab)]) + lab.encode()
    return out + b"\0"


def q(n, t=1, c=1):
    return name(n) + struct.pack("!HH", t, c)


def rr(n, t, c, ttl, rdata):
    return name(n) + struct.pack("!HHIH", t, c, ttl, len(rdata)) + rdata


def msg(mid, flags, qd=(), an=(), ns=(), ar=()):
    qd, an, ns, ar = list(qd), list(an), list(ns), list(ar)
    return struct.pack("!HHHHHH", mid, flags, len(qd), len(an), len(ns), len(ar)) + b"".join(qd + an + ns + ar)


class Cap:
    def __init__(self):
        self.frames = []

    def add(self, f):
        self.frames.append(f)

    def write(self, path):
        with open(path, "wb") as o:
            o.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            for i, f in enumerate(self.frames):
                o.write(struct.pack("<IIII", T0 + i // 100, (i % 100) * 10000, len(f), len(f)) + f)


class Tcp:
    """One TCP connection: handshake, DNS messages with the length prefix, teardown."""
    def __init__(self, cap, cli, cport, srv, sport):
        self.cap, self.a, self.b = cap, (cli, cport), (srv, sport)
        self.seq = [1000, 5000]
        cap.add(tcp(cli, cport, srv, sport, 999, 0, 0x02))
        cap.add(tcp(srv, sport, cli, cport, 4999, 1000, 0x12))
        cap.add(tcp(cli, cport, srv, sport, 1000, 5000, 0x10))

    def send(self, d, data):
        s, r = (self.a, self.b) if d == 0 else (self.b, self.a)
        self.cap.add(tcp(s[0], s[1], r[0], r[1], self.seq[d], self.seq[1 - d], 0x18, data))
        self.seq[d] += len(data)

    def dns(self, d, m):
        self.send(d, struct.pack("!H", len(m)) + m)

    def close(self):
        a, b = self.a, self.b
        self.cap.add(tcp(a[0], a[1], b[0], b[1], self.seq[0], self.seq[1], 0x11))
        self.cap.add(tcp(b[0], b[1], a[0], a[1], self.seq[1], self.seq[0] + 1, 0x11))
        self.cap.add(tcp(a[0], a[1], b[0], b[1], self.seq[0] + 1, self.seq[1] + 1, 0x10))


def main():
    cap = Cap()
    C, S = "10.0.0.1", "10.0.0.53"
    a_rd = struct.pack("!4s", ip4("192.0.2.1"))
    mcast = b"\x01\x00\x5e\x00\x00\xfb"
    # mDNS: a QU query, a response with cache-flush records and an NSEC-free announcement
    cap.add(udp(C, 5353, "224.0.0.251", 5353, msg(0, 0x0000, qd=[q("printer.local", 1, 0x8001)])))
    cap.frames[-1] = mcast + cap.frames[-1][6:]
    cap.add(udp(S, 5353, "224.0.0.251", 5353,
                msg(0, 0x8400, an=[rr("printer.local", 1, 0x8001, 120, a_rd),
                                   rr("_ipp._tcp.local", 12, 1, 4500, name("printer._ipp._tcp.local"))])))
    # LLMNR over UDP: query, response with C and T set, and a plain one
    cap.add(udp(C, 50000, "224.0.0.252", 5355, msg(0x1111, 0x0000, qd=[q("host1")])))
    cap.add(udp(S, 5355, C, 50000, msg(0x1111, 0x8500, qd=[q("host1")], an=[rr("host1", 1, 1, 30, a_rd)])))
    cap.add(udp(C, 50001, "224.0.0.252", 5355, msg(0x1112, 0x0400, qd=[q("host2", 28)])))
    cap.add(udp(S, 5355, C, 50001, msg(0x1112, 0x8003, qd=[q("host2", 28)])))
    # LLMNR over TCP
    t = Tcp(cap, C, 50100, S, 5355)
    t.dns(0, msg(0x2221, 0x0000, qd=[q("host3")]))
    t.dns(1, msg(0x2221, 0x8000, qd=[q("host3")], an=[rr("host3", 1, 1, 30, a_rd)]))
    t.close()
    # DNS UPDATE: zone, prerequisite (name in use), update (add an A), and the reply
    upd = msg(0x3333, 0x2800, qd=[q("example.test", 6)],
              an=[rr("www.example.test", 255, 255, 0, b"")],
              ns=[rr("new.example.test", 1, 1, 300, a_rd)])
    cap.add(udp(C, 50200, S, 53, upd))
    cap.add(udp(S, 53, C, 50200, msg(0x3333, 0xA800, qd=[q("example.test", 6)])))
    cap.add(udp(C, 50201, S, 53, upd[:2] + b"\x28\x00" + upd[4:]))  # no update: opcode 5 still
    cap.add(udp(S, 53, C, 50201, msg(0x3333, 0xA808, qd=[q("example.test", 6)])))  # NXRRSET
    # every flag bit in queries and responses, and every rcode 0..10
    flags_q = [0x0000, 0x0100, 0x0140, 0x0110, 0x0130, 0x0020]
    for i, f in enumerate(flags_q):
        mid = 0x4000 + i
        cap.add(udp(C, 50300 + i, S, 53, msg(mid, f, qd=[q("f%d.example.test" % i)])))
        rf = 0x8000 | (f & 0x0130) | [0x0400, 0x0080, 0x0040, 0x0480, 0, 0x0020][i]
        cap.add(udp(S, 53, C, 50300 + i, msg(mid, rf, qd=[q("f%d.example.test" % i)])))
    for rc in range(11):
        mid = 0x5000 + rc
        cap.add(udp(C, 50400 + rc, S, 53, msg(mid, 0x0100, qd=[q("r%d.example.test" % rc)])))
        cap.add(udp(S, 53, C, 50400 + rc, msg(mid, 0x8180 | rc, qd=[q("r%d.example.test" % rc)])))
    # an extended rcode: OPT with high bits 1 and rcode 7 -> 23 BADCOOKIE
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 1 << 24, 0)
    cap.add(udp(C, 50420, S, 53, msg(0x5100, 0x0100, qd=[q("c.example.test")], ar=[opt[:-4] + struct.pack("!IH", 0, 0)])))
    cap.add(udp(S, 53, C, 50420, msg(0x5100, 0x8187, qd=[q("c.example.test")], ar=[opt])))
    # a retransmitted query over UDP (same id, same flow) and its answer
    rq = msg(0x6000, 0x0100, qd=[q("again.example.test")])
    cap.add(udp(C, 50500, S, 53, rq))
    cap.add(udp(C, 50500, S, 53, rq))
    cap.add(udp(S, 53, C, 50500, msg(0x6000, 0x8180, qd=[q("again.example.test")], an=[rr("again.example.test", 1, 1, 60, a_rd)])))
    # DNS over TCP: flag bits, a retransmitted query, two messages in one segment
    t = Tcp(cap, C, 50600, S, 53)
    tq = msg(0x7000, 0x0150, qd=[q("tcp.example.test")])
    t.dns(0, tq)
    t.dns(1, msg(0x7000, 0x85D0, qd=[q("tcp.example.test")], an=[rr("tcp.example.test", 1, 1, 60, a_rd)]))
    t.dns(0, tq)
    m2 = msg(0x7001, 0x0000, qd=[q("two.example.test", 28)])
    t.send(0, struct.pack("!H", len(m2)) + m2 + struct.pack("!H", len(m2)) + m2[:2].replace(b"\x70\x01", b"\x70\x02") + m2[2:])
    t.dns(1, msg(0x7001, 0x8183, qd=[q("two.example.test", 28)]))
    t.close()
    cap.write(sys.argv[1])


if __name__ == "__main__":
    main()
