/* fuzz_ssh.c - libFuzzer target for the SSH dissector.
 *
 * Input: byte 0 = segment size - 1, bytes 1-2 = length L of the client's
 * bytes (big-endian), then L client bytes, then the server's bytes. Both are
 * sent on one TCP connection to port 22, alternating segments, so version
 * strings, KEXINITs, key exchange and the encrypted tail all get reached.
 *
 * One engine (the shared feeder's) serves every input: each input is its own
 * connection (a new client port), ended by a RST, which closes the flow and
 * frees the dissector's state. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint16_t cport;
	if (n < 3)
		return 0;
	size_t step = (size_t)d[0] + 1;
	size_t clen = (size_t)d[1] << 8 | d[2];
	d += 3;
	n -= 3;
	if (clen > n)
		clen = n;
	const uint8_t *cl = d, *sv = d + clen;
	size_t slen = n - clen, ci = 0, si = 0;

	struct feed *f = feed_get(NULL, NULL);
	cport = (uint16_t)(cport >= 60000 ? 1024 : cport + 1);
	feed_tcp_open(f, cport, 22);
	while (ci < clen || si < slen) {
		if (ci < clen) {
			size_t k = clen - ci < step ? clen - ci : step;
			feed_tcp_seg(f, 0, FEED_PSH | FEED_ACK, cl + ci, k);
			ci += k;
		}
		if (si < slen) {
			size_t k = slen - si < step ? slen - si : step;
			feed_tcp_seg(f, 1, FEED_PSH | FEED_ACK, sv + si, k);
			si += k;
		}
	}
	feed_tcp_reset(f);  /* the flow closes, close() runs */
	return 0;
}
