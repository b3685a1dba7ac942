/* fuzz_ssh.c - libFuzzer target for the SSH dissector.
 *
 * Input: byte 0 = segment size - 1, bytes 1-2 = length L of the client's
 * bytes (big-endian), then L client bytes, then the server's bytes. Both are
 * sent on one TCP connection to port 22, alternating segments, so version
 * strings, KEXINITs, key exchange and the encrypted tail all get reached. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 3)
		return 0;
	size_t seg = (size_t)d[0] + 1;
	size_t clen = (size_t)d[1] << 8 | d[2];
	d += 3;
	n -= 3;
	if (clen > n)
		clen = n;
	const uint8_t *c = d, *s = d + clen;
	size_t slen = n - clen, ci = 0, si = 0;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50000, 22);
	while (ci < clen || si < slen) {
		if (ci < clen) {
			size_t k = clen - ci < seg ? clen - ci : seg;
			wlt_tcp_send(&t, WL_C2S, c + ci, k);
			ci += k;
		}
		if (si < slen) {
			size_t k = slen - si < seg ? slen - si : seg;
			wlt_tcp_send(&t, WL_S2C, s + si, k);
			si += k;
		}
	}
	wlt_tcp_close(&t);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
