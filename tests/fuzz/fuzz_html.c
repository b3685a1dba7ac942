/* fuzz_html.c - the pictures' escaping: packet strings into -T html's script
 * data and HTML text, and the whole html and svg renderers over an FTP
 * exchange made of the input.
 *
 * Byte 0 chooses: 0 the escapers alone on the rest (their output must hold
 * no < > & U+2028 U+2029 raw in script data, no < > " ' in text), otherwise
 * the rest is FTP control traffic (chunks: a header byte, bit 7 the
 * direction, bits 0-6 the length) rendered as html (odd) or svg (even),
 * whose data block must hold no '<' at all. A broken rule aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "html.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void escapers(const uint8_t *d, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return;
	struct wl_obuf *b = malloc(sizeof *b);
	if (!b) {
		fclose(f);
		free(out);
		return;
	}
	b->f = f;
	b->len = 0;
	b->failed = 0;
	wl_html_script_str(b, (const char *)d, n);
	wl_ob_flush(b);
	fflush(f);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)out[i];
		if (c == '<' || c == '>' || c == '&' || c < 0x20)
			abort();
		if (c == 0xe2 && i + 2 < len && (uint8_t)out[i + 1] == 0x80 &&
		    ((uint8_t)out[i + 2] == 0xa8 || (uint8_t)out[i + 2] == 0xa9))
			abort();
		if (c == '"' && (i == 0 || out[i - 1] != '\\'))
			abort();
	}
	size_t mark = len;
	wl_html_text(b, (const char *)d, n);
	wl_ob_flush(b);
	fflush(f);
	for (size_t i = mark; i < len; i++)
		if (strchr("<>\"'", out[i]) && out[i])
			abort();
	fclose(f);
	free(out);
	free(b);
}

static void pictures(const uint8_t *d, size_t n, enum wl_format format)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return;
	struct wl_render_opts ro = { .format = format, .out = f, .title = "fuzz</script><b>" };
	struct wl_renderer *r = wl_render_new(&ro);
	if (!r) {
		fclose(f);
		free(out);
		return;
	}
	struct wl_sink sink = wl_render_sink(r);
	struct wl_opts opts = { .frame_bytes = format == WL_OUT_HTML };
	struct wl_limits lim;
	wl_limits_default(&lim);
	lim.max_flows = 8;
	lim.flow_buf_max = 64u << 10;
	lim.total_buf_max = 256u << 10;
	struct feed fd;
	feed_init(&fd, &opts, &lim, &sink);
	feed_tcp_open(&fd, 40000, 21);
	for (size_t i = 0; i < n;) {
		uint8_t h = d[i++];
		size_t k = h & 0x7f;
		if (k > n - i)
			k = n - i;
		feed_tcp_send(&fd, h >> 7, d + i, k, 1460);
		i += k;
	}
	feed_free(&fd);
	wl_render_line(r, "closing line <b>%s</b>", "x");
	wl_render_free(r);
	fclose(f);
	if (format == WL_OUT_HTML && out) {
		const char *open = strstr(out, "class=\"wl-data\">");
		const char *close = open ? strstr(open, "</script>") : NULL;
		if (!open || !close)
			abort();
		for (const char *p = open + 16; p < close; p++)
			if (*p == '<')
				abort();
		if (!strstr(close, "<script>"))  /* the data block ended where it should */
			abort();
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n == 0)
		return 0;
	if (d[0] == 0)
		escapers(d + 1, n - 1);
	else
		pictures(d + 1, n - 1, d[0] & 1 ? WL_OUT_HTML : WL_OUT_SVG);
	return 0;
}
