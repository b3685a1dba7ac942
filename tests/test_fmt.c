/* test_fmt.c - wl_vsnprintf writes exactly what the C library's vsnprintf
 * writes, and returns the same length, for every buffer size from 0 up:
 * the conversions it does itself, edge values, and those it hands over.
 * And the renderers' ISO 8601 times, written without printf, against
 * gmtime_r and snprintf. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "wl.h"
#include "outbuf.h"
#include "render.h"

static unsigned checked;

__attribute__((format(printf, 1, 2)))
static void same(const char *fmt, ...)
{
	char want[512], got[512];
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int wn = vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	/* every buffer size up to the whole: truncation and the NUL as vsnprintf */
	for (size_t cap = 0; cap <= (size_t)wn + 1 && cap <= sizeof got; cap++) {
		va_list ac;
		va_copy(ac, aq);
		memset(got, 'Z', sizeof got);
		int gn = wl_vsnprintf(got, cap, fmt, ac);
		va_end(ac);
		if (gn != wn)
			fail_msg("\"%s\": length %d, vsnprintf %d", fmt, gn, wn);
		if (cap) {
			char w[512];
			snprintf(w, cap, "%s", want);
			if (memcmp(got, w, strlen(w) + 1) != 0)
				fail_msg("\"%s\" cap %zu: \"%s\", vsnprintf \"%s\"", fmt, cap, got, w);
		} else if (got[0] != 'Z') {
			fail_msg("\"%s\": wrote into a buffer of size 0", fmt);
		}
		checked++;
	}
	va_end(aq);
}

static void test_strings(void **state)
{
	(void)state;
	same("plain text, no conversion");
	same("%s", "");
	same("%s and %s", "one", "two");
	same("[%10s] [%-10s] [%3s]", "right", "left", "longer than three");
	same("%.*s|%.3s|%.0s|%.*s", 4, "truncated", "abcdef", "gone", -1, "negative precision: all");
	same("%c%c%c [%3c] [%-3c]", 'a', 'b', 'c', 'x', 'y');
	same("100%% sure, %s%%", "50");
}

static void test_integers(void **state)
{
	(void)state;
	same("%d %d %d %i", 0, -1, INT_MIN, INT_MAX);
	same("%u %u %u", 0u, 1u, UINT_MAX);
	same("%lld %llu %lld", LLONG_MIN, ULLONG_MAX, LLONG_MAX);
	same("%ld %lu", LONG_MIN, ULONG_MAX);
	same("%zu %zu", (size_t)0, SIZE_MAX);
	same("%jd %td", INTMAX_MIN, (ptrdiff_t)-5);
	same("%x %X %02x %04x %08x %016llx", 255u, 255u, 7u, 0xabcu, 0xdeadbeefu, 0x1234ull);
	same("%02X:%02x %02llu %03u %06ld %02d", 0xau, 0xbu, 5ull, 7u, -42L, -3);
	same("[%5d] [%-5d] [%05d] [%5u]", 42, 42, -42, 7u);
	same("[%.3d] [%.0d] [%.0u] [%5.3d] [%.0x]", 7, 0, 0u, -7, 0u);
	/* flags the compiler calls useless must still come out as the C library's */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	same("[%-05d] [%05.3d]", 42, 7);
	same("%hhu %hhd %hu %hd", 300, 200, 70000, 40000);  /* ints cut to char and short */
	same("%05s", "zero-padded string");
#pragma GCC diagnostic pop
}

static void test_handed_over(void **state)
{
	(void)state;
	/* conversions and flags it leaves to the C library */
	same("%.6f %.1f %+.6f %g", 3.25, 0.05, -1.0 / 3, 1e300);
	same("%+d % d %#x %#o %o", 5, 5, 255u, 8u, 8u);
	same("%*d|%-*s", 6, 42, 4, "ab");
	same("%p", (void *)0);
	same("%s then %.2f", "mixed", 2.5);
}

/* The renderers' ISO 8601 times, written by hand, against gmtime + printf. */
static void iso_same(int64_t ns)
{
	struct wl_obuf *b = calloc(1, sizeof *b);
	char *text = NULL;
	size_t len = 0;
	assert_non_null(b);
	b->f = open_memstream(&text, &len);
	assert_non_null(b->f);
	wl_ob_iso_time(b, ns);
	wl_ob_flush(b);
	fclose(b->f);
	int64_t sec = ns / 1000000000LL, frac = ns % 1000000000LL;
	if (frac < 0) {
		frac += 1000000000LL;
		sec--;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	char want[64];
	assert_non_null(gmtime_r(&t, &tm));
	snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)frac);
	assert_string_equal(text, want);
	free(text);
	free(b);
	checked++;
}

static void test_iso_time(void **state)
{
	(void)state;
	iso_same(0);
	iso_same(1);
	iso_same(-1);
	iso_same(1764000000123456789LL);
	iso_same(951782400000000000LL);        /* 2000-02-29 */
	iso_same(INT64_MAX);                  /* 2262-04-11T23:47:16.854775807 */
	iso_same(INT64_MIN);
	iso_same(-2208988800000000000LL);      /* 1900-01-01, NTP's era 0 */
	for (int64_t ns = -3000000000000000000LL; ns < 3000000000000000000LL; ns += 7777777777777777LL)
		iso_same(ns);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_handed_over),
		cmocka_unit_test(test_iso_time),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("%u formats and buffer sizes compared with vsnprintf\n", checked);
	return rc;
}
