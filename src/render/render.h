/* render.h - renderers over the engine's message stream: the annotated text
 * ladder, JSON Lines, and the bare ladder. Output is buffered and written in
 * large blocks; nothing depends on the locale or the local machine. */
#ifndef WL_RENDER_H
#define WL_RENDER_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

enum wl_format { WL_OUT_TEXT, WL_OUT_JSON, WL_OUT_LADDER };

struct wl_render_opts {
	enum wl_format format;
	int verbose;
	int color;
	int redact;
	int summaries;   /* per-flow closing summaries in text */
	FILE *out;
};

/* What the renderer counts, for the closing line and for `lab`. */
struct wl_render_totals {
	uint64_t msgs, warnings, errors, flows;
	uint64_t secrets;        /* fields marked secret (passwords, communities) */
	uint64_t pkts[2], bytes[2];
};

struct wl_renderer;

struct wl_renderer *wl_render_new(const struct wl_render_opts *o);
struct wl_sink wl_render_sink(struct wl_renderer *r);
void wl_render_line(struct wl_renderer *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wl_render_flush(struct wl_renderer *r);
void wl_render_totals(const struct wl_renderer *r, struct wl_render_totals *t);
/* Warning texts seen, deduplicated, for summaries (NULL-terminated view). */
unsigned wl_render_warning_kinds(const struct wl_renderer *r, const char ***out);
void wl_render_free(struct wl_renderer *r);

/* Output buffer shared by the renderers. */
struct wl_obuf {
	FILE *f;
	size_t len;
	int failed;
	char buf[1 << 16];
};
void wl_ob_flush(struct wl_obuf *b);
void wl_ob_write_slow(struct wl_obuf *b, const void *p, size_t n);
/* Inline: most writes are a few bytes that fit (a constant size becomes moves). */
static inline void wl_ob_write(struct wl_obuf *b, const void *p, size_t n)
{
	if (n <= sizeof b->buf - b->len) {
		memcpy(b->buf + b->len, p, n);
		b->len += n;
		return;
	}
	wl_ob_write_slow(b, p, n);
}
static inline void wl_ob_putc(struct wl_obuf *b, char c)
{
	if (b->len == sizeof b->buf)
		wl_ob_flush(b);
	b->buf[b->len++] = c;
}
void wl_ob_str(struct wl_obuf *b, const char *s);
/* A string literal, without strlen. */
#define WL_OB_LIT(b, lit) wl_ob_write((b), "" lit, sizeof(lit) - 1)
void wl_ob_u64(struct wl_obuf *b, uint64_t v);
void wl_ob_i64(struct wl_obuf *b, int64_t v);
void wl_ob_printf(struct wl_obuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string body (no quotes): escapes, and invalid UTF-8 as U+FFFD. */
void wl_ob_json_esc(struct wl_obuf *b, const char *s, size_t n);
/* An IPv4 address in dotted decimal (no printf, no locale). */
void wl_ob_ipv4(struct wl_obuf *b, const uint8_t a[4]);
/* n bytes as lowercase hex. */
void wl_ob_hex(struct wl_obuf *b, const uint8_t *p, size_t n);
/* ns since 1970 as ISO 8601 UTC with nanoseconds. */
void wl_ob_iso_time(struct wl_obuf *b, int64_t ns);
/* Seconds with 6 decimals from ns. */
void wl_ob_secs(struct wl_obuf *b, int64_t ns, int decimals);
/* One field's value as text (for the ladder's -v details). */
void wl_ob_field_text(struct wl_obuf *b, const struct wl_msg *m, const struct wl_field *f, int redact);

#endif
