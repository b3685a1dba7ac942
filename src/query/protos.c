/* protos.c - the protocols of a frame as tshark names them: frame.protocols
 * ("eth:ethertype:vlan:ethertype:ip:tcp:nbss:smb2") and the chain of
 * top-level items its io,phs statistic counts ("eth", "vlan", "ip", "tcp",
 * "nbss", "smb2"). The link layers are read from the frame's first bytes;
 * the rest comes from the frame's messages, in order.
 */
#include <string.h>

#include "qpriv.h"

#define MAX_LAYERS 32

enum { IN_PROTOS = 1, IN_PHS = 2, IN_BOTH = 3 };

struct chain {
	const char *name[MAX_LAYERS];
	uint8_t in[MAX_LAYERS];    /* frame.protocols, io,phs's top-level items, or both */
	unsigned n;
};

static void push(struct chain *c, const char *name, int in)
{
	if (c->n == MAX_LAYERS)
		return;
	c->name[c->n] = name;
	c->in[c->n] = (uint8_t)in;
	c->n++;
}

static int last_is(const struct chain *c, const char *name)
{
	for (unsigned i = c->n; i-- > 0;)
		if (c->in[i] & IN_PROTOS)
			return strcmp(c->name[i], name) == 0;
	return 0;
}

static int holds(const struct chain *c, const char *name)
{
	for (unsigned i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return 1;
	return 0;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ethernet and its 802.1Q tags; an 802.3 length field means LLC. */
static void ethernet(struct chain *c, const uint8_t *p, uint32_t n)
{
	push(c, "eth", IN_BOTH);
	if (n < 14)
		return;
	uint16_t type = be16(p + 12);
	uint32_t off = 14;
	if (type < 0x600) {
		push(c, "llc", IN_BOTH);
		return;
	}
	push(c, "ethertype", IN_PROTOS);
	while ((type == 0x8100 || type == 0x88a8) && off + 4 <= n) {
		push(c, "vlan", IN_BOTH);
		push(c, "ethertype", IN_PROTOS);
		type = be16(p + off + 2);
		off += 4;
	}
}

static void link_layers(struct chain *c, const struct wl_frame_info *fi)
{
	const uint8_t *p = fi->data;
	uint32_t n = fi->caplen;
	switch (fi->linktype) {
	case WL_LINK_ETHERNET:
		ethernet(c, p, n);
		break;
	case WL_LINK_SLL:
	case WL_LINK_SLL2:
		push(c, "sll", IN_BOTH);
		push(c, "ethertype", IN_PROTOS);
		break;
	case WL_LINK_NULL:
	case WL_LINK_LOOP:
		push(c, "null", IN_BOTH);
		break;
	case WL_LINK_RAW:
		push(c, "raw", IN_BOTH);
		break;
	case WL_LINK_IEEE802_11:
		push(c, "wlan", IN_BOTH);
		push(c, "llc", IN_BOTH);
		break;
	case WL_LINK_RADIOTAP:
		push(c, "radiotap", IN_BOTH);
		push(c, "wlan_radio", IN_BOTH);
		push(c, "wlan", IN_BOTH);
		push(c, "llc", IN_BOTH);
		break;
	default:   /* LINKTYPE_IPV4/IPV6: the IP header comes first */
		break;
	}
}

static int has_prefix(const struct wl_qmsg *m, const char *prefix, size_t n)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (strncmp(m->fields[i].name, prefix, n) == 0)
			return 1;
	return 0;
}

/* tshark's layers for a wirelab message protocol, and the items its
 * dissector puts at the top of the tree (counted by io,phs, not protocols). */
static const struct {
	const char *proto;
	const char *layers[2];
	const char *top[5];
} app_layers[] = {
	{ "smb2", { "nbss", "smb2" }, { NULL } },
	{ "smb", { "nbss", "smb" }, { NULL } },
	{ "chat", { "data", NULL }, { NULL } },
	{ "ftp", { "ftp", NULL }, { "ftp.current-working-directory" } },
	{ "ftp-data", { "ftp-data", NULL },
	  { "ftp-data.setup-frame", "ftp-data.setup-method", "ftp-data.command", "ftp-data.command-frame",
	    "ftp-data.current-working-directory" } },
};

/* Protocols whose every message is a PDU of its own in tshark's tree. */
static int repeats(const char *proto)
{
	static const char *const each[] = { "ldap" };
	for (size_t i = 0; i < sizeof each / sizeof each[0]; i++)
		if (strcmp(each[i], proto) == 0)
			return 1;
	return 0;
}

static void app_proto(struct chain *c, const char *proto)
{
	const char *const *layers = NULL, *const *top = NULL;
	for (size_t i = 0; i < sizeof app_layers / sizeof app_layers[0]; i++)
		if (strcmp(app_layers[i].proto, proto) == 0) {
			layers = app_layers[i].layers;
			top = app_layers[i].top;
		}
	const char *one[2] = { proto, NULL };
	if (!layers)
		layers = one;
	/* more messages of the same protocol in the frame are one item, except
	 * where tshark makes an item of each PDU */
	if (last_is(c, layers[layers[1] ? 1 : 0]) && !repeats(proto))
		return;
	for (int i = 0; i < 2 && layers[i]; i++)
		if (!last_is(c, layers[i]) || repeats(proto))
			push(c, layers[i], IN_BOTH);
	for (int i = 0; top && i < 5 && top[i]; i++)
		push(c, top[i], IN_PHS);
}

static int is_per_segment(const char *proto);

static int udp_port(const struct wl_qframe *f, uint64_t port)
{
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		for (unsigned j = 0; j < m->nfields; j++) {
			const struct wl_field *fd = &m->fields[j];
			if ((strcmp(fd->name, "udp.srcport") == 0 || strcmp(fd->name, "udp.dstport") == 0) &&
			    fd->v.u == port)
				return 1;
		}
	}
	return 0;
}

const char *wl__msg_tshark_proto(const struct wl_qframe *f, const struct wl_qmsg *m)
{
	if (f->fi.udp_stream < 0)
		return m->proto;
	if (strcmp(m->proto, "dns") == 0 && udp_port(f, 5353))
		return "mdns";
	if (strcmp(m->proto, "ldap") == 0)
		return "cldap";
	return m->proto;
}

static void app(struct chain *c, const struct wl_qframe *f, const struct wl_qmsg *m, uint32_t payload)
{
	if (!payload && is_per_segment(m->proto))
		return;   /* tshark: no payload, no ftp-data (the end of a transfer) */
	/* lines of a listing are text inside ftp-data */
	if (strcmp(m->proto, "ftp-data") == 0 && strcmp(m->type, "line") == 0) {
		if (!holds(c, "ftp-data"))
			app_proto(c, "ftp-data");
		if (!holds(c, "data-text-lines"))
			push(c, "data-text-lines", IN_BOTH);
		return;
	}
	app_proto(c, wl__msg_tshark_proto(f, m));
	/* nested inside the message's tree: protocols, not top-level items */
	if (has_prefix(m, "spnego.", 7)) {
		push(c, "gss-api", IN_PROTOS);
		push(c, "spnego", IN_PROTOS);
	}
	if (has_prefix(m, "ntlmssp.", 8))
		push(c, "ntlmssp", IN_PROTOS);
}

/* Protocols tshark shows in every frame with payload of such a flow (it has
 * no PDU to reassemble), where wirelab speaks once per transfer. */
static const char *const per_segment[][2] = {
	{ "ftp-data", "ftp-data" },
};

static int is_per_segment(const char *proto)
{
	for (size_t i = 0; i < sizeof per_segment / sizeof per_segment[0]; i++)
		if (strcmp(proto, per_segment[i][1]) == 0)
			return 1;
	return 0;
}

int wl__proto_per_segment(const char *proto)
{
	return is_per_segment(proto);
}

static int is_transport(const char *p)
{
	return strcmp(p, "tcp") == 0 || strcmp(p, "udp") == 0 || strcmp(p, "icmp") == 0 ||
	       strcmp(p, "icmpv6") == 0;
}

static void build(const struct wl_qframe *f, struct chain *c)
{
	c->n = 0;
	if (f->fi.data)
		link_layers(c, &f->fi);
	int have_net = 0;
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		if (is_transport(m->proto) || strcmp(m->proto, "ip") == 0 || strcmp(m->proto, "ipv6") == 0) {
			if (!have_net) {
				if (has_prefix(m, "ip.", 3))
					push(c, "ip", IN_BOTH);
				else if (has_prefix(m, "ipv6.", 5))
					push(c, "ipv6", IN_BOTH);
				have_net = 1;
			}
			if (is_transport(m->proto) && !last_is(c, m->proto))
				push(c, m->proto, IN_BOTH);
			continue;
		}
		if (strcmp(m->proto, "arp") == 0 || strcmp(m->proto, "eth") == 0 ||
		    strcmp(m->proto, "llc") == 0) {
			if (strcmp(m->proto, "arp") == 0)
				push(c, "arp", IN_BOTH);
			continue;
		}
		app(c, f, m, f->fi.payload_len);
	}
	const char *fp = f->fi.flow_proto;
	for (size_t i = 0; fp && f->fi.payload_len && i < sizeof per_segment / sizeof per_segment[0]; i++)
		if (strcmp(fp, per_segment[i][0]) == 0 && !holds(c, per_segment[i][1]))
			app_proto(c, per_segment[i][1]);
}

size_t wl__frame_protocols(const struct wl_qframe *f, char *out, size_t cap)
{
	struct chain c;
	build(f, &c);
	size_t n = 0;
	for (unsigned i = 0; i < c.n && cap; i++) {
		if (!(c.in[i] & IN_PROTOS))
			continue;
		int k = snprintf(out + n, cap - n, "%s%s", n ? ":" : "", c.name[i]);
		if (k < 0 || (size_t)k >= cap - n)
			break;
		n += (size_t)k;
	}
	if (cap)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}

unsigned wl__frame_phs_chain(const struct wl_qframe *f, const char **out, unsigned max)
{
	struct chain c;
	build(f, &c);
	unsigned k = 0;
	for (unsigned i = 0; i < c.n && k < max; i++)
		if (c.in[i] & IN_PHS)
			out[k++] = c.name[i];
	return k;
}

int wl__frame_link_has(const struct wl_qframe *f, const char *proto)
{
	if (!f->fi.data)
		return 0;
	struct chain c = { .n = 0 };
	link_layers(&c, &f->fi);
	for (unsigned i = 0; i < c.n; i++)
		if (strcmp(c.name[i], proto) == 0)
			return 1;
	return 0;
}

int wl__frame_segment_proto(const struct wl_qframe *f, const char *proto)
{
	const char *fp = f->fi.flow_proto;
	if (!fp || !f->fi.payload_len)
		return 0;
	for (size_t i = 0; i < sizeof per_segment / sizeof per_segment[0]; i++)
		if (strcmp(fp, per_segment[i][0]) == 0 && strcmp(proto, per_segment[i][1]) == 0)
			return 1;
	return 0;
}
