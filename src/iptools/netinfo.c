/* netinfo.c - what `wirelab netinfo` shows: this host's name and addresses, every
 * interface (state, MTU, MAC, IPv4/IPv6 addresses with prefix and netmask),
 * the default gateways and the DNS resolvers.
 *
 * Sources, all read directly (never another command's output):
 *   getifaddrs(3)                addresses, netmasks, broadcast, MAC (AF_PACKET)
 *   if_nameindex(3)              every interface, with or without addresses
 *   ioctl SIOCGIFMTU             MTU
 *   /sys/class/net/IF/operstate  RFC 2863 operational state
 *   /proc/net/route              IPv4 routes: Iface Destination Gateway Flags ... Mask
 *                                (addresses as the kernel's __be32 in %08X)
 *   /proc/net/ipv6_route         IPv6 routes: dest plen src plen nexthop metric
 *                                refcnt use flags dev (hex, network order)
 *   /etc/resolv.conf             nameserver, search, domain
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipcalc.h"
#include "netinfo.h"

#ifndef RTF_REJECT
#define RTF_REJECT 0x0200
#endif

/* ---- interfaces ---- */

static struct wl_ni_iface *iface_get(struct wl_netinfo *ni, const char *name)
{
	for (unsigned i = 0; i < ni->nifaces; i++)
		if (strcmp(ni->ifaces[i].name, name) == 0)
			return &ni->ifaces[i];
	if (ni->nifaces == WL_NI_MAX_IFACES)
		return NULL;
	struct wl_ni_iface *it = &ni->ifaces[ni->nifaces++];
	memset(it, 0, sizeof *it);
	snprintf(it->name, sizeof it->name, "%s", name);
	it->index = if_nametoindex(name);
	it->mtu = -1;
	return it;
}

const struct wl_ni_iface *wl_ni_find(const struct wl_netinfo *ni, const char *name)
{
	for (unsigned i = 0; i < ni->nifaces; i++)
		if (strcmp(ni->ifaces[i].name, name) == 0)
			return &ni->ifaces[i];
	return NULL;
}

static void sa_str(const struct sockaddr *sa, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, (socklen_t)n);
}

static void add_address(struct wl_ni_iface *it, const struct ifaddrs *a)
{
	if (it->naddrs == WL_NI_MAX_ADDRS)
		return;
	struct wl_ni_addr *x = &it->addrs[it->naddrs];
	memset(x, 0, sizeof *x);
	x->fam = a->ifa_addr->sa_family == AF_INET ? WL_IP4 : WL_IP6;
	sa_str(a->ifa_addr, x->addr, sizeof x->addr);
	sa_str(a->ifa_netmask, x->netmask, sizeof x->netmask);
	int mf;
	wl_u128 m;
	x->prefix = wl_ip_bits(x->fam);
	if (x->netmask[0] && wl_ip_parse_addr(x->netmask, strlen(x->netmask), &mf, &m, NULL, 0) == 0) {
		int p = wl_ip_mask_prefix(mf, m);
		if (p >= 0)
			x->prefix = (unsigned)p;
	}
	if (a->ifa_flags & IFF_POINTOPOINT)
		sa_str(a->ifa_dstaddr, x->peer, sizeof x->peer);
	else if ((a->ifa_flags & IFF_BROADCAST) && x->fam == WL_IP4)
		sa_str(a->ifa_broadaddr, x->broadcast, sizeof x->broadcast);
	it->naddrs++;
}

static void add_link(struct wl_ni_iface *it, const struct ifaddrs *a)
{
	const struct sockaddr_ll *ll = (const struct sockaddr_ll *)(const void *)a->ifa_addr;
	it->hwtype = ll->sll_hatype;
	size_t k = 0;
	for (unsigned i = 0; i < ll->sll_halen && i < 8; i++)
		k += (size_t)snprintf(it->mac + k, sizeof it->mac - k, "%s%02x", i ? ":" : "", ll->sll_addr[i]);
}

static void read_state(struct wl_ni_iface *it, int sock)
{
	char path[96];
	snprintf(path, sizeof path, "/sys/class/net/%s/operstate", it->name);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fgets(it->state, sizeof it->state, f))
			it->state[strcspn(it->state, "\n")] = '\0';
		fclose(f);
	}
	/* a name the kernel could not have given (IFNAMSIZ) is not asked about */
	size_t namelen = strlen(it->name);
	if (sock >= 0 && namelen < IFNAMSIZ) {
		struct ifreq ifr;
		memset(&ifr, 0, sizeof ifr);
		memcpy(ifr.ifr_name, it->name, namelen);
		if (ioctl(sock, SIOCGIFMTU, &ifr) == 0)
			it->mtu = ifr.ifr_mtu;
		if (ioctl(sock, SIOCGIFFLAGS, &ifr) == 0)
			it->flags = (unsigned)(unsigned short)ifr.ifr_flags;
	}
}

static int collect_ifaces(struct wl_netinfo *ni, char *err, size_t errlen)
{
	struct if_nameindex *idx = if_nameindex();
	for (struct if_nameindex *p = idx; p && p->if_index; p++)
		iface_get(ni, p->if_name);
	if (idx)
		if_freenameindex(idx);
	struct ifaddrs *all;
	if (getifaddrs(&all) < 0) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	for (struct ifaddrs *a = all; a; a = a->ifa_next) {
		struct wl_ni_iface *it = a->ifa_name ? iface_get(ni, a->ifa_name) : NULL;
		if (!it || !a->ifa_addr)
			continue;
		it->flags = a->ifa_flags;
		if (a->ifa_addr->sa_family == AF_PACKET)
			add_link(it, a);
		else if (a->ifa_addr->sa_family == AF_INET || a->ifa_addr->sa_family == AF_INET6)
			add_address(it, a);
	}
	freeifaddrs(all);
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (unsigned i = 0; i < ni->nifaces; i++)
		read_state(&ni->ifaces[i], sock);
	if (sock >= 0)
		close(sock);
	return 0;
}

/* ---- host name ---- */

static void collect_host(struct wl_netinfo *ni)
{
	if (gethostname(ni->hostname, sizeof ni->hostname) < 0)
		snprintf(ni->hostname, sizeof ni->hostname, "?");
	ni->hostname[sizeof ni->hostname - 1] = '\0';
	struct addrinfo hints, *res;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_CANONNAME;
	int rc = getaddrinfo(ni->hostname, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(ni->resolve_error, sizeof ni->resolve_error, "%s", gai_strerror(rc));
		return;
	}
	if (res->ai_canonname && strcmp(res->ai_canonname, ni->hostname) != 0)
		snprintf(ni->canonical, sizeof ni->canonical, "%s", res->ai_canonname);
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		char b[WL_NI_ADDRLEN];
		sa_str(a->ai_addr, b, sizeof b);
		int dup = !b[0];
		for (unsigned i = 0; i < ni->nhost_addrs && !dup; i++)
			dup = strcmp(ni->host_addrs[i], b) == 0;
		if (!dup && ni->nhost_addrs < WL_NI_MAX_LIST)
			snprintf(ni->host_addrs[ni->nhost_addrs++], WL_NI_ADDRLEN, "%s", b);
	}
	freeaddrinfo(res);
}

/* ---- routes ---- */

static void add_gateway(struct wl_netinfo *ni, int fam, const char *gw, const char *dev, unsigned long metric)
{
	if (ni->ngateways == WL_NI_MAX_LIST)
		return;
	struct wl_ni_route *r = &ni->gateways[ni->ngateways++];
	r->fam = fam;
	snprintf(r->gateway, sizeof r->gateway, "%s", gw);
	snprintf(r->dev, sizeof r->dev, "%s", dev);
	r->metric = metric;
}

void wl_ni_parse_route4(FILE *f, struct wl_netinfo *ni)
{
	char line[512];
	if (!fgets(line, sizeof line, f))      /* the header */
		return;
	while (fgets(line, sizeof line, f)) {
		char dev[IF_NAMESIZE + 1];
		unsigned dst, gw, flags, refcnt, use, mask;
		unsigned long metric;
		if (sscanf(line, "%16s %x %x %x %u %u %lu %x", dev, &dst, &gw, &flags, &refcnt, &use, &metric,
			   &mask) != 8)
			continue;
		if (dst != 0 || mask != 0 || !(flags & RTF_UP) || !(flags & RTF_GATEWAY) || (flags & RTF_REJECT))
			continue;
		/* the kernel prints the network-order word as a host integer:
		 * storing it back as it is gives the address bytes */
		struct in_addr a;
		a.s_addr = (in_addr_t)gw;
		char b[WL_NI_ADDRLEN];
		inet_ntop(AF_INET, &a, b, sizeof b);
		add_gateway(ni, WL_IP4, b, dev, metric);
	}
}

static int hex16(const char *s, unsigned char out[16])
{
	for (int i = 0; i < 16; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

void wl_ni_parse_route6(FILE *f, struct wl_netinfo *ni)
{
	char line[512];
	while (fgets(line, sizeof line, f)) {
		char dst[33], src[33], hop[33], dev[IF_NAMESIZE + 1];
		unsigned dlen, slen, refcnt, use, flags;
		unsigned long metric;
		if (sscanf(line, "%32s %x %32s %x %32s %lx %x %x %x %16s", dst, &dlen, src, &slen, hop, &metric,
			   &refcnt, &use, &flags, dev) != 10)
			continue;
		unsigned char h[16];
		if (dlen != 0 || strspn(dst, "0") != 32 || !(flags & RTF_UP) || !(flags & RTF_GATEWAY) ||
		    (flags & RTF_REJECT) || strlen(hop) != 32 || hex16(hop, h) < 0)
			continue;
		char b[WL_NI_ADDRLEN];
		inet_ntop(AF_INET6, h, b, sizeof b);
		add_gateway(ni, WL_IP6, b, dev, metric);
	}
}

/* ---- resolvers ---- */

void wl_ni_parse_resolv(FILE *f, struct wl_netinfo *ni)
{
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *key = strtok_r(line, " \t\r\n", &save);
		if (!key || key[0] == '#' || key[0] == ';')
			continue;
		if (strcmp(key, "nameserver") == 0) {
			char *v = strtok_r(NULL, " \t\r\n", &save);
			if (v && ni->nresolvers < WL_NI_MAX_LIST)
				snprintf(ni->resolvers[ni->nresolvers++], WL_NI_ADDRLEN, "%s", v);
		} else if (strcmp(key, "search") == 0 || strcmp(key, "domain") == 0) {
			ni->nsearch = 0;  /* the last search or domain line wins, resolv.conf(5) */
			for (char *v = strtok_r(NULL, " \t\r\n", &save); v && ni->nsearch < WL_NI_MAX_LIST;
			     v = strtok_r(NULL, " \t\r\n", &save))
				snprintf(ni->search[ni->nsearch++], sizeof ni->search[0], "%s", v);
		}
	}
}

static void read_file_into(const char *path, void (*parse)(FILE *, struct wl_netinfo *), struct wl_netinfo *ni,
			   char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (why)
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return;
	}
	parse(f, ni);
	fclose(f);
}

int wl_netinfo_collect(struct wl_netinfo *ni, char *err, size_t errlen)
{
	memset(ni, 0, sizeof *ni);
	collect_host(ni);
	if (collect_ifaces(ni, err, errlen) < 0)
		return -1;
	read_file_into("/proc/net/route", wl_ni_parse_route4, ni, NULL, 0);
	read_file_into("/proc/net/ipv6_route", wl_ni_parse_route6, ni, NULL, 0);
	read_file_into("/etc/resolv.conf", wl_ni_parse_resolv, ni, ni->resolv_error, sizeof ni->resolv_error);
	return 0;
}
