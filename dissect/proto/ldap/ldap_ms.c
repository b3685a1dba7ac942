/* ldap_ms.c - Active Directory's DC locator inside CLDAP ([MS-ADTS] 6.3.1):
 * the filter a client sends (DnsDomain, Host, NtVer, DomainSid, DomainGuid)
 * and the netlogon attribute the DC answers with.
 *
 *   NETLOGON_SAM_LOGON_RESPONSE_EX ([MS-ADTS] 6.3.1.9), little-endian:
 *   +--------+--------+----------------+----------------------------------+
 *   | Opcode | Sbz    | Flags (4)      | DomainGuid (16)                  |
 *   | (2) 23 | (2)    | DS_*_FLAG bits |                                  |
 *   +--------+--------+----------------+----------------------------------+
 *   | DnsForestName, DnsDomainName, DnsHostName, NetbiosDomainName,       |
 *   | NetbiosComputerName, UserName, DcSiteName, ClientSiteName: each an   |
 *   | RFC 1035 name, compressed with pointers into this value             |
 *   +----------------------------------------------------------------------+
 *   | [DcSockAddrSize (1), DcSockAddr (16)] if NtVersion has V5EP          |
 *   | [NextClosestSiteName] if NtVersion has VCS                           |
 *   | NtVersion (4) | LmNtToken (2) | Lm20Token (2)                        |
 *   +----------------------------------------------------------------------+
 * NtVersion is read from the end first, since it says what lies before it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ldap_ms.h"

/* NETLOGON_NT_VERSION bits ([MS-ADTS] 6.3.1.1) and DS_FLAG bits (6.3.1.2). */
static const struct {
	uint32_t bit;
	const char *field;
} ntver_bits[] = {
	{ 0x1, "mscldap.ntver.searchflags.v1" }, { 0x2, "mscldap.ntver.searchflags.v5" },
	{ 0x4, "mscldap.ntver.searchflags.v5ex" }, { 0x8, "mscldap.ntver.searchflags.v5ep" },
	{ 0x10, "mscldap.ntver.searchflags.vcs" }, { 0x1000000, "mscldap.ntver.searchflags.vnt4" },
	{ 0x10000000, "mscldap.ntver.searchflags.vpdc" }, { 0x20000000, "mscldap.ntver.searchflags.vip" },
	{ 0x40000000, "mscldap.ntver.searchflags.vl" }, { 0x80000000, "mscldap.ntver.searchflags.vgc" },
}, ds_bits[] = {
	{ 0x1, "mscldap.netlogon.flags.pdc" }, { 0x4, "mscldap.netlogon.flags.gc" },
	{ 0x8, "mscldap.netlogon.flags.ldap" }, { 0x10, "mscldap.netlogon.flags.ds" },
	{ 0x20, "mscldap.netlogon.flags.kdc" }, { 0x40, "mscldap.netlogon.flags.timeserv" },
	{ 0x80, "mscldap.netlogon.flags.closest" }, { 0x100, "mscldap.netlogon.flags.writable" },
	{ 0x200, "mscldap.netlogon.flags.good_timeserv" }, { 0x400, "mscldap.netlogon.flags.ndnc" },
	{ 0x800, "mscldap.netlogon.flags.rodc" }, { 0x1000, "mscldap.netlogon.flags.writabledc" },
	{ 0x20000000, "mscldap.netlogon.flags.dnsname" }, { 0x40000000, "mscldap.netlogon.flags.defaultnc" },
	{ 0x80000000, "mscldap.netlogon.flags.forestnc" },
};

static const struct wl_tok ds_names[] = {
	{ 0x1, "PDC" }, { 0x4, "GC" }, { 0x8, "LDAP" }, { 0x10, "DS" }, { 0x20, "KDC" },
	{ 0x40, "time" }, { 0x80, "closest" }, { 0x100, "writable" }, { 0x200, "good-time" },
	{ 0x400, "NDNC" }, { 0x800, "RODC" }, { 0x1000, "WDC" }, { 0, NULL }
};

static void bits(struct wl_msg *m, const void *table, size_t n, uint32_t v)
{
	const struct { uint32_t bit; const char *field; } *t = table;
	for (size_t i = 0; i < n; i++)
		wl_f_bool(m, t[i].field, (v & t[i].bit) != 0);
}

static void guid_text(const uint8_t g[16], char *out, size_t n)
{
	snprintf(out, n, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3], g[2], g[1],
		 g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

/* A SID as S-R-A-S1-S2...: revision, count, 48-bit authority (big-endian),
 * 32-bit sub-authorities (little-endian). 0 when the bytes are not one. */
static int sid_text(struct wl_cur c, char *out, size_t n)
{
	size_t total = wl_left(&c);
	uint8_t rev = wl_u8(&c), cnt = wl_u8(&c);
	uint64_t auth = (uint64_t)wl_be16(&c) << 32;
	auth |= wl_be32(&c);
	if (!wl_ok(&c) || total != 8 + 4u * cnt || cnt > 15)
		return 0;
	size_t o = (size_t)snprintf(out, n, "S-%u-%llu", rev, (unsigned long long)auth);
	for (unsigned i = 0; i < cnt && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "-%u", wl_le32(&c));
	return 1;
}

int wl_ldap_ms_assertion(struct wl_msg *m, struct wl_cur attr, struct wl_cur value, int verbose, char *summary,
			 size_t n)
{
	char a[16];
	size_t an = wl_left(&attr);
	if (an >= sizeof a)
		return 0;
	wl_text(&attr, an, a, sizeof a, '?');
	if (!strcasecmp(a, "NtVer") && wl_left(&value) == 4) {
		uint32_t v = wl_le32(&value);
		wl_f_hex(m, "mscldap.ntver.flags", v);
		if (verbose)
			bits(m, ntver_bits, sizeof ntver_bits / sizeof ntver_bits[0], v);
		snprintf(summary, n, "NtVer=0x%08x", v);
		return 1;
	}
	if (!strcasecmp(a, "DomainGuid") && wl_left(&value) == 16) {
		uint8_t g[16];
		char t[40];
		wl_copy(&value, g, 16);
		guid_text(g, t, sizeof t);
		wl_f_cstr(m, "ldap.guid", t);
		snprintf(summary, n, "DomainGuid=%s", t);
		return 1;
	}
	if (!strcasecmp(a, "DomainSid")) {
		char t[200];
		if (!sid_text(value, t, sizeof t))
			return 0;
		wl_f_cstr(m, "ldap.sid", t);
		snprintf(summary, n, "DomainSid=%s", t);
		return 1;
	}
	return 0;
}

/* An RFC 1035 name at c inside value all, pointers followed (at most 16),
 * labels joined with dots; "" for the root. 0 when malformed. */
static int dns_name(struct wl_cur all, struct wl_cur *c, char *out, size_t n)
{
	size_t o = 0;
	int jumped = 0;
	struct wl_cur at = *c;
	out[0] = '\0';
	for (unsigned hops = 0; hops <= 16;) {
		uint8_t len = wl_u8(&at);
		if (!wl_ok(&at))
			return 0;
		if ((len & 0xc0) == 0xc0) {
			uint8_t lo = wl_u8(&at);
			if (!wl_ok(&at))
				return 0;
			if (!jumped)
				*c = at;  /* the name ends here in the value */
			jumped = 1;
			size_t off = (size_t)(len & 0x3f) << 8 | lo;
			at = wl_at(&all, off, wl_left(&all) > off ? wl_left(&all) - off : 0);
			if (!wl_left(&at))
				return 0;
			hops++;
			continue;
		}
		if (len & 0xc0)
			return 0;
		if (!len) {
			if (!jumped)
				*c = at;
			return 1;
		}
		if (o && o + 1 < n)
			out[o++] = '.';
		char label[64];
		size_t k = wl_text(&at, len, label, sizeof label, '?');
		wl_skip(&at, len);
		if (!wl_ok(&at))
			return 0;
		if (o + k + 1 < n) {
			memcpy(out + o, label, k);
			o += k;
			out[o] = '\0';
		}
	}
	return 0;
}

int wl_ldap_ms_netlogon(struct wl_msg *m, struct wl_cur value, int verbose, char *summary, size_t n)
{
	static const char *const names[] = { "mscldap.forest", "mscldap.domain", "mscldap.hostname",
					     "mscldap.nb_domain", "mscldap.nb_hostname", "mscldap.username",
					     "mscldap.sitename", "mscldap.clientsitename" };
	struct wl_cur all = value, c = value;
	size_t total = wl_left(&value);
	uint16_t op = wl_le16(&c);
	if (!wl_ok(&c) || (op != 23 && op != 25) || total < 24 + 8 + 8)
		return 0;
	struct wl_cur tail = wl_at(&all, total - 8, 8);
	uint32_t ntver = wl_le32(&tail);
	wl_skip(&c, 2);
	uint32_t flags = wl_le32(&c);
	uint8_t g[16];
	wl_copy(&c, g, 16);
	char name[8][256];
	for (int i = 0; i < 8; i++)
		if (!dns_name(all, &c, name[i], sizeof name[i]))
			return 0;
	uint8_t ip[4] = { 0 };
	uint16_t family = 0, port = 0;
	int have_ip = 0;
	if (ntver & 0x8) {
		uint8_t sz = wl_u8(&c);
		struct wl_cur sa = wl_sub(&c, sz);
		family = wl_le16(&sa);
		port = wl_be16(&sa);
		have_ip = wl_copy(&sa, ip, 4);
	}
	char closest[256] = "";
	if ((ntver & 0x10) && !dns_name(all, &c, closest, sizeof closest))
		return 0;
	if (!wl_ok(&c) || wl_left(&c) != 8)
		return 0;  /* not where NtVersion said the fields end */
	wl_skip(&c, 4);
	uint16_t lm = wl_le16(&c), nt = wl_le16(&c);

	char gt[40];
	guid_text(g, gt, sizeof gt);
	wl_f_uint(m, "mscldap.netlogon.opcode", op);
	wl_f_hex(m, "mscldap.netlogon.flags", flags);
	if (verbose)
		bits(m, ds_bits, sizeof ds_bits / sizeof ds_bits[0], flags);
	wl_f_cstr(m, "mscldap.domain.guid", gt);
	for (int i = 0; i < 8; i++)
		wl_f_cstr(m, names[i], name[i][0] ? name[i] : "<Root>");  /* tshark's word for an empty name */
	if (have_ip) {
		wl_f_uint(m, "mscldap.netlogon.ipaddress.family", family);
		wl_f_uint(m, "mscldap.netlogon.ipaddress.port", port);
		wl_f_ipv4(m, "mscldap.netlogon.ipaddress.ipv4", ip);
	}
	wl_f_hex(m, "mscldap.ntver.flags", ntver);
	if (verbose)
		bits(m, ntver_bits, sizeof ntver_bits / sizeof ntver_bits[0], ntver);
	wl_f_hex(m, "mscldap.netlogon.lm_token", lm);
	wl_f_hex(m, "mscldap.netlogon.nt_token", nt);

	size_t o = (size_t)snprintf(summary, n, "DC %s (%s) of domain %s (%s), site %s, flags", name[2], name[4],
				    name[1], name[3], name[6][0] ? name[6] : "-");
	for (size_t i = 0; ds_names[i].s && o < n; i++)
		if (flags & ds_names[i].v)
			o += (size_t)snprintf(summary + o, n - o, " %s", ds_names[i].s);
	if (op == 25 && o < n)
		snprintf(summary + o, n - o, "; the user asked for is unknown");
	return 1;
}
