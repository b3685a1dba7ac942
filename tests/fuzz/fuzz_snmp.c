/* fuzz_snmp.c - SNMP on arbitrary bytes: one datagram each way on udp 161
 * and one to an unknown port (the probe decides). One engine serves every
 * input, so an input costs its own work, not an engine's set-up. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct feed *f = feed_get(NULL, NULL);
	feed_udp(f, 0, 50000, 161, d, n);
	feed_udp(f, 1, 50000, 161, d, n);
	feed_udp(f, 0, 50001, 16100, d, n);
	return 0;
}
