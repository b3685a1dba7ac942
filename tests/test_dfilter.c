/* test_dfilter.c - the display filter: parsing and its errors (positions,
 * the caret line, the nearest names of an unknown field), Wireshark 4.0's
 * semantics over a hand-made frame (any/all occurrences, sets, ranges,
 * CIDR, contains, PCRE2 matches, slices, functions, arithmetic), the
 * protocols a filter needs (wl_opts.only), and hostile input: deep
 * nesting, huge literals, invalid UTF-8, every prefix of every filter.
 * A hostile filter must end in a clear error, never a crash or a stack
 * overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "src/query/qpriv.h"
#include "query.h"

static struct wl_qreg *reg;

/* ---- a frame made by hand ---- */

#define TF_MSGS 4
#define TF_FIELDS 32

struct tframe {
	struct wl_qmsg m[TF_MSGS];
	struct wl_field f[TF_MSGS][TF_FIELDS];
	char pool[TF_MSGS][2048];
	uint32_t used[TF_MSGS];
	uint8_t bytes[256];
	struct wl_qframe q;
};

static struct tframe *tf_new(void)
{
	struct tframe *t = calloc(1, sizeof *t);
	assert_non_null(t);
	t->q.reg = reg;
	t->q.cache = wl__name_cache_new();
	t->q.msgs = t->m;
	t->q.fi.frame = 7;
	t->q.fi.ts_ns = 1552590234892296000LL;
	t->q.fi.rel_ns = 1500000000LL;
	t->q.fi.len = t->q.fi.caplen = 66;
	t->q.fi.tcp_stream = 3;
	t->q.fi.udp_stream = -1;
	t->q.prev_ns = t->q.fi.ts_ns - 1000;
	t->q.prev_shown_ns = -1;
	return t;
}

static void tf_free(struct tframe *t)
{
	free(t->q.cache);
	free(t);
}

static struct wl_qmsg *tf_msg(struct tframe *t, const char *proto)
{
	unsigned i = t->q.nmsgs++;
	struct wl_qmsg *m = &t->m[i];
	m->proto = proto;
	m->type = "x";
	m->fields = t->f[i];
	m->pool = t->pool[i];
	m->flow_id = 1;
	return m;
}

static struct wl_field *tf_field(struct tframe *t, const char *name, uint8_t type)
{
	struct wl_qmsg *m = &t->m[t->q.nmsgs - 1];
	struct wl_field *f = &t->f[t->q.nmsgs - 1][m->nfields++];
	f->name = name;
	f->type = type;
	return f;
}

static void tf_u(struct tframe *t, const char *name, uint64_t v)
{
	tf_field(t, name, WL_FT_UINT)->v.u = v;
}

static void tf_b(struct tframe *t, const char *name, int v)
{
	tf_field(t, name, WL_FT_BOOL)->v.u = (uint64_t)v;
}

static void tf_mem(struct tframe *t, const char *name, uint8_t type, const void *p, uint32_t n)
{
	unsigned k = t->q.nmsgs - 1;
	struct wl_field *f = tf_field(t, name, type);
	f->v.off = t->used[k];
	f->len = n;
	memcpy(t->pool[k] + t->used[k], p, n);
	t->used[k] += n;
}

static void tf_s(struct tframe *t, const char *name, const char *s)
{
	tf_mem(t, name, WL_FT_STR, s, (uint32_t)strlen(s));
}

static void tf_ip(struct tframe *t, const char *name, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t ip[4] = { a, b, c, d };
	tf_mem(t, name, WL_FT_IPV4, ip, 4);
}

/* An FTP PASS: a TCP segment and the FTP request, with its payload bytes. */
static struct tframe *ftp_pass(void)
{
	struct tframe *t = tf_new();
	tf_msg(t, "tcp");
	tf_ip(t, "ip.src", 192, 168, 1, 212);
	tf_ip(t, "ip.dst", 90, 130, 70, 73);
	tf_u(t, "tcp.srcport", 50694);
	tf_u(t, "tcp.dstport", 21);
	tf_u(t, "tcp.len", 13);
	tf_field(t, "tcp.flags", WL_FT_HEX)->v.u = 0x18;
	tf_b(t, "tcp.flags.syn", 0);
	tf_b(t, "tcp.flags.ack", 1);
	struct wl_qmsg *m = tf_msg(t, "ftp");
	m->type = "request";
	tf_s(t, "ftp.request.command", "PASS");
	tf_s(t, "ftp.request.arg", "NcFTP@");
	const char payload[] = "PASS NcFTP@\r\n";
	memcpy(t->bytes + 53, payload, 13);
	memcpy(t->bytes, "\xc4\x2c\x03\x06\x49\xfe", 6);
	t->q.fi.data = t->bytes;
	t->q.fi.caplen = 66;
	t->q.fi.payload_off = 53;
	t->q.fi.payload_len = 13;
	t->q.fi.linktype = WL_LINK_ETHERNET;
	return t;
}

/* A DNS response with two answers. */
static struct tframe *dns_answers(void)
{
	struct tframe *t = tf_new();
	t->q.fi.tcp_stream = -1;
	t->q.fi.udp_stream = 0;
	tf_msg(t, "udp");
	tf_ip(t, "ip.src", 8, 8, 8, 8);
	tf_ip(t, "ip.dst", 10, 0, 0, 5);
	tf_u(t, "udp.srcport", 53);
	tf_u(t, "udp.dstport", 40000);
	tf_msg(t, "dns");
	tf_s(t, "dns.qry.name", "www.Example.com");
	tf_ip(t, "dns.a", 93, 184, 216, 34);
	tf_ip(t, "dns.a", 93, 184, 216, 35);
	tf_b(t, "dns.flags.response", 1);
	return t;
}

static int match(const struct tframe *t, const char *text)
{
	char err[2048];
	struct wl_dfilter *df = wl_dfilter_compile(reg, text, err, sizeof err);
	if (!df)
		fail_msg("%s did not compile: %s", text, err);
	int r = wl_dfilter_match(df, &t->q);
	wl_dfilter_free(df);
	return r;
}

/* The error for text, which must not compile. */
static const char *error(const char *text)
{
	static char err[4096];
	struct wl_dfilter *df = wl_dfilter_compile(reg, text, err, sizeof err);
	if (df) {
		wl_dfilter_free(df);
		fail_msg("%.80s compiled", text);
	}
	assert_true(err[0] != '\0');
	return err;
}

/* ---- semantics ---- */

static void test_presence_and_logic(void **state)
{
	(void)state;
	struct tframe *t = ftp_pass();
	assert_true(match(t, "ftp"));
	assert_true(match(t, "tcp && ftp"));
	assert_true(match(t, "ip and tcp"));
	assert_false(match(t, "udp"));
	assert_true(match(t, "!udp"));
	assert_true(match(t, "not dns"));
	assert_true(match(t, "udp || ftp"));
	assert_true(match(t, "frame"));
	assert_true(match(t, "eth"));
	/* a boolean field exists when false: presence is not its value */
	assert_true(match(t, "tcp.flags.syn"));
	assert_false(match(t, "not tcp.flags.syn"));
	assert_false(match(t, "tcp.flags.syn == 1"));
	/* not binds tighter than and, and tighter than or */
	assert_true(match(t, "not udp and ftp or dns"));
	assert_false(match(t, "not (ftp or dns)"));
	assert_true(match(t, "((((ftp))))"));
	tf_free(t);
}

static void test_comparisons(void **state)
{
	(void)state;
	struct tframe *t = ftp_pass();
	assert_true(match(t, "ftp.request.command == \"PASS\""));
	assert_true(match(t, "ftp.request.command eq PASS"));      /* an unquoted word is the text */
	assert_false(match(t, "ftp.request.command == \"pass\""));  /* == is case-sensitive */
	assert_true(match(t, "ftp.request.command matches \"pass\""));  /* matches is not, in 4.0 */
	assert_false(match(t, "ftp.request.command matches \"(?-i)pass\""));
	assert_true(match(t, "ftp.request.command ~ \"^PA\""));
	assert_true(match(t, "ftp.request.arg contains \"FTP\""));
	assert_true(match(t, "tcp.dstport == 21"));
	assert_true(match(t, "tcp.dstport == 0x15 and tcp.dstport == 025 and tcp.dstport == 0b10101"));
	assert_true(match(t, "tcp.srcport > 1024 && tcp.srcport >= 50694 && tcp.srcport lt 60000"));
	assert_true(match(t, "tcp.srcport > tcp.dstport"));
	assert_true(match(t, "tcp.len <= 13 && tcp.len ge 13"));
	assert_true(match(t, "tcp.flags == 0x18"));
	assert_true(match(t, "tcp.flags & 0x10"));
	assert_false(match(t, "tcp.flags & 0x02"));
	assert_true(match(t, "tcp.flags & 0x18 == 0x18"));
	assert_true(match(t, "tcp.flags.ack == True && tcp.flags.syn == False"));
	assert_true(match(t, "tcp.flags.ack == 2"));  /* any non-zero number is true */
	assert_true(match(t, "ftp.request.command == \"\\x50ASS\" && ftp.request.command == \"\\120ASS\""));
	assert_true(match(t, "ftp.request.command == r\"PASS\""));
	assert_true(match(t, "tcp.len == '\\r'"));   /* a character constant: 13 */
	assert_true(match(t, "tcp.dstport == {20 + 1}"));
	assert_true(match(t, "tcp.srcport - 50000 == 694"));
	assert_false(match(t, "tcp.dstport - 1000 > 0"));   /* 21 - 1000 is no unsigned value */
	assert_true(match(t, "tcp.srcport * 2 == 101388 && tcp.srcport / 2 == 25347 && tcp.srcport % 10 == 4"));
	tf_free(t);
}

static void test_occurrences(void **state)
{
	(void)state;
	struct tframe *t = ftp_pass();
	/* tcp.port is either side; ip.addr too */
	assert_true(match(t, "tcp.port == 21"));
	assert_true(match(t, "tcp.port == 50694"));
	assert_false(match(t, "tcp.port != 21"));        /* all not equal */
	assert_true(match(t, "tcp.port !== 21"));        /* any not equal */
	assert_true(match(t, "tcp.port ~= 21"));
	assert_false(match(t, "tcp.port === 21"));       /* all equal */
	assert_true(match(t, "any tcp.port > 1024"));
	assert_false(match(t, "all tcp.port > 1024"));
	assert_true(match(t, "all tcp.port > 20"));
	assert_true(match(t, "tcp.port != 80"));
	assert_false(match(t, "udp.port != 80"));        /* the implied exists: no udp.port, no match */
	assert_true(match(t, "!(udp.port == 80)"));
	assert_true(match(t, "ip.addr == 90.130.70.73"));
	assert_true(match(t, "ip.addr == 192.168.0.0/16"));
	assert_true(match(t, "ip.addr == 90.130.70.0/24 && ip.src == 192.168.1.212/32"));
	assert_false(match(t, "ip.addr == 10.0.0.0/8"));
	assert_true(match(t, "ip.addr != 10.0.0.0/8"));
	assert_true(match(t, "ip.src > 90.130.70.73"));
	assert_true(match(t, "count(tcp.port) == 2 && count(ip.src) == 1"));
	struct tframe *d = dns_answers();
	assert_true(match(d, "dns.a == 93.184.216.35"));
	assert_true(match(d, "count(dns.a) == 2"));
	assert_false(match(d, "all dns.a == 93.184.216.34"));
	assert_true(match(d, "all dns.a in {93.184.216.34 93.184.216.35}"));
	assert_true(match(d, "dns.a in {93.184.216.30..93.184.216.34}"));
	assert_true(match(d, "max(dns.a) == 93.184.216.35 && min(dns.a) == 93.184.216.34"));
	tf_free(d);
	tf_free(t);
}

static void test_sets_and_strings(void **state)
{
	(void)state;
	struct tframe *t = ftp_pass();
	assert_true(match(t, "tcp.port in {21, 2121}"));
	assert_true(match(t, "tcp.port in {21 2121}"));   /* 3.x's spaces are accepted too */
	assert_true(match(t, "tcp.port in {1..1024}"));
	assert_true(match(t, "tcp.port in {443, 50000..51000}"));
	assert_false(match(t, "tcp.port in {80 443}"));
	assert_true(match(t, "tcp.port not in {80 443}"));
	assert_true(match(t, "ftp.request.command in {\"USER\", \"PASS\"}"));
	assert_true(match(t, "len(ftp.request.arg) == 6"));
	assert_true(match(t, "upper(ftp.request.arg) == \"NCFTP@\" && lower(ftp.request.command) == \"pass\""));
	assert_true(match(t, "string(tcp.srcport) matches \"^506\""));
	assert_true(match(t, "string(ip.dst) == \"90.130.70.73\""));
	struct tframe *d = dns_answers();
	assert_true(match(d, "dns.qry.name contains \"Example\""));
	assert_false(match(d, "dns.qry.name contains \"example\""));
	assert_true(match(d, "dns.qry.name matches \"example\\\\.com$\""));
	assert_true(match(d, "lower(dns.qry.name) contains \"example\""));
	tf_free(d);
	tf_free(t);
}

static void test_bytes_and_slices(void **state)
{
	(void)state;
	struct tframe *t = ftp_pass();
	assert_true(match(t, "tcp.payload[0:4] == \"PASS\""));
	assert_true(match(t, "tcp.payload[0:4] == 50:41:53:53"));
	assert_true(match(t, "tcp.payload[0:2] == 5041 && tcp.payload[0:2] == 50-41 && tcp.payload[0:2] == 50.41"));
	assert_true(match(t, "tcp.payload[0] == 0x50"));
	assert_true(match(t, "tcp.payload[-2:] == 0d:0a && tcp.payload[-2:2] == 0d:0a"));
	assert_true(match(t, "tcp.payload[0-3] == \"PASS\""));
	assert_true(match(t, "tcp.payload[:4] == \"PASS\" && tcp.payload[11:] == 0d0a"));
	assert_true(match(t, "tcp.payload[0,2-3] == \"PSS\""));
	assert_false(match(t, "tcp.payload[10:10] == 00"));   /* past the end: no value */
	assert_true(match(t, "tcp.payload contains \"NcFTP\""));
	assert_true(match(t, "ftp contains \"PASS\""));
	assert_true(match(t, "frame[0:3] == c4:2c:03 && eth[0:2] == c4:2c"));
	assert_true(match(t, "frame contains 0d:0a"));
	assert_true(match(t, "ftp.request.command[0:2] == \"PA\""));
	assert_true(match(t, "len(tcp.payload) == 13"));
	tf_free(t);
}

static void test_frame_fields(void **state)
{
	(void)state;
	struct tframe *t = ftp_pass();
	assert_true(match(t, "frame.number == 7"));
	assert_true(match(t, "frame.len == 66 && frame.cap_len == 66"));
	assert_true(match(t, "frame.time_relative == 1.5"));
	assert_true(match(t, "frame.time_relative > 1.4999 && frame.time_relative < 1.500000001"));
	assert_true(match(t, "frame.time_relative in {1..2}"));
	assert_true(match(t, "frame.time_delta == 0.000001"));
	assert_true(match(t, "frame.time_epoch > 1552590234.8"));
	assert_true(match(t, "frame.time > \"2019-03-14T19:03:54Z\" && frame.time < \"Mar 14, 2019 19:03:55 UTC\""));
	assert_true(match(t, "frame.time == \"2019-03-14 19:03:54.892296Z\""));
	assert_true(match(t, "tcp.stream == 3"));
	assert_false(match(t, "udp.stream"));
	assert_true(match(t, "frame.protocols contains \"ftp\""));
	tf_free(t);
}

/* ---- errors ---- */

static void test_errors(void **state)
{
	(void)state;
	const char *e = error("ftp.request.comand == \"PASS\"");
	assert_non_null(strstr(e, "\"ftp.request.comand\" is neither a field nor a protocol name"));
	assert_non_null(strstr(e, "did you mean ftp.request.command"));
	assert_non_null(strstr(e, "\n    ftp.request.comand == \"PASS\"\n    ^~~~~~~~~~~~~~~~~~"));
	e = error("tcp.port == 80 ||| udp");
	assert_non_null(strstr(e, "\"|\" was unexpected in this context."));
	assert_non_null(strstr(e, "\n                     ^"));
	assert_non_null(strstr(error("tcp.port == "), "Unexpected end of filter expression"));
	assert_non_null(strstr(error("(tcp"), "Unexpected end"));
	assert_non_null(strstr(error("tcp &&"), "Unexpected end"));
	assert_non_null(strstr(error(""), "empty"));
	assert_non_null(strstr(error("   "), "empty"));
	assert_non_null(strstr(error("tcp.port == \"abc\""), "cannot be converted from a string"));
	assert_non_null(strstr(error("ip.src == 1.2.3.400"), "not a valid IPv4 address"));
	assert_non_null(strstr(error("ip.src == www.example.com"), "not a valid IPv4 address"));
	assert_non_null(strstr(error("ip.src == 10.0.0.0/33"), "should be <= 32, not 33"));
	assert_non_null(strstr(error("tcp.port contains 3"), "cannot participate in contains"));
	assert_non_null(strstr(error("tcp.port matches \"1\""), "cannot participate in matches"));
	assert_non_null(strstr(error("frame.len == 1.5"), "not a valid number"));
	assert_non_null(strstr(error("tcp.port == 99999999999999999999"), "integer overflow"));
	assert_non_null(strstr(error("\"abc\""), "neither a field nor a protocol"));
	assert_non_null(strstr(error("frame.len == 66 && 1"), "\"1\" is neither a field"));
	assert_non_null(strstr(error("80 == tcp.port"), "Left side of \"==\" expression must be a field"));
	assert_non_null(strstr(error("tcp.port == 21 == 1"), "Left side of \"==\""));
	assert_non_null(strstr(error("ftp.request.command matches \"(\""), "Regex compilation error"));
	assert_non_null(strstr(error("ftp.request.command matches PASS"), "quoted string"));
	assert_non_null(strstr(error("ftp.request.command == \"a\\qb\""), "\\q is not a valid character escape"));
	assert_non_null(strstr(error("ftp.request.command == \"\\u0050ASS\""), "not a valid universal character"));
	assert_non_null(strstr(error("ftp.request.command == \"PASS"), "not closed"));
	assert_non_null(strstr(error("tcp.port in {}"), "\"}\" was unexpected"));
	assert_non_null(strstr(error("tcp.port in {1..}"), "\"}\" was unexpected"));
	assert_non_null(strstr(error("count(ftp.request.command)"), "cannot test whether a function is present"));
	assert_non_null(strstr(error("nosuch(tcp.port) == 1"), "function 'nosuch' does not exist"));
	assert_non_null(strstr(error("len() == 1"), "needs an argument"));
	assert_non_null(strstr(error("upper(tcp.port) == \"1\""), "needs a string field"));
	assert_non_null(strstr(error("tcp.port[0:2] == 00:15"), "only strings, bytes and protocols can be sliced"));
	assert_non_null(strstr(error("tcp.payload[1:-2] == 00"), "cannot be negative"));
	assert_non_null(strstr(error("ip.addr#2 == 1.2.3.4"), "layer operator"));
	assert_non_null(strstr(error("frame.time_relative >= ${frame.time_relative}"), "field references"));
	assert_non_null(strstr(error("tcp.port == 80 and"), "Unexpected end"));
	assert_non_null(strstr(error("all tcp.port"), "needs a comparison"));
	assert_non_null(strstr(error("ip.addr > 10.0.0.0/8"), "CIDR"));
	assert_non_null(strstr(error("tcp.port == ip.src"), "not of compatible types"));
	assert_non_null(strstr(error("frame.time > 3"), "quoted string"));
	assert_non_null(strstr(error("frame.time > \"yesterday\""), "not a valid absolute time"));
	assert_non_null(strstr(error("tcp.srcport + 1"), "not a test"));
}

/* A literal past a multi-byte character: the caret counts characters. */
static void test_caret_columns(void **state)
{
	(void)state;
	const char *e = error("ftp.request.arg == \"é\" && nosuch");
	assert_non_null(strstr(e, "\n    ftp.request.arg == \"é\" && nosuch\n                              ^~~~~~"));
}

/* The names of a protocol list, sorted and joined by commas. */
static void protocol_names(const char *const *p, char *out, size_t outn)
{
	const char *names[16];
	unsigned n = 0;
	for (; p && p[n] && n < 16; n++)
		names[n] = p[n];
	for (unsigned a = 0; a < n; a++)
		for (unsigned b = a + 1; b < n; b++)
			if (strcmp(names[b], names[a]) < 0) {
				const char *x = names[a];
				names[a] = names[b];
				names[b] = x;
			}
	out[0] = 0;
	for (unsigned k = 0; k < n; k++)
		snprintf(out + strlen(out), outn - strlen(out), "%s%s", k ? "," : "", names[k]);
}

/* The dissectors a filter's frames can come from: with a key log TLS too,
 * as any of them may be inside TLS; without, TLS only when the filter
 * names it. */
static void test_protocols_needed(void **state)
{
	(void)state;
	struct {
		const char *filter, *decrypting, *clear;
	} cases[] = {
		{ "ftp.request.command == \"PASS\"", "ftp,tls", "ftp" },
		{ "ftp", "ftp,tls", "ftp" },
		{ "tcp.port == 21", "", "" },
		{ "ftp || dns.qry.name", "dns,ftp,tls", "dns,ftp" },
		{ "ftp && tcp.port == 21", "ftp,tls", "ftp" },
		{ "tcp && dns", "dns,tls", "dns" },
		{ "!ftp", "", "" },
		{ "ftp-data", "ftp,ftp-data,tls", "ftp,ftp-data" },
		{ "smb2.cmd == 1 || ntlmssp", "smb,tls", "smb" },
		{ "frame.number == 1", "", "" },
		{ "len(ssh.protocol) > 3", "ssh,tls", "ssh" },
		{ "wl.ftp.request_frame == 6", "ftp,tls", "ftp" },
		{ "cldap", "ldap,tls", "ldap" },
		{ "tls.handshake.type == 1", "tls", "tls" },
		{ "tls || ldap", "ldap,tls", "ldap,tls" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[1024], got[256], got_clear[256];
		struct wl_dfilter *df = wl_dfilter_compile(reg, cases[i].filter, err, sizeof err);
		assert_non_null(df);
		protocol_names(wl_dfilter_protocols(df, 1), got, sizeof got);
		protocol_names(wl_dfilter_protocols(df, 0), got_clear, sizeof got_clear);
		if (strcmp(got, cases[i].decrypting) != 0)
			fail_msg("%s: protocols %s with a key log, want %s", cases[i].filter, got,
				 cases[i].decrypting);
		if (strcmp(got_clear, cases[i].clear) != 0)
			fail_msg("%s: protocols %s without a key log, want %s", cases[i].filter, got_clear,
				 cases[i].clear);
		wl_dfilter_free(df);
	}
}

/* Filters on headers alone select the same frames without the application
 * dissectors; a field an application makes, or one that follows from them
 * (frame.protocols, tcp.completeness), needs them. */
static void test_below_apps(void **state)
{
	(void)state;
	struct {
		const char *filter;
		int below;
	} cases[] = {
		{ "tcp.port == 1", 1 },
		{ "frame.number == 0", 1 },
		{ "ip.addr == 10.0.0.0/8 && !(udp.port in {53 123})", 1 },
		{ "tcp.analysis.retransmission", 1 },
		{ "tcp.flags.syn == 1 || icmp || ipv6.addr == ::1", 1 },
		{ "tcp.payload contains \"USER\"", 1 },
		{ "len(tcp.payload) > 3", 1 },
		{ "tcp", 1 },
		{ "frame.protocols contains \"ftp\"", 0 },
		{ "tcp.completeness == 31", 0 },
		{ "data", 0 },
		{ "data.len > 3", 0 },
		{ "ftp", 0 },
		{ "tcp.port == 21 && ftp.request.command == \"USER\"", 0 },
		{ "tcp.port == 21 || dns", 0 },
		{ "tcp.srcport == 80 && len(ftp.request.arg) > 2", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[1024];
		struct wl_dfilter *df = wl_dfilter_compile(reg, cases[i].filter, err, sizeof err);
		if (!df)
			fail_msg("%s: %s", cases[i].filter, err);
		if (wl_dfilter_below_apps(df) != cases[i].below)
			fail_msg("%s: below the applications %d, want %d", cases[i].filter,
				 wl_dfilter_below_apps(df), cases[i].below);
		wl_dfilter_free(df);
	}
}

/* The fields a filter reads (wl_opts.want_field): its own, an alias's two,
 * every field of a protocol it names, and a protocol asked for by name
 * when any of its fields is read. frame.protocols reads them all. */
static void test_wanted_fields(void **state)
{
	(void)state;
	static const struct {
		const char *filter;
		const char *yes, *no;   /* space-separated names */
	} cases[] = {
		{ "tcp.port == 1", "tcp tcp.srcport tcp.dstport tcp.port", "ip ip.src tcp.seq udp.srcport udp" },
		{ "ip.addr == 10.0.0.0/8", "ip ip.src ip.dst ip.addr", "ipv6 ipv6.src tcp tcp.srcport ip.ttl" },
		{ "ntlmssp", "ntlmssp ntlmssp.auth.username", "smb2 smb2.cmd tcp" },
		{ "ftp.request.command == \"PASS\" || dns", "ftp ftp.request.command dns dns.qry.name dns.flags.response",
		  "ftp.response.code ftp-data tcp" },
		{ "tcp.payload", "tcp tcp.payload tcp.flags.reset", "tcp.seq ip" },
		{ "frame.number < 10", "", "frame frame.len tcp eth tcp.analysis." },
		/* a prefix: any field under it (the TCP analysis, for wl__tcpan_read) */
		{ "tcp.analysis.retransmission", "tcp.analysis. tcp tcp.analysis.retransmission", "tcp.analysis.rto ip" },
		{ "tcp && ip.len > 40", "tcp.analysis. tcp.seq ip.len", "ip.src ip.ttl" },
		/* the frame's own facts: no field of tcp is read */
		{ "tcp.stream == 3 || frame.len > 100", "", "tcp tcp.seq tcp.analysis. frame" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[1024], names[256];
		struct wl_dfilter *df = wl_dfilter_compile(reg, cases[i].filter, err, sizeof err);
		if (!df)
			fail_msg("%s: %s", cases[i].filter, err);
		struct wl_qwant *w = wl_qwant_new(reg, df, NULL, 0);
		assert_non_null(w);
		for (int want = 1; want >= 0; want--) {
			snprintf(names, sizeof names, "%s", want ? cases[i].yes : cases[i].no);
			for (char *save, *n = strtok_r(names, " ", &save); n; n = strtok_r(NULL, " ", &save))
				if (wl_qwant_field(w, n) != want)
					fail_msg("%s: %s wanted %d, want %d", cases[i].filter, n, !want, want);
		}
		wl_qwant_free(w);
		wl_dfilter_free(df);
	}
	/* which read messages' fields at all */
	static const struct {
		const char *filter;
		int reads;
	} msgs[] = { { "frame.number == 0", 0 }, { "tcp.stream in {1 2} && frame.len < 60", 0 },
		     { "tcp.stream == 1 && tcp.port == 80", 1 }, { "tcp", 1 }, { "tcp.payload", 1 } };
	for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
		struct wl_dfilter *mf = wl_dfilter_compile(reg, msgs[i].filter, NULL, 0);
		assert_non_null(mf);
		struct wl_qwant *w = wl_qwant_new(reg, mf, NULL, 0);
		assert_non_null(w);
		if (wl_qwant_reads_messages(w) != msgs[i].reads)
			fail_msg("%s: reads messages %d, want %d", msgs[i].filter, !msgs[i].reads, msgs[i].reads);
		wl_qwant_free(w);
		wl_dfilter_free(mf);
	}
	struct wl_dfilter *df = wl_dfilter_compile(reg, "frame.protocols contains \"ftp\"", NULL, 0);
	assert_non_null(df);
	assert_null(wl_qwant_new(reg, df, NULL, 0));   /* every field */
	wl_dfilter_free(df);
}

/* ---- hostile input ---- */

static void test_deep_nesting(void **state)
{
	(void)state;
	size_t n = 200000;
	char *s = malloc(2 * n + 8);
	assert_non_null(s);
	/* parentheses, nots and braces far past the depth limit: an error, no recursion to the bottom */
	const char *opens[] = { "(", "!", "not ", "{" };
	for (size_t k = 0; k < sizeof opens / sizeof opens[0]; k++) {
		size_t len = 0, w = strlen(opens[k]);
		while (len + w + 8 < 2 * n) {
			memcpy(s + len, opens[k], w);
			len += w;
		}
		memcpy(s + len, "tcp", 4);
		const char *e = error(s);
		assert_true(strstr(e, "deeper than") || strstr(e, "longer than"));
	}
	/* just under the limit is fine */
	size_t len = 0;
	for (int i = 0; i < WL_DF_MAX_DEPTH / 2 - 2; i++)
		s[len++] = '(';
	memcpy(s + len, "tcp", 3);
	len += 3;
	for (int i = 0; i < WL_DF_MAX_DEPTH / 2 - 2; i++)
		s[len++] = ')';
	s[len] = '\0';
	struct tframe *t = ftp_pass();
	assert_true(match(t, s));
	/* a long flat chain is not deep: && and || are n-ary */
	len = 0;
	for (int i = 0; i < 5000; i++) {
		memcpy(s + len, "tcp && ", 7);
		len += 7;
	}
	memcpy(s + len, "ftp", 4);
	assert_true(match(t, s));
	tf_free(t);
	free(s);
}

static void test_huge_literals(void **state)
{
	(void)state;
	size_t n = WL_DF_MAX_TEXT + 100;
	char *s = malloc(n + 64);
	assert_non_null(s);
	/* longer than the filter limit */
	memset(s, 'a', n);
	s[n] = '\0';
	assert_non_null(strstr(error(s), "longer than"));
	/* a string literal over MAX_LITERAL */
	int k = snprintf(s, 64, "ftp.request.arg == \"");
	memset(s + k, 'x', 20000);
	memcpy(s + k + 20000, "\"", 2);
	assert_non_null(strstr(error(s), "longer than"));
	/* a word of digits, a set of many elements */
	k = snprintf(s, 64, "tcp.port == ");
	memset(s + k, '9', 30000);
	s[k + 30000] = '\0';
	error(s);
	k = snprintf(s, 64, "tcp.port in {");
	for (int i = 0; i < 5000; i++)
		k += snprintf(s + k, 16, "%d ", i);
	memcpy(s + k, "}", 2);
	assert_non_null(strstr(error(s), "more than"));
	free(s);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	const char *bad[] = {
		"ftp.request.arg == \"\xff\"", "ftp.request.arg == \"\xc0\x80\"", "tcp\xe2\x82",
		"\xed\xa0\x80", "ftp.request.arg contains \"\xf8\x88\x80\x80\x80\"", "\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_non_null(strstr(error(bad[i]), "not valid UTF-8"));
	/* escapes may still make any byte */
	struct tframe *t = ftp_pass();
	assert_false(match(t, "ftp.request.arg == \"\\xff\\x00\""));
	assert_false(match(t, "ftp.request.arg matches \"\\\\xff\""));
	tf_free(t);
}

/* Every prefix of every filter, and bytes flipped: an error or a filter,
 * never a crash (run under ASan in CI). */
static void test_prefixes(void **state)
{
	(void)state;
	const char *filters[] = {
		"ftp.request.command == \"PA\\x53S\" && !(tcp.port in {21 2121 1..3}) || ip.addr == 10.0.0.0/8",
		"tcp.payload[0:2,4-6,-1:] contains 16:03 or frame[1] == 0xff and len(frame) > 3",
		"upper(ftp.request.arg) matches \"(?i)^a.*\" && max(tcp.srcport, tcp.dstport) < {2 * 1000 + 1}",
		"all tcp.port > 1024 and any ip.addr != 1.1.1.1 && frame.time > \"2020-07-04 12:34:56Z\"",
		"string(frame.number) ~ \"[13579]$\" || 'a' == tcp.len || tcp.flags & 0x12 == 0x12",
	};
	struct tframe *t = ftp_pass();
	char buf[512], err[2048];
	for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
		size_t n = strlen(filters[i]);
		for (size_t k = 0; k <= n; k++) {
			memcpy(buf, filters[i], k);
			buf[k] = '\0';
			for (int flip = 0; flip < 2; flip++) {
				if (flip && k)
					buf[k - 1] ^= 0x20;
				struct wl_dfilter *df = wl_dfilter_compile(reg, buf, err, sizeof err);
				if (df) {
					wl_dfilter_match(df, &t->q);
					wl_dfilter_free(df);
				} else {
					assert_true(err[0] != '\0');
				}
			}
		}
	}
	tf_free(t);
}

static void test_regex_limits(void **state)
{
	(void)state;
	/* catastrophic backtracking gives up (no match) instead of hanging */
	struct tframe *t = tf_new();
	tf_msg(t, "ftp");
	char arg[1024];
	memset(arg, 'a', 60);
	arg[60] = '!';
	arg[61] = '\0';
	tf_s(t, "ftp.request.arg", arg);
	assert_false(match(t, "ftp.request.arg matches \"^(a+)+$\""));
	tf_free(t);
}

static void test_registry(void **state)
{
	(void)state;
	assert_true(wl_qreg_known(reg, "frame.time_relative"));
	assert_true(wl_qreg_known(reg, "tcp.stream"));
	assert_true(wl_qreg_known(reg, "ip.addr"));
	assert_true(wl_qreg_known(reg, "ftp.request.command"));
	assert_true(wl_qreg_known(reg, "smb2"));
	assert_true(wl_qreg_known(reg, "ntlmssp"));
	assert_false(wl_qreg_known(reg, "wl"));
	assert_false(wl_qreg_known(reg, "nosuch.field"));
	const char *near[4];
	unsigned n = wl_qreg_nearest(reg, "tcp.prot", near, 4);
	assert_true(n >= 1);
	assert_string_equal(near[0], "tcp.port");
	n = wl_qreg_nearest(reg, "ftp.request", near, 4);
	assert_true(n >= 1);
}

static int setup(void **state)
{
	(void)state;
	reg = wl_qreg_new();
	return reg ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	wl_qreg_free(reg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presence_and_logic), cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_occurrences),        cmocka_unit_test(test_sets_and_strings),
		cmocka_unit_test(test_bytes_and_slices),   cmocka_unit_test(test_frame_fields),
		cmocka_unit_test(test_errors),             cmocka_unit_test(test_caret_columns),
		cmocka_unit_test(test_protocols_needed),
		cmocka_unit_test(test_below_apps),   cmocka_unit_test(test_wanted_fields),
		   cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_literals),      cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_prefixes),           cmocka_unit_test(test_regex_limits),
		cmocka_unit_test(test_registry),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
