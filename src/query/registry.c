/* registry.c - every field and protocol name wirelab can emit, with its type
 * and the dissector that emits it: the dissectors' own .fields tables
 * (wl_dissectors[]), the names the core emits (IP, TCP, UDP, ICMP, ARP), the
 * frame-level values made from the engine's frame callback (frame.*,
 * tcp.stream), tshark's either-side aliases (ip.addr, tcp.port) and the
 * protocol names. How tshark -T fields prints each one comes from tshark's
 * own table (tshark_types.inc, made by gen_tshark_types.py from
 * `tshark -G fields`), so the registry cannot disagree with it silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "qpriv.h"

struct core_field {
	const char *name;
	uint8_t kind, type;
	uint16_t virt;
	const char *desc;
};

/* What the frame callback makes (the core's emitted fields are its table,
 * wl_core_fields, read after these: a name here wins). */
static const struct core_field core_fields[] = {
	{ "frame.number", QK_VIRT, QT_UINT, V_FRAME_NUMBER, "frame number, from 1" },
	{ "frame.time", QK_VIRT, QT_ABSTIME, V_FRAME_TIME, "arrival time" },
	{ "frame.time_epoch", QK_VIRT, QT_RELTIME, V_FRAME_EPOCH, "arrival time, seconds since 1970" },
	{ "frame.time_relative", QK_VIRT, QT_RELTIME, V_FRAME_REL, "seconds since the first frame" },
	{ "frame.time_delta", QK_VIRT, QT_RELTIME, V_FRAME_DELTA, "seconds since the frame before" },
	{ "frame.time_delta_displayed", QK_VIRT, QT_RELTIME, V_FRAME_DELTA_SHOWN,
	  "seconds since the last frame that passed the filter" },
	{ "frame.len", QK_VIRT, QT_UINT, V_FRAME_LEN, "length on the wire" },
	{ "frame.cap_len", QK_VIRT, QT_UINT, V_FRAME_CAPLEN, "bytes captured" },
	{ "frame.protocols", QK_VIRT, QT_STR, V_FRAME_PROTOCOLS, "protocols in the frame (eth:ethertype:ip:tcp)" },
	{ "tcp.stream", QK_VIRT, QT_UINT, V_TCP_STREAM, "TCP conversation index, from 0 in order of first packet" },
	{ "udp.stream", QK_VIRT, QT_UINT, V_UDP_STREAM, "UDP conversation index, from 0" },
	{ "tcp.payload", QK_VIRT, QT_BYTES, V_TCP_PAYLOAD, "the segment's payload bytes" },
	{ "udp.payload", QK_VIRT, QT_BYTES, V_UDP_PAYLOAD, "the datagram's payload bytes" },
};

/* Either side, as tshark: a frame has ip.addr == X when ip.src or ip.dst is. */
static const struct { const char *name, *a, *b, *desc; } aliases[] = {
	{ "ip.addr", "ip.src", "ip.dst", "source or destination address" },
	{ "ipv6.addr", "ipv6.src", "ipv6.dst", "source or destination address" },
	{ "tcp.port", "tcp.srcport", "tcp.dstport", "source or destination port" },
	{ "udp.port", "udp.srcport", "udp.dstport", "source or destination port" },
};

/* Protocols the core knows (the link layers are read from the frame's bytes);
 * all but the last, data, come from a frame's own headers. */
static const char *const core_protos[] = {
	"frame", "eth", "ethertype", "vlan", "sll", "null", "raw", "wlan", "radiotap", "llc",
	"ip", "ipv6", "tcp", "udp", "icmp", "icmpv6", "arp", "data",
};

int wl__qreg_header_proto(const char *name, size_t len)
{
	for (size_t i = 0; i + 1 < sizeof core_protos / sizeof core_protos[0]; i++)
		if (strlen(core_protos[i]) == len && strncmp(name, core_protos[i], len) == 0)
			return 1;
	return 0;
}

struct tshark_type {
	const char *name;
	uint8_t disp, hexw;
	const char *ftype;
};
static const struct tshark_type tshark_types[] = {
#include "tshark_types.inc"
};

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

int wl__qreg_find(const struct wl_qreg *reg, const char *name, size_t len)
{
	if (!reg->nslot)
		return -1;
	unsigned mask = reg->nslot - 1;
	for (unsigned s = hash_name(name, len) & mask;; s = (s + 1) & mask) {
		int id = reg->slot[s];
		if (id < 0)
			return -1;
		const char *k = reg->f[id].name;
		if (strncmp(k, name, len) == 0 && k[len] == '\0')
			return id;
	}
}

static int rehash(struct wl_qreg *reg)
{
	unsigned n = 64;
	while (n < reg->n * 2 + 2)
		n <<= 1;
	int *slot = malloc(n * sizeof *slot);
	if (!slot)
		return -1;
	for (unsigned i = 0; i < n; i++)
		slot[i] = -1;
	for (unsigned id = 0; id < reg->n; id++) {
		unsigned s = hash_name(reg->f[id].name, strlen(reg->f[id].name)) & (n - 1);
		while (slot[s] >= 0)
			s = (s + 1) & (n - 1);
		slot[s] = (int)id;
	}
	free(reg->slot);
	reg->slot = slot;
	reg->nslot = n;
	return 0;
}

/* Adds name (or returns the id it has): the first table to name a field wins. */
static int add(struct wl_qreg *reg, const char *name, uint8_t kind, uint8_t type, const char *owner,
	       const char *desc)
{
	int id = wl__qreg_find(reg, name, strlen(name));
	if (id >= 0)
		return id;
	if (reg->n == reg->cap) {
		unsigned cap = reg->cap ? reg->cap * 2 : 512;
		struct wl_qfield *nf = realloc(reg->f, cap * sizeof *nf);
		if (!nf)
			return -1;
		reg->f = nf;
		reg->cap = cap;
	}
	struct wl_qfield *f = &reg->f[reg->n];
	memset(f, 0, sizeof *f);
	f->name = name;
	f->desc = desc ? desc : "";
	f->owner = owner;
	f->kind = kind;
	f->type = type;
	f->wltype = 0xff;
	f->alias[0] = f->alias[1] = -1;
	reg->n++;
	if (reg->n * 2 + 2 > reg->nslot)
		return rehash(reg) < 0 ? -1 : (int)reg->n - 1;
	unsigned mask = reg->nslot - 1;
	unsigned slot = hash_name(name, strlen(name)) & mask;
	while (reg->slot[slot] >= 0)
		slot = (slot + 1) & mask;
	reg->slot[slot] = (int)reg->n - 1;
	return (int)reg->n - 1;
}

static const uint8_t type_of_ftype[] = {
	[WL_FT_UINT] = QT_UINT, [WL_FT_INT] = QT_INT, [WL_FT_HEX] = QT_UINT,
	[WL_FT_BOOL] = QT_BOOL, [WL_FT_DOUBLE] = QT_DOUBLE, [WL_FT_STR] = QT_STR,
	[WL_FT_BYTES] = QT_BYTES, [WL_FT_IPV4] = QT_IPV4, [WL_FT_IPV6] = QT_IPV6,
	[WL_FT_TIME] = QT_ABSTIME,
};

static uint8_t disp_of_ftype(unsigned t)
{
	static const uint8_t d[] = {
		[WL_FT_UINT] = TD_DEC, [WL_FT_INT] = TD_DEC, [WL_FT_HEX] = TD_HEX,
		[WL_FT_BOOL] = TD_BOOL, [WL_FT_DOUBLE] = TD_DOUBLE, [WL_FT_STR] = TD_STR,
		[WL_FT_BYTES] = TD_BYTES, [WL_FT_IPV4] = TD_IPV4, [WL_FT_IPV6] = TD_IPV6,
		[WL_FT_TIME] = TD_ABSTIME,
	};
	return t < sizeof d ? d[t] : TD_STR;
}

/* The protocol part of a field name: "smb2" of "smb2.cmd", none for wl.*. */
static size_t proto_len(const char *name)
{
	const char *dot = strchr(name, '.');
	if (!dot || (dot - name == 2 && strncmp(name, "wl", 2) == 0))
		return 0;
	return (size_t)(dot - name);
}

int wl__qreg_proto_of(const struct wl_qreg *reg, const char *name)
{
	size_t n = proto_len(name);
	return n ? wl__qreg_find(reg, name, n) : -1;
}

/* A protocol for each field's prefix, owned by the field's dissector (smb
 * emits nbss, smb2, ntlmssp ...). A prefix two dissectors share is core-owned
 * (any flow may carry it), as are the core's own protocols. */
static int add_protos(struct wl_qreg *reg)
{
	for (size_t i = 0; i < sizeof core_protos / sizeof core_protos[0]; i++)
		if (add(reg, core_protos[i], QK_PROTO, QT_PROTO, NULL, "protocol") < 0)
			return -1;
	unsigned nfields = reg->n;
	for (unsigned id = 0; id < nfields; id++) {
		const struct wl_qfield *f = &reg->f[id];
		size_t n = proto_len(f->name);
		if (f->kind != QK_FIELD || !n)
			continue;
		int p = wl__qreg_find(reg, f->name, n);
		if (p >= 0) {
			struct wl_qfield *pf = &reg->f[p];
			if (pf->kind == QK_PROTO && pf->owner && f->owner && strcmp(pf->owner, f->owner) != 0)
				pf->owner = NULL;
			continue;
		}
		char *name = strndup(f->name, n);
		if (!name)
			return -1;
		const char *owner = f->owner;
		p = add(reg, name, QK_PROTO, QT_PROTO, owner, "protocol");
		if (p < 0 || reg->f[p].name != name) {
			free(name);
			if (p < 0)
				return -1;
		}
	}
	return 0;
}

/* Dissector names as protocols ("ftp-data" for ftp_data, as its messages say). */
static int add_dissector_protos(struct wl_qreg *reg, const char *owner)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s", owner);
	for (char *p = tmp; *p; p++)
		if (*p == '_')
			*p = '-';
	if (wl__qreg_find(reg, tmp, strlen(tmp)) >= 0)
		return 0;
	char *name = strdup(tmp);
	if (!name)
		return -1;
	int id = add(reg, name, QK_PROTO, QT_PROTO, owner, "protocol");
	if (id < 0 || reg->f[id].name != name)
		free(name);
	return id < 0 ? -1 : 0;
}

static const struct tshark_type *tshark_type(const char *name)
{
	size_t lo = 0, hi = sizeof tshark_types / sizeof tshark_types[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(tshark_types[mid].name, name);
		if (c == 0)
			return &tshark_types[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* tshark's display where tshark has the field, else from wirelab's type. */
static void set_display(struct wl_qreg *reg)
{
	static const uint8_t of_qtype[] = {
		[QT_UINT] = TD_DEC, [QT_INT] = TD_DEC, [QT_BOOL] = TD_BOOL, [QT_DOUBLE] = TD_DOUBLE,
		[QT_RELTIME] = TD_RELTIME, [QT_ABSTIME] = TD_ABSTIME, [QT_STR] = TD_STR,
		[QT_BYTES] = TD_BYTES, [QT_IPV4] = TD_IPV4, [QT_IPV6] = TD_IPV6, [QT_PROTO] = TD_NONE,
	};
	for (unsigned id = 0; id < reg->n; id++) {
		struct wl_qfield *f = &reg->f[id];
		const struct tshark_type *t = tshark_type(f->name);
		if (t) {
			f->disp = t->disp;
			f->hexw = t->hexw;
			f->ftype = t->ftype;
		} else if (f->wltype != 0xff) {
			f->disp = disp_of_ftype(f->wltype);
		} else {
			f->disp = f->type < sizeof of_qtype ? of_qtype[f->type] : TD_STR;
		}
	}
}

static int add_dissector_fields(struct wl_qreg *reg, const struct wl_dissector *d,
				const struct wl_field_info *fi, int verbose)
{
	for (; fi && fi->name; fi++) {
		unsigned t = (unsigned)fi->type;
		int id = add(reg, fi->name, QK_FIELD, t < sizeof type_of_ftype ? type_of_ftype[t] : QT_STR,
			     d->name, fi->desc);
		if (id < 0)
			return -1;
		if (reg->f[id].wltype == 0xff)
			reg->f[id].wltype = (uint8_t)t;
		if (verbose)
			reg->f[id].verbose = 1;
	}
	return 0;
}

static int add_tables(struct wl_qreg *reg)
{
	for (size_t i = 0; i < sizeof core_fields / sizeof core_fields[0]; i++) {
		const struct core_field *c = &core_fields[i];
		int id = add(reg, c->name, c->kind, c->type, NULL, c->desc);
		if (id < 0)
			return -1;
		reg->f[id].virt = c->virt;
	}
	for (int v = 0; v < 2; v++) {
		for (const struct wl_field_info *fi = v ? wl_core_fields_verbose : wl_core_fields; fi->name; fi++) {
			unsigned t = (unsigned)fi->type;
			int id = add(reg, fi->name, QK_FIELD, t < sizeof type_of_ftype ? type_of_ftype[t] : QT_STR,
				     NULL, fi->desc);
			if (id < 0)
				return -1;
			if (reg->f[id].wltype == 0xff)
				reg->f[id].wltype = (uint8_t)t;
			if (reg->f[id].kind == QK_FIELD)
				reg->f[id].verbose = (uint8_t)v;
		}
	}
	unsigned nd = 0;
	for (const struct wl_dissector *const *d = wl_dissectors; *d; d++)
		nd++;
	reg->owners = calloc(nd + 1, sizeof *reg->owners);
	if (!reg->owners)
		return -1;
	nd = 0;
	for (const struct wl_dissector *const *d = wl_dissectors; *d; d++) {
		reg->owners[nd++] = (*d)->name;
		if (add_dissector_fields(reg, *d, (*d)->fields, 0) < 0 ||
		    add_dissector_fields(reg, *d, (*d)->fields_verbose, 1) < 0)
			return -1;
	}
	return 0;
}

struct wl_qreg *wl_qreg_new(void)
{
	struct wl_qreg *reg = calloc(1, sizeof *reg);
	if (!reg)
		return NULL;
	int ok = add_tables(reg) == 0;
	for (size_t i = 0; ok && i < sizeof aliases / sizeof aliases[0]; i++) {
		int a = wl__qreg_find(reg, aliases[i].a, strlen(aliases[i].a));
		int b = wl__qreg_find(reg, aliases[i].b, strlen(aliases[i].b));
		int id = add(reg, aliases[i].name, QK_ALIAS, reg->f[a].type, NULL, aliases[i].desc);
		ok = id >= 0;
		if (ok) {
			reg->f[id].alias[0] = a;
			reg->f[id].alias[1] = b;
		}
	}
	ok = ok && add_protos(reg) == 0;
	for (unsigned i = 0; ok && reg->owners[i]; i++)
		ok = add_dissector_protos(reg, reg->owners[i]) == 0;
	/* tshark's names for two of them on UDP (protos.c) */
	static const char *const renamed[][2] = { { "mdns", "dns" }, { "llmnr", "dns" }, { "cldap", "ldap" } };
	for (size_t i = 0; ok && i < sizeof renamed / sizeof renamed[0]; i++)
	{
		int id = add(reg, renamed[i][0], QK_PROTO, QT_PROTO, renamed[i][1], "protocol");
		ok = id >= 0;
		if (ok)
			reg->f[id].constant = 1;
	}
	if (ok)
		set_display(reg);
	if (!ok) {
		wl_qreg_free(reg);
		return NULL;
	}
	return reg;
}

void wl_qreg_free(struct wl_qreg *reg)
{
	if (!reg)
		return;
	/* protocol names made from field prefixes are the only owned strings */
	for (unsigned id = 0; id < reg->n; id++) {
		struct wl_qfield *f = &reg->f[id];
		if (f->kind != QK_PROTO)
			continue;
		int core = f->constant;
		for (size_t i = 0; i < sizeof core_protos / sizeof core_protos[0]; i++)
			core |= f->name == core_protos[i];
		if (!core)
			free((char *)f->name);
	}
	free(reg->f);
	free(reg->slot);
	free(reg->owners);
	free(reg);
}

int wl_qreg_known(const struct wl_qreg *reg, const char *name)
{
	return wl__qreg_find(reg, name, strlen(name)) >= 0;
}

static const char *const type_names[] = {
	[QT_NONE] = "FT_NONE", [QT_UINT] = "FT_UINT32", [QT_INT] = "FT_INT32",
	[QT_BOOL] = "FT_BOOLEAN", [QT_DOUBLE] = "FT_DOUBLE", [QT_RELTIME] = "FT_RELATIVE_TIME",
	[QT_ABSTIME] = "FT_ABSOLUTE_TIME", [QT_STR] = "FT_STRING", [QT_BYTES] = "FT_BYTES",
	[QT_IPV4] = "FT_IPv4", [QT_IPV6] = "FT_IPv6", [QT_PROTO] = "FT_PROTOCOL",
};

void wl_qreg_list(const struct wl_qreg *reg, FILE *out)
{
	for (unsigned id = 0; id < reg->n; id++) {
		const struct wl_qfield *f = &reg->f[id];
		if (f->kind == QK_PROTO) {
			fprintf(out, "P\t%s\t%s\n", f->name, f->name);
			continue;
		}
		char proto[64] = "";
		size_t n = proto_len(f->name);
		snprintf(proto, sizeof proto, "%.*s", (int)(n ? n : 2), f->name);
		fprintf(out, "F\t%s\t%s\t%s\t%s\n", f->name, f->ftype ? f->ftype : type_names[f->type],
			proto, f->desc);
	}
}

/* Levenshtein distance, giving up above max (names are short). */
static unsigned distance(const char *a, const char *b, unsigned max)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > 128 || nb > 128)
		return max + 1;
	unsigned row[129];
	for (size_t j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		unsigned diag = row[0], best = (unsigned)i;
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned up = row[j];
			unsigned v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[nb];
}

unsigned wl_qreg_nearest(const struct wl_qreg *reg, const char *name, const char **out, unsigned n)
{
	size_t len = strlen(name);
	unsigned max = len < 8 ? 2 : (unsigned)(len / 4 + 1);
	unsigned dist[16], k = 0;
	if (n > 16)
		n = 16;
	for (unsigned id = 0; id < reg->n && n; id++) {
		const char *cand = reg->f[id].name;
		unsigned d = distance(name, cand, max);
		/* "ftp.request" finds ftp.request.command: a known name it starts */
		if (d > max && len >= 3 && strncmp(cand, name, len) == 0)
			d = max;
		if (d > max)
			continue;
		unsigned pos = k;
		while (pos > 0 && (dist[pos - 1] > d ||
				   (dist[pos - 1] == d && strcmp(out[pos - 1], cand) > 0)))
			pos--;
		if (pos >= n)
			continue;
		if (k < n)
			k++;
		for (unsigned j = k - 1; j > pos; j--) {
			out[j] = out[j - 1];
			dist[j] = dist[j - 1];
		}
		out[pos] = cand;
		dist[pos] = d;
	}
	return k;
}

int wl_qreg_names_verbose(const struct wl_qreg *reg, const char *text)
{
	/* every word that could be a field name; a string literal's words may
	 * match too, which costs only the -v dissection */
	for (const char *p = text; *p;) {
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
		if (n) {
			int id = wl__qreg_find(reg, p, n);
			if (id >= 0 && reg->f[id].verbose)
				return 1;
			p += n;
		} else {
			p++;
		}
	}
	return 0;
}
