/* pcapng.c - a bounds-checked pcapng reader: every section and interface,
 * Enhanced, Simple and obsolete Packet Blocks, comments, TLS key logs.
 *
 * Follows draft-ietf-opsawg-pcapng (the PCAP Next Generation format). Every
 * block, in the byte order of its section:
 *
 *    0                   1                   2                   3
 *   +---------------------------------------------------------------+
 *   |                          Block Type                           |
 *   |                      Block Total Length                       |  >= 12, a multiple of 4
 *   /                          Block Body                           /
 *   |                      Block Total Length                       |  the same again
 *   +---------------------------------------------------------------+
 *
 *   SHB 0x0A0D0D0A  byte-order magic 0x1A2B3C4D, major 1, minor, section length, options
 *   IDB 1           link type 16, reserved 16, snaplen 32, options (if_tsresol 9, if_tsoffset 14)
 *   EPB 6           interface 32, timestamp hi 32 lo 32, captured 32, original 32, data, options
 *   PB  2           interface 16, drops 16, timestamp hi lo, captured, original, data, options
 *   SPB 3           original 32, data (interface 0, no timestamp)
 *   DSB 0x0A        secrets type 32, length 32, secrets, options
 *   options         code 16, length 16, value padded to 4; code 0 ends them; opt_comment 1
 *
 * The file is read through a window: the blocks of the next MiB sit in one
 * buffer and a packet's bytes are handed out where they lie, so a packet
 * costs no copy and a MiB one read(2). From memory the window is the memory.
 * A damaged length ends the reading with the reason; what came before it was
 * delivered. Interface ids are per section, as the format (and tshark) has them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pcapng.h"
#include "window.h"

enum {
	BT_SHB = 0x0A0D0D0A,
	BT_IDB = 1,
	BT_PB = 2,
	BT_SPB = 3,
	BT_EPB = 6,
	BT_DSB = 0x0A,
	BYTE_ORDER_MAGIC = 0x1A2B3C4D,
	SECRETS_TLS_KEYLOG = 0x544C534B,   /* "TLSK" */
	OPT_ENDOFOPT = 0,
	OPT_COMMENT = 1,
	OPT_IF_NAME = 2,
	OPT_IF_DESCRIPTION = 3,
	OPT_EPB_FLAGS = 2,
	OPT_IF_TSRESOL = 9,
	OPT_IF_TSOFFSET = 14,
};

#define IFACE_TEXT_MAX 1024u
/* Timestamps are kept within what a pcap file can say (32-bit seconds), so
 * that differences between them never overflow in the engine. */
#define TS_MAX_NS (4294967295LL * 1000000000LL + 999999999LL)

struct iface {
	int linktype;
	uint32_t snaplen;
	uint64_t units;          /* timestamp units per second */
	int64_t offset_s;        /* if_tsoffset */
	struct wl_pkt_comment name, descr;  /* if_name, if_description: copies */
};

struct block {
	uint32_t type;
	const uint8_t *body;     /* in the window: valid until the next fill */
	uint32_t len;            /* of the body */
	uint64_t at;             /* file offset of the block */
};

struct wl_pcapng {
	struct wl_window w;
	int big;                 /* the section is big-endian */
	struct iface ifs[WL_PCAPNG_MAX_IFACES];
	uint32_t nifs;           /* in this section */
	uint32_t total_ifs;      /* over every section (saturating) */
	uint32_t section;        /* the current one, from 1 (saturating) */
	int first_linktype, first_snaplen;
	struct block held;       /* a packet block read ahead by open */
	int have_held;
	struct wl_pkt_comment comments[WL_PKT_MAX_COMMENTS];
	uint8_t *keylog;
	size_t keylog_len;
	char err[256];
};

int wl__pcapng_magic(const uint8_t *b, size_t n)
{
	return n >= 4 && b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A;
}

/* ---- bytes in the section's order ---- */

static uint16_t get16(const struct wl_pcapng *r, const uint8_t *p)
{
	return r->big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t get32(const struct wl_pcapng *r, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	if (r->big != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		v = __builtin_bswap32(v);
	return v;
}

static uint64_t get64(const struct wl_pcapng *r, const uint8_t *p)
{
	uint64_t hi = get32(r, r->big ? p : p + 4), lo = get32(r, r->big ? p + 4 : p);
	return hi << 32 | lo;
}

__attribute__((format(printf, 2, 3)))
static int fail(struct wl_pcapng *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- the window ---- */

static int need(struct wl_pcapng *r, size_t n)
{
	int k = wl__window_need(&r->w, n);
	return k < 0 ? fail(r, "%s", r->w.err) : k;
}

static uint64_t offset_now(const struct wl_pcapng *r)
{
	return wl__window_offset(&r->w);
}

static int truncated(struct wl_pcapng *r, uint64_t at, uint64_t want)
{
	return fail(r, "truncated pcapng file: the block at offset %" PRIu64 " needs %" PRIu64
		    " bytes, %zu are left", at, want, r->w.len - r->w.pos);
}

/* The SHB says the byte order of what follows it, its own length included. */
static int section_order(struct wl_pcapng *r, const uint8_t *p, uint64_t at)
{
	uint32_t bom;
	memcpy(&bom, p + 8, 4);
	if (bom == BYTE_ORDER_MAGIC)
		r->big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	else if (bom == __builtin_bswap32(BYTE_ORDER_MAGIC))
		r->big = __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__;
	else
		return fail(r, "not a pcapng section at offset %" PRIu64 ": byte-order magic 0x%08x",
			    at, (unsigned)bom);
	return 0;
}

/* Reads, checks and consumes the next block: 1, 0 at a clean end, -1. */
static int read_block(struct wl_pcapng *r, struct block *b)
{
	uint64_t at = offset_now(r);
	int k = need(r, 8);
	if (k <= 0) {
		if (k < 0)
			return -1;
		if (r->w.len == r->w.pos)
			return 0;
		return truncated(r, at, 8);
	}
	const uint8_t *p = r->w.win + r->w.pos;
	uint32_t type;
	memcpy(&type, p, 4);  /* the SHB's type reads the same in both orders */
	if (type == BT_SHB) {
		if ((k = need(r, 12)) <= 0)
			return k < 0 ? -1 : truncated(r, at, 12);
		p = r->w.win + r->w.pos;
		if (section_order(r, p, at) < 0)
			return -1;
	} else {
		type = get32(r, p);
	}
	uint32_t total = get32(r, p + 4);
	uint32_t least = type == BT_SHB ? 28 : 12;
	if (total < least || total % 4)
		return fail(r, "damaged pcapng file: the block at offset %" PRIu64 " has length %u "
			    "(at least %u and a multiple of 4)", at, (unsigned)total, (unsigned)least);
	if (total > WL_PCAPNG_MAX_BLOCK)
		return fail(r, "pcapng block at offset %" PRIu64 " has %u bytes, more than %u",
			    at, (unsigned)total, WL_PCAPNG_MAX_BLOCK);
	if ((k = need(r, total)) <= 0)
		return k < 0 ? -1 : truncated(r, at, total);
	p = r->w.win + r->w.pos;
	uint32_t trailer = get32(r, p + total - 4);
	if (trailer != total)
		return fail(r, "damaged pcapng file: the block at offset %" PRIu64 " says %u bytes "
			    "at its start and %u at its end", at, (unsigned)total, (unsigned)trailer);
	b->type = type;
	b->body = p + 8;
	b->len = total - 12;
	b->at = at;
	r->w.pos += total;
	return 1;
}

/* ---- options ---- */

struct opt_walk {
	const uint8_t *p, *end;
};

/* The next option: 1 with its code, value and length, or 0 at the end, at
 * opt_endofopt, or where an option runs past its block (the rest is not
 * read: a damaged option does not cost the packet). */
static int next_opt(const struct wl_pcapng *r, struct opt_walk *w, uint16_t *code,
		    const uint8_t **val, uint16_t *len)
{
	if (w->end - w->p < 4)
		return 0;
	*code = get16(r, w->p);
	*len = get16(r, w->p + 2);
	size_t padded = ((size_t)*len + 3) & ~(size_t)3;
	if (*code == OPT_ENDOFOPT || (size_t)(w->end - w->p - 4) < padded)
		return 0;
	*val = w->p + 4;
	w->p += 4 + padded;
	return 1;
}

/* ---- blocks ---- */

static void free_iface_text(struct iface *i)
{
	free((char *)i->name.text);
	free((char *)i->descr.text);
	i->name = i->descr = (struct wl_pkt_comment){ NULL, 0 };
}

static void forget_interfaces(struct wl_pcapng *r)
{
	for (uint32_t i = 0; i < r->nifs; i++)
		free_iface_text(&r->ifs[i]);
	r->nifs = 0;
}

/* An interface's text option, copied out of the window (which moves); cut
 * at IFACE_TEXT_MAX, so that a section's thousand interfaces hold little. */
static void iface_text(struct wl_pkt_comment *t, const uint8_t *v, uint16_t len)
{
	if (len > IFACE_TEXT_MAX)
		len = IFACE_TEXT_MAX;
	char *copy = len ? malloc(len) : NULL;
	if (!copy)
		return;  /* empty, or no memory: shown as absent */
	memcpy(copy, v, len);
	free((char *)t->text);
	*t = (struct wl_pkt_comment){ copy, len };
}

static int section(struct wl_pcapng *r, const struct block *b)
{
	uint16_t major = get16(r, b->body + 4), minor = get16(r, b->body + 6);
	/* 1.2 was written by some old tools for what is 1.0 (libpcap takes both) */
	if (major != 1 || (minor != 0 && minor != 2))
		return fail(r, "pcapng section at offset %" PRIu64 " is version %u.%u; only 1.0 is known",
			    b->at, major, minor);
	forget_interfaces(r);  /* each section describes its own interfaces */
	if (r->section < UINT32_MAX)
		r->section++;
	return 0;
}

/* if_tsresol: 10^-v seconds, or 2^-v with the top bit set. */
static int ts_units(uint8_t v, uint64_t *units)
{
	unsigned e = v & 0x7f;
	if (v & 0x80) {
		if (e > 63)
			return -1;
		*units = (uint64_t)1 << e;
		return 0;
	}
	if (e > 19)
		return -1;
	*units = 1;
	while (e--)
		*units *= 10;
	return 0;
}

static int interface(struct wl_pcapng *r, const struct block *b)
{
	if (b->len < 8)
		return fail(r, "damaged pcapng file: interface block at offset %" PRIu64 " is %u bytes",
			    b->at, (unsigned)b->len + 12);
	if (r->nifs >= WL_PCAPNG_MAX_IFACES)
		return fail(r, "pcapng section with more than %u interfaces (block at offset %" PRIu64 ")",
			    WL_PCAPNG_MAX_IFACES, b->at);
	struct iface *i = &r->ifs[r->nifs];
	i->linktype = get16(r, b->body);
	i->snaplen = get32(r, b->body + 4);
	i->units = 1000000;
	i->offset_s = 0;
	i->name = i->descr = (struct wl_pkt_comment){ NULL, 0 };
	struct opt_walk w = { b->body + 8, b->body + b->len };
	uint16_t code, len;
	const uint8_t *v;
	while (next_opt(r, &w, &code, &v, &len)) {
		if (code == OPT_IF_TSRESOL && len == 1 && ts_units(v[0], &i->units) < 0) {
			free_iface_text(i);
			return fail(r, "pcapng interface %u: if_tsresol 0x%02x is finer than a 64-bit "
				    "timestamp counts", (unsigned)r->nifs, v[0]);
		}
		if (code == OPT_IF_TSOFFSET && len == 8)
			i->offset_s = (int64_t)get64(r, v);
		if (code == OPT_IF_NAME)
			iface_text(&i->name, v, len);
		if (code == OPT_IF_DESCRIPTION)
			iface_text(&i->descr, v, len);
	}
	if (r->total_ifs == 0) {
		r->first_linktype = i->linktype;
		r->first_snaplen = i->snaplen && i->snaplen <= 262144 ? (int)i->snaplen : 262144;
	}
	r->nifs++;
	if (r->total_ifs < UINT32_MAX)
		r->total_ifs++;
	return 0;
}

static void keylog(struct wl_pcapng *r, const struct block *b)
{
	if (b->len < 8 || get32(r, b->body) != SECRETS_TLS_KEYLOG)
		return;
	uint32_t n = get32(r, b->body + 4);
	if (n > b->len - 8 || (size_t)n + 1 > WL_PCAPNG_MAX_KEYLOG - r->keylog_len)
		return;  /* damaged, or over the cap: the packets are still good */
	if (!r->keylog && !(r->keylog = malloc(WL_PCAPNG_MAX_KEYLOG)))
		return;
	memcpy(r->keylog + r->keylog_len, b->body + 8, n);
	r->keylog_len += n;
	if (n && r->keylog[r->keylog_len - 1] != '\n')
		r->keylog[r->keylog_len++] = '\n';
}

/* ts units of the interface to ns since 1970, floored (as tshark), kept in range. */
static int64_t ts_ns(const struct iface *i, uint64_t t)
{
	uint64_t sec = t / i->units, frac = t % i->units;
	uint64_t ns = i->units == 1000000000u ? frac
		      : (uint64_t)((unsigned __int128)frac * 1000000000u / i->units);
	int64_t s = sec > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)sec;
	if (__builtin_add_overflow(s, i->offset_s, &s))
		s = i->offset_s < 0 ? 0 : INT64_MAX;
	if (s < 0)
		return 0;
	if (s > TS_MAX_NS / 1000000000LL)
		return TS_MAX_NS;
	return s * 1000000000LL + (int64_t)ns;
}

/* The EPB's options: its comments and flags. */
static void packet_options(struct wl_pcapng *r, const uint8_t *opts, const uint8_t *end,
			   struct wl_pkt *p)
{
	struct opt_walk w = { opts, end };
	uint16_t code, len;
	const uint8_t *v;
	p->ncomments = 0;
	p->has_flags = 0;
	while (next_opt(r, &w, &code, &v, &len)) {
		if (code == OPT_EPB_FLAGS && len == 4) {
			p->has_flags = 1;
			p->flags = get32(r, v);
		}
		if (code != OPT_COMMENT || p->ncomments == WL_PKT_MAX_COMMENTS)
			continue;
		r->comments[p->ncomments].text = (const char *)v;
		r->comments[p->ncomments].len = len;
		p->ncomments++;
	}
	p->comments = p->ncomments ? r->comments : NULL;
}

/* What the packet's interface and section say of it. */
static void packet_meta(const struct wl_pcapng *r, const struct iface *i, uint32_t id,
			struct wl_pkt *p)
{
	p->linktype = i->linktype;
	p->interface_id = id;
	p->section = r->section;
	p->if_name = i->name;
	p->if_descr = i->descr;
}

static int packet_iface(struct wl_pcapng *r, const struct block *b, uint32_t id)
{
	if (id >= r->nifs)
		return fail(r, "damaged pcapng file: packet block at offset %" PRIu64 " is on interface "
			    "%u of a section with %u", b->at, (unsigned)id, (unsigned)r->nifs);
	return 0;
}

/* EPB and the obsolete PB: the same fields but for the interface's width. */
static int enhanced(struct wl_pcapng *r, const struct block *b, struct wl_pkt *p)
{
	const uint8_t *d = b->body;
	if (b->len < 20)
		return fail(r, "damaged pcapng file: packet block at offset %" PRIu64 " is %u bytes",
			    b->at, (unsigned)b->len + 12);
	uint32_t id = b->type == BT_EPB ? get32(r, d) : get16(r, d);
	if (packet_iface(r, b, id) < 0)
		return -1;
	uint32_t caplen = get32(r, d + 12);
	if (caplen > b->len - 20)
		return fail(r, "damaged pcapng file: packet block at offset %" PRIu64 " captured %u "
			    "bytes in a block of %u", b->at, (unsigned)caplen, (unsigned)b->len + 12);
	const struct iface *i = &r->ifs[id];
	p->ts_ns = ts_ns(i, (uint64_t)get32(r, d + 4) << 32 | get32(r, d + 8));
	p->caplen = caplen;
	p->len = get32(r, d + 16);
	p->data = d + 20;
	packet_meta(r, i, id, p);
	packet_options(r, d + 20 + ((caplen + 3u) & ~3u), d + b->len, p);
	return 1;
}

/* SPB: interface 0, no timestamp (0, as libpcap), min(original, snaplen) bytes. */
static int simple(struct wl_pcapng *r, const struct block *b, struct wl_pkt *p)
{
	if (b->len < 4)
		return fail(r, "damaged pcapng file: simple packet block at offset %" PRIu64 " is %u "
			    "bytes", b->at, (unsigned)b->len + 12);
	if (packet_iface(r, b, 0) < 0)
		return -1;
	const struct iface *i = &r->ifs[0];
	uint32_t len = get32(r, b->body), caplen = len;
	if (i->snaplen && caplen > i->snaplen)
		caplen = i->snaplen;
	if (caplen > b->len - 4)
		caplen = b->len - 4;
	p->ts_ns = 0;
	p->caplen = caplen;
	p->len = len;
	p->data = b->body + 4;
	packet_meta(r, i, 0, p);
	p->has_flags = 0;
	p->ncomments = 0;
	p->comments = NULL;
	return 1;
}

static int is_packet(uint32_t type)
{
	return type == BT_EPB || type == BT_PB || type == BT_SPB;
}

/* A block that is not a packet: 0, or -1 when it spoils the file. */
static int header_block(struct wl_pcapng *r, const struct block *b)
{
	switch (b->type) {
	case BT_SHB: return section(r, b);
	case BT_IDB: return interface(r, b);
	case BT_DSB: keylog(r, b); return 0;
	default: return 0;  /* NRB, ISB, custom and unknown blocks: nothing to show */
	}
}

static int packet(struct wl_pcapng *r, const struct block *b, struct wl_pkt *p)
{
	return b->type == BT_SPB ? simple(r, b, p) : enhanced(r, b, p);
}

int wl__pcapng_next(struct wl_pcapng *r, struct wl_pkt *p)
{
	if (r->err[0])
		return -1;
	if (r->have_held) {
		r->have_held = 0;
		return packet(r, &r->held, p);
	}
	for (;;) {
		struct block b = { 0 };   /* gcc -O3 does not see read_block() fill it */
		int k = read_block(r, &b);
		if (k <= 0)
			return k;
		if (is_packet(b.type))
			return packet(r, &b, p);
		if (header_block(r, &b) < 0)
			return -1;
	}
}

/* The first block must be a section header; then the header blocks up to the
 * first packet, so the link type is known when the caller asks. */
static struct wl_pcapng *start(struct wl_pcapng *r, char *err, size_t errlen)
{
	r->first_linktype = 1;
	r->first_snaplen = 262144;
	struct block b;
	int k = read_block(r, &b);
	if (k == 1 && b.type != BT_SHB)
		fail(r, "not a pcapng file: it does not start with a section header");
	else if (k == 0)
		fail(r, "empty pcapng file");
	while (!r->err[0] && k == 1) {
		if (is_packet(b.type)) {
			r->held = b;
			r->have_held = 1;
			break;
		}
		if (header_block(r, &b) < 0)
			break;
		k = read_block(r, &b);
	}
	if (r->err[0] && !r->total_ifs) {
		/* nothing could be read at all: fail the open, as libpcap does */
		snprintf(err, errlen, "%s", r->err);
		wl__pcapng_close(r);
		return NULL;
	}
	return r;
}

struct wl_pcapng *wl__pcapng_open_file(FILE *f, const uint8_t *pre, size_t npre, char *err,
				       size_t errlen)
{
	struct wl_pcapng *r = calloc(1, sizeof *r);
	if (!r || wl__window_file(&r->w, f, pre, npre) < 0) {
		if (!r)
			fclose(f);
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return start(r, err, errlen);
}

struct wl_pcapng *wl__pcapng_open_mem(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct wl_pcapng *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	wl__window_mem(&r->w, buf, len);
	return start(r, err, errlen);
}

const char *wl__pcapng_error(const struct wl_pcapng *r) { return r->err; }
int wl__pcapng_linktype(const struct wl_pcapng *r) { return r->first_linktype; }
int wl__pcapng_snaplen(const struct wl_pcapng *r) { return r->first_snaplen; }
uint32_t wl__pcapng_interfaces(const struct wl_pcapng *r) { return r->nifs; }

const uint8_t *wl__pcapng_tls_keylog(const struct wl_pcapng *r, size_t *len)
{
	*len = r->keylog_len;
	return r->keylog;
}

void wl__pcapng_close(struct wl_pcapng *r)
{
	if (!r)
		return;
	wl__window_close(&r->w);
	forget_interfaces(r);
	free(r->keylog);
	free(r);
}
