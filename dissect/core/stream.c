/* stream.c - the bytes of one direction of a flow on their way to its
 * dissector: in order, with what the dissector has not consumed kept for the
 * next call.
 *
 * A segment ahead of the next expected byte is held (copied) until the hole
 * fills; a hole that cannot fill (over a cap, or the flow ends) is reported to
 * the dissector as a gap. Until a dissector is chosen, the bytes wait for the
 * probes' answer. Bytes held are counted per flow and in total, under the
 * engine's limits.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Out-of-order segments held per direction; past it the first hole is given up. */
#define OOO_MAX_SEGS 1024

struct wl_seg {
	struct wl_seg *next;
	uint32_t seq, len;
	uint8_t data[];
};

void wl__half_free(struct wl_ctx *ctx, struct wl_half *h)
{
	while (h->ooo) {
		struct wl_seg *s = h->ooo;
		h->ooo = s->next;
		ctx->buffered -= s->len;
		free(s);
	}
	h->ooo_tail = NULL;
	h->ooo_bytes = h->ooo_count = 0;
	ctx->buffered -= h->buf_len;
	free(h->buf);
	h->buf = NULL;
	h->buf_len = h->buf_cap = 0;
}

static int buf_append(struct wl_ctx *ctx, struct wl_half *h, const uint8_t *p, uint32_t n)
{
	if (h->buf_len + (uint64_t)n > h->buf_cap) {
		/* start small: most flows hold a line or a header at a time, and a
		 * table of 100k open flows pays for every byte (issue 24's scale) */
		uint64_t cap = h->buf_cap ? h->buf_cap : 256;
		while (cap < h->buf_len + (uint64_t)n)
			cap *= 2;
		uint8_t *nb = realloc(h->buf, cap);
		if (!nb)
			return -1;
		h->buf = nb;
		h->buf_cap = (uint32_t)cap;
	}
	memcpy(h->buf + h->buf_len, p, n);
	h->buf_len += n;
	ctx->buffered += n;
	if (ctx->buffered > ctx->stats.buf_peak)
		ctx->stats.buf_peak = ctx->buffered;
	return 0;
}

static void buf_consume(struct wl_ctx *ctx, struct wl_half *h, uint32_t n)
{
	if (n >= h->buf_len) {
		ctx->buffered -= h->buf_len;
		h->buf_len = 0;
		if (h->buf_cap > (64u << 10)) {  /* give back large buffers */
			free(h->buf);
			h->buf = NULL;
			h->buf_cap = 0;
		}
		return;
	}
	memmove(h->buf, h->buf + n, h->buf_len - n);
	h->buf_len -= n;
	ctx->buffered -= n;
}

static struct wl_msg *stream_note_msg(struct wl_ctx *ctx, struct wl_flow *f, int dir)
{
	struct wl_msg *m = wl_msg_new(ctx, f->tcp ? "tcp" : "udp", "stream", (enum wl_dir)dir);
	return m;
}

/* Hands ordered bytes to the flow's dissector, keeping what it does not consume. */
void wl__stream_push(struct wl_ctx *ctx, struct wl_flow *f, int dir, const uint8_t *p, uint32_t n)
{
	struct wl_half *h = &f->half[dir];
	if (!f->dissector_tried && (h->buf_len + (uint64_t)n > ctx->lim.flow_buf_max ||
				    ctx->buffered + n > ctx->lim.total_buf_max)) {
		/* no room to wait for a probe's answer: the bytes are shown as they are */
		f->dissector_tried = 1;
	}
	if (!f->dissector_tried) {
		if (h->buf_len) {
			if (buf_append(ctx, h, p, n) < 0)
				return;
			wl__flow_pick_dissector(ctx, f, dir, wl_cur_make(h->buf, h->buf_len));
		} else {
			wl__flow_pick_dissector(ctx, f, dir, wl_cur_make(p, n));
			if (!f->dissector_tried && buf_append(ctx, h, p, n) < 0)
				return;
		}
		if (!f->dissector_tried)
			return;  /* the probe wants more bytes */
		if (f->muted) {  /* decided, and nobody needs this protocol (opts.only) */
			buf_consume(ctx, h, h->buf_len);
			return;
		}
		if (h->buf_len) {
			p = NULL;
			n = 0;
		}
	}
	if (f->d && !f->dst)  /* a flow an expectation gave its dissector opens it now */
		wl__flow_pick_dissector(ctx, f, dir, wl_cur_make(p, n));
	if (!f->d || !f->dst || !f->d->stream) {
		if (h->buf_len) {
			wl__data_msg(ctx, dir, wl_cur_make(h->buf, h->buf_len));
			buf_consume(ctx, h, h->buf_len);
		}
		if (n)
			wl__data_msg(ctx, dir, wl_cur_make(p, n));
		return;
	}
	size_t used;
	if (!h->buf_len) {
		used = f->d->stream(f->dst, ctx, (enum wl_dir)dir, wl_cur_make(p, n));
		if (used < n && buf_append(ctx, h, p + used, n - (uint32_t)used) < 0)
			return;
	} else {
		if (n && buf_append(ctx, h, p, n) < 0)
			return;
		used = f->d->stream(f->dst, ctx, (enum wl_dir)dir, wl_cur_make(h->buf, h->buf_len));
		buf_consume(ctx, h, used > h->buf_len ? h->buf_len : (uint32_t)used);
	}
	if (h->buf_len > ctx->lim.flow_buf_max || ctx->buffered > ctx->lim.total_buf_max) {
		struct wl_msg *m = stream_note_msg(ctx, f, dir);
		wl_msg_text(m, "%u bytes without a complete message dropped", h->buf_len);
		wl_note(m, WL_WARN, "reassembly limit reached: %u bytes waiting for the end of one %s "
			"message were dropped", h->buf_len, f->d->name);
		ctx->stats.buf_drops++;
		uint32_t dropped = h->buf_len;
		buf_consume(ctx, h, dropped);
		wl__deliver_gap(ctx, f, dir, dropped);
	}
}

void wl__stream_gap(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint32_t n, const char *why)
{
	struct wl_half *h = &f->half[dir];
	struct wl_msg *m = stream_note_msg(ctx, f, dir);
	wl_msg_text(m, "[%u bytes missing]", n);
	wl_note(m, WL_WARN, "%u bytes of this stream were %s", n, why);
	wl_msg_emit(ctx, m);
	/* what waits in the buffer can never complete now */
	if (h->buf_len) {
		uint32_t waiting = h->buf_len;
		buf_consume(ctx, h, waiting);
		n += waiting;
	}
	wl__deliver_gap(ctx, f, dir, n);
}

/* Delivers held segments that the stream has caught up with. */
void wl__stream_drain(struct wl_ctx *ctx, struct wl_flow *f, int dir)
{
	struct wl_half *h = &f->half[dir];
	while (h->ooo && !wl__seq_lt(h->next_seq, h->ooo->seq)) {
		struct wl_seg *s = h->ooo;
		h->ooo = s->next;
		if (!h->ooo)
			h->ooo_tail = NULL;
		h->ooo_count--;
		h->ooo_bytes -= s->len;
		ctx->buffered -= s->len;
		uint32_t skip = h->next_seq - s->seq;
		if (skip < s->len) {
			h->next_seq += s->len - skip;
			wl__stream_push(ctx, f, dir, s->data + skip, s->len - skip);
		}
		free(s);
	}
}

/* Jumps over the first hole: used when a cap is reached or the flow ends. */
static void skip_hole(struct wl_ctx *ctx, struct wl_flow *f, int dir, const char *why)
{
	struct wl_half *h = &f->half[dir];
	if (!h->ooo)
		return;
	uint32_t missing = h->ooo->seq - h->next_seq;
	h->next_seq = h->ooo->seq;
	wl__stream_gap(ctx, f, dir, missing, why);
	wl__stream_drain(ctx, f, dir);
}

void wl__stream_hold(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint32_t seq, const uint8_t *p,
		 uint32_t n)
{
	struct wl_half *h = &f->half[dir];
	while (h->ooo && (h->ooo_bytes + (uint64_t)n > ctx->lim.flow_buf_max ||
			  ctx->buffered + n > ctx->lim.total_buf_max || h->ooo_count >= OOO_MAX_SEGS))
		skip_hole(ctx, f, dir, "never captured (reassembly limit reached)");
	if (!wl__seq_lt(h->next_seq, seq)) {  /* the hole closed while making room */
		uint32_t skip = h->next_seq - seq;
		if (skip < n) {
			h->next_seq += n - skip;
			wl__stream_push(ctx, f, dir, p + skip, n - skip);
			wl__stream_drain(ctx, f, dir);
		}
		return;
	}
	/* where it goes: after the tail (the usual case), else a walk of a bounded list */
	struct wl_seg *prev = NULL;
	if (h->ooo_tail && !wl__seq_lt(seq, h->ooo_tail->seq))
		prev = h->ooo_tail;
	for (struct wl_seg *q = prev ? prev->next : h->ooo; q && !wl__seq_lt(seq, q->seq); q = q->next)
		prev = q;
	struct wl_seg **pp = prev ? &prev->next : &h->ooo;
	if (prev && prev->seq == seq && prev->len >= n)
		return;  /* the same bytes are held already */
	if (ctx->buffered + n > ctx->lim.total_buf_max) {
		/* the others hold the memory: not kept, the hole is reported when skipped */
		ctx->stats.buf_drops++;
		return;
	}
	struct wl_seg *s = malloc(sizeof *s + n);
	if (!s)
		return;
	s->seq = seq;
	s->len = n;
	memcpy(s->data, p, n);
	s->next = *pp;
	*pp = s;
	if (!s->next)
		h->ooo_tail = s;
	h->ooo_count++;
	h->ooo_bytes += n;
	ctx->buffered += n;
	if (ctx->buffered > ctx->stats.buf_peak)
		ctx->stats.buf_peak = ctx->buffered;
}

void wl__stream_close_half(struct wl_ctx *ctx, struct wl_flow *f, int dir)
{
	struct wl_half *h = &f->half[dir];
	while (h->ooo)
		skip_hole(ctx, f, dir, "never captured");
	if (!f->dissector_tried && h->buf_len) {
		/* still waiting for a probe to decide: show the bytes as they are */
		wl__data_msg(ctx, dir, wl_cur_make(h->buf, h->buf_len));
		buf_consume(ctx, h, h->buf_len);
	}
}
