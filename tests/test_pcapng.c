/* test_pcapng.c - the pcapng reader (capture/pcapng.c) through wl_source: the
 * test captures of tests/data/pcapng against tshark's view of them (the
 * stored .tsv: interface, timestamp to the ns, lengths, comments), every
 * capture cut at every byte, hostile block and option lengths, interfaces out
 * of range and too many, timestamp resolutions and offsets at their limits,
 * sections, key logs, the BPF filter per link type, reading from a pipe, the
 * writer's one link type, and the engine's frame.interface_id/frame.comment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "pcapng.h"
#include "wirelab.h"
#include "wltest.h"

static const char *const captures[] = { "multi-link", "big-endian", "two-sections", "spb-opb",
					"comment", "flags" };

/* ---- a little-endian pcapng builder ---- */

struct ng {
	uint8_t *b;
	size_t n, cap;
	size_t open_at;          /* the block being built */
};

static void put(struct ng *g, const void *p, size_t n)
{
	if (g->n + n > g->cap) {
		g->cap = (g->n + n) * 2;
		g->b = realloc(g->b, g->cap);
		assert_non_null(g->b);
	}
	memcpy(g->b + g->n, p, n);
	g->n += n;
}

static void put8(struct ng *g, uint8_t v) { put(g, &v, 1); }
static void put16(struct ng *g, uint16_t v) { put(g, &v, 2); }  /* the test host is little-endian */
static void put32(struct ng *g, uint32_t v) { put(g, &v, 4); }
static void put64(struct ng *g, uint64_t v) { put(g, &v, 8); }

static void pad(struct ng *g)
{
	while (g->n % 4)
		put8(g, 0);
}

static void begin(struct ng *g, uint32_t type)
{
	g->open_at = g->n;
	put32(g, type);
	put32(g, 0);
}

/* Pads, writes the total length at both ends (or `total` when not 0). */
static void end(struct ng *g, uint32_t total)
{
	pad(g);
	uint32_t len = (uint32_t)(g->n - g->open_at + 4);
	if (total)
		len = total;
	memcpy(g->b + g->open_at + 4, &len, 4);
	put32(g, len);
}

static void opt(struct ng *g, uint16_t code, const void *v, uint16_t len)
{
	put16(g, code);
	put16(g, len);
	put(g, v, len);
	pad(g);
}

static void opt_end(struct ng *g)
{
	put32(g, 0);
}

static void shb(struct ng *g)
{
	begin(g, 0x0A0D0D0A);
	put32(g, 0x1A2B3C4D);
	put16(g, 1);
	put16(g, 0);
	put64(g, UINT64_MAX);
	end(g, 0);
}

static void idb(struct ng *g, uint16_t linktype, uint32_t snaplen, int tsresol)
{
	begin(g, 1);
	put16(g, linktype);
	put16(g, 0);
	put32(g, snaplen);
	if (tsresol >= 0) {
		uint8_t r = (uint8_t)tsresol;
		opt(g, 9, &r, 1);
		opt_end(g);
	}
	end(g, 0);
}

static const uint8_t frame20[20] = { 0x45, 0, 0, 20, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2 };

static void epb(struct ng *g, uint32_t iface, uint64_t ts, const char *comment)
{
	begin(g, 6);
	put32(g, iface);
	put32(g, (uint32_t)(ts >> 32));
	put32(g, (uint32_t)ts);
	put32(g, sizeof frame20);
	put32(g, sizeof frame20);
	put(g, frame20, sizeof frame20);
	pad(g);
	if (comment) {
		opt(g, 1, comment, (uint16_t)strlen(comment));
		opt_end(g);
	}
	end(g, 0);
}

/* SHB, one raw-IP interface (µs), one packet: the start of most cases. */
static struct ng start(void)
{
	struct ng g = { 0 };
	shb(&g);
	idb(&g, 101, 65535, -1);
	epb(&g, 0, 1700000000000000ull, NULL);
	return g;
}

/* ---- reading ---- */

struct result {
	int opened;
	unsigned packets;
	int last;                /* 0 at a clean end, -1 on an error */
	char err[512];
	struct wl_pkt pkt[16];   /* the first ones (data pointers not kept) */
	char comment[16][128];
	char if_name[16][128];   /* tshark's frame.interface_name: the name, else the description */
	char if_descr[16][128];
};

static void copy_text(char *out, size_t n, const struct wl_pkt_comment *t)
{
	snprintf(out, n, "%.*s", t->text ? (int)t->len : 0, t->text ? t->text : "");
}

static struct result read_all(const uint8_t *d, size_t n, const char *bpf)
{
	struct result r = { 0 };
	struct wl_source *s = wl_source_offline_mem(d, n, r.err, sizeof r.err);
	if (!s)
		return r;
	r.opened = 1;
	if (bpf && wl_source_filter(s, bpf, r.err, sizeof r.err) < 0) {
		r.opened = 0;
		wl_source_close(s);
		return r;
	}
	struct wl_pkt p;
	while ((r.last = wl_source_next(s, &p)) == 1) {
		/* touch every byte handed out: ASan sees a read past the block */
		volatile uint8_t sum = 0;
		for (uint32_t i = 0; i < p.caplen; i++)
			sum = (uint8_t)(sum + p.data[i]);
		for (unsigned c = 0; c < p.ncomments; c++)
			for (uint32_t i = 0; i < p.comments[c].len; i++)
				sum = (uint8_t)(sum + (uint8_t)p.comments[c].text[i]);
		for (uint32_t i = 0; p.if_name.text && i < p.if_name.len; i++)
			sum = (uint8_t)(sum + (uint8_t)p.if_name.text[i]);
		for (uint32_t i = 0; p.if_descr.text && i < p.if_descr.len; i++)
			sum = (uint8_t)(sum + (uint8_t)p.if_descr.text[i]);
		(void)sum;
		if (r.packets < 16) {
			r.pkt[r.packets] = p;
			if (p.ncomments)
				snprintf(r.comment[r.packets], sizeof r.comment[0], "%.*s",
					 (int)p.comments[0].len, p.comments[0].text);
			copy_text(r.if_name[r.packets], sizeof r.if_name[0],
				  p.if_name.text ? &p.if_name : &p.if_descr);
			copy_text(r.if_descr[r.packets], sizeof r.if_descr[0], &p.if_descr);
		}
		r.packets++;
	}
	if (r.last < 0)
		snprintf(r.err, sizeof r.err, "%s", wl_source_error(s));
	wl_source_close(s);
	return r;
}

static uint8_t *load(const char *name, size_t *n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/tests/data/pcapng/%s", WL_SOURCE_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t *b = malloc(1 << 16);
	assert_non_null(b);
	*n = fread(b, 1, 1 << 16, f);
	fclose(f);
	return b;
}

/* "1700000000.250000001" to ns; "" (no timestamp: a Simple Packet Block) is 0. */
static int64_t epoch_ns(const char *s)
{
	if (!*s)
		return 0;
	char *dot;
	int64_t sec = strtoll(s, &dot, 10), ns = 0;
	assert_int_equal(*dot, '.');
	int digits = 0;
	for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++, digits++)
		ns = ns * 10 + (*p - '0');
	for (; digits < 9; digits++)
		ns *= 10;
	return sec * 1000000000LL + ns;
}

/* tshark's text for a field: \t for a tab. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 't') {
			*o++ = '\t';
			s++;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Every frame as tshark 4.0 saw it (tests/data/pcapng/NAME.tsv, written by
 * pcapng_vs_tshark.py --make-ref): interface, time to the ns, lengths, first comment. */
static void test_captures_as_tshark(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof captures / sizeof captures[0]; c++) {
		char name[64], line[1024];
		snprintf(name, sizeof name, "%s.pcapng", captures[c]);
		size_t n;
		uint8_t *b = load(name, &n);
		struct result r = read_all(b, n, NULL);
		assert_true(r.opened);
		assert_int_equal(r.last, 0);
		snprintf(name, sizeof name, "%s/tests/data/pcapng/%s.tsv", WL_SOURCE_DIR, captures[c]);
		FILE *f = fopen(name, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof line, f));  /* the header */
		unsigned rows = 0;
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			char *cell[14] = { 0 }, *p = line;
			for (int i = 0; i < 14; i++) {
				cell[i] = p;
				p += strcspn(p, "\t");
				if (*p)
					*p++ = '\0';
			}
			unsigned k = (unsigned)atoi(cell[0]) - 1;
			assert_true(k < r.packets);
			const struct wl_pkt *pk = &r.pkt[k];
			assert_int_equal(pk->interface_id, (uint32_t)atoi(cell[1]));
			assert_int_equal(pk->ts_ns, epoch_ns(cell[2]));
			assert_int_equal(pk->len, (uint32_t)atoi(cell[4]));
			assert_int_equal(pk->caplen, (uint32_t)atoi(cell[5]));
			char *comment = cell[8];
			comment[strcspn(comment, "\x1f")] = '\0';
			unescape(comment);
			assert_string_equal(r.comment[k], comment);
			/* section, interface name and description, epb_flags */
			assert_int_equal(pk->section, (uint32_t)atoi(cell[9]));
			assert_string_equal(r.if_name[k][0] ? r.if_name[k] : "unknown", cell[10]);
			assert_string_equal(r.if_descr[k], cell[11]);
			assert_int_equal(pk->has_flags, cell[13][0] != '\0');
			if (pk->has_flags)
				assert_int_equal(pk->flags, (uint32_t)strtoul(cell[13], NULL, 16));
			rows++;
		}
		fclose(f);
		assert_int_equal(rows, r.packets);
		free(b);
	}
}

/* Block boundaries of a well-formed file (either byte order). */
static int at_boundary(const uint8_t *b, size_t n, size_t k)
{
	int big = 0;
	for (size_t o = 0; o + 12 <= n;) {
		if (o == k)
			return 1;
		uint32_t type, len;
		memcpy(&type, b + o, 4);
		if (type == 0x0A0D0D0A)
			big = b[o + 8] == 0x1A;
		memcpy(&len, b + o + 4, 4);
		if (big)
			len = __builtin_bswap32(len);
		o += len;
	}
	return k == n;
}

static void test_truncated_at_every_offset(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof captures / sizeof captures[0]; c++) {
		char name[64];
		snprintf(name, sizeof name, "%s.pcapng", captures[c]);
		size_t n;
		uint8_t *full = load(name, &n);
		struct result all = read_all(full, n, NULL);
		for (size_t k = 0; k <= n; k++) {
			uint8_t *cut = malloc(k ? k : 1);  /* its own allocation: ASan sees a read past k */
			memcpy(cut, full, k);
			struct result r = read_all(cut, k, NULL);
			free(cut);
			assert_true(r.packets <= all.packets);
			if (!r.opened)
				continue;  /* cut before the first interface: open fails */
			if (at_boundary(full, n, k)) {
				assert_int_equal(r.last, 0);
			} else {
				assert_int_equal(r.last, -1);
				assert_non_null(strstr(r.err, "truncated"));
			}
		}
		assert_int_equal(read_all(full, n, NULL).packets, all.packets);
		free(full);
	}
}

/* One packet, then a block of a bad length: the packet, then a one-line reason. */
static void test_bad_block_lengths(void **state)
{
	(void)state;
	static const uint32_t lengths[] = { 0, 4, 8, 11, 13, 14, 15, 0xFFFFFFFC, (16u << 20) + 4, 0xFFFFFFFF };
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		struct ng g = start();
		begin(&g, 5);          /* an ISB with a lying length */
		put32(&g, 0);
		put32(&g, 0);
		put32(&g, 0);
		size_t at = g.open_at;
		end(&g, 0);
		memcpy(g.b + at + 4, &lengths[i], 4);
		struct result r = read_all(g.b, g.n, NULL);
		assert_true(r.opened);
		assert_int_equal(r.packets, 1);
		assert_int_equal(r.last, -1);
		assert_null(strchr(r.err, '\n'));
		print_message("length %u: %s\n", lengths[i], r.err);
		free(g.b);
	}
	/* the trailing length differs from the leading one */
	struct ng g = start();
	epb(&g, 0, 1, NULL);
	g.b[g.n - 4] ^= 4;
	struct result r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.packets, 1);
	assert_int_equal(r.last, -1);
	assert_non_null(strstr(r.err, "at its end"));
	free(g.b);
	/* a section header shorter than its fixed fields: nothing to open */
	g = (struct ng){ 0 };
	begin(&g, 0x0A0D0D0A);
	put32(&g, 0x1A2B3C4D);
	put32(&g, 1);
	end(&g, 0);
	idb(&g, 1, 0, -1);
	r = read_all(g.b, g.n, NULL);
	assert_false(r.opened);
	free(g.b);
}

/* A captured length beyond its block is an error; options that overrun their
 * block lose only themselves. */
static void test_lengths_inside_blocks(void **state)
{
	(void)state;
	struct ng g = start();
	begin(&g, 6);
	put32(&g, 0);
	put32(&g, 0);
	put32(&g, 1);
	put32(&g, 1000);         /* captured 1000 in a 20-byte packet */
	put32(&g, 1000);
	put(&g, frame20, sizeof frame20);
	end(&g, 0);
	struct result r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.packets, 1);
	assert_int_equal(r.last, -1);
	assert_non_null(strstr(r.err, "captured 1000"));
	free(g.b);

	static const uint16_t optlens[] = { 5, 8, 9, 100, 0xFFFF };
	for (size_t i = 0; i < sizeof optlens / sizeof optlens[0]; i++) {
		g = start();
		begin(&g, 6);
		put32(&g, 0);
		put32(&g, 0);
		put32(&g, 2);
		put32(&g, sizeof frame20);
		put32(&g, sizeof frame20);
		put(&g, frame20, sizeof frame20);
		opt(&g, 1, "ok", 2);     /* a good comment, then one that runs past the block */
		put16(&g, 1);
		put16(&g, optlens[i]);
		put32(&g, 0x41414141);
		end(&g, 0);
		epb(&g, 0, 3, "after");
		r = read_all(g.b, g.n, NULL);
		assert_int_equal(r.last, 0);
		assert_int_equal(r.packets, 3);
		assert_int_equal(r.pkt[1].ncomments, 1);
		assert_string_equal(r.comment[1], "ok");
		assert_string_equal(r.comment[2], "after");
		free(g.b);
	}
	/* an interface whose options overrun: the defaults stand */
	g = (struct ng){ 0 };
	shb(&g);
	begin(&g, 1);
	put16(&g, 1);
	put16(&g, 0);
	put32(&g, 0);
	put16(&g, 9);
	put16(&g, 400);
	put32(&g, 9);
	end(&g, 0);
	epb(&g, 0, 1500000, NULL);
	r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.packets, 1);
	assert_int_equal(r.pkt[0].ts_ns, 1500000000);  /* microseconds */
	free(g.b);
	/* the smallest blocks of each packet kind: too short for their fields */
	static const uint32_t kinds[] = { 2, 3, 6, 1 };
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		g = start();
		begin(&g, kinds[i]);
		end(&g, 0);
		r = read_all(g.b, g.n, NULL);
		assert_int_equal(r.packets, 1);
		assert_int_equal(r.last, -1);
		free(g.b);
	}
}

static void test_interface_ids(void **state)
{
	(void)state;
	struct ng g = start();
	epb(&g, 1, 0, NULL);     /* one interface only */
	struct result r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.packets, 1);
	assert_int_equal(r.last, -1);
	assert_non_null(strstr(r.err, "interface 1 of a section with 1"));
	free(g.b);

	/* a packet before any interface */
	g = (struct ng){ 0 };
	shb(&g);
	begin(&g, 3);
	put32(&g, 20);
	put(&g, frame20, 20);
	end(&g, 0);
	r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.packets, 0);
	assert_int_equal(r.last, -1);
	free(g.b);

	/* the obsolete Packet Block's 16-bit interface */
	g = start();
	begin(&g, 2);
	put16(&g, 7);
	put16(&g, 0);
	put32(&g, 0);
	put32(&g, 0);
	put32(&g, 0);
	put32(&g, 0);
	end(&g, 0);
	r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.last, -1);
	assert_non_null(strstr(r.err, "interface 7"));
	free(g.b);

	/* 1024 interfaces are fine, the 1025th is one too many */
	for (unsigned count = WL_PCAPNG_MAX_IFACES; count <= WL_PCAPNG_MAX_IFACES + 1; count++) {
		g = (struct ng){ 0 };
		shb(&g);
		for (unsigned i = 0; i < count; i++)
			idb(&g, (uint16_t)(i % 2 ? 1 : 101), 0, -1);
		epb(&g, WL_PCAPNG_MAX_IFACES - 1, 0, NULL);
		r = read_all(g.b, g.n, NULL);
		if (count == WL_PCAPNG_MAX_IFACES) {
			assert_int_equal(r.last, 0);
			assert_int_equal(r.packets, 1);
			assert_int_equal(r.pkt[0].linktype, 1);
			assert_int_equal(r.pkt[0].interface_id, WL_PCAPNG_MAX_IFACES - 1);
		} else {
			assert_false(r.opened && r.last == 0);
			assert_non_null(strstr(r.err, "more than 1024 interfaces"));
		}
		free(g.b);
	}
}

static int64_t one_ts(int tsresol, uint64_t ts, const int64_t *offset)
{
	struct ng g = { 0 };
	shb(&g);
	begin(&g, 1);
	put16(&g, 101);
	put16(&g, 0);
	put32(&g, 0);
	uint8_t r8 = (uint8_t)tsresol;
	opt(&g, 9, &r8, 1);
	if (offset)
		opt(&g, 14, offset, 8);
	opt_end(&g);
	end(&g, 0);
	epb(&g, 0, ts, NULL);
	struct result r = read_all(g.b, g.n, NULL);
	free(g.b);
	if (r.packets != 1)
		return -1;
	return r.pkt[0].ts_ns;
}

static void test_timestamps(void **state)
{
	(void)state;
	assert_int_equal(one_ts(6, 1700000000123456ull, NULL), 1700000000123456000LL);
	assert_int_equal(one_ts(9, 1700000000123456789ull, NULL), 1700000000123456789LL);
	assert_int_equal(one_ts(3, 1700000000123ull, NULL), 1700000000123000000LL);
	assert_int_equal(one_ts(0, 1700000000ull, NULL), 1700000000000000000LL);
	/* picoseconds, floored */
	assert_int_equal(one_ts(12, 1000000000001ull, NULL), 1000000000LL);
	assert_int_equal(one_ts(12, 1999999999999ull, NULL), 1999999999LL);
	/* 2^-20 s: 1.5 s and one unit */
	assert_int_equal(one_ts(0x80 | 20, (1u << 20) + (1u << 19) + 1, NULL), 1500000953LL);
	/* the finest resolutions a 64-bit count can have, and one past them */
	assert_int_equal(one_ts(19, UINT64_MAX, NULL), 1844674407LL);
	assert_int_equal(one_ts(0x80 | 63, UINT64_MAX, NULL), 1999999999LL);
	assert_int_equal(one_ts(20, 1, NULL), -1);
	assert_int_equal(one_ts(0x80 | 64, 1, NULL), -1);
	assert_int_equal(one_ts(0xFF, 1, NULL), -1);
	/* offsets: added in seconds, kept within 1970 .. 2106 */
	int64_t off = 1000;
	assert_int_equal(one_ts(9, 5, &off), 1000000000005LL);
	off = -1000;
	assert_int_equal(one_ts(9, 5, &off), 0);
	off = INT64_MAX;
	assert_int_equal(one_ts(6, UINT64_MAX, &off), 4294967295LL * 1000000000LL + 999999999LL);
	off = INT64_MIN;
	assert_int_equal(one_ts(6, UINT64_MAX, &off), 0);
	/* a seconds count past 2106 */
	assert_int_equal(one_ts(0, UINT64_MAX, NULL), 4294967295LL * 1000000000LL + 999999999LL);
}

static void test_sections(void **state)
{
	(void)state;
	/* the second section has one interface: its packet on interface 1 is an error */
	struct ng g = { 0 };
	shb(&g);
	idb(&g, 1, 0, -1);
	idb(&g, 101, 0, -1);
	epb(&g, 1, 0, NULL);
	shb(&g);
	idb(&g, 101, 0, -1);
	epb(&g, 0, 0, NULL);
	epb(&g, 1, 0, NULL);
	struct result r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.packets, 2);
	assert_int_equal(r.pkt[0].linktype, 101);
	assert_int_equal(r.pkt[1].linktype, 101);
	assert_int_equal(r.last, -1);
	free(g.b);

	/* a second section with a bad byte-order magic, or of version 2 */
	for (int k = 0; k < 2; k++) {
		g = start();
		size_t at = g.n;
		shb(&g);
		if (k == 0)
			g.b[at + 8] = 0x99;
		else
			g.b[at + 12] = 2;
		epb(&g, 0, 0, NULL);
		r = read_all(g.b, g.n, NULL);
		assert_int_equal(r.packets, 1);
		assert_int_equal(r.last, -1);
		print_message("%s\n", r.err);
		free(g.b);
	}
}

/* NRB, ISB, custom, local-use and unknown blocks are stepped over. */
static void test_other_blocks_skipped(void **state)
{
	(void)state;
	static const uint32_t types[] = { 4, 5, 7, 8, 9, 0xBAD, 0x40000BAD, 0x80000001, 0x12345678, 0x0A0D0D0B };
	struct ng g = start();
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		begin(&g, types[i]);
		put32(&g, (uint32_t)i);
		end(&g, 0);
		epb(&g, 0, i, NULL);
	}
	struct result r = read_all(g.b, g.n, NULL);
	assert_int_equal(r.last, 0);
	assert_int_equal(r.packets, 1 + sizeof types / sizeof types[0]);
	free(g.b);
}

static void dsb(struct ng *g, uint32_t type, const char *s, uint32_t said)
{
	begin(g, 0x0A);
	put32(g, type);
	put32(g, said);
	put(g, s, strlen(s));
	end(g, 0);
}

static void test_tls_keylog(void **state)
{
	(void)state;
	struct ng g = start();
	dsb(&g, 0x544C534B, "CLIENT_RANDOM aa bb", 19);
	dsb(&g, 0x57474B4C, "a WireGuard key", 15);       /* another kind: not a TLS key log */
	dsb(&g, 0x544C534B, "CLIENT_RANDOM cc dd\n", 400); /* says more than it holds */
	dsb(&g, 0x544C534B, "SERVER_HANDSHAKE_TRAFFIC_SECRET ee ff\n", 38);
	epb(&g, 0, 1, NULL);
	char err[256];
	struct wl_source *s = wl_source_offline_mem(g.b, g.n, err, sizeof err);
	assert_non_null(s);
	struct wl_pkt p;
	while (wl_source_next(s, &p) == 1)
		;
	size_t len;
	const uint8_t *k = wl_source_tls_keylog(s, &len);
	const char want[] = "CLIENT_RANDOM aa bb\nSERVER_HANDSHAKE_TRAFFIC_SECRET ee ff\n";
	assert_int_equal(len, sizeof want - 1);
	assert_memory_equal(k, want, len);
	wl_source_close(s);
	free(g.b);
}

/* The TLS secrets a capture carries decrypt it, as tshark does: ldaps-dsb is
 * pcaps/ldaps.pcap with its key log in a DSB (editcap --inject-secrets
 * tls,pcaps/ldaps.keylog pcaps/ldaps.pcap). The LDAP messages inside TLS are
 * those tshark shows with -d tcp.port==636,tls (its frames and protocolOps,
 * the same bytes), and the trace is the one --keylog gives. */
static void test_keylog_from_dsb(void **state)
{
	(void)state;
	static char out[1 << 16], with_file[1 << 16];
	const char *cap = WL_SOURCE_DIR "/tests/data/pcapng/ldaps-dsb.pcapng";
	const char *a1[] = { "read", "-r", cap, "-Y", "ldap", "-T", "fields", "-e", "frame.number",
			     "-e", "ldap.protocolOp" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, 11, a1), 0);
	assert_string_equal(out, "10\t0\n13\t1\n15\t3\n16\t4,5\n17\t2\n");
	const char *a2[] = { "read", "-r", cap, "-T", "ladder" };
	const char *a3[] = { "read", "-r", WL_SOURCE_DIR "/pcaps/ldaps.pcap", "--keylog",
			     WL_SOURCE_DIR "/pcaps/ldaps.keylog", "-T", "ladder" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, 5, a2), 0);
	assert_int_equal(wlt_run_cmd(wl_cmd_read, with_file, sizeof with_file, 7, a3), 0);
	assert_string_equal(out, with_file);
	assert_non_null(strstr(out, "bindRequest"));
}

static void test_filter_per_link_type(void **state)
{
	(void)state;
	size_t n;
	uint8_t *b = load("multi-link.pcapng", &n);
	struct result r = read_all(b, n, "udp");
	assert_int_equal(r.last, 0);
	assert_int_equal(r.packets, 3);
	assert_int_equal(r.pkt[0].linktype, 1);
	assert_int_equal(r.pkt[1].linktype, 101);
	assert_int_equal(r.pkt[2].linktype, 1);
	r = read_all(b, n, "tcp");
	assert_int_equal(r.packets, 3);
	assert_int_equal(r.pkt[0].linktype, 113);
	assert_int_equal(r.pkt[2].linktype, 101);
	/* compiles for Ethernet only: the other interfaces' packets never match */
	r = read_all(b, n, "ether src 02:00:00:00:00:01");
	assert_int_equal(r.packets, 2);
	r = read_all(b, n, "tcp port");
	assert_false(r.opened);
	assert_non_null(strstr(r.err, "bad filter 'tcp port'"));
	free(b);
}

/* `-r -`: a pipe cannot seek back to the start libpcap wants (pcap), and
 * the pcapng reader takes over the bytes already read. In a child, whose stdin it is. */
static int piped_count(const uint8_t *d, size_t n)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[1]);
		dup2(fds[0], 0);
		char err[256];
		struct wl_source *s = wl_source_offline("-", err, sizeof err);
		if (!s)
			_exit(100);
		struct wl_pkt p;
		int k = 0, r;
		while ((r = wl_source_next(s, &p)) == 1)
			k++;
		wl_source_close(s);
		_exit(r == 0 ? k : 101);
	}
	close(fds[0]);
	assert_int_equal(write(fds[1], d, n), (ssize_t)n);
	close(fds[1]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_read_from_a_pipe(void **state)
{
	(void)state;
	size_t n;
	uint8_t *b = load("multi-link.pcapng", &n);
	assert_int_equal(piped_count(b, n), 6);
	free(b);
	char path[512];
	snprintf(path, sizeof path, "%s/pcaps/dns.pcap", WL_SOURCE_DIR);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static uint8_t pcap[1 << 20];
	n = fread(pcap, 1, sizeof pcap, f);
	fclose(f);
	char err[256];
	struct wl_source *s = wl_source_offline(path, err, sizeof err);
	assert_non_null(s);
	struct wl_pkt p;
	int want = 0;
	while (wl_source_next(s, &p) == 1)
		want++;
	wl_source_close(s);
	assert_int_equal(piped_count(pcap, n), want);
	/* fewer bytes than a magic number: libpcap's own error, not a crash */
	assert_int_equal(piped_count((const uint8_t *)"\x0a\x0d", 2), 100);
}

/* A pcap file has one link type: the writer refuses a packet of another. */
static void test_writer_one_link_type(void **state)
{
	(void)state;
	char path[] = "/tmp/wl-test-pcapng-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char err[256];
	struct wl_writer *w = wl_writer_open(path, 1, 0, err, sizeof err);
	assert_non_null(w);
	uint8_t eth[60] = { 0 };
	struct wl_pkt p = { .caplen = sizeof eth, .len = sizeof eth, .data = eth, .linktype = 1 };
	assert_int_equal(wl_writer_write(w, &p), 0);
	p.linktype = 101;
	assert_int_equal(wl_writer_write(w, &p), -1);
	p.linktype = 1;
	assert_int_equal(wl_writer_write(w, &p), -1);  /* and nothing after it */
	assert_int_equal(wl_writer_close(w, err, sizeof err), -1);
	assert_non_null(strstr(err, "packet 2 has link type 101"));
	struct wl_source *s = wl_source_offline(path, err, sizeof err);
	assert_non_null(s);
	int k = 0;
	while (wl_source_next(s, &p) == 1)
		k++;
	assert_int_equal(k, 1);
	wl_source_close(s);
	unlink(path);
}

/* frame.interface_id and frame.comment on the frame's first message only,
 * and only when asked (several interfaces, or a comment). */
static void test_engine_frame_fields(void **state)
{
	(void)state;
	struct wlt t;
	wlt_init(&t, NULL);
	/* IPv4/UDP 10.0.0.1:5000 -> 10.0.0.2:53 with a few payload bytes */
	static const uint8_t pkt[] = { 0x45, 0, 0, 32, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
				       0x13, 0x88, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4 };
	struct wl_frame_comment c[2] = { { "one", 3 }, { "two\"", 4 } };
	struct wl_frame f = { .linktype = 101, .ts_ns = 1, .data = pkt, .caplen = sizeof pkt,
			      .len = sizeof pkt, .interface_id = 3, .show_interface = 1,
			      .ncomments = 2, .comments = c };
	wl_engine_frame(t.e, &f);
	f.show_interface = 0;
	f.ncomments = 0;
	wl_engine_frame(t.e, &f);
	f.ncomments = 1;
	wl_engine_frame(t.e, &f);
	wlt_finish(&t);
	unsigned seen = 0;
	for (size_t i = 0; i < t.n; i++) {
		const struct wlt_msg *m = &t.msgs[i];
		int first = i == 0 || t.msgs[i - 1].frame != m->frame;
		const char *id = wlt_field(m, "frame.interface_id", 0);
		if (m->frame == 1 && first) {
			assert_string_equal(id, "3");
			assert_string_equal(wlt_field(m, "frame.comment", 0), "one");
			assert_non_null(wlt_field(m, "frame.comment", 1));
			seen++;
		} else if (m->frame == 3 && first) {
			assert_null(id);
			assert_string_equal(wlt_field(m, "frame.comment", 0), "one");
			seen++;
		} else {
			assert_null(id);
			assert_null(wlt_field(m, "frame.comment", 0));
		}
	}
	assert_int_equal(seen, 2);
	wlt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captures_as_tshark),
		cmocka_unit_test(test_truncated_at_every_offset),
		cmocka_unit_test(test_bad_block_lengths),
		cmocka_unit_test(test_lengths_inside_blocks),
		cmocka_unit_test(test_interface_ids),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_other_blocks_skipped),
		cmocka_unit_test(test_tls_keylog),
		cmocka_unit_test(test_filter_per_link_type),
		cmocka_unit_test(test_keylog_from_dsb),
		cmocka_unit_test(test_read_from_a_pipe),
		cmocka_unit_test(test_writer_one_link_type),
		cmocka_unit_test(test_engine_frame_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
