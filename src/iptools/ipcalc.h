/* ipcalc.h - IPv4 and IPv6 address arithmetic for `wirelab ipcalc`: a pure core
 * (no I/O, no allocation) so the parser and the calculations can be tested and
 * fuzzed on their own.
 *
 * Addresses are held as one 128-bit unsigned integer in host order: an IPv4
 * address is the low 32 bits. Semantics follow Python's ipaddress module
 * (IPv4Network/IPv6Network), with the host counts of RFC 3021 (/31) and
 * RFC 6164 (/127). Error texts are one line, without the "wirelab: " prefix.
 */
#ifndef WL_IPCALC_H
#define WL_IPCALC_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 wl_u128;

enum { WL_IP4 = 4, WL_IP6 = 6 };

/* Longest text of an address (INET6_ADDRSTRLEN) and of a 128-bit decimal. */
#define WL_IP_STRLEN 46
#define WL_U128_STRLEN 40

/* ADDRESS[/PREFIX|/NETMASK] as given. */
struct wl_ipnet {
	int fam;            /* WL_IP4 or WL_IP6 */
	unsigned prefix;    /* 0..32 or 0..128; the full length when not given */
	int prefix_given;   /* 1 if /PREFIX or /NETMASK was written */
	wl_u128 addr;
};

/* Everything ipcalc shows about a network. */
struct wl_ipcalc {
	int fam;
	unsigned prefix, bits;        /* bits: 32 or 128 */
	wl_u128 addr, network, netmask, wildcard;
	wl_u128 last;                 /* the last address (IPv4: broadcast up to /30) */
	wl_u128 size_m1;              /* number of addresses - 1 (2^128 does not fit) */
	wl_u128 hosts;                /* usable hosts */
	wl_u128 first_host, last_host;
	int has_broadcast;            /* IPv4 /0../30 */
};

/* What an address is, from the IANA special-purpose registries (RFC 6890). */
struct wl_ipclass {
	int fam;
	unsigned plen;
	wl_u128 prefix;
	const char *kind;   /* private, loopback, link-local, multicast, documentation,
			     * shared, global, reserved, unique-local, ipv4-mapped,
			     * unspecified, broadcast */
	const char *name;   /* e.g. "private network (10/8)" */
	const char *rfc;    /* e.g. "RFC 1918" */
};

/* One address, no prefix: a strict dotted quad (no leading zeros, each part
 * 0..255) or an RFC 4291 IPv6 text form. s need not be NUL-terminated. */
int wl_ip_parse_addr(const char *s, size_t n, int *fam, wl_u128 *v, char *err, size_t errlen);
/* ADDRESS[/PREFIX|/NETMASK]; a netmask must be contiguous (IPv4 only). */
int wl_ip_parse(const char *s, struct wl_ipnet *net, char *err, size_t errlen);
/* A decimal count, up to 2^128-1; also accepts a leading '+'. -1 if invalid. */
int wl_u128_parse(const char *s, wl_u128 *v);
/* A prefix length "N" or "/N" for a family; -1 if invalid. */
int wl_ip_parse_prefix(const char *s, int fam, unsigned *prefix);

unsigned wl_ip_bits(int fam);
wl_u128 wl_ip_mask(int fam, unsigned prefix);
/* The prefix of a contiguous mask, or -1. */
int wl_ip_mask_prefix(int fam, wl_u128 mask);
/* Usable hosts in a network of this prefix (RFC 3021 / RFC 6164 for the
 * two-address networks; IPv6 leaves out the Subnet-Router anycast address,
 * RFC 4291 2.6.1, as Python does). */
wl_u128 wl_ip_hosts(int fam, unsigned prefix);

void wl_ip_str(int fam, wl_u128 v, char *buf, size_t n);
void wl_u128_str(wl_u128 v, char *buf, size_t n);
/* The number of addresses of a prefix, in decimal (2^128 included). */
void wl_ip_count_str(int fam, unsigned prefix, char *buf, size_t n);

void wl_ipcalc(const struct wl_ipnet *net, struct wl_ipcalc *c);
const struct wl_ipclass *wl_ip_classify(int fam, wl_u128 v);
/* The historic class of an IPv4 address: 'A'..'E'. */
char wl_ip4_class(wl_u128 v);

/* The i-th subnet of prefix newp inside net (newp >= net->prefix). */
wl_u128 wl_ip_subnet(const struct wl_ipcalc *c, unsigned newp, wl_u128 i);
/* Number of subnets - 1 of prefix newp in c. */
wl_u128 wl_ip_subnet_count_m1(const struct wl_ipcalc *c, unsigned newp);

/* v + n or v - n (sub != 0) inside the family; -1 if it leaves the space. */
int wl_ip_add(int fam, wl_u128 v, wl_u128 n, int sub, wl_u128 *out);
/* 1 if network a contains the address/network b (same family only). */
int wl_ip_contains(const struct wl_ipnet *a, const struct wl_ipnet *b);

/* The smallest subnet (largest prefix) with at least `hosts` usable hosts for a
 * LAN segment: a network and a broadcast address are kept out, so IPv4 stops
 * at /30 and IPv6 at /126. -1 if none fits. */
int wl_ip_plan_prefix(int fam, wl_u128 hosts, unsigned *prefix);

struct wl_plan_item {
	size_t index;       /* position in the request (0-based) */
	wl_u128 want;       /* hosts asked for */
	unsigned prefix;
	wl_u128 network;
};
/* A variable-length subnet plan: segments sorted largest first, each on its
 * own boundary, allocated from base (aligned up to the first block). When
 * base_prefix_given, every subnet must fit in base/base_prefix. items holds n
 * entries in allocation order. *next is the first free address after the plan
 * (valid when *next_ok). Returns 0 or -1 with a reason. */
int wl_ip_plan(const struct wl_ipnet *base, const wl_u128 *want, size_t n, struct wl_plan_item *items,
	       wl_u128 *next, int *next_ok, char *err, size_t errlen);

#endif
