/* fuzz_ntp.c - the NTP dissector on arbitrary bytes: the input as a request,
 * then as the response, so pairing and the offset arithmetic run too; once
 * as by default and once with -v, which decodes the mode-6 status bits and
 * the mode-7 items. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void run(const uint8_t *d, size_t n, const struct wl_opts *opts)
{
	struct feed f;
	feed_init(&f, opts, NULL, NULL);
	feed_udp(&f, 0, 40123, 123, d, n);
	feed_udp(&f, 1, 40123, 123, d, n);
	if (n > 1) {
		feed_udp(&f, 0, 40124, 1123, d + 1, n - 1);
		feed_udp(&f, 1, 40124, 1123, d, n);
	}
	feed_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const struct wl_opts verbose = { .verbose = 1 };
	run(d, n, NULL);
	run(d, n, &verbose);
	return 0;
}
