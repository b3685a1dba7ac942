/* test_check.c - the pieces of `wirelab check` and `lab --expect` one by one:
 * JSON Lines read back, the expected files' header, tshark's value formats
 * normalised, the field diff (whole messages, named fields, a tshark TSV),
 * XML escaping of any byte, and the lab's step comparison on stored captures
 * against captures of the same exchanges recorded again later
 * (tests/data/rerun/: other ports, keys, times, IDs, an SMB server that
 * answered a READ asynchronously, an SNMP agent with other interfaces) and
 * against a capture changed on purpose. tests/check_modes.py runs the
 * command itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "check.h"
#include "lab.h"

/* The lines a diff function writes, as one string. */
struct lines {
	char *buf;
	size_t len;
	FILE *f;
};

static void lines_open(struct lines *l)
{
	l->buf = NULL;
	l->len = 0;
	l->f = open_memstream(&l->buf, &l->len);
	assert_non_null(l->f);
}

static const char *lines_close(struct lines *l)
{
	fclose(l->f);
	return l->buf;
}

static void parse(struct wl_jdoc *d, const char *text)
{
	char err[256];
	if (wl_jdoc_parse(d, text, strlen(text), err, sizeof err) < 0)
		fail_msg("parse: %s", err);
}

static const struct wl_jkey *key(const struct wl_jmsg *m, const char *name)
{
	for (size_t i = 0; i < m->nkeys; i++)
		if (strcmp(m->keys[i].name, name) == 0)
			return &m->keys[i];
	return NULL;
}

static void test_json_lines(void **state)
{
	(void)state;
	struct wl_jdoc d;
	parse(&d, "{\"type\":\"expect\",\"wirelab\":\"9.9\",\"options\":[\"-T\",\"json\",\"a b\"]}\n"
		  "{\"frame\":12,\"time\":0.5,\"src\":\"1.2.3.4:5\",\"proto\":\"ftp\",\"type\":\"response\","
		  "\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\ud800\",\"fields\":{\"ftp.response.code\":230,"
		  "\"x.list\":[1,\"two\",{\"k\":[3]}],\"x.b\":true},"
		  "\"notes\":[{\"level\":\"info\",\"text\":\"one\"},{\"level\":\"warn\",\"text\":\"two\"},"
		  "{\"level\":\"info\",\"text\":\"three\"}]}\n"
		  "\n{\"type\":\"step\",\"step\":\"start\"}\n");
	assert_true(d.has_header);
	assert_string_equal(d.version, "9.9");
	assert_string_equal(d.options, "-T json 'a b'");
	assert_int_equal(d.n, 1);
	assert_int_equal(d.skipped, 1);
	const struct wl_jmsg *m = &d.msgs[0];
	assert_int_equal(m->frame, 12);
	assert_string_equal(m->proto, "ftp");
	assert_string_equal(m->type, "response");
	assert_int_equal(m->line, 2);
	assert_string_equal(key(m, "ftp.response.code")->vals[0], "230");
	assert_string_equal(key(m, "frame.time_relative")->vals[0], "0.5");
	assert_string_equal(key(m, "wl.src")->vals[0], "\"1.2.3.4:5\"");
	const struct wl_jkey *list = key(m, "x.list");
	assert_int_equal(list->nvals, 3);
	assert_string_equal(list->vals[2], "{\"k\":[3]}");
	/* notes of a level under one name, in order */
	assert_int_equal(key(m, "wl.note.info")->nvals, 2);
	assert_string_equal(key(m, "wl.note.info")->vals[1], "\"three\"");
	char *text = wl_json_value_text(key(m, "wl.text")->vals[0]);
	assert_string_equal(text, "caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbd");
	free(text);
	/* broken escapes grow: "\u" alone is U+FFFD */
	static const char broken[] = "\"\\u\\u\\u\\u\\uzz\\u12\"";
	char *grown = wl_json_decode_string(broken, strlen(broken));
	assert_string_equal(grown, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdzz\xef\xbf\xbd" "12");
	free(grown);
	char *b = wl_json_value_text(key(m, "x.b")->vals[0]);
	assert_string_equal(b, "1");
	free(b);
	wl_jdoc_free(&d);

	/* not JSON: the line is said */
	static const char *const bad[] = { "{\"frame\":1,}", "{\"frame\":1", "[1]", "{\"a\":\"\x01\"}",
					   "{\"frame\":1} x", "{\"a\":tru}" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char doc[64], err[128];
		snprintf(doc, sizeof doc, "{\"frame\":1}\n%s\n", bad[i]);
		assert_int_equal(wl_jdoc_parse(&d, doc, strlen(doc), err, sizeof err), -1);
		assert_string_equal(err, "line 2 is not a JSON object");
	}
	/* nesting deeper than the parser goes is refused, not a stack overflow */
	char deep[400] = "{\"a\":";
	for (int i = 0; i < 100; i++)
		strcat(deep, "[");
	char err[128];
	assert_int_equal(wl_jdoc_parse(&d, deep, strlen(deep), err, sizeof err), -1);
}

static void test_headers(void **state)
{
	(void)state;
	const char *opts[] = { "-T", "text", "--color=never", "-d", "tcp.port==9,ftp", "--keylog", "it's.keylog" };
	char *h = wl_expect_header(WL_EXPECT_TRACE, opts, 7);
	char want[256];
	snprintf(want, sizeof want, "# wirelab %s check: read -T text --color=never -d tcp.port==9,ftp "
		 "--keylog 'it'\\''s.keylog'\n", wl_version());
	assert_string_equal(h, want);
	char *file = NULL, *v, *o;
	assert_true(asprintf(&file, "%s      #      time\n", h) > 0);
	size_t hl = wl_expect_split(WL_EXPECT_TRACE, file, strlen(file), &v, &o);
	assert_int_equal(hl, strlen(h));
	assert_string_equal(v, wl_version());
	assert_string_equal(o, "-T text --color=never -d tcp.port==9,ftp --keylog 'it'\\''s.keylog'");
	free(v);
	free(o);
	free(file);
	free(h);

	h = wl_expect_header(WL_EXPECT_JSON, opts, 2);
	snprintf(want, sizeof want, "{\"type\":\"expect\",\"wirelab\":\"%s\",\"options\":[\"-T\",\"text\"]}\n",
		 wl_version());
	assert_string_equal(h, want);
	hl = wl_expect_split(WL_EXPECT_JSON, h, strlen(h), &v, &o);
	assert_int_equal(hl, strlen(h));
	assert_string_equal(o, "-T text");
	free(v);
	free(o);
	free(h);

	/* files without a header (older suites) are all body */
	static const char old_trace[] = "      #      time  127.0.0.1:34340\n";
	static const char old_json[] = "{\"frame\":1,\"proto\":\"tcp\",\"type\":\"segment\",\"fields\":{}}\n";
	assert_int_equal(wl_expect_split(WL_EXPECT_TRACE, old_trace, strlen(old_trace), &v, &o), 0);
	assert_null(v);
	assert_int_equal(wl_expect_split(WL_EXPECT_JSON, old_json, strlen(old_json), &v, &o), 0);
	assert_null(o);
}

static void same_norm(const char *a, const char *b)
{
	char *x = wl_norm_value(a), *y = wl_norm_value(b);
	if (strcmp(x, y) != 0)
		fail_msg("'%s' -> %s but '%s' -> %s", a, x, b, y);
	free(x);
	free(y);
}

static void other_norm(const char *a, const char *b)
{
	char *x = wl_norm_value(a), *y = wl_norm_value(b);
	if (strcmp(x, y) == 0)
		fail_msg("'%s' and '%s' are both %s", a, b, x);
	free(x);
	free(y);
}

static void test_norm(void **state)
{
	(void)state;
	same_norm("0x0002", "2");
	same_norm("0x00000103", "259");
	same_norm("True", "1");
	same_norm("False", "0");
	same_norm(" 25 ", "25");
	same_norm("007", "7");
	same_norm("18446744073709551615", "18446744073709551615");
	same_norm("0.000025000", "0.000025");
	same_norm("1.0", "1");
	same_norm("Nov 25, 2026 12:00:00.123456789 UTC", "2026-11-25T12:00:00.123456789Z");
	same_norm("Jan  1, 1970 00:00:01.000000000 UTC", "1970-01-01T00:00:01Z");
	same_norm("abc ", "abc");
	other_norm("18446744073709551615", "18446744073709551614");
	other_norm("0.0000261", "0.000025");
	other_norm("230", "530");
	other_norm("abc", "ABC");
	other_norm("-0x2", "2");
	char *s = wl_norm_value("Login successful.");
	assert_string_equal(s, "s:Login successful.");
	free(s);
}

static const char expected_doc[] =
	"{\"frame\":11,\"time\":0.1388,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"tcp\",\"type\":\"segment\","
	"\"fields\":{\"tcp.len\":23}}\n"
	"{\"frame\":11,\"time\":0.1388,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"ftp\",\"type\":\"response\","
	"\"text\":\"230 Login successful.\",\"fields\":{\"ftp.response.code\":230,\"ftp.response.arg\":"
	"\"Login successful.\"},\"notes\":[{\"level\":\"info\",\"text\":\"2xx success\"}]}\n"
	"{\"frame\":12,\"time\":0.1391,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"ftp\",\"type\":\"request\","
	"\"fields\":{\"ftp.request.command\":\"SYST\"}}\n"
	"{\"frame\":26,\"time\":0.2,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"chat\",\"type\":\"message\","
	"\"fields\":{\"wl.chat.message\":\"one\"}}\n"
	"{\"frame\":26,\"time\":0.2,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"chat\",\"type\":\"message\","
	"\"fields\":{\"wl.chat.message\":\"two\"}}\n";

/* The same, a new version's way: another code, another wording of the note,
 * a new time format, the second chat message changed and a frame more. */
static const char actual_doc[] =
	"{\"frame\":11,\"time\":0.138800,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"tcp\",\"type\":\"segment\","
	"\"fields\":{\"tcp.len\":23}}\n"
	"{\"frame\":11,\"time\":0.138801,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"ftp\",\"type\":\"response\","
	"\"text\":\"530 Login successful.\",\"fields\":{\"ftp.response.code\":530,\"ftp.response.arg\":"
	"\"Login successful.\"},\"notes\":[{\"level\":\"info\",\"text\":\"2xx: success\"}]}\n"
	"{\"frame\":12,\"time\":0.1391,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"ftp\",\"type\":\"request\","
	"\"fields\":{\"ftp.request.command\":\"SYST\"}}\n"
	"{\"frame\":26,\"time\":0.2,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"chat\",\"type\":\"message\","
	"\"fields\":{\"wl.chat.message\":\"one\"}}\n"
	"{\"frame\":26,\"time\":0.2,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"chat\",\"type\":\"message\","
	"\"fields\":{\"wl.chat.message\":\"2\"}}\n"
	"{\"frame\":27,\"time\":0.3,\"src\":\"a\",\"dst\":\"b\",\"proto\":\"chat\",\"type\":\"message\","
	"\"fields\":{}}\n";

static const char *field_diff(const struct wl_fieldsel *sel, size_t *n, size_t max)
{
	struct wl_jdoc e, a;
	parse(&e, expected_doc);
	parse(&a, actual_doc);
	static struct lines l;  /* the text outlives the call: freed by the caller */
	lines_open(&l);
	*n = wl_fielddiff(&e, &a, sel, max, l.f);
	wl_jdoc_free(&e);
	wl_jdoc_free(&a);
	return lines_close(&l);
}

static void test_field_diff(void **state)
{
	(void)state;
	struct wl_fieldsel sel = { 0 };
	size_t n;
	char *out = (char *)field_diff(&sel, &n, 100);
	assert_string_equal(out,
			    "frame 11 ftp frame.time_relative: 0.1388 → 0.138801\n"
			    "frame 11 ftp.response.code: 230 → 530\n"
			    "frame 11 ftp wl.note.info: \"2xx success\" → \"2xx: success\"\n"
			    "frame 11 ftp wl.text: \"230 Login successful.\" → \"530 Login successful.\"\n"
			    "frame 26 chat#2 wl.chat.message: \"two\" → \"2\"\n"
			    "frame 27 chat message: in this output, not in the expected file\n");
	assert_int_equal(n, 6);
	free(out);

	/* a new wording and a new time: left out, the meaning stays */
	const char *ignore[] = { "frame.time*", "wl.text" };
	sel = (struct wl_fieldsel){ .ignore = ignore, .nignore = 2, .ignore_notes = 1 };
	out = (char *)field_diff(&sel, &n, 100);
	assert_string_equal(out, "frame 11 ftp.response.code: 230 → 530\n"
				 "frame 26 chat#2 wl.chat.message: \"two\" → \"2\"\n"
				 "frame 27 chat message: in this output, not in the expected file\n");
	free(out);

	/* at most max lines, and how many more */
	sel = (struct wl_fieldsel){ 0 };
	out = (char *)field_diff(&sel, &n, 2);
	assert_int_equal(n, 6);
	assert_non_null(strstr(out, "… and 4 more differences\n"));
	free(out);

	/* named fields: their values frame by frame, wherever they are */
	const char *only[] = { "ftp.request.*", "wl.chat.message" };
	sel = (struct wl_fieldsel){ .only = only, .nonly = 2 };
	out = (char *)field_diff(&sel, &n, 100);
	assert_string_equal(out, "frame 26 wl.chat.message: one,two → one,2\n");
	free(out);
	const char *code[] = { "ftp.response.code" };
	sel = (struct wl_fieldsel){ .only = code, .nonly = 1 };
	out = (char *)field_diff(&sel, &n, 100);
	assert_string_equal(out, "frame 11 ftp.response.code: 230 → 530\n");
	free(out);
}

static void test_tsv(void **state)
{
	(void)state;
	/* tshark's formats: hex flags, True, an aggregated cell, an empty cell */
	static const char tsv[] = "frame.number\ttcp.flags\tftp.response.code\twl.chat.message\n"
				  "11\t0x0018\t230\t\r\n"
				  "26\t\t\tone,two\n";
	static const char doc[] =
		"{\"frame\":11,\"proto\":\"tcp\",\"type\":\"segment\",\"fields\":{\"tcp.flags\":24}}\n"
		"{\"frame\":11,\"proto\":\"ftp\",\"type\":\"response\",\"fields\":{\"ftp.response.code\":530}}\n"
		"{\"frame\":26,\"proto\":\"chat\",\"type\":\"message\",\"fields\":{\"wl.chat.message\":\"one\"}}\n"
		"{\"frame\":26,\"proto\":\"chat\",\"type\":\"message\",\"fields\":{\"wl.chat.message\":\"two\"}}\n"
		"{\"frame\":30,\"proto\":\"ftp\",\"type\":\"response\",\"fields\":{\"ftp.response.code\":1}}\n";
	struct wl_tsv t;
	char err[256];
	assert_int_equal(wl_tsv_parse(&t, tsv, strlen(tsv), err, sizeof err), 0);
	assert_int_equal(t.ncols, 4);
	assert_int_equal(t.frame_col, 0);
	assert_int_equal(t.nrows, 2);
	struct wl_jdoc a;
	parse(&a, doc);
	struct wl_fieldsel sel = { 0 };
	struct lines l;
	lines_open(&l);
	/* frame 30 is not in the TSV (a tshark -Y filter, say): not compared */
	assert_int_equal(wl_tsvdiff(&t, &a, &sel, 100, l.f), 1);
	char *out = (char *)lines_close(&l);
	assert_string_equal(out, "frame 11 ftp.response.code: 230 → 530\n");
	free(out);
	const char *ignore[] = { "ftp.*" };
	sel = (struct wl_fieldsel){ .ignore = ignore, .nignore = 1 };
	lines_open(&l);
	assert_int_equal(wl_tsvdiff(&t, &a, &sel, 100, l.f), 0);
	free((char *)lines_close(&l));
	wl_tsv_free(&t);

	/* without frame.number the rows are frames 1, 2, ... */
	static const char by_order[] = "ftp.response.code\n\n530\n";
	static const char doc2[] =
		"{\"frame\":2,\"proto\":\"ftp\",\"type\":\"response\",\"fields\":{\"ftp.response.code\":530}}\n";
	assert_int_equal(wl_tsv_parse(&t, by_order, strlen(by_order), err, sizeof err), 0);
	assert_int_equal(t.frame_col, -1);
	assert_int_equal(t.frames[1], 2);
	struct wl_jdoc a2;
	parse(&a2, doc2);
	sel = (struct wl_fieldsel){ 0 };
	lines_open(&l);
	assert_int_equal(wl_tsvdiff(&t, &a2, &sel, 100, l.f), 0);
	free((char *)lines_close(&l));
	wl_tsv_free(&t);
	wl_jdoc_free(&a2);
	wl_jdoc_free(&a);

	/* a table without its header line is refused with the fix */
	static const char headless[] = "1\t230\n";
	assert_int_equal(wl_tsv_parse(&t, headless, strlen(headless), err, sizeof err), -1);
	assert_non_null(strstr(err, "header=y"));
}

/* Nothing on one side or both: no message, no field wanted, no TSV row. */
static void test_empty(void **state)
{
	(void)state;
	struct wl_jdoc none, a;
	parse(&none, "");
	parse(&a, "{\"frame\":1,\"proto\":\"udp\",\"type\":\"datagram\",\"fields\":{}}\n");
	assert_int_equal(none.n, 0);
	struct wl_fieldsel sel = { 0 };
	struct lines l;
	lines_open(&l);
	assert_int_equal(wl_fielddiff(&none, &none, &sel, 10, l.f), 0);
	assert_int_equal(wl_fielddiff(&none, &a, &sel, 10, l.f), 1);
	const char *only[] = { "nothing.here" };
	sel = (struct wl_fieldsel){ .only = only, .nonly = 1 };
	assert_int_equal(wl_fielddiff(&a, &none, &sel, 10, l.f), 0);
	struct wl_tsv t;
	char err[128];
	assert_int_equal(wl_tsv_parse(&t, "frame.number\tx.y\n", 17, err, sizeof err), 0);
	assert_int_equal(wl_tsvdiff(&t, &a, &sel, 10, l.f), 0);
	wl_tsv_free(&t);
	assert_string_equal(lines_close(&l), "frame 1 udp datagram: in this output, not in the expected file\n");
	free(l.buf);
	wl_jdoc_free(&a);
	wl_jdoc_free(&none);
}

/* Every byte value, invalid UTF-8, U+FFFE, and the five specials. */
static void test_xml_escape(void **state)
{
	(void)state;
	char in[256 + 64];
	size_t n = 0;
	for (int i = 0; i < 256; i++)
		in[n++] = (char)i;
	static const char tail[] = "\xef\xbf\xbe\xed\xa0\x80\xc0\xaf]]>&<>\"'\r\n\t\xe2\x86\x92";
	memcpy(in + n, tail, sizeof tail - 1);
	n += sizeof tail - 1;
	for (int attr = 0; attr < 2; attr++) {
		struct lines l;
		lines_open(&l);
		wl_xml_escape(l.f, in, n, attr);
		const unsigned char *o = (const unsigned char *)lines_close(&l);
		for (size_t i = 0; o[i]; i++) {
			assert_false(o[i] < 0x20 && o[i] != '\n' && o[i] != '\t');
			assert_false(attr && (o[i] == '\n' || o[i] == '\t'));
			assert_false(strchr("<>\"'", o[i]) && o[i]);
			if (o[i] == '&')
				assert_true(strncmp((const char *)o + i, "&amp;", 5) == 0 ||
					    strncmp((const char *)o + i, "&lt;", 4) == 0 ||
					    strncmp((const char *)o + i, "&gt;", 4) == 0 ||
					    strncmp((const char *)o + i, "&quot;", 6) == 0 ||
					    strncmp((const char *)o + i, "&apos;", 6) == 0 ||
					    strncmp((const char *)o + i, "&#", 2) == 0);
			/* U+FFFE and U+FFFF are not XML characters */
			assert_false(o[i] == 0xef && o[i + 1] == 0xbf && (o[i + 2] == 0xbe || o[i + 2] == 0xbf));
		}
		assert_non_null(strstr((const char *)o, "\xe2\x86\x92"));  /* → kept as it is */
		assert_non_null(strstr((const char *)o, "&#13;"));
		assert_non_null(strstr((const char *)o, "]]&gt;"));
		free((void *)o);
	}
}

/* ---- lab --expect ---- */

static void seq_of(struct wl_lab_seq *s, const char *pcap)
{
	char err[512];
	memset(s, 0, sizeof *s);
	if (wl_lab_seq_from_file(s, pcap, err, sizeof err) < 0)
		fail_msg("%s: %s", pcap, err);
}

/* A stored capture and the same exchange recorded again: other ports,
 * times, keys, IDs; the same steps, field names and stable values. */
static void test_rerun_same(void **state)
{
	(void)state;
	static const char *const names[] = { "chat-epoll", "dns", "ftp-bad-login", "ldap-search",
					     "ntp", "smb", "snmp-walk", "ssh-exec" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char stored_path[128], rerun_path[128], why[512];
		snprintf(stored_path, sizeof stored_path, "pcaps/%s.pcap", names[i]);
		snprintf(rerun_path, sizeof rerun_path, "tests/data/rerun/%s.pcap", names[i]);
		struct wl_lab_seq stored, rerun;
		seq_of(&stored, stored_path);
		seq_of(&rerun, rerun_path);
		long at = wl_lab_seq_diff(&stored, &rerun);
		if (at >= 0) {
			const char *f = wl_lab_seq_field_diff(&stored, &rerun, at, why, sizeof why);
			fail_msg("%s: step %ld: %s / %s: %s", names[i], at + 1, wl_lab_seq_step(&stored, at),
				 wl_lab_seq_step(&rerun, at), f ? f : "");
		}
		assert_true(stored.n > 1);
		wl_lab_seq_free(&stored);
		wl_lab_seq_free(&rerun);
	}
}

static char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	*n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* The login reply changed on purpose: the step stays, its field is named. */
static void test_rerun_changed(void **state)
{
	(void)state;
	size_t n;
	char *pcap = read_all("pcaps/ftp-bad-login.pcap", &n);
	char *at = memmem(pcap, n, "530 Login incorrect", 19);
	assert_non_null(at);
	memcpy(at, "550", 3);
	char path[] = "/tmp/wirelab-test-check-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pcap, n), (ssize_t)n);
	close(fd);
	free(pcap);
	struct wl_lab_seq stored, changed;
	seq_of(&stored, "pcaps/ftp-bad-login.pcap");
	seq_of(&changed, path);
	unlink(path);
	long step = wl_lab_seq_diff(&stored, &changed);
	assert_true(step >= 0);
	char why[512];
	const char *f = wl_lab_seq_field_diff(&stored, &changed, step, why, sizeof why);
	assert_non_null(f);
	assert_string_equal(wl_lab_seq_step(&stored, step), "<- ftp response");
	assert_string_equal(f, "ftp.response.code: 530 → 550");
	wl_lab_seq_free(&stored);
	wl_lab_seq_free(&changed);
}

/* docs/ci.md lists every field whose value --expect leaves out. */
static void test_volatile_documented(void **state)
{
	(void)state;
	size_t n;
	char *doc = read_all("docs/ci.md", &n);
	doc[n] = '\0';
	const char *why;
	size_t i = 0;
	for (const char *p; (p = wl_volatile_rule(i, &why)) != NULL; i++) {
		char quoted[96];
		snprintf(quoted, sizeof quoted, "`%s`", p);
		if (!strstr(doc, quoted))
			fail_msg("docs/ci.md does not list %s (%s)", quoted, why);
	}
	assert_true(i > 20);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_lines),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_norm),
		cmocka_unit_test(test_field_diff),
		cmocka_unit_test(test_tsv),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_xml_escape),
		cmocka_unit_test(test_rerun_same),
		cmocka_unit_test(test_rerun_changed),
		cmocka_unit_test(test_volatile_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
