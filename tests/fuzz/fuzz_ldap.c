/* fuzz_ldap.c - LDAP on arbitrary bytes: as a TCP stream to port 389 in two
 * segments split at a point taken from the first byte (the second byte picks
 * the direction), the same bytes the other way in one segment, and as one
 * CLDAP datagram. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 2)
		return 0;
	size_t len = n - 2, cut = len * d[0] / 255;
	int dir = d[1] & 1;
	const uint8_t *p = d + 2;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 389);
	wlt_tcp_send(&t, dir, p, cut);
	wlt_tcp_send(&t, dir, p + cut, len - cut);
	wlt_tcp_send(&t, !dir, p, len);
	wlt_udp(&t, dir, 40001, 389, p, len);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
