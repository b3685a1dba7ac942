/* ip.c - IPv4 (RFC 791) with options and fragment reassembly, IPv6 (RFC 8200)
 * with extension headers and fragments, ICMP (RFC 792) and ICMPv6 (RFC 4443).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   |         Identification        |Flags|      Fragment Offset    |
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   |                       Source Address                          |
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Fragments are held per (af, src, dst, id, protocol) in 8-byte units, first
 * copy wins on overlap, with a cap on queues and bytes and a timeout; the frame
 * that completes a datagram carries its transport message, as in tshark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define FRAG_MAX_QUEUES 256
#define FRAG_MAX_BYTES (16u << 20)
#define FRAG_TIMEOUT_NS (30LL * 1000000000LL)
#define FRAG_MAX_LEN 65535u

struct wl_fragq {
	struct wl_fragq *next;
	uint8_t af, proto;
	uint8_t src[16], dst[16];
	uint32_t id;
	int64_t first_ns;
	uint32_t total;          /* known once the last fragment arrived; 0 before */
	uint32_t have;           /* bytes filled */
	uint8_t units[(FRAG_MAX_LEN + 7) / 8 / 8 + 1];  /* bitmap of 8-byte units */
	uint8_t data[FRAG_MAX_LEN];
};

static void transport(struct wl_ctx *ctx, uint8_t proto, struct wl_cur c, uint32_t len);

static void set_addrs(struct wl_ctx *ctx, int af, const uint8_t *src, const uint8_t *dst)
{
	size_t n = af == 4 ? 4 : 16;
	ctx->ip_af = (uint8_t)af;
	memset(ctx->ip_src, 0, 16);
	memset(ctx->ip_dst, 0, 16);
	memcpy(ctx->ip_src, src, n);
	memcpy(ctx->ip_dst, dst, n);
	ctx->pkt_eps_ok = 0;  /* texts made only if a message without a flow needs them */
}

/* One more IP header in the frame (a tunnel's inner one, or the header an
 * ICMP error quotes): returns its layer, or -1 when there are too many. */
static int push_layer(struct wl_ctx *ctx, int af, const uint8_t *hdr, size_t hlen)
{
	if (ctx->nipl >= WL_IP_LAYERS)
		return -1;
	struct wl_ip_layer *l = &ctx->ipl[ctx->nipl];
	l->af = (uint8_t)af;
	l->hdr = hdr;
	l->hlen = (uint16_t)hlen;
	return ctx->nipl++;
}

/* A frame with more nested IP headers than we follow. */
static void too_deep(struct wl_ctx *ctx, int af)
{
	struct wl_msg *m = wl__msg_pkt(ctx, af == 4 ? "ip" : "ipv6", "ip");
	wl__ip_fields(ctx, m);
	wl_msg_text(m, "IP in IP nested more than %d deep", WL_IP_LAYERS);
	wl_note(m, WL_WARN, "not dissected: more than %d nested IP headers", WL_IP_LAYERS);
}

/* Bytes from the cursor to the end of the frame on the wire: those captured
 * plus those the snapshot length cut off. */
static size_t on_wire(const struct wl_ctx *ctx, size_t have)
{
	return have + (ctx->wirelen > ctx->caplen ? ctx->wirelen - ctx->caplen : 0);
}

/* A length field larger than the frame: said once, then the frame's length is used. */
static void len_lies(struct wl_ctx *ctx, const char *what, size_t claimed, size_t real)
{
	struct wl_msg *m = wl__msg_pkt(ctx, ctx->ip_af == 4 ? "ip" : "ipv6", "length");
	wl_msg_text(m, "%s %zu exceeds the frame (%zu bytes)", what, claimed, real);
	wl_note(m, WL_ERROR, "malformed: %s %zu but only %zu bytes follow", what, claimed, real);
	wl__msg_flush(ctx);
}

/* ---- fragments ---- */

static void fragq_drop(struct wl_ctx *ctx, struct wl_fragq **pp)
{
	struct wl_fragq *q = *pp;
	*pp = q->next;
	ctx->frag_bytes -= sizeof *q;
	free(q);
}

void wl__frag_free(struct wl_ctx *ctx)
{
	while (ctx->frags)
		fragq_drop(ctx, &ctx->frags);
}

static unsigned fragq_count(const struct wl_ctx *ctx)
{
	return (unsigned)(ctx->frag_bytes / sizeof(struct wl_fragq));  /* each queue counts its size */
}

static struct wl_fragq *fragq_find(struct wl_ctx *ctx, uint8_t proto, uint32_t id)
{
	size_t alen = ctx->ip_af == 4 ? 4 : 16;
	struct wl_fragq **pp = &ctx->frags;
	while (*pp) {
		struct wl_fragq *q = *pp;
		if (ctx->ts_ns - q->first_ns > FRAG_TIMEOUT_NS) {
			fragq_drop(ctx, pp);
			ctx->stats.frag_drops++;
			continue;
		}
		if (q->af == ctx->ip_af && q->proto == proto && q->id == id &&
		    memcmp(q->src, ctx->ip_src, alen) == 0 && memcmp(q->dst, ctx->ip_dst, alen) == 0)
			return q;
		pp = &q->next;
	}
	if (fragq_count(ctx) >= FRAG_MAX_QUEUES || ctx->frag_bytes + sizeof(struct wl_fragq) > FRAG_MAX_BYTES)
		return NULL;
	struct wl_fragq *q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	q->af = ctx->ip_af;
	q->proto = proto;
	q->id = id;
	memcpy(q->src, ctx->ip_src, 16);
	memcpy(q->dst, ctx->ip_dst, 16);
	q->first_ns = ctx->ts_ns;
	q->next = ctx->frags;
	ctx->frags = q;
	ctx->frag_bytes += sizeof *q;
	return q;
}

static int unit_isset(const struct wl_fragq *q, uint32_t u) { return q->units[u >> 3] >> (u & 7) & 1; }

/* Adds one fragment; returns 1 when the datagram is complete. */
static int fragq_add(struct wl_fragq *q, uint32_t off, int more, struct wl_cur c)
{
	size_t n = wl_left(&c);
	if (off + n > FRAG_MAX_LEN)
		return -1;
	if (!more)
		q->total = (uint32_t)(off + n);
	const uint8_t *p = wl_bytes(&c, n);
	for (uint32_t u = off / 8; p && u * 8 < off + n; u++) {
		uint32_t start = u * 8, end = start + 8 > off + n ? (uint32_t)(off + n) : start + 8;
		if (unit_isset(q, u))
			continue; /* first copy wins */
		memcpy(q->data + start, p + (start - off), end - start);
		q->units[u >> 3] |= (uint8_t)(1u << (u & 7));
		q->have += end - start;
	}
	if (!q->total || q->have < q->total)
		return 0;
	/* bytes past the end may have been counted: every unit up to it must be in */
	for (uint32_t u = 0; u * 8 < q->total; u++)
		if (!unit_isset(q, u))
			return 0;
	return 1;
}

static void fragment(struct wl_ctx *ctx, uint8_t proto, uint32_t id, uint32_t off, int more,
		     struct wl_cur payload)
{
	struct wl_fragq *q = fragq_find(ctx, proto, id);
	int done = q ? fragq_add(q, off, more, payload) : -1;
	if (done == 1) {
		struct wl_fragq **pp = &ctx->frags;
		while (*pp != q)
			pp = &(*pp)->next;
		*pp = q->next;  /* unlink before use: the transport may add more */
		transport(ctx, proto, wl_cur_make(q->data, q->total), q->total);
		ctx->frag_bytes -= sizeof *q;
		free(q);
		return;
	}
	struct wl_msg *m = wl__msg_pkt(ctx, ctx->ip_af == 4 ? "ip" : "ipv6", "fragment");
	wl__ip_fields(ctx, m);
	if (ctx->ip_af == 6)
		wl_f_uint(m, "ipv6.fragment.offset", off);
	else if (!ctx->opts.verbose)   /* with -v the header's fields have it */
		wl_f_uint(m, "ip.frag_offset", off);
	wl_msg_text(m, "fragment id 0x%x, %zu bytes at offset %u%s", id, wl_left(&payload), off,
		    more ? ", more follow" : ", last");
	if (done < 0) {
		ctx->stats.frag_drops++;
		wl_note(m, WL_WARN, "fragment dropped: reassembly limit reached or offset beyond 64 KiB");
	} else {
		wl_note(m, WL_INFO, "IP fragment held until the whole datagram has arrived");
	}
}

/* A fragment the capture did not keep whole cannot be reassembled. */
static void frag_cut(struct wl_ctx *ctx, uint32_t id)
{
	struct wl_msg *m = wl__msg_pkt(ctx, ctx->ip_af == 4 ? "ip" : "ipv6", "fragment");
	wl__ip_fields(ctx, m);
	wl_msg_text(m, "fragment id 0x%x cut short by the snapshot length", id);
	wl_note(m, WL_WARN, "truncated by snaplen: fragment not reassembled");
}

/* ---- ICMP ---- */

static const struct wl_tok icmp_types[] = {
	{ 0, "echo reply" }, { 3, "destination unreachable" }, { 4, "source quench" },
	{ 5, "redirect" }, { 8, "echo request" }, { 9, "router advertisement" },
	{ 10, "router solicitation" }, { 11, "time exceeded" }, { 12, "parameter problem" },
	{ 13, "timestamp request" }, { 14, "timestamp reply" }, { 0, NULL },
};

static const struct wl_tok icmp_unreach[] = {
	{ 0, "network unreachable" }, { 1, "host unreachable" }, { 2, "protocol unreachable" },
	{ 3, "port unreachable" }, { 4, "fragmentation needed" }, { 9, "network prohibited" },
	{ 10, "host prohibited" }, { 13, "communication administratively prohibited" }, { 0, NULL },
};

static const struct wl_tok icmp6_types[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" }, { 3, "time exceeded" },
	{ 4, "parameter problem" }, { 128, "echo request" }, { 129, "echo reply" },
	{ 133, "router solicitation" }, { 134, "router advertisement" },
	{ 135, "neighbor solicitation" }, { 136, "neighbor advertisement" }, { 137, "redirect" },
	{ 143, "multicast listener report v2" }, { 0, NULL },
};

/* The start of the datagram an ICMP error is about (RFC 792, RFC 4443 2.4):
 * its IP header and the ports of its transport header, as further layers of
 * the ICMP message, as tshark shows them. */
static void quoted(struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c, int v6)
{
	size_t hlen;
	uint8_t proto;
	int v = wl_peek(&c, 0);
	if (!v6 && v >= 0 && (v >> 4) == 4 && wl_left(&c) >= 20 && (size_t)(v & 15) * 4 >= 20) {
		hlen = (size_t)(v & 15) * 4;
		proto = (uint8_t)wl_peek(&c, 9);
	} else if (v6 && v >= 0 && (v >> 4) == 6 && wl_left(&c) >= 40) {
		hlen = 40;
		proto = (uint8_t)wl_peek(&c, 6);
	} else {
		return;
	}
	struct wl_cur t = c;
	const uint8_t *hdr = wl_bytes(&t, v6 ? 40 : 20);
	int layer = hdr ? push_layer(ctx, v6 ? 6 : 4, hdr, hlen) : -1;
	if (layer < 0)
		return;
	wl__ip_layer_fields(ctx, m, (unsigned)layer);
	wl_skip(&c, hlen);
	if (!wl_ok(&c))
		return;
	if (proto == 6)
		wl__tcp_quoted(ctx, m, c);
	else if (proto == 17)
		wl__udp_quoted(ctx, m, c);
}

static int icmp_is_error(int v6, uint8_t type)
{
	return v6 ? type >= 1 && type <= 4 : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static void icmp(struct wl_ctx *ctx, struct wl_cur c, int v6, uint32_t len)
{
	struct wl_msg *m = wl__msg_pkt(ctx, v6 ? "icmpv6" : "icmp", "icmp");
	size_t have = wl_left(&c);
	uint8_t type = wl_u8(&c), code = wl_u8(&c);
	wl_skip(&c, 2);
	wl__ip_fields(ctx, m);
	if (!wl_ok(&c)) {
		wl_msg_text(m, "%s header cut short", v6 ? "ICMPv6" : "ICMP");
		wl_note_cursor(m, &c, "ICMP header");
		return;
	}
	wl_f_uint(m, v6 ? "icmpv6.type" : "icmp.type", type);
	wl_f_uint(m, v6 ? "icmpv6.code" : "icmp.code", code);
	const char *name = wl_tok(v6 ? icmp6_types : icmp_types, type, "type");
	int echo = v6 ? (type == 128 || type == 129) : (type == 0 || type == 8);
	if (echo) {
		uint16_t id = wl_be16(&c), seq = wl_be16(&c);
		wl_f_uint(m, v6 ? "icmpv6.echo.identifier" : "icmp.ident", id);
		wl_f_uint(m, v6 ? "icmpv6.echo.sequence_number" : "icmp.seq", seq);
		wl_msg_text(m, "%s %s id=%u seq=%u", v6 ? "ICMPv6" : "ICMP", name, id, seq);
		wl_note(m, WL_INFO, "ping: %s", (type == 8 || type == 128) ? "are you there?" : "yes, here");
	} else if (!v6 && type == 3) {
		wl_msg_text(m, "ICMP %s: %s", name, wl_tok(icmp_unreach, code, "unreachable"));
		if (code == 3)
			wl_note(m, WL_INFO, "nothing listens on that UDP port: the kernel answers for it");
	} else {
		wl_msg_text(m, "%s %s (type %u code %u)", v6 ? "ICMPv6" : "ICMP", name, type, code);
	}
	if (icmp_is_error(v6, type)) {
		struct wl_cur q = c;
		wl_skip(&q, 4);  /* unused, or the MTU / pointer */
		if (wl_ok(&q))
			quoted(ctx, m, q, v6);
	}
	wl_note_cursor(m, &c, "ICMP header");
	if (wl_ok(&c) && have < len)
		wl_note(m, WL_WARN, "truncated by snaplen: %zu of %u ICMP bytes captured", have, len);
}

/* ---- transport dispatch ---- */

static void transport(struct wl_ctx *ctx, uint8_t proto, struct wl_cur c, uint32_t len)
{
	switch (proto) {
	case 6:
		wl__tcp(ctx, c, len);
		break;
	case 17:
		wl__udp(ctx, c);
		break;
	case 1:
		icmp(ctx, c, 0, len);
		break;
	case 58:
		icmp(ctx, c, 1, len);
		break;
	case 4:
		wl__ipv4(ctx, c);  /* IP in IP */
		break;
	case 41:
		wl__ipv6(ctx, c);
		break;
	default: {
		struct wl_msg *m = wl__msg_pkt(ctx, ctx->ip_af == 4 ? "ip" : "ipv6", "ip");
		wl__ip_fields(ctx, m);
		if (!ctx->opts.verbose)   /* with -v the header's fields have it */
			wl_f_uint(m, ctx->ip_af == 4 ? "ip.proto" : "ipv6.nxt", proto);
		wl_msg_text(m, "IP protocol %u, %zu bytes", proto, wl_left(&c));
		break;
	}
	}
}

void wl__ipv4(struct wl_ctx *ctx, struct wl_cur c)
{
	struct wl_cur h = c;
	uint8_t vihl = wl_u8(&h);
	wl_skip(&h, 1);
	uint16_t total = wl_be16(&h), id = wl_be16(&h), frag = wl_be16(&h);
	wl_skip(&h, 1);
	uint8_t proto = wl_u8(&h);
	wl_skip(&h, 2);
	uint8_t src[4], dst[4];
	wl_copy(&h, src, 4);
	wl_copy(&h, dst, 4);
	size_t ihl = (size_t)(vihl & 15) * 4;
	if (ctx->nipl >= WL_IP_LAYERS) {
		too_deep(ctx, 4);
		return;
	}
	if (!wl_ok(&h) || (vihl >> 4) != 4 || ihl < 20 || total < ihl || wl_left(&c) < ihl) {
		if (wl_ok(&h)) {
			set_addrs(ctx, 4, src, dst);
			push_layer(ctx, 4, c.p, 20);
		}
		struct wl_msg *m = wl__msg_pkt(ctx, "ip", "ip");
		wl__ip_fields(ctx, m);
		wl_msg_text(m, "IPv4 header %s", wl_ok(&h) && wl_left(&c) >= ihl ? "invalid" : "cut short");
		wl_note(m, WL_ERROR, "malformed: IPv4 version %u, header length %zu, total length %u",
			vihl >> 4, ihl, total);
		return;
	}
	set_addrs(ctx, 4, src, dst);
	push_layer(ctx, 4, c.p, ihl);
	wl__l3_claims(ctx, total);
	wl_skip(&c, ihl);  /* options are skipped: none carries anything we teach */
	size_t have = wl_left(&c);
	size_t plen = total - ihl;
	if (wl_ok(&c) && plen > on_wire(ctx, have)) {
		plen = on_wire(ctx, have);  /* as tshark: what the frame holds */
		len_lies(ctx, "IPv4 total length", total, plen + ihl);
	}
	struct wl_cur payload = wl_sub(&c, plen < have ? plen : have); /* drop Ethernet padding */
	uint32_t off = (uint32_t)(frag & 0x1fff) * 8;
	int more = (frag & 0x2000) != 0;
	if (more || off) {
		if (plen > have) {
			frag_cut(ctx, id);
			return;
		}
		fragment(ctx, proto, id, off, more, payload);
		return;
	}
	transport(ctx, proto, payload, (uint32_t)plen);
}

void wl__ipv6(struct wl_ctx *ctx, struct wl_cur c)
{
	const struct wl_cur start = c;
	uint32_t vtf = wl_be32(&c);
	uint16_t plen = wl_be16(&c);
	uint8_t nxt = wl_u8(&c);
	wl_skip(&c, 1);
	uint8_t src[16], dst[16];
	wl_copy(&c, src, 16);
	wl_copy(&c, dst, 16);
	if (ctx->nipl >= WL_IP_LAYERS) {
		too_deep(ctx, 6);
		return;
	}
	if (!wl_ok(&c) || (vtf >> 28) != 6) {
		struct wl_msg *m = wl__msg_pkt(ctx, "ipv6", "ipv6");
		wl__ip_fields(ctx, m);
		wl_msg_text(m, "IPv6 header %s", wl_ok(&c) ? "invalid" : "cut short");
		wl_note(m, WL_ERROR, "malformed: IPv6 header");
		return;
	}
	set_addrs(ctx, 6, src, dst);
	push_layer(ctx, 6, start.p, 40);
	wl__l3_claims(ctx, 40u + plen);
	size_t have = wl_left(&c);
	if (plen > on_wire(ctx, have)) {
		len_lies(ctx, "IPv6 payload length", plen, on_wire(ctx, have));
		plen = (uint16_t)on_wire(ctx, have);
	}
	struct wl_cur p = wl_sub(&c, plen < have ? plen : have);
	uint32_t len = plen;
	/* extension headers: hop-by-hop, routing, destination options, fragment, AH */
	for (int i = 0; i < 8; i++) {
		if (nxt == 0 || nxt == 43 || nxt == 60) {
			uint8_t n2 = wl_u8(&p);
			size_t elen = ((size_t)wl_u8(&p) + 1) * 8;
			wl_skip(&p, elen - 2);
			len = len >= elen ? len - (uint32_t)elen : 0;
			nxt = n2;
		} else if (nxt == 51) {
			uint8_t n2 = wl_u8(&p);
			size_t elen = ((size_t)wl_u8(&p) + 2) * 4;
			wl_skip(&p, elen - 2);
			len = len >= elen ? len - (uint32_t)elen : 0;
			nxt = n2;
		} else if (nxt == 44) {
			uint8_t n2 = wl_u8(&p);
			wl_skip(&p, 1);
			uint16_t offm = wl_be16(&p);
			uint32_t id = wl_be32(&p);
			if (!wl_ok(&p))
				break;
			if (plen > have)
				frag_cut(ctx, id);
			else
				fragment(ctx, n2, id, (uint32_t)(offm & 0xfff8), offm & 1, p);
			return;
		} else {
			break;
		}
	}
	if (!wl_ok(&p)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "ipv6", "ipv6");
		wl__ip_fields(ctx, m);
		wl_msg_text(m, "IPv6 extension headers cut short");
		wl_note_cursor(m, &p, "IPv6 extension header");
		return;
	}
	if (nxt == 59) {
		struct wl_msg *m = wl__msg_pkt(ctx, "ipv6", "ipv6");
		wl__ip_fields(ctx, m);
		wl_msg_text(m, "IPv6, no next header");
		wl_note(m, WL_INFO, "next header 59: nothing follows the IPv6 headers");
		m->minor = 1;
		return;
	}
	transport(ctx, nxt, p, len);
}
