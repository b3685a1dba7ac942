/* ntp_priv.c - NTP private messages (mode 7): ntpd's own query protocol,
 * what ntpdc speaks (ntpd's ntp_request.h). Long deprecated in favour of
 * mode 6 (ntpq), and remembered for monlist: a small MON_GETLIST request
 * answered with up to 600 client addresses, the NTP amplification attacks of 2013-14.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |R|M| VN  | Mode|A|  Sequence   | Implementation|   Req Code    |
 *   |  Err  | Number of data items  |  MBZ  |   Size of data item   |
 *   |        items (at most 500 bytes), key id + MAC if A            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The items of the answers ntpdc asks most are decoded field by field with
 * Wireshark's names (packet-ntp.c), for implementation 3 (XNTPD) only, as
 * tshark does: the header's item count and size, then the items.
 */
#include <stddef.h>
#include <stdint.h>

#include "ntp_priv.h"

#define IMPL_XNTPD 3

enum {
	REQ_PEER_LIST = 0, REQ_PEER_LIST_SUM = 1, REQ_LOOP_INFO = 8, REQ_MON_GETLIST = 20,
	REQ_AUTHINFO = 28, REQ_GET_KERNEL = 38, REQ_MON_GETLIST_1 = 42,
};

/* ntp_request.h's request codes */
static const struct wl_tok priv_reqs[] = {
	{ 0, "PEER_LIST" }, { 1, "PEER_LIST_SUM" }, { 2, "PEER_INFO" }, { 3, "PEER_STATS" },
	{ 4, "SYS_INFO" }, { 5, "SYS_STATS" }, { 6, "IO_STATS" }, { 7, "MEM_STATS" },
	{ 8, "LOOP_INFO" }, { 9, "TIMER_STATS" }, { 10, "CONFIG" }, { 11, "UNCONFIG" },
	{ 12, "SET_SYS_FLAG" }, { 13, "CLR_SYS_FLAG" }, { 14, "MONITOR" }, { 15, "NOMONITOR" },
	{ 16, "GET_RESTRICT" }, { 17, "RESADDFLAGS" }, { 18, "RESSUBFLAGS" }, { 19, "UNRESTRICT" },
	{ 20, "MON_GETLIST" }, { 21, "RESET_STATS" }, { 22, "RESET_PEER" }, { 23, "REREAD_KEYS" },
	{ 26, "TRUSTKEY" }, { 27, "UNTRUSTKEY" }, { 28, "AUTHINFO" }, { 29, "TRAPS" },
	{ 30, "ADD_TRAP" }, { 31, "CLR_TRAP" }, { 32, "REQUEST_KEY" }, { 33, "CONTROL_KEY" },
	{ 34, "GET_CTLSTATS" }, { 36, "GET_CLOCKINFO" }, { 37, "SET_CLKFUDGE" }, { 38, "GET_KERNEL" },
	{ 39, "GET_CLKBUGINFO" }, { 42, "MON_GETLIST_1" }, { 43, "HOSTNAME_ASSOCID" },
	{ 0, NULL },
};

/* What a request asks, for the note. */
static const struct wl_tok priv_lessons[] = {
	{ REQ_PEER_LIST, "the server's associations (ntpdc listpeers): address, mode and flags of each" },
	{ REQ_PEER_LIST_SUM, "a summary of each association (ntpdc peers): stratum, poll, reach, delay, offset" },
	{ REQ_LOOP_INFO, "the clock discipline loop (ntpdc loopinfo): last offset, frequency, watchdog" },
	{ REQ_AUTHINFO, "the authentication counters (ntpdc authinfo): keys, lookups, MACs made and checked" },
	{ REQ_GET_KERNEL, "the kernel's time discipline (ntpdc kerninfo): the ntp_adjtime() variables" },
	{ 0, NULL },
};

/* How an item field is read and shown. */
enum kind {
	K_U8, K_I8, K_U16, K_U32, K_I32, K_U64, K_I64,
	K_X32,      /* unsigned, shown in hex (BASE_HEX) */
	K_IP4, K_IP6,
	K_RAW4,     /* 4 bytes shown as bytes (FT_BYTES) */
	K_PEER_FLAGS,
	K_V6_FLAG,  /* u32: nonzero when the IPv6 fields that follow are used */
};

struct fld {
	const char *name;
	uint8_t kind;
	uint8_t always;   /* shown without -v too (the fields wirelab always had) */
};

struct layout {
	uint8_t req;
	const char *item;          /* tshark's value of ntp.priv.mode7.item */
	const struct fld *f;
	const struct fld *v6;      /* read only when the v6 flag is set (monlist) */
};

#define M7 "ntp.priv.mode7."

static const struct fld peer_list[] = {      /* struct info_peer_list */
	{ M7 "address", K_IP4, 0 }, { M7 "port", K_U16, 0 }, { M7 "hmode", K_U8, 0 },
	{ M7 "peer.flags", K_PEER_FLAGS, 0 }, { M7 "ipv6_flag", K_U32, 0 }, { M7 "unused", K_RAW4, 0 },
	{ M7 "address6", K_IP6, 0 }, { NULL, 0, 0 },
};

static const struct fld peer_list_sum[] = {  /* struct info_peer_summary */
	{ M7 "dstaddress", K_IP4, 1 }, { M7 "srcaddress", K_IP4, 1 }, { M7 "srcport", K_U16, 1 },
	{ "ntp.stratum", K_U8, 1 }, { M7 "hpoll", K_I8, 1 }, { "ntp.ppoll", K_U8, 1 },
	{ M7 "reach", K_U8, 0 }, { M7 "peer.flags", K_PEER_FLAGS, 0 }, { M7 "hmode", K_U8, 0 },
	{ M7 "delay", K_I32, 0 },           /* s_fp, raw */
	{ M7 "offset", K_U64, 0 },          /* l_fp, raw (tshark: FT_UINT64) */
	{ M7 "dispersion", K_U32, 0 },      /* u_fp, raw */
	{ M7 "ipv6_flag", K_U32, 0 }, { M7 "unused", K_RAW4, 0 },
	{ M7 "dstaddress6", K_IP6, 0 }, { M7 "srcaddress6", K_IP6, 0 }, { NULL, 0, 0 },
};

static const struct fld loop_info[] = {      /* struct info_loop */
	{ M7 "last_offset", K_I64, 0 }, { M7 "drift_comp", K_I64, 0 },
	{ M7 "compliance", K_U32, 0 }, { M7 "watchdog_timer", K_U32, 0 }, { NULL, 0, 0 },
};

static const struct fld authinfo[] = {       /* struct info_auth */
	{ M7 "timereset", K_U32, 0 }, { M7 "numkeys", K_U32, 0 }, { M7 "numfreekeys", K_U32, 0 },
	{ M7 "keylookups", K_U32, 0 }, { M7 "keynotfound", K_U32, 0 }, { M7 "encryptions", K_U32, 0 },
	{ M7 "decryptions", K_U32, 0 }, { M7 "expired", K_U32, 0 }, { M7 "keyuncached", K_U32, 0 },
	{ NULL, 0, 0 },
};

static const struct fld kernel[] = {         /* struct info_kernel: ntp_adjtime()'s timex */
	{ M7 "kernel_offset", K_I32, 0 }, { M7 "freq", K_I32, 0 }, { M7 "maxerror", K_I32, 0 },
	{ M7 "esterror", K_I32, 0 }, { M7 "status", K_U16, 0 }, { M7 "shift", K_U16, 0 },
	{ M7 "constant", K_I32, 0 }, { M7 "precision", K_I32, 0 }, { M7 "tolerance", K_I32, 0 },
	{ M7 "ppsfreq", K_I32, 0 }, { M7 "jitter", K_I32, 0 }, { M7 "stabil", K_I32, 0 },
	{ M7 "jitcnt", K_I32, 0 }, { M7 "calcnt", K_I32, 0 }, { M7 "errcnt", K_I32, 0 },
	{ M7 "stbcnt", K_I32, 0 }, { NULL, 0, 0 },
};

#define ML "ntp.priv.monlist."

/* struct info_monitor (the first three are lasttime, firsttime, lastdrop
 * in ntpd; Wireshark's names are kept) */
static const struct fld monlist[] = {
	{ ML "avgint", K_U32, 0 }, { ML "lsint", K_U32, 0 }, { ML "restr", K_X32, 0 },
	{ ML "count", K_U32, 0 }, { ML "remote_address", K_IP4, 0 }, { ML "port", K_U16, 0 },
	{ ML "mode", K_U8, 0 }, { ML "version", K_U8, 0 }, { ML "ipv6", K_V6_FLAG, 0 },
	{ ML "unused", K_X32, 0 }, { NULL, 0, 0 },
};

static const struct fld monlist_1[] = {      /* struct info_monitor_1 */
	{ ML "avgint", K_U32, 0 }, { ML "lsint", K_U32, 0 }, { ML "restr", K_X32, 0 },
	{ ML "count", K_U32, 0 }, { ML "remote_address", K_IP4, 0 }, { ML "local_address", K_IP4, 0 },
	{ ML "flags", K_X32, 0 }, { ML "port", K_U16, 0 }, { ML "mode", K_U8, 0 },
	{ ML "version", K_U8, 0 }, { ML "ipv6", K_V6_FLAG, 0 }, { ML "unused", K_X32, 0 },
	{ NULL, 0, 0 },
};

static const struct fld monlist_v6[] = { { ML "addr6", K_IP6, 0 }, { NULL, 0, 0 } };
static const struct fld monlist_1_v6[] = { { ML "addr6", K_IP6, 0 }, { ML "daddr6", K_IP6, 0 }, { NULL, 0, 0 } };

static const struct layout layouts[] = {
	{ REQ_PEER_LIST, "", peer_list, NULL },
	{ REQ_PEER_LIST_SUM, "", peer_list_sum, NULL },
	{ REQ_LOOP_INFO, "", loop_info, NULL },
	{ REQ_AUTHINFO, "", authinfo, NULL },
	{ REQ_GET_KERNEL, "", kernel, NULL },
	{ REQ_MON_GETLIST, "Monlist Item", monlist, monlist_v6 },
	{ REQ_MON_GETLIST_1, "Monlist Item", monlist_1, monlist_1_v6 },
};

static const struct layout *layout_of(uint8_t req)
{
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (layouts[i].req == req)
			return &layouts[i];
	return NULL;
}

static size_t width(enum kind k)
{
	switch (k) {
	case K_U8: case K_I8: case K_PEER_FLAGS: return 1;
	case K_U16: return 2;
	case K_U64: case K_I64: return 8;
	case K_IP6: return 16;
	default: return 4;
	}
}

static size_t layout_size(const struct fld *f)
{
	size_t n = 0;
	for (; f->name; f++)
		n += width((enum kind)f->kind);
	return n;
}

static void peer_flags(struct wl_msg *m, uint8_t v)
{
	static const char *const bits[8] = {
		M7 "peer.flags.config", M7 "peer.flags.syspeer", M7 "peer.flags.burst",
		M7 "peer.flags.refclock", M7 "peer.flags.prefer", M7 "peer.flags.authenable",
		M7 "peer.flags.sel_candidate", M7 "peer.flags.shortlist",
	};
	wl_f_hex(m, M7 "peer.flags", v);
	for (unsigned i = 0; i < 8; i++)
		wl_f_bool(m, bits[i], v >> i & 1);
}

/* One field of an item; *v6 gets a v6 flag's value. */
static void field(struct wl_msg *m, struct wl_cur *it, const struct fld *f, uint32_t *v6)
{
	const uint8_t *p;
	switch ((enum kind)f->kind) {
	case K_U8: wl_f_uint(m, f->name, wl_u8(it)); break;
	case K_I8: wl_f_int(m, f->name, (int8_t)wl_u8(it)); break;
	case K_U16: wl_f_uint(m, f->name, wl_be16(it)); break;
	case K_U32: wl_f_uint(m, f->name, wl_be32(it)); break;
	case K_I32: wl_f_int(m, f->name, (int32_t)wl_be32(it)); break;
	case K_U64: wl_f_uint(m, f->name, wl_be64(it)); break;
	case K_I64: wl_f_int(m, f->name, (int64_t)wl_be64(it)); break;
	case K_X32: wl_f_hex(m, f->name, wl_be32(it)); break;
	case K_V6_FLAG:
		*v6 = wl_be32(it);
		wl_f_hex(m, f->name, *v6);
		break;
	case K_IP4:
		if ((p = wl_bytes(it, 4)) != NULL)
			wl_f_ipv4(m, f->name, p);
		break;
	case K_IP6:
		if ((p = wl_bytes(it, 16)) != NULL)
			wl_f_ipv6(m, f->name, p);
		break;
	case K_RAW4:
		if ((p = wl_bytes(it, 4)) != NULL)
			wl_f_bytes(m, f->name, p, 4);
		break;
	case K_PEER_FLAGS: peer_flags(m, wl_u8(it)); break;
	}
}

/* The fields of one item that fit in it: an item shorter than the layout
 * (older ntpd sent items without the IPv6 part) ends early. tshark reads on
 * into the next item's bytes there; wirelab does not. */
static void fields(struct wl_msg *m, struct wl_cur *it, const struct fld *f, int verbose, uint32_t *v6)
{
	for (; f->name; f++) {
		if (wl_left(it) < width((enum kind)f->kind))
			return;
		if (verbose || f->always)
			field(m, it, f, v6);
		else
			wl_skip(it, width((enum kind)f->kind));
	}
}

static void items(struct wl_msg *m, struct wl_cur *c, const struct layout *l, unsigned n,
		  unsigned size, int verbose)
{
	if (!n)
		return;
	if (!size) {
		wl_note(m, WL_ERROR, "malformed: %u items of size 0", n);
		return;
	}
	size_t need = l ? layout_size(l->f) : 0;
	if (l && size < need)
		wl_note(m, WL_INFO, "items of %u bytes, shorter than the %zu of this ntpd's layout: the fields that fit are shown",
			size, need);
	for (unsigned i = 0; i < n; i++) {
		if (wl_left(c) < size) {
			wl_note(m, WL_ERROR, "malformed: item %u of %u (%u bytes) runs past the packet (%zu bytes left)",
				i + 1, n, size, wl_left(c));
			wl_skip(c, wl_left(c));
			return;
		}
		struct wl_cur it = wl_sub(c, size);
		if (verbose)
			wl_f_cstr(m, "ntp.priv.mode7.item", l ? l->item : "");
		if (!l)
			continue;
		uint32_t v6 = 0;
		fields(m, &it, l->f, verbose, &v6);
		if (v6 && l->v6)
			fields(m, &it, l->v6, verbose, &v6);
	}
}

void ntp_private(struct wl_msg *m, struct wl_cur *c, uint8_t flags, int verbose)
{
	uint8_t as = wl_u8(c), impl = wl_u8(c), req = wl_u8(c);
	uint16_t e_n = wl_be16(c), m_s = wl_be16(c);
	if (verbose)
		wl_f_hex(m, "ntp.flags", flags);
	wl_f_uint(m, "ntp.flags.vn", flags >> 3 & 7);
	wl_f_uint(m, "ntp.flags.mode", flags & 7);
	if (!wl_ok(c)) {
		wl_msg_text(m, "NTP private, cut short");
		wl_note_cursor(m, c, "NTP mode 7 header (8 bytes)");
		return;
	}
	int resp = flags >> 7;
	unsigned n = e_n & 0xFFF, size = m_s & 0xFFF;
	wl_f_uint(m, "ntp.priv.flags.r", resp);
	wl_f_uint(m, "ntp.priv.flags.more", flags >> 6 & 1);
	if (verbose)
		wl_f_uint(m, "ntp.priv.auth_seq", as);
	wl_f_uint(m, "ntp.priv.auth", as >> 7);
	wl_f_uint(m, "ntp.priv.seq", as & 0x7F);
	wl_f_uint(m, "ntp.priv.impl", impl);
	wl_f_uint(m, "ntp.priv.reqcode", req);
	const char *rn = wl_tok(priv_reqs, req, "request");
	if (impl == IMPL_XNTPD) {
		wl_f_uint(m, "ntp.priv.err", e_n >> 12);
		wl_f_uint(m, "ntp.priv.numitems", n);
		if (verbose)
			wl_f_hex(m, "ntp.priv.reserved", m_s >> 12);
		wl_f_uint(m, "ntp.priv.itemsize", size);
		items(m, c, layout_of(req), n, size, verbose);
	} else {
		wl_note(m, WL_INFO, "implementation %u, not ntpd's (3, XNTPD): its items are not decoded", impl);
	}
	wl_skip(c, wl_left(c));  /* the rest of the data area, key id and MAC */
	wl_msg_text(m, "NTP private %s: %s, %u item%s", resp ? "response" : "request", rn, n, n == 1 ? "" : "s");
	wl_note(m, WL_INFO, "NTP mode 7 (ntpdc's private protocol): %s %s", rn, resp ? "answered" : "asked");
	const char *what = wl_tok(priv_lessons, req, NULL);
	if (what && !resp)
		wl_note(m, WL_INFO, "%s asks for %s", rn, what);
	if (req == REQ_MON_GETLIST || req == REQ_MON_GETLIST_1)
		wl_note(m, WL_WARN, "MON_GETLIST (ntpdc monlist): the last 600 clients of the server; a small "
			"spoofed request brings back up to 100 packets, the amplification of CVE-2013-5211 "
			"(ntpd 4.2.7p26 removed it; 'disable monitor' or 'restrict noquery' on older ones)");
}
