/* json.c - just enough JSON (RFC 8259) to read expected .jsonl files back:
 * one object per line, each a message of `wirelab read -T json` or the
 * expected file's header record. Values are kept as the JSON text they were
 * written as, so comparing two files compares what they say, byte for byte,
 * and showing a difference shows it as it is in the file. */
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define MAX_DEPTH 64

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* p at the opening quote; returns one past the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *e)
{
	for (p++; p < e; p++) {
		if (*p == '"')
			return p + 1;
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && ++p == e)
			return NULL;
	}
	return NULL;
}

static const char *skip_number(const char *p, const char *e)
{
	const char *s = p;
	int digits = 0;
	while (p < e && (strchr("+-.eE", *p) || (*p >= '0' && *p <= '9'))) {
		digits += *p >= '0' && *p <= '9';
		p++;
	}
	return p > s && digits ? p : NULL;
}

static const char *skip_literal(const char *p, const char *e, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0 ? p + n : NULL;
}

static const char *skip_value(const char *p, const char *e, unsigned depth);

/* An object's or array's members; p at '{' or '['. */
static const char *skip_container(const char *p, const char *e, unsigned depth)
{
	char close = *p == '{' ? '}' : ']';
	p = skip_ws(p + 1, e);
	if (p < e && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (p == e || *p != '"')
				return NULL;
			p = skip_string(p, e);
			if (!p)
				return NULL;
			p = skip_ws(p, e);
			if (p == e || *p != ':')
				return NULL;
			p++;
		}
		p = skip_value(p, e, depth + 1);
		if (!p)
			return NULL;
		p = skip_ws(p, e);
		if (p == e)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = skip_ws(p + 1, e);
	}
}

/* One value (after white space); returns its end, or NULL if it is not JSON. */
static const char *skip_value(const char *p, const char *e, unsigned depth)
{
	p = skip_ws(p, e);
	if (p == e || depth > MAX_DEPTH)
		return NULL;
	switch (*p) {
	case '"': return skip_string(p, e);
	case '{':
	case '[': return skip_container(p, e, depth);
	case 't': return skip_literal(p, e, "true");
	case 'f': return skip_literal(p, e, "false");
	case 'n': return skip_literal(p, e, "null");
	default: return skip_number(p, e);
	}
}

static int hex4(const char *p, const char *e, unsigned *out)
{
	if (e - p < 4)
		return -1;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (d > 15)
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* \uXXXX at p (after the backslash and 'u'), with a following low surrogate. */
static unsigned unicode_escape(const char **pp, const char *e)
{
	const char *p = *pp;
	unsigned hi, lo;
	if (hex4(p, e, &hi) < 0)
		return 0xfffd;
	p += 4;
	if (hi >= 0xd800 && hi < 0xdc00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
	    hex4(p + 2, e, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
		*pp = p + 6;
		return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	*pp = p;
	return hi >= 0xd800 && hi < 0xe000 ? 0xfffd : hi;
}

char *wl_json_decode_string(const char *p, size_t n)
{
	const char *e = p + n;
	if (!n || *p != '"' || skip_string(p, e) != e)
		return NULL;
	/* a valid \u escape (6 bytes, or 12 for a pair) never grows beyond 4
	 * bytes of UTF-8, but a broken one ("\u" and no digits: 2 bytes) becomes
	 * U+FFFD (3): twice the length is always enough */
	char *out = malloc(2 * n + 1), *o = out;
	if (!out)
		return NULL;
	for (p++; p < e - 1;) {
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		p++;
		char c = *p++;
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': o += put_utf8(o, unicode_escape(&p, e - 1)); break;
		default: *o++ = c; break;  /* \" \\ \/ and anything else as itself */
		}
	}
	*o = '\0';
	return out;
}

char *wl_json_value_text(const char *json)
{
	size_t n = strlen(json);
	if (n && json[0] == '"')
		return wl_json_decode_string(json, n);
	if (strcmp(json, "true") == 0)
		return strdup("1");
	if (strcmp(json, "false") == 0)
		return strdup("0");
	if (strcmp(json, "null") == 0)
		return strdup("");
	return strdup(json);
}

static char *dup_span(const char *p, const char *q)
{
	char *s = malloc((size_t)(q - p) + 1);
	if (s) {
		memcpy(s, p, (size_t)(q - p));
		s[q - p] = '\0';
	}
	return s;
}

/* ---- members of one record ---- */

struct member {
	char *key;               /* decoded */
	const char *v, *ve;      /* the value's JSON text */
};

/* Calls fn for each member of the object at p..e; -1 if it is not an object. */
static int each_member(const char *p, const char *e, int (*fn)(void *arg, const struct member *m),
		       void *arg)
{
	p = skip_ws(p, e);
	if (p == e || *p != '{' || skip_value(p, e, 0) == NULL)
		return -1;
	p = skip_ws(p + 1, e);
	while (p < e && *p != '}') {
		const char *k = p, *ke = skip_string(p, e);
		p = skip_ws(ke, e) + 1;  /* the ':' (checked by skip_value) */
		p = skip_ws(p, e);
		struct member m = { wl_json_decode_string(k, (size_t)(ke - k)), p, skip_value(p, e, 0) };
		int rc = m.key ? fn(arg, &m) : -1;
		free(m.key);
		if (rc < 0)
			return -1;
		p = skip_ws(m.ve, e);
		if (p < e && *p == ',')
			p = skip_ws(p + 1, e);
	}
	return 0;
}

/* The elements of the array at p..e, each as a JSON text. */
static int each_element(const char *p, const char *e, int (*fn)(void *arg, const char *v, const char *ve),
			void *arg)
{
	p = skip_ws(p + 1, e);
	while (p < e && *p != ']') {
		const char *ve = skip_value(p, e, 0);
		if (!ve || fn(arg, p, ve) < 0)
			return -1;
		p = skip_ws(ve, e);
		if (p < e && *p == ',')
			p = skip_ws(p + 1, e);
	}
	return 0;
}

static struct wl_jkey *add_key(struct wl_jmsg *m, const char *name)
{
	/* a JSON object's names are unique; notes of one level share theirs */
	if (strncmp(name, "wl.note.", 8) == 0)
		for (size_t i = 0; i < m->nkeys; i++)
			if (strcmp(m->keys[i].name, name) == 0)
				return &m->keys[i];
	struct wl_jkey *k = realloc(m->keys, (m->nkeys + 1) * sizeof *k);
	if (!k)
		return NULL;
	m->keys = k;
	k += m->nkeys;
	*k = (struct wl_jkey){ strdup(name), NULL, 0 };
	if (!k->name)
		return NULL;
	m->nkeys++;
	return k;
}

static int add_val(void *arg, const char *v, const char *ve)
{
	struct wl_jkey *k = arg;
	char **vals = realloc(k->vals, (k->nvals + 1) * sizeof *vals);
	if (!vals)
		return -1;
	k->vals = vals;
	vals[k->nvals] = dup_span(v, ve);
	if (!vals[k->nvals])
		return -1;
	k->nvals++;
	return 0;
}

/* A value under name: an array's elements one by one (a repeated field). */
static int add_value(struct wl_jmsg *m, const char *name, const char *v, const char *ve)
{
	struct wl_jkey *k = add_key(m, name);
	if (!k)
		return -1;
	if (*v == '[')
		return each_element(v, ve, add_val, k);
	return add_val(k, v, ve);
}

static int field_member(void *arg, const struct member *f)
{
	return add_value(arg, f->key, f->v, f->ve);
}

struct note {
	char level[16];
	const char *text, *te;
};

static int note_member(void *arg, const struct member *f)
{
	struct note *n = arg;
	if (strcmp(f->key, "level") == 0) {
		char *s = f->v < f->ve && *f->v == '"' ? wl_json_decode_string(f->v, (size_t)(f->ve - f->v)) : NULL;
		snprintf(n->level, sizeof n->level, "%s", s ? s : "?");
		free(s);
	} else if (strcmp(f->key, "text") == 0) {
		n->text = f->v;
		n->te = f->ve;
	}
	return 0;
}

static int note_element(void *arg, const char *v, const char *ve)
{
	struct note n = { "info", NULL, NULL };
	if (each_member(v, ve, note_member, &n) < 0 || !n.text)
		return 0;  /* not a note as wirelab writes them: left out */
	char name[32];
	snprintf(name, sizeof name, "wl.note.%s", n.level);
	return add_value(arg, name, n.text, n.te);
}

/* Message-level keys under the names --ignore and --expect-fields use. */
static const struct {
	const char *key, *name;
} msg_keys[] = {
	{ "time", "frame.time_relative" }, { "src", "wl.src" }, { "dst", "wl.dst" },
	{ "type", "wl.type" }, { "text", "wl.text" },
};

struct record {
	struct wl_jmsg m;
	int has_frame;
	char *rtype;             /* "type" as a string */
	char *version;
	char *options;
	int options_seen;
};

static int join_option(void *arg, const char *v, const char *ve)
{
	struct record *r = arg;
	char *raw = dup_span(v, ve);
	char *txt = raw ? wl_json_value_text(raw) : NULL;
	free(raw);
	if (!txt)
		return -1;
	const char *opt[1] = { txt };
	char *q = wl_join_options(opt, 1);
	free(txt);
	if (!q)
		return -1;
	size_t a = r->options ? strlen(r->options) : 0, b = strlen(q);
	char *j = realloc(r->options, a + b + 2);
	if (!j) {
		free(q);
		return -1;
	}
	if (a)
		j[a++] = ' ';
	memcpy(j + a, q, b + 1);
	r->options = j;
	free(q);
	return 0;
}

static char *string_value(const struct member *f)
{
	return *f->v == '"' ? wl_json_decode_string(f->v, (size_t)(f->ve - f->v)) : NULL;
}

static int record_member(void *arg, const struct member *f)
{
	struct record *r = arg;
	const char *k = f->key;
	if (strcmp(k, "frame") == 0) {
		char *end;
		r->m.frame = strtoull(f->v, &end, 10);
		r->has_frame = end != f->v;
		return 0;
	}
	if (strcmp(k, "proto") == 0) {
		free(r->m.proto);
		r->m.proto = string_value(f);
		return 0;
	}
	if (strcmp(k, "fields") == 0)
		return *f->v == '{' ? each_member(f->v, f->ve, field_member, &r->m) : add_value(&r->m, "wl.fields", f->v, f->ve);
	if (strcmp(k, "notes") == 0)
		return *f->v == '[' ? each_element(f->v, f->ve, note_element, &r->m) : 0;
	if (strcmp(k, "wirelab") == 0) {
		free(r->version);
		r->version = string_value(f);
	}
	if (strcmp(k, "options") == 0 && *f->v == '[') {
		r->options_seen = 1;
		if (each_element(f->v, f->ve, join_option, r) < 0)
			return -1;
	}
	if (strcmp(k, "type") == 0) {
		free(r->rtype);
		r->rtype = string_value(f);
	}
	for (size_t i = 0; i < sizeof msg_keys / sizeof msg_keys[0]; i++)
		if (strcmp(k, msg_keys[i].key) == 0)
			return add_value(&r->m, msg_keys[i].name, f->v, f->ve);
	char name[128];
	snprintf(name, sizeof name, "wl.%s", k);
	return add_value(&r->m, name, f->v, f->ve);
}

static void msg_free(struct wl_jmsg *m)
{
	for (size_t i = 0; i < m->nkeys; i++) {
		for (size_t j = 0; j < m->keys[i].nvals; j++)
			free(m->keys[i].vals[j]);
		free(m->keys[i].vals);
		free(m->keys[i].name);
	}
	free(m->keys);
	free(m->proto);
	free(m->type);
	memset(m, 0, sizeof *m);
}

static void record_free(struct record *r)
{
	msg_free(&r->m);
	free(r->rtype);
	free(r->version);
	free(r->options);
}

/* The first line may be the header record; a record without "frame" is not
 * a message (lab step records, say) and is counted, not compared. */
static int take_record(struct wl_jdoc *d, struct record *r, unsigned line)
{
	if (!r->has_frame) {
		if (line == 1 && r->rtype && strcmp(r->rtype, "expect") == 0) {
			d->has_header = 1;
			d->version = r->version;
			d->options = r->options ? r->options : strdup("");
			r->version = r->options = NULL;
		} else {
			d->skipped++;
		}
		record_free(r);
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 256;
		struct wl_jmsg *ms = realloc(d->msgs, cap * sizeof *ms);
		if (!ms)
			return -1;
		d->msgs = ms;
		d->cap = cap;
	}
	r->m.line = line;
	r->m.type = r->rtype;
	r->rtype = NULL;
	if (!r->m.proto)
		r->m.proto = strdup("");
	d->msgs[d->n++] = r->m;
	memset(&r->m, 0, sizeof r->m);
	record_free(r);
	return 0;
}

int wl_jdoc_parse(struct wl_jdoc *d, const char *text, size_t len, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	const char *p = text, *e = text + len;
	for (unsigned line = 1; p < e; line++) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;
		if (skip_ws(p, le) < le) {
			struct record r = { 0 };
			if (each_member(p, le, record_member, &r) < 0 || skip_ws(skip_value(p, le, 0), le) != le) {
				record_free(&r);
				snprintf(err, errlen, "line %u is not a JSON object", line);
				wl_jdoc_free(d);
				return -1;
			}
			if (take_record(d, &r, line) < 0) {
				snprintf(err, errlen, "out of memory");
				wl_jdoc_free(d);
				return -1;
			}
		}
		p = nl ? nl + 1 : e;
	}
	return 0;
}

void wl_jdoc_free(struct wl_jdoc *d)
{
	for (size_t i = 0; i < d->n; i++)
		msg_free(&d->msgs[i]);
	free(d->msgs);
	free(d->version);
	free(d->options);
	memset(d, 0, sizeof *d);
}
