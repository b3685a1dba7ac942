/* udp.c - UDP (RFC 768): the header, the flow, one datagram to the dissector.
 *
 *   +--------+--------+--------+--------+
 *   |  Source Port    |   Dest Port     |
 *   |  Length         |   Checksum      |
 *   +--------+--------+--------+--------+
 */
#include "core.h"

static void rel_time(struct wl_msg *m, const char *name, int64_t ns)
{
	wl_f_double(m, name, (double)ns / 1e9);
}

/* tshark's checksum status: 2 unverified, 3 not present (zero over IPv4) */
static unsigned csum_status(const struct wl_ctx *ctx, uint16_t csum)
{
	return csum == 0 && ctx->ip_af == 4 ? 3 : 2;
}

void wl__udp(struct wl_ctx *ctx, struct wl_cur c)
{
	struct wl_cur start = c;
	uint16_t sport = wl_be16(&c), dport = wl_be16(&c), len = wl_be16(&c), csum = wl_be16(&c);
	if (!wl_ok(&c) || len < 8) {
		struct wl_msg *m = wl__msg_pkt(ctx, "udp", "udp");
		wl__ip_fields(ctx, m);
		struct wl_cur ports = start;  /* what is there of the header: the ports, as tshark */
		wl_skip(&ports, 4);
		if (wl_ok(&ports)) {
			wl_f_uint(m, "udp.srcport", sport);
			wl_f_uint(m, "udp.dstport", dport);
		}
		wl_msg_text(m, "UDP header %s", wl_ok(&c) ? "invalid" : "cut short");
		wl_note(m, WL_ERROR, "malformed: UDP header (length %u)", len);
		return;
	}
	size_t have = wl_left(&c);
	size_t plen = (size_t)len - 8;
	struct wl_cur payload = wl_sub(&c, plen < have ? plen : have);
	int dir;
	struct wl_flow *f = wl__flow_get(ctx, 0, ctx->ip_src, sport, ctx->ip_dst, dport, &dir, 0, 0);
	if (!f) {
		struct wl_msg *m = wl__msg_pkt(ctx, "udp", "udp");
		wl__ip_fields(ctx, m);
		wl_msg_text(m, "UDP datagram not tracked");
		wl_note(m, WL_ERROR, "out of memory: no flow for this datagram");
		return;
	}
	ctx->flow = f;
	f->half[dir].pkts++;
	f->half[dir].bytes += plen;
	wl__frame_transport(ctx, f, payload.p, (uint32_t)wl_left(&payload));
	struct wl_conv *cv = &f->conv;
	if (!cv->seen) {
		cv->first_ns = cv->prev_ns = ctx->ts_ns;
		cv->seen = 1;
	}
	/* tshark (packet-udp.c, dissect) times only a datagram with payload: an
	 * empty one (length 8) shows no udp.time_* and leaves the stream's
	 * previous time where it was */
	int timed = len > 8;
	int64_t delta = ctx->ts_ns - cv->prev_ns;
	if (timed)
		cv->prev_ns = ctx->ts_ns;
	if (f->muted)
		return;  /* nobody needs this protocol (opts.only) */

	struct wl_msg *m = wl_msg_new(ctx, "udp", "datagram", (enum wl_dir)dir);
	wl__ip_fields(ctx, m);
	wl_f_uint(m, "udp.srcport", sport);
	wl_f_uint(m, "udp.dstport", dport);
	if (ctx->opts.verbose) {
		wl_f_uint(m, "udp.port", sport);
		wl_f_uint(m, "udp.port", dport);
	}
	wl_f_uint(m, "udp.length", len);
	if (ctx->opts.verbose) {
		wl_f_hex(m, "udp.checksum", csum);
		wl_f_uint(m, "udp.checksum.status", csum_status(ctx, csum));
		/* One stream per 5-tuple. tshark differs for SNMP only: its SNMP
		 * dissector makes a second conversation of the 5-tuple at its first
		 * message, so from the next datagram on the pair is a new udp.stream
		 * with its own udp.time_relative (pcaps/snmp-get.pcap frames 2, 4; the
		 * evidence is in tests/test_snmp.c, test_one_udp_stream_per_flow). */
		wl_f_uint(m, "udp.stream", (uint64_t)cv->stream);
		if (timed) {
			rel_time(m, "udp.time_relative", ctx->ts_ns - cv->first_ns);
			rel_time(m, "udp.time_delta", delta);
		}
		if (wl_left(&payload))
			wl_f_bytes(m, "udp.payload", payload.p, wl_left(&payload));
	}
	char text[32];
	struct wl_sb b = { text, 0, sizeof text };
	wl__sb_str(&b, "UDP ");
	wl__sb_u64(&b, plen);
	wl__sb_str(&b, " bytes");
	wl__msg_text_raw(m, text, b.n);
	if (plen > have && ctx->caplen < ctx->wirelen)
		wl_note(m, WL_WARN, "truncated by snaplen: %zu of %zu payload bytes captured", have, plen);
	int first = f->half[0].pkts + f->half[1].pkts == 1;
	if (plen > have && ctx->caplen >= ctx->wirelen)
		wl_note(m, WL_ERROR, "malformed: UDP length %u but the datagram holds %zu bytes",
			len, have + 8);
	else if (first && plen <= have)
		wl_note(m, WL_INFO, "UDP: no handshake, no acknowledgement; the datagram simply goes");
	m->minor = plen <= have && !first;
	wl_msg_emit(ctx, m);

	wl__flow_pick_dissector(ctx, f, dir, payload);
	if (f->muted)
		return;
	if (f->d && f->dst && f->d->datagram)
		f->d->datagram(f->dst, ctx, (enum wl_dir)dir, payload);
	else if (wl_left(&payload))
		wl__data_msg(ctx, dir, payload);
}

/* The header an ICMP error quotes: what tshark shows of it. */
void wl__udp_quoted(struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c)
{
	uint16_t sport = wl_be16(&c), dport = wl_be16(&c);
	if (!wl_ok(&c))
		return;
	wl_f_uint(m, "udp.srcport", sport);
	wl_f_uint(m, "udp.dstport", dport);
	if (ctx->opts.verbose) {
		wl_f_uint(m, "udp.port", sport);
		wl_f_uint(m, "udp.port", dport);
	}
	uint16_t len = wl_be16(&c), csum = wl_be16(&c);
	if (!wl_ok(&c))
		return;
	wl_f_uint(m, "udp.length", len);
	if (ctx->opts.verbose) {
		wl_f_hex(m, "udp.checksum", csum);
		wl_f_uint(m, "udp.checksum.status", csum_status(ctx, csum));
	}
}
