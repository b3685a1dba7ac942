/* test_dns.c - the DNS dissector: hand-built messages over UDP and TCP, every
 * common record type, pairing, and hostile input (compression loops, forward
 * pointers, labels over 63, names over 255, counts past the end, RDLENGTH
 * lies, TCP length prefixes that lie, truncation at every offset). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "wltest.h"

struct b {
	uint8_t d[2048];
	size_t n;
};

static void u8(struct b *b, unsigned v) { b->d[b->n++] = (uint8_t)v; }
static void u16(struct b *b, unsigned v) { u8(b, v >> 8); u8(b, v & 0xFF); }
static void u32(struct b *b, uint32_t v) { u16(b, v >> 16); u16(b, v & 0xFFFF); }
static void raw(struct b *b, const void *p, size_t n) { memcpy(b->d + b->n, p, n); b->n += n; }

static void name(struct b *b, const char *s)
{
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		u8(b, (unsigned)n);
		raw(b, s, n);
		s += n + (dot ? 1 : 0);
	}
	u8(b, 0);
}

static void hdr(struct b *b, unsigned id, unsigned flags, unsigned qd, unsigned an, unsigned ns, unsigned ar)
{
	b->n = 0;
	u16(b, id); u16(b, flags); u16(b, qd); u16(b, an); u16(b, ns); u16(b, ar);
}

/* A record header: owner as a pointer to the question name (offset 12). */
static void rr(struct b *b, unsigned type, uint32_t ttl, unsigned rdlen)
{
	u16(b, 0xC00C); u16(b, type); u16(b, 1); u32(b, ttl); u16(b, rdlen);
}

static void query(struct b *b, unsigned id, const char *qn, unsigned type)
{
	hdr(b, id, 0x0100, 1, 0, 0, 0);
	name(b, qn);
	u16(b, type); u16(b, 1);
}

/* A response to "lab.test A" with a bit of everything. */
static void big_response(struct b *b)
{
	hdr(b, 0x1234, 0x8580, 1, 7, 1, 1);
	name(b, "lab.test");
	u16(b, 1); u16(b, 1);
	rr(b, 1, 300, 4); u8(b, 192); u8(b, 0); u8(b, 2); u8(b, 1);
	rr(b, 28, 300, 16);
	{ const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }; raw(b, a6, 16); }
	rr(b, 5, 60, 6); u8(b, 3); raw(b, "www", 3); u16(b, 0xC00C);               /* www.lab.test */
	rr(b, 15, 60, 9); u16(b, 10); u8(b, 4); raw(b, "mail", 4); u16(b, 0xC00C); /* 10 mail.lab.test */
	rr(b, 16, 60, 12); u8(b, 5); raw(b, "hello", 5); u8(b, 5); raw(b, "world", 5);
	rr(b, 33, 60, 8); u16(b, 1); u16(b, 2); u16(b, 389); u16(b, 0xC00C);
	rr(b, 257, 60, 17); u8(b, 0); u8(b, 5); raw(b, "issue", 5); raw(b, "ca.example", 10);
	/* authority: SOA */
	rr(b, 6, 3600, 2 + 2 + 20); u16(b, 0xC00C); u16(b, 0xC00C);
	u32(b, 2026112501); u32(b, 7200); u32(b, 900); u32(b, 1209600); u32(b, 300);
	/* additional: OPT with a cookie */
	u8(b, 0); u16(b, 41); u16(b, 1232); u32(b, 0x00008000); u16(b, 4 + 24);
	u16(b, 10); u16(b, 24);
	for (int i = 0; i < 24; i++)
		u8(b, (unsigned)i);
}

static void send_udp(struct wlt *t, int dir, const struct b *b)
{
	wlt_udp(t, dir, 40000, 53, b->d, b->n);
}

static void test_query_and_response(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	struct b q, r;
	query(&q, 0x1234, "lab.test", 1);
	big_response(&r);
	send_udp(&t, WL_C2S, &q);
	send_udp(&t, WL_S2C, &r);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "dns", "query", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "dns.qry.name", 0), "lab.test");
	assert_string_equal(wlt_field(m, "dns.qry.type", 0), "1");
	assert_string_equal(wlt_field(m, "dns.flags.response", 0), "0");
	assert_null(wlt_field(m, "dns.flags.rcode", 0));        /* responses only */
	assert_null(wlt_field(m, "dns.flags.authoritative", 0));
	assert_true(wlt_note(m, "what is the A record of lab.test"));

	m = wlt_find(&t, "dns", "response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "dns.flags.rcode", 0), "0");
	assert_string_equal(wlt_field(m, "dns.flags.authoritative", 0), "1");
	assert_string_equal(wlt_field(m, "dns.a", 0), "192.0.2.1");
	assert_string_equal(wlt_field(m, "dns.aaaa", 0), "2001:db8::1");
	assert_string_equal(wlt_field(m, "dns.cname", 0), "www.lab.test");
	assert_string_equal(wlt_field(m, "dns.mx.preference", 0), "10");
	assert_string_equal(wlt_field(m, "dns.mx.mail_exchange", 0), "mail.lab.test");
	assert_string_equal(wlt_field(m, "dns.txt", 0), "hello");
	assert_string_equal(wlt_field(m, "dns.txt", 1), "world");
	assert_string_equal(wlt_field(m, "dns.srv.port", 0), "389");
	assert_string_equal(wlt_field(m, "dns.srv.target", 0), "lab.test");
	assert_string_equal(wlt_field(m, "dns.caa.issue", 0), "ca.example");
	assert_string_equal(wlt_field(m, "dns.soa.mname", 0), "lab.test");
	assert_string_equal(wlt_field(m, "dns.soa.serial_number", 0), "2026112501");
	assert_string_equal(wlt_field(m, "dns.soa.minimum_ttl", 0), "300");
	assert_string_equal(wlt_field(m, "dns.rr.udp_payload_size", 0), "1232");
	assert_string_equal(wlt_field(m, "dns.resp.z.do", 0), "1");
	assert_string_equal(wlt_field(m, "dns.opt.code", 0), "10");
	assert_string_equal(wlt_field(m, "dns.opt.cookie.client", 0), "0001020304050607");
	assert_string_equal(wlt_field(m, "dns.opt.cookie.server", 0), "08090a0b0c0d0e0f1011121314151617");
	assert_string_equal(wlt_field(m, "dns.resp.name", 8), "<Root>");
	assert_string_equal(wlt_field(m, "dns.response_to", 0), "1");
	assert_non_null(wlt_field(m, "dns.time", 0));
	assert_string_equal(wlt_field(m, "dns.count.answers", 0), "7");
	assert_false(wlt_note(m, "malformed"));
	assert_non_null(strstr(m->text, "A 192.0.2.1"));
	wlt_free(&t);
}

/* A query with OPT options as tshark 4.0 shows them: a client-only cookie
 * (8 bytes) has an empty dns.opt.cookie.server, a zero-length option (EXPIRE,
 * RFC 7314) an empty dns.opt.data (both "<MISSING>" in tshark -T fields;
 * edns-opts.pcap frames 11, 25). Hostile: a 5-byte cookie gets a short
 * client cookie, no server cookie and a note. */
static void opt_query(struct b *b, unsigned cookie_len)
{
	hdr(b, 0x5151, 0x0100, 1, 0, 0, 1);
	name(b, "lab.test");
	u16(b, 1); u16(b, 1);
	u8(b, 0); u16(b, 41); u16(b, 1232); u32(b, 0); u16(b, 4 + cookie_len + 4);
	u16(b, 10); u16(b, cookie_len);
	for (unsigned i = 0; i < cookie_len; i++)
		u8(b, 0xa0 + i);
	u16(b, 9); u16(b, 0);
}

static void test_opt_empty_values(void **state)
{
	(void)state;
	struct wlt t;
	struct b q;
	wlt_init(&t, NULL);
	opt_query(&q, 8);
	send_udp(&t, WL_C2S, &q);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "dns", "query", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "dns.opt.cookie.client", 0), "a0a1a2a3a4a5a6a7");
	assert_string_equal(wlt_field(m, "dns.opt.cookie.server", 0), "");
	assert_string_equal(wlt_field(m, "dns.opt.data", 0), "a0a1a2a3a4a5a6a7");
	assert_string_equal(wlt_field(m, "dns.opt.code", 1), "9");
	assert_string_equal(wlt_field(m, "dns.opt.data", 1), "");
	assert_false(wlt_note(m, "DNS cookie of"));
	wlt_free(&t);

	wlt_init(&t, NULL);
	opt_query(&q, 5);
	send_udp(&t, WL_C2S, &q);
	wlt_finish(&t);
	m = wlt_find(&t, "dns", "query", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "dns.opt.cookie.client", 0), "a0a1a2a3a4");
	assert_null(wlt_field(m, "dns.opt.cookie.server", 0));
	assert_true(wlt_note(m, "DNS cookie of 5 bytes"));
	wlt_free(&t);
}

/* LLMNR over TCP (RFC 4795 2.5: port 5355 for TCP too) is decoded as LLMNR.
 * tshark 4.0 registers LLMNR on udp.port 5355 only ("tshark -G decodes": udp
 * 5355 llmnr, no tcp 5355), so on pcaps/dns-family.pcap frames 10 and 11 it
 * has no DNS at all: the dns.* extras there are theirs (with -d
 * tcp.port==5355,dns it reads id 0x2221, host3 and 192.0.2.1 as wirelab does). */
static void test_llmnr_over_tcp(void **state)
{
	(void)state;
	struct wlt t;
	struct b q;
	query(&q, 0x2221, "host3", 1);
	q.d[2] = 0;  /* LLMNR: no RD */
	uint8_t buf[600];
	size_t n = 0;
	buf[n++] = (uint8_t)(q.n >> 8); buf[n++] = (uint8_t)q.n;
	memcpy(buf + n, q.d, q.n); n += q.n;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50100, 5355);
	wlt_tcp_send(&t, WL_C2S, buf, n);
	wlt_tcp_close(&t);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "llmnr", "query", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "dns.qry.name", 0), "host3");
	assert_string_equal(wlt_field(m, "dns.flags.conflict", 0), "0");
	wlt_free(&t);
}

static void test_nxdomain_and_tc(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	struct b q, r;
	query(&q, 7, "nope.lab.test", 1);
	hdr(&r, 7, 0x8783, 1, 0, 0, 0);   /* response, AA, TC, RD, NXDOMAIN */
	name(&r, "nope.lab.test");
	u16(&r, 1); u16(&r, 1);
	send_udp(&t, WL_C2S, &q);
	send_udp(&t, WL_S2C, &r);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "dns", "response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "dns.flags.rcode", 0), "3");
	assert_string_equal(wlt_field(m, "dns.flags.truncated", 0), "1");
	assert_true(wlt_note(m, "NXDOMAIN"));
	assert_true(wlt_note(m, "retry over TCP"));
	assert_non_null(strstr(m->text, "NXDOMAIN"));
	wlt_free(&t);
}

static void test_unmatched_and_retransmission(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	struct b q;
	query(&q, 99, "a.b", 1);
	send_udp(&t, WL_C2S, &q);
	send_udp(&t, WL_C2S, &q);
	hdr(&q, 100, 0x8180, 0, 0, 0, 0);
	send_udp(&t, WL_S2C, &q);
	wlt_finish(&t);
	assert_true(wlt_note(wlt_find(&t, "dns", "query", 1), "retransmission"));
	const struct wlt_msg *m = wlt_find(&t, "dns", "response", 0);
	assert_true(wlt_note(m, "no query with id 0x0064"));
	assert_null(wlt_field(m, "dns.response_to", 0));
	wlt_free(&t);
}

static const struct wlt_msg *one(struct wlt *t, const struct b *b)
{
	wlt_init(t, NULL);
	send_udp(t, WL_S2C, b);
	wlt_finish(t);
	return wlt_find(t, "dns", NULL, 0);
}

static void test_pointer_loop(void **state)
{
	(void)state;
	struct wlt t;
	struct b b;
	hdr(&b, 1, 0x8180, 1, 0, 0, 0);
	u16(&b, 0xC00C);                 /* the question name points to itself */
	u16(&b, 1); u16(&b, 1);
	const struct wlt_msg *m = one(&t, &b);
	assert_non_null(m);
	assert_true(wlt_note(m, "compression pointer loop"));
	wlt_free(&t);

	/* two pointers pointing at each other */
	hdr(&b, 1, 0x8180, 1, 1, 0, 0);
	name(&b, "x");
	u16(&b, 1); u16(&b, 1);
	size_t a = b.n;
	u16(&b, 0xC000 | (unsigned)(a + 2));
	u16(&b, 0xC000 | (unsigned)a);
	u16(&b, 1); u16(&b, 1); u32(&b, 1); u16(&b, 0);
	m = one(&t, &b);
	assert_true(wlt_note(m, "compression pointer loop"));
	wlt_free(&t);
}

static void test_forward_pointer(void **state)
{
	(void)state;
	struct wlt t;
	struct b b;
	hdr(&b, 1, 0x8180, 1, 0, 0, 0);
	u16(&b, 0xC000 | 18);            /* forward: to the name after the question */
	u16(&b, 1); u16(&b, 1);
	name(&b, "later.test");          /* offset 18 */
	const struct wlt_msg *m = one(&t, &b);
	assert_string_equal(wlt_field(m, "dns.qry.name", 0), "later.test");
	assert_true(wlt_note(m, "forward compression pointer"));
	assert_true(wlt_note(m, "bytes after the last record"));
	wlt_free(&t);

	/* a pointer past the end */
	hdr(&b, 1, 0x8180, 1, 0, 0, 0);
	u16(&b, 0xFFFF); u16(&b, 1); u16(&b, 1);
	m = one(&t, &b);
	assert_true(wlt_note(m, "past the message"));
	wlt_free(&t);
}

static void test_long_label_and_name(void **state)
{
	(void)state;
	struct wlt t;
	struct b b;
	hdr(&b, 1, 0x0100, 1, 0, 0, 0);
	u8(&b, 64);                      /* 0x40: a "label" of 64 */
	for (int i = 0; i < 64; i++)
		u8(&b, 'a');
	u8(&b, 0); u16(&b, 1); u16(&b, 1);
	const struct wlt_msg *m = one(&t, &b);
	assert_true(wlt_note(m, "label length 64 over 63"));
	wlt_free(&t);

	hdr(&b, 1, 0x0100, 1, 0, 0, 0);
	for (int l = 0; l < 5; l++) {    /* 5 x 64 = 320 wire bytes */
		u8(&b, 63);
		for (int i = 0; i < 63; i++)
			u8(&b, 'a' + l);
	}
	u8(&b, 0); u16(&b, 1); u16(&b, 1);
	m = one(&t, &b);
	assert_true(wlt_note(m, "name longer than 255 bytes"));
	wlt_free(&t);
}

static void test_counts_and_rdlength(void **state)
{
	(void)state;
	struct wlt t;
	struct b b;
	hdr(&b, 1, 0x8180, 1, 65535, 0, 0);
	name(&b, "x.y"); u16(&b, 1); u16(&b, 1);
	rr(&b, 1, 1, 4); u32(&b, 0x01020304);
	const struct wlt_msg *m = one(&t, &b);
	assert_string_equal(wlt_field(m, "dns.a", 0), "1.2.3.4");
	assert_true(wlt_note(m, "announces 65535 answers, the message ends after 1"));
	wlt_free(&t);

	hdr(&b, 1, 0x8180, 1, 1, 0, 0);
	name(&b, "x.y"); u16(&b, 1); u16(&b, 1);
	rr(&b, 1, 1, 400); u32(&b, 0x01020304);
	m = one(&t, &b);
	assert_true(wlt_note(m, "RDLENGTH 400"));
	wlt_free(&t);

	hdr(&b, 1, 0x8180, 1, 1, 0, 0);  /* A with RDLENGTH 2 */
	name(&b, "x.y"); u16(&b, 1); u16(&b, 1);
	rr(&b, 1, 1, 2); u16(&b, 0x0102);
	m = one(&t, &b);
	assert_true(wlt_note(m, "does not fit its RDLENGTH 2"));
	wlt_free(&t);

	hdr(&b, 1, 0x8180, 1, 1, 0, 0);  /* A with RDLENGTH 6 */
	name(&b, "x.y"); u16(&b, 1); u16(&b, 1);
	rr(&b, 1, 1, 6); u32(&b, 0x01020304); u16(&b, 0);
	m = one(&t, &b);
	assert_true(wlt_note(m, "2 bytes after the A record data"));
	wlt_free(&t);

	b.n = 5;                         /* shorter than the header */
	m = one(&t, &b);
	assert_string_equal(m->type, "malformed");
	wlt_free(&t);
}

static void test_tcp_framing(void **state)
{
	(void)state;
	struct wlt t;
	struct b q, r;
	query(&q, 0x4242, "lab.test", 15);
	big_response(&r);
	r.d[0] = 0x42; r.d[1] = 0x42;
	uint8_t buf[8192];
	size_t n = 0;
	/* two queries in one segment */
	for (int i = 0; i < 2; i++) {
		buf[n++] = (uint8_t)(q.n >> 8); buf[n++] = (uint8_t)q.n;
		memcpy(buf + n, q.d, q.n); n += q.n;
	}
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40001, 53);
	wlt_tcp_send(&t, WL_C2S, buf, n);
	/* one response split over 1-byte segments */
	n = 0;
	buf[n++] = (uint8_t)(r.n >> 8); buf[n++] = (uint8_t)r.n;
	memcpy(buf + n, r.d, r.n); n += r.n;
	wlt_tcp_send_split(&t, WL_S2C, buf, n, 1);
	wlt_tcp_close(&t);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "dns", "query"), 2);
	assert_int_equal(wlt_count(&t, "dns", "response"), 1);
	const struct wlt_msg *m = wlt_find(&t, "dns", "response", 0);
	assert_string_equal(wlt_field(m, "dns.mx.mail_exchange", 0), "mail.lab.test");
	assert_true(wlt_note(wlt_find(&t, "dns", "query", 0), "over TCP"));
	wlt_free(&t);

	/* a prefix of 0, a prefix shorter than the message, then one that
	 * promises more than ever arrives */
	n = 0;
	buf[n++] = 0; buf[n++] = 0;
	buf[n++] = 0; buf[n++] = 14;
	memcpy(buf + n, q.d, q.n); n += q.n;
	buf[n++] = 0xFF; buf[n++] = 0xFF;
	memcpy(buf + n, q.d, 10); n += 10;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40002, 53);
	wlt_tcp_send(&t, WL_C2S, buf, n);
	wlt_tcp_close(&t);
	wlt_finish(&t);
	assert_true(wlt_note(wlt_find(&t, "dns", "malformed", 0), "length prefix 0"));
	assert_true(wlt_note(wlt_find(&t, "dns", "query", 0), "malformed"));
	/* the 12 bytes the short prefix left over read as the next prefix:
	 * a lying prefix desynchronizes the stream, which ends incomplete */
	m = wlt_find(&t, "dns", "malformed", 1);
	assert_non_null(m);
	assert_true(wlt_note(m, "arrived before the end"));
	wlt_free(&t);

	/* a prefix promising 65535 bytes, and 10 arriving */
	n = 0;
	buf[n++] = 0xFF; buf[n++] = 0xFF;
	memcpy(buf + n, q.d, 10); n += 10;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40002, 53);
	wlt_tcp_send(&t, WL_C2S, buf, n);
	wlt_tcp_close(&t);
	wlt_finish(&t);
	m = wlt_find(&t, "dns", "malformed", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "announced 65535 bytes, only 10 arrived"));
	wlt_free(&t);
}

static void test_tcp_gap(void **state)
{
	(void)state;
	struct b q;
	query(&q, 0x0101, "lab.test", 1);
	uint8_t buf[256];
	buf[0] = 0; buf[1] = (uint8_t)q.n;
	memcpy(buf + 2, q.d, q.n);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40005, 53);
	wlt_tcp_send(&t, WL_C2S, buf, q.n + 2);
	/* the next message's first 10 bytes are never captured */
	wlt_tcp_send_at(&t, WL_C2S, 10, buf + 10, q.n + 2 - 10);
	wlt_tcp_close(&t);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "dns", "query"), 1);
	const struct wlt_msg *m = wlt_find(&t, "dns", "gap", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "never captured"));
	wlt_free(&t);
}

static void test_probe(void **state)
{
	(void)state;
	struct wlt t;
	struct b q;
	query(&q, 5, "probe.lab.test", 28);
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40003, 9953, q.d, q.n);
	wlt_finish(&t);
	assert_non_null(wlt_find(&t, "dns", "query", 0));
	wlt_free(&t);

	const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 40003, 9953, junk, sizeof junk - 1);
	wlt_finish(&t);
	assert_null(wlt_find(&t, "dns", NULL, 0));
	wlt_free(&t);
}

static void test_truncate_everywhere(void **state)
{
	(void)state;
	struct b r;
	big_response(&r);
	for (size_t cut = 0; cut < r.n; cut++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_S2C, 40000, 53, r.d, cut);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "dns", NULL, 0);
		assert_non_null(m);
		if (cut < r.n)
			assert_true(wlt_note(m, "malformed") || wlt_note(m, "cut short"));
		wlt_free(&t);
	}
	/* and over TCP: the message is simply incomplete, reported at the end */
	for (size_t cut = 1; cut < r.n + 2; cut += 7) {
		uint8_t buf[4096];
		buf[0] = (uint8_t)(r.n >> 8); buf[1] = (uint8_t)r.n;
		memcpy(buf + 2, r.d, r.n);
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, 40004, 53);
		wlt_tcp_send(&t, WL_S2C, buf, cut);
		wlt_tcp_close(&t);
		wlt_finish(&t);
		assert_int_equal(wlt_count(&t, "dns", "response"), 0);
		wlt_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_and_response),
		cmocka_unit_test(test_opt_empty_values),
		cmocka_unit_test(test_llmnr_over_tcp),
		cmocka_unit_test(test_nxdomain_and_tc),
		cmocka_unit_test(test_unmatched_and_retransmission),
		cmocka_unit_test(test_pointer_loop),
		cmocka_unit_test(test_forward_pointer),
		cmocka_unit_test(test_long_label_and_name),
		cmocka_unit_test(test_counts_and_rdlength),
		cmocka_unit_test(test_tcp_framing),
		cmocka_unit_test(test_tcp_gap),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_truncate_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
