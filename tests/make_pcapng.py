#!/usr/bin/env python3
"""make_pcapng.py - writes the pcapng test captures of tests/data/pcapng/, each
one case of the format that libpcap 1.10 refuses or that only a pcapng reader
of its own shows (interface ids, comments):

  multi-link.pcapng   three interfaces, three link types (Ethernet, raw IPv4,
                      Linux SLL), three snapshot lengths, three timestamp
                      resolutions (10^-6, 10^-9, 2^-20 with an if_tsoffset);
                      comments (one packet has two); NRB, ISB and an unknown
                      block between the packets (no custom block: tshark 4.0
                      numbers those as frames, libpcap and wirelab skip them)
  big-endian.pcapng   a big-endian section: Ethernet in 10^-3 s, raw IPv4 in 2^-10 s
  two-sections.pcapng a little-endian section then a big-endian one, each with
                      its own interfaces (the second's are numbered on: 1, 2)
  spb-opb.pcapng      Simple Packet Blocks (one cut to the snapshot length),
                      the obsolete Packet Block (type 2) with a comment, and a
                      Decryption Secrets Block with a TLS key log
  comment.pcapng      one interface, one commented packet among plain ones
  flags.pcapng        interfaces with a name and a description, a description
                      only, neither; EPBs whose epb_flags set every part
                      (direction, reception type, FCS length, reserved, errors)
                      and one without; shown with -v as frame.packet_flags*

  make_pcapng.py [OUTDIR]     (default: tests/data/pcapng beside this script)

Only the standard library: every block is packed with struct. The captures are
kept in the repository; run this again only to change them (and re-make their
.tsv with tshark, see pcapng_vs_tshark.py --make-ref)."""
import os
import struct
import sys

SHB, IDB, PB, SPB, NRB, ISB, EPB, DSB = 0x0A0D0D0A, 1, 2, 3, 4, 5, 6, 0x0A
UNKNOWN = 0x1234ABCD
BASE_SEC = 1700000000


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


class Section:
    """The blocks of one section, packed in its byte order ('<' or '>')."""

    def __init__(self, endian="<"):
        self.e = endian
        self.out = b""

    def block(self, btype, body):
        body = pad4(body)
        total = 12 + len(body)
        self.out += struct.pack(self.e + "II", btype, total) + body + struct.pack(self.e + "I", total)

    def opts(self, options):
        if not options:
            return b""
        b = b""
        for code, value in options:
            b += struct.pack(self.e + "HH", code, len(value)) + pad4(value)
        return b + struct.pack(self.e + "HH", 0, 0)

    def shb(self, app="make_pcapng.py"):
        body = struct.pack(self.e + "IHHq", 0x1A2B3C4D, 1, 0, -1)
        self.block(SHB, body + self.opts([(4, app.encode())]))  # shb_userappl

    def idb(self, linktype, snaplen, tsresol=None, tsoffset=None, name=None, descr=None):
        o = []
        if name:
            o.append((2, name.encode()))                          # if_name
        if descr:
            o.append((3, descr.encode()))                         # if_description
        if tsresol is not None:
            o.append((9, bytes([tsresol])))                       # if_tsresol
        if tsoffset is not None:
            o.append((14, struct.pack(self.e + "q", tsoffset)))   # if_tsoffset
        self.block(IDB, struct.pack(self.e + "HHI", linktype, 0, snaplen) + self.opts(o))

    def epb(self, iface, ts, data, origlen=None, caplen=None, comments=(), flags=1):
        caplen = len(data) if caplen is None else caplen
        origlen = len(data) if origlen is None else origlen
        body = struct.pack(self.e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, caplen, origlen)
        body += pad4(data[:caplen])
        o = [(1, c.encode()) for c in comments]
        if flags is not None:
            o.append((2, struct.pack(self.e + "I", flags)))       # epb_flags
        body += self.opts(o)
        self.block(EPB, body)

    def opb(self, iface, ts, data, comments=()):
        body = struct.pack(self.e + "HHIIII", iface, 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data))
        self.block(PB, body + pad4(data) + self.opts([(1, c.encode()) for c in comments]))

    def spb(self, data, snaplen):
        """A Simple Packet Block holds min(original length, snaplen) bytes."""
        kept = data[:snaplen] if snaplen else data
        self.block(SPB, struct.pack(self.e + "I", len(data)) + kept)

    def nrb(self):
        rec = struct.pack(self.e + "HH", 1, 4 + 9) + bytes([10, 0, 0, 1]) + b"lab.test\0"
        self.block(NRB, pad4(rec) + struct.pack(self.e + "HH", 0, 0))

    def isb(self, iface, ts):
        body = struct.pack(self.e + "III", iface, ts >> 32, ts & 0xFFFFFFFF)
        self.block(ISB, body + self.opts([(4, struct.pack(self.e + "Q", 6))]))  # isb_ifrecv

    def dsb(self, secrets):
        self.block(DSB, struct.pack(self.e + "II", 0x544C534B, len(secrets)) + pad4(secrets))


# ---- packets ----

def ipv4(src, dst, proto, payload, ident=1):
    total = 20 + len(payload)
    h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, ident, 0x4000, 64, proto, 0, bytes(src), bytes(dst))
    s = sum(struct.unpack(">10H", h))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return h[:10] + struct.pack(">H", ~s & 0xFFFF) + h[12:] + payload


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def tcp(sport, dport, seq, ack, flags, payload=b""):
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload


def eth(ip):
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip


def sll(ip):
    return struct.pack(">HHH8sH", 0, 1, 6, b"\x02\x00\x00\x00\x00\x09\0\0", 0x0800) + ip


def dns_query(qid, name):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack(">HH", 1, 1)


A, B, C, D = [10, 0, 0, 1], [10, 0, 0, 2], [192, 168, 7, 3], [192, 168, 7, 4]


def us(sec, usec):
    return (BASE_SEC + sec) * 1000000 + usec


def ns(sec, nsec):
    return (BASE_SEC + sec) * 1000000000 + nsec


def multi_link():
    s = Section("<")
    s.shb()
    s.idb(1, 262144, name="eth0")                                   # Ethernet, 10^-6
    s.idb(101, 128, tsresol=9, name="tun0")                         # raw IPv4, 10^-9
    s.idb(113, 65535, tsresol=0x80 | 20, tsoffset=BASE_SEC, name="any")  # SLL, 2^-20 + offset
    s.nrb()
    s.epb(0, us(0, 1), eth(ipv4(A, B, 17, udp(40000, 53, dns_query(0x1001, "one.lab.test")))),
          comments=["first query"])
    big = ipv4(C, D, 17, udp(40001, 9999, bytes(range(256)) * 2))
    s.epb(1, ns(0, 250000001), big, caplen=128, origlen=len(big))   # cut to the snaplen
    # 2^-20 s units after an offset of BASE_SEC: 1.5 s and 2^-20 s in
    s.epb(2, (1 << 20) + (1 << 19) + 1, sll(ipv4(A, D, 6, tcp(50000, 80, 1000, 0, 0x02))))
    s.epb(2, 2 << 20, sll(ipv4(D, A, 6, tcp(80, 50000, 7000, 1001, 0x12))),
          comments=["SYN-ACK", "second comment"])
    s.block(UNKNOWN, b"\x01\x02\x03\x04\x05")
    s.epb(0, us(3, 999999), eth(ipv4(B, A, 17, udp(53, 40000, dns_query(0x1001, "one.lab.test")))))
    s.isb(0, us(4, 0))
    s.epb(1, ns(5, 7), ipv4(C, D, 6, tcp(1234, 4321, 5, 0, 0x02)))
    return s.out


def big_endian():
    s = Section(">")
    s.shb()
    s.idb(1, 1500, tsresol=3)                 # Ethernet, milliseconds
    s.idb(101, 0, tsresol=0x80 | 10)          # raw IPv4, 2^-10 s, no snaplen
    s.epb(0, (BASE_SEC + 1) * 1000 + 5, eth(ipv4(A, B, 17, udp(1111, 2222, b"big endian"))))
    s.epb(1, (BASE_SEC + 2) * 1024 + 512, ipv4(C, D, 17, udp(3333, 4444, b"raw in 2^-10")))
    s.epb(0, (BASE_SEC + 3) * 1000 + 999, eth(ipv4(B, A, 17, udp(2222, 1111, b"reply"))))
    return s.out


def two_sections():
    s1 = Section("<")
    s1.shb()
    s1.idb(1, 262144)
    s1.epb(0, us(0, 10), eth(ipv4(A, B, 17, udp(5000, 6000, b"section one"))))
    s1.epb(0, us(0, 20), eth(ipv4(B, A, 17, udp(6000, 5000, b"section one back"))))
    s2 = Section(">")
    s2.shb()
    s2.idb(101, 65535, tsresol=9)
    s2.idb(1, 262144)
    s2.epb(1, us(1, 30), eth(ipv4(A, C, 17, udp(5001, 6001, b"section two, eth"))))
    s2.epb(0, ns(1, 40), ipv4(C, A, 17, udp(6001, 5001, b"section two, raw")))
    return s1.out + s2.out


def spb_opb():
    s = Section("<")
    s.shb()
    s.idb(1, 96)
    s.dsb(b"CLIENT_RANDOM " + b"00" * 32 + b" " + b"11" * 48 + b"\n")
    s.spb(eth(ipv4(A, B, 17, udp(7000, 7001, b"simple"))), 96)
    s.spb(eth(ipv4(A, B, 17, udp(7000, 7001, bytes(200)))), 96)    # 242 bytes, 96 kept
    s.opb(0, us(2, 500), eth(ipv4(B, A, 17, udp(7001, 7000, b"obsolete block"))),
          comments=["from an old writer"])
    s.block(UNKNOWN, b"")
    s.epb(0, us(3, 0), eth(ipv4(B, A, 17, udp(7001, 7000, b"enhanced"))))
    return s.out


def comment():
    s = Section("<")
    s.shb()
    s.idb(1, 262144, tsresol=9)
    s.epb(0, ns(0, 1), eth(ipv4(A, B, 17, udp(8000, 8001, b"plain"))))
    s.epb(0, ns(0, 2), eth(ipv4(A, B, 17, udp(8000, 8001, b"noted"))),
          comments=["a note with \"quotes\", a tab\tand UTF-8: \u00e9t\u00e9"])
    s.epb(0, ns(0, 3), eth(ipv4(B, A, 17, udp(8001, 8000, b"plain again"))))
    return s.out


def flags():
    s = Section("<")
    s.shb()
    s.idb(1, 262144, name="eth0", descr="the lab's uplink")
    s.idb(1, 262144, descr="described, not named")
    s.idb(101, 65535)
    pkt = eth(ipv4(A, B, 17, udp(9000, 9001, b"flags")))
    # outbound; inbound broadcast; promiscuous with reserved bits; every error
    # bit and the errors tshark gives no field (bits 16-23)
    for i, f in enumerate([2, 1 | 3 << 2, 3 | 4 << 2 | 0x7F << 9, 0xFFA50000, 0x80000001]):
        s.epb(i % 2, us(0, i), pkt, flags=f)
    s.epb(0, us(1, 0), pkt, flags=None)
    # an FCS length on raw IP, where no dissector takes it off the frame
    s.epb(2, us(1, 1), ipv4(B, A, 17, udp(9001, 9000, b"raw")), flags=1 | 4 << 5)
    return s.out


CASES = {
    "multi-link": multi_link,
    "big-endian": big_endian,
    "two-sections": two_sections,
    "spb-opb": spb_opb,
    "comment": comment,
    "flags": flags,
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "data", "pcapng")
    os.makedirs(out, exist_ok=True)
    for name, make in CASES.items():
        with open(os.path.join(out, name + ".pcapng"), "wb") as f:
            f.write(make())


if __name__ == "__main__":
    main()
