/* cmd_check.c - `wirelab check`: stored captures against their expected
 * traces, as a regression suite. For each X.pcap: X.trace (text) and X.jsonl
 * (JSON Lines), and X.tsv (a tshark -T fields table) when there is one,
 * dissected with pinned settings (no colour, UTC, X.keylog as TLS key log if
 * present). This file reads the options and says the results; src/check/
 * does the comparing (runner.c), the field diff (fields.c), the files'
 * headers (header.c) and the CI reports (report.c). */

#include <dirent.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "wirelab.h"

static const char check_usage[] =
	"usage: wirelab check [DIR|FILE.pcap ...] [-j N] [--junit FILE] [--tap]\n"
	"                     [--diff text|fields] [--ignore PATTERN]... [--ignore-notes]\n"
	"                     [--format trace,json,tsv|both] [--expect-fields F1,F2,...]\n"
	"                     [--update [--yes]] [-v] [-d RULE] [--redact] [--no-summary]\n"
	"Re-dissects each stored capture X.pcap and compares it with X.trace and X.jsonl beside\n"
	"it, and X.tsv if present (default DIR: pcaps). Ends with 'N passed, N failed'; exit\n"
	"status 1 if any capture differs.\n"
	"  -j N            check N captures at once (default: the number of online cores)\n"
	"  --junit FILE    also write a JUnit XML report (one testcase per capture; - for stdout)\n"
	"  --tap           print TAP version 14 instead of the plain lines\n"
	"  --diff MODE     text: a unified diff (default); fields: per frame, which field\n"
	"                  changed from what to what, e.g. frame 12 ftp.response.code: 230 → 530\n"
	"  --ignore PAT    with --diff fields: leave fields matching PAT out (a shell pattern,\n"
	"                  e.g. 'frame.time*'; repeatable or comma-separated). Message keys:\n"
	"                  frame.time_relative, wl.src, wl.dst, wl.type, wl.text, wl.note.LEVEL\n"
	"  --ignore-notes  with --diff fields: leave the notes (wl.note.*) out\n"
	"  --format LIST   the expected files compared: trace, json, tsv, or both (trace,json;\n"
	"                  the default, with X.tsv when it exists; --diff fields: json)\n"
	"  --expect-fields F1,F2  compare only these fields (patterns), frame by frame, against\n"
	"                  X.jsonl and X.tsv: a tshark -T fields -E header=y table works as X.tsv\n"
	"  --update        rewrite the expected files from this output: says what changes first,\n"
	"                  then asks (a terminal) or needs --yes\n"
	"  --yes           with --update: write without asking (scripts)\n"
	"  -v, -d RULE, --redact, --no-summary   as in wirelab read; the expected files' header\n"
	"                  records them, and check warns when a file was made otherwise\n";

struct captures {
	char **paths;
	size_t n, cap;
};

static int add_capture(struct captures *c, const char *path)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		char **np = realloc(c->paths, cap * sizeof *np);
		if (!np)
			return -1;
		c->paths = np;
		c->cap = cap;
	}
	c->paths[c->n] = strdup(path);
	if (!c->paths[c->n])
		return -1;
	c->n++;
	return 0;
}

static int is_capture(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".pcap") == 0) ||
	       (n > 7 && strcmp(name + n - 7, ".pcapng") == 0);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The folder's captures in name order; -1 if it cannot be read. */
static int add_dir(struct captures *c, const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name);
	if (n < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n; i++) {
		if (rc == 0 && is_capture(ents[i]->d_name)) {
			char path[4096];
			size_t dl = strlen(dir);
			snprintf(path, sizeof path, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
				 ents[i]->d_name);
			rc = add_capture(c, path);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* "a,b" appended to a list of patterns (pointing into arg, which stays). */
static int add_list(char ***list, size_t *n, char *arg)
{
	char *save = NULL;
	for (char *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char **nl = realloc(*list, (*n + 1) * sizeof *nl);
		if (!nl)
			return -1;
		*list = nl;
		nl[(*n)++] = tok;
	}
	return 0;
}

static int parse_formats(const char *arg, unsigned *formats)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", arg);
	*formats = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "trace") == 0 || strcmp(tok, "text") == 0)
			*formats |= WL_FMT_TRACE;
		else if (strcmp(tok, "json") == 0)
			*formats |= WL_FMT_JSON;
		else if (strcmp(tok, "tsv") == 0)
			*formats |= WL_FMT_TSV;
		else if (strcmp(tok, "both") == 0)
			*formats |= WL_FMT_TRACE | WL_FMT_JSON;
		else
			return -1;
	}
	return *formats ? 0 : -1;
}

struct cli {
	struct wl_check_opts o;
	const char *junit;
	int tap, yes, diff_given, formats_given;
	char **ignore, **only;
	size_t nignore, nonly;
	const char *view_opts[80];
	char *owned[40];         /* optarg copies the lists point into */
	size_t nowned;
};

static char *keep(struct cli *c, const char *s)
{
	if (c->nowned == sizeof c->owned / sizeof c->owned[0])
		return NULL;
	return c->owned[c->nowned++] = strdup(s);
}

/* -v, -d, --redact, --no-summary: dissection options, recorded in headers. */
static int view_option(struct cli *c, int opt, const char *arg)
{
	size_t *n = &c->o.nview_opts;
	if (*n + 2 >= sizeof c->view_opts / sizeof c->view_opts[0]) {
		wl_err("check: too many options");
		return -1;
	}
	int r = wl_view_option(&c->o.view, opt, arg);
	if (r <= 0)
		return r;
	char *a = opt == 'd' ? keep(c, arg) : NULL;
	if (opt == 'd' && !a)
		return -1;
	c->view_opts[(*n)++] = opt == 'v' ? "-v" : opt == 'd' ? "-d" : opt == 1002 ? "--redact" : "--no-summary";
	if (a)
		c->view_opts[(*n)++] = a;
	return 1;
}

/* --ignore or --expect-fields: "a,b" appended to the list. */
static int add_patterns(struct cli *c, char ***list, size_t *n, const char *arg)
{
	char *copy = keep(c, arg);
	if (!copy || add_list(list, n, copy) < 0) {
		wl_err("check: too many patterns");
		return -1;
	}
	return 0;
}

/* Each capture's engine takes about 1 MiB (its flow table, its message) and
 * frees it at the end. glibc's default thresholds are dynamic: they hand
 * such blocks back to the kernel and take them again, page-faulted and
 * zeroed, for the next capture, which cost a third of the CPU of a check of
 * small captures on two threads. Fixed ones keep the memory for reuse. */
static void keep_freed_memory(void)
{
	mallopt(M_MMAP_THRESHOLD, 8 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

static int parse_jobs(const char *arg, unsigned *jobs)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);
	if (*end || end == arg || n < 1 || n > 1024) {
		wl_err("-j %s: expected 1 .. 1024", arg);
		return -1;
	}
	*jobs = (unsigned)n;
	return 0;
}

/* Which option, and what follows from it. Returns 0, 1 to stop with
 * success (--help), -1 on a usage error. */
static int parse_options(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "update", no_argument, NULL, 'u' },
		{ "yes", no_argument, NULL, 'y' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 3001 },
		{ "tap", no_argument, NULL, 3002 },
		{ "diff", required_argument, NULL, 3003 },
		{ "ignore", required_argument, NULL, 3004 },
		{ "ignore-notes", no_argument, NULL, 3005 },
		{ "format", required_argument, NULL, 3006 },
		{ "expect-fields", required_argument, NULL, 3007 },
		{ "redact", no_argument, NULL, 1002 },
		{ "no-summary", no_argument, NULL, 1006 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	/* no "+": options may come after the folders (wirelab check pcaps --junit r.xml) */
	while ((opt = getopt_long(argc, argv, "uyj:vd:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'u': c->o.update = 1; break;
		case 'y': c->yes = 1; break;
		case 'j': if (parse_jobs(optarg, &c->o.jobs) < 0) return -1; break;
		case 3001: c->junit = optarg; break;
		case 3002: c->tap = 1; break;
		case 3003:
			c->diff_given = 1;
			if (strcmp(optarg, "text") == 0)
				c->o.diff = WL_DIFF_TEXT;
			else if (strcmp(optarg, "fields") == 0)
				c->o.diff = WL_DIFF_FIELDS;
			else {
				wl_err("--diff %s: expected text or fields", optarg);
				return -1;
			}
			break;
		case 3004:
			if (add_patterns(c, &c->ignore, &c->nignore, optarg) < 0)
				return -1;
			break;
		case 3007:
			if (add_patterns(c, &c->only, &c->nonly, optarg) < 0)
				return -1;
			break;
		case 3005: c->o.sel.ignore_notes = 1; break;
		case 3006:
			c->formats_given = 1;
			if (parse_formats(optarg, &c->o.formats) < 0) {
				wl_err("--format %s: expected trace, json, tsv or both (a comma-separated list)", optarg);
				return -1;
			}
			break;
		case 'h': fputs(check_usage, stdout); return 1;
		default:
			if (view_option(c, opt, optarg) == 1)
				break;
			fputs(check_usage, stderr);
			return -1;
		}
	}
	return 0;
}

/* What the options mean together. */
static int settle_options(struct cli *c)
{
	struct wl_check_opts *o = &c->o;
	int by_fields = c->nignore || o->sel.ignore_notes || c->nonly;
	if (by_fields && c->diff_given && o->diff == WL_DIFF_TEXT) {
		wl_err("check: --ignore, --ignore-notes and --expect-fields compare fields: not with --diff text");
		return -1;
	}
	if (by_fields)
		o->diff = WL_DIFF_FIELDS;
	if (!c->formats_given) {
		/* the text trace has no fields to compare */
		o->formats = o->diff == WL_DIFF_FIELDS ? WL_FMT_JSON : WL_FMT_TRACE | WL_FMT_JSON;
		o->tsv_if_present = !o->update;
	}
	if (o->update && (c->junit || c->tap || c->diff_given || by_fields)) {
		wl_err("check --update rewrites; --junit, --tap, --diff, --ignore and --expect-fields are for checking");
		return -1;
	}
	if (o->update && (o->formats & WL_FMT_TSV)) {
		wl_err("check --update writes X.trace and X.jsonl; X.tsv is tshark's (tshark -T fields -E header=y > X.tsv)");
		return -1;
	}
	if (c->yes && !o->update) {
		wl_err("check: --yes goes with --update");
		return -1;
	}
	o->sel.ignore = (const char *const *)c->ignore;
	o->sel.nignore = c->nignore;
	o->sel.only = c->nonly ? (const char *const *)c->only : NULL;
	o->sel.nonly = c->nonly;
	o->view_opts = c->view_opts;
	o->max_field_lines = 200;
	if (!o->jobs) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		o->jobs = cores > 0 ? (unsigned)(cores < 1024 ? cores : 1024) : 1;
	}
	keep_freed_memory();
	return 0;
}

static int collect(struct captures *caps, int argc, char **argv)
{
	if (optind >= argc && add_dir(caps, "pcaps") < 0) {
		wl_err("check: cannot read the folder pcaps (give DIR or FILE.pcap)");
		return -1;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			wl_err("check: no such file or folder: %s", argv[i]);
			return -1;
		}
		if ((S_ISDIR(st.st_mode) ? add_dir(caps, argv[i]) : add_capture(caps, argv[i])) < 0) {
			wl_err("check: cannot read %s", argv[i]);
			return -1;
		}
	}
	return 0;
}

/* ---- saying the results ---- */

struct say {
	const struct cli *c;
	FILE *out;               /* plain or TAP lines, or NULL (--junit -) */
	struct wl_check_run_info info;
};

static void on_result(void *arg, size_t i, struct wl_check_result *r)
{
	struct say *s = arg;
	if (r->status == WL_CHECK_PASS)
		s->info.passed++;
	else
		s->info.failed++;
	s->info.warnings += r->warnings != NULL;
	if (s->c->o.update || !s->out)
		return;
	if (s->c->tap)
		wl_report_tap(s->out, i + 1, r);
	else
		wl_report_plain(s->out, r);
	fflush(s->out);
}

static int write_junit(const char *path, const struct wl_check_result *rs, size_t n,
		       const struct wl_check_run_info *info)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	if (!f) {
		wl_err("--junit %s: cannot write it", path);
		return -1;
	}
	int rc = wl_report_junit(f, rs, n, info);
	if (f != stdout && fclose(f) != 0)
		rc = -1;
	if (rc < 0)
		wl_err("--junit %s: writing failed", path);
	return rc;
}

/* ---- --update ---- */

/* pcaps/tls.pcap is a symlink to tls13.pcap, and so are its expected files:
 * a file reached under two names is said and written once. */
static void mark_again(struct wl_check_result *rs, size_t n)
{
	char **seen = NULL;
	size_t nseen = 0;
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < rs[i].npending; k++) {
			char *real = realpath(rs[i].pending[k].path, NULL);
			if (!real)
				continue;  /* a new file: one name */
			for (size_t s = 0; s < nseen && !rs[i].pending[k].again; s++)
				rs[i].pending[k].again = strcmp(seen[s], real) == 0;
			char **ns = rs[i].pending[k].again ? NULL : realloc(seen, (nseen + 1) * sizeof *ns);
			if (ns) {
				seen = ns;
				seen[nseen++] = real;
			} else {
				free(real);
			}
		}
	for (size_t s = 0; s < nseen; s++)
		free(seen[s]);
	free(seen);
}

static unsigned say_pending(const struct wl_check_result *rs, size_t n, unsigned *captures)
{
	unsigned files = 0;
	*captures = 0;
	for (size_t i = 0; i < n; i++) {
		if (rs[i].status != WL_CHECK_PASS)
			printf("FAIL %s: %s (nothing written for it)\n", rs[i].pcap, rs[i].reason);
		unsigned before = files;
		for (unsigned k = 0; k < rs[i].npending; k++) {
			const struct wl_check_pending *p = &rs[i].pending[k];
			if (p->again)
				continue;
			files++;
			if (strcmp(p->what, "changed") == 0)
				printf("  %-40s changed: +%u -%u lines\n", p->path, p->added, p->removed);
			else
				printf("  %-40s %s\n", p->path, p->what);
		}
		*captures += files > before;
	}
	return files;
}

static int confirmed(void)
{
	if (!isatty(STDIN_FILENO))
		return -1;
	printf("rewrite them? [y/N] ");
	fflush(stdout);
	char answer[16];
	if (!fgets(answer, sizeof answer, stdin))
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
}

static int write_pending(const struct wl_check_result *rs, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		for (unsigned k = 0; k < rs[i].npending; k++) {
			const struct wl_check_pending *p = &rs[i].pending[k];
			if (p->again)
				continue;
			FILE *f = fopen(p->path, "wb");
			int ok = f && fwrite(p->content, 1, p->len, f) == p->len;
			if (f && fclose(f) != 0)
				ok = 0;
			if (!ok) {
				wl_err("cannot write %s", p->path);
				bad = 1;
			}
		}
	return bad;
}

static int finish_update(const struct cli *c, struct wl_check_result *rs, size_t n)
{
	mark_again(rs, n);
	unsigned captures;
	unsigned files = say_pending(rs, n, &captures);
	int failed = 0;
	for (size_t i = 0; i < n; i++)
		failed |= rs[i].status != WL_CHECK_PASS;
	if (!files) {
		printf("%zu captures, every expected file is up to date\n", n);
		return failed ? WL_EXIT_FAIL : WL_EXIT_OK;
	}
	printf("%u file%s of %u capture%s to rewrite (%zu captures checked)\n", files, files == 1 ? "" : "s",
	       captures, captures == 1 ? "" : "s", n);
	int yes = c->yes ? 1 : confirmed();
	if (yes < 0) {
		wl_err("check --update: no terminal to ask; add --yes to write (nothing written)");
		return WL_EXIT_USAGE;
	}
	if (!yes) {
		printf("nothing written\n");
		return WL_EXIT_FAIL;
	}
	if (write_pending(rs, n))
		return WL_EXIT_FAIL;
	printf("%u file%s rewritten\n", files, files == 1 ? "" : "s");
	return failed ? WL_EXIT_FAIL : WL_EXIT_OK;
}

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(struct cli *c, struct captures *caps)
{
	struct wl_check_result *rs = calloc(caps->n ? caps->n : 1, sizeof *rs);
	if (!rs) {
		wl_err("out of memory");
		return WL_EXIT_USAGE;
	}
	for (size_t i = 0; i < caps->n; i++)
		rs[i].pcap = caps->paths[i];
	struct say s = { .c = c, .out = c->junit && strcmp(c->junit, "-") == 0 ? NULL : stdout };
	s.info.started = (long long)time(NULL);
	double t0 = wall_s();
	if (c->tap && s.out)
		wl_report_tap_start(s.out, caps->n);
	wl_check_run(&c->o, rs, caps->n, on_result, &s);
	s.info.seconds = wall_s() - t0;
	int rc;
	if (c->o.update) {
		rc = finish_update(c, rs, caps->n);
	} else {
		if (s.out && c->tap)
			wl_report_tap_end(s.out, &s.info);
		else if (s.out)
			printf("%u passed, %u failed\n", s.info.passed, s.info.failed);
		rc = s.info.failed ? WL_EXIT_FAIL : WL_EXIT_OK;
		if (c->junit && write_junit(c->junit, rs, caps->n, &s.info) < 0)
			rc = WL_EXIT_USAGE;
	}
	for (size_t i = 0; i < caps->n; i++)
		wl_check_result_free(&rs[i]);
	free(rs);
	return rc;
}

int wl_cmd_check(int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof c);
	wl_view_init(&c.o.view);
	int rc = parse_options(&c, argc, argv);
	struct captures caps = { 0 };
	if (rc == 0)
		rc = settle_options(&c);
	if (rc == 0)
		rc = collect(&caps, argc, argv);
	if (rc == 0) {
		setenv("TZ", "UTC", 1);  /* before any thread: nothing of the local zone in a trace */
		tzset();
		rc = run(&c, &caps);
	} else {
		rc = rc > 0 ? WL_EXIT_OK : WL_EXIT_USAGE;
	}
	for (size_t i = 0; i < caps.n; i++)
		free(caps.paths[i]);
	free(caps.paths);
	free(c.ignore);
	free(c.only);
	for (size_t i = 0; i < c.nowned; i++)
		free(c.owned[i]);
	return rc;
}
