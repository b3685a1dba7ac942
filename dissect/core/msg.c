/* msg.c - building messages: fields, notes and the ladder text, into one
 * reusable buffer per engine, handed to the sink when complete. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void wl__msg_init(struct wl_ctx *ctx)
{
	strcpy(ctx->mask, "********");
}

static void msg_reset(struct wl_ctx *ctx, struct wl_msg *m)
{
	m->frame = ctx->frame;
	m->ts_ns = ctx->ts_ns;
	m->rel_ns = ctx->ts_ns - ctx->first_ns;
	m->nfields = m->nnotes = 0;
	m->pool_used = 0;
	m->text_off = m->text_len = 0;
	m->minor = 0;
	m->unordered = 0;
	m->overflow = 0;
	m->has_bytes = 0;
	m->spans = NULL;
	m->frame_lo = NULL;
}

static char *pool_take(struct wl_msg *m, size_t n, uint32_t *off);

/* opts.frame_bytes: the frame's bytes first in the pool (at most 64 KiB),
 * and the span table the field adders fill. */
#define WL_FRAME_BYTES_MAX 65535u
static void frame_bytes(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (!ctx->frame_data || !ctx->spans)
		return;
	uint32_t n = ctx->caplen < WL_FRAME_BYTES_MAX ? ctx->caplen : WL_FRAME_BYTES_MAX;
	char *dst = pool_take(m, n, &m->bytes_off);
	if (!dst)
		return;
	memcpy(dst, ctx->frame_data, n);
	m->bytes_len = n;
	m->bytes_link = (uint16_t)ctx->frame_link;
	m->has_bytes = 1;
	m->frame_lo = ctx->frame_data;
	m->spans = ctx->spans;
}

/* What the capture file says of the frame, on its first message only (as
 * tshark has them in the frame tree, not in every layer). */
/* tshark's frame.* of every frame (-v), those that do not depend on the
 * capture file's format. */
static void frame_common(struct wl_ctx *ctx, struct wl_msg *m)
{
	ctx->frame_pending = 0;
	wl_f_time(m, "frame.time", ctx->ts_ns);
	wl_f_double(m, "frame.offset_shift", 0);
	wl_f_double(m, "frame.time_delta", (double)(ctx->ts_ns - ctx->prev_ns) / 1e9);
	wl_f_double(m, "frame.time_delta_displayed", (double)(ctx->ts_ns - ctx->prev_ns) / 1e9);
	wl_f_double(m, "frame.time_relative", (double)(ctx->ts_ns - ctx->first_ns) / 1e9);
	wl_f_uint(m, "frame.number", ctx->frame);
	wl_f_uint(m, "frame.len", ctx->wirelen);
	wl_f_uint(m, "frame.cap_len", ctx->caplen);
	wl_f_bool(m, "frame.marked", 0);
	wl_f_bool(m, "frame.ignored", 0);
}

static void frame_fields(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (ctx->frame_pending)  /* set with -v only */
		frame_common(ctx, m);
	const struct wl_frame *f = ctx->frame_meta;
	if (f) {
		ctx->frame_meta = NULL;
		if (f->show_interface)
			wl_f_uint(m, "frame.interface_id", f->interface_id);
		for (unsigned i = 0; i < f->ncomments; i++)
			wl_f_str(m, "frame.comment", f->comments[i].text, f->comments[i].len);
	}
	if (ctx->link.pending)  /* set with -v only */
		wl__link_fields(ctx, m);
}

struct wl_msg *wl_msg_new(struct wl_ctx *ctx, const char *proto, const char *type,
			  enum wl_dir dir)
{
	struct wl_msg *m = ctx->msg;
	struct wl_flow *f = ctx->flow;

	wl__msg_flush(ctx);
	msg_reset(ctx, m);
	m->proto = proto;
	m->type = type;
	m->dir = (uint8_t)dir;
	if (f) {
		m->flow_id = f->id;
		m->client = f->ep[WL_C2S];
		m->server = f->ep[WL_S2C];
		m->src = f->ep[dir];
		m->dst = f->ep[!dir];
	} else {
		m->flow_id = 0;
		wl__pkt_eps(ctx);
		m->client = m->src = ctx->pkt_src;
		m->server = m->dst = ctx->pkt_dst;
	}
	ctx->msg_open = 1;
	if (ctx->spans)
		frame_bytes(ctx, m);
	frame_fields(ctx, m);
	return m;
}

struct wl_msg *wl__msg_pkt(struct wl_ctx *ctx, const char *proto, const char *type)
{
	struct wl_flow *f = ctx->flow;
	ctx->flow = NULL;
	struct wl_msg *m = wl_msg_new(ctx, proto, type, WL_C2S);
	ctx->flow = f;
	return m;
}

void wl_msg_emit(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (!ctx->msg_open || m != ctx->msg)
		return;
	ctx->msg_open = 0;
	if (m->spans) {
		/* the span table travels in the pool, as the rest of the message does */
		uint32_t off = 0;
		char *dst = pool_take(m, (size_t)m->nfields * sizeof m->spans[0], &off);
		m->spans_off = off;
		if (dst)
			memcpy(dst, m->spans, (size_t)m->nfields * sizeof m->spans[0]);
		else
			m->has_bytes = 0;
		m->spans = NULL;
	}
	if (ctx->flow && m->flow_id == ctx->flow->id) {
		for (unsigned i = 0; i < m->nnotes; i++) {
			if (m->notes[i].level == WL_WARN)
				ctx->flow->warnings++;
			else if (m->notes[i].level == WL_ERROR)
				ctx->flow->errors++;
		}
	}
	if (ctx->sink.msg)
		ctx->sink.msg(ctx->sink.arg, m);
}

void wl__msg_flush(struct wl_ctx *ctx)
{
	if (ctx->msg_open)
		wl_msg_emit(ctx, ctx->msg);
}

/* Reserves n bytes in the pool; NULL (and the overflow mark) when full. */
static char *pool_take(struct wl_msg *m, size_t n, uint32_t *off)
{
	if (n > WL_MSG_POOL - m->pool_used) {
		m->overflow = 1;
		return NULL;
	}
	*off = m->pool_used;
	m->pool_used += (uint32_t)n;
	return m->pool + *off;
}

__attribute__((format(printf, 3, 0)))
static uint32_t pool_vprintf(struct wl_msg *m, uint32_t *len, const char *fmt, va_list ap)
{
	size_t room = WL_MSG_POOL - m->pool_used;
	int n = wl_vsnprintf(m->pool + m->pool_used, room, fmt, ap);
	uint32_t off = m->pool_used;
	if (n < 0)
		n = 0;
	if ((size_t)n >= room) {
		m->overflow = 1;
		n = room ? (int)room - 1 : 0;
	}
	*len = (uint32_t)n;
	m->pool_used += (uint32_t)n + (room ? 1 : 0);
	return off;
}

void wl_msg_text(struct wl_msg *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	m->text_off = pool_vprintf(m, &m->text_len, fmt, ap);
	va_end(ap);
}

void wl__msg_text_raw(struct wl_msg *m, const char *s, size_t n)
{
	uint32_t off;
	char *d = pool_take(m, n + 1, &off);
	if (!d)
		return;
	memcpy(d, s, n);
	d[n] = '\0';
	m->text_off = off;
	m->text_len = (uint32_t)n;
}

void wl_msg_minor(struct wl_msg *m)
{
	m->minor = 1;
}

void wl_msg_unordered(struct wl_msg *m)
{
	m->unordered = 1;
}

void wl_note(struct wl_msg *m, enum wl_level lvl, const char *fmt, ...)
{
	if (m->nnotes >= WL_MSG_MAX_NOTES) {
		m->overflow = 1;
		return;
	}
	struct wl_note_rec *n = &m->notes[m->nnotes++];
	va_list ap;
	va_start(ap, fmt);
	n->level = (uint8_t)lvl;
	n->off = pool_vprintf(m, &n->len, fmt, ap);
	va_end(ap);
}

void wl_note_cursor(struct wl_msg *m, const struct wl_cur *c, const char *what)
{
	if (c->err == WL_ETRUNC)
		wl_note(m, WL_ERROR, "malformed: %s cut short", what);
	else if (c->err == WL_EINVAL)
		wl_note(m, WL_ERROR, "malformed: invalid %s", what);
}

static struct wl_field *field_add(struct wl_msg *m, const char *name, enum wl_ftype t)
{
	if (m->nfields >= WL_MSG_MAX_FIELDS) {
		m->overflow = 1;
		return NULL;
	}
	if (m->spans)
		m->spans[m->nfields][0] = m->spans[m->nfields][1] = 0;
	struct wl_field *f = &m->fields[m->nfields++];
	f->name = name;
	f->type = (uint8_t)t;
	f->flags = 0;
	f->len = 0;
	return f;
}

void wl_f_uint(struct wl_msg *m, const char *name, uint64_t v)
{
	struct wl_field *f = field_add(m, name, WL_FT_UINT);
	if (f)
		f->v.u = v;
}

void wl_f_int(struct wl_msg *m, const char *name, int64_t v)
{
	struct wl_field *f = field_add(m, name, WL_FT_INT);
	if (f)
		f->v.i = v;
}

void wl_f_hex(struct wl_msg *m, const char *name, uint64_t v)
{
	struct wl_field *f = field_add(m, name, WL_FT_HEX);
	if (f)
		f->v.u = v;
}

void wl_f_bool(struct wl_msg *m, const char *name, int v)
{
	struct wl_field *f = field_add(m, name, WL_FT_BOOL);
	if (f)
		f->v.u = v ? 1 : 0;
}

void wl_f_double(struct wl_msg *m, const char *name, double v)
{
	struct wl_field *f = field_add(m, name, WL_FT_DOUBLE);
	if (f)
		f->v.d = v;
}

void wl_f_time(struct wl_msg *m, const char *name, int64_t ns)
{
	struct wl_field *f = field_add(m, name, WL_FT_TIME);
	if (f)
		f->v.i = ns;
}

static void field_blob(struct wl_msg *m, const char *name, enum wl_ftype t,
		       const void *p, size_t n, uint8_t flags)
{
	uint32_t off;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	char *dst = pool_take(m, n, &off);
	if (!dst)
		return;
	struct wl_field *f = field_add(m, name, t);
	if (!f) {
		m->pool_used -= (uint32_t)n;
		return;
	}
	if (n)
		memcpy(dst, p, n);
	f->v.off = off;
	f->len = (uint32_t)n;
	f->flags = flags;
	/* bytes handed straight from the frame (not reassembled): where they are */
	uintptr_t b = (uintptr_t)p, lo = (uintptr_t)m->frame_lo;
	if (m->spans && n && b >= lo && b - lo < m->bytes_len && n <= m->bytes_len - (b - lo)) {
		m->spans[m->nfields - 1][0] = (uint32_t)(b - lo);
		m->spans[m->nfields - 1][1] = (uint32_t)n;
	}
}

void wl_f_str(struct wl_msg *m, const char *name, const void *s, size_t n)
{
	field_blob(m, name, WL_FT_STR, s, n, 0);
}

void wl_f_cstr(struct wl_msg *m, const char *name, const char *s)
{
	field_blob(m, name, WL_FT_STR, s, strlen(s), 0);
}

void wl_f_strf(struct wl_msg *m, const char *name, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = wl_vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	field_blob(m, name, WL_FT_STR, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, 0);
}

void wl_f_secret(struct wl_msg *m, const char *name, const void *s, size_t n)
{
	field_blob(m, name, WL_FT_STR, s, n, WL_FIELD_SECRET);
}

void wl_f_bytes(struct wl_msg *m, const char *name, const uint8_t *p, size_t n)
{
	field_blob(m, name, WL_FT_BYTES, p, n, 0);
}

void wl_f_ipv4(struct wl_msg *m, const char *name, const uint8_t a[4])
{
	field_blob(m, name, WL_FT_IPV4, a, 4, 0);
}

void wl_f_ipv6(struct wl_msg *m, const char *name, const uint8_t a[16])
{
	field_blob(m, name, WL_FT_IPV6, a, 16, 0);
}

const char *wl_tok(const struct wl_tok *t, uint32_t v, const char *dflt)
{
	for (; t && t->s; t++)
		if (t->v == v)
			return t->s;
	return dflt;
}

const struct wl_opts *wl_opts(const struct wl_ctx *ctx) { return &ctx->opts; }

const char *wl_secret(const struct wl_ctx *ctx, const char *s)
{
	return ctx->opts.redact ? ctx->mask : s;
}

uint64_t wl_frame(const struct wl_ctx *ctx) { return ctx->frame; }
int64_t wl_time_ns(const struct wl_ctx *ctx) { return ctx->ts_ns; }

void wl_flow_fact(struct wl_ctx *ctx, const char *key, const char *fmt, ...)
{
	struct wl_flow *f = ctx->flow;
	if (!f || f->nfacts >= 32)
		return;
	char val[512];
	va_list ap;
	va_start(ap, fmt);
	wl_vsnprintf(val, sizeof val, fmt, ap);
	va_end(ap);
	/* a later fact with the same key replaces the earlier one */
	for (unsigned i = 0; i < f->nfacts; i++) {
		if (strcmp(f->facts[i].key, key) == 0) {
			char *v = strdup(val);
			if (v) {
				free(f->facts[i].val);
				f->facts[i].val = v;
			}
			return;
		}
	}
	struct wl_fact *nf = realloc(f->facts, (f->nfacts + 1) * sizeof *nf);
	if (!nf)
		return;
	f->facts = nf;
	nf[f->nfacts].key = strdup(key);
	nf[f->nfacts].val = strdup(val);
	if (nf[f->nfacts].key && nf[f->nfacts].val)
		f->nfacts++;
	else {
		free(nf[f->nfacts].key);
		free(nf[f->nfacts].val);
	}
}
