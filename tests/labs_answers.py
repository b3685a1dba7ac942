#!/usr/bin/env python3
"""The answers in the lab sheets (docs/labs/*.md) still quote their golden traces.

Under a question, a lab sheet may carry an answer block of this fixed form:

    <details><summary>Answer</summary>

    In `pcaps/dns.trace`:
    ```text
         14    0.0450  ◄─── ... lines copied byte for byte from the trace ...
    ```
    One sentence saying what the lines show.
    </details>

A block may quote several traces, or several places of one trace: each quote is an
"In `pcaps/NAME.trace`:" line followed by a ```text fence. For every block this script
checks that the cited trace exists and that the quoted lines occur in it as consecutive
lines, exactly (box-drawing characters and trailing spaces included). It also fails when
a sheet has fewer than MIN_ANSWERS answer blocks, so that the sheets cannot silently lose
them, and on a malformed block (no quote, a fence without its "In `...`:" line, a block
or fence left open).

The golden traces are regenerated with `wirelab check --update --yes pcaps`. When that
changes a line some answer quotes, this test fails and names the sheet, the line of the
question and the first quoted line that is no longer in the trace: copy the new lines
from the trace (with a script, not by hand) and check that the sentence under them is
still true.

Usage: labs_answers.py [SOURCE_DIR]   (default: the directory above tests/)
Exit status 0 when every answer holds, 1 otherwise. Python 3 standard library only; it
reads files and nothing else, so it does not depend on time or machine speed.
"""
import glob
import os
import re
import sys

MIN_ANSWERS = 5
START = '<details><summary>Answer</summary>'
END = '</details>'
CITE = re.compile(r'^In `(pcaps/[A-Za-z0-9._-]+\.trace)`:$')
FENCE_OPEN = '```text'
FENCE_CLOSE = '```'
LIST_ITEM = re.compile(r'^\s*(?:[-*+]|\d+[.)])\s')


def read_lines(path):
    with open(path, encoding='utf-8', newline='') as f:
        text = f.read()
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return lines


def parse_sheet(lines):
    """Returns (blocks, errors). A block is (question line, block line, quotes), a
    quote (trace path, sheet line of its first quoted line, [lines])."""
    blocks, errors = [], []
    question = None      # line number of the last list item outside an answer
    in_code = False      # inside a fence that is not part of an answer
    block = None         # [question, start line, quotes] while inside an answer
    cite = None          # (path, line) of the "In `...`:" line just read
    quote = None         # (path, first line, lines) while inside a quote's fence
    after_break = True   # the previous line outside answers was blank or a heading
    for n, line in enumerate(lines, 1):
        if quote is not None:
            if line == FENCE_CLOSE:
                if quote[0] is not None:
                    block[2].append(quote)
                quote = None
            else:
                quote[2].append(line)
            continue
        if block is None:
            if line.startswith('```'):
                in_code = not in_code
                after_break = True
                continue
            if in_code:
                continue
            if '<summary>Answer' in line:
                if line.strip() != START:
                    errors.append((question or n, f'line {n}: malformed answer block start {line!r}'))
                block = [question or n, n, []]
                continue
            # a question is a list item, or a paragraph (the line after a blank or a heading)
            if LIST_ITEM.match(line) or (line.strip() and not line.startswith('#') and after_break):
                question = n
            after_break = not line.strip() or line.startswith('#')
            continue
        # inside an answer block
        if line.strip() == END:
            if cite is not None:
                errors.append((block[0], f'line {cite[1]}: "In `{cite[0]}`:" is not followed by a {FENCE_OPEN} fence'))
            if not block[2]:
                errors.append((block[0], f'line {block[1]}: the answer block quotes no trace'))
            blocks.append(tuple(block))
            block, cite = None, None
            after_break = True
            continue
        if cite is not None:
            if line == FENCE_OPEN:
                quote = (cite[0], n + 1, [])
            else:
                errors.append((block[0], f'line {cite[1]}: "In `{cite[0]}`:" is not followed by a {FENCE_OPEN} fence'))
            cite = None
            continue
        m = CITE.match(line)
        if m:
            cite = (m.group(1), n)
        elif line.startswith('```'):
            errors.append((block[0], f'line {n}: a fence in an answer without an "In `pcaps/NAME.trace`:" line before it'))
            quote = (None, n + 1, [])   # read over it; it is not checked
        elif '<summary>Answer' in line:
            errors.append((block[0], f'line {n}: an answer block starts inside the one of line {block[1]}'))
    if quote is not None:
        errors.append((block[0], f'line {quote[1] - 1}: the fence opened there is never closed with {FENCE_CLOSE}'))
    elif block is not None:
        errors.append((block[0], f'line {block[1]}: the answer block is never closed with {END}'))
    return blocks, errors


def first_missing(trace, quoted):
    """None when quoted occurs in trace as consecutive lines, else the index of the
    first quoted line that is not found after the longest run of those before it."""
    if not quoted:
        return 0
    best = 0
    for i in range(len(trace)):
        k = 0
        while k < len(quoted) and i + k < len(trace) and trace[i + k] == quoted[k]:
            k += 1
        if k == len(quoted):
            return None
        best = max(best, k)
    return best


def main(argv):
    root = os.path.abspath(argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
    try:
        sys.stdout.reconfigure(errors='backslashreplace')
    except AttributeError:
        pass
    sheets = sorted(glob.glob(os.path.join(root, 'docs', 'labs', '*.md')))
    if not sheets:
        print(f'FAIL no lab sheets in {os.path.join(root, "docs", "labs")}')
        return 1
    traces = {}
    failures = 0
    total = 0
    for sheet in sheets:
        rel = os.path.relpath(sheet, root)
        blocks, errors = parse_sheet(read_lines(sheet))
        for question, msg in errors:
            print(f'FAIL {rel}, question at line {question}: {msg}')
            failures += 1
        for question, start, quotes in blocks:
            for path, first, quoted in quotes:
                if path not in traces:
                    full = os.path.join(root, path)
                    traces[path] = read_lines(full) if os.path.isfile(full) else None
                trace = traces[path]
                if trace is None:
                    print(f'FAIL {rel}, question at line {question}: {path} (cited on line {first - 2}) does not exist')
                    failures += 1
                    continue
                if not quoted:
                    print(f'FAIL {rel}, question at line {question}: the quote of {path} on line {first - 1} is empty')
                    failures += 1
                    continue
                k = first_missing(trace, quoted)
                if k is not None:
                    what = 'not in' if k == 0 else f'not after the {k} line(s) before it in'
                    print(f'FAIL {rel}, question at line {question}: line {first + k} of the sheet is {what} {path}:')
                    print(f'     {quoted[k]!r}')
                    failures += 1
        total += len(blocks)
        if len(blocks) < MIN_ANSWERS:
            print(f'FAIL {rel}: {len(blocks)} answer blocks, at least {MIN_ANSWERS} wanted')
            failures += 1
    if failures:
        print(f'labs_answers: {failures} failure(s) in {len(sheets)} sheets')
        return 1
    print(f'labs_answers: {total} answer blocks in {len(sheets)} sheets, every quote found in its trace')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
