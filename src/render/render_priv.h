/* render_priv.h - the renderer object shared by the text and JSON renderers. */
#ifndef WL_RENDER_PRIV_H
#define WL_RENDER_PRIV_H

#include "render.h"

#define WL_MAX_WARN_KINDS 64
#define WL_NAME_CACHE 256

struct wl_renderer {
	struct wl_render_opts o;
	struct wl_obuf ob;
	struct wl_render_totals t;
	uint32_t last_flow;       /* flow of the last line printed, for headers */
	int last_flow_valid;
	const char *warn_kinds[WL_MAX_WARN_KINDS];
	const char *hkey[WL_NAME_CACHE];   /* field name hashes by address (JSON) */
	uint32_t hval[WL_NAME_CACHE], hlen[WL_NAME_CACHE];
	unsigned nwarn_kinds;
};

void wl__json_msg(struct wl_renderer *r, const struct wl_msg *m);
void wl__text_msg(struct wl_renderer *r, const struct wl_msg *m);
void wl__text_flow(struct wl_renderer *r, const struct wl_flow_summary *s);

#endif
