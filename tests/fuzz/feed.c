/* feed.c - the fuzz targets' packet feeder (see feed.h). */
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "feed.h"

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* Reads every byte a message carries, so a bad offset or length shows under ASan. */
static void read_msg(void *arg, const struct wl_msg *m)
{
	struct feed *f = arg;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct wl_field *x = &m->fields[i];
		if (x->type == WL_FT_STR || x->type == WL_FT_BYTES)
			for (uint32_t k = 0; k < x->len; k++)
				f->checksum += (uint8_t)wl_msg_pool(m, x->v.off)[k];
	}
	for (unsigned i = 0; i < m->nnotes; i++)
		f->checksum += strnlen(wl_msg_pool(m, m->notes[i].off), m->notes[i].len);
	f->checksum += strnlen(wl_msg_pool(m, m->text_off), m->text_len);
}

static void read_flow(void *arg, const struct wl_flow_summary *s)
{
	struct feed *f = arg;
	for (unsigned i = 0; i < s->nfacts; i++)
		f->checksum += strlen(s->facts[i].key) + strlen(s->facts[i].val);
}

void feed_init(struct feed *f, const struct wl_opts *opts, const struct wl_limits *lim,
	       const struct wl_sink *sink)
{
	struct wl_limits small;
	if (!lim) {
		wl_limits_default(&small);
		small.max_flows = 8;
		lim = &small;
	}
	memset(f, 0, sizeof *f);
	struct wl_sink check = { read_msg, read_flow, f };
	f->e = wl_engine_new(opts, lim, sink ? sink : &check);
	if (!f->e)
		abort();
	wl_engine_set_dissectors(f->e, wl_dissectors);
	f->ts = 1700000000LL * 1000000000LL;
}

void feed_free(struct feed *f)
{
	wl_engine_finish(f->e);
	wl_engine_free(f->e);
	f->e = NULL;
}

struct feed *feed_get(const struct wl_opts *opts, const struct wl_limits *lim)
{
	static struct feed run;
	if (!run.e)
		feed_init(&run, opts, lim, NULL);
	return &run;
}

void feed_frame(struct feed *f, int linktype, const uint8_t *d, uint32_t caplen, uint32_t len,
		int64_t dt_ns)
{
	f->ts += dt_ns;
	wl_engine_packet(f->e, linktype, f->ts, d, caplen, len);
}

void feed_ip(struct feed *f, int dir, uint8_t proto, const uint8_t *l4, size_t l4n, const uint8_t *d,
	     size_t n)
{
	static uint8_t pkt[65535];
	if (n > sizeof pkt - 20 - l4n)
		n = sizeof pkt - 20 - l4n;
	size_t total = 20 + l4n + n;
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint32_t)total);
	pkt[8] = 64;
	pkt[9] = proto;
	pkt[12] = 10;
	pkt[15] = (uint8_t)(dir ? 2 : 1);
	pkt[16] = 10;
	pkt[19] = (uint8_t)(dir ? 1 : 2);
	memcpy(pkt + 20, l4, l4n);
	if (n)
		memcpy(pkt + 20 + l4n, d, n);
	feed_frame(f, WL_LINK_RAW, pkt, (uint32_t)total, (uint32_t)total, 1000000);
}

void feed_udp(struct feed *f, int dir, uint16_t cport, uint16_t sport, const uint8_t *d, size_t n)
{
	if (n > 65000)
		n = 65000;
	uint8_t h[8] = { 0 };
	put16(h, dir ? sport : cport);
	put16(h + 2, dir ? cport : sport);
	put16(h + 4, (uint32_t)(8 + n));
	feed_ip(f, dir, 17, h, 8, d, n);
}

void feed_tcp_seg(struct feed *f, int dir, uint8_t flags, const uint8_t *d, size_t n)
{
	if (n > 65000)
		n = 65000;
	uint8_t h[20] = { 0 };
	put16(h, f->port[dir]);
	put16(h + 2, f->port[!dir]);
	put32(h + 4, f->seq[dir]);
	put32(h + 8, (flags & FEED_ACK) ? f->seq[!dir] : 0);
	h[12] = 5 << 4;
	h[13] = flags;
	put16(h + 14, 65535);
	feed_ip(f, dir, 6, h, 20, d, n);
	f->seq[dir] += (uint32_t)n + ((flags & (FEED_SYN | FEED_FIN)) ? 1u : 0u);
}

void feed_tcp_open(struct feed *f, uint16_t cport, uint16_t sport)
{
	f->port[0] = cport;
	f->port[1] = sport;
	f->seq[0] = 1000;
	f->seq[1] = 5000;
	feed_tcp_seg(f, 0, FEED_SYN, NULL, 0);
	feed_tcp_seg(f, 1, FEED_SYN | FEED_ACK, NULL, 0);
	feed_tcp_seg(f, 0, FEED_ACK, NULL, 0);
}

void feed_tcp_send(struct feed *f, int dir, const uint8_t *d, size_t n, size_t seg)
{
	if (!seg)
		seg = 1;
	for (size_t off = 0; off < n; off += seg)
		feed_tcp_seg(f, dir, FEED_PSH | FEED_ACK, d + off, n - off < seg ? n - off : seg);
}

void feed_tcp_reset(struct feed *f)
{
	feed_tcp_seg(f, 0, FEED_RST | FEED_ACK, NULL, 0);
}
