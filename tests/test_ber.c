/* test_ber.c - the BER reader: every length form, lengths that overflow or
 * run past their container, multi-byte tags, integers of any size, OIDs with
 * huge arcs, zero-length everything, and 10,000 nested SEQUENCEs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ber.h"

static struct wl_cur cur(const uint8_t *b, size_t n) { return wl_cur_make(b, n); }

static void test_short_and_long_lengths(void **state)
{
	(void)state;
	const uint8_t s[] = { 0x04, 0x03, 'a', 'b', 'c' };
	struct wl_cur c = cur(s, sizeof s);
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.cls, WL_BER_UNIV);
	assert_int_equal(h.tag, WL_BER_OCTETS);
	assert_int_equal(h.len, 3);
	assert_int_equal(h.hdr, 2);
	assert_int_equal(wl_left(&v), 3);

	const uint8_t l1[] = { 0x04, 0x81, 0x02, 'x', 'y' };
	c = cur(l1, sizeof l1);
	v = wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.len, 2);
	assert_int_equal(h.hdr, 3);

	uint8_t l2[4 + 300] = { 0x30, 0x82, 0x01, 0x2c };
	c = cur(l2, sizeof l2);
	v = wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.len, 300);
	assert_true(h.cons);
	assert_int_equal(wl_left(&v), 300);

	/* non-minimal long forms are valid BER */
	const uint8_t l4[] = { 0x04, 0x84, 0, 0, 0, 1, 'z' };
	c = cur(l4, sizeof l4);
	v = wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.len, 1);
	const uint8_t l8[] = { 0x04, 0x88, 0, 0, 0, 0, 0, 0, 0, 1, 'z' };
	c = cur(l8, sizeof l8);
	v = wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.len, 1);
	assert_int_equal(wl_u8(&v), 'z');
}

static void test_bad_lengths(void **state)
{
	(void)state;
	struct wl_ber h;
	const uint8_t indef[] = { 0x30, 0x80, 0x04, 0x00, 0x00, 0x00 };
	struct wl_cur c = cur(indef, sizeof indef);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);  /* indefinite refused */

	const uint8_t reserved[] = { 0x04, 0xff, 0x00 };
	c = cur(reserved, sizeof reserved);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);

	/* lengths wider than 32 bits overflow: invalid, not "need 2^40 bytes" */
	const uint8_t wide[] = { 0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00, 'a' };
	c = cur(wide, sizeof wide);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);
	const uint8_t huge[] = { 0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	c = cur(huge, sizeof huge);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);
	const uint8_t nine[] = { 0x04, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'a' };
	c = cur(nine, sizeof nine);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);

	/* the length bytes themselves cut short: truncated */
	const uint8_t cut[] = { 0x04, 0x82, 0x01 };
	c = cur(cut, sizeof cut);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_ETRUNC);
	assert_int_equal(wl_ber_peek(&(struct wl_cur){ cut, cut + 3, 0 }, &h), 0);
	assert_int_equal(wl_ber_peek(&(struct wl_cur){ reserved, reserved + 3, 0 }, &h), -1);
}

static void test_length_beyond_container(void **state)
{
	(void)state;
	struct wl_ber h;
	/* SEQUENCE of 4 holding an OCTET STRING that claims 10 */
	const uint8_t b[] = { 0x30, 0x04, 0x04, 0x0a, 'a', 'b', 0x05, 0x00 };
	struct wl_cur c = cur(b, sizeof b);
	struct wl_cur seq = wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	struct wl_cur v = wl_ber_tlv(&seq, &h);
	assert_int_equal(seq.err, WL_ETRUNC);  /* the container is marked */
	assert_int_equal(wl_left(&v), 2);      /* the part present, never more */
	assert_int_equal(wl_u8(&c), 0x05);     /* the parent is untouched */

	/* the outer element longer than the buffer */
	const uint8_t o[] = { 0x30, 0x7f, 0x02, 0x01, 0x01 };
	c = cur(o, sizeof o);
	v = wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_ETRUNC);
	assert_int_equal(wl_left(&v), 3);
}

static void test_tags(void **state)
{
	(void)state;
	struct wl_ber h;
	const uint8_t app[] = { 0x63, 0x00 };  /* [APPLICATION 3] constructed, empty */
	struct wl_cur c = cur(app, sizeof app);
	wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.cls, WL_BER_APP);
	assert_true(h.cons);
	assert_int_equal(h.tag, 3);
	const uint8_t ctx[] = { 0x87, 0x02, 'c', 'n' };  /* [7] primitive */
	c = cur(ctx, sizeof ctx);
	wl_ber_tlv(&c, &h);
	assert_int_equal(h.cls, WL_BER_CTX);
	assert_false(h.cons);
	assert_int_equal(h.tag, 7);
	assert_true(wl_ber_next_is(&(struct wl_cur){ ctx, ctx + 4, 0 }, WL_BER_CTX, 7));

	const uint8_t multi[] = { 0x5f, 0x81, 0x00, 0x00 };  /* [APPLICATION 128] */
	c = cur(multi, sizeof multi);
	wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.tag, 128);
	assert_int_equal(h.hdr, 4);
	const uint8_t big[] = { 0x9f, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x00 };  /* 2^32 - 1 */
	c = cur(big, sizeof big);
	wl_ber_tlv(&c, &h);
	assert_true(wl_ok(&c));
	assert_int_equal(h.tag, UINT32_MAX);
	const uint8_t over[] = { 0x9f, 0x90, 0x80, 0x80, 0x80, 0x00, 0x00 };  /* 2^32 */
	c = cur(over, sizeof over);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);
	const uint8_t pad[] = { 0x9f, 0x80, 0x01, 0x00 };  /* leading zero septet */
	c = cur(pad, sizeof pad);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_EINVAL);
	const uint8_t cut[] = { 0x9f, 0x81 };
	c = cur(cut, sizeof cut);
	wl_ber_tlv(&c, &h);
	assert_int_equal(c.err, WL_ETRUNC);

	/* a tag that is not the expected one */
	const uint8_t i[] = { 0x02, 0x01, 0x05 };
	c = cur(i, sizeof i);
	struct wl_cur v = wl_ber_take(&c, WL_BER_UNIV, WL_BER_OCTETS);
	assert_int_equal(c.err, WL_EINVAL);
	assert_int_equal(wl_left(&v), 0);
	char nb[32];
	h.cls = WL_BER_APP;
	h.tag = 3;
	assert_string_equal(wl_ber_tag_name(&h, nb, sizeof nb), "[APPLICATION 3]");
	h.cls = WL_BER_UNIV;
	h.tag = WL_BER_SEQUENCE;
	assert_string_equal(wl_ber_tag_name(&h, nb, sizeof nb), "SEQUENCE");
}

static int64_t int_of(const uint8_t *b, size_t n, int *ovf)
{
	struct wl_cur v = cur(b, n);
	return wl_ber_int(&v, ovf);
}

static void test_integers(void **state)
{
	(void)state;
	int ovf;
	assert_int_equal(int_of((const uint8_t[]){ 0x00 }, 1, &ovf), 0);
	assert_false(ovf);
	assert_int_equal(int_of((const uint8_t[]){ 0xff }, 1, &ovf), -1);
	assert_int_equal(int_of((const uint8_t[]){ 0x00, 0xff }, 2, &ovf), 255);
	assert_int_equal(int_of((const uint8_t[]){ 0x80 }, 1, &ovf), -128);
	assert_int_equal(int_of((const uint8_t[]){ 0x7f, 0xff, 0xff, 0xff }, 4, &ovf), INT32_MAX);
	const uint8_t min64[] = { 0x80, 0, 0, 0, 0, 0, 0, 0 };
	assert_true(int_of(min64, 8, &ovf) == INT64_MIN);
	assert_false(ovf);
	const uint8_t max64[] = { 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	assert_true(int_of(max64, 8, &ovf) == INT64_MAX);
	assert_false(ovf);
	/* 9 bytes that still fit (redundant sign byte) */
	const uint8_t m1[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	assert_int_equal(int_of(m1, 9, &ovf), -1);
	assert_false(ovf);
	/* 2^63 does not fit int64 */
	const uint8_t p63[] = { 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0 };
	int_of(p63, 9, &ovf);
	assert_true(ovf);
	uint8_t twenty[20];
	memset(twenty, 0x12, sizeof twenty);
	int_of(twenty, sizeof twenty, &ovf);
	assert_true(ovf);
	/* empty is invalid */
	struct wl_cur e = cur(twenty, 0);
	wl_ber_int(&e, &ovf);
	assert_int_equal(e.err, WL_EINVAL);

	/* unsigned (Counter64): 9 bytes with a leading zero */
	const uint8_t umax[] = { 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct wl_cur u = cur(umax, sizeof umax);
	assert_true(wl_ber_uint(&u, &ovf) == UINT64_MAX);
	assert_false(ovf);
	u = cur((const uint8_t[]){ 0x80 }, 1);
	wl_ber_uint(&u, &ovf);
	assert_true(ovf);  /* negative */
	const uint8_t u10[] = { 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	u = cur(u10, sizeof u10);
	wl_ber_uint(&u, &ovf);
	assert_true(ovf);

	/* BOOLEAN: exactly one byte */
	struct wl_cur b = cur((const uint8_t[]){ 0xff }, 1);
	assert_int_equal(wl_ber_bool(&b), 1);
	b = cur((const uint8_t[]){ 0x00 }, 1);
	assert_int_equal(wl_ber_bool(&b), 0);
	b = cur(twenty, 0);
	wl_ber_bool(&b);
	assert_int_equal(b.err, WL_EINVAL);
	b = cur(twenty, 2);
	wl_ber_bool(&b);
	assert_int_equal(b.err, WL_EINVAL);
}

static const char *oid_of(const uint8_t *b, size_t n, char *out, size_t on)
{
	struct wl_cur v = cur(b, n);
	return wl_ber_oid(&v, out, on);
}

static void test_oids(void **state)
{
	(void)state;
	char t[WL_BER_OID_TEXT];
	const uint8_t sysdescr[] = { 0x2b, 6, 1, 2, 1, 1, 1, 0 };
	assert_string_equal(oid_of(sysdescr, sizeof sysdescr, t, sizeof t), "1.3.6.1.2.1.1.1.0");
	assert_string_equal(oid_of((const uint8_t[]){ 0x00 }, 1, t, sizeof t), "0.0");
	assert_string_equal(oid_of((const uint8_t[]){ 0x4f }, 1, t, sizeof t), "1.39");
	/* first sub-identifier above 80: the rest goes to the second arc (2.999) */
	assert_string_equal(oid_of((const uint8_t[]){ 0x88, 0x37 }, 2, t, sizeof t), "2.999");
	/* an arc beyond 32 bits: 2^32 */
	const uint8_t a33[] = { 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00 };
	assert_string_equal(oid_of(a33, sizeof a33, t, sizeof t), "1.3.4294967296");
	/* the largest 64-bit arc */
	const uint8_t a64[] = { 0x2b, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
	assert_string_equal(oid_of(a64, sizeof a64, t, sizeof t), "1.3.18446744073709551615");
	/* 2^64: too wide */
	const uint8_t a65[] = { 0x2b, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
	assert_null(oid_of(a65, sizeof a65, t, sizeof t));
	assert_string_equal(t, "");
	/* the last sub-identifier cut (continuation bit on the last byte) */
	assert_null(oid_of((const uint8_t[]){ 0x2b, 0x86 }, 2, t, sizeof t));
	/* empty */
	assert_null(oid_of(sysdescr, 0, t, sizeof t));
	/* leading 0x80 is not minimal */
	assert_null(oid_of((const uint8_t[]){ 0x2b, 0x80, 0x01 }, 3, t, sizeof t));
	/* more arcs than the table holds */
	uint8_t many[200];
	many[0] = 0x2b;
	memset(many + 1, 1, sizeof many - 1);
	assert_null(oid_of(many, sizeof many, t, sizeof t));
	/* a small output buffer cuts the text, never overflows */
	char small[6];
	assert_non_null(oid_of(sysdescr, sizeof sysdescr, small, sizeof small));
	assert_int_equal(strlen(small), 5);
}

static void test_zero_length_everything(void **state)
{
	(void)state;
	struct wl_ber h;
	const uint8_t b[] = { 0x04, 0x00, 0x30, 0x00, 0x05, 0x00, 0x31, 0x00, 0xa0, 0x00, 0x60, 0x00 };
	struct wl_cur c = cur(b, sizeof b);
	for (int i = 0; i < 6; i++) {
		struct wl_cur v = wl_ber_tlv(&c, &h);
		assert_true(wl_ok(&c));
		assert_int_equal(h.len, 0);
		assert_int_equal(wl_left(&v), 0);
	}
	assert_int_equal(wl_left(&c), 0);
	assert_int_equal(wl_ber_depth(cur(b, sizeof b), WL_BER_MAX_DEPTH), 1);
	assert_int_equal(wl_ber_depth(cur(b, 0), WL_BER_MAX_DEPTH), 0);
	struct wl_cur e = cur(b, 0);
	wl_ber_tlv(&e, &h);
	assert_int_equal(e.err, WL_ETRUNC);
}

/* n SEQUENCEs each holding the next, the innermost empty. */
static uint8_t *nested(unsigned n, size_t *len)
{
	size_t cap = (size_t)n * 6 + 16, pos = cap, inner = 0;
	uint8_t *b = malloc(cap);
	for (unsigned i = 0; i < n; i++) {
		uint8_t h[6];
		size_t hn;
		if (inner < 0x80) {
			h[0] = 0x30;
			h[1] = (uint8_t)inner;
			hn = 2;
		} else if (inner < 0x10000) {
			h[0] = 0x30;
			h[1] = 0x82;
			h[2] = (uint8_t)(inner >> 8);
			h[3] = (uint8_t)inner;
			hn = 4;
		} else {
			h[0] = 0x30;
			h[1] = 0x83;
			h[2] = (uint8_t)(inner >> 16);
			h[3] = (uint8_t)(inner >> 8);
			h[4] = (uint8_t)inner;
			hn = 5;
		}
		pos -= hn;
		memcpy(b + pos, h, hn);
		inner += hn;
	}
	memmove(b, b + pos, inner);
	*len = inner;
	return b;
}

static void test_depth_limit(void **state)
{
	(void)state;
	size_t n;
	uint8_t *b = nested(10000, &n);
	assert_int_equal(wl_ber_depth(cur(b, n), WL_BER_MAX_DEPTH), -1);
	free(b);
	b = nested(WL_BER_MAX_DEPTH, &n);
	assert_int_equal(wl_ber_depth(cur(b, n), WL_BER_MAX_DEPTH), WL_BER_MAX_DEPTH);
	free(b);
	b = nested(WL_BER_MAX_DEPTH + 1, &n);
	assert_int_equal(wl_ber_depth(cur(b, n), WL_BER_MAX_DEPTH), -1);
	assert_int_equal(wl_ber_depth(cur(b, n), 1000), -1);  /* capped at the maximum */
	free(b);
	/* a lying length inside fails the walk */
	const uint8_t lie[] = { 0x30, 0x03, 0x30, 0x05, 0x00 };
	assert_int_equal(wl_ber_depth(cur(lie, sizeof lie), WL_BER_MAX_DEPTH), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_and_long_lengths),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_length_beyond_container),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_oids),
		cmocka_unit_test(test_zero_length_everything),
		cmocka_unit_test(test_depth_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
