/* test_servers.c - wirelab's own servers behave like production servers:
 * an over-long message gets an error and only that client is closed, a
 * client that never reads is dropped with the server's memory bounded, a
 * client vanishing mid-message harms nobody, a full server refuses cleanly,
 * SIGTERM ends it. Each chat architecture runs in a forked child on a test
 * port on 127.0.0.1. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "chat.h"
#include "drive.h"
#include "wltest.h"
#include "sock.h"

#define PORT 31411  /* below the ephemeral range, so no client socket holds it */

struct server {
	pid_t pid;
	uint16_t port;
};

static struct server start(const char *name, uint16_t port)
{
	const struct wl_own_server *s = wl_own_server_find(name);
	assert_non_null(s);
	struct server sv = { fork(), port };
	if (sv.pid == 0) {
		/* a test that dies must not leave its server holding the port and ctest's pipe */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGTERM, SIG_DFL);
		_exit(s->serve("127.0.0.1", port, "/tmp"));
	}
	assert_true(sv.pid > 0);
	assert_int_equal(wl_wait_port("127.0.0.1", port, 0, sv.pid, 5000), 0);
	return sv;
}

static void stop(struct server *sv)
{
	kill(sv->pid, SIGTERM);
	int st;
	assert_int_equal(waitpid(sv->pid, &st, 0), sv->pid);
	assert_true(WIFSIGNALED(st) || WIFEXITED(st));
	/* every socket closed: the port is free again */
	assert_false(wl_port_in_use(sv->port, 0));
}

static int join(uint16_t port)
{
	int fd = wl_tcp_connect("127.0.0.1", port, 5000);
	assert_true(fd >= 0);
	char b[128];
	assert_true(wl_recv_msg(fd, b, sizeof b - 1) >= 0);
	assert_int_equal(b[0], '*');  /* the welcome */
	return fd;
}

/* Sends msg and reads in bulk until it comes back (other traffic skipped). */
static void roundtrip(int fd, const char *msg)
{
	size_t mlen = strlen(msg) + 1;
	assert_int_equal(wl_send_all(fd, msg, mlen), 0);
	char buf[65536 + 256];
	size_t keep = 0;
	int64_t until = wl_now_us() + 30000000;
	while (wl_now_us() < until) {
		ssize_t n = recv(fd, buf + keep, sizeof buf - keep, 0);
		assert_true(n > 0);
		size_t len = keep + (size_t)n;
		for (size_t i = 0; i + mlen <= len; i++)
			if (memcmp(buf + i, msg, mlen) == 0 && (i == 0 || buf[i - 1] == '\0'))
				return;
		/* keep a tail long enough to hold a message cut by this read */
		keep = len < mlen ? len : mlen;
		memmove(buf, buf + len - keep, keep);
	}
	fail_msg("message never came back");
}

/* Sends count copies of msg while reading whatever comes back, as a
 * well-behaved client does (one that stops reading is dropped). */
static void flood(int fd, const char *msg, size_t len, int count)
{
	char sink[65536];
	size_t off = 0;
	int sent = 0;
	int64_t until = wl_now_us() + 60000000;
	while (sent < count && wl_now_us() < until) {
		ssize_t w = send(fd, msg + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w > 0) {
			off += (size_t)w;
			if (off == len) {
				off = 0;
				sent++;
			}
		} else {
			assert_true(w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
		}
		while (recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0)
			;
	}
	assert_int_equal(sent, count);
}

static void check_architecture(const char *name, uint16_t port)
{
	struct server sv = start(name, port);
	int good = join(port);

	/* over-long: an error to that client, then it is closed; the others go on */
	int big = join(port);
	char *blob = malloc(5000);
	assert_non_null(blob);
	memset(blob, 'x', 5000);
	wl_send_all(big, blob, 5000);
	char b[256];
	ssize_t n;
	do
		n = wl_recv_msg(big, b, sizeof b - 1);
	while (n >= 0 && strncmp(b, "* error", 7) != 0);
	assert_true(n >= 0);
	assert_true(wl_recv_msg(big, b, sizeof b - 1) < 0);  /* closed */
	close(big);
	roundtrip(good, "still here after the over-long one");

	/* vanishing mid-message */
	int gone = join(port);
	wl_send_all(gone, "half a mess", 11);
	close(gone);
	roundtrip(good, "still here after the vanished one");

	/* a slow client trickling a message a byte at a time holds nobody up:
	 * the good client's message comes back while the slow one's is still
	 * unfinished (a server waiting for it would never answer), and the slow
	 * one is not dropped for it (no FIN or reset) */
	int slow = join(port);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(wl_send_all(slow, "s", 1), 0);
		roundtrip(good, "not held up by the slow one");
		struct pollfd pf = { slow, POLLRDHUP, 0 };
		assert_int_equal(poll(&pf, 1, 0), 0);
		wl_sleep_ms(100);
	}
	close(slow);

	/* a client that never reads: dropped, memory bounded, others unaffected */
	int deaf = join(port);
	int small = 4096;
	setsockopt(deaf, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	memset(blob, 'y', 3999);
	blob[3999] = '\0';
	long before = wlt_rss_kib(sv.pid);
	flood(good, blob, 4000, 3000);  /* 12 MB of broadcasts */
	long after = wlt_rss_kib(sv.pid);
	print_message("%s: RSS %ld KiB before, %ld KiB after 12 MB to a client that never reads\n",
		      name, before, after);
#ifndef WL_ASAN
	/* (under ASan, freed memory waits in quarantine: RSS says nothing there) */
	assert_true(after - before < 16 * 1024);
#endif
	roundtrip(good, "still here after the deaf one");
	/* the deaf client was disconnected: past what the kernel buffered, EOF */
	char sink[65536];
	ssize_t r;
	while ((r = recv(deaf, sink, sizeof sink, 0)) > 0)
		;
	assert_true(r == 0 || errno == ECONNRESET);
	close(deaf);
	free(blob);
	close(good);
	stop(&sv);
}

static void test_chat_threaded(void **state)
{
	(void)state;
	check_architecture("chat-threaded", PORT);
}

static void test_chat_poll(void **state)
{
	(void)state;
	check_architecture("chat-poll", PORT + 1);
}

static void test_chat_epoll(void **state)
{
	(void)state;
	check_architecture("chat-epoll", PORT + 2);
}

/* 1024 clients fill the server; the next one is refused with a message. */
static void full_server_refuses(const char *name, uint16_t port)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_max < 2200)
		skip();
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	struct server sv = start(name, port);
	int *fds = calloc(1024, sizeof *fds);
	assert_non_null(fds);
	for (int i = 0; i < 1024; i++)
		fds[i] = join(port);
	int extra = wl_tcp_connect("127.0.0.1", port, 5000);
	assert_true(extra >= 0);
	char b[128];
	assert_true(wl_recv_msg(extra, b, sizeof b - 1) >= 0);
	assert_string_equal(b, "* server full, try later");
	close(extra);
	for (int i = 0; i < 1024; i++)
		close(fds[i]);
	free(fds);
	stop(&sv);
}

static void test_full_server_refuses(void **state)
{
	(void)state;
	full_server_refuses("chat-epoll", PORT + 3);
}

/* The echo servers answer, and refuse an over-long message with an error. */
static void test_echo_limits(void **state)
{
	(void)state;
	struct server sv = start("echo-threaded", PORT + 4);
	int fd = wl_tcp_connect("127.0.0.1", PORT + 4, 5000);
	char b[128];
	assert_int_equal(wl_send_all(fd, "ping", 5), 0);
	assert_true(wl_recv_msg(fd, b, sizeof b - 1) >= 0);
	assert_string_equal(b, "ping");
	close(fd);
	fd = wl_tcp_connect("127.0.0.1", PORT + 4, 5000);
	char *blob = malloc(70000);
	assert_non_null(blob);
	memset(blob, 'z', 70000);
	wl_send_all(fd, blob, 70000);
	assert_true(wl_recv_msg(fd, b, sizeof b - 1) >= 0);
	assert_memory_equal(b, "* error", 7);
	free(blob);
	close(fd);
	stop(&sv);
}

/* 50 clients at once: every client gets every broadcast exactly once, each
 * sender's in order (wl_chat_load checks both). */
static void concurrency(const char *name, uint16_t port)
{
	struct server sv = start(name, port);
	FILE *out = fopen("/dev/null", "w");
	assert_int_equal(wl_chat_load("127.0.0.1", port, 50, 3, out), 0);
	fclose(out);
	stop(&sv);
}

static void test_concurrency_threaded(void **state) { (void)state; concurrency("chat-threaded", PORT + 5); }
static void test_concurrency_poll(void **state) { (void)state; concurrency("chat-poll", PORT + 6); }
static void test_concurrency_epoll(void **state) { (void)state; concurrency("chat-epoll", PORT + 7); }

/* The two event-framework servers (drive/chat/) pass what the other three do. */
static void test_chat_uv(void **state) { (void)state; check_architecture("chat-uv", PORT + 8); }
static void test_chat_event(void **state) { (void)state; check_architecture("chat-event", PORT + 9); }
static void test_concurrency_uv(void **state) { (void)state; concurrency("chat-uv", PORT + 10); }
static void test_concurrency_event(void **state) { (void)state; concurrency("chat-event", PORT + 11); }
static void test_full_uv(void **state) { (void)state; full_server_refuses("chat-uv", PORT + 12); }
static void test_full_event(void **state) { (void)state; full_server_refuses("chat-event", PORT + 13); }

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chat_threaded),
		cmocka_unit_test(test_chat_poll),
		cmocka_unit_test(test_chat_epoll),
		cmocka_unit_test(test_full_server_refuses),
		/* before the concurrency tests: wl_chat_load lowers the descriptor limit */
		cmocka_unit_test(test_full_uv),
		cmocka_unit_test(test_full_event),
		cmocka_unit_test(test_echo_limits),
		cmocka_unit_test(test_concurrency_threaded),
		cmocka_unit_test(test_concurrency_poll),
		cmocka_unit_test(test_concurrency_epoll),
		cmocka_unit_test(test_chat_uv),
		cmocka_unit_test(test_chat_event),
		cmocka_unit_test(test_concurrency_uv),
		cmocka_unit_test(test_concurrency_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
