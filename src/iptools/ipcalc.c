/* ipcalc.c - IPv4/IPv6 parsing and subnet arithmetic, the core of
 * `wirelab ipcalc`.
 *
 * RFC 791 / RFC 4632 (IPv4, CIDR), RFC 4291 (IPv6 addressing), RFC 5952 (IPv6
 * text), RFC 3021 (/31), RFC 6164 (/127), RFC 6890 and the IANA special-purpose
 * address registries (the classification table below).
 *
 *   IPv4 network 10.0.1.0/24, as the value this file computes with:
 *
 *    0               8              16              24            31
 *   +---------------+---------------+---------------+---------------+
 *   |      10       |       0       |       1       |   host part   |
 *   +---------------+---------------+---------------+---------------+
 *   |<------------- prefix: 24 bits of network ---->|<- 8 bits --->|
 *   netmask  = ones in the prefix   255.255.255.0
 *   wildcard = ~netmask             0.0.0.255
 *   network  = addr & netmask, last (broadcast) = network | wildcard
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ipcalc.h"

#define U128_MAX (~(wl_u128)0)

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The input for an error text: at most 48 characters, control and non-ASCII
 * bytes as '?', so the message stays one printable line. */
static const char *shown(const char *s, size_t n, char out[52])
{
	size_t k = 0;
	for (size_t i = 0; i < n && s[i] && k < 48; i++) {
		unsigned char c = (unsigned char)s[i];
		out[k++] = c < ' ' || c >= 0x7f ? '?' : (char)c;
	}
	if (k == 48 && n > 48 && s[48])
		out[k - 1] = out[k - 2] = out[k - 3] = '.';
	out[k] = '\0';
	return out;
}

unsigned wl_ip_bits(int fam)
{
	return fam == WL_IP4 ? 32u : 128u;
}

static wl_u128 fam_max(int fam)
{
	return fam == WL_IP4 ? (wl_u128)0xffffffffu : U128_MAX;
}

wl_u128 wl_ip_mask(int fam, unsigned prefix)
{
	unsigned bits = wl_ip_bits(fam);
	if (prefix == 0)
		return 0;
	if (prefix > bits)
		prefix = bits;
	/* ones in the top `prefix` bits of a `bits`-wide value */
	wl_u128 host = prefix >= bits ? 0 : (fam_max(fam) >> prefix);
	return fam_max(fam) & ~host;
}

int wl_ip_mask_prefix(int fam, wl_u128 mask)
{
	unsigned bits = wl_ip_bits(fam);
	for (unsigned p = 0; p <= bits; p++)
		if (wl_ip_mask(fam, p) == mask)
			return (int)p;
	return -1;
}

wl_u128 wl_ip_hosts(int fam, unsigned prefix)
{
	unsigned bits = wl_ip_bits(fam), h = bits - prefix;
	if (h == 0)
		return 1;               /* /32, /128: the one address */
	if (h == 1)
		return 2;               /* RFC 3021, RFC 6164: both addresses */
	if (fam == WL_IP4)
		return ((wl_u128)1 << h) - 2;   /* without network and broadcast */
	if (h == 128)
		return U128_MAX;        /* 2^128 - 1 */
	return ((wl_u128)1 << h) - 1;   /* without the Subnet-Router anycast */
}

/* ---- text -> value ---- */

static int parse_ip4(const char *s, size_t n, wl_u128 *v, char *err, size_t errlen)
{
	char what[52];
	shown(s, n, what);
	uint32_t a = 0;
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return fail(err, errlen, "%s: an IPv4 address has four parts (a.b.c.d)", what);
			i++;
		}
		size_t start = i;
		unsigned val = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
			val = val * 10 + (unsigned)(s[i++] - '0');
		size_t len = i - start;
		if (len == 0)
			return fail(err, errlen, "%s: each part of an IPv4 address is a number 0-255", what);
		if (len > 1 && s[start] == '0')
			return fail(err, errlen, "%s: leading zero in a part (ambiguous: octal or decimal?)", what);
		if (val > 255 || len > 3) {
			char num[8];
			snprintf(num, sizeof num, "%.*s", (int)(len > 4 ? 4 : len), s + start);
			return fail(err, errlen, "%s: %s is more than 255", what, num);
		}
		a = a << 8 | val;
	}
	if (i != n)
		return fail(err, errlen, "%s: an IPv4 address has four parts (a.b.c.d)", what);
	*v = a;
	return 0;
}

static int parse_ip6(const char *s, size_t n, wl_u128 *v, char *err, size_t errlen)
{
	char buf[WL_IP_STRLEN + 1], what[52];
	if (n >= sizeof buf)
		return fail(err, errlen, "%s: too long for an IPv6 address", shown(s, n, what));
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (memchr(buf, '%', n))
		return fail(err, errlen, "%s: a zone index (%%IFACE) is not an address: leave it out", buf);
	unsigned char b[16];
	if (inet_pton(AF_INET6, buf, b) != 1)
		return fail(err, errlen, "%s: not a valid IPv6 address (RFC 4291 text form)", buf);
	wl_u128 x = 0;
	for (int i = 0; i < 16; i++)
		x = x << 8 | b[i];
	*v = x;
	return 0;
}

int wl_ip_parse_addr(const char *s, size_t n, int *fam, wl_u128 *v, char *err, size_t errlen)
{
	if (n == 0)
		return fail(err, errlen, "empty address");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= ' ' || ch >= 0x7f) {
			char what[52];
			return fail(err, errlen, "'%s': an address is only digits, hex letters, '.' and ':'",
				    shown(s, n, what));
		}
	}
	if (memchr(s, ':', n)) {
		*fam = WL_IP6;
		return parse_ip6(s, n, v, err, errlen);
	}
	*fam = WL_IP4;
	return parse_ip4(s, n, v, err, errlen);
}

int wl_ip_parse_prefix(const char *s, int fam, unsigned *prefix)
{
	if (*s == '/')
		s++;
	size_t n = strlen(s);
	if (n == 0 || n > 3)
		return -1;
	unsigned p = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		p = p * 10 + (unsigned)(s[i] - '0');
	}
	if (p > wl_ip_bits(fam))
		return -1;
	*prefix = p;
	return 0;
}

static int parse_netmask(const char *full, const char *m, int fam, unsigned *prefix, char *err, size_t errlen)
{
	char what[52];
	shown(full, strlen(full), what);
	if (fam != WL_IP4)
		return fail(err, errlen, "%s: IPv6 takes a prefix length (0-128), not a netmask", what);
	int mf;
	wl_u128 mask;
	if (wl_ip_parse_addr(m, strlen(m), &mf, &mask, NULL, 0) < 0 || mf != WL_IP4)
		return fail(err, errlen, "%s: not a prefix length (0-32) or a netmask (a.b.c.d)", what);
	int p = wl_ip_mask_prefix(WL_IP4, mask);
	if (p < 0) {
		int w = wl_ip_mask_prefix(WL_IP4, ~mask & 0xffffffffu);
		if (w > 0 && w < 32)
			return fail(err, errlen, "%s: a wildcard (host) mask, not a netmask: write /%d", what, w);
		return fail(err, errlen, "%s: not a netmask: its one bits must be contiguous from the left", what);
	}
	*prefix = (unsigned)p;
	return 0;
}

int wl_ip_parse(const char *s, struct wl_ipnet *net, char *err, size_t errlen)
{
	memset(net, 0, sizeof *net);
	if (!s || !*s)
		return fail(err, errlen, "empty address");
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	if (wl_ip_parse_addr(s, alen, &net->fam, &net->addr, err, errlen) < 0)
		return -1;
	net->prefix = wl_ip_bits(net->fam);
	if (!slash)
		return 0;
	const char *p = slash + 1;
	net->prefix_given = 1;
	if (strchr(p, '.') || strchr(p, ':'))
		return parse_netmask(s, p, net->fam, &net->prefix, err, errlen);
	if (wl_ip_parse_prefix(p, net->fam, &net->prefix) < 0) {
		char what[52];
		return fail(err, errlen, "%s: the prefix length must be a number 0-%u", shown(s, strlen(s), what),
			    wl_ip_bits(net->fam));
	}
	return 0;
}

int wl_u128_parse(const char *s, wl_u128 *v)
{
	if (*s == '+')
		s++;
	if (!*s)
		return -1;
	wl_u128 x = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (x > (U128_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/* ---- value -> text ---- */

void wl_ip_str(int fam, wl_u128 v, char *buf, size_t n)
{
	if (fam == WL_IP4) {
		uint32_t a = (uint32_t)v;
		snprintf(buf, n, "%u.%u.%u.%u", a >> 24, a >> 16 & 0xff, a >> 8 & 0xff, a & 0xff);
		return;
	}
	unsigned char b[16];
	for (int i = 15; i >= 0; i--) {
		b[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	char tmp[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, b, tmp, sizeof tmp))
		tmp[0] = '\0';
	snprintf(buf, n, "%s", tmp);
}

void wl_u128_str(wl_u128 v, char *buf, size_t n)
{
	char tmp[WL_U128_STRLEN];
	size_t i = sizeof tmp;
	tmp[--i] = '\0';
	do {
		tmp[--i] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v);
	snprintf(buf, n, "%s", tmp + i);
}

void wl_ip_count_str(int fam, unsigned prefix, char *buf, size_t n)
{
	unsigned h = wl_ip_bits(fam) - prefix;
	if (h >= 128)
		snprintf(buf, n, "340282366920938463463374607431768211456");
	else
		wl_u128_str((wl_u128)1 << h, buf, n);
}

/* ---- calculations ---- */

void wl_ipcalc(const struct wl_ipnet *net, struct wl_ipcalc *c)
{
	memset(c, 0, sizeof *c);
	c->fam = net->fam;
	c->prefix = net->prefix;
	c->bits = wl_ip_bits(net->fam);
	c->addr = net->addr;
	c->netmask = wl_ip_mask(net->fam, net->prefix);
	c->wildcard = ~c->netmask & fam_max(net->fam);
	c->network = net->addr & c->netmask;
	c->last = c->network | c->wildcard;
	c->size_m1 = c->wildcard;
	c->hosts = wl_ip_hosts(net->fam, net->prefix);
	unsigned h = c->bits - c->prefix;
	c->has_broadcast = net->fam == WL_IP4 && h >= 2;
	if (h <= 1) {
		c->first_host = c->network;
		c->last_host = c->last;
	} else {
		c->first_host = c->network + 1;
		c->last_host = net->fam == WL_IP4 ? c->last - 1 : c->last;
	}
}

/* IANA IPv4/IPv6 Special-Purpose Address Registries (RFC 6890 and later). The
 * most specific entry wins. */
#define V4(a, b, c, d) ((wl_u128)((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d)))
#define V6(a, b, c, d) ((wl_u128)(a) << 112 | (wl_u128)(b) << 96 | (wl_u128)(c) << 80 | (wl_u128)(d) << 64)

static const struct wl_ipclass ipclasses[] = {
	{ WL_IP4, 8, V4(0, 0, 0, 0), "reserved", "\"this network\" (0/8)", "RFC 791" },
	{ WL_IP4, 32, V4(0, 0, 0, 0), "unspecified", "unspecified address", "RFC 1122" },
	{ WL_IP4, 8, V4(10, 0, 0, 0), "private", "private network (10/8)", "RFC 1918" },
	{ WL_IP4, 10, V4(100, 64, 0, 0), "shared", "shared address space, carrier-grade NAT", "RFC 6598" },
	{ WL_IP4, 8, V4(127, 0, 0, 0), "loopback", "loopback", "RFC 1122" },
	{ WL_IP4, 16, V4(169, 254, 0, 0), "link-local", "link-local (autoconfiguration)", "RFC 3927" },
	{ WL_IP4, 12, V4(172, 16, 0, 0), "private", "private network (172.16/12)", "RFC 1918" },
	{ WL_IP4, 24, V4(192, 0, 0, 0), "reserved", "IETF protocol assignments", "RFC 6890" },
	{ WL_IP4, 24, V4(192, 0, 2, 0), "documentation", "documentation, TEST-NET-1", "RFC 5737" },
	{ WL_IP4, 24, V4(192, 88, 99, 0), "reserved", "6to4 relay anycast (deprecated)", "RFC 7526" },
	{ WL_IP4, 16, V4(192, 168, 0, 0), "private", "private network (192.168/16)", "RFC 1918" },
	{ WL_IP4, 15, V4(198, 18, 0, 0), "reserved", "benchmarking", "RFC 2544" },
	{ WL_IP4, 24, V4(198, 51, 100, 0), "documentation", "documentation, TEST-NET-2", "RFC 5737" },
	{ WL_IP4, 24, V4(203, 0, 113, 0), "documentation", "documentation, TEST-NET-3", "RFC 5737" },
	{ WL_IP4, 4, V4(224, 0, 0, 0), "multicast", "multicast", "RFC 5771" },
	{ WL_IP4, 24, V4(224, 0, 0, 0), "multicast", "multicast, local network control block", "RFC 5771" },
	{ WL_IP4, 8, V4(232, 0, 0, 0), "multicast", "source-specific multicast", "RFC 4607" },
	{ WL_IP4, 8, V4(239, 0, 0, 0), "multicast", "administratively scoped multicast", "RFC 2365" },
	{ WL_IP4, 4, V4(240, 0, 0, 0), "reserved", "reserved for future use (class E)", "RFC 1112" },
	{ WL_IP4, 32, V4(255, 255, 255, 255), "broadcast", "limited broadcast", "RFC 919" },
	{ WL_IP4, 0, 0, "global", "global unicast", "RFC 791" },

	{ WL_IP6, 0, 0, "reserved", "unassigned by IANA", "RFC 4291" },
	{ WL_IP6, 128, 0, "unspecified", "unspecified address", "RFC 4291" },
	{ WL_IP6, 128, 1, "loopback", "loopback", "RFC 4291" },
	{ WL_IP6, 96, (wl_u128)0xffff << 32, "ipv4-mapped", "IPv4-mapped address", "RFC 4291" },
	{ WL_IP6, 96, V6(0x64, 0xff9b, 0, 0), "global", "IPv4/IPv6 translation (NAT64)", "RFC 6052" },
	{ WL_IP6, 48, V6(0x64, 0xff9b, 1, 0), "reserved", "local-use IPv4/IPv6 translation", "RFC 8215" },
	{ WL_IP6, 64, V6(0x100, 0, 0, 0), "reserved", "discard-only", "RFC 6666" },
	{ WL_IP6, 3, V6(0x2000, 0, 0, 0), "global", "global unicast", "RFC 4291" },
	{ WL_IP6, 23, V6(0x2001, 0, 0, 0), "reserved", "IETF protocol assignments", "RFC 2928" },
	{ WL_IP6, 32, V6(0x2001, 0, 0, 0), "global", "Teredo tunnelling", "RFC 4380" },
	{ WL_IP6, 28, V6(0x2001, 0x10, 0, 0), "reserved", "ORCHIDv1 (deprecated)", "RFC 4843" },
	{ WL_IP6, 28, V6(0x2001, 0x20, 0, 0), "reserved", "ORCHIDv2", "RFC 7343" },
	{ WL_IP6, 32, V6(0x2001, 0xdb8, 0, 0), "documentation", "documentation", "RFC 3849" },
	{ WL_IP6, 16, V6(0x2002, 0, 0, 0), "global", "6to4", "RFC 3056" },
	{ WL_IP6, 20, V6(0x3fff, 0, 0, 0), "documentation", "documentation", "RFC 9637" },
	{ WL_IP6, 7, V6(0xfc00, 0, 0, 0), "unique-local", "unique local address", "RFC 4193" },
	{ WL_IP6, 10, V6(0xfe80, 0, 0, 0), "link-local", "link-local unicast", "RFC 4291" },
	{ WL_IP6, 10, V6(0xfec0, 0, 0, 0), "reserved", "site-local (deprecated)", "RFC 3879" },
	{ WL_IP6, 8, V6(0xff00, 0, 0, 0), "multicast", "multicast", "RFC 4291" },
};

const struct wl_ipclass *wl_ip_classify(int fam, wl_u128 v)
{
	const struct wl_ipclass *best = NULL;
	for (size_t i = 0; i < sizeof ipclasses / sizeof ipclasses[0]; i++) {
		const struct wl_ipclass *k = &ipclasses[i];
		if (k->fam != fam || (v & wl_ip_mask(fam, k->plen)) != k->prefix)
			continue;
		if (!best || k->plen > best->plen)
			best = k;
	}
	return best;
}

char wl_ip4_class(wl_u128 v)
{
	unsigned top = (unsigned)(v >> 28) & 0xf;
	if (top < 8)
		return 'A';
	if (top < 12)
		return 'B';
	if (top < 14)
		return 'C';
	return top == 14 ? 'D' : 'E';
}

wl_u128 wl_ip_subnet_count_m1(const struct wl_ipcalc *c, unsigned newp)
{
	unsigned d = newp - c->prefix;
	return d >= 128 ? U128_MAX : ((wl_u128)1 << d) - 1;
}

wl_u128 wl_ip_subnet(const struct wl_ipcalc *c, unsigned newp, wl_u128 i)
{
	unsigned h = c->bits - newp;
	wl_u128 off = h >= 128 ? 0 : i << h;
	return c->network + off;
}

int wl_ip_add(int fam, wl_u128 v, wl_u128 n, int sub, wl_u128 *out)
{
	wl_u128 max = fam_max(fam);
	if (sub) {
		if (n > v)
			return -1;
		*out = v - n;
		return 0;
	}
	if (n > max - v)
		return -1;
	*out = v + n;
	return 0;
}

int wl_ip_contains(const struct wl_ipnet *a, const struct wl_ipnet *b)
{
	if (a->fam != b->fam || b->prefix < a->prefix)
		return 0;
	wl_u128 m = wl_ip_mask(a->fam, a->prefix);
	return (a->addr & m) == (b->addr & m);
}

int wl_ip_plan_prefix(int fam, wl_u128 hosts, unsigned *prefix)
{
	unsigned bits = wl_ip_bits(fam);
	for (unsigned p = bits - 2;; p--) {
		if (wl_ip_hosts(fam, p) >= hosts) {
			*prefix = p;
			return 0;
		}
		if (p == 0)
			return -1;
	}
}

static int plan_cmp_greater(const struct wl_plan_item *a, const struct wl_plan_item *b)
{
	if (a->want != b->want)
		return a->want > b->want;
	return a->index < b->index;
}

int wl_ip_plan(const struct wl_ipnet *base, const wl_u128 *want, size_t n, struct wl_plan_item *items,
	       wl_u128 *next, int *next_ok, char *err, size_t errlen)
{
	char what[WL_U128_STRLEN];
	int fam = base->fam;
	unsigned bits = wl_ip_bits(fam);
	for (size_t i = 0; i < n; i++) {
		items[i].index = i;
		items[i].want = want[i];
		if (want[i] == 0)
			return fail(err, errlen, "a segment of 0 hosts needs no subnet");
		if (wl_ip_plan_prefix(fam, want[i], &items[i].prefix) < 0) {
			wl_u128_str(want[i], what, sizeof what);
			return fail(err, errlen, "%s hosts do not fit in one %s subnet", what,
				    fam == WL_IP4 ? "IPv4" : "IPv6");
		}
	}
	/* insertion sort, largest first, stable: n is small */
	for (size_t i = 1; i < n; i++) {
		struct wl_plan_item x = items[i];
		size_t j = i;
		while (j > 0 && plan_cmp_greater(&x, &items[j - 1])) {
			items[j] = items[j - 1];
			j--;
		}
		items[j] = x;
	}
	wl_u128 lo = base->addr, hi = fam_max(fam);
	if (base->prefix_given) {
		wl_u128 m = wl_ip_mask(fam, base->prefix);
		lo = base->addr & m;
		hi = lo | (~m & fam_max(fam));
		if (base->addr != lo)
			lo = base->addr;
	}
	wl_u128 cur = lo;
	int exhausted = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned h = bits - items[i].prefix;
		wl_u128 size_m1 = ((wl_u128)1 << h) - 1;
		wl_u128 start = (cur + size_m1) & ~size_m1;
		if (exhausted || start < cur || start > hi || size_m1 > hi - start) {
			char b[WL_IP_STRLEN + 8];
			wl_ip_str(fam, base->addr, b, sizeof b);
			if (base->prefix_given) {
				size_t k = strlen(b);
				snprintf(b + k, sizeof b - k, "/%u", base->prefix);
			}
			wl_u128_str(items[i].want, what, sizeof what);
			return fail(err, errlen, "the plan does not fit in %s (no room left for the %s-host segment)", b,
				    what);
		}
		items[i].network = start;
		if (start + size_m1 == fam_max(fam))
			exhausted = 1;
		else
			cur = start + size_m1 + 1;
	}
	*next_ok = !exhausted && cur <= hi;
	*next = cur;
	return 0;
}
