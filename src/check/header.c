/* header.c - the first line of an expected file: which wirelab wrote it and
 * with which options of `wirelab read`, so `check` can say why a file may
 * differ. Made so the files stay what they were to other tools:
 *
 *   X.trace  # wirelab 0.1.0 check: read -T text --color=never --keylog X.keylog
 *   X.jsonl  {"type":"expect","wirelab":"0.1.0","options":["-T","json","--keylog","X.keylog"]}
 *
 * a comment line before the text trace, and a record of its own type (no
 * "frame", as the lab's step records) before the messages. A file without
 * one (an older suite) is compared whole. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jsonf.h"

#ifndef WL_VERSION
#define WL_VERSION "unknown"
#endif

static const char trace_prefix[] = "# wirelab ";
static const char trace_sep[] = " check: read";

const char *wl_version(void)
{
	return WL_VERSION;
}

char *wl_expect_header(enum wl_expect_kind k, const char *const *opts, size_t nopts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (k == WL_EXPECT_TRACE) {
		char *joined = wl_join_options(opts, nopts);
		fprintf(f, "%s%s%s%s%s\n", trace_prefix, wl_version(), trace_sep, nopts ? " " : "",
			joined ? joined : "");
		free(joined);
	} else {
		fputs("{\"type\":\"expect\",\"wirelab\":", f);
		wl_json_fstr(f, wl_version());
		fputs(",\"options\":[", f);
		for (size_t i = 0; i < nopts; i++) {
			if (i)
				fputc(',', f);
			wl_json_fstr(f, opts[i]);
		}
		fputs("]}\n", f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* "# wirelab VERSION check: read OPTIONS" */
static size_t split_trace(const char *text, size_t len, char **version, char **options)
{
	size_t plen = sizeof trace_prefix - 1;
	if (len < plen || memcmp(text, trace_prefix, plen) != 0)
		return 0;
	const char *nl = memchr(text, '\n', len);
	size_t hlen = nl ? (size_t)(nl - text) + 1 : len;
	const char *v = text + plen, *end = text + (nl ? hlen - 1 : hlen);
	const char *sp = memchr(v, ' ', (size_t)(end - v));
	const char *ve = sp ? sp : end;
	*version = dup_n(v, (size_t)(ve - v));
	size_t slen = sizeof trace_sep - 1;
	if (sp && (size_t)(end - sp) >= slen && memcmp(sp, trace_sep, slen) == 0) {
		const char *o = sp + slen;
		if (o < end && *o == ' ')
			o++;
		*options = dup_n(o, (size_t)(end - o));
	}
	return hlen;
}

static size_t split_json(const char *text, size_t len, char **version, char **options)
{
	const char *nl = memchr(text, '\n', len);
	size_t hlen = nl ? (size_t)(nl - text) + 1 : len;
	if (!hlen || text[0] != '{')
		return 0;
	struct wl_jdoc d;
	char err[64];
	if (wl_jdoc_parse(&d, text, hlen, err, sizeof err) < 0)
		return 0;
	int header = d.has_header;
	if (header) {
		*version = d.version;
		*options = d.options;
		d.version = d.options = NULL;
	}
	wl_jdoc_free(&d);
	return header ? hlen : 0;
}

size_t wl_expect_split(enum wl_expect_kind k, const char *text, size_t len, char **version,
		       char **options)
{
	*version = *options = NULL;
	return k == WL_EXPECT_TRACE ? split_trace(text, len, version, options)
				    : split_json(text, len, version, options);
}
