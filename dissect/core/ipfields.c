/* ipfields.c - the frame's IP headers as fields of the IP, TCP and UDP
 * messages: the addresses always, all of tshark's ip.* / ipv6.* with -v;
 * every header in order (a tunnel's outer one first, then the inner, then
 * the one an ICMP error quotes), as tshark repeats them. A file of its own:
 * below ip.c, tcp.c and udp.c, which all call it, and apart from msg.c,
 * whose field builders inline better alone. */
#include <stdio.h>

#include "core.h"

static void host(struct wl_msg *m, const char *name, int af, const uint8_t *a)
{
	char s[WL_EP_STRLEN];
	wl__ep_str(s, sizeof s, af, a, -1);
	wl_f_cstr(m, name, s);
}

/* h: a header the IP layer checked (20 bytes of IPv4, 40 of IPv6) */
static void ipv4(struct wl_msg *m, struct wl_cur h)
{
	uint8_t vihl = wl_u8(&h), tos = wl_u8(&h);
	uint16_t total = wl_be16(&h), id = wl_be16(&h), frag = wl_be16(&h);
	uint8_t ttl = wl_u8(&h), proto = wl_u8(&h);
	uint16_t csum = wl_be16(&h);
	uint8_t src[4], dst[4];
	wl_copy(&h, src, 4);
	wl_copy(&h, dst, 4);
	if (!wl_ok(&h))
		return;
	wl_f_uint(m, "ip.version", vihl >> 4);
	wl_f_uint(m, "ip.hdr_len", (vihl & 15u) * 4u);
	wl_f_hex(m, "ip.dsfield", tos);
	wl_f_uint(m, "ip.dsfield.dscp", tos >> 2);
	wl_f_uint(m, "ip.dsfield.ecn", tos & 3u);
	wl_f_uint(m, "ip.len", total);
	wl_f_hex(m, "ip.id", id);
	wl_f_hex(m, "ip.flags", frag >> 13);
	wl_f_bool(m, "ip.flags.rb", frag & 0x8000);
	wl_f_bool(m, "ip.flags.df", frag & 0x4000);
	wl_f_bool(m, "ip.flags.mf", frag & 0x2000);
	wl_f_uint(m, "ip.frag_offset", (frag & 0x1fffu) * 8u);
	wl_f_uint(m, "ip.ttl", ttl);
	wl_f_uint(m, "ip.proto", proto);
	wl_f_hex(m, "ip.checksum", csum);
	wl_f_uint(m, "ip.checksum.status", 2);  /* unverified, as tshark by default */
	wl_f_ipv4(m, "ip.src", src);
	wl_f_ipv4(m, "ip.addr", src);
	host(m, "ip.src_host", 4, src);
	host(m, "ip.host", 4, src);
	wl_f_ipv4(m, "ip.dst", dst);
	wl_f_ipv4(m, "ip.addr", dst);
	host(m, "ip.dst_host", 4, dst);
	host(m, "ip.host", 4, dst);
}

/* The MAC address in an interface identifier made from it (RFC 4291
 * appendix A: ff:fe in the middle, the U/L bit inverted). */
static void slaac(struct wl_msg *m, const char *name, const uint8_t a[16])
{
	if (a[11] != 0xff || a[12] != 0xfe)
		return;
	char mac[18];
	snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", a[8] ^ 2u, a[9], a[10], a[13], a[14],
		 a[15]);
	wl_f_cstr(m, name, mac);
	wl_f_cstr(m, "ipv6.slaac_mac", mac);
}

static void ipv6(struct wl_msg *m, struct wl_cur h)
{
	uint32_t vtf = wl_be32(&h);
	uint16_t plen = wl_be16(&h);
	uint8_t nxt = wl_u8(&h), hlim = wl_u8(&h);
	uint8_t src[16], dst[16];
	wl_copy(&h, src, 16);
	wl_copy(&h, dst, 16);
	if (!wl_ok(&h))
		return;
	uint32_t tclass = vtf >> 20 & 0xff;
	wl_f_uint(m, "ip.version", vtf >> 28);   /* packet-ipv6.c adds it too, hidden */
	wl_f_uint(m, "ipv6.version", vtf >> 28);
	wl_f_hex(m, "ipv6.tclass", tclass);
	wl_f_uint(m, "ipv6.tclass.dscp", tclass >> 2);
	wl_f_uint(m, "ipv6.tclass.ecn", tclass & 3u);
	wl_f_hex(m, "ipv6.flow", vtf & 0xfffff);
	wl_f_uint(m, "ipv6.plen", plen);
	wl_f_uint(m, "ipv6.nxt", nxt);
	wl_f_uint(m, "ipv6.hlim", hlim);
	wl_f_ipv6(m, "ipv6.src", src);
	wl_f_ipv6(m, "ipv6.addr", src);
	host(m, "ipv6.src_host", 6, src);
	host(m, "ipv6.host", 6, src);
	wl_f_ipv6(m, "ipv6.dst", dst);
	wl_f_ipv6(m, "ipv6.addr", dst);
	host(m, "ipv6.dst_host", 6, dst);
	host(m, "ipv6.host", 6, dst);
	slaac(m, "ipv6.src_slaac_mac", src);
	slaac(m, "ipv6.dst_slaac_mac", dst);
}

void wl__ip_layer_fields(struct wl_ctx *ctx, struct wl_msg *m, unsigned layer)
{
	const struct wl_ip_layer *l = &ctx->ipl[layer];
	struct wl_cur h = wl_cur_make(l->hdr, l->af == 4 ? 20 : 40);
	if (ctx->opts.verbose) {
		if (l->af == 4)
			ipv4(m, h);
		else
			ipv6(m, h);
		return;
	}
	/* the addresses only: from the header's fixed place */
	struct wl_cur a = wl_at(&h, l->af == 4 ? 12 : 8, l->af == 4 ? 8 : 32);
	const uint8_t *p = wl_bytes(&a, wl_left(&a));
	if (!p)
		return;
	if (l->af == 4) {
		wl_f_ipv4(m, "ip.src", p);
		wl_f_ipv4(m, "ip.dst", p + 4);
	} else {
		wl_f_ipv6(m, "ipv6.src", p);
		wl_f_ipv6(m, "ipv6.dst", p + 16);
	}
}

void wl__ip_fields(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (m->secrets_only)
		return;   /* wl_opts.no_fields: no address is a secret */
	if (!wl__want_proto(m, "ip") && !wl__want_proto(m, "ipv6"))
		return;   /* wl_opts.want_field */
	if (ctx->nipl == 1 && !ctx->opts.verbose) {
		/* the usual frame: its addresses are the packet's */
		if (ctx->ip_af == 4) {
			wl_f_ipv4(m, "ip.src", ctx->ip_src);
			wl_f_ipv4(m, "ip.dst", ctx->ip_dst);
		} else {
			wl_f_ipv6(m, "ipv6.src", ctx->ip_src);
			wl_f_ipv6(m, "ipv6.dst", ctx->ip_dst);
		}
		return;
	}
	for (unsigned i = 0; i < ctx->nipl; i++)
		wl__ip_layer_fields(ctx, m, i);
}
