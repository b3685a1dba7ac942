/* chat_server.c - the seeds' chat server in three architectures, all speaking
 * NUL-framed UTF-8 messages and broadcasting every message to every client
 * (the sender included, so each client sees one global order):
 *
 *   chat-threaded  two threads per client (reader, writer), a send queue per
 *                  client and one lock around the table of clients;
 *   chat-poll      one thread, non-blocking sockets, a poll() loop;
 *   chat-epoll     the same loop on epoll.
 *
 * Production habits: a client gets "* welcome ..." once it is in the table
 * (clients wait for it before sending, so no broadcast is missed), a message
 * over CHAT_MAX bytes gets "* error ..." and that client is closed, a full
 * server refuses with "* server full", a client whose send queue passes
 * QUEUE_MAX (it does not read) is dropped, and the rest are unaffected.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drive.h"
#include "sock.h"

#define CHAT_MAX 4096          /* longest message */
#define QUEUE_MAX (1u << 20)   /* bytes queued for one client before it is dropped */
#define MAX_CLIENTS 1024

static const char msg_full[] = "* server full, try later";

/* Drops a client that stopped reading at once: RST, not FIN, so the kernel does
 * not go on trickling megabytes into its closed window. */
static void close_abortive(int fd)
{
	struct linger lg = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}
static const char msg_too_long[] = "* error: message longer than 4096 bytes, closing";

/* ---- the event-loop core (poll and epoll) ---- */

struct client {
	int fd;
	int closing;           /* flush out, then close */
	int want_out;          /* epoll: the events registered (1 in, 2 out) */
	int slow;              /* dropped for not reading */
	char in[CHAT_MAX + 1];
	size_t in_len;
	char *out;
	size_t out_len, out_off, out_cap;
};

struct loop {
	int lfd;
	struct client *cl[MAX_CLIENTS];
	int n;
	int epfd;              /* -1 for poll */
};

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Registers interest in writability only when it changes: one epoll_ctl per
 * change, not per queued message. */
static int want_in(const struct client *c);

static void ep_update(struct loop *l, struct client *c)
{
	int want = (c->out_len > c->out_off ? 2 : 0) | (want_in(c) ? 1 : 0);
	if (l->epfd < 0 || want == c->want_out)
		return;
	struct epoll_event ev = { .events = (want & 1 ? EPOLLIN : 0) | (want & 2 ? EPOLLOUT : 0),
				  .data.ptr = c };
	epoll_ctl(l->epfd, EPOLL_CTL_MOD, c->fd, &ev);
	c->want_out = want;
}

/* Queues msg + NUL for c; a client over QUEUE_MAX is marked for dropping. */
static void queue(struct loop *l, struct client *c, const char *msg, size_t n)
{
	if (c->closing)
		return;
	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len - c->out_off + n + 1 > QUEUE_MAX) {
		c->closing = 2;  /* drop now: it does not read */
		c->slow = 1;
		return;
	}
	if (c->out_len + n + 1 > c->out_cap) {
		if (c->out_off) {
			memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
			c->out_len -= c->out_off;
			c->out_off = 0;
		}
		size_t cap = c->out_cap ? c->out_cap : 4096;
		while (cap < c->out_len + n + 1)
			cap *= 2;
		char *nb = realloc(c->out, cap);
		if (!nb) {
			c->closing = 2;
			return;
		}
		c->out = nb;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, msg, n);
	c->out[c->out_len + n] = '\0';
	c->out_len += n + 1;
	ep_update(l, c);
}

static void broadcast(struct loop *l, const char *msg, size_t n)
{
	for (int i = 0; i < l->n; i++)
		queue(l, l->cl[i], msg, n);
}

static void drop(struct loop *l, int i)
{
	struct client *c = l->cl[i];
	if (l->epfd >= 0)
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	if (c->slow)
		close_abortive(c->fd);
	else
		close(c->fd);
	free(c->out);
	free(c);
	l->cl[i] = l->cl[--l->n];
}

static void on_accept(struct loop *l)
{
	int fd = accept(l->lfd, NULL, NULL);
	if (fd < 0)
		return;
	if (l->n >= MAX_CLIENTS) {
		send(fd, msg_full, sizeof msg_full, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	struct client *c = calloc(1, sizeof *c);
	if (!c || set_nonblock(fd) < 0) {
		free(c);
		close(fd);
		return;
	}
	c->fd = fd;
	l->cl[l->n++] = c;
	if (l->epfd >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
		epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev);
		c->want_out = 1;
	}
	char hello[64];
	int k = snprintf(hello, sizeof hello, "* welcome, %d online", l->n);
	queue(l, c, hello, (size_t)k);
}

/* Backpressure: a client whose own queue is over half the cap is not read
 * until it has taken its share, so a fast sender slows down instead of being
 * dropped, and one slow reader cannot make the server buffer without bound. */
static int want_in(const struct client *c)
{
	return !c->closing && c->out_len - c->out_off <= QUEUE_MAX / 2;
}

/* One read (at most a buffer) per readiness event, then others get a turn;
 * every complete message goes to everyone. */
static void on_readable(struct loop *l, struct client *c)
{
	if (!want_in(c))
		return;
	ssize_t r = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, 0);
	if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
		c->closing = 2;
		return;
	}
	if (r < 0)
		return;
	c->in_len += (size_t)r;
	size_t start = 0;
	for (size_t i = 0; i < c->in_len; i++) {
		if (c->in[i] == '\0') {
			broadcast(l, c->in + start, i - start);
			start = i + 1;
		}
	}
	memmove(c->in, c->in + start, c->in_len - start);
	c->in_len -= start;
	if (c->in_len == sizeof c->in) {
		queue(l, c, msg_too_long, sizeof msg_too_long - 1);
		c->closing = 1;
		c->in_len = 0;
	}
}

static void on_writable(struct client *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				c->closing = 2;
			return;
		}
		c->out_off += (size_t)w;
	}
	if (c->closing == 1)
		c->closing = 2;
}

static void reap(struct loop *l)
{
	for (int i = l->n - 1; i >= 0; i--) {
		struct client *c = l->cl[i];
		if (c->out_len > c->out_off && c->closing != 2)
			on_writable(c);
		if (c->closing == 2)
			drop(l, i);
		else if (l->epfd >= 0)
			ep_update(l, c);
	}
}

static int loop_init(struct loop *l, const char *host, uint16_t port, int use_epoll)
{
	memset(l, 0, sizeof *l);
	signal(SIGPIPE, SIG_IGN);
	l->lfd = wl_tcp_listen(host, port, 512);
	if (l->lfd < 0 || set_nonblock(l->lfd) < 0) {
		perror("chat: listen");
		return -1;
	}
	l->epfd = -1;
	if (use_epoll) {
		l->epfd = epoll_create1(EPOLL_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
		if (l->epfd < 0 || epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->lfd, &ev) < 0) {
			perror("chat: epoll");
			return -1;
		}
	}
	return 0;
}

static int serve_poll(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	struct loop l;
	if (loop_init(&l, host, port, 0) < 0)
		return 1;
	struct pollfd *pf = calloc(MAX_CLIENTS + 1, sizeof *pf);
	struct client **who = calloc(MAX_CLIENTS + 1, sizeof *who);
	if (!pf || !who)
		return 1;
	for (;;) {
		int n = 0;
		pf[n++] = (struct pollfd){ l.lfd, POLLIN, 0 };
		for (int i = 0; i < l.n; i++) {
			struct client *c = l.cl[i];
			who[n] = c;
			short ev = (short)((want_in(c) ? POLLIN : 0) | (c->out_len > c->out_off ? POLLOUT : 0));
			pf[n++] = (struct pollfd){ c->fd, ev, 0 };
		}
		if (poll(pf, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("chat-poll: poll");
			return 1;
		}
		for (int i = 1; i < n; i++) {
			if (pf[i].revents & (POLLIN | POLLHUP | POLLERR))
				on_readable(&l, who[i]);
			if (pf[i].revents & POLLOUT)
				on_writable(who[i]);
		}
		if (pf[0].revents & POLLIN)
			on_accept(&l);
		reap(&l);
	}
}

static int serve_epoll(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	struct loop l;
	if (loop_init(&l, host, port, 1) < 0)
		return 1;
	struct epoll_event evs[256];
	for (;;) {
		int n = epoll_wait(l.epfd, evs, 256, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("chat-epoll: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct client *c = evs[i].data.ptr;
			if (!c) {
				on_accept(&l);
				continue;
			}
			if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				on_readable(&l, c);
			if (evs[i].events & EPOLLOUT)
				on_writable(c);
		}
		reap(&l);
	}
}

/* ---- two threads per client ---- */

struct tmsg {
	struct tmsg *next;
	size_t len;
	char data[];
};

struct tclient {
	int fd;
	int dead;              /* stop sending (error, or too slow) */
	int gone;              /* the reader has left the table: the writer may free */
	int slow;              /* dropped for not reading */
	struct tmsg *head, *tail;
	size_t queued;
	pthread_cond_t cv;         /* the writer waits for messages */
	pthread_cond_t drained;    /* the reader waits for room (backpressure) */
	struct tserver *srv;
};

struct tserver {
	pthread_mutex_t mu;    /* guards the table and every client's queue */
	struct tclient *cl[MAX_CLIENTS];
	int n;
};

/* Caller holds srv->mu. */
static void tqueue(struct tclient *c, const char *msg, size_t n)
{
	if (c->dead)
		return;
	if (c->queued + n + 1 > QUEUE_MAX) {
		c->dead = 1;           /* it does not read: drop it */
		c->slow = 1;
		shutdown(c->fd, SHUT_RDWR);  /* wakes its reader and writer; then RST */
		pthread_cond_signal(&c->cv);
		return;
	}
	struct tmsg *m = malloc(sizeof *m + n + 1);
	if (!m)
		return;
	m->next = NULL;
	m->len = n + 1;
	memcpy(m->data, msg, n);
	m->data[n] = '\0';
	if (c->tail)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	c->queued += m->len;
	pthread_cond_signal(&c->cv);
}

/* Takes everything queued for c and sends it with one writev-like copy, so a
 * busy client costs one wakeup and one send per batch, not per message. */
static void *twriter(void *arg)
{
	struct tclient *c = arg;
	struct tserver *s = c->srv;
	char *batch = NULL;
	size_t cap = 0;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!c->head && !c->gone)
			pthread_cond_wait(&c->cv, &s->mu);
		if (!c->head)
			break;
		struct tmsg *list = c->head;
		size_t total = c->queued;
		c->head = c->tail = NULL;
		c->queued = 0;
		pthread_cond_signal(&c->drained);
		int dead = c->dead;
		pthread_mutex_unlock(&s->mu);
		if (total > cap) {
			char *nb = realloc(batch, total);
			if (nb) {
				batch = nb;
				cap = total;
			} else {
				dead = 1;
			}
		}
		size_t n = 0;
		while (list) {
			struct tmsg *m = list;
			list = m->next;
			if (!dead && n + m->len <= cap) {
				memcpy(batch + n, m->data, m->len);
				n += m->len;
			}
			free(m);
		}
		int bad = !dead && wl_send_all(c->fd, batch, n) < 0;
		pthread_mutex_lock(&s->mu);
		if (bad)
			c->dead = 1;
	}
	int slow = c->slow;
	pthread_mutex_unlock(&s->mu);
	free(batch);
	if (slow)
		close_abortive(c->fd);
	else
		close(c->fd);
	pthread_cond_destroy(&c->cv);
	pthread_cond_destroy(&c->drained);
	free(c);
	return NULL;
}

/* Caller holds srv->mu: every complete message in buf goes to everyone;
 * returns the bytes used. */
static size_t tbroadcast(struct tserver *s, const char *buf, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		for (int k = 0; k < s->n; k++)
			tqueue(s->cl[k], buf + start, i - start);
		start = i + 1;
	}
	return start;
}

static void *treader(void *arg)
{
	struct tclient *c = arg;
	struct tserver *s = c->srv;
	pthread_t w;
	char *buf = malloc(CHAT_MAX + 1);
	size_t len = 0;
	int ok = buf && pthread_create(&w, NULL, twriter, c) == 0;
	if (ok)
		pthread_detach(w);
	for (;;) {
		ssize_t n = ok ? recv(c->fd, buf + len, CHAT_MAX + 1 - len, 0) : -1;
		pthread_mutex_lock(&s->mu);
		if (n <= 0 || c->dead)
			break;
		len += (size_t)n;
		size_t used = tbroadcast(s, buf, len);
		memmove(buf, buf + used, len - used);
		len -= used;
		if (len == CHAT_MAX + 1) {
			tqueue(c, msg_too_long, sizeof msg_too_long - 1);
			break;
		}
		/* backpressure: read on only when our own queue has room */
		while (c->queued > QUEUE_MAX / 2 && !c->dead)
			pthread_cond_wait(&c->drained, &s->mu);
		pthread_mutex_unlock(&s->mu);
	}
	/* leave the table; the writer flushes what is queued and closes */
	for (int i = 0; i < s->n; i++) {
		if (s->cl[i] == c) {
			s->cl[i] = s->cl[--s->n];
			break;
		}
	}
	c->gone = 1;
	shutdown(c->fd, SHUT_RD);
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&s->mu);
	free(buf);
	if (!ok) {
		close(c->fd);
		free(c);
	}
	return NULL;
}

static int serve_threaded(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	signal(SIGPIPE, SIG_IGN);
	static struct tserver s = { PTHREAD_MUTEX_INITIALIZER, { 0 }, 0 };
	int lfd = wl_tcp_listen(host, port, 512);
	if (lfd < 0) {
		perror("chat-threaded: listen");
		return 1;
	}
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
				continue;
			perror("chat-threaded: accept");
			return 1;
		}
		struct tclient *c = calloc(1, sizeof *c);
		pthread_mutex_lock(&s.mu);
		if (!c || s.n >= MAX_CLIENTS) {
			pthread_mutex_unlock(&s.mu);
			send(fd, msg_full, sizeof msg_full, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			free(c);
			continue;
		}
		c->fd = fd;
		c->srv = &s;
		pthread_cond_init(&c->cv, NULL);
		pthread_cond_init(&c->drained, NULL);
		s.cl[s.n++] = c;
		char hello[64];
		int k = snprintf(hello, sizeof hello, "* welcome, %d online", s.n);
		tqueue(c, hello, (size_t)k);
		pthread_mutex_unlock(&s.mu);
		pthread_t r;
		if (pthread_create(&r, NULL, treader, c) == 0)
			pthread_detach(r);
	}
}

const struct wl_own_server wl_own_chat_threaded = { "chat-threaded", serve_threaded };
const struct wl_own_server wl_own_chat_poll = { "chat-poll", serve_poll };
const struct wl_own_server wl_own_chat_epoll = { "chat-epoll", serve_epoll };

static int start_threaded(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "chat-threaded", ctx->port ? ctx->port : 4042, 0, err, errlen);
}
static int start_poll(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "chat-poll", ctx->port ? ctx->port : 4043, 0, err, errlen);
}
static int start_epoll(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "chat-epoll", ctx->port ? ctx->port : 4044, 0, err, errlen);
}

const struct wl_server wl_server_chat_threaded = {
	.name = "chat-threaded", .desc = "wirelab's chat server, two threads per client",
	.packages = "", .port = 4042, .start = start_threaded,
};
const struct wl_server wl_server_chat_poll = {
	.name = "chat-poll", .desc = "wirelab's chat server, one poll() loop",
	.packages = "", .port = 4043, .start = start_poll,
};
const struct wl_server wl_server_chat_epoll = {
	.name = "chat-epoll", .desc = "wirelab's chat server, one epoll loop",
	.packages = "", .port = 4044, .start = start_epoll,
};
