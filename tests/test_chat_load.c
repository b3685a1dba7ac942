/* test_chat_load.c - the pieces of `wirelab chat-load --compare` that need no
 * server: exact percentiles, the bounds on a load, and the report's three
 * forms (the table, JSON Lines that parse, an SVG whose strings are escaped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chat_load.h"
#include "chat_report.h"

/* 1..n in a scrambled order: the nearest rank of q is ceil(q * n) itself. */
static void test_percentiles_exact(void **state)
{
	(void)state;
	static const uint64_t sizes[] = { 1, 2, 7, 10, 100, 999, 1000, 1001, 12345 };
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		uint64_t n = sizes[k];
		uint32_t *lat = malloc(n * sizeof *lat), out[WL_LAT_N];
		assert_non_null(lat);
		for (uint64_t i = 0; i < n; i++)
			lat[i] = (uint32_t)((i * 7919) % n + 1);  /* 7919 is prime: a permutation */
		wl_chat_percentiles(lat, n, out);
		static const uint64_t permille[WL_LAT_N] = { 0, 100, 250, 500, 750, 900, 990, 999, 1000 };
		for (int i = 0; i < WL_LAT_N; i++) {
			uint64_t want = (permille[i] * n + 999) / 1000;
			assert_int_equal(out[i], want ? want : 1);
		}
		free(lat);
	}
	uint32_t out[WL_LAT_N];
	wl_chat_percentiles(NULL, 0, out);
	assert_int_equal(out[WL_LAT_MAX], 0);
}

/* Duplicates count as often as they occur: 99 fast deliveries and a slow one. */
static void test_percentiles_tail(void **state)
{
	(void)state;
	uint32_t lat[100], out[WL_LAT_N];
	for (int i = 0; i < 100; i++)
		lat[i] = i == 37 ? 5000000 : 200;
	wl_chat_percentiles(lat, 100, out);
	assert_int_equal(out[WL_LAT_P50], 200);
	assert_int_equal(out[WL_LAT_P99], 200);
	assert_int_equal(out[WL_LAT_P999], 5000000);
	assert_int_equal(out[WL_LAT_MAX], 5000000);
}

static void test_bounds(void **state)
{
	(void)state;
	struct wl_chat_load_opts o = { .clients = 200, .messages = 10, .size = 64, .rate = 2,
				       .time_limit_s = 60 };
	assert_null(wl_chat_load_check(&o));
	o.clients = 2001;
	assert_non_null(wl_chat_load_check(&o));
	o.clients = 2000;
	o.messages = 6;  /* 24,000,000 deliveries */
	assert_non_null(wl_chat_load_check(&o));
	o.messages = 5;
	assert_null(wl_chat_load_check(&o));
	o.size = 31;
	assert_non_null(wl_chat_load_check(&o));
	o.size = 64;
	o.rate = 0;
	assert_non_null(wl_chat_load_check(&o));
	o.rate = 2;
	o.time_limit_s = 0;
	assert_non_null(wl_chat_load_check(&o));
	struct wl_chat_compare_cfg cfg = { .load = { .clients = 10, .messages = 1, .size = 64,
						     .rate = 1, .time_limit_s = 5 } };
	cfg.servers = "epoll,chat-uv,tls";
	assert_null(wl_chat_compare_check(&cfg));
	cfg.servers = "epoll,nginx";
	assert_non_null(wl_chat_compare_check(&cfg));
}

/* Two rows: one measured, one whose server could not start, with a note full
 * of characters that mean something in JSON and SVG. */
static const char hostile[] = "<script>alert('x')</script> & \"quoted\"\n";

static void rows_for_report(struct wl_chat_row rows[2], struct wl_chat_load_opts *o)
{
	*o = (struct wl_chat_load_opts){ .clients = 3, .messages = 2, .size = 64, .rate = 1,
					 .time_limit_s = 5 };
	memset(rows, 0, 2 * sizeof rows[0]);
	rows[0] = (struct wl_chat_row){ .server = "chat-uv", .port = 4046, .measured = 1 };
	struct wl_chat_load_figures *f = &rows[0].fig;
	f->joined = 3;
	f->planned = f->sent = 6;
	f->expected = f->delivered = 18;
	f->seconds = 2;
	f->per_second = 9;
	for (int i = 0; i < WL_LAT_N; i++)
		f->lat_us[i] = (uint32_t)(100 * (i + 1));
	f->server_rss_kib = 10240;
	f->server_threads = 1;
	rows[1] = (struct wl_chat_row){ .server = "chat-tls", .port = 4443 };
	snprintf(rows[1].fig.why, sizeof rows[1].fig.why, "%s", hostile);
}

static char *report(enum wl_chat_report how)
{
	struct wl_chat_row rows[2];
	struct wl_chat_load_opts o;
	rows_for_report(rows, &o);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	wl_chat_report(out, how, &o, rows, 2);
	fclose(out);
	return text;
}

static void test_report_text(void **state)
{
	(void)state;
	char *t = report(WL_CHAT_REPORT_TEXT);
	assert_non_null(strstr(t, "chat-uv"));
	assert_non_null(strstr(t, "3/3"));
	assert_non_null(strstr(t, "chat-tls        not measured: <script>"));
	free(t);
}

static void test_report_json(void **state)
{
	(void)state;
	char *t = report(WL_CHAT_REPORT_JSON);
	/* two lines, each an object; the note's quote and newline escaped */
	char *nl = strchr(t, '\n');
	assert_non_null(nl);
	assert_int_equal(t[0], '{');
	assert_non_null(strstr(t, "\"server\":\"chat-uv\""));
	assert_non_null(strstr(t, "\"ok\":true"));
	assert_non_null(strstr(t, "\"latency_ms\":{\"min\":0.100,"));
	assert_non_null(strstr(nl + 1, "\"measured\":false,\"ok\":false"));
	assert_non_null(strstr(nl + 1, "\\\"quoted\\\"\\u000a\"}"));
	assert_null(strchr(strchr(nl + 1, '\n') + 1, '\n'));
	free(t);
}

static void test_report_svg(void **state)
{
	(void)state;
	char *t = report(WL_CHAT_REPORT_SVG);
	assert_true(strncmp(t, "<?xml", 5) == 0);
	assert_non_null(strstr(t, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\""));
	assert_null(strstr(t, "<script"));
	assert_non_null(strstr(t, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"));
	/* standalone: no link, image, style sheet or script from anywhere */
	assert_null(strstr(t, "href"));
	assert_null(strstr(t, "<image"));
	assert_null(strstr(t, "<style"));
	assert_non_null(strstr(t, "</svg>\n"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles_exact),
		cmocka_unit_test(test_percentiles_tail),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_report_text),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
