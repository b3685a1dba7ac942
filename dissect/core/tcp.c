/* tcp.c - TCP (RFC 9293): header and options, the connection's life annotated
 * for teaching, tshark's sequence analysis (tcpan.c) and stream reassembly
 * per direction.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   |                        Sequence Number                        |
 *   |                    Acknowledgment Number                      |
 *   |  Data | Rsv |A|C|E|U|A|P|R|S|F|                               |
 *   | Offset|     |E|W|C|R|C|S|S|Y|I|            Window             |
 *   |           Checksum            |         Urgent Pointer        |
 *   |                    Options                    |    Padding    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reassembly: a retransmission or the overlapping part of a segment is
 * dropped here (first copy wins, as most stacks do); in-order bytes and
 * segments ahead of the next expected byte go to the direction's stream
 * (stream.c). Sequence numbers compare modulo 2^32 (RFC 1982); a segment more
 * than a window (2^30, RFC 7323) behind is new data after a capture gap, so a
 * transfer of many gigabytes with holes in its capture never stalls.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

enum { TH_FIN = 1, TH_SYN = 2, TH_RST = 4, TH_PSH = 8, TH_ACK = 16, TH_URG = 32, TH_ECE = 64,
       TH_CWR = 128, TH_AE = 256, TH_RES = 0xe00 };

/* flow->state for teaching notes */
enum { ST_NONE, ST_SYN, ST_SYNACK, ST_EST };

/* tcp.completeness bits (tshark's conversation completeness) */
enum { CPL_SYN = 1, CPL_SYNACK = 2, CPL_ACK = 4, CPL_DATA = 8, CPL_FIN = 16, CPL_RST = 32 };

#define MAX_SACK 4
#define WINDOW_MAX (1u << 30)

struct tcp_opts {
	int mss, wscale, sack_perm, ts;
	uint32_t tsval, tsecr;
	unsigned nsack;
	uint32_t sack_le[MAX_SACK], sack_re[MAX_SACK];
};

static void parse_options(struct wl_cur o, struct tcp_opts *t)
{
	memset(t, 0, sizeof *t);
	t->mss = t->wscale = -1;
	while (wl_left(&o)) {
		uint8_t kind = wl_u8(&o);
		if (kind == 0)
			break;
		if (kind == 1)
			continue;
		uint8_t len = wl_u8(&o);
		if (len < 2) {
			wl_invalid(&o);
			break;
		}
		struct wl_cur v = wl_sub(&o, len - 2u);
		switch (kind) {
		case 2: t->mss = wl_be16(&v); break;
		case 3: t->wscale = wl_u8(&v); break;
		case 4: t->sack_perm = 1; break;
		case 5:
			while (wl_left(&v) >= 8 && t->nsack < MAX_SACK) {
				t->sack_le[t->nsack] = wl_be32(&v);
				t->sack_re[t->nsack++] = wl_be32(&v);
			}
			break;
		case 8:
			t->ts = 1;
			t->tsval = wl_be32(&v);
			t->tsecr = wl_be32(&v);
			break;
		default: break;
		}
	}
}

/* ---- the segment ---- */

struct seg_info {
	uint16_t sport, dport, win, csum, urg;
	uint32_t seq, ack;
	uint16_t flags;           /* the 12 flag bits */
	uint32_t hlen, len;       /* header length; payload length on the wire */
	struct tcp_opts opt;
	struct wl_cur optc;       /* the options' bytes */
	uint8_t opts_cut;         /* the snapshot ends inside the options */
};

static const char *flag_name(uint16_t fl)
{
	switch (fl & (TH_SYN | TH_ACK | TH_FIN | TH_RST)) {
	case TH_SYN: return "SYN";
	case TH_SYN | TH_ACK: return "SYN-ACK";
	case TH_FIN | TH_ACK: return "FIN-ACK";
	case TH_FIN: return "FIN";
	case TH_RST: return "RST";
	case TH_RST | TH_ACK: return "RST-ACK";
	case TH_ACK: return "ACK";
	default: return "flags";
	}
}

static void rel_time(struct wl_msg *m, const char *name, int64_t ns)
{
	wl_f_double(m, name, (double)ns / 1e9);
}

/* tshark's tcp.flags.str: one letter per flag bit, "·" where it is clear */
static void flags_str(struct wl_msg *m, uint16_t fl)
{
	static const char letters[] = "RRRACEUAPRSF";
	static const char dot[] = "\xc2\xb7";
	char buf[12 * 2 + 1];
	size_t n = 0;
	for (int i = 0; i < 12; i++) {
		if (fl & (1u << (11 - i))) {
			buf[n++] = letters[i];
		} else {
			buf[n++] = dot[0];
			buf[n++] = dot[1];
		}
	}
	wl_f_str(m, "tcp.flags.str", buf, n);
}

/* Every option as tshark lists it: kind and length, then its values. */
static void option_fields(struct wl_msg *m, struct wl_cur o, uint32_t sack_base)
{
	if (!wl_left(&o))
		return;
	wl_f_bytes(m, "tcp.options", o.p, wl_left(&o));
	while (wl_left(&o)) {
		uint8_t kind = wl_u8(&o);
		wl_f_uint(m, "tcp.option_kind", kind);
		if (kind == 0 || kind == 1)
			continue;  /* tshark lists every EOL of the padding too */
		if (!wl_left(&o))
			break;
		uint8_t len = wl_u8(&o);
		wl_f_uint(m, "tcp.option_len", len);
		if (len < 2 || len - 2u > wl_left(&o))
			break;
		struct wl_cur v = wl_sub(&o, len - 2u);
		switch (kind) {
		case 2:
			if (len == 4)
				wl_f_uint(m, "tcp.options.mss_val", wl_be16(&v));
			break;
		case 3:
			if (len == 3) {
				uint8_t shift = wl_u8(&v);
				wl_f_uint(m, "tcp.options.wscale.shift", shift);
				wl_f_uint(m, "tcp.options.wscale.multiplier", 1u << (shift > 14 ? 14 : shift));
			}
			break;
		case 5: {
			unsigned n = 0;
			while (wl_left(&v) >= 8) {
				uint32_t le = wl_be32(&v), re = wl_be32(&v);
				wl_f_uint(m, "tcp.options.sack_le", le - sack_base);
				wl_f_uint(m, "tcp.options.sack_re", re - sack_base);
				n++;
			}
			wl_f_uint(m, "tcp.options.sack.count", n);
			break;
		}
		case 8:
			if (len == 10) {
				wl_f_uint(m, "tcp.options.timestamp.tsval", wl_be32(&v));
				wl_f_uint(m, "tcp.options.timestamp.tsecr", wl_be32(&v));
			}
			break;
		case 34:
			if (len == 2)
				wl_f_bool(m, "tcp.options.tfo.request", 1);
			else
				wl_f_bytes(m, "tcp.options.tfo.cookie", v.p, wl_left(&v));
			break;
		case 253:
		case 254:
			if (len >= 4) {
				uint16_t exid = wl_be16(&v);
				wl_f_hex(m, "tcp.options.experimental.exid", exid);
				if (exid == 0xf989 && len == 4)
					wl_f_bool(m, "tcp.options.tfo.request", 1);
				else if (exid == 0xf989)
					wl_f_bytes(m, "tcp.options.tfo.cookie", v.p, wl_left(&v));
			}
			break;
		default: break;
		}
	}
}

/* A D-SACK (RFC 2883): the first block below the ACK, or inside the second. */
static void dsack_fields(struct wl_msg *m, const struct seg_info *s, uint32_t base)
{
	const struct tcp_opts *o = &s->opt;
	if (!o->nsack)
		return;
	int d = ((s->flags & TH_ACK) && wl__seq_lt(o->sack_le[0], s->ack)) ||
		(o->nsack > 1 && !wl__seq_lt(o->sack_le[0], o->sack_le[1]) &&
		 !wl__seq_lt(o->sack_re[1], o->sack_re[0]));
	if (d) {
		wl_f_uint(m, "tcp.options.sack.dsack_le", o->sack_le[0] - base);
		wl_f_uint(m, "tcp.options.sack.dsack_re", o->sack_re[0] - base);
	}
}

struct seg_view {
	uint32_t rseq, rack, nxtseq;
	uint8_t completeness;
	int8_t scale;                 /* the flow's window scale, as tshark shows it */
	int64_t rel_ns, delta_ns;
	const uint8_t *payload;
	size_t captured;
};

/* tcp.ack as tshark 4.0 shows it: relative with the ACK flag; without it the
 * raw field (0 on a plain SYN, the stray value of a SYN or RST that has one). */
static uint32_t tshark_ack(const struct seg_info *s, const struct seg_view *v)
{
	return (s->flags & TH_ACK) ? v->rack : s->ack;
}

static void seg_fields(struct wl_ctx *ctx, struct wl_msg *m, const struct wl_flow *f,
		       const struct seg_info *s, const struct seg_view *v, const struct wl_tcp_ta *ta)
{
	if (m->secrets_only)
		return;   /* wl_opts.no_fields: a segment's header holds no secret */
	wl__ip_fields(ctx, m);
	if (!wl__want_proto(m, "tcp"))
		return;   /* wl_opts.want_field */
	wl_f_uint(m, "tcp.srcport", s->sport);
	wl_f_uint(m, "tcp.dstport", s->dport);
	if (!ctx->opts.verbose) {
		wl_f_uint(m, "tcp.seq", v->rseq);
		wl_f_uint(m, "tcp.seq_raw", s->seq);
		wl_f_uint(m, "tcp.ack", tshark_ack(s, v));
		wl_f_uint(m, "tcp.ack_raw", s->ack);
		wl_f_uint(m, "tcp.len", s->len);
		wl_f_hex(m, "tcp.flags", s->flags);
		wl_f_bool(m, "tcp.flags.syn", s->flags & TH_SYN);
		wl_f_bool(m, "tcp.flags.ack", s->flags & TH_ACK);
		wl_f_bool(m, "tcp.flags.fin", s->flags & TH_FIN);
		wl_f_bool(m, "tcp.flags.reset", s->flags & TH_RST);
		wl_f_uint(m, "tcp.window_size_value", s->win);
		if (s->opt.mss >= 0)
			wl_f_uint(m, "tcp.options.mss_val", (uint64_t)s->opt.mss);
		if (s->opt.wscale >= 0)
			wl_f_uint(m, "tcp.options.wscale.shift", (uint64_t)s->opt.wscale);
		if (s->opt.ts) {
			wl_f_uint(m, "tcp.options.timestamp.tsval", s->opt.tsval);
			wl_f_uint(m, "tcp.options.timestamp.tsecr", s->opt.tsecr);
		}
		return;
	}
	/* -v: all of tshark's, in its order */
	wl_f_uint(m, "tcp.port", s->sport);
	wl_f_uint(m, "tcp.port", s->dport);
	wl_f_uint(m, "tcp.stream", (uint64_t)f->conv.stream);
	wl_f_uint(m, "tcp.completeness", v->completeness);
	wl_f_uint(m, "tcp.len", s->len);
	wl_f_uint(m, "tcp.seq", v->rseq);
	wl_f_uint(m, "tcp.seq_raw", s->seq);
	wl_f_uint(m, "tcp.nxtseq", v->nxtseq);
	wl_f_uint(m, "tcp.ack", tshark_ack(s, v));
	wl_f_uint(m, "tcp.ack_raw", s->ack);
	wl_f_uint(m, "tcp.hdr_len", s->hlen);
	wl_f_hex(m, "tcp.flags", s->flags);
	wl_f_bool(m, "tcp.flags.res", s->flags & TH_RES);
	wl_f_bool(m, "tcp.flags.ae", s->flags & TH_AE);
	wl_f_bool(m, "tcp.flags.cwr", s->flags & TH_CWR);
	wl_f_bool(m, "tcp.flags.ece", s->flags & TH_ECE);
	wl_f_bool(m, "tcp.flags.urg", s->flags & TH_URG);
	wl_f_bool(m, "tcp.flags.ack", s->flags & TH_ACK);
	wl_f_bool(m, "tcp.flags.push", s->flags & TH_PSH);
	wl_f_bool(m, "tcp.flags.reset", s->flags & TH_RST);
	wl_f_bool(m, "tcp.flags.syn", s->flags & TH_SYN);
	wl_f_bool(m, "tcp.flags.fin", s->flags & TH_FIN);
	flags_str(m, s->flags);
	wl_f_uint(m, "tcp.window_size_value", s->win);
	if (s->flags & TH_SYN) {
		wl_f_uint(m, "tcp.window_size", s->win);  /* a SYN's window is never scaled */
	} else {
		wl_f_uint(m, "tcp.window_size", v->scale >= 0 ? (uint64_t)s->win << v->scale : s->win);
		wl_f_int(m, "tcp.window_size_scalefactor", v->scale >= 0 ? 1 << v->scale : v->scale);
	}
	wl_f_hex(m, "tcp.checksum", s->csum);
	wl_f_uint(m, "tcp.checksum.status", 2);  /* unverified, as tshark by default */
	wl_f_uint(m, "tcp.urgent_pointer", s->urg);
	uint32_t sack_base = f->conv.an[!m->dir].base_seq;
	option_fields(m, s->optc, sack_base);
	dsack_fields(m, s, sack_base);
	rel_time(m, "tcp.time_relative", v->rel_ns);
	rel_time(m, "tcp.time_delta", v->delta_ns);
	/* tshark's option dissection throws at the cut, before it shows the
	 * analysis (corpus malformed/heapoverflow-tcp_print.pcap) */
	if (!s->opts_cut)
		wl__tcpan_fields(m, &f->conv, ta);
	if (v->captured && (s->flags & TH_RST)) {
		/* RFC 1122 4.2.2.12: a RST may say why in text */
		struct wl_cur t = wl_cur_make(v->payload, v->captured);
		long nul = wl_find(&t, 0);
		wl_f_str(m, "tcp.reset_cause", v->payload, nul >= 0 ? (size_t)nul : v->captured);
	} else if (v->captured) {
		wl_f_bytes(m, "tcp.payload", v->payload, v->captured);
	}
}

static void seg_text(struct wl_msg *m, const struct seg_info *s, const struct seg_view *v,
		     uint32_t sack_base)
{
	/* built by hand: this runs for every segment */
	char buf[200];
	struct wl_sb b = { buf, 0, sizeof buf };
	buf[0] = '\0';
	wl__sb_str(&b, flag_name(s->flags));
	wl__sb_str(&b, " seq=");
	wl__sb_u64(&b, v->rseq);
	if (s->flags & TH_ACK) {
		wl__sb_str(&b, " ack=");
		wl__sb_u64(&b, v->rack);
	}
	wl__sb_str(&b, " win=");
	wl__sb_u64(&b, s->win);
	if (s->len) {
		wl__sb_str(&b, " len=");
		wl__sb_u64(&b, s->len);
	}
	if (s->opt.mss >= 0) {
		wl__sb_str(&b, " mss=");
		wl__sb_u64(&b, (uint64_t)s->opt.mss);
	}
	if (s->opt.wscale >= 0) {
		wl__sb_str(&b, " wscale=");
		wl__sb_u64(&b, (uint64_t)s->opt.wscale);
	}
	if (s->opt.sack_perm)
		wl__sb_str(&b, " sack_perm");
	/* the blocks the receiver holds beyond the ACK, in relative numbers */
	for (unsigned i = 0; i < s->opt.nsack; i++) {
		wl__sb_str(&b, i ? "," : " sack=");
		wl__sb_u64(&b, s->opt.sack_le[i] - sack_base);
		wl__sb_str(&b, "-");
		wl__sb_u64(&b, s->opt.sack_re[i] - sack_base);
	}
	wl__msg_text_raw(m, buf, b.n);
}

/* The teaching notes of the connection's life; returns 1 if the segment is
 * worth a line of its own in the ladder. */
static int lifecycle(struct wl_flow *f, int dir, const struct seg_info *s, struct wl_msg *m,
		     const struct wl_tcp_ta *ta)
{
	const char *who = dir == WL_C2S ? "client" : "server";
	uint16_t fl = s->flags;
	int resent = (ta->flags & (WL_TA_RETRANSMISSION | WL_TA_FAST_RETRANSMISSION |
				   WL_TA_SPURIOUS_RETRANSMISSION)) != 0;
	if (fl & TH_RST) {
		wl_note(m, WL_WARN, "connection reset (RST) by the %s: aborted, not closed with FIN", who);
		return 1;
	}
	if ((fl & (TH_SYN | TH_ACK)) == TH_SYN) {
		wl_note(m, WL_INFO, f->state >= ST_SYN ? "TCP handshake 1/3 again: SYN retransmitted"
						       : "TCP handshake 1/3: client asks to open a connection");
		f->state = ST_SYN;
		return 1;
	}
	if ((fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK)) {
		wl_note(m, WL_INFO, resent ? "TCP handshake 2/3 again: SYN-ACK retransmitted"
					   : "TCP handshake 2/3: server accepts and sends its own sequence number");
		f->state = ST_SYNACK;
		return 1;
	}
	if (fl & TH_FIN) {
		if (resent)
			wl_note(m, WL_INFO, "teardown: the %s's FIN again (its ACK has not come)", who);
		else
			wl_note(m, WL_INFO, "teardown: the %s has no more data to send (FIN)", who);
		return 1;
	}
	if (f->state == ST_SYNACK && dir == WL_C2S && (fl & TH_ACK)) {
		wl_note(m, WL_INFO, "TCP handshake 3/3: client confirms; the connection is established");
		f->state = ST_EST;
		return s->len == 0;
	}
	return 0;
}

/* The conversation's own bookkeeping before the analysis: times, the
 * handshake's RTT, what completeness tshark shows: the state before this
 * segment. A conversation new to tshark starts from its first segment alone
 * (a SYN, with data for TCP Fast Open; else nothing: a capture that starts
 * mid-stream counts no data); a SYN of another connection on the same ports
 * starts at SYN, shown already on it. Later segments add their kind; a bare
 * SYN adds nothing, FIN only with ACK. */
static void conv_track(struct wl_ctx *ctx, struct wl_flow *f, const struct seg_info *s,
		       struct seg_view *v, int reused)
{
	struct wl_conv *cv = &f->conv;
	if (!cv->seen) {
		cv->first_ns = cv->prev_ns = ctx->ts_ns;
		cv->seen = 1;
	}
	v->rel_ns = ctx->ts_ns - cv->first_ns;
	v->delta_ns = ctx->ts_ns - cv->prev_ns;
	cv->prev_ns = ctx->ts_ns;
	uint16_t fl = s->flags;
	/* the first bare ACK after a SYN ends the handshake: its time is the iRTT */
	if ((fl & (TH_SYN | TH_ACK)) == TH_ACK && cv->mru_syn_ns && !cv->first_rtt_ns)
		cv->first_rtt_ns = ctx->ts_ns - cv->mru_syn_ns;
	if ((fl & (TH_SYN | TH_ACK)) == TH_SYN)
		cv->mru_syn_ns = ctx->ts_ns;
	if (reused) {
		cv->fresh = 0;
		cv->completeness = CPL_SYN;
	}
	v->completeness = cv->completeness;
	if (cv->fresh) {
		cv->fresh = 0;
		cv->completeness = (fl & (TH_SYN | TH_ACK)) != TH_SYN ? 0 : s->len ? CPL_SYN | CPL_DATA : CPL_SYN;
		return;
	}
	if ((fl & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
		cv->completeness |= CPL_SYNACK;
	else if ((fl & (TH_SYN | TH_ACK)) == TH_ACK)
		cv->completeness |= s->len ? CPL_DATA : CPL_ACK;
	if ((fl & (TH_FIN | TH_ACK)) == (TH_FIN | TH_ACK))
		cv->completeness |= CPL_FIN;
	if (fl & TH_RST)
		cv->completeness |= CPL_RST;
}

/* Window scaling as tshark tracks it: the SYN's option, kept only if both
 * sides offered one (RFC 7323 2.2). */
static void window_scaling(struct wl_flow *f, int dir, const struct seg_info *s)
{
	struct wl_tcp_an *fwd = &f->conv.an[dir], *rev = &f->conv.an[!dir];
	if (s->opt.wscale >= 0)
		fwd->win_scale = (int8_t)(s->opt.wscale > 14 ? 14 : s->opt.wscale);
	if (!(s->flags & TH_SYN))
		return;
	if (fwd->win_scale == -1)
		fwd->win_scale = rev->win_scale = -2;
	else if ((s->flags & TH_ACK) && rev->win_scale == -2)
		fwd->win_scale = -2;
}

/* Payload into the direction's stream: in order, held when ahead, old bytes
 * dropped. rel is the segment's distance from the next expected byte. */
static void reassemble(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint32_t seq, uint32_t len,
		       const uint8_t *payload, uint32_t captured)
{
	struct wl_half *h = &f->half[dir];
	uint32_t dist = seq - h->next_seq;
	if (dist && dist < (uint32_t)-WINDOW_MAX) {
		/* ahead of the stream (by up to 2^32 - 2^30 bytes after a capture gap) */
		if (captured == len && dist <= WINDOW_MAX) {
			wl__stream_hold(ctx, f, dir, seq, payload, len);
			return;
		}
		/* never going to be filled from here: give the hole up now */
		h->next_seq = seq;
		wl__stream_gap(ctx, f, dir, dist, "never captured");
		dist = 0;
	}
	uint32_t skip = dist ? -dist : 0;  /* bytes already delivered */
	if (skip >= len)
		return;
	h->next_seq = seq + len;
	if (skip < captured)
		wl__stream_push(ctx, f, dir, payload + skip, captured - skip);
	if (captured < len) {
		uint32_t lost = len - (captured > skip ? captured : skip);
		wl__stream_gap(ctx, f, dir, lost, "cut off by the snapshot length");
	}
	wl__stream_drain(ctx, f, dir);
}

static struct wl_msg *segment_msg(struct wl_ctx *ctx, struct wl_flow *f, int dir,
				  const struct seg_info *sp, const struct seg_view *vp,
				  const struct wl_tcp_segv *svp, const struct wl_tcp_ta *tap,
				  uint32_t seq, size_t captured);
static void held_segment(struct wl_msg *m, const uint8_t *payload, size_t captured);
static void tcp_flow_end(struct wl_ctx *ctx, struct wl_flow *f, int dir, const struct seg_info *sp,
			 uint32_t seq);

void wl__tcp(struct wl_ctx *ctx, struct wl_cur c, uint32_t ip_len)
{
	struct seg_info s;
	struct wl_cur hdr = c;
	s.sport = wl_be16(&hdr);
	s.dport = wl_be16(&hdr);
	s.seq = wl_be32(&hdr);
	s.ack = wl_be32(&hdr);
	uint8_t off = wl_u8(&hdr);
	s.flags = (uint16_t)((off & 0x0f) << 8 | wl_u8(&hdr));
	s.win = wl_be16(&hdr);
	s.csum = wl_be16(&hdr);
	s.urg = wl_be16(&hdr);
	s.hlen = (uint32_t)(off >> 4) * 4;
	if (!wl_ok(&hdr) || s.hlen < 20 || s.hlen > ip_len) {
		struct wl_msg *m = wl__msg_pkt(ctx, "tcp", "tcp");
		wl__ip_fields(ctx, m);
		struct wl_cur ports = c;   /* what is there of the header: the ports, as tshark */
		wl_skip(&ports, 4);
		if (wl_ok(&ports)) {
			wl_f_uint(m, "tcp.srcport", s.sport);
			wl_f_uint(m, "tcp.dstport", s.dport);
		}
		wl_msg_text(m, "TCP header %s", wl_ok(&hdr) ? "invalid" : "cut short");
		wl_note(m, WL_ERROR, "malformed: TCP header (data offset %u, IP payload %u)", s.hlen, ip_len);
		return;
	}
	s.optc = wl_sub(&hdr, s.hlen - 20);
	s.opts_cut = !wl_ok(&hdr);
	parse_options(s.optc, &s.opt);
	wl_skip(&c, s.hlen);
	s.len = ip_len - s.hlen;
	size_t captured = wl_left(&c);
	if (captured > s.len)
		captured = s.len;
	const uint8_t *payload = wl_bytes(&c, captured);

	int syn_kind = (s.flags & (TH_SYN | TH_ACK)) == TH_SYN ? 1 :
		       (s.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) ? 2 : 0;
	int dir;
	struct wl_flow *f = wl__flow_get(ctx, 1, ctx->ip_src, s.sport, ctx->ip_dst, s.dport, &dir,
					 syn_kind, s.seq);
	uint32_t reused = f && f->reused ? WL_TA_REUSED_PORTS : 0;
	if (f)
		f->reused = 0;
	if (f && syn_kind == 1 && (f->conv.an[dir].known & WL_AN_BASE) && f->conv.an[dir].base_seq != s.seq) {
		/* a SYN with another ISN: a new connection on the same ports */
		wl__flow_close(ctx, f, "ports reused");
		f = wl__flow_get(ctx, 1, ctx->ip_src, s.sport, ctx->ip_dst, s.dport, &dir, syn_kind, s.seq);
		reused = WL_TA_REUSED_PORTS;
	}
	if (!f) {
		struct wl_msg *m = wl__msg_pkt(ctx, "tcp", "tcp");
		wl__ip_fields(ctx, m);
		wl_msg_text(m, "TCP segment not tracked");
		wl_note(m, WL_ERROR, "out of memory: no flow for this segment");
		return;
	}
	ctx->flow = f;
	wl__frame_transport(ctx, f, payload, (uint32_t)captured);
	struct wl_half *h = &f->half[dir];
	h->pkts++;
	h->bytes += s.len;

	struct seg_view v = { 0 };
	v.payload = payload;
	v.captured = captured;
	conv_track(ctx, f, &s, &v, reused != 0);
	struct wl_tcp_segv sv = { s.seq, s.ack, s.len, s.win, s.flags, (int8_t)s.opt.wscale,
				  (uint8_t)s.opt.nsack, { 0 }, { 0 } };
	memcpy(sv.sack_le, s.opt.sack_le, sizeof sv.sack_le);
	memcpy(sv.sack_re, s.opt.sack_re, sizeof sv.sack_re);
	struct wl_tcp_ta ta;
	if (ctx->tcpan_off) {
		memset(&ta, 0, sizeof ta);
		wl__tcpan_bases(f, dir, &sv);
	} else {
		wl__tcpan_segment(ctx, f, dir, &sv, &ta);
	}
	if (reused) {
		ta.flags |= reused;
		ta.made = 1;
	}
	const struct wl_tcp_an *an = &f->conv.an[dir], *pan = &f->conv.an[!dir];
	v.scale = an->win_scale;
	window_scaling(f, dir, &s);
	v.rseq = s.seq - an->base_seq;
	v.rack = s.ack - pan->base_seq;
	v.nxtseq = v.rseq + s.len + ((s.flags & (TH_SYN | TH_FIN)) ? 1u : 0u);

	/* reassembly starts at the ISN, or where the capture picked the flow up */
	uint32_t seq = s.seq + ((s.flags & TH_SYN) ? 1u : 0u);
	if (s.flags & TH_SYN) {
		if (!h->have_base) {
			h->next_seq = seq;
			h->have_base = 1;
		}
		h->syn = 1;
	} else if (!h->have_base) {
		h->next_seq = s.seq;
		h->have_base = 1;
	}

	if (f->muted) {
		/* nobody dissects this flow (opts.only): only the sequence numbers
		 * its end is recognised by, no message and no held bytes */
		uint32_t end = seq + s.len;
		if (s.len && !(s.flags & TH_RST) && wl__seq_lt(h->next_seq, end))
			h->next_seq = end;
	} else {
		/* the segment's message stays open while its bytes are dissected: a
		 * message they complete closes it, and if none does, it is shown */
		struct wl_msg *m = segment_msg(ctx, f, dir, &s, &v, &sv, &ta, seq, captured);
		uint32_t before = h->next_seq;
		uint64_t made = ctx->msgs_made;
		if (s.len && !(s.flags & TH_RST))
			reassemble(ctx, f, dir, seq, s.len, payload, (uint32_t)captured);
		if (ctx->msgs_made == made && ctx->msg_open && h->next_seq != before && captured &&
		    !ctx->opts.headers_only)
			held_segment(m, payload, captured);
		wl__msg_flush(ctx);
	}
	tcp_flow_end(ctx, f, dir, &s, seq);
}

/* New bytes that completed no message: the dissector holds them for the
 * rest. tshark marks such a frame "[TCP segment of a reassembled PDU]"; the
 * default view shows it, or the frame would seem to carry nothing. */
static void held_segment(struct wl_msg *m, const uint8_t *payload, size_t captured)
{
	char text[320];
	struct wl_sb b = { text, 0, sizeof text };
	wl__data_preview(&b, wl_cur_make(payload, captured));
	wl__msg_text_raw(m, text, b.n);
	wl_note(m, WL_INFO, "[TCP segment of a reassembled PDU]: part of a message, shown where it ends");
	m->minor = 0;
}

/* The segment's message, left open: fields, text, tshark's analysis and the
 * teaching notes. */
static struct wl_msg *segment_msg(struct wl_ctx *ctx, struct wl_flow *f, int dir,
				  const struct seg_info *sp, const struct seg_view *vp,
				  const struct wl_tcp_segv *svp, const struct wl_tcp_ta *tap,
				  uint32_t seq, size_t captured)
{
	struct wl_half *h = &f->half[dir];
	const struct wl_tcp_an *pan = &f->conv.an[!dir];
	struct wl_msg *m = wl_msg_new(ctx, "tcp", "segment", (enum wl_dir)dir);
	seg_fields(ctx, m, f, sp, vp, tap);
	if (!m->unseen)  /* wl_opts.no_texts, headers_only: nothing reads it */
		seg_text(m, sp, vp, pan->base_seq);
	/* tshark's analysis first: its words lead the line */
	int shown = tap->flags ? wl__tcpan_notes(ctx, f, dir, m, svp, tap) : 0;
	shown |= lifecycle(f, dir, sp, m, tap);
	uint32_t back = h->next_seq - seq;  /* bytes of it already received */
	if (sp->len && !(sp->flags & TH_RST) && back && back <= WINDOW_MAX && back < sp->len)
		wl_note(m, WL_INFO, "overlaps %u bytes already received (first copy kept)", back);
	if (captured < sp->len) {
		wl_note(m, WL_WARN, "truncated by snaplen: %zu of %u payload bytes captured", captured, sp->len);
		shown = 1;
	}
	m->minor = !shown;
	return m;
}

/* FIN and RST: the connection's end. */
static void tcp_flow_end(struct wl_ctx *ctx, struct wl_flow *f, int dir, const struct seg_info *sp,
			 uint32_t seq)
{
	struct wl_half *h = &f->half[dir], *peer = &f->half[!dir];
	if ((sp->flags & TH_FIN) && !h->fin) {
		h->fin = 1;
		uint32_t fin_seq = seq + sp->len;
		if (!wl__seq_lt(h->next_seq, fin_seq))
			h->next_seq = fin_seq + 1;
	}
	if (sp->flags & TH_RST) {
		h->rst = 1;
		f->end = "RST";
		wl__flow_close(ctx, f, "RST");
		ctx->flow = NULL;
		return;
	}
	/* both FINs sent and this is the last ACK: the connection is closed */
	if (h->fin && peer->fin && (sp->flags & TH_ACK) && !(sp->flags & TH_FIN) &&
	    sp->ack == peer->next_seq) {
		f->end = "FIN";
		wl__flow_close(ctx, f, "FIN");
		ctx->flow = NULL;
	}
}

/* ---- the header an ICMP error quotes ---- */

void wl__tcp_quoted(struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c)
{
	uint16_t sport = wl_be16(&c), dport = wl_be16(&c);
	if (!wl_ok(&c))
		return;
	wl_f_uint(m, "tcp.srcport", sport);
	wl_f_uint(m, "tcp.dstport", dport);
	if (!ctx->opts.verbose)
		return;
	wl_f_uint(m, "tcp.port", sport);
	wl_f_uint(m, "tcp.port", dport);
	uint32_t seq = wl_be32(&c);
	if (wl_ok(&c))
		wl_f_uint(m, "tcp.seq", seq);  /* raw: no conversation is analysed here */
}
