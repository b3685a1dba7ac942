/* linkfields.c - the link header's fields (-v: eth.*, sll.*), on the frame's
 * first message. A file of its own, as ipfields.c: msg.c adds them when it
 * opens that message, and they need only the field adders (field.c), so
 * they sit below msg.c while link.c, which calls msg.c, sits above it. */
#include "core.h"

/* "%02x:...:%02x" by hand: four of them on every frame with -v (and with a
 * filter that names a -v field), where glibc's snprintf cost 55% of a run */
void wl__f_mac(struct wl_msg *m, const char *name, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	char s[18];
	for (int i = 0; i < 6; i++) {
		s[3 * i] = hex[a[i] >> 4];
		s[3 * i + 1] = hex[a[i] & 15];
		s[3 * i + 2] = i < 5 ? ':' : '\0';
	}
	wl_f_cstr(m, name, s);
}

/* One Ethernet address as tshark lists it: itself, under eth.addr too, its
 * OUI, and the locally-administered and group bits. */
static void eth_addr(struct wl_msg *m, const uint8_t *a, int src)
{
	uint32_t oui = (uint32_t)a[0] << 16 | (uint32_t)a[1] << 8 | a[2];
	wl__f_mac(m, src ? "eth.src" : "eth.dst", a);
	wl__f_mac(m, src ? "eth.src_resolved" : "eth.dst_resolved", a);  /* -n: the address itself */
	wl_f_uint(m, src ? "eth.src.oui" : "eth.dst.oui", oui);
	wl__f_mac(m, "eth.addr", a);
	wl__f_mac(m, "eth.addr_resolved", a);
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
		wl__f_mac(m, "sll.src.eth", addr);
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
