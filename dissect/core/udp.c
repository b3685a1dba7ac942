/* udp.c - UDP (RFC 768): the header, the flow, one datagram to the dissector.
 *
 *   +--------+--------+--------+--------+
 *   |  Source Port    |   Dest Port     |
 *   |  Length         |   Checksum      |
 *   +--------+--------+--------+--------+
 */
#include "core.h"

void wl__udp(struct wl_ctx *ctx, struct wl_cur c)
{
	struct wl_cur start = c;
	uint16_t sport = wl_be16(&c), dport = wl_be16(&c), len = wl_be16(&c);
	wl_skip(&c, 2);
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
	struct wl_flow *f = wl__flow_get(ctx, 0, ctx->ip_src, sport, ctx->ip_dst, dport, &dir, 0);
	if (!f)
		return;
	ctx->flow = f;
	f->half[dir].pkts++;
	f->half[dir].bytes += plen;

	struct wl_msg *m = wl_msg_new(ctx, "udp", "datagram", (enum wl_dir)dir);
	wl__ip_fields(ctx, m);
	wl_f_uint(m, "udp.srcport", sport);
	wl_f_uint(m, "udp.dstport", dport);
	wl_f_uint(m, "udp.length", len);
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
	if (f->d && f->dst && f->d->datagram)
		f->d->datagram(f->dst, ctx, (enum wl_dir)dir, payload);
	else if (wl_left(&payload))
		wl__data_msg(ctx, dir, payload);
}
