/* fuzz_ssh.c - libFuzzer target for the SSH dissector.
 *
 * Input: byte 0 = segment size - 1, bytes 1-2 = length L of the client's
 * bytes (big-endian), then L client bytes, then the server's bytes. Both are
 * sent on one TCP connection to port 22, alternating segments, so version
 * strings, KEXINITs, key exchange and the encrypted tail all get reached.
 *
 * It drives the engine directly (raw IPv4 frames, a sink that only reads the
 * fields back) rather than through wltest.h, whose per-message bookkeeping
 * costs more than the dissection and kept libFuzzer near 16 runs/s. One engine
 * serves every input: each input is its own connection (a new client port),
 * ended by a RST, which closes the flow and frees the dissector's state. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dissect.h"
#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

struct conn {
	struct wl_engine *e;
	uint32_t seq[2];
	uint16_t cport;
	int64_t ts;
	size_t checksum;
};

static struct conn conn;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void seg(struct conn *c, int dir, uint8_t flags, const uint8_t *data, size_t n)
{
	static uint8_t pkt[40 + 65536];
	if (n > 65536)
		n = 65536;
	memset(pkt, 0, 40);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint16_t)(40 + n > 65535 ? 65535 : 40 + n));
	pkt[8] = 64;
	pkt[9] = 6;
	const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	memcpy(pkt + 12, dir ? b : a, 4);
	memcpy(pkt + 16, dir ? a : b, 4);
	put16(pkt + 20, dir ? 22 : c->cport);
	put16(pkt + 22, dir ? c->cport : 22);
	put32(pkt + 24, c->seq[dir]);
	put32(pkt + 28, (flags & 0x10) ? c->seq[!dir] : 0);
	pkt[32] = 5 << 4;
	pkt[33] = flags;
	put16(pkt + 34, 65535);
	if (n)
		memcpy(pkt + 40, data, n);
	c->ts += 1000000;
	wl_engine_packet(c->e, WL_LINK_RAW, c->ts, pkt, (uint32_t)(40 + n), (uint32_t)(40 + n));
	c->seq[dir] += (uint32_t)n + ((flags & 0x03) ? 1u : 0u);
}

/* Reads every field and note back, so a bad offset shows under ASan. */
static void on_msg(void *arg, const struct wl_msg *m)
{
	struct conn *c = arg;
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct wl_field *f = &m->fields[i];
		if (f->type == WL_FT_STR || f->type == WL_FT_BYTES)
			for (uint32_t k = 0; k < f->len; k++)
				c->checksum += (uint8_t)wl_msg_pool(m, f->v.off)[k];
	}
	for (unsigned i = 0; i < m->nnotes; i++)
		c->checksum += strnlen(wl_msg_pool(m, m->notes[i].off), m->notes[i].len);
	c->checksum += strnlen(wl_msg_pool(m, m->text_off), m->text_len);
}

static void on_flow(void *arg, const struct wl_flow_summary *s)
{
	struct conn *c = arg;
	for (unsigned i = 0; i < s->nfacts; i++)
		c->checksum += strlen(s->facts[i].key) + strlen(s->facts[i].val);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 3)
		return 0;
	size_t step = (size_t)d[0] + 1;
	size_t clen = (size_t)d[1] << 8 | d[2];
	d += 3;
	n -= 3;
	if (clen > n)
		clen = n;
	const uint8_t *cl = d, *sv = d + clen;
	size_t slen = n - clen, ci = 0, si = 0;

	struct conn *c = &conn;
	if (!c->e) {
		static const struct wl_opts opts = { 0 };
		struct wl_limits lim;
		wl_limits_default(&lim);
		lim.max_flows = 8;
		struct wl_sink sink = { on_msg, on_flow, c };
		c->e = wl_engine_new(&opts, &lim, &sink);
		if (!c->e)
			return 0;
		wl_engine_set_dissectors(c->e, wl_dissectors);
	}
	c->cport = (uint16_t)(c->cport >= 60000 ? 1024 : c->cport + 1);
	c->seq[0] = 1000;
	c->seq[1] = 5000;
	seg(c, 0, 0x02, NULL, 0);
	seg(c, 1, 0x12, NULL, 0);
	seg(c, 0, 0x10, NULL, 0);
	while (ci < clen || si < slen) {
		if (ci < clen) {
			size_t k = clen - ci < step ? clen - ci : step;
			seg(c, 0, 0x18, cl + ci, k);
			ci += k;
		}
		if (si < slen) {
			size_t k = slen - si < step ? slen - si : step;
			seg(c, 1, 0x18, sv + si, k);
			si += k;
		}
	}
	seg(c, 0, 0x14, NULL, 0);  /* RST: the flow closes, close() runs */
	return 0;
}
