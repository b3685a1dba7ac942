/* run.c - one packet source through the engine to a renderer: the loop that
 * read, capture, check and lab share (source -> writer -> engine -> sink).
 * A file's output is formatted on a second thread (pipe.c); GeoIP facts on
 * flows come through the engine's flow-open hook (flow_geoip.c). A file read
 * with a -Y filter on headers alone is first read without the applications,
 * to find whether any frame matches (header_pass). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dissect.h"
#include "flow_geoip.h"
#include "pipe.h"
#include "qplan.h"
#include "query.h"
#include "run.h"

void wl_view_init(struct wl_view *v)
{
	memset(v, 0, sizeof *v);
	v->render.format = WL_OUT_TEXT;
	v->render.summaries = 1;
	v->render.color = isatty(STDOUT_FILENO);
}

static void closing_line(struct wl_renderer *r, const struct wl_view *v, const struct wl_run_result *res,
			 int live)
{
	if (v->render.format == WL_OUT_JSON || !wl_qplan_renders(v->query))
		return;
	struct wl_render_totals t;
	wl_render_totals(r, &t);
	wl_render_line(r, "%llu packets, %llu messages, %llu warnings, %llu malformed",
		       (unsigned long long)res->packets, (unsigned long long)t.msgs,
		       (unsigned long long)t.warnings, (unsigned long long)t.errors);
	if (res->flows_full)
		wl_render_line(r, "%llu flows closed early: the flow table was full (%u flows; --max-flows "
			       "raises it)", (unsigned long long)res->flows_full, (unsigned)res->max_flows);
	if (live)
		wl_render_line(r, "capture: %llu received, %llu dropped by the kernel, %llu dropped by "
			       "the queue", (unsigned long long)res->cap.received,
			       (unsigned long long)res->cap.kernel_drops,
			       (unsigned long long)res->cap.queue_drops);
	/* said once per trace: secrets are shown on purpose, and how to hide them */
	if (t.secrets && !v->dissect.redact)
		wl_render_line(r, "%llu secrets (passwords, community strings) are shown as they were on "
			       "the wire: this is a teaching tool; --redact masks them",
			       (unsigned long long)t.secrets);
	else if (t.secrets)
		wl_render_line(r, "%llu secrets masked (--redact)", (unsigned long long)t.secrets);
}

/* The renderer's sink, and v->tee beside it. */
struct tee {
	struct wl_sink a, b;
};

static void tee_msg(void *arg, const struct wl_msg *m)
{
	struct tee *t = arg;
	t->a.msg(t->a.arg, m);
	if (t->b.msg)
		t->b.msg(t->b.arg, m);
}

static void tee_flow(void *arg, const struct wl_flow_summary *s)
{
	struct tee *t = arg;
	t->a.flow(t->a.arg, s);
	if (t->b.flow)
		t->b.flow(t->b.arg, s);
}

/* The TLS key log lines of the source's pcapng Decryption Secrets Blocks. */
/* The text ladder without -v shows no field: it counts the secrets. */
static int ladder_fieldless(const struct wl_render_opts *ro, const struct wl_opts *dopts)
{
	return !ro->verbose && !dopts->frame_bytes && (ro->format == WL_OUT_TEXT || ro->format == WL_OUT_LADDER);
}

static const uint8_t *source_keylog(void *arg, size_t *len)
{
	return wl_source_tls_keylog(arg, len);
}

/* The packet to the engine, with its pcapng interface and comments. */
static void engine_frame(struct wl_engine *e, const struct wl_source *src, const struct wl_pkt *p)
{
	struct wl_frame_comment c[WL_PKT_MAX_COMMENTS];
	struct wl_frame f = { .linktype = p->linktype, .ts_ns = p->ts_ns, .data = p->data,
			      .caplen = p->caplen, .len = p->len, .interface_id = p->interface_id,
			      .show_interface = wl_source_interfaces(src) > 1,
			      .ncomments = p->ncomments, .comments = c, .section = p->section,
			      .if_name = { p->if_name.text, p->if_name.len },
			      .if_descr = { p->if_descr.text, p->if_descr.len },
			      .has_flags = p->has_flags, .flags = p->flags };
	for (unsigned i = 0; i < p->ncomments && i < WL_PKT_MAX_COMMENTS; i++)
		c[i] = (struct wl_frame_comment){ p->comments[i].text, p->comments[i].len };
	wl_engine_frame(e, &f);
}

int wl_run_source(struct wl_source *src, const struct wl_view *v, struct wl_writer *w,
		  volatile sig_atomic_t *stop, FILE *out, struct wl_run_result *res,
		  char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	int lt = wl_source_linktype(src);
	/* a file of several interfaces goes on: each frame says if its link type is known */
	if (!wl_link_supported(lt) && wl_source_interfaces(src) <= 1) {
		snprintf(err, errlen, "link type %d is not supported (Ethernet, Linux cooked, BSD loopback, "
			 "raw IP and 802.11 are)", lt);
		return -1;
	}
	struct wl_render_opts ro = v->render;
	ro.out = out;
	if (!wl_qplan_renders(v->query))
		ro.summaries = 0;   /* -T fields, ek, -q: the renderer only counts */
	struct wl_renderer *r = wl_render_new(&ro);
	struct tee tee = { 0 };
	struct wl_sink sink = { 0 };
	struct wl_pipe *pipe = NULL;
	struct wl_qrun *query = NULL;
	struct wl_qwant *want = NULL;
	struct wl_opts dopts = v->dissect;
	/* a first pass, or -T fields of header columns: no application to dissect */
	dopts.headers_only = v->header_pass || (!v->tee && wl_qplan_columns_below_apps(v->query));
	dopts.keylog_blocks = source_keylog;
	dopts.keylog_blocks_arg = src;
	int decrypting = dopts.keylog || wl_source_is_pcapng(src);
	if (r && v->query) {
		/* the gate drops frames before they reach the render thread; the tee sees all */
		struct wl_sink rs = wl_render_sink(r);
		if (v->render_thread && wl_qplan_renders(v->query) && (pipe = wl_pipe_new(rs)) != NULL)
			rs = wl_pipe_sink(pipe);
		query = wl_qrun_start(v->query, &rs, out, err, errlen);
		if (!query) {
			wl_pipe_free(pipe);
			wl_render_free(r);
			return -1;
		}
		sink = wl_qrun_sink(query);
		if (!dopts.verbose && wl_qplan_verbose(v->query))
			dopts.verbose = 1;   /* a -v field is asked for: dissect as with -v */
		if (v->tee) {
			tee.a = sink;
			tee.b = *v->tee;
			sink = (struct wl_sink){ tee_msg, tee_flow, &tee };
		} else {
			/* flows no frame of the filter can be in */
			dopts.only = v->header_pass ? NULL : wl_qplan_only(v->query, decrypting);
			/* fields no one but the filter and the -T fields columns
			 * read: the first pass shows nothing, the ladder without -v
			 * counts only the secrets */
			want = wl_qplan_want(v->query, v->header_pass, !ladder_fieldless(&ro, &dopts));
			dopts.want_field = want ? wl_qwant_field : NULL;
			dopts.want_arg = want;
			dopts.no_texts = wl_qplan_texts_unread(v->query);
			if (v->header_pass && want && !wl_qwant_reads_messages(want))
				sink.msg = NULL;   /* it judges frames by their wl_frame_info alone */
		}
	} else if (r) {
		tee.a = wl_render_sink(r);
		if (v->tee)
			tee.b = *v->tee;
		/* the ladder without -v shows no field (it counts the secrets):
		 * the dissectors need not keep them (a twentieth of the dissecting
		 * thread's work in a text read, docs/benchmark.md) */
		dopts.no_fields = !v->tee && ladder_fieldless(&ro, &dopts) && !getenv("WIRELAB_DISSECT_ALL");
		sink = (struct wl_sink){ tee_msg, tee_flow, &tee };
		/* files only: live output must show each packet as it comes */
		if (v->render_thread && (pipe = wl_pipe_new(sink)) != NULL)
			sink = wl_pipe_sink(pipe);
	}
	struct wl_limits lim;
	wl_limits_default(&lim);
	if (v->max_flows)
		lim.max_flows = v->max_flows;
	struct wl_engine *e = r ? wl_engine_new(&dopts, &lim, &sink) : NULL;
	if (!e) {
		wl_qwant_free(want);
		wl_qrun_free(query);
		wl_pipe_free(pipe);
		wl_render_free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	wl_engine_set_dissectors(e, wl_dissectors);
	struct wl_flow_geoip *geo = v->geoip_db ? wl_flow_geoip_new(v->geoip_db) : NULL;
	if (geo)
		wl_engine_on_flow_open(e, wl_flow_geoip_hook, geo);
	for (unsigned i = 0; i < v->nrules; i++)
		wl_engine_decode_as(e, &v->rules[i]);
	if (query)
		wl_qrun_engine(query, e);

	int live = 0, rc = 0;
	struct wl_pkt p;
	for (;;) {
		if (stop && *stop) {
			wl_source_stop(src);
			live = 1;
		}
		int n = wl_source_next(src, &p);
		if (n == 2) {
			live = 1;
			continue;
		}
		if (n == 0)
			break;
		if (n < 0) {
			snprintf(err, errlen, "%s", wl_source_error(src));
			rc = -1;
			break;
		}
		res->packets++;
		if (w && !res->write_failed && wl_writer_write(w, &p) < 0)
			res->write_failed = 1;
		engine_frame(e, src, &p);
		if (v->header_pass && wl_qrun_passed(query)) {
			res->stopped_on_match = 1;
			break;
		}
		if (v->count && res->packets >= v->count) {
			wl_source_stop(src);
			if (!live)
				break;
		}
	}
	wl_engine_finish(e);
	wl_qrun_drain(query);
	if (v->header_pass && wl_qrun_passed(query))
		res->stopped_on_match = 1;
	wl_pipe_finish(pipe);
	wl_source_stats(src, &res->cap);
	struct wl_engine_stats st;
	wl_engine_stats(e, &st);
	res->flows_full = st.flows_full;
	res->max_flows = lim.max_flows;
	closing_line(r, v, res, live || res->cap.received);
	wl_render_totals(r, &res->totals);
	wl_render_flush(r);
	wl_qrun_finish(query);   /* -z reports after the frames, as tshark */
	const char *qw = wl_qrun_warning(query);
	snprintf(res->query_warning, sizeof res->query_warning, "%s", qw ? qw : "");
	wl_engine_free(e);
	wl_qwant_free(want);
	wl_qrun_free(query);
	wl_flow_geoip_free(geo);
	wl_pipe_free(pipe);
	wl_render_free(r);
	return rc;
}

static struct wl_source *open_file(const char *path, const struct wl_view *v, char *err, size_t errlen)
{
	struct wl_source *src = wl_source_offline(path, err, errlen);
	if (src && v->filter && wl_source_filter(src, v->filter, err, errlen) < 0) {
		wl_source_close(src);
		return NULL;
	}
	return src;
}

/* A -Y filter on the frame, link, IP and transport headers selects the same
 * frames whether or not the applications are dissected, and on a large
 * capture such a filter often matches nothing: a first pass without the
 * application dissectors (a third of the work) looks for a matching frame and
 * stops at the first. If there is none, what it wrote (a header, the closing
 * line) is the whole answer. 0 done, 1 a frame matches (read the file whole),
 * -1 an error. */
static int header_pass(const char *path, const struct wl_view *v, FILE *out, struct wl_run_result *res,
		      char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	struct wl_source *src = open_file(path, v, err, errlen);
	if (!src)
		return -1;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		wl_source_close(src);
		return 1;
	}
	struct wl_view sv = *v;
	sv.header_pass = 1;
	sv.render_thread = 0;   /* it renders little or nothing */
	int rc = wl_run_source(src, &sv, NULL, NULL, mem, res, err, errlen);
	wl_source_close(src);
	int whole = fclose(mem) == 0 && rc == 0 && !res->stopped_on_match;
	if (whole && len)
		fwrite(buf, 1, len, out);   /* a short write is out's error, the caller's to see */
	free(buf);
	return rc < 0 ? -1 : whole ? 0 : 1;
}

int wl_dissect_file(const char *path, const struct wl_view *v, FILE *out,
		    struct wl_run_result *res, char *err, size_t errlen)
{
	struct wl_view fv = *v;
	fv.render_thread = !v->one_thread;
	struct stat st;
	/* a second pass needs a file it can read again (not -, not a pipe) */
	if (wl_qplan_below_apps(v->query) && !v->tee && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		int rc = header_pass(path, &fv, out, res, err, errlen);
		if (rc <= 0)
			return rc;
	}
	struct wl_source *src = open_file(path, v, err, errlen);
	if (!src)
		return -1;
	int rc = wl_run_source(src, &fv, NULL, NULL, out, res, err, errlen);
	wl_source_close(src);
	return rc;
}
