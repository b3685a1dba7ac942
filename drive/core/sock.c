/* sock.c - see sock.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sock.h"

socklen_t wl_sockaddr(const char *host, uint16_t port, void *ss)
{
	struct sockaddr_in *a4 = ss;
	struct sockaddr_in6 *a6 = ss;
	memset(ss, 0, sizeof(struct sockaddr_in6));
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return sizeof *a4;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return sizeof *a6;
	}
	return 0;
}

static void set_timeouts(int fd, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* A socket of type for host:port with its address in ss, or -1 (errno set). */
static int sock_for(const char *host, uint16_t port, int type, struct sockaddr_in6 *ss, socklen_t *len)
{
	*len = wl_sockaddr(host, port, ss);
	if (!*len) {
		errno = EINVAL;
		return -1;
	}
	return socket(((struct sockaddr *)ss)->sa_family, type | SOCK_CLOEXEC, 0);
}

/* Closes fd keeping errno, for the failure paths: returns -1. */
static int fail_close(int fd)
{
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

int wl_tcp_connect(const char *host, uint16_t port, int timeout_ms)
{
	struct sockaddr_in6 ss;
	socklen_t len;
	int fd = sock_for(host, port, SOCK_STREAM, &ss, &len);
	if (fd < 0)
		return -1;
	set_timeouts(fd, timeout_ms);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		return fail_close(fd);
	return fd;
}

int wl_tcp_listen(const char *host, uint16_t port, int backlog)
{
	struct sockaddr_in6 ss;
	socklen_t len;
	int fd = sock_for(host, port, SOCK_STREAM, &ss, &len);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0)
		return fail_close(fd);
	return fd;
}

int wl_udp_socket(const char *host, uint16_t port)
{
	struct sockaddr_in6 ss;
	socklen_t len;
	int fd = sock_for(host, port, SOCK_DGRAM, &ss, &len);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		return fail_close(fd);
	return fd;
}

int wl_send_all(int fd, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Waits until fd is ready for events or deadline_us passes (0: no
 * deadline, the socket's own timeout applies): 0, or -1 on timeout. */
static int wait_for(int fd, short events, int64_t deadline_us)
{
	if (!deadline_us)
		return 0;
	for (;;) {
		int64_t left = deadline_us - wl_now_us();
		if (left <= 0)
			return -1;
		struct pollfd pf = { fd, events, 0 };
		int r = poll(&pf, 1, (int)((left + 999) / 1000));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static ssize_t recv_until(int fd, char *buf, size_t max, char end, int64_t deadline_us)
{
	size_t n = 0;
	for (;;) {
		char c;
		if (wait_for(fd, POLLIN, deadline_us) < 0)
			return -3;
		ssize_t r = recv(fd, &c, 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (c == end)
			break;
		if (n == max)
			return -2;
		buf[n++] = c;
	}
	if (n < max)
		buf[n] = '\0';
	return (ssize_t)n;
}

ssize_t wl_recv_msg(int fd, char *buf, size_t max) { return recv_until(fd, buf, max, '\0', 0); }
ssize_t wl_recv_line(int fd, char *buf, size_t max) { return recv_until(fd, buf, max, '\n', 0); }

ssize_t wl_recv_msg_by(int fd, char *buf, size_t max, int64_t deadline_us)
{
	return recv_until(fd, buf, max, '\0', deadline_us);
}

int wl_send_all_by(int fd, const void *p, size_t n, int64_t deadline_us)
{
	const char *s = p;
	while (n) {
		if (wait_for(fd, POLLOUT, deadline_us) < 0)
			return -1;
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int wl_recv_all_by(int fd, void *buf, size_t n, int64_t deadline_us)
{
	char *p = buf;
	for (size_t got = 0; got < n;) {
		if (wait_for(fd, POLLIN, deadline_us) < 0)
			return -1;
		ssize_t k = recv(fd, p + got, n - got, 0);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

void wl_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int64_t wl_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct conn {
	int fd;
	int slot;
	struct wl_conn_pool *pool;
};

int wl_pool_init(struct wl_conn_pool *p, void (*handle)(int fd, void *arg), void *arg, int max)
{
	p->handle = handle;
	p->arg = arg;
	p->max = max;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	/* max served, and as many again shut down but not yet gone */
	p->slots = calloc(2 * (size_t)max, sizeof *p->slots);
	for (int i = 0; p->slots && i < 2 * max; i++)
		p->slots[i].fd = -1;
	return p->slots ? 0 : -1;
}

/* Frees a slot: the pool's duplicate closed (only now can the number be
 * reused, so an eviction never hits another connection). Under the lock. */
static void slot_free(struct wl_conn_pool *p, int i)
{
	close(p->slots[i].fd);
	p->slots[i] = (struct wl_pool_slot){ .fd = -1 };
	pthread_cond_signal(&p->freed);
}

static void *conn_thread(void *arg)
{
	struct conn c = *(struct conn *)arg;
	free(arg);
	set_timeouts(c.fd, 30000);
	c.pool->handle(c.fd, c.pool->arg);
	pthread_mutex_lock(&c.pool->lock);
	slot_free(c.pool, c.slot);
	pthread_mutex_unlock(&c.pool->lock);
	return NULL;
}

/* A free slot, after shutting down the oldest connection if max are being
 * served (its thread sees EOF at once and frees its slot; the pool has room
 * for as many again on their way out, so the newcomer need not wait for
 * it); -1 when even that room is taken. Under the lock. */
static int slot_find(struct wl_conn_pool *p)
{
	int oldest = -1, free_at = -1, active = 0;
	for (int i = 0; i < 2 * p->max; i++) {
		struct wl_pool_slot *sl = &p->slots[i];
		if (sl->fd < 0) {
			free_at = free_at < 0 ? i : free_at;
			continue;
		}
		if (sl->evicted)
			continue;
		active++;
		if (oldest < 0 || sl->since < p->slots[oldest].since)
			oldest = i;
	}
	if (active >= p->max && free_at >= 0) {
		shutdown(p->slots[oldest].fd, SHUT_RDWR);
		p->slots[oldest].evicted = 1;
	}
	return free_at;
}

/* A slot for a new connection, waiting up to 200 ms for an evicted one to
 * be freed; -1 if none. Under the lock. */
static int slot_get(struct wl_conn_pool *p)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 200000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	int i;
	while ((i = slot_find(p)) < 0)
		if (pthread_cond_timedwait(&p->freed, &p->lock, &until) != 0)
			return slot_find(p);
	return i;
}

int wl_pool_serve(struct wl_conn_pool *p, int fd)
{
	pthread_mutex_lock(&p->lock);
	int i = slot_get(p);
	int own = i < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (own >= 0)
		p->slots[i] = (struct wl_pool_slot){ .fd = own, .since = wl_now_us() };
	struct conn *c = own < 0 ? NULL : malloc(sizeof *c);
	pthread_attr_t at;
	pthread_t t;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	int ok = c != NULL;
	if (ok) {
		*c = (struct conn){ fd, i, p };
		ok = pthread_create(&t, &at, conn_thread, c) == 0;
	}
	pthread_attr_destroy(&at);
	if (!ok) {
		free(c);
		if (own >= 0)
			slot_free(p, i);
		close(fd);  /* no thread to spare: the client sees the connection close */
	}
	pthread_mutex_unlock(&p->lock);
	return ok ? 0 : -1;
}

/* wl_serve_threads's one-argument handler, called through a pool. */
struct plain {
	void (*handle)(int fd);
};

static void call_plain(int fd, void *arg)
{
	((struct plain *)arg)->handle(fd);
}

int wl_serve_threads(const char *host, uint16_t port, const char *name, void (*handle)(int fd))
{
	int lfd = wl_tcp_listen(host, port, WL_LISTEN_BACKLOG);
	if (lfd < 0) {
		fprintf(stderr, "%s: listen on %s:%u: %s\n", name, host, port, strerror(errno));
		return 1;
	}
	/* static: the pool outlives this function in the threads still serving
	 * when accept fails (one server per process) */
	static struct plain plain;
	static struct wl_conn_pool pool;
	plain.handle = handle;
	if (wl_pool_init(&pool, call_plain, &plain, WL_SERVE_MAX) < 0) {
		fprintf(stderr, "%s: out of memory\n", name);
		return 1;
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				wl_sleep_ms(10);  /* out of descriptors: wait for some, do not spin */
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
				continue;
			fprintf(stderr, "%s: accept: %s\n", name, strerror(errno));
			return 1;
		}
		wl_pool_serve(&pool, fd);
	}
}
