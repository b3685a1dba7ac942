/* svg.c - -T svg: the sequence diagram alone, a standalone SVG for slides
 * and lab sheets. Fixed width (1000 px); readable printed in black and
 * white: warnings are dashed arrows marked "!", errors dotted and bold
 * marked "x", secrets "[secret]" in bold, the start of encryption a
 * dash-dot line across the lanes with its words. Lanes: clients from the
 * left, servers from the right, in order of appearance (at most 5 of each,
 * then "other clients"/"other servers"). Minor messages (TCP segments)
 * only with -v, as in the text ladder; past SVG_MAX_ROWS messages the
 * diagram says how many it left out (-T html shows them all). */
#include <stdlib.h>
#include <string.h>

#include "render_backend.h"

#define SVG_W 1000
#define SVG_MAX_ROWS 3000
#define SVG_MAX_EPS 256
#define SIDE_LANES 5
#define ROW_H 22
#define TOP 58
#define X0 110
#define X1 600
#define NOTE_X 620
#define CHAR_W 6.6

struct svg_row {
	uint64_t frame;
	int64_t rel_ns;
	uint32_t flow;
	uint16_t src, dst, client, server;   /* endpoint numbers */
	uint8_t level, secret, enc, tcp;
	uint32_t text_off, text_len, note_off, note_len;
};

struct svg_state {
	struct svg_row *rows;
	size_t nrows, cap;
	uint64_t left_out;
	char *arena;
	size_t alen, acap;
	char *eps[SVG_MAX_EPS + 1];
	unsigned neps;
};

static uint32_t keep(struct svg_state *s, const char *p, size_t n)
{
	if (s->alen + n > s->acap) {
		size_t cap = s->acap ? s->acap * 2 : 1 << 16;
		while (cap < s->alen + n)
			cap *= 2;
		char *a = realloc(s->arena, cap);
		if (!a)
			return UINT32_MAX;
		s->arena = a;
		s->acap = cap;
	}
	memcpy(s->arena + s->alen, p, n);
	s->alen += n;
	return (uint32_t)(s->alen - n);
}

/* An endpoint's number; past SVG_MAX_EPS all share the last. */
static uint16_t ep_num(struct svg_state *s, const char *ep)
{
	ep = ep ? ep : "?";
	for (unsigned i = 0; i < s->neps; i++)
		if (strcmp(s->eps[i], ep) == 0)
			return (uint16_t)i;
	if (s->neps == SVG_MAX_EPS)
		return SVG_MAX_EPS - 1;
	s->eps[s->neps] = strdup(ep);
	if (!s->eps[s->neps])
		return 0;
	return (uint16_t)s->neps++;
}

static void svg_begin(struct wl_renderer *r)
{
	r->be_state = calloc(1, sizeof(struct svg_state));
}

static void svg_msg(struct wl_renderer *r, const struct wl_msg *m)
{
	struct svg_state *s = r->be_state;
	if (!s || (m->minor && !r->o.verbose))
		return;
	if (s->nrows == SVG_MAX_ROWS) {
		s->left_out++;
		return;
	}
	if (s->nrows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct svg_row *n = realloc(s->rows, cap * sizeof *n);
		if (!n)
			return;
		s->rows = n;
		s->cap = cap;
	}
	struct svg_row *w = &s->rows[s->nrows];
	memset(w, 0, sizeof *w);
	w->frame = m->frame;
	w->rel_ns = m->rel_ns;
	w->flow = m->flow_id;
	w->src = ep_num(s, m->src);
	w->dst = ep_num(s, m->dst);
	w->client = ep_num(s, m->client);
	w->server = ep_num(s, m->server);
	w->tcp = strcmp(m->proto, "tcp") == 0;
	for (unsigned i = 0; i < m->nfields; i++)
		w->secret |= m->fields[i].flags & WL_FIELD_SECRET;
	const char *text = m->text_len ? wl_msg_pool(m, m->text_off) : m->type;
	size_t tlen = m->text_len ? m->text_len : strlen(m->type);
	if (tlen > 200)
		tlen = 200;
	w->text_off = keep(s, text, tlen);
	w->text_len = (uint32_t)tlen;
	for (unsigned i = 0; i < m->nnotes; i++) {
		const struct wl_note_rec *n = &m->notes[i];
		if (i == 0 || n->level > w->level) {  /* the first note of the gravest level */
			size_t nl = n->len > 200 ? 200 : n->len;
			w->note_off = keep(s, wl_msg_pool(m, n->off), nl);
			w->note_len = (uint32_t)nl;
			w->level = n->level;
		}
		const char *t = wl_msg_pool(m, n->off);
		if (n->len >= 12 && memcmp(t, "from here on", 12) == 0)
			w->enc = 1;
	}
	if (m->text_len >= 9 && memcmp(text, "encrypted", 9) == 0 && !w->enc)
		w->enc = 2;
	if (w->text_off == UINT32_MAX || w->note_off == UINT32_MAX)
		return;
	s->nrows++;
}

/* XML text: valid UTF-8 only (U+FFFD for the rest), no control characters,
 * the markup characters as entities, at most max characters (then "…"). */
static void xml_text(struct wl_obuf *b, const char *p, size_t n, size_t max)
{
	const uint8_t *u = (const uint8_t *)p;
	size_t chars = 0;
	for (size_t i = 0; i < n;) {
		if (chars == max) {
			wl_ob_str(b, "\xe2\x80\xa6");
			return;
		}
		uint8_t c = u[i];
		size_t l = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		int ok = l && i + l <= n && !(l == 2 && c < 0xc2);
		for (size_t k = 1; ok && k < l; k++)
			ok = (u[i + k] & 0xc0) == 0x80;
		if (ok && l == 3 && ((c == 0xe0 && u[i + 1] < 0xa0) || (c == 0xed && u[i + 1] >= 0xa0) ||
				     (c == 0xef && u[i + 1] == 0xbf && u[i + 2] >= 0xbe)))
			ok = 0;  /* overlong, surrogate, or U+FFFE/FFFF (not XML characters) */
		if (ok && l == 4 && ((c == 0xf0 && u[i + 1] < 0x90) || c > 0xf4 || (c == 0xf4 && u[i + 1] >= 0x90)))
			ok = 0;
		chars++;
		if (!ok) {
			wl_ob_str(b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		if (l == 1) {
			switch (c) {
			case '&': wl_ob_str(b, "&amp;"); break;
			case '<': wl_ob_str(b, "&lt;"); break;
			case '>': wl_ob_str(b, "&gt;"); break;
			case '"': wl_ob_str(b, "&quot;"); break;
			case '\'': wl_ob_str(b, "&#39;"); break;
			default: wl_ob_putc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
			}
		} else {
			wl_ob_write(b, p + i, l);
		}
		i += l;
	}
}

static void xml_cstr(struct wl_obuf *b, const char *s, size_t max)
{
	xml_text(b, s, strlen(s), max);
}

/* lanes: lane[ep] = column; names in order; returns the number of columns */
static unsigned make_lanes(const struct svg_state *s, int *lane, const char **names)
{
	int is_client[SVG_MAX_EPS] = { 0 }, is_server[SVG_MAX_EPS] = { 0 };
	uint16_t order_c[SVG_MAX_EPS], order_s[SVG_MAX_EPS];
	unsigned nc = 0, ns = 0;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct svg_row *w = &s->rows[i];
		if (!is_client[w->client] && !is_server[w->client]) {
			is_client[w->client] = 1;
			order_c[nc++] = w->client;
		}
		if (!is_client[w->server] && !is_server[w->server]) {
			is_server[w->server] = 1;
			order_s[ns++] = w->server;
		}
	}
	unsigned col = 0;
	int other_c = -1, other_s = -1;
	for (unsigned i = 0; i < nc && i < SIDE_LANES; i++) {
		names[col] = s->eps[order_c[i]];
		lane[order_c[i]] = (int)col++;
	}
	if (nc > SIDE_LANES) {
		names[col] = "other clients";
		other_c = (int)col++;
	}
	if (ns > SIDE_LANES) {
		names[col] = "other servers";
		other_s = (int)col++;
	}
	unsigned shown_s = ns < SIDE_LANES ? ns : SIDE_LANES;
	for (unsigned i = 0; i < shown_s; i++) {
		unsigned k = shown_s - 1 - i;
		names[col] = s->eps[order_s[k]];
		lane[order_s[k]] = (int)col++;
	}
	for (unsigned i = SIDE_LANES; i < nc; i++)
		lane[order_c[i]] = other_c;
	for (unsigned i = SIDE_LANES; i < ns; i++)
		lane[order_s[i]] = other_s;
	return col;
}

static void svg_end(struct wl_renderer *r)
{
	struct svg_state *s = r->be_state;
	struct wl_obuf *b = &r->ob;
	if (!s)
		return;
	int lane[SVG_MAX_EPS];
	const char *names[2 * SIDE_LANES + 2];
	for (unsigned i = 0; i < SVG_MAX_EPS; i++)
		lane[i] = 0;
	unsigned ncols = make_lanes(s, lane, names);
	double step = ncols > 1 ? (double)(X1 - X0) / (ncols - 1) : 0;
	/* rows: a pause of more than 50 ms widens the gap a little (placed by time) */
	int *ys = malloc((s->nrows + 1) * sizeof *ys);
	if (!ys && s->nrows)
		goto out;
	int y = TOP + 10;
	uint8_t *enc_seen = calloc(65536, 1);  /* by flow id modulo: a hint only */
	for (size_t i = 0; i < s->nrows; i++) {
		if (i) {
			double dt = (double)(s->rows[i].rel_ns - s->rows[i - 1].rel_ns) / 1e9;
			if (dt > 0.05)
				y += dt > 1 ? 14 : 7;
		}
		int first_enc = enc_seen && s->rows[i].enc && !enc_seen[s->rows[i].flow & 0xffff];
		if (first_enc)
			enc_seen[s->rows[i].flow & 0xffff] = 1;
		if (first_enc && s->rows[i].enc == 2)
			y += 10;  /* the line goes before an encrypted message, after a "from here on" */
		ys[i] = y;
		y += ROW_H;
		if (first_enc && s->rows[i].enc == 1)
			y += 10;
	}
	int height = y + 30 + (s->left_out ? ROW_H : 0);
	wl_ob_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		     "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, monospace\" "
		     "font-size=\"11\">\n<title>wirelab: ", SVG_W, height, SVG_W, height);
	xml_cstr(b, r->o.title ? r->o.title : "capture", 200);
	WL_OB_LIT(b, "</title>\n<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
		  "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n"
		  "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<text x=\"8\" y=\"16\" font-weight=\"bold\">");
	xml_cstr(b, r->o.title ? r->o.title : "capture", 120);
	WL_OB_LIT(b, "</text>\n<g stroke=\"#000\">\n");
	for (unsigned c = 0; c < ncols; c++) {
		double x = X0 + c * step;
		wl_ob_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke-dasharray=\"3 3\" stroke=\"#777\"/>\n",
			     x, TOP - 8, x, y);
	}
	WL_OB_LIT(b, "</g>\n");
	for (unsigned c = 0; c < ncols; c++) {
		wl_ob_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">",
			     X0 + c * step, 34 + (int)(c % 2) * 14);
		xml_cstr(b, names[c], 28);
		WL_OB_LIT(b, "</text>\n");
	}
	if (enc_seen)
		memset(enc_seen, 0, 65536);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct svg_row *w = &s->rows[i];
		int yy = ys[i];
		if (enc_seen && w->enc && !enc_seen[w->flow & 0xffff]) {
			enc_seen[w->flow & 0xffff] = 1;
			int ly = w->enc == 1 ? yy + 12 : yy - 17;
			wl_ob_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-width=\"2\" "
				     "stroke-dasharray=\"10 3 2 3\"/><text x=\"%d\" y=\"%d\" font-weight=\"bold\">"
				     "encrypted from here on</text>\n", X0 - 20, ly, X1 + 20, ly, NOTE_X, ly + 4);
		}
		double xa = X0 + lane[w->src] * step, xb = X0 + lane[w->dst] * step;
		if (xa == xb)
			xb = xa + 30;
		const char *dash = w->level == WL_ERROR ? " stroke-dasharray=\"2 2\" stroke-width=\"2.2\""
				 : w->level == WL_WARN ? " stroke-dasharray=\"6 3\"" : "";
		wl_ob_printf(b, "<g><text x=\"4\" y=\"%d\" fill=\"#444\">%6llu %8.4f</text>", yy,
			     (unsigned long long)w->frame, (double)w->rel_ns / 1e9);
		wl_ob_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"%s%s marker-end=\"url(#a)\"/>",
			     xa, yy, xb, yy, dash, w->tcp ? " stroke-opacity=\"0.6\"" : "");
		double span = xb > xa ? xb - xa : xa - xb;
		size_t max = (size_t)(span / CHAR_W);
		if (max < 12)
			max = 12;
		wl_ob_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\"%s>", (xa + xb) / 2, yy - 4,
			     w->secret ? " font-weight=\"bold\"" : "");
		if (w->secret)
			WL_OB_LIT(b, "[secret] ");
		xml_text(b, s->arena + w->text_off, w->text_len, max);
		WL_OB_LIT(b, "</text>");
		if (w->note_len) {
			wl_ob_printf(b, "<text x=\"%d\" y=\"%d\"%s>%s", NOTE_X, yy + 3,
				     w->level == WL_ERROR ? " font-weight=\"bold\"" : "",
				     w->level == WL_ERROR ? "x " : w->level == WL_WARN ? "! " : "");
			xml_text(b, s->arena + w->note_off, w->note_len, (SVG_W - NOTE_X) / CHAR_W - 3);
			WL_OB_LIT(b, "</text>");
		}
		WL_OB_LIT(b, "</g>\n");
	}
	if (s->left_out)
		wl_ob_printf(b, "<text x=\"8\" y=\"%d\">… %llu more messages left out (wirelab -T html shows "
			     "them all)</text>\n", y + 12, (unsigned long long)s->left_out);
	WL_OB_LIT(b, "</svg>\n");
	free(enc_seen);
	free(ys);
out:
	for (unsigned i = 0; i < s->neps; i++)
		free(s->eps[i]);
	free(s->rows);
	free(s->arena);
	free(s);
	r->be_state = NULL;
}

/* The closing lines are not part of the picture. */
static void svg_line(struct wl_renderer *r, const char *text, size_t n)
{
	(void)r, (void)text, (void)n;
}

const struct wl_render_backend wl_render_svg = {
	.msg = svg_msg, .flow = NULL, .begin = svg_begin, .end = svg_end, .line = svg_line,
};
