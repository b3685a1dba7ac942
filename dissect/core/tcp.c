/* tcp.c - TCP (RFC 9293): header and options, the connection's life annotated
 * for teaching, and stream reassembly per direction.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   |                        Sequence Number                        |
 *   |                    Acknowledgment Number                      |
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   |           Checksum            |         Urgent Pointer        |
 *   |                    Options                    |    Padding    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Reassembly: a retransmission or the overlapping part of a segment is
 * dropped here (first copy wins, as most stacks do); in-order bytes and
 * segments ahead of the next expected byte go to the direction's stream
 * (stream.c). Sequence numbers compare modulo 2^32.
 */
#include <stdio.h>
#include <string.h>

#include "core.h"

enum { TH_FIN = 1, TH_SYN = 2, TH_RST = 4, TH_PSH = 8, TH_ACK = 16, TH_URG = 32, TH_ECE = 64, TH_CWR = 128 };

/* flow->state for teaching notes */
enum { ST_NONE, ST_SYN, ST_SYNACK, ST_EST };

struct tcp_opts {
	int mss, wscale, sack_perm, ts;
	uint32_t tsval, tsecr;
	unsigned nsack;
	uint32_t sack[8];
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
			while (wl_left(&v) >= 8 && t->nsack < 8) {
				t->sack[t->nsack++] = wl_be32(&v);
				t->sack[t->nsack++] = wl_be32(&v);
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
	uint16_t sport, dport, win;
	uint32_t seq, ack;
	uint8_t flags;
	uint32_t hlen, len;       /* header length; payload length on the wire */
	struct tcp_opts opt;
};

static const char *flag_name(uint8_t fl)
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

static void seg_fields(struct wl_ctx *ctx, struct wl_msg *m, const struct seg_info *s,
		       uint32_t rseq, uint32_t rack)
{
	wl__ip_fields(ctx, m);
	wl_f_uint(m, "tcp.srcport", s->sport);
	wl_f_uint(m, "tcp.dstport", s->dport);
	wl_f_uint(m, "tcp.seq", rseq);
	wl_f_uint(m, "tcp.seq_raw", s->seq);
	if (s->flags & TH_ACK) {
		wl_f_uint(m, "tcp.ack", rack);
		wl_f_uint(m, "tcp.ack_raw", s->ack);
	} else {
		wl_f_uint(m, "tcp.ack_raw", s->ack);
	}
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
}

static void seg_text(struct wl_msg *m, const struct seg_info *s, uint32_t rseq, uint32_t rack)
{
	/* built by hand: this runs for every segment */
	char buf[160];
	struct wl_sb b = { buf, 0, sizeof buf };
	buf[0] = '\0';
	wl__sb_str(&b, flag_name(s->flags));
	wl__sb_str(&b, " seq=");
	wl__sb_u64(&b, rseq);
	if (s->flags & TH_ACK) {
		wl__sb_str(&b, " ack=");
		wl__sb_u64(&b, rack);
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
	if (s->opt.nsack) {
		wl__sb_str(&b, " sack=");
		wl__sb_u64(&b, s->opt.nsack / 2);
	}
	wl__msg_text_raw(m, buf, b.n);
}

/* The teaching notes of the connection's life; returns 1 if the segment is
 * worth a line of its own in the ladder. */
static int lifecycle(struct wl_flow *f, int dir, const struct seg_info *s, struct wl_msg *m)
{
	const char *who = dir == WL_C2S ? "client" : "server";
	uint8_t fl = s->flags;
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
		wl_note(m, WL_INFO, "TCP handshake 2/3: server accepts and sends its own sequence number");
		f->state = ST_SYNACK;
		return 1;
	}
	if (fl & TH_FIN) {
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

void wl__tcp(struct wl_ctx *ctx, struct wl_cur c, uint32_t ip_len)
{
	struct seg_info s;
	struct wl_cur hdr = c;
	s.sport = wl_be16(&hdr);
	s.dport = wl_be16(&hdr);
	s.seq = wl_be32(&hdr);
	s.ack = wl_be32(&hdr);
	uint8_t off = wl_u8(&hdr);
	s.flags = wl_u8(&hdr);
	s.win = wl_be16(&hdr);
	wl_skip(&hdr, 4);
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
	parse_options(wl_sub(&hdr, s.hlen - 20), &s.opt);
	wl_skip(&c, s.hlen);
	s.len = ip_len - s.hlen;
	size_t captured = wl_left(&c);
	if (captured > s.len)
		captured = s.len;
	const uint8_t *payload = wl_bytes(&c, captured);

	int syn_kind = (s.flags & (TH_SYN | TH_ACK)) == TH_SYN ? 1 :
		       (s.flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) ? 2 : 0;
	int dir;
	struct wl_flow *f = wl__flow_get(ctx, 1, ctx->ip_src, s.sport, ctx->ip_dst, s.dport, &dir, syn_kind);
	if (f && f->closed && syn_kind == 1) {
		/* the port pair is reused by a new connection */
		wl__flow_close(ctx, f, NULL);
		f = wl__flow_get(ctx, 1, ctx->ip_src, s.sport, ctx->ip_dst, s.dport, &dir, syn_kind);
	}
	if (!f)
		return;
	ctx->flow = f;
	struct wl_half *h = &f->half[dir], *peer = &f->half[!dir];
	h->pkts++;
	h->bytes += s.len;

	if (s.flags & TH_SYN) {
		if (!h->have_base || h->isn != s.seq) {
			h->isn = s.seq;
			h->next_seq = s.seq + 1;
			h->have_base = 1;
		}
		h->syn = 1;
		if (s.opt.wscale >= 0)
			h->wscale = (uint8_t)s.opt.wscale;
	} else if (!h->have_base) {
		h->isn = s.seq - 1;   /* picked up mid-stream: as tshark, the first seq is 1 */
		h->next_seq = s.seq;
		h->have_base = 1;
	}
	uint32_t rseq = s.seq - h->isn;
	uint32_t rack = peer->have_base ? s.ack - peer->isn : s.ack;

	struct wl_msg *m = wl_msg_new(ctx, "tcp", "segment", (enum wl_dir)dir);
	seg_fields(ctx, m, &s, rseq, rack);
	seg_text(m, &s, rseq, rack);
	int shown = lifecycle(f, dir, &s, m);

	int32_t rel = (int32_t)(s.seq + ((s.flags & TH_SYN) ? 1u : 0u) - h->next_seq);
	if (s.len && !(s.flags & TH_RST)) {
		if (rel < 0 && (int64_t)rel + s.len <= 0) {
			if (s.len == 1 && rel == -1)
				wl_note(m, WL_INFO, "keep-alive probe");
			else
				wl_note(m, WL_WARN, "retransmission: these %u bytes were already sent", s.len);
			shown = 1;
		} else if (rel > 0) {
			wl_note(m, WL_WARN, "out-of-order: %d bytes ahead of the next expected byte; held", rel);
			shown = 1;
		} else if (rel < 0) {
			wl_note(m, WL_INFO, "overlaps %d bytes already received (first copy kept)", -rel);
		}
	}
	if (s.win == 0 && !(s.flags & (TH_RST | TH_SYN)))
		wl_note(m, WL_WARN, "zero window: the %s's receive buffer is full; the peer must wait",
			dir == WL_C2S ? "client" : "server");
	if (captured < s.len) {
		wl_note(m, WL_WARN, "truncated by snaplen: %zu of %u payload bytes captured", captured, s.len);
		shown = 1;
	}
	for (unsigned i = 0; i < m->nnotes; i++)
		if (m->notes[i].level >= WL_WARN)
			shown = 1;
	m->minor = !shown;
	wl_msg_emit(ctx, m);

	/* reassembly */
	uint32_t seq = s.seq + ((s.flags & TH_SYN) ? 1u : 0u);
	if (s.len && !(s.flags & TH_RST) && !f->closed) {
		if (rel > 0) {
			if (captured == s.len)
				wl__stream_hold(ctx, f, dir, seq, payload, s.len);
		} else {
			uint32_t skip = rel < 0 ? (uint32_t)-rel : 0;
			if (skip < s.len) {
				h->next_seq = seq + s.len;
				if (skip < captured)
					wl__stream_push(ctx, f, dir, payload + skip, (uint32_t)captured - skip);
				if (captured < s.len) {
					uint32_t lost = s.len - (uint32_t)(captured > skip ? captured : skip);
					wl__stream_gap(ctx, f, dir, lost, "cut off by the snapshot length");
				}
				wl__stream_drain(ctx, f, dir);
			}
		}
	}
	if ((s.flags & TH_FIN) && !h->fin) {
		h->fin = 1;
		uint32_t fin_seq = seq + s.len;
		if (!wl__seq_lt(h->next_seq, fin_seq))
			h->next_seq = fin_seq + 1;
	}
	if (f->closed)
		return;
	if (s.flags & TH_RST) {
		h->rst = 1;
		f->end = "RST";
		wl__flow_close(ctx, f, "RST");
		ctx->flow = NULL;
		return;
	}
	/* both FINs sent and this is the last ACK: the connection is closed */
	if (h->fin && peer->fin && (s.flags & TH_ACK) && !(s.flags & TH_FIN) &&
	    s.ack == peer->next_seq) {
		f->end = "FIN";
		wl__flow_close(ctx, f, "FIN");
		ctx->flow = NULL;
	}
}
