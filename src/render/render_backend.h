/* render_backend.h - inside the renderers: the renderer object and the
 * backends render.c dispatches to (text and ladder in render_text.c, JSON in
 * render_json.c). A backend formats; render.c counts and owns the object. */
#ifndef WL_RENDER_BACKEND_H
#define WL_RENDER_BACKEND_H

#include "outbuf.h"
#include "render.h"

#define WL_MAX_WARN_KINDS 64
#define WL_NAME_CACHE 2048   /* slots; filled to 3/4 at most (a capture's names, not all) */
#define WL_JSON_KEY 64       /* a cached key's bytes, padding included */

/* A field name as JSON writes it, made once per name: names are string
 * constants, found again by their address (render_json.c). */
struct wl_json_name {
	const char *name;         /* NULL: a free slot */
	uint32_t hash, len;       /* FNV-1a and strlen of the name */
	int keyed;                /* key holds the name: it fits */
	char key[WL_JSON_KEY];    /* ,"name": then zeros, copied whole */
};

struct wl_render_backend {
	void (*msg)(struct wl_renderer *r, const struct wl_msg *m);
	void (*flow)(struct wl_renderer *r, const struct wl_flow_summary *s);  /* or NULL */
	/* the pictures: state and prologue, epilogue, wl_render_line text (or NULL) */
	void (*begin)(struct wl_renderer *r);
	void (*end)(struct wl_renderer *r);
	void (*line)(struct wl_renderer *r, const char *text, size_t n);
	/* writes what the backend holds back (text: the last frame's -x bytes) */
	void (*settle)(struct wl_renderer *r);
};

struct wl_renderer {
	struct wl_render_opts o;
	const struct wl_render_backend *be;
	struct wl_obuf ob;
	struct wl_render_totals t;
	uint32_t last_flow;       /* flow of the last line printed, for headers */
	int last_flow_valid;
	const char *warn_kinds[WL_MAX_WARN_KINDS];
	struct wl_json_name names[WL_NAME_CACHE];  /* JSON: by the name's address */
	unsigned nnames;
	unsigned nwarn_kinds;
	void *be_state;           /* the backend's own (html, svg), from begin to end */
	/* text: the frames -t d and -t dd measure from, and -x's bytes of the
	 * frame last shown (written when its lines are done) */
	uint64_t seen_frame, shown_frame;
	int64_t seen_ts, seen_delta, shown_ts, shown_delta;
	int seen_any, shown_any;
	uint8_t *x_bytes;
	uint32_t x_len;
	int x_pending;
};

/* The annotated ladder with its flow summaries; the bare ladder (arrows
 * only: no notes, fields or summaries); JSON Lines (messages only). */
extern const struct wl_render_backend wl_render_text, wl_render_ladder, wl_render_json;
/* The self-contained page (html.c) and the standalone diagram (svg.c). */
extern const struct wl_render_backend wl_render_html, wl_render_svg;

#endif
