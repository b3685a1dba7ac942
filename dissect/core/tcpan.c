/* tcpan.c - TCP sequence analysis as tshark does it: retransmissions (fast,
 * spurious), out-of-order and lost segments, ACKs of segments never seen,
 * duplicate ACKs, zero windows and their probes, keep-alives, window updates
 * and full windows; with -v also the segment an ACK acknowledges and its RTT,
 * the bytes in flight and the retransmission timeout.
 *
 * The rules are those of Wireshark's tcp_analyze_sequence_number() (see the
 * "TCP Analysis" section of the Wireshark User's Guide), written anew, and
 * the notes use the words tshark puts in its Info column, so a student can
 * look a trace up beside Wireshark. Sequence numbers compare modulo 2^32
 * (RFC 1982).
 *
 * State per direction is a handful of numbers (struct wl_tcp_an). Only with
 * -v are the segments not yet acknowledged kept, as tshark keeps them: at
 * most UAL_MAX per direction and UAL_TOTAL over all flows.
 *
 * One deliberate difference: a segment more than 2^30 bytes behind the next
 * expected byte is taken as new data after a capture gap, not as a
 * retransmission. A TCP window is below 2^30 (RFC 7323 section 2.3), so no
 * sender resends data that old; tshark, comparing modulo 2^32 alone, calls
 * every segment more than 2^31 bytes past a gap a retransmission
 * (tests/test_core.c, test_seq_gap_beyond_2_31, and tests/tcp_events.py).
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

enum { TH_FIN = 1, TH_SYN = 2, TH_RST = 4, TH_PSH = 8, TH_ACK = 16 };

#define UAL_MAX 1000             /* tshark's TCP_MAX_UNACKED_SEGMENTS */
#define UAL_TOTAL (256u * 1024)  /* over all flows: about 6 MiB */
#define BEHIND_MAX (1u << 30)    /* the largest window (RFC 7323) */
#define OOO_NS_DEFAULT 3000000   /* out-of-order threshold before the iRTT is known */
#define FAST_RT_NS 20000000      /* a fast retransmission follows the dup ACKs within */

struct wl_unacked {
	uint32_t seq, nextseq;
	uint64_t frame;
	int64_t ns;
};

static int seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static int seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
/* a is before b by at most a window: what a retransmission can be */
static int behind(uint32_t a, uint32_t b) { return a != b && b - a <= BEHIND_MAX; }
static int ahead(uint32_t a, uint32_t b) { return a != b && !behind(a, b); }

void wl__tcpan_init(struct wl_conv *cv)
{
	for (int d = 0; d < 2; d++) {
		struct wl_tcp_an *a = &cv->an[d];
		memset(a, 0, sizeof *a);
		a->window = UINT32_MAX;  /* no window seen yet: never a zero window */
		a->win_scale = -1;
		a->known = WL_AN_BIF;    /* as tshark: bytes in flight count from the first segment */
	}
}

void wl__tcpan_free(struct wl_ctx *ctx, struct wl_conv *cv)
{
	for (int d = 0; d < 2; d++) {
		ctx->unacked -= cv->an[d].nual;
		free(cv->an[d].ual);
		cv->an[d].ual = NULL;
		cv->an[d].nual = cv->an[d].ual_cap = 0;
	}
}

static void ual_add(struct wl_ctx *ctx, struct wl_tcp_an *a, uint32_t seq, uint32_t nextseq)
{
	if (ctx->unacked >= UAL_TOTAL)
		return;
	if (a->nual == a->ual_cap) {
		uint16_t cap = a->ual_cap ? (uint16_t)(a->ual_cap * 2) : 8;
		if (cap > UAL_MAX)
			cap = UAL_MAX;
		struct wl_unacked *n = realloc(a->ual, cap * sizeof *n);
		if (!n)
			return;
		a->ual = n;
		a->ual_cap = cap;
	}
	a->ual[a->nual++] = (struct wl_unacked){ seq, nextseq, ctx->frame, ctx->ts_ns };
	ctx->unacked++;
}

/* The peer's segments this ACK covers are forgotten; the one it acknowledges
 * exactly gives the RTT (the oldest such, as tshark walks newest first). */
static void ual_ack(struct wl_ctx *ctx, struct wl_tcp_an *rev, uint32_t ack, struct wl_tcp_ta *ta)
{
	unsigned keep = 0;
	for (unsigned i = 0; i < rev->nual; i++) {
		struct wl_unacked *u = &rev->ual[i];
		if (ack == u->nextseq) {
			/* the oldest match is the last written below: walk order does not matter */
			if (!ta->acked || u->frame < ta->frame_acked) {
				ta->acked = 1;
				ta->frame_acked = u->frame;
				ta->rtt_ns = ctx->ts_ns - u->ns;
			}
			ta->made = 1;
			continue;
		}
		if (seq_gt(ack, u->seq) && seq_le(ack, u->nextseq))
			u->seq = ack;             /* partly acknowledged */
		else if (!seq_gt(u->nextseq, ack))
			continue;                 /* wholly acknowledged */
		rev->ual[keep++] = *u;
	}
	ctx->unacked -= rev->nual - keep;
	rev->nual = (uint16_t)keep;
}

void wl__tcpan_bases(struct wl_flow *f, int dir, const struct wl_tcp_segv *s)
{
	struct wl_tcp_an *fwd = &f->conv.an[dir], *rev = &f->conv.an[!dir];
	/* relative numbers start at the ISN, or so that the first seq seen is 1 */
	if (!(fwd->known & WL_AN_BASE)) {
		fwd->base_seq = (s->flags & TH_SYN) ? s->seq : s->seq - 1;
		fwd->known |= WL_AN_BASE;
	}
	if (!(rev->known & WL_AN_BASE) && (s->flags & TH_ACK)) {
		rev->base_seq = s->ack - 1;
		rev->known |= WL_AN_BASE;
	}
}

void wl__tcpan_segment(struct wl_ctx *ctx, struct wl_flow *f, int dir, const struct wl_tcp_segv *s,
		       struct wl_tcp_ta *ta)
{
	struct wl_conv *cv = &f->conv;
	struct wl_tcp_an *fwd = &cv->an[dir], *rev = &cv->an[!dir];
	const uint32_t seq = s->seq, ack = s->ack, seglen = s->len, win = s->win;
	const uint16_t fl = s->flags;
	const int sfr = (fl & (TH_SYN | TH_FIN | TH_RST)) != 0;
	const int64_t now = ctx->ts_ns;
	uint32_t t = 0;  /* WL_TA_* */
	memset(ta, 0, sizeof *ta);

	wl__tcpan_bases(f, dir, s);
	if (fl & TH_ACK)
		rev->known |= WL_AN_BIF;

	const int have_next = (fwd->known & WL_AN_NEXTSEQ) != 0;
	const int same_pos = have_next && seq == fwd->nextseq && (fwd->known & WL_AN_LASTACK) &&
			     ack == fwd->lastack;

	if (seglen == 1 && have_next && seq == fwd->nextseq && rev->window == 0) {
		t |= WL_TA_ZERO_WINDOW_PROBE;
		goto finished_fwd;
	}
	if (win == 0 && !sfr)
		t |= WL_TA_ZERO_WINDOW;
	if (have_next && ahead(seq, fwd->nextseq) && !(fl & TH_RST)) {
		t |= WL_TA_LOST_PACKET;
		fwd->known &= (uint8_t)~WL_AN_BIF;  /* until the peer ACKs again */
	}
	if (seglen <= 1 && have_next && seq == fwd->nextseq - 1 && !sfr)
		t |= WL_TA_KEEP_ALIVE;
	if (seglen == 0 && win && win != fwd->window && same_pos && !sfr)
		t |= WL_TA_WINDOW_UPDATE;
	if (seglen > 0 && rev->win_scale != -1 && (rev->known & WL_AN_LASTACK) && !sfr) {
		uint32_t shift = rev->win_scale < 0 ? 0 : (uint32_t)rev->win_scale;
		if (seq + seglen == rev->lastack + (rev->window << shift))
			t |= WL_TA_WINDOW_FULL;
	}
	if (seglen == 0 && win && win == fwd->window && same_pos && (rev->lastflags & WL_TA_KEEP_ALIVE) && !sfr) {
		t |= WL_TA_KEEP_ALIVE_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && win == 0 && win == fwd->window && same_pos &&
	    (rev->lastflags & WL_TA_ZERO_WINDOW_PROBE) && !sfr) {
		t |= WL_TA_ZERO_WINDOW_PROBE_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && win && win == fwd->window && same_pos && !sfr) {
		fwd->dupacknum = fwd->dupacknum == -1 ? 1 : fwd->dupacknum + 1;
		t |= WL_TA_DUPLICATE_ACK;
		ta->dupack_num = fwd->dupacknum;
		ta->dupack_frame = fwd->lastnondupack;
	}

finished_fwd:
	if (!(fwd->known & WL_AN_LASTACK) || ack != fwd->lastack) {
		fwd->lastnondupack = ctx->frame;
		fwd->dupacknum = 0;
	}

	/* an ACK of bytes the other side was never seen to send: said, and the
	 * mark moved, whenever the peer has sent beyond it (tshark 4.0.17 on
	 * corpus tcp/reassembly.pcap frames 10, 70, 78; the 4.0 source's
	 * `maxseqtobeacked > nextseq` never holds), else once per run of ACKs */
	if ((rev->known & WL_AN_MAXSEQ) && seq_gt(ack, rev->maxseqtobeacked) && (fl & TH_ACK)) {
		ta->made = 1;
		if (seq_gt(rev->nextseq, rev->maxseqtobeacked)) {
			rev->maxseqtobeacked = rev->nextseq;
			t |= WL_TA_ACK_LOST_PACKET;
		} else {
			/* said once per lost segment, even across a run of pure ACKs */
			if (rev->dupacknum == 0)
				t |= WL_TA_ACK_LOST_PACKET;
			rev->dupacknum = -1;
		}
	}

	/* data (or SYN/FIN) that does not advance: which kind of resend */
	if (seglen > 0 || (fl & (TH_SYN | TH_FIN))) {
		int not_advanced = have_next && behind(seq, fwd->nextseq);
		if (t & WL_TA_KEEP_ALIVE)
			goto finished_retrans;
		if (seglen > 1 && fwd->nextseq - 1 == seq)
			not_advanced = 0;  /* after a zero window probe: really new data */
		if (seglen > 0 && (rev->known & WL_AN_LASTACK) && rev->lastack &&
		    !ahead(seq + seglen, rev->lastack)) {
			t |= WL_TA_SPURIOUS_RETRANSMISSION;
			goto finished_retrans;
		}
		/* tshark's counter is unsigned: the -1 an ACK of an unseen segment
		 * leaves counts as two duplicate ACKs (reassembly.pcap frame 8) */
		if (not_advanced && (rev->dupacknum >= 2 || rev->dupacknum == -1) && rev->lastack == seq &&
		    (uint64_t)(now - rev->lastack_ns) < FAST_RT_NS) {
			t |= WL_TA_FAST_RETRANSMISSION;
			goto finished_retrans;
		}
		uint64_t ooo_ns = cv->first_rtt_ns ? (uint64_t)cv->first_rtt_ns : OOO_NS_DEFAULT;
		uint32_t end = seq + seglen + ((fl & (TH_SYN | TH_FIN)) ? 1u : 0u);
		if (not_advanced && (uint64_t)(now - fwd->nextseq_ns) < ooo_ns && fwd->nextseq != end) {
			t |= WL_TA_OUT_OF_ORDER;
			goto finished_retrans;
		}
		if (not_advanced) {
			t |= WL_TA_RETRANSMISSION;
			/* measured from the oldest unacknowledged segment, else the last new one */
			ta->rto_ns = now - fwd->nextseq_ns;
			ta->rto_frame = fwd->nextseq_frame;
			if (fwd->nual) {
				ta->rto_ns = now - fwd->ual[0].ns;
				ta->rto_frame = fwd->ual[0].frame;
			}
			ta->rto = ta->rto_ns != 0;
		}
	}

finished_retrans:;
	uint32_t nextseq = seq + seglen;
	if (seglen || (fl & (TH_SYN | TH_FIN))) {
		/* like tshark, a segment past its list's limit does not count its SYN/FIN */
		if (!ctx->opts.verbose || fwd->nual < UAL_MAX) {
			if (fl & (TH_SYN | TH_FIN))
				nextseq++;
			if (ctx->opts.verbose)
				ual_add(ctx, fwd, seq, nextseq);
		}
	}
	if ((!have_next || ahead(nextseq, fwd->nextseq)) && !(t & WL_TA_ZERO_WINDOW_PROBE)) {
		fwd->nextseq = nextseq;
		fwd->nextseq_frame = ctx->frame;
		fwd->nextseq_ns = now;
		fwd->known |= WL_AN_NEXTSEQ;
	}
	if ((!(fwd->known & WL_AN_MAXSEQ) || seq == fwd->maxseqtobeacked) && !(t & WL_TA_ZERO_WINDOW_PROBE)) {
		fwd->maxseqtobeacked = fwd->nextseq;
		fwd->known |= WL_AN_MAXSEQ;
	}
	fwd->window = win;
	fwd->lastack = ack;
	fwd->lastack_ns = now;
	if (fl & TH_ACK)
		fwd->known |= WL_AN_LASTACK;
	else
		fwd->known &= (uint8_t)~WL_AN_LASTACK;
	fwd->lastflags = t;

	if (ctx->opts.verbose) {
		ual_ack(ctx, rev, ack, ta);
		if (seglen && fwd->nual && (fwd->known & WL_AN_BIF)) {
			uint32_t first = fwd->ual[0].seq - fwd->base_seq, last = fwd->ual[0].nextseq - fwd->base_seq;
			for (unsigned i = 1; i < fwd->nual; i++) {
				if (fwd->ual[i].nextseq - fwd->base_seq > last)
					last = fwd->ual[i].nextseq - fwd->base_seq;
				if (fwd->ual[i].seq - fwd->base_seq < first)
					first = fwd->ual[i].seq - fwd->base_seq;
			}
			uint32_t in_flight = last - first;
			for (unsigned i = 0; i < rev->nsack; i++)
				in_flight -= rev->sack_re[i] - rev->sack_le[i];   /* what the peer has already */
			if (in_flight > 0 && in_flight < 2000000000u) {
				ta->bif = 1;
				ta->bytes_in_flight = in_flight - ((fl & (TH_SYN | TH_FIN)) ? 1u : 0u);
			}
			if (fl & TH_PSH) {
				fwd->push_bytes = fwd->push_set_last ? seglen : fwd->push_bytes + seglen;
				fwd->push_set_last = 1;
			} else if (fwd->push_set_last) {
				fwd->push_bytes = seglen;
				fwd->push_set_last = 0;
			} else {
				fwd->push_bytes += seglen;
			}
			ta->push_bytes = fwd->push_bytes;
			ta->made = 1;
		}
	}
	/* this segment's SACK blocks are the ones later bytes in flight discount
	 * (tshark keeps at most three); a segment without them clears them, as
	 * tshark counts each segment's own (corpus ftp/ftp.pcap frames 73-76: the
	 * ACK after the SACK covers it, and 76 has 1440 bytes in flight) */
	fwd->nsack = s->nsack < 3 ? s->nsack : 3;
	if (s->nsack) {
		memcpy(fwd->sack_le, s->sack_le, sizeof fwd->sack_le);
		memcpy(fwd->sack_re, s->sack_re, sizeof fwd->sack_re);
	}
	ta->flags = t;
	if (t)
		ta->made = 1;
}

/* ---- what the trace says ---- */

struct event {
	uint32_t flag;
	uint8_t level;           /* enum wl_level */
	uint8_t shown;           /* worth a line of its own */
	const char *words;       /* tshark's, as in its Info column */
	const char *why;
	const char *count;       /* for the flow's summary */
};

/* In the order tshark lists them; the index is the flow's event counter. */
static const struct event events[] = {
	{ WL_TA_REUSED_PORTS, WL_INFO, 1, "[TCP Port numbers reused]",
	  "a new connection on the ports of an earlier one", "port reuses" },
	{ WL_TA_FAST_RETRANSMISSION, WL_WARN, 1, "[TCP Fast Retransmission]",
	  "resent after duplicate ACKs, before the timeout", "fast retransmissions" },
	{ WL_TA_SPURIOUS_RETRANSMISSION, WL_WARN, 1, "[TCP Spurious Retransmission]",
	  "resent although the peer had acknowledged these bytes", "spurious retransmissions" },
	{ WL_TA_RETRANSMISSION, WL_WARN, 1, "[TCP Retransmission]",
	  "sent before: the segment or its ACK was lost or late", "retransmissions" },
	{ WL_TA_OUT_OF_ORDER, WL_WARN, 1, "[TCP Out-Of-Order]",
	  "older than the segment before it: the network reordered them", "out-of-order segments" },
	{ WL_TA_LOST_PACKET, WL_WARN, 1, "[TCP Previous segment not captured]",
	  "bytes before this one were lost or missed by the capture", "segments not captured" },
	{ WL_TA_ACK_LOST_PACKET, WL_WARN, 1, "[TCP ACKed unseen segment]",
	  "acknowledges bytes the capture never saw", "ACKs of unseen segments" },
	{ WL_TA_WINDOW_UPDATE, WL_INFO, 0, "[TCP Window Update]",
	  "only the receive window changed", "window updates" },
	{ WL_TA_WINDOW_FULL, WL_INFO, 1, "[TCP Window Full]",
	  "fills the receiver's window: the sender must now wait", "full windows" },
	{ WL_TA_KEEP_ALIVE, WL_INFO, 1, "[TCP Keep-Alive]",
	  "an idle connection checks that the peer is still there", "keep-alives" },
	{ WL_TA_KEEP_ALIVE_ACK, WL_INFO, 1, "[TCP Keep-Alive ACK]",
	  "the peer answers the keep-alive", "keep-alive ACKs" },
	{ WL_TA_DUPLICATE_ACK, WL_WARN, 1, "[TCP Dup ACK]",
	  "the receiver asks again for the same byte: something is missing", "duplicate ACKs" },
	{ WL_TA_ZERO_WINDOW_PROBE, WL_INFO, 1, "[TCP ZeroWindowProbe]",
	  "one byte to see whether the window has opened", "zero window probes" },
	{ WL_TA_ZERO_WINDOW, WL_WARN, 1, "[TCP ZeroWindow]",
	  "the receive buffer is full: the peer must stop sending", "zero windows" },
	{ WL_TA_ZERO_WINDOW_PROBE_ACK, WL_INFO, 1, "[TCP ZeroWindowProbeAck]",
	  "the window is still closed", "zero window probe ACKs" },
};

/* The summary's line of TCP events, rewritten when one more is counted. */
static void events_fact(struct wl_ctx *ctx, const struct wl_flow *f)
{
	char buf[512];
	struct wl_sb b = { buf, 0, sizeof buf };
	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof events / sizeof events[0]; i++) {
		if (!f->events[i])
			continue;
		if (b.n)
			wl__sb_str(&b, ", ");
		wl__sb_u64(&b, f->events[i]);
		wl__sb_str(&b, " ");
		wl__sb_str(&b, events[i].count);
	}
	wl_flow_fact(ctx, "TCP analysis", "%s", buf);
}

int wl__tcpan_notes(struct wl_ctx *ctx, struct wl_flow *f, int dir, struct wl_msg *m,
		    const struct wl_tcp_segv *s, const struct wl_tcp_ta *ta)
{
	(void)s;
	int shown = 0;
	const char *who = dir == WL_C2S ? "client" : "server";
	for (unsigned i = 0; i < sizeof events / sizeof events[0]; i++) {
		const struct event *e = &events[i];
		if (!(ta->flags & e->flag))
			continue;
		/* a fast or spurious retransmission is one, but counted once */
		if (e->flag == WL_TA_RETRANSMISSION &&
		    (ta->flags & (WL_TA_FAST_RETRANSMISSION | WL_TA_SPURIOUS_RETRANSMISSION)))
			continue;
		if (e->flag == WL_TA_DUPLICATE_ACK)
			wl_note(m, e->level, "[TCP Dup ACK %llu#%d] %s", (unsigned long long)ta->dupack_frame,
				ta->dupack_num, e->why);
		else if (e->flag == WL_TA_ZERO_WINDOW)
			wl_note(m, e->level, "%s the %s's receive buffer is full: the peer must stop sending",
				e->words, who);
		else
			wl_note(m, e->level, "%s %s", e->words, e->why);
		shown |= e->shown;
		if (f->events[i] < UINT32_MAX)
			f->events[i]++;
	}
	if (ta->flags & ~(uint32_t)WL_TA_WINDOW_UPDATE)
		events_fact(ctx, f);
	return shown;
}

/* ---- the fields (-v) ---- */

static void rel_time(struct wl_msg *m, const char *name, int64_t ns)
{
	wl_f_double(m, name, (double)ns / 1e9);
}

int wl__tcpan_read(const struct wl_opts *opts)
{
	/* wl__tcpan_fields adds tcp.analysis.* alone */
	return !opts->want_field || opts->want_field(opts->want_arg, "tcp.analysis.");
}

void wl__tcpan_fields(struct wl_msg *m, const struct wl_conv *cv, const struct wl_tcp_ta *ta)
{
	if (!ta->made || !wl__want_proto(m, "tcp"))
		return;
	if (ta->acked) {
		wl_f_uint(m, "tcp.analysis.acks_frame", ta->frame_acked);
		if (ta->rtt_ns)
			rel_time(m, "tcp.analysis.ack_rtt", ta->rtt_ns);
	}
	if (cv->first_rtt_ns)
		rel_time(m, "tcp.analysis.initial_rtt", cv->first_rtt_ns);
	if (ta->bif && ta->bytes_in_flight) {
		wl_f_uint(m, "tcp.analysis.bytes_in_flight", ta->bytes_in_flight);
		wl_f_uint(m, "tcp.analysis.push_bytes_sent", ta->push_bytes);
	}
	uint32_t t = ta->flags;
	if (!t)
		return;
	wl_f_bool(m, "tcp.analysis.flags", 1);
	if (t & WL_TA_REUSED_PORTS)
		wl_f_bool(m, "tcp.analysis.reused_ports", 1);
	if (t & WL_TA_RETRANSMISSION) {
		wl_f_bool(m, "tcp.analysis.retransmission", 1);
		if (ta->rto) {
			rel_time(m, "tcp.analysis.rto", ta->rto_ns);
			wl_f_uint(m, "tcp.analysis.rto_frame", ta->rto_frame);
		}
	}
	if (t & WL_TA_FAST_RETRANSMISSION) {
		wl_f_bool(m, "tcp.analysis.fast_retransmission", 1);
		wl_f_bool(m, "tcp.analysis.retransmission", 1);
	}
	if (t & WL_TA_SPURIOUS_RETRANSMISSION) {
		wl_f_bool(m, "tcp.analysis.spurious_retransmission", 1);
		wl_f_bool(m, "tcp.analysis.retransmission", 1);
	}
	if (t & WL_TA_OUT_OF_ORDER)
		wl_f_bool(m, "tcp.analysis.out_of_order", 1);
	if (t & WL_TA_LOST_PACKET)
		wl_f_bool(m, "tcp.analysis.lost_segment", 1);
	if (t & WL_TA_ACK_LOST_PACKET)
		wl_f_bool(m, "tcp.analysis.ack_lost_segment", 1);
	if (t & WL_TA_WINDOW_UPDATE)
		wl_f_bool(m, "tcp.analysis.window_update", 1);
	if (t & WL_TA_WINDOW_FULL)
		wl_f_bool(m, "tcp.analysis.window_full", 1);
	if (t & WL_TA_KEEP_ALIVE)
		wl_f_bool(m, "tcp.analysis.keep_alive", 1);
	if (t & WL_TA_KEEP_ALIVE_ACK)
		wl_f_bool(m, "tcp.analysis.keep_alive_ack", 1);
	if (ta->dupack_num) {
		/* tshark has the flag twice: the tree item and the expert note */
		if (t & WL_TA_DUPLICATE_ACK)
			wl_f_bool(m, "tcp.analysis.duplicate_ack", 1);
		wl_f_uint(m, "tcp.analysis.duplicate_ack_num", (uint64_t)ta->dupack_num);
		wl_f_uint(m, "tcp.analysis.duplicate_ack_frame", ta->dupack_frame);
		wl_f_bool(m, "tcp.analysis.duplicate_ack", 1);
	}
	if (t & WL_TA_ZERO_WINDOW_PROBE)
		wl_f_bool(m, "tcp.analysis.zero_window_probe", 1);
	if (t & WL_TA_ZERO_WINDOW)
		wl_f_bool(m, "tcp.analysis.zero_window", 1);
	if (t & WL_TA_ZERO_WINDOW_PROBE_ACK)
		wl_f_bool(m, "tcp.analysis.zero_window_probe_ack", 1);
}
