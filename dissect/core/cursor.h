/* cursor.h - the one bounds-checked reader of packet bytes.
 *
 * Every read of packet data goes through a struct wl_cur. A read past the end
 * returns zero and sets a sticky error, so a parser can take a whole header and
 * check once per unit (the tcpdump GET_* / Arkime BSB_* discipline). Two kinds of
 * error are kept apart: WL_ETRUNC means "the bytes ran out" (a capture cut by its
 * snaplen, or a stream PDU that needs more data), WL_EINVAL means "these bytes
 * cannot be this protocol" and is set by the parser itself with wl_invalid().
 */
#ifndef WL_CURSOR_H
#define WL_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { WL_OK = 0, WL_ETRUNC = 1, WL_EINVAL = 2 };

struct wl_cur {
	const uint8_t *p;
	const uint8_t *end;
	int err;
};

static inline struct wl_cur wl_cur_make(const uint8_t *p, size_t n)
{
	struct wl_cur c = { p, p ? p + n : p, WL_OK };
	return c;
}

static inline size_t wl_left(const struct wl_cur *c)
{
	return c->err ? 0 : (size_t)(c->end - c->p);
}

static inline int wl_ok(const struct wl_cur *c) { return c->err == WL_OK; }

/* Marks the rest unreadable; the first error wins. */
static inline void wl_fail(struct wl_cur *c, int err)
{
	if (!c->err)
		c->err = err;
	c->p = c->end;
}

static inline void wl_invalid(struct wl_cur *c) { wl_fail(c, WL_EINVAL); }

static inline int wl_need(struct wl_cur *c, size_t n)
{
	if (c->err)
		return 0;
	if ((size_t)(c->end - c->p) < n) {
		wl_fail(c, WL_ETRUNC);
		return 0;
	}
	return 1;
}

static inline uint8_t wl_u8(struct wl_cur *c)
{
	if (!wl_need(c, 1))
		return 0;
	return *c->p++;
}

static inline uint16_t wl_be16(struct wl_cur *c)
{
	if (!wl_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static inline uint32_t wl_be24(struct wl_cur *c)
{
	if (!wl_need(c, 3))
		return 0;
	uint32_t v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	c->p += 3;
	return v;
}

static inline uint32_t wl_be32(struct wl_cur *c)
{
	if (!wl_need(c, 4))
		return 0;
	uint32_t v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
		     (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

static inline uint64_t wl_be64(struct wl_cur *c)
{
	uint64_t hi = wl_be32(c);
	return hi << 32 | wl_be32(c);
}

static inline uint16_t wl_le16(struct wl_cur *c)
{
	if (!wl_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return v;
}

static inline uint32_t wl_le32(struct wl_cur *c)
{
	if (!wl_need(c, 4))
		return 0;
	uint32_t v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
		     (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return v;
}

static inline uint64_t wl_le64(struct wl_cur *c)
{
	uint64_t lo = wl_le32(c);
	return lo | (uint64_t)wl_le32(c) << 32;
}

/* A pointer to the next n bytes, valid as long as the packet is; NULL when short.
 * Use it to hand bytes to a field or a library, never for arithmetic. */
static inline const uint8_t *wl_bytes(struct wl_cur *c, size_t n)
{
	if (!wl_need(c, n))
		return NULL;
	const uint8_t *p = c->p;
	c->p += n;
	return p;
}

static inline void wl_skip(struct wl_cur *c, size_t n)
{
	if (wl_need(c, n))
		c->p += n;
}

/* Copies n bytes out; on a short read dst is zeroed and the error set. */
static inline int wl_copy(struct wl_cur *c, void *dst, size_t n)
{
	const uint8_t *p = wl_bytes(c, n);
	if (!p) {
		memset(dst, 0, n);
		return 0;
	}
	memcpy(dst, p, n);
	return 1;
}

/* Takes the next n bytes as a cursor of their own. When fewer are left, the
 * sub-cursor gets what there is and, like its parent, is marked truncated. */
static inline struct wl_cur wl_sub(struct wl_cur *c, size_t n)
{
	struct wl_cur s = { c->p, c->p, c->err };
	if (c->err)
		return s;
	size_t have = (size_t)(c->end - c->p);
	if (have < n) {
		s.end = c->end;
		s.err = WL_OK;
		c->p = c->end;
		c->err = WL_ETRUNC;
		/* the child may read what there is; it learns of the cut at its end */
		return s;
	}
	s.end = c->p + n;
	c->p += n;
	return s;
}

/* The rest of the cursor as a cursor, consuming it. */
static inline struct wl_cur wl_rest(struct wl_cur *c)
{
	return wl_sub(c, wl_left(c));
}

/* Byte at offset off from the read position, or -1 past the end (no error set). */
static inline int wl_peek(const struct wl_cur *c, size_t off)
{
	if (c->err || (size_t)(c->end - c->p) <= off)
		return -1;
	return c->p[off];
}

/* Offset of the first byte equal to b from the read position, or -1. */
static inline long wl_find(const struct wl_cur *c, uint8_t b)
{
	size_t n = wl_left(c);
	const uint8_t *hit = n ? memchr(c->p, b, n) : NULL;
	return hit ? (long)(hit - c->p) : -1;
}

/* Offset of the first "\r\n" (or lone "\n"), or -1. *eol gets the terminator length. */
static inline long wl_find_eol(const struct wl_cur *c, size_t *eol)
{
	long nl = wl_find(c, '\n');
	if (nl < 0)
		return -1;
	if (nl > 0 && c->p[nl - 1] == '\r') {
		*eol = 2;
		return nl - 1;
	}
	*eol = 1;
	return nl;
}

/* 1 if the bytes at the read position are the string s; 0 when they differ
 * or fewer are left. Nothing is consumed. */
static inline int wl_starts_with(const struct wl_cur *c, const char *s)
{
	size_t k = strlen(s);
	return wl_left(c) >= k && memcmp(c->p, s, k) == 0;
}

/* 1 if the next n bytes (all that is left, if fewer) are text: no control
 * byte other than those in allow (say "\t" or "\t\r\n"), no DEL. */
static inline int wl_is_text(const struct wl_cur *c, size_t n, const char *allow)
{
	size_t left = wl_left(c);
	for (size_t i = 0; i < n && i < left; i++) {
		uint8_t b = c->p[i];
		if (b == 0x7f || (b < 0x20 && (!b || !strchr(allow, b))))
			return 0;
	}
	return 1;
}

/* The next n bytes (all that is left, if fewer) as printable ASCII in out,
 * NUL-terminated and cut to cap; other bytes become repl. Nothing is
 * consumed. Returns the length written. */
static inline size_t wl_text(const struct wl_cur *c, size_t n, char *out, size_t cap, char repl)
{
	size_t left = wl_left(c), o = 0;
	for (size_t i = 0; i < n && i < left && o + 1 < cap; i++) {
		uint8_t b = c->p[i];
		out[o++] = b >= 0x20 && b < 0x7f ? (char)b : repl;
	}
	if (cap)
		out[o] = '\0';
	return o;
}

/* Bytes [off, off+n) of the cursor as a new cursor, without consuming (for
 * offset-based formats like SMB and NTLMSSP). Out of range gives a truncated cursor. */
static inline struct wl_cur wl_at(const struct wl_cur *c, size_t off, size_t n)
{
	struct wl_cur s = *c;
	wl_skip(&s, off);
	return wl_sub(&s, n);
}

#endif
