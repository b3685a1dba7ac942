/* test_pcapfile.c - the classic pcap reader (capture/pcapfile.c) through
 * wl_source, against libpcap's own reading of the same bytes: both byte
 * orders and both time resolutions, every file cut at every byte, hostile
 * record lengths, the files it leaves to libpcap, the BPF filter, and the one
 * deliberate difference (a record longer than the snaplen comes whole). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>
#include <cmocka.h>

#include "capture.h"
#include "pcapfile.h"

/* ---- a pcap builder ---- */

struct pf {
	uint8_t b[1 << 16];
	size_t n;
	int swap;                /* write big-endian */
};

static void put32(struct pf *g, uint32_t v)
{
	assert_true(g->n + 4 <= sizeof g->b);
	if (g->swap)
		v = __builtin_bswap32(v);
	memcpy(g->b + g->n, &v, 4);
	g->n += 4;
}

static void put16(struct pf *g, uint16_t v)
{
	assert_true(g->n + 2 <= sizeof g->b);
	if (g->swap)
		v = __builtin_bswap16(v);
	memcpy(g->b + g->n, &v, 2);
	g->n += 2;
}

static void header(struct pf *g, int swap, uint32_t magic, uint16_t minor, uint32_t snaplen,
		   uint32_t linktype)
{
	g->n = 0;
	g->swap = swap;
	put32(g, magic);
	put16(g, 2);
	put16(g, minor);
	put32(g, 0);
	put32(g, 0);
	put32(g, snaplen);
	put32(g, linktype);
}

/* A record of caplen bytes (a pattern from seed) said to be len long. */
static void record(struct pf *g, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len, int seed)
{
	put32(g, sec);
	put32(g, frac);
	put32(g, caplen);
	put32(g, len);
	assert_true(g->n + caplen <= sizeof g->b);
	for (uint32_t i = 0; i < caplen; i++)
		g->b[g->n++] = (uint8_t)(seed * 31 + i);
}

/* A file of several records: Ethernet-sized, empty, one byte, a large one. */
static void sample(struct pf *g, int swap, uint32_t magic)
{
	header(g, swap, magic, 4, 65535, 1);
	record(g, 1404148886, 981015, 60, 60, 1);
	record(g, 1404148887, 5, 0, 0, 2);
	record(g, 1404148887, 999999, 1, 1500, 3);
	record(g, 0x7fffffff, 0, 4000, 4000, 4);
	record(g, 0x7fffffff, 999999, 14, 64, 5);
}

/* ---- reading: every packet, then how it ended ---- */

struct pkt {
	int64_t ts_ns;
	uint32_t caplen, len, sum;
	int linktype;
};

struct run {
	int opened, rc, snaplen, linktype;
	unsigned n;
	struct pkt p[16];
	char err[512];
};

static uint32_t sum(const uint8_t *d, uint32_t n)
{
	uint32_t s = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		s = (s ^ d[i]) * 16777619u;
	return s;
}

static void keep(struct run *r, int64_t ts, uint32_t caplen, uint32_t len, const uint8_t *d, int lt)
{
	if (r->n < 16)
		r->p[r->n] = (struct pkt){ ts, caplen, len, sum(d, caplen), lt };
	r->n++;
}

static struct run read_wirelab(const uint8_t *b, size_t n, const char *bpf)
{
	struct run r = { 0 };
	struct wl_source *s = wl_source_offline_mem(b, n, r.err, sizeof r.err);
	if (!s)
		return r;
	r.opened = 1;
	r.snaplen = wl_source_snaplen(s);
	r.linktype = wl_source_linktype(s);
	if (bpf && wl_source_filter(s, bpf, r.err, sizeof r.err) < 0) {
		wl_source_close(s);
		r.opened = 0;
		return r;
	}
	struct wl_pkt p;
	while ((r.rc = wl_source_next(s, &p)) == 1)
		keep(&r, p.ts_ns, p.caplen, p.len, p.data, p.linktype);
	if (r.rc < 0)
		snprintf(r.err, sizeof r.err, "%s", wl_source_error(s));
	wl_source_close(s);
	return r;
}

/* libpcap on the same bytes, as wirelab read them before pcapfile.c */
static struct run read_libpcap(const uint8_t *b, size_t n)
{
	struct run r = { 0 };
	FILE *f = fmemopen((void *)(uintptr_t)b, n, "rb");
	assert_non_null(f);
	char e[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, e);
	if (!pc) {
		fclose(f);
		snprintf(r.err, sizeof r.err, "%s", e);
		return r;
	}
	r.opened = 1;
	r.snaplen = pcap_snapshot(pc);
	r.linktype = pcap_datalink(pc);
	struct pcap_pkthdr *h;
	const u_char *d;
	while ((r.rc = pcap_next_ex(pc, &h, &d)) == 1)
		keep(&r, (int64_t)h->ts.tv_sec * 1000000000LL + h->ts.tv_usec, h->caplen, h->len, d,
		     r.linktype);
	if (r.rc == PCAP_ERROR_BREAK)
		r.rc = 0;
	else
		snprintf(r.err, sizeof r.err, "%s", pcap_geterr(pc));
	pcap_close(pc);
	return r;
}

static void assert_same(const struct run *a, const struct run *b)
{
	assert_int_equal(a->opened, b->opened);
	if (!a->opened)
		return;
	assert_int_equal(a->snaplen, b->snaplen);
	assert_int_equal(a->linktype, b->linktype);
	assert_int_equal(a->n, b->n);
	for (unsigned i = 0; i < a->n && i < 16; i++) {
		assert_int_equal(a->p[i].ts_ns, b->p[i].ts_ns);
		assert_int_equal(a->p[i].caplen, b->p[i].caplen);
		assert_int_equal(a->p[i].len, b->p[i].len);
		assert_int_equal(a->p[i].sum, b->p[i].sum);
	}
	assert_int_equal(a->rc, b->rc);
	if (a->rc < 0)
		assert_string_equal(a->err, b->err);
}

/* ---- tests ---- */

/* Both byte orders, both resolutions: what libpcap reads, to the ns. */
static void test_as_libpcap(void **state)
{
	(void)state;
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xa1b23c4d };
	for (int swap = 0; swap < 2; swap++)
		for (unsigned m = 0; m < 2; m++) {
			static struct pf g;
			sample(&g, swap, magics[m]);
			assert_true(wl__pcapfile_takes(g.b, g.n));
			struct run a = read_wirelab(g.b, g.n, NULL), b = read_libpcap(g.b, g.n);
			assert_int_equal(a.n, 5);
			assert_int_equal(a.rc, 0);
			assert_same(&a, &b);
			/* the fraction is in the file's unit: microseconds scaled, or nanoseconds */
			assert_int_equal(a.p[0].ts_ns, 1404148886LL * 1000000000LL + 981015LL * (m ? 1 : 1000));
		}
}

/* Seconds past 2038 (2^31 and more): unsigned, as tshark reads them (its
 * frame.time_epoch 2147483649.000123 in both byte orders); libpcap 1.10 makes
 * them negative in a file of the machine's own byte order only. */
static void test_seconds_past_2038(void **state)
{
	(void)state;
	static struct pf g;
	for (int swap = 0; swap < 2; swap++) {
		header(&g, swap, 0xa1b2c3d4, 4, 65535, 1);
		record(&g, 0x80000001, 123, 8, 78, 1);
		struct run a = read_wirelab(g.b, g.n, NULL);
		assert_int_equal(a.n, 1);
		assert_int_equal(a.p[0].ts_ns, 2147483649LL * 1000000000LL + 123000);
	}
}

/* Every file cut at every byte: the same packets, the same end, libpcap's
 * words for a cut header or a cut record. */
static void test_every_cut(void **state)
{
	(void)state;
	static struct pf g;
	for (int swap = 0; swap < 2; swap++) {
		sample(&g, swap, 0xa1b2c3d4);
		for (size_t cut = 0; cut <= g.n; cut++) {
			struct run a = read_wirelab(g.b, cut, NULL), b = read_libpcap(g.b, cut);
			if (cut < WL_PCAPFILE_HEADER) {
				assert_false(wl__pcapfile_takes(g.b, cut));
				continue;   /* libpcap's own file header errors */
			}
			assert_same(&a, &b);
		}
	}
	sample(&g, 0, 0xa1b2c3d4);
	struct run r = read_wirelab(g.b, WL_PCAPFILE_HEADER + 7, NULL);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err, "truncated dump file; tried to read 16 header bytes, only got 7");
	r = read_wirelab(g.b, WL_PCAPFILE_HEADER + 16 + 20, NULL);
	assert_string_equal(r.err, "truncated dump file; tried to read 60 captured bytes, only got 20");
}

/* Lengths a hostile file may claim: over 262144 ends the file as libpcap
 * ends it; 0 and a length far past the bytes are a cut record. */
static void test_hostile_lengths(void **state)
{
	(void)state;
	static struct pf g;
	static const uint32_t caplens[] = { 262145, 0xffffffff, 0x80000000 };
	for (unsigned i = 0; i < 3; i++)
		for (uint32_t snap = 0; snap <= 262144; snap += 262144) {
			header(&g, 0, 0xa1b2c3d4, 4, snap ? snap : 65535, 1);
			record(&g, 1, 1, 60, 60, 1);
			put32(&g, 2);
			put32(&g, 2);
			put32(&g, caplens[i]);
			put32(&g, 60);
			struct run a = read_wirelab(g.b, g.n, NULL), b = read_libpcap(g.b, g.n);
			assert_same(&a, &b);
			assert_int_equal(a.n, 1);
			assert_int_equal(a.rc, -1);
			assert_non_null(strstr(a.err, "invalid packet capture length"));
		}
	header(&g, 0, 0xa1b2c3d4, 4, 65535, 1);
	record(&g, 1, 1, 0, 0, 1);
	put32(&g, 2);
	put32(&g, 2);
	put32(&g, 262144);
	put32(&g, 262144);
	struct run a = read_wirelab(g.b, g.n, NULL), b = read_libpcap(g.b, g.n);
	assert_same(&a, &b);
	assert_int_equal(a.rc, -1);
}

/* The snapshot length as libpcap adjusts it (0 or more than the largest is
 * the largest), and a record longer than it: whole here, as wiretap reads it,
 * cut to the snaplen by libpcap. */
static void test_snaplen(void **state)
{
	(void)state;
	static struct pf g;
	static const uint32_t snaps[] = { 0, 1, 96, 262144, 262145, 0x7fffffff, 0x80000000, 0xffffffff };
	for (unsigned i = 0; i < 8; i++) {
		header(&g, 0, 0xa1b2c3d4, 4, snaps[i], 1);
		record(&g, 1, 1, 8, 78, 1);
		struct run a = read_wirelab(g.b, g.n, NULL), b = read_libpcap(g.b, g.n);
		assert_int_equal(a.snaplen, b.snaplen);
		assert_int_equal(a.n, 1);
		assert_int_equal(a.p[0].caplen, 8);
		assert_int_equal(b.p[0].caplen, snaps[i] == 1 ? 1 : 8);
	}
}

/* What the reader does not take goes to libpcap, which reads it as before:
 * version 2.3, link types with FCS bits or that wirelab does not dissect,
 * Kuznetzov's and Navtel's magics (libpcap's errors for what it refuses). */
static void test_left_to_libpcap(void **state)
{
	(void)state;
	static struct pf g;
	header(&g, 0, 0xa1b2c3d4, 3, 65535, 1);
	record(&g, 1, 1, 60, 60, 1);
	assert_false(wl__pcapfile_takes(g.b, g.n));
	struct run a = read_wirelab(g.b, g.n, NULL), b = read_libpcap(g.b, g.n);
	assert_same(&a, &b);
	assert_int_equal(a.n, 1);
	static const uint32_t others[] = { 1 | 0x14000000u, 147, 9 };
	for (unsigned i = 0; i < 3; i++) {
		header(&g, 0, 0xa1b2c3d4, 4, 65535, others[i]);
		record(&g, 1, 1, 60, 60, 1);
		assert_false(wl__pcapfile_takes(g.b, g.n));
		a = read_wirelab(g.b, g.n, NULL);
		assert_true(a.opened);
		assert_int_equal(a.n, 1);
	}
	header(&g, 0, 0xa1b2cd34, 4, 65535, 1);
	assert_false(wl__pcapfile_takes(g.b, g.n));
	header(&g, 0, 0xa1b2c3d4, 4, 65535, 1);
	g.b[0] ^= 0xff;
	assert_false(wl__pcapfile_takes(g.b, g.n));
	a = read_wirelab(g.b, g.n, NULL);
	assert_false(a.opened);
}

/* A BPF filter on a file this reader reads: compiled for its link type. */
static void test_filter(void **state)
{
	(void)state;
	static struct pf g;
	header(&g, 0, 0xa1b2c3d4, 4, 65535, 1);
	uint8_t eth[60] = { 0 };
	eth[12] = 0x08;   /* IPv4 */
	for (int k = 0; k < 3; k++) {
		put32(&g, 1);
		put32(&g, (uint32_t)k);
		put32(&g, sizeof eth);
		put32(&g, sizeof eth);
		eth[12] = k == 1 ? 0x86 : 0x08;
		eth[13] = k == 1 ? 0xdd : 0x00;
		memcpy(g.b + g.n, eth, sizeof eth);
		g.n += sizeof eth;
	}
	struct run r = read_wirelab(g.b, g.n, "ip6");
	assert_true(r.opened);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.p[0].ts_ns, 1000000000LL + 1000);
	r = read_wirelab(g.b, g.n, "tcp port");
	assert_false(r.opened);
	assert_non_null(strstr(r.err, "bad filter 'tcp port'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_as_libpcap),
		cmocka_unit_test(test_seconds_past_2038),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_hostile_lengths),
		cmocka_unit_test(test_snaplen),
		cmocka_unit_test(test_left_to_libpcap),
		cmocka_unit_test(test_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
