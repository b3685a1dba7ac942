/* pcapfile.c - a bounds-checked reader of classic pcap files (libpcap's
 * savefile format, draft-ietf-opsawg-pcap):
 *
 *   file header, 24 bytes, in the writer's byte order:
 *     magic 32       0xa1b2c3d4 (microsecond times) or 0xa1b23c4d (nanosecond)
 *     major 16, minor 16   2.4
 *     thiszone 32, sigfigs 32   (0 in practice; not used)
 *     snaplen 32     the snapshot length
 *     linktype 32    LINKTYPE_*, the top bits for an FCS length
 *   each record: seconds 32, fraction 32, captured length 32, original 32, data
 *
 * As libpcap (1.10) reads them, so that what wirelab shows does not change:
 * the snaplen it reports, a record over 262144 bytes ending the file, its
 * words for the errors (tests/test_pcapfile.c reads every file both ways,
 * cut at every byte). Except, in tshark's way: seconds are unsigned (libpcap
 * makes those past 2038 negative in a file of the machine's byte order), and a
 * record longer than the header's snaplen is delivered whole, where libpcap
 * cuts it to the snaplen and wiretap (tshark) does not; frame.cap_len follows
 * tshark (corpus trunc-hdr.pcap: snaplen 1, a record of 8 bytes).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pcapfile.h"
#include "window.h"

enum {
	MAGIC_USEC = 0xa1b2c3d4,
	MAGIC_NSEC = 0xa1b23c4d,
	RECORD_HEADER = 16,
};

struct wl_pcapfile {
	struct wl_window w;
	int swapped;             /* the writer's byte order is not ours */
	int nano;
	int linktype, snaplen;
	char err[160];
};

static uint32_t get32(int swapped, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

static uint16_t get16(int swapped, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return swapped ? __builtin_bswap16(v) : v;
}

/* 1 native, 2 swapped, 0 not a magic this reader knows; *nano for 0xa1b23c4d. */
static int magic_order(const uint8_t *b, int *nano)
{
	uint32_t m = get32(0, b);
	*nano = m == MAGIC_NSEC || m == __builtin_bswap32(MAGIC_NSEC);
	if (m == MAGIC_USEC || m == MAGIC_NSEC)
		return 1;
	if (m == __builtin_bswap32(MAGIC_USEC) || m == __builtin_bswap32(MAGIC_NSEC))
		return 2;
	return 0;
}

/* The link types wirelab dissects (engine.c wl_link_supported): for these
 * libpcap's largest record is 262144 bytes and its DLT is the LINKTYPE. */
static int linktype_known(uint32_t lt)
{
	switch (lt) {
	case 0: case 1: case 101: case 105: case 108: case 113: case 127: case 228: case 229:
	case 276:
		return 1;
	default:
		return 0;
	}
}

int wl__pcapfile_takes(const uint8_t *b, size_t n)
{
	int nano;
	int order = n >= WL_PCAPFILE_HEADER ? magic_order(b, &nano) : 0;
	if (!order)
		return 0;
	int sw = order == 2;
	return get16(sw, b + 4) == 2 && get16(sw, b + 6) == 4 && linktype_known(get32(sw, b + 20));
}

static struct wl_pcapfile *start(struct wl_pcapfile *r, char *err, size_t errlen)
{
	if (wl__window_need(&r->w, WL_PCAPFILE_HEADER) != 1 ||
	    !wl__pcapfile_takes(r->w.win, WL_PCAPFILE_HEADER)) {
		snprintf(err, errlen, "not a pcap file this reader takes");
		wl__pcapfile_close(r);
		return NULL;
	}
	const uint8_t *h = r->w.win;
	r->swapped = magic_order(h, &r->nano) == 2;
	r->linktype = (int)get32(r->swapped, h + 20);
	uint32_t snap = get32(r->swapped, h + 16);
	/* libpcap's adjustment: 0, or negative as its int, is the largest */
	r->snaplen = (int)(snap == 0 || snap > INT32_MAX ? WL_PCAPFILE_MAX_CAPLEN : snap);
	r->w.pos = WL_PCAPFILE_HEADER;
	return r;
}

struct wl_pcapfile *wl__pcapfile_open_file(FILE *f, const uint8_t *pre, size_t npre, char *err,
					   size_t errlen)
{
	struct wl_pcapfile *r = calloc(1, sizeof *r);
	if (!r || wl__window_file(&r->w, f, pre, npre) < 0) {
		if (!r)
			fclose(f);
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return start(r, err, errlen);
}

struct wl_pcapfile *wl__pcapfile_open_mem(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct wl_pcapfile *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	wl__window_mem(&r->w, buf, len);
	return start(r, err, errlen);
}

__attribute__((format(printf, 2, 3)))
static int fail(struct wl_pcapfile *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* n bytes from pos: 1, or -1 with libpcap's words for what was there
 * instead. A record longer than the snaplen libpcap reads in two steps, the
 * snaplen's bytes and then the rest, and its words name the step that failed. */
static int take(struct wl_pcapfile *r, size_t n, int record)
{
	int k = wl__window_need(&r->w, n);
	if (k < 0)
		return fail(r, "error reading dump file: %s", r->w.err);
	if (k == 1)
		return 1;
	size_t have = r->w.len - r->w.pos;
	if (!record)
		return fail(r, "truncated dump file; tried to read %zu header bytes, only got %zu", n,
			    have);
	size_t step = n > (size_t)r->snaplen && have < (size_t)r->snaplen ? (size_t)r->snaplen : n;
	return fail(r, "truncated dump file; tried to read %zu captured bytes, only got %zu", step, have);
}

int wl__pcapfile_next(struct wl_pcapfile *r, struct wl_pkt *p)
{
	if (wl__window_need(&r->w, 1) == 0)
		return 0;  /* the end, between records */
	if (take(r, RECORD_HEADER, 0) < 0)
		return -1;
	const uint8_t *h = r->w.win + r->w.pos;
	uint32_t sec = get32(r->swapped, h), frac = get32(r->swapped, h + 4);
	uint32_t caplen = get32(r->swapped, h + 8), len = get32(r->swapped, h + 12);
	if (caplen > WL_PCAPFILE_MAX_CAPLEN) {
		if (caplen > (uint32_t)r->snaplen)
			return fail(r, "invalid packet capture length %u, bigger than snaplen of %d",
				    (unsigned)caplen, r->snaplen);
		return fail(r, "invalid packet capture length %u, bigger than maximum of %u",
			    (unsigned)caplen, WL_PCAPFILE_MAX_CAPLEN);
	}
	r->w.pos += RECORD_HEADER;
	if (take(r, caplen, 1) < 0)
		return -1;
	*p = (struct wl_pkt){
		.ts_ns = (int64_t)sec * 1000000000LL + (int64_t)frac * (r->nano ? 1 : 1000),
		.caplen = caplen,
		.len = len,
		.data = r->w.win + r->w.pos,
		.linktype = r->linktype,
	};
	r->w.pos += caplen;
	return 1;
}

const char *wl__pcapfile_error(const struct wl_pcapfile *r) { return r->err; }
int wl__pcapfile_linktype(const struct wl_pcapfile *r) { return r->linktype; }
int wl__pcapfile_snaplen(const struct wl_pcapfile *r) { return r->snaplen; }

void wl__pcapfile_close(struct wl_pcapfile *r)
{
	if (!r)
		return;
	wl__window_close(&r->w);
	free(r);
}
