/* ber_build.h - a small BER writer for the SNMP and LDAP tests: elements are
 * built inside out into fixed buffers (struct bb), lengths in the short or the
 * long form as needed. Test code only. */
#ifndef WL_BER_BUILD_H
#define WL_BER_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bb {
	uint8_t d[16384];
	size_t n;
};

static inline void bb_raw(struct bb *b, const void *p, size_t n)
{
	const uint8_t *s = p;
	if (n > sizeof b->d - b->n)
		abort();  /* a test built more than a buffer holds */
	for (size_t i = 0; i < n; i++)
		b->d[b->n++] = s[i];
}

static inline void bb_len(struct bb *b, size_t n)
{
	uint8_t h[5];
	if (n < 0x80) {
		h[0] = (uint8_t)n;
		bb_raw(b, h, 1);
	} else if (n < 0x100) {
		h[0] = 0x81;
		h[1] = (uint8_t)n;
		bb_raw(b, h, 2);
	} else {
		h[0] = 0x82;
		h[1] = (uint8_t)(n >> 8);
		h[2] = (uint8_t)n;
		bb_raw(b, h, 3);
	}
}

static inline void bb_tlv(struct bb *b, uint8_t tag, const void *v, size_t n)
{
	bb_raw(b, &tag, 1);
	bb_len(b, n);
	bb_raw(b, v, n);
}

static inline void bb_str(struct bb *b, uint8_t tag, const char *s)
{
	bb_tlv(b, tag, s, strlen(s));
}

static inline void bb_wrap(struct bb *b, uint8_t tag, const struct bb *in)
{
	bb_tlv(b, tag, in->d, in->n);
}

/* Minimal two's complement. */
static inline void bb_int(struct bb *b, uint8_t tag, int64_t v)
{
	uint8_t t[9];
	int n = 8;
	for (int i = 0; i < 8; i++)
		t[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	int s = 0;
	while (s < 7 && ((t[s] == 0 && !(t[s + 1] & 0x80)) || (t[s] == 0xff && (t[s + 1] & 0x80))))
		s++;
	bb_tlv(b, tag, t + s, (size_t)(n - s));
}

/* An OID from its BER value bytes given as a string literal. */
#define BB_OID(b, lit) bb_tlv((b), 0x06, (lit), sizeof(lit) - 1)

#endif
