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
	if (wl_ok(&c)) {
		wl_f_uint(m, "arp.hw.type", htype);
		wl_f_hex(m, "arp.proto.type", ptype);
		wl_f_uint(m, "arp.hw.size", hlen);
		wl_f_uint(m, "arp.proto.size", plen);
	}
	wl_f_uint(m, "arp.opcode", op);
	if (htype == 1 && ptype == ETHERTYPE_IPV4 && hlen == 6 && plen == 4) {
		uint8_t sha[6], spa[4], tha[6], tpa[4];
		wl_copy(&c, sha, 6);
		wl_copy(&c, spa, 4);
		wl_copy(&c, tha, 6);
		wl_copy(&c, tpa, 4);
		if (wl_ok(&c)) {
			wl__f_mac(m, "arp.src.hw_mac", sha);
			wl_f_ipv4(m, "arp.src.proto_ipv4", spa);
			wl__f_mac(m, "arp.dst.hw_mac", tha);
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
