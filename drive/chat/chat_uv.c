/* chat_uv.c - the seeds' chat server on libuv (`wirelab serve chat-uv`,
 * 127.0.0.1:4046), the C model of the seed's asyncio chapter.
 *
 * asyncio calls connection_made / data_received / connection_lost on a
 * protocol object and the protocol writes through its transport; libuv calls
 * on_connection, on_read (with UV_EOF for the end) and on_closed on a handle,
 * and the handle's writes are requests the loop completes later (on_written).
 * The loop, the readiness calls and the partial writes are libuv's; what is
 * left here is the chat: a member table, the NUL-framing parser
 * (chat_frame.c) and a write queue per member.
 *
 *   listener ──on_connection──► member ──on_read──► frame_feed ──► broadcast
 *                                 ▲                                  │
 *                        on_written (one uv_write in flight)   queue: append to
 *                                 └──── flush (uv_check, once ◄──── `pending`
 *                                        per turn of the loop)
 *
 * A broadcast appends to every member's pending buffer; a uv_check handle,
 * run once per turn of the loop after the I/O callbacks, starts one uv_write
 * per member with what gathered (as chat-epoll sends once per turn), so a
 * burst of messages costs a member one write, not one per message. The
 * production habits are chat-epoll's: "* welcome", "* server full" past
 * 1,024 members, "* error" and a close for a message over 4,096 bytes, a
 * member whose queue passes 1 MiB (it does not read) dropped with a reset,
 * and backpressure: a member whose own queue is over half of that is not read
 * (uv_read_stop) until it has taken its share. SIGTERM closes every handle
 * (uv_walk), checks the loop is empty (uv_loop_close) and then ends the
 * process by SIGTERM, as the other servers end.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <uv.h>

#include "chat_frame.h"
#include "chat.h"
#include "drive.h"
#include "sock.h"

#define CHAT_UV_PORT 4046
#define READ_CHUNK 65536

/* A growable byte buffer (a member's queue). */
struct outbuf {
	char *data;
	size_t len, cap;
};

struct member {
	uv_tcp_t tcp;            /* first: the handle's address is the member's */
	struct uv_chat *srv;
	int slot;                /* index in srv->members, -1 once it has left */
	int closing;             /* left the table: no more reads or queueing */
	int close_after_flush;   /* over-long: the error goes out, then the close */
	int reading;
	int in_flight;           /* wreq is busy with `writing` */
	struct wl_chat_frame frame;
	uv_write_t wreq;
	struct outbuf writing;   /* what the write in flight sends */
	struct outbuf pending;   /* what broadcasts added since */
};

struct uv_chat {
	uv_loop_t loop;
	uv_tcp_t listener;
	uv_check_t flusher;
	uv_signal_t sigterm;
	struct member *members[WL_CHAT_CLIENTS];
	int n;
	char read_buf[READ_CHUNK];  /* one read at a time: every read is parsed at once */
};

static void member_flush(struct member *m);
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);

static size_t queued(const struct member *m)
{
	return m->writing.len + m->pending.len;
}

static int outbuf_add(struct outbuf *b, const char *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		char *nb = realloc(b->data, cap);
		if (!nb)
			return -1;
		b->data = nb;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

/* ---- leaving ---- */

static void on_closed(uv_handle_t *h)
{
	struct member *m = (struct member *)h;
	free(m->writing.data);
	free(m->pending.data);
	free(m);
}

/* Takes m out of the table (broadcasts skip it from now on). */
static void member_leave(struct member *m)
{
	struct uv_chat *s = m->srv;
	if (m->slot < 0)
		return;
	struct member *last = s->members[--s->n];
	s->members[m->slot] = last;
	last->slot = m->slot;
	m->slot = -1;
	m->closing = 1;
}

/* Closes m: a FIN after what was written, or (abortive) a reset, for a member
 * that stopped reading, so the kernel does not go on trickling megabytes into
 * its closed window. Pending writes end with UV_ECANCELED before on_closed. */
static void member_close(struct member *m, int abortive)
{
	member_leave(m);
	if (uv_is_closing((uv_handle_t *)&m->tcp))
		return;
	if (!abortive || uv_tcp_close_reset(&m->tcp, on_closed) != 0)
		uv_close((uv_handle_t *)&m->tcp, on_closed);
}

/* ---- writing ---- */

/* Backpressure: reads go on only while m's own queue is at most half full,
 * so a fast sender slows down instead of being dropped. */
static void update_reading(struct member *m)
{
	int want = !m->closing && queued(m) <= WL_CHAT_QUEUE_MAX / 2;
	if (want == m->reading)
		return;
	m->reading = want;
	if (want)
		uv_read_start((uv_stream_t *)&m->tcp, on_alloc, on_read);
	else
		uv_read_stop((uv_stream_t *)&m->tcp);
}

static void on_written(uv_write_t *req, int status)
{
	struct member *m = req->data;
	m->in_flight = 0;
	m->writing.len = 0;
	if (status < 0) {  /* reset by the peer, or cancelled by the close */
		member_close(m, 0);
		return;
	}
	if (m->close_after_flush && !m->pending.len) {
		member_close(m, 0);
		return;
	}
	member_flush(m);
	update_reading(m);
}

/* Starts a write of everything pending unless one is in flight: the two
 * buffers swap, so the one the write reads is never reallocated under it. */
static void member_flush(struct member *m)
{
	if (m->in_flight || !m->pending.len || uv_is_closing((uv_handle_t *)&m->tcp))
		return;
	struct outbuf t = m->writing;
	m->writing = m->pending;
	m->pending = t;
	m->pending.len = 0;
	uv_buf_t b = uv_buf_init(m->writing.data, (unsigned)m->writing.len);
	m->wreq.data = m;
	if (uv_write(&m->wreq, (uv_stream_t *)&m->tcp, &b, 1, on_written) < 0) {
		m->writing.len = 0;
		member_close(m, 0);
		return;
	}
	m->in_flight = 1;
}

/* Queues msg and its NUL for m; a member over the cap is dropped. */
static void member_queue(struct member *m, const char *msg, size_t n)
{
	if (m->closing)
		return;
	if (queued(m) + n + 1 > WL_CHAT_QUEUE_MAX) {
		member_close(m, 1);  /* it does not read */
		return;
	}
	if (outbuf_add(&m->pending, msg, n) < 0 || outbuf_add(&m->pending, "", 1) < 0)
		member_close(m, 0);
}

/* Once per turn of the loop, after its I/O callbacks: a write per member
 * with everything the turn's broadcasts gave it. */
static void on_check(uv_check_t *h)
{
	struct uv_chat *s = h->data;
	for (int i = s->n - 1; i >= 0; i--) {
		struct member *m = s->members[i];
		member_flush(m);
		update_reading(m);
	}
}

/* ---- reading ---- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	(void)suggested;
	struct member *m = (struct member *)h;
	*buf = uv_buf_init(m->srv->read_buf, sizeof m->srv->read_buf);
}

/* data_received: every message the bytes complete goes to every member. */
static void on_message(void *arg, const char *msg, size_t len)
{
	struct uv_chat *s = arg;
	/* from the end: a member dropped on the way swaps the last one into its slot */
	for (int i = s->n - 1; i >= 0; i--)
		member_queue(s->members[i], msg, len);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct member *m = (struct member *)stream;
	if (nread < 0) {  /* UV_EOF, or reset: connection_lost */
		member_close(m, 0);
		return;
	}
	if (m->closing)
		return;
	if (wl_chat_frame_feed(&m->frame, buf->base, (size_t)nread, on_message, m->srv) < 0) {
		member_queue(m, WL_CHAT_MSG_TOO_LONG, sizeof WL_CHAT_MSG_TOO_LONG - 1);
		uv_read_stop(stream);
		m->reading = 0;
		member_leave(m);
		m->close_after_flush = 1;
		member_flush(m);
		return;
	}
	update_reading(m);
}

/* ---- accepting ---- */

static void refuse(uv_tcp_t *tcp)
{
	uv_buf_t b = uv_buf_init((char *)WL_CHAT_MSG_FULL, sizeof WL_CHAT_MSG_FULL);
	uv_try_write((uv_stream_t *)tcp, &b, 1);
	uv_close((uv_handle_t *)tcp, on_closed);
}

/* connection_made: a member gets its slot and its welcome. */
static void on_connection(uv_stream_t *listener, int status)
{
	struct uv_chat *s = listener->data;
	if (status < 0)
		return;
	struct member *m = calloc(1, sizeof *m);
	if (!m || uv_tcp_init(&s->loop, &m->tcp) < 0) {
		free(m);
		return;
	}
	if (uv_accept(listener, (uv_stream_t *)&m->tcp) < 0) {
		uv_close((uv_handle_t *)&m->tcp, on_closed);
		return;
	}
	if (s->n >= WL_CHAT_CLIENTS) {
		refuse(&m->tcp);
		return;
	}
	uv_tcp_nodelay(&m->tcp, 1);
	m->srv = s;
	m->slot = s->n;
	s->members[s->n++] = m;
	char hello[64];
	int k = snprintf(hello, sizeof hello, "* welcome, %d online", s->n);
	member_queue(m, hello, (size_t)k);
	m->reading = 1;
	if (uv_read_start((uv_stream_t *)&m->tcp, on_alloc, on_read) < 0)
		member_close(m, 0);
}

/* ---- the loop ---- */

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (uv_is_closing(h))
		return;
	struct uv_chat *s = h->loop->data;
	if (h->type == UV_TCP && h != (uv_handle_t *)&s->listener) {
		member_close((struct member *)h, 0);
		return;
	}
	uv_close(h, NULL);
}

/* SIGTERM: every handle closed, the loop left empty, then the default end. */
static void on_sigterm(uv_signal_t *h, int signum)
{
	(void)signum;
	uv_walk(h->loop, close_any, NULL);
}

static int listen_on(struct uv_chat *s, const char *host, uint16_t port)
{
	struct sockaddr_storage ss;
	int r = strchr(host, ':') ? uv_ip6_addr(host, port, (struct sockaddr_in6 *)&ss)
				  : uv_ip4_addr(host, port, (struct sockaddr_in *)&ss);
	if (r == 0)
		r = uv_tcp_init(&s->loop, &s->listener);
	if (r == 0)
		r = uv_tcp_bind(&s->listener, (struct sockaddr *)&ss, 0);
	s->listener.data = s;
	if (r == 0)
		r = uv_listen((uv_stream_t *)&s->listener, WL_LISTEN_BACKLOG, on_connection);
	if (r < 0)
		fprintf(stderr, "chat-uv: listen on %s:%u: %s\n", host, port, uv_strerror(r));
	return r;
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

static int serve_chat_uv(const char *host, uint16_t port, const char *state_dir)
{
	(void)state_dir;
	signal(SIGPIPE, SIG_IGN);
	raise_fd_limit();
	struct uv_chat *s = calloc(1, sizeof *s);
	if (!s || uv_loop_init(&s->loop) < 0) {
		free(s);
		return 1;
	}
	s->loop.data = s;
	int ok = listen_on(s, host, port) == 0;
	if (ok) {
		uv_check_init(&s->loop, &s->flusher);
		s->flusher.data = s;
		uv_check_start(&s->flusher, on_check);
		uv_signal_init(&s->loop, &s->sigterm);
		s->sigterm.data = s;
		uv_signal_start(&s->sigterm, on_sigterm, SIGTERM);
		uv_run(&s->loop, UV_RUN_DEFAULT);
	} else {
		uv_walk(&s->loop, close_any, NULL);
		uv_run(&s->loop, UV_RUN_DEFAULT);
	}
	int busy = uv_loop_close(&s->loop);
	free(s);
	if (busy)
		fprintf(stderr, "chat-uv: handles left open at exit: %s\n", uv_strerror(busy));
	if (!ok)
		return 1;
	signal(SIGTERM, SIG_DFL);
	raise(SIGTERM);
	return busy ? 1 : 0;
}

const struct wl_own_server wl_own_chat_uv = { "chat-uv", serve_chat_uv };

static int start_chat_uv(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	return wl_own_start(ctx, "chat-uv", ctx->port ? ctx->port : CHAT_UV_PORT, 0, err, errlen);
}

const struct wl_server wl_server_chat_uv = {
	.name = "chat-uv", .desc = "wirelab's chat server on libuv (callbacks, asyncio's model)",
	.packages = "", .port = CHAT_UV_PORT, .start = start_chat_uv,
};

const struct wl_driver wl_driver_chat_uv = {
	.name = "chat-uv", .desc = "three chat clients, the libuv server (asyncio's callbacks)",
	.server = "chat-uv", .port = CHAT_UV_PORT, .bpf = "tcp port %u", .run = wl_chat_exchange,
};
