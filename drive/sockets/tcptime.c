/* tcptime.c - the seeds' TCP time service: the client sends a request line,
 * the server answers each with the current time; "END" makes it close. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

static void time_client(int fd)
{
	char line[256];
	while (wl_recv_line(fd, line, sizeof line - 1) >= 0) {
		line[strcspn(line, "\r")] = '\0';
		if (strcmp(line, "END") == 0)
			break;
		time_t now = time(NULL);
		struct tm tm;
		char out[64];
		strftime(out, sizeof out, "%a %b %d %H:%M:%S %Y UTC\n", gmtime_r(&now, &tm));
		if (wl_send_all(fd, out, strlen(out)) < 0)
			break;
	}
	close(fd);
}

static int serve_time(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	return wl_serve_threads(host, port, "tcp-time", time_client);
}

const struct wl_own_server wl_own_tcp_time = { "tcp-time", serve_time };

static int start_time(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "tcp-time", ctx->port ? ctx->port : 12345, 0, err, errlen);
}

const struct wl_server wl_server_tcp_time = {
	.name = "tcp-time", .desc = "wirelab's TCP time server", .packages = "",
	.port = 12345, .start = start_time,
};

static int run_time(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	int fd = wl_tcp_connect(cfg->host, cfg->port, 5000);
	if (fd < 0)
		return wl_drive_fail(res, "connect %s:%u: %s", cfg->host, cfg->port, strerror(errno));
	for (int i = 0; i < 2; i++) {
		char line[128];
		if (wl_send_all(fd, "What time is it?\n", 17) < 0 ||
		    wl_recv_line(fd, line, sizeof line - 1) < 0) {
			close(fd);
			return wl_drive_fail(res, "no answer from the time server");
		}
		fprintf(cfg->out, "the server says: %s\n", line);
		wl_sleep_ms(50);
	}
	wl_send_all(fd, "END\n", 4);
	char b;
	ssize_t r = recv(fd, &b, 1, 0);  /* the server closes after END */
	close(fd);
	wl_drive_fact(res, "2 requests answered, END closed the connection%s", r == 0 ? "" : " (late)");
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_tcp_time = {
	.name = "tcp-time", .desc = "ask the TCP time server twice, then END",
	.server = "tcp-time", .port = 12345, .bpf = "tcp port %u", .run = run_time,
};
