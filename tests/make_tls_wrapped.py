#!/usr/bin/env python3
"""make_tls_wrapped.py - records pcaps/ftps-implicit.pcap and pcaps/ldaps.pcap
(with their key logs): the lab's real vsftpd and slapd behind a TLS endpoint
on the IANA ports of implicit FTPS (990) and LDAPS (636), as a TLS-terminating
load balancer puts them. The client writes its secrets to a key log
(SSLKEYLOGFILE format), so wirelab reads the FTP and LDAP inside.

Run as root (ports below 1024, tcpdump on lo) with the lab servers up
(`wirelab servers up`): python3 tests/make_tls_wrapped.py pcaps
Everything stays on 127.0.0.1."""
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"


def ber(tag, body):
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + body


def ber_int(tag, v):
    return ber(tag, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))


def ldap_msg(mid, op):
    return ber(0x30, ber_int(0x02, mid) + op)


def relay(a, b, half_close):
    """Copies a to b until a ends; then ends b's sending side if half_close."""
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except (OSError, ssl.SSLError):
        pass
    if half_close:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def tls_endpoint(port, backend, ctx, ready):
    """Accepts one TLS connection on port and relays it to backend in the clear."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((HOST, port))
    ls.listen(1)
    ready.set()
    c, _ = ls.accept()
    ls.close()
    t = ctx.wrap_socket(c, server_side=True)
    b = socket.create_connection((HOST, backend))
    th = threading.Thread(target=relay, args=(b, t, False))
    th.start()
    relay(t, b, True)  # the client's close_notify ends it
    th.join()
    try:
        t.unwrap()  # close_notify back
    except (OSError, ssl.SSLError):
        pass
    t.close()
    b.close()


def ftp_client(s):
    f = s.makefile("rb")

    def reply():
        while True:
            line = f.readline()
            if not line or (len(line) > 3 and line[3:4] == b" "):
                return line
    reply()
    for cmd in (b"USER anonymous", b"PASS lab@example.com", b"SYST", b"PWD", b"QUIT"):
        s.sendall(cmd + b"\r\n")
        reply()


def ldap_client(s):
    # the lab's admin (drive/ldap/ldap_lab.h): a simple bind, its password inside TLS
    bind = ldap_msg(1, ber(0x60, ber_int(0x02, 3) + ber(0x04, b"cn=admin,dc=localdomain,dc=loc") +
                           ber(0x80, b"labadmin")))
    search = ldap_msg(2, ber(0x63, ber(0x04, b"") + ber_int(0x0a, 0) + ber_int(0x0a, 0) +
                             ber_int(0x02, 0) + ber_int(0x02, 0) + ber(0x01, b"\x00") +
                             ber(0x87, b"objectClass") +
                             ber(0x30, ber(0x04, b"namingContexts"))))
    unbind = ldap_msg(3, ber(0x42, b""))
    s.sendall(bind)
    s.recv(4096)
    s.sendall(search)
    got = b""
    while b"\x02\x01\x02\x65" not in got and len(got) < 65536:  # until its SearchResultDone
        d = s.recv(4096)
        if not d:
            break
        got += d
    s.sendall(unbind)


def record(out, name, port, backend, client, cert, key):
    pcap = os.path.join(out, name + ".pcap")
    keylog = os.path.join(out, name + ".keylog")
    if os.path.exists(keylog):
        os.unlink(keylog)
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-w", pcap, "tcp port %d" % port],
                            stderr=subprocess.PIPE)
    dump.stderr.readline()  # "listening on lo ...": the capture runs
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    ready = threading.Event()
    srv = threading.Thread(target=tls_endpoint, args=(port, backend, sctx, ready))
    srv.start()
    ready.wait()
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    cctx.keylog_filename = keylog
    with cctx.wrap_socket(socket.create_connection((HOST, port)), server_hostname="localhost") as s:
        client(s)
        s.unwrap()  # close_notify, then the server's answer to it
    srv.join()
    time.sleep(0.2)  # tcpdump -U writes each packet; the last FIN's ACK is on its way
    dump.terminate()
    dump.wait()
    print("wrote", pcap, keylog)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "pcaps"
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "3650", "-subj", "/CN=localhost"], check=True,
                       stderr=subprocess.DEVNULL)
        record(out, "ftps-implicit", 990, 2121, ftp_client, cert, key)
        record(out, "ldaps", 636, 3389, ldap_client, cert, key)


if __name__ == "__main__":
    main()
