/* render.c - the renderer object: picks the backend (text, JSON or ladder),
 * counts what it shows, and keeps a list of the kinds of warning seen for
 * summaries. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "render_backend.h"

struct wl_renderer *wl_render_new(const struct wl_render_opts *o)
{
	struct wl_renderer *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	static const struct wl_render_backend *const backends[] = {
		[WL_OUT_TEXT] = &wl_render_text,
		[WL_OUT_JSON] = &wl_render_json,
		[WL_OUT_LADDER] = &wl_render_ladder,
		[WL_OUT_HTML] = &wl_render_html,
		[WL_OUT_SVG] = &wl_render_svg,
	};
	r->o = *o;
	r->be = backends[o->format];
	r->ob.f = o->out ? o->out : stdout;
	if (r->be->begin)
		r->be->begin(r);
	return r;
}

static void remember_warning(struct wl_renderer *r, const struct wl_msg *m)
{
	for (unsigned i = 0; i < m->nnotes; i++) {
		if (m->notes[i].level != WL_WARN)
			continue;
		const char *text = wl_msg_pool(m, m->notes[i].off);
		/* the kind is the text up to the first ':' (numbers vary) */
		size_t k = strcspn(text, ":");
		unsigned j;
		for (j = 0; j < r->nwarn_kinds; j++)
			if (strlen(r->warn_kinds[j]) == k && strncmp(r->warn_kinds[j], text, k) == 0)
				break;
		if (j == r->nwarn_kinds && r->nwarn_kinds < WL_MAX_WARN_KINDS) {
			char *s = strndup(text, k);
			if (s)
				r->warn_kinds[r->nwarn_kinds++] = s;
		}
	}
}

static void on_msg(void *arg, const struct wl_msg *m)
{
	struct wl_renderer *r = arg;
	r->t.msgs++;
	for (unsigned i = 0; i < m->nnotes; i++) {
		if (m->notes[i].level == WL_WARN)
			r->t.warnings++;
		else if (m->notes[i].level == WL_ERROR)
			r->t.errors++;
	}
	if (m->nnotes)
		remember_warning(r, m);
	for (unsigned i = 0; i < m->nfields; i++)
		r->t.secrets += (m->fields[i].flags & WL_FIELD_SECRET) != 0;
	r->be->msg(r, m);
}

static void on_flow(void *arg, const struct wl_flow_summary *s)
{
	struct wl_renderer *r = arg;
	r->t.flows++;
	for (int d = 0; d < 2; d++) {
		r->t.pkts[d] += s->pkts[d];
		r->t.bytes[d] += s->bytes[d];
	}
	if (r->be->flow && r->o.summaries)
		r->be->flow(r, s);
}

struct wl_sink wl_render_sink(struct wl_renderer *r)
{
	struct wl_sink s = { on_msg, on_flow, r };
	return s;
}

void wl_render_line(struct wl_renderer *r, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (r->be->line) {
		r->be->line(r, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
		return;
	}
	if (r->be->settle)
		r->be->settle(r);
	wl_ob_write(&r->ob, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
	wl_ob_putc(&r->ob, '\n');
	r->last_flow_valid = 0;
}

void wl_render_flush(struct wl_renderer *r)
{
	if (r->be->settle)
		r->be->settle(r);
	wl_ob_flush(&r->ob);
	fflush(r->ob.f);
}

void wl_render_totals(const struct wl_renderer *r, struct wl_render_totals *t)
{
	*t = r->t;
}

unsigned wl_render_warning_kinds(const struct wl_renderer *r, const char ***out)
{
	*out = (const char **)r->warn_kinds;
	return r->nwarn_kinds;
}

void wl_render_free(struct wl_renderer *r)
{
	if (!r)
		return;
	if (r->be->end)
		r->be->end(r);
	wl_render_flush(r);
	for (unsigned i = 0; i < r->nwarn_kinds; i++)
		free((void *)r->warn_kinds[i]);
	free(r->x_bytes);
	free(r);
}

void wl_render_page_head(FILE *out, const char *title)
{
	wl_html_head(out, title);
}

void wl_render_page_tail(FILE *out)
{
	wl_html_tail(out);
}

int wl_render_is_picture(enum wl_format f)
{
	return f == WL_OUT_HTML || f == WL_OUT_SVG;
}
