/* stats.c - the -z statistics in tshark 4.0's layouts: conversations and
 * endpoints (ui/cli/tap-iousers.c, tap-endpoints.c), the protocol hierarchy
 * (tap-protohierstat.c), expert information (tap-expert.c) and credentials
 * (tap-credentials.c); follow.c has follow. As tshark's taps, they see every
 * frame, whatever -Y says; each may have a filter of its own
 * ("conv,tcp,ip.addr==10.0.0.1").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

const char *const wl_stat_names[] = {
	"conv,tcp", "conv,udp", "conv,ip", "conv,ipv6", "endpoints,ip", "endpoints,ipv6",
	"endpoints,tcp", "endpoints,udp", "io,phs", "follow,tcp,ascii|hex|raw,N",
	"follow,udp,ascii|hex|raw,N", "expert[,error|warn|note|chat]", "credentials", NULL,
};

/* ---- shared ---- */

/* tshark's format_size(n, FORMAT_SIZE_UNIT_BYTES, 0): "6822 bytes", "118 kB". */
static void format_size(char *out, size_t cap, uint64_t n)
{
	static const char *const prefix[] = { "T", "G", "M", "k" };
	uint64_t p4 = 1000000000000ull;
	for (int i = 0; i < 4; i++, p4 /= 1000) {
		if (n / p4 >= 10) {
			snprintf(out, cap, "%llu %sB", (unsigned long long)(n / p4), prefix[i]);
			return;
		}
	}
	snprintf(out, cap, "%llu bytes", (unsigned long long)n);
}

/* ---- conversations and endpoints ---- */

enum conv_kind { CK_IP, CK_IPV6, CK_TCP, CK_UDP };

struct addr {
	uint8_t af;              /* 4 or 6 */
	uint8_t a[16];
	uint16_t port;
};

struct conv {
	struct addr src, dst;    /* src: the sender of its first frame */
	int64_t stream;          /* tcp.stream / udp.stream, -1 for IP */
	uint64_t tx_frames, rx_frames, tx_bytes, rx_bytes;
	int64_t start_ns, stop_ns;
	unsigned next;           /* hash chain, index + 1 */
};

struct conv_stat {
	enum conv_kind kind;
	int endpoints;
	const struct wl_qreg *reg;
	struct wl_dfilter *df;
	char *filter;
	FILE *out;
	struct conv *c;
	unsigned n, cap;
	unsigned *slot;          /* hash: index + 1, 0 empty */
	unsigned nslot;
};

static const char *const conv_type[] = { "IPv4", "IPv6", "TCP", "UDP" };

static uint64_t addr_hash(const struct addr *a, const struct addr *b, int64_t stream)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)stream;
	const struct addr *x[2] = { a, b };
	uint64_t part[2] = { 0, 0 };
	for (int k = 0; k < 2 && x[k]; k++) {
		uint64_t p = 1469598103934665603ull;
		for (int i = 0; i < 16; i++)
			p = (p ^ x[k]->a[i]) * 1099511628211ull;
		part[k] = p ^ x[k]->port;
	}
	h ^= part[0] + part[1];   /* symmetric */
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static int addr_eq(const struct addr *a, const struct addr *b)
{
	return a->af == b->af && a->port == b->port && memcmp(a->a, b->a, 16) == 0;
}

static int grow_slots(struct conv_stat *s)
{
	unsigned n = s->nslot ? s->nslot * 2 : 1024;
	unsigned *slot = calloc(n, sizeof *slot);
	if (!slot)
		return -1;
	for (unsigned i = 0; i < s->n; i++) {
		const struct conv *c = &s->c[i];
		uint64_t h = addr_hash(&c->src, s->endpoints ? NULL : &c->dst, c->stream);
		unsigned k = (unsigned)h & (n - 1);
		while (slot[k])
			k = (k + 1) & (n - 1);
		slot[k] = i + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->nslot = n;
	return 0;
}

/* The conversation (or endpoint: b NULL) of a and b; a new one if none. */
static struct conv *conv_get(struct conv_stat *s, const struct addr *a, const struct addr *b,
			     int64_t stream, int64_t rel_ns)
{
	if (s->n * 2 >= s->nslot && grow_slots(s) < 0)
		return NULL;
	uint64_t h = addr_hash(a, b, stream);
	unsigned k = (unsigned)h & (s->nslot - 1);
	for (; s->slot[k]; k = (k + 1) & (s->nslot - 1)) {
		struct conv *c = &s->c[s->slot[k] - 1];
		if (c->stream != stream)
			continue;
		if (!b && addr_eq(&c->src, a))
			return c;
		if (b && ((addr_eq(&c->src, a) && addr_eq(&c->dst, b)) ||
			  (addr_eq(&c->src, b) && addr_eq(&c->dst, a))))
			return c;
	}
	if (s->n == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 256;
		struct conv *nc = realloc(s->c, cap * sizeof *nc);
		if (!nc)
			return NULL;
		s->c = nc;
		s->cap = cap;
	}
	struct conv *c = &s->c[s->n];
	memset(c, 0, sizeof *c);
	c->src = *a;
	if (b)
		c->dst = *b;
	c->stream = stream;
	c->start_ns = c->stop_ns = rel_ns;
	s->slot[k] = ++s->n;
	return c;
}

static int get_addr(const struct wl_qframe *f, const struct wl_qreg *reg, int six, const char *name,
		    struct addr *a)
{
	struct wl_qval v;
	memset(a, 0, sizeof *a);
	if (!wl__stat_first(f, reg, name, &v) || v.type != (six ? QT_IPV6 : QT_IPV4))
		return 0;
	a->af = six ? 6 : 4;
	memcpy(a->a, v.p, six ? 16 : 4);
	return 1;
}

static int get_port(const struct wl_qframe *f, const struct wl_qreg *reg, const char *name, uint16_t *p)
{
	struct wl_qval v;
	if (!wl__stat_first(f, reg, name, &v))
		return 0;
	*p = (uint16_t)v.n.u;
	return 1;
}

static void account(struct conv_stat *s, struct conv *c, int tx, const struct wl_qframe *f)
{
	if (!c)
		return;
	if (tx) {
		c->tx_frames++;
		c->tx_bytes += f->fi.len;
	} else {
		c->rx_frames++;
		c->rx_bytes += f->fi.len;
	}
	if (f->fi.rel_ns > c->stop_ns)
		c->stop_ns = f->fi.rel_ns;
	else if (f->fi.rel_ns < c->start_ns)
		c->start_ns = f->fi.rel_ns;
	(void)s;
}

static void conv_frame(void *arg, const struct wl_qframe *f)
{
	struct conv_stat *s = arg;
	if (f->late || (s->df && !wl_dfilter_match(s->df, f)))
		return;
	struct addr src, dst;
	int64_t stream = -1;
	int tcp = s->kind == CK_TCP, udp = s->kind == CK_UDP;
	if (tcp || udp) {
		stream = tcp ? f->fi.tcp_stream : f->fi.udp_stream;
		if (stream < 0)
			return;
		if (!get_addr(f, s->reg, 0, "ip.src", &src) || !get_addr(f, s->reg, 0, "ip.dst", &dst)) {
			if (!get_addr(f, s->reg, 1, "ipv6.src", &src) || !get_addr(f, s->reg, 1, "ipv6.dst", &dst))
				return;
		}
		if (!get_port(f, s->reg, tcp ? "tcp.srcport" : "udp.srcport", &src.port) ||
		    !get_port(f, s->reg, tcp ? "tcp.dstport" : "udp.dstport", &dst.port))
			return;
	} else {
		int six = s->kind == CK_IPV6;
		if (!get_addr(f, s->reg, six, six ? "ipv6.src" : "ip.src", &src) ||
		    !get_addr(f, s->reg, six, six ? "ipv6.dst" : "ip.dst", &dst))
			return;
	}
	if (s->endpoints) {
		/* the endpoint key is the address (and port); streams do not split it */
		account(s, conv_get(s, &src, NULL, -1, f->fi.rel_ns), 1, f);
		account(s, conv_get(s, &dst, NULL, -1, f->fi.rel_ns), 0, f);
		return;
	}
	struct conv *c = conv_get(s, &src, &dst, stream, f->fi.rel_ns);
	account(s, c, c && addr_eq(&c->src, &src), f);
}

static void addr_text(const struct addr *a, char *out, size_t cap)
{
	inet_ntop(a->af == 6 ? AF_INET6 : AF_INET, a->a, out, (socklen_t)cap);
}

/* Rows by total frames, most first; ties in the order they were first seen. */
static int by_frames(const void *x, const void *y)
{
	const struct conv *a = *(const struct conv *const *)x, *b = *(const struct conv *const *)y;
	uint64_t fa = a->tx_frames + a->rx_frames, fb = b->tx_frames + b->rx_frames;
	if (fa != fb)
		return fa > fb ? -1 : 1;
	return a < b ? -1 : a > b;
}

static const struct conv **sorted(const struct conv_stat *s)
{
	const struct conv **v = malloc((s->n ? s->n : 1) * sizeof *v);
	if (!v)
		return NULL;
	for (unsigned i = 0; i < s->n; i++)
		v[i] = &s->c[i];
	qsort(v, s->n, sizeof *v, by_frames);
	return v;
}

static void conv_draw(const struct conv_stat *s)
{
	FILE *o = s->out;
	int ports = s->kind == CK_TCP || s->kind == CK_UDP;
	const char *pad = ports ? "            " : "";
	fprintf(o, "================================================================================\n");
	fprintf(o, "%s Conversations\n", conv_type[s->kind]);
	fprintf(o, "Filter:%s\n", s->filter ? s->filter : "<No Filter>");
	fprintf(o, "%s                                               |       <-      | |       ->      | "
		"|     Total     |    Relative    |   Duration   |\n", pad);
	fprintf(o, "%s                                               | Frames  Bytes | | Frames  Bytes | "
		"| Frames  Bytes |      Start     |              |\n", pad);
	const struct conv **v = sorted(s);
	for (unsigned i = 0; v && i < s->n; i++) {
		const struct conv *c = v[i];
		char a[INET6_ADDRSTRLEN + 8], b[INET6_ADDRSTRLEN + 8], rx[32], tx[32], tot[32];
		addr_text(&c->src, a, sizeof a);
		addr_text(&c->dst, b, sizeof b);
		if (ports) {
			size_t n = strlen(a), m = strlen(b);
			snprintf(a + n, sizeof a - n, ":%u", c->src.port);
			snprintf(b + m, sizeof b - m, ":%u", c->dst.port);
		}
		format_size(rx, sizeof rx, c->rx_bytes);
		format_size(tx, sizeof tx, c->tx_bytes);
		format_size(tot, sizeof tot, c->rx_bytes + c->tx_bytes);
		fprintf(o, ports ? "%-26s <-> %-26s  %6llu %-9s  %6llu %-9s  %6llu %-9s  "
				 : "%-20s <-> %-20s  %6llu %-9s  %6llu %-9s  %6llu %-9s  ",
			a, b, (unsigned long long)c->rx_frames, rx, (unsigned long long)c->tx_frames, tx,
			(unsigned long long)(c->rx_frames + c->tx_frames), tot);
		fprintf(o, "%14.9f   %12.4f\n", (double)c->start_ns / 1e9,
			(double)c->stop_ns / 1e9 - (double)c->start_ns / 1e9);
	}
	free(v);
	fprintf(o, "================================================================================\n");
}

static void endpoints_draw(const struct conv_stat *s)
{
	FILE *o = s->out;
	int ports = s->kind == CK_TCP || s->kind == CK_UDP;
	fprintf(o, "================================================================================\n");
	fprintf(o, "%s Endpoints\n", conv_type[s->kind]);
	fprintf(o, "Filter:%s\n", s->filter ? s->filter : "<No Filter>");
	fprintf(o, "                       |  %sPackets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | "
		"| Rx Bytes |\n", ports ? "Port  ||  " : "");
	const struct conv **v = sorted(s);
	for (unsigned i = 0; v && i < s->n; i++) {
		const struct conv *c = v[i];
		char a[INET6_ADDRSTRLEN];
		addr_text(&c->src, a, sizeof a);
		unsigned long long tf = c->tx_frames + c->rx_frames, tb = c->tx_bytes + c->rx_bytes;
		if (ports)
			fprintf(o, "%-20s      %5u     %6llu     %9llu     %6llu       %9llu      %6llu       %9llu   \n",
				a, c->src.port, tf, tb, (unsigned long long)c->tx_frames,
				(unsigned long long)c->tx_bytes, (unsigned long long)c->rx_frames,
				(unsigned long long)c->rx_bytes);
		else
			fprintf(o, "%-20s      %6llu     %9llu     %6llu       %9llu      %6llu       %9llu   \n",
				a, tf, tb, (unsigned long long)c->tx_frames, (unsigned long long)c->tx_bytes,
				(unsigned long long)c->rx_frames, (unsigned long long)c->rx_bytes);
	}
	free(v);
	fprintf(o, "================================================================================\n");
}

static void conv_finish(void *arg)
{
	struct conv_stat *s = arg;
	if (s->endpoints)
		endpoints_draw(s);
	else
		conv_draw(s);
	fflush(s->out);
}

static void conv_free(void *arg)
{
	struct conv_stat *s = arg;
	wl_dfilter_free(s->df);
	free(s->filter);
	free(s->c);
	free(s->slot);
	free(s);
}

/* ---- protocol hierarchy ---- */

struct phs_node {
	const char *name;
	uint64_t frames, bytes;
	int child, sibling;      /* indexes, -1 none */
};

struct phs_stat {
	const struct wl_qreg *reg;
	struct wl_dfilter *df;
	char *filter;
	FILE *out;
	struct phs_node *n;
	unsigned nn, cap;
	int root;
};

static int phs_add(struct phs_stat *s, const char *name)
{
	if (s->nn == s->cap) {
		unsigned cap = s->cap ? s->cap * 2 : 64;
		struct phs_node *nn = realloc(s->n, cap * sizeof *nn);
		if (!nn)
			return -1;
		s->n = nn;
		s->cap = cap;
	}
	s->n[s->nn] = (struct phs_node){ name, 0, 0, -1, -1 };
	return (int)s->nn++;
}

static void phs_frame(void *arg, const struct wl_qframe *f)
{
	struct phs_stat *s = arg;
	if (f->late || (s->df && !wl_dfilter_match(s->df, f)))
		return;
	const char *chain[64];
	unsigned n = wl__frame_phs_chain(f, chain, 64);
	int *link = &s->root;
	for (unsigned i = 0; i < n; i++) {
		int k = *link, last = -1;
		for (; k >= 0; last = k, k = s->n[k].sibling)
			if (strcmp(s->n[k].name, chain[i]) == 0)
				break;
		if (k < 0) {
			k = phs_add(s, chain[i]);
			if (k < 0)
				return;
			if (last >= 0)
				s->n[last].sibling = k;
			else
				*link = k;
		}
		s->n[k].frames++;
		s->n[k].bytes += f->fi.len;
		link = &s->n[k].child;
	}
}

static void phs_draw(const struct phs_stat *s, int k, int depth)
{
	for (; k >= 0; k = s->n[k].sibling) {
		char str[80];
		size_t off = 0;
		for (int i = 0; i < depth && off < sizeof str; i++) {
			if (i > 15) {
				off += (size_t)snprintf(str + off, sizeof str - off, "...");
				break;
			}
			off += (size_t)snprintf(str + off, sizeof str - off, "  ");
		}
		if (off < sizeof str)
			snprintf(str + off, sizeof str - off, "%s", s->n[k].name);
		fprintf(s->out, "%-40s frames:%llu bytes:%llu\n", str, (unsigned long long)s->n[k].frames,
			(unsigned long long)s->n[k].bytes);
		phs_draw(s, s->n[k].child, depth + 1);
	}
}

static void phs_finish(void *arg)
{
	struct phs_stat *s = arg;
	fprintf(s->out, "\n===================================================================\n");
	fprintf(s->out, "Protocol Hierarchy Statistics\nFilter: %s\n\n", s->filter ? s->filter : "");
	phs_draw(s, s->root, 0);
	fprintf(s->out, "===================================================================\n");
	fflush(s->out);
}

static void phs_free(void *arg)
{
	struct phs_stat *s = arg;
	wl_dfilter_free(s->df);
	free(s->filter);
	free(s->n);
	free(s);
}

/* ---- the dispatcher ---- */

/* The filter after a statistic's own arguments, compiled; NULL text: none. */
static int stat_filter(const struct wl_qreg *reg, const char *text, struct wl_dfilter **df, char **copy,
		       char *err, size_t errlen)
{
	*df = NULL;
	*copy = NULL;
	if (!text || !*text)
		return 0;
	char e[1024];
	*df = wl_dfilter_compile(reg, text, e, sizeof e);
	if (!*df) {
		snprintf(err, errlen, "-z filter: %s", e);
		return -1;
	}
	*copy = strdup(text);
	return 0;
}

static const struct {
	const char *prefix;
	int endpoints;
	enum conv_kind kind;
} conv_args[] = {
	{ "conv,tcp", 0, CK_TCP }, { "conv,udp", 0, CK_UDP }, { "conv,ipv6", 0, CK_IPV6 },
	{ "conv,ip", 0, CK_IP }, { "endpoints,tcp", 1, CK_TCP }, { "endpoints,udp", 1, CK_UDP },
	{ "endpoints,ipv6", 1, CK_IPV6 }, { "endpoints,ip", 1, CK_IP },
};

/* arg is prefix, or prefix,FILTER. */
static const char *after(const char *arg, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(arg, prefix, n) != 0 || (arg[n] && arg[n] != ','))
		return NULL;
	return arg[n] ? arg + n + 1 : "";
}

int wl_stat_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->every_frame = 1;
	for (size_t i = 0; i < sizeof conv_args / sizeof conv_args[0]; i++) {
		const char *rest = after(arg, conv_args[i].prefix);
		if (!rest)
			continue;
		struct conv_stat *s = calloc(1, sizeof *s);
		if (!s) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		s->kind = conv_args[i].kind;
		s->endpoints = conv_args[i].endpoints;
		s->reg = reg;
		s->out = out;
		if (stat_filter(reg, rest, &s->df, &s->filter, err, errlen) < 0) {
			free(s);
			return -1;
		}
		c->frame = conv_frame;
		c->finish = conv_finish;
		c->free = conv_free;
		c->arg = s;
		return 0;
	}
	const char *rest = after(arg, "io,phs");
	if (rest) {
		struct phs_stat *s = calloc(1, sizeof *s);
		if (!s) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		s->reg = reg;
		s->out = out;
		s->root = -1;
		if (stat_filter(reg, rest, &s->df, &s->filter, err, errlen) < 0) {
			free(s);
			return -1;
		}
		c->frame = phs_frame;
		c->finish = phs_finish;
		c->free = phs_free;
		c->arg = s;
		return 0;
	}
	if (strncmp(arg, "follow,", 7) == 0)
		return wl__follow_new(reg, arg, out, c, err, errlen);
	if (strncmp(arg, "expert", 6) == 0 && (!arg[6] || arg[6] == ','))
		return wl__expert_new(reg, arg, out, c, err, errlen);
	if (strcmp(arg, "credentials") == 0)
		return wl__creds_new(reg, out, c, err, errlen);
	snprintf(err, errlen, "-z %s: not a statistic wirelab knows (conv,tcp|udp|ip|ipv6, "
		 "endpoints,ip|ipv6|tcp|udp, io,phs, follow,tcp|udp,ascii|hex|raw,N, expert, credentials)", arg);
	return -1;
}
