/* render.h - renderers over the engine's message stream: the annotated text
 * ladder, JSON Lines, and the bare ladder. Output is buffered and written in
 * large blocks; nothing depends on the locale or the local machine. */
#ifndef WL_RENDER_H
#define WL_RENDER_H

#include <stdint.h>
#include <stdio.h>

#include "engine.h"

enum wl_format { WL_OUT_TEXT, WL_OUT_JSON, WL_OUT_LADDER, WL_OUT_HTML, WL_OUT_SVG };

/* The time column, as tshark's -t: WL_T_DEFAULT is wirelab's own (seconds
 * since the first packet, 4 decimals; 6 with -v). */
enum wl_time_fmt {
	WL_T_DEFAULT, WL_T_REL, WL_T_DELTA, WL_T_DELTA_SHOWN, WL_T_EPOCH,
	WL_T_LOCAL, WL_T_LOCAL_DATE, WL_T_LOCAL_DOY, WL_T_UTC, WL_T_UTC_DATE, WL_T_UTC_DOY,
};

struct wl_render_opts {
	enum wl_format format;
	int verbose;
	int color;
	int redact;
	int summaries;   /* per-flow closing summaries in text */
	int hexdump;     /* text: each shown frame's bytes after its lines (-x) */
	enum wl_time_fmt time_fmt;  /* text: the time column (-t) */
	int time_hms;    /* text: intervals as 1h 2m 3.000000s (-u hms) */
	size_t width;    /* text: notes wrap to this many columns (0: never) */
	FILE *out;
	/* html and svg */
	const char *title;        /* the exchange or file shown */
	const char *preselect;    /* html: the filter box's first contents, or NULL */
	int html_part;            /* html: only the data block; the caller writes the page (lab all) */
	const struct wl_dissector *const *dissectors;  /* html: field explanations, or NULL */
};

/* What the renderer counts, for the closing line and for `lab`. */
struct wl_render_totals {
	uint64_t msgs, warnings, errors, flows;
	uint64_t secrets;        /* fields marked secret (passwords, communities) */
	uint64_t pkts[2], bytes[2];
};

struct wl_renderer;

struct wl_renderer *wl_render_new(const struct wl_render_opts *o);
struct wl_sink wl_render_sink(struct wl_renderer *r);
void wl_render_line(struct wl_renderer *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wl_render_flush(struct wl_renderer *r);
void wl_render_totals(const struct wl_renderer *r, struct wl_render_totals *t);
/* Warning texts seen, deduplicated, for summaries (NULL-terminated view). */
unsigned wl_render_warning_kinds(const struct wl_renderer *r, const char ***out);
void wl_render_free(struct wl_renderer *r);

/* lab all -T html: one page around several runs' data blocks (html_part). */
void wl_render_page_head(FILE *out, const char *title);
void wl_render_page_tail(FILE *out);
/* Whether a format is a picture (html, svg): no text lines of its own on stdout. */
int wl_render_is_picture(enum wl_format f);

#endif
