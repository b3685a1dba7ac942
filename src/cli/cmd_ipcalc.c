/* cmd_ipcalc.c - `wirelab ipcalc`: what a network is (network, netmask,
 * broadcast, hosts, the kind of address and its RFC), its subnets and
 * supernet, address arithmetic, containment, and a subnet planner (one
 * segment, or a variable-length plan for several). The arithmetic is in
 * ipcalc.c; this file reads the arguments and prints text or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcalc.h"
#include "jsonf.h"
#include "wirelab.h"

#define PLAN_MAX 256
#define SUBNETS_DEFAULT_MAX 64

struct ipc_args {
	const char *addr;
	const char *subnets;      /* new prefix */
	int supernet;             /* --supernet given */
	const char *supernet_to;  /* its N, or NULL for one bit shorter */
	const char *contains;
	const char *plan;
	const char *base;
	wl_u128 max;
	int op;                   /* '+' or '-' or 0 */
	const char *operand;
	int json;
	/* checked before anything is printed */
	unsigned sub_np, sup_np;
	struct wl_ipnet other;
};

static void usage(FILE *f)
{
	fputs("usage: wirelab ipcalc ADDRESS[/PREFIX|/NETMASK] [--subnets NEWPREFIX] [--supernet [N]]\n"
	      "                      [--contains OTHER] [-T text|json]\n"
	      "       wirelab ipcalc ADDRESS + N      (or - N): address arithmetic\n"
	      "       wirelab ipcalc --plan HOSTS[,HOSTS...] [--base NETWORK[/PREFIX]] [-T text|json]\n"
	      "\n"
	      "IPv4 and IPv6: address, network, netmask, wildcard, broadcast, number of addresses and\n"
	      "of usable hosts (/31 and /127 hold two hosts: RFC 3021, RFC 6164), first and last host,\n"
	      "and what kind of address it is (private, loopback, documentation, ...) with its RFC.\n"
	      "\n"
	      "  --subnets NEWPREFIX   list the subnets of that prefix length (NEWPREFIX or /NEWPREFIX)\n"
	      "  --max N               list at most N subnets (default 64)\n"
	      "  --supernet [N]        the network of prefix N holding this one (default: one bit shorter)\n"
	      "  --contains OTHER      does the network hold OTHER (address or network)? exit 0 yes, 1 no\n"
	      "  --plan HOSTS          the smallest subnet for HOSTS hosts, with its configuration\n"
	      "  --plan H1,H2,...      a variable-length subnet plan (VLSM): largest segment first,\n"
	      "                        each subnet on its own boundary\n"
	      "  --base NET[/PREFIX]   where the plan starts (default 192.168.0.0); with a prefix the\n"
	      "                        plan must fit inside it\n"
	      "  -T text|json          output format (JSON: one object; IPv6 counts are strings)\n"
	      "\n"
	      "Examples: wirelab ipcalc 10.0.1.0/24 --subnets 25 --supernet\n"
	      "          wirelab ipcalc 192.168.1.77/255.255.255.240\n"
	      "          wirelab ipcalc 2001:db8::/64 --subnets 66\n"
	      "          wirelab ipcalc 10.0.0.255 + 1\n"
	      "          wirelab ipcalc --plan 50,20,10 --base 192.168.0.0/24\n"
	      "\n"
	      "Exit status: 0 fine, 1 --contains says no, 2 bad input.\n",
	      f);
}

/* ---- arguments ---- */

static int is_number(const char *s)
{
	if (*s == '/')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* --name VALUE or --name=VALUE; returns the value or NULL (reason printed). */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc) {
		wl_err("%s needs a value (wirelab ipcalc --help)", name);
		return NULL;
	}
	return argv[++*i];
}

static int opt_is(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

static int parse_args(int argc, char **argv, struct ipc_args *a)
{
	memset(a, 0, sizeof *a);
	a->max = SUBNETS_DEFAULT_MAX;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		const struct {
			const char *name;
			const char **slot;
		} valued[] = {
			{ "--subnets", &a->subnets }, { "--contains", &a->contains },
			{ "--plan", &a->plan },       { "--base", &a->base },
		};
		size_t k = 0;
		while (k < sizeof valued / sizeof valued[0] && !opt_is(s, valued[k].name))
			k++;
		if (k < sizeof valued / sizeof valued[0]) {
			*valued[k].slot = opt_value(argc, argv, &i, valued[k].name);
			if (!*valued[k].slot)
				return -1;
			continue;
		}
		if (opt_is(s, "--max")) {
			const char *v = opt_value(argc, argv, &i, "--max");
			if (!v)
				return -1;
			if (wl_u128_parse(v, &a->max) < 0 || a->max == 0) {
				wl_err("--max %s: expected a positive number", v);
				return -1;
			}
			continue;
		}
		if (opt_is(s, "--supernet")) {
			a->supernet = 1;
			if (s[10] == '=')
				a->supernet_to = s + 11;
			else if (i + 1 < argc && is_number(argv[i + 1]))
				a->supernet_to = argv[++i];
			continue;
		}
		if (strncmp(s, "-T", 2) == 0) {
			const char *v = s[2] ? s + 2 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)) {
				wl_err("-T %s: expected text or json", v ? v : "");
				return -1;
			}
			a->json = strcmp(v, "json") == 0;
			continue;
		}
		if ((s[0] == '+' || s[0] == '-') && a->addr && !a->op && (s[1] == '\0' || is_number(s + 1))) {
			a->op = s[0];
			if (s[1])
				a->operand = s + 1;
			else if (i + 1 < argc)
				a->operand = argv[++i];
			else {
				wl_err("%s needs a number after it", s);
				return -1;
			}
			continue;
		}
		if (s[0] == '-' && s[1] != '\0') {
			wl_err("unknown option '%s' (wirelab ipcalc --help)", s);
			return -1;
		}
		if (a->addr) {
			wl_err("one address at a time ('%s' and '%s')", a->addr, s);
			return -1;
		}
		a->addr = s;   /* ADDRESS+N written as one word is split later */
	}
	return 0;
}

/* ---- text and JSON pieces ---- */

static const char *ipstr(int fam, wl_u128 v, char *buf)
{
	wl_ip_str(fam, v, buf, WL_IP_STRLEN);
	return buf;
}

static void jcount(FILE *f, int fam, wl_u128 v)
{
	char b[WL_U128_STRLEN];
	wl_u128_str(v, b, sizeof b);
	if (fam == WL_IP4)
		fputs(b, f);
	else
		wl_json_fstr(f, b);
}

static void jaddr(FILE *f, int *first, const char *key, int fam, wl_u128 v)
{
	char b[WL_IP_STRLEN];
	wl_json_fkey(f, first, key);
	wl_json_fstr(f, ipstr(fam, v, b));
}

static void jnet(FILE *f, int *first, const char *key, int fam, wl_u128 v, unsigned prefix)
{
	char b[WL_IP_STRLEN], nb[WL_IP_STRLEN + 8];
	snprintf(nb, sizeof nb, "%s/%u", ipstr(fam, v, b), prefix);
	wl_json_fkey(f, first, key);
	wl_json_fstr(f, nb);
}

static void addrs_text(const struct wl_ipcalc *c, char *buf, size_t n)
{
	wl_ip_count_str(c->fam, c->prefix, buf, n);
}

static void print_class_text(FILE *f, int fam, wl_u128 v)
{
	const struct wl_ipclass *k = wl_ip_classify(fam, v);
	fprintf(f, "Type:         %s: %s, %s\n", k->kind, k->name, k->rfc);
	if (fam == WL_IP4) {
		fprintf(f, "Class:        %c (historic classful addressing, replaced by CIDR, RFC 4632)\n",
			wl_ip4_class(v));
	} else if (strcmp(k->kind, "ipv4-mapped") == 0) {
		char b[WL_IP_STRLEN];
		wl_u128 v4 = v & 0xffffffffu;
		const struct wl_ipclass *k4 = wl_ip_classify(WL_IP4, v4);
		fprintf(f, "IPv4 inside:  %s, %s: %s, %s\n", ipstr(WL_IP4, v4, b), k4->kind, k4->name, k4->rfc);
	}
}

static void print_class_json(FILE *f, int *first, int fam, wl_u128 v)
{
	const struct wl_ipclass *k = wl_ip_classify(fam, v);
	int f2 = 1;
	wl_json_fkey(f, first, "type");
	fputc('{', f);
	wl_json_fkey(f, &f2, "kind");
	wl_json_fstr(f, k->kind);
	wl_json_fkey(f, &f2, "name");
	wl_json_fstr(f, k->name);
	wl_json_fkey(f, &f2, "rfc");
	wl_json_fstr(f, k->rfc);
	fputc('}', f);
	if (fam == WL_IP4) {
		char cl[2] = { wl_ip4_class(v), '\0' };
		wl_json_fkey(f, first, "class");
		wl_json_fstr(f, cl);
	} else if (strcmp(k->kind, "ipv4-mapped") == 0) {
		jaddr(f, first, "ipv4", WL_IP4, v & 0xffffffffu);
	}
}

static void print_info_text(FILE *f, const struct wl_ipcalc *c, int prefix_given)
{
	char a[WL_IP_STRLEN], b[WL_U128_STRLEN];
	int fam = c->fam;
	fprintf(f, "Address:      %s\n", ipstr(fam, c->addr, a));
	fprintf(f, "Network:      %s/%u%s\n", ipstr(fam, c->network, a), c->prefix,
		prefix_given ? "" : "   (no prefix given: a single address)");
	fprintf(f, "Netmask:      %s = %u\n", ipstr(fam, c->netmask, a), c->prefix);
	fprintf(f, "Wildcard:     %s\n", ipstr(fam, c->wildcard, a));
	unsigned h = c->bits - c->prefix;
	if (c->has_broadcast)
		fprintf(f, "Broadcast:    %s\n", ipstr(fam, c->last, a));
	else if (fam == WL_IP4)
		fprintf(f, "Broadcast:    none (%s)\n",
			h == 1 ? "a /31 point-to-point link has none, RFC 3021" : "a single address");
	else
		fprintf(f, "Last address: %s   (IPv6 has no broadcast: multicast ff02::1 instead)\n",
			ipstr(fam, c->last, a));
	fprintf(f, "First host:   %s\n", ipstr(fam, c->first_host, a));
	fprintf(f, "Last host:    %s\n", ipstr(fam, c->last_host, a));
	addrs_text(c, b, sizeof b);
	fprintf(f, "Addresses:    %s\n", b);
	wl_u128_str(c->hosts, b, sizeof b);
	const char *why = "";
	if (h == 0)
		why = "   (a single address)";
	else if (h == 1)
		why = fam == WL_IP4 ? "   (point-to-point: both addresses usable, RFC 3021)"
				    : "   (point-to-point: both addresses usable, RFC 6164)";
	else if (fam == WL_IP4)
		why = "   (minus network and broadcast)";
	else
		why = "   (minus the Subnet-Router anycast address, RFC 4291 2.6.1)";
	fprintf(f, "Hosts:        %s%s\n", b, why);
	print_class_text(f, fam, c->addr);
}

static void print_info_json(FILE *f, int *first, const struct wl_ipcalc *c, int prefix_given)
{
	int fam = c->fam;
	jaddr(f, first, "address", fam, c->addr);
	wl_json_fkey(f, first, "family");
	fprintf(f, "%d", fam);
	jaddr(f, first, "network", fam, c->network);
	wl_json_fkey(f, first, "prefix");
	fprintf(f, "%u", c->prefix);
	wl_json_fkey(f, first, "prefix_given");
	fputs(prefix_given ? "true" : "false", f);
	jaddr(f, first, "netmask", fam, c->netmask);
	jaddr(f, first, "wildcard", fam, c->wildcard);
	wl_json_fkey(f, first, "broadcast");
	if (c->has_broadcast) {
		char a[WL_IP_STRLEN];
		wl_json_fstr(f, ipstr(fam, c->last, a));
	} else {
		fputs("null", f);
	}
	jaddr(f, first, "last_address", fam, c->last);
	jaddr(f, first, "first_host", fam, c->first_host);
	jaddr(f, first, "last_host", fam, c->last_host);
	char b[WL_U128_STRLEN];
	addrs_text(c, b, sizeof b);
	wl_json_fkey(f, first, "addresses");
	if (fam == WL_IP4)
		fputs(b, f);
	else
		wl_json_fstr(f, b);
	wl_json_fkey(f, first, "hosts");
	jcount(f, fam, c->hosts);
	print_class_json(f, first, fam, c->addr);
}

/* ---- --subnets, --supernet, --contains ---- */

/* Checks the values of --subnets, --supernet and --contains against the
 * network, so that nothing is printed when one is wrong. */
static int check_opts(const struct wl_ipcalc *c, struct ipc_args *a)
{
	if (a->subnets &&
	    (wl_ip_parse_prefix(a->subnets, c->fam, &a->sub_np) < 0 || a->sub_np < c->prefix)) {
		wl_err("--subnets %s: expected a prefix length from %u to %u (not shorter than /%u)", a->subnets,
		       c->prefix, c->bits, c->prefix);
		return -1;
	}
	if (a->supernet && a->supernet_to) {
		if (wl_ip_parse_prefix(a->supernet_to, c->fam, &a->sup_np) < 0 || a->sup_np > c->prefix) {
			wl_err("--supernet %s: expected a prefix length from 0 to %u (not longer than /%u)",
			       a->supernet_to, c->prefix, c->prefix);
			return -1;
		}
	} else if (a->supernet) {
		if (c->prefix == 0) {
			wl_err("--supernet: /0 is the whole address space, it has no supernet");
			return -1;
		}
		a->sup_np = c->prefix - 1;
	}
	char err[200];
	if (a->contains && wl_ip_parse(a->contains, &a->other, err, sizeof err) < 0) {
		wl_err("--contains %s", err);
		return -1;
	}
	return 0;
}

static void do_subnets(FILE *f, int *first, const struct wl_ipcalc *c, const struct ipc_args *a)
{
	unsigned np = a->sub_np;
	wl_u128 count_m1 = wl_ip_subnet_count_m1(c, np);
	wl_u128 shown = count_m1 < a->max - 1 ? count_m1 + 1 : a->max;
	char cnt[WL_U128_STRLEN], sh[WL_U128_STRLEN];
	if (np - c->prefix >= 128)
		snprintf(cnt, sizeof cnt, "340282366920938463463374607431768211456");
	else
		wl_u128_str(count_m1 + 1, cnt, sizeof cnt);
	wl_u128_str(shown, sh, sizeof sh);
	struct wl_ipnet sub = { .fam = c->fam, .prefix = np, .prefix_given = 1 };
	struct wl_ipcalc sc;
	char n1[WL_IP_STRLEN], n2[WL_IP_STRLEN], n3[WL_IP_STRLEN];
	if (!a->json) {
		wl_ip_count_str(c->fam, np, n1, sizeof n1);
		wl_u128_str(wl_ip_hosts(c->fam, np), n2, sizeof n2);
		fprintf(f, "\nSubnets /%u of %s/%u: %s, each %s addresses, %s hosts\n", np,
			ipstr(c->fam, c->network, n3), c->prefix, cnt, n1, n2);
	} else {
		wl_json_fkey(f, first, "subnets");
		int f2 = 1;
		fputc('{', f);
		wl_json_fkey(f, &f2, "prefix");
		fprintf(f, "%u", np);
		wl_json_fkey(f, &f2, "count");
		if (c->fam == WL_IP4)
			fputs(cnt, f);
		else
			wl_json_fstr(f, cnt);
		wl_json_fkey(f, &f2, "shown");
		jcount(f, c->fam, shown);
		wl_json_fkey(f, &f2, "list");
		fputc('[', f);
	}
	for (wl_u128 i = 0; i < shown; i++) {
		sub.addr = wl_ip_subnet(c, np, i);
		wl_ipcalc(&sub, &sc);
		if (a->json) {
			int f3 = 1;
			fputs(i ? ",{" : "{", f);
			jnet(f, &f3, "network", c->fam, sc.network, np);
			jaddr(f, &f3, "first_host", c->fam, sc.first_host);
			jaddr(f, &f3, "last_host", c->fam, sc.last_host);
			if (sc.has_broadcast)
				jaddr(f, &f3, "broadcast", c->fam, sc.last);
			fputc('}', f);
			continue;
		}
		char net[WL_IP_STRLEN + 8];
		snprintf(net, sizeof net, "%s/%u", ipstr(c->fam, sc.network, n1), np);
		if (sc.has_broadcast)
			fprintf(f, "  %-18s hosts %s - %s, broadcast %s\n", net, ipstr(c->fam, sc.first_host, n2),
				ipstr(c->fam, sc.last_host, n3), ipstr(c->fam, sc.last, n1));
		else
			fprintf(f, c->fam == WL_IP4 ? "  %-18s hosts %s - %s\n" : "  %-24s hosts %s - %s\n", net, ipstr(c->fam, sc.first_host, n2),
				ipstr(c->fam, sc.last_host, n3));
	}
	if (a->json) {
		fputs("]}", f);
	} else if (shown <= count_m1) {
		char more[WL_U128_STRLEN + 16];
		if (np - c->prefix >= 128)
			snprintf(more, sizeof more, "all but %s", sh);
		else
			wl_u128_str(count_m1 + 1 - shown, more, sizeof more);
		fprintf(f, "  ... %s more not shown (the first %s of %s; --max N shows more)\n", more, sh, cnt);
	}
}

static void do_supernet(FILE *f, int *first, const struct wl_ipcalc *c, const struct ipc_args *a)
{
	unsigned np = a->sup_np;
	struct wl_ipnet sup = { .fam = c->fam, .addr = c->network, .prefix = np, .prefix_given = 1 };
	struct wl_ipcalc sc;
	wl_ipcalc(&sup, &sc);
	char n1[WL_IP_STRLEN], cnt[WL_U128_STRLEN];
	if (a->json) {
		jnet(f, first, "supernet", c->fam, sc.network, np);
		return;
	}
	wl_ip_count_str(c->fam, np, cnt, sizeof cnt);
	fprintf(f, "\nSupernet /%u: %s/%u (%s addresses", np, ipstr(c->fam, sc.network, n1), np, cnt);
	if (np < c->prefix) {
		unsigned d = c->prefix - np;
		if (d < 64)
			fprintf(f, ", %llu networks of /%u", 1ull << d, c->prefix);
	}
	fputs(")\n", f);
}

static void do_contains(FILE *f, int *first, const struct wl_ipcalc *c, const struct wl_ipnet *net,
			const struct ipc_args *a, int *result)
{
	const struct wl_ipnet other = a->other;
	struct wl_ipnet whole = *net;
	whole.addr = c->network;
	*result = wl_ip_contains(&whole, &other);
	if (a->json) {
		int f2 = 1;
		wl_json_fkey(f, first, "contains");
		fputc('{', f);
		wl_json_fkey(f, &f2, "other");
		wl_json_fstr(f, a->contains);
		wl_json_fkey(f, &f2, "result");
		fputs(*result ? "true" : "false", f);
		fputc('}', f);
		return;
	}
	const char *why = other.fam != c->fam ? " (different address families)"
			  : !*result && other.prefix < c->prefix ? " (it is larger)"
								 : "";
	fprintf(f, "\nContains %s: %s%s\n", a->contains, *result ? "yes" : "no", why);
}

/* ---- ADDRESS + N ---- */

static int do_arith(FILE *f, const struct wl_ipnet *net, const struct ipc_args *a)
{
	wl_u128 n, r;
	if (wl_u128_parse(a->operand, &n) < 0) {
		wl_err("%c %s: expected a whole number", a->op, a->operand);
		return WL_EXIT_USAGE;
	}
	char b1[WL_IP_STRLEN], b2[WL_IP_STRLEN];
	if (wl_ip_add(net->fam, net->addr, n, a->op == '-', &r) < 0) {
		wl_err("%s %c %s leaves the IPv%d address space", ipstr(net->fam, net->addr, b1), a->op, a->operand,
		       net->fam);
		return WL_EXIT_USAGE;
	}
	struct wl_ipnet whole = *net, res = *net;
	res.addr = r;
	res.prefix = wl_ip_bits(net->fam);
	int inside = wl_ip_contains(&whole, &res);
	if (a->json) {
		int first = 1;
		fputc('{', f);
		jaddr(f, &first, "address", net->fam, net->addr);
		wl_json_fkey(f, &first, "operation");
		wl_json_fstr(f, a->op == '+' ? "+" : "-");
		wl_json_fkey(f, &first, "operand");
		jcount(f, net->fam, n);
		jaddr(f, &first, "result", net->fam, r);
		if (net->prefix_given) {
			wl_json_fkey(f, &first, "in_network");
			fputs(inside ? "true" : "false", f);
		}
		fputs("}\n", f);
		return WL_EXIT_OK;
	}
	fprintf(f, "%s %c %s = %s\n", ipstr(net->fam, net->addr, b1), a->op, a->operand, ipstr(net->fam, r, b2));
	if (net->prefix_given && !inside) {
		struct wl_ipcalc c;
		wl_ipcalc(net, &c);
		fprintf(f, "note: the result is outside %s/%u\n", ipstr(net->fam, c.network, b1), net->prefix);
	}
	return WL_EXIT_OK;
}

/* ---- --plan ---- */

static int parse_plan(const char *s, wl_u128 *want, size_t *n)
{
	*n = 0;
	char buf[64];
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (len == 0 || len >= sizeof buf || *n == PLAN_MAX)
			return -1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (wl_u128_parse(buf, &want[*n]) < 0)
			return -1;
		(*n)++;
		s += len;
		if (*s == ',') {
			s++;
			if (!*s)
				return -1;
		}
	}
	return *n ? 0 : -1;
}

static void plan_one_text(FILE *f, const struct wl_plan_item *it, int fam)
{
	struct wl_ipnet net = { .fam = fam, .addr = it->network, .prefix = it->prefix, .prefix_given = 1 };
	struct wl_ipcalc c;
	wl_ipcalc(&net, &c);
	char w[WL_U128_STRLEN], h[WL_U128_STRLEN], spare[WL_U128_STRLEN];
	wl_u128_str(it->want, w, sizeof w);
	wl_u128_str(c.hosts, h, sizeof h);
	wl_u128_str(c.hosts - it->want, spare, sizeof spare);
	fprintf(f, "%s hosts need a /%u: %s usable hosts, %s spare\n\n", w, it->prefix, h, spare);
	print_info_text(f, &c, 1);
	if (fam == WL_IP4 && it->want <= 2)
		fputs("\nnote: a point-to-point link of two routers can use a /31 instead (RFC 3021)\n", f);
	if (fam == WL_IP6 && it->prefix > 64)
		fputs("\nnote: IPv6 LANs use /64 whatever their size: SLAAC needs a 64-bit interface identifier "
		      "(RFC 4291, RFC 4862)\n", f);
}

static void plan_table_text(FILE *f, const struct wl_plan_item *it, size_t n, int fam)
{
	int w = fam == WL_IP4 ? 15 : 39;
	if (fam == WL_IP4)
		fprintf(f, "%-4s %8s %8s  %-18s %-15s %-15s %-15s %-15s %6s\n", "seg", "hosts", "usable", "subnet",
			"netmask", "first host", "last host", "broadcast", "spare");
	else
		fprintf(f, "%-4s %8s %8s  %-43s %-*s %-*s %6s\n", "seg", "hosts", "usable", "subnet", w,
			"first host", w, "last host", "spare");
	for (size_t i = 0; i < n; i++) {
		struct wl_ipnet net = { .fam = fam, .addr = it[i].network, .prefix = it[i].prefix, .prefix_given = 1 };
		struct wl_ipcalc c;
		wl_ipcalc(&net, &c);
		char a1[WL_IP_STRLEN], a2[WL_IP_STRLEN], a3[WL_IP_STRLEN], a4[WL_IP_STRLEN];
		char sub[WL_IP_STRLEN + 8], wn[WL_U128_STRLEN], hn[WL_U128_STRLEN], sp[WL_U128_STRLEN];
		snprintf(sub, sizeof sub, "%s/%u", ipstr(fam, c.network, a1), c.prefix);
		wl_u128_str(it[i].want, wn, sizeof wn);
		wl_u128_str(c.hosts, hn, sizeof hn);
		wl_u128_str(c.hosts - it[i].want, sp, sizeof sp);
		if (fam == WL_IP4)
			fprintf(f, "%-4zu %8s %8s  %-18s %-15s %-15s %-15s %-15s %6s\n", it[i].index + 1, wn, hn, sub,
				ipstr(fam, c.netmask, a1), ipstr(fam, c.first_host, a2), ipstr(fam, c.last_host, a3),
				ipstr(fam, c.last, a4), sp);
		else
			fprintf(f, "%-4zu %8s %8s  %-43s %-*s %-*s %6s\n", it[i].index + 1, wn, hn, sub, w,
				ipstr(fam, c.first_host, a2), w, ipstr(fam, c.last_host, a3), sp);
	}
}

static void plan_json(FILE *f, const struct wl_ipnet *base, const struct wl_plan_item *it, size_t n,
		      wl_u128 next, int next_ok)
{
	int fam = base->fam, first = 1;
	fputc('{', f);
	if (base->prefix_given)
		jnet(f, &first, "base", fam, base->addr, base->prefix);
	else
		jaddr(f, &first, "base", fam, base->addr);
	wl_json_fkey(f, &first, "plan");
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		struct wl_ipnet net = { .fam = fam, .addr = it[i].network, .prefix = it[i].prefix, .prefix_given = 1 };
		struct wl_ipcalc c;
		wl_ipcalc(&net, &c);
		int f2 = 1;
		fputs(i ? ",{" : "{", f);
		wl_json_fkey(f, &f2, "segment");
		fprintf(f, "%zu", it[i].index + 1);
		wl_json_fkey(f, &f2, "hosts_wanted");
		jcount(f, fam, it[i].want);
		jnet(f, &f2, "network", fam, c.network, c.prefix);
		wl_json_fkey(f, &f2, "prefix");
		fprintf(f, "%u", c.prefix);
		jaddr(f, &f2, "netmask", fam, c.netmask);
		jaddr(f, &f2, "first_host", fam, c.first_host);
		jaddr(f, &f2, "last_host", fam, c.last_host);
		if (c.has_broadcast)
			jaddr(f, &f2, "broadcast", fam, c.last);
		wl_json_fkey(f, &f2, "hosts");
		jcount(f, fam, c.hosts);
		wl_json_fkey(f, &f2, "spare");
		jcount(f, fam, c.hosts - it[i].want);
		fputc('}', f);
	}
	fputc(']', f);
	wl_json_fkey(f, &first, "next_free");
	if (next_ok) {
		char b[WL_IP_STRLEN];
		wl_json_fstr(f, ipstr(fam, next, b));
	} else {
		fputs("null", f);
	}
	fputs("}\n", f);
}

static int do_plan(FILE *f, const struct ipc_args *a)
{
	static const char default_base[] = "192.168.0.0";
	wl_u128 want[PLAN_MAX];
	struct wl_plan_item items[PLAN_MAX];
	size_t n;
	if (parse_plan(a->plan, want, &n) < 0) {
		wl_err("--plan %s: expected a number of hosts, or several separated by commas (at most %d)", a->plan,
		       PLAN_MAX);
		return WL_EXIT_USAGE;
	}
	struct wl_ipnet base;
	char err[200];
	if (wl_ip_parse(a->base ? a->base : default_base, &base, err, sizeof err) < 0) {
		wl_err("--base %s", err);
		return WL_EXIT_USAGE;
	}
	wl_u128 next;
	int next_ok;
	if (wl_ip_plan(&base, want, n, items, &next, &next_ok, err, sizeof err) < 0) {
		wl_err("%s", err);
		return WL_EXIT_USAGE;
	}
	if (a->json) {
		plan_json(f, &base, items, n, next, next_ok);
		return WL_EXIT_OK;
	}
	char b[WL_IP_STRLEN];
	if (items[0].network != base.addr)
		fprintf(f, "note: %s is not on a /%u boundary: the plan starts at %s\n\n", ipstr(base.fam, base.addr, b),
			items[0].prefix, ipstr(base.fam, items[0].network, b));
	if (n == 1) {
		plan_one_text(f, &items[0], base.fam);
		return WL_EXIT_OK;
	}
	fprintf(f, "Variable-length subnet plan, largest segment first, each on its own boundary, from %s\n\n",
		ipstr(base.fam, items[0].network, b));
	plan_table_text(f, items, n, base.fam);
	if (base.fam == WL_IP6)
		fputs("\nnote: IPv6 LANs use /64 whatever their size: SLAAC needs a 64-bit interface identifier "
		      "(RFC 4291, RFC 4862)\n", f);
	if (next_ok)
		fprintf(f, "\nNext free address: %s\n", ipstr(base.fam, next, b));
	else
		fputs("\nThe plan uses the base network up to its end\n", f);
	return WL_EXIT_OK;
}

/* ---- the command ---- */

static int info(FILE *f, const struct wl_ipnet *net, struct ipc_args *a)
{
	struct wl_ipcalc c;
	wl_ipcalc(net, &c);
	if (check_opts(&c, a) < 0)
		return WL_EXIT_USAGE;
	int first = 1, contained = 1;
	if (a->json) {
		fputc('{', f);
		print_info_json(f, &first, &c, net->prefix_given);
	} else {
		print_info_text(f, &c, net->prefix_given);
	}
	if (a->subnets)
		do_subnets(f, &first, &c, a);
	if (a->supernet)
		do_supernet(f, &first, &c, a);
	if (a->contains)
		do_contains(f, &first, &c, net, a, &contained);
	if (a->json)
		fputs("}\n", f);
	return contained ? WL_EXIT_OK : WL_EXIT_FAIL;
}

/* "10.0.0.1+5" written as one word: split it. */
static int split_arith(struct ipc_args *a, char *buf, size_t n)
{
	const char *p = strpbrk(a->addr, "+");
	if (!p || a->op)
		return 0;
	size_t k = (size_t)(p - a->addr);
	if (k >= n)
		return 0;
	memcpy(buf, a->addr, k);
	buf[k] = '\0';
	a->op = '+';
	a->operand = p + 1;
	a->addr = buf;
	return 1;
}

int wl_cmd_ipcalc(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return WL_EXIT_OK;
		}
	struct ipc_args a;
	if (parse_args(argc, argv, &a) < 0)
		return WL_EXIT_USAGE;
	if (a.plan) {
		if (a.addr || a.subnets || a.supernet || a.contains || a.op) {
			wl_err("--plan takes only --base and -T (wirelab ipcalc --help)");
			return WL_EXIT_USAGE;
		}
		return do_plan(stdout, &a);
	}
	if (a.base) {
		wl_err("--base goes with --plan");
		return WL_EXIT_USAGE;
	}
	if (!a.addr) {
		wl_err("which address? wirelab ipcalc ADDRESS[/PREFIX] (wirelab ipcalc --help)");
		return WL_EXIT_USAGE;
	}
	char addrbuf[128];
	split_arith(&a, addrbuf, sizeof addrbuf);
	struct wl_ipnet net;
	char err[200];
	if (wl_ip_parse(a.addr, &net, err, sizeof err) < 0) {
		wl_err("%s", err);
		return WL_EXIT_USAGE;
	}
	if (a.op) {
		if (a.subnets || a.supernet || a.contains) {
			wl_err("address arithmetic takes no other option");
			return WL_EXIT_USAGE;
		}
		return do_arith(stdout, &net, &a);
	}
	int rc = info(stdout, &net, &a);
	if (fflush(stdout) != 0)
		return WL_EXIT_USAGE;
	return rc;
}
