/* ber.h - a bounds-checked reader of ASN.1 BER (X.690) on top of struct wl_cur,
 * shared by the SNMP and LDAP dissectors.
 *
 * Every element is read as tag, length, value: wl_ber_tlv() takes the header
 * and hands back the value as a cursor of its own, so nothing inside can read
 * past its container. Only definite lengths are accepted (SNMP and LDAP forbid
 * the indefinite form). A length larger than what its container holds marks
 * the container WL_ETRUNC (the bytes ran out: a cut capture, or a stream PDU
 * that needs more data); a length that cannot be (indefinite, reserved, wider
 * than 32 bits) and a tag that cannot be mark it WL_EINVAL. Recursive users
 * (filters, generic walks) stop at WL_BER_MAX_DEPTH.
 */
#ifndef WL_BER_H
#define WL_BER_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

enum { WL_BER_UNIV = 0, WL_BER_APP = 1, WL_BER_CTX = 2, WL_BER_PRIV = 3 };

enum {
	WL_BER_BOOLEAN = 1, WL_BER_INTEGER = 2, WL_BER_BITSTRING = 3, WL_BER_OCTETS = 4,
	WL_BER_NULL = 5, WL_BER_OID = 6, WL_BER_ENUMERATED = 10, WL_BER_SEQUENCE = 16,
	WL_BER_SET = 17,
};

#define WL_BER_MAX_DEPTH 64
/* Longest OID text wl_ber_oid() writes (128 arcs of 20 digits and a dot). */
#define WL_BER_OID_TEXT 2700
#define WL_BER_OID_ARCS 128

/* One element's header. */
struct wl_ber {
	uint8_t cls;     /* WL_BER_UNIV, _APP, _CTX, _PRIV */
	uint8_t cons;    /* 1: constructed */
	uint32_t tag;    /* tag number */
	size_t len;      /* length of the value */
	size_t hdr;      /* bytes of tag and length */
};

/* Reads a tag and a definite length; c stays on the value. 0 on error (c's
 * error set: WL_ETRUNC when the header itself is cut, WL_EINVAL when it is
 * impossible). */
int wl_ber_hdr(struct wl_cur *c, struct wl_ber *h);
/* Reads the header of the next element without consuming it: 1 if complete,
 * 0 if cut short (need more bytes), -1 if invalid. */
int wl_ber_peek(const struct wl_cur *c, struct wl_ber *h);
/* Reads one element and returns its value as a cursor. When the value is
 * longer than what c holds, c is marked WL_ETRUNC and the returned cursor holds
 * the part present. */
struct wl_cur wl_ber_tlv(struct wl_cur *c, struct wl_ber *h);
/* As wl_ber_tlv(), but the element must have class cls and tag number tag
 * (constructed for SEQUENCE/SET and constructed application/context tags as the
 * protocol says is not checked): on a mismatch c is marked invalid and an
 * empty cursor with the error comes back. */
struct wl_cur wl_ber_take(struct wl_cur *c, uint8_t cls, uint32_t tag);
/* 1 if the next element has class cls and tag number tag. */
int wl_ber_next_is(const struct wl_cur *c, uint8_t cls, uint32_t tag);

/* Values. Each consumes the whole value cursor v. */
/* Two's complement INTEGER or ENUMERATED of any length: *ovf is set when it
 * does not fit int64 (the low 64 bits come back). Empty is invalid. */
int64_t wl_ber_int(struct wl_cur *v, int *ovf);
/* Unsigned reading (Counter64, UInteger32): up to 64 bits after leading zero
 * bytes; a negative or wider value sets *ovf. */
uint64_t wl_ber_uint(struct wl_cur *v, int *ovf);
/* BOOLEAN: exactly one byte, nonzero is true; other lengths are invalid. */
int wl_ber_bool(struct wl_cur *v);
/* OID sub-identifiers as numbers (the first two arcs split out): the count,
 * or -1 when invalid (empty, a sub-identifier cut short or wider than 64 bits,
 * more than max arcs). */
int wl_ber_oid_arcs(struct wl_cur *v, uint64_t *arcs, size_t max);
/* OID as dotted text into out; returns out, or NULL when invalid (out then
 * holds "" and v is marked invalid). */
const char *wl_ber_oid(struct wl_cur *v, char *out, size_t n);
/* Arcs to dotted text. */
void wl_ber_arcs_text(const uint64_t *arcs, int n, char *out, size_t outn);

/* Walks every element in c down to max_depth levels: the deepest level found
 * (1 for flat primitives, 0 for empty input), or -1 when an element is invalid,
 * runs past its container, or the nesting is deeper than max_depth. Iterative:
 * no stack grows with the input. */
int wl_ber_depth(struct wl_cur c, unsigned max_depth);

/* "INTEGER", "SEQUENCE", "[APPLICATION 3]", "[2]"... for notes. */
const char *wl_ber_tag_name(const struct wl_ber *h, char *buf, size_t n);

#endif
