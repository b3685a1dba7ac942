/* echo.c - the seeds' echo protocol over TCP: one UTF-8 message ended by a
 * NUL byte per connection, answered with the same bytes. Two servers (an
 * iterative one that serves one client at a time, and one thread per client)
 * and the `echo`/`echo-threaded` exchanges, which run several clients at once
 * so the trace shows the difference: with the iterative server the second
 * client waits for the first. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

#define ECHO_MAX 65536       /* longest message a server accepts */
#define ECHO_WORK_MS 150     /* the "work" a request takes, so waiting shows */
#define ECHO_CLIENTS 3
/* The whole message must arrive within this of the accept, and the answer
 * be taken within as long (not per read or write): a client sending or
 * reading a byte a second, or nothing, cannot hold a connection (with the
 * iterative server: the whole server) longer. */
#define ECHO_DEADLINE_MS 2000

/* Serves one connection: read to the NUL, answer, close. A message over the
 * limit gets an error line instead; a client that vanishes is just closed. */
static void echo_serve_client(int fd)
{
	int64_t deadline = wl_now_us() + ECHO_DEADLINE_MS * 1000LL;
	char *buf = malloc(ECHO_MAX + 1);
	ssize_t n = buf ? wl_recv_msg_by(fd, buf, ECHO_MAX, deadline) : -1;
	/* nor can a client that never reads its answer, or reads it slowly */
	deadline = wl_now_us() + ECHO_DEADLINE_MS * 1000LL;
	if (n == -2) {
		static const char too_long[] = "* error: message longer than 65536 bytes";
		wl_send_all_by(fd, too_long, sizeof too_long, deadline);
	} else if (n >= 0) {
		wl_sleep_ms(ECHO_WORK_MS);
		buf[n] = '\0';
		wl_send_all_by(fd, buf, (size_t)n + 1, deadline + ECHO_WORK_MS * 1000LL);
	}
	free(buf);
	close(fd);
}

static int serve_iterative(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	int lfd = wl_tcp_listen(host, port, 16);
	if (lfd < 0) {
		perror("echo: listen");
		return 1;
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("echo: accept");
			return 1;
		}
		echo_serve_client(fd);
	}
}

static int serve_threaded(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	return wl_serve_threads(host, port, "echo-threaded", echo_serve_client);
}

const struct wl_own_server wl_own_echo = { "echo", serve_iterative };
const struct wl_own_server wl_own_echo_threaded = { "echo-threaded", serve_threaded };

static int start_echo(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "echo", ctx->port ? ctx->port : 4040, 0, err, errlen);
}

static int start_echo_threaded(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "echo-threaded", ctx->port ? ctx->port : 4041, 0, err, errlen);
}

const struct wl_server wl_server_echo = {
	.name = "echo", .desc = "wirelab's iterative echo server (one client at a time)",
	.packages = "", .port = 4040, .start = start_echo,
};
const struct wl_server wl_server_echo_threaded = {
	.name = "echo-threaded", .desc = "wirelab's echo server, one thread per client",
	.packages = "", .port = 4041, .start = start_echo_threaded,
};

/* ---- the exchange ---- */

struct echo_client {
	const struct wl_drive_cfg *cfg;
	int id;
	int ok;
	int64_t start_us, done_us;
	char reply[256];
	char err[128];
};

static void *echo_client_run(void *arg)
{
	struct echo_client *c = arg;
	char msg[128];
	snprintf(msg, sizeof msg, "Grüße from client %d", c->id);
	c->start_us = wl_now_us();
	int fd = wl_tcp_connect(c->cfg->host, c->cfg->port, 10000);
	if (fd < 0) {
		snprintf(c->err, sizeof c->err, "connect: %s", strerror(errno));
		return NULL;
	}
	ssize_t n = -1;
	if (wl_send_all(fd, msg, strlen(msg) + 1) == 0)
		n = wl_recv_msg(fd, c->reply, sizeof c->reply - 1);
	close(fd);
	c->done_us = wl_now_us();
	if (n < 0)
		snprintf(c->err, sizeof c->err, "no reply");
	else if (strcmp(c->reply, msg) != 0)
		snprintf(c->err, sizeof c->err, "reply differs: %.60s", c->reply);
	else
		c->ok = 1;
	return NULL;
}

static int run_echo(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	struct echo_client cl[ECHO_CLIENTS];
	pthread_t th[ECHO_CLIENTS];
	for (int i = 0; i < ECHO_CLIENTS; i++) {
		cl[i] = (struct echo_client){ .cfg = cfg, .id = i + 1 };
		if (pthread_create(&th[i], NULL, echo_client_run, &cl[i]) != 0)
			return wl_drive_fail(res, "cannot start client thread");
		wl_sleep_ms(20);  /* in order, but all before the first answer */
	}
	int ok = 1;
	for (int i = 0; i < ECHO_CLIENTS; i++) {
		pthread_join(th[i], NULL);
		double secs = (double)(cl[i].done_us - cl[i].start_us) / 1e6;
		if (cl[i].ok) {
			fprintf(cfg->out, "client %d: sent and got back \"%s\" after %.2f s\n", cl[i].id,
				cl[i].reply, secs);
			wl_drive_fact(res, "client %d answered after %.2f s", cl[i].id, secs);
		} else {
			fprintf(cfg->out, "client %d: %s\n", cl[i].id, cl[i].err);
			ok = 0;
		}
	}
	if (!ok)
		return wl_drive_fail(res, "not every client got its message back");
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_echo = {
	.name = "echo", .desc = "three clients at once against the iterative echo server",
	.server = "echo", .port = 4040, .bpf = "tcp port %u", .run = run_echo,
};
const struct wl_driver wl_driver_echo_threaded = {
	.name = "echo-threaded", .desc = "three clients at once against the thread-per-client echo server",
	.server = "echo-threaded", .port = 4041, .bpf = "tcp port %u", .run = run_echo,
};
