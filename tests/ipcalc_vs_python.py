#!/usr/bin/env python3
"""ipcalc_vs_python.py - `wirelab ipcalc -T json` against Python's ipaddress on
random IPv4/IPv6 networks (fixed seed): network, netmask, hostmask, broadcast
(last address), number of addresses, first/last host and host count, supernet,
subnets, and the loopback/link-local/multicast kinds.

Usage: python3 tests/ipcalc_vs_python.py build/wirelab [CASES]

The two-address and one-address networks (/31, /32, /127, /128) are compared
in tests/test_ipcalc.c's hand-checked table instead: their hosts() changed
between Python versions, wirelab follows RFC 3021 and RFC 6164."""
import ipaddress as ip
import json
import random
import subprocess
import sys

WIRELAB = sys.argv[1] if len(sys.argv) > 1 else "build/wirelab"
CASES = int(sys.argv[2]) if len(sys.argv) > 2 else 40
bad = 0


def run(*args):
    p = subprocess.run([WIRELAB, "ipcalc", *args, "-T", "json"], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"ipcalc {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)


def check(case, key, got, want):
    global bad
    if isinstance(want, (ip.IPv4Address, ip.IPv6Address)):
        ok = got is not None and ip.ip_address(got) == want
    else:
        ok = str(got) == str(want)
    if not ok:
        bad += 1
        print(f"MISMATCH {case} {key}: wirelab {got}, python {want}")


def cases(rng):
    for _ in range(CASES):
        if rng.random() < 0.5:
            yield ip.IPv4Address(rng.getrandbits(32)), rng.randint(0, 32)
        else:
            shift = rng.choice([0, 0, 64, 100, 120])
            yield ip.IPv6Address(rng.getrandbits(128) >> shift), rng.randint(0, 128)
    for s in ["10.0.1.0/24", "127.0.0.1/8", "169.254.1.1/16", "224.0.0.1/4", "::1/128", "fe80::1/10",
              "ff02::1/8", "::/0", "0.0.0.0/0", "192.168.0.0/28", "192.168.0.0/26"]:
        n = ip.ip_interface(s)
        yield n.ip, n.network.prefixlen


def main():
    rng = random.Random(7)
    count = 0
    for addr, plen in cases(rng):
        count += 1
        case = f"{addr}/{plen}"
        n = ip.ip_interface(case).network
        j = run(case)
        check(case, "network", j["network"], n.network_address)
        check(case, "netmask", j["netmask"], n.netmask)
        check(case, "wildcard", j["wildcard"], n.hostmask)
        check(case, "last_address", j["last_address"], n.broadcast_address)
        check(case, "addresses", j["addresses"], n.num_addresses)
        if n.max_prefixlen - plen >= 2:
            first = next(iter(n.hosts()))
            last = n.broadcast_address - (1 if n.version == 4 else 0)
            count_hosts = n.num_addresses - (2 if n.version == 4 else 1)
            check(case, "first_host", j["first_host"], first)
            check(case, "last_host", j["last_host"], last)
            check(case, "hosts", j["hosts"], count_hosts)
        a = ip.ip_address(addr)
        kind = j["type"]["kind"]
        for prop, k in [("is_loopback", "loopback"), ("is_link_local", "link-local"),
                        ("is_multicast", "multicast")]:
            check(case, f"kind {k}", kind == k, getattr(a, prop))
        if plen > 0:
            check(case, "supernet", ip.ip_network(run(case, "--supernet")["supernet"]), n.supernet())
        if plen < n.max_prefixlen:
            new = min(n.max_prefixlen, plen + rng.randint(1, 4))
            got = [ip.ip_network(x["network"]) for x in run(case, "--subnets", str(new), "--max", "16")["subnets"]["list"]]
            want = []
            for s in n.subnets(new_prefix=new):
                want.append(s)
                if len(want) == 16:
                    break
            check(case, f"subnets /{new}", got, want)
    print(f"{count} networks, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
