/* qplan.c - the query options of read, capture and lab (see qplan.h):
 * tshark's -Y display filter, -T fields with -e and -E, -T ek, -z
 * statistics and -q, as a plan made once and a frame gate for each run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qplan.h"
#include "query.h"

#define MAX_E 256
#define MAX_Z 32

enum qout { Q_RENDER, Q_FIELDS, Q_EK };

struct wl_qplan {
	const char *filter;
	enum qout out;
	int quiet;
	const char *e[MAX_E];
	unsigned ne;
	struct wl_fields_opts fo;
	const char *z[MAX_Z];
	unsigned nz;
	struct wl_qreg *reg;
	struct wl_dfilter *df;
	int redact;
};

struct wl_qrun {
	struct wl_gate *g;
};

const char wl_qplan_usage[] =
	"  -Y FILTER   display filter, Wireshark's syntax: only frames that match are shown\n"
	"              (ftp.request.command == \"PASS\", ip.addr == 10.0.0.0/8, tcp.port in {21 2121},\n"
	"              dns.qry.name matches \"example\", !(tcp.port == 22)); -R is the same (read)\n"
	"  -T fields -e FIELD ...  one line per frame, a column per field, as tshark\n"
	"    -E header=y|n separator=/t|/s|C occurrence=f|l|a aggregator=C quote=d|s|n\n"
	"  -T ek       Elasticsearch/OpenSearch bulk lines (with -e: just those fields)\n"
	"  -z STAT     statistics after the frames (tshark's layouts): conv,tcp conv,udp conv,ip\n"
	"              endpoints,ip io,phs follow,tcp,ascii,N follow,tcp,hex,N follow,udp,... expert\n"
	"              credentials; ,FILTER after a statistic limits it (conv,tcp,tcp.port==21)\n"
	"  -q          no per-frame output (with -z: only the statistics)\n"
	"  --list-fields  (read) every field and protocol name -Y and -e know, with its type\n";

static struct wl_qplan *plan_get(struct wl_qplan **plan)
{
	if (!*plan) {
		*plan = calloc(1, sizeof **plan);
		if (*plan)
			wl_fields_opts_default(&(*plan)->fo);
	}
	return *plan;
}

int wl_qplan_option(struct wl_qplan **plan, int opt, const char *arg, char *err, size_t errlen)
{
	if (opt == 'T' && strcmp(arg, "fields") != 0 && strcmp(arg, "ek") != 0)
		return 0;
	if (opt != 'T' && opt != 'Y' && opt != 'R' && opt != 'e' && opt != 'E' && opt != 'z')
		return 0;
	struct wl_qplan *p = plan_get(plan);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	switch (opt) {
	case 'T':
		p->out = strcmp(arg, "fields") == 0 ? Q_FIELDS : Q_EK;
		return 1;
	case 'Y':
	case 'R':
		if (p->filter) {
			snprintf(err, errlen, "-%c: one display filter only (join them with && or ||)", opt);
			return -1;
		}
		p->filter = arg;
		return 1;
	case 'e':
		if (p->ne == MAX_E) {
			snprintf(err, errlen, "-e: at most %d fields", MAX_E);
			return -1;
		}
		p->e[p->ne++] = arg;
		return 1;
	case 'E':
		if (wl_fields_opt(&p->fo, arg, err, errlen) < 0) {
			return -1;
		}
		return 1;
	default:
		if (p->nz == MAX_Z) {
			snprintf(err, errlen, "-z: at most %d statistics", MAX_Z);
			return -1;
		}
		p->z[p->nz++] = arg;
		return 1;
	}
}

void wl_qplan_quiet(struct wl_qplan **plan)
{
	struct wl_qplan *p = plan_get(plan);
	if (p)
		p->quiet = 1;
}

/* Every -z and -e checked by making the run's consumers once, on /dev/null. */
static int dry_run(struct wl_qplan *p, char *err, size_t errlen)
{
	FILE *null = fopen("/dev/null", "w");
	if (!null) {
		snprintf(err, errlen, "cannot open /dev/null");
		return -1;
	}
	struct wl_qrun *r = wl_qrun_start(p, NULL, null, err, errlen);
	int rc = r ? 0 : -1;
	wl_qrun_free(r);
	fclose(null);
	return rc;
}

int wl_qplan_ready(struct wl_qplan *p, int redact, char *err, size_t errlen)
{
	if (!p)
		return 0;
	p->redact = redact;
	p->fo.redact = redact;
	if (p->out == Q_FIELDS && !p->ne) {
		snprintf(err, errlen, "-T fields needs at least one -e FIELD (wirelab read --list-fields)");
		return -1;
	}
	if (p->ne && p->out == Q_RENDER) {
		snprintf(err, errlen, "-e FIELD goes with -T fields or -T ek");
		return -1;
	}
	if (!p->reg && !(p->reg = wl_qreg_new())) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (p->filter) {
		char why[2048];
		p->df = wl_dfilter_compile(p->reg, p->filter, why, sizeof why);
		if (!p->df) {
			snprintf(err, errlen, "-Y: %s", why);
			return -1;
		}
	}
	return dry_run(p, err, errlen);
}

int wl_qplan_renders(const struct wl_qplan *p)
{
	return !p || (p->out == Q_RENDER && !p->quiet);
}

int wl_qplan_verbose(const struct wl_qplan *p)
{
	if (!p || !p->reg)
		return 0;
	if (p->filter && wl_qreg_names_verbose(p->reg, p->filter))
		return 1;
	for (unsigned i = 0; i < p->ne; i++)
		if (wl_qreg_names_verbose(p->reg, p->e[i]))
			return 1;
	for (unsigned i = 0; i < p->nz; i++)
		if (wl_qreg_names_verbose(p->reg, p->z[i]))
			return 1;
	return 0;
}

const char *const *wl_qplan_only(const struct wl_qplan *p, int decrypting)
{
	/* the statistics see every frame, as tshark's taps; WIRELAB_DISSECT_ALL
	 * (tests) shows that leaving flows undissected changes nothing shown */
	if (!p || !p->df || p->nz || getenv("WIRELAB_DISSECT_ALL"))
		return NULL;
	return wl_dfilter_protocols(p->df, decrypting);
}

int wl_qplan_below_apps(const struct wl_qplan *p)
{
	/* the statistics need every frame dissected whole */
	return p && p->df && !p->nz && wl_dfilter_below_apps(p->df) && !getenv("WIRELAB_DISSECT_ALL");
}

int wl_qplan_columns_below_apps(const struct wl_qplan *p)
{
	if (!p || p->out != Q_FIELDS || p->nz || (p->df && !wl_dfilter_below_apps(p->df)) ||
	    getenv("WIRELAB_DISSECT_ALL"))
		return 0;
	for (unsigned i = 0; i < p->ne; i++)
		if (!wl_qreg_below_apps(p->reg, p->e[i]))
			return 0;
	return 1;
}

int wl_qplan_texts_unread(const struct wl_qplan *p)
{
	/* -z expert reads the notes; WIRELAB_DISSECT_ALL (tests) makes them all */
	return p && (p->out != Q_RENDER || p->quiet) && !p->nz && !getenv("WIRELAB_DISSECT_ALL");
}

struct wl_qwant *wl_qplan_want(const struct wl_qplan *p, int first_pass, int renderer_reads)
{
	/* WIRELAB_DISSECT_ALL (tests): every field, to show that this changes nothing shown */
	if (!p || p->nz || getenv("WIRELAB_DISSECT_ALL"))
		return NULL;
	/* a first pass only looks for a matching frame: what it would print is dropped */
	if (first_pass)
		return p->df ? wl_qwant_new(p->reg, p->df, NULL, 0) : NULL;
	if (p->out == Q_FIELDS)   /* its renderer gets no message (wl_qrun_start) */
		return wl_qwant_new(p->reg, p->df, p->e, p->ne);
	if (p->out == Q_RENDER && p->df && !renderer_reads)
		return wl_qwant_new(p->reg, p->df, NULL, 0);
	return NULL;   /* -T ek, and a renderer that shows fields */
}

void wl_qplan_free(struct wl_qplan *p)
{
	if (!p)
		return;
	wl_dfilter_free(p->df);
	wl_qreg_free(p->reg);
	free(p);
}

struct wl_qrun *wl_qrun_start(struct wl_qplan *p, const struct wl_sink *out, FILE *f, char *err,
			      size_t errlen)
{
	/* without rendered frames the renderer still counts the flows (lab's summary) */
	struct wl_sink counts = out ? *out : (struct wl_sink){ 0 };
	if (p->out != Q_RENDER || p->quiet)
		counts.msg = NULL;
	struct wl_qrun *r = calloc(1, sizeof *r);
	if (!r || !(r->g = wl_gate_new(p->reg, p->df, out ? &counts : NULL))) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct wl_qconsumer c;
	int rc = 0;
	if (p->out == Q_FIELDS)
		rc = wl_fields_new(p->reg, p->e, p->ne, &p->fo, f, &c, err, errlen);
	else if (p->out == Q_EK)
		rc = wl_ek_new(p->reg, p->e, p->ne, p->redact, f, &c, err, errlen);
	if (rc == 0 && p->out != Q_RENDER && !p->quiet)
		wl_gate_add(r->g, &c);
	else if (rc == 0 && p->out != Q_RENDER && c.free)
		c.free(c.arg);
	/* as tshark, the reports come out in the reverse order of the -z options */
	for (unsigned i = p->nz; rc == 0 && i-- > 0;) {
		rc = wl_stat_new(p->reg, p->z[i], f, &c, err, errlen);
		if (rc == 0 && wl_gate_add(r->g, &c) < 0) {
			c.free(c.arg);
			snprintf(err, errlen, "too many statistics");
			rc = -1;
		}
	}
	if (rc < 0) {
		wl_qrun_free(r);
		return NULL;
	}
	return r;
}

struct wl_sink wl_qrun_sink(struct wl_qrun *r)
{
	return wl_gate_sink(r->g);
}

void wl_qrun_engine(struct wl_qrun *r, struct wl_engine *e)
{
	wl_engine_on_frame(e, wl_gate_frame, r->g);
}

void wl_qrun_drain(struct wl_qrun *r)
{
	if (r)
		wl_gate_drain(r->g);
}

void wl_qrun_finish(struct wl_qrun *r)
{
	if (r)
		wl_gate_finish(r->g);
}

uint64_t wl_qrun_passed(const struct wl_qrun *r)
{
	uint64_t frames = 0, passed = 0;
	if (r)
		wl_gate_counts(r->g, &frames, &passed);
	return passed;
}

const char *wl_qrun_warning(const struct wl_qrun *r)
{
	return r ? wl_gate_warning(r->g) : NULL;
}

void wl_qrun_free(struct wl_qrun *r)
{
	if (!r)
		return;
	wl_gate_free(r->g);
	free(r);
}
