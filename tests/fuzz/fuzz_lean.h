/* fuzz_lean.h - a lean packet feeder for fuzz targets: the real engine with
 * small limits and a sink that drops messages, so one input costs little
 * (the wltest harness keeps every message as text, which is slow under ASan).
 * Raw IPv4 frames between 10.0.0.1 (client) and 10.0.0.2 (server). */
#ifndef WL_FUZZ_LEAN_H
#define WL_FUZZ_LEAN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "engine.h"

struct lean {
	struct wl_engine *e;
	int64_t ts;
	uint16_t port[2];
	uint32_t seq[2];
};

static void lean_msg(void *arg, const struct wl_msg *m) { (void)arg; (void)m; }
static void lean_flow(void *arg, const struct wl_flow_summary *s) { (void)arg; (void)s; }

static inline void lean_init(struct lean *l)
{
	struct wl_opts o = { 0 };
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 8;
	struct wl_sink sink = { lean_msg, lean_flow, NULL };
	memset(l, 0, sizeof *l);
	l->e = wl_engine_new(&o, &lim, &sink);
	if (!l->e)
		abort();
	wl_engine_set_dissectors(l->e, wl_dissectors);
	l->ts = 1700000000LL * 1000000000LL;
}

static inline void lean_free(struct lean *l)
{
	wl_engine_finish(l->e);
	wl_engine_free(l->e);
}

static inline void lean_ip(struct lean *l, int dir, uint8_t proto, const uint8_t *l4, size_t l4n,
			   const uint8_t *d, size_t n)
{
	static uint8_t pkt[20 + 20 + 65536];
	if (n > 65000)
		n = 65000;
	size_t total = 20 + l4n + n;
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)(total >> 8);
	pkt[3] = (uint8_t)total;
	pkt[8] = 64;
	pkt[9] = proto;
	pkt[12] = 10; pkt[15] = (uint8_t)(dir ? 2 : 1);
	pkt[16] = 10; pkt[19] = (uint8_t)(dir ? 1 : 2);
	memcpy(pkt + 20, l4, l4n);
	if (n)
		memcpy(pkt + 20 + l4n, d, n);
	l->ts += 1000000;
	wl_engine_packet(l->e, WL_LINK_RAW, l->ts, pkt, (uint32_t)total, (uint32_t)total);
}

static inline void lean_udp(struct lean *l, int dir, uint16_t cport, uint16_t sport,
			    const uint8_t *d, size_t n)
{
	uint16_t s = dir ? sport : cport, t = dir ? cport : sport;
	size_t len = 8 + (n > 65000 ? 65000 : n);
	uint8_t h[8] = { (uint8_t)(s >> 8), (uint8_t)s, (uint8_t)(t >> 8), (uint8_t)t,
			 (uint8_t)(len >> 8), (uint8_t)len, 0, 0 };
	lean_ip(l, dir, 17, h, 8, d, n);
}

static inline void lean_tcp_seg(struct lean *l, int dir, uint8_t flags, const uint8_t *d, size_t n)
{
	uint16_t s = l->port[dir], t = l->port[!dir];
	uint32_t seq = l->seq[dir], ack = l->seq[!dir];
	uint8_t h[20] = { (uint8_t)(s >> 8), (uint8_t)s, (uint8_t)(t >> 8), (uint8_t)t,
			  (uint8_t)(seq >> 24), (uint8_t)(seq >> 16), (uint8_t)(seq >> 8), (uint8_t)seq,
			  (uint8_t)(ack >> 24), (uint8_t)(ack >> 16), (uint8_t)(ack >> 8), (uint8_t)ack,
			  5 << 4, flags, 0xFF, 0xFF, 0, 0, 0, 0 };
	if (!(flags & 0x10))
		memset(h + 8, 0, 4);
	lean_ip(l, dir, 6, h, 20, d, n);
	l->seq[dir] += (uint32_t)n + ((flags & 0x03) ? 1u : 0u);
}

static inline void lean_tcp_open(struct lean *l, uint16_t cport, uint16_t sport)
{
	l->port[0] = cport;
	l->port[1] = sport;
	l->seq[0] = 1000;
	l->seq[1] = 5000;
	lean_tcp_seg(l, 0, 0x02, NULL, 0);
	lean_tcp_seg(l, 1, 0x12, NULL, 0);
	lean_tcp_seg(l, 0, 0x10, NULL, 0);
}

static inline void lean_tcp_send(struct lean *l, int dir, const uint8_t *d, size_t n, size_t seg)
{
	for (size_t off = 0; off < n; off += seg)
		lean_tcp_seg(l, dir, 0x18, d + off, n - off < seg ? n - off : seg);
}

#endif
