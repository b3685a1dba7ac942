/* chat_client.c - the chat exchanges and the chat load test.
 *
 * The exchange: three clients join and wait for their welcome, then send so
 * that TCP cuts the stream the awkward ways the dissector and the servers must
 * handle (the seeds' table): "caerphil" | "ly\0illches" | "ter\0brie\0" (a
 * message across segments, two in one), "one\0two\0three\0" (three in one
 * segment) and "Gr\xc3" | "\xbc\xc3\x9fe aus Köln\0" (a cut inside a UTF-8
 * character). Every client must then receive all seven messages, each
 * sender's in order.
 *
 * The load test (`wirelab chat-load`): N clients, each sending one message a
 * second for S seconds; every client must receive every message sent while it
 * was connected: the report gives messages/s and the number lost.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chat.h"
#include "drive.h"
#include "sock.h"

#define NCLIENTS 3
#define NMSGS 7

static const char *const expected[NMSGS] = {
	"caerphilly", "illchester", "brie", "one", "two", "three", "Grüße aus Köln",
};

struct rx {
	char buf[8192];
	size_t len;
	char *got[NMSGS + 4];
	unsigned n;
};

/* Splits what arrived into messages; returns -1 on EOF/error. */
static int rx_read(int fd, struct rx *r)
{
	ssize_t k = recv(fd, r->buf + r->len, sizeof r->buf - r->len, MSG_DONTWAIT);
	if (k == 0 || (k < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (k > 0)
		r->len += (size_t)k;
	size_t start = 0;
	for (size_t i = 0; i < r->len; i++) {
		if (r->buf[i] != '\0')
			continue;
		if (r->buf[start] != '*' && r->n < NMSGS + 4)  /* "* welcome" lines are the server's */
			r->got[r->n++] = strndup(r->buf + start, i - start);
		start = i + 1;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
	return 0;
}

static int wait_welcome(int fd)
{
	char b[128];
	return wl_recv_msg(fd, b, sizeof b - 1) >= 0 && b[0] == '*' ? 0 : -1;
}

static void send_script(int fd[NCLIENTS])
{
	wl_send_all(fd[0], "caerphil", 8);
	wl_sleep_ms(60);
	wl_send_all(fd[0], "ly\0illches", 10);
	wl_sleep_ms(60);
	wl_send_all(fd[0], "ter\0brie\0", 9);
	wl_sleep_ms(60);
	wl_send_all(fd[1], "one\0two\0three\0", 14);
	wl_sleep_ms(60);
	wl_send_all(fd[2], "Gr\xc3", 3);
	wl_sleep_ms(60);
	wl_send_all(fd[2], "\xbc\xc3\x9f" "e aus K\xc3\xb6ln", 15);
}

/* Each sender's messages in order: position in expected[] must grow per sender. */
static int check_order(const struct rx *r)
{
	static const int sender[NMSGS] = { 0, 0, 0, 1, 1, 1, 2 };
	int last[NCLIENTS] = { -1, -1, -1 };
	if (r->n != NMSGS)
		return -1;
	for (unsigned i = 0; i < r->n; i++) {
		int k = -1;
		for (int j = 0; j < NMSGS; j++)
			if (strcmp(r->got[i], expected[j]) == 0)
				k = j;
		if (k < 0 || k <= last[sender[k]])
			return -1;
		last[sender[k]] = k;
	}
	return 0;
}

static int run_chat(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	int fd[NCLIENTS];
	struct rx rx[NCLIENTS];
	memset(rx, 0, sizeof rx);
	for (int i = 0; i < NCLIENTS; i++) {
		fd[i] = wl_tcp_connect(cfg->host, cfg->port, 5000);
		if (fd[i] < 0 || wait_welcome(fd[i]) < 0) {
			for (int k = 0; k <= i; k++)
				if (fd[k] >= 0)
					close(fd[k]);
			return wl_drive_fail(res, "client %d could not join: %s", i + 1, strerror(errno));
		}
		fprintf(cfg->out, "client %d joined\n", i + 1);
	}
	send_script(fd);
	int64_t until = wl_now_us() + 5000000;
	unsigned done = 0;
	while (done < NCLIENTS && wl_now_us() < until) {
		struct pollfd pf[NCLIENTS];
		for (int i = 0; i < NCLIENTS; i++)
			pf[i] = (struct pollfd){ fd[i], POLLIN, 0 };
		poll(pf, NCLIENTS, 100);
		done = 0;
		for (int i = 0; i < NCLIENTS; i++) {
			if (pf[i].revents)
				rx_read(fd[i], &rx[i]);
			done += rx[i].n >= NMSGS;
		}
	}
	int ok = 1;
	for (int i = 0; i < NCLIENTS; i++) {
		close(fd[i]);
		fprintf(cfg->out, "client %d received %u messages:", i + 1, rx[i].n);
		for (unsigned k = 0; k < rx[i].n; k++)
			fprintf(cfg->out, " \"%s\"", rx[i].got[k]);
		fprintf(cfg->out, "\n");
		if (check_order(&rx[i]) < 0)
			ok = 0;
		for (unsigned k = 0; k < rx[i].n; k++)
			free(rx[i].got[k]);
	}
	wl_drive_fact(res, "%d clients, %d messages each broadcast to all", NCLIENTS, NMSGS);
	if (!ok)
		return wl_drive_fail(res, "a client missed a message or got them out of order");
	wl_drive_fact(res, "every client received all %d messages, each sender's in order", NMSGS);
	res->ok = 1;
	return 0;
}

int wl_chat_exchange(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	return run_chat(cfg, res);
}

const struct wl_driver wl_driver_chat_threaded = {
	.name = "chat-threaded", .desc = "three chat clients, the two-threads-per-client server",
	.server = "chat-threaded", .port = 4042, .bpf = "tcp port %u", .run = run_chat,
};
const struct wl_driver wl_driver_chat_poll = {
	.name = "chat-poll", .desc = "three chat clients, the poll() server",
	.server = "chat-poll", .port = 4043, .bpf = "tcp port %u", .run = run_chat,
};
const struct wl_driver wl_driver_chat_epoll = {
	.name = "chat-epoll", .desc = "three chat clients, the epoll server",
	.server = "chat-epoll", .port = 4044, .bpf = "tcp port %u", .run = run_chat,
};

/* ---- load test ---- */

struct lclient {
	int fd;
	char buf[16384];
	size_t len;
	uint64_t received;
	uint64_t disorder;     /* a sender's message duplicated, skipped or out of order */
	int *next;             /* per sender: the sequence number expected next */
};

/* "load S from client I": each sender's S must arrive 0, 1, 2... exactly once. */
static void load_check(struct lclient *c, const char *msg, int clients)
{
	int seq, from;
	if (sscanf(msg, "load %d from client %d", &seq, &from) != 2 || from < 0 || from >= clients ||
	    seq != c->next[from]) {
		c->disorder++;
		return;
	}
	c->next[from]++;
}

static void load_read(struct lclient *c, int clients)
{
	for (;;) {
		ssize_t k = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, MSG_DONTWAIT);
		if (k <= 0)
			return;
		c->len += (size_t)k;
		size_t start = 0;
		for (size_t i = 0; i < c->len; i++) {
			if (c->buf[i] == '\0') {
				if (c->buf[start] != '*') {
					c->received++;
					load_check(c, c->buf + start, clients);
				}
				start = i + 1;
			}
		}
		memmove(c->buf, c->buf + start, c->len - start);
		c->len -= start;
	}
}

static void load_pump(struct lclient *cl, int n, int ep, int ms)
{
	struct epoll_event evs[256];
	int64_t until = wl_now_us() + (int64_t)ms * 1000;
	do {
		int k = epoll_wait(ep, evs, 256, 20);
		for (int i = 0; i < k; i++)
			load_read(&cl[evs[i].data.u32], n);
	} while (wl_now_us() < until);
}

int wl_chat_load(const char *host, uint16_t port, int clients, int seconds, FILE *out)
{
	struct rlimit rl = { (rlim_t)clients + 64, (rlim_t)clients + 64 };
	setrlimit(RLIMIT_NOFILE, &rl);
	struct lclient *cl = calloc((size_t)clients, sizeof *cl);
	int ep = epoll_create1(0);
	if (!cl || ep < 0)
		return -1;
	int joined = 0;
	for (int i = 0; i < clients; i++) {
		cl[i].next = calloc((size_t)clients, sizeof *cl[i].next);
		if (!cl[i].next)
			break;
		cl[i].fd = wl_tcp_connect(host, port, 5000);
		if (cl[i].fd < 0 || wait_welcome(cl[i].fd) < 0) {
			fprintf(out, "client %d could not join: %s\n", i + 1, strerror(errno));
			break;
		}
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		epoll_ctl(ep, EPOLL_CTL_ADD, cl[i].fd, &ev);
		joined++;
	}
	uint64_t sent = 0;
	int64_t t0 = wl_now_us();
	for (int s = 0; s < seconds; s++) {
		for (int i = 0; i < joined; i++) {
			char msg[64];
			int k = snprintf(msg, sizeof msg, "load %d from client %d", s, i);
			if (wl_send_all(cl[i].fd, msg, (size_t)k + 1) == 0)
				sent++;
			if (i % 50 == 49)
				load_pump(cl, joined, ep, 0);
		}
		int64_t next = t0 + (int64_t)(s + 1) * 1000000;
		load_pump(cl, joined, ep, (int)((next - wl_now_us()) / 1000));
	}
	double secs = (double)(wl_now_us() - t0) / 1e6;
	/* let the last broadcasts arrive: until nothing comes for a second (20 s at most) */
	uint64_t expect = sent * (uint64_t)joined, got = 0, before;
	int64_t give_up = wl_now_us() + 20000000;
	do {
		before = got;
		load_pump(cl, joined, ep, 1000);
		got = 0;
		for (int i = 0; i < joined; i++)
			got += cl[i].received;
	} while (got != before && got < expect && wl_now_us() < give_up);
	double drain = (double)(wl_now_us() - t0) / 1e6 - secs;
	uint64_t disorder = 0;
	for (int i = 0; i < joined; i++) {
		close(cl[i].fd);
		disorder += cl[i].disorder;
	}
	for (int i = 0; i < clients; i++)
		free(cl[i].next);
	fprintf(out, "clients %d, sent %llu messages in %.1f s (%.0f/s), deliveries %llu of %llu "
		"(%.0f/s), last one %.1f s after the sending stopped, lost %llu, out of order or "
		"duplicated %llu\n", joined, (unsigned long long)sent, secs, (double)sent / secs,
		(unsigned long long)got, (unsigned long long)expect, (double)got / (secs + drain), drain,
		(unsigned long long)(expect - got), (unsigned long long)disorder);
	close(ep);
	free(cl);
	return joined == clients && got == expect && disorder == 0 ? 0 : 1;
}
