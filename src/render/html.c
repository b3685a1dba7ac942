/* html.c - -T html: one self-contained page (no network: its script and
 * style are inside it, allowed by a Content-Security-Policy naming their
 * SHA-256 hashes and nothing else). The messages travel as one JSON data
 * block per exchange, <script type="application/json" class="wl-data">,
 * that html_page.js draws as a sequence diagram; a message is
 *   {"f":frame,"t":secs,"s":src,"d":dst,"c":client,"v":server,"i":flow,
 *    "p":proto,"y":type,"x":text,"m":minor,"e":1|2 encryption starts after|at,
 *    "k":has a secret,"n":[[level,text]..],"L":"tcp"|"udp" the transport,
 *    "F":[[name,value,off,len,secret]..],
 *    "b":frame bytes in hex}
 * Packet strings are escaped for script data: the JSON escapes plus <, >, &
 * and U+2028/2029 as \uXXXX, so no "</script>" or "<!--" can appear. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "html_assets.h"
#include "html_sha256.h"
#include "html_spans.h"
#include "render_backend.h"

#define NAME_SET_MIN 256
#define HDR_CACHE 512

/* The frame bytes a page keeps (hex doubles them): enough for every lab
 * exchange many times over; a 300k-packet capture's page shows fields only
 * past it, and says so. */
#define HTML_BYTES_BUDGET (16u << 20)

struct html_state {
	uint64_t nmsgs, warnings;
	uint64_t bytes_frame;    /* the frame whose bytes were last written (once per frame) */
	uint64_t bytes_kept;     /* of HTML_BYTES_BUDGET */
	int bytes_cut;           /* the budget ran out */
	const char *hdr_name[HDR_CACHE];  /* field name -> header table row, by address */
	int hdr_row[HDR_CACHE];
	const char **names;      /* field names seen (string constants, by address) */
	unsigned nnames, names_cap;
	char **lines;            /* the closing lines, said under the title */
	unsigned nlines;
};

/* ---- escaping ---- */

void wl_html_text(struct wl_obuf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		wl_ob_write(b, s + run, i - run);
		wl_ob_str(b, e);
		run = i + 1;
	}
	wl_ob_write(b, s + run, n - run);
}

void wl_html_script_str(struct wl_obuf *b, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		size_t skip = 1;
		if (p[i] == '<')
			e = "\\u003c";
		else if (p[i] == '>')
			e = "\\u003e";
		else if (p[i] == '&')
			e = "\\u0026";
		else if (p[i] == 0xe2 && i + 2 < n && p[i + 1] == 0x80 && (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
			e = p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
			skip = 3;
		}
		if (!e)
			continue;
		wl_ob_json_esc(b, s + run, i - run);
		wl_ob_write(b, e, 6);
		i += skip - 1;
		run = i + 1;
	}
	wl_ob_json_esc(b, s + run, n - run);
}

static void jstr(struct wl_obuf *b, const char *s, size_t n)
{
	wl_ob_putc(b, '"');
	wl_html_script_str(b, s, n);
	wl_ob_putc(b, '"');
}

static void jcstr(struct wl_obuf *b, const char *s)
{
	jstr(b, s ? s : "", s ? strlen(s) : 0);
}

/* ---- the page around the data ---- */

void wl_html_head(FILE *out, const char *title)
{
	char js[52], css[52];
	wl_csp_hash(wl_html_page_js, wl_html_page_js_len, js);
	wl_csp_hash(wl_html_page_css, wl_html_page_css_len, css);
	struct wl_obuf *b = malloc(sizeof *b);
	if (!b)
		return;
	b->f = out;
	b->len = 0;
	b->failed = 0;
	WL_OB_LIT(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '");
	wl_ob_str(b, js);
	WL_OB_LIT(b, "'; style-src '");
	wl_ob_str(b, css);
	WL_OB_LIT(b, "'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width\">\n<meta name=\"generator\" "
		  "content=\"wirelab\">\n<title>wirelab: ");
	title = title ? title : "capture";
	wl_html_text(b, title, strlen(title));
	WL_OB_LIT(b, "</title>\n<style>");
	wl_ob_write(b, wl_html_page_css, wl_html_page_css_len);
	WL_OB_LIT(b, "</style>\n</head><body>\n<h1>wirelab: ");
	wl_html_text(b, title, strlen(title));
	WL_OB_LIT(b, "</h1>\n<noscript>This page draws its diagrams with its own script, which is "
		  "inside the file.</noscript>\n<div id=\"wl-app\"></div>\n<pre id=\"wl-errors\"></pre>\n");
	wl_ob_flush(b);
	free(b);
}

void wl_html_tail(FILE *out)
{
	fputs("<script>", out);
	fwrite(wl_html_page_js, 1, wl_html_page_js_len, out);
	fputs("</script>\n</body></html>\n", out);
}

/* ---- the data block ---- */

static struct html_state *st(struct wl_renderer *r)
{
	return r->be_state;
}

static void html_begin(struct wl_renderer *r)
{
	r->be_state = calloc(1, sizeof(struct html_state));
	if (!r->o.html_part) {
		wl_html_head(r->ob.f, r->o.title);
	}
	struct wl_obuf *b = &r->ob;
	WL_OB_LIT(b, "<script type=\"application/json\" class=\"wl-data\">{\"title\":");
	jcstr(b, r->o.title ? r->o.title : "capture");
	if (r->o.preselect) {
		WL_OB_LIT(b, ",\"filter\":");
		jcstr(b, r->o.preselect);
	}
	WL_OB_LIT(b, ",\"msgs\":[\n");
}

/* Remembers a field name for the explanations at the end (once per name). */
static void note_name(struct html_state *s, const char *name)
{
	if (!s)
		return;
	if (s->nnames * 2 >= s->names_cap) {
		unsigned cap = s->names_cap ? s->names_cap * 2 : NAME_SET_MIN;
		const char **n = calloc(cap, sizeof *n);
		if (!n)
			return;
		for (unsigned i = 0; i < s->names_cap; i++)
			if (s->names[i]) {
				unsigned h = (unsigned)((uintptr_t)s->names[i] >> 3) & (cap - 1);
				while (n[h])
					h = (h + 1) & (cap - 1);
				n[h] = s->names[i];
			}
		free(s->names);
		s->names = n;
		s->names_cap = cap;
	}
	unsigned h = (unsigned)((uintptr_t)name >> 3) & (s->names_cap - 1);
	while (s->names[h]) {
		if (s->names[h] == name)
			return;
		h = (h + 1) & (s->names_cap - 1);
	}
	s->names[h] = name;
	s->nnames++;
}

static void hex_u64(struct wl_obuf *b, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char t[18];
	int n = 0;
	do {
		t[sizeof t - 1 - n++] = hex[v & 15];
		v >>= 4;
	} while (v);
	t[sizeof t - 1 - n++] = 'x';
	t[sizeof t - 1 - n++] = '0';
	wl_ob_write(b, t + sizeof t - n, (size_t)n);
}

/* One value as display text, quoted (tshark's forms: 0x.. hex, 1/0 booleans). */
static void field_value(struct wl_renderer *r, const struct wl_msg *m, const struct wl_field *f)
{
	struct wl_obuf *b = &r->ob;
	const char *pool = wl_msg_pool(m, 0);
	char a[INET6_ADDRSTRLEN];
	wl_ob_putc(b, '"');
	switch (f->type) {
	case WL_FT_UINT: wl_ob_u64(b, f->v.u); break;
	case WL_FT_HEX: hex_u64(b, f->v.u); break;
	case WL_FT_INT: wl_ob_i64(b, f->v.i); break;
	case WL_FT_BOOL: wl_ob_putc(b, f->v.u ? '1' : '0'); break;
	case WL_FT_DOUBLE: wl_ob_double(b, f->v.d); break;
	case WL_FT_STR:
		if ((f->flags & WL_FIELD_SECRET) && r->o.redact)
			WL_OB_LIT(b, "********");
		else
			wl_html_script_str(b, pool + f->v.off, f->len);
		break;
	case WL_FT_BYTES: wl_ob_hex(b, (const uint8_t *)pool + f->v.off, f->len); break;
	case WL_FT_IPV4: wl_ob_ipv4(b, (const uint8_t *)pool + f->v.off); break;
	case WL_FT_IPV6:
		inet_ntop(AF_INET6, pool + f->v.off, a, sizeof a);
		wl_ob_str(b, a);
		break;
	case WL_FT_TIME: wl_ob_iso_time(b, f->v.i); break;
	default: break;
	}
	wl_ob_putc(b, '"');
}

/* A text or bytes field the dissector read from a reassembly buffer, not
 * from the frame, has no recorded span: its bytes are looked for in the
 * frame, after the previous field's (fields come in wire order), in frames
 * of up to FIND_SPAN_MAX bytes. A value that also occurs earlier in the
 * frame may be shown at that place. */
#define FIND_SPAN_MAX 4096
static void find_span(const struct wl_msg *m, const struct wl_field *f, uint32_t *from, uint32_t span[2])
{
	if ((f->type != WL_FT_STR && f->type != WL_FT_BYTES) || f->len < 2 || m->bytes_len > FIND_SPAN_MAX ||
	    *from >= m->bytes_len)
		return;
	const char *frame = wl_msg_pool(m, m->bytes_off);
	const char *hit = memmem(frame + *from, m->bytes_len - *from, wl_msg_pool(m, f->v.off), f->len);
	if (!hit)
		return;
	span[0] = (uint32_t)(hit - frame);
	span[1] = f->len;
	*from = span[0] + span[1];
}

static int header_row(struct html_state *s, const char *name)
{
	unsigned slot = (unsigned)((uintptr_t)name >> 3) & (HDR_CACHE - 1);
	if (s->hdr_name[slot] != name) {
		s->hdr_name[slot] = name;
		s->hdr_row[slot] = wl_header_field(name);
	}
	return s->hdr_row[slot];
}

/* 1: encryption starts after this message ("from here on" notes: NEWKEYS,
 * the TLS 1.3 ServerHello); 2: the message itself is encrypted. */
static int encryption_mark(const struct wl_msg *m)
{
	for (unsigned i = 0; i < m->nnotes; i++) {
		const char *t = wl_msg_pool(m, m->notes[i].off);
		if (m->notes[i].len >= 12 && memcmp(t, "from here on", 12) == 0)
			return 1;
	}
	if (m->text_len >= 9 && memcmp(wl_msg_pool(m, m->text_off), "encrypted", 9) == 0)
		return 2;
	return 0;
}

static void html_msg(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	struct html_state *s = st(r);
	if (s && s->nmsgs++)
		WL_OB_LIT(b, ",\n");
	WL_OB_LIT(b, "{\"f\":");
	wl_ob_u64(b, m->frame);
	WL_OB_LIT(b, ",\"t\":");
	wl_ob_secs(b, m->rel_ns, 6);
	WL_OB_LIT(b, ",\"s\":");
	jcstr(b, m->src);
	WL_OB_LIT(b, ",\"d\":");
	jcstr(b, m->dst);
	WL_OB_LIT(b, ",\"c\":");
	jcstr(b, m->client);
	WL_OB_LIT(b, ",\"v\":");
	jcstr(b, m->server);
	WL_OB_LIT(b, ",\"i\":");
	wl_ob_u64(b, m->flow_id);
	WL_OB_LIT(b, ",\"p\":");
	jcstr(b, m->proto);
	WL_OB_LIT(b, ",\"y\":");
	jcstr(b, m->type);
	if (m->text_len) {
		WL_OB_LIT(b, ",\"x\":");
		jstr(b, wl_msg_pool(m, m->text_off), m->text_len);
	}
	if (m->minor)
		WL_OB_LIT(b, ",\"m\":1");
	int enc = encryption_mark(m);
	if (enc)
		wl_ob_printf(b, ",\"e\":%d", enc);
	int secret = 0;
	for (unsigned i = 0; i < m->nfields; i++)
		secret |= m->fields[i].flags & WL_FIELD_SECRET;
	if (secret)
		WL_OB_LIT(b, ",\"k\":1");
	if (m->nnotes) {
		WL_OB_LIT(b, ",\"n\":[");
		for (unsigned i = 0; i < m->nnotes; i++) {
			if (i)
				wl_ob_putc(b, ',');
			wl_ob_putc(b, '[');
			wl_ob_putc(b, (char)('0' + m->notes[i].level % 3));
			wl_ob_putc(b, ',');
			jstr(b, wl_msg_pool(m, m->notes[i].off), m->notes[i].len);
			wl_ob_putc(b, ']');
			if (s && m->notes[i].level == WL_WARN)
				s->warnings++;
		}
		wl_ob_putc(b, ']');
	}
	int bytes = m->has_bytes && !r->o.redact;  /* --redact: the bytes would show the secrets */
	if (bytes && s && s->bytes_kept + m->bytes_len > HTML_BYTES_BUDGET) {
		s->bytes_cut = 1;
		bytes = 0;
	}
	uint32_t search_from = 0;
	struct wl_frame_layers layers = { 0 };
	if (m->has_bytes && s)   /* the transport too when the bytes stay out: the filter box's tcp.port */
		wl_frame_layers((const uint8_t *)wl_msg_pool(m, m->bytes_off), m->bytes_len, m->bytes_link, &layers);
	if (layers.tcp)
		WL_OB_LIT(b, ",\"L\":\"tcp\"");
	else if (layers.udp)
		WL_OB_LIT(b, ",\"L\":\"udp\"");
	WL_OB_LIT(b, ",\"F\":[");
	for (unsigned i = 0; i < m->nfields; i++) {
		const struct wl_field *f = &m->fields[i];
		if (i)
			wl_ob_putc(b, ',');
		WL_OB_LIT(b, "[\"");
		wl_ob_str(b, f->name);  /* names are the dissectors' constants: [a-z0-9._] */
		WL_OB_LIT(b, "\",");
		field_value(r, m, f);
		uint32_t span[2] = { 0, 0 };
		if (bytes) {
			memcpy(span, wl_msg_pool(m, m->spans_off + i * (uint32_t)sizeof span), sizeof span);
			if (!span[1] && s && wl_header_span(&layers, m->bytes_len, header_row(s, f->name), span))
				;  /* an IP, TCP or UDP header field */
			else if (!span[1])
				find_span(m, f, &search_from, span);
			else
				search_from = span[0] + span[1];
		}
		wl_ob_putc(b, ',');
		wl_ob_u64(b, span[0]);
		wl_ob_putc(b, ',');
		wl_ob_u64(b, span[1]);
		wl_ob_putc(b, ',');
		wl_ob_putc(b, (f->flags & WL_FIELD_SECRET) ? '1' : '0');
		wl_ob_putc(b, ']');
		note_name(s, f->name);
	}
	wl_ob_putc(b, ']');
	if (bytes && s && s->bytes_frame != m->frame) {  /* later messages of the frame look back */
		s->bytes_frame = m->frame;
		s->bytes_kept += m->bytes_len;
		WL_OB_LIT(b, ",\"b\":\"");
		wl_ob_hex(b, (const uint8_t *)wl_msg_pool(m, m->bytes_off), m->bytes_len);
		wl_ob_putc(b, '"');
	}
	wl_ob_putc(b, '}');
}

static void html_line(struct wl_renderer *r, const char *text, size_t n)
{
	struct html_state *s = st(r);
	if (!s)
		return;
	char **l = realloc(s->lines, (s->nlines + 1) * sizeof *l);
	if (!l)
		return;
	s->lines = l;
	if ((l[s->nlines] = strndup(text, n)) != NULL)
		s->nlines++;
}

static const char *field_desc(const struct wl_render_opts *o, const char *name)
{
	for (const struct wl_dissector *const *d = o->dissectors; d && *d; d++)
		for (int v = 0; v < 2; v++)
			for (const struct wl_field_info *fi = v ? (*d)->fields_verbose : (*d)->fields;
			     fi && fi->name; fi++)
				if (fi->name == name || strcmp(fi->name, name) == 0)
					return fi->desc;
	return NULL;
}

static const char bytes_cut_line[] =
	"frame bytes are kept for the first 16 MiB of frames; later messages show their fields only";

static void html_end(struct wl_renderer *r)
{
	struct wl_obuf *b = &r->ob;
	struct html_state *s = st(r);
	if (s && s->bytes_cut)
		html_line(r, bytes_cut_line, sizeof bytes_cut_line - 1);
	WL_OB_LIT(b, "\n],\"warnings\":");
	wl_ob_u64(b, s ? s->warnings : 0);
	WL_OB_LIT(b, ",\"lines\":[");
	for (unsigned i = 0; s && i < s->nlines; i++) {
		if (i)
			wl_ob_putc(b, ',');
		jcstr(b, s->lines[i]);
	}
	WL_OB_LIT(b, "],\"fields\":{");
	int first = 1;
	for (unsigned i = 0; s && i < s->names_cap; i++) {
		const char *desc = s->names[i] ? field_desc(&r->o, s->names[i]) : NULL;
		if (!desc)
			continue;
		if (!first)
			wl_ob_putc(b, ',');
		first = 0;
		jcstr(b, s->names[i]);
		wl_ob_putc(b, ':');
		jcstr(b, desc);
	}
	WL_OB_LIT(b, "}}</script>\n");
	wl_ob_flush(b);
	if (!r->o.html_part)
		wl_html_tail(r->ob.f);
	if (s) {
		for (unsigned i = 0; i < s->nlines; i++)
			free(s->lines[i]);
		free(s->lines);
		free(s->names);
		free(s);
	}
	r->be_state = NULL;
}

const struct wl_render_backend wl_render_html = {
	.msg = html_msg, .flow = NULL, .begin = html_begin, .end = html_end, .line = html_line,
};
