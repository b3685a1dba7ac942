/* test_ipcalc.c - the ipcalc core against a table of networks whose values
 * were worked out by hand and checked with Python's ipaddress module
 * (ip_interface(x).network: network_address, netmask, hostmask,
 * broadcast_address, num_addresses, hosts()), the address kinds of the IANA
 * special-purpose registries, the subnet planner, and bad input. */
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

#include "ipcalc.h"
#include "wirelab.h"

struct netcase {
	const char *in;
	int fam;
	const char *network;
	unsigned prefix;
	const char *netmask, *wildcard, *last, *first_host, *last_host, *addresses, *hosts;
};

/* Generated with Python 3 ipaddress and checked by hand for the first rows:
 * 10.0.1.0/24 is the seeds' example (256 addresses, 254 hosts). */
static const struct netcase nets[] = {
	{ "10.0.1.0/24", 4, "10.0.1.0", 24, "255.255.255.0", "0.0.0.255", "10.0.1.255", "10.0.1.1", "10.0.1.254", "256", "254" },
	{ "10.0.1.77/24", 4, "10.0.1.0", 24, "255.255.255.0", "0.0.0.255", "10.0.1.255", "10.0.1.1", "10.0.1.254", "256", "254" },
	{ "192.168.0.0/28", 4, "192.168.0.0", 28, "255.255.255.240", "0.0.0.15", "192.168.0.15", "192.168.0.1", "192.168.0.14", "16", "14" },
	{ "192.168.0.0/26", 4, "192.168.0.0", 26, "255.255.255.192", "0.0.0.63", "192.168.0.63", "192.168.0.1", "192.168.0.62", "64", "62" },
	{ "10.0.0.0/31", 4, "10.0.0.0", 31, "255.255.255.254", "0.0.0.1", "10.0.0.1", "10.0.0.0", "10.0.0.1", "2", "2" },
	{ "10.0.0.1/32", 4, "10.0.0.1", 32, "255.255.255.255", "0.0.0.0", "10.0.0.1", "10.0.0.1", "10.0.0.1", "1", "1" },
	{ "0.0.0.0/0", 4, "0.0.0.0", 0, "0.0.0.0", "255.255.255.255", "255.255.255.255", "0.0.0.1", "255.255.255.254", "4294967296", "4294967294" },
	{ "172.16.5.4/255.255.240.0", 4, "172.16.0.0", 20, "255.255.240.0", "0.0.15.255", "172.16.15.255", "172.16.0.1", "172.16.15.254", "4096", "4094" },
	{ "100.64.1.1/10", 4, "100.64.0.0", 10, "255.192.0.0", "0.63.255.255", "100.127.255.255", "100.64.0.1", "100.127.255.254", "4194304", "4194302" },
	{ "169.254.3.4/16", 4, "169.254.0.0", 16, "255.255.0.0", "0.0.255.255", "169.254.255.255", "169.254.0.1", "169.254.255.254", "65536", "65534" },
	{ "224.0.0.251", 4, "224.0.0.251", 32, "255.255.255.255", "0.0.0.0", "224.0.0.251", "224.0.0.251", "224.0.0.251", "1", "1" },
	{ "198.51.100.7/30", 4, "198.51.100.4", 30, "255.255.255.252", "0.0.0.3", "198.51.100.7", "198.51.100.5", "198.51.100.6", "4", "2" },
	{ "8.8.8.8", 4, "8.8.8.8", 32, "255.255.255.255", "0.0.0.0", "8.8.8.8", "8.8.8.8", "8.8.8.8", "1", "1" },
	{ "255.255.255.255", 4, "255.255.255.255", 32, "255.255.255.255", "0.0.0.0", "255.255.255.255", "255.255.255.255", "255.255.255.255", "1", "1" },
	{ "2001:db8::/64", 6, "2001:db8::", 64, "ffff:ffff:ffff:ffff::", "::ffff:ffff:ffff:ffff", "2001:db8::ffff:ffff:ffff:ffff", "2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff", "18446744073709551616", "18446744073709551615" },
	{ "2001:db8::1/127", 6, "2001:db8::", 127, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "::1", "2001:db8::1", "2001:db8::", "2001:db8::1", "2", "2" },
	{ "::1", 6, "::1", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", "::1", "::1", "::1", "1", "1" },
	{ "::/0", 6, "::", 0, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "340282366920938463463374607431768211456", "340282366920938463463374607431768211455" },
	{ "fe80::1/64", 6, "fe80::", 64, "ffff:ffff:ffff:ffff::", "::ffff:ffff:ffff:ffff", "fe80::ffff:ffff:ffff:ffff", "fe80::1", "fe80::ffff:ffff:ffff:ffff", "18446744073709551616", "18446744073709551615" },
	{ "fd12:3456:789a::1/48", 6, "fd12:3456:789a::", 48, "ffff:ffff:ffff::", "::ffff:ffff:ffff:ffff:ffff", "fd12:3456:789a:ffff:ffff:ffff:ffff:ffff", "fd12:3456:789a::1", "fd12:3456:789a:ffff:ffff:ffff:ffff:ffff", "1208925819614629174706176", "1208925819614629174706175" },
	{ "ff02::1", 6, "ff02::1", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", "ff02::1", "ff02::1", "ff02::1", "1", "1" },
	{ "::ffff:192.0.2.1", 6, "::ffff:c000:201", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", "::ffff:c000:201", "::ffff:c000:201", "::ffff:c000:201", "1", "1" },
	{ "2606:4700::1111/128", 6, "2606:4700::1111", 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::", "2606:4700::1111", "2606:4700::1111", "2606:4700::1111", "1", "1" },
	{ "2001:db8:0:0:1::/80", 6, "2001:db8:0:0:1::", 80, "ffff:ffff:ffff:ffff:ffff::", "::ffff:ffff:ffff", "2001:db8::1:ffff:ffff:ffff", "2001:db8::1:0:0:1", "2001:db8::1:ffff:ffff:ffff", "281474976710656", "281474976710655" },
};

static wl_u128 addr_of(const char *s)
{
	int fam;
	wl_u128 v;
	char err[128];
	if (wl_ip_parse_addr(s, strlen(s), &fam, &v, err, sizeof err) < 0)
		fail_msg("%s", err);
	return v;
}

static void assert_addr(int fam, wl_u128 got, const char *want, const char *what, const char *in)
{
	if (got != addr_of(want)) {
		char b[WL_IP_STRLEN];
		wl_ip_str(fam, got, b, sizeof b);
		fail_msg("%s: %s is %s, expected %s", in, what, b, want);
	}
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
		const struct netcase *t = &nets[i];
		struct wl_ipnet n;
		struct wl_ipcalc c;
		char err[160], b[WL_U128_STRLEN];
		if (wl_ip_parse(t->in, &n, err, sizeof err) < 0)
			fail_msg("%s: %s", t->in, err);
		assert_int_equal(n.fam, t->fam);
		wl_ipcalc(&n, &c);
		assert_int_equal(c.prefix, t->prefix);
		assert_addr(t->fam, c.network, t->network, "network", t->in);
		assert_addr(t->fam, c.netmask, t->netmask, "netmask", t->in);
		assert_addr(t->fam, c.wildcard, t->wildcard, "wildcard", t->in);
		assert_addr(t->fam, c.last, t->last, "last/broadcast", t->in);
		assert_addr(t->fam, c.first_host, t->first_host, "first host", t->in);
		assert_addr(t->fam, c.last_host, t->last_host, "last host", t->in);
		wl_ip_count_str(c.fam, c.prefix, b, sizeof b);
		assert_string_equal(b, t->addresses);
		wl_u128_str(c.hosts, b, sizeof b);
		assert_string_equal(b, t->hosts);
		/* IPv4 has a broadcast up to /30 only (RFC 3021) */
		assert_int_equal(c.has_broadcast, t->fam == 4 && t->prefix <= 30);
	}
}

/* The seeds' example worked by hand: 10.0.1.0/24, its /25s and its /23. */
static void test_seed_example(void **state)
{
	(void)state;
	struct wl_ipnet n;
	struct wl_ipcalc c;
	assert_int_equal(wl_ip_parse("10.0.1.0/24", &n, NULL, 0), 0);
	wl_ipcalc(&n, &c);
	assert_true(c.hosts == 254);
	assert_true(c.size_m1 == 255);
	assert_true(wl_ip_subnet_count_m1(&c, 25) == 1);
	assert_true(wl_ip_subnet(&c, 25, 0) == addr_of("10.0.1.0"));
	assert_true(wl_ip_subnet(&c, 25, 1) == addr_of("10.0.1.128"));
	assert_true(wl_ip_hosts(4, 25) == 126);
	assert_true(wl_ip_subnet_count_m1(&c, 28) == 15);
	assert_true(wl_ip_subnet(&c, 28, 15) == addr_of("10.0.1.240"));
	/* supernet /23: 10.0.0.0/23 */
	assert_true((c.network & wl_ip_mask(4, 23)) == addr_of("10.0.0.0"));
	/* IPv6 /64 into /66: 4 subnets */
	assert_int_equal(wl_ip_parse("2001:db8::/64", &n, NULL, 0), 0);
	wl_ipcalc(&n, &c);
	assert_true(wl_ip_subnet_count_m1(&c, 66) == 3);
	assert_true(wl_ip_subnet(&c, 66, 1) == addr_of("2001:db8::4000:0:0:0"));
	/* ::/0 into /128: 2^128 subnets, the count saturates */
	assert_int_equal(wl_ip_parse("::/0", &n, NULL, 0), 0);
	wl_ipcalc(&n, &c);
	assert_true(wl_ip_subnet_count_m1(&c, 128) == ~(wl_u128)0);
	assert_true(wl_ip_subnet(&c, 128, 5) == 5);
}

static void test_rfc3021_6164(void **state)
{
	(void)state;
	assert_true(wl_ip_hosts(4, 30) == 2);
	assert_true(wl_ip_hosts(4, 31) == 2);
	assert_true(wl_ip_hosts(4, 32) == 1);
	assert_true(wl_ip_hosts(6, 126) == 3);
	assert_true(wl_ip_hosts(6, 127) == 2);
	assert_true(wl_ip_hosts(6, 128) == 1);
	assert_true(wl_ip_hosts(6, 0) == ~(wl_u128)0);
}

struct kindcase {
	const char *addr, *kind, *rfc;
};

static const struct kindcase kinds[] = {
	{ "10.1.2.3", "private", "RFC 1918" },
	{ "172.31.255.255", "private", "RFC 1918" },
	{ "172.32.0.0", "global", "RFC 791" },
	{ "192.168.100.1", "private", "RFC 1918" },
	{ "127.0.0.1", "loopback", "RFC 1122" },
	{ "169.254.1.1", "link-local", "RFC 3927" },
	{ "224.0.0.251", "multicast", "RFC 5771" },
	{ "239.255.255.250", "multicast", "RFC 2365" },
	{ "192.0.2.1", "documentation", "RFC 5737" },
	{ "198.51.100.7", "documentation", "RFC 5737" },
	{ "203.0.113.200", "documentation", "RFC 5737" },
	{ "100.64.0.1", "shared", "RFC 6598" },
	{ "100.128.0.1", "global", "RFC 791" },
	{ "8.8.8.8", "global", "RFC 791" },
	{ "240.0.0.1", "reserved", "RFC 1112" },
	{ "255.255.255.255", "broadcast", "RFC 919" },
	{ "0.0.0.0", "unspecified", "RFC 1122" },
	{ "0.1.2.3", "reserved", "RFC 791" },
	{ "198.18.0.1", "reserved", "RFC 2544" },
	{ "::1", "loopback", "RFC 4291" },
	{ "::", "unspecified", "RFC 4291" },
	{ "fe80::1", "link-local", "RFC 4291" },
	{ "ff02::fb", "multicast", "RFC 4291" },
	{ "2001:db8::1", "documentation", "RFC 3849" },
	{ "3fff::1", "documentation", "RFC 9637" },
	{ "fd00::1", "unique-local", "RFC 4193" },
	{ "fc00::1", "unique-local", "RFC 4193" },
	{ "::ffff:10.0.0.1", "ipv4-mapped", "RFC 4291" },
	{ "2606:4700::1111", "global", "RFC 4291" },
	{ "2001::1", "global", "RFC 4380" },
	{ "2001:2::1", "reserved", "RFC 2928" },
	{ "4000::1", "reserved", "RFC 4291" },
};

static void test_kinds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		int fam;
		wl_u128 v;
		assert_int_equal(wl_ip_parse_addr(kinds[i].addr, strlen(kinds[i].addr), &fam, &v, NULL, 0), 0);
		const struct wl_ipclass *k = wl_ip_classify(fam, v);
		assert_non_null(k);
		if (strcmp(k->kind, kinds[i].kind) != 0 || strcmp(k->rfc, kinds[i].rfc) != 0)
			fail_msg("%s: %s %s, expected %s %s", kinds[i].addr, k->kind, k->rfc, kinds[i].kind,
				 kinds[i].rfc);
	}
	assert_int_equal(wl_ip4_class(addr_of("10.0.0.1")), 'A');
	assert_int_equal(wl_ip4_class(addr_of("172.16.0.1")), 'B');
	assert_int_equal(wl_ip4_class(addr_of("192.168.0.1")), 'C');
	assert_int_equal(wl_ip4_class(addr_of("224.0.0.1")), 'D');
	assert_int_equal(wl_ip4_class(addr_of("250.0.0.1")), 'E');
}

/* Inputs Python's ipaddress refuses too (ip_interface raises ValueError),
 * plus our stricter refusals (wildcard masks, zone index). */
static const char *const bad[] = {
	"", "300.1.2.3", "10.0.0.0/33", "::g", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "01.2.3.4",
	"1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/0x8", "1.2.3.4/24/24", "1.2.3.4 ", " 1.2.3.4",
	"1..2.3", "256.0.0.0", "1.2.3.4/255.0.255.0", "1.2.3.4/0.0.0.255", "1.2.3.4/255.255.255.256",
	"::/129", "::/-0", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", "12345::", "fe80::1%eth0",
	"2001:db8::/ffff::", "1.2.3.4/1.2.3", "::1/1280", "a.b.c.d", "1.2.3.4\n", "1.2.3.04",
	"/24", "1:2:3:4:5:6:7:8::", "::ffff:1.2.3.256", "0x7f.0.0.1", "127.1",
};

static void test_bad_input(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wl_ipnet n;
		char err[200] = "";
		if (wl_ip_parse(bad[i], &n, err, sizeof err) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_true(err[0] != '\0');
		assert_null(strchr(err, '\n'));
	}
	char err[200];
	struct wl_ipnet n;
	wl_ip_parse("300.1.2.3", &n, err, sizeof err);
	assert_non_null(strstr(err, "300 is more than 255"));
	wl_ip_parse("10.0.0.0/33", &n, err, sizeof err);
	assert_non_null(strstr(err, "0-32"));
	wl_ip_parse("1.2.3.4/0.0.0.255", &n, err, sizeof err);
	assert_non_null(strstr(err, "/24"));
	wl_ip_parse("10.0.0.0/255.0.255.0", &n, err, sizeof err);
	assert_non_null(strstr(err, "contiguous"));
	/* an error text never overflows a small buffer */
	char small[8];
	assert_int_equal(wl_ip_parse("300.300.300.300", &n, small, sizeof small), -1);
	assert_true(strlen(small) < sizeof small);
}

static void test_good_forms(void **state)
{
	(void)state;
	static const char *const good[] = {
		"0.0.0.0", "1.2.3.4/0", "1.2.3.4/032", "::", "::/0", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "64:ff9b::192.0.2.33", "FE80::ABCD", "0001:0002::",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct wl_ipnet n;
		char err[200];
		if (wl_ip_parse(good[i], &n, err, sizeof err) < 0)
			fail_msg("%s: %s", good[i], err);
	}
	struct wl_ipnet n;
	assert_int_equal(wl_ip_parse("1.2.3.4/032", &n, NULL, 0), 0);
	assert_int_equal(n.prefix, 32);
	assert_int_equal(n.prefix_given, 1);
	assert_int_equal(wl_ip_parse("1.2.3.4", &n, NULL, 0), 0);
	assert_int_equal(n.prefix, 32);
	assert_int_equal(n.prefix_given, 0);
	/* RFC 5952 canonical text out */
	char b[WL_IP_STRLEN];
	assert_int_equal(wl_ip_parse("2001:0DB8:0000:0000:0000:0000:0000:0001", &n, NULL, 0), 0);
	wl_ip_str(6, n.addr, b, sizeof b);
	assert_string_equal(b, "2001:db8::1");
}

static void test_numbers(void **state)
{
	(void)state;
	wl_u128 v;
	char b[WL_U128_STRLEN];
	assert_int_equal(wl_u128_parse("340282366920938463463374607431768211455", &v), 0);
	assert_true(v == ~(wl_u128)0);
	wl_u128_str(v, b, sizeof b);
	assert_string_equal(b, "340282366920938463463374607431768211455");
	assert_int_equal(wl_u128_parse("340282366920938463463374607431768211456", &v), -1);
	assert_int_equal(wl_u128_parse("", &v), -1);
	assert_int_equal(wl_u128_parse("+", &v), -1);
	assert_int_equal(wl_u128_parse("12a", &v), -1);
	assert_int_equal(wl_u128_parse("-1", &v), -1);
	assert_int_equal(wl_u128_parse("+7", &v), 0);
	assert_true(v == 7);
	wl_u128_str(0, b, sizeof b);
	assert_string_equal(b, "0");
}

static void test_arithmetic_contains(void **state)
{
	(void)state;
	wl_u128 r;
	assert_int_equal(wl_ip_add(4, addr_of("10.0.0.255"), 1, 0, &r), 0);
	assert_true(r == addr_of("10.0.1.0"));
	assert_int_equal(wl_ip_add(4, addr_of("10.0.1.0"), 257, 1, &r), 0);
	assert_true(r == addr_of("9.255.255.255"));
	assert_int_equal(wl_ip_add(4, addr_of("255.255.255.255"), 1, 0, &r), -1);
	assert_int_equal(wl_ip_add(4, addr_of("0.0.0.0"), 1, 1, &r), -1);
	assert_int_equal(wl_ip_add(6, addr_of("::1"), 0xffff, 0, &r), 0);
	assert_true(r == addr_of("::1:0"));
	assert_int_equal(wl_ip_add(6, ~(wl_u128)0, 1, 0, &r), -1);

	struct wl_ipnet a, b;
	wl_ip_parse("10.0.1.0/24", &a, NULL, 0);
	wl_ip_parse("10.0.1.77", &b, NULL, 0);
	assert_true(wl_ip_contains(&a, &b));
	wl_ip_parse("10.0.1.128/25", &b, NULL, 0);
	assert_true(wl_ip_contains(&a, &b));
	wl_ip_parse("10.0.0.0/23", &b, NULL, 0);
	assert_false(wl_ip_contains(&a, &b));
	wl_ip_parse("10.0.2.0", &b, NULL, 0);
	assert_false(wl_ip_contains(&a, &b));
	wl_ip_parse("::ffff:10.0.1.1", &b, NULL, 0);
	assert_false(wl_ip_contains(&a, &b));   /* other family: never, as Python */
	wl_ip_parse("::/0", &a, NULL, 0);
	wl_ip_parse("2001:db8::1", &b, NULL, 0);
	assert_true(wl_ip_contains(&a, &b));
}

static void test_plan_single(void **state)
{
	(void)state;
	unsigned p;
	/* the seeds' plans: 10 hosts -> /28 (14 usable), 50 -> /26 (62) */
	assert_int_equal(wl_ip_plan_prefix(4, 10, &p), 0);
	assert_int_equal(p, 28);
	assert_int_equal(wl_ip_plan_prefix(4, 14, &p), 0);
	assert_int_equal(p, 28);
	assert_int_equal(wl_ip_plan_prefix(4, 15, &p), 0);
	assert_int_equal(p, 27);
	assert_int_equal(wl_ip_plan_prefix(4, 50, &p), 0);
	assert_int_equal(p, 26);
	assert_int_equal(wl_ip_plan_prefix(4, 62, &p), 0);
	assert_int_equal(p, 26);
	assert_int_equal(wl_ip_plan_prefix(4, 63, &p), 0);
	assert_int_equal(p, 25);
	assert_int_equal(wl_ip_plan_prefix(4, 1, &p), 0);
	assert_int_equal(p, 30);
	assert_int_equal(wl_ip_plan_prefix(4, 2, &p), 0);
	assert_int_equal(p, 30);
	assert_int_equal(wl_ip_plan_prefix(4, 254, &p), 0);
	assert_int_equal(p, 24);
	assert_int_equal(wl_ip_plan_prefix(4, 4294967294u, &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(wl_ip_plan_prefix(4, 4294967295u, &p), -1);
	assert_int_equal(wl_ip_plan_prefix(6, 3, &p), 0);
	assert_int_equal(p, 126);
	assert_int_equal(wl_ip_plan_prefix(6, 4, &p), 0);
	assert_int_equal(p, 125);

	struct wl_ipnet base;
	struct wl_plan_item it[1];
	wl_u128 want = 10, next;
	int next_ok;
	char err[200];
	wl_ip_parse("192.168.0.0", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, &want, 1, it, &next, &next_ok, err, sizeof err), 0);
	assert_int_equal(it[0].prefix, 28);
	assert_true(it[0].network == addr_of("192.168.0.0"));
	assert_true(next_ok && next == addr_of("192.168.0.16"));
	/* a base off the boundary is aligned up */
	wl_ip_parse("192.168.0.10", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, &want, 1, it, &next, &next_ok, err, sizeof err), 0);
	assert_true(it[0].network == addr_of("192.168.0.16"));
}

static void test_plan_vlsm(void **state)
{
	(void)state;
	struct wl_ipnet base;
	struct wl_plan_item it[4];
	wl_u128 want[4] = { 10, 50, 20, 0 }, next;
	int next_ok;
	char err[200];
	wl_ip_parse("192.168.0.0", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, want, 3, it, &next, &next_ok, err, sizeof err), 0);
	/* largest first: 50 -> .0/26, 20 -> .64/27, 10 -> .96/28 */
	assert_int_equal(it[0].index, 1);
	assert_int_equal(it[0].prefix, 26);
	assert_true(it[0].network == addr_of("192.168.0.0"));
	assert_int_equal(it[1].index, 2);
	assert_int_equal(it[1].prefix, 27);
	assert_true(it[1].network == addr_of("192.168.0.64"));
	assert_int_equal(it[2].index, 0);
	assert_int_equal(it[2].prefix, 28);
	assert_true(it[2].network == addr_of("192.168.0.96"));
	assert_true(next_ok && next == addr_of("192.168.0.112"));
	/* inside a /25 it fits (112 <= 128), inside a /26 it does not */
	wl_ip_parse("192.168.0.0/25", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, want, 3, it, &next, &next_ok, err, sizeof err), 0);
	wl_ip_parse("192.168.0.0/26", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, want, 3, it, &next, &next_ok, err, sizeof err), -1);
	assert_non_null(strstr(err, "does not fit"));
	/* a zero-host segment is an error */
	wl_ip_parse("192.168.0.0", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, want, 4, it, &next, &next_ok, err, sizeof err), -1);
	/* the plan may end exactly at the top of the address space */
	wl_u128 two[2] = { 2, 2 };
	wl_ip_parse("255.255.255.248", &base, NULL, 0);
	assert_int_equal(wl_ip_plan(&base, two, 2, it, &next, &next_ok, err, sizeof err), 0);
	assert_true(it[1].network == addr_of("255.255.255.252"));
	assert_false(next_ok);
	wl_u128 three[3] = { 2, 2, 2 };
	assert_int_equal(wl_ip_plan(&base, three, 3, it, &next, &next_ok, err, sizeof err), -1);
	/* IPv6 */
	wl_ip_parse("2001:db8::/64", &base, NULL, 0);
	wl_u128 v6[2] = { 20, 30 };
	assert_int_equal(wl_ip_plan(&base, v6, 2, it, &next, &next_ok, err, sizeof err), 0);
	assert_int_equal(it[0].prefix, 123);
	assert_true(it[1].network == addr_of("2001:db8::20"));
}

/* ---- the command, its output and exit statuses ---- */

static int run(char *out, size_t outlen, int argc, const char **argv)
{
	return wlt_run_cmd(wl_cmd_ipcalc, out, outlen, argc, argv);
}

#define RUN(out, ...)                                                                                      \
	run(out, sizeof out, (int)(sizeof((const char *[]){ "ipcalc", __VA_ARGS__ }) / sizeof(const char *)), \
	    (const char *[]){ "ipcalc", __VA_ARGS__ })

static void test_command(void **state)
{
	(void)state;
	static char out[1 << 16];
	assert_int_equal(RUN(out, "10.0.1.0/24", "--subnets", "25", "--supernet"), 0);
	assert_non_null(strstr(out, "Hosts:        254"));
	assert_non_null(strstr(out, "Addresses:    256"));
	assert_non_null(strstr(out, "10.0.1.128/25"));
	assert_non_null(strstr(out, "Supernet /23: 10.0.0.0/23"));
	assert_int_equal(RUN(out, "10.0.1.0/24", "-T", "json", "--subnets", "/26", "--supernet", "22"), 0);
	assert_non_null(strstr(out, "\"hosts\":254"));
	assert_non_null(strstr(out, "\"supernet\":\"10.0.0.0/22\""));
	assert_non_null(strstr(out, "\"network\":\"10.0.1.192/26\""));
	assert_int_equal(RUN(out, "10.0.0.0/8", "--subnets", "24", "--max", "4"), 0);
	assert_non_null(strstr(out, "65532 more not shown"));
	assert_int_equal(RUN(out, "10.0.0.255", "+", "1"), 0);
	assert_non_null(strstr(out, "= 10.0.1.0"));
	assert_int_equal(RUN(out, "10.0.1.0", "-", "1"), 0);
	assert_non_null(strstr(out, "= 10.0.0.255"));
	assert_int_equal(RUN(out, "10.0.1.0", "-1"), 0);
	assert_int_equal(RUN(out, "10.0.0.1+5"), 0);
	assert_non_null(strstr(out, "= 10.0.0.6"));
	assert_int_equal(RUN(out, "10.0.1.0/24", "--contains", "10.0.1.77"), 0);
	assert_int_equal(RUN(out, "10.0.1.0/24", "--contains", "10.0.2.1"), 1);
	assert_int_equal(RUN(out, "--plan", "10"), 0);
	assert_non_null(strstr(out, "10 hosts need a /28"));
	assert_non_null(strstr(out, "192.168.0.0/28"));
	assert_int_equal(RUN(out, "--plan", "50", "--base", "192.168.0.0", "-T", "json"), 0);
	assert_non_null(strstr(out, "\"network\":\"192.168.0.0/26\""));
	assert_int_equal(RUN(out, "--plan", "50,20,10"), 0);
	assert_non_null(strstr(out, "192.168.0.96/28"));
	assert_int_equal(RUN(out, "--help"), 0);
	assert_non_null(strstr(out, "usage: wirelab ipcalc"));

	/* bad input: exit 2, nothing on stdout */
	static const char *const bad_args[][4] = {
		{ "300.1.2.3" }, { "10.0.0.0/33" }, { "::g" }, { "" }, { "10.0.0.0/255.0.255.0" },
		{ "10.0.1.0/24", "--subnets", "23" }, { "10.0.1.0/24", "--supernet", "25" },
		{ "10.0.1.0/24", "--contains", "1.2.3" }, { "--plan", "50,,10" }, { "--plan", "abc" },
		{ "--plan", "50", "--base", "300.0.0.0" }, { "255.255.255.255", "+", "1" }, { "1.2.3.4", "5.6.7.8" },
		{ "--bogus" }, { "10.0.0.1", "+", "x" }, { "0.0.0.0/0", "--supernet" },
	};
	for (size_t i = 0; i < sizeof bad_args / sizeof bad_args[0]; i++) {
		const char *argv[6] = { "ipcalc" };
		int argc = 1;
		for (int k = 0; k < 4 && bad_args[i][k]; k++)
			argv[argc++] = bad_args[i][k];
		if (argc == 1)
			argv[argc++] = "";
		int rc = run(out, sizeof out, argc, argv);
		if (rc != 2 || out[0])
			fail_msg("case %zu (%s): rc %d, output '%s'", i, argv[1], rc, out);
	}
	const char *none[] = { "ipcalc" };
	assert_int_equal(run(out, sizeof out, 1, none), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),         cmocka_unit_test(test_seed_example),
		cmocka_unit_test(test_rfc3021_6164),  cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_bad_input),     cmocka_unit_test(test_good_forms),
		cmocka_unit_test(test_numbers),       cmocka_unit_test(test_arithmetic_contains),
		cmocka_unit_test(test_plan_single),   cmocka_unit_test(test_plan_vlsm),
		cmocka_unit_test(test_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
