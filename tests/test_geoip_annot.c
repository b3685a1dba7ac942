/* test_geoip_annot.c - GeoIP facts on flows: which addresses are public, what a
 * lookup says (tests/data/annot/geoip-annot.mmdb, made by make-geoip-annot.pl), and
 * that a flow's summary carries them only with a database (the engine's
 * flow-open hook, src/run/flow_geoip.c, over the GeoIP reader of src/iptools). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "flow_geoip.h"
#include "geoip.h"

#define DB WL_SOURCE_DIR "/tests/data/annot/geoip-annot.mmdb"

static int listed(int af, const uint8_t *a)
{
	wl_u128 v = 0;
	for (int i = 0; i < (af == 4 ? 4 : 16); i++)
		v = v << 8 | a[i];
	return wl_geo_listed(af == 4 ? WL_IP4 : WL_IP6, v);
}

static void test_public(void **state)
{
	(void)state;
	static const uint8_t pub[][4] = { { 8, 8, 8, 8 }, { 1, 1, 1, 1 }, { 172, 32, 0, 1 } };
	static const uint8_t priv[][4] = { { 10, 1, 2, 3 }, { 127, 0, 0, 1 }, { 192, 168, 1, 1 },
		{ 172, 16, 5, 5 }, { 192, 0, 2, 7 }, { 100, 64, 0, 1 }, { 224, 0, 0, 251 },
		{ 255, 255, 255, 255 }, { 169, 254, 1, 1 }, { 0, 0, 0, 0 } };
	for (size_t i = 0; i < sizeof pub / sizeof pub[0]; i++)
		assert_true(listed(4, pub[i]));
	for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++)
		assert_false(listed(4, priv[i]));
	uint8_t a6[16] = { 0x20, 0x01, 0x48, 0x60 };
	assert_true(listed(6, a6));
	a6[2] = 0x0d; a6[3] = 0xb8;
	assert_false(listed(6, a6));
	uint8_t lo[16] = { 0 };
	lo[15] = 1;
	assert_false(listed(6, lo));
	uint8_t ll[16] = { 0xfe, 0x80 };
	assert_false(listed(6, ll));
}

/* The fact's text for one address, as the hook makes it. */
static const char *describe(const struct wl_geodb *g, const char *addr, char *out, size_t n)
{
	int fam;
	wl_u128 v;
	struct wl_geo o;
	char err[700];
	assert_int_equal(wl_ip_parse_addr(addr, strlen(addr), &fam, &v, NULL, 0), 0);
	assert_int_equal(wl_geo_lookup(g, fam, v, &o, err, sizeof err), 0);
	return wl_geo_brief(&o, out, n);
}

static void test_describe(void **state)
{
	(void)state;
	struct wl_geodb g;
	const char *files[] = { DB };
	char err[700], out[300];
	assert_int_equal(wl_geodb_open(&g, files, 1, NULL, err, sizeof err), 0);
	assert_string_equal(describe(&g, "8.8.8.8", out, sizeof out), "US, Mountain View, AS15169 GOOGLE");
	assert_string_equal(describe(&g, "1.1.1.1", out, sizeof out), "AU");
	assert_string_equal(describe(&g, "9.9.9.9", out, sizeof out), "not in the database");
	assert_string_equal(describe(&g, "2001:4860::8888", out, sizeof out), "US, AS15169 GOOGLE");
	wl_geodb_close(&g);
}

/* ---- through the engine: the flow summary's facts ---- */

struct facts {
	char text[2048];
};

static void on_msg(void *arg, const struct wl_msg *m) { (void)arg; (void)m; }

static void on_flow(void *arg, const struct wl_flow_summary *s)
{
	struct facts *f = arg;
	for (unsigned i = 0; i < s->nfacts; i++) {
		size_t o = strlen(f->text);
		snprintf(f->text + o, sizeof f->text - o, "%s=%s\n", s->facts[i].key, s->facts[i].val);
	}
}

static void run(const char *db, const uint8_t src[4], const uint8_t dst[4], struct facts *f)
{
	struct wl_sink sink = { on_msg, on_flow, f };
	memset(f, 0, sizeof *f);
	struct wl_engine *e = wl_engine_new(NULL, NULL, &sink);
	assert_non_null(e);
	struct wl_flow_geoip *geo = db ? wl_flow_geoip_new(db) : NULL;
	if (geo)
		wl_engine_on_flow_open(e, wl_flow_geoip_hook, geo);
	uint8_t p[28 + 4] = { 0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17 };
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	p[20] = 0xC3; p[21] = 0x50; p[22] = 0x30; p[23] = 0x39;  /* 50000 -> 12345 */
	p[24] = 0; p[25] = 12;
	memcpy(p + 28, "ping", 4);
	wl_engine_packet(e, WL_LINK_RAW, 1700000000000000000LL, p, sizeof p, sizeof p);
	wl_engine_finish(e);
	wl_engine_free(e);
	wl_flow_geoip_free(geo);
}

static void test_flow_facts(void **state)
{
	(void)state;
	const uint8_t me[4] = { 192, 168, 1, 10 }, g[4] = { 8, 8, 8, 8 }, lo[4] = { 127, 0, 0, 1 };
	struct facts f;
	run(DB, me, g, &f);
	assert_non_null(strstr(f.text, "geoip 8.8.8.8=US, Mountain View, AS15169 GOOGLE\n"));
	assert_null(strstr(f.text, "192.168.1.10"));
	run(NULL, me, g, &f);             /* no database: silent */
	assert_string_equal(f.text, "");
	run(DB, lo, lo, &f);              /* loopback: nothing to look up */
	assert_string_equal(f.text, "");
	run("/nonexistent.mmdb", me, g, &f);
	assert_non_null(strstr(f.text, "geoip=cannot open /nonexistent.mmdb"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_flow_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
