/* test_capture.c - live capture on lo through the capture thread and its
 * bounded queue: the test opens, uses and closes a TCP connection to its own
 * listener and finds the handshake, the data and the FIN teardown in the
 * dissected capture; then the pcap writer round trip; then the queue under
 * a slow reader: a small ring that wraps and drops, every packet handed over
 * intact and in order. Needs root (skipped without permission to capture). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "sock.h"
#include "wltest.h"

#define PORT 31499  /* below the ephemeral range */

static int any_note(const struct wlt *t, const char *proto, const char *substr)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->msgs[i].proto, proto) == 0 && wlt_note(&t->msgs[i], substr))
			return 1;
	return 0;
}

/* One connection to our own listener: connect, send, echo, close both ways. */
static void exchange(void)
{
	int lfd = wl_tcp_listen("127.0.0.1", PORT, 4);
	assert_true(lfd >= 0);
	int c = wl_tcp_connect("127.0.0.1", PORT, 2000);
	assert_true(c >= 0);
	int s = accept(lfd, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(wl_send_all(c, "hello, wire\n", 12), 0);
	char buf[32];
	assert_int_equal(recv(s, buf, sizeof buf, 0), 12);
	assert_int_equal(wl_send_all(s, buf, 12), 0);
	assert_int_equal(recv(c, buf, sizeof buf, 0), 12);
	close(c);
	close(s);
	close(lfd);
}

/* TCP flags of an Ethernet/IPv4 frame, or 0. */
static unsigned tcp_flags(const uint8_t *f, uint32_t caplen)
{
	if (caplen < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 6)
		return 0;
	uint32_t tcp = 14 + (f[14] & 0x0fu) * 4;
	return caplen > tcp + 13 ? f[tcp + 13] : 0;
}

/* The teardown so far (fins: FINs seen, 3 once the second FIN was ACKed)
 * and this frame: 1 when it takes it a step further. */
static int teardown_step(int fins, const uint8_t *f, uint32_t caplen)
{
	unsigned fl = tcp_flags(f, caplen);
	if (fl & 0x01)
		return fins < 2;
	return fins == 2 && (fl & 0x10);  /* the ACK of the second FIN */
}

static void test_live_capture_on_lo(void **state)
{
	(void)state;
	char err[512];
	struct wl_live_cfg cfg = { .iface = "lo", .filter = "tcp port 31499" };
	struct wl_source *src = wl_source_live(&cfg, err, sizeof err);
	if (!src) {
		print_message("skipped: %s\n", err);
		skip();
	}
	char path[] = "/tmp/wl-test-capture-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct wl_writer *w = wl_writer_open(path, wl_source_linktype(src), wl_source_snaplen(src),
					     err, sizeof err);
	assert_non_null(w);

	exchange();

	/* read until the teardown's last ACK has come through the capture
	 * thread (the kernel may send it after close() returns), then stop and
	 * take what is left; the guard only ends a capture that missed it */
	struct wlt t;
	wlt_init(&t, NULL);
	struct wl_pkt p;
	int r, fins = 0, stopped = 0;
	unsigned frames = 0;
	int64_t guard = wl_now_us() + 5000000;
	while ((r = wl_source_next(src, &p)) != 0) {
		if (r == 1) {
			assert_int_equal(wl_writer_write(w, &p), 0);
			wlt_frame(&t, wl_source_linktype(src), p.data, p.caplen);
			frames++;
			fins += teardown_step(fins, p.data, p.caplen);
		} else {
			assert_int_equal(r, 2);
		}
		if (!stopped && (fins == 3 || wl_now_us() > guard)) {
			wl_source_stop(src);
			stopped = 1;
		}
	}
	struct wl_capture_stats st;
	wl_source_stats(src, &st);
	wl_source_close(src);
	wlt_finish(&t);
	assert_int_equal(wl_writer_close(w, err, sizeof err), 0);

	/* SYN, SYN-ACK, ACK, data, ACK, data, ACK, FIN.., at least 9 frames */
	assert_true(frames >= 9);
	assert_int_equal(st.received, frames);
	assert_int_equal(st.queue_drops, 0);
	assert_true(any_note(&t, "tcp", "handshake 1/3"));
	assert_true(any_note(&t, "tcp", "handshake 2/3"));
	assert_true(any_note(&t, "tcp", "handshake 3/3"));
	assert_true(any_note(&t, "tcp", "the client has no more data to send (FIN)"));
	assert_true(any_note(&t, "tcp", "the server has no more data to send (FIN)"));
	const struct wlt_msg *d = wlt_find(&t, "data", NULL, 0);
	assert_non_null(d);
	assert_string_equal(wlt_field(d, "data.len", 0), "12");
	assert_int_equal(d->dir, WL_C2S);
	assert_non_null(wlt_find(&t, "data", NULL, 1));
	assert_int_equal(wlt_find(&t, "data", NULL, 1)->dir, WL_S2C);
	assert_int_equal(t.flows_closed, 1);
	wlt_free(&t);

	/* the written file holds every packet and reads back the same */
	struct wl_source *back = wl_source_offline(path, err, sizeof err);
	assert_non_null(back);
	unsigned again = 0;
	while (wl_source_next(back, &p) == 1)
		again++;
	wl_source_close(back);
	assert_int_equal(again, frames);
	unlink(path);
}

#define QPORT 31498
#define QCOUNT 4000

static void qpayload(uint32_t seq, uint8_t *buf, size_t *len)
{
	*len = 4 + (seq * 37u) % 1400;   /* sizes vary, so the wrap lands anywhere */
	memcpy(buf, &seq, 4);
	for (size_t i = 4; i < *len; i++)
		buf[i] = (uint8_t)(seq * 7u + i);
}

struct qsend {
	int64_t start_us;
	_Atomic int64_t done_us;  /* 0 until the last datagram is sent */
};

/* Sends QCOUNT numbered datagrams, 20 every 1 ms, to a socket that never reads. */
static void *qsender(void *arg)
{
	struct qsend *q = arg;
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(QPORT) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(rx, (struct sockaddr *)&sa, sizeof sa) < 0 || connect(tx, (struct sockaddr *)&sa, sizeof sa) < 0)
		return (void *)1;
	uint8_t buf[1500];
	size_t len;
	for (uint32_t seq = 0; seq < QCOUNT; seq++) {
		qpayload(seq, buf, &len);
		if (send(tx, buf, len, 0) != (ssize_t)len)
			return (void *)1;
		if (seq % 20 == 19)
			wl_sleep_ms(1);
	}
	atomic_store(&q->done_us, wl_now_us());
	close(tx);
	close(rx);
	return NULL;
}

/* Whether the capture should stop: every datagram taken from the kernel,
 * or (a guard) none more for as long again as the sending took. */
static int queue_test_over(struct wl_source *src, const struct qsend *q)
{
	struct wl_capture_stats st;
	wl_source_stats(src, &st);
	int64_t done = atomic_load(&q->done_us);
	return st.received >= QCOUNT || (done && wl_now_us() - done > done - q->start_us);
}

/* A 20000-byte queue (not a multiple of 8) and a reader slower than the
 * sender: the ring wraps many times and drops; what arrives is whole and in
 * order, and received = handed over + queue drops. */
static void test_live_queue_slow_reader(void **state)
{
	(void)state;
	char err[512];
	struct wl_live_cfg cfg = { .iface = "lo", .filter = "udp port 31498", .queue_bytes = 20000 };
	struct wl_source *src = wl_source_live(&cfg, err, sizeof err);
	if (!src) {
		print_message("skipped: %s\n", err);
		skip();
	}
	pthread_t th;
	struct qsend q = { wl_now_us(), 0 };
	assert_int_equal(pthread_create(&th, NULL, qsender, &q), 0);
	uint64_t got = 0;
	int64_t last = -1;
	int r, stopped = 0;
	struct wl_pkt p;
	while ((r = wl_source_next(src, &p)) != 0) {
		if (!stopped && queue_test_over(src, &q)) {
			wl_source_stop(src);
			stopped = 1;
		}
		if (r == 2)
			continue;
		assert_int_equal(r, 1);
		/* Ethernet (lo), IPv4 without options, UDP */
		assert_true(p.caplen >= 14 + 20 + 8 + 4);
		uint32_t seq;
		memcpy(&seq, p.data + 42, 4);
		uint8_t want[1500];
		size_t len;
		qpayload(seq, want, &len);
		assert_int_equal(p.caplen, 42 + len);
		assert_memory_equal(p.data + 42, want, len);
		assert_true((int64_t)seq > last);
		last = seq;
		got++;
		if (got % 4 == 0) {
			struct timespec nap = { 0, 200000 };  /* 0.2 ms: slower than the sender */
			nanosleep(&nap, NULL);
		}
	}
	void *sent_ok;
	pthread_join(th, &sent_ok);
	assert_null(sent_ok);
	struct wl_capture_stats st;
	wl_source_stats(src, &st);
	wl_source_close(src);
	print_message("queue: %llu received, %llu handed over, %llu queue drops\n",
		      (unsigned long long)st.received, (unsigned long long)got,
		      (unsigned long long)st.queue_drops);
	assert_int_equal(st.kernel_drops, 0);
	assert_int_equal(st.received, QCOUNT);
	assert_int_equal(st.received, got + st.queue_drops);
	assert_true(st.queue_drops > 0);
	assert_true(got > 200);
}

/* A bad filter and a missing interface are one clear line each. */
static void test_live_errors(void **state)
{
	(void)state;
	char err[512];
	struct wl_live_cfg bad = { .iface = "lo", .filter = "tcp port" };
	struct wl_source *s = wl_source_live(&bad, err, sizeof err);
	if (!s && strstr(err, "permission"))
		skip();
	assert_null(s);
	assert_non_null(strstr(err, "bad filter"));
	struct wl_live_cfg none = { .iface = "wl-no-such0" };
	assert_null(wl_source_live(&none, err, sizeof err));
	assert_non_null(strstr(err, "wl-no-such0"));
	assert_null(strchr(err, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_capture_on_lo),
		cmocka_unit_test(test_live_queue_slow_reader),
		cmocka_unit_test(test_live_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
