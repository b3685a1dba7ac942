/* netinfo.h - what `wirelab netinfo` collects about this host: its name and
 * addresses, the interfaces (getifaddrs + ioctl + sysfs), the default gateways
 * (/proc/net/route, /proc/net/ipv6_route) and the DNS resolvers
 * (/etc/resolv.conf). Printing is the command's (src/cli/cmd_netinfo.c), so
 * tests can check the collected values and feed the parsers their own files. */
#ifndef WL_NETINFO_H
#define WL_NETINFO_H

#include <net/if.h>
#include <stdio.h>

#define WL_NI_MAX_IFACES 64
#define WL_NI_MAX_ADDRS 32
#define WL_NI_MAX_LIST 16
#define WL_NI_ADDRLEN 46

struct wl_ni_addr {
	int fam;                        /* 4 or 6 */
	unsigned prefix;
	char addr[WL_NI_ADDRLEN];
	char netmask[WL_NI_ADDRLEN];
	char broadcast[WL_NI_ADDRLEN];  /* "" if none */
	char peer[WL_NI_ADDRLEN];       /* point-to-point peer, "" if none */
};

struct wl_ni_iface {
	char name[IF_NAMESIZE + 1];
	unsigned index;
	unsigned flags;                 /* IFF_* */
	char state[16];                 /* operstate from sysfs: up, down, unknown, ... */
	int mtu;                        /* -1 if unknown */
	char mac[24];                   /* "" if none */
	unsigned hwtype;                /* ARPHRD_* */
	struct wl_ni_addr addrs[WL_NI_MAX_ADDRS];
	unsigned naddrs;
};

struct wl_ni_route {
	int fam;
	char gateway[WL_NI_ADDRLEN];
	char dev[IF_NAMESIZE + 1];
	unsigned long metric;
};

struct wl_netinfo {
	char hostname[256];
	char canonical[256];            /* "" if none */
	char resolve_error[128];        /* why the host name did not resolve, or "" */
	char host_addrs[WL_NI_MAX_LIST][WL_NI_ADDRLEN];
	unsigned nhost_addrs;
	struct wl_ni_iface ifaces[WL_NI_MAX_IFACES];
	unsigned nifaces;
	struct wl_ni_route gateways[WL_NI_MAX_LIST];
	unsigned ngateways;
	char resolvers[WL_NI_MAX_LIST][WL_NI_ADDRLEN];
	unsigned nresolvers;
	char search[WL_NI_MAX_LIST][256];
	unsigned nsearch;
	char resolv_error[128];         /* why resolv.conf could not be read, or "" */
};

/* Fills ni (about 180 KiB: allocate it). Returns 0, or -1 with a reason. */
int wl_netinfo_collect(struct wl_netinfo *ni, char *err, size_t errlen);

/* The parsers, for tests: each appends to ni from an open file. */
void wl_ni_parse_route4(FILE *f, struct wl_netinfo *ni);
void wl_ni_parse_route6(FILE *f, struct wl_netinfo *ni);
void wl_ni_parse_resolv(FILE *f, struct wl_netinfo *ni);

/* The interface called name, or NULL. */
const struct wl_ni_iface *wl_ni_find(const struct wl_netinfo *ni, const char *name);

#endif
