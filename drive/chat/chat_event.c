/* chat_event.c - the seeds' chat server on libevent 2.1 bufferevents
 * (`wirelab serve chat-event`, 127.0.0.1:4047), the C model of the seed's
 * eventlet chapter.
 *
 * eventlet keeps the blocking style: a green thread per client loops on
 * `line = sock.recv()` / `sock.sendall(line)`, and the hub switches threads
 * where one would block. A bufferevent hides the loop nearly as well: each
 * client is a pair of buffers the library fills from and drains to the socket,
 * and the code reads whole messages out of the input (evbuffer_readln with
 * EVBUFFER_EOL_NUL, the `recv` up to a NUL) and writes into the output
 * (evbuffer_add, the `sendall` that never blocks); EAGAIN, partial writes and
 * the readiness calls are libevent's. No thread per client, though: a read
 * callback that blocked would block every client.
 *
 *   evconnlistener ──on_accept──► bufferevent ──on_readable──► readln ──► broadcast
 *                                  input │ ▲ output                          │
 *                                socket ◄┘ └──── libevent writes ◄── evbuffer_add
 *
 * The production habits are chat-epoll's, through watermarks: the input's
 * high watermark (4,097 bytes) makes libevent stop reading a client whose
 * message is already too long ("* error", then the close once the error is
 * written); a member whose output passes 1 MiB (it does not read) is dropped
 * with a reset; a member whose output is over half of that is not read
 * (bufferevent_disable EV_READ) until the output's low watermark says it has
 * taken its share; "* welcome", and "* server full" past 1,024 members.
 * SIGTERM frees every bufferevent, the listener and the base, then ends the
 * process by SIGTERM, as the other servers end.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "chat_frame.h"
#include "chat.h"
#include "drive.h"
#include "sock.h"

#define CHAT_EVENT_PORT 4047

struct member {
	struct bufferevent *bev;
	struct event_chat *srv;
	int slot;                /* index in srv->members, -1 once it has left */
	int close_after_flush;   /* over-long: the error goes out, then the close */
	struct member *prev, *next;  /* in srv->leaving meanwhile */
	int paused;              /* not read: its own output is over half the cap */
};

struct event_chat {
	struct event_base *base;
	struct evconnlistener *listener;
	struct event *sigterm;
	struct member *members[WL_CHAT_CLIENTS];
	int n;
	struct member *leaving;  /* out of the table, their last words still going out */
};

static void member_leave(struct member *m)
{
	struct event_chat *s = m->srv;
	if (m->slot < 0)
		return;
	struct member *last = s->members[--s->n];
	s->members[m->slot] = last;
	last->slot = m->slot;
	m->slot = -1;
}

/* Frees m (its socket with it). Abortive: a reset, for a member that stopped
 * reading, so the kernel does not go on trickling megabytes into its closed
 * window. */
static void member_free(struct member *m, int abortive)
{
	member_leave(m);
	if (m->close_after_flush) {
		*(m->prev ? &m->prev->next : &m->srv->leaving) = m->next;
		if (m->next)
			m->next->prev = m->prev;
	}
	if (abortive) {
		struct linger lg = { 1, 0 };
		setsockopt(bufferevent_getfd(m->bev), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	}
	bufferevent_free(m->bev);
	free(m);
}

static size_t out_len(const struct member *m)
{
	return evbuffer_get_length(bufferevent_get_output(m->bev));
}

/* Queues msg and its NUL for m (msg is NUL-terminated: evbuffer_readln's lines
 * and the server's words are): the output buffer is the write queue. Returns
 * -1 when m was dropped for not reading. */
static int member_queue(struct member *m, const char *msg, size_t n)
{
	if (out_len(m) + n + 1 > WL_CHAT_QUEUE_MAX) {
		member_free(m, 1);
		return -1;
	}
	evbuffer_add(bufferevent_get_output(m->bev), msg, n + 1);
	/* backpressure: a fast sender slows down instead of being dropped */
	if (!m->paused && out_len(m) > WL_CHAT_QUEUE_MAX / 2) {
		m->paused = 1;
		bufferevent_disable(m->bev, EV_READ);
	}
	return 0;
}

/* msg to every member; -1 when that dropped the sender itself (it does not read). */
static int broadcast(struct event_chat *s, const struct member *sender, const char *msg, size_t n)
{
	int sender_dropped = 0;
	/* from the end: a member dropped on the way swaps the last one into its slot */
	for (int i = s->n - 1; i >= 0; i--) {
		struct member *m = s->members[i];
		int is_sender = m == sender;
		if (member_queue(m, msg, n) < 0 && is_sender)
			sender_dropped = 1;
	}
	return sender_dropped ? -1 : 0;
}

/* The output is written out: the error of an over-long message, then the
 * close; or, below the low watermark, reading again. */
static void on_writable(struct bufferevent *bev, void *arg)
{
	struct member *m = arg;
	(void)bev;
	if (m->close_after_flush) {
		if (!out_len(m))
			member_free(m, 0);
		return;
	}
	if (m->paused && out_len(m) <= WL_CHAT_QUEUE_MAX / 2) {
		m->paused = 0;
		bufferevent_enable(m->bev, EV_READ);
	}
}

static void too_long(struct member *m)
{
	if (member_queue(m, WL_CHAT_MSG_TOO_LONG, sizeof WL_CHAT_MSG_TOO_LONG - 1) < 0)
		return;  /* dropped: it did not read */
	member_leave(m);
	m->close_after_flush = 1;
	m->next = m->srv->leaving;
	if (m->next)
		m->next->prev = m;
	m->srv->leaving = m;
	bufferevent_disable(m->bev, EV_READ);
	bufferevent_setwatermark(m->bev, EV_WRITE, 0, 0);  /* on_writable when all is out */
	if (!out_len(m))
		member_free(m, 0);
}

/* Every whole message in the input goes to every member. */
static void on_readable(struct bufferevent *bev, void *arg)
{
	struct member *m = arg;
	struct event_chat *s = m->srv;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;
	if (m->slot < 0)
		return;  /* leaving: its last words are going out */
	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_NUL)) != NULL) {
		int gone = broadcast(s, m, line, n) < 0;
		free(line);
		if (gone)
			return;  /* m itself was dropped: bev is no longer ours */
	}
	if (evbuffer_get_length(in) > WL_CHAT_MAX)
		too_long(m);
}

/* connection_lost: the end of the stream, a reset or an error. */
static void on_event(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		member_free(arg, 0);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
		      void *arg)
{
	(void)l;
	(void)sa;
	(void)salen;
	struct event_chat *s = arg;
	if (s->n >= WL_CHAT_CLIENTS) {
		send(fd, WL_CHAT_MSG_FULL, sizeof WL_CHAT_MSG_FULL, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	struct member *m = calloc(1, sizeof *m);
	struct bufferevent *bev = m ? bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE) : NULL;
	if (!bev) {
		free(m);
		close(fd);
		return;
	}
	evutil_make_socket_nonblocking(fd);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	*m = (struct member){ .bev = bev, .srv = s, .slot = s->n };
	s->members[s->n++] = m;
	bufferevent_setcb(bev, on_readable, on_writable, on_event, m);
	/* read no more than a message can be: past it, the client is refused */
	bufferevent_setwatermark(bev, EV_READ, 0, WL_CHAT_MAX + 1);
	bufferevent_setwatermark(bev, EV_WRITE, WL_CHAT_QUEUE_MAX / 2, 0);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	char hello[64];
	int k = snprintf(hello, sizeof hello, "* welcome, %d online", s->n);
	member_queue(m, hello, (size_t)k);
}

/* SIGTERM: every member and the listener freed, the loop left. */
static void on_sigterm(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	struct event_chat *s = arg;
	event_base_loopbreak(s->base);
}

static void accept_error(struct evconnlistener *l, void *arg)
{
	(void)l;
	(void)arg;
	/* out of descriptors: wait for some instead of spinning on the listener */
	if (errno == EMFILE || errno == ENFILE)
		wl_sleep_ms(10);
}

static int listen_on(struct event_chat *s, const char *host, uint16_t port)
{
	struct sockaddr_in6 ss;
	socklen_t len = wl_sockaddr(host, port, &ss);
	if (len)
		s->listener = evconnlistener_new_bind(s->base, on_accept, s,
						      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE |
						      LEV_OPT_CLOSE_ON_EXEC, WL_LISTEN_BACKLOG,
						      (struct sockaddr *)&ss, (int)len);
	if (!s->listener) {
		fprintf(stderr, "chat-event: listen on %s:%u: %s\n", host, port, strerror(errno));
		return -1;
	}
	evconnlistener_set_error_cb(s->listener, accept_error);
	return 0;
}

/* Room for every member and the listener (a flood must not hit EMFILE first). */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < WL_CHAT_CLIENTS + 64) {
		rl.rlim_cur = rl.rlim_max < WL_CHAT_CLIENTS + 64 ? rl.rlim_max : WL_CHAT_CLIENTS + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int serve_chat_event(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	struct event_chat *s = calloc(1, sizeof *s);
	if (!s || !(s->base = event_base_new())) {
		free(s);
		return 1;
	}
	int ok = listen_on(s, host, port) == 0;
	if (ok) {
		s->sigterm = evsignal_new(s->base, SIGTERM, on_sigterm, s);
		evsignal_add(s->sigterm, NULL);
		event_base_dispatch(s->base);
		while (s->n)
			member_free(s->members[s->n - 1], 0);
		while (s->leaving)
			member_free(s->leaving, 0);
		event_free(s->sigterm);
		evconnlistener_free(s->listener);
	}
	event_base_free(s->base);
	free(s);
	if (!ok)
		return 1;
	signal(SIGTERM, SIG_DFL);
	raise(SIGTERM);
	return 0;
}

const struct wl_own_server wl_own_chat_event = { "chat-event", serve_chat_event };

static int start_chat_event(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "chat-event", ctx->port ? ctx->port : CHAT_EVENT_PORT, 0, err, errlen);
}

const struct wl_server wl_server_chat_event = {
	.name = "chat-event", .desc = "wirelab's chat server on libevent bufferevents (eventlet's model)",
	.packages = "", .port = CHAT_EVENT_PORT, .start = start_chat_event,
};

const struct wl_driver wl_driver_chat_event = {
	.name = "chat-event", .desc = "three chat clients, the libevent bufferevent server (eventlet's model)",
	.server = "chat-event", .port = CHAT_EVENT_PORT, .bpf = "tcp port %u", .run = wl_chat_exchange,
};
