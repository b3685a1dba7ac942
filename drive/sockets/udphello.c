/* udphello.c - the seeds' UDP exchange: "Hello UDP server" answered by
 * "UDP server sending data"; no connection, no acknowledgement. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

static const char hello[] = "Hello UDP server";
static const char reply[] = "UDP server sending data";

static int serve_udp(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	int fd = wl_udp_socket(host, port);
	if (fd < 0) {
		perror("udp-hello: bind");
		return 1;
	}
	for (;;) {
		char buf[2048];
		struct sockaddr_storage from;
		socklen_t flen = sizeof from;
		ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		sendto(fd, reply, sizeof reply - 1, 0, (struct sockaddr *)&from, flen);
	}
}

const struct wl_own_server wl_own_udp_hello = { "udp-hello", serve_udp };

static int start_udp(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "udp-hello", ctx->port ? ctx->port : 12346, 1, err, errlen);
}

const struct wl_server wl_server_udp_hello = {
	.name = "udp-hello", .desc = "wirelab's UDP hello server", .packages = "",
	.port = 12346, .udp = 1, .start = start_udp,
};

static int run_udp(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	struct sockaddr_in6 to;
	socklen_t tlen = wl_sockaddr(cfg->host, cfg->port, &to);
	int fd = tlen ? socket(((struct sockaddr *)&to)->sa_family, SOCK_DGRAM, 0) : -1;
	if (fd < 0)
		return wl_drive_fail(res, "no UDP socket for %s: %s", cfg->host, strerror(errno));
	struct timeval tv = { 2, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char buf[256];
	ssize_t n = -1;
	for (int tries = 0; tries < 3 && n < 0; tries++) {
		/* UDP may lose the datagram: nobody but us will send it again */
		sendto(fd, hello, sizeof hello - 1, 0, (struct sockaddr *)&to, tlen);
		n = recv(fd, buf, sizeof buf - 1, 0);
	}
	close(fd);
	if (n < 0)
		return wl_drive_fail(res, "no answer from %s:%u after 3 tries", cfg->host, cfg->port);
	buf[n] = '\0';
	fprintf(cfg->out, "sent \"%s\", received \"%s\"\n", hello, buf);
	wl_drive_fact(res, "one datagram each way, %zd bytes back", n);
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_udp_hello = {
	.name = "udp-hello", .desc = "one UDP datagram each way: no handshake, no ACK",
	.server = "udp-hello", .port = 12346, .bpf = "udp port %u", .run = run_udp,
};
