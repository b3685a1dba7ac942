/* test_geoip.c - `wirelab geoip` on two tiny MaxMind DB files written by
 * tests/data/make-geoip-test.pl: one in the GeoLite2-City schema (with the
 * ASN database's fields), one in the ip-location-db schema (country_code
 * only). Special-purpose addresses are "not found" whatever the database says;
 * no database is one line and exit 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "wltest.h"

#include "geoip.h"
#include "wirelab.h"

#define CITY WL_SOURCE_DIR "/tests/data/geoip-test-city.mmdb"
#define COUNTRY WL_SOURCE_DIR "/tests/data/geoip-test-country.mmdb"

static const char *const no_candidates[] = { "/nonexistent/GeoLite2-City.mmdb", "/nonexistent/dir/", NULL };

static void open_dbs(struct wl_geodb *g, const char *const *files, size_t n)
{
	char err[700];
	if (wl_geodb_open(g, files, n, no_candidates, err, sizeof err) < 0)
		fail_msg("%s", err);
}

static void look(const struct wl_geodb *g, const char *addr, struct wl_geo *o)
{
	int fam;
	wl_u128 v;
	char err[700];
	assert_int_equal(wl_ip_parse_addr(addr, strlen(addr), &fam, &v, NULL, 0), 0);
	if (wl_geo_lookup(g, fam, v, o, err, sizeof err) < 0)
		fail_msg("%s: %s", addr, err);
}

static void test_city_schema(void **state)
{
	(void)state;
	struct wl_geodb g;
	const char *files[] = { CITY };
	open_dbs(&g, files, 1);
	struct wl_geo o;
	look(&g, "81.2.69.160", &o);
	assert_true(o.found);
	assert_string_equal(o.country, "GB");
	assert_string_equal(o.country_name, "United Kingdom");
	assert_string_equal(o.continent, "EU");
	assert_string_equal(o.continent_name, "Europe");
	assert_string_equal(o.subdivision, "England");
	assert_string_equal(o.city, "London");
	assert_string_equal(o.time_zone, "Europe/London");
	assert_true(o.has_location);
	assert_true(o.latitude > 51.5 && o.latitude < 51.6);
	assert_int_equal(o.asn, 20712);
	assert_string_equal(o.as_org, "Andrews & Arnold Ltd");
	assert_string_equal(o.network, "81.2.69.0/24");

	look(&g, "89.160.20.127", &o);
	assert_true(o.found);
	assert_string_equal(o.city, "Link\xc3\xb6ping");
	assert_string_equal(o.network, "89.160.20.112/28");
	look(&g, "89.160.20.128", &o);
	assert_false(o.found);

	look(&g, "2001:218:1::9", &o);
	assert_true(o.found);
	assert_string_equal(o.country, "JP");
	assert_string_equal(o.time_zone, "Asia/Tokyo");
	assert_string_equal(o.network, "2001:218::/32");

	/* a global address the database does not hold */
	look(&g, "8.8.8.8", &o);
	assert_false(o.found);
	wl_geodb_close(&g);
}

static void test_country_schema_and_merge(void **state)
{
	(void)state;
	struct wl_geodb g;
	const char *files[] = { COUNTRY };
	open_dbs(&g, files, 1);
	struct wl_geo o;
	look(&g, "1.0.0.7", &o);
	assert_true(o.found);
	assert_string_equal(o.country, "AU");
	assert_string_equal(o.country_name, "Australia");   /* from the ISO 3166 table */
	assert_string_equal(o.city, "");
	assert_int_equal(o.asn, 0);
	wl_geodb_close(&g);

	/* City first, then Country: each field from the first that has it */
	const char *both[] = { CITY, COUNTRY };
	open_dbs(&g, both, 2);
	assert_int_equal(g.n, 2);
	look(&g, "81.2.69.1", &o);
	assert_string_equal(o.city, "London");
	assert_non_null(strstr(o.db, "geoip-test-city.mmdb"));
	look(&g, "1.0.0.1", &o);
	assert_string_equal(o.country, "AU");
	assert_non_null(strstr(o.db, "geoip-test-country.mmdb"));
	wl_geodb_close(&g);
}

static void test_special_not_found(void **state)
{
	(void)state;
	struct wl_geodb g;
	const char *files[] = { CITY };
	open_dbs(&g, files, 1);
	static const char *const special[] = { "127.0.0.1", "10.1.2.3", "192.168.1.1", "198.51.100.7", "192.0.2.1",
					       "100.64.0.1", "169.254.0.1", "224.0.0.1", "::1", "fe80::1",
					       "2001:db8::1", "fd00::1", "0.0.0.0", "255.255.255.255" };
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
		struct wl_geo o;
		look(&g, special[i], &o);
		if (o.found)
			fail_msg("%s found", special[i]);
	}
	wl_geodb_close(&g);
}

static void test_no_database(void **state)
{
	(void)state;
	struct wl_geodb g;
	char err[700];
	assert_int_equal(wl_geodb_open(&g, NULL, 0, no_candidates, err, sizeof err), -1);
	assert_non_null(strstr(err, "no GeoIP database"));
	assert_non_null(strstr(err, "install-geoip.sh"));
	assert_null(strchr(err, '\n'));
	const char *missing[] = { "/nonexistent.mmdb" };
	assert_int_equal(wl_geodb_open(&g, missing, 1, no_candidates, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent.mmdb"));
	/* a file that is not a MaxMind DB */
	const char *notdb[] = { WL_SOURCE_DIR "/tests/data/make-geoip-test.pl" };
	assert_int_equal(wl_geodb_open(&g, notdb, 1, no_candidates, err, sizeof err), -1);
	/* a folder candidate: every *.mmdb in it */
	const char *const dir[] = { "/nonexistent/x.mmdb", WL_SOURCE_DIR "/tests/data/", NULL };
	assert_int_equal(wl_geodb_open(&g, NULL, 0, dir, err, sizeof err), 0);
	assert_int_equal(g.n, 2);
	wl_geodb_close(&g);
}

static int run(char *out, size_t outlen, int argc, const char **argv)
{
	return wlt_run_cmd(wl_cmd_geoip, out, outlen, argc, argv);
}

static void test_command(void **state)
{
	(void)state;
	static char out[1 << 16];
	const char *a1[] = { "geoip", "--db", CITY, "81.2.69.160", "127.0.0.1", "2001:218::1" };
	assert_int_equal(run(out, sizeof out, 6, a1), 0);
	assert_non_null(strstr(out, "country:    GB (United Kingdom)"));
	assert_non_null(strstr(out, "city:       London"));
	assert_non_null(strstr(out, "ASN:        AS20712 Andrews & Arnold Ltd"));
	assert_non_null(strstr(out, "not found: loopback (RFC 1122)"));
	assert_non_null(strstr(out, "Asia/Tokyo"));
	const char *a2[] = { "geoip", "-T", "json", "--db=" CITY, "89.160.20.115", "198.51.100.1" };
	assert_int_equal(run(out, sizeof out, 6, a2), 0);
	assert_non_null(strstr(out, "\"city\":\"Link\xc3\xb6ping\""));
	assert_non_null(strstr(out, "\"asn\":29518"));
	assert_non_null(strstr(out, "{\"query\":\"198.51.100.1\",\"address\":\"198.51.100.1\",\"found\":false,"
				    "\"type\":\"documentation\"}"));
	/* a name: localhost resolves from /etc/hosts, found nowhere */
	const char *a3[] = { "geoip", "--db", CITY, "localhost" };
	assert_int_equal(run(out, sizeof out, 4, a3), 0);
	assert_non_null(strstr(out, "(localhost)"));
	assert_non_null(strstr(out, "not found"));

	const char *bad[][4] = {
		{ "geoip", "--db", "/nonexistent.mmdb", "1.1.1.1" },
		{ "geoip", "--db", CITY, "300.1.2.3" },
		{ "geoip", "--db", CITY, "::g" },
		{ "geoip", "--db", CITY, "" },
		{ "geoip", "--db", CITY, "no.such.name.invalid" },
		{ "geoip", "--db", CITY, "--bogus" },
		{ "geoip", "--db", CITY, NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int argc = bad[i][3] ? 4 : 3;
		int rc = run(out, sizeof out, argc, bad[i]);
		if (rc != 2 || out[0])
			fail_msg("case %zu (%s): rc %d, output '%s'", i, bad[i][argc - 1], rc, out);
	}
	const char *help[] = { "geoip", "--help" };
	assert_int_equal(run(out, sizeof out, 2, help), 0);
	assert_non_null(strstr(out, "usage: wirelab geoip"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_city_schema),       cmocka_unit_test(test_country_schema_and_merge),
		cmocka_unit_test(test_special_not_found), cmocka_unit_test(test_no_database),
		cmocka_unit_test(test_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
