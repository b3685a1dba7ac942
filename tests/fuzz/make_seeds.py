#!/usr/bin/env python3
"""make_seeds.py - builds the small seed inputs of the core fuzz targets from
captures (default: ../shared/corpus): fuzz_pcap gets pcaps cut short,
fuzz_engine a few frames in its [linktype][len16 frame]... format,
fuzz_tcp a few hand-made segment sequences. Run from the repository root."""
import os, struct, sys, glob, random

ROOT = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', '..', '..', 'shared', 'corpus')
LINKS = [1, 101, 113, 276, 0, 108, 228, 229, 105, 127]


def read_pcap(path):
    with open(path, 'rb') as f:
        b = f.read()
    if len(b) < 24:
        return None, []
    magic = b[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        return None, []
    lt = struct.unpack(e + 'I', b[20:24])[0] & 0x0fffffff
    frames, off = [], 24
    while off + 16 <= len(b):
        _, _, incl, _ = struct.unpack(e + 'IIII', b[off:off + 16])
        frames.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return lt, frames


def main():
    out = {n: os.path.join(ROOT, 'corpus', n) for n in ('fuzz_pcap', 'fuzz_engine', 'fuzz_tcp')}
    for d in out.values():
        os.makedirs(d, exist_ok=True)
    picks = ['tcp/tcp-handshake-nano.pcap', 'tcp/decode-sll2-01_input.pcap', 'tcp/80211http.pcap',
             'tcp/options.pcap', 'tcp/pcapng-multi-interface.pcapng', 'dns/radiotap.pcap',
             'dns/LINKTYPE_RAW_ipv4.pcap', 'malformed/trunc-hdr.pcap', 'tcp/reassembly.pcap',
             'ftp/ipv6.pcap']
    for p in picks:
        path = os.path.join(CORPUS, p)
        if not os.path.exists(path):
            continue
        name = os.path.basename(p).replace('.', '_')
        with open(path, 'rb') as f:
            data = f.read()
        with open(os.path.join(out['fuzz_pcap'], name), 'wb') as f:
            f.write(data[:3000])
        lt, frames = read_pcap(path)
        if lt is None or lt not in LINKS or not frames:
            continue
        blob = bytes([LINKS.index(lt) | (0x80 if len(frames) % 2 else 0)])
        for fr in frames[:12]:
            blob += struct.pack('>H', len(fr)) + fr
        with open(os.path.join(out['fuzz_engine'], name), 'wb') as f:
            f.write(blob[:6000])
    rnd = random.Random(7)
    for k in range(5):
        blob = b''
        for _ in range(20):
            flow, direction = rnd.randrange(4), rnd.randrange(2)
            flags = rnd.choice([0, 0, 0, 1, 2, 3, 4, 5])
            off = rnd.choice([0, 0, 0, -160, 320, -32000])
            data = bytes(rnd.randrange(32, 127) for _ in range(rnd.choice([0, 5, 40, 200])))
            ctl = rnd.choice([1, 1, 1, 0, 3, 5, 0xf1])
            blob += bytes([flow | direction << 2 | flags << 3]) + struct.pack('>hH', off, len(data))
            blob += bytes([ctl]) + data
        with open(os.path.join(out['fuzz_tcp'], 'seq%d' % k), 'wb') as f:
            f.write(blob)


if __name__ == '__main__':
    main()
