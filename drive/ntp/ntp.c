/* ntp.c - wirelab's own SNTP server (RFC 4330 / RFC 5905 server mode 4) and
 * the `ntp` exchange: an SNTP client that sends its clock as T1, reads T2
 * and T3 from the reply, notes T4 on arrival and works out the clock offset
 * and the round-trip delay, printing them as the seeds' ntplib example does.
 *
 * The server's clock is the machine's own (stratum 1, reference "LOCL"): the
 * receive timestamp T2 comes from the kernel's receive time of the request
 * (SO_TIMESTAMPNS), the transmit timestamp T3 is taken just before sendto().
 * It echoes the client's transmit timestamp as the origin timestamp and its
 * version and poll, answers every request (a lab server: no rate limit, no
 * kiss-o'-death) and ignores anything that is not a mode 3 request of at
 * least 48 bytes.
 */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

#define NTP_PORT 1123
#define NTP_1970 2208988800ULL       /* seconds from 1900 to 1970 */
#define NTP_LEN 48
#define SRV_STRATUM 1
#define SRV_PRECISION (-20)          /* about a microsecond */

static uint64_t ntp_from_ts(const struct timespec *t)
{
	uint64_t sec = (uint64_t)t->tv_sec + NTP_1970;
	uint64_t frac = ((uint64_t)t->tv_nsec << 32) / 1000000000u;
	return (sec & 0xFFFFFFFFu) << 32 | frac;
}

static uint64_t ntp_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return ntp_from_ts(&t);
}

/* seconds since 1970 as a double; NTP era 0 (until 2036) */
static double ntp_to_unix(uint64_t v)
{
	return (double)(v >> 32) - (double)NTP_1970 + (double)(v & 0xFFFFFFFFu) / 4294967296.0;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }

/* ---- the server ---- */

static int serve_ntp(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	int fd = wl_udp_socket(host, port);
	if (fd < 0) {
		perror("ntp: bind");
		return 1;
	}
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
	/* the reference time: when this server "synchronized", i.e. started */
	uint64_t reftime = ntp_now();
	fprintf(stderr, "ntp: SNTP server on udp %s:%u, stratum %d, refid LOCL\n", host, port, SRV_STRATUM);
	for (;;) {
		uint8_t req[1024];
		struct sockaddr_storage from;
		char cbuf[256];
		struct iovec iov = { req, sizeof req };
		struct msghdr mh = { &from, sizeof from, &iov, 1, cbuf, sizeof cbuf, 0 };
		ssize_t n = recvmsg(fd, &mh, 0);
		uint64_t t2 = ntp_now();
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof ts);
				t2 = ntp_from_ts(&ts);  /* the kernel's receive time: earlier, better */
			}
		}
		if (n < NTP_LEN || (req[0] & 7) != 3)
			continue;
		uint8_t vn = req[0] >> 3 & 7;
		uint8_t resp[NTP_LEN] = { 0 };
		resp[0] = (uint8_t)(0 << 6 | (vn ? vn : 4) << 3 | 4);  /* LI 0, the client's VN, mode 4 */
		resp[1] = SRV_STRATUM;
		resp[2] = req[2];                                       /* poll: echoed */
		resp[3] = (uint8_t)SRV_PRECISION;
		put32(resp + 4, 0);                                     /* root delay: we are the root */
		put32(resp + 8, 7);                                     /* root dispersion ~0.1 ms */
		memcpy(resp + 12, "LOCL", 4);
		put64(resp + 16, reftime);
		memcpy(resp + 24, req + 40, 8);                         /* origin = client's T1 */
		put64(resp + 32, t2);
		put64(resp + 40, ntp_now());                            /* T3, as late as possible */
		sendto(fd, resp, sizeof resp, 0, (struct sockaddr *)&from, mh.msg_namelen);
	}
}

const struct wl_own_server wl_own_ntp = { "ntp", serve_ntp };

static int start_ntp(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "ntp", ctx->port ? ctx->port : NTP_PORT, 1, err, errlen);
}

const struct wl_server wl_server_ntp = {
	.name = "ntp", .desc = "wirelab's SNTP server (mode 4, stratum 1, refid LOCL)", .packages = "",
	.port = NTP_PORT, .udp = 1, .start = start_ntp,
};

/* ---- the exchange ---- */

static void fmt_time(char *out, size_t n, double unix_s)
{
	time_t s = (time_t)floor(unix_s);
	struct tm tm;
	gmtime_r(&s, &tm);
	char day[32];
	strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(out, n, "%s.%06ld UTC", day, (long)((unix_s - floor(unix_s)) * 1e6));
}

static void refid_text(char *out, size_t n, uint8_t stratum, const uint8_t r[4])
{
	if (stratum <= 1) {
		size_t o = 0;
		for (int i = 0; i < 4 && r[i] >= 0x20 && r[i] < 0x7f; i++)
			out[o++] = (char)r[i];
		out[o] = '\0';
		return;
	}
	snprintf(out, n, "%u.%u.%u.%u", r[0], r[1], r[2], r[3]);
}

static int run_ntp(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	struct sockaddr_in6 to;
	socklen_t tlen = wl_sockaddr(cfg->host, cfg->port, &to);
	int fd = tlen ? socket(((struct sockaddr *)&to)->sa_family, SOCK_DGRAM, 0) : -1;
	if (fd < 0)
		return wl_drive_fail(res, "no UDP socket for %s: %s", cfg->host, strerror(errno));
	struct timeval tv = { 2, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	uint8_t req[NTP_LEN] = { 0 }, resp[512];
	req[0] = 0 << 6 | 4 << 3 | 3;      /* LI 0, VN 4, mode 3 (client) */
	ssize_t n = -1;
	uint64_t t1 = 0, t4 = 0;
	for (int tries = 0; tries < 3 && n < 0; tries++) {
		t1 = ntp_now();
		put64(req + 40, t1);
		if (sendto(fd, req, sizeof req, 0, (struct sockaddr *)&to, tlen) < 0)
			break;
		n = recv(fd, resp, sizeof resp, 0);
		t4 = ntp_now();
		if (n >= NTP_LEN && get64(resp + 24) != t1)
			n = -1;  /* not the answer to this request */
	}
	close(fd);
	if (n < NTP_LEN)
		return wl_drive_fail(res, "no NTP answer from %s:%u", cfg->host, cfg->port);
	uint8_t stratum = resp[1];
	int8_t prec = (int8_t)resp[3];
	double rdelay = get32(resp + 4) / 65536.0, rdisp = get32(resp + 8) / 65536.0;
	double T1 = ntp_to_unix(t1), T2 = ntp_to_unix(get64(resp + 32)), T3 = ntp_to_unix(get64(resp + 40)),
	       T4 = ntp_to_unix(t4), ref = ntp_to_unix(get64(resp + 16));
	double offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) - (T3 - T2);
	char rid[32], a[64], b[64];
	refid_text(rid, sizeof rid, stratum, resp + 12);
	if (stratum == 0) {
		fprintf(cfg->out, "kiss-o'-death from the server: %s\n", rid);
		return wl_drive_fail(res, "kiss-o'-death %s", rid);
	}
	fmt_time(a, sizeof a, T3);
	fprintf(cfg->out, "received time: %s (server mode %u, version %u)\n", a, resp[0] & 7, resp[0] >> 3 & 7);
	fprintf(cfg->out, "reference clock: %s\n", rid);
	fprintf(cfg->out, "stratum: %u\n", stratum);
	fmt_time(b, sizeof b, ref);
	fprintf(cfg->out, "last update: %s\n", b);
	fprintf(cfg->out, "T1 client sent:     %.6f\nT2 server received: %.6f\nT3 server sent:     %.6f\nT4 client received: %.6f\n",
		T1, T2, T3, T4);
	fprintf(cfg->out, "offset: %+.6f s  = ((T2 - T1) + (T3 - T4)) / 2\n", offset);
	fprintf(cfg->out, "delay: %.6f s  = (T4 - T1) - (T3 - T2)\n", delay);
	fprintf(cfg->out, "precision: 2^%d s = %.9f s\n", prec, ldexp(1.0, prec));
	fprintf(cfg->out, "root delay: %.6f s\n", rdelay);
	fprintf(cfg->out, "root dispersion: %.6f s\n", rdisp);
	wl_drive_fact(res, "stratum %u, reference %s", stratum, rid);
	wl_drive_fact(res, "offset %+.6f s, delay %.6f s", offset, delay);
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_ntp = {
	.name = "ntp", .desc = "SNTP client: the four timestamps, clock offset and round-trip delay",
	.server = "ntp", .port = NTP_PORT, .bpf = "udp port %u", .run = run_ntp,
};

const struct wl_driver wl_driver_ntp_chrony = {
	.name = "ntp-chrony", .desc = "the same SNTP client against a real chronyd (stratum 10, local clock)",
	.server = "chrony", .port = 11123, .bpf = "udp port %u", .run = run_ntp,
};
