/* fuzz_dfilter.c - the display filter compiler and evaluator. The input is
 * a filter text; what compiles is evaluated on two hand-made frames (an FTP
 * PASS over TCP with its payload bytes, a DNS answer over UDP), so the
 * evaluator's slices, functions, arithmetic and regexes see hostile trees
 * too. A filter that does not compile must say why, on a few lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/query/qpriv.h"
#include "query.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

struct frame {
	struct wl_qmsg m[2];
	struct wl_field f[2][8];
	char pool[2][64];
	uint8_t bytes[80];
	struct wl_qframe q;
};

static void field(struct frame *fr, int mi, const char *name, uint8_t type, uint64_t v, const char *s,
		  uint32_t len)
{
	struct wl_qmsg *m = &fr->m[mi];
	struct wl_field *f = &fr->f[mi][m->nfields++];
	f->name = name;
	f->type = type;
	if (s) {
		uint32_t off = 0;
		for (unsigned i = 0; i + 1 < m->nfields; i++)
			if (fr->f[mi][i].type >= WL_FT_STR)
				off += fr->f[mi][i].len;
		memcpy(fr->pool[mi] + off, s, len);
		f->v.off = off;
		f->len = len;
	} else {
		f->v.u = v;
	}
}

static void make(struct frame *fr, const struct wl_qreg *reg, void *cache, int dns)
{
	memset(fr, 0, sizeof *fr);
	fr->q.reg = reg;
	fr->q.cache = cache;
	fr->q.msgs = fr->m;
	fr->q.nmsgs = 2;
	fr->q.fi = (struct wl_frame_info){ .frame = 9, .ts_ns = 1700000000000000000LL, .rel_ns = 12345,
					    .caplen = 66, .len = 66, .linktype = 1, .data = fr->bytes,
					    .tcp_stream = dns ? -1 : 0, .udp_stream = dns ? 0 : -1,
					    .payload_off = 54, .payload_len = 12 };
	fr->q.prev_shown_ns = -1;
	for (int i = 0; i < 2; i++) {
		fr->m[i].fields = fr->f[i];
		fr->m[i].pool = fr->pool[i];
		fr->m[i].flow_id = 1;
		fr->m[i].type = "x";
	}
	memcpy(fr->bytes + 54, "PASS x@y\r\n\xff\x00", 12);
	fr->m[0].proto = dns ? "udp" : "tcp";
	field(fr, 0, "ip.src", WL_FT_IPV4, 0, "\x0a\x00\x00\x01", 4);
	field(fr, 0, "ip.dst", WL_FT_IPV4, 0, "\x0a\x00\x00\x02", 4);
	field(fr, 0, dns ? "udp.srcport" : "tcp.srcport", WL_FT_UINT, 40000, NULL, 0);
	field(fr, 0, dns ? "udp.dstport" : "tcp.dstport", WL_FT_UINT, dns ? 53 : 21, NULL, 0);
	field(fr, 0, "tcp.flags.syn", WL_FT_BOOL, 0, NULL, 0);
	fr->m[1].proto = dns ? "dns" : "ftp";
	if (dns) {
		field(fr, 1, "dns.qry.name", WL_FT_STR, 0, "a.example", 9);
		field(fr, 1, "dns.a", WL_FT_IPV4, 0, "\x5d\xb8\xd8\x22", 4);
		field(fr, 1, "dns.a", WL_FT_IPV4, 0, "\x5d\xb8\xd8\x23", 4);
		field(fr, 1, "dns.id", WL_FT_HEX, 0x1234, NULL, 0);
	} else {
		field(fr, 1, "ftp.request.command", WL_FT_STR, 0, "PASS", 4);
		field(fr, 1, "ftp.request.arg", WL_FT_STR, 0, "x@y\xff", 4);
		field(fr, 1, "wl.ftp.request_frame", WL_FT_UINT, 3, NULL, 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct wl_qreg *reg;
	static void *cache;
	if (!reg) {
		reg = wl_qreg_new();
		cache = wl__name_cache_new();
		if (!reg || !cache)
			abort();
	}
	if (n > 8192)
		n = 8192;
	char *text = malloc(n + 1);
	if (!text)
		return 0;
	memcpy(text, d, n);
	text[n] = '\0';
	char err[2048];
	struct wl_dfilter *df = wl_dfilter_compile(reg, text, err, sizeof err);
	if (!df) {
		/* a reason, then the filter and the caret: three lines at most */
		size_t lines = 0;
		for (const char *p = err; *p; p++)
			lines += *p == '\n';
		if (!err[0] || lines > 2)
			abort();
	} else {
		struct frame fr;
		for (int dns = 0; dns < 2; dns++) {
			make(&fr, reg, cache, dns);
			wl_dfilter_match(df, &fr.q);
		}
		(void)wl_dfilter_protocols(df, 0);
		(void)wl_dfilter_protocols(df, 1);
		(void)wl_dfilter_below_apps(df);
		wl_dfilter_free(df);
	}
	free(text);
	return 0;
}
