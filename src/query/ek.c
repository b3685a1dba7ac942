/* ek.c - `-T ek`: Elasticsearch/OpenSearch bulk lines as tshark 4.0 writes
 * them, two lines per frame:
 *
 *   {"index":{"_index":"packets-2019-03-14","_type":"doc"}}
 *   {"timestamp":"1552590234949","layers":{"frame":{"frame_frame_number":"6",...},
 *    "ip":{"ip_ip_src":"192.168.1.212",...},"tcp":{...},"ftp":{...}}}
 *
 * Layers are protocols in the order the frame holds them; a key is the layer
 * and the field name with dots as underscores ("ip_ip_src"); values are
 * strings as -T fields prints them, booleans true/false, repeated keys an
 * array. With -e names, "layers" holds just those fields, each an array of
 * strings ({"frame_number":["6"],"ip_src":["192.168.1.212"]}), as tshark.
 * The lines load with one request: curl -H 'Content-Type: application/x-ndjson'
 * --data-binary @out.json http://HOST:9200/_bulk
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qpriv.h"

struct entry {
	const char *layer;       /* protocol name (a registry string, or a message's proto) */
	const struct wl_qfield *fd;
	struct wl_qval v;
	int done;
};

struct ek {
	const struct wl_qreg *reg;
	int *ids;
	unsigned n;
	FILE *out;
	int redact;
	struct wl_qbuf line, tmp;
	struct entry *e;
	unsigned ne, cap;
};

static void json_str(struct wl_qbuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	wl__qb_ch(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			wl__qb_ch(b, '\\');
			wl__qb_ch(b, (char)c);
		} else if (c == '\n') {
			wl__qb_str(b, "\\n");
		} else if (c == '\r') {
			wl__qb_str(b, "\\r");
		} else if (c == '\t') {
			wl__qb_str(b, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			wl__qb_str(b, u);
		} else if (c < 0x80) {
			wl__qb_ch(b, (char)c);
		} else {
			/* UTF-8 as it is; a byte that does not start a valid sequence is U+FFFD */
			size_t k = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
			int ok = k && i + k <= n && !(k == 2 && c < 0xc2);
			for (size_t j = 1; ok && j < k; j++)
				ok = ((unsigned char)s[i + j] & 0xc0) == 0x80;
			if (ok) {
				wl__qb_mem(b, s + i, k);
				i += k - 1;
			} else {
				wl__qb_str(b, "\xef\xbf\xbd");
			}
		}
	}
	wl__qb_ch(b, '"');
}

/* The layer a field belongs to: its protocol, or for wl.* the message's. */
static const char *layer_of(const struct ek *w, const char *name, const char *msg_proto)
{
	int p = wl__qreg_proto_of(w->reg, name);
	return p >= 0 ? wl__qreg_get(w->reg, p)->name : msg_proto;
}

static void add(struct ek *w, const char *layer, const struct wl_qfield *fd, const struct wl_qval *v)
{
	if (w->ne == w->cap) {
		unsigned cap = w->cap ? w->cap * 2 : 64;
		struct entry *ne = realloc(w->e, cap * sizeof *ne);
		if (!ne)
			return;
		w->e = ne;
		w->cap = cap;
	}
	w->e[w->ne++] = (struct entry){ layer, fd, *v, 0 };
}

static void key(struct wl_qbuf *b, const char *layer, const char *name)
{
	wl__qb_ch(b, '"');
	if (layer) {
		wl__qb_str(b, layer);
		wl__qb_ch(b, '_');
	}
	for (const char *p = name; *p; p++)
		wl__qb_ch(b, *p == '.' ? '_' : *p);
	wl__qb_str(b, "\":");
}

static void value(struct ek *w, const struct entry *e)
{
	if (e->v.type == QT_BOOL) {
		wl__qb_str(&w->line, e->v.n.u ? "true" : "false");
		return;
	}
	w->tmp.n = 0;
	wl__fmt_value_r(&w->tmp, e->fd, &e->v, w->redact);
	json_str(&w->line, w->tmp.p ? w->tmp.p : "", w->tmp.n);
}

/* wtap's encapsulation numbers for the link types wirelab reads. */
static int wtap_encap(int linktype)
{
	static const int map[][2] = { { 0, 15 }, { 1, 1 }, { 101, 7 }, { 105, 20 }, { 113, 25 },
				      { 127, 23 }, { 228, 129 }, { 229, 130 }, { 276, 210 } };
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i][0] == linktype)
			return map[i][1];
	return -1;
}

static void frame_layer(struct ek *w, const struct wl_qframe *f)
{
	struct wl_qbuf *b = &w->line;
	const struct wl_frame_info *fi = &f->fi;
	wl__qb_str(b, "\"frame\":{");
	int enc = wtap_encap(fi->linktype);
	if (enc >= 0)
		wl__qb_printf(b, "\"frame_frame_encap_type\":\"%d\",", enc);
	/* ISO 8601 in UTC, nanoseconds */
	int64_t sec = fi->ts_ns >= 0 ? fi->ts_ns / 1000000000 : (fi->ts_ns - 999999999) / 1000000000;
	time_t t = (time_t)sec;
	struct tm tm;
	gmtime_r(&t, &tm);
	wl__qb_printf(b, "\"frame_frame_time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ\",", tm.tm_year + 1900,
		      tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		      (long long)(fi->ts_ns - sec * 1000000000));
	wl__qb_str(b, "\"frame_frame_offset_shift\":\"0.000000000\",\"frame_frame_time_epoch\":\"");
	wl__fmt_secs9(b, fi->ts_ns);
	wl__qb_str(b, "\",\"frame_frame_time_delta\":\"");
	wl__fmt_secs9(b, fi->ts_ns - f->prev_ns);
	wl__qb_str(b, "\",\"frame_frame_time_delta_displayed\":\"");
	wl__fmt_secs9(b, f->prev_shown_ns < 0 ? 0 : fi->ts_ns - f->prev_shown_ns);
	wl__qb_str(b, "\",\"frame_frame_time_relative\":\"");
	wl__fmt_secs9(b, fi->rel_ns);
	wl__qb_printf(b, "\",\"frame_frame_number\":\"%llu\",\"frame_frame_len\":\"%u\",\"frame_frame_cap_len\":\"%u\","
		      "\"frame_frame_marked\":false,\"frame_frame_ignored\":false,\"frame_frame_protocols\":",
		      (unsigned long long)fi->frame, fi->len, fi->caplen);
	char protos[512];
	size_t n = wl__frame_protocols(f, protos, sizeof protos);
	json_str(b, protos, n);
	wl__qb_ch(b, '}');
}

/* Every field of the frame, with tcp.stream and the either-side aliases
 * where tshark has them. */
static void collect(struct ek *w, const struct wl_qframe *f)
{
	w->ne = 0;
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		for (unsigned j = 0; j < m->nfields; j++) {
			int id = m->ids ? m->ids[j] : wl__field_id(f, m->fields[j].name);
			if (id < 0)
				continue;
			const struct wl_qfield *fd = wl__qreg_get(w->reg, id);
			struct wl_qval v;
			wl__msg_value(m, &m->fields[j], &v);
			add(w, layer_of(w, fd->name, m->proto), fd, &v);
		}
	}
	static const char *const extra[] = { "ip.addr", "ipv6.addr", "tcp.port", "tcp.stream", "udp.port",
					      "udp.stream" };
	char scratch[64];
	for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
		int id = wl__qreg_find(w->reg, extra[k], strlen(extra[k]));
		if (id < 0)
			continue;
		const struct wl_qfield *fd = wl__qreg_get(w->reg, id);
		const char *layer = layer_of(w, fd->name, NULL);
		if (fd->kind == QK_VIRT) {
			struct wl_qval v;
			if (wl__virt_value(f, fd->virt, &v, scratch, sizeof scratch))
				add(w, layer, fd, &v);
			continue;
		}
		unsigned before = w->ne;
		for (unsigned e = 0; e < before; e++) {
			int fid = (int)(w->e[e].fd - wl__qreg_get(w->reg, 0));
			if (fid == fd->alias[0] || fid == fd->alias[1]) {
				struct wl_qval v = w->e[e].v;   /* add() may move the array */
				add(w, layer, fd, &v);
			}
		}
	}
}

static void layers_all(struct ek *w, const struct wl_qframe *f)
{
	struct wl_qbuf *b = &w->line;
	frame_layer(w, f);
	collect(w, f);
	for (unsigned i = 0; i < w->ne; i++) {
		if (w->e[i].done)
			continue;
		const char *layer = w->e[i].layer;
		wl__qb_str(b, ",");
		json_str(b, layer, strlen(layer));
		wl__qb_str(b, ":{");
		int first = 1;
		for (unsigned j = i; j < w->ne; j++) {
			struct entry *e = &w->e[j];
			if (e->done || strcmp(e->layer, layer) != 0)
				continue;
			/* the same key again later in the layer joins an array */
			unsigned count = 0;
			for (unsigned k = j; k < w->ne; k++)
				count += !w->e[k].done && w->e[k].fd == e->fd && strcmp(w->e[k].layer, layer) == 0;
			if (!first)
				wl__qb_ch(b, ',');
			first = 0;
			key(b, layer, e->fd->name);
			if (count > 1)
				wl__qb_ch(b, '[');
			unsigned put = 0;
			for (unsigned k = j; k < w->ne; k++) {
				struct entry *x = &w->e[k];
				if (x->done || x->fd != e->fd || strcmp(x->layer, layer) != 0)
					continue;
				if (put++)
					wl__qb_ch(b, ',');
				value(w, x);
				x->done = 1;
			}
			if (count > 1)
				wl__qb_ch(b, ']');
		}
		wl__qb_ch(b, '}');
	}
}

struct arr {
	struct ek *w;
	const struct wl_qfield *fd;
	unsigned count;
};

static int arr_value(void *arg, const struct wl_qval *v)
{
	struct arr *a = arg;
	struct wl_qbuf *b = &a->w->line;
	if (!a->count++) {
		if (b->n && b->p[b->n - 1] != '{')
			wl__qb_ch(b, ',');
		key(b, NULL, a->fd->name);
		wl__qb_ch(b, '[');
	} else {
		wl__qb_ch(b, ',');
	}
	a->w->tmp.n = 0;
	wl__fmt_value_r(&a->w->tmp, a->fd, v, a->w->redact);
	json_str(b, a->w->tmp.p ? a->w->tmp.p : "", a->w->tmp.n);
	return 0;
}

static void layers_named(struct ek *w, const struct wl_qframe *f)
{
	for (unsigned i = 0; i < w->n; i++) {
		struct arr a = { w, wl__qreg_get(w->reg, w->ids[i]), 0 };
		wl__frame_values(f, w->ids[i], arr_value, &a);
		if (a.count)
			wl__qb_ch(&w->line, ']');
	}
}

static void on_frame(void *arg, const struct wl_qframe *f)
{
	struct ek *w = arg;
	if (f->late)
		return;
	struct wl_qbuf *b = &w->line;
	b->n = 0;
	int64_t ns = f->fi.ts_ns;
	int64_t sec = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
	time_t t = (time_t)sec;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	wl__qb_printf(b, "{\"index\":{\"_index\":\"packets-%04d-%02d-%02d\",\"_type\":\"doc\"}}\n",
		      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	wl__qb_printf(b, "{\"timestamp\":\"%lld\",\"layers\":{", (long long)(ns / 1000000));
	if (w->n)
		layers_named(w, f);
	else
		layers_all(w, f);
	wl__qb_str(b, "}}\n");
	if (!b->failed)
		fwrite(b->p, 1, b->n, w->out);
}

static void on_finish(void *arg)
{
	struct ek *w = arg;
	fflush(w->out);
}

static void on_free(void *arg)
{
	struct ek *w = arg;
	wl__qb_free(&w->line);
	wl__qb_free(&w->tmp);
	free(w->e);
	free(w->ids);
	free(w);
}

int wl_ek_new(const struct wl_qreg *reg, const char *const *names, unsigned n, int redact,
	      FILE *out, struct wl_qconsumer *c, char *err, size_t errlen)
{
	struct ek *w = calloc(1, sizeof *w);
	int *ids = n ? calloc(n, sizeof *ids) : NULL;
	if (!w || (n && !ids)) {
		free(w);
		free(ids);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		ids[i] = wl__qreg_find(reg, names[i], strlen(names[i]));
		if (ids[i] < 0) {
			snprintf(err, errlen, "-e %s: \"%s\" is neither a field nor a protocol name", names[i],
				 names[i]);
			free(ids);
			free(w);
			return -1;
		}
	}
	w->reg = reg;
	w->ids = ids;
	w->n = n;
	w->out = out;
	w->redact = redact;
	*c = (struct wl_qconsumer){ .frame = on_frame, .finish = on_finish, .free = on_free, .arg = w };
	return 0;
}
