/* chat_tls.c - the seeds' NUL-framed chat behind TLS (`wirelab lab chat-tls`,
 * server `wirelab serve chat-tls` on 127.0.0.1:4443): the messages vanish
 * from the wire, and reappear record by record when the trace is read with
 * the clients' key log.
 *
 * The server is one poll() loop: a new client is accepted and its TLS
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
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "drive.h"
#include "sock.h"
#include "tls_lab.h"

#define CHAT_TLS_PORT 4443
#define MAX_CLIENTS 32
#define MSG_MAX 4096
#define NCLIENTS 3
#define NMSGS 7

/* ---- the server ---- */

/* Every socket is non-blocking and no call waits on one client: a TLS
 * handshake goes on step by step in the poll loop (a client trickling its
 * ClientHello, or connecting and sending nothing, delays nobody) and must
 * finish within HANDSHAKE_MS; when every slot is taken, the oldest
 * unfinished handshake makes room for a new connection (a flood of half-open
 * connections cannot lock chatters out); a client whose kernel buffers are
 * full because it never reads is dropped instead of queued for. */
#define HANDSHAKE_MS 5000
#define ACCEPT_BURST 256     /* connections taken per turn of the loop, at most */

struct peer {
	int fd;
	SSL *ssl;
	int hs;                 /* handshake not finished yet */
	short want;             /* what the handshake waits for: POLLIN or POLLOUT */
	int64_t deadline_us;    /* of the handshake */
	char buf[MSG_MAX];
	size_t len;
};

static void peer_drop(struct peer *p)
{
	SSL_free(p->ssl);
	close(p->fd);
	p->fd = -1;
	p->ssl = NULL;
	p->len = 0;
	p->hs = 0;
}

static void broadcast(struct peer *peers, const char *msg, size_t n)
{
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (peers[i].fd >= 0 && !peers[i].hs && SSL_write(peers[i].ssl, msg, (int)n) <= 0)
			peer_drop(&peers[i]);
}

static int online(const struct peer *peers)
{
	int n = 0;
	for (int i = 0; i < MAX_CLIENTS; i++)
		n += peers[i].fd >= 0 && !peers[i].hs;
	return n;
}

/* One more step of p's handshake; at its end, the welcome. */
static void handshake(struct peer *peers, struct peer *p)
{
	int r = SSL_accept(p->ssl);
	if (r == 1) {
		p->hs = 0;
		char hello[64];
		int k = snprintf(hello, sizeof hello, "* welcome, %d online", online(peers));
		if (SSL_write(p->ssl, hello, k + 1) <= 0)
			peer_drop(p);
		return;
	}
	int e = SSL_get_error(p->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		p->want = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
	else
		peer_drop(p);
	ERR_clear_error();
}

/* A free slot, or the one of the oldest unfinished handshake (dropped), or -1. */
static int free_slot(struct peer *peers)
{
	int oldest = -1;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		if (peers[i].fd < 0)
			return i;
		if (peers[i].hs && (oldest < 0 || peers[i].deadline_us < peers[oldest].deadline_us))
			oldest = i;
	}
	if (oldest >= 0)
		peer_drop(&peers[oldest]);
	return oldest;
}

/* Takes one waiting connection: 0, or -1 when none is left. */
static int accept_peer(SSL_CTX *ctx, int lfd, struct peer *peers)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return errno == EINTR || errno == ECONNABORTED ? 0 : -1;
	int slot = free_slot(peers);
	SSL *ssl = slot >= 0 ? SSL_new(ctx) : NULL;
	if (!ssl || !SSL_set_fd(ssl, fd)) {
		SSL_free(ssl);
		close(fd);  /* every slot a chatter: full */
		return 0;
	}
	peers[slot] = (struct peer){ .fd = fd, .ssl = ssl, .hs = 1, .want = POLLIN,
				     .deadline_us = wl_now_us() + HANDSHAKE_MS * 1000LL };
	handshake(peers, &peers[slot]);
	return 0;
}

/* Reads what one client sent and broadcasts every message it completes. */
static void read_peer(struct peer *peers, struct peer *p)
{
	do {
		int k = SSL_read(p->ssl, p->buf + p->len, (int)(sizeof p->buf - p->len));
		if (k <= 0) {
			int e = SSL_get_error(p->ssl, k);
			ERR_clear_error();
			if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
				peer_drop(p);  /* closed, reset or not TLS; a partial record waits */
			return;
		}
		p->len += (size_t)k;
		size_t start = 0;
		for (size_t i = 0; i < p->len; i++)
			if (p->buf[i] == '\0') {
				char msg[MSG_MAX];
				size_t n = i + 1 - start;
				memcpy(msg, p->buf + start, n);
				broadcast(peers, msg, n);
				if (p->fd < 0)
					return;
				start = i + 1;
			}
		memmove(p->buf, p->buf + start, p->len - start);
		p->len -= start;
		if (p->len == sizeof p->buf) {  /* a message over the limit */
			peer_drop(p);
			return;
		}
	} while (SSL_pending(p->ssl));
}

/* The poll set (slot i+1 for peer i) and how long poll may wait: until the
 * first handshake deadline, or for ever. */
static int poll_set(const struct peer *peers, struct pollfd *pf, int lfd)
{
	int64_t first = 0;
	pf[0] = (struct pollfd){ lfd, POLLIN, 0 };
	for (int i = 0; i < MAX_CLIENTS; i++) {
		const struct peer *p = &peers[i];
		pf[i + 1] = (struct pollfd){ p->fd, p->hs ? p->want : POLLIN, 0 };
		if (p->fd >= 0 && p->hs && (!first || p->deadline_us < first))
			first = p->deadline_us;
	}
	if (!first)
		return -1;
	int64_t left = first - wl_now_us();
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

static void expire_handshakes(struct peer *peers)
{
	int64_t now = wl_now_us();
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (peers[i].fd >= 0 && peers[i].hs && peers[i].deadline_us <= now)
			peer_drop(&peers[i]);
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

static int serve_chat_tls(const char *host, uint16_t port, const char *state_dir)
{
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *ctx = chat_tls_ctx(state_dir);
	if (!ctx)
		return 1;
	int lfd = wl_tcp_listen(host, port, WL_LISTEN_BACKLOG);
	if (lfd < 0 || fcntl(lfd, F_SETFL, O_NONBLOCK) < 0) {
		perror("chat-tls: listen");
		return 1;
	}
	static struct peer peers[MAX_CLIENTS];
	for (int i = 0; i < MAX_CLIENTS; i++)
		peers[i].fd = -1;
	for (;;) {
		struct pollfd pf[MAX_CLIENTS + 1];
		int wait_ms = poll_set(peers, pf, lfd);
		if (poll(pf, MAX_CLIENTS + 1, wait_ms) < 0 && errno != EINTR)
			return 1;
		/* the whole queue at once: in a burst, a client's SYN would find it full */
		for (int k = 0; (pf[0].revents & POLLIN) && k < ACCEPT_BURST; k++)
			if (accept_peer(ctx, lfd, peers) < 0)
				break;
		for (int i = 0; i < MAX_CLIENTS; i++) {
			struct peer *p = &peers[i];
			if (p->fd < 0 || pf[i + 1].fd != p->fd || !pf[i + 1].revents)
				continue;
			if (p->hs)
				handshake(peers, p);
			else
				read_peer(peers, p);
		}
		expire_handshakes(peers);
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
	.name = "chat-tls", .desc = "wirelab's chat server behind TLS (one poll loop)",
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
