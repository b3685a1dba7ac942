/* chat_load.c - the chat load with latency (see chat_load.h).
 *
 * One thread drives every client through one epoll set, so the clients cost
 * the measurement one core at most and their clock is one clock: a message
 * carries its sender, its number and the time it was handed to the socket
 *
 *   m<sender>.<number>.<microseconds since the run began>:xxxx...xxx\0
 *
 * padded to the size asked for, and the latency of a delivery is the time
 * its bytes came out of recv() minus that. Client i sends its message k at
 * (k + i/N) / rate seconds after the start, so the N clients' sends are
 * spread evenly over each period instead of arriving in bursts. Every
 * member checks each sender's numbers: the next one expected is counted as
 * delivered, a later one too (the ones skipped are lost), an earlier one is
 * a duplicate or out of order. Sockets are non-blocking with a write queue
 * per client, so a server that stops reading a client (backpressure) delays
 * that client's messages instead of blocking every client. The run ends when
 * every member still connected has every message sent, when none is
 * connected, or at the time limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "chat_load.h"
#include "sock.h"

#define CARRY_MAX (WL_CHAT_LOAD_MAX_SIZE + 1)  /* a message cut by a read, kept for the next */
#define READ_CHUNK 65536
#define READS_PER_TURN 8                       /* per client per wakeup: the others get a turn */
#define SAMPLE_US 100000                       /* /proc is read every 100 ms */

/* q of each percentile in thousandths, so that ranks are computed in integers */
static const uint64_t lat_permille[WL_LAT_N] = { 0, 100, 250, 500, 750, 900, 990, 999, 1000 };
const char *const wl_chat_lat_name[WL_LAT_N] = { "min", "p10", "p25", "p50", "p75",
						 "p90", "p99", "p99.9", "max" };

struct lconn {
	int fd;
	SSL *ssl;
	int open;
	int want_out;            /* EPOLLOUT registered */
	char *out;               /* its messages not yet taken by the kernel */
	size_t out_len, out_off, out_cap;
	uint64_t bytes_sent;
	uint64_t delivered;
	char carry[CARRY_MAX];
	size_t carry_len;
};

struct load {
	const struct wl_chat_load_opts *o;
	struct wl_chat_load_figures *f;
	size_t msg_len;          /* with its NUL */
	struct lconn *c;
	int n;                   /* joined */
	uint32_t *next;          /* [receiver * clients + sender]: the number expected next */
	uint32_t *lat;           /* every delivery's latency, us */
	uint64_t nlat, cap_lat;
	int ep;
	SSL_CTX *ctx;
	int64_t base_us;         /* time 0 of the messages' clock */
	int64_t last_delivery_us;
	char *rbuf;              /* READ_CHUNK + CARRY_MAX */
	pid_t server;
};

const char *wl_chat_load_check(const struct wl_chat_load_opts *o)
{
	if (o->clients < 1 || o->clients > WL_CHAT_LOAD_MAX_CLIENTS)
		return "--clients is 1..2000";
	if (o->messages < 1 || o->messages > 100000)
		return "--messages is 1..100000";
	if (o->size < WL_CHAT_LOAD_MIN_SIZE || o->size > WL_CHAT_LOAD_MAX_SIZE)
		return "--size is 32..4096 bytes";
	if (!(o->rate >= 0.01 && o->rate <= 1000))
		return "--rate is 0.01..1000 messages a second per client";
	if (o->time_limit_s < 1 || o->time_limit_s > 3600)
		return "--time-limit is 1..3600 seconds";
	if ((uint64_t)o->clients * (uint64_t)o->clients * (uint64_t)o->messages >
	    WL_CHAT_LOAD_MAX_DELIVERIES)
		return "clients x clients x messages is at most 20,000,000 deliveries";
	return NULL;
}

/* ---- the server's figures, from /proc ---- */

static void proc_status(pid_t pid, long *rss_kib, long *hwm_kib, int *threads)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return;
	while (fgets(line, sizeof line, fp)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*rss_kib = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm_kib = strtol(line + 6, NULL, 10);
		else if (strncmp(line, "Threads:", 8) == 0)
			*threads = (int)strtol(line + 8, NULL, 10);
	}
	fclose(fp);
}

/* utime + stime (fields 14 and 15 of /proc/PID/stat) in seconds, or -1. */
static double proc_cpu_s(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* the name in parentheses may hold spaces: count fields after its ')' */
	char *p = strrchr(buf, ')');
	unsigned long long ut, st;
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void sample_server(struct load *L)
{
	long rss = 0, hwm = 0;
	int threads = 0;
	if (L->server <= 0)
		return;
	proc_status(L->server, &rss, &hwm, &threads);
	if (rss > L->f->server_rss_kib)
		L->f->server_rss_kib = rss;
	if (threads > L->f->server_threads)
		L->f->server_threads = threads;
}

/* ---- one client's connection ---- */

static void conn_lost(struct load *L, struct lconn *c)
{
	if (!c->open)
		return;
	c->open = 0;
	epoll_ctl(L->ep, EPOLL_CTL_DEL, c->fd, NULL);
	L->f->dropped++;
}

/* EPOLLOUT only while something waits to be sent: one epoll_ctl per change. */
static void want_out(struct load *L, struct lconn *c, int want)
{
	if (want == c->want_out || !c->open)
		return;
	struct epoll_event ev = { .events = EPOLLIN | (want ? EPOLLOUT : 0),
				  .data.u32 = (uint32_t)(c - L->c) };
	epoll_ctl(L->ep, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_out = want;
}

/* Bytes written (> 0), 0 when the socket is full, -1 when the connection is gone. */
static ssize_t conn_write(struct lconn *c, const char *p, size_t n)
{
	if (!c->ssl) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w >= 0)
			return w;
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
	}
	int w = SSL_write(c->ssl, p, n > 65536 ? 65536 : (int)n);
	if (w > 0)
		return w;
	int e = SSL_get_error(c->ssl, w);
	ERR_clear_error();
	return e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? 0 : -1;
}

/* Bytes read (> 0), 0 when nothing is there, -1 at the end or on an error. */
static ssize_t conn_recv(struct lconn *c, char *p, size_t n)
{
	if (!c->ssl) {
		ssize_t r = recv(c->fd, p, n, MSG_DONTWAIT);
		if (r > 0)
			return r;
		return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
	}
	int r = SSL_read(c->ssl, p, (int)n);
	if (r > 0)
		return r;
	int e = SSL_get_error(c->ssl, r);
	ERR_clear_error();
	return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

/* conn_recv, then an ACK at once for what came (unless --delayed-ack): the
 * chat-threaded/poll/epoll and chat-tls servers leave Nagle's algorithm on,
 * so their next small segment waits for our ACK, which Linux delays up to
 * 40 ms; TCP_QUICKACK is not sticky, so it is set again after each read. */
static void ack_now(const struct load *L, const struct lconn *c)
{
	int one = 1;
	if (!L->o->delayed_ack)
		setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

static ssize_t conn_read(const struct load *L, struct lconn *c, char *p, size_t n)
{
	ssize_t r = conn_recv(c, p, n);
	if (r > 0)
		ack_now(L, c);
	return r;
}

static void flush(struct load *L, struct lconn *c)
{
	while (c->open && c->out_off < c->out_len) {
		ssize_t w = conn_write(c, c->out + c->out_off, c->out_len - c->out_off);
		if (w < 0) {
			conn_lost(L, c);
			return;
		}
		if (w == 0)
			break;
		c->out_off += (size_t)w;
		c->bytes_sent += (uint64_t)w;
	}
	if (c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	want_out(L, c, c->out_len > 0);
}

/* Client i's message number seq, stamped now, queued and sent as far as the
 * socket takes it. */
static void send_msg(struct load *L, int i, uint32_t seq)
{
	struct lconn *c = &L->c[i];
	if (!c->open)
		return;
	if (c->out_len + L->msg_len > c->out_cap) {
		if (c->out_off) {
			memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
			c->out_len -= c->out_off;
			c->out_off = 0;
		}
		size_t cap = c->out_cap ? c->out_cap : 4 * L->msg_len;
		while (cap < c->out_len + L->msg_len)
			cap *= 2;
		char *nb = realloc(c->out, cap);
		if (!nb) {
			conn_lost(L, c);
			return;
		}
		c->out = nb;
		c->out_cap = cap;
	}
	char *m = c->out + c->out_len;
	int k = snprintf(m, L->msg_len, "m%d.%u.%lld:", i, seq, (long long)(wl_now_us() - L->base_us));
	memset(m + k, 'x', L->msg_len - 1 - (size_t)k);
	m[L->msg_len - 1] = '\0';
	c->out_len += L->msg_len;
	flush(L, c);
}

/* The unsigned number at *p up to the byte end; -1 if there is none. */
static long long take_num(const char **p, const char *limit, char end)
{
	long long v = 0;
	const char *s = *p;
	if (s >= limit || *s < '0' || *s > '9')
		return -1;
	while (s < limit && *s >= '0' && *s <= '9' && v < (1LL << 50))
		v = v * 10 + (*s++ - '0');
	if (s >= limit || *s != end)
		return -1;
	*p = s + 1;
	return v;
}

/* One message received by member r at now_us. */
static void on_message(struct load *L, struct lconn *r, const char *p, size_t n, int64_t now_us)
{
	if (n && p[0] == '*')
		return;  /* the server's words: "* welcome ..." */
	const char *end = p + n, *s = p + 1;
	long long from = -1, seq = -1, at = -1;
	if (n && p[0] == 'm' && (from = take_num(&s, end, '.')) >= 0 && (seq = take_num(&s, end, '.')) >= 0)
		at = take_num(&s, end, ':');
	if (at < 0 || from >= L->n || seq >= L->o->messages) {
		L->f->disorder++;  /* not a message of this run */
		return;
	}
	uint32_t *next = &L->next[(size_t)(r - L->c) * (size_t)L->o->clients + (size_t)from];
	if ((uint32_t)seq < *next) {
		L->f->disorder++;
		return;
	}
	if ((uint32_t)seq > *next)
		L->f->disorder++;  /* the ones between are lost */
	*next = (uint32_t)seq + 1;
	r->delivered++;
	L->f->delivered++;
	int64_t us = now_us - L->base_us - at;
	if (L->nlat < L->cap_lat)
		L->lat[L->nlat++] = us < 0 ? 0 : us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
	L->last_delivery_us = now_us;
}

/* Reads what member r has, up to a few reads, and takes every whole message. */
static void on_readable(struct load *L, struct lconn *r)
{
	for (int round = 0; round < READS_PER_TURN && r->open; round++) {
		memcpy(L->rbuf, r->carry, r->carry_len);
		ssize_t k = conn_read(L, r, L->rbuf + r->carry_len, READ_CHUNK);
		if (k < 0)
			conn_lost(L, r);
		if (k <= 0)
			return;
		int64_t now = wl_now_us();
		size_t len = r->carry_len + (size_t)k, start = 0;
		for (;;) {
			const char *nul = memchr(L->rbuf + start, '\0', len - start);
			if (!nul)
				break;
			size_t mlen = (size_t)(nul - (L->rbuf + start));
			on_message(L, r, L->rbuf + start, mlen, now);
			start += mlen + 1;
		}
		r->carry_len = len - start;
		if (r->carry_len > CARRY_MAX) {  /* longer than any message: not this chat */
			L->f->disorder++;
			r->carry_len = 0;
			conn_lost(L, r);
			return;
		}
		memcpy(r->carry, L->rbuf + start, r->carry_len);
	}
}

/* ---- joining ---- */

/* Reads the server's first message (up to its NUL) into b. */
static int read_first(struct lconn *c, char *b, size_t max)
{
	if (!c->ssl)
		return wl_recv_msg(c->fd, b, max - 1) >= 0 ? 0 : -1;
	for (size_t n = 0; n < max - 1; n++) {
		if (SSL_read(c->ssl, b + n, 1) != 1)
			return -1;
		if (b[n] == '\0')
			return 0;
	}
	return -1;
}

/* Client i connects (TLS if asked), waits for its welcome and joins the
 * epoll set: 0, or -1 with the reason in why. */
static int join_one(struct load *L, int i, const char *host, uint16_t port)
{
	struct lconn *c = &L->c[i];
	char b[128] = "";
	c->fd = wl_tcp_connect(host, port, 5000);
	if (c->fd < 0) {
		snprintf(L->f->why, sizeof L->f->why, "client %d could not connect: %s", i + 1, strerror(errno));
		return -1;
	}
	if (L->ctx) {
		c->ssl = SSL_new(L->ctx);
		if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) || SSL_connect(c->ssl) != 1) {
			ERR_clear_error();
			snprintf(L->f->why, sizeof L->f->why,
				 "client %d: no TLS handshake (the server closed the connection)", i + 1);
			return -1;
		}
	}
	if (read_first(c, b, sizeof b) < 0 || strncmp(b, "* welcome", 9) != 0) {
		snprintf(L->f->why, sizeof L->f->why, "client %d was not welcomed%s%s%s", i + 1,
			 b[0] ? ": \"" : " (the connection closed)", b, b[0] ? "\"" : "");
		return -1;
	}
	ack_now(L, c);  /* the welcome too: the first broadcast must not wait for its ACK */
	int fl = fcntl(c->fd, F_GETFL);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
	if (fl < 0 || fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    epoll_ctl(L->ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		snprintf(L->f->why, sizeof L->f->why, "client %d: %s", i + 1, strerror(errno));
		return -1;
	}
	c->open = 1;
	return 0;
}

/* ---- the run ---- */

/* Every member still connected has every message sent, and nothing waits. */
static int all_delivered(const struct load *L, uint64_t sent)
{
	for (int i = 0; i < L->n; i++) {
		const struct lconn *c = &L->c[i];
		if (c->open && (c->out_len || c->delivered < sent))
			return 0;
	}
	return 1;
}

static uint64_t messages_sent(const struct load *L)
{
	uint64_t sent = 0;
	for (int i = 0; i < L->n; i++)
		sent += L->c[i].bytes_sent / L->msg_len;
	return sent;
}

static int any_open(const struct load *L)
{
	for (int i = 0; i < L->n; i++)
		if (L->c[i].open)
			return 1;
	return 0;
}

/* Sends on schedule and takes what arrives until the end (see the top). */
static void pump(struct load *L, int64_t deadline_us)
{
	uint64_t total = (uint64_t)L->n * (uint64_t)L->o->messages, issued = 0;
	double gap_us = 1e6 / (L->o->rate * L->n);
	int64_t t0 = wl_now_us(), next_sample = t0, next_check = t0;
	struct epoll_event evs[512];
	for (;;) {
		int64_t now = wl_now_us();
		while (issued < total && t0 + (int64_t)((double)issued * gap_us) <= now) {
			send_msg(L, (int)(issued % (uint64_t)L->n), (uint32_t)(issued / (uint64_t)L->n));
			issued++;
		}
		if (now >= next_sample) {
			sample_server(L);
			next_sample = now + SAMPLE_US;
		}
		if (now >= deadline_us) {
			L->f->timed_out = 1;
			return;
		}
		if (issued == total && now >= next_check) {
			if (all_delivered(L, messages_sent(L)) || !any_open(L))
				return;
			next_check = now + 10000;
		}
		int64_t wait_us = issued < total ? t0 + (int64_t)((double)issued * gap_us) - now : 10000;
		int ms = wait_us <= 0 ? 0 : wait_us > 10000 ? 10 : (int)((wait_us + 999) / 1000);
		int k = epoll_wait(L->ep, evs, 512, ms);
		for (int e = 0; e < k; e++) {
			struct lconn *c = &L->c[evs[e].data.u32];
			if (evs[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				on_readable(L, c);
			if (evs[e].events & EPOLLOUT)
				flush(L, c);
		}
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void wl_chat_percentiles(uint32_t *lat, uint64_t n, uint32_t out[WL_LAT_N])
{
	memset(out, 0, WL_LAT_N * sizeof *out);
	if (!n)
		return;
	qsort(lat, n, sizeof *lat, cmp_u32);
	for (int i = 0; i < WL_LAT_N; i++) {
		uint64_t rank = (lat_permille[i] * n + 999) / 1000;  /* ceil(q * n), 1-based */
		out[i] = lat[rank ? rank - 1 : 0];
	}
}

static void summarize(struct load *L, int64_t t0_us, int fresh, double cpu0)
{
	struct wl_chat_load_figures *f = L->f;
	f->joined = L->n;
	f->planned = (uint64_t)L->n * (uint64_t)L->o->messages;
	f->sent = messages_sent(L);
	f->expected = f->sent * (uint64_t)L->n;
	f->lost = f->expected > f->delivered ? f->expected - f->delivered : 0;
	/* to the last delivery, or to the end of the schedule if that is later:
	 * a server that keeps up delivers what is offered, not more */
	int64_t sched_end = t0_us + (int64_t)(1e6 * L->o->messages / L->o->rate);
	int64_t last = L->last_delivery_us > sched_end ? L->last_delivery_us : sched_end;
	f->seconds = (double)(last - t0_us) / 1e6;
	f->per_second = f->seconds > 0 ? (double)f->delivered / f->seconds : 0;
	wl_chat_percentiles(L->lat, L->nlat, f->lat_us);
	if (L->server > 0) {
		long rss = 0, hwm = 0;
		int threads = 0;
		proc_status(L->server, &rss, &hwm, &threads);
		if (fresh && hwm > f->server_rss_kib)
			f->server_rss_kib = hwm;
		double cpu1 = proc_cpu_s(L->server);
		f->server_cpu_s = cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1;
	}
	if (!f->why[0] && f->timed_out)
		snprintf(f->why, sizeof f->why, "time limit (%d s) reached", L->o->time_limit_s);
	if (!f->why[0] && f->dropped)
		snprintf(f->why, sizeof f->why, "the server closed %d members", f->dropped);
	if (!f->why[0] && f->sent < f->planned)
		snprintf(f->why, sizeof f->why, "%llu of %llu messages could not be sent",
			 (unsigned long long)(f->planned - f->sent), (unsigned long long)f->planned);
}

/* Room for a descriptor per client: the soft limit raised, never the hard one. */
static void raise_fd_limit(int clients)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)clients + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int load_init(struct load *L, const struct wl_chat_load_opts *o, struct wl_chat_load_figures *f)
{
	size_t nc = (size_t)o->clients;
	L->c = calloc(nc, sizeof *L->c);
	L->next = calloc(nc * nc, sizeof *L->next);
	L->rbuf = malloc(READ_CHUNK + CARRY_MAX);
	L->ep = epoll_create1(EPOLL_CLOEXEC);
	if (o->tls) {
		L->ctx = SSL_CTX_new(TLS_client_method());
		if (L->ctx)
			SSL_CTX_set_mode(L->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
					 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	}
	for (size_t i = 0; L->c && i < nc; i++)
		L->c[i].fd = -1;
	if (!L->c || !L->next || !L->rbuf || L->ep < 0 || (o->tls && !L->ctx)) {
		snprintf(f->why, sizeof f->why, "out of memory or descriptors");
		return -1;
	}
	return 0;
}

/* The run is over: every connection ends with a reset, so that up to 2,000
 * of them per server leave no TIME_WAIT behind (60 s each) to fill the
 * ephemeral ports of the next server's turn or the next run. */
static void load_free(struct load *L)
{
	struct linger lg = { 1, 0 };
	for (int i = 0; L->c && i < L->o->clients; i++) {
		struct lconn *c = &L->c[i];
		SSL_free(c->ssl);
		if (c->fd >= 0) {
			setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
			close(c->fd);
		}
		free(c->out);
	}
	SSL_CTX_free(L->ctx);
	if (L->ep >= 0)
		close(L->ep);
	free(L->c);
	free(L->next);
	free(L->lat);
	free(L->rbuf);
}

int wl_chat_load_run(const char *host, uint16_t port, pid_t server, int fresh,
		     const struct wl_chat_load_opts *o, struct wl_chat_load_figures *f)
{
	memset(f, 0, sizeof *f);
	const char *bad = wl_chat_load_check(o);
	if (bad) {
		snprintf(f->why, sizeof f->why, "%s", bad);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);  /* a TLS write to a closed socket */
	raise_fd_limit(o->clients);
	struct load L = { .o = o, .f = f, .msg_len = (size_t)o->size + 1, .ep = -1, .server = server };
	int64_t start = wl_now_us(), deadline = start + (int64_t)o->time_limit_s * 1000000;
	double cpu0 = server > 0 ? proc_cpu_s(server) : -1;
	if (load_init(&L, o, f) < 0) {
		load_free(&L);
		return -1;
	}
	L.base_us = start;
	while (L.n < o->clients && wl_now_us() < deadline && join_one(&L, L.n, host, port) == 0)
		L.n++;
	sample_server(&L);
	if (!L.n) {
		load_free(&L);
		return -1;
	}
	L.cap_lat = (uint64_t)L.n * (uint64_t)L.n * (uint64_t)o->messages;
	L.lat = malloc(L.cap_lat * sizeof *L.lat);
	if (!L.lat) {
		snprintf(f->why, sizeof f->why, "out of memory for %llu latencies",
			 (unsigned long long)L.cap_lat);
		load_free(&L);
		return -1;
	}
	int64_t t0 = wl_now_us();
	pump(&L, deadline);
	summarize(&L, t0, fresh, cpu0);
	load_free(&L);
	return f->joined == o->clients && f->lost == 0 && f->disorder == 0 && !f->dropped &&
	       f->sent == f->planned ? 0 : 1;
}
