/* outbuf.h - buffered output and the value formatting the renderers share:
 * integers without printf, JSON escaping, hex, ISO 8601 times. Written in
 * large blocks; nothing depends on the locale. */
#ifndef WL_OUTBUF_H
#define WL_OUTBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "digits.h"
#include "engine.h"

/* An output buffer on a FILE. */
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
/* Room for n more bytes (n at most the buffer's size), flushing first when
 * short: a writer then stores at the pointer without a check per byte and
 * says where it ended with wl_ob_done. */
static inline char *wl_ob_room(struct wl_obuf *b, size_t n)
{
	if (n > sizeof b->buf - b->len)
		wl_ob_flush(b);
	return b->buf + b->len;
}
static inline void wl_ob_done(struct wl_obuf *b, char *end)
{
	b->len = (size_t)(end - b->buf);
}

void wl_ob_str(struct wl_obuf *b, const char *s);
/* A string literal, without strlen. */
#define WL_OB_LIT(b, lit) wl_ob_write((b), "" lit, sizeof(lit) - 1)
void wl_ob_u64(struct wl_obuf *b, uint64_t v);
/* The shortest decimal that reads back as d (9 significant digits when they
 * do, up to 17): a time of 1035.013306 s keeps its microseconds. */
void wl_ob_double(struct wl_obuf *b, double d);
void wl_ob_i64(struct wl_obuf *b, int64_t v);
void wl_ob_printf(struct wl_obuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string body (no quotes): escapes, and invalid UTF-8 as U+FFFD. */
void wl_ob_json_esc(struct wl_obuf *b, const char *s, size_t n);
/* An IPv4 address in dotted decimal (no printf, no locale); wl_put_ipv4
 * writes it at p (room for 16 bytes) and returns the end. */
void wl_ob_ipv4(struct wl_obuf *b, const uint8_t a[4]);
char *wl_put_ipv4(char *p, const uint8_t a[4]);
/* An IPv6 address, exactly as inet_ntop writes it. */
void wl_ob_ipv6(struct wl_obuf *b, const uint8_t a[16]);
/* n bytes as lowercase hex. */
void wl_ob_hex(struct wl_obuf *b, const uint8_t *p, size_t n);
/* ns since 1970 as ISO 8601 UTC with nanoseconds. */
void wl_ob_iso_time(struct wl_obuf *b, int64_t ns);
/* Seconds with 6 decimals from ns. */
void wl_ob_secs(struct wl_obuf *b, int64_t ns, int decimals);
/* One field's value as text (for the ladder's -v details). */
void wl_ob_field_text(struct wl_obuf *b, const struct wl_msg *m, const struct wl_field *f, int redact);

#endif
