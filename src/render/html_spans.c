/* html_spans.c - the header layout of IPv4 (RFC 791), IPv6 (RFC 8200), TCP
 * (RFC 9293) and UDP (RFC 768) as a table of field name -> layer, offset,
 * length, for the bytes pane of -T html. Frames are read through the cursor.
 * Fields of the same name prefix share a row (tcp.flags.syn lies in the
 * flags bytes, as Wireshark highlights it). */
#include <string.h>

#include "cursor.h"
#include "html_spans.h"

enum layer { L_IP4, L_IP6, L_TCP, L_UDP };

struct hdr_field {
	const char *name;   /* the name, or with a trailing '.' a prefix */
	uint8_t layer, off, len;
};

static const struct hdr_field hdr_fields[] = {
	{ "ip.version", L_IP4, 0, 1 }, { "ip.hdr_len", L_IP4, 0, 1 }, { "ip.dsfield", L_IP4, 1, 1 },
	{ "ip.dsfield.", L_IP4, 1, 1 }, { "ip.len", L_IP4, 2, 2 }, { "ip.id", L_IP4, 4, 2 },
	{ "ip.flags", L_IP4, 6, 1 }, { "ip.flags.", L_IP4, 6, 1 }, { "ip.frag_offset", L_IP4, 6, 2 },
	{ "ip.ttl", L_IP4, 8, 1 }, { "ip.proto", L_IP4, 9, 1 }, { "ip.checksum", L_IP4, 10, 2 },
	{ "ip.src", L_IP4, 12, 4 }, { "ip.dst", L_IP4, 16, 4 }, { "ip.addr", L_IP4, 12, 8 },
	{ "ipv6.version", L_IP6, 0, 1 }, { "ipv6.tclass", L_IP6, 0, 2 }, { "ipv6.flow", L_IP6, 1, 3 },
	{ "ipv6.plen", L_IP6, 4, 2 }, { "ipv6.nxt", L_IP6, 6, 1 }, { "ipv6.hlim", L_IP6, 7, 1 },
	{ "ipv6.src", L_IP6, 8, 16 }, { "ipv6.dst", L_IP6, 24, 16 },
	{ "tcp.srcport", L_TCP, 0, 2 }, { "tcp.dstport", L_TCP, 2, 2 }, { "tcp.seq", L_TCP, 4, 4 },
	{ "tcp.seq_raw", L_TCP, 4, 4 }, { "tcp.ack", L_TCP, 8, 4 }, { "tcp.ack_raw", L_TCP, 8, 4 },
	{ "tcp.hdr_len", L_TCP, 12, 1 }, { "tcp.flags", L_TCP, 12, 2 }, { "tcp.flags.", L_TCP, 12, 2 },
	{ "tcp.window_size_value", L_TCP, 14, 2 }, { "tcp.checksum", L_TCP, 16, 2 },
	{ "tcp.urgent_pointer", L_TCP, 18, 2 },
	{ "udp.srcport", L_UDP, 0, 2 }, { "udp.dstport", L_UDP, 2, 2 }, { "udp.length", L_UDP, 4, 2 },
	{ "udp.checksum", L_UDP, 6, 2 },
	{ NULL, 0, 0, 0 },
};

/* Bytes before the network header, by link type (and the EtherType's place). */
static const struct link_hdr {
	int linktype;
	uint8_t len, type_off;   /* type_off 0xff: no EtherType (the IP version says) */
} link_hdrs[] = {
	{ WL_LINK_ETHERNET, 14, 12 }, { WL_LINK_SLL, 16, 14 }, { WL_LINK_SLL2, 20, 0 },
	{ WL_LINK_NULL, 4, 0xff }, { WL_LINK_LOOP, 4, 0xff }, { WL_LINK_RAW, 0, 0xff },
	{ WL_LINK_IPV4, 0, 0xff }, { WL_LINK_IPV6, 0, 0xff }, { -1, 0, 0 },
};

void wl_frame_layers(const uint8_t *frame, uint32_t n, int linktype, struct wl_frame_layers *l)
{
	memset(l, 0, sizeof *l);
	const struct link_hdr *h = link_hdrs;
	while (h->linktype >= 0 && h->linktype != linktype)
		h++;
	if (h->linktype < 0)
		return;
	struct wl_cur c = wl_cur_make(frame, n);
	uint32_t ip = h->len;
	if (h->type_off != 0xff) {
		wl_skip(&c, h->type_off);
		uint16_t type = wl_be16(&c);
		if (linktype == WL_LINK_ETHERNET && type == 0x8100) {  /* one 802.1Q tag */
			wl_skip(&c, 2);
			type = wl_be16(&c);
			ip += 4;
		}
		if (!wl_ok(&c) || (type != 0x0800 && type != 0x86dd))
			return;
	}
	c = wl_cur_make(frame, n);
	wl_skip(&c, ip);
	uint8_t v = wl_u8(&c);
	if (!wl_ok(&c))
		return;
	uint32_t l4 = 0;
	uint8_t proto = 0;
	if (v >> 4 == 4) {
		uint32_t ihl = (uint32_t)(v & 15) * 4;
		wl_skip(&c, 5);
		uint16_t frag = wl_be16(&c);
		wl_skip(&c, 1);
		proto = wl_u8(&c);
		if (!wl_ok(&c) || ihl < 20)
			return;
		l->ip4 = ip + 1;
		if (frag & 0x1fff)  /* a later fragment: no transport header */
			return;
		l4 = ip + ihl;
	} else if (v >> 4 == 6) {
		wl_skip(&c, 5);
		proto = wl_u8(&c);  /* extension headers are left out: no transport span then */
		if (!wl_ok(&c))
			return;
		l->ip6 = ip + 1;
		l4 = ip + 40;
	} else {
		return;
	}
	if (proto == 6 && l4 + 20 <= n)
		l->tcp = l4 + 1;
	else if (proto == 17 && l4 + 8 <= n)
		l->udp = l4 + 1;
}

int wl_header_field(const char *name)
{
	for (const struct hdr_field *f = hdr_fields; f->name; f++) {
		size_t k = strlen(f->name);
		int prefix = f->name[k - 1] == '.';
		if (prefix ? strncmp(name, f->name, k) == 0 : strcmp(name, f->name) == 0)
			return (int)(f - hdr_fields);
	}
	return -1;
}

int wl_header_span(const struct wl_frame_layers *l, uint32_t n, int field, uint32_t span[2])
{
	if (field < 0 || (!l->ip4 && !l->ip6))
		return 0;
	const struct hdr_field *f = &hdr_fields[field];
	const uint32_t base[] = { [L_IP4] = l->ip4, [L_IP6] = l->ip6, [L_TCP] = l->tcp, [L_UDP] = l->udp };
	uint32_t b = base[f->layer];
	if (!b || b - 1 + f->off + f->len > n)
		return 0;
	span[0] = b - 1 + f->off;
	span[1] = f->len;
	return 1;
}
