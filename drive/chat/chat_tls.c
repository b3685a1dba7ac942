/* chat_tls.c - the seeds' NUL-framed chat behind TLS (`wirelab lab chat-tls`,
 * server `wirelab serve chat-tls` on 127.0.0.1:4443): the messages vanish
 * from the wire, and reappear record by record when the trace is read with
 * the clients' key log.
 *
 * The server is one epoll loop: a new client is accepted and its TLS
 * handshake done step by step in the loop (within 5 s), then it gets "* welcome" and
 * every complete message any client sends (up to its NUL) is written to every
 * client. The clients are the plain chat exchange's, each behind a verified
 * TLS connection (lab CA, host name localhost); every SSL_write becomes one
 * record, so the awkward cuts of the script ("caerphil" | "ly\0illches" |
 * "ter\0brie\0") become record boundaries.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "drive.h"
#include "sock.h"
#include "tls_lab.h"

#define CHAT_TLS_PORT 4443
#define MSG_MAX 4096
#define NCLIENTS 3
#define NMSGS 7

/* ---- the server ---- */

/* Every socket is non-blocking and no call waits on one client: a TLS
 * handshake goes on step by step in the epoll loop (a client trickling its
 * ClientHello, or connecting and sending nothing, delays nobody) and must
 * finish within HANDSHAKE_MS. Members and handshakes under way share
 * WL_CHAT_TLS_MAX places, as many as the other chat servers' clients; a
 * connection costs a small struct until its first bytes arrive (only then is
 * its TLS state made), so a flood of silent connections is held, not
 * dropped, until its deadline. Only when every place is taken does the oldest
 * unfinished handshake make room for a new connection (a flood of half-open
 * connections cannot lock chatters out); a member whose kernel buffers are
 * full because it never reads is dropped instead of queued for. */
#define HANDSHAKE_MS 5000
#define ACCEPT_BURST 256     /* connections taken per turn of the loop, at most */
#define EVENTS_PER_TURN 64
#define FD_SPARE 16          /* descriptors besides the peers': stdio, listener, epoll, files */

struct peer {
	int fd;                     /* -1 once dropped (freed at the end of the loop's turn) */
	SSL *ssl;                   /* made when the client's first bytes arrive */
	int hs;                     /* handshake not finished yet */
	int slot;                   /* its index in chat.peers */
	uint32_t events;            /* what epoll waits for on it */
	int64_t deadline_us;        /* of the handshake */
	struct peer *older, *newer; /* the queue of handshakes; newer also links the dropped */
	char *buf;                  /* a member's unfinished message (MSG_MAX bytes) */
	size_t len;
};

struct chat {
	SSL_CTX *ctx;
	int lfd, epfd;
	int cap;                    /* places: WL_CHAT_TLS_MAX, or what the descriptor limit allows */
	int n;                      /* peers (members and handshakes) */
	int members;
	struct peer **peers;        /* cap of them, in no order */
	struct peer *oldest, *newest;  /* handshakes in accept order, so in deadline order */
	struct peer *dropped;       /* this turn's, freed at its end (events may still name them) */
};

static void hs_unlink(struct chat *c, struct peer *p)
{
	*(p->older ? &p->older->newer : &c->oldest) = p->newer;
	*(p->newer ? &p->newer->older : &c->newest) = p->older;
	p->older = p->newer = NULL;
}

static void peer_drop(struct chat *c, struct peer *p)
{
	if (p->hs)
		hs_unlink(c, p);
	else
		c->members--;
	c->peers[p->slot] = c->peers[--c->n];
	c->peers[p->slot]->slot = p->slot;
	SSL_free(p->ssl);
	close(p->fd);  /* which takes it out of the epoll set */
	p->fd = -1;
	p->ssl = NULL;
	p->newer = c->dropped;
	c->dropped = p;
}

static void free_dropped(struct chat *c)
{
	while (c->dropped) {
		struct peer *p = c->dropped;
		c->dropped = p->newer;
		free(p->buf);
		free(p);
	}
}

/* Backwards, so that a member dropped on the way (its slot taken by the
 * last one, already written to) skips nobody. */
static void broadcast(struct chat *c, const char *msg, size_t n)
{
	for (int i = c->n - 1; i >= 0; i--) {
		struct peer *p = c->peers[i];
		if (!p->hs && SSL_write(p->ssl, msg, (int)n) <= 0) {
			ERR_clear_error();
			peer_drop(c, p);
		}
	}
}

static int watch(struct chat *c, struct peer *p, uint32_t events)
{
	if (p->events == events)
		return 0;
	struct epoll_event ev = { .events = events, .data.ptr = p };
	p->events = events;
	return epoll_ctl(c->epfd, EPOLL_CTL_MOD, p->fd, &ev);
}

/* Makes p's TLS state once its first bytes are there: 1 made, 0 nothing
 * yet, -1 dropped (it closed or failed before sending anything). */
static int tls_begin(struct chat *c, struct peer *p)
{
	char b;
	ssize_t r = recv(p->fd, &b, 1, MSG_PEEK);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (r <= 0 || !(p->ssl = SSL_new(c->ctx)) || !SSL_set_fd(p->ssl, p->fd)) {
		peer_drop(c, p);
		return -1;
	}
	return 1;
}

/* The handshake done: p becomes a member and gets the welcome. */
static void welcome(struct chat *c, struct peer *p)
{
	hs_unlink(c, p);
	p->hs = 0;
	c->members++;
	p->buf = malloc(MSG_MAX);
	char hello[64];
	int k = snprintf(hello, sizeof hello, "* welcome, %d online", c->members);
	if (!p->buf || watch(c, p, EPOLLIN) < 0 || SSL_write(p->ssl, hello, k + 1) <= 0)
		peer_drop(c, p);
}

/* One more step of p's handshake. */
static void handshake(struct chat *c, struct peer *p)
{
	if (!p->ssl && tls_begin(c, p) <= 0)
		return;
	int r = SSL_accept(p->ssl);
	int e = r == 1 ? SSL_ERROR_NONE : SSL_get_error(p->ssl, r);
	ERR_clear_error();
	if (e == SSL_ERROR_NONE)
		welcome(c, p);
	else if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) ||
		 watch(c, p, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT) < 0)
		peer_drop(c, p);
}

/* Reads what one member sent and broadcasts every message it completes. */
static void read_peer(struct chat *c, struct peer *p)
{
	do {
		int k = SSL_read(p->ssl, p->buf + p->len, (int)(MSG_MAX - p->len));
		if (k <= 0) {
			int e = SSL_get_error(p->ssl, k);
			ERR_clear_error();
			if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
				peer_drop(c, p);  /* closed, reset or not TLS; a partial record waits */
			return;
		}
		p->len += (size_t)k;
		size_t start = 0;
		for (size_t i = 0; i < p->len; i++)
			if (p->buf[i] == '\0') {
				char msg[MSG_MAX];
				size_t n = i + 1 - start;
				memcpy(msg, p->buf + start, n);
				broadcast(c, msg, n);
				if (p->fd < 0)
					return;
				start = i + 1;
			}
		memmove(p->buf, p->buf + start, p->len - start);
		p->len -= start;
		if (p->len == MSG_MAX) {  /* a message over the limit */
			peer_drop(c, p);
			return;
		}
	} while (SSL_pending(p->ssl));
}

/* A new connection, waiting for its first bytes; when every place is
 * taken, the oldest handshake makes room, and with none (all members) the
 * newcomer is closed. */
static void add_peer(struct chat *c, int fd)
{
	if (c->n == c->cap && c->oldest)
		peer_drop(c, c->oldest);
	struct peer *p = c->n < c->cap ? calloc(1, sizeof *p) : NULL;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };
	if (!p || epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(p);
		close(fd);
		return;
	}
	*p = (struct peer){ .fd = fd, .hs = 1, .slot = c->n, .events = EPOLLIN,
			    .deadline_us = wl_now_us() + HANDSHAKE_MS * 1000LL, .older = c->newest };
	*(c->newest ? &c->newest->newer : &c->oldest) = p;
	c->newest = p;
	c->peers[c->n++] = p;
}

/* Takes the waiting connections, ACCEPT_BURST at most: the whole queue at
 * once, for in a burst a client's SYN would find it full. */
static void accept_burst(struct chat *c)
{
	for (int k = 0; k < ACCEPT_BURST; k++) {
		int fd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			add_peer(c, fd);
		} else if ((errno == EMFILE || errno == ENFILE) && c->oldest) {
			peer_drop(c, c->oldest);  /* out of descriptors: one back */
		} else if (errno == EMFILE || errno == ENFILE) {
			wl_sleep_ms(10);  /* only members hold them: wait, do not spin */
			return;
		} else if (errno != EINTR && errno != ECONNABORTED) {
			return;  /* EAGAIN: none left */
		}
	}
}

static void expire_handshakes(struct chat *c)
{
	int64_t now = wl_now_us();
	while (c->oldest && c->oldest->deadline_us <= now)
		peer_drop(c, c->oldest);
}

/* How long epoll may wait: until the first handshake deadline, or for ever. */
static int wait_ms(const struct chat *c)
{
	if (!c->oldest)
		return -1;
	int64_t left = c->oldest->deadline_us - wl_now_us();
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* WL_CHAT_TLS_MAX places, or as many as the descriptor limit leaves (raised
 * first as far as the hard limit lets): accept must never run out. */
static int place_count(void)
{
	struct rlimit rl;
	rlim_t want = WL_CHAT_TLS_MAX + FD_SPARE;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 4 * FD_SPARE;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= want)
		return WL_CHAT_TLS_MAX;
	return rl.rlim_cur > 2 * FD_SPARE ? (int)(rl.rlim_cur - FD_SPARE) : FD_SPARE;
}

static SSL_CTX *chat_tls_ctx(const char *state_dir)
{
	char err[256], cert[1100], key[1100];
	if (wl_tls_pki(state_dir, err, sizeof err) < 0) {
		fprintf(stderr, "chat-tls: %s\n", err);
		return NULL;
	}
	snprintf(cert, sizeof cert, "%.1000s/tls/%s", state_dir, WL_TLS_CERT);
	snprintf(key, sizeof key, "%.1000s/tls/%s", state_dir, WL_TLS_KEY);
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx || SSL_CTX_use_certificate_file(ctx, cert, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "chat-tls: cannot load %s\n", cert);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_num_tickets(ctx, 0);  /* keep the trace to the chat */
	return ctx;
}

static int chat_open(struct chat *c, const char *host, uint16_t port, const char *state_dir)
{
	*c = (struct chat){ .lfd = -1, .epfd = -1, .cap = place_count() };
	c->ctx = chat_tls_ctx(state_dir);
	if (!c->ctx)
		return -1;
	c->peers = calloc((size_t)c->cap, sizeof *c->peers);
	if (!c->peers) {
		fprintf(stderr, "chat-tls: out of memory\n");
		return -1;
	}
	c->lfd = wl_tcp_listen(host, port, WL_LISTEN_BACKLOG);
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	if (c->lfd < 0 || fcntl(c->lfd, F_SETFL, O_NONBLOCK) < 0 || c->epfd < 0 ||
	    epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->lfd, &ev) < 0) {
		perror("chat-tls: listen");
		return -1;
	}
	return 0;
}

static int serve_chat_tls(const char *host, uint16_t port, const char *state_dir)
{
	signal(SIGPIPE, SIG_IGN);
	struct chat c;
	if (chat_open(&c, host, port, state_dir) < 0)
		return 1;
	for (;;) {
		struct epoll_event ev[EVENTS_PER_TURN];
		int k = epoll_wait(c.epfd, ev, EVENTS_PER_TURN, wait_ms(&c));
		if (k < 0 && errno != EINTR)
			return 1;
		int listener = 0;
		for (int i = 0; i < k; i++) {
			struct peer *p = ev[i].data.ptr;
			if (!p)
				listener = 1;
			else if (p->fd >= 0 && p->hs)
				handshake(&c, p);
			else if (p->fd >= 0)
				read_peer(&c, p);
		}
		/* after the peers: an eviction cannot free one still named in ev */
		if (listener)
			accept_burst(&c);
		expire_handshakes(&c);
		free_dropped(&c);
	}
}

const struct wl_own_server wl_own_chat_tls = { "chat-tls", serve_chat_tls };

static int start_chat_tls(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	if (wl_tls_pki(ctx->state_dir, err, errlen) < 0)
		return -1;
	return wl_own_start(ctx, "chat-tls", ctx->port ? ctx->port : CHAT_TLS_PORT, 0, err, errlen);
}

const struct wl_server wl_server_chat_tls = {
	.name = "chat-tls", .desc = "wirelab's chat server behind TLS (one epoll loop)",
	.packages = "", .port = CHAT_TLS_PORT, .start = start_chat_tls,
};

/* ---- the exchange ---- */

static const char *const expected[NMSGS] = {
	"caerphilly", "illchester", "brie", "one", "two", "three", "Grüße aus Köln",
};

struct client {
	int fd;
	SSL *ssl;
	char buf[4096];
	size_t len;
	char *got[NMSGS + 4];
	unsigned n;
};

static void keylog_cb(const SSL *ssl, const char *line)
{
	FILE *f = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (f) {
		fprintf(f, "%s\n", line);
		fflush(f);
	}
}

static int client_join(SSL_CTX *ctx, const struct wl_drive_cfg *cfg, struct client *c)
{
	c->fd = wl_tcp_connect(cfg->host, cfg->port, 5000);
	if (c->fd < 0)
		return -1;
	c->ssl = SSL_new(ctx);
	if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) || !SSL_set_tlsext_host_name(c->ssl, "localhost") ||
	    !SSL_set1_host(c->ssl, "localhost") || SSL_connect(c->ssl) != 1)
		return -1;
	char b[128];
	size_t n = 0;
	while (n < sizeof b - 1) {  /* the welcome, up to its NUL */
		if (SSL_read(c->ssl, b + n, 1) <= 0)
			return -1;
		if (b[n++] == '\0')
			break;
	}
	return b[0] == '*' ? 0 : -1;
}

static void client_read(struct client *c)
{
	do {
		int k = SSL_read(c->ssl, c->buf + c->len, (int)(sizeof c->buf - c->len));
		if (k <= 0)
			return;
		c->len += (size_t)k;
		size_t start = 0;
		for (size_t i = 0; i < c->len; i++) {
			if (c->buf[i] != '\0')
				continue;
			if (c->buf[start] != '*' && c->n < NMSGS + 4)
				c->got[c->n++] = strndup(c->buf + start, i - start);
			start = i + 1;
		}
		memmove(c->buf, c->buf + start, c->len - start);
		c->len -= start;
	} while (SSL_pending(c->ssl));
}

static void send_script(struct client *c)
{
	static const struct { int who; const char *p; int n; } steps[] = {
		{ 0, "caerphil", 8 }, { 0, "ly\0illches", 10 }, { 0, "ter\0brie\0", 9 },
		{ 1, "one\0two\0three\0", 14 }, { 2, "Gr\xc3", 3 },
		{ 2, "\xbc\xc3\x9f" "e aus K\xc3\xb6ln", 15 },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		SSL_write(c[steps[i].who].ssl, steps[i].p, steps[i].n);
		wl_sleep_ms(60);
	}
}

static int order_ok(const struct client *c)
{
	static const int sender[NMSGS] = { 0, 0, 0, 1, 1, 1, 2 };
	int last[NCLIENTS] = { -1, -1, -1 };
	if (c->n != NMSGS)
		return 0;
	for (unsigned i = 0; i < c->n; i++) {
		int k = -1;
		for (int j = 0; j < NMSGS; j++)
			if (strcmp(c->got[i], expected[j]) == 0)
				k = j;
		if (k < 0 || k <= last[sender[k]])
			return 0;
		last[sender[k]] = k;
	}
	return 1;
}

static void exchange(struct client *cl)
{
	send_script(cl);
	int64_t until = wl_now_us() + 5000000;
	unsigned done = 0;
	while (done < NCLIENTS && wl_now_us() < until) {
		struct pollfd pf[NCLIENTS];
		for (int i = 0; i < NCLIENTS; i++)
			pf[i] = (struct pollfd){ cl[i].fd, POLLIN, 0 };
		poll(pf, NCLIENTS, 100);
		done = 0;
		for (int i = 0; i < NCLIENTS; i++) {
			if (pf[i].revents)
				client_read(&cl[i]);
			done += cl[i].n >= NMSGS;
		}
	}
}

static int report(const struct wl_drive_cfg *cfg, struct wl_drive_result *res, struct client *cl)
{
	int ok = 1;
	for (int i = 0; i < NCLIENTS; i++) {
		fprintf(cfg->out, "client %d received %u messages:", i + 1, cl[i].n);
		for (unsigned k = 0; k < cl[i].n; k++)
			fprintf(cfg->out, " \"%s\"", cl[i].got[k]);
		fprintf(cfg->out, "\n");
		ok &= order_ok(&cl[i]);
	}
	fprintf(cfg->out, "session secrets written to %s\n", res->keylog);
	if (!ok)
		return wl_drive_fail(res, "a client missed a message or got them out of order");
	wl_drive_fact(res, "every client received all %d messages, each sender's in order, over TLS",
		      NMSGS);
	res->ok = 1;
	return 0;
}

static int run_chat_tls(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	char ca[1100];
	snprintf(ca, sizeof ca, "%.1000s/tls/%s", cfg->state_dir, WL_TLS_CA);
	snprintf(res->keylog, sizeof res->keylog, "%.400s/tls/%s", cfg->state_dir, WL_TLS_KEYLOG);
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	FILE *kl = fopen(res->keylog, "w");
	struct client cl[NCLIENTS];
	memset(cl, 0, sizeof cl);
	int rc = -1, joined = 0;
	if (!ctx || SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		rc = wl_drive_fail(res, "no lab CA at %s: start the lab's server (wirelab servers up "
				   "chat-tls)", ca);
		goto out;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	SSL_CTX_set_app_data(ctx, kl);
	SSL_CTX_set_keylog_callback(ctx, keylog_cb);
	for (; joined < NCLIENTS; joined++) {
		if (client_join(ctx, cfg, &cl[joined]) < 0) {
			rc = wl_drive_fail(res, "client %d could not join over TLS", joined + 1);
			joined++;
			goto out;
		}
		fprintf(cfg->out, "client %d joined (%s, certificate verified)\n", joined + 1,
			SSL_get_version(cl[joined].ssl));
	}
	exchange(cl);
	rc = report(cfg, res, cl);
out:
	for (int i = 0; i < joined; i++) {
		if (cl[i].ssl && SSL_is_init_finished(cl[i].ssl))
			SSL_shutdown(cl[i].ssl);
		SSL_free(cl[i].ssl);
		if (cl[i].fd >= 0)
			close(cl[i].fd);
		for (unsigned k = 0; k < cl[i].n; k++)
			free(cl[i].got[k]);
	}
	SSL_CTX_free(ctx);
	if (kl)
		fclose(kl);
	return rc;
}

const struct wl_driver wl_driver_chat_tls = {
	.name = "chat-tls", .desc = "three chat clients behind TLS: the messages vanish from the wire",
	.server = "chat-tls", .port = CHAT_TLS_PORT, .bpf = "tcp port %u", .run = run_chat_tls,
};
