/* qplan.h - the command line's side of the query options (-Y, -R, -T
 * fields|ek, -e, -E, -z, -q): collected while options are parsed, checked
 * before any packet is read, and turned into a frame gate for each run. */
#ifndef WL_QPLAN_H
#define WL_QPLAN_H

#include <stdio.h>

#include "engine.h"

struct wl_qplan;
struct wl_qrun;
struct wl_qwant;

/* One option; *plan is made on first use. Returns 1 if opt was a query
 * option, 0 if not, -1 on a bad value (the reason in err). */
int wl_qplan_option(struct wl_qplan **plan, int opt, const char *arg, char *err, size_t errlen);
/* -q: no per-packet output (with -z: only the reports). */
void wl_qplan_quiet(struct wl_qplan **plan);
/* Compiles the filter and checks every name, before any packet is read.
 * Returns 0, or -1 with the reason in err (exit status 2). */
int wl_qplan_ready(struct wl_qplan *plan, int redact, char *err, size_t errlen);
/* Whether the text/JSON/ladder renderer shows the frames (not with -T
 * fields or ek, nor with -q). */
int wl_qplan_renders(const struct wl_qplan *plan);
/* Whether the filter, -e or -z name a field emitted only with -v: the run
 * then dissects as with -v (the renderer keeps the chosen verbosity). */
int wl_qplan_verbose(const struct wl_qplan *plan);
/* The dissectors whose flows can matter (wl_opts.only), or NULL for all. */
const char *const *wl_qplan_only(const struct wl_qplan *plan, int decrypting);
/* A filter on the frame, link, IP and transport headers alone, without -z:
 * a pass without the application dissectors finds whether any frame matches. */
int wl_qplan_below_apps(const struct wl_qplan *plan);
/* The fields the display filter and -T fields read, for wl_opts.want_field,
 * when nothing else reads any: in the first pass of a header filter (which
 * only looks for a matching frame), with -T fields, or when the renderer reads
 * none (renderer_reads 0: the text ladder without -v counts the secrets
 * alone). Never with -T ek or -z. NULL: every field. */
struct wl_qwant *wl_qplan_want(const struct wl_qplan *plan, int first_pass, int renderer_reads);
/* -T fields whose columns and filter are all of the frame, link, IP and
 * transport headers (wl_dfilter_below_apps), without -z: the applications
 * need not be dissected (wl_opts.headers_only). */
int wl_qplan_columns_below_apps(const struct wl_qplan *plan);
/* Nothing reads the messages' texts and notes: -T fields, -T ek or -q, without -z. */
int wl_qplan_texts_unread(const struct wl_qplan *plan);
void wl_qplan_free(struct wl_qplan *plan);

/* A run (NULL with the reason in err): out is where passing frames' messages go (NULL when they are not
 * rendered), f where -T fields/ek and the reports are written. */
struct wl_qrun *wl_qrun_start(struct wl_qplan *plan, const struct wl_sink *out, FILE *f, char *err,
			      size_t errlen);
struct wl_sink wl_qrun_sink(struct wl_qrun *r);
void wl_qrun_engine(struct wl_qrun *r, struct wl_engine *e);
/* After the engine finished: the last frames (before the renderer is flushed) ... */
void wl_qrun_drain(struct wl_qrun *r);
/* ... then the -T fields tail and the -z reports. */
void wl_qrun_finish(struct wl_qrun *r);
/* After wl_qrun_finish: what a report left out, for the user, or NULL. */
/* Frames that passed the filter so far. */
uint64_t wl_qrun_passed(const struct wl_qrun *r);
const char *wl_qrun_warning(const struct wl_qrun *r);
void wl_qrun_free(struct wl_qrun *r);

/* For --help: the query options, one per line. */
extern const char wl_qplan_usage[];

#endif
