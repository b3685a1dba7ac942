/* fuzz_check.c - what `wirelab check` reads that a person wrote: expected
 * JSON Lines, their header, and tshark TSVs. The input is an expected part and
 * an "actual" part, split at the first NUL byte (no NUL: both the same); each
 * part is read as JSON Lines and as a TSV, and every comparison runs on them:
 * the whole-message diff, the named-field diff, the TSV diff, the header
 * split, and the report's XML escaping of whatever came out. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void diffs(const struct wl_jdoc *e, const struct wl_jdoc *a, const struct wl_tsv *t, FILE *out)
{
	static const char *const ignore[] = { "frame.time*", "wl.text" };
	static const char *const only[] = { "*.code", "ftp.*", "frame.*" };
	struct wl_fieldsel all = { 0 };
	struct wl_fieldsel some = { ignore, 2, 1, NULL, 0 };
	struct wl_fieldsel named = { ignore, 2, 0, only, 3 };
	wl_fielddiff(e, a, &all, 20, out);
	wl_fielddiff(e, a, &some, 20, out);
	wl_fielddiff(e, a, &named, 20, out);
	if (t) {
		wl_tsvdiff(t, a, &all, 20, out);
		wl_tsvdiff(t, a, &named, 20, out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *text = (const char *)d;
	const char *nul = memchr(text, '\0', n);
	size_t en = nul ? (size_t)(nul - text) : n;
	const char *at = nul ? nul + 1 : text;
	size_t an = nul ? n - en - 1 : n;
	char err[256], *v, *o;
	for (int k = 0; k < 2; k++) {
		wl_expect_split(k ? WL_EXPECT_JSON : WL_EXPECT_TRACE, text, en, &v, &o);
		free(v);
		free(o);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return 0;
	struct wl_jdoc e, a;
	struct wl_tsv t;
	int have_e = wl_jdoc_parse(&e, text, en, err, sizeof err) == 0;
	int have_a = wl_jdoc_parse(&a, at, an, err, sizeof err) == 0;
	int have_t = wl_tsv_parse(&t, text, en, err, sizeof err) == 0;
	if (have_e && have_a)
		diffs(&e, &a, have_t ? &t : NULL, out);
	if (have_e)
		wl_jdoc_free(&e);
	if (have_a)
		wl_jdoc_free(&a);
	if (have_t)
		wl_tsv_free(&t);
	fclose(out);
	/* what was said goes into a report as it is */
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		wl_xml_escape(sink, buf ? buf : "", len, 0);
		wl_xml_escape(sink, text, en, 1);
		fclose(sink);
	}
	free(buf);
	char cell[200];  /* a value is a C string */
	snprintf(cell, sizeof cell, "%.*s", (int)(en < sizeof cell ? en : sizeof cell - 1), text);
	free(wl_norm_value(cell));
	return 0;
}
