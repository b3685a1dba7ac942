/* test_ntp.c - the NTP dissector: a client/server pair with offset and delay,
 * kiss-o'-death, control and private modes, extension fields and MACs, wrong
 * sizes and truncation at every offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wltest.h"

#define NTP_1970 2208988800ULL

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void put_ts(uint8_t *p, uint64_t unix_s, uint32_t frac)
{
	put32(p, (uint32_t)(unix_s + NTP_1970));
	put32(p + 4, frac);
}

/* The harness stamps packets 1 ms apart from 1700000000 s: the request goes
 * out at +1 ms (after nothing else), the response is captured at +2 ms. */
static void client_req(uint8_t p[48], uint64_t t1_s)
{
	memset(p, 0, 48);
	p[0] = 0x23;                     /* LI 0, VN 4, mode 3 */
	put_ts(p + 40, t1_s, 0x80000000u);
}

static void server_resp(uint8_t p[48], const uint8_t req[48])
{
	memset(p, 0, 48);
	p[0] = 0x24;                     /* LI 0, VN 4, mode 4 */
	p[1] = 2;                        /* stratum */
	p[2] = 6;
	p[3] = 0xE6;                     /* precision -26 */
	put32(p + 4, 0x00010000);        /* root delay 1 s */
	put32(p + 8, 0x00008000);        /* root dispersion 0.5 s */
	p[12] = 192; p[13] = 0; p[14] = 2; p[15] = 7;
	put_ts(p + 16, 1700000000ULL - 60, 0);
	memcpy(p + 24, req + 40, 8);     /* origin = client's transmit */
	put_ts(p + 32, 1700000000ULL, 0x80000000u); /* T2 */
	put_ts(p + 40, 1700000000ULL, 0x80000000u); /* T3 */
}

static void test_pair(void **state)
{
	(void)state;
	uint8_t req[48], resp[48];
	/* T1 = 1700000000.5 although the request is captured at 1700000000.001 */
	client_req(req, 1700000000ULL);
	server_resp(resp, req);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, req, 48);
	wlt_udp(&t, WL_S2C, 40123, 123, resp, 48);
	wlt_finish(&t);
	const struct wlt_msg *q = wlt_find(&t, "ntp", "client", 0);
	assert_non_null(q);
	assert_string_equal(wlt_field(q, "ntp.flags.vn", 0), "4");
	assert_string_equal(wlt_field(q, "ntp.flags.mode", 0), "3");
	assert_string_equal(wlt_field(q, "ntp.xmt", 0), "2023-11-14T22:13:20.500000000Z");
	assert_string_equal(wlt_field(q, "ntp.org", 0), "NULL");  /* all-zero: tshark says NULL */
	const struct wlt_msg *r = wlt_find(&t, "ntp", "server", 0);
	assert_non_null(r);
	assert_string_equal(wlt_field(r, "ntp.stratum", 0), "2");
	assert_string_equal(wlt_field(r, "ntp.precision", 0), "230");
	assert_string_equal(wlt_field(r, "ntp.refid", 0), "c0000207");
	assert_string_equal(wlt_field(r, "wl.ntp.refid", 0), "192.0.2.7");
	assert_string_equal(wlt_field(r, "ntp.rootdelay", 0), "65536");
	assert_string_equal(wlt_field(r, "ntp.org", 0), "2023-11-14T22:13:20.500000000Z");
	assert_string_equal(wlt_field(r, "wl.ntp.request_in", 0), "1");
	/* T1 = .5, T2 = T3 = .5, T4 = .002: offset (0 + .498)/2 = .249, delay -.498 */
	double off = strtod(wlt_field(r, "wl.ntp.offset", 0), NULL);
	double del = strtod(wlt_field(r, "wl.ntp.delay", 0), NULL);
	assert_true(off > 0.2489 && off < 0.2491);
	assert_true(del > -0.4981 && del < -0.4979);
	assert_true(wlt_note(r, "offset = ((T2 - T1) + (T3 - T4)) / 2"));
	assert_true(wlt_note(r, "origin timestamp, echoed"));
	assert_non_null(strstr(r->text, "stratum 2"));
	wlt_free(&t);
}

/* Stratum 10 with refid 127.127.1.1: ntpd's local clock (LOCL), not a
 * server synchronized over the network (issue 25 item 8). */
static void test_local_clock(void **state)
{
	(void)state;
	uint8_t req[48], resp[48];
	client_req(req, 1700000000ULL);
	server_resp(resp, req);
	resp[1] = 10;
	resp[12] = 127; resp[13] = 127; resp[14] = 1; resp[15] = 1;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, req, 48);
	wlt_udp(&t, WL_S2C, 40123, 123, resp, 48);
	wlt_finish(&t);
	const struct wlt_msg *r = wlt_find(&t, "ntp", "server", 0);
	assert_non_null(r);
	assert_string_equal(wlt_field(r, "ntp.stratum", 0), "10");
	assert_true(wlt_note(r, "its reference is a local clock"));
	assert_true(wlt_note(r, "LOCL"));
	assert_false(wlt_note(r, "synchronized over the network"));
	wlt_free(&t);

	server_resp(resp, req);  /* stratum 2 from a network peer: says so */
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, req, 48);
	wlt_udp(&t, WL_S2C, 40123, 123, resp, 48);
	wlt_finish(&t);
	assert_true(wlt_note(wlt_find(&t, "ntp", "server", 0), "synchronized over the network"));
	wlt_free(&t);
}

static void test_random_t1_and_kod(void **state)
{
	(void)state;
	uint8_t req[48], resp[48];
	client_req(req, 1000000000ULL);  /* a transmit time years off: chrony's random T1 */
	server_resp(resp, req);
	resp[1] = 0;                     /* stratum 0 + "RATE" */
	memcpy(resp + 12, "RATE", 4);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, req, 48);
	wlt_udp(&t, WL_S2C, 40123, 123, resp, 48);
	wlt_finish(&t);
	const struct wlt_msg *r = wlt_find(&t, "ntp", "server", 0);
	assert_true(wlt_note(r, "kiss-o'-death"));
	assert_true(wlt_note(r, "RATE: rate exceeded"));
	assert_string_equal(wlt_field(r, "wl.ntp.refid", 0), "RATE");
	assert_true(wlt_note(r, "random"));
	wlt_free(&t);
}

static void test_eras(void **state)
{
	(void)state;
	uint8_t p[48];
	memset(p, 0, 48);
	p[0] = 0x24;
	put32(p + 40, 0x20202020);       /* top bit clear: era 1, in 2053 */
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_S2C, 40123, 123, p, 48);
	wlt_finish(&t);
	const char *x = wlt_field(wlt_find(&t, "ntp", NULL, 0), "ntp.xmt", 0);
	assert_non_null(x);
	assert_memory_equal(x, "2053-03-07", 10);
	wlt_free(&t);
}

static void test_extensions_and_mac(void **state)
{
	(void)state;
	uint8_t p[48 + 16 + 4 + 20];
	client_req(p, 1700000000ULL);
	uint8_t *e = p + 48;
	e[0] = 0x01; e[1] = 0x04; e[2] = 0; e[3] = 16;   /* NTS unique identifier, 16 bytes */
	memset(e + 4, 0xAB, 12);
	put32(p + 64, 7);                                 /* key id */
	memset(p + 68, 0xCD, 20);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, p, sizeof p);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "client", 0);
	assert_string_equal(wlt_field(m, "ntp.ext.type", 0), "0x104");
	assert_string_equal(wlt_field(m, "ntp.ext.length", 0), "16");
	assert_string_equal(wlt_field(m, "ntp.keyid", 0), "00000007");
	assert_true(wlt_note(m, "NTS unique identifier"));
	assert_true(wlt_note(m, "20-byte MAC"));
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* an extension field with a bad length */
	e[3] = 7;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, p, sizeof p);
	wlt_finish(&t);
	assert_true(wlt_note(wlt_find(&t, "ntp", "client", 0), "extension field length 7"));
	wlt_free(&t);

	/* one that runs past the packet */
	e[2] = 0x10; e[3] = 0;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40123, 123, p, sizeof p);
	wlt_finish(&t);
	assert_true(wlt_note(wlt_find(&t, "ntp", "client", 0), "runs past the packet"));
	wlt_free(&t);
}

static void test_control_and_private(void **state)
{
	(void)state;
	uint8_t c[12 + 8] = { 0x16, 0x82, 0, 68, 0x06, 0x18, 0, 0, 0, 0, 0, 8 };
	memcpy(c + 12, "version=", 8);
	uint8_t pr[8 + 72];
	memset(pr, 0, sizeof pr);
	pr[0] = 0x97; pr[2] = 3; pr[3] = 1; pr[5] = 1; pr[7] = 72;  /* PEER_LIST_SUM, 1 item */
	pr[8] = 127; pr[11] = 1; pr[12] = 127; pr[13] = 127; pr[14] = 1;
	pr[18] = 10; pr[19] = 6; pr[20] = 10;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_S2C, 40123, 123, c, sizeof c);
	wlt_udp(&t, WL_S2C, 40123, 123, pr, sizeof pr);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "control", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ntp.ctrl.flags2.opcode", 0), "2");
	assert_string_equal(wlt_field(m, "ntp.ctrl.sequence", 0), "68");
	assert_string_equal(wlt_field(m, "wl.ntp.ctrl.data", 0), "version=");
	assert_non_null(strstr(m->text, "read variables"));
	m = wlt_find(&t, "ntp", "private", 0);
	assert_non_null(m);
	assert_null(wlt_field(m, "ntp.flags.li", 0));
	assert_string_equal(wlt_field(m, "ntp.stratum", 0), "10");
	assert_string_equal(wlt_field(m, "ntp.ppoll", 0), "10");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.srcaddress", 0), "127.127.1.0");
	wlt_free(&t);
}

static void test_wrong_sizes(void **state)
{
	(void)state;
	uint8_t req[48], resp[48];
	client_req(req, 1700000000ULL);
	server_resp(resp, req);
	for (size_t n = 0; n < 48; n++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_S2C, 40123, 123, resp, n);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "ntp", NULL, 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "malformed"));
		wlt_free(&t);
	}
	/* 48 + 2 stray bytes: not a key id */
	uint8_t big[50];
	memcpy(big, resp, 48);
	big[48] = big[49] = 0;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_S2C, 40123, 123, big, sizeof big);
	wlt_finish(&t);
	assert_true(wlt_note(wlt_find(&t, "ntp", NULL, 0), "2 stray bytes"));
	wlt_free(&t);
	/* control and private messages cut at every byte */
	uint8_t c[12] = { 0x16, 0x82, 0, 68, 0x06, 0x18, 0, 0, 0, 0, 0x01, 0x00 };
	for (size_t n = 1; n <= sizeof c; n++) {
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_S2C, 40123, 123, c, n);  /* count 256: never enough */
		wlt_finish(&t);
		assert_true(wlt_note(wlt_find(&t, "ntp", "control", 0), "malformed"));
		wlt_free(&t);
	}
	uint8_t pr[8] = { 0x97, 0, 3, 1, 0, 1, 0, 72 };
	for (size_t n = 1; n < sizeof pr; n++) {
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_S2C, 40123, 123, pr, n);
		wlt_finish(&t);
		assert_true(wlt_note(wlt_find(&t, "ntp", "private", 0), "malformed"));
		wlt_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair),
		cmocka_unit_test(test_local_clock),
		cmocka_unit_test(test_random_t1_and_kod),
		cmocka_unit_test(test_eras),
		cmocka_unit_test(test_extensions_and_mac),
		cmocka_unit_test(test_control_and_private),
		cmocka_unit_test(test_wrong_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
