/* fuzz_snmp.c - SNMP on arbitrary bytes: one datagram to udp 161 and the
 * same to an unknown port (the probe decides). */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, 0, 50000, 161, d, n);
	wlt_udp(&t, 1, 50000, 161, d, n);
	wlt_udp(&t, 0, 50001, 16100, d, n);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
