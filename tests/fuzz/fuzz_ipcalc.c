/* fuzz_ipcalc.c - the ipcalc address parser and the arithmetic behind it.
 * The input is one ADDRESS[/PREFIX|/NETMASK] text. Whatever parses must
 * survive a round trip (value -> canonical text -> the same value), and the
 * computed network must keep its invariants (network <= address <= last,
 * hosts within the size); anything else aborts. Subnets, supernet, the
 * planner and the classification run on what parsed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipcalc.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void roundtrip(const struct wl_ipnet *net, const struct wl_ipcalc *c)
{
	char a[WL_IP_STRLEN], t[WL_IP_STRLEN + 8];
	struct wl_ipnet back;
	wl_ip_str(net->fam, net->addr, a, sizeof a);
	snprintf(t, sizeof t, "%s/%u", a, net->prefix);
	check(wl_ip_parse(t, &back, NULL, 0) == 0);
	check(back.fam == net->fam && back.addr == net->addr && back.prefix == net->prefix);
	wl_ip_str(c->fam, c->netmask, a, sizeof a);
	if (c->fam == WL_IP4) {
		/* the netmask form gives the same prefix */
		char m[WL_IP_STRLEN * 2 + 2], s[WL_IP_STRLEN];
		wl_ip_str(c->fam, c->network, s, sizeof s);
		snprintf(m, sizeof m, "%s/%s", s, a);
		check(wl_ip_parse(m, &back, NULL, 0) == 0 && back.prefix == c->prefix);
	}
}

static void invariants(const struct wl_ipcalc *c)
{
	check(c->network <= c->addr && c->addr <= c->last);
	check(c->network <= c->first_host && c->first_host <= c->last_host && c->last_host <= c->last);
	check(c->last - c->network == c->size_m1);
	check(c->hosts - 1 <= c->size_m1);
	check((c->netmask | c->wildcard) == (c->fam == WL_IP4 ? (wl_u128)0xffffffffu : ~(wl_u128)0));
	check(wl_ip_mask_prefix(c->fam, c->netmask) == (int)c->prefix);
	check(wl_ip_classify(c->fam, c->addr) != NULL);
}

static void derived(const struct wl_ipnet *net, const struct wl_ipcalc *c, uint8_t k)
{
	unsigned np = c->prefix + (k & 7u);
	if (np > c->bits)
		np = c->bits;
	wl_u128 cm1 = wl_ip_subnet_count_m1(c, np);
	for (wl_u128 i = 0; i < 3 && i <= cm1; i++) {
		wl_u128 s = wl_ip_subnet(c, np, cm1 - i);
		check(s >= c->network && s <= c->last);
	}
	if (c->prefix > 0) {
		struct wl_ipnet sup = *net;
		sup.prefix = c->prefix - 1;
		check(wl_ip_contains(&sup, net));
	}
	wl_u128 r;
	if (wl_ip_add(c->fam, c->addr, (wl_u128)k * 977u, k & 1, &r) == 0)
		check(k & 1 ? r <= c->addr : r >= c->addr);
	wl_u128 want[3] = { (wl_u128)(k | 1), (wl_u128)(c->addr & 0xff) + 1, 2 };
	struct wl_plan_item items[3];
	wl_u128 next;
	int next_ok;
	char err[200];
	if (wl_ip_plan(net, want, 3, items, &next, &next_ok, err, sizeof err) == 0)
		for (int i = 0; i < 3; i++)
			check(wl_ip_hosts(net->fam, items[i].prefix) >= items[i].want);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char s[256];
	if (n >= sizeof s)
		n = sizeof s - 1;
	memcpy(s, d, n);
	s[n] = '\0';
	struct wl_ipnet net;
	char err[200];
	wl_u128 v;
	if (wl_u128_parse(s, &v) == 0) {
		char b[WL_U128_STRLEN];
		wl_u128 w;
		wl_u128_str(v, b, sizeof b);
		check(wl_u128_parse(b, &w) == 0 && w == v);
	}
	if (wl_ip_parse(s, &net, err, sizeof err) < 0) {
		check(err[0] != '\0' && strlen(err) < sizeof err && !strchr(err, '\n'));
		return 0;
	}
	struct wl_ipcalc c;
	wl_ipcalc(&net, &c);
	invariants(&c);
	roundtrip(&net, &c);
	derived(&net, &c, n ? d[n - 1] : 0);
	return 0;
}
