/* test_fmt.c - wl_vsnprintf writes exactly what the C library's vsnprintf
 * writes, and returns the same length, for every buffer size from 0 up:
 * the conversions it does itself, edge values, and those it hands over.
 * And the renderers' ISO 8601 times, written without printf, against
 * gmtime_r and snprintf; their integers, seconds and IPv4 and IPv6
 * addresses against snprintf and inet_ntop. */
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
#include <arpa/inet.h>

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
	/* the plain conversions of the fast path (conv_plain), at their edges */
	same("%02x%02x:%02x %02x|%zu %zu|%llu %llu|%d %d %d|%u %x %x", 0u, 9u, 255u, 0x1234u, (size_t)0,
	     SIZE_MAX, 0ull, ULLONG_MAX, 0, INT_MIN, INT_MAX, UINT_MAX, 0u, UINT_MAX);
	same("%s|%s%s|%d%%%u", "", "a", "b", -7, 7u);
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

/* What one outbuf writer wrote, as a string (the caller frees it). */
struct ob_text {
	struct wl_obuf *b;
	char *text;
	size_t len;
};

static void ob_open(struct ob_text *t)
{
	t->b = calloc(1, sizeof *t->b);
	assert_non_null(t->b);
	t->text = NULL;
	t->b->f = open_memstream(&t->text, &t->len);
	assert_non_null(t->b->f);
}

static void ob_expect(struct ob_text *t, const char *want)
{
	wl_ob_flush(t->b);
	fclose(t->b->f);
	assert_string_equal(t->text, want);
	free(t->text);
	free(t->b);
	checked++;
}

static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void u64_same(uint64_t v)
{
	struct ob_text t;
	char want[32];
	ob_open(&t);
	wl_ob_u64(t.b, v);
	snprintf(want, sizeof want, "%llu", (unsigned long long)v);
	ob_expect(&t, want);
}

/* seconds with d decimals, rounded half up, as the renderers had them with snprintf */
static void secs_same(int64_t ns, int d)
{
	struct ob_text t;
	char want[64];
	ob_open(&t);
	wl_ob_secs(t.b, ns, d);
	int neg = ns < 0;
	long long a = neg ? -(long long)ns : (long long)ns, div = 1, scale = 1;
	for (int i = d; i < 9; i++)
		div *= 10;
	for (int i = 0; i < d; i++)
		scale *= 10;
	long long v = (a + div / 2) / div;
	if (d)
		snprintf(want, sizeof want, "%s%lld.%0*lld", neg ? "-" : "", v / scale, d, v % scale);
	else
		snprintf(want, sizeof want, "%s%lld", neg ? "-" : "", v);
	ob_expect(&t, want);
}

/* wl_ob_double against the loop it stands for: %.9g, then more digits
 * until the text reads back as d. */
static void double_same(double d)
{
	struct ob_text t;
	char want[40];
	snprintf(want, sizeof want, "%.9g", d);
	for (int prec = 10; prec <= 17 && strtod(want, NULL) != d; prec++)
		snprintf(want, sizeof want, "%.*g", prec, d);
	ob_open(&t);
	wl_ob_double(t.b, d);
	ob_expect(&t, want);
}

static void test_doubles(void **state)
{
	(void)state;
	static const double edges[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e-9, 9.99e-10, 1e-5, 1.5e-5,
					1035.013306, 1700000000.000012, 1e14, 999999999999999.0, 1e15, 1e16,
					123456789.0, 1234567890.0, 0.000123, 2.5e-8, 1.0 / 3.0 };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		double_same(edges[i]);
	for (int i = 0; i < 200000; i++) {
		/* times as the dissectors make them: ns / 1e9, ns / 1e6, and any double */
		int64_t ns = (int64_t)(rnd() >> (rnd() % 64 | 1));
		double_same((double)ns / 1e9);
		double_same(-(double)ns / 1e6);
		uint64_t bits = rnd();
		double any;
		memcpy(&any, &bits, sizeof any);
		if (any == any && any - any == 0)   /* finite */
			double_same(any);
	}
}

static void test_numbers(void **state)
{
	(void)state;
	static const uint64_t edges[] = { 0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 65535, 99999,
					  100000, 4294967295u, 4294967296u, 9999999999u, 10000000000u,
					  UINT64_MAX / 10, UINT64_MAX - 1, UINT64_MAX };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		u64_same(edges[i]);
	for (int i = 0; i < 20000; i++)
		u64_same(rnd() >> (rnd() % 64));
	for (int d = 0; d <= 9; d++) {
		secs_same(0, d);
		secs_same(499, d);
		secs_same(500, d);
		secs_same(-1500, d);
		secs_same(999999999, d);
		secs_same(1764000000123456789LL, d);
		for (int i = 0; i < 2000; i++)
			secs_same((int64_t)(rnd() >> (rnd() % 64 | 1)) * (i & 1 ? -1 : 1), d);
	}
}

static void addr_same(int af, const uint8_t *a)
{
	struct ob_text t;
	char want[INET6_ADDRSTRLEN];
	assert_non_null(inet_ntop(af, a, want, sizeof want));
	ob_open(&t);
	if (af == AF_INET)
		wl_ob_ipv4(t.b, a);
	else
		wl_ob_ipv6(t.b, a);
	ob_expect(&t, want);
}

static void test_addresses(void **state)
{
	(void)state;
	uint8_t a[16];
	for (unsigned v = 0; v < 256; v++) {
		memset(a, (int)v, 4);
		addr_same(AF_INET, a);
		a[0] = (uint8_t)(255 - v);
		a[3] = (uint8_t)(v * 7);
		addr_same(AF_INET, a);
	}
	for (int i = 0; i < 20000; i++) {
		uint32_t w = (uint32_t)rnd();
		memcpy(a, &w, 4);
		addr_same(AF_INET, a);
	}
	/* every pattern of zero and nonzero groups, with small and large values,
	 * and the IPv4-compatible and -mapped forms */
	for (unsigned zeros = 0; zeros < 256; zeros++) {
		for (int k = 0; k < 8; k++) {
			for (int g = 0; g < 8; g++) {
				uint16_t v = zeros >> g & 1 ? 0 : (uint16_t)(k < 4 ? 1u << (4 * k) : rnd());
				if (!v && !(zeros >> g & 1))
					v = 1;
				a[2 * g] = (uint8_t)(v >> 8);
				a[2 * g + 1] = (uint8_t)v;
			}
			addr_same(AF_INET6, a);
			if ((zeros & 0x1f) == 0x1f) {   /* groups 0-4 zero: ::ffff:a.b.c.d when 5 is ffff */
				a[10] = a[11] = 0xff;
				addr_same(AF_INET6, a);
			}
		}
	}
	for (int i = 0; i < 20000; i++) {
		for (int g = 0; g < 16; g += 2) {
			uint64_t r = rnd();
			a[g] = r & 1 ? 0 : (uint8_t)(r >> 8);
			a[g + 1] = r & 1 ? 0 : (uint8_t)(r >> 16);
		}
		addr_same(AF_INET6, a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_handed_over),
		cmocka_unit_test(test_iso_time),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_addresses),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("%u formats and buffer sizes compared with vsnprintf\n", checked);
	return rc;
}
