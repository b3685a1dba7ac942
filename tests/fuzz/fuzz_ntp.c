/* fuzz_ntp.c - the NTP dissector on arbitrary bytes: the input as a request,
 * then as the response, so pairing and the offset arithmetic run too. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_lean.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct lean l;
	lean_init(&l);
	lean_udp(&l, 0, 40123, 123, d, n);
	lean_udp(&l, 1, 40123, 123, d, n);
	if (n > 1) {
		lean_udp(&l, 0, 40124, 1123, d + 1, n - 1);
		lean_udp(&l, 1, 40124, 1123, d, n);
	}
	lean_free(&l);
	return 0;
}
