/* sock.h - small socket helpers for the lab's own clients and servers. */
#ifndef WL_SOCK_H
#define WL_SOCK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A TCP connection to host:port (IPv4 or IPv6 literal), with a timeout for
 * connect and for every later read/write. -1 with errno set on failure. */
int wl_tcp_connect(const char *host, uint16_t port, int timeout_ms);
/* The listen queue of the servers that must take a burst of connections: a
 * connection finding the queue full has its SYN dropped and tries again only
 * a second later (the kernel caps it at net.core.somaxconn). */
#define WL_LISTEN_BACKLOG 1024
/* A listening TCP socket on host:port (SO_REUSEADDR), or -1. */
int wl_tcp_listen(const char *host, uint16_t port, int backlog);
/* A bound UDP socket on host:port, or -1; port 0 binds an ephemeral port. */
int wl_udp_socket(const char *host, uint16_t port);
/* A sockaddr for host:port; returns its length, 0 if host is not a literal. */
socklen_t wl_sockaddr(const char *host, uint16_t port, void *ss);

int wl_send_all(int fd, const void *p, size_t n);
/* Reads one NUL-terminated message (the NUL not included) into buf (max bytes).
 * Returns its length, -1 on error/EOF, -2 when it exceeds max. Reads one byte at
 * a time from a small per-call buffer: use for clients, not for servers. */
ssize_t wl_recv_msg(int fd, char *buf, size_t max);
/* Reads one line ending in \n (kept out), same returns as wl_recv_msg. */
ssize_t wl_recv_line(int fd, char *buf, size_t max);
/* wl_recv_msg with a deadline (a wl_now_us() time) for the whole message,
 * not per read: a client trickling a byte at a time cannot hold a server
 * past it. -3 when the deadline passes. */
ssize_t wl_recv_msg_by(int fd, char *buf, size_t max, int64_t deadline_us);
/* Reads exactly n bytes before deadline_us: 0, or -1 on EOF, error or timeout. */
int wl_recv_all_by(int fd, void *buf, size_t n, int64_t deadline_us);
/* Sends all n bytes before deadline_us: 0, or -1 on error or timeout (a
 * client reading a byte now and then cannot stretch it, as it can a
 * socket's send timeout, which each partial write starts again). */
int wl_send_all_by(int fd, const void *p, size_t n, int64_t deadline_us);

/* Connections served each in a detached thread, at most max at once: a flood
 * of connections costs no more than max threads (and their buffers). When
 * every slot is taken, the oldest connection is shut down to make room, so
 * that connections held open by an attacker cannot lock newcomers out. */
struct wl_pool_slot {
	int fd;          /* the pool's own duplicate of the connection, -1: free */
	int evicted;
	int64_t since;
};
struct wl_conn_pool {
	void (*handle)(int fd, void *arg);  /* owns fd */
	void *arg;
	int max;
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct wl_pool_slot *slots;
};
/* 0, or -1 when out of memory. */
int wl_pool_init(struct wl_conn_pool *p, void (*handle)(int fd, void *arg), void *arg, int max);
/* Serves fd in a thread of the pool (its reads and writes time out after
 * 30 s), making room if need be; -1 (fd closed) when no thread can be had. */
int wl_pool_serve(struct wl_conn_pool *p, int fd);

/* Listens on host:port and serves each connection in a detached thread of its
 * own, at most WL_SERVE_MAX at once (past that the oldest is shut down):
 * handle(fd) owns fd (its reads time out after 30 s). Returns only on a
 * listen/accept failure (1), after printing why under name. */
#define WL_SERVE_MAX 256
int wl_serve_threads(const char *host, uint16_t port, const char *name, void (*handle)(int fd));

void wl_sleep_ms(int ms);
/* Monotonic time in microseconds. */
int64_t wl_now_us(void);

#endif
