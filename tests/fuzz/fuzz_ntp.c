/* fuzz_ntp.c - the NTP dissector on arbitrary bytes: the input as a request,
 * then as the response, so pairing and the offset arithmetic run too. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, d, n);
	wlt_udp(&t, WL_S2C, 40123, 123, d, n);
	if (n > 48) {
		wlt_udp(&t, WL_C2S, 40124, 1123, d + 1, n - 1);
		wlt_udp(&t, WL_S2C, 40124, 1123, d, n);
	}
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
