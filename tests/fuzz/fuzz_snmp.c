/* fuzz_snmp.c - SNMP on arbitrary bytes: one datagram each way on udp 161
 * and one to an unknown port (the probe decides). One engine serves every
 * input, so an input costs its own work, not an engine's set-up. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct wlt t;
	static int ready;
	if (!ready) {
		wlt_init(&t, NULL);
		ready = 1;
	}
	wlt_udp(&t, 0, 50000, 161, d, n);
	wlt_udp(&t, 1, 50000, 161, d, n);
	wlt_udp(&t, 0, 50001, 16100, d, n);
	for (size_t i = 0; i < t.n; i++) {
		free(t.msgs[i].text);
		free(t.msgs[i].fields);
		free(t.msgs[i].notes);
	}
	t.n = 0;
	return 0;
}
