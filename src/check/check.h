/* check.h - the pieces of `wirelab check` (src/cmd_check.c parses the options):
 * reading expected JSON Lines and tshark TSVs back, the field-level diff, the
 * expected files' header, the parallel runner and the CI reports (plain, TAP 14,
 * JUnit XML). Nothing here is process-wide state: every function works on what
 * it is given, so captures are checked on several threads at once. */
#ifndef WL_CHECK_H
#define WL_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "run.h"

/* wirelab's version, from CMake's project(VERSION). */
const char *wl_version(void);

/* ---- JSON Lines read back (json.c) ---- */

/* One key of a message: a field, or a message-level key under a pseudo name
 * (time -> frame.time_relative, src -> wl.src, text -> wl.text, a note ->
 * wl.note.<level>). vals are the values' JSON texts, as written; a repeated
 * field (a JSON array) has several. */
struct wl_jkey {
	char *name;
	char **vals;
	size_t nvals;
};

struct wl_jmsg {
	uint64_t frame;
	char *proto;
	char *type;
	struct wl_jkey *keys;
	size_t nkeys;
	unsigned line;           /* 1-based line in the file */
};

struct wl_jdoc {
	struct wl_jmsg *msgs;
	size_t n, cap;
	int has_header;          /* a {"type":"expect",...} first line */
	char *version;           /* its "wirelab" */
	char *options;           /* its "options", joined by spaces */
	size_t skipped;          /* records that are not messages (no "frame") */
};

/* Parses JSON Lines; 0, or -1 with the line and the reason in err. */
int wl_jdoc_parse(struct wl_jdoc *d, const char *text, size_t len, char *err, size_t errlen);
void wl_jdoc_free(struct wl_jdoc *d);
/* A value's text as tshark would show it: a string decoded, true/false as
 * 1/0, null as "", a number as written. malloc'd (NULL: out of memory). */
char *wl_json_value_text(const char *json);
/* Decodes the JSON string starting at its opening quote into a malloc'd
 * UTF-8 string (bad escapes and surrogates become U+FFFD), NULL if invalid. */
char *wl_json_decode_string(const char *p, size_t n);

/* ---- the field diff (fields.c) ---- */

struct wl_fieldsel {
	const char *const *ignore;   /* fnmatch patterns of names not compared */
	size_t nignore;
	int ignore_notes;            /* wl.note.* */
	const char *const *only;     /* --expect-fields: compare just these (patterns), or NULL */
	size_t nonly;
};

/* Lines "frame 12 ftp.response.code: 230 → 530" for every difference, at
 * most max_lines of them written to out (then "… and N more"). Returns the
 * number of differences. With sel->only the values of the named fields are
 * compared frame by frame; otherwise each message with all its keys. */
size_t wl_fielddiff(const struct wl_jdoc *expected, const struct wl_jdoc *actual,
		    const struct wl_fieldsel *sel, size_t max_lines, FILE *out);

/* A tshark `-T fields -E header=y` TSV as expected values. */
struct wl_tsv {
	char **cols;             /* the header's field names */
	size_t ncols;
	int frame_col;           /* index of frame.number, or -1: rows are frames 1, 2, ... */
	char ***cells;           /* rows x ncols, "" when empty */
	uint64_t *frames;
	size_t nrows;
};
int wl_tsv_parse(struct wl_tsv *t, const char *text, size_t len, char *err, size_t errlen);
void wl_tsv_free(struct wl_tsv *t);
/* The TSV's fields (those selected by sel) against the actual messages, frame
 * by frame, values normalised as in wl_norm_value. Same lines and result as
 * wl_fielddiff. */
size_t wl_tsvdiff(const struct wl_tsv *expected, const struct wl_jdoc *actual,
		  const struct wl_fieldsel *sel, size_t max_lines, FILE *out);
/* A comparable token for a value (shared/tools/fieldcheck's norm()): "i:N"
 * for decimal, 0x hex, True/False and whole numbers, "t:NS" for a tshark or
 * ISO 8601 time, "f:X.XXXXXX" for other numbers, "s:TEXT" (trimmed) else.
 * malloc'd, NULL when out of memory. */
char *wl_norm_value(const char *s);

/* ---- expected files' headers (header.c) ---- */

enum wl_expect_kind { WL_EXPECT_TRACE, WL_EXPECT_JSON };
/* The header line (with its '\n') of an expected file made with these options. */
char *wl_expect_header(enum wl_expect_kind k, const char *const *opts, size_t nopts);
/* Splits a file into its header line (len 0 if none) and the rest. For a
 * header, version and options (malloc'd, or NULL) say what made it. */
size_t wl_expect_split(enum wl_expect_kind k, const char *text, size_t len, char **version,
		       char **options);
/* quote.c: the options as one string, shell-quoted where needed, spaces between. */
char *wl_join_options(const char *const *opts, size_t nopts);

/* ---- reports (report.c) ---- */

enum wl_check_status { WL_CHECK_PASS, WL_CHECK_FAIL, WL_CHECK_ERROR };

struct wl_check_result {
	const char *pcap;
	enum wl_check_status status;
	char *reason;            /* one line: "differs from pcaps/ftp.trace" */
	char *detail;            /* the diffs or field lines, or NULL */
	size_t detail_len;
	char *warnings;          /* lines, or NULL */
	double seconds;
	/* --update: what would be written */
	struct wl_check_pending {
		char path[4200];
		char *content;
		size_t len;
		const char *what;    /* "new", "header only", "changed" */
		unsigned added, removed;  /* lines */
		int again;           /* the same file as an earlier one (a capture under two names) */
	} pending[2];
	unsigned npending;
	int done;                /* set by the runner under its lock */
};

struct wl_check_run_info {
	double seconds;
	long long started;       /* time(NULL) of the start */
	unsigned passed, failed, warnings;
};

void wl_report_plain(FILE *f, const struct wl_check_result *r);
void wl_report_tap_start(FILE *f, size_t n);
void wl_report_tap(FILE *f, size_t number, const struct wl_check_result *r);
void wl_report_tap_end(FILE *f, const struct wl_check_run_info *info);
int wl_report_junit(FILE *f, const struct wl_check_result *rs, size_t n,
		    const struct wl_check_run_info *info);
/* n bytes as XML 1.0 character data (attr: for an attribute value): & < > " '
 * escaped, CR/LF/TAB kept as references in attributes, characters XML 1.0
 * cannot carry (controls, U+FFFE/FFFF, invalid UTF-8) as U+FFFD. */
void wl_xml_escape(FILE *f, const char *s, size_t n, int attr);

/* ---- the runner (runner.c) ---- */

enum { WL_FMT_TRACE = 1, WL_FMT_JSON = 2, WL_FMT_TSV = 4 };
enum wl_diff_mode { WL_DIFF_TEXT, WL_DIFF_FIELDS };

struct wl_check_opts {
	unsigned formats;        /* WL_FMT_* */
	int tsv_if_present;      /* the default: compare X.tsv when it exists */
	enum wl_diff_mode diff;
	struct wl_fieldsel sel;
	int update;
	unsigned jobs;
	size_t max_field_lines;
	struct wl_view view;     /* -v, -d, --redact, --no-summary */
	const char *const *view_opts;  /* the same as options of `wirelab read`, for headers */
	size_t nview_opts;
};

/* Checks (or with opts->update prepares) every capture on opts->jobs threads;
 * each result is passed to on_result in capture order as soon as it and all
 * before it are done (on the calling thread). 0, or -1 if threads could not start. */
int wl_check_run(const struct wl_check_opts *opts, struct wl_check_result *rs, size_t n,
		 void (*on_result)(void *arg, size_t i, struct wl_check_result *r), void *arg);
void wl_check_result_free(struct wl_check_result *r);

/* ---- lab --expect: what of a message is stable run to run (stable.c) ---- */

/* 1 if the field's value changes from one run of an exchange to the next
 * (ports, times, keys, nonces, cookies, randoms, session IDs, request IDs,
 * sizes that follow from them, ciphertext): its name is compared, not its value. */
int wl_field_volatile(const char *proto, const char *name);
/* The rules, for the docs and their test: pattern i (NULL past the last) and why. */
const char *wl_volatile_rule(size_t i, const char **why);
/* The rules that look at a field's message too, as lines of text (NULL-terminated). */
extern const char *const wl_volatile_context[];

/* Calls add() with each thing of m that a live run must repeat: "name=value"
 * for a field whose value is stable, "name" alone for one whose value is not. */
void wl_stable_entries(const struct wl_msg *m, void (*add)(void *arg, const char *entry), void *arg);

/* A step's entries, a set (a step folds repeats of one message). */
struct wl_entry_set {
	char **v;
	size_t n, cap;
	int overflow;            /* more than the cap: the rest not kept */
};
int wl_entry_set_add(struct wl_entry_set *s, const char *entry);
void wl_entry_set_free(struct wl_entry_set *s);
/* 0 if equal, else 1 and the first difference, by name, as one line:
 * "ftp.response.code: 230 → 530". */
int wl_entry_set_diff(const struct wl_entry_set *stored, const struct wl_entry_set *live, char *out,
		      size_t n);

#endif
