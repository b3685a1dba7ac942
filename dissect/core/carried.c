/* carried.c - a protocol inside another's payload (the plaintext of a TLS
 * connection): its dissector chosen as a TCP flow's is (dispatch.c), the
 * bytes it has not consumed kept per direction as stream.c keeps a flow's.
 * Zeek's analyzer tree works the same way: the SSL analyzer's plaintext is
 * a child analyzer's stream.
 *
 * While the probes want more bytes they wait here, at most WL_PROBE_MAX; the
 * carrier has shown them (wl_carried_taken said no), so if no dissector
 * takes them in the end they are dropped, not shown twice. The probes run
 * once per new bytes: wl_carried_taken's answer stands for the push after it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* TLS in FTP in TLS ...: real traffic nests once; a crafted capture with a
 * key log for every layer stops here, its deeper bytes left to the carrier. */
#define CARRY_DEPTH_MAX 4

struct carried_buf {
	uint8_t *p;
	uint32_t len, cap;
};

struct wl_carried {
	const struct wl_dissector *carrier, *hint, *d;
	void *st;
	uint8_t decided;
	uint32_t probed[2];      /* bytes the probes last wanted more than (per direction) */
	char name[16];           /* the carrier's name as users write it: "TLS" */
	struct carried_buf buf[2];
};

struct wl_carried *wl_carried_new(struct wl_ctx *ctx, const struct wl_dissector *carrier)
{
	(void)ctx;
	struct wl_carried *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->carrier = carrier;
	size_t i = 0;
	for (; carrier && carrier->name[i] && i + 1 < sizeof c->name; i++)
		c->name[i] = (char)toupper((unsigned char)carrier->name[i]);
	c->name[i] = '\0';
	return c;
}

const char *wl_carrier(const struct wl_ctx *ctx)
{
	return ctx->carry_depth ? ctx->carrier : NULL;
}

void wl_carried_hint(struct wl_ctx *ctx, struct wl_carried *c, const char *proto)
{
	const struct wl_dissector *d = proto ? wl_engine_dissector(ctx, proto) : NULL;
	if (c && d && d != c->carrier && d->stream)
		c->hint = d;
}

const char *wl_carried_proto(const struct wl_carried *c)
{
	return c && c->d ? c->d->name : NULL;
}

static int buf_add(struct wl_ctx *ctx, struct carried_buf *b, const uint8_t *p, size_t n)
{
	if (b->len + (uint64_t)n > ctx->lim.flow_buf_max || ctx->buffered + n > ctx->lim.total_buf_max)
		return -1;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? 2 * (size_t)b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *np = realloc(b->p, cap);
		if (!np)
			return -1;
		b->p = np;
		b->cap = (uint32_t)cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += (uint32_t)n;
	ctx->buffered += n;
	if (ctx->buffered > ctx->stats.buf_peak)
		ctx->stats.buf_peak = ctx->buffered;
	return 0;
}

static void buf_drop(struct wl_ctx *ctx, struct carried_buf *b, size_t n)
{
	if (n > b->len)
		n = b->len;
	if (!n)
		return;   /* b->p may still be NULL: no arithmetic on it */
	memmove(b->p, b->p + n, b->len - n);
	b->len -= (uint32_t)n;
	ctx->buffered -= n;
}

/* The choice made: d takes the stream, or (NULL) nobody does and what waits
 * is dropped, the carrier having shown it. */
static void settle(struct wl_ctx *ctx, struct wl_carried *c, const struct wl_dissector *d)
{
	c->decided = 1;
	c->d = d;
	if (d && d->open && !(c->st = d->open(ctx)))
		c->d = NULL;
	if (!c->d)
		for (int i = 0; i < 2; i++)
			buf_drop(ctx, &c->buf[i], c->buf[i].len);
}

/* A tls.port rule, the carrier's hint, a tcp.port rule or the port table
 * (not the carrier's own ports), then the probes. */
static void decide(struct wl_ctx *ctx, struct wl_carried *c, int dir, struct wl_cur bytes)
{
	const struct wl_flow *f = ctx->flow;
	const struct wl_dissector *d = NULL;
	if (f)
		d = wl__dissector_by_rule(ctx, 2, f->port);
	if (!d)
		d = c->hint;
	if (!d && f)
		d = wl__dissector_by_port(ctx, 1, f->port, c->carrier);
	if (!d) {
		int need_more;
		d = wl__dissector_probe(ctx, 1, dir, bytes, c->carrier, &need_more);
		if (!d && need_more && wl_left(&bytes) < WL_PROBE_MAX) {
			c->probed[dir] = (uint32_t)wl_left(&bytes);
			return;
		}
	}
	settle(ctx, c, d);
}

int wl_carried_taken(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir, struct wl_cur next)
{
	if (!c || ctx->carry_depth >= CARRY_DEPTH_MAX)
		return 0;
	if (!c->decided) {
		struct carried_buf *b = &c->buf[dir];
		size_t n = wl_left(&next);
		uint8_t *joined = NULL;
		if (b->len && n) {
			joined = malloc((size_t)b->len + n);
			if (!joined)
				return 0;
			memcpy(joined, b->p, b->len);
			memcpy(joined + b->len, wl_bytes(&next, n), n);
			decide(ctx, c, dir, wl_cur_make(joined, (size_t)b->len + n));
			free(joined);
		} else {
			decide(ctx, c, dir, b->len ? wl_cur_make(b->p, b->len) : next);
		}
	}
	return c->decided && c->d;
}

/* The inner dissector's stream call, its messages marked with how. */
static size_t feed(struct wl_ctx *ctx, struct wl_carried *c, int dir, struct wl_cur bytes,
		   const char *how)
{
	const char *outer = ctx->carry_note, *outer_name = ctx->carrier;
	ctx->carry_note = how;
	ctx->carrier = c->name;
	ctx->carry_depth++;
	size_t used = c->d->stream ? c->d->stream(c->st, ctx, (enum wl_dir)dir, bytes) : wl_left(&bytes);
	ctx->carry_depth--;
	ctx->carrier = outer_name;
	ctx->carry_note = outer;
	return used;
}

static void carried_feed(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir,
			 struct wl_cur bytes, const char *how)
{
	struct carried_buf *b = &c->buf[dir];
	size_t n = wl_left(&bytes);
	const uint8_t *p = wl_bytes(&bytes, n);
	if (!p)
		return;
	if (!c->decided) {
		/* the bytes wait with the others for the probes' answer */
		if (buf_add(ctx, b, p, n) < 0) {
			settle(ctx, c, NULL);
			return;
		}
		if (b->len != c->probed[dir])  /* wl_carried_taken has not probed these yet */
			decide(ctx, c, dir, wl_cur_make(b->p, b->len));
		if (c->d)
			buf_drop(ctx, b, feed(ctx, c, dir, wl_cur_make(b->p, b->len), how));
		return;
	}
	if (!c->d)
		return;
	if (!b->len) {
		size_t used = feed(ctx, c, dir, wl_cur_make(p, n), how);
		if (used < n && buf_add(ctx, b, p + used, n - used) < 0)
			wl_carried_gap(ctx, c, dir, n - used);
		return;
	}
	if (buf_add(ctx, b, p, n) < 0) {
		wl_carried_gap(ctx, c, dir, b->len + (uint64_t)n);
		return;
	}
	buf_drop(ctx, b, feed(ctx, c, dir, wl_cur_make(b->p, b->len), how));
}

int wl_carried_push(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir,
		    struct wl_cur bytes, const char *how)
{
	uint64_t made = ctx->msgs_made;
	if (c && ctx->carry_depth < CARRY_DEPTH_MAX)
		carried_feed(ctx, c, dir, bytes, how);
	return ctx->msgs_made != made;
}

void wl_carried_gap(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir, uint64_t len)
{
	if (!c)
		return;
	buf_drop(ctx, &c->buf[dir], c->buf[dir].len);
	if (c->d && c->d->gap)
		c->d->gap(c->st, ctx, dir, len);
}

void wl_carried_free(struct wl_ctx *ctx, struct wl_carried *c)
{
	if (!c)
		return;
	if (c->d && c->d->close) {
		const char *outer_name = ctx->carrier;
		ctx->carrier = c->name;
		ctx->carry_depth++;
		c->d->close(c->st, ctx);
		ctx->carry_depth--;
		ctx->carrier = outer_name;
	}
	for (int i = 0; i < 2; i++) {
		ctx->buffered -= c->buf[i].len;
		free(c->buf[i].p);
	}
	free(c);
}
