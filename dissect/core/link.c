/* link.c - link layers: Ethernet (802.1Q, QinQ), Linux cooked SLL and SLL2,
 * BSD NULL/loopback, raw IP, 802.11 data frames with or without radiotap.
 *
 *   Ethernet II          SLL (16 bytes)              SLL2 (20 bytes)
 *   +--------+          +--------+--------+         +----------+---------+
 *   | dst 6  |          | pkttype| hatype |         | protocol | rsvd    |
 *   | src 6  |          | halen  | addr 8 |         | ifindex 4          |
 *   | type 2 |          | protocol 2      |         | hatype pkttype halen addr 8 |
 *   +--------+          +-----------------+         +--------------------+
 */
#include <stdio.h>

#include "core.h"

enum {
	ETHERTYPE_IPV4 = 0x0800,
	ETHERTYPE_ARP = 0x0806,
	ETHERTYPE_VLAN = 0x8100,
	ETHERTYPE_QINQ = 0x88a8,
	ETHERTYPE_QINQ_OLD = 0x9100,
	ETHERTYPE_IPV6 = 0x86dd,
};

static const struct wl_tok arp_ops[] = {
	{ 1, "request" }, { 2, "reply" }, { 3, "RARP request" }, { 4, "RARP reply" }, { 0, NULL },
};

static void arp(struct wl_ctx *ctx, struct wl_cur c)
{
	struct wl_cur h = c;
	wl_skip(&h, 4);
	int hl = wl_peek(&h, 0), pl = wl_peek(&h, 1);
	if (hl >= 0 && pl >= 0)
		wl__l3_claims(ctx, 8u + 2u * (uint32_t)hl + 2u * (uint32_t)pl);
	struct wl_msg *m = wl__msg_pkt(ctx, "arp", "arp");
	uint16_t htype = wl_be16(&c), ptype = wl_be16(&c);
	uint8_t hlen = wl_u8(&c), plen = wl_u8(&c);
	uint16_t op = wl_be16(&c);
	wl_f_uint(m, "arp.opcode", op);
	if (htype == 1 && ptype == ETHERTYPE_IPV4 && hlen == 6 && plen == 4) {
		uint8_t sha[6], spa[4], tha[6], tpa[4];
		wl_copy(&c, sha, 6);
		wl_copy(&c, spa, 4);
		wl_copy(&c, tha, 6);
		wl_copy(&c, tpa, 4);
		if (wl_ok(&c)) {
			wl_f_ipv4(m, "arp.src.proto_ipv4", spa);
			wl_f_ipv4(m, "arp.dst.proto_ipv4", tpa);
			if (op == 1)
				wl_msg_text(m, "who has %u.%u.%u.%u? tell %u.%u.%u.%u", tpa[0], tpa[1],
					    tpa[2], tpa[3], spa[0], spa[1], spa[2], spa[3]);
			else
				wl_msg_text(m, "%u.%u.%u.%u is at %02x:%02x:%02x:%02x:%02x:%02x", spa[0],
					    spa[1], spa[2], spa[3], sha[0], sha[1], sha[2], sha[3], sha[4],
					    sha[5]);
		}
	} else {
		wl_msg_text(m, "ARP %s", wl_tok(arp_ops, op, "?"));
	}
	wl_note_cursor(m, &c, "ARP packet");
}

void wl__ethertype(struct wl_ctx *ctx, uint16_t type, struct wl_cur c)
{
	switch (type) {
	case ETHERTYPE_IPV4:
		wl__ipv4(ctx, c);
		break;
	case ETHERTYPE_IPV6:
		wl__ipv6(ctx, c);
		break;
	case ETHERTYPE_ARP:
		arp(ctx, c);
		break;
	default: {
		struct wl_msg *m = wl__msg_pkt(ctx, "eth", "frame");
		if (ctx->link.kind == WL_LK_NONE)  /* else the link header's fields have it (-v) */
			wl_f_hex(m, "eth.type", type);
		wl_msg_text(m, "ethertype 0x%04x, %zu bytes", type, wl_left(&c));
		m->minor = 1;
		break;
	}
	}
}

/* Where the link header's fields come from, on the first message (-v). */
static void link_note(struct wl_ctx *ctx, int kind, struct wl_cur start, const struct wl_cur *payload)
{
	if (!ctx->opts.verbose || !wl_ok(payload))
		return;
	ctx->link.kind = (uint8_t)kind;
	ctx->link.pending = 1;
	ctx->link.hdr = start.p;
	ctx->link.hdr_len = (uint32_t)(wl_left(&start) - wl_left(payload));
}

static void ethernet(struct wl_ctx *ctx, struct wl_cur c)
{
	const struct wl_cur start = c;
	wl_skip(&c, 12);
	uint16_t type = wl_be16(&c);
	/* 802.1Q and QinQ tags: up to a few, then the real type */
	unsigned tags = 0;
	for (; tags < 4 && (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD);
	     tags++) {
		wl_skip(&c, 2);
		type = wl_be16(&c);
	}
	ctx->link.nvlan = (uint8_t)tags;
	ctx->link.llc = type <= 1500;
	link_note(ctx, WL_LK_ETH, start, &c);
	if (!wl_ok(&c)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "eth", "frame");
		wl_msg_text(m, "Ethernet header cut short");
		wl_note_cursor(m, &c, "Ethernet header");
		return;
	}
	if (type <= 1500) {
		/* 802.3 length field: LLC, possibly SNAP with an ethertype */
		wl__l3_claims(ctx, type);
		if (wl_peek(&c, 0) == 0xaa && wl_peek(&c, 1) == 0xaa && wl_peek(&c, 2) == 0x03) {
			wl_skip(&c, 6);
			type = wl_be16(&c);
		} else {
			struct wl_msg *m = wl__msg_pkt(ctx, "llc", "frame");
			wl_msg_text(m, "802.3 LLC frame, %zu bytes", wl_left(&c));
			m->minor = 1;
			return;
		}
	}
	wl__ethertype(ctx, type, c);
}

/* Linux's own protocol numbers in SLL (below 1536, not ethertypes) */
static void sll_ltype(struct wl_ctx *ctx, uint16_t proto, struct wl_cur c)
{
	struct wl_msg *m = wl__msg_pkt(ctx, "sll", "frame");
	wl_msg_text(m, "Linux protocol 0x%04x, %zu bytes", proto, wl_left(&c));
	wl_note(m, WL_INFO, "not IP: a Linux link-layer protocol (SLL protocol type %u)", proto);
	m->minor = 1;
}

static void sll(struct wl_ctx *ctx, struct wl_cur c)
{
	const struct wl_cur start = c;
	wl_skip(&c, 14);
	uint16_t proto = wl_be16(&c);
	link_note(ctx, WL_LK_SLL, start, &c);
	if (!wl_ok(&c)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "sll", "frame");
		wl_msg_text(m, "Linux cooked header cut short");
		wl_note_cursor(m, &c, "Linux cooked header");
		return;
	}
	if (proto <= 1536)
		sll_ltype(ctx, proto, c);
	else
		wl__ethertype(ctx, proto, c);
}

static void sll2(struct wl_ctx *ctx, struct wl_cur c)
{
	const struct wl_cur start = c;
	uint16_t proto = wl_be16(&c);
	wl_skip(&c, 18);
	link_note(ctx, WL_LK_SLL2, start, &c);
	if (!wl_ok(&c)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "sll", "frame");
		wl_msg_text(m, "Linux cooked v2 header cut short");
		wl_note_cursor(m, &c, "Linux cooked v2 header");
		return;
	}
	if (proto <= 1536)
		sll_ltype(ctx, proto, c);
	else
		wl__ethertype(ctx, proto, c);
}

/* BSD loopback: a 4-byte address family in the writer's byte order (NULL;
 * a file written on a machine of the other order has it swapped), big-endian
 * (LOOP, though some writers use their own order there too). 2 is AF_INET;
 * IPv6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly), 30 (macOS) or 10
 * (Linux). An unknown family is said, and the packet shown as IP if it looks
 * like one, as tshark does for a frame whose family it does not know. */
static void null_loop(struct wl_ctx *ctx, struct wl_cur c, int big)
{
	uint32_t fam = big ? wl_be32(&c) : wl_le32(&c);
	if (fam > 0xffff)
		fam = __builtin_bswap32(fam);  /* written in the other byte order */
	if (!wl_ok(&c)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "null", "frame");
		wl_msg_text(m, "loopback header cut short");
		wl_note_cursor(m, &c, "loopback header");
		return;
	}
	if (fam == 2) {
		wl__ipv4(ctx, c);
	} else if (fam == 24 || fam == 28 || fam == 30 || fam == 10) {
		wl__ipv6(ctx, c);
	} else {
		struct wl_msg *m = wl__msg_pkt(ctx, "null", "frame");
		wl_msg_text(m, "loopback family %u, %zu bytes", fam, wl_left(&c));
		wl_note(m, WL_WARN, "not dissected: address family %u is neither IPv4 (2) nor IPv6 "
			"(24, 28, 30)", fam);
	}
}

static void raw_ip(struct wl_ctx *ctx, struct wl_cur c)
{
	int v = wl_peek(&c, 0);
	if (v >= 0 && (v >> 4) == 6)
		wl__ipv6(ctx, c);
	else
		wl__ipv4(ctx, c);
}

/* 802.11: only data frames carry IP; LLC/SNAP follows the MAC header. */
static void ieee80211(struct wl_ctx *ctx, struct wl_cur c)
{
	uint16_t fc = wl_le16(&c);
	unsigned type = (fc >> 2) & 3, subtype = (fc >> 4) & 15;
	if (!wl_ok(&c)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "wlan", "frame");
		wl_msg_text(m, "802.11 header cut short");
		wl_note_cursor(m, &c, "802.11 header");
		return;
	}
	if (type != 2) {
		struct wl_msg *m = wl__msg_pkt(ctx, "wlan", "frame");
		wl_msg_text(m, "802.11 %s frame", type == 0 ? "management" : type == 1 ? "control" : "other");
		m->minor = 1;
		return;
	}
	size_t hdr = 24 - 2;                   /* after frame control */
	if ((fc & 0x0300) == 0x0300)
		hdr += 6;                      /* four addresses (WDS) */
	if (subtype & 8)
		hdr += 2;                      /* QoS control */
	if ((subtype & 8) && (fc & 0x8000))
		hdr += 4;                      /* HT control */
	wl_skip(&c, hdr);
	if (subtype & 4) {                     /* null data: no payload */
		struct wl_msg *m = wl__msg_pkt(ctx, "wlan", "frame");
		wl_msg_text(m, "802.11 null data");
		m->minor = 1;
		return;
	}
	if (fc & 0x4000) {
		struct wl_msg *m = wl__msg_pkt(ctx, "wlan", "frame");
		wl_msg_text(m, "802.11 protected data, %zu bytes", wl_left(&c));
		wl_note(m, WL_INFO, "encrypted by the wireless link (WEP/WPA)");
		return;
	}
	if (wl_left(&c) < 8)
		wl_need(&c, 8);        /* not even an LLC/SNAP header: cut short */
	if (wl_peek(&c, 0) == 0xaa && wl_peek(&c, 1) == 0xaa) {
		wl_skip(&c, 6);
		uint16_t et = wl_be16(&c);
		if (wl_ok(&c)) {
			wl__ethertype(ctx, et, c);
			return;
		}
	}
	struct wl_msg *m = wl__msg_pkt(ctx, "wlan", "frame");
	wl_msg_text(m, "802.11 data without LLC/SNAP");
	wl_note_cursor(m, &c, "802.11 header");
}

static void radiotap(struct wl_ctx *ctx, struct wl_cur c)
{
	struct wl_cur h = c;
	wl_skip(&h, 2);
	uint16_t len = wl_le16(&h);
	wl_skip(&c, len);
	if (len < 8 || !wl_ok(&c)) {
		struct wl_msg *m = wl__msg_pkt(ctx, "radiotap", "frame");
		wl_msg_text(m, "radiotap header cut short");
		wl_note(m, WL_ERROR, "malformed: radiotap length %u", len);
		return;
	}
	ieee80211(ctx, c);
}

void wl__link(struct wl_ctx *ctx, int linktype, struct wl_cur c)
{
	switch (linktype) {
	case WL_LINK_ETHERNET: ethernet(ctx, c); break;
	case WL_LINK_SLL: sll(ctx, c); break;
	case WL_LINK_SLL2: sll2(ctx, c); break;
	case WL_LINK_NULL: null_loop(ctx, c, 0); break;
	case WL_LINK_LOOP: null_loop(ctx, c, 1); break;
	case WL_LINK_RAW: raw_ip(ctx, c); break;
	case WL_LINK_IPV4: wl__ipv4(ctx, c); break;
	case WL_LINK_IPV6: wl__ipv6(ctx, c); break;
	case WL_LINK_IEEE802_11: ieee80211(ctx, c); break;
	case WL_LINK_RADIOTAP: radiotap(ctx, c); break;
	default: {
		struct wl_msg *m = wl__msg_pkt(ctx, "frame", "frame");
		wl_msg_text(m, "link type %d not supported", linktype);
		break;
	}
	}
}

/* ---- the link header's fields (-v), on the frame's first message ---- */

static void mac(struct wl_msg *m, const char *name, const uint8_t *a)
{
	char s[18];
	snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
	wl_f_cstr(m, name, s);
}

/* One Ethernet address as tshark lists it: itself, under eth.addr too, its
 * OUI, and the locally-administered and group bits. */
static void eth_addr(struct wl_msg *m, const uint8_t *a, int src)
{
	uint32_t oui = (uint32_t)a[0] << 16 | (uint32_t)a[1] << 8 | a[2];
	mac(m, src ? "eth.src" : "eth.dst", a);
	mac(m, src ? "eth.src_resolved" : "eth.dst_resolved", a);  /* -n: the address itself */
	wl_f_uint(m, src ? "eth.src.oui" : "eth.dst.oui", oui);
	mac(m, "eth.addr", a);
	mac(m, "eth.addr_resolved", a);
	wl_f_uint(m, "eth.addr.oui", oui);
	wl_f_bool(m, src ? "eth.src.lg" : "eth.dst.lg", a[0] & 2);
	wl_f_bool(m, "eth.lg", a[0] & 2);
	wl_f_bool(m, src ? "eth.src.ig" : "eth.dst.ig", a[0] & 1);
	wl_f_bool(m, "eth.ig", a[0] & 1);
}

/* Bytes after what the network layer claims: padding up to the Ethernet
 * minimum of 60, then a trailer, the last 4 of which are taken for the FCS
 * when the frame is long enough to have one (tshark's heuristic). */
static void trailer(struct wl_ctx *ctx, struct wl_msg *m, int fcs_ok, const char *trailer_name)
{
	const struct wl_link_info *l = &ctx->link;
	if (!l->l3_set || ctx->wirelen < l->hdr_len)
		return;
	uint32_t rep = ctx->wirelen - l->hdr_len;
	if (rep <= l->l3_len || ctx->caplen < ctx->wirelen)
		return;                  /* nothing after it, or not captured */
	uint32_t tlen = rep - l->l3_len, before = ctx->wirelen - tlen;
	const struct wl_cur frame = wl_cur_make(ctx->frame_data, ctx->caplen);
	struct wl_cur t = wl_at(&frame, ctx->wirelen - tlen, tlen);
	uint32_t pad = before < 60 ? 60 - before : 0;
	if (pad > tlen)
		pad = tlen;
	if (pad)
		wl_f_bytes(m, "eth.padding", wl_bytes(&t, pad), pad);
	uint32_t rest = tlen - pad;
	int fcs = fcs_ok && rest >= 4 && ctx->wirelen >= 64;
	if (rest - (fcs ? 4u : 0u))
		wl_f_bytes(m, trailer_name, wl_bytes(&t, rest - (fcs ? 4u : 0u)), rest - (fcs ? 4u : 0u));
	if (fcs) {
		wl_f_hex(m, "eth.fcs", wl_be32(&t));
		wl_f_uint(m, "eth.fcs.status", 2);  /* unverified */
	}
}

static void sll_fields(struct wl_msg *m, struct wl_cur h, int v2)
{
	uint16_t proto = 0, pkttype, hatype, halen;
	if (v2) {
		proto = wl_be16(&h);
		wl_skip(&h, 2);
		wl_f_hex(m, "sll.etype", proto);
		wl_f_uint(m, "sll.ifindex", wl_be32(&h));
		hatype = wl_be16(&h);
		pkttype = wl_u8(&h);
		halen = wl_u8(&h);
		wl_f_uint(m, "sll.hatype", hatype);
		wl_f_uint(m, "sll.pkttype", pkttype);
		wl_f_uint(m, "sll.halen", halen);
	} else {
		pkttype = wl_be16(&h);
		hatype = wl_be16(&h);
		halen = wl_be16(&h);
		wl_f_uint(m, "sll.pkttype", pkttype);
		wl_f_uint(m, "sll.hatype", hatype);
		wl_f_uint(m, "sll.halen", halen);
	}
	struct wl_cur a = wl_sub(&h, 8);
	size_t used = halen > 8 ? 8 : halen;
	const uint8_t *addr = wl_bytes(&a, used), *unused = wl_bytes(&a, 8 - used);
	if (!addr || !unused)
		return;
	if (halen == 4)
		wl_f_ipv4(m, "sll.src.ipv4", addr);
	else if (halen == 6)
		mac(m, "sll.src.eth", addr);
	else if (halen)
		wl_f_bytes(m, "sll.src.other", addr, used);
	if (used < 8)
		wl_f_bytes(m, "sll.unused", unused, 8 - used);
	if (!v2) {
		proto = wl_be16(&h);
		if (proto <= 1536)
			wl_f_hex(m, "sll.ltype", proto);
		else
			wl_f_hex(m, "sll.etype", proto);
	}
}

void wl__link_fields(struct wl_ctx *ctx, struct wl_msg *m)
{
	struct wl_link_info *l = &ctx->link;
	l->pending = 0;
	struct wl_cur h = wl_cur_make(l->hdr, l->hdr_len);
	if (l->kind == WL_LK_SLL || l->kind == WL_LK_SLL2) {
		sll_fields(m, h, l->kind == WL_LK_SLL2);
		trailer(ctx, m, 0, "sll.trailer");
		return;
	}
	const uint8_t *dst = wl_bytes(&h, 6), *src = wl_bytes(&h, 6);
	if (!dst || !src)
		return;
	eth_addr(m, dst, 0);
	eth_addr(m, src, 1);
	uint16_t type = wl_be16(&h);
	for (unsigned i = 0; i < l->nvlan && wl_ok(&h); i++) {
		uint16_t tci = wl_be16(&h), next = wl_be16(&h);
		if (i == 0)
			wl_f_hex(m, "eth.type", type);
		wl_f_uint(m, "vlan.priority", tci >> 13);
		wl_f_uint(m, "vlan.dei", tci >> 12 & 1u);
		wl_f_uint(m, "vlan.id", tci & 0xfffu);
		wl_f_hex(m, next <= 1500 ? "vlan.len" : "vlan.etype", next);
		type = next;
	}
	if (!l->nvlan)
		wl_f_hex(m, type <= 1500 ? "eth.len" : "eth.type", type);
	trailer(ctx, m, 1, "eth.trailer");
}
