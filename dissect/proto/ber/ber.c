/* ber.c - ASN.1 BER (ITU-T X.690) element reader for SNMP and LDAP.
 *
 *   identifier octets           length octets            contents
 *   +-----+---+---------+       +-+-------------+        +----------
 *   |class|P/C| number  |  ...  |0| len (0-127) |        | len bytes
 *   | 2b  |1b |  5 bits |       +-+-------------+        +----------
 *   +-----+---+---------+       |1| n (1-4)     | n bytes of length
 *   number 31: more octets,     +-+-------------+
 *   7 bits each, high bit =     0x80 alone: indefinite (refused here)
 *   "more follows"              0xff: reserved (invalid)
 *
 * Only the definite form is accepted: RFC 3417 (SNMP) and RFC 4511 section 5.1
 * (LDAP) both restrict BER to definite lengths.
 */
#include <stdio.h>
#include <string.h>

#include "ber.h"
#include "wl.h"

/* The usual header, one identifier byte and a length below 128 (all of an
 * SNMP message's but the outer ones): 1 when c starts with one, taken. */
static int hdr_short(struct wl_cur *c, struct wl_ber *h)
{
	int id = wl_peek(c, 0), l = wl_peek(c, 1);
	if (id < 0 || l < 0 || (id & 0x1f) == 0x1f || l >= 0x80)
		return 0;
	*h = (struct wl_ber){ .cls = (uint8_t)(id >> 6), .cons = (uint8_t)((id >> 5) & 1),
			      .tag = (uint32_t)id & 0x1fu, .len = (size_t)l, .hdr = 2 };
	wl_skip(c, 2);
	return 1;
}

int wl_ber_hdr(struct wl_cur *c, struct wl_ber *h)
{
	if (hdr_short(c, h))
		return 1;
	memset(h, 0, sizeof *h);
	size_t start = wl_left(c);
	uint8_t id = wl_u8(c);
	if (!wl_ok(c))
		return 0;
	h->cls = (uint8_t)(id >> 6);
	h->cons = (uint8_t)((id >> 5) & 1);
	h->tag = id & 0x1fu;
	if (h->tag == 0x1f) {
		uint32_t t = 0;
		unsigned k = 0;
		uint8_t b;
		do {
			b = wl_u8(c);
			if (!wl_ok(c))
				return 0;
			if (k == 0 && b == 0x80) {  /* leading zero septet */
				wl_invalid(c);
				return 0;
			}
			if (++k > 5 || t > (UINT32_MAX >> 7)) {
				wl_invalid(c);  /* tag number wider than 32 bits */
				return 0;
			}
			t = t << 7 | (b & 0x7fu);
		} while (b & 0x80);
		h->tag = t;
	}
	uint8_t l = wl_u8(c);
	if (!wl_ok(c))
		return 0;
	if (l < 0x80) {
		h->len = l;
	} else if (l == 0x80 || l == 0xff) {
		wl_invalid(c);  /* indefinite or reserved */
		return 0;
	} else {
		unsigned n = l & 0x7fu;
		uint64_t len = 0;
		if (n > 8) {
			wl_invalid(c);  /* no length needs more than 8 bytes */
			return 0;
		}
		for (unsigned i = 0; i < n; i++) {
			uint8_t b = wl_u8(c);
			if (!wl_ok(c))
				return 0;
			if (len > (UINT32_MAX >> 8)) {
				wl_invalid(c);  /* over 32 bits: no packet holds it */
				return 0;
			}
			len = len << 8 | b;
		}
		h->len = (size_t)len;
	}
	h->hdr = start - wl_left(c);
	return 1;
}

int wl_ber_peek(const struct wl_cur *c, struct wl_ber *h)
{
	struct wl_cur t = *c;
	if (wl_ber_hdr(&t, h))
		return 1;
	return t.err == WL_ETRUNC ? 0 : -1;
}

struct wl_cur wl_ber_tlv(struct wl_cur *c, struct wl_ber *h)
{
	if (!wl_ber_hdr(c, h)) {
		struct wl_cur e = { c->p, c->p, c->err ? c->err : WL_EINVAL };
		return e;
	}
	return wl_sub(c, h->len);
}

int wl_ber_next_is(const struct wl_cur *c, uint8_t cls, uint32_t tag)
{
	struct wl_ber h;
	return wl_ber_peek(c, &h) == 1 && h.cls == cls && h.tag == tag;
}

struct wl_cur wl_ber_take(struct wl_cur *c, uint8_t cls, uint32_t tag)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	if (v.err)
		return v;
	if (h.cls != cls || h.tag != tag) {
		wl_invalid(c);
		struct wl_cur e = { c->p, c->p, WL_EINVAL };
		return e;
	}
	return v;
}

int64_t wl_ber_int(struct wl_cur *v, int *ovf)
{
	size_t n = wl_left(v);
	*ovf = 0;
	if (n == 0) {
		wl_invalid(v);
		return 0;
	}
	uint8_t first = wl_u8(v);
	uint64_t u = first & 0x80 ? UINT64_MAX : 0;  /* sign extension */
	u = u << 8 | first;
	int sign = first >> 7;
	for (size_t i = 1; i < n; i++) {
		uint8_t b = wl_u8(v);
		/* bits leaving the top must all equal the sign */
		if ((u >> 56) != (sign ? 0xffu : 0u))
			*ovf = 1;
		u = u << 8 | b;
	}
	if (((u >> 63) & 1) != (uint64_t)sign)
		*ovf = 1;
	return (int64_t)u;
}

uint64_t wl_ber_uint(struct wl_cur *v, int *ovf)
{
	size_t n = wl_left(v);
	*ovf = 0;
	if (n == 0) {
		wl_invalid(v);
		return 0;
	}
	if (wl_peek(v, 0) & 0x80)
		*ovf = 1;  /* negative */
	uint64_t u = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = wl_u8(v);
		if (u >> 56)
			*ovf = 1;
		u = u << 8 | b;
	}
	return u;
}

int wl_ber_bool(struct wl_cur *v)
{
	if (wl_left(v) != 1) {
		wl_invalid(v);
		return 0;
	}
	return wl_u8(v) != 0;
}

int wl_ber_oid_arcs(struct wl_cur *v, uint64_t *arcs, size_t max)
{
	size_t n = 0;
	if (wl_left(v) == 0 || max < 2) {
		wl_invalid(v);
		return -1;
	}
	while (wl_left(v)) {
		uint64_t a = 0;
		uint8_t b;
		unsigned k = 0;
		do {
			if (!wl_left(v)) {
				wl_invalid(v);  /* last sub-identifier cut short */
				return -1;
			}
			b = wl_u8(v);
			if (k++ == 0 && b == 0x80) {
				wl_invalid(v);  /* non-minimal: leading zero septet */
				return -1;
			}
			if (a >> 57) {
				wl_invalid(v);  /* wider than 64 bits */
				return -1;
			}
			a = a << 7 | (b & 0x7fu);
		} while (b & 0x80);
		if (n == 0) {
			arcs[0] = a < 40 ? 0 : a < 80 ? 1 : 2;
			arcs[1] = a - arcs[0] * 40;
			n = 2;
			continue;
		}
		if (n >= max) {
			wl_invalid(v);
			return -1;
		}
		arcs[n++] = a;
	}
	return (int)n;
}

void wl_ber_arcs_text(const uint64_t *arcs, int n, char *out, size_t outn)
{
	/* by hand, not snprintf per arc: SNMP walks name an OID or two per varbind */
	size_t o = 0;
	if (!outn)
		return;
	for (int i = 0; i < n; i++) {
		char digits[24];
		size_t k = sizeof digits;
		uint64_t a = arcs[i];
		do {
			digits[--k] = (char)('0' + a % 10);
			a /= 10;
		} while (a);
		if (i)
			digits[--k] = '.';
		size_t len = sizeof digits - k;
		if (len > outn - 1 - o)
			len = outn - 1 - o;   /* cut, as snprintf would */
		memcpy(out + o, digits + k, len);
		o += len;
	}
	out[o] = '\0';
}

const char *wl_ber_oid(struct wl_cur *v, char *out, size_t n)
{
	uint64_t arcs[WL_BER_OID_ARCS];
	int k = wl_ber_oid_arcs(v, arcs, WL_BER_OID_ARCS);
	if (n)
		out[0] = '\0';
	if (k < 0)
		return NULL;
	wl_ber_arcs_text(arcs, k, out, n);
	return out;
}

int wl_ber_depth(struct wl_cur c, unsigned max_depth)
{
	struct wl_cur stack[WL_BER_MAX_DEPTH + 1];
	unsigned top = 0, deepest = 0;
	if (max_depth > WL_BER_MAX_DEPTH)
		max_depth = WL_BER_MAX_DEPTH;
	stack[0] = c;
	for (;;) {
		struct wl_cur *t = &stack[top];
		if (t->err)
			return -1;
		if (!wl_left(t)) {
			if (top == 0)
				return (int)deepest;
			top--;
			continue;
		}
		if (top + 1 > max_depth)
			return -1;  /* an element below the deepest allowed level */
		struct wl_ber h;
		struct wl_cur v = wl_ber_tlv(t, &h);
		if (t->err)
			return -1;
		if (top + 1 > deepest)
			deepest = top + 1;
		if (h.cons)
			stack[++top] = v;  /* top <= max_depth <= WL_BER_MAX_DEPTH */
	}
}

static const struct {
	uint32_t tag;
	const char *s;
} univ_names[] = {
	{ WL_BER_BOOLEAN, "BOOLEAN" }, { WL_BER_INTEGER, "INTEGER" },
	{ WL_BER_BITSTRING, "BIT STRING" }, { WL_BER_OCTETS, "OCTET STRING" },
	{ WL_BER_NULL, "NULL" }, { WL_BER_OID, "OBJECT IDENTIFIER" },
	{ WL_BER_ENUMERATED, "ENUMERATED" }, { WL_BER_SEQUENCE, "SEQUENCE" },
	{ WL_BER_SET, "SET" },
};

const char *wl_ber_tag_name(const struct wl_ber *h, char *buf, size_t n)
{
	static const char *const cls[] = { "UNIVERSAL ", "APPLICATION ", "", "PRIVATE " };
	if (h->cls == WL_BER_UNIV) {
		for (size_t i = 0; i < sizeof univ_names / sizeof univ_names[0]; i++)
			if (univ_names[i].tag == h->tag)
				return univ_names[i].s;
	}
	wl_snprintf(buf, n, "[%s%u]", cls[h->cls & 3], h->tag);
	return buf;
}
