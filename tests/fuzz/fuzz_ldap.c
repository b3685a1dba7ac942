/* fuzz_ldap.c - LDAP on arbitrary bytes: as a TCP stream to port 389 in two
 * segments split at a point taken from the first byte (the second byte picks
 * the direction), the same bytes the other way in one segment, then a reset;
 * and as one CLDAP datagram. One engine serves every input (a new connection
 * per input), so an input costs its own work, not an engine's set-up. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint16_t port = 1024;
	if (n < 2)
		return 0;
	struct feed *f = feed_get(NULL, NULL);
	size_t len = n - 2, cut = len * d[0] / 255;
	int dir = d[1] & 1;
	const uint8_t *p = d + 2;
	port = (uint16_t)(port >= 65000 ? 1024 : port + 1);
	feed_tcp_open(f, port, 389);
	feed_tcp_send(f, dir, p, cut, cut);
	feed_tcp_send(f, dir, p + cut, len - cut, len - cut);
	feed_tcp_send(f, !dir, p, len, len);
	feed_tcp_reset(f);
	feed_udp(f, dir, port, 389, p, len);
	return 0;
}
