/* lab.c - `wirelab lab`: start the exchange's server unless --server points
 * elsewhere, start the capture thread on loopback with the exchange's BPF
 * filter, run the driver, let the traffic drain, stop the capture, print the
 * trace and the exchange summary. `lab all` runs every exchange in turn and
 * closes with a table. Errors go to the caller's callback; the command line
 * (src/cli/cmd_lab.c) parses the options. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drive.h"
#include "jsonf.h"
#include "lab.h"
#include "sock.h"

struct lab_row {
	const char *name;
	const char *result;      /* "ok", "FAILED", "skipped" */
	char why[600];
	uint64_t packets, bytes, warnings;
};

/* The driver's BPF with every %u replaced by the port (no format strings from data). */
static void make_filter(char *out, size_t n, const char *bpf, uint16_t port)
{
	char p[8];
	snprintf(p, sizeof p, "%u", port);
	size_t o = 0;
	for (const char *s = bpf; *s && o + 8 < n; s++) {
		if (s[0] == '%' && s[1] == 'u') {
			o += (size_t)snprintf(out + o, n - o, "%s", p);
			s++;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

static int parse_server(const char *spec, char *host, size_t hn, uint16_t *port)
{
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec)
		return -1;
	char *end;
	unsigned long p = strtoul(colon + 1, &end, 10);
	if (*end || p == 0 || p > 65535)
		return -1;
	size_t len = (size_t)(colon - spec);
	if (spec[0] == '[' && len > 2 && spec[len - 1] == ']') {
		spec++;
		len -= 2;
	}
	if (len >= hn)
		return -1;
	memcpy(host, spec, len);
	host[len] = '\0';
	*port = (uint16_t)p;
	return 0;
}

/* Waits until no packet has arrived for quiet_ms (at most max_ms). */
static void drain(struct wl_source *src, int quiet_ms, int max_ms)
{
	struct wl_capture_stats st;
	wl_source_stats(src, &st);
	uint64_t last = st.received;
	int still = 0;
	for (int t = 0; t < max_ms && still < quiet_ms; t += 50) {
		wl_sleep_ms(50);
		wl_source_stats(src, &st);
		if (st.received != last) {
			last = st.received;
			still = 0;
		} else {
			still += 50;
		}
	}
}

/* An error, through the caller's callback (the command line prints it). */
__attribute__((format(printf, 2, 3)))
static void lab_err(const struct wl_lab_opts *o, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (o->err)
		o->err(msg);
}

/* ---- what the lab says besides the trace ----
 *
 * For people, headed sections; with -T json, records of "type":"step" among
 * the trace's messages, so stdout stays JSON Lines, one object per line
 * (messages carry "frame" and "proto", steps carry "step" and "exchange"). */

static int lab_json(const struct wl_lab_opts *o)
{
	return o->view.render.format == WL_OUT_JSON;
}

/* -T html and svg: stdout is the picture alone (the client's words are kept
 * out of it; the result is the exit code and the page's own lines). */
static int lab_picture(const struct wl_lab_opts *o)
{
	return wl_render_is_picture(o->view.render.format);
}

/* {"type":"step","step":STEP,"exchange":NAME and the caller's keys follow. */
static void step_open(const char *step, const char *exchange)
{
	fputs("{\"type\":\"step\",\"step\":", stdout);
	wl_json_fstr(stdout, step);
	if (exchange) {
		fputs(",\"exchange\":", stdout);
		wl_json_fstr(stdout, exchange);
	}
}

static void step_str(const char *key, const char *val)
{
	int first = 0;
	wl_json_fkey(stdout, &first, key);
	wl_json_fstr(stdout, val);
}

static void step_u64(const char *key, uint64_t val)
{
	int first = 0;
	wl_json_fkey(stdout, &first, key);
	printf("%llu", (unsigned long long)val);
}

static void step_close(void)
{
	fputs("}\n", stdout);
	fflush(stdout);
}

static void say_start(const struct wl_lab_opts *o, const struct wl_driver *d)
{
	if (lab_picture(o))
		return;
	if (!lab_json(o)) {
		printf("══ wirelab lab %s: %s\n", d->name, d->desc);
		fflush(stdout);
		return;
	}
	step_open("start", d->name);
	step_str("desc", d->desc);
	step_close();
}

static void say_skipped(const struct wl_lab_opts *o, const struct wl_driver *d, const char *why)
{
	if (lab_picture(o))
		return;
	if (!lab_json(o)) {
		printf("skipped: %s\n\n", why);
		return;
	}
	step_open("skipped", d->name);
	step_str("reason", why);
	step_close();
}

/* The client's own output (an ls listing, snmpget lines) as JSON: a record per line. */
static void say_client(const struct wl_driver *d, const char *text, size_t len)
{
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, n);
		if (line) {
			step_open("client", d->name);
			step_str("text", line);
			step_close();
			free(line);
		}
		p += n + 1;
	}
}

static void say_trace(const struct wl_lab_opts *o, const struct wl_driver *d, const char *filter)
{
	if (lab_picture(o))
		return;
	if (!lab_json(o)) {
		printf("── trace (capture on %s, filter \"%s\")\n", o->iface, filter);
		fflush(stdout);
		return;
	}
	step_open("trace", d->name);
	step_str("iface", o->iface);
	step_str("filter", filter);
	step_close();
}

static void say_summary(const struct wl_lab_opts *o, const struct wl_driver *d,
			const struct wl_drive_result *dr, const struct wl_run_result *res)
{
	if (lab_picture(o))
		return;
	if (!lab_json(o)) {
		printf("── summary: %s\n", d->name);
		printf("   result: %s%s%s\n", dr->ok ? "ok" : "FAILED", dr->ok ? "" : ": ",
		       dr->ok ? "" : dr->reason);
		for (unsigned i = 0; i < dr->nfacts; i++)
			printf("   %s\n", dr->facts[i]);
		printf("   %llu packets; client → server %llu bytes, server → client %llu bytes; %llu warnings\n",
		       (unsigned long long)res->packets, (unsigned long long)res->totals.bytes[0],
		       (unsigned long long)res->totals.bytes[1], (unsigned long long)res->totals.warnings);
		printf("   capture: %llu received, %llu dropped by the kernel, %llu dropped by the queue\n",
		       (unsigned long long)res->cap.received, (unsigned long long)res->cap.kernel_drops,
		       (unsigned long long)res->cap.queue_drops);
		return;
	}
	step_open("summary", d->name);
	step_str("result", dr->ok ? "ok" : "FAILED");
	if (!dr->ok)
		step_str("reason", dr->reason);
	fputs(",\"facts\":[", stdout);
	for (unsigned i = 0; i < dr->nfacts; i++) {
		if (i)
			fputc(',', stdout);
		wl_json_fstr(stdout, dr->facts[i]);
	}
	fputc(']', stdout);
	step_u64("packets", res->packets);
	step_u64("bytes_client_to_server", res->totals.bytes[0]);
	step_u64("bytes_server_to_client", res->totals.bytes[1]);
	step_u64("warnings", res->totals.warnings);
	step_u64("capture_received", res->cap.received);
	step_u64("capture_kernel_drops", res->cap.kernel_drops);
	step_u64("capture_queue_drops", res->cap.queue_drops);
	step_close();
}

/* --expect: the live sequence against the stored capture's; 0 when equal. */
static int say_sequence(const struct wl_lab_opts *o, const struct wl_driver *d,
			const struct wl_lab_seq *stored, const struct wl_lab_seq *live)
{
	long at = wl_lab_seq_diff(stored, live);
	char why[512];
	const char *field = wl_lab_seq_field_diff(stored, live, at, why, sizeof why);
	if (lab_picture(o))
		return at >= 0;
	if (!lab_json(o)) {
		if (at < 0)
			printf("   sequence: %zu steps, the same as the stored capture\n", stored->n);
		else if (field)
			printf("   sequence differs from the stored capture at step %ld (%s):\n     %s\n",
			       at + 1, wl_lab_seq_step(stored, at), field);
		else
			printf("   sequence differs from the stored capture at step %ld:\n"
			       "     stored: %s\n     live:   %s\n", at + 1,
			       wl_lab_seq_step(stored, at), wl_lab_seq_step(live, at));
		return at >= 0;
	}
	step_open("sequence", d->name);
	fputs(at < 0 ? ",\"same\":true" : ",\"same\":false", stdout);
	step_u64("steps", stored->n);
	if (at >= 0) {
		step_u64("differs_at", (uint64_t)at + 1);
		step_str("stored", wl_lab_seq_step(stored, at));
		step_str("live", wl_lab_seq_step(live, at));
		if (field)
			step_str("field", field);
	}
	step_close();
	return at >= 0;
}

static int lab_one(const struct wl_driver *d, const struct wl_lab_opts *o, struct lab_row *row)
{
	const char *state = o->state;
	row->name = d->name;
	row->result = "FAILED";
	char host[256] = "127.0.0.1";
	uint16_t port = d->port;
	if (o->server && parse_server(o->server, host, sizeof host, &port) < 0) {
		lab_err(o, "--server %s: expected HOST:PORT", o->server);
		return WL_EXIT_USAGE;
	}
	say_start(o, d);

	/* the server */
	char exe[PATH_MAX], err[512];
	struct wl_server_ctx sc = { state, wl_self_exe(exe, sizeof exe), 0 };
	const struct wl_server *srv = (!o->server && d->server) ? wl_server_find(d->server) : NULL;
	int started = 0;
	if (srv) {
		int r = wl_lab_ensure_server(srv, &sc, &started, err, sizeof err);
		if (r == 1) {
			row->result = "skipped";
			snprintf(row->why, sizeof row->why, "%s", err);
			say_skipped(o, d, err);
			return WL_EXIT_OK;
		}
		if (r) {
			snprintf(row->why, sizeof row->why, "%s", err);
			lab_err(o, "%s", err);
			return WL_EXIT_USAGE;
		}
	}

	/* the capture thread */
	char filter[512];
	make_filter(filter, sizeof filter, d->bpf ? d->bpf : "tcp port %u or udp port %u", port);
	/* the capture's defaults: a 32 MiB TPACKET_V3 ring whose blocks reach
	 * the thread within 10 ms, so drain() sees the last packets promptly */
	struct wl_live_cfg lc = { .iface = o->iface, .filter = filter };
	struct wl_source *src = wl_source_live(&lc, err, sizeof err);
	if (!src) {
		snprintf(row->why, sizeof row->why, "%s", err);
		lab_err(o, "%s", err);
		if (started && !o->keep)
			wl_daemon_stop(state, srv->name);
		return WL_EXIT_USAGE;
	}
	struct wl_writer *w = NULL;
	if (o->write && !(w = wl_writer_open(o->write, wl_source_linktype(src), wl_source_snaplen(src),
					     err, sizeof err))) {
		lab_err(o, "%s", err);
		wl_source_close(src);
		if (started && !o->keep)
			wl_daemon_stop(state, srv->name);
		return WL_EXIT_USAGE;
	}

	/* the exchange: for people the client speaks as it goes; for JSON what it
	 * prints is kept and said after it, a record per line */
	char *client_text = NULL;
	size_t client_len = 0;
	FILE *client_out = lab_json(o) || lab_picture(o) ? open_memstream(&client_text, &client_len) : stdout;
	struct wl_drive_cfg dc = { host, port, state, o->view.render.verbose, o->accept_new,
				   client_out ? client_out : stderr };
	struct wl_drive_result dr = { 0 };
	if (!lab_json(o) && !lab_picture(o)) {
		printf("── client\n");
		fflush(stdout);
	}
	d->run(&dc, &dr);
	fflush(stdout);
	if (client_out && client_out != stdout) {
		fclose(client_out);
		if (!lab_picture(o))
			say_client(d, client_text, client_len);
	}
	free(client_text);
	drain(src, 300, 3000);
	wl_source_stop(src);

	/* the trace */
	say_trace(o, d, filter);
	struct wl_lab_seq live = { 0 }, stored = { 0 };
	struct wl_sink rec = wl_lab_seq_sink(&live);
	struct wl_view v = o->view;
	v.tee = o->expect ? &rec : NULL;
	v.render.title = d->name;
	if (!v.dissect.keylog && dr.keylog[0])
		v.dissect.keylog = dr.keylog;  /* the client's TLS secrets decrypt the trace */
	if (!v.dissect.nt_password && dr.nt_password[0])
		v.dissect.nt_password = dr.nt_password;  /* the SMB login's password decrypts SMB3 */
	if (!v.dissect.snmp_users_file && dr.snmp_users[0])
		v.dissect.snmp_users_file = dr.snmp_users;  /* the SNMPv3 users check and decrypt it */
	struct wl_run_result res;
	int rc = wl_run_source(src, &v, w, NULL, stdout, &res, err, sizeof err);
	wl_source_close(src);
	char werr[256];
	if (wl_writer_close(w, werr, sizeof werr) < 0)
		lab_err(o, "%s: %s", o->write, werr);
	if (res.query_warning[0])
		lab_err(o, "%s", res.query_warning);
	if (started && !o->keep)
		wl_daemon_stop(state, srv->name);

	/* the summary */
	row->packets = res.packets;
	row->bytes = res.totals.bytes[0] + res.totals.bytes[1];
	row->warnings = res.totals.warnings;
	say_summary(o, d, &dr, &res);
	int exit_code = dr.ok ? WL_EXIT_OK : WL_EXIT_FAIL;
	if (rc < 0) {
		lab_err(o, "%s", err);
		exit_code = WL_EXIT_FAIL;
	}
	if (o->expect) {
		if (wl_lab_seq_from_file(&stored, o->expect, err, sizeof err) < 0) {
			lab_err(o, "--expect %s: %s", o->expect, err);
			exit_code = WL_EXIT_USAGE;
		} else if (say_sequence(o, d, &stored, &live) != 0) {
			exit_code = WL_EXIT_FAIL;
			snprintf(dr.reason, sizeof dr.reason, "message sequence differs from %s", o->expect);
		}
	}
	wl_lab_seq_free(&live);
	wl_lab_seq_free(&stored);
	if (!lab_json(o) && !lab_picture(o))
		printf("\n");
	row->result = exit_code == WL_EXIT_OK ? "ok" : "FAILED";
	snprintf(row->why, sizeof row->why, "%s", exit_code == WL_EXIT_OK ? "" : dr.reason);
	return exit_code;
}

/* lab all's closing table; with -T json a "result" step per exchange. */
static void say_table(const struct wl_lab_opts *o, const struct lab_row *rows, unsigned n)
{
	if (lab_picture(o))
		return;
	if (lab_json(o)) {
		for (unsigned i = 0; i < n; i++) {
			step_open("result", rows[i].name);
			step_str("result", rows[i].result);
			step_u64("packets", rows[i].packets);
			step_u64("bytes", rows[i].bytes);
			step_u64("warnings", rows[i].warnings);
			if (rows[i].why[0])
				step_str("reason", rows[i].why);
			step_close();
		}
		return;
	}
	printf("══ wirelab lab all: %u exchanges\n", n);
	printf("%-16s %-8s %8s %10s %8s  %s\n", "exchange", "result", "packets", "bytes", "warnings", "");
	for (unsigned i = 0; i < n; i++)
		printf("%-16s %-8s %8llu %10llu %8llu  %s\n", rows[i].name, rows[i].result,
		       (unsigned long long)rows[i].packets, (unsigned long long)rows[i].bytes,
		       (unsigned long long)rows[i].warnings, rows[i].why);
}

int wl_lab_one(const struct wl_driver *d, const struct wl_lab_opts *o)
{
	struct lab_row row = { 0 };
	return lab_one(d, o, &row);
}

int wl_lab_all(const struct wl_lab_opts *o)
{
	struct lab_row rows[128];
	unsigned n = 0;
	int worst = WL_EXIT_OK;
	/* -T html: one page, a data block per exchange and the page's index of them */
	struct wl_lab_opts po = *o;
	if (o->view.render.format == WL_OUT_HTML) {
		po.view.render.html_part = 1;
		wl_render_page_head(stdout, "lab all");
		o = &po;
	}
	for (const struct wl_driver *const *d = wl_drivers; *d && n < 128; d++, n++) {
		rows[n] = (struct lab_row){ 0 };
		int r = lab_one(*d, o, &rows[n]);
		if (r == WL_EXIT_USAGE && strcmp(rows[n].result, "skipped") != 0)
			r = WL_EXIT_FAIL;
		if (r > worst)
			worst = r;
	}
	say_table(o, rows, n);
	if (po.view.render.html_part)
		wl_render_page_tail(stdout);
	return worst;
}
