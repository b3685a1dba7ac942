/* wltest.c - see wltest.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbuf.h"
#include "render.h"
#include "dissect.h"
#include "wltest.h"

static const char *const levels[] = { "info", "warn", "error" };

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void on_msg(void *arg, const struct wl_msg *m)
{
	struct wlt *t = arg;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->msgs = realloc(t->msgs, t->cap * sizeof *t->msgs);
		if (!t->msgs)
			abort();
	}
	struct wlt_msg *r = &t->msgs[t->n++];
	r->frame = m->frame;
	r->dir = m->dir;
	r->minor = m->minor;
	snprintf(r->proto, sizeof r->proto, "%s", m->proto);
	snprintf(r->type, sizeof r->type, "%s", m->type);
	r->text = dup_n(wl_msg_pool(m, m->text_off), m->text_len);

	char *buf = NULL;
	size_t len = 0;
	/* malloc, not calloc: zeroing the 64 KiB buffer per message dominated fuzzing */
	struct wl_obuf *ob = malloc(sizeof *ob);
	FILE *f = open_memstream(&buf, &len);
	if (!ob || !f)
		abort();
	ob->f = f;
	ob->len = 0;
	ob->failed = 0;
	for (unsigned i = 0; i < m->nfields; i++) {
		wl_ob_str(ob, m->fields[i].name);
		wl_ob_putc(ob, '=');
		wl_ob_field_text(ob, m, &m->fields[i], t->opts.redact);
		wl_ob_putc(ob, '\n');
	}
	wl_ob_flush(ob);
	fclose(f);
	r->fields = buf;
	buf = NULL;
	f = open_memstream(&buf, &len);
	for (unsigned i = 0; i < m->nnotes; i++)
		fprintf(f, "%s: %.*s\n", levels[m->notes[i].level % 3], (int)m->notes[i].len,
			wl_msg_pool(m, m->notes[i].off));
	fclose(f);
	r->notes = buf;
	free(ob);
}

static void on_flow(void *arg, const struct wl_flow_summary *s)
{
	struct wlt *t = arg;
	if (t->flows_closed < sizeof t->flows / sizeof t->flows[0]) {
		struct wlt_flow *r = &t->flows[t->flows_closed];
		r->id = s->flow_id;
		snprintf(r->proto, sizeof r->proto, "%s", s->proto);
		snprintf(r->end, sizeof r->end, "%s", s->end ? s->end : "");
		for (int d = 0; d < 2; d++) {
			r->pkts[d] = s->pkts[d];
			r->bytes[d] = s->bytes[d];
		}
		r->gaps = s->gaps;
		r->warnings = s->warnings;
		r->errors = s->errors;
	}
	t->flows_closed++;
}

static void init(struct wlt *t, const char *decode_as, const struct wl_opts *opts,
		 const struct wl_limits *lim)
{
	memset(t, 0, sizeof *t);
	if (opts)
		t->opts = *opts;
	struct wl_sink sink = { on_msg, on_flow, t };
	t->e = wl_engine_new(&t->opts, lim, &sink);
	if (!t->e)
		abort();
	wl_engine_set_dissectors(t->e, wl_dissectors);
	if (decode_as) {
		struct wl_decode_as r;
		char err[256];
		if (wl_decode_as_parse(decode_as, &r, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		wl_engine_decode_as(t->e, &r);
	}
	t->ts = 1700000000LL * 1000000000LL;
}

void wlt_init_opts(struct wlt *t, const char *decode_as, const struct wl_opts *opts)
{
	init(t, decode_as, opts, NULL);
}

void wlt_init_limits(struct wlt *t, const char *decode_as, const struct wl_limits *lim)
{
	init(t, decode_as, NULL, lim);
}

void wlt_init(struct wlt *t, const char *decode_as)
{
	wlt_init_opts(t, decode_as, NULL);
}

void wlt_free(struct wlt *t)
{
	wl_engine_free(t->e);
	for (size_t i = 0; i < t->n; i++) {
		free(t->msgs[i].text);
		free(t->msgs[i].fields);
		free(t->msgs[i].notes);
	}
	free(t->msgs);
	memset(t, 0, sizeof *t);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* IPv4 + transport header + payload, raw IP link type. */
static void send_ip(struct wlt *t, int dir, uint8_t proto, const uint8_t *l4, size_t l4len,
		    const void *data, size_t n)
{
	size_t total = 20 + l4len + n;
	uint8_t *pkt = malloc(total);
	if (!pkt)
		abort();
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	put16(pkt + 2, (uint16_t)(total > 65535 ? 65535 : total));
	pkt[8] = 64;
	pkt[9] = proto;
	uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	memcpy(pkt + 12, dir == WL_C2S ? a : b, 4);
	memcpy(pkt + 16, dir == WL_C2S ? b : a, 4);
	memcpy(pkt + 20, l4, l4len);
	if (n)
		memcpy(pkt + 20 + l4len, data, n);
	t->ts += 1000000;  /* 1 ms apart */
	wl_engine_packet(t->e, WL_LINK_RAW, t->ts, pkt, (uint32_t)total, (uint32_t)total);
	free(pkt);
}

static void tcp_seg(struct wlt *t, int dir, uint32_t seq, uint8_t flags, const void *data, size_t n)
{
	uint8_t h[20] = { 0 };
	put16(h, t->port[dir]);
	put16(h + 2, t->port[!dir]);
	put32(h + 4, seq);
	put32(h + 8, (flags & 0x10) ? t->seq[!dir] : 0);
	h[12] = 5 << 4;
	h[13] = flags;
	put16(h + 14, 65535);
	send_ip(t, dir, 6, h, sizeof h, data, n);
}

void wlt_tcp_open(struct wlt *t, uint16_t cport, uint16_t sport)
{
	t->port[WL_C2S] = cport;
	t->port[WL_S2C] = sport;
	t->seq[WL_C2S] = 1000;
	t->seq[WL_S2C] = 5000;
	tcp_seg(t, WL_C2S, t->seq[0]++, 0x02, NULL, 0);
	tcp_seg(t, WL_S2C, t->seq[1]++, 0x12, NULL, 0);
	tcp_seg(t, WL_C2S, t->seq[0], 0x10, NULL, 0);
}

void wlt_tcp_send(struct wlt *t, int dir, const void *data, size_t n)
{
	tcp_seg(t, dir, t->seq[dir], 0x18, data, n);
	t->seq[dir] += (uint32_t)n;
}

void wlt_tcp_send_split(struct wlt *t, int dir, const void *data, size_t n, size_t seg)
{
	const uint8_t *p = data;
	for (size_t off = 0; off < n; off += seg)
		wlt_tcp_send(t, dir, p + off, n - off < seg ? n - off : seg);
}

void wlt_tcp_send_at(struct wlt *t, int dir, int32_t offset, const void *data, size_t n)
{
	tcp_seg(t, dir, t->seq[dir] + (uint32_t)offset, 0x18, data, n);
}

void wlt_tcp_close(struct wlt *t)
{
	tcp_seg(t, WL_C2S, t->seq[0]++, 0x11, NULL, 0);
	tcp_seg(t, WL_S2C, t->seq[1]++, 0x11, NULL, 0);
	tcp_seg(t, WL_C2S, t->seq[0], 0x10, NULL, 0);
}

void wlt_udp(struct wlt *t, int dir, uint16_t cport, uint16_t sport, const void *data, size_t n)
{
	uint8_t h[8] = { 0 };
	put16(h, dir == WL_C2S ? cport : sport);
	put16(h + 2, dir == WL_C2S ? sport : cport);
	put16(h + 4, (uint16_t)(8 + n));
	send_ip(t, dir, 17, h, sizeof h, data, n);
}

void wlt_frame(struct wlt *t, int linktype, const void *data, size_t n)
{
	t->ts += 1000000;
	wl_engine_packet(t->e, linktype, t->ts, data, (uint32_t)n, (uint32_t)n);
}

void wlt_finish(struct wlt *t)
{
	wl_engine_finish(t->e);
}

const struct wlt_msg *wlt_find(const struct wlt *t, const char *proto, const char *type, unsigned nth)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct wlt_msg *m = &t->msgs[i];
		if (strcmp(m->proto, proto) == 0 && (!type || strcmp(m->type, type) == 0) && nth-- == 0)
			return m;
	}
	return NULL;
}

unsigned wlt_count(const struct wlt *t, const char *proto, const char *type)
{
	unsigned c = 0;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->msgs[i].proto, proto) == 0 && (!type || strcmp(t->msgs[i].type, type) == 0))
			c++;
	return c;
}

const char *wlt_field(const struct wlt_msg *m, const char *name, unsigned nth)
{
	static char val[4096];
	size_t nl = strlen(name);
	for (const char *p = m->fields; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > nl && p[nl] == '=' && strncmp(p, name, nl) == 0 && nth-- == 0) {
			size_t v = len - nl - 1;
			if (v >= sizeof val)
				v = sizeof val - 1;
			memcpy(val, p + nl + 1, v);
			val[v] = '\0';
			return val;
		}
		p += len + (eol ? 1 : 0);
	}
	return NULL;
}

int wlt_note(const struct wlt_msg *m, const char *substr)
{
	return m->notes && strstr(m->notes, substr) != NULL;
}

void wlt_dump(const struct wlt *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct wlt_msg *m = &t->msgs[i];
		printf("#%llu %s %s/%s: %s\n%s%s", (unsigned long long)m->frame, m->dir ? "<-" : "->",
		       m->proto, m->type, m->text, m->fields, m->notes);
	}
}

int wlt_run_cmd(int (*cmd)(int, char **), char *out, size_t outlen, int argc, const char **argv)
{
	fflush(stdout);
	int saved = dup(1);
	FILE *tmp = tmpfile();
	if (saved < 0 || !tmp)
		abort();
	dup2(fileno(tmp), 1);
	int rc = cmd(argc, (char **)argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	size_t n = fread(out, 1, outlen - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return rc;
}

long wlt_rss_kib(int pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	long v = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}
