/* fields.c - `check --diff fields`, `--expect-fields` and tshark TSVs: what
 * changed, said per frame and field ("frame 12 ftp.response.code: 230 → 530")
 * instead of as a text diff, so a new wording of a note or a new time format
 * can be told from a new meaning, and left out (--ignore, --ignore-notes).
 *
 * Two ways to compare:
 *  - whole messages (--diff fields): messages are paired by (frame, protocol,
 *    n-th of that protocol in the frame); every key of a pair is compared, and
 *    a message on one side only is said as such;
 *  - named fields (--expect-fields, a TSV): per frame, the list of values of
 *    each named field, wherever in the frame's messages they are, normalised
 *    as tshark and wirelab write them differently (fieldcheck's norm()). */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

/* ---- which names are compared ---- */

static int matches_any(const char *name, const char *const *pats, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(pats[i], name, 0) == 0)
			return 1;
	return 0;
}

static int ignored(const struct wl_fieldsel *sel, const char *name)
{
	if (sel->ignore_notes && strncmp(name, "wl.note.", 8) == 0)
		return 1;
	return matches_any(name, sel->ignore, sel->nignore);
}

/* ---- the lines said ---- */

struct said {
	FILE *out;
	size_t max, n;
};

static void say(struct said *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct said *s, const char *fmt, ...)
{
	if (s->n++ >= s->max)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(s->out, fmt, ap);
	va_end(ap);
	fputc('\n', s->out);
}

static size_t said_end(struct said *s)
{
	if (s->n > s->max)
		fprintf(s->out, "… and %zu more differences\n", s->n - s->max);
	return s->n;
}

/* ---- normalised values (fieldcheck's norm()) ---- */

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* ".123" -> ns (at most 9 digits kept); advances *p */
static long frac_ns(const char **p)
{
	long ns = 0;
	int digits = 0;
	if (**p != '.')
		return 0;
	for ((*p)++; **p >= '0' && **p <= '9'; (*p)++)
		if (digits < 9) {
			ns = ns * 10 + (**p - '0');
			digits++;
		}
	for (; digits < 9; digits++)
		ns *= 10;
	return ns;
}

static int to_ns(struct tm *tm, long ns, const char *rest, char *out, size_t n)
{
	while (*rest == ' ')
		rest++;
	/* tshark says its zone ("UTC"), ISO 8601 a Z; both are UTC here (TZ=UTC) */
	if (*rest && strcmp(rest, "Z") != 0 && strcmp(rest, "UTC") != 0)
		return 0;
	time_t t = timegm(tm);
	snprintf(out, n, "t:%lld", (long long)t * 1000000000LL + ns);
	return 1;
}

/* "Nov 25, 2026 12:00:00.123456789 UTC" (tshark) or "2026-11-25T12:00:00.1Z". */
static int parse_time(const char *s, char *out, size_t n)
{
	struct tm tm = { 0 };
	char mon[4];
	int day, year, hh, mm, ss, used = 0;
	if (sscanf(s, "%3s %d, %d %d:%d:%d%n", mon, &day, &year, &hh, &mm, &ss, &used) == 6 && used) {
		for (int i = 0; i < 12; i++)
			if (strcmp(mon, months[i]) == 0) {
				tm = (struct tm){ .tm_year = year - 1900, .tm_mon = i, .tm_mday = day,
						  .tm_hour = hh, .tm_min = mm, .tm_sec = ss };
				const char *p = s + used;
				long ns = frac_ns(&p);
				return to_ns(&tm, ns, p, out, n);
			}
		return 0;
	}
	int mo;
	used = 0;
	if (sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &year, &mo, &day, &hh, &mm, &ss, &used) == 6 && used) {
		tm = (struct tm){ .tm_year = year - 1900, .tm_mon = mo - 1, .tm_mday = day,
				  .tm_hour = hh, .tm_min = mm, .tm_sec = ss };
		const char *p = s + used;
		long ns = frac_ns(&p);
		return to_ns(&tm, ns, p, out, n);
	}
	return 0;
}

static int all_of(const char *s, const char *set)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr(set, *s))
			return 0;
	return 1;
}

/* Integers by their digits (no limit on their size), other numbers to 6 decimals. */
static int parse_number(const char *s, char *out, size_t n)
{
	const char *d = s[0] == '-' ? s + 1 : s;
	if (all_of(d, "0123456789")) {
		while (d[0] == '0' && d[1])
			d++;
		snprintf(out, n, "i:%s%s", s[0] == '-' && strcmp(d, "0") != 0 ? "-" : "", d);
		return 1;
	}
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) && all_of(s + 2, "0123456789abcdefABCDEF") &&
	    strlen(s + 2) <= 16) {
		snprintf(out, n, "i:%llu", strtoull(s + 2, NULL, 16));
		return 1;
	}
	if (!all_of(d, "0123456789.eE+-") || !strpbrk(d, "0123456789"))
		return 0;
	char *end;
	double v = strtod(s, &end);
	if (*end || v != v)
		return 0;
	if (v > -9e15 && v < 9e15 && v == (double)(long long)v)  /* the range first: a cast of inf is undefined */
		snprintf(out, n, "i:%lld", (long long)v);
	else if (v > -1e15 && v < 1e15)
		snprintf(out, n, "f:%.6f", v);
	else
		snprintf(out, n, "f:%.17g", v);
	return 1;
}

char *wl_norm_value(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	char *t = malloc(len + 1);
	if (!t)
		return NULL;
	memcpy(t, s, len);
	t[len] = '\0';
	char tok[96];
	if (strcmp(t, "True") == 0 || strcmp(t, "False") == 0)
		snprintf(tok, sizeof tok, "i:%d", t[0] == 'T');
	else if (!parse_number(t, tok, sizeof tok) && !parse_time(t, tok, sizeof tok))
		tok[0] = '\0';
	if (tok[0]) {
		free(t);
		return strdup(tok);
	}
	char *r = malloc(len + 3);
	if (r) {
		memcpy(r, "s:", 2);
		memcpy(r + 2, t, len + 1);
	}
	free(t);
	return r;
}

static int norm_equal(const char *a, const char *b)
{
	char *x = wl_norm_value(a), *y = wl_norm_value(b);
	int eq = x && y && strcmp(x, y) == 0;
	free(x);
	free(y);
	return eq;
}

/* ---- whole messages ---- */

struct mref {
	uint64_t frame;
	const char *proto;
	size_t idx, k;           /* index in the doc; k-th of its protocol in the frame */
};

static int mref_order(const void *a, const void *b)
{
	const struct mref *x = a, *y = b;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	int c = strcmp(x->proto, y->proto);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int mref_key(const struct mref *x, const struct mref *y)
{
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	int c = strcmp(x->proto, y->proto);
	if (c)
		return c;
	return x->k < y->k ? -1 : x->k > y->k;
}

static struct mref *message_order(const struct wl_jdoc *d)
{
	struct mref *r = malloc((d->n ? d->n : 1) * sizeof *r);
	if (!r)
		return NULL;
	for (size_t i = 0; i < d->n; i++)
		r[i] = (struct mref){ d->msgs[i].frame, d->msgs[i].proto, i, 0 };
	qsort(r, d->n, sizeof *r, mref_order);
	for (size_t i = 1; i < d->n; i++)
		if (r[i].frame == r[i - 1].frame && strcmp(r[i].proto, r[i - 1].proto) == 0)
			r[i].k = r[i - 1].k + 1;
	return r;
}

static int numeric(const char *s)
{
	return *s == '-' || (*s >= '0' && *s <= '9');
}

static int value_equal(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	/* 1.5 and 1.50 are one number; an older wirelab may have written either */
	return numeric(a) && numeric(b) && strtod(a, NULL) == strtod(b, NULL);
}

static int key_equal(const struct wl_jkey *a, const struct wl_jkey *b)
{
	if (a->nvals != b->nvals)
		return 0;
	for (size_t i = 0; i < a->nvals; i++)
		if (!value_equal(a->vals[i], b->vals[i]))
			return 0;
	return 1;
}

/* A key's values as in the file: one as it is, several as a JSON array. */
static char *key_text(const struct wl_jkey *k)
{
	if (!k)
		return strdup("(absent)");
	if (k->nvals == 1)
		return strdup(k->vals[0]);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputc('[', f);
	for (size_t i = 0; i < k->nvals; i++)
		fprintf(f, "%s%s", i ? "," : "", k->vals[i]);
	fputc(']', f);
	fclose(f);
	return buf;
}

static int key_order(const void *a, const void *b)
{
	const struct wl_jkey *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static const struct wl_jkey **sorted_keys(const struct wl_jmsg *m)
{
	const struct wl_jkey **r = malloc((m->nkeys ? m->nkeys : 1) * sizeof *r);
	if (!r)
		return NULL;
	for (size_t i = 0; i < m->nkeys; i++)
		r[i] = &m->keys[i];
	qsort(r, m->nkeys, sizeof *r, key_order);
	return r;
}

/* "frame 12 " and, where the name alone does not say which message, the
 * message: its protocol for wirelab's own keys, its number when a frame holds
 * several of one protocol. */
static void frame_label(char *buf, size_t n, const struct mref *r, const char *name)
{
	int own = strncmp(name, "wl.", 3) == 0 || strncmp(name, "frame.", 6) == 0;
	if (r->k)
		snprintf(buf, n, "frame %llu %s#%zu ", (unsigned long long)r->frame, r->proto, r->k + 1);
	else if (own)
		snprintf(buf, n, "frame %llu %s ", (unsigned long long)r->frame, r->proto);
	else
		snprintf(buf, n, "frame %llu ", (unsigned long long)r->frame);
}

static void say_key(struct said *s, const struct mref *r, const struct wl_jkey *e, const struct wl_jkey *a)
{
	const char *name = e ? e->name : a->name;
	char label[160];
	frame_label(label, sizeof label, r, name);
	char *et = key_text(e), *at = key_text(a);
	say(s, "%s%s: %s → %s", label, name, et ? et : "?", at ? at : "?");
	free(et);
	free(at);
}

static void compare_messages(struct said *s, const struct mref *r, const struct wl_jmsg *em,
			     const struct wl_jmsg *am, const struct wl_fieldsel *sel)
{
	const struct wl_jkey **ek = sorted_keys(em), **ak = sorted_keys(am);
	if (!ek || !ak) {
		say(s, "frame %llu: out of memory comparing", (unsigned long long)r->frame);
		free(ek);
		free(ak);
		return;
	}
	size_t i = 0, j = 0;
	while (i < em->nkeys || j < am->nkeys) {
		int c = i == em->nkeys ? 1 : j == am->nkeys ? -1 : strcmp(ek[i]->name, ak[j]->name);
		const struct wl_jkey *e = c <= 0 ? ek[i++] : NULL, *a = c >= 0 ? ak[j++] : NULL;
		if (ignored(sel, e ? e->name : a->name) || (e && a && key_equal(e, a)))
			continue;
		say_key(s, r, e, a);
	}
	free(ek);
	free(ak);
}

static void say_lone(struct said *s, const struct mref *r, const struct wl_jmsg *m, int expected)
{
	char label[160];
	frame_label(label, sizeof label, r, "wl.");
	say(s, "%s%s: %s", label, m->type ? m->type : "message",
	    expected ? "in the expected file, not in this output" : "in this output, not in the expected file");
}

static size_t diff_messages(const struct wl_jdoc *e, const struct wl_jdoc *a, const struct wl_fieldsel *sel,
			    struct said *s)
{
	struct mref *er = message_order(e), *ar = message_order(a);
	if (!er || !ar) {
		say(s, "out of memory comparing");
		free(er);
		free(ar);
		return said_end(s);
	}
	size_t i = 0, j = 0;
	while (i < e->n || j < a->n) {
		int c = i == e->n ? 1 : j == a->n ? -1 : mref_key(&er[i], &ar[j]);
		if (c < 0) {
			say_lone(s, &er[i], &e->msgs[er[i].idx], 1);
			i++;
		} else if (c > 0) {
			say_lone(s, &ar[j], &a->msgs[ar[j].idx], 0);
			j++;
		} else {
			compare_messages(s, &er[i], &e->msgs[er[i].idx], &a->msgs[ar[j].idx], sel);
			i++;
			j++;
		}
	}
	free(er);
	free(ar);
	return said_end(s);
}

/* ---- named fields, frame by frame ---- */

struct fval {
	uint64_t frame;
	const char *name;
	size_t seq;
	const char *val;         /* JSON text (wirelab) or a TSV cell */
};

struct fvals {
	struct fval *v;
	size_t n, cap;
};

static int fvals_add(struct fvals *l, uint64_t frame, const char *name, const char *val)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct fval *nv = realloc(l->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	l->v[l->n] = (struct fval){ frame, name, l->n, val };
	l->n++;
	return 0;
}

static int fval_order(const void *a, const void *b)
{
	const struct fval *x = a, *y = b;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

typedef int (*wanted_fn)(const void *arg, const char *name);

/* Every value of the wanted names in a's messages. */
static int collect(struct fvals *l, const struct wl_jdoc *d, wanted_fn wanted, const void *arg)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct wl_jmsg *m = &d->msgs[i];
		for (size_t k = 0; k < m->nkeys; k++)
			if (wanted(arg, m->keys[k].name))
				for (size_t v = 0; v < m->keys[k].nvals; v++)
					if (fvals_add(l, m->frame, m->keys[k].name, m->keys[k].vals[v]) < 0)
						return -1;
	}
	if (l->n > 1)  /* qsort's pointer must not be NULL, even for no elements */
		qsort(l->v, l->n, sizeof *l->v, fval_order);
	return 0;
}

/* Values of one (frame, name) as text, joined by commas as tshark aggregates them. */
static char *join_values(const struct fval *v, size_t n, int json)
{
	if (!n)
		return strdup("(absent)");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char *t = json ? wl_json_value_text(v[i].val) : strdup(v[i].val);
		fprintf(f, "%s%s", i ? "," : "", t ? t : "?");
		free(t);
	}
	fclose(f);
	return buf;
}

static int values_equal(const struct fval *e, size_t ne, int e_json, const struct fval *a, size_t na)
{
	if (!ne || !na)
		return ne == na;
	if (ne == na) {
		size_t i = 0;
		for (; i < ne; i++) {
			char *x = e_json ? wl_json_value_text(e[i].val) : strdup(e[i].val);
			char *y = wl_json_value_text(a[i].val);
			int eq = x && y && norm_equal(x, y);
			free(x);
			free(y);
			if (!eq)
				break;
		}
		if (i == ne)
			return 1;
	}
	if (e_json || ne != 1)
		return 0;
	/* a TSV cell holds all of a frame's values joined by tshark's aggregator
	 * (a comma), which values with commas in them make ambiguous: compare
	 * the cell's parts, else the cell with the values joined */
	char *cell = strdup(e[0].val);
	int eq = 0;
	if (cell) {
		size_t parts = 1, i = 0;
		for (const char *c = cell; *c; c++)
			parts += *c == ',';
		if (parts == na) {
			char *save = NULL, *tok = strtok_r(cell, ",", &save);
			for (; tok && i < na; tok = strtok_r(NULL, ",", &save), i++) {
				char *y = wl_json_value_text(a[i].val);
				int ok = y && norm_equal(tok, y);
				free(y);
				if (!ok)
					break;
			}
			eq = i == na && !tok;
		}
		free(cell);
	}
	if (!eq) {
		char *joined = join_values(a, na, 1);
		eq = joined && norm_equal(e[0].val, joined);
		free(joined);
	}
	return eq;
}

static size_t group_end(const struct fvals *l, size_t i)
{
	size_t j = i + 1;
	while (j < l->n && l->v[j].frame == l->v[i].frame && strcmp(l->v[j].name, l->v[i].name) == 0)
		j++;
	return j;
}

static int fval_key(const struct fval *x, const struct fval *y)
{
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* frames: if given (a TSV's rows, sorted), only these frames are compared. */
static int frame_wanted(const uint64_t *frames, size_t nframes, uint64_t f)
{
	if (!frames)
		return 1;
	size_t lo = 0, hi = nframes;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (frames[mid] == f)
			return 1;
		if (frames[mid] < f)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void merge_values(struct said *s, const struct fvals *e, int e_json, const struct fvals *a,
			 const uint64_t *frames, size_t nframes)
{
	static const struct fval none = { 0 };
	size_t i = 0, j = 0;
	while (i < e->n || j < a->n) {
		int c = i == e->n ? 1 : j == a->n ? -1 : fval_key(&e->v[i], &a->v[j]);
		size_t ie = c <= 0 ? group_end(e, i) : i, ja = c >= 0 ? group_end(a, j) : j;
		const struct fval *at = c <= 0 ? &e->v[i] : &a->v[j];
		int skip = !frame_wanted(frames, nframes, at->frame);
		/* an empty TSV cell is no value */
		int e_empty = !e_json && ie - i == 1 && e->v[i].val[0] == '\0';
		size_t ne = e_empty ? 0 : ie - i, na = ja - j;
		const struct fval *ev = ne ? &e->v[i] : &none, *av = na ? &a->v[j] : &none;
		if (!skip && (ne || na) && !values_equal(ev, ne, e_json, av, na)) {
			char *et = join_values(ev, ne, e_json), *atx = join_values(av, na, 1);
			say(s, "frame %llu %s: %s → %s", (unsigned long long)at->frame, at->name,
			    et ? et : "?", atx ? atx : "?");
			free(et);
			free(atx);
		}
		i = ie;
		j = ja;
	}
}

static int only_wanted(const void *arg, const char *name)
{
	const struct wl_fieldsel *sel = arg;
	return matches_any(name, sel->only, sel->nonly) && !ignored(sel, name);
}

static size_t diff_named(const struct wl_jdoc *e, const struct wl_jdoc *a, const struct wl_fieldsel *sel,
			 struct said *s)
{
	struct fvals ev = { 0 }, av = { 0 };
	if (collect(&ev, e, only_wanted, sel) < 0 || collect(&av, a, only_wanted, sel) < 0)
		say(s, "out of memory comparing");
	else
		merge_values(s, &ev, 1, &av, NULL, 0);
	free(ev.v);
	free(av.v);
	return said_end(s);
}

size_t wl_fielddiff(const struct wl_jdoc *expected, const struct wl_jdoc *actual,
		    const struct wl_fieldsel *sel, size_t max_lines, FILE *out)
{
	struct said s = { out, max_lines, 0 };
	return sel->only ? diff_named(expected, actual, sel, &s) : diff_messages(expected, actual, sel, &s);
}

/* ---- tshark TSVs ---- */

static char **split_tabs(char *line, size_t *n)
{
	size_t cols = 1;
	for (char *c = line; *c; c++)
		cols += *c == '\t';
	char **r = malloc(cols * sizeof *r);
	if (!r)
		return NULL;
	size_t i = 0;
	for (char *c = line;; c++) {
		char *tab = strchr(c, '\t');
		r[i++] = c;
		if (!tab)
			break;
		*tab = '\0';
		c = tab;
	}
	*n = i;
	return r;
}

void wl_tsv_free(struct wl_tsv *t)
{
	if (t->cols)
		free(t->cols[0]);  /* the header line's copy holds every name */
	free(t->cols);
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->cells[i])
			free(t->cells[i][0]);
		free(t->cells[i]);
	}
	free(t->cells);
	free(t->frames);
	memset(t, 0, sizeof *t);
}

static char *line_copy(const char *p, const char *e)
{
	size_t n = (size_t)(e - p);
	if (n && p[n - 1] == '\r')
		n--;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static int parse_header(struct wl_tsv *t, char *line, char *err, size_t errlen)
{
	t->cols = split_tabs(line, &t->ncols);
	if (!t->cols) {
		free(line);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->frame_col = -1;
	for (size_t i = 0; i < t->ncols; i++) {
		const char *c = t->cols[i];
		if (!*c || strspn(c, "0123456789") == strlen(c)) {
			snprintf(err, errlen, "the first line must name the fields (tshark -T fields -E header=y)");
			return -1;
		}
		if (strcmp(c, "frame.number") == 0)
			t->frame_col = (int)i;
	}
	return 0;
}

static int add_row(struct wl_tsv *t, char *line, size_t rowno, char *err, size_t errlen)
{
	size_t n;
	char **cells = split_tabs(line, &n);
	if (!cells) {
		free(line);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char ***nc = realloc(t->cells, (t->nrows + 1) * sizeof *nc);
	uint64_t *nf = nc ? realloc(t->frames, (t->nrows + 1) * sizeof *nf) : NULL;
	if (nc)
		t->cells = nc;
	if (nf)
		t->frames = nf;
	if (!nc || !nf) {
		free(line);
		free(cells);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* tshark leaves no trailing tabs out, but a hand-edited file may: pad */
	if (n < t->ncols) {
		char **pad = realloc(cells, t->ncols * sizeof *pad);
		if (!pad) {
			free(line);
			free(cells);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		cells = pad;
		for (; n < t->ncols; n++)
			cells[n] = line + strlen(line);
	}
	uint64_t frame = rowno;
	if (t->frame_col >= 0) {
		char *end;
		frame = strtoull(cells[t->frame_col], &end, 10);
		if (end == cells[t->frame_col] || *end) {
			snprintf(err, errlen, "row %zu: frame.number is '%s'", rowno + 1, cells[t->frame_col]);
			free(line);
			free(cells);
			return -1;
		}
	}
	t->cells[t->nrows] = cells;
	t->frames[t->nrows] = frame;
	t->nrows++;
	return 0;
}

int wl_tsv_parse(struct wl_tsv *t, const char *text, size_t len, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	const char *p = text, *e = text + len;
	size_t rowno = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;
		char *line = line_copy(p, le);
		if (!line) {
			snprintf(err, errlen, "out of memory");
			wl_tsv_free(t);
			return -1;
		}
		int rc = 0;
		if (!t->cols)
			rc = parse_header(t, line, err, errlen);
		else if (*line || t->ncols == 1)  /* one column: an empty line is a row */
			rc = add_row(t, line, ++rowno, err, errlen);
		else
			free(line);
		if (rc < 0) {
			wl_tsv_free(t);
			return -1;
		}
		p = nl ? nl + 1 : e;
	}
	if (!t->cols) {
		snprintf(err, errlen, "empty: the first line must name the fields (tshark -E header=y)");
		return -1;
	}
	return 0;
}

struct tsv_want {
	const struct wl_tsv *t;
	const struct wl_fieldsel *sel;
};

static int tsv_column_wanted(const struct tsv_want *w, size_t col)
{
	const char *name = w->t->cols[col];
	if ((int)col == w->t->frame_col || ignored(w->sel, name))
		return 0;
	return !w->sel->only || matches_any(name, w->sel->only, w->sel->nonly);
}

static int tsv_name_wanted(const void *arg, const char *name)
{
	const struct tsv_want *w = arg;
	for (size_t c = 0; c < w->t->ncols; c++)
		if (strcmp(w->t->cols[c], name) == 0)
			return tsv_column_wanted(w, c);
	return 0;
}

static int u64_order(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return *x < *y ? -1 : *x > *y;
}

size_t wl_tsvdiff(const struct wl_tsv *t, const struct wl_jdoc *actual, const struct wl_fieldsel *sel,
		  size_t max_lines, FILE *out)
{
	struct said s = { out, max_lines, 0 };
	struct tsv_want w = { t, sel };
	struct fvals ev = { 0 }, av = { 0 };
	uint64_t *frames = malloc((t->nrows ? t->nrows : 1) * sizeof *frames);
	int oom = !frames;
	for (size_t r = 0; !oom && r < t->nrows; r++) {
		frames[r] = t->frames[r];
		for (size_t c = 0; c < t->ncols && !oom; c++)
			if (tsv_column_wanted(&w, c))
				oom = fvals_add(&ev, t->frames[r], t->cols[c], t->cells[r][c]) < 0;
	}
	if (!oom) {
		if (ev.n > 1)
			qsort(ev.v, ev.n, sizeof *ev.v, fval_order);
		qsort(frames, t->nrows, sizeof *frames, u64_order);
		oom = collect(&av, actual, tsv_name_wanted, &w) < 0;
	}
	if (oom)
		say(&s, "out of memory comparing");
	else
		merge_values(&s, &ev, 0, &av, frames, t->nrows);
	free(frames);
	free(ev.v);
	free(av.v);
	return said_end(&s);
}
