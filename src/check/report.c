/* report.c - what `wirelab check` says: the plain lines for people, TAP 14
 * (testanything.org/tap-version-14-specification) and JUnit XML for CI.
 * The JUnit file validates against both schemas CI systems read it with
 * (Jenkins' junit-10.xsd and the Apache Ant one GitLab follows; copies in
 * tests/data/junit/): one testsuite, one testcase per capture, a <failure>
 * with the reason as its message and the diff as its text. A diff may hold
 * any byte of a packet, so whatever XML 1.0 or YAML cannot carry becomes
 * U+FFFD. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static const char replacement[] = "\xef\xbf\xbd";  /* U+FFFD */

/* The valid UTF-8 sequence at s (of n bytes) and its code point, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1fu;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0fu;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07u;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
static int xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

void wl_xml_escape(FILE *f, const char *str, size_t n, int attr)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		uint32_t c = 0;
		size_t k = utf8_seq(s + i, n - i, &c);
		if (!k || !xml_char(c)) {
			fputs(replacement, f);
			i += k ? k : 1;
			continue;
		}
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		/* parsers normalise CR (and, in attributes, TAB and LF) away */
		case '\r': fputs("&#13;", f); break;
		case '\n': fputs(attr ? "&#10;" : "\n", f); break;
		case '\t': fputs(attr ? "&#9;" : "\t", f); break;
		default: fwrite(s + i, 1, k, f); break;
		}
		i += k;
	}
}

static void xml_attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	wl_xml_escape(f, value, strlen(value), 1);
	fputc('"', f);
}

/* ---- plain ---- */

static void put_lines(FILE *f, const char *prefix, const char *text)
{
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(f, "%s%.*s\n", prefix, (int)len, p);
		p = nl ? nl + 1 : p + len;
	}
}

void wl_report_plain(FILE *f, const struct wl_check_result *r)
{
	if (r->status == WL_CHECK_PASS)
		fprintf(f, "ok   %s\n", r->pcap);
	else
		fprintf(f, "FAIL %s: %s\n", r->pcap, r->reason ? r->reason : "failed");
	if (r->detail)
		fwrite(r->detail, 1, r->detail_len, f);
	put_lines(f, "warning: ", r->warnings);
}

/* ---- TAP 14 ---- */

/* A YAML block scalar line's text: no control characters but TAB, valid UTF-8. */
static void yaml_text(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < n;) {
		uint32_t c = 0;
		size_t k = utf8_seq(s + i, n - i, &c);
		if (!k || (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f) || c == 0xfeff ||
		    c == 0xfffe || c == 0xffff)
			fputs(replacement, f);
		else
			fwrite(s + i, 1, k, f);
		i += k ? k : 1;
	}
}

/* A YAML double-quoted scalar. */
static void yaml_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else {
			const char *q = p + 1;  /* the whole character: UTF-8 stays whole */
			while ((*q & 0xc0) == 0x80)
				q++;
			yaml_text(f, p, (size_t)(q - p));
			p = q - 1;
		}
	}
	fputc('"', f);
}

static void yaml_block(FILE *f, const char *key, const char *text, size_t n)
{
	/* an explicit indentation: a diff's context line begins with a space */
	fprintf(f, "  %s: |2\n", key);
	for (const char *p = text, *e = text + n; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(e - p);
		fputs("    ", f);
		yaml_text(f, p, len);
		fputc('\n', f);
		p = nl ? nl + 1 : e;
	}
}

/* A test point's description: '#' starts a directive, so it is escaped. */
static void tap_description(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

void wl_report_tap_start(FILE *f, size_t n)
{
	fprintf(f, "TAP version 14\n1..%zu\n", n);
}

void wl_report_tap(FILE *f, size_t number, const struct wl_check_result *r)
{
	fprintf(f, "%sok %zu - ", r->status == WL_CHECK_PASS ? "" : "not ", number);
	tap_description(f, r->pcap);
	fputc('\n', f);
	if (r->status != WL_CHECK_PASS) {
		fputs("  ---\n  message: ", f);
		yaml_quoted(f, r->reason ? r->reason : "failed");
		fprintf(f, "\n  severity: %s\n  capture: ", r->status == WL_CHECK_ERROR ? "error" : "fail");
		yaml_quoted(f, r->pcap);
		fputc('\n', f);
		if (r->detail)
			yaml_block(f, "diff", r->detail, r->detail_len);
		fputs("  ...\n", f);
	}
	put_lines(f, "# warning: ", r->warnings);
}

void wl_report_tap_end(FILE *f, const struct wl_check_run_info *info)
{
	fprintf(f, "# %u passed, %u failed\n", info->passed, info->failed);
}

/* ---- JUnit XML ---- */

/* "pcaps/tls.pcap" -> classname "pcaps", name "tls" (Java's package.Class habit). */
static void case_names(const char *pcap, char *cls, size_t cn, char *name, size_t nn)
{
	const char *slash = strrchr(pcap, '/');
	const char *file = slash ? slash + 1 : pcap;
	const char *dot = strrchr(file, '.');
	snprintf(name, nn, "%.*s", (int)(dot && dot > file ? dot - file : (long)strlen(file)), file);
	if (!slash) {
		snprintf(cls, cn, "wirelab.check");
		return;
	}
	const char *dir = pcap;
	while (*dir == '/' && dir < slash)
		dir++;
	snprintf(cls, cn, "%.*s", (int)(slash - dir), dir);
	for (char *c = cls; *c; c++)
		if (*c == '/')
			*c = '.';
	if (!cls[0])
		snprintf(cls, cn, "wirelab.check");
}

static void junit_case(FILE *f, const struct wl_check_result *r)
{
	char cls[4096], name[4096], t[32];
	case_names(r->pcap, cls, sizeof cls, name, sizeof name);
	snprintf(t, sizeof t, "%.3f", r->seconds);
	fputs("    <testcase", f);
	xml_attr(f, "name", name);
	xml_attr(f, "classname", cls);
	xml_attr(f, "time", t);
	if (r->status == WL_CHECK_PASS) {
		fputs("/>\n", f);
		return;
	}
	int err = r->status == WL_CHECK_ERROR;
	fprintf(f, ">\n      <%s", err ? "error" : "failure");
	xml_attr(f, "type", err ? "error" : "mismatch");
	xml_attr(f, "message", r->reason ? r->reason : "failed");
	fputc('>', f);
	/* the text: what the message says, the capture, then the diff */
	const char *reason = r->reason ? r->reason : "failed";
	wl_xml_escape(f, r->pcap, strlen(r->pcap), 0);
	fputs(": ", f);
	wl_xml_escape(f, reason, strlen(reason), 0);
	fputc('\n', f);
	if (r->warnings) {
		fputs("warning: ", f);
		wl_xml_escape(f, r->warnings, strlen(r->warnings), 0);
	}
	if (r->detail)
		wl_xml_escape(f, r->detail, r->detail_len, 0);
	fprintf(f, "</%s>\n    </testcase>\n", err ? "error" : "failure");
}

int wl_report_junit(FILE *f, const struct wl_check_result *rs, size_t n, const struct wl_check_run_info *info)
{
	unsigned failures = 0, errors = 0;
	for (size_t i = 0; i < n; i++) {
		failures += rs[i].status == WL_CHECK_FAIL;
		errors += rs[i].status == WL_CHECK_ERROR;
	}
	char host[256] = "";
	if (gethostname(host, sizeof host - 1) != 0 || !host[0])
		snprintf(host, sizeof host, "localhost");
	char stamp[32] = "1970-01-01T00:00:00";
	time_t t0 = (time_t)info->started;
	struct tm tm;
	if (gmtime_r(&t0, &tm))
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	char secs[32], counts[96];
	snprintf(secs, sizeof secs, "%.3f", info->seconds);
	snprintf(counts, sizeof counts, " tests=\"%zu\" failures=\"%u\" errors=\"%u\"", n, failures, errors);

	/* <testsuites> without attributes: the Ant schema allows none */
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite", f);
	xml_attr(f, "name", "wirelab check");
	fprintf(f, " package=\"wirelab\" id=\"0\"%s skipped=\"0\" time=\"%s\" timestamp=\"%s\"", counts, secs,
		stamp);
	xml_attr(f, "hostname", host);
	fputs(">\n    <properties>\n      <property name=\"wirelab.version\"", f);
	xml_attr(f, "value", wl_version());
	fputs("/>\n    </properties>\n", f);
	for (size_t i = 0; i < n; i++)
		junit_case(f, &rs[i]);
	fprintf(f, "    <system-out>%u passed, %u failed</system-out>\n    <system-err>", info->passed,
		info->failed);
	for (size_t i = 0; i < n; i++)
		if (rs[i].warnings)
			wl_xml_escape(f, rs[i].warnings, strlen(rs[i].warnings), 0);
	fputs("</system-err>\n  </testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}
