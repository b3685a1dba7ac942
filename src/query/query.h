/* query.h - tshark's query surface over the engine's message stream:
 * display filters (-Y), the frame gate that applies them, and the consumers
 * of whole frames: -T fields, -T ek and the -z statistics.
 *
 * The engine hands out messages; a *frame* is all consecutive messages with
 * the same frame number plus what the engine's frame callback says of the
 * packet (times, lengths, bytes, tcp.stream). The gate groups them, evaluates
 * the filter once per frame and forwards the frame, or drops it before
 * anything is formatted:
 *
 *   engine --msg/flow--> gate --(frames that pass)--> wl_sink (text, JSON ...)
 *          --frame cb-->      --(frames that pass)--> -T fields / -T ek
 *                             --(every frame)-------> -z statistics (as tshark:
 *                                                     -Y does not filter taps)
 *
 * Lifetime: wl_qreg_new -> wl_dfilter_compile (before any packet is read) ->
 * wl_gate_new -> consumers -> packets -> wl_gate_finish -> free.
 * This library knows the engine (dissect/) and nothing of the command line.
 */
#ifndef WL_QUERY_H
#define WL_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"

/* ---- the field registry: every name wirelab can emit, and its type ---- */

struct wl_qreg;

struct wl_qreg *wl_qreg_new(void);
void wl_qreg_free(struct wl_qreg *reg);
/* Every known field and protocol, one per line, as `tshark -G fields` does:
 * "F\tname\ttype\tprotocol\tdescription" and "P\tname\tname". */
void wl_qreg_list(const struct wl_qreg *reg, FILE *out);
/* Whether text (a filter, a field name, a -z option) names a field that is
 * emitted only with -v: the run must then dissect as with -v. */
int wl_qreg_names_verbose(const struct wl_qreg *reg, const char *text);
/* Whether name is a known field or protocol. */
int wl_qreg_known(const struct wl_qreg *reg, const char *name);
/* Up to n known names nearest to name (edit distance, prefixes), into out. */
unsigned wl_qreg_nearest(const struct wl_qreg *reg, const char *name, const char **out, unsigned n);

/* ---- display filters ---- */

struct wl_dfilter;

/* Longest filter text and deepest nesting accepted (a hostile filter gets an
 * error, never a stack overflow). */
#define WL_DF_MAX_TEXT (64 * 1024)
#define WL_DF_MAX_DEPTH 64

/* Parses and checks text against the registry. NULL on error, with a message
 * in err: the reason, then the filter and a caret line under the culprit
 * ("ftp.request.comand" ... ^~~~). */
struct wl_dfilter *wl_dfilter_compile(const struct wl_qreg *reg, const char *text, char *err,
				      size_t errlen);
void wl_dfilter_free(struct wl_dfilter *df);
/* The dissectors whose flows may hold a matching frame (NULL-terminated, for
 * wl_opts.only), or NULL when any frame may match. With decrypting (a TLS key
 * log is given) TLS is among them, as any protocol may be inside it; without,
 * a TLS flow shows only TLS's own fields. */
const char *const *wl_dfilter_protocols(const struct wl_dfilter *df, int decrypting);
/* 1 if the filter names only fields of the frame, its link, IP and transport
 * headers that no application dissector changes: it selects the same frames
 * whether or not the applications are dissected. */
int wl_dfilter_below_apps(const struct wl_dfilter *df);
/* 1 if name is such a field (a -T fields column): its values are the same
 * whether or not the applications are dissected. */
int wl_qreg_below_apps(const struct wl_qreg *reg, const char *name);
const char *wl_dfilter_text(const struct wl_dfilter *df);
/* Calls cb with the registry id of every field and protocol the filter names,
 * as often as it names it. */
void wl_dfilter_fields(const struct wl_dfilter *df, void (*cb)(void *arg, int id), void *arg);

/* ---- the fields a filter reads ---- */

struct wl_qwant;

/* For an engine whose only readers of fields are the filter (df, or NULL) and
 * the -T fields columns (wl_opts.want_field): the fields they name, both of an
 * alias's (ip.addr: ip.src, ip.dst) and every field of a protocol they name (a
 * protocol is in a frame by its fields). NULL when they read more than they
 * name (frame.protocols reads them all) or out of memory: then every field is
 * wanted. */
struct wl_qwant *wl_qwant_new(const struct wl_qreg *reg, const struct wl_dfilter *df,
			      const char *const *columns, unsigned ncolumns);
/* wl_opts.want_field, with a wl_qwant as arg: a field name; a protocol's or a
 * prefix ending in '.' (any field of it). */
int wl_qwant_field(void *want, const char *name);
/* 0 when they read only what the frame itself says (frame.number, tcp.stream:
 * wl_frame_info), none of its messages' fields. */
int wl_qwant_reads_messages(const struct wl_qwant *w);
void wl_qwant_free(struct wl_qwant *w);

/* ---- frames ---- */

/* One message of a frame, as the gate keeps it (the engine's wl_msg is
 * reused after its callback). */
struct wl_qmsg {
	const char *proto, *type;
	const char *src, *dst, *client, *server;
	uint32_t flow_id;
	uint8_t dir, minor;
	unsigned nfields, nnotes;
	const struct wl_field *fields;
	const int *ids;          /* each field's registry id, or NULL: found by name */
	const struct wl_note_rec *notes;
	const char *pool;
	uint32_t text_off, text_len;
	size_t rec;              /* where the whole message is kept (frame.c) */
};

struct wl_qframe {
	struct wl_frame_info fi; /* fi.data is NULL for messages after the last frame */
	int late;                /* messages the engine sent after the frame (flows closing at the end) */
	int64_t prev_ns;         /* time of the frame before (frame.time_delta) */
	int64_t prev_shown_ns;   /* time of the last frame that passed (frame.time_delta_displayed), -1 */
	unsigned nmsgs;
	const struct wl_qmsg *msgs;
	const struct wl_qreg *reg;
	void *cache;             /* the gate's name lookup cache */
	/* The frame's fields by registry id, or NULL (then they are scanned):
	 * by_id->head[id] is the first of id's occurrences when stamp[id] is
	 * by_id->cur, each chained to the next in the frame's order. */
	const struct wl_qindex *by_id;
};

struct wl_qindex {
	const int32_t *head;     /* [reg->n] */
	const uint32_t *stamp;   /* [reg->n] */
	uint32_t cur;
	const int32_t *next;     /* [the frame's fields]: the next occurrence, -1 */
	const uint32_t *msg, *field;   /* [the frame's fields]: where it is */
};

/* Whether frame f passes (the filter's scratch space is used: one thread). */
int wl_dfilter_match(struct wl_dfilter *df, const struct wl_qframe *f);

/* A consumer of whole frames (fields, ek, statistics). */
struct wl_qconsumer {
	void (*frame)(void *arg, const struct wl_qframe *f);
	void (*flow)(void *arg, const struct wl_flow_summary *s);  /* may be NULL */
	void (*finish)(void *arg);                                   /* may be NULL */
	/* after finish: a sentence for the user (what the report left out), or
	 * NULL; the caller says it, since only the command line prints. */
	const char *(*warning)(void *arg);                           /* may be NULL */
	void (*free)(void *arg);
	void *arg;
	int every_frame;         /* sees frames that fail the filter too (-z, as tshark's taps) */
};

/* ---- the gate ---- */

struct wl_gate;

/* out: where the messages of passing frames go (a renderer, or its render
 * thread), or NULL. filter NULL: every frame passes. */
struct wl_gate *wl_gate_new(const struct wl_qreg *reg, struct wl_dfilter *filter,
			    const struct wl_sink *out);
/* Takes ownership of c (its free() runs in wl_gate_free). Returns -1 when full. */
int wl_gate_add(struct wl_gate *g, const struct wl_qconsumer *c);
struct wl_sink wl_gate_sink(struct wl_gate *g);
/* Give to wl_engine_on_frame() with g as the argument. */
void wl_gate_frame(void *g, const struct wl_frame_info *fi);
/* After wl_engine_finish(): the last messages go out (to out, then to the
 * consumers); drain first when out must be flushed before the reports. */
void wl_gate_drain(struct wl_gate *g);
/* Drains, then every consumer's finish() (the statistics print their reports). */
void wl_gate_finish(struct wl_gate *g);
void wl_gate_free(struct wl_gate *g);
/* After wl_gate_finish: the first consumer's warning, or NULL. */
const char *wl_gate_warning(const struct wl_gate *g);
/* Frames seen and frames that passed. */
void wl_gate_counts(const struct wl_gate *g, uint64_t *frames, uint64_t *passed);

/* ---- -T fields ---- */

/* tshark's -E options. */
struct wl_fields_opts {
	int header;              /* -E header=y */
	char separator;          /* -E separator=/t|/s|C (default tab) */
	char occurrence;         /* -E occurrence=f|l|a (default a) */
	char aggregator;         /* -E aggregator=C (default ',') */
	char quote;              /* -E quote=d|s|n: '"', '\'' or 0 */
	int bom;                 /* -E bom=y */
	int redact;              /* --redact: secrets as ******** */
};
void wl_fields_opts_default(struct wl_fields_opts *o);
/* Applies one -E argument ("header=y"); -1 with a reason in err. */
int wl_fields_opt(struct wl_fields_opts *o, const char *arg, char *err, size_t errlen);
/* A -T fields writer of the named fields (checked against the registry). */
int wl_fields_new(const struct wl_qreg *reg, const char *const *names, unsigned n,
		  const struct wl_fields_opts *o, FILE *out, struct wl_qconsumer *c, char *err,
		  size_t errlen);

/* ---- -T ek ---- */

/* tshark -T ek: an index line and a document line per frame. names: -e
 * fields to keep (n 0: all). */
int wl_ek_new(const struct wl_qreg *reg, const char *const *names, unsigned n, int redact,
	      FILE *out, struct wl_qconsumer *c, char *err, size_t errlen);

/* ---- -z statistics ---- */

/* One -z argument ("conv,tcp", "io,phs", "follow,tcp,ascii,0", "expert",
 * "credentials", ...); its report is printed by finish(). */
int wl_stat_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		char *err, size_t errlen);
/* Whether arg names a statistic wirelab knows (for --help and errors). */
extern const char *const wl_stat_names[];

#endif
