/* netinfo.c - `wirelab netinfo`: this host's name and addresses, every
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
#include "jsonf.h"
#include "netinfo.h"
#include "wirelab.h"

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

/* ---- output ---- */

static const struct {
	unsigned flag;
	const char *name;
} iff_names[] = {
	{ IFF_UP, "UP" },           { IFF_BROADCAST, "BROADCAST" }, { IFF_LOOPBACK, "LOOPBACK" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_RUNNING, "RUNNING" }, { IFF_NOARP, "NOARP" },
	{ IFF_PROMISC, "PROMISC" }, { IFF_MULTICAST, "MULTICAST" },
};

static const char *addr_kind(int fam, const char *addr)
{
	int f;
	wl_u128 v;
	if (wl_ip_parse_addr(addr, strlen(addr), &f, &v, NULL, 0) < 0)
		return "";
	return wl_ip_classify(f, v)->kind;
}

static void print_iface_text(FILE *f, const struct wl_ni_iface *it)
{
	fprintf(f, "  %-10s", it->name);
	for (size_t i = 0, first = 1; i < sizeof iff_names / sizeof iff_names[0]; i++)
		if (it->flags & iff_names[i].flag) {
			fprintf(f, "%s%s", first ? "<" : ",", iff_names[i].name);
			first = 0;
		}
	fprintf(f, "%s state %s", it->flags ? ">" : "<>", it->state[0] ? it->state : "?");
	if (it->mtu >= 0)
		fprintf(f, "  mtu %d", it->mtu);
	if (it->mac[0] && it->hwtype != ARPHRD_LOOPBACK)
		fprintf(f, "  mac %s", it->mac);
	fputc('\n', f);
	for (unsigned i = 0; i < it->naddrs; i++) {
		const struct wl_ni_addr *a = &it->addrs[i];
		char net[WL_NI_ADDRLEN + 8];
		snprintf(net, sizeof net, "%s/%u", a->addr, a->prefix);
		fprintf(f, "%12s%-5s %-28s netmask %-16s", "", a->fam == WL_IP4 ? "inet" : "inet6", net, a->netmask);
		if (a->broadcast[0])
			fprintf(f, " broadcast %s", a->broadcast);
		if (a->peer[0])
			fprintf(f, " peer %s", a->peer);
		fprintf(f, "  [%s]\n", addr_kind(a->fam, a->addr));
	}
}

void wl_netinfo_print_text(FILE *f, const struct wl_netinfo *ni)
{
	fprintf(f, "Host name: %s\n", ni->hostname);
	if (ni->canonical[0])
		fprintf(f, "  canonical name: %s\n", ni->canonical);
	if (ni->resolve_error[0])
		fprintf(f, "  does not resolve: %s\n", ni->resolve_error);
	for (unsigned i = 0; i < ni->nhost_addrs; i++)
		fprintf(f, "  resolves to %s\n", ni->host_addrs[i]);
	fputs("\nInterfaces:\n", f);
	for (unsigned i = 0; i < ni->nifaces; i++)
		print_iface_text(f, &ni->ifaces[i]);
	fputs("\nDefault gateways:\n", f);
	if (!ni->ngateways)
		fputs("  none (no default route: only directly connected networks are reachable)\n", f);
	for (unsigned i = 0; i < ni->ngateways; i++)
		fprintf(f, "  IPv%d  %-26s dev %-10s metric %lu\n", ni->gateways[i].fam, ni->gateways[i].gateway,
			ni->gateways[i].dev, ni->gateways[i].metric);
	fputs("\nDNS resolvers (/etc/resolv.conf):\n", f);
	if (ni->resolv_error[0])
		fprintf(f, "  cannot read %s\n", ni->resolv_error);
	else if (!ni->nresolvers)
		fputs("  none (the resolver library then asks 127.0.0.1)\n", f);
	for (unsigned i = 0; i < ni->nresolvers; i++)
		fprintf(f, "  nameserver %s%s\n", ni->resolvers[i],
			strcmp(ni->resolvers[i], "127.0.0.53") == 0 ? "   (systemd-resolved's local stub)" : "");
	if (ni->nsearch) {
		fputs("  search", f);
		for (unsigned i = 0; i < ni->nsearch; i++)
			fprintf(f, " %s", ni->search[i]);
		fputc('\n', f);
	}
}

static void json_strs(FILE *f, int *first, const char *key, const char (*v)[WL_NI_ADDRLEN], unsigned n)
{
	wl_json_fkey(f, first, key);
	fputc('[', f);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		wl_json_fstr(f, v[i]);
	}
	fputc(']', f);
}

static void print_iface_json(FILE *f, const struct wl_ni_iface *it)
{
	int first = 1;
	fputc('{', f);
	wl_json_fkey(f, &first, "name");
	wl_json_fstr(f, it->name);
	wl_json_fkey(f, &first, "index");
	fprintf(f, "%u", it->index);
	wl_json_fkey(f, &first, "flags");
	fputc('[', f);
	for (size_t i = 0, n = 0; i < sizeof iff_names / sizeof iff_names[0]; i++)
		if (it->flags & iff_names[i].flag) {
			if (n++)
				fputc(',', f);
			wl_json_fstr(f, iff_names[i].name);
		}
	fputc(']', f);
	wl_json_fkey(f, &first, "state");
	wl_json_fstr(f, it->state[0] ? it->state : NULL);
	wl_json_fkey(f, &first, "mtu");
	if (it->mtu >= 0)
		fprintf(f, "%d", it->mtu);
	else
		fputs("null", f);
	wl_json_fkey(f, &first, "mac");
	wl_json_fstr(f, it->mac[0] && it->hwtype != ARPHRD_LOOPBACK ? it->mac : NULL);
	wl_json_fkey(f, &first, "addresses");
	fputc('[', f);
	for (unsigned i = 0; i < it->naddrs; i++) {
		const struct wl_ni_addr *a = &it->addrs[i];
		int f2 = 1;
		fputs(i ? ",{" : "{", f);
		wl_json_fkey(f, &f2, "family");
		fprintf(f, "%d", a->fam);
		wl_json_fkey(f, &f2, "address");
		wl_json_fstr(f, a->addr);
		wl_json_fkey(f, &f2, "prefix");
		fprintf(f, "%u", a->prefix);
		wl_json_fkey(f, &f2, "netmask");
		wl_json_fstr(f, a->netmask);
		if (a->broadcast[0]) {
			wl_json_fkey(f, &f2, "broadcast");
			wl_json_fstr(f, a->broadcast);
		}
		if (a->peer[0]) {
			wl_json_fkey(f, &f2, "peer");
			wl_json_fstr(f, a->peer);
		}
		wl_json_fkey(f, &f2, "type");
		wl_json_fstr(f, addr_kind(a->fam, a->addr));
		fputc('}', f);
	}
	fputs("]}", f);
}

void wl_netinfo_print_json(FILE *f, const struct wl_netinfo *ni)
{
	int first = 1;
	fputc('{', f);
	wl_json_fkey(f, &first, "hostname");
	wl_json_fstr(f, ni->hostname);
	wl_json_fkey(f, &first, "canonical_name");
	wl_json_fstr(f, ni->canonical[0] ? ni->canonical : NULL);
	json_strs(f, &first, "host_addresses", ni->host_addrs, ni->nhost_addrs);
	wl_json_fkey(f, &first, "interfaces");
	fputc('[', f);
	for (unsigned i = 0; i < ni->nifaces; i++) {
		if (i)
			fputc(',', f);
		print_iface_json(f, &ni->ifaces[i]);
	}
	fputc(']', f);
	wl_json_fkey(f, &first, "gateways");
	fputc('[', f);
	for (unsigned i = 0; i < ni->ngateways; i++) {
		const struct wl_ni_route *r = &ni->gateways[i];
		int f2 = 1;
		fputs(i ? ",{" : "{", f);
		wl_json_fkey(f, &f2, "family");
		fprintf(f, "%d", r->fam);
		wl_json_fkey(f, &f2, "gateway");
		wl_json_fstr(f, r->gateway);
		wl_json_fkey(f, &f2, "interface");
		wl_json_fstr(f, r->dev);
		wl_json_fkey(f, &f2, "metric");
		fprintf(f, "%lu", r->metric);
		fputc('}', f);
	}
	fputc(']', f);
	json_strs(f, &first, "resolvers", ni->resolvers, ni->nresolvers);
	wl_json_fkey(f, &first, "search");
	fputc('[', f);
	for (unsigned i = 0; i < ni->nsearch; i++) {
		if (i)
			fputc(',', f);
		wl_json_fstr(f, ni->search[i]);
	}
	fputs("]}\n", f);
}

static void usage(FILE *f)
{
	fputs("usage: wirelab netinfo [-T text|json]\n"
	      "\n"
	      "This host as the network sees it: its name and the addresses it resolves to, every\n"
	      "interface with its state, MTU, MAC and IPv4/IPv6 addresses (prefix and netmask), the\n"
	      "default gateways for IPv4 and IPv6 (from /proc/net/route and /proc/net/ipv6_route) and\n"
	      "the DNS resolvers (/etc/resolv.conf).\n"
	      "\n"
	      "Exit status: 0 fine, 2 usage error or the interfaces cannot be read.\n",
	      f);
}

int wl_cmd_netinfo(int argc, char **argv)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			usage(stdout);
			return WL_EXIT_OK;
		}
		if (strncmp(s, "-T", 2) == 0) {
			const char *v = s[2] ? s + 2 : (i + 1 < argc ? argv[++i] : "");
			if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0) {
				wl_err("-T %s: expected text or json", v);
				return WL_EXIT_USAGE;
			}
			json = strcmp(v, "json") == 0;
			continue;
		}
		wl_err("netinfo: unexpected '%s' (wirelab netinfo --help)", s);
		return WL_EXIT_USAGE;
	}
	struct wl_netinfo *ni = malloc(sizeof *ni);
	if (!ni) {
		wl_err("out of memory");
		return WL_EXIT_USAGE;
	}
	char err[256];
	if (wl_netinfo_collect(ni, err, sizeof err) < 0) {
		wl_err("%s", err);
		free(ni);
		return WL_EXIT_USAGE;
	}
	if (json)
		wl_netinfo_print_json(stdout, ni);
	else
		wl_netinfo_print_text(stdout, ni);
	free(ni);
	return fflush(stdout) == 0 ? WL_EXIT_OK : WL_EXIT_USAGE;
}
