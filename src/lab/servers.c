/* servers.c - the lab's servers: the state folder they keep their files in,
 * starting one unless it runs, and the verbs of `wirelab servers` (up, down,
 * status), each one line on stdout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

const char *wl_lab_state_dir(const char *opt, char *buf, size_t n, char *err, size_t errlen)
{
	const char *env = getenv("WIRELAB_STATE");
	if (opt)
		snprintf(buf, n, "%s", opt);
	else if (env && *env)
		snprintf(buf, n, "%s", env);
	else if (geteuid() == 0)
		snprintf(buf, n, "/run/wirelab");
	else
		snprintf(buf, n, "/tmp/wirelab-%u", (unsigned)geteuid());
	if (wl_mkdirs(buf, 0755) < 0 || access(buf, W_OK) < 0) {
		snprintf(err, errlen, "lab state folder %s is not writable: %s (use --state DIR)", buf,
			 strerror(errno));
		return NULL;
	}
	return buf;
}

const char *wl_self_exe(char *buf, size_t n)
{
	ssize_t k = readlink("/proc/self/exe", buf, n - 1);
	if (k <= 0)
		return "wirelab";
	buf[k] = '\0';
	return buf;
}

int wl_lab_ensure_server(const struct wl_server *s, const struct wl_server_ctx *sc, int *started,
			 char *err, size_t errlen)
{
	*started = 0;
	if (s->binary && access(s->binary, X_OK) != 0) {
		snprintf(err, errlen, "%s is not installed: apt-get install %s", s->binary, s->packages);
		return 1;
	}
	if (wl_daemon_alive(sc->state_dir, s->name) > 0)
		return 0;
	uint16_t port = sc->port ? sc->port : s->port;
	if (wl_port_in_use(port, s->udp)) {
		snprintf(err, errlen, "port %u is busy: another process %s it (stop it, or use --server)",
			 port, s->udp ? "has bound" : "listens on");
		return 2;
	}
	if (s->start(sc, err, errlen) < 0)
		return 2;
	*started = 1;
	return 0;
}

int wl_lab_server_up(const struct wl_server *s, const struct wl_server_ctx *sc)
{
	char err[512];
	int started;
	int r = wl_lab_ensure_server(s, sc, &started, err, sizeof err);
	if (r == 1) {
		printf("%-14s skipped: %s\n", s->name, err);
		return WL_EXIT_OK;
	}
	if (r) {
		printf("%-14s FAILED: %s\n", s->name, err);
		return WL_EXIT_FAIL;
	}
	printf("%-14s %s on 127.0.0.1:%u/%s\n", s->name, started ? "started" : "already running",
	       s->port, s->udp ? "udp" : "tcp");
	return WL_EXIT_OK;
}

int wl_lab_server_down(const struct wl_server *s, const struct wl_server_ctx *sc)
{
	int n = wl_daemon_stop(sc->state_dir, s->name);
	if (s->stopped)
		s->stopped(sc);
	printf("%-14s %s\n", s->name, n ? "stopped" : "was not running");
	return WL_EXIT_OK;
}

int wl_lab_server_status(const struct wl_server *s, const struct wl_server_ctx *sc)
{
	int alive = wl_daemon_alive(sc->state_dir, s->name);
	int listening = wl_port_in_use(s->port, s->udp);
	printf("%-14s %-8s 127.0.0.1:%u/%s %s  %s\n", s->name, alive ? "running" : "stopped", s->port,
	       s->udp ? "udp" : "tcp", listening ? "(in use)" : "(free)", s->desc);
	return WL_EXIT_OK;
}
