/* srv_chrony.c - a real NTP server for the lab: chronyd on udp 127.0.0.1:11123
 * with the local clock as its reference (stratum 10), never touching the
 * system clock (-x), and the `ntp-chrony` exchange: the SNTP client of ntp.c
 * against it. Facts in /work/shared/LAB.md section 10: `cmdport 0` plus
 * `bindcmdaddress /` keep it off /run/chrony, and the state folder belongs to
 * _chrony, to which chronyd drops after binding. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drive.h"

#define CHRONY_PORT 11123

static int start_chrony(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	uint16_t port = ctx->port ? ctx->port : CHRONY_PORT;
	char dir[1024], conf[1024], pid[1024], drift[1024], text[4096];
	if (wl_state_path(dir, sizeof dir, ctx->state_dir, "chrony", NULL) < 0 ||
	    wl_state_path(conf, sizeof conf, ctx->state_dir, "chrony", "chrony.conf") < 0 ||
	    wl_state_path(pid, sizeof pid, ctx->state_dir, "chrony", "chronyd.pid") < 0 ||
	    wl_state_path(drift, sizeof drift, ctx->state_dir, "chrony", "chrony.drift") < 0) {
		snprintf(err, errlen, "cannot make the state folder %s/chrony: %s", ctx->state_dir, strerror(errno));
		return -1;
	}
	snprintf(text, sizeof text,
		 "# chrony.conf - written by wirelab: an NTP server on loopback only\n"
		 "port %u\n"
		 "bindaddress 127.0.0.1\n"
		 "allow 127.0.0.1\n"
		 "local stratum 10\n"
		 "cmdport 0\n"
		 "bindcmdaddress /\n"
		 "pidfile %s\n"
		 "driftfile %s\n",
		 port, pid, drift);
	if (wl_write_file(conf, text, 0644) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", conf, strerror(errno));
		return -1;
	}
	struct passwd *pw = getpwnam("_chrony");
	if (pw && chown(dir, pw->pw_uid, pw->pw_gid) < 0) {
		snprintf(err, errlen, "cannot give %s to _chrony: %s", dir, strerror(errno));
		return -1;
	}
	char *argv[] = { "/usr/sbin/chronyd", "-x", "-d", "-f", conf, NULL };
	pid_t p;
	if (wl_daemon_spawn(ctx->state_dir, "chrony", argv, NULL, &p, err, errlen) < 0)
		return -1;
	if (wl_wait_port("127.0.0.1", port, 1, p, 5000) < 0) {
		snprintf(err, errlen, "chronyd did not bind udp port %u (see %s/chrony.log)", port, dir);
		wl_daemon_stop(ctx->state_dir, "chrony");
		return -1;
	}
	return 0;
}

const struct wl_server wl_server_chrony = {
	.name = "chrony", .desc = "chronyd as an NTP server on udp 11123 (local clock, stratum 10)",
	.packages = "chrony", .binary = "/usr/sbin/chronyd", .port = CHRONY_PORT, .udp = 1,
	.start = start_chrony,
};
