/* follow.c - `-z follow,tcp|udp,ascii|hex|raw,N`: one conversation's payload
 * in order, as tshark 4.0 prints it (ui/cli/tap-follow.c):
 *
 *   ===================================================================
 *   Follow: tcp,ascii
 *   Filter: tcp.stream eq 0
 *   Node 0: 192.168.1.212:50694
 *   Node 1: 90.130.70.73:21
 *   	20                       <- node 1's chunks are indented by a tab
 *   220 (vsFTPd 3.0.3)
 *   ...
 *   ===================================================================
 *
 * A chunk is a segment's new bytes: retransmitted bytes are left out and an
 * out-of-order segment waits until the bytes before it came. Node 0 is the
 * sender of the conversation's first frame. N may also be "A:P,B:P", the
 * conversation's two endpoints.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define FOLLOW_MAX_BYTES (1u << 30)

enum fmode { FM_ASCII, FM_HEX, FM_RAW };

struct chunk {
	uint8_t node;
	uint32_t len;
	size_t off;              /* in the byte store */
};

/* A segment that came before the bytes ahead of it. */
struct held {
	struct held *next;
	uint32_t seq, len;
	uint8_t data[];
};

struct side {
	uint32_t seq;            /* the next byte expected (0 with nothing written: not known yet) */
	uint64_t written;
	struct held *held, *tail;   /* in the order they came */
};

struct follow {
	const struct wl_qreg *reg;
	FILE *out;
	int tcp;
	enum fmode mode;
	int64_t stream;          /* -1: by endpoints, until found */
	char want[2][INET6_ADDRSTRLEN + 8];
	int found;
	uint8_t af;
	uint8_t addr[2][16];
	uint16_t port[2];
	struct side side[2];
	struct chunk *c;
	unsigned nc, cap;
	uint8_t *bytes;
	size_t nbytes, bytes_cap;
	int truncated;
	char warning[96];
};

static int seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void add_chunk(struct follow *w, int node, const uint8_t *p, uint32_t n)
{
	if (!n)
		return;
	if (w->nbytes + n > FOLLOW_MAX_BYTES) {
		if (!w->truncated)
			snprintf(w->warning, sizeof w->warning, "follow: the conversation holds more than %u bytes; "
				 "the rest was left out", FOLLOW_MAX_BYTES);
		w->truncated = 1;
		return;
	}
	if (w->nbytes + n > w->bytes_cap) {
		size_t cap = w->bytes_cap ? w->bytes_cap : 65536;
		while (cap < w->nbytes + n)
			cap *= 2;
		uint8_t *nb = realloc(w->bytes, cap);
		if (!nb)
			return;
		w->bytes = nb;
		w->bytes_cap = cap;
	}
	if (w->nc == w->cap) {
		unsigned cap = w->cap ? w->cap * 2 : 64;
		struct chunk *nc = realloc(w->c, cap * sizeof *nc);
		if (!nc)
			return;
		w->c = nc;
		w->cap = cap;
	}
	memcpy(w->bytes + w->nbytes, p, n);
	w->c[w->nc++] = (struct chunk){ (uint8_t)node, n, w->nbytes };
	w->nbytes += n;
}

static void unlink_held(struct side *s, struct held *prev, struct held *h)
{
	if (prev)
		prev->next = h->next;
	else
		s->held = h->next;
	if (s->tail == h)
		s->tail = prev;
	free(h);
}

/* One step over the held segments of node, as tshark's check_follow_fragments():
 * one that the stream has reached is written (the part not seen yet); when
 * the peer acknowledged bytes past the first hole, the hole is written as
 * "[N bytes missing in capture file]". Returns 1 if it did something. */
static int held_step(struct follow *w, int node, uint32_t ack)
{
	struct side *s = &w->side[node];
	if (!s->held)
		return 0;
	uint32_t lowest = s->held->seq;
	struct held *prev = NULL;
	for (struct held *h = s->held; h; prev = h, h = h->next) {
		if (seq_lt(h->seq, lowest))
			lowest = h->seq;
		if (seq_lt(h->seq, s->seq)) {
			uint32_t end = h->seq + h->len;
			if (seq_lt(s->seq, end)) {
				uint32_t from = s->seq - h->seq;
				add_chunk(w, node, h->data + from, h->len - from);
				s->seq += h->len - from;
			}
			unlink_held(s, prev, h);
			return 1;
		}
		if (h->seq == s->seq) {
			add_chunk(w, node, h->data, h->len);
			s->seq += h->len;
			unlink_held(s, prev, h);
			return 1;
		}
	}
	if (seq_lt(lowest, ack)) {
		char text[64];
		int n = snprintf(text, sizeof text, "[%d bytes missing in capture file]", (int)(lowest - s->seq));
		add_chunk(w, node, (const uint8_t *)text, (uint32_t)n + 1);   /* and its NUL, as tshark */
		s->seq = lowest;
		return 1;
	}
	return 0;
}

static void hold(struct follow *w, int node, uint32_t seq, const uint8_t *p, uint32_t n)
{
	struct side *s = &w->side[node];
	struct held *h = malloc(sizeof *h + n);
	if (!h)
		return;
	h->seq = seq;
	h->len = n;
	h->next = NULL;
	memcpy(h->data, p, n);
	if (s->tail)
		s->tail->next = h;
	else
		s->held = h;
	s->tail = h;
}

/* tshark 4.0's follow_tcp_tap_listener(), step by step. */
static void tcp_segment(struct follow *w, int node, const struct wl_qframe *f)
{
	struct wl_qval seq, len, flags, ack;
	if (!wl__stat_first(f, w->reg, "tcp.seq_raw", &seq) || !wl__stat_first(f, w->reg, "tcp.len", &len))
		return;
	uint32_t sequence = (uint32_t)seq.n.u, length = (uint32_t)len.n.u;
	if (wl__stat_first(f, w->reg, "tcp.flags.syn", &flags) && flags.n.u)
		sequence++;
	uint32_t acked = wl__stat_first(f, w->reg, "tcp.ack_raw", &ack) ? (uint32_t)ack.n.u : 0;
	while (held_step(w, !node, acked))
		;
	struct side *s = &w->side[node];
	/* the segment's bytes, a RST's too (tcp.payload leaves those out) */
	const uint8_t *data = f->fi.data ? f->fi.data + f->fi.payload_off : NULL;
	uint32_t dlen = f->fi.data ? f->fi.payload_len : 0;
	if (!s->written && !s->seq)
		s->seq = sequence;
	if (seq_lt(sequence, s->seq)) {
		uint32_t next = sequence + length;
		if (seq_lt(s->seq, next)) {
			uint32_t skip = s->seq - sequence;
			dlen = dlen <= skip ? 0 : dlen - skip;
			data = data ? data + skip : NULL;
			sequence = s->seq;
			length = next - s->seq;
		}
	}
	if (!dlen || seq_lt(sequence, s->seq))
		return;
	if (sequence == s->seq) {
		add_chunk(w, node, data, dlen);
		s->seq += length;
		s->written += dlen;
		while (held_step(w, node, 0))
			;
	} else {
		hold(w, node, sequence, data, dlen);
	}
}

static int endpoint(const struct wl_qframe *f, const struct wl_qreg *reg, int tcp, int dst, uint8_t *af,
		    uint8_t addr[16], uint16_t *port)
{
	struct wl_qval v;
	memset(addr, 0, 16);
	if (wl__stat_first(f, reg, dst ? "ip.dst" : "ip.src", &v) && v.type == QT_IPV4) {
		*af = 4;
		memcpy(addr, v.p, 4);
	} else if (wl__stat_first(f, reg, dst ? "ipv6.dst" : "ipv6.src", &v) && v.type == QT_IPV6) {
		*af = 6;
		memcpy(addr, v.p, 16);
	} else {
		return 0;
	}
	const char *pn = tcp ? (dst ? "tcp.dstport" : "tcp.srcport") : (dst ? "udp.dstport" : "udp.srcport");
	if (!wl__stat_first(f, reg, pn, &v))
		return 0;
	*port = (uint16_t)v.n.u;
	return 1;
}

static void ep_text(uint8_t af, const uint8_t *a, uint16_t port, char *out, size_t cap)
{
	char t[INET6_ADDRSTRLEN];
	inet_ntop(af == 6 ? AF_INET6 : AF_INET, a, t, sizeof t);
	snprintf(out, cap, af == 6 ? "[%s]:%u" : "%s:%u", t, port);
}

static void follow_frame(void *arg, const struct wl_qframe *f)
{
	struct follow *w = arg;
	if (f->late)
		return;
	int64_t stream = w->tcp ? f->fi.tcp_stream : f->fi.udp_stream;
	if (stream < 0)
		return;
	uint8_t af, a[16], b[16];
	uint16_t pa, pb;
	if (!endpoint(f, w->reg, w->tcp, 0, &af, a, &pa) || !endpoint(f, w->reg, w->tcp, 1, &af, b, &pb))
		return;
	if (w->stream < 0) {   /* by endpoints: the first conversation between them */
		char ta[INET6_ADDRSTRLEN + 8], tb[INET6_ADDRSTRLEN + 8];
		ep_text(af, a, pa, ta, sizeof ta);
		ep_text(af, b, pb, tb, sizeof tb);
		if (!((strcmp(ta, w->want[0]) == 0 && strcmp(tb, w->want[1]) == 0) ||
		      (strcmp(ta, w->want[1]) == 0 && strcmp(tb, w->want[0]) == 0)))
			return;
		w->stream = stream;
	}
	if (stream != w->stream)
		return;
	if (!w->found && !w->tcp && !(f->fi.data && f->fi.payload_len))
		return;   /* tshark takes a UDP conversation's ends from its first datagram with data */
	if (!w->found) {
		w->found = 1;
		w->af = af;
		memcpy(w->addr[0], a, 16);
		memcpy(w->addr[1], b, 16);
		w->port[0] = pa;
		w->port[1] = pb;
	}
	int node = (memcmp(a, w->addr[0], 16) == 0 && pa == w->port[0]) ? 0 : 1;
	if (w->tcp) {
		tcp_segment(w, node, f);
		return;
	}
	struct wl_qval pay;
	char scratch[8];
	int id = wl__qreg_find(w->reg, "udp.payload", 11);
	if (id >= 0 && wl__virt_value(f, wl__qreg_get(w->reg, id)->virt, &pay, scratch, sizeof scratch))
		add_chunk(w, node, pay.p, pay.len);
}

/* tshark's hex lines: offset, 16 bytes in two groups of 8, their ASCII. */
static void hex_lines(FILE *o, const char *prefix, uint32_t offset, const uint8_t *p, uint32_t n)
{
	static const char hex[] = "0123456789abcdef";
	char line[80];
	for (uint32_t i = 0; i < n; i += 16, offset += 16) {
		memset(line, ' ', sizeof line);
		snprintf(line, sizeof line, "%08X", offset);
		line[8] = ' ';
		size_t hx = 10, as = 60;
		uint32_t k;
		for (k = 0; k < 16 && i + k < n; k++) {
			uint8_t c = p[i + k];
			line[hx++] = hex[c >> 4];
			line[hx++] = hex[c & 15];
			hx++;
			line[as++] = c >= ' ' && c < 0x7f ? (char)c : '.';
			if (k == 7) {
				hx++;
				line[as++] = ' ';
			}
		}
		if (line[as - 1] == ' ')
			as--;
		line[as] = '\0';
		fprintf(o, "%s%s\n", prefix, line);
	}
}

static void follow_finish(void *arg)
{
	struct follow *w = arg;
	FILE *o = w->out;   /* segments still held after a hole are not shown, as in tshark */
	static const char *const modes[] = { "ascii", "hex", "raw" };
	fprintf(o, "\n===================================================================\n");
	fprintf(o, "Follow: %s,%s\n", w->tcp ? "tcp" : "udp", modes[w->mode]);
	fprintf(o, "Filter: %s.stream eq %lld\n", w->tcp ? "tcp" : "udp", (long long)(w->stream < 0 ? 0 : w->stream));
	for (int node = 0; node < 2; node++) {
		char t[INET6_ADDRSTRLEN + 8] = ":0";
		if (w->found)
			ep_text(w->af, w->addr[node], w->port[node], t, sizeof t);
		fprintf(o, "Node %d: %s\n", node, t);
	}
	uint32_t offset[2] = { 0, 0 };
	for (unsigned i = 0; i < w->nc; i++) {
		const struct chunk *c = &w->c[i];
		const uint8_t *p = w->bytes + c->off;
		const char *tab = c->node ? "\t" : "";
		switch (w->mode) {
		case FM_ASCII:
			fprintf(o, "%s%u\n", tab, c->len);
			for (uint32_t k = 0; k < c->len; k++) {
				uint8_t ch = p[k];
				fputc(ch == '\r' || ch == '\n' || isprint(ch) ? ch : '.', o);
			}
			fputc('\n', o);
			break;
		case FM_HEX:
			hex_lines(o, tab, offset[c->node], p, c->len);
			break;
		case FM_RAW:
			fputs(tab, o);
			for (uint32_t k = 0; k < c->len; k++)
				fprintf(o, "%02x", p[k]);
			fputc('\n', o);
			break;
		}
		offset[c->node] += c->len;
	}
	fprintf(o, "===================================================================\n");
	fflush(o);
}

static const char *follow_warning(void *arg)
{
	const struct follow *w = arg;
	return w->truncated ? w->warning : NULL;
}

static void follow_free(void *arg)
{
	struct follow *w = arg;
	for (int node = 0; node < 2; node++)
		while (w->side[node].held) {
			struct held *h = w->side[node].held;
			w->side[node].held = h->next;
			free(h);
		}
	free(w->c);
	free(w->bytes);
	free(w);
}

int wl__follow_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		   char *err, size_t errlen)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", arg);
	char *save = NULL, *kw = strtok_r(buf, ",", &save), *proto = strtok_r(NULL, ",", &save),
	     *mode = strtok_r(NULL, ",", &save), *which = strtok_r(NULL, "", &save);
	(void)kw;
	static const char *const modes[] = { "ascii", "hex", "raw" };
	int m = -1;
	for (int i = 0; mode && i < 3; i++)
		if (strcmp(mode, modes[i]) == 0)
			m = i;
	if (!proto || (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0) || m < 0 || !which) {
		snprintf(err, errlen, "-z %s: expected follow,tcp|udp,ascii|hex|raw,N (a stream index) "
			 "or follow,tcp,ascii,A:P,B:P", arg);
		return -1;
	}
	struct follow *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->reg = reg;
	w->out = out;
	w->tcp = proto[0] == 't';
	w->mode = (enum fmode)m;
	char *end;
	long long n = strtoll(which, &end, 10);
	if (end != which && (*end == '\0' || *end == ',') && n >= 0 && !strchr(which, ':')) {
		w->stream = n;
	} else {
		char *comma = strchr(which, ',');
		if (!comma) {
			free(w);
			snprintf(err, errlen, "-z %s: expected a stream index or two endpoints A:P,B:P", arg);
			return -1;
		}
		*comma = '\0';
		snprintf(w->want[0], sizeof w->want[0], "%s", which);
		snprintf(w->want[1], sizeof w->want[1], "%s", comma + 1);
		char *c2 = strchr(w->want[1], ',');
		if (c2)
			*c2 = '\0';
		w->stream = -1;
	}
	*c = (struct wl_qconsumer){ .frame = follow_frame, .finish = follow_finish, .warning = follow_warning,
				    .free = follow_free, .arg = w, .every_frame = 1 };
	return 0;
}
