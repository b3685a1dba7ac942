#!/usr/bin/env python3
"""mkcapture.py - builds a large mixed benchmark capture from small ones.

  mkcapture.py -n 1000000 -o big.pcap CAPTURE...

Every input capture (pcap or pcapng; Ethernet, raw IP, Linux cooked v1/v2 and
BSD loopback frames, converted to Ethernet; 802.11 is left out) is replicated
until N packets are written. Replica k has its IP addresses changed (IPv4
octets 2-3 and IPv6 bytes 2-3 XOR k, the same transform in both directions),
so its flows stay distinct from the other replicas' and conversations stay
whole; the IPv4 header checksum and the TCP/UDP/ICMPv6 checksums are adjusted
(RFC 1624) so that verifying tools see no more bad checksums than in the
originals. Timestamps advance 20 us per packet. Standard library only."""
import argparse
import struct
import sys

ETH_HDR = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01"


def frames_pcap(b):
    magic = b[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    lt = struct.unpack(e + "I", b[20:24])[0] & 0x0FFFFFFF
    off = 24
    rec = struct.Struct(e + "IIII")
    while off + 16 <= len(b):
        _, _, incl, orig = rec.unpack_from(b, off)
        data = b[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(data) < incl:
            break
        yield lt, data, orig


def frames_pcapng(b):
    off, e, links = 0, "<", []
    while off + 12 <= len(b):
        btype = struct.unpack_from("<I", b, off)[0]
        if btype == 0x0A0D0D0A:
            e = "<" if b[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack_from(e + "I", b, off + 4)[0]
        if blen < 12 or off + blen > len(b):
            break
        btype = struct.unpack_from(e + "I", b, off)[0]
        if btype == 1:
            links.append(struct.unpack_from(e + "H", b, off + 8)[0])
        elif btype == 6:
            iface, _, _, incl, orig = struct.unpack_from(e + "IIIII", b, off + 8)
            if iface < len(links):
                yield links[iface], b[off + 28:off + 28 + incl], orig
        elif btype == 3 and links:
            orig = struct.unpack_from(e + "I", b, off + 8)[0]
            yield links[0], b[off + 12:off + blen - 4], orig
        off += blen


def to_ethernet(lt, d):
    """(frame, extra wire bytes) as Ethernet, or None."""
    def eth(t, p):
        return ETH_HDR + struct.pack(">H", t) + p
    if lt == 1:
        return d
    if lt in (101, 228, 229, 12, 14):
        if not d:
            return None
        return eth(0x86DD if d[0] >> 4 == 6 else 0x0800, d)
    if lt == 113 and len(d) >= 16:
        return eth(struct.unpack_from(">H", d, 14)[0], d[16:])
    if lt == 276 and len(d) >= 20:
        return eth(struct.unpack_from(">H", d, 0)[0], d[20:])
    if lt in (0, 108) and len(d) >= 4:
        fam = struct.unpack_from("<I" if lt == 0 else ">I", d, 0)[0]
        if fam > 0xFFFF:
            fam = struct.unpack_from(">I" if lt == 0 else "<I", d, 0)[0]
        if fam == 2:
            return eth(0x0800, d[4:])
        if fam in (10, 24, 28, 30):
            return eth(0x86DD, d[4:])
    return None


def csum_adjust(cs, old, new):
    """RFC 1624: HC' = ~(~HC + ~m + m') over the changed 16-bit words."""
    s = (~cs) & 0xFFFF
    for i in range(0, len(old), 2):
        m = old[i] << 8 | old[i + 1]
        m2 = new[i] << 8 | new[i + 1]
        s += ((~m) & 0xFFFF) + m2
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Packet:
    __slots__ = ("data", "wire", "af", "ip", "l4cs")

    def __init__(self, data, wire):
        self.data, self.wire, self.af, self.ip, self.l4cs = data, wire, 0, 0, -1
        off = 12
        t = struct.unpack_from(">H", data, off)[0] if len(data) >= 14 else 0
        while t in (0x8100, 0x88A8) and len(data) >= off + 6:
            off += 4
            t = struct.unpack_from(">H", data, off)[0]
        ip = off + 2
        if t == 0x0800 and len(data) >= ip + 20 and data[ip] >> 4 == 4:
            self.af, self.ip = 4, ip
            ihl = (data[ip] & 15) * 4
            frag = struct.unpack_from(">H", data, ip + 6)[0]
            proto = data[ip + 9]
            l4 = ip + ihl
            if frag & 0x3FFF == 0:
                if proto == 6 and len(data) >= l4 + 18:
                    self.l4cs = l4 + 16
                elif proto == 17 and len(data) >= l4 + 8 and data[l4 + 6:l4 + 8] != b"\0\0":
                    self.l4cs = l4 + 6
        elif t == 0x86DD and len(data) >= ip + 40:
            self.af, self.ip = 6, ip
            nxt, l4 = data[ip + 6], ip + 40
            if nxt == 6 and len(data) >= l4 + 18:
                self.l4cs = l4 + 16
            elif nxt == 17 and len(data) >= l4 + 8:
                self.l4cs = l4 + 6
            elif nxt == 58 and len(data) >= l4 + 4:
                self.l4cs = l4 + 2

    def replica(self, k):
        if not k or not self.af:
            return self.data
        d = bytearray(self.data)
        hi, lo = (k >> 8) & 255, k & 255
        if self.af == 4:
            spots = (self.ip + 12, self.ip + 16)
            old = bytes(d[self.ip + 12:self.ip + 20])
            for a in spots:
                d[a + 1] ^= hi
                d[a + 2] ^= lo
            new = bytes(d[self.ip + 12:self.ip + 20])
            cs = struct.unpack_from(">H", d, self.ip + 10)[0]
            struct.pack_into(">H", d, self.ip + 10, csum_adjust(cs, old, new))
        else:
            spots = (self.ip + 8, self.ip + 24)
            old = bytes(d[self.ip + 10:self.ip + 12] + d[self.ip + 26:self.ip + 28])
            for a in spots:
                d[a + 2] ^= hi
                d[a + 3] ^= lo
            new = bytes(d[self.ip + 10:self.ip + 12] + d[self.ip + 26:self.ip + 28])
        if self.l4cs >= 0:
            cs = struct.unpack_from(">H", d, self.l4cs)[0]
            struct.pack_into(">H", d, self.l4cs, csum_adjust(cs, old, new))
        return bytes(d)


def load(paths):
    pkts = []
    for p in paths:
        try:
            with open(p, "rb") as f:
                b = f.read()
        except OSError:
            continue
        it = frames_pcapng(b) if b[:4] == b"\x0a\x0d\x0d\x0a" else frames_pcap(b)
        for lt, d, orig in it:
            fr = to_ethernet(lt, d)
            if fr is not None and len(fr) >= 14:
                pkts.append(Packet(fr, max(orig - len(d), 0) + len(fr)))
    return pkts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000000)
    ap.add_argument("-o", required=True)
    ap.add_argument("captures", nargs="+")
    a = ap.parse_args()
    pkts = load(a.captures)
    if not pkts:
        sys.exit("mkcapture: no usable packets")
    rec = struct.Struct("<IIII")
    ts = 1700000000 * 1000000
    written = k = 0
    with open(a.o, "wb", buffering=1 << 22) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        while written < a.n:
            for p in pkts:
                if written >= a.n:
                    break
                d = p.replica(k)
                f.write(rec.pack(ts // 1000000, ts % 1000000, len(d), max(p.wire, len(d))))
                f.write(d)
                ts += 20
                written += 1
            k += 1
    print("%s: %d packets from %d originals, %d replicas" % (a.o, written, len(pkts), k))


if __name__ == "__main__":
    main()
