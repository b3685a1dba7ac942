/* loadgen.c - wl_loadgen: loopback traffic at a set packet rate, for the
 * live-capture benchmark (tests/bench/live.sh).
 *
 *   wl_loadgen [-m udp|tcp] [-r PPS|max] [-d SECONDS] [-s BYTES] [-p PORT] [-a ADDR]
 *
 * UDP: datagrams of BYTES payload to ADDR:PORT, sent with sendmmsg() in small
 * batches. A socket of our own is bound to the port and never read, so the
 * datagrams are taken (and dropped at its full buffer) without an ICMP port
 * unreachable for each one, and without spending a core on reading them.
 * TCP: one connection to a listener of our own on ADDR:PORT whose thread reads
 * and discards; the sender writes BYTES per send() with TCP_NODELAY, so on an
 * idle loopback each write is one segment (plus the receiver's ACKs).
 *
 * Pacing: the sender wakes every ~100 us (clock_nanosleep, absolute), and sends
 * what the rate allows up to then; "max" sends without pausing. At the end it
 * prints one line (key=value) with what it actually sent:
 *   loadgen mode=udp asked=100000 sent=400000 errors=0 seconds=4.000 pps=100000
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX 64
#define TICK_NS 100000LL   /* one pacing step: 100 us */

struct opts {
	int tcp;
	uint64_t rate;     /* packets per second, 0: as fast as possible */
	double seconds;
	size_t size;
	uint16_t port;
	const char *addr;
};

struct sink {
	int lfd;
	uint64_t bytes;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_until(int64_t t)
{
	struct timespec ts = { (time_t)(t / 1000000000LL), (long)(t % 1000000000LL) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop_flag)
		;
}

static void usage(FILE *f)
{
	fputs("usage: wl_loadgen [-m udp|tcp] [-r PPS|max] [-d SECONDS] [-s BYTES] [-p PORT] [-a ADDR]\n"
	      "Sends UDP datagrams or TCP writes of BYTES (default 100) to ADDR (127.0.0.1):PORT\n"
	      "(40999) at PPS per second (default 10000; max: unpaced) for SECONDS (3), to a\n"
	      "receiver of its own, then prints what it sent: loadgen mode= asked= sent= ...\n", f);
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ 0, 10000, 3.0, 100, 40999, "127.0.0.1" };
	int c;
	uint64_t v;
	while ((c = getopt(argc, argv, "m:r:d:s:p:a:h")) != -1) {
		switch (c) {
		case 'm':
			if (strcmp(optarg, "udp") && strcmp(optarg, "tcp"))
				return -1;
			o->tcp = strcmp(optarg, "tcp") == 0;
			break;
		case 'r':
			if (strcmp(optarg, "max") == 0)
				o->rate = 0;
			else if (parse_u64(optarg, 1, 100000000, &o->rate) < 0)
				return -1;
			break;
		case 'd': {
			char *end;
			o->seconds = strtod(optarg, &end);
			if (*end || !(o->seconds > 0 && o->seconds <= 3600))
				return -1;
			break;
		}
		case 's':
			if (parse_u64(optarg, 1, 65000, &v) < 0)
				return -1;
			o->size = (size_t)v;
			break;
		case 'p':
			if (parse_u64(optarg, 1, 65535, &v) < 0)
				return -1;
			o->port = (uint16_t)v;
			break;
		case 'a': o->addr = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static int make_addr(const struct opts *o, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons(o->port);
	return inet_pton(AF_INET, o->addr, &sa->sin_addr) == 1 ? 0 : -1;
}

/* How many packets the schedule allows by time t (rate 0: a full batch). */
static uint64_t due(const struct opts *o, int64_t start, int64_t t, uint64_t sent)
{
	if (!o->rate)
		return sent + BATCH_MAX;
	return (uint64_t)((double)(t - start) * (double)o->rate / 1e9);
}

/* ---- UDP ---- */

static int udp_open(const struct opts *o, int *rx)
{
	struct sockaddr_in sa;
	if (make_addr(o, &sa) < 0)
		return -1;
	*rx = socket(AF_INET, SOCK_DGRAM, 0);
	int tx = socket(AF_INET, SOCK_DGRAM, 0);
	if (*rx < 0 || tx < 0 || bind(*rx, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    connect(tx, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "wl_loadgen: udp %s:%u: %s\n", o->addr, o->port, strerror(errno));
		return -1;
	}
	int small = 4096;  /* the receiver holds little: the rest is dropped, unread */
	setsockopt(*rx, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	return tx;
}

static int udp_send(int fd, const uint8_t *payload, size_t size, unsigned n, uint64_t *errors)
{
	struct iovec iov[BATCH_MAX];
	struct mmsghdr mm[BATCH_MAX];
	memset(mm, 0, sizeof mm);
	for (unsigned i = 0; i < n; i++) {
		iov[i] = (struct iovec){ (void *)(uintptr_t)payload, size };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	int r = sendmmsg(fd, mm, n, 0);
	if (r < 0) {
		(*errors)++;   /* ENOBUFS and the like: try again next step */
		return 0;
	}
	return r;
}

/* ---- TCP ---- */

static void *sink_thread(void *arg)
{
	struct sink *s = arg;
	int fd = accept(s->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	static uint8_t buf[1 << 16];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		s->bytes += (uint64_t)n;
	close(fd);
	return NULL;
}

static int tcp_open(const struct opts *o, struct sink *s, pthread_t *th)
{
	struct sockaddr_in sa;
	if (make_addr(o, &sa) < 0)
		return -1;
	int one = 1;
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s->lfd, 1) < 0 ||
	    pthread_create(th, NULL, sink_thread, s) != 0) {
		fprintf(stderr, "wl_loadgen: tcp listen %s:%u: %s\n", o->addr, o->port, strerror(errno));
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "wl_loadgen: tcp connect %s:%u: %s\n", o->addr, o->port, strerror(errno));
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static int tcp_send(int fd, const uint8_t *payload, size_t size, unsigned n, uint64_t *errors)
{
	for (unsigned i = 0; i < n; i++) {
		ssize_t w = send(fd, payload, size, MSG_NOSIGNAL);
		if (w < 0) {
			(*errors)++;
			return (int)i;
		}
		/* a short write still counts as one write; the rest is not resent */
	}
	return (int)n;
}

/* ---- the paced loop ---- */

static uint64_t run(const struct opts *o, int fd, uint64_t *errors, double *secs)
{
	static uint8_t payload[65000];
	for (size_t i = 0; i < sizeof payload; i++)
		payload[i] = (uint8_t)('a' + i % 26);
	int64_t start = now_ns(), end = start + (int64_t)(o->seconds * 1e9);
	int64_t next = start;
	uint64_t sent = 0;
	while (!stop_flag) {
		int64_t t = now_ns();
		if (t >= end)
			break;
		uint64_t want = due(o, start, t, sent);
		while (want > sent && !stop_flag) {
			unsigned n = want - sent > BATCH_MAX ? BATCH_MAX : (unsigned)(want - sent);
			int k = o->tcp ? tcp_send(fd, payload, o->size, n, errors)
				       : udp_send(fd, payload, o->size, n, errors);
			sent += (uint64_t)k;
			if (k < (int)n)
				break;
		}
		if (o->rate) {
			next += TICK_NS;
			if (next < t)
				next = t;  /* fell behind: no burst to catch up beyond one step */
			sleep_until(next < end ? next : end);
		}
	}
	*secs = (double)(now_ns() - start) / 1e9;
	return sent;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_opts(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  /* wake on time, not 50 us late */

	struct sink sk = { -1, 0 };
	pthread_t th;
	int rx = -1;
	int fd = o.tcp ? tcp_open(&o, &sk, &th) : udp_open(&o, &rx);
	if (fd < 0)
		return 1;
	uint64_t errors = 0;
	double secs = 0;
	uint64_t sent = run(&o, fd, &errors, &secs);
	close(fd);
	if (o.tcp) {
		pthread_join(th, NULL);
		close(sk.lfd);
	} else {
		close(rx);
	}
	char asked[32] = "max";
	if (o.rate)
		snprintf(asked, sizeof asked, "%llu", (unsigned long long)o.rate);
	printf("loadgen mode=%s asked=%s sent=%llu errors=%llu seconds=%.3f pps=%.0f size=%zu",
	       o.tcp ? "tcp" : "udp", asked, (unsigned long long)sent, (unsigned long long)errors, secs, (double)sent / secs, o.size);
	if (o.tcp)
		printf(" received_bytes=%llu", (unsigned long long)sk.bytes);
	printf("\n");
	return 0;
}
