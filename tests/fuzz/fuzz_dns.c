/* fuzz_dns.c - the DNS dissector on arbitrary bytes: as a UDP datagram (both
 * directions, so a response can pair with a query), and as a TCP stream to
 * port 53 split at a point taken from the first byte. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40000, 53, d, n);
	wlt_udp(&t, WL_S2C, 40000, 53, d, n);
	wlt_udp(&t, WL_C2S, 40001, 5353, d, n);
	wlt_udp(&t, WL_C2S, 40002, 9999, d, n);   /* the probe */
	wlt_finish(&t);
	wlt_free(&t);

	size_t split = n ? d[0] % 64 + 1 : 1;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40003, 53);
	wlt_tcp_send_split(&t, WL_S2C, d, n, split);
	wlt_tcp_close(&t);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
