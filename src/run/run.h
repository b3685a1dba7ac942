/* run.h - one packet source through the engine to a renderer, as read,
 * capture, check and lab do it; the view says how to dissect and show. */
#ifndef WL_RUN_H
#define WL_RUN_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "engine.h"
#include "render.h"

/* Exit statuses, as DESIGN.md: 0 fine, 1 a check or an exchange failed,
 * 2 usage or environment error. */
enum { WL_EXIT_OK = 0, WL_EXIT_FAIL = 1, WL_EXIT_USAGE = 2 };

/* How to dissect and show a packet source: shared by read, capture, check, lab. */
struct wl_view {
	struct wl_render_opts render;
	struct wl_opts dissect;
	struct wl_decode_as rules[16];
	unsigned nrules;
	uint64_t count;          /* stop after this many packets, 0 = all */
	const char *filter;      /* BPF */
	const struct wl_sink *tee;  /* also sees every message (lab --expect), or NULL */
	const char *geoip_db;    /* --geoip-db: where flows' public addresses are, or NULL */
	uint32_t max_flows;      /* 0: the engine's default */
	int one_thread;          /* --one-thread: a file is rendered on the dissecting thread */
	int width_set;           /* --width given: not the terminal's */
	int render_thread;       /* set by wl_dissect_file: render on a second thread */
	int header_pass;         /* set by wl_dissect_file: no application dissectors, and
				  * stop at the first frame that passes -Y */
	struct wl_qplan *query;  /* -Y, -T fields|ek, -z (qplan.h), or NULL */
};
void wl_view_init(struct wl_view *v);

/* Counters of one run of a source through the engine. */
struct wl_run_result {
	uint64_t packets;
	struct wl_capture_stats cap;
	struct wl_render_totals totals;
	int write_failed;
	char write_err[256];
	char query_warning[160];  /* what a -z report left out ("" if nothing) */
	int stopped_on_match;    /* v->header_pass: a frame passed, the run stopped there */
	uint64_t flows_full;     /* flows closed to make room in a full table */
	uint32_t max_flows;      /* the table's size */
};

/* Reads src to its end (or count, or *stop), writing to w if given, dissecting
 * and rendering per v. Returns 0, or -1 with a reason in err. */
int wl_run_source(struct wl_source *src, const struct wl_view *v, struct wl_writer *w,
		  volatile sig_atomic_t *stop, FILE *out, struct wl_run_result *res,
		  char *err, size_t errlen);

/* Dissects a capture file into out. Returns 0, or -1 with a reason. */
int wl_dissect_file(const char *path, const struct wl_view *v, FILE *out,
		    struct wl_run_result *res, char *err, size_t errlen);

#endif
