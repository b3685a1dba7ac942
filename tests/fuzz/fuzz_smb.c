/* fuzz_smb.c - libFuzzer target for the SMB dissector: the input is one TCP
 * stream from the client to port 445, cut into two segments at a point taken
 * from the first byte, then the same bytes as the server's answer, and as a
 * NetBIOS datagram on udp 138. One engine (the shared feeder's) serves every
 * input: each is a new connection from a new client port, reset at its end
 * so the dissector's close runs. Verbose, so that the -v detail (create
 * contexts, leases, info classes) is read too. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint16_t cport;
	if (n < 1)
		return 0;
	size_t len = n - 1, cut = d[0] % n;
	const uint8_t *p = d + 1;
	if (cut > len)
		cut = len;
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 16;
	static const struct wl_opts opts = { .verbose = 1 };
	struct feed *f = feed_get(&opts, &lim);
	cport = (uint16_t)(cport % 10000 + 1);
	feed_tcp_open(f, (uint16_t)(cport + 40000), 445);
	feed_tcp_seg(f, 0, FEED_PSH | FEED_ACK, p, cut);
	feed_tcp_seg(f, 0, FEED_PSH | FEED_ACK, p + cut, len - cut);
	feed_tcp_seg(f, 1, FEED_PSH | FEED_ACK, p, len);
	feed_tcp_reset(f);
	feed_udp(f, 0, (uint16_t)(cport + 40000), 138, p, len);
	return 0;
}
