/* fuzz_ntp.c - the NTP dissector on arbitrary bytes: the input as a request,
 * then as the response, so pairing and the offset arithmetic run too. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct feed f;
	feed_init(&f, NULL, NULL, NULL);
	feed_udp(&f, 0, 40123, 123, d, n);
	feed_udp(&f, 1, 40123, 123, d, n);
	if (n > 1) {
		feed_udp(&f, 0, 40124, 1123, d + 1, n - 1);
		feed_udp(&f, 1, 40124, 1123, d, n);
	}
	feed_free(&f);
	return 0;
}
