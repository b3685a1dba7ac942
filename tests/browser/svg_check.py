#!/usr/bin/env python3
"""svg_check.py WIRELAB PCAPS OUTDIR - -T svg is one well-formed XML document
(xmllint --noout) for several stored captures and the hostile one, and the
hostile capture's markup stays text (no <img> or <script> element)."""
import os
import subprocess
import sys
import xml.dom.minidom

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    exe, pcaps, outdir = sys.argv[1:4]
    os.makedirs(outdir, exist_ok=True)
    hostile = os.path.join(outdir, 'hostile-svg.pcap')
    subprocess.run([sys.executable, os.path.join(HERE, 'gen_hostile.py'), hostile], check=True)
    inputs = [os.path.join(pcaps, n + '.pcap') for n in ('ftp', 'tls', 'ssh-tunnel', 'dns', 'smb')]
    inputs.append(hostile)
    failed = 0
    for pcap in inputs:
        args = [exe, 'read', '-r', pcap, '-T', 'svg']
        if os.path.exists(pcap[:-5] + '.keylog'):
            args += ['--keylog', pcap[:-5] + '.keylog']
        svg = subprocess.run(args, stdout=subprocess.PIPE, check=True).stdout
        doc = xml.dom.minidom.parseString(svg)  # raises on any ill-formed byte
        bad = [t for t in ('img', 'script', 'b') if doc.getElementsByTagName(t)]
        ok = doc.documentElement.tagName == 'svg' and not bad
        print('%-40s %7d bytes  %s' % (os.path.basename(pcap), len(svg), 'ok' if ok else 'FAIL %s' % bad))
        failed += not ok
    print('%d passed, %d failed' % (len(inputs) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
