/* flow_geoip.h - where a flow's public addresses are, as facts of its closing
 * summary ("geoip 8.8.8.8: US, Mountain View, AS15169 GOOGLE"): an engine
 * hook (wl_engine_on_flow_open) over the GeoIP reader of wirelab geoip. */
#ifndef WL_FLOW_GEOIP_H
#define WL_FLOW_GEOIP_H

#include "wl.h"

struct wl_flow_geoip;

/* For the database at path (a MaxMind DB file), opened on the first public
 * address; NULL when out of memory. */
struct wl_flow_geoip *wl_flow_geoip_new(const char *path);
/* The hook: arg is a struct wl_flow_geoip. Each public endpoint of the new
 * flow is looked up once; a database that cannot be opened is said once, as
 * the fact "geoip" of the first flow that needed it. */
void wl_flow_geoip_hook(void *arg, struct wl_ctx *ctx);
void wl_flow_geoip_free(struct wl_flow_geoip *g);

#endif
