/* test_chat.c - the NUL-framed chat dissector: the seeds' framing table,
 * split and coalesced segments, and hostile streams. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wltest.h"

static void open_chat(struct wlt *t)
{
	wlt_init(t, NULL);
	wlt_tcp_open(t, 50000, 4042);
}

/* 'caerphil' + 'ly\0illches' + 'ter\0brie\0' -> caerphilly, illchester, brie */
static void test_seeds_table(void **state)
{
	(void)state;
	struct wlt t;
	open_chat(&t);
	wlt_tcp_send(&t, WL_C2S, "caerphil", 8);
	wlt_tcp_send(&t, WL_C2S, "ly\0illches", 10);
	wlt_tcp_send(&t, WL_C2S, "ter\0brie\0", 9);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "chat", "message"), 3);
	const struct wlt_msg *m = wlt_find(&t, "chat", "message", 0);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "caerphilly");
	assert_string_equal(wlt_field(m, "wl.chat.segments", 0), "2");
	assert_true(wlt_note(m, "split across 2 TCP segments"));
	m = wlt_find(&t, "chat", "message", 1);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "illchester");
	assert_string_equal(wlt_field(m, "wl.chat.segments", 0), "2");
	m = wlt_find(&t, "chat", "message", 2);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "brie");
	assert_string_equal(wlt_field(m, "wl.chat.segments", 0), "1");
	assert_true(wlt_note(m, "2 messages arrived in one TCP segment"));
	/* 'caerphil' completes no message: its segment is shown, with its bytes */
	m = wlt_find(&t, "tcp", "segment", 3);
	assert_non_null(m);
	assert_false(m->minor);
	assert_string_equal(m->text, "8 bytes \"caerphil\"");
	assert_true(wlt_note(m, "[TCP segment of a reassembled PDU]"));
	/* the segments that complete one stay minor */
	m = wlt_find(&t, "tcp", "segment", 4);
	assert_true(m->minor);
	wlt_free(&t);
}

static void test_three_in_one_and_utf8_cut(void **state)
{
	(void)state;
	struct wlt t;
	open_chat(&t);
	wlt_tcp_send(&t, WL_C2S, "one\0two\0three\0", 14);
	wlt_tcp_send(&t, WL_S2C, "Gr\xc3", 3);
	wlt_tcp_send(&t, WL_S2C, "\xbc\xc3\x9f" "e\0", 5);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "chat", "message"), 4);
	assert_true(wlt_note(wlt_find(&t, "chat", "message", 2), "3 messages arrived in one TCP segment"));
	const struct wlt_msg *m = wlt_find(&t, "chat", "message", 3);
	assert_int_equal(m->dir, WL_S2C);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "Grüße");
	assert_false(wlt_note(m, "UTF-8"));
	wlt_free(&t);
}

static void test_invalid_utf8_and_empty(void **state)
{
	(void)state;
	struct wlt t;
	open_chat(&t);
	wlt_tcp_send(&t, WL_C2S, "\xff\xfe\0\0\0", 5);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "chat", "message"), 3);
	assert_true(wlt_note(wlt_find(&t, "chat", "message", 0), "not valid UTF-8"));
	assert_string_equal(wlt_field(wlt_find(&t, "chat", "message", 1), "wl.chat.length", 0), "0");
	wlt_free(&t);
}

/* Megabytes without a NUL: one "overlong" note, bounded memory, then resync. */
static void test_no_nul_for_megabytes(void **state)
{
	(void)state;
	struct wlt t;
	open_chat(&t);
	char *junk = malloc(60000);
	assert_non_null(junk);
	memset(junk, 'x', 60000);
	for (int i = 0; i < 50; i++)
		wlt_tcp_send(&t, WL_C2S, junk, 60000);
	wlt_tcp_send(&t, WL_C2S, "tail\0after\0", 11);
	wlt_finish(&t);
	free(junk);
	assert_int_equal(wlt_count(&t, "chat", "overlong"), 1);
	/* the over-long message's tail up to its NUL is dropped; "after" is whole */
	assert_int_equal(wlt_count(&t, "chat", "message"), 1);
	assert_string_equal(wlt_field(wlt_find(&t, "chat", "message", 0), "wl.chat.message", 0), "after");
	wlt_free(&t);
}

/* A gap (lost segment) loses the message it was in, not the ones after it. */
static void test_gap_resync(void **state)
{
	(void)state;
	struct wlt t;
	open_chat(&t);
	wlt_tcp_send(&t, WL_C2S, "first\0sec", 9);
	wlt_tcp_send_at(&t, WL_C2S, 100, "ond-tail\0third\0", 15); /* 100 bytes never seen */
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "chat", "message"), 2);
	assert_string_equal(wlt_field(wlt_find(&t, "chat", "message", 1), "wl.chat.message", 0), "third");
	wlt_free(&t);
}

/* Every cut of a valid stream: no crash, and the whole messages still decode. */
static void test_every_split(void **state)
{
	(void)state;
	static const char stream[] = "caerphilly\0illchester\0brie\0";
	for (size_t cut = 1; cut < sizeof stream - 1; cut++) {
		struct wlt t;
		open_chat(&t);
		wlt_tcp_send(&t, WL_C2S, stream, cut);
		wlt_tcp_send(&t, WL_C2S, stream + cut, sizeof stream - 1 - cut);
		wlt_finish(&t);
		assert_int_equal(wlt_count(&t, "chat", "message"), 3);
		assert_string_equal(wlt_field(wlt_find(&t, "chat", "message", 2), "wl.chat.message", 0), "brie");
		wlt_free(&t);
	}
}

/* Found by probe on a port no table knows. */
static void test_probe(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50000, 7777);
	wlt_tcp_send(&t, WL_C2S, "hello\0", 6);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "chat", "message"), 1);
	wlt_free(&t);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50000, 7777);
	wlt_tcp_send(&t, WL_C2S, "GET / HTTP/1.0\r\n\r\n", 18);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "chat", NULL), 0);
	assert_int_equal(wlt_count(&t, "data", NULL), 1);
	wlt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds_table),
		cmocka_unit_test(test_three_in_one_and_utf8_cut),
		cmocka_unit_test(test_invalid_utf8_and_empty),
		cmocka_unit_test(test_no_nul_for_megabytes),
		cmocka_unit_test(test_gap_resync),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
