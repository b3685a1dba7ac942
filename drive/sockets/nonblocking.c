/* nonblocking.c - a non-blocking connect against a non-blocking listening
 * socket whose owner is slow to accept(): connect() returns EINPROGRESS, poll()
 * reports completion, and the trace shows the kernel finished the handshake
 * (and even acknowledged the client's data) before the application called
 * accept(). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

#define ACCEPT_DELAY_MS 300

static int serve_nb(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	int lfd = wl_tcp_listen(host, port, 16);
	if (lfd < 0 || fcntl(lfd, F_SETFL, O_NONBLOCK) < 0) {
		perror("nonblocking: listen");
		return 1;
	}
	for (;;) {
		struct pollfd pf = { lfd, POLLIN, 0 };
		if (poll(&pf, 1, -1) < 0)
			continue;
		wl_sleep_ms(ACCEPT_DELAY_MS);  /* busy elsewhere: the kernel does not wait for us */
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;  /* EAGAIN: someone else took it, or it went away */
		fcntl(fd, F_SETFL, 0);
		/* one client at a time: a silent or trickling one gets 2 s in all */
		int64_t deadline = wl_now_us() + 2000000;
		char buf[512];
		ssize_t n = wl_recv_msg_by(fd, buf, sizeof buf - 1, deadline);
		if (n >= 0)
			wl_send_all_by(fd, buf, (size_t)n + 1, deadline);
		close(fd);
	}
}

const struct wl_own_server wl_own_nonblocking = { "nonblocking", serve_nb };

static int start_nb(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "nonblocking", ctx->port ? ctx->port : 4045, 0, err, errlen);
}

const struct wl_server wl_server_nonblocking = {
	.name = "nonblocking", .desc = "wirelab's slow-to-accept non-blocking server", .packages = "",
	.port = 4045, .start = start_nb,
};

static int run_nb(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	struct sockaddr_in6 to;
	socklen_t tlen = wl_sockaddr(cfg->host, cfg->port, &to);
	int fd = tlen ? socket(((struct sockaddr *)&to)->sa_family, SOCK_STREAM | SOCK_NONBLOCK, 0) : -1;
	if (fd < 0)
		return wl_drive_fail(res, "socket: %s", strerror(errno));
	int64_t t0 = wl_now_us();
	int r = connect(fd, (struct sockaddr *)&to, tlen);
	int e = errno;
	fprintf(cfg->out, "connect() returned %d (%s)\n", r, r < 0 ? strerror(e) : "at once");
	if (r < 0 && e != EINPROGRESS) {
		close(fd);
		return wl_drive_fail(res, "connect: %s", strerror(e));
	}
	struct pollfd pf = { fd, POLLOUT, 0 };
	poll(&pf, 1, 5000);
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	int64_t t1 = wl_now_us();
	fprintf(cfg->out, "poll() says writable after %lld us, SO_ERROR %d (%s)\n",
		(long long)(t1 - t0), soerr, soerr ? strerror(soerr) : "connected");
	if (soerr) {
		close(fd);
		return wl_drive_fail(res, "connect: %s", strerror(soerr));
	}
	fcntl(fd, F_SETFL, 0);
	static const char msg[] = "sent before the server called accept()";
	char buf[128];
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	ssize_t n = wl_send_all(fd, msg, sizeof msg) == 0 ? wl_recv_msg(fd, buf, sizeof buf - 1) : -1;
	int64_t t2 = wl_now_us();
	close(fd);
	if (n < 0)
		return wl_drive_fail(res, "no echo from the server");
	fprintf(cfg->out, "echo \"%s\" came back after %lld ms: the server accepted %d ms late\n", buf,
		(long long)(t2 - t0) / 1000, ACCEPT_DELAY_MS);
	wl_drive_fact(res, "connect() -> EINPROGRESS; connected after %lld us, long before accept()",
		      (long long)(t1 - t0));
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_nonblocking = {
	.name = "nonblocking", .desc = "non-blocking connect against a server slow to accept()",
	.server = "nonblocking", .port = 4045, .bpf = "tcp port %u", .run = run_nb,
};
