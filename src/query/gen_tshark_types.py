#!/usr/bin/env python3
"""gen_tshark_types.py - how tshark -T fields prints each field wirelab knows.

  gen_tshark_types.py WIRELAB > src/query/tshark_types.inc

Reads the names `WIRELAB read --list-fields` prints and tshark's own table
(`tshark -G fields`: name, FT_ type, BASE_ display) and writes one C
initializer per name tshark has: { "tcp.flags", TD_HEX, 4, "FT_UINT16" },
sorted by name (registry.c looks them up by binary search). Names tshark
does not have (wl.*) are left out: wirelab's own type decides for them.
--check compares with the stored file instead (exit 1 when it is stale).
"""
import os
import subprocess
import sys

HEX_DIGITS = {"FT_UINT8": 2, "FT_INT8": 2, "FT_UINT16": 4, "FT_INT16": 4, "FT_UINT24": 6, "FT_INT24": 6,
              "FT_UINT32": 8, "FT_INT32": 8, "FT_UINT40": 10, "FT_INT40": 10, "FT_UINT48": 12,
              "FT_INT48": 12, "FT_UINT56": 14, "FT_INT56": 14, "FT_UINT64": 16, "FT_INT64": 16}
STRINGS = {"FT_STRING", "FT_STRINGZ", "FT_UINT_STRING", "FT_STRINGZPAD", "FT_STRINGZTRUNC", "FT_ETHER",
           "FT_GUID", "FT_OID", "FT_REL_OID", "FT_AX25", "FT_VINES", "FT_FCWWN", "FT_EUI64", "FT_CHAR",
           "FT_SYSTEM_ID", "FT_IPXNET"}


def display(ftype, base):
    if ftype in HEX_DIGITS:
        if base in ("BASE_HEX", "BASE_HEX_DEC"):
            return "TD_HEX", HEX_DIGITS[ftype]
        if base == "BASE_OCT":
            return "TD_OCT", 0
        return "TD_DEC", 0
    table = {"FT_BOOLEAN": "TD_BOOL", "FT_FRAMENUM": "TD_DEC", "FT_DOUBLE": "TD_DOUBLE",
             "FT_FLOAT": "TD_DOUBLE", "FT_RELATIVE_TIME": "TD_RELTIME", "FT_ABSOLUTE_TIME": "TD_ABSTIME",
             "FT_BYTES": "TD_BYTES", "FT_UINT_BYTES": "TD_BYTES", "FT_IPv4": "TD_IPV4", "FT_IPv6": "TD_IPV6",
             "FT_NONE": "TD_NONE", "FT_PROTOCOL": "TD_NONE"}
    if ftype in table:
        return table[ftype], 0
    if ftype in STRINGS:
        return "TD_STR", 0
    return "TD_STR", 0


def main():
    check = "--check" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--check"]
    if not args:
        sys.exit(__doc__)
    names = set()
    out = subprocess.run([args[0], "read", "--list-fields"], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        if cols[0] == "F":
            names.add(cols[1])
    ts = subprocess.run(["tshark", "-G", "fields"], capture_output=True, text=True, errors="replace")
    types = {}
    for line in ts.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) >= 6 and cols[0] == "F" and cols[2] in names and cols[2] not in types:
            types[cols[2]] = (cols[3], cols[5])
    lines = ["/* tshark_types.inc - made by gen_tshark_types.py from `tshark -G fields`; do not edit. */"]
    for name in sorted(types):
        ftype, base = types[name]
        disp, digits = display(ftype, base)
        lines.append('{ "%s", %s, %d, "%s" },' % (name, disp, digits, ftype))
    text = "\n".join(lines) + "\n"
    if check:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tshark_types.inc")
        if open(path).read() != text:
            sys.exit("tshark_types.inc is stale: run src/query/gen_tshark_types.py build/wirelab "
                     "> src/query/tshark_types.inc")
        return
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
