#!/usr/bin/env python3
"""mkflows.py - a capture with N TCP connections open at the same time.

  mkflows.py -n 100000 -o flows-100k.pcap

Every connection opens first (SYN, SYN-ACK, ACK), then each says one line
each way, then every connection closes (FIN, FIN, ACK), so all N are open
together between the first and the last phase: the flow table holds N flows
(or evicts the oldest when N is above --max-flows). Client 10.A.B.C:port to
server 10.200.0.1, the server port cycling through 21 (FTP: a 220 greeting
and USER), 445 (SMB's port, but a line of text: no SMB), 22 (an SSH banner)
and 5001 (no dissector), so the per-flow state of those dissectors is made
as a real mix would make it. 8 packets per connection, 20 us apart.
Standard library only.
"""
import argparse
import struct

SERVER = bytes([10, 200, 0, 1])
PORTS = [
	(21, b"USER anonymous\r\n", b"220 FTP server ready\r\n"),
	(445, b"hello 445\r\n", b"hello back\r\n"),
	(22, b"SSH-2.0-bench_client\r\n", b"SSH-2.0-bench_server\r\n"),
	(5001, b"ping\n", b"pong\n"),
]


def csum(data):
	if len(data) % 2:
		data += b"\0"
	s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
	while s >> 16:
		s = (s & 0xFFFF) + (s >> 16)
	return ~s & 0xFFFF


def frame(src, dst, sport, dport, seq, ack, flags, payload):
	tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
	pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
	tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
	ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
	ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
	eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
	return eth + ip + tcp


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
	ap.add_argument("-n", type=int, required=True, help="connections open at once")
	ap.add_argument("-o", required=True)
	a = ap.parse_args()
	SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
	t = [1_700_000_000 * 1_000_000]

	with open(a.o, "wb") as out:
		out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

		def put(pkt):
			t[0] += 20
			out.write(struct.pack("<IIII", t[0] // 1_000_000, t[0] % 1_000_000, len(pkt), len(pkt)))
			out.write(pkt)

		def conn(i):
			cli = bytes([10, 1 + (i >> 16) % 199, (i >> 8) & 255, i & 255])
			sport = 20000 + (i >> 24) % 40000
			dport, req, rep = PORTS[i % len(PORTS)]
			return cli, sport, dport, req, rep

		for i in range(a.n):       # open
			cli, sport, dport, _, _ = conn(i)
			put(frame(cli, SERVER, sport, dport, 1000, 0, SYN, b""))
			put(frame(SERVER, cli, dport, sport, 5000, 1001, SYN | ACK, b""))
			put(frame(cli, SERVER, sport, dport, 1001, 5001, ACK, b""))
		for i in range(a.n):       # one line each way
			cli, sport, dport, req, rep = conn(i)
			put(frame(cli, SERVER, sport, dport, 1001, 5001, PSH | ACK, req))
			put(frame(SERVER, cli, dport, sport, 5001, 1001 + len(req), PSH | ACK, rep))
		for i in range(a.n):       # close
			cli, sport, dport, req, rep = conn(i)
			c, s = 1001 + len(req), 5001 + len(rep)
			put(frame(cli, SERVER, sport, dport, c, s, FIN | ACK, b""))
			put(frame(SERVER, cli, dport, sport, s, c + 1, FIN | ACK, b""))
			put(frame(cli, SERVER, sport, dport, c + 1, s + 1, ACK, b""))
	print("%s: %d connections, %d packets" % (a.o, a.n, 8 * a.n))


if __name__ == "__main__":
	main()
