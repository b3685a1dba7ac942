/* test_ftp.c - the FTP control dissector and ftp-data: login and the
 * cleartext-password warning, multi-line replies across segments, lines
 * without CRLF or 64 KiB long, garbage PASV/EPSV numbers, the data
 * connection found through PASV/EPSV/PORT on ports no table knows, and
 * truncation at every offset.
 *
 * About fieldcheck's "extra" values on the public corpus: tshark (packet-ftp.c)
 * puts fields on the first line of each TCP segment only and shows later
 * lines as bare text. wirelab gives every reply line its ftp.response.arg and
 * the final line of a multi-line reply its ftp.response.code, so a segment of
 * several lines has values tshark lacks (test_multiline_one_segment). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wltest.h"

#define C2S WL_C2S
#define S2C WL_S2C

static void say(struct wlt *t, int dir, const char *s)
{
	wlt_tcp_send(t, dir, s, strlen(s));
}

/* A message of proto/type whose field name has value v (nth such message). */
static const struct wlt_msg *find_with(const struct wlt *t, const char *proto, const char *type,
				       const char *name, const char *v)
{
	for (unsigned i = 0;; i++) {
		const struct wlt_msg *m = wlt_find(t, proto, type, i);
		if (!m)
			return NULL;
		const char *f = wlt_field(m, name, 0);
		if (f && strcmp(f, v) == 0)
			return m;
	}
}

struct flow_save {
	uint32_t seq[2];
	uint16_t port[2];
};

static void save(const struct wlt *t, struct flow_save *s)
{
	memcpy(s->seq, t->seq, sizeof s->seq);
	memcpy(s->port, t->port, sizeof s->port);
}

static void restore(struct wlt *t, const struct flow_save *s)
{
	memcpy(t->seq, s->seq, sizeof s->seq);
	memcpy(t->port, s->port, sizeof s->port);
}

static void test_login(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, S2C, "220 (vsFTPd 3.0.3)\r\n");
	say(&t, C2S, "USER anonymous\r\n");
	say(&t, S2C, "331 Please specify the password.\r\n");
	say(&t, C2S, "PASS guest@example.com\r\n");
	say(&t, S2C, "230 Login successful.\r\n");
	say(&t, C2S, "QUIT\r\n");
	say(&t, S2C, "221 Goodbye.\r\n");
	wlt_tcp_close(&t);
	wlt_finish(&t);

	assert_int_equal(wlt_count(&t, "ftp", "request"), 3);
	assert_int_equal(wlt_count(&t, "ftp", "response"), 4);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "response", 0);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "220");
	assert_string_equal(wlt_field(m, "ftp.response.arg", 0), "(vsFTPd 3.0.3)");
	assert_true(wlt_note(m, "greeting"));
	assert_null(wlt_field(m, "wl.ftp.request_frame", 0));

	m = find_with(&t, "ftp", "request", "ftp.request.command", "USER");
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ftp.request.arg", 0), "anonymous");
	assert_true(wlt_note(m, "anonymous login"));

	m = find_with(&t, "ftp", "request", "ftp.request.command", "PASS");
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ftp.request.arg", 0), "guest@example.com");
	assert_true(wlt_note(m, "warn: password sent in clear text"));
	assert_string_equal(m->text, "PASS guest@example.com");
	uint64_t pass_frame = m->frame;

	m = find_with(&t, "ftp", "response", "ftp.response.code", "331");
	assert_true(wlt_note(m, "3xx needs more"));
	assert_string_equal(wlt_field(m, "wl.ftp.request_command", 0), "USER");
	m = find_with(&t, "ftp", "response", "ftp.response.code", "230");
	assert_true(wlt_note(m, "2xx success"));
	char buf[32];
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)pass_frame);
	assert_string_equal(wlt_field(m, "wl.ftp.request_frame", 0), buf);
	m = find_with(&t, "ftp", "response", "ftp.response.code", "221");
	assert_string_equal(wlt_field(m, "wl.ftp.request_command", 0), "QUIT");
	wlt_free(&t);
}

static void test_redact(void **state)
{
	(void)state;
	struct wl_opts o = { .redact = 1 };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, 40000, 2121);
	say(&t, C2S, "USER lab\r\n");
	say(&t, C2S, "PASS s3cret\r\n");
	wlt_finish(&t);
	const struct wlt_msg *m = find_with(&t, "ftp", "request", "ftp.request.command", "PASS");
	assert_non_null(m);
	assert_null(strstr(m->text, "s3cret"));
	assert_null(strstr(m->fields, "s3cret"));
	assert_true(wlt_note(m, "clear text"));
	wlt_free(&t);
}

/* A reply split into 3-byte segments is one message with the whole text. */
static void test_multiline_split(void **state)
{
	(void)state;
	const char *r = "211-Features:\r\n EPSV\r\n PASV\r\n211-SIZE\r\n211 End\r\n";
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "FEAT\r\n");
	wlt_tcp_send_split(&t, S2C, r, strlen(r), 3);
	say(&t, C2S, "NOOP\r\n");
	say(&t, S2C, "200 NOOP ok.\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "response"), 2);
	assert_true(wlt_count(&t, "ftp", "response-part") >= 3);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "response", 0);
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "211");  /* its line began in an earlier segment */
	assert_string_equal(wlt_field(m, "wl.ftp.response.text", 0), "Features:\\n EPSV\\n PASV\\nSIZE\\nEnd");
	assert_string_equal(m->text, "211 Features: EPSV PASV SIZE End");
	assert_true(wlt_note(m, "multi-line reply: 5 lines"));
	assert_string_equal(wlt_field(m, "wl.ftp.request_command", 0), "FEAT");
	/* the NOOP reply pairs with NOOP: the multi-line reply was one reply */
	m = wlt_find(&t, "ftp", "response", 1);
	assert_string_equal(wlt_field(m, "wl.ftp.request_command", 0), "NOOP");
	/* the first segment's part carries the code, as tshark's frame does */
	m = wlt_find(&t, "ftp", "response-part", 0);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "211");
	wlt_free(&t);
}

/* A segment that goes on with a line begun earlier: tshark 4.0 dissects the
 * tail as the segment's first line (ftp.response.arg, no code); a value with
 * a NUL byte ends there (tshark's strings are C strings). */
static void test_segment_mid_line(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "USER a\r\n");
	say(&t, S2C, "230-Welcome to the lab of many wo");
	say(&t, S2C, "rds.\r\n230 ok\r\n");
	say(&t, C2S, "NOOP\r\n");
	wlt_tcp_send(&t, S2C, "200 a\0b\r\n", 9);
	say(&t, C2S, "NOOP\r\n");
	wlt_tcp_send(&t, S2C, "200 \0\r\n", 7);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "response-part", 0);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "230");
	assert_string_equal(wlt_field(m, "ftp.response.arg", 0), "Welcome to the lab of many wo");
	m = wlt_find(&t, "ftp", "response", 0);
	assert_null(wlt_field(m, "ftp.response.code", 0));
	assert_string_equal(wlt_field(m, "ftp.response.arg", 0), "rds.");
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "230");
	assert_string_equal(wlt_field(m, "wl.ftp.response.text", 0), "Welcome to the lab of many words.\\nok");
	m = wlt_find(&t, "ftp", "response", 1);
	assert_string_equal(wlt_field(m, "ftp.response.arg", 0), "a");
	m = wlt_find(&t, "ftp", "response", 2);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "200");
	assert_null(wlt_field(m, "ftp.response.arg", 0));
	wlt_free(&t);
}

/* Several lines in one segment: as tshark 4.0, the first line's text is
 * ftp.response.arg; the whole text is in wl.ftp.response.text. */
static void test_multiline_one_segment(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, S2C, "220-Welcome\r\n220-to the lab\r\n220 ready\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "response"), 1);
	assert_int_equal(wlt_count(&t, "ftp", "response-part"), 0);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "response", 0);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "220");
	assert_null(wlt_field(m, "ftp.response.code", 1));
	assert_string_equal(wlt_field(m, "ftp.response.arg", 0), "Welcome");
	assert_null(wlt_field(m, "ftp.response.arg", 1));
	assert_string_equal(wlt_field(m, "wl.ftp.response.text", 0), "Welcome\\nto the lab\\nready");
	assert_null(wlt_field(m, "wl.ftp.response.code", 0));
	wlt_free(&t);

	/* two replies in one segment: tshark dissects the first line only, the
	 * second reply's code and text go under wl. names */
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "RETR f\r\n");
	say(&t, S2C, "150 Opening.\r\n226 Done.\r\n");
	say(&t, C2S, "TYPE I\r\nSIZE f\r\n");
	wlt_finish(&t);
	m = wlt_find(&t, "ftp", "response", 0);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "150");
	m = wlt_find(&t, "ftp", "response", 1);
	assert_null(wlt_field(m, "ftp.response.code", 0));
	assert_null(wlt_field(m, "ftp.response.arg", 0));
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "226");
	assert_string_equal(wlt_field(m, "wl.ftp.response.arg", 0), "Done.");
	m = wlt_find(&t, "ftp", "request", 1);
	assert_string_equal(wlt_field(m, "ftp.request.command", 0), "TYPE");
	m = wlt_find(&t, "ftp", "request", 2);
	assert_null(wlt_field(m, "ftp.request.command", 0));
	assert_string_equal(wlt_field(m, "wl.ftp.request.command", 0), "SIZE");
	assert_string_equal(wlt_field(m, "wl.ftp.request.arg", 0), "f");
	wlt_free(&t);

	/* with -v, ftp.request/ftp.response once per frame, as tshark */
	struct wl_opts o = { .verbose = 1 };
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "NOOP\r\nNOOP\r\n");
	say(&t, S2C, "200 a\r\n");
	wlt_finish(&t);
	m = wlt_find(&t, "ftp", "request", 0);
	assert_string_equal(wlt_field(m, "ftp.request", 0), "1");
	assert_string_equal(wlt_field(m, "ftp.response", 0), "0");
	assert_null(wlt_field(wlt_find(&t, "ftp", "request", 1), "ftp.request", 0));
	m = wlt_find(&t, "ftp", "response", 0);
	assert_string_equal(wlt_field(m, "ftp.response", 0), "1");
	wlt_free(&t);
}

static void test_reply_without_crlf(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "QUIT\r\n");
	say(&t, S2C, "221 Goodbye.");
	wlt_tcp_close(&t);
	wlt_finish(&t);
	/* tshark's fields on the data's frame, the reply when the FIN ends it */
	const struct wlt_msg *m = wlt_find(&t, "ftp", "response-part", 0);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "221");
	assert_string_equal(wlt_field(m, "ftp.response.arg", 0), "Goodbye.");
	m = wlt_find(&t, "ftp", "response", 0);
	assert_non_null(m);
	assert_null(wlt_field(m, "ftp.response.code", 0));
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "221");
	assert_string_equal(wlt_field(m, "wl.ftp.response.arg", 0), "Goodbye.");
	assert_true(wlt_note(m, "without CRLF"));

	/* a lone LF ends a line as well; a multi-line reply that never ends is shown */
	wlt_free(&t);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, S2C, "220 hi\n211-a\r\n b\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "response"), 2);
	m = wlt_find(&t, "ftp", "response", 1);
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "211");
	assert_true(wlt_note(m, "without CRLF"));
	wlt_free(&t);
}

/* A 64 KiB line is cut with a note; the next line is read normally. */
static void test_long_line(void **state)
{
	(void)state;
	size_t n = 64 * 1024;
	char *big = malloc(n + 16);
	assert_non_null(big);
	memcpy(big, "STOR ", 5);
	memset(big + 5, 'A', n);
	memcpy(big + 5 + n, "\r\nNOOP\r\n", 8);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	wlt_tcp_send_split(&t, C2S, big, n + 13, 1460);
	memcpy(big, "550 ", 4);
	memset(big + 4, 'x', n);
	memcpy(big + 4 + n, "\r\n200 ok\r\n", 10);
	wlt_tcp_send_split(&t, S2C, big, n + 14, 1460);
	wlt_finish(&t);
	free(big);

	assert_int_equal(wlt_count(&t, "ftp", "request"), 2);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "request", 0);
	assert_string_equal(wlt_field(m, "ftp.request.command", 0), "STOR");
	assert_int_equal(strlen(wlt_field(m, "ftp.request.arg", 0)), 4096 - 5);
	assert_true(wlt_note(m, "line of 65541 bytes cut to 4096"));
	m = wlt_find(&t, "ftp", "request", 1);  /* after the tail in the same segment */
	assert_string_equal(wlt_field(m, "wl.ftp.request.command", 0), "NOOP");

	assert_int_equal(wlt_count(&t, "ftp", "response"), 2);
	m = wlt_find(&t, "ftp", "response-part", 0);  /* the first segment's part of the line */
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "550");
	m = wlt_find(&t, "ftp", "response", 0);
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "550");
	assert_true(wlt_note(m, "cut to 4096"));
	m = wlt_find(&t, "ftp", "response", 1);
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "200");
	wlt_free(&t);
}

/* One reply through a fresh control connection; returns the response message. */
static const struct wlt_msg *one_reply(struct wlt *t, const char *cmd, const char *reply)
{
	wlt_init(t, NULL);
	wlt_tcp_open(t, 40000, 21);
	say(t, C2S, cmd);
	say(t, S2C, reply);
	wlt_finish(t);
	return wlt_find(t, "ftp", "response", 0);
}

static void test_pasv_garbage(void **state)
{
	(void)state;
	struct wlt t;
	const struct wlt_msg *m = one_reply(&t, "PASV\r\n", "227 Entering Passive Mode (10,0,0,2,117,48).\r\n");
	assert_string_equal(wlt_field(m, "ftp.passive.ip", 0), "10.0.0.2");
	assert_string_equal(wlt_field(m, "ftp.passive.port", 0), "30000");
	assert_true(wlt_note(m, "10.0.0.2:30000 is this session's data connection"));
	assert_null(wlt_field(m, "ftp.passive.nat", 0));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 Entering Passive Mode (192,168,1,9,117,48).\r\n");
	assert_string_equal(wlt_field(m, "ftp.passive.nat", 0), "1");
	assert_true(wlt_note(m, "10.0.0.2:30000 is this session's data connection"));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 Entering Passive Mode (300,0,0,2,117,48).\r\n");
	assert_null(wlt_field(m, "ftp.passive.port", 0));
	assert_true(wlt_note(m, "error: malformed: 300 in the 227 reply is not a byte"));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 Entering Passive Mode (10,0,0,2,117,256)\r\n");
	assert_null(wlt_field(m, "ftp.passive.port", 0));
	assert_true(wlt_note(m, "256 in the 227 reply"));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 Entering Passive Mode 10,0,0,2,117,49\r\n");
	assert_string_equal(wlt_field(m, "ftp.passive.port", 0), "30001");
	assert_true(wlt_note(m, "no parentheses"));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 Entering Passive Mode (10,0,0,2)\r\n");
	assert_null(wlt_field(m, "ftp.passive.ip", 0));
	assert_true(wlt_note(m, "227 reply without h1,h2,h3,h4,p1,p2"));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 (99999999999999999999,1,2,3,4,5)\r\n");
	assert_non_null(m);
	assert_null(wlt_field(m, "ftp.passive.ip", 0));
	wlt_free(&t);

	/* the scan finds six numbers after junk, as RFC 1123 asks */
	m = one_reply(&t, "PASV\r\n", "227 at 99999999999999999999,1,2,3,4,5,6\r\n");
	assert_string_equal(wlt_field(m, "ftp.passive.ip", 0), "1.2.3.4");
	assert_string_equal(wlt_field(m, "ftp.passive.port", 0), "1286");
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227 =-1,-2,-3,-4,-5,-6\r\n");
	assert_null(wlt_field(m, "ftp.passive.ip", 0));
	wlt_free(&t);

	m = one_reply(&t, "PASV\r\n", "227\r\n");
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "227");
	assert_true(wlt_note(m, "malformed"));
	wlt_free(&t);
}

static void test_epsv_delimiters(void **state)
{
	(void)state;
	struct wlt t;
	const struct wlt_msg *m = one_reply(&t, "EPSV\r\n", "229 Entering Extended Passive Mode (|||30001|)\r\n");
	assert_string_equal(wlt_field(m, "ftp.epsv.port", 0), "30001");
	wlt_free(&t);

	m = one_reply(&t, "EPSV\r\n", "229 Entering Extended Passive Mode (!!!30002!)\r\n");
	assert_string_equal(wlt_field(m, "ftp.epsv.port", 0), "30002");
	assert_true(wlt_note(m, "delimiter '!'"));
	wlt_free(&t);

	static const char *const bad[] = {
		"229 Entering Extended Passive Mode (|!|30001|)\r\n",
		"229 Entering Extended Passive Mode (|||70000|)\r\n",
		"229 Entering Extended Passive Mode |||30001|\r\n",
		"229 Entering Extended Passive Mode (1113001)\r\n",
		"229 Entering Extended Passive Mode (|||30001)\r\n",
		"229 Entering Extended Passive Mode (|||)\r\n",
		"229 (\r\n",
		"229 ( \001\001\0015\001)\r\n",  /* octal: \001 then 5 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		m = one_reply(&t, "EPSV\r\n", bad[i]);
		assert_non_null(m);
		assert_null(wlt_field(m, "ftp.epsv.port", 0));
		assert_true(wlt_note(m, "error: malformed: 229"));
		wlt_free(&t);
	}
}

static void test_pasv_then_data(void **state)
{
	(void)state;
	struct wlt t;
	struct flow_save ctl;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "PASV\r\n");
	say(&t, S2C, "227 Entering Passive Mode (10,0,0,2,117,48).\r\n");
	save(&t, &ctl);
	/* the client connects before it sends RETR, as ftplib does */
	wlt_tcp_open(&t, 40001, 30000);
	struct flow_save data;
	save(&t, &data);
	restore(&t, &ctl);
	say(&t, C2S, "RETR hello.txt\r\n");
	say(&t, S2C, "150 Opening BINARY mode data connection for hello.txt (5 bytes).\r\n");
	save(&t, &ctl);
	restore(&t, &data);
	say(&t, S2C, "hel");
	say(&t, S2C, "lo");
	wlt_tcp_close(&t);
	restore(&t, &ctl);
	say(&t, S2C, "226 Transfer complete.\r\n");
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "ftp-data", "data", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ftp-data.command", 0), "RETR hello.txt");
	assert_string_equal(wlt_field(m, "ftp-data.setup-method", 0), "PASV");
	assert_string_equal(m->text, "data for RETR hello.txt: \"hel\"");
	assert_true(wlt_note(m, "readable by anyone"));
	m = wlt_find(&t, "ftp-data", "complete", 0);
	assert_non_null(m);
	assert_int_equal(m->dir, S2C);
	assert_string_equal(wlt_field(m, "wl.ftp-data.bytes", 0), "5");
	assert_string_equal(wlt_field(m, "wl.ftp-data.sha256", 0),
			    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	assert_true(wlt_note(m, "as many bytes as the server announced"));
	const struct wlt_msg *req = find_with(&t, "ftp", "request", "ftp.request.command", "RETR");
	assert_true(wlt_note(req, "set up by PASV"));
	assert_int_equal(wlt_count(&t, "data", NULL), 0);
	wlt_free(&t);
}

static void test_epsv_list(void **state)
{
	(void)state;
	struct wlt t;
	struct flow_save ctl;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 2121);
	say(&t, C2S, "EPSV\r\n");
	say(&t, S2C, "229 Entering Extended Passive Mode (|||30005|)\r\n");
	say(&t, C2S, "LIST\r\n");
	save(&t, &ctl);
	wlt_tcp_open(&t, 40002, 30005);
	const char *ls = "-rw-r--r-- 1 0 0 42 Nov 25 hello.txt\r\n-rw-r--r-- 1 0 0 9 Nov 25 big.bin";
	wlt_tcp_send_split(&t, S2C, ls, strlen(ls), 7);
	wlt_tcp_close(&t);
	restore(&t, &ctl);
	say(&t, S2C, "226 Directory send OK.\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp-data", "line"), 2);
	const struct wlt_msg *m = wlt_find(&t, "ftp-data", "line", 0);
	assert_string_equal(m->text, "-rw-r--r-- 1 0 0 42 Nov 25 hello.txt");
	m = wlt_find(&t, "ftp-data", "line", 1);
	assert_true(wlt_note(m, "without CRLF"));
	m = wlt_find(&t, "ftp-data", "data", 0);
	assert_string_equal(wlt_field(m, "ftp-data.setup-method", 0), "EPASV");
	assert_string_equal(wlt_field(m, "ftp-data.command", 0), "LIST");
	m = wlt_find(&t, "ftp-data", "complete", 0);
	assert_null(wlt_field(m, "ftp-data.setup-method", 0));  /* the FIN frame: no data */
	assert_string_equal(wlt_field(m, "wl.ftp-data.lines", 0), "2");
	wlt_free(&t);

	/* every data frame carries the ftp-data.* fields, as tshark's (ftp.pcap:
	 * 90 frames had them only in tshark), without -v too */
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 2121);
	say(&t, C2S, "EPSV\r\n");
	say(&t, S2C, "229 Entering Extended Passive Mode (|||30005|)\r\n");
	say(&t, C2S, "RETR f\r\n");
	save(&t, &ctl);
	wlt_tcp_open(&t, 40002, 30005);
	say(&t, S2C, "abc");
	say(&t, S2C, "def");
	say(&t, S2C, "ghi");
	wlt_tcp_close(&t);
	restore(&t, &ctl);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp-data", "segment"), 2);
	m = wlt_find(&t, "ftp-data", "segment", 1);
	assert_string_equal(wlt_field(m, "ftp-data.command", 0), "RETR f");
	assert_string_equal(wlt_field(m, "ftp-data.setup-method", 0), "EPASV");
	m = wlt_find(&t, "ftp", "response", 0);
	assert_null(wlt_field(m, "ftp.epsv.ip", 0));  /* -v only */
	wlt_free(&t);
}

/* PORT: the server connects to the client; the harness's SYN comes from
 * 10.0.0.1, so the announced client port is the new flow's client port. */
static void test_port_active(void **state)
{
	(void)state;
	struct wlt t;
	struct flow_save ctl;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "PORT 10,0,0,1,156,68\r\n");
	say(&t, S2C, "200 PORT command successful.\r\n");
	say(&t, C2S, "NLST\r\n");
	save(&t, &ctl);
	wlt_tcp_open(&t, 40004, 20);
	say(&t, C2S, "a\r\nb\r\n");
	wlt_tcp_close(&t);
	restore(&t, &ctl);
	wlt_finish(&t);
	const struct wlt_msg *m = find_with(&t, "ftp", "request", "ftp.request.command", "PORT");
	assert_string_equal(wlt_field(m, "ftp.active.cip", 0), "10.0.0.1");
	assert_null(wlt_field(m, "ftp.active.nat", 0));  /* named only when true, as tshark */
	assert_string_equal(wlt_field(m, "ftp.active.port", 0), "40004");
	m = wlt_find(&t, "ftp-data", "data", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ftp-data.setup-method", 0), "PORT");
	assert_string_equal(wlt_field(m, "ftp-data.command", 0), "NLST");
	assert_int_equal(wlt_count(&t, "ftp-data", "line"), 2);
	wlt_free(&t);

	/* EPRT, both families; bad ones are notes */
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "EPRT |1|10.0.0.1|40006|\r\n");
	say(&t, C2S, "EPRT |2|::1|40007|\r\n");
	say(&t, C2S, "EPRT |3|10.0.0.1|40006|\r\n");
	say(&t, C2S, "EPRT |1|10.0.0.1|99999|\r\n");
	say(&t, C2S, "EPRT |1|10.0.0.300|1|\r\n");
	say(&t, C2S, "EPRT\r\n");
	say(&t, C2S, "PORT 1,2,3\r\n");
	wlt_finish(&t);
	m = wlt_find(&t, "ftp", "request", 0);
	assert_string_equal(wlt_field(m, "ftp.eprt.ip", 0), "10.0.0.1");
	assert_string_equal(wlt_field(m, "ftp.eprt.port", 0), "40006");
	m = wlt_find(&t, "ftp", "request", 1);
	assert_string_equal(wlt_field(m, "ftp.eprt.ipv6", 0), "::1");
	for (unsigned i = 2; i < 7; i++) {
		m = wlt_find(&t, "ftp", "request", i);
		assert_true(wlt_note(m, "malformed"));
	}
	wlt_free(&t);
}

/* ftp-data.* against tshark 4.0: the differences tests/tshark_fields.py finds on
 * the corpus and the lab's captures are documented in tests/tshark_known/
 * ftp-data.known; the three tests below pin wirelab's side of each. */

/* The command named is the transfer command that uses the connection, not the
 * first request after the set-up: packet-ftp.c (dissect_ftp) gives the data
 * conversation whatever request comes next, so tshark labels retr.pcap's data
 * with "SIZE /README" (frame 29) where the data answers "RETR /README" (35). */
static void test_command_after_size(void **state)
{
	(void)state;
	struct wlt t;
	struct flow_save ctl;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "EPSV\r\n");
	say(&t, S2C, "229 Entering Extended Passive Mode (|||38141|)\r\n");
	say(&t, C2S, "SIZE /README\r\n");
	say(&t, S2C, "213 16557\r\n");
	say(&t, C2S, "CWD /README\r\n");
	say(&t, S2C, "550 /README: Not a directory\r\n");
	say(&t, C2S, "RETR /README\r\n");
	say(&t, S2C, "150 Opening BINARY mode data connection for /README\r\n");
	save(&t, &ctl);
	wlt_tcp_open(&t, 50737, 38141);
	say(&t, S2C, "abc");
	say(&t, S2C, "def");
	wlt_tcp_close(&t);
	restore(&t, &ctl);
	wlt_finish(&t);
	const struct wlt_msg *retr = find_with(&t, "ftp", "request", "ftp.request.command", "RETR");
	assert_non_null(retr);
	char retr_frame[24];
	snprintf(retr_frame, sizeof retr_frame, "%llu", (unsigned long long)retr->frame);
	const struct wlt_msg *data[] = { wlt_find(&t, "ftp-data", "data", 0),
					 wlt_find(&t, "ftp-data", "segment", 0) };
	for (unsigned i = 0; i < 2; i++) {
		assert_non_null(data[i]);
		assert_string_equal(wlt_field(data[i], "ftp-data.command", 0), "RETR /README");
		assert_string_equal(wlt_field(data[i], "ftp-data.command-frame", 0), retr_frame);
	}
	wlt_free(&t);
}

/* Active mode: the connection to the address PORT/EPRT announced is the data
 * connection, whatever port the server connects from. tshark 4.0 finds none
 * of ipv4.pcap's, ipv6.pcap's or the lab's ftp.pcap's: packet-ftp.c's
 * dissect_ftp links PORT to the server's port 20 only (those servers connect
 * from ephemeral ports), and EPRT to the client's address on both ends. The
 * harness opens every connection from 10.0.0.1, the announced side here. */
static void test_active_any_server_port(void **state)
{
	(void)state;
	static const struct {
		const char *setup, *cmd, *method;
		uint16_t port;
	} cases[] = {
		{ "PORT 10,0,0,1,131,46\r\n", "LIST\r\n", "PORT", 33582 },
		{ "EPRT |1|10.0.0.1|49189|\r\n", "RETR robots.txt\r\n", "EPRT", 49189 },
	};
	for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct wlt t;
		struct flow_save ctl;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, 50003, 21);
		say(&t, C2S, cases[i].setup);
		say(&t, S2C, "200 Command successful.\r\n");
		say(&t, C2S, cases[i].cmd);
		save(&t, &ctl);
		wlt_tcp_open(&t, cases[i].port, 61920);  /* not from port 20 */
		say(&t, S2C, "abc\r\n");
		wlt_tcp_close(&t);
		restore(&t, &ctl);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "ftp-data", "data", 0);
		assert_non_null(m);
		assert_string_equal(wlt_field(m, "ftp-data.setup-method", 0), cases[i].method);
		assert_non_null(wlt_field(m, "ftp-data.setup-frame", 0));
		assert_non_null(wlt_field(m, "ftp-data.command", 0));
		wlt_free(&t);
	}
}

/* A data segment that arrives before the one it follows gets its ftp-data.*
 * fields on the frame that fills the hole, where its bytes are dissected in
 * order. tshark 4.0 labels the early segment and leaves the late one as bare
 * TCP (defaults tcp.reassemble_out_of_order FALSE, tcp.no_subdissector_on_error
 * TRUE); with -o tcp.reassemble_out_of_order:TRUE it labels the frames this
 * does (corpus ftp.pcap frames 72 and 74). */
static void test_data_out_of_order(void **state)
{
	(void)state;
	struct wlt t;
	struct flow_save ctl;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50694, 21);
	say(&t, C2S, "PASV\r\n");
	say(&t, S2C, "227 Entering Passive Mode (10,0,0,2,95,203).\r\n");
	say(&t, C2S, "RETR 1MB.zip\r\n");
	save(&t, &ctl);
	wlt_tcp_open(&t, 50696, 24523);
	wlt_tcp_send_at(&t, S2C, 3, "def", 3);   /* the second segment first */
	say(&t, S2C, "abc");                     /* fills the hole */
	t.seq[S2C] += 3;                         /* past "def" */
	say(&t, S2C, "ghi");
	wlt_tcp_close(&t);
	restore(&t, &ctl);
	wlt_finish(&t);
	const struct wlt_msg *first = wlt_find(&t, "ftp-data", "data", 0);
	const struct wlt_msg *next = wlt_find(&t, "ftp-data", "segment", 0);
	assert_non_null(first);
	assert_non_null(next);
	assert_string_equal(first->text, "data for RETR 1MB.zip: \"abc\"");
	assert_string_equal(wlt_field(first, "ftp-data.command", 0), "RETR 1MB.zip");
	assert_int_equal(first->frame + 1, next->frame);
	assert_int_equal(wlt_count(&t, "ftp-data", "segment"), 1);
	assert_string_equal(wlt_field(wlt_find(&t, "ftp-data", "complete", 0), "wl.ftp-data.bytes", 0), "9");
	/* nothing of ftp-data on the early segment's frame */
	for (unsigned i = 0; i < t.n; i++)
		if (t.msgs[i].frame == first->frame - 1)
			assert_string_not_equal(t.msgs[i].proto, "ftp-data");
	wlt_free(&t);
}

/* Every prefix of a session: no crash; a reply cut before its CRLF is still shown. */
static void test_truncation(void **state)
{
	(void)state;
	const char *r = "227 Entering Passive Mode (10,0,0,2,117,48).\r\n";
	size_t n = strlen(r);
	for (size_t k = 1; k <= n; k++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, 40000, 21);
		say(&t, C2S, "PASV\r\n");
		wlt_tcp_send(&t, S2C, r, k);
		wlt_tcp_close(&t);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "ftp", "response", 0);
		assert_non_null(m);
		if (k < n)  /* a CR without its LF is no line end */
			assert_true(wlt_note(m, "without CRLF"));
		else
			assert_false(wlt_note(m, "without CRLF"));
		/* unended, the line's fields are on the data's frame (a part) */
		if (k >= 3 && k < n)
			assert_string_equal(wlt_field(wlt_find(&t, "ftp", "response-part", 0),
						      "ftp.response.code", 0), "227");
		if (k >= 3)
			assert_non_null(wlt_field(m, k < n ? "wl.ftp.response.code" : "ftp.response.code", 0));
		wlt_free(&t);
	}
	/* and a whole session cut at every offset of both directions */
	const char *c = "USER a\r\nPASS b\r\nEPSV\r\nRETR f\r\nQUIT\r\n";
	const char *s = "220-x\r\n y\r\n220 z\r\n331 p\r\n230 ok\r\n229 (|||1|)\r\n150 go\r\n226 ok\r\n221 bye\r\n";
	for (size_t k = 0; k <= strlen(s); k++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, 40000, 21);
		wlt_tcp_send(&t, S2C, s, k);
		wlt_tcp_send(&t, C2S, c, k < strlen(c) ? k : strlen(c));
		wlt_finish(&t);
		wlt_free(&t);
	}
}

/* Bytes missing from the capture, binary junk, pipelined commands. */
static void test_hostile(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, S2C, "99 PASV invalid\r\n");
	say(&t, S2C, "211-first\r\n");
	wlt_tcp_send_at(&t, S2C, 10, "lost\r\n211 End\r\n", 15);  /* a 10-byte hole */
	static const uint8_t junk[] = { 0, 0xff, 0xfe, '\r', '\n', 0x80, ' ', 0, '\n', '\n' };
	wlt_tcp_send(&t, C2S, junk, sizeof junk);
	say(&t, C2S, "TYPE I\r\nSIZE f\r\nMDTM f\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "request"), 6);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "request", 2);
	assert_true(wlt_note(m, "malformed: empty command line"));
	m = find_with(&t, "ftp", "response", "ftp.response.arg", "99 PASV invalid");
	assert_non_null(m);
	assert_null(wlt_field(m, "ftp.response.code", 0));
	assert_true(wlt_note(m, "three-digit code"));
	m = wlt_find(&t, "ftp", "response", 1);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "wl.ftp.response.code", 0), "211");
	assert_true(wlt_note(m, "missing from the capture"));
	wlt_free(&t);

	/* after AUTH TLS and 234 nothing is read as FTP commands any more */
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 21);
	say(&t, C2S, "AUTH TLS\r\n");
	say(&t, S2C, "234 Proceed with negotiation.\r\n");
	say(&t, C2S, "\x16\x03\x01\x00\x05USER x\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "request"), 1);
	assert_true(wlt_note(wlt_find(&t, "ftp", "response", 0), "TLS"));
	wlt_free(&t);
}

/* FTP on a port no table knows: found by the greeting or the first command. */
static void test_probe(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 5555);
	say(&t, S2C, "220 Service ready\r\n");
	say(&t, C2S, "USER bob\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "request"), 1);
	wlt_free(&t);

	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 5555);
	say(&t, C2S, "USER bob\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "request"), 1);
	wlt_free(&t);

	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 5555);
	say(&t, S2C, "220 mail.example.com ESMTP Postfix\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", NULL), 0);
	wlt_free(&t);

	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 5555);
	say(&t, S2C, "220-multi");
	say(&t, S2C, "\r\n220 x\r\n");
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "ftp", "response"), 1);
	wlt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_multiline_split),
		cmocka_unit_test(test_multiline_one_segment),
		cmocka_unit_test(test_segment_mid_line),
		cmocka_unit_test(test_reply_without_crlf),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_pasv_garbage),
		cmocka_unit_test(test_epsv_delimiters),
		cmocka_unit_test(test_pasv_then_data),
		cmocka_unit_test(test_epsv_list),
		cmocka_unit_test(test_port_active),
		cmocka_unit_test(test_command_after_size),
		cmocka_unit_test(test_active_any_server_port),
		cmocka_unit_test(test_data_out_of_order),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_probe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
