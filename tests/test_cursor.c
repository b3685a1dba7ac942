/* test_cursor.c - the bounds-checked cursor: every read past the end is zero
 * and sticky, truncated and invalid stay apart, sub-cursors stay inside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cursor.h"

static void test_reads(void **state)
{
	(void)state;
	const uint8_t b[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct wl_cur c = wl_cur_make(b, sizeof b);
	assert_int_equal(wl_u8(&c), 1);
	assert_int_equal(wl_be16(&c), 0x0203);
	assert_int_equal(wl_le16(&c), 0x0504);
	assert_int_equal(wl_be32(&c), 0x06070809);
	assert_int_equal(wl_left(&c), 0);
	assert_true(wl_ok(&c));
	assert_int_equal(wl_u8(&c), 0);
	assert_int_equal(c.err, WL_ETRUNC);
	assert_int_equal(wl_be32(&c), 0); /* sticky */
}

static void test_short_read_consumes_nothing_useful(void **state)
{
	(void)state;
	const uint8_t b[] = { 0xff, 0xff, 0xff };
	struct wl_cur c = wl_cur_make(b, sizeof b);
	assert_int_equal(wl_be32(&c), 0);
	assert_int_equal(c.err, WL_ETRUNC);
	assert_null(wl_bytes(&c, 1));
	assert_int_equal(wl_left(&c), 0);
}

static void test_sub_and_invalid(void **state)
{
	(void)state;
	const uint8_t b[] = { 0, 3, 'a', 'b', 'c', 9 };
	struct wl_cur c = wl_cur_make(b, sizeof b);
	uint16_t n = wl_be16(&c);
	struct wl_cur s = wl_sub(&c, n);
	assert_int_equal(wl_left(&s), 3);
	wl_skip(&s, 3);
	assert_int_equal(wl_u8(&s), 0);
	assert_int_equal(s.err, WL_ETRUNC);
	assert_int_equal(wl_u8(&c), 9); /* parent unaffected by the child's error */
	struct wl_cur big = wl_cur_make(b, sizeof b);
	struct wl_cur s2 = wl_sub(&big, 100);
	assert_int_equal(big.err, WL_ETRUNC);
	assert_int_equal(wl_left(&s2), sizeof b);
	struct wl_cur v = wl_cur_make(b, sizeof b);
	wl_invalid(&v);
	wl_fail(&v, WL_ETRUNC);
	assert_int_equal(v.err, WL_EINVAL); /* the first error wins */
}

static void test_find_and_at(void **state)
{
	(void)state;
	const uint8_t b[] = "USER x\r\nPASS";
	struct wl_cur c = wl_cur_make(b, sizeof b - 1);
	size_t eol;
	assert_int_equal(wl_find_eol(&c, &eol), 6);
	assert_int_equal(eol, 2);
	assert_int_equal(wl_peek(&c, 0), 'U');
	assert_int_equal(wl_peek(&c, 100), -1);
	struct wl_cur a = wl_at(&c, 8, 4);
	assert_int_equal(wl_u8(&a), 'P');
	struct wl_cur out = wl_at(&c, 10, 10);
	assert_int_equal(wl_left(&out), 2);
	assert_int_equal(wl_be32(&out), 0);
	assert_int_equal(out.err, WL_ETRUNC);
	struct wl_cur empty = wl_cur_make(NULL, 0);
	assert_int_equal(wl_find(&empty, 'x'), -1);
	assert_int_equal(wl_u8(&empty), 0);
}

/* The text classifiers' helpers: they read through the cursor and consume nothing. */
static void test_text_helpers(void **state)
{
	(void)state;
	const uint8_t b[] = "SSH-2.0-x\r\n\x01";
	struct wl_cur c = wl_cur_make(b, sizeof b - 1);
	assert_true(wl_starts_with(&c, "SSH-"));
	assert_false(wl_starts_with(&c, "SSH-1"));
	assert_true(wl_starts_with(&c, ""));
	struct wl_cur two = wl_cur_make(b, 2);
	assert_false(wl_starts_with(&two, "SSH"));   /* fewer bytes than the string */
	assert_true(wl_is_text(&c, 11, "\r\n"));
	assert_false(wl_is_text(&c, 11, "\t"));     /* CR is not allowed */
	assert_false(wl_is_text(&c, 12, "\r\n"));  /* the 0x01 */
	assert_true(wl_is_text(&c, 100, "\r\n\x01"));
	const uint8_t nul[] = { 'a', 0, 'b' };
	struct wl_cur z = wl_cur_make(nul, 3);
	assert_false(wl_is_text(&z, 3, ""));         /* NUL is never text */
	char out[8];
	assert_int_equal(wl_text(&c, 100, out, sizeof out, '.'), 7);
	assert_string_equal(out, "SSH-2.0");
	assert_int_equal(wl_text(&z, 3, out, sizeof out, '?'), 3);
	assert_string_equal(out, "a?b");
	assert_int_equal(wl_left(&c), sizeof b - 1);
	struct wl_cur bad = c;
	wl_invalid(&bad);
	assert_false(wl_starts_with(&bad, "S"));
	assert_int_equal(wl_text(&bad, 4, out, sizeof out, '.'), 0);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_short_read_consumes_nothing_useful),
		cmocka_unit_test(test_sub_and_invalid),
		cmocka_unit_test(test_find_and_at),
		cmocka_unit_test(test_text_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
