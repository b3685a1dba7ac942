/* test_ntp.c - the NTP dissector: a client/server pair with offset and delay,
 * kiss-o'-death, control and private modes, extension fields and MACs, wrong
 * sizes and truncation at every offset; with -v the status words of mode 6
 * and the items of mode 7 (values from tshark 4.0 on corpus/ntp captures or
 * on crafted packets it decoded), and hostile item counts and sizes. */
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

/* ---- mode 6 status words and mode 7 items (-v), values as tshark 4.0 shows
 * them on corpus/ntp/ntp-control.pcap and ntp-mode7.pcap ---- */

static void unhex(uint8_t *out, const char *hex, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

/* Dissects one datagram from the server, with -v or without. */
static void one(struct wlt *t, const uint8_t *p, size_t n, int verbose)
{
	struct wl_opts o = { .verbose = verbose };
	wlt_init_opts(t, NULL, &o);
	wlt_udp(t, WL_S2C, 40123, 123, p, n);
	wlt_finish(t);
}

static void one_hex(struct wlt *t, const char *hex, int verbose)
{
	uint8_t p[512];
	size_t n = strlen(hex) / 2;
	assert_true(n <= sizeof p);
	unhex(p, hex, n);
	one(t, p, n, verbose);
}

static void test_control_status(void **state)
{
	(void)state;
	struct wlt t;
	/* ntp-control.pcap frame 2: read variables answered for association 0,
	 * system status 0x0618 (count 394 of text cut to 4 here) */
	uint8_t sys[16] = { 0x16, 0x82, 0, 68, 0x06, 0x18, 0, 0, 0, 0, 0, 4, 'a', '=', '1', 0 };
	one(&t, sys, sizeof sys, 1);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "control", 0);
	assert_string_equal(wlt_field(m, "ntp.flags", 0), "0x16");
	assert_string_equal(wlt_field(m, "ntp.ctrl.sys_status.li", 0), "0");
	assert_string_equal(wlt_field(m, "ntp.ctrl.sys_status.clksrc", 0), "6");
	assert_string_equal(wlt_field(m, "ntp.ctrl.sys_status.count", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.ctrl.sys_status.code", 0), "8");
	assert_null(wlt_field(m, "ntp.ctrl.peer_status.config", 0));
	wlt_free(&t);

	/* without -v: the status word alone, as before */
	one(&t, sys, sizeof sys, 0);
	m = wlt_find(&t, "ntp", "control", 0);
	assert_string_equal(wlt_field(m, "ntp.ctrl.status", 0), "0x618");
	assert_null(wlt_field(m, "ntp.ctrl.sys_status.clksrc", 0));
	assert_null(wlt_field(m, "ntp.flags", 0));
	wlt_free(&t);

	/* frame 4: read status of association 0, then (associd, peer status)
	 * pairs: 48829 is 0x961a (the system peer), 48828 is 0x8011 */
	one_hex(&t, "168100450618000000000008bebd961abebc8011", 1);
	m = wlt_find(&t, "ntp", "control", 0);
	assert_string_equal(wlt_field(m, "ntp.ctrl.sys_status.clksrc", 0), "6");
	assert_string_equal(wlt_field(m, "ntp.ctrl.associd", 1), "48829");
	assert_string_equal(wlt_field(m, "ntp.ctrl.status", 1), "0x961a");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.config", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.authenable", 0), "0");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.reach", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.selection", 0), "6");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.count", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.code", 0), "10");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.selection", 1), "0");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.code", 1), "1");
	wlt_free(&t);

	/* frame 8: read variables of association 48825: a peer status; the
	 * request before it (status 0) has no status bits */
	one_hex(&t, "16820049801100bebd000000", 1);
	m = wlt_find(&t, "ntp", "control", 0);
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.config", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.code", 0), "1");
	assert_null(wlt_field(m, "ntp.ctrl.sys_status.li", 0));
	wlt_free(&t);
	one_hex(&t, "16020049000000bebd000000", 1);
	assert_null(wlt_field(wlt_find(&t, "ntp", "control", 0), "ntp.ctrl.peer_status.config", 0));
	wlt_free(&t);

	/* crafted, checked with tshark: clock status (opcode 4), an error
	 * response, a trap message */
	one_hex(&t, "168400070312000500000002ab00", 1);
	m = wlt_find(&t, "ntp", "control", 0);
	assert_string_equal(wlt_field(m, "ntp.ctrl.clock_status.status", 0), "3");
	assert_string_equal(wlt_field(m, "ntp.ctrl.clock_status.code", 0), "18");
	wlt_free(&t);
	one_hex(&t, "16c200080400000000000000", 1);
	assert_string_equal(wlt_field(wlt_find(&t, "ntp", "control", 0), "ntp.ctrl.err_status", 0), "4");
	wlt_free(&t);
	one_hex(&t, "1687000a9724000700000002657600", 1);
	m = wlt_find(&t, "ntp", "control", 0);
	assert_string_equal(wlt_field(m, "ntp.ctrl.trapmsg", 0), "ev");
	assert_string_equal(wlt_field(m, "ntp.ctrl.peer_status.selection", 0), "7");
	wlt_free(&t);
}

/* ntp-mode7.pcap frames 2, 4, 6: AUTHINFO, LOOP_INFO and GET_KERNEL answers */
static void test_private_counters(void **state)
{
	(void)state;
	struct wlt t;
	one_hex(&t, "9700031c000100240050606a0000000a0000000e0000000000002866000029d3"
		    "00001595000000000000650a", 1);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "private", 0);
	assert_string_equal(wlt_field(m, "ntp.flags", 0), "0x97");
	assert_string_equal(wlt_field(m, "ntp.priv.auth_seq", 0), "0");
	assert_string_equal(wlt_field(m, "ntp.priv.reserved", 0), "0x0");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.item", 0), "");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.timereset", 0), "5267562");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.numkeys", 0), "10");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.keynotfound", 0), "10342");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.keyuncached", 0), "25866");
	assert_non_null(strstr(m->text, "AUTHINFO, 1 item"));
	wlt_free(&t);

	one_hex(&t, "97000308000100180000000000175b0bfffffff79e9700000000001e000001a6", 1);
	m = wlt_find(&t, "ntp", "private", 0);
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.last_offset", 0), "1530635");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.drift_comp", 0), "-35994009600");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.compliance", 0), "30");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.watchdog_timer", 0), "422");
	wlt_free(&t);

	one_hex(&t, "970003260001003c00000140fff79e97000445a20000021c0001000200000006"
		    "000000010200000000000000000000c80200000000000000000000000000000000000000", 1);
	m = wlt_find(&t, "ntp", "private", 0);
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.kernel_offset", 0), "320");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.freq", 0), "-549225");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.maxerror", 0), "279970");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.status", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.shift", 0), "2");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.tolerance", 0), "33554432");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.jitter", 0), "200");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.stbcnt", 0), "0");
	wlt_free(&t);
}

/* The first two items of ntp-mode7.pcap frame 8 (PEER_LIST_SUM). The first
 * item's padding really holds 0x000000c8 and 02 00...: ntpd sent what was in
 * its buffer, and tshark shows those bytes as they are. */
#define PEER_SUM_HDR "970003010002" "0048"
#define PEER_SUM_1 "7f0000017f7f0100007b0a060aff0903000000000000000000000000000007df" \
		   "00000000000000c80200000000000000000000000000000000000000000000000000000000000000"
#define PEER_SUM_2 "84c7b012c0356767007b010a0aff8303000004af0000000000183e0a00001f2b" \
		   "00000000000000000000000000000000000000000000000000000000000000000000000000000000"

static void test_private_peer_summary(void **state)
{
	(void)state;
	struct wlt t;
	one_hex(&t, PEER_SUM_HDR PEER_SUM_1 PEER_SUM_2, 1);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "private", 0);
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.srcaddress", 0), "127.127.1.0");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.reach", 0), "255");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags", 0), "0x9");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags.config", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags.refclock", 0), "1");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags.syspeer", 0), "0");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.hmode", 0), "3");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.dispersion", 0), "2015");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.unused", 0), "000000c8");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.dstaddress6", 0), "200::");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.srcaddress6", 0), "::");
	/* the second: 192.53.103.103, the system peer, on the shortlist */
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.srcaddress", 1), "192.53.103.103");
	assert_string_equal(wlt_field(m, "ntp.stratum", 1), "1");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags", 1), "0x83");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags.syspeer", 1), "1");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.peer.flags.shortlist", 1), "1");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.delay", 1), "1199");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.offset", 1), "1588746");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.dispersion", 1), "7979");
	assert_null(wlt_field(m, "ntp.priv.mode7.item", 2));
	wlt_free(&t);

	/* without -v: the six fields wirelab always showed, nothing new */
	one_hex(&t, PEER_SUM_HDR PEER_SUM_1 PEER_SUM_2, 0);
	m = wlt_find(&t, "ntp", "private", 0);
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.srcaddress", 1), "192.53.103.103");
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.hpoll", 1), "10");
	assert_null(wlt_field(m, "ntp.priv.mode7.reach", 0));
	assert_null(wlt_field(m, "ntp.priv.mode7.item", 0));
	assert_null(wlt_field(m, "ntp.flags", 0));
	assert_null(wlt_field(m, "ntp.priv.auth_seq", 0));
	wlt_free(&t);
}

/* Crafted monlist answers, checked with tshark: the IPv6 addresses of an
 * entry only when its ipv6 flag is set. */
static void test_private_monlist(void **state)
{
	(void)state;
	struct wlt t;
	one_hex(&t, "9700032a00020048"
		    "0000000500000258000001d00000002ac6336407c000020100000003a1120304"
		    "0000000000000000000000000000000000000000000000000000000000000000"
		    "0000000000000000"
		    "0000000500000258000001d00000002a000000000000000000000003a1120304"
		    "0000000100000000"
		    "20010db800000000000000000000000120010db8000000000000000000000002", 1);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "private", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.item", 0), "Monlist Item");
	assert_string_equal(wlt_field(m, "ntp.priv.monlist.remote_address", 0), "198.51.100.7");
	assert_string_equal(wlt_field(m, "ntp.priv.monlist.local_address", 0), "192.0.2.1");
	assert_string_equal(wlt_field(m, "ntp.priv.monlist.port", 0), "41234");
	assert_string_equal(wlt_field(m, "ntp.priv.monlist.ipv6", 1), "0x1");
	assert_string_equal(wlt_field(m, "ntp.priv.monlist.addr6", 0), "2001:db8::1");
	assert_string_equal(wlt_field(m, "ntp.priv.monlist.daddr6", 0), "2001:db8::2");
	assert_null(wlt_field(m, "ntp.priv.monlist.addr6", 1));  /* the first entry is IPv4 */
	assert_true(wlt_note(m, "CVE-2013-5211"));
	wlt_free(&t);
}

/* Hostile mode-7 headers and items: notes, never a read past the packet. */
static void test_private_hostile(void **state)
{
	(void)state;
	struct wlt t;
	uint8_t p[8 + 2 * 72];
	const char *hex = PEER_SUM_HDR PEER_SUM_1 PEER_SUM_2;
	unhex(p, hex, sizeof p);
	/* cut at every byte: an item that does not fit is a malformed note */
	for (size_t n = 8; n < sizeof p; n++) {
		one(&t, p, n, 1);
		const struct wlt_msg *m = wlt_find(&t, "ntp", "private", 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "runs past the packet"));
		assert_true(wlt_count(&t, "ntp", "private") == 1);
		wlt_free(&t);
	}
	/* 4095 items of 4095 bytes announced in 100 */
	uint8_t big[8 + 4095];
	memset(big, 0, sizeof big);
	memcpy(big, "\x97\x00\x03\x01\x0f\xff\x0f\xff", 8);
	one(&t, big, 108, 1);
	assert_true(wlt_note(wlt_find(&t, "ntp", "private", 0), "item 1 of 4095 (4095 bytes) runs past"));
	wlt_free(&t);
	/* items of size 0 */
	big[6] = big[7] = 0;
	one(&t, big, 108, 1);
	assert_true(wlt_note(wlt_find(&t, "ntp", "private", 0), "4095 items of size 0"));
	wlt_free(&t);
	/* 4095 one-byte items, all there: shorter than the layout, bounded work */
	big[7] = 1;
	one(&t, big, sizeof big, 1);
	const struct wlt_msg *m = wlt_find(&t, "ntp", "private", 0);
	assert_true(wlt_note(m, "items of 1 bytes, shorter than the 72"));
	assert_null(wlt_field(m, "ntp.priv.mode7.dstaddress", 0));
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);
	/* a LOOP_INFO item cut to 12 of its 24 bytes: the fields that fit */
	one_hex(&t, "970003080001000c0000000000175b0bfffffff7", 1);
	m = wlt_find(&t, "ntp", "private", 0);
	assert_string_equal(wlt_field(m, "ntp.priv.mode7.last_offset", 0), "1530635");
	assert_null(wlt_field(m, "ntp.priv.mode7.drift_comp", 0));
	wlt_free(&t);
	/* not ntpd's implementation: the header only, as tshark */
	one_hex(&t, "970002080001001800000000", 1);
	m = wlt_find(&t, "ntp", "private", 0);
	assert_null(wlt_field(m, "ntp.priv.numitems", 0));
	assert_null(wlt_field(m, "ntp.priv.mode7.item", 0));
	assert_true(wlt_note(m, "implementation 2"));
	wlt_free(&t);
	/* a control answer whose count runs past the packet, every opcode */
	uint8_t c[16] = { 0x16, 0x80, 0, 1, 0x96, 0x1a, 0, 5, 0, 0, 0x01, 0x00, 'a', 'b', 'c', 'd' };
	for (unsigned op = 0; op < 32; op++) {
		c[1] = (uint8_t)(0x80 | op);
		one(&t, c, sizeof c, 1);
		assert_true(wlt_note(wlt_find(&t, "ntp", "control", 0), "runs past the packet"));
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
		cmocka_unit_test(test_control_status),
		cmocka_unit_test(test_private_counters),
		cmocka_unit_test(test_private_peer_summary),
		cmocka_unit_test(test_private_monlist),
		cmocka_unit_test(test_private_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
