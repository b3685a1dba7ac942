/* fuzz_pcap.c - the capture file reader (pcap through libpcap's offline API,
 * pcapng through capture/pcapng.c, from memory) and then every packet it
 * yields through the engine and the JSON renderer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture.h"
#include "feed.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static FILE *devnull;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	char err[512];
	struct wl_source *src = wl_source_offline_mem(d, n, err, sizeof err);
	if (!src)
		return 0;
	int lt = wl_source_linktype(src);
	if (!wl_link_supported(lt) && wl_source_interfaces(src) <= 1) {
		wl_source_close(src);
		return 0;
	}
	struct wl_render_opts ro = { .format = WL_OUT_JSON, .summaries = 1, .out = devnull };
	struct wl_renderer *r = wl_render_new(&ro);
	struct wl_sink sink = wl_render_sink(r);
	struct wl_limits lim = { .max_flows = 16, .flow_buf_max = 8192, .total_buf_max = 32768,
				 .idle_ns = 60LL * 1000000000LL };
	struct feed fd;
	feed_init(&fd, NULL, &lim, &sink);
	struct wl_pkt p;
	for (unsigned k = 0; k < 100000 && wl_source_next(src, &p) == 1; k++) {
		/* as wl_run_source: each packet with its own link type, interface and comments */
		struct wl_frame_comment c[WL_PKT_MAX_COMMENTS];
		for (unsigned i = 0; i < p.ncomments; i++)
			c[i] = (struct wl_frame_comment){ p.comments[i].text, p.comments[i].len };
		struct wl_frame f = { .linktype = p.linktype, .ts_ns = p.ts_ns, .data = p.data,
				      .caplen = p.caplen, .len = p.len, .interface_id = p.interface_id,
				      .show_interface = wl_source_interfaces(src) > 1,
				      .ncomments = p.ncomments, .comments = c };
		wl_engine_frame(fd.e, &f);
	}
	feed_free(&fd);
	wl_render_free(r);
	wl_source_close(src);
	return 0;
}
