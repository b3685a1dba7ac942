/* fuzz_dns.c - the DNS dissector on arbitrary bytes: as UDP datagrams (both
 * directions, so a response can pair with a query; on 5353 for mDNS; on an
 * unknown port for the probe), and as a TCP stream to port 53 cut into
 * segments of a size taken from the first byte. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct feed f;
	feed_init(&f, NULL, NULL, NULL);
	feed_udp(&f, 0, 40000, 53, d, n);
	feed_udp(&f, 1, 40000, 53, d, n);
	feed_udp(&f, 0, 40001, 5353, d, n);
	feed_udp(&f, 0, 40002, 9999, d, n);
	feed_tcp_open(&f, 40003, 53);
	feed_tcp_send(&f, 1, d, n, n ? d[0] % 64 + 1u : 1u);
	feed_tcp_open(&f, 40004, 9998);      /* the probe over TCP */
	feed_tcp_send(&f, 0, d, n, n ? d[n - 1] % 200 + 1u : 1u);
	feed_free(&f);
	return 0;
}
