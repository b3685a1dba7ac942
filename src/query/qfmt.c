/* qfmt.c - values as `tshark -T fields` prints them: integers in the base
 * tshark's field table gives (hex padded to the field's width), booleans as
 * 1/0, times as "Mar 14, 2019 19:03:54.892296000 UTC" or "0.027412000",
 * bytes as lowercase hex; and the frame-level values (frame.*, tcp.stream)
 * made from the engine's frame callback. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digits.h"
#include "qpriv.h"

static int grow(struct wl_qbuf *b, size_t more)
{
	if (b->failed)
		return -1;
	if (more <= b->cap - b->n)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->n < more) {
		if (cap > ((size_t)1 << 30)) {
			b->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void wl__qb_mem(struct wl_qbuf *b, const void *s, size_t n)
{
	if (n && grow(b, n) == 0) {
		memcpy(b->p + b->n, s, n);
		b->n += n;
	}
}

void wl__qb_str(struct wl_qbuf *b, const char *s)
{
	wl__qb_mem(b, s, strlen(s));
}

void wl__qb_grow_ch(struct wl_qbuf *b, char c)
{
	if (grow(b, 1) == 0)
		b->p[b->n++] = c;
}

void wl__qb_u64(struct wl_qbuf *b, uint64_t v)
{
	if (grow(b, 20) == 0)
		b->n = (size_t)(wl_put_u64(b->p + b->n, v) - b->p);
}

void wl__qb_i64(struct wl_qbuf *b, int64_t v)
{
	if (v < 0) {
		wl__qb_ch(b, '-');
		wl__qb_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		wl__qb_u64(b, (uint64_t)v);
	}
}

void wl__qb_printf(struct wl_qbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		wl__qb_mem(b, tmp, (size_t)n);
		return;
	}
	if (grow(b, (size_t)n + 1) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

void wl__qb_free(struct wl_qbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void wl__fmt_secs9(struct wl_qbuf *b, int64_t ns)
{
	uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	if (ns < 0)
		wl__qb_ch(b, '-');
	wl__qb_u64(b, a / 1000000000u);
	/* nine digits after the point: 1e9 + f has them after its leading 1 */
	char frac[10];
	wl_put_u64(frac, 1000000000u + a % 1000000000u);
	frac[0] = '.';
	wl__qb_mem(b, frac, sizeof frac);
}

void wl__fmt_abstime(struct wl_qbuf *b, int64_t ns)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t sec = ns >= 0 ? ns / 1000000000 : (ns - 999999999) / 1000000000;
	int64_t frac = ns - sec * 1000000000;
	time_t t = (time_t)sec;
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		wl__qb_str(b, "Not representable");
		return;
	}
	char zone[64] = "";
	strftime(zone, sizeof zone, "%Z", &tm);
	wl__qb_printf(b, "%s %2d, %d %02d:%02d:%02d.%09lld %s", mon[tm.tm_mon % 12], tm.tm_mday,
		      tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long long)frac, zone);
}

static const char hex_digits[] = "0123456789abcdef";

static void hex_bytes(struct wl_qbuf *b, const uint8_t *p, size_t n)
{
	const char *d = hex_digits;
	if (grow(b, n * 2) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		b->p[b->n++] = d[p[i] >> 4];
		b->p[b->n++] = d[p[i] & 15];
	}
}

/* 0x and at least w hex digits, as "0x%0*llx" (without printf: -T fields
 * prints many flags and ids) */
static void hex_int(struct wl_qbuf *b, uint64_t u, int w)
{
	char t[2 + 64];
	size_t i = sizeof t;
	do {
		t[--i] = hex_digits[u & 15];
		u >>= 4;
	} while (u);
	while (sizeof t - i < (size_t)w && i > 2)
		t[--i] = '0';
	t[--i] = 'x';
	t[--i] = '0';
	wl__qb_mem(b, t + i, sizeof t - i);
}

/* A dotted quad, as "%u.%u.%u.%u" */
static void ipv4(struct wl_qbuf *b, const uint8_t *p)
{
	for (int i = 0; i < 4; i++) {
		if (i)
			wl__qb_ch(b, '.');
		wl__qb_u64(b, p[i]);
	}
}

static void fmt_int(struct wl_qbuf *b, const struct wl_qfield *fd, const struct wl_qval *v)
{
	uint64_t u = v->type == QT_INT ? (uint64_t)v->n.i : v->n.u;
	switch (fd->disp) {
	case TD_HEX:
		hex_int(b, u, fd->hexw ? fd->hexw : 1);
		return;
	case TD_OCT:
		wl__qb_printf(b, "0%llo", (unsigned long long)u);
		return;
	case TD_BOOL:
		wl__qb_ch(b, u ? '1' : '0');
		return;
	case TD_RELTIME:   /* an integer tshark keeps as time: seconds */
		wl__fmt_secs9(b, (int64_t)u * 1000000000);
		return;
	default:
		if (v->type == QT_INT)
			wl__qb_i64(b, v->n.i);
		else
			wl__qb_u64(b, u);
	}
}

void wl__fmt_value(struct wl_qbuf *b, const struct wl_qfield *fd, const struct wl_qval *v)
{
	char a[INET6_ADDRSTRLEN];
	switch (v->type) {
	case QT_UINT:
	case QT_INT:
	case QT_BOOL:
		fmt_int(b, fd, v);
		break;
	case QT_DOUBLE:
		if (fd->disp == TD_RELTIME)
			wl__qb_printf(b, "%.9f", v->n.d);
		else
			wl__qb_printf(b, "%.15g", v->n.d);
		break;
	case QT_RELTIME:
		wl__fmt_secs9(b, v->n.i);
		break;
	case QT_ABSTIME:
		if (fd->disp == TD_RELTIME)
			wl__fmt_secs9(b, v->n.i);
		else
			wl__fmt_abstime(b, v->n.i);
		break;
	case QT_STR:
		if (fd->disp == TD_BYTES)
			hex_bytes(b, v->p, v->len);
		else
			wl__qb_mem(b, v->p, v->len);
		break;
	case QT_BYTES:
		if (fd->disp == TD_STR)
			wl__qb_mem(b, v->p, v->len);
		else
			hex_bytes(b, v->p, v->len);
		break;
	case QT_IPV4:
		ipv4(b, v->p);
		break;
	case QT_IPV6:
		inet_ntop(AF_INET6, v->p, a, sizeof a);
		wl__qb_str(b, a);
		break;
	case QT_PROTO:
		wl__qb_str(b, fd->name);
		break;
	default:
		break;
	}
}

void wl__fmt_value_r(struct wl_qbuf *b, const struct wl_qfield *fd, const struct wl_qval *v, int redact)
{
	if (redact && v->secret)
		wl__qb_str(b, "********");
	else
		wl__fmt_value(b, fd, v);
}

int wl__virt_value(const struct wl_qframe *f, unsigned virt, struct wl_qval *v, char *scratch,
		   size_t cap)
{
	const struct wl_frame_info *fi = &f->fi;
	memset(v, 0, sizeof *v);
	v->type = QT_UINT;
	switch (virt) {
	case V_FRAME_NUMBER: v->n.u = fi->frame; return 1;
	case V_FRAME_LEN: v->n.u = fi->len; return 1;
	case V_FRAME_CAPLEN: v->n.u = fi->caplen; return 1;
	case V_FRAME_TIME:
		v->type = QT_ABSTIME;
		v->n.i = fi->ts_ns;
		return 1;
	case V_FRAME_EPOCH:
		v->type = QT_RELTIME;
		v->n.i = fi->ts_ns;
		return 1;
	case V_FRAME_REL:
		v->type = QT_RELTIME;
		v->n.i = fi->rel_ns;
		return 1;
	case V_FRAME_DELTA:
		v->type = QT_RELTIME;
		v->n.i = fi->ts_ns - f->prev_ns;
		return 1;
	case V_FRAME_DELTA_SHOWN:
		v->type = QT_RELTIME;
		v->n.i = f->prev_shown_ns < 0 ? 0 : fi->ts_ns - f->prev_shown_ns;
		return 1;
	case V_FRAME_PROTOCOLS:
		v->type = QT_STR;
		v->len = (uint32_t)wl__frame_protocols(f, scratch, cap);
		v->p = (const uint8_t *)scratch;
		return fi->data != NULL;
	case V_TCP_STREAM:
		v->n.u = (uint64_t)fi->tcp_stream;
		return fi->tcp_stream >= 0;
	case V_UDP_STREAM:
		v->n.u = (uint64_t)fi->udp_stream;
		return fi->udp_stream >= 0;
	case V_TCP_PAYLOAD:
		/* as tshark: the bytes of a RST are its reset cause, not payload */
		for (unsigned i = 0; i < f->nmsgs; i++)
			for (unsigned j = 0; j < f->msgs[i].nfields; j++)
				if (f->msgs[i].fields[j].name[0] == 't' &&
				    strcmp(f->msgs[i].fields[j].name, "tcp.flags.reset") == 0 &&
				    f->msgs[i].fields[j].v.u)
					return 0;
		/* fall through */
	case V_UDP_PAYLOAD:
		v->type = QT_BYTES;
		v->p = fi->data ? fi->data + fi->payload_off : NULL;
		v->len = fi->payload_len;
		return fi->data && fi->payload_len &&
		       (virt == V_TCP_PAYLOAD ? fi->tcp_stream >= 0 : fi->udp_stream >= 0);
	default:
		return 0;
	}
}
