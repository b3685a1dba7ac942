/* test_snmp.c - the SNMP dissector: v1/v2c gets and responses with MIB names
 * and typed values, errors by name, v1 traps, getBulk, v3 discovery, reports
 * and encrypted PDUs, and hostile input (truncation at every offset, lying
 * lengths, OIDs with arcs past 64 bits). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ber_build.h"
#include "wltest.h"

#include "dissect/proto/snmp/snmp.c"

#define CPORT 50000
#define SPORT 1161

#define OID_SYSDESCR "\x2b\x06\x01\x02\x01\x01\x01\x00"
#define OID_SYSUPTIME "\x2b\x06\x01\x02\x01\x01\x03\x00"

/* PDU [tag] { request-id, error-status, error-index, varbinds } */
static void pdu_build(struct bb *out, uint8_t tag, int64_t id, int es, int ei, const struct bb *vbl)
{
	struct bb p = { .n = 0 };
	bb_int(&p, 0x02, id);
	bb_int(&p, 0x02, es);
	bb_int(&p, 0x02, ei);
	bb_wrap(&p, 0x30, vbl);
	bb_wrap(out, tag, &p);
}

static void community_msg(struct bb *out, int version, const char *community, const struct bb *pdu)
{
	struct bb m = { .n = 0 };
	bb_int(&m, 0x02, version);
	bb_str(&m, 0x04, community);
	bb_raw(&m, pdu->d, pdu->n);
	bb_wrap(out, 0x30, &m);
}

static void vb(struct bb *l, const char *oid, size_t oidn, uint8_t vtag, const void *v, size_t vn)
{
	struct bb x = { .n = 0 };
	bb_tlv(&x, 0x06, oid, oidn);
	bb_tlv(&x, vtag, v, vn);
	bb_wrap(l, 0x30, &x);
}

static void udp(struct wlt *t, int dir, const struct bb *b)
{
	wlt_udp(t, dir, CPORT, SPORT, b->d, b->n);
}

static void test_v2c_get(void **state)
{
	(void)state;
	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, OID_SYSDESCR, 8, 0x05, "", 0);
	pdu_build(&p, 0xa0, 1234567, 0, 0, &l);
	community_msg(&b, 1, "public", &p);
	struct wlt t;
	wlt_init(&t, NULL);
	udp(&t, WL_C2S, &b);
	udp(&t, WL_C2S, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "snmp", "get-request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.version", 0), "1");
	assert_string_equal(wlt_field(m, "snmp.community", 0), "public");
	assert_string_equal(wlt_field(m, "snmp.data", 0), "0");
	assert_string_equal(wlt_field(m, "snmp.request_id", 0), "1234567");
	assert_string_equal(wlt_field(m, "snmp.error_status", 0), "0");
	assert_string_equal(wlt_field(m, "snmp.name", 0), "1.3.6.1.2.1.1.1.0");
	assert_string_equal(wlt_field(m, "wl.snmp.name_text", 0), "SNMPv2-MIB::sysDescr.0");
	assert_non_null(strstr(m->text, "SNMPv2-MIB::sysDescr.0"));
	assert_true(wlt_note(m, "community string \"public\" sent in clear text"));
	/* the lesson is given once per flow */
	m = wlt_find(&t, "snmp", "get-request", 1);
	assert_non_null(m);
	assert_false(wlt_note(m, "clear text"));
	wlt_free(&t);
}

static void test_response_values(void **state)
{
	(void)state;
	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, OID_SYSDESCR, 8, 0x04, "Linux lab", 9);
	vb(&l, OID_SYSUPTIME, 8, 0x43, "\x01\xe2\x40", 3);  /* 123456 */
	vb(&l, "\x2b\x06\x01\x02\x01\x01\x02\x00", 8, 0x06, "\x2b\x06\x01\x04\x01\xbf\x08\x03\x02\x0a", 10);
	vb(&l, "\x2b\x06\x01\x02\x01\x02\x02\x01\x0a\x01", 10, 0x41, "\x00\xff\xff\xff\xff", 5);
	vb(&l, "\x2b\x06\x01\x02\x01\x1f\x01\x01\x01\x06\x01", 11, 0x46,
	   "\x01\x00\x00\x00\x00\x00\x00\x00\x00", 9);  /* Counter64 2^64? no: 9 bytes = overflow */
	vb(&l, "\x2b\x06\x01\x02\x01\x04\x14\x01\x01\x7f\x00\x00\x01", 13, 0x40, "\x7f\x00\x00\x01", 4);
	vb(&l, "\x2b\x06\x01\x02\x01\x01\x63\x00", 8, 0x80, "", 0);
	vb(&l, "\x2b\x06\x01\x02\x01\x01\x07\x00", 8, 0x02, "\x48", 1);
	vb(&l, "\x2b\x06\x01\x02\x01\x02\x02\x01\x06\x01", 10, 0x04, "\x08\x00\x27\x00\xe6\xbc", 6);
	vb(&l, "\x2b\x06\x01\x02\x01\x02\x01\x00", 8, 0x82, "", 0);
	pdu_build(&p, 0xa2, 7, 0, 0, &l);
	community_msg(&b, 1, "public", &p);
	struct wlt t;
	wlt_init(&t, NULL);
	udp(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "snmp", "get-response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.value.octets", 0), "4c696e7578206c6162");
	assert_true(wlt_note(m, "SNMPv2-MIB::sysDescr.0 = STRING: \"Linux lab\""));
	assert_string_equal(wlt_field(m, "snmp.value.timeticks", 0), "123456");
	assert_true(wlt_note(m, "Timeticks: (123456) 0:20:34.56"));
	assert_string_equal(wlt_field(m, "snmp.value.oid", 0), "1.3.6.1.4.1.8072.3.2.10");
	assert_true(wlt_note(m, "OID: SNMPv2-SMI::enterprises.8072.3.2.10"));
	assert_string_equal(wlt_field(m, "snmp.value.counter", 0), "4294967295");
	assert_true(wlt_note(m, "IF-MIB::ifInOctets.1 = Counter32: 4294967295"));
	assert_true(wlt_note(m, "does not fit 64 bits"));
	assert_string_equal(wlt_field(m, "snmp.value.ipv4", 0), "127.0.0.1");
	assert_true(wlt_note(m, "No Such Object"));
	assert_string_equal(wlt_field(m, "snmp.value.int", 0), "72");
	assert_true(wlt_note(m, "Hex-STRING: 08 00 27 00 E6 BC"));
	assert_non_null(wlt_field(m, "snmp.endOfMibView", 0));
	assert_true(wlt_note(m, "past the end of the MIB tree"));
	assert_int_equal(wlt_count(&t, "snmp", NULL), 1);
	wlt_free(&t);
}

static void test_errors_trap_bulk(void **state)
{
	(void)state;
	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, "\x2b\x06\x01\x02\x01\x01\x63\x00", 8, 0x05, "", 0);
	pdu_build(&p, 0xa2, 9, 2, 1, &l);
	community_msg(&b, 0, "public", &p);
	struct wlt t;
	wlt_init(&t, NULL);
	udp(&t, WL_S2C, &b);

	/* v1 trap: enterprise, agent-addr, generic, specific, time-stamp, varbinds */
	struct bb tr = { .n = 0 }, tl = { .n = 0 }, tm = { .n = 0 };
	BB_OID(&tr, "\x2b\x06\x01\x04\x01\x81\xf4\x69");
	bb_tlv(&tr, 0x40, "\x0a\x00\x00\x01", 4);
	bb_int(&tr, 0x02, 3);
	bb_int(&tr, 0x02, 0);
	bb_tlv(&tr, 0x43, "\x64", 1);
	vb(&tl, "\x2b\x06\x01\x02\x01\x02\x02\x01\x01\x02", 10, 0x02, "\x02", 1);
	bb_wrap(&tr, 0x30, &tl);
	struct bb trp = { .n = 0 };
	bb_wrap(&trp, 0xa4, &tr);
	community_msg(&tm, 0, "public", &trp);
	wlt_udp(&t, WL_C2S, CPORT + 1, 162, tm.d, tm.n);

	/* getBulk: non-repeaters and max-repetitions, no error_status */
	struct bb bl = { .n = 0 }, bp = { .n = 0 }, bm = { .n = 0 };
	vb(&bl, "\x2b\x06\x01\x02\x01\x01", 6, 0x05, "", 0);
	pdu_build(&bp, 0xa5, 11, 0, 10, &bl);
	community_msg(&bm, 1, "public", &bp);
	wlt_udp(&t, WL_C2S, CPORT + 2, 161, bm.d, bm.n);
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "snmp", "get-response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.error_status", 0), "2");
	assert_string_equal(wlt_field(m, "snmp.error_index", 0), "1");
	assert_non_null(strstr(m->text, "noSuchName"));
	assert_true(wlt_note(m, "noSuchName (2) at variable 1"));
	m = wlt_find(&t, "snmp", "trap", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.enterprise", 0), "1.3.6.1.4.1.31337");
	assert_string_equal(wlt_field(m, "snmp.agent_addr", 0), "10.0.0.1");
	assert_string_equal(wlt_field(m, "snmp.generic_trap", 0), "3");
	assert_null(wlt_field(m, "snmp.request_id", 0));
	assert_non_null(strstr(m->text, "linkUp"));
	assert_true(wlt_note(m, "IF-MIB::ifIndex.2 = INTEGER: 2"));
	m = wlt_find(&t, "snmp", "getBulkRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.max_repetitions", 0), "10");
	assert_null(wlt_field(m, "snmp.error_status", 0));
	assert_string_equal(wlt_field(m, "wl.snmp.name_text", 0), "SNMPv2-MIB::system");
	wlt_free(&t);
}

/* v3: header, USM parameters, then a plaintext scoped PDU or encrypted bytes */
static void v3_msg(struct bb *out, int flags, const char *engine, size_t en, const char *user,
		   const struct bb *scoped_or_null, const char *enc, size_t encn)
{
	struct bb m = { .n = 0 }, g = { .n = 0 }, usm = { .n = 0 }, sec = { .n = 0 };
	bb_int(&m, 0x02, 3);
	bb_int(&g, 0x02, 4242);
	bb_int(&g, 0x02, 65507);
	uint8_t f = (uint8_t)flags;
	bb_tlv(&g, 0x04, &f, 1);
	bb_int(&g, 0x02, 3);
	bb_wrap(&m, 0x30, &g);
	bb_tlv(&usm, 0x04, engine, en);
	bb_int(&usm, 0x02, 1);
	bb_int(&usm, 0x02, 77);
	bb_str(&usm, 0x04, user);
	bb_tlv(&usm, 0x04, (flags & 1) ? "123456789012" : "", (flags & 1) ? 12 : 0);
	bb_tlv(&usm, 0x04, (flags & 2) ? "saltsalt" : "", (flags & 2) ? 8 : 0);
	bb_wrap(&sec, 0x30, &usm);
	bb_wrap(&m, 0x04, &sec);
	if (scoped_or_null)
		bb_raw(&m, scoped_or_null->d, scoped_or_null->n);
	else
		bb_tlv(&m, 0x04, enc, encn);
	bb_wrap(out, 0x30, &m);
}

static void test_v3(void **state)
{
	(void)state;
	const char engine[] = "\x80\x00\x1f\x88\x04lab-snmpd";
	struct bb l = { .n = 0 }, p = { .n = 0 }, sc = { .n = 0 }, sp_ = { .n = 0 }, b = { .n = 0 };
	vb(&l, "\x2b\x06\x01\x06\x03\x0f\x01\x01\x04\x00", 10, 0x41, "\x01", 1);
	pdu_build(&p, 0xa8, 99, 0, 0, &l);
	bb_tlv(&sp_, 0x04, engine, sizeof engine - 1);
	bb_str(&sp_, 0x04, "");
	bb_raw(&sp_, p.d, p.n);
	bb_wrap(&sc, 0x30, &sp_);
	v3_msg(&b, 0, engine, sizeof engine - 1, "", &sc, NULL, 0);
	struct wlt t;
	wlt_init(&t, NULL);
	udp(&t, WL_S2C, &b);
	b.n = 0;
	v3_msg(&b, 7, engine, sizeof engine - 1, "labuser", NULL, "\xde\xad\xbe\xef", 4);
	udp(&t, WL_C2S, &b);
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "snmp", "report", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.msgVersion", 0), "3");
	assert_null(wlt_field(m, "snmp.version", 0));
	assert_string_equal(wlt_field(m, "snmp.msgID", 0), "4242");
	assert_string_equal(wlt_field(m, "snmp.msgMaxSize", 0), "65507");
	assert_string_equal(wlt_field(m, "snmp.msgFlags", 0), "00");
	assert_string_equal(wlt_field(m, "snmp.msgSecurityModel", 0), "3");
	assert_string_equal(wlt_field(m, "snmp.msgAuthoritativeEngineID", 0), "80001f88046c61622d736e6d7064");
	assert_string_equal(wlt_field(m, "snmp.engineid.format", 0), "4");
	assert_string_equal(wlt_field(m, "snmp.engineid.enterprise", 0), "8072");
	assert_string_equal(wlt_field(m, "snmp.engineid.text", 0), "lab-snmpd");
	assert_string_equal(wlt_field(m, "snmp.msgAuthoritativeEngineBoots", 0), "1");
	assert_string_equal(wlt_field(m, "snmp.msgAuthoritativeEngineTime", 0), "77");
	assert_string_equal(wlt_field(m, "snmp.data", 0), "8");
	assert_string_equal(wlt_field(m, "wl.snmp.name_text", 0), "SNMP-USER-BASED-SM-MIB::usmStatsUnknownEngineIDs.0");
	m = wlt_find(&t, "snmp", "encryptedPDU", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.msgFlags", 0), "07");
	assert_string_equal(wlt_field(m, "snmp.v3.flags.crypt", 0), "1");
	assert_string_equal(wlt_field(m, "snmp.msgUserName", 0), "labuser");
	assert_string_equal(wlt_field(m, "snmp.encryptedPDU", 0), "deadbeef");
	assert_string_equal(wlt_field(m, "snmp.msgAuthenticationParameters", 0), "313233343536373839303132");
	assert_true(wlt_note(m, "authPriv"));
	assert_non_null(strstr(m->text, "labuser"));
	wlt_free(&t);
}

static void test_truncation_loop(void **state)
{
	(void)state;
	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, OID_SYSDESCR, 8, 0x04, "Linux lab", 9);
	vb(&l, OID_SYSUPTIME, 8, 0x43, "\x01\xe2\x40", 3);
	pdu_build(&p, 0xa2, 7, 0, 0, &l);
	community_msg(&b, 1, "public", &p);
	for (size_t cut = 0; cut < b.n; cut++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_S2C, CPORT, SPORT, b.d, cut);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "snmp", NULL, 0);
		if (cut > 0) {
			assert_non_null(m);
			assert_true(wlt_note(m, "malformed"));
		}
		wlt_free(&t);
	}
	/* the same for a v3 message */
	const char engine[] = "\x80\x00\x1f\x88\x04lab";
	b.n = 0;
	v3_msg(&b, 3, engine, sizeof engine - 1, "u", NULL, "\x01\x02", 2);
	for (size_t cut = 1; cut < b.n; cut++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_C2S, CPORT, SPORT, b.d, cut);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "snmp", NULL, 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "malformed"));
		wlt_free(&t);
	}
}

static void test_hostile(void **state)
{
	(void)state;
	struct wlt t;
	/* OID arc past 64 bits, a varbind length past its list, a wrong version */
	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, "\x2b\x82\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11, 0x05, "", 0);
	pdu_build(&p, 0xa0, 1, 0, 0, &l);
	community_msg(&b, 1, "public", &p);
	wlt_init(&t, NULL);
	udp(&t, WL_C2S, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "snmp", "get-request", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed"));
	wlt_free(&t);

	const uint8_t *cases[] = {
		(const uint8_t *)"\x30\x03\x02\x01\x07",                      /* version 7 */
		(const uint8_t *)"\x30\x0b\x02\x01\x01\x04\x06public",         /* no PDU */
		(const uint8_t *)"\x30\x0d\x02\x01\x01\x04\x7fpublic\xa0\x00", /* community too long */
		(const uint8_t *)"\x30\x80\x02\x01\x01\x00\x00",              /* indefinite */
		(const uint8_t *)"\x30\x00",
		(const uint8_t *)"\x30\x10\x02\x01\x01\x04\x00\xa0\x09\x02\x01\x01\x02\x01\x00\x02\x01\x00",
	};
	const size_t lens[] = { 5, 13, 15, 7, 2, 18 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_C2S, CPORT, SPORT, cases[i], lens[i]);
		wlt_finish(&t);
		m = wlt_find(&t, "snmp", NULL, 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "malformed"));
		wlt_free(&t);
	}
}

/* tshark prints an empty OCTET STRING value as "<MISSING>" (snmpwalk-short.pcap
 * frame 110, snmpv3_get_next.pcap frame 4); the value is the empty string,
 * which is what wirelab emits: the two fieldcheck mismatches are tshark's. */
static void test_empty_octets(void **state)
{
	(void)state;
	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, "\x2b\x06\x01\x02\x01\x01\x06\x00", 8, 0x04, "", 0);
	pdu_build(&p, 0xa2, 1, 0, 0, &l);
	community_msg(&b, 1, "", &p);
	struct wlt t;
	wlt_init(&t, NULL);
	udp(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "snmp", "get-response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "snmp.value.octets", 0), "");
	assert_null(wlt_field(m, "snmp.community", 0));  /* empty: tshark prints nothing */
	assert_true(wlt_note(m, "SNMPv2-MIB::sysLocation.0 = STRING: \"\""));
	wlt_free(&t);
}

static void test_builtin_names_and_probe(void **state)
{
	(void)state;
	char out[128];
	assert_true(builtin_name("1.3.6.1.2.1.1.5.0", out, sizeof out));
	assert_string_equal(out, "SNMPv2-MIB::sysName.0");
	assert_true(builtin_name("1.3.6.1.4.1.8072.3.2.10", out, sizeof out));
	assert_string_equal(out, "SNMPv2-SMI::enterprises.8072.3.2.10");
	assert_false(builtin_name("1.3.6.1.2.10", out, sizeof out));
	assert_false(builtin_name("1.3.6.1.2.1.11", out, sizeof out) && !strncmp(out, "SNMPv2-MIB::system", 18));

	struct bb l = { .n = 0 }, p = { .n = 0 }, b = { .n = 0 };
	vb(&l, OID_SYSDESCR, 8, 0x05, "", 0);
	pdu_build(&p, 0xa0, 1, 0, 0, &l);
	community_msg(&b, 0, "public", &p);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, CPORT, 16100, b.d, b.n);  /* no port rule: the probe */
	wlt_finish(&t);
	assert_non_null(wlt_find(&t, "snmp", "get-request", 0));
	wlt_free(&t);
}

/* RFC 3414 A.3.2: "maplesyrup" with SHA, then localized to engine ID
 * 00 00 00 00 00 00 00 00 00 00 00 02. */
static void test_key_localization(void **state)
{
	(void)state;
	static const uint8_t ku_want[20] = { 0x9f, 0xb5, 0xcc, 0x03, 0x81, 0x49, 0x7b, 0x37, 0x93, 0x52,
					     0x89, 0x39, 0xff, 0x78, 0x8d, 0x5d, 0x79, 0x14, 0x52, 0x11 };
	static const uint8_t kul_want[20] = { 0x66, 0x95, 0xfe, 0xbc, 0x92, 0x88, 0xe3, 0x62, 0x82, 0x23,
					      0x5f, 0xc7, 0x15, 0x1f, 0x12, 0x84, 0x97, 0xb3, 0x8f, 0x3f };
	static const uint8_t eid[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	uint8_t ku[20], kul[20];
	assert_int_equal(pw_to_key("maplesyrup", ku), 0);
	assert_memory_equal(ku, ku_want, 20);
	struct bstr e = { eid, sizeof eid };
	assert_int_equal(localize(ku, e, kul), 0);
	assert_memory_equal(kul, kul_want, 20);
}

/* An authPriv message encrypted here with the lab user's keys, decrypted by
 * the dissector under --snmp-user; a wrong password says so. */
static void test_v3_decryption(void **state)
{
	(void)state;
	const char engine[] = "\x80\x00\x1f\x88\x04lab-snmpd";
	struct bb l = { .n = 0 }, p = { .n = 0 }, sc = { .n = 0 }, spdu = { .n = 0 }, b = { .n = 0 };
	vb(&l, OID_SYSDESCR, 8, 0x05, "", 0);
	pdu_build(&p, 0xa0, 31337, 0, 0, &l);
	bb_tlv(&spdu, 0x04, engine, sizeof engine - 1);
	bb_str(&spdu, 0x04, "");
	bb_raw(&spdu, p.d, p.n);
	bb_wrap(&sc, 0x30, &spdu);
	uint8_t ku[20], kul[20], iv[16] = { 0, 0, 0, 1, 0, 0, 0, 77 }, enc[512];
	struct bstr e = { (const uint8_t *)engine, sizeof engine - 1 };
	assert_int_equal(pw_to_key("labprivpass", ku), 0);
	assert_int_equal(localize(ku, e, kul), 0);
	memcpy(iv + 8, "saltsalt", 8);  /* v3_msg: boots 1, time 77, salt */
	EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	assert_true(EVP_EncryptInit_ex(cx, EVP_aes_128_cfb128(), NULL, kul, iv));
	assert_true(EVP_EncryptUpdate(cx, enc, &n1, sc.d, (int)sc.n));
	assert_true(EVP_EncryptFinal_ex(cx, enc + n1, &n2));
	EVP_CIPHER_CTX_free(cx);
	v3_msg(&b, 7, engine, sizeof engine - 1, "labuser", NULL, (const char *)enc, (size_t)(n1 + n2));

	struct wl_opts o = { .snmp_user = "labuser:labauthpass:labprivpass" };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	udp(&t, WL_C2S, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "snmp", "encryptedPDU", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "decrypted with the --snmp-user keys"));
	assert_string_equal(wlt_field(m, "snmp.request_id", 0), "31337");
	assert_string_equal(wlt_field(m, "wl.snmp.name_text", 0), "SNMPv2-MIB::sysDescr.0");
	assert_non_null(strstr(m->text, "decrypted: get-request"));
	wlt_free(&t);

	struct wl_opts bad = { .snmp_user = "labuser:labauthpass:wrongpass" };
	wlt_init_opts(&t, NULL, &bad);
	udp(&t, WL_C2S, &b);
	wlt_finish(&t);
	m = wlt_find(&t, "snmp", "encryptedPDU", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "wrong privacy password"));
	assert_null(wlt_field(m, "snmp.request_id", 0));
	wlt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2c_get),
		cmocka_unit_test(test_response_values),
		cmocka_unit_test(test_errors_trap_bulk),
		cmocka_unit_test(test_v3),
		cmocka_unit_test(test_truncation_loop),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_empty_octets),
		cmocka_unit_test(test_builtin_names_and_probe),
		cmocka_unit_test(test_key_localization),
		cmocka_unit_test(test_v3_decryption),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
