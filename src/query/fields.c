/* fields.c - `-T fields -e FIELD ...` with tshark's -E options: one line per
 * frame, a cell per field (empty when the frame lacks it), the occurrences
 * of a cell joined by the aggregator, values printed as tshark prints them.
 *
 *   -E header=y|n  separator=/t|/s|C  occurrence=f|l|a  aggregator=/s|C
 *      quote=d|s|n  bom=y|n
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpriv.h"

struct fields {
	const struct wl_qreg *reg;
	int *ids;
	unsigned n;
	struct wl_fields_opts o;
	FILE *out;
	struct wl_qbuf line;
	int started;
};

void wl_fields_opts_default(struct wl_fields_opts *o)
{
	memset(o, 0, sizeof *o);
	o->separator = '\t';
	o->occurrence = 'a';
	o->aggregator = ',';
}

/* "/t" "/s" or one character, as tshark's -E separator= and aggregator=. */
static int one_char(const char *v, char *out)
{
	if (strcmp(v, "/t") == 0)
		*out = '\t';
	else if (strcmp(v, "/s") == 0)
		*out = ' ';
	else if (v[0] && !v[1])
		*out = v[0];
	else
		return -1;
	return 0;
}

static int yes_no(const char *v, int *out)
{
	if (strcmp(v, "y") == 0 || strcmp(v, "Y") == 0)
		*out = 1;
	else if (strcmp(v, "n") == 0 || strcmp(v, "N") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

int wl_fields_opt(struct wl_fields_opts *o, const char *arg, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		snprintf(err, errlen, "-E %s: expected NAME=VALUE (header, separator, occurrence, aggregator, "
			 "quote, bom)", arg);
		return -1;
	}
	size_t k = (size_t)(eq - arg);
	const char *v = eq + 1;
	int ok = -1;
	if (k == 6 && strncmp(arg, "header", 6) == 0) {
		ok = yes_no(v, &o->header);
	} else if (k == 3 && strncmp(arg, "bom", 3) == 0) {
		ok = yes_no(v, &o->bom);
	} else if (k == 9 && strncmp(arg, "separator", 9) == 0) {
		ok = one_char(v, &o->separator);
	} else if (k == 10 && strncmp(arg, "aggregator", 10) == 0) {
		ok = one_char(v, &o->aggregator);
	} else if (k == 10 && strncmp(arg, "occurrence", 10) == 0) {
		if ((v[0] == 'f' || v[0] == 'l' || v[0] == 'a') && !v[1]) {
			o->occurrence = v[0];
			ok = 0;
		}
	} else if (k == 5 && strncmp(arg, "quote", 5) == 0) {
		static const char q[] = { 'd', '"', 's', '\'', 'n', 0 };
		for (int i = 0; i < 6; i += 2)
			if (v[0] == q[i] && !v[1]) {
				o->quote = q[i + 1];
				ok = 0;
			}
	} else {
		snprintf(err, errlen, "-E %s: unknown option (header, separator, occurrence, aggregator, "
			 "quote, bom)", arg);
		return -1;
	}
	if (ok < 0)
		snprintf(err, errlen, "-E %s: bad value", arg);
	return ok;
}

struct cell {
	struct fields *w;
	const struct wl_qfield *fd;
	size_t start;            /* where the cell's text starts in the line */
	unsigned count;
	int redact;
};

static int add_value(void *arg, const struct wl_qval *v)
{
	struct cell *c = arg;
	struct wl_qbuf *b = &c->w->line;
	char occ = c->w->o.occurrence;
	if (occ == 'l')
		b->n = c->start;  /* the last one wins */
	else if (c->count)
		wl__qb_ch(b, c->w->o.aggregator);
	wl__fmt_value_r(b, c->fd, v, c->w->o.redact);
	c->count++;
	return occ == 'f';
}

static void header(struct fields *w)
{
	struct wl_qbuf *b = &w->line;
	w->started = 1;
	if (w->o.bom)
		wl__qb_str(b, "\xef\xbb\xbf");
	if (!w->o.header)
		return;
	for (unsigned i = 0; i < w->n; i++) {
		if (i)
			wl__qb_ch(b, w->o.separator);
		wl__qb_str(b, wl__qreg_get(w->reg, w->ids[i])->name);
	}
	wl__qb_ch(b, '\n');
}

static void on_frame(void *arg, const struct wl_qframe *f)
{
	struct fields *w = arg;
	if (f->late)
		return;
	struct wl_qbuf *b = &w->line;
	b->n = 0;
	if (!w->started)
		header(w);
	for (unsigned i = 0; i < w->n; i++) {
		if (i)
			wl__qb_ch(b, w->o.separator);
		struct cell c = { w, wl__qreg_get(w->reg, w->ids[i]), 0, 0, 0 };
		if (w->o.quote)
			wl__qb_ch(b, w->o.quote);
		c.start = b->n;
		wl__frame_values(f, w->ids[i], add_value, &c);
		if (w->o.quote) {
			if (c.count)
				wl__qb_ch(b, w->o.quote);
			else
				b->n--;  /* tshark quotes only cells that have a value */
		}
	}
	wl__qb_ch(b, '\n');
	if (!b->failed)
		fwrite(b->p, 1, b->n, w->out);
}

static void on_finish(void *arg)
{
	struct fields *w = arg;
	if (!w->started) {   /* no frame passed: tshark prints the header all the same */
		w->line.n = 0;
		header(w);
		if (!w->line.failed && w->line.n)
			fwrite(w->line.p, 1, w->line.n, w->out);
	}
	fflush(w->out);
}

static void on_free(void *arg)
{
	struct fields *w = arg;
	wl__qb_free(&w->line);
	free(w->ids);
	free(w);
}

int wl_fields_new(const struct wl_qreg *reg, const char *const *names, unsigned n,
		  const struct wl_fields_opts *o, FILE *out, struct wl_qconsumer *c, char *err,
		  size_t errlen)
{
	if (!n) {
		snprintf(err, errlen, "-T fields needs at least one -e FIELD");
		return -1;
	}
	struct fields *w = calloc(1, sizeof *w);
	int *ids = calloc(n, sizeof *ids);
	if (!w || !ids) {
		free(w);
		free(ids);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		ids[i] = wl__qreg_find(reg, names[i], strlen(names[i]));
		if (ids[i] >= 0)
			continue;
		const char *near[4];
		unsigned k = wl_qreg_nearest(reg, names[i], near, 4);
		int m = snprintf(err, errlen, "-e %s: \"%s\" is neither a field nor a protocol name", names[i],
				 names[i]);
		for (unsigned j = 0; j < k && m > 0 && (size_t)m < errlen; j++)
			m += snprintf(err + m, errlen - (size_t)m, "%s%s", j ? ", " : "; did you mean ", near[j]);
		if (k && m > 0 && (size_t)m < errlen)
			snprintf(err + m, errlen - (size_t)m, "?");
		free(ids);
		free(w);
		return -1;
	}
	w->reg = reg;
	w->ids = ids;
	w->n = n;
	w->o = *o;
	w->out = out;
	*c = (struct wl_qconsumer){ .frame = on_frame, .finish = on_finish, .free = on_free, .arg = w };
	return 0;
}
