/* fuzz_engine.c - the whole engine (link layers, IP with fragments, ICMP, UDP,
 * TCP reassembly, every dissector) and both renderers, fed a sequence of frames.
 *
 * Input: byte 0 picks the link type (and, in its high bit, JSON or text
 * output); then frames, each a 2-byte big-endian length and that many bytes
 * (a short last frame is taken as it is). Limits are small so that the caps
 * on flows, buffers and fragments are reached. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed.h"
#include "render.h"

static const int links[] = {
	WL_LINK_ETHERNET, WL_LINK_RAW, WL_LINK_SLL, WL_LINK_SLL2, WL_LINK_NULL,
	WL_LINK_LOOP, WL_LINK_IPV4, WL_LINK_IPV6, WL_LINK_IEEE802_11, WL_LINK_RADIOTAP,
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *devnull;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	if (n < 1)
		return 0;
	int lt = links[(d[0] & 0x7f) % (sizeof links / sizeof links[0])];
	struct wl_render_opts ro = { .format = (d[0] & 0x80) ? WL_OUT_JSON : WL_OUT_TEXT,
				     .verbose = 2, .summaries = 1, .out = devnull };
	struct wl_renderer *r = wl_render_new(&ro);
	struct wl_sink sink = wl_render_sink(r);
	struct wl_limits lim = { .max_flows = 8, .flow_buf_max = 4096, .total_buf_max = 16384,
				 .idle_ns = 5LL * 1000000000LL };
	struct wl_opts opts = { .verbose = 2 };
	struct feed f;
	feed_init(&f, &opts, &lim, &sink);
	size_t i = 1;
	while (i < n) {
		size_t len = n - i;
		if (len >= 2) {
			size_t want = (size_t)d[i] << 8 | d[i + 1];
			i += 2;
			len = n - i < want ? n - i : want;
		} else {
			len = n - i;
		}
		/* time steps from the frame's length: some jumps pass the idle timeout */
		feed_frame(&f, lt, d + i, (uint32_t)len, (uint32_t)len + (len & 1) * 10,
			   (int64_t)(len & 7) * 900000000LL);
		i += len;
	}
	feed_free(&f);
	wl_render_free(r);
	return 0;
}
