#!/usr/bin/env python3
"""browser_check.py WIRELAB PCAPS OUTDIR - wirelab's -T html pages in a real
browser (Debian's headless chromium):
  - for several stored captures: the DOM after the page's script ran has one
    element with data-frame per message (as many as -T json prints) and the
    page recorded no JavaScript error (its collector, data-js-errors);
  - the tls and ftp pages' screenshots are not blank (pixel variety, read
    from the PNG with zlib) and are kept in OUTDIR;
  - the hostile capture (gen_hostile.py) leaves document.title the page's
    own and no element of the packets' markup in the DOM;
  - a 3,000-exchange session is drawn virtualised (fewer elements than
    messages) without an error;
  - the filter box (#wl-filters=): each display filter keeps exactly the
    frames `wirelab read -Y` keeps, and hostile or invalid filters fall back
    to a text search with the error's position, never a script error.
Chromium is waited for by its exit after --virtual-time-budget: no sleeps.
Exit 77 (skipped) only when chromium is not installed."""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = ['ftp', 'tls', 'dns', 'smb', 'ssh-tunnel', 'ldap-search', 'snmp-get', 'ntp']
SHOTS = ['tls', 'ftp']


def chromium():
    for name in ('chromium', 'chromium-browser'):
        p = shutil.which(name)
        if p:
            return p
    return None


def browser(exe, profile, *args):
    cmd = [exe, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--user-data-dir=' + profile, '--virtual-time-budget=10000', '--window-size=1400,1000'] + list(args)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=240)
    return r.stdout.decode('utf-8', 'replace')


def sidecars(pcap):
    base = pcap[:-5]
    args = []
    if os.path.exists(base + '.keylog'):
        args += ['--keylog', base + '.keylog']
    if os.path.exists(base + '.ntpassword'):
        with open(base + '.ntpassword') as f:
            args += ['--smb-password', f.read().strip()]
    return args


def wirelab(exe, pcap, fmt, out=None):
    cmd = [exe, 'read', '-r', pcap, '-T', fmt] + sidecars(pcap)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, check=True)
    if out:
        with open(out, 'wb') as f:
            f.write(r.stdout)
    return r.stdout


# (capture, display filters the page's box must answer as -Y does)
FILTERS = [
    ('ftp', ['ftp.request.command == "PASS"', 'tcp.port == 2121', 'ftp', 'ftp-data', 'tcp.len > 0',
             'tcp.flags.syn == 1 && tcp.flags.ack == 0', 'ftp.response.code in {200..299}',
             'ip.addr == 127.0.0.0/8 && !ftp', 'ftp.request.arg contains "@"',
             'ftp.request.command matches "^p"', 'not tcp.srcport <= 40000', 'frame.number in {1..5 9}',
             'ftp.response.code != 230', 'ftp.response.code ~= 230', 'tcp.port === 2121',
             'ftp.request.command matches "(?-i)^p"', 'ip.dst eq 127.0.0.1']),
    ('dns', ['dns', 'dns.flags.response == 1', 'dns.a', 'dns.qry.type == 28', 'udp', 'udp.port == 5353',
             'dns.qry.name contains "example"']),
    ('tls', ['tls.handshake.type == 1', 'tls', 'tls.handshake.ciphersuite', 'tcp.port != 4433',
             'tls.record.content_type in {20 21 22}']),
    ('smb', ['smb2', 'smb2.cmd == 5', 'smb2.filename', 'ntlmssp.auth.username', 'smb2 && !ntlmssp']),
    ('chat-epoll', ['chat', 'wl.chat.message contains "hello"', 'tcp.flags.fin == 1']),
    ('snmp-get', ['snmp', 'udp.dstport == 161 || udp.dstport == 1161']),
    ('ldap-search', ['ldap.protocolOp == 0', 'ldap']),
]
# Not display filters: a text search, with where the parse stopped.
NOT_FILTERS = ['PASS', 'bogus.field == 1', 'tcp.port ==', '"open', 'tcp.port[0:2] == 1', '(((ftp',
               'ftp.request.command matches "("', 'ip.addr == 1.2.3.4/33', 'a == b == c', 'constructor',
               '__proto__ == 1', 'len(ftp.request.arg) > 3', 'tcp.port in {}', '(' * 500 + 'ftp' + ')' * 500,
               '!' * 3000 + 'ftp', 'ftp &&', 'x' * 5000]


def filter_results(exe, chrome, profile, outdir, name, filters):
    """What the page's box made of each filter: state, error position, frames."""
    import html
    import urllib.parse
    page = os.path.join(outdir, name + '.html')
    wirelab(exe, os.path.join(PCAPS[0], name + '.pcap'), 'html', page)
    dom = browser(chrome, profile, '--dump-dom', 'file://' + page + '#wl-filters=' +
                  urllib.parse.quote(json.dumps(filters)))
    m = re.search(r'data-filter-results="([^"]*)"', dom)
    errs = re.search(r'data-js-errors="(\d+)"', dom)
    return (json.loads(html.unescape(m.group(1))) if m else None), errs


def check_filters(exe, chrome, profile, outdir):
    failures = []
    for name, filters in FILTERS:
        pcap = os.path.join(PCAPS[0], name + '.pcap')
        res, errs = filter_results(exe, chrome, profile, outdir, name, filters)
        page_frames = frames_of(exe, pcap, [])
        for k, f in enumerate(filters):
            want = frames_of(exe, pcap, ['-Y', f]) & page_frames
            got = res[k] if res else None
            ok = got is not None and not errs and got['state'] == 'filter' and set(got['frames']) == want
            print('filter       %-12s %-48s %4d frames (-Y %4d)  %s' %
                  (name, f[:48], len(got['frames']) if got else -1, len(want), 'ok' if ok else 'FAIL'))
            if not ok:
                failures.append('filter %s %s' % (name, f))
    res, errs = filter_results(exe, chrome, profile, outdir, 'ftp', NOT_FILTERS)
    for k, f in enumerate(NOT_FILTERS):
        got = res[k] if res else None
        ok = got is not None and not errs and got['state'] == 'text' and 0 <= got['pos'] <= len(f)
        print('not a filter %-61r text search, error at %s  %s' % (f[:60], got and got['pos'], 'ok' if ok else 'FAIL'))
        if not ok:
            failures.append('not a filter %r' % f[:40])
    # the parser and evaluator fuzzed in the page (seeded: the same texts each run)
    page = os.path.join(outdir, 'ftp.html')
    dom = browser(chrome, profile, '--dump-dom', 'file://' + page + '#wl-filter-fuzz=20261203,30000')
    import html
    m = re.search(r'data-filter-fuzz="([^"]*)"', dom)
    fz = json.loads(html.unescape(m.group(1))) if m else None
    ok = fz and fz['runs'] == 30000 and fz['crashes'] == 0 and fz['compiled'] > 0 and not re.search(r'data-js-errors=', dom)
    print('filter fuzz  %s  %s' % (fz, 'ok' if ok else 'FAIL'))
    if not ok:
        failures.append('filter fuzz')
    return failures


def frames_of(exe, pcap, args):
    out = subprocess.run([exe, 'read', '-r', pcap, '-T', 'json'] + sidecars(pcap) + args,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    return set(json.loads(l)['frame'] for l in out.splitlines() if l.startswith('{"frame":'))


PCAPS = []


def arrows(dom):
    return len(re.findall(r'<g\b[^>]*\bdata-frame="\d+"', dom))


def png_variety(path):
    """(distinct colours, share of pixels unlike the most common one)."""
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, w = 8, b'', 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and ctype in (2, 6), 'unexpected PNG format'
            bpp = 3 if ctype == 2 else 4
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    counts = {}
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 4):  # every fourth pixel is plenty
            px = bytes(line[x:x + 3])
            counts[px] = counts.get(px, 0) + 1
        prev = line
    total = sum(counts.values())
    return len(counts), 1 - max(counts.values()) / total


def main():
    exe, pcaps, outdir = sys.argv[1:4]
    PCAPS.append(pcaps)
    chrome = chromium()
    if not chrome:
        print('SKIP: chromium is not installed (apt-get install chromium; debian-packages.txt lists it)')
        return 77
    os.makedirs(outdir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix='wl-chromium-')
    failures = []
    try:
        for name in PAGES:
            pcap = os.path.join(pcaps, name + '.pcap')
            page = os.path.join(outdir, name + '.html')
            wirelab(exe, pcap, 'html', page)
            want = sum(1 for l in wirelab(exe, pcap, 'json').decode().splitlines()
                       if l.startswith('{"frame":'))
            dom = browser(chrome, profile, '--dump-dom', 'file://' + page)
            got = arrows(dom)
            errs = re.search(r'data-js-errors="(\d+)"', dom)
            ready = re.search(r'data-ready="1"', dom)
            ok = got == want and not errs and ready
            print('%-12s %4d messages, %4d data-frame elements, js errors: %s, ready: %s  %s' %
                  (name, want, got, errs.group(1) if errs else 0, bool(ready), 'ok' if ok else 'FAIL'))
            if not ok:
                failures.append(name)
        # the first message selected (the down key) and its first field with bytes clicked
        page = os.path.join(outdir, 'ftp.html')
        dom = browser(chrome, profile, '--dump-dom', 'file://' + page + '#wl-selftest')
        ok = ('<table class="fields">' in dom and 'class="hl"' in dom and 'class="msg l0 sel"' in dom
              and 'data-js-errors=' not in dom)
        print('selftest     selected message, fields table, highlighted bytes  %s' % ('ok' if ok else 'FAIL'))
        if not ok:
            failures.append('selftest')
        for name in SHOTS:
            page = os.path.join(outdir, name + '.html')
            shot = os.path.join(outdir, name + '.png')
            if os.path.exists(shot):
                os.unlink(shot)
            browser(chrome, profile, '--screenshot=' + shot, 'file://' + page)
            colours, share = png_variety(shot) if os.path.exists(shot) else (0, 0)
            ok = colours >= 8 and share > 0.02
            print('%-12s screenshot %s: %d colours, %.1f%% not background  %s' %
                  (name, shot, colours, 100 * share, 'ok' if ok else 'FAIL'))
            if not ok:
                failures.append(name + ' screenshot')
        hostile = os.path.join(outdir, 'hostile.pcap')
        subprocess.run([sys.executable, os.path.join(HERE, 'gen_hostile.py'), hostile], check=True)
        page = os.path.join(outdir, 'hostile.html')
        wirelab(exe, hostile, 'html', page)
        dom = browser(chrome, profile, '--dump-dom', 'file://' + page)
        title = re.search(r'<title>(.*?)</title>', dom, re.S)
        bad = [t for t in ('<img', 'id="pwned"', '<b>', 'pwned</title>') if t in dom.lower()]
        want = sum(1 for l in wirelab(exe, hostile, 'json').decode().splitlines() if l.startswith('{"frame":'))
        ok = (title and title.group(1) == 'wirelab: hostile.pcap' and not bad and arrows(dom) == want
              and not re.search(r'data-js-errors=', dom) and 'data-ready="1"' in dom)
        print('hostile      title %r, injected markup found: %s, %d/%d arrows  %s' %
              (title.group(1) if title else None, bad or 'none', arrows(dom), want, 'ok' if ok else 'FAIL'))
        if not ok:
            failures.append('hostile')
        big = os.path.join(outdir, 'long.pcap')
        subprocess.run([sys.executable, os.path.join(HERE, 'gen_hostile.py'), big, '3000'], check=True)
        page = os.path.join(outdir, 'long.html')
        wirelab(exe, big, 'html', page)
        dom = browser(chrome, profile, '--dump-dom', 'file://' + page)
        want = sum(1 for l in wirelab(exe, big, 'json').decode().splitlines() if l.startswith('{"frame":'))
        got = arrows(dom)
        ok = 0 < got < want and not re.search(r'data-js-errors=', dom) and 'data-ready="1"' in dom
        print('long         %d messages, %d drawn (virtualised)  %s' % (want, got, 'ok' if ok else 'FAIL'))
        if not ok:
            failures.append('long')
        filter_failures = check_filters(exe, chrome, profile, outdir)
        failures += filter_failures
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    n = len(PAGES) + len(SHOTS) + 4 + sum(len(f) for _, f in FILTERS) + len(NOT_FILTERS)
    print('%d passed, %d failed' % (n - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
