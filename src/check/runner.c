/* runner.c - one capture against its expected files, and many captures on
 * several threads. Each capture is dissected into memory of its own
 * (open_memstream) by an engine of its own; the engine keeps no process-wide
 * mutable state (net-snmp's MIB tree is loaded once under pthread_once and
 * only read after), so workers share nothing but the queue's index. Results
 * are handed back in capture order, whatever order they finish in. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "check.h"

extern char **environ;

#define MAX_DIFF_BYTES (4u << 20)  /* a diff kept for the reports */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A memory buffer to render into, and the renderer writing it. */
struct rendition {
	char *buf;
	size_t len;
	FILE *f;
	struct wl_renderer *r;
	struct wl_sink sink;
};

static int rendition_open(struct rendition *d, const struct wl_view *v, enum wl_format format)
{
	memset(d, 0, sizeof *d);
	d->f = open_memstream(&d->buf, &d->len);
	if (!d->f)
		return -1;
	struct wl_render_opts ro = v->render;
	ro.format = format;
	ro.out = d->f;
	d->r = wl_render_new(&ro);
	if (!d->r)
		return -1;
	d->sink = wl_render_sink(d->r);
	return 0;
}

/* Closes it; the text stays in d->buf (NULL if it failed). */
static int rendition_close(struct rendition *d)
{
	wl_render_free(d->r);
	int rc = d->f && fclose(d->f) == 0 ? 0 : -1;
	if (rc < 0) {
		free(d->buf);
		d->buf = NULL;
	}
	return rc;
}

/* The capture as text and/or JSON from one pass of the engine: the text
 * renderer is the run's own (with its closing lines), the JSON renderer sees
 * the same messages through the view's tee. */
static int dissect(const struct wl_check_opts *o, const char *pcap, const char *keylog,
		   const char *nt_password, const char *snmp_users, int want_text, int want_json, struct rendition *text,
		   struct rendition *json, char *err, size_t errlen)
{
	struct wl_view v = o->view;
	v.render.color = 0;
	v.render.format = want_text ? WL_OUT_TEXT : WL_OUT_JSON;
	v.dissect.keylog = keylog;
	if (nt_password)
		v.dissect.nt_password = nt_password;
	if (snmp_users)
		v.dissect.snmp_users_file = snmp_users;
	/* a suite's captures are small: handing each one's messages to a second
	 * thread for the rendering cost more than it saved (docs/benchmark.md);
	 * -j runs captures side by side instead */
	v.one_thread = 1;
	memset(text, 0, sizeof *text);
	memset(json, 0, sizeof *json);
	struct rendition *main_out = want_text ? text : json;
	FILE *f = open_memstream(&main_out->buf, &main_out->len);
	int rc = f ? 0 : -1;
	if (rc == 0 && want_text && want_json) {
		rc = rendition_open(json, &v, WL_OUT_JSON);
		v.tee = &json->sink;
	}
	struct wl_run_result res;
	if (rc == 0)
		rc = wl_dissect_file(pcap, &v, f, &res, err, errlen);
	else
		snprintf(err, errlen, "out of memory");
	if (f && fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (want_text && want_json && rendition_close(json) < 0 && rc == 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (rc < 0) {
		free(text->buf);
		free(json->buf);
		text->buf = json->buf = NULL;
	}
	return rc;
}

static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* `diff -u expected actual` (diffutils), actual given as header + body so
 * that line numbers are those of the expected file. posix_spawn, not fork:
 * other threads are running. NULL if diff could not run. */
static char *unified_diff(const char *exp_path, const char *hdr, size_t hlen, const char *body,
			  size_t blen, size_t *dlen)
{
	char in[] = "/tmp/wirelab-check-XXXXXX", out[] = "/tmp/wirelab-diff-XXXXXX";
	int ifd = mkostemp(in, O_CLOEXEC);
	if (ifd < 0)
		return NULL;
	int ofd = mkostemp(out, O_CLOEXEC);
	char *text = NULL;
	if (ofd < 0)
		goto done_in;
	if (write_all(ifd, hdr, hlen) < 0 || write_all(ifd, body, blen) < 0)
		goto done;
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa) != 0)
		goto done;
	posix_spawn_file_actions_adddup2(&fa, ofd, STDOUT_FILENO);
	char *argv[] = { "diff", "-u", "-a", "--label", (char *)exp_path, "--label", "actual",
			 (char *)exp_path, in, NULL };
	pid_t pid;
	int st = 0;
	if (posix_spawnp(&pid, "diff", &fa, NULL, argv, environ) == 0) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(st) && WEXITSTATUS(st) <= 1)
			text = slurp(out, dlen);
	}
	posix_spawn_file_actions_destroy(&fa);
done:
	close(ofd);
	unlink(out);
done_in:
	close(ifd);
	unlink(in);
	if (text && *dlen > MAX_DIFF_BYTES) {
		*dlen = MAX_DIFF_BYTES;
		static const char cut[] = "\n… (diff cut at 4 MiB)\n";
		memcpy(text + *dlen - sizeof cut + 1, cut, sizeof cut - 1);
		text[*dlen] = '\0';
	}
	return text;
}

/* ---- one capture ---- */

struct capture {
	const struct wl_check_opts *o;
	struct wl_check_result *r;
	char base[4096];         /* the path without .pcap */
	char keylog[4200];
	const char *kl;          /* keylog, or NULL */
	char kl_name[4200];      /* its real name: a capture under two names (a
				  * symlink) gets one header */
	char ntpass[256];        /* X.ntpassword: the SMB user's password, first line */
	const char *ntp;         /* ntpass, or NULL */
	char snmp_users[4200];   /* X.snmp_users: the SNMPv3 users (Wireshark's snmp_users) */
	const char *su;          /* snmp_users, or NULL */
	char *json;              /* the actual JSON, kept for the TSV */
	size_t json_len;
	FILE *reason, *detail, *warn;
	char *reason_buf, *warn_buf;
	size_t reason_len, warn_len;
	int fail, error;
};

static void fail(struct capture *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct capture *c, const char *fmt, ...)
{
	if (ftell(c->reason) > 0)
		fputs("; ", c->reason);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->reason, fmt, ap);
	va_end(ap);
	c->fail = 1;
}

/* The options of `wirelab read` that make an expected file (its header). */
static size_t read_options(const struct capture *c, int json, const char **opts, size_t max)
{
	size_t n = 0;
	opts[n++] = "-T";
	opts[n++] = json ? "json" : "text";
	if (!json)
		opts[n++] = "--color=never";
	for (size_t i = 0; i < c->o->nview_opts && n + 2 < max; i++)
		opts[n++] = c->o->view_opts[i];
	if (c->kl) {
		const char *slash = strrchr(c->kl_name, '/');
		opts[n++] = "--keylog";
		opts[n++] = slash ? slash + 1 : c->kl_name;
	}
	if (c->ntp && n + 2 <= max) {
		opts[n++] = "--smb-password";
		opts[n++] = c->ntp;
	}
	if (c->su && n + 2 <= max) {
		const char *slash = strrchr(c->su, '/');
		opts[n++] = "--snmp-users";
		opts[n++] = slash ? slash + 1 : c->su;
	}
	return n;
}

static void header_warning(struct capture *c, const char *path, const char *version, const char *options,
			   const char *now_options)
{
	int vdiff = version && strcmp(version, wl_version()) != 0;
	int odiff = options && strcmp(options, now_options) != 0;
	if (vdiff)
		fprintf(c->warn, "%s was written by wirelab %s; this is wirelab %s\n", path, version,
			wl_version());
	if (odiff)
		fprintf(c->warn, "%s was written by `wirelab read %s`; this check runs `wirelab read %s`\n",
			path, options, now_options);
}

static void compare_text(struct capture *c, const char *path, const char *exp, size_t hlen, size_t elen,
			 const char *actual, size_t alen)
{
	if (elen - hlen == alen && memcmp(exp + hlen, actual, alen) == 0)
		return;
	fail(c, "differs from %s", path);
	size_t dlen = 0;
	char *d = unified_diff(path, exp, hlen, actual, alen, &dlen);
	if (d)
		fwrite(d, 1, dlen, c->detail);
	else
		fprintf(c->detail, "(diff could not run: apt-get install diffutils)\n");
	free(d);
}

static void compare_fields(struct capture *c, const char *path, const char *exp, size_t elen,
			   const char *actual, size_t alen)
{
	struct wl_jdoc e, a;
	char err[256];
	if (wl_jdoc_parse(&e, exp, elen, err, sizeof err) < 0) {
		fail(c, "%s: %s", path, err);
		return;
	}
	if (wl_jdoc_parse(&a, actual, alen, err, sizeof err) < 0) {
		wl_jdoc_free(&e);
		fail(c, "this output: %s", err);
		return;
	}
	size_t n = wl_fielddiff(&e, &a, &c->o->sel, c->o->max_field_lines, c->detail);
	if (n)
		fail(c, "%zu field%s differ%s from %s", n, n == 1 ? "" : "s", n == 1 ? "s" : "", path);
	wl_jdoc_free(&e);
	wl_jdoc_free(&a);
}

static unsigned count_lines(const char *d, size_t n, char sign)
{
	unsigned k = 0;
	for (const char *p = d, *e = d + n; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(e - p);
		if (len && p[0] == sign && !(len >= 3 && p[1] == sign && p[2] == sign))
			k++;
		p = nl ? nl + 1 : e;
	}
	return k;
}

/* --update: what X.trace or X.jsonl would become, unless it is that already. */
static void prepare_update(struct capture *c, const char *path, enum wl_expect_kind kind, const char *hdr,
			   const char *actual, size_t alen)
{
	size_t hl = strlen(hdr), olen = 0;
	char *content = malloc(hl + alen + 1);
	if (!content) {
		fail(c, "out of memory");
		return;
	}
	memcpy(content, hdr, hl);
	memcpy(content + hl, actual, alen);
	char *old = slurp(path, &olen);
	if (old && olen == hl + alen && memcmp(old, content, olen) == 0) {
		free(old);
		free(content);
		return;
	}
	struct wl_check_pending *p = &c->r->pending[c->r->npending++];
	snprintf(p->path, sizeof p->path, "%s", path);
	p->content = content;
	p->len = hl + alen;
	p->what = "new";
	if (old) {
		char *v, *opts;
		size_t oh = wl_expect_split(kind, old, olen, &v, &opts);
		free(v);
		free(opts);
		int same_body = olen - oh == alen && memcmp(old + oh, actual, alen) == 0;
		p->what = same_body ? "header only" : "changed";
		size_t dlen = 0;
		char *d = unified_diff(path, hdr, hl, actual, alen, &dlen);
		if (d) {
			p->added = count_lines(d, dlen, '+');
			p->removed = count_lines(d, dlen, '-');
		}
		free(d);
	}
	free(old);
}

static void check_format(struct capture *c, int json, const char *actual, size_t alen)
{
	const struct wl_check_opts *o = c->o;
	enum wl_expect_kind kind = json ? WL_EXPECT_JSON : WL_EXPECT_TRACE;
	char path[4200];
	snprintf(path, sizeof path, "%s.%s", c->base, json ? "jsonl" : "trace");
	const char *opts[64];
	size_t nopts = read_options(c, json, opts, sizeof opts / sizeof opts[0]);
	char *now_options = wl_join_options(opts, nopts);
	char *hdr = wl_expect_header(kind, opts, nopts);
	if (!now_options || !hdr) {
		fail(c, "out of memory");
	} else if (o->update) {
		prepare_update(c, path, kind, hdr, actual, alen);
	} else {
		size_t elen = 0;
		char *exp = slurp(path, &elen);
		if (!exp) {
			fail(c, "no %s (wirelab check --update %s writes it)", path, c->r->pcap);
		} else {
			char *version, *options;
			size_t hlen = wl_expect_split(kind, exp, elen, &version, &options);
			header_warning(c, path, version, options, now_options);
			free(version);
			free(options);
			if (json && o->diff == WL_DIFF_FIELDS)
				compare_fields(c, path, exp + hlen, elen - hlen, actual, alen);
			else
				compare_text(c, path, exp, hlen, elen, actual, alen);
		}
		free(exp);
	}
	free(now_options);
	free(hdr);
}

static void check_tsv(struct capture *c, const char *path, const char *text, size_t tlen)
{
	char err[512];
	struct wl_tsv t;
	struct wl_jdoc a;
	if (wl_tsv_parse(&t, text, tlen, err, sizeof err) < 0) {
		fail(c, "%s: %s", path, err);
		return;
	}
	if (wl_jdoc_parse(&a, c->json, c->json_len, err, sizeof err) < 0) {
		fail(c, "this output: %s", err);
	} else {
		size_t n = wl_tsvdiff(&t, &a, &c->o->sel, c->o->max_field_lines, c->detail);
		if (n)
			fail(c, "%zu value%s differ%s from %s", n, n == 1 ? "" : "s", n == 1 ? "s" : "", path);
		wl_jdoc_free(&a);
	}
	wl_tsv_free(&t);
}

static int open_logs(struct capture *c)
{
	c->reason = open_memstream(&c->reason_buf, &c->reason_len);
	c->detail = open_memstream(&c->r->detail, &c->r->detail_len);
	c->warn = open_memstream(&c->warn_buf, &c->warn_len);
	return c->reason && c->detail && c->warn ? 0 : -1;
}

static void close_logs(struct capture *c)
{
	if (c->reason)
		fclose(c->reason);
	if (c->detail)
		fclose(c->detail);
	if (c->warn)
		fclose(c->warn);
	c->r->reason = c->reason_buf;
	if (c->r->detail && !c->r->detail_len) {
		free(c->r->detail);
		c->r->detail = NULL;
	}
	c->r->warnings = c->warn_len ? c->warn_buf : NULL;
	if (!c->warn_len)
		free(c->warn_buf);
}

static int exists(const char *base, const char *ext)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.%s", base, ext);
	return access(path, F_OK) == 0;
}

/* A capture of a suite built on tshark: X.tsv and neither X.trace nor X.jsonl. */
static int tsv_suite(const struct capture *c)
{
	return exists(c->base, "tsv") && !exists(c->base, "trace") && !exists(c->base, "jsonl");
}

/* X.pcap's base name and its key log, if there is one. */
static void capture_names(struct capture *c)
{
	const char *pcap = c->r->pcap, *slash = strrchr(pcap, '/'), *dot = strrchr(pcap, '.');
	size_t base = dot && (!slash || dot > slash) ? (size_t)(dot - pcap) : strlen(pcap);
	snprintf(c->base, sizeof c->base, "%.*s", (int)base, pcap);
	snprintf(c->keylog, sizeof c->keylog, "%s.keylog", c->base);
	c->kl = access(c->keylog, R_OK) == 0 ? c->keylog : NULL;
	char *real = c->kl ? realpath(c->kl, NULL) : NULL;
	snprintf(c->kl_name, sizeof c->kl_name, "%s", real ? real : c->keylog);
	free(real);
	/* X.ntpassword: the password of the NTLM login in X, for SMB3 decryption */
	char path[4200];
	snprintf(path, sizeof path, "%s.ntpassword", c->base);
	FILE *f = fopen(path, "r");
	c->ntp = NULL;
	if (f) {
		if (fgets(c->ntpass, sizeof c->ntpass, f)) {
			c->ntpass[strcspn(c->ntpass, "\r\n")] = '\0';
			c->ntp = c->ntpass;
		}
		fclose(f);
	}
	/* X.snmp_users: the lab's SNMPv3 users, to check HMACs and decrypt */
	snprintf(c->snmp_users, sizeof c->snmp_users, "%s.snmp_users", c->base);
	c->su = access(c->snmp_users, R_OK) == 0 ? c->snmp_users : NULL;
}

/* Dissects once and compares with each expected file of formats. */
static void compare_all(struct capture *c, unsigned formats)
{
	const struct wl_check_opts *o = c->o;
	char tsv_path[4200], err[512];
	snprintf(tsv_path, sizeof tsv_path, "%s.tsv", c->base);
	size_t tsv_len = 0;
	char *tsv = !o->update && ((formats & WL_FMT_TSV) || o->tsv_if_present) ? slurp(tsv_path, &tsv_len) : NULL;
	if (!tsv && (formats & WL_FMT_TSV) && !o->update)
		fail(c, "no %s (tshark -r %s -T fields -E header=y -e frame.number -e FIELD... > %s)", tsv_path,
		     c->r->pcap, tsv_path);
	int want_text = (formats & WL_FMT_TRACE) != 0, want_json = (formats & WL_FMT_JSON) || tsv;
	struct rendition text, json;
	if (!want_text && !want_json) {
		free(tsv);
		return;
	}
	if (dissect(o, c->r->pcap, c->kl, c->ntp, c->su, want_text, want_json, &text, &json, err, sizeof err) < 0) {
		fail(c, "%s", err);
		c->error = 1;
		free(tsv);
		return;
	}
	c->json = json.buf;
	c->json_len = json.len;
	if (want_text)
		check_format(c, 0, text.buf, text.len);
	if (formats & WL_FMT_JSON)
		check_format(c, 1, json.buf, json.len);
	if (tsv)
		check_tsv(c, tsv_path, tsv, tsv_len);
	free(text.buf);
	free(tsv);
}

static void check_capture(const struct wl_check_opts *o, struct wl_check_result *r)
{
	double t0 = now_s();
	struct capture c = { .o = o, .r = r };
	capture_names(&c);
	if (open_logs(&c) < 0) {
		close_logs(&c);
		r->status = WL_CHECK_ERROR;
		return;
	}
	unsigned formats = o->formats;
	if (o->tsv_if_present && tsv_suite(&c))
		formats = WL_FMT_TSV;
	compare_all(&c, formats);
	free(c.json);
	close_logs(&c);
	r->status = c.error ? WL_CHECK_ERROR : c.fail ? WL_CHECK_FAIL : WL_CHECK_PASS;
	r->seconds = now_s() - t0;
}

void wl_check_result_free(struct wl_check_result *r)
{
	free(r->reason);
	free(r->detail);
	free(r->warnings);
	for (unsigned i = 0; i < r->npending; i++)
		free(r->pending[i].content);
	r->reason = r->detail = r->warnings = NULL;
	r->npending = 0;
}

/* ---- many captures ---- */

struct queue {
	const struct wl_check_opts *o;
	struct wl_check_result *rs;
	size_t n, next;
	pthread_mutex_t lock;
	pthread_cond_t done;
};

/* Each worker parses certificates in an OpenSSL context of its own: in a
 * shared one, two threads spent more time waiting on its lock than parsing. */
static void *worker(void *arg)
{
	struct queue *q = arg;
	struct wl_check_opts mine = *q->o;
	mine.view.dissect.openssl_ctx = OSSL_LIB_CTX_new();
	for (;;) {
		pthread_mutex_lock(&q->lock);
		size_t i = q->next++;
		pthread_mutex_unlock(&q->lock);
		if (i >= q->n)
			break;
		check_capture(&mine, &q->rs[i]);
		pthread_mutex_lock(&q->lock);
		q->rs[i].done = 1;
		pthread_cond_broadcast(&q->done);
		pthread_mutex_unlock(&q->lock);
	}
	OSSL_LIB_CTX_free(mine.view.dissect.openssl_ctx);
	return NULL;
}

int wl_check_run(const struct wl_check_opts *o, struct wl_check_result *rs, size_t n,
		 void (*on_result)(void *arg, size_t i, struct wl_check_result *r), void *arg)
{
	unsigned jobs = o->jobs ? o->jobs : 1;
	if (jobs > n)
		jobs = n ? (unsigned)n : 1;
	if (jobs == 1) {
		for (size_t i = 0; i < n; i++) {
			check_capture(o, &rs[i]);
			on_result(arg, i, &rs[i]);
		}
		return 0;
	}
	struct queue q = { .o = o, .rs = rs, .n = n };
	pthread_mutex_init(&q.lock, NULL);
	pthread_cond_init(&q.done, NULL);
	pthread_t *tids = calloc(jobs, sizeof *tids);
	unsigned started = 0;
	for (; tids && started < jobs; started++)
		if (pthread_create(&tids[started], NULL, worker, &q) != 0)
			break;
	if (!started) {  /* no threads to be had: one after the other */
		free(tids);
		pthread_cond_destroy(&q.done);
		pthread_mutex_destroy(&q.lock);
		struct wl_check_opts one = *o;
		one.jobs = 1;
		return wl_check_run(&one, rs, n, on_result, arg);
	}
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&q.lock);
		while (!rs[i].done)
			pthread_cond_wait(&q.done, &q.lock);
		pthread_mutex_unlock(&q.lock);
		on_result(arg, i, &rs[i]);
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
	pthread_cond_destroy(&q.done);
	pthread_mutex_destroy(&q.lock);
	return 0;
}
