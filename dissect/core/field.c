/* field.c - what a dissector puts into a message: fields, notes and the
 * ladder text, each kept in the message's pool. The bottom of the core:
 * it calls nothing of the pipeline, so every layer (link, ip, tcp, the
 * protocols) adds fields without a circle back through msg.c. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Reserves n bytes in the pool; NULL (and the overflow mark) when full. */
char *wl__pool_take(struct wl_msg *m, size_t n, uint32_t *off)
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
	if (m->unseen)
		return;   /* wl_opts.no_texts */
	va_list ap;
	va_start(ap, fmt);
	m->text_off = pool_vprintf(m, &m->text_len, fmt, ap);
	va_end(ap);
}

void wl__msg_text_raw(struct wl_msg *m, const char *s, size_t n)
{
	if (m->unseen)
		return;
	uint32_t off;
	char *d = wl__pool_take(m, n + 1, &off);
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

void wl_msg_shown(struct wl_msg *m)
{
	m->minor = 0;
}

void wl_msg_unordered(struct wl_msg *m)
{
	m->unordered = 1;
}

void wl_note(struct wl_msg *m, enum wl_level lvl, const char *fmt, ...)
{
	if (m->unseen) {   /* nothing reads a note: its flow counts it, as one kept */
		if (m->unseen_notes < WL_MSG_MAX_NOTES) {
			m->unseen_notes++;
			m->unseen_warnings += lvl == WL_WARN;
			m->unseen_errors += lvl == WL_ERROR;
		}
		return;
	}
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

struct wl_want *wl__want_new(const struct wl_opts *opts)
{
	struct wl_want *w = calloc(1, sizeof *w);
	if (w) {
		w->fn = opts->want_field;
		w->arg = opts->want_arg;
	}
	return w;
}

static inline int wanted(struct wl_want *w, const char *name)
{
	/* Fibonacci hashing: literals sit a few bytes apart */
	size_t s = (size_t)(((uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15u) >> (64 - WL_WANT_BITS));
	if (w->slot[s].name != name) {
		w->slot[s].name = name;
		w->slot[s].yes = w->fn(w->arg, name) != 0;
	}
	return w->slot[s].yes;
}

int wl__want_proto(struct wl_msg *m, const char *proto)
{
	return !m->want || wanted(m->want, proto);
}

static inline struct wl_field *field_take(struct wl_msg *m, const char *name, enum wl_ftype t,
					  uint8_t flags)
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
	f->flags = flags;
	f->len = 0;
	return f;
}

static inline int some_field(struct wl_msg *m, const char *name)
{
	if (m->secrets_only)
		return 0;   /* wl_opts.no_fields */
	return wanted(m->want, name);   /* wl_opts.want_field */
}

/* Out of line, and reached by a tail call: the usual message keeps every
 * field and pays one test, without a stack frame. */
__attribute__((noinline)) static struct wl_field *field_add_some(struct wl_msg *m, const char *name,
								  enum wl_ftype t, uint8_t flags)
{
	if (!(flags & WL_FIELD_SECRET) && !some_field(m, name))
		return NULL;
	return field_take(m, name, t, flags);
}

static inline struct wl_field *field_add(struct wl_msg *m, const char *name, enum wl_ftype t,
					 uint8_t flags)
{
	if (m->some_fields)
		return field_add_some(m, name, t, flags);
	return field_take(m, name, t, flags);
}

/* A number's field: the fast path has no call, so no stack frame. */
__attribute__((noinline)) static void field_num_some(struct wl_msg *m, const char *name, enum wl_ftype t,
						      uint64_t bits)
{
	if (!some_field(m, name))
		return;
	struct wl_field *f = field_take(m, name, t, 0);
	if (f)
		f->v.u = bits;
}

static inline void field_num(struct wl_msg *m, const char *name, enum wl_ftype t, uint64_t bits)
{
	if (m->some_fields) {
		if (!m->secrets_only)   /* no number is a secret */
			field_num_some(m, name, t, bits);
		return;
	}
	struct wl_field *f = field_take(m, name, t, 0);
	if (f)
		f->v.u = bits;
}

void wl_f_uint(struct wl_msg *m, const char *name, uint64_t v)
{
	field_num(m, name, WL_FT_UINT, v);
}

void wl_f_int(struct wl_msg *m, const char *name, int64_t v)
{
	field_num(m, name, WL_FT_INT, (uint64_t)v);   /* v.i has the same bits */
}

void wl_f_hex(struct wl_msg *m, const char *name, uint64_t v)
{
	field_num(m, name, WL_FT_HEX, v);
}

void wl_f_bool(struct wl_msg *m, const char *name, int v)
{
	field_num(m, name, WL_FT_BOOL, v ? 1 : 0);
}

void wl_f_double(struct wl_msg *m, const char *name, double v)
{
	struct wl_field *f = field_add(m, name, WL_FT_DOUBLE, 0);
	if (f)
		f->v.d = v;
}

void wl_f_time(struct wl_msg *m, const char *name, int64_t ns)
{
	field_num(m, name, WL_FT_TIME, (uint64_t)ns);
}

static void field_blob(struct wl_msg *m, const char *name, enum wl_ftype t,
		       const void *p, size_t n, uint8_t flags)
{
	struct wl_field *f = field_add(m, name, t, flags);
	if (!f)
		return;   /* no room, or wl_opts.no_fields: before the copy */
	uint32_t off;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	char *dst = wl__pool_take(m, n, &off);
	if (!dst) {
		m->nfields--;
		return;
	}
	if (n)
		memcpy(dst, p, n);
	f->v.off = off;
	f->len = (uint32_t)n;
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
	if (m->some_fields && !some_field(m, name))
		return;   /* wl_opts.no_fields, want_field: not even the formatting */
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
