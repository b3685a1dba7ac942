/* fuzz_dns.c - the DNS dissector on arbitrary bytes: as UDP datagrams (both
 * directions, so a response can pair with a query; on 5353 for mDNS; on an
 * unknown port for the probe), and as a TCP stream to port 53 cut into
 * segments of a size taken from the first byte. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_lean.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct lean l;
	lean_init(&l);
	lean_udp(&l, 0, 40000, 53, d, n);
	lean_udp(&l, 1, 40000, 53, d, n);
	lean_udp(&l, 0, 40001, 5353, d, n);
	lean_udp(&l, 0, 40002, 9999, d, n);
	lean_tcp_open(&l, 40003, 53);
	lean_tcp_send(&l, 1, d, n, n ? d[0] % 64 + 1u : 1u);
	lean_tcp_open(&l, 40004, 9998);      /* the probe over TCP */
	lean_tcp_send(&l, 0, d, n, n ? d[n - 1] % 200 + 1u : 1u);
	lean_free(&l);
	return 0;
}
