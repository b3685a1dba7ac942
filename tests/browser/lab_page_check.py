#!/usr/bin/env python3
"""lab_page_check.py WIRELAB OUTDIR EXCHANGE... - `wirelab lab X -T html` is a
page and nothing else (the client's words and the summary stay off stdout):
one document, one data block of JSON whose messages are the trace's, and,
where chromium is installed, the page's script draws it without an error."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import browser_check  # noqa: E402


def main():
    exe, outdir = sys.argv[1:3]
    os.makedirs(outdir, exist_ok=True)
    chrome = browser_check.chromium()
    failed = 0
    for name in sys.argv[3:]:
        page = os.path.join(outdir, 'lab-%s.html' % name)
        r = subprocess.run([exe, 'lab', name, '-T', 'html'], stdout=subprocess.PIPE)
        with open(page, 'wb') as f:
            f.write(r.stdout)
        text = r.stdout.decode('utf-8', 'replace')
        blocks = re.findall(r'<script type="application/json" class="wl-data">(.*?)</script>', text, re.S)
        msgs = len(json.loads(blocks[0])['msgs']) if len(blocks) == 1 else 0
        ok = (r.returncode == 0 and text.startswith('<!DOCTYPE html>') and text.endswith('</html>\n')
              and msgs > 0)
        how = 'no chromium'
        if ok and chrome:
            profile = os.path.join(outdir, 'profile-' + name)
            dom = browser_check.browser(chrome, profile, '--dump-dom', 'file://' + os.path.abspath(page))
            shutil.rmtree(profile, ignore_errors=True)
            drawn = browser_check.arrows(dom)
            ok = drawn == msgs and 'data-ready="1"' in dom and 'data-js-errors=' not in dom
            how = '%d drawn' % drawn
        print('%-10s exit %d, %d messages, %s  %s' % (name, r.returncode, msgs, how, 'ok' if ok else 'FAIL'))
        failed += not ok
    print('%d passed, %d failed' % (len(sys.argv) - 3 - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
