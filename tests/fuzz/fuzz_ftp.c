/* fuzz_ftp.c - FTP control and data connections through the shared feeder.
 *
 * The input is a list of chunks: a header byte, then its bytes. Header 0xff
 * switches between the control connection (tcp 21) and a data connection to
 * 10.0.0.2:30000 (opened on first use, so a 227 reply for port 30000 earlier
 * in the input makes it ftp-data); otherwise bit 7 is the direction (set:
 * server to client) and bits 0-6 the chunk length.
 *
 * A fresh engine per input, with small limits (a full-size one costs
 * milliseconds per input), from the shared feeder. */
#include <stdint.h>
#include <string.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* A connection's place: its ports and sequence numbers. */
struct side {
	uint32_t seq[2];
	uint16_t port[2];
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct feed f;
	struct side other;
	int data_open = 0;
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 16;
	lim.flow_buf_max = 256u << 10;
	lim.total_buf_max = 1u << 20;
	feed_init(&f, NULL, &lim, NULL);
	feed_tcp_open(&f, 40000, 21);
	size_t i = 0;
	while (i < n) {
		uint8_t h = d[i++];
		if (h == 0xff) {
			struct side cur;
			memcpy(cur.seq, f.seq, sizeof cur.seq);
			memcpy(cur.port, f.port, sizeof cur.port);
			if (!data_open) {
				feed_tcp_open(&f, 40001, 30000);
				data_open = 1;
			} else {
				memcpy(f.seq, other.seq, sizeof f.seq);
				memcpy(f.port, other.port, sizeof f.port);
			}
			other = cur;
			continue;
		}
		size_t len = h & 0x7f;
		if (len > n - i)
			len = n - i;
		feed_tcp_send(&f, h & 0x80 ? 1 : 0, d + i, len, len);
		i += len;
	}
	feed_tcp_seg(&f, 0, FEED_FIN | FEED_ACK, NULL, 0);
	feed_tcp_seg(&f, 1, FEED_FIN | FEED_ACK, NULL, 0);
	feed_free(&f);
	return 0;
}
