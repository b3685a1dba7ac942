/* fuzz_smb.c - libFuzzer target for the SMB dissector: the input is one TCP
 * stream from the client to port 445, cut into two segments at a point taken
 * from the first byte, then the same bytes as the server's answer, and as a
 * NetBIOS datagram on udp 138. It drives the real engine (IPv4, raw link
 * type) with a sink that drops the messages: the harness's message store
 * costs more than the dissection and would slow the fuzzer tenfold. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

struct feed {
	struct wl_engine *e;
	int64_t ts;
	uint32_t seq[2];
	uint16_t cport;
};

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

static void packet(struct feed *f, int dir, int tcp, uint8_t flags, const uint8_t *data, size_t n)
{
	static uint8_t pkt[65535];
	size_t l4 = tcp ? 20 : 8;
	if (n > sizeof pkt - 20 - l4)
		n = sizeof pkt - 20 - l4;
	size_t total = 20 + l4 + n;
	memset(pkt, 0, 20 + l4);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint32_t)total);
	pkt[8] = 64;
	pkt[9] = tcp ? 6 : 17;
	const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	memcpy(pkt + 12, dir ? b : a, 4);
	memcpy(pkt + 16, dir ? a : b, 4);
	uint8_t *h = pkt + 20;
	uint32_t cport = f->cport, sport = tcp ? 445 : 138;
	put16(h, dir ? sport : cport);
	put16(h + 2, dir ? cport : sport);
	if (tcp) {
		put32(h + 4, f->seq[dir]);
		put32(h + 8, (flags & 0x10) ? f->seq[!dir] : 0);
		h[12] = 5 << 4;
		h[13] = flags;
		put16(h + 14, 65535);
		f->seq[dir] += (uint32_t)n + ((flags & 0x02) ? 1u : 0u);
	} else {
		put16(h + 4, (uint32_t)(8 + n));
	}
	if (n)
		memcpy(pkt + 20 + l4, data, n);
	f->ts += 1000000;
	wl_engine_packet(f->e, WL_LINK_RAW, f->ts, pkt, (uint32_t)total, (uint32_t)total);
}

static void drop_msg(void *arg, const struct wl_msg *m) { (void)arg; (void)m; }

/* One engine for the whole run (its message buffer alone is 600 KiB, too
 * costly to allocate per input under ASan); each input is a new connection
 * from a new client port, reset at its end so the dissector's close runs. */
static struct feed *feed_get(void)
{
	static struct feed f;
	if (!f.e) {
		struct wl_opts opts;
		memset(&opts, 0, sizeof opts);
		static const struct wl_sink sink = { drop_msg, NULL, NULL };
		struct wl_limits lim;
		wl_limits_default(&lim);
		lim.max_flows = 16;
		f.e = wl_engine_new(&opts, &lim, &sink);
		wl_engine_set_dissectors(f.e, wl_dissectors);
		f.ts = 1700000000000000000;
	}
	return &f;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 1)
		return 0;
	size_t len = n - 1, cut = d[0] % n;
	const uint8_t *p = d + 1;
	if (cut > len)
		cut = len;
	struct feed *f = feed_get();
	if (!f->e)
		return 0;
	f->cport = (uint16_t)(f->cport % 10000 + 1);
	f->cport = (uint16_t)(f->cport + 40000);
	f->seq[0] = 1000;
	f->seq[1] = 5000;
	packet(f, 0, 1, 0x02, NULL, 0);
	packet(f, 1, 1, 0x12, NULL, 0);
	packet(f, 0, 1, 0x10, NULL, 0);
	packet(f, 0, 1, 0x18, p, cut);
	packet(f, 0, 1, 0x18, p + cut, len - cut);
	packet(f, 1, 1, 0x18, p, len);
	packet(f, 0, 1, 0x14, NULL, 0);      /* RST-ACK: the flow ends */
	packet(f, 0, 0, 0, p, len);
	return 0;
}
