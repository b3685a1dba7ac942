/* cmd_netinfo.c - `wirelab netinfo [-T text|json]`: this host as the network
 * sees it (collected by src/iptools/netinfo.c), as text or one JSON document. */
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcalc.h"
#include "jsonf.h"
#include "netinfo.h"
#include "wirelab.h"

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

static void print_text(FILE *f, const struct wl_netinfo *ni)
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

static void print_json(FILE *f, const struct wl_netinfo *ni)
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
		print_json(stdout, ni);
	else
		print_text(stdout, ni);
	free(ni);
	return fflush(stdout) == 0 ? WL_EXIT_OK : WL_EXIT_USAGE;
}
