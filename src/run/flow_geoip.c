/* flow_geoip.c - GeoIP facts on flows (see flow_geoip.h). Private,
 * loopback, link-local, multicast and documentation addresses are in no
 * database and are skipped (wl_geo_listed). */
#include <stdio.h>
#include <stdlib.h>

#include "flow_geoip.h"
#include "geoip.h"

struct wl_flow_geoip {
	const char *path;
	int state;               /* 0 not tried, 1 open, -1 failed */
	struct wl_geodb db;
};

struct wl_flow_geoip *wl_flow_geoip_new(const char *path)
{
	struct wl_flow_geoip *g = calloc(1, sizeof *g);
	if (g)
		g->path = path;
	return g;
}

static const struct wl_geodb *open_db(struct wl_flow_geoip *g, struct wl_ctx *ctx)
{
	if (g->state == 0) {
		char err[700];
		g->state = wl_geodb_open(&g->db, &g->path, 1, NULL, err, sizeof err) == 0 ? 1 : -1;
		if (g->state < 0)
			wl_flow_fact(ctx, "geoip", "cannot open %s", err);
	}
	return g->state == 1 ? &g->db : NULL;
}

/* An address of the flow as iptools has addresses. */
static wl_u128 to_u128(int af, const uint8_t *a)
{
	wl_u128 v = 0;
	for (int i = 0; i < (af == 4 ? 4 : 16); i++)
		v = v << 8 | a[i];
	return v;
}

void wl_flow_geoip_hook(void *arg, struct wl_ctx *ctx)
{
	struct wl_flow_geoip *g = arg;
	for (int side = 0; side < 2; side++) {
		uint8_t a[16];
		int af = wl_flow_addr(ctx, (enum wl_dir)side, a);
		int fam = af == 4 ? WL_IP4 : WL_IP6;
		wl_u128 v = to_u128(af, a);
		if (!wl_geo_listed(fam, v))
			continue;
		const struct wl_geodb *db = open_db(g, ctx);
		if (!db)
			break;
		struct wl_geo o;
		char err[700], desc[300], ep[WL_IP_STRLEN], key[80];
		if (wl_geo_lookup(db, fam, v, &o, err, sizeof err) < 0)
			continue;
		wl_ip_str(fam, v, ep, sizeof ep);
		snprintf(key, sizeof key, "geoip %s", ep);
		wl_flow_fact(ctx, key, "%s", wl_geo_brief(&o, desc, sizeof desc));
	}
}

void wl_flow_geoip_free(struct wl_flow_geoip *g)
{
	if (!g)
		return;
	if (g->state == 1)
		wl_geodb_close(&g->db);
	free(g);
}
