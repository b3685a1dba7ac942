/* chat_compare.c - `wirelab chat-load --compare`: the same load against each
 * chat architecture in turn (threads, poll, epoll, libuv, libevent, TLS), one
 * server at a time on loopback so that none competes with another for the
 * two cores, and one report: a table, JSON Lines, or an SVG of the latency
 * distributions side by side (chat_report.c).
 *
 * A server that `wirelab servers up` started is used as it is (its PID from
 * <state>/<name>/pids); any other is started for its turn, as `wirelab lab`
 * starts a lab's server, and stopped after it, so each one begins empty and
 * its VmHWM is the peak of this load alone.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_load.h"
#include "chat_report.h"
#include "drive.h"

static const char *const all_servers[] = {
	"chat-threaded", "chat-poll", "chat-epoll", "chat-uv", "chat-event", "chat-tls", NULL,
};

/* "epoll" or "chat-epoll": the server's full name, or NULL. */
static const char *chat_server_name(const char *word, size_t len)
{
	for (const char *const *s = all_servers; *s; s++) {
		size_t full = strlen(*s);
		if ((len == full && strncmp(word, *s, len) == 0) ||
		    (len == full - 5 && strncmp(word, *s + 5, len) == 0))
			return *s;
	}
	return NULL;
}

/* The servers to run, in the order of all_servers; 0 if one is unknown. */
static int pick(const char *list, const char **out)
{
	int n = 0;
	for (const char *const *s = all_servers; *s; s++) {
		int want = !list;
		for (const char *p = list; p && *p;) {
			size_t len = strcspn(p, ",");
			want |= chat_server_name(p, len) == *s;
			p += len + (p[len] == ',');
		}
		if (want)
			out[n++] = *s;
	}
	return n;
}

const char *wl_chat_compare_check(const struct wl_chat_compare_cfg *cfg)
{
	for (const char *p = cfg->servers; p && *p;) {
		size_t len = strcspn(p, ",");
		if (!chat_server_name(p, len))
			return "--servers names threaded, poll, epoll, uv, event or tls";
		p += len + (p[len] == ',');
	}
	const char *bad = wl_chat_load_check(&cfg->load);
	return bad ? bad : NULL;
}

/* The first live PID `wirelab servers up` recorded for name, or 0. */
static pid_t recorded_pid(const char *state_dir, const char *name)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/%s/pids", state_dir, name) >= (int)sizeof path)
		return 0;
	FILE *fp = fopen(path, "r");
	int v;
	pid_t pid = 0;
	while (fp && !pid && fscanf(fp, "%d", &v) == 1)
		if (v > 1 && kill((pid_t)v, 0) == 0)
			pid = (pid_t)v;
	if (fp)
		fclose(fp);
	return pid;
}

/* One server's turn: started unless running, loaded, stopped if started. */
static int run_one(const struct wl_chat_compare_cfg *cfg, const char *name, struct wl_chat_row *row,
		   FILE *log)
{
	const struct wl_server *s = wl_server_find(name);
	row->server = name;
	row->port = s ? s->port : 0;
	if (!s) {
		snprintf(row->fig.why, sizeof row->fig.why, "not a lab server");
		return 2;
	}
	struct wl_server_ctx sc = { cfg->state_dir, cfg->self_exe, 0 };
	int started = 0;
	pid_t pid = recorded_pid(cfg->state_dir, name);
	if (!pid) {
		char err[512];
		if (wl_port_in_use(s->port, 0)) {
			snprintf(row->fig.why, sizeof row->fig.why, "port %u is busy (not a server of ours)",
				 s->port);
			return 2;
		}
		if (s->start(&sc, err, sizeof err) < 0) {
			snprintf(row->fig.why, sizeof row->fig.why, "%.190s", err);
			return 2;
		}
		started = 1;
		pid = recorded_pid(cfg->state_dir, name);
	}
	struct wl_chat_load_opts o = cfg->load;
	o.tls = strcmp(name, "chat-tls") == 0;
	fprintf(log, "%s: %d clients on 127.0.0.1:%u (%s)...\n", name, o.clients, s->port,
		started ? "started for this run" : "already running");
	fflush(log);
	int rc = wl_chat_load_run("127.0.0.1", s->port, pid, started, &o, &row->fig);
	row->measured = rc >= 0;
	if (started)
		wl_daemon_stop(cfg->state_dir, name);
	return rc < 0 ? 1 : rc;
}

int wl_chat_compare(const struct wl_chat_compare_cfg *cfg, FILE *out, FILE *log)
{
	const char *names[8];
	int n = pick(cfg->servers, names), worst = 0;
	struct wl_chat_row rows[8];
	memset(rows, 0, sizeof rows);
	for (int i = 0; i < n; i++) {
		int rc = run_one(cfg, names[i], &rows[i], log);
		worst = rc > worst ? rc : worst;
		if (rows[i].fig.why[0])
			fprintf(log, "%s: %s\n", names[i], rows[i].fig.why);
	}
	wl_chat_report(out, cfg->report, &cfg->load, rows, n);
	return worst;
}
