/* ntp.c - NTP and SNTP over UDP: the time packet with its four timestamps,
 * clock offset and round-trip delay of a matched request/response pair,
 * control (mode 6) and private (mode 7) messages, kiss-o'-death codes.
 *
 * RFC 5905 (NTPv4), RFC 4330 (SNTPv4), RFC 1305 (NTPv3, control messages in
 * appendix B), RFC 7822 (extension fields), ntpd's ntp_request.h (mode 7).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |LI | VN  |Mode |    Stratum    |     Poll      |   Precision   |
 *   |                          Root Delay  (16.16 s)                |
 *   |                       Root Dispersion (16.16 s)               |
 *   |                     Reference ID (4 bytes)                    |
 *   |                  Reference Timestamp (64 bits)                |
 *   |                   Origin Timestamp (64)     = client's T1     |
 *   |                   Receive Timestamp (64)    = server's T2     |
 *   |                   Transmit Timestamp (64)   = sender's T3     |
 *   |        extension fields (RFC 7822), key id + MAC (optional)   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Timestamps: 32 bits of seconds since 1900 and 32 bits of fraction; a seconds
 * value with the top bit clear is taken to be in era 1 (2036-2104), as RFC 4330
 * section 3 suggests and tshark does. An all-zero timestamp means "not set".
 * The client's receive time T4 is not in any packet: the capture time of the
 * response stands in for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wl.h"
#include "ntp_priv.h"

#define NTP_HDR 48
#define NTP_EPOCH_OFFSET 2208988800LL  /* 1900-01-01 to 1970-01-01, seconds */
#define PENDING 16
#define MAX_MAC 24                     /* key id + SHA-1 digest */

struct pending {
	uint8_t used;
	uint64_t xmt;            /* the request's transmit timestamp, raw */
	uint64_t frame;
	int64_t ns;              /* capture time of the request */
};

struct ntp_state {
	struct pending q[PENDING];
	unsigned next;
};

static const struct wl_tok modes[] = {
	{ 0, "reserved" }, { 1, "symmetric active" }, { 2, "symmetric passive" }, { 3, "client" },
	{ 4, "server" }, { 5, "broadcast" }, { 6, "control" }, { 7, "private" }, { 0, NULL },
};

static const struct wl_tok msg_types[] = {
	{ 0, "reserved" }, { 1, "symmetric-active" }, { 2, "symmetric-passive" }, { 3, "client" },
	{ 4, "server" }, { 5, "broadcast" }, { 6, "control" }, { 7, "private" }, { 0, NULL },
};

static const struct wl_tok leaps[] = {
	{ 0, "no warning" }, { 1, "last minute has 61 seconds" },
	{ 2, "last minute has 59 seconds" }, { 3, "clock unsynchronized" }, { 0, NULL },
};

/* RFC 5905 section 7.4: kiss codes, in the refid of a stratum-0 reply */
static const struct wl_tok kiss_codes[] = {
	{ 0x41435354, "ACST: the association belongs to a unicast server" },
	{ 0x41555448, "AUTH: server authentication failed" },
	{ 0x4155544F, "AUTO: autokey sequence failed" },
	{ 0x42435354, "BCST: the association belongs to a broadcast server" },
	{ 0x43525950, "CRYP: cryptographic authentication or identification failed" },
	{ 0x44454E59, "DENY: access denied by the server, stop sending" },
	{ 0x44524F50, "DROP: lost peer in symmetric mode" },
	{ 0x52535452, "RSTR: access denied due to local policy, stop sending" },
	{ 0x494E4954, "INIT: the association has not yet synchronized for the first time" },
	{ 0x4D435354, "MCST: the association belongs to a dynamically discovered server" },
	{ 0x4E4B4559, "NKEY: no key found" },
	{ 0x4E54534E, "NTSN: NTS negative acknowledgement" },
	{ 0x52415445, "RATE: rate exceeded, the client must slow down" },
	{ 0x524D4F54, "RMOT: alteration of the association from a remote host running ntpdc" },
	{ 0x53544550, "STEP: a step change in system time has occurred" },
	{ 0, NULL },
};

/* RFC 8915 (NTS) and RFC 7821 */
static const struct wl_tok ext_types[] = {
	{ 0x0104, "NTS unique identifier" }, { 0x0204, "NTS cookie" },
	{ 0x0304, "NTS cookie placeholder" }, { 0x0404, "NTS authenticator and encrypted fields" },
	{ 0x2005, "checksum complement" }, { 0, NULL },
};

static const struct wl_tok ctrl_ops[] = {
	{ 0, "unspecified" }, { 1, "read status" }, { 2, "read variables" }, { 3, "write variables" },
	{ 4, "read clock variables" }, { 5, "write clock variables" }, { 6, "set trap" },
	{ 7, "trap response" }, { 8, "configure" }, { 9, "save config" }, { 10, "read MRU" },
	{ 11, "read ordered list" }, { 12, "request nonce" }, { 31, "unset trap" },
	{ 0, NULL },
};

/* NTP timestamp to ns since 1970; 0 for the all-zero "not set" value. */
static int64_t ntp_ns(uint64_t ts)
{
	uint32_t sec = (uint32_t)(ts >> 32), frac = (uint32_t)ts;
	int64_t s = (int64_t)sec - NTP_EPOCH_OFFSET;
	if (!(sec & 0x80000000u))
		s += 4294967296LL;  /* era 1 */
	/* the fraction as tshark converts it, truncated to ns */
	int64_t ns = (int64_t)(1000000000.0 * ((double)frac / 4294967296.0));
	return s * 1000000000 + ns;
}

/* The proleptic Gregorian date of day z since 1970-01-01 (H. Hinnant's
 * civil_from_days): integers only, where gmtime_r and strftime cost
 * thousands of instructions a timestamp. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* v as exactly k decimal digits (v < 10^k) at p. */
static void put_digits(char *p, unsigned v, int k)
{
	while (k--) {
		p[k] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* The text gmtime_r and strftime made before, for a year of four digits
 * (every NTP era-0/1 time is): they remain for any other. */
static void fmt_time_libc(char *out, size_t n, time_t s, long frac)
{
	struct tm tm;
	if (!gmtime_r(&s, &tm)) {
		wl_snprintf(out, n, "?");
		return;
	}
	char day[16];
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	wl_snprintf(out, n, "%.10s %02d:%02d:%02d.%06ld", day, tm.tm_hour % 24, tm.tm_min % 60,
		 tm.tm_sec % 61, frac / 1000 % 1000000);
}

static void fmt_time(char *out, size_t n, int64_t ns)
{
	int64_t s = ns / 1000000000;
	long frac = (long)(ns % 1000000000);
	if (frac < 0) {
		frac += 1000000000;
		s--;
	}
	int64_t days = (s >= 0 ? s : s - 86399) / 86400, y;
	unsigned sod = (unsigned)(s - days * 86400), m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 1000 || y > 9999) {
		fmt_time_libc(out, n, (time_t)s, frac);
		return;
	}
	/* "YYYY-MM-DD hh:mm:ss.uuuuuu" digit by digit: a padded conversion of
	 * wl_snprintf writes its zeros one call each */
	char t[27];
	put_digits(t, (unsigned)y, 4);
	t[4] = '-';
	put_digits(t + 5, m, 2);
	t[7] = '-';
	put_digits(t + 8, d, 2);
	t[10] = ' ';
	put_digits(t + 11, sod / 3600, 2);
	t[13] = ':';
	put_digits(t + 14, sod / 60 % 60, 2);
	t[16] = ':';
	put_digits(t + 17, sod % 60, 2);
	t[19] = '.';
	put_digits(t + 20, (unsigned)(frac / 1000), 6);
	t[26] = '\0';
	wl_snprintf(out, n, "%s", t);
}

static double fixed16(uint32_t v) { return (double)v / 65536.0; }

/* The reference id as text: a kiss code or clock name at stratum 0/1, an
 * address above (an IPv4 server's address, or a hash of an IPv6 one). */
static void refid_text(char *out, size_t n, uint8_t stratum, const uint8_t r[4], int v6)
{
	/* by hand into t (one conversion a byte was most of this text's cost),
	 * then cut to n; its one caller gives 40 bytes, more than it needs */
	static const char hex[] = "0123456789abcdef";
	char t[24];
	size_t o = 0;
	if (stratum <= 1) {
		for (int i = 0; i < 4 && r[i]; i++) {
			if (r[i] >= 0x20 && r[i] < 0x7f) {
				t[o++] = (char)r[i];
			} else {
				t[o++] = '\\';
				t[o++] = 'x';
				t[o++] = hex[r[i] >> 4];
				t[o++] = hex[r[i] & 15];
			}
		}
		if (!o) {
			memcpy(t, "(none)", 6);
			o = 6;
		}
	} else if (v6) {
		memcpy(t, "hash ", 5);
		o = 5;
		for (int i = 0; i < 4; i++) {
			t[o++] = hex[r[i] >> 4];
			t[o++] = hex[r[i] & 15];
		}
	} else {
		for (int i = 0; i < 4; i++) {
			if (i)
				t[o++] = '.';
			if (r[i] >= 100)
				t[o++] = (char)('0' + r[i] / 100);
			if (r[i] >= 10)
				t[o++] = (char)('0' + r[i] / 10 % 10);
			t[o++] = (char)('0' + r[i] % 10);
		}
	}
	if (o > n - 1)
		o = n - 1;
	memcpy(out, t, o);
	out[o] = '\0';
}

/* tshark prints an all-zero timestamp as NULL: so do we (a string then) */
static void put_time(struct wl_msg *m, const char *name, uint64_t ts)
{
	if (ts)
		wl_f_time(m, name, ntp_ns(ts));
	else
		wl_f_cstr(m, name, "NULL");
}

/* ---- pairing: a server reply's origin timestamp is the request's transmit ---- */

static void remember(struct ntp_state *st, struct wl_ctx *ctx, uint64_t xmt)
{
	struct pending *q = &st->q[st->next++ % PENDING];
	q->used = 1;
	q->xmt = xmt;
	q->frame = wl_frame(ctx);
	q->ns = wl_time_ns(ctx);
}

static const struct pending *match(struct ntp_state *st, uint64_t org)
{
	for (unsigned i = 0; i < PENDING; i++)
		if (st->q[i].used && st->q[i].xmt == org)
			return &st->q[i];
	return NULL;
}

static void offset_delay(struct wl_ctx *ctx, struct wl_msg *m, const struct pending *q,
			 uint64_t org, uint64_t rec, uint64_t xmt)
{
	int64_t t1 = ntp_ns(org), t2 = ntp_ns(rec), t3 = ntp_ns(xmt), t4 = wl_time_ns(ctx);
	int from_capture = 0;
	int64_t skew = t1 - q->ns;
	if (skew < 0)
		skew = -skew;
	if (skew > 86400LL * 1000000000) {
		/* chrony sends a random transmit time to hide its clock */
		t1 = q->ns;
		from_capture = 1;
	}
	double theta = ((double)(t2 - t1) + (double)(t3 - t4)) / 2e9;
	double delta = ((double)(t4 - t1) - (double)(t3 - t2)) / 1e9;
	wl_f_uint(m, "wl.ntp.request_in", q->frame);
	wl_f_double(m, "wl.ntp.offset", theta);
	wl_f_double(m, "wl.ntp.delay", delta);
	wl_note(m, WL_INFO, "offset = ((T2 - T1) + (T3 - T4)) / 2 = %+.6f s; delay = (T4 - T1) - (T3 - T2) = %.6f s",
		theta, delta);
	wl_note(m, WL_INFO, "T1 %s (frame %llu), T4 = this frame's capture time",
		from_capture ? "is the request's capture time: its transmit timestamp is random (a client hiding its clock)"
			     : "= origin timestamp, echoed from the request", (unsigned long long)q->frame);
}

/* ---- the time packet (modes 1-5) ---- */

static void extensions(struct wl_msg *m, struct wl_cur *c)
{
	while (wl_left(c) > MAX_MAC) {
		uint16_t type = wl_be16(c), len = wl_be16(c);
		if (!wl_ok(c))
			return;
		if (len < 16 || len % 4) {
			wl_note(m, WL_ERROR, "malformed: extension field length %u (at least 16, a multiple of 4)", len);
			wl_skip(c, wl_left(c));
			return;
		}
		struct wl_cur v = wl_sub(c, len - 4u);
		if (!wl_ok(c)) {
			wl_note(m, WL_ERROR, "malformed: extension field of %u bytes runs past the packet", len);
			return;
		}
		wl_f_hex(m, "ntp.ext.type", type);
		const char *en = wl_tok(ext_types, type, NULL);
		wl_f_uint(m, "ntp.ext.length", len);
		size_t n = wl_left(&v);
		wl_f_bytes(m, "ntp.ext.value", wl_bytes(&v, n), n);
		wl_note(m, WL_INFO, "extension field 0x%04x%s%s, %u bytes", type, en ? ": " : "", en ? en : "", len);
	}
}

/* Extension fields, then the key id and MAC, as tshark splits them. */
static void trailer(struct wl_msg *m, struct wl_cur *c, uint8_t vn)
{
	if (vn == 4)  /* extension fields are NTPv4's (RFC 7822), as tshark reads them */
		extensions(m, c);
	size_t rest = wl_left(c);
	if (rest >= 4) {
		wl_f_bytes(m, "ntp.keyid", wl_bytes(c, 4), 4);
		rest -= 4;
		if (rest)
			wl_f_bytes(m, "ntp.mac", wl_bytes(c, rest), rest);
		if (rest == 16 || rest == 20)
			wl_note(m, WL_INFO, "authenticated with a %zu-byte MAC (symmetric key)", rest);
		else if (rest)
			wl_note(m, WL_WARN, "MAC of %zu bytes (16 or 20 expected)", rest);
	} else if (rest) {
		wl_note(m, WL_ERROR, "malformed: %zu stray bytes after the header", rest);
		wl_skip(c, rest);
	}

}

/* The 48-byte header of a time packet (modes 1-5). */
struct ntp_hdr {
	uint8_t li, vn, mode, stratum, poll;
	int8_t prec;
	uint32_t rdelay, rdisp;
	uint8_t refid[4];
	uint64_t ref, org, rec, xmt;
	char rt[40], tx[40];     /* refid and transmit time as text */
};

static void hdr_fields(struct wl_msg *m, const struct ntp_hdr *h)
{
	wl_f_uint(m, "ntp.stratum", h->stratum);
	wl_f_uint(m, "ntp.ppoll", h->poll);
	wl_f_uint(m, "ntp.precision", (uint8_t)h->prec);  /* tshark prints it unsigned */
	wl_f_uint(m, "ntp.rootdelay", h->rdelay);
	wl_f_uint(m, "ntp.rootdispersion", h->rdisp);
	wl_f_bytes(m, "ntp.refid", h->refid, 4);
	put_time(m, "ntp.reftime", h->ref);
	put_time(m, "ntp.org", h->org);
	put_time(m, "ntp.rec", h->rec);
	put_time(m, "ntp.xmt", h->xmt);
	wl_f_cstr(m, "wl.ntp.refid", h->rt);
}

/* A server's (or peer's) reply: who it is, its clock, and, paired with the
 * request, the offset and delay. */
static void reply(struct ntp_state *st, struct wl_ctx *ctx, struct wl_msg *m, const struct ntp_hdr *h)
{
	const char *mn = wl_tok(modes, h->mode, "?");
	if (h->stratum == 0 && h->mode != 5) {
		const uint8_t *r = h->refid;
		uint32_t code = (uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3];
		const char *k = wl_tok(kiss_codes, code, NULL);
		wl_msg_text(m, "NTPv%u %s: kiss-o'-death %s", h->vn, mn, h->rt);
		wl_note(m, WL_WARN, "kiss-o'-death (stratum 0): %s", k ? k : "unknown kiss code");
	} else {
		wl_msg_text(m, "NTPv%u %s, stratum %u, refid %s", h->vn, mn, h->stratum, h->rt);
		char rc[40];
		fmt_time(rc, sizeof rc, ntp_ns(h->rec));
		wl_note(m, WL_INFO, "NTP reply: received the request at T2 = %s, sent this at T3 = %s (server clock)",
			h->rec ? rc + 11 : "(not set)", h->tx + 11);
	}
	uint8_t sn = h->stratum;
	/* ntpd's 127.127.t.u refids name its own reference-clock drivers
	 * (127.127.1.x, LOCL: the undisciplined local clock, often fudged to
	 * stratum 10): such a server follows no network peer */
	int local = sn >= 2 && h->refid[0] == 127 && h->refid[1] == 127;
	wl_note(m, WL_INFO, "stratum %u (%s), precision 2^%d s, root delay %.6f s, root dispersion %.6f s, leap: %s",
		sn, sn == 0 ? "unspecified" : sn == 1 ? "primary, a reference clock" :
		sn >= 16 ? "unsynchronized" :
		local ? "set by configuration: its reference is a local clock, not a network peer" :
		"secondary, synchronized over the network",
		h->prec, fixed16(h->rdelay), fixed16(h->rdisp), wl_tok(leaps, h->li, "?"));
	if (local && sn < 16)
		wl_note(m, WL_INFO, "refid %s: %s (the ntpd 127.127.t.u convention), not a network peer", h->rt,
			h->refid[2] == 1 ? "the server's own local clock (LOCL driver), undisciplined" :
			"a local reference clock driver");
	const struct pending *q = h->org ? match(st, h->org) : NULL;
	if (q && h->rec && h->xmt)
		offset_delay(ctx, m, q, h->org, h->rec, h->xmt);
}

static void time_packet(struct ntp_state *st, struct wl_ctx *ctx, struct wl_msg *m,
			struct wl_cur *c, uint8_t flags, int v6)
{
	struct ntp_hdr h = { .li = flags >> 6, .vn = flags >> 3 & 7, .mode = flags & 7 };
	h.stratum = wl_u8(c);
	h.poll = wl_u8(c);
	h.prec = (int8_t)wl_u8(c);
	h.rdelay = wl_be32(c);
	h.rdisp = wl_be32(c);
	wl_copy(c, h.refid, 4);
	h.ref = wl_be64(c);
	h.org = wl_be64(c);
	h.rec = wl_be64(c);
	h.xmt = wl_be64(c);
	if (wl_opts(ctx)->verbose)
		wl_f_hex(m, "ntp.flags", flags);
	wl_f_uint(m, "ntp.flags.li", h.li);
	wl_f_uint(m, "ntp.flags.vn", h.vn);
	wl_f_uint(m, "ntp.flags.mode", h.mode);
	if (!wl_ok(c)) {
		wl_msg_text(m, "NTPv%u %s, cut short", h.vn, wl_tok(modes, h.mode, "?"));
		wl_note_cursor(m, c, "NTP packet (48 bytes of header)");
		return;
	}
	refid_text(h.rt, sizeof h.rt, h.stratum, h.refid, v6);
	fmt_time(h.tx, sizeof h.tx, ntp_ns(h.xmt));
	hdr_fields(m, &h);
	if (h.mode == 3 || h.mode == 1) {
		wl_msg_text(m, "NTPv%u %s, transmit %s", h.vn, wl_tok(modes, h.mode, "?"), h.xmt ? h.tx : "(not set)");
		wl_note(m, WL_INFO, "NTP request: the client stamps its clock into the transmit timestamp (T1); the server will echo it back");
		if (h.xmt)
			remember(st, ctx, h.xmt);
	} else if (h.mode == 4 || h.mode == 2 || h.mode == 5) {
		reply(st, ctx, m, &h);
	} else {
		wl_msg_text(m, "NTPv%u mode %u", h.vn, h.mode);
	}
	trailer(m, c, h.vn);
}

/* ---- control messages (mode 6, RFC 1305 appendix B) ---- */

/* A peer's status word: the association's configuration and reachability,
 * how the selection algorithm rated it, its last event. */
static void peer_status(struct wl_msg *m, uint16_t s)
{
	wl_f_bool(m, "ntp.ctrl.peer_status.config", s & 0x8000);
	wl_f_bool(m, "ntp.ctrl.peer_status.authenable", s & 0x4000);
	wl_f_bool(m, "ntp.ctrl.peer_status.authentic", s & 0x2000);
	wl_f_bool(m, "ntp.ctrl.peer_status.reach", s & 0x1000);
	wl_f_bool(m, "ntp.ctrl.peer_status.bcast", s & 0x0800);
	wl_f_uint(m, "ntp.ctrl.peer_status.selection", s >> 8 & 7);
	wl_f_uint(m, "ntp.ctrl.peer_status.count", s >> 4 & 0xF);
	wl_f_uint(m, "ntp.ctrl.peer_status.code", s & 0xF);
}

/* The bit fields of the header's status word, which depend on the opcode
 * and are meaningful in responses only (so tshark decodes them there). */
static void status_bits(struct wl_msg *m, uint8_t f2, uint16_t status, uint16_t assoc)
{
	if (!(f2 & 0x80))
		return;
	if (f2 & 0x40) {
		wl_f_uint(m, "ntp.ctrl.err_status", status >> 8);
		return;
	}
	switch (f2 & 0x1F) {
	case 1: case 2: case 3: case 7:  /* read status, read/write variables, trap */
		if (assoc) {
			peer_status(m, status);
			break;
		}
		wl_f_uint(m, "ntp.ctrl.sys_status.li", status >> 14);
		wl_f_uint(m, "ntp.ctrl.sys_status.clksrc", status >> 8 & 0x3F);
		wl_f_uint(m, "ntp.ctrl.sys_status.count", status >> 4 & 0xF);
		wl_f_uint(m, "ntp.ctrl.sys_status.code", status & 0xF);
		break;
	case 4: case 5:                  /* read/write clock variables */
		wl_f_uint(m, "ntp.ctrl.clock_status.status", status >> 8);
		wl_f_uint(m, "ntp.ctrl.clock_status.code", status & 0xFF);
		break;
	}
}

/* Wireshark's name for the data of an opcode whose data is one text. */
static const char *text_field(unsigned op)
{
	switch (op) {
	case 7: return "ntp.ctrl.trapmsg";
	case 8: case 9: return "ntp.ctrl.configuration";
	case 10: return "ntp.ctrl.mru";
	case 11: return "ntp.ctrl.ordlist";
	case 12: return "ntp.ctrl.nonce";
	default: return NULL;
	}
}

static void control(struct wl_msg *m, struct wl_cur *c, uint8_t flags, int verbose)
{
	uint8_t f2 = wl_u8(c);
	uint16_t seq = wl_be16(c), status = wl_be16(c), assoc = wl_be16(c), off = wl_be16(c), count = wl_be16(c);
	if (verbose)
		wl_f_hex(m, "ntp.flags", flags);
	wl_f_uint(m, "ntp.flags.li", flags >> 6);
	wl_f_uint(m, "ntp.flags.vn", flags >> 3 & 7);
	wl_f_uint(m, "ntp.flags.mode", flags & 7);
	if (!wl_ok(c)) {
		wl_msg_text(m, "NTP control, cut short");
		wl_note_cursor(m, c, "NTP control header (12 bytes)");
		return;
	}
	int resp = f2 >> 7;
	wl_f_hex(m, "ntp.ctrl.flags2", f2);
	wl_f_uint(m, "ntp.ctrl.flags2.r", resp);
	wl_f_uint(m, "ntp.ctrl.flags2.error", f2 >> 6 & 1);
	wl_f_uint(m, "ntp.ctrl.flags2.more", f2 >> 5 & 1);
	wl_f_uint(m, "ntp.ctrl.flags2.opcode", f2 & 0x1F);
	wl_f_uint(m, "ntp.ctrl.sequence", seq);
	wl_f_hex(m, "ntp.ctrl.status", status);
	if (verbose)
		status_bits(m, f2, status, assoc);
	wl_f_uint(m, "ntp.ctrl.associd", assoc);
	wl_f_uint(m, "ntp.ctrl.offset", off);
	wl_f_uint(m, "ntp.ctrl.count", count);
	const char *op = wl_tok(ctrl_ops, f2 & 0x1F, "unknown");
	struct wl_cur data = wl_sub(c, count);
	if (!wl_ok(c)) {
		wl_note(m, WL_ERROR, "malformed: control data count %u runs past the packet", count);
	}
	size_t n = wl_left(&data);
	if (resp && (f2 & 0x1F) == 1 && assoc == 0) {
		/* read status of the system: (association id, peer status) pairs */
		struct wl_cur pairs = data;
		while (wl_left(&pairs) >= 4) {
			wl_f_uint(m, "ntp.ctrl.associd", wl_be16(&pairs));
			uint16_t ps = wl_be16(&pairs);
			wl_f_hex(m, "ntp.ctrl.status", ps);
			if (verbose)
				peer_status(m, ps);
		}
	} else if (n) {
		const uint8_t *d = wl_bytes(&data, n);
		wl_f_str(m, "wl.ntp.ctrl.data", d, n);
		const char *tn = text_field(f2 & 0x1F);
		if (verbose && tn)
			wl_f_str(m, tn, d, n);
	}
	wl_skip(c, wl_left(c));  /* padding and authenticator */
	wl_msg_text(m, "NTP control %s: %s (seq %u)", resp ? "response" : "request", op, seq);
	wl_note(m, WL_INFO, "NTP control message (mode 6, what ntpq speaks): %s %s", op, resp ? "answered" : "asked");
	if (f2 & 0x40)
		wl_note(m, WL_WARN, "the server reports an error (status 0x%04x)", status);
}

/* ---- entry points ---- */

static void ntp_datagram(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	size_t len = wl_left(&c);
	uint8_t flags = wl_u8(&c);
	uint8_t mode = flags & 7;
	struct wl_msg *m = wl_msg_new(ctx, "ntp", !wl_ok(&c) ? "malformed" : wl_tok(msg_types, mode, "?"), dir);
	if (!wl_ok(&c)) {
		wl_msg_text(m, "empty NTP datagram");
		wl_note(m, WL_ERROR, "malformed: empty NTP datagram");
		return;
	}
	uint8_t addr[16];
	int v6 = wl_flow_addr(ctx, WL_S2C, addr) == 6;
	if (mode == 6)
		control(m, &c, flags, wl_opts(ctx)->verbose);
	else if (mode == 7)
		ntp_private(m, &c, flags, wl_opts(ctx)->verbose);
	else {
		if (len < NTP_HDR)
			wl_note(m, WL_ERROR, "malformed: %zu bytes, an NTP time packet has at least 48", len);
		time_packet(st, ctx, m, &c, flags, v6);
	}
}

static void *ntp_open(struct wl_ctx *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(struct ntp_state));
}

static void ntp_close(void *st, struct wl_ctx *ctx)
{
	(void)ctx;
	free(st);
}

static const uint16_t ntp_ports[] = { 123, 1123, 11123, 0 };  /* 11123: the lab chronyd */

static const struct wl_field_info ntp_fields_verbose[] = {
	{ "ntp.flags", WL_FT_HEX, "first byte: leap indicator, version, mode (-v)" },
	{ "ntp.ctrl.err_status", WL_FT_UINT, "control: error code of an error response (-v)" },
	{ "ntp.ctrl.sys_status.li", WL_FT_UINT, "control system status: leap indicator (-v)" },
	{ "ntp.ctrl.sys_status.clksrc", WL_FT_UINT, "control system status: clock source (-v)" },
	{ "ntp.ctrl.sys_status.count", WL_FT_UINT, "control system status: event counter (-v)" },
	{ "ntp.ctrl.sys_status.code", WL_FT_UINT, "control system status: last event code (-v)" },
	{ "ntp.ctrl.peer_status.config", WL_FT_BOOL, "control peer status: configured, not ephemeral (-v)" },
	{ "ntp.ctrl.peer_status.authenable", WL_FT_BOOL, "control peer status: authentication enabled (-v)" },
	{ "ntp.ctrl.peer_status.authentic", WL_FT_BOOL, "control peer status: authenticated (-v)" },
	{ "ntp.ctrl.peer_status.reach", WL_FT_BOOL, "control peer status: reachable (-v)" },
	{ "ntp.ctrl.peer_status.bcast", WL_FT_BOOL, "control peer status: broadcast association (-v)" },
	{ "ntp.ctrl.peer_status.selection", WL_FT_UINT, "control peer status: selection (6 system peer) (-v)" },
	{ "ntp.ctrl.peer_status.count", WL_FT_UINT, "control peer status: event counter (-v)" },
	{ "ntp.ctrl.peer_status.code", WL_FT_UINT, "control peer status: last event code (-v)" },
	{ "ntp.ctrl.clock_status.status", WL_FT_UINT, "control clock status: status (-v)" },
	{ "ntp.ctrl.clock_status.code", WL_FT_UINT, "control clock status: last event code (-v)" },
	{ "ntp.ctrl.trapmsg", WL_FT_STR, "control: the text of a trap message (-v)" },
	{ "ntp.ctrl.configuration", WL_FT_STR, "control: configuration commands (-v)" },
	{ "ntp.ctrl.mru", WL_FT_STR, "control: MRU list request or answer (-v)" },
	{ "ntp.ctrl.ordlist", WL_FT_STR, "control: ordered list request or answer (-v)" },
	{ "ntp.ctrl.nonce", WL_FT_STR, "control: nonce (-v)" },
	{ "ntp.priv.auth_seq", WL_FT_UINT, "mode 7: the auth bit and sequence byte (-v)" },
	{ "ntp.priv.reserved", WL_FT_HEX, "mode 7: the must-be-zero bits before the item size (-v)" },
	{ "ntp.priv.mode7.item", WL_FT_STR, "mode 7: one item (empty; \"Monlist Item\" for monlist, as tshark) (-v)" },
	{ "ntp.priv.mode7.address", WL_FT_IPV4, "mode 7 peer list: peer address (-v)" },
	{ "ntp.priv.mode7.port", WL_FT_UINT, "mode 7 peer list: peer port (-v)" },
	{ "ntp.priv.mode7.hmode", WL_FT_UINT, "mode 7 peer: host mode (3 client, 1 symmetric active) (-v)" },
	{ "ntp.priv.mode7.peer.flags", WL_FT_HEX, "mode 7 peer: flags (-v)" },
	{ "ntp.priv.mode7.peer.flags.config", WL_FT_BOOL, "mode 7 peer flag: configured (-v)" },
	{ "ntp.priv.mode7.peer.flags.syspeer", WL_FT_BOOL, "mode 7 peer flag: the system peer (-v)" },
	{ "ntp.priv.mode7.peer.flags.burst", WL_FT_BOOL, "mode 7 peer flag: burst (-v)" },
	{ "ntp.priv.mode7.peer.flags.refclock", WL_FT_BOOL, "mode 7 peer flag: a reference clock (-v)" },
	{ "ntp.priv.mode7.peer.flags.prefer", WL_FT_BOOL, "mode 7 peer flag: prefer (-v)" },
	{ "ntp.priv.mode7.peer.flags.authenable", WL_FT_BOOL, "mode 7 peer flag: authentication enabled (-v)" },
	{ "ntp.priv.mode7.peer.flags.sel_candidate", WL_FT_BOOL, "mode 7 peer flag: selection candidate (-v)" },
	{ "ntp.priv.mode7.peer.flags.shortlist", WL_FT_BOOL, "mode 7 peer flag: on the shortlist (-v)" },
	{ "ntp.priv.mode7.ipv6_flag", WL_FT_UINT, "mode 7 peer: nonzero when the IPv6 addresses are used (-v)" },
	{ "ntp.priv.mode7.unused", WL_FT_BYTES, "mode 7 peer: padding (-v)" },
	{ "ntp.priv.mode7.address6", WL_FT_IPV6, "mode 7 peer list: peer IPv6 address (-v)" },
	{ "ntp.priv.mode7.reach", WL_FT_UINT, "mode 7 peer summary: reachability register (-v)" },
	{ "ntp.priv.mode7.delay", WL_FT_INT, "mode 7 peer summary: delay, s_fp raw (-v)" },
	{ "ntp.priv.mode7.offset", WL_FT_UINT, "mode 7 peer summary: offset, l_fp raw (-v)" },
	{ "ntp.priv.mode7.dispersion", WL_FT_UINT, "mode 7 peer summary: dispersion, u_fp raw (-v)" },
	{ "ntp.priv.mode7.dstaddress6", WL_FT_IPV6, "mode 7 peer summary: local IPv6 address (-v)" },
	{ "ntp.priv.mode7.srcaddress6", WL_FT_IPV6, "mode 7 peer summary: peer IPv6 address (-v)" },
	{ "ntp.priv.mode7.last_offset", WL_FT_INT, "mode 7 loop info: last offset, l_fp raw (-v)" },
	{ "ntp.priv.mode7.drift_comp", WL_FT_INT, "mode 7 loop info: frequency, l_fp raw (-v)" },
	{ "ntp.priv.mode7.compliance", WL_FT_UINT, "mode 7 loop info: compliance (-v)" },
	{ "ntp.priv.mode7.watchdog_timer", WL_FT_UINT, "mode 7 loop info: watchdog timer, s (-v)" },
	{ "ntp.priv.mode7.timereset", WL_FT_UINT, "mode 7 authinfo: seconds since the counters were reset (-v)" },
	{ "ntp.priv.mode7.numkeys", WL_FT_UINT, "mode 7 authinfo: keys (-v)" },
	{ "ntp.priv.mode7.numfreekeys", WL_FT_UINT, "mode 7 authinfo: free keys (-v)" },
	{ "ntp.priv.mode7.keylookups", WL_FT_UINT, "mode 7 authinfo: key lookups (-v)" },
	{ "ntp.priv.mode7.keynotfound", WL_FT_UINT, "mode 7 authinfo: keys not found (-v)" },
	{ "ntp.priv.mode7.encryptions", WL_FT_UINT, "mode 7 authinfo: MACs made (-v)" },
	{ "ntp.priv.mode7.decryptions", WL_FT_UINT, "mode 7 authinfo: MACs checked (-v)" },
	{ "ntp.priv.mode7.expired", WL_FT_UINT, "mode 7 authinfo: keys expired (-v)" },
	{ "ntp.priv.mode7.keyuncached", WL_FT_UINT, "mode 7 authinfo: keys uncached (-v)" },
	{ "ntp.priv.mode7.kernel_offset", WL_FT_INT, "mode 7 kernel: offset (-v)" },
	{ "ntp.priv.mode7.freq", WL_FT_INT, "mode 7 kernel: frequency (-v)" },
	{ "ntp.priv.mode7.maxerror", WL_FT_INT, "mode 7 kernel: maximum error (-v)" },
	{ "ntp.priv.mode7.esterror", WL_FT_INT, "mode 7 kernel: estimated error (-v)" },
	{ "ntp.priv.mode7.status", WL_FT_UINT, "mode 7 kernel: clock status bits (-v)" },
	{ "ntp.priv.mode7.shift", WL_FT_UINT, "mode 7 kernel: PPS interval, log2 s (-v)" },
	{ "ntp.priv.mode7.constant", WL_FT_INT, "mode 7 kernel: PLL time constant (-v)" },
	{ "ntp.priv.mode7.precision", WL_FT_INT, "mode 7 kernel: precision (-v)" },
	{ "ntp.priv.mode7.tolerance", WL_FT_INT, "mode 7 kernel: frequency tolerance (-v)" },
	{ "ntp.priv.mode7.ppsfreq", WL_FT_INT, "mode 7 kernel: PPS frequency (-v)" },
	{ "ntp.priv.mode7.jitter", WL_FT_INT, "mode 7 kernel: PPS jitter (-v)" },
	{ "ntp.priv.mode7.stabil", WL_FT_INT, "mode 7 kernel: PPS stability (-v)" },
	{ "ntp.priv.mode7.jitcnt", WL_FT_INT, "mode 7 kernel: PPS jitter limit exceeded (-v)" },
	{ "ntp.priv.mode7.calcnt", WL_FT_INT, "mode 7 kernel: PPS calibration intervals (-v)" },
	{ "ntp.priv.mode7.errcnt", WL_FT_INT, "mode 7 kernel: PPS calibration errors (-v)" },
	{ "ntp.priv.mode7.stbcnt", WL_FT_INT, "mode 7 kernel: PPS stability limit exceeded (-v)" },
	{ "ntp.priv.monlist.avgint", WL_FT_UINT, "mode 7 monlist entry: avgint (-v)" },
	{ "ntp.priv.monlist.lsint", WL_FT_UINT, "mode 7 monlist entry: lsint (-v)" },
	{ "ntp.priv.monlist.restr", WL_FT_HEX, "mode 7 monlist entry: restr (-v)" },
	{ "ntp.priv.monlist.count", WL_FT_UINT, "mode 7 monlist entry: count (-v)" },
	{ "ntp.priv.monlist.remote_address", WL_FT_IPV4, "mode 7 monlist entry: remote_address (-v)" },
	{ "ntp.priv.monlist.local_address", WL_FT_IPV4, "mode 7 monlist entry: local_address (-v)" },
	{ "ntp.priv.monlist.flags", WL_FT_HEX, "mode 7 monlist entry: flags (-v)" },
	{ "ntp.priv.monlist.port", WL_FT_UINT, "mode 7 monlist entry: port (-v)" },
	{ "ntp.priv.monlist.mode", WL_FT_UINT, "mode 7 monlist entry: mode (-v)" },
	{ "ntp.priv.monlist.version", WL_FT_UINT, "mode 7 monlist entry: version (-v)" },
	{ "ntp.priv.monlist.ipv6", WL_FT_HEX, "mode 7 monlist entry: ipv6 (-v)" },
	{ "ntp.priv.monlist.unused", WL_FT_HEX, "mode 7 monlist entry: unused (-v)" },
	{ "ntp.priv.monlist.addr6", WL_FT_IPV6, "mode 7 monlist entry: addr6 (-v)" },
	{ "ntp.priv.monlist.daddr6", WL_FT_IPV6, "mode 7 monlist entry: daddr6 (-v)" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info ntp_fields[] = {
	{ "ntp.flags.li", WL_FT_UINT, "leap indicator (3: unsynchronized)" },
	{ "ntp.flags.vn", WL_FT_UINT, "version" },
	{ "ntp.flags.mode", WL_FT_UINT, "mode: 3 client, 4 server, 6 control, 7 private" },
	{ "ntp.stratum", WL_FT_UINT, "stratum: 0 unspecified/kiss, 1 reference clock, 2-15 network" },
	{ "ntp.ppoll", WL_FT_UINT, "poll interval, log2 seconds" },
	{ "ntp.precision", WL_FT_UINT, "precision, log2 seconds, as an unsigned byte (tshark)" },
	{ "ntp.rootdelay", WL_FT_UINT, "root delay, 16.16 fixed-point seconds, raw" },
	{ "ntp.rootdispersion", WL_FT_UINT, "root dispersion, 16.16 fixed-point seconds, raw" },
	{ "ntp.refid", WL_FT_BYTES, "reference id" },
	{ "ntp.reftime", WL_FT_TIME, "reference timestamp (the string NULL when zero, as tshark)" },
	{ "ntp.org", WL_FT_TIME, "origin timestamp T1 (NULL when zero)" },
	{ "ntp.rec", WL_FT_TIME, "receive timestamp T2 (NULL when zero)" },
	{ "ntp.xmt", WL_FT_TIME, "transmit timestamp (NULL when zero)" },
	{ "ntp.ext.type", WL_FT_HEX, "extension field type" },
	{ "ntp.ext.length", WL_FT_UINT, "extension field length" },
	{ "ntp.ext.value", WL_FT_BYTES, "extension field value" },
	{ "ntp.keyid", WL_FT_BYTES, "key id of the MAC" },
	{ "ntp.mac", WL_FT_BYTES, "message authentication code" },
	{ "wl.ntp.request_in", WL_FT_UINT, "frame of the request a reply answers" },
	{ "ntp.ctrl.flags2", WL_FT_HEX, "control: R, E, M bits and opcode" },
	{ "ntp.ctrl.flags2.r", WL_FT_UINT, "control: response" },
	{ "ntp.ctrl.flags2.error", WL_FT_UINT, "control: error" },
	{ "ntp.ctrl.flags2.more", WL_FT_UINT, "control: more fragments" },
	{ "ntp.ctrl.flags2.opcode", WL_FT_UINT, "control: opcode" },
	{ "ntp.ctrl.sequence", WL_FT_UINT, "control: sequence" },
	{ "ntp.ctrl.status", WL_FT_HEX, "control: status word" },
	{ "ntp.ctrl.associd", WL_FT_UINT, "control: association id" },
	{ "ntp.ctrl.offset", WL_FT_UINT, "control: data offset" },
	{ "ntp.ctrl.count", WL_FT_UINT, "control: data count" },
	{ "ntp.priv.flags.r", WL_FT_UINT, "mode 7: response" },
	{ "ntp.priv.flags.more", WL_FT_UINT, "mode 7: more" },
	{ "ntp.priv.auth", WL_FT_UINT, "mode 7: authenticated" },
	{ "ntp.priv.seq", WL_FT_UINT, "mode 7: sequence" },
	{ "ntp.priv.impl", WL_FT_UINT, "mode 7: implementation" },
	{ "ntp.priv.reqcode", WL_FT_UINT, "mode 7: request code" },
	{ "ntp.priv.err", WL_FT_UINT, "mode 7: error" },
	{ "ntp.priv.numitems", WL_FT_UINT, "mode 7: number of items" },
	{ "ntp.priv.itemsize", WL_FT_UINT, "mode 7: item size" },
	{ "ntp.priv.mode7.dstaddress", WL_FT_IPV4, "mode 7 peer: local address" },
	{ "ntp.priv.mode7.srcaddress", WL_FT_IPV4, "mode 7 peer: peer address" },
	{ "ntp.priv.mode7.srcport", WL_FT_UINT, "mode 7 peer: port" },
	{ "ntp.priv.mode7.hpoll", WL_FT_INT, "mode 7 peer: host poll" },
	{ "wl.ntp.refid", WL_FT_STR, "reference id as text: kiss code or clock (stratum 0/1), address above" },
	{ "wl.ntp.offset", WL_FT_DOUBLE, "clock offset of a matched pair, seconds: ((T2-T1)+(T3-T4))/2" },
	{ "wl.ntp.delay", WL_FT_DOUBLE, "round-trip delay of a matched pair, seconds: (T4-T1)-(T3-T2)" },
	{ "wl.ntp.ctrl.data", WL_FT_STR, "control: the data (variables as text)" },
	{ NULL, 0, NULL },
};

const struct wl_dissector wl_dissector_ntp = {
	.name = "ntp",
	.desc = "Network Time Protocol (RFC 5905) and SNTP, control and private modes",
	.udp_ports = ntp_ports,
	.open = ntp_open,
	.datagram = ntp_datagram,
	.close = ntp_close,
	.fields = ntp_fields,
	.fields_verbose = ntp_fields_verbose,
};
