/* chat_load.h - the chat load with latency (`wirelab chat-load --compare`,
 * tests/test_server_load.c): N clients join one chat server, each sends M
 * messages of a given size at a given rate, every member must receive every
 * message; each delivery's latency is measured by the clients (the send time
 * travels in the message), the server's memory, threads and CPU are read
 * from /proc. */
#ifndef WL_CHAT_LOAD_H
#define WL_CHAT_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define WL_CHAT_LOAD_MAX_CLIENTS 2000
/* clients × clients × messages: every delivery's latency is kept (4 bytes
 * each), so the percentiles are exact and memory stays under 80 MB */
#define WL_CHAT_LOAD_MAX_DELIVERIES 20000000ull
#define WL_CHAT_LOAD_MIN_SIZE 32     /* room for sender, number and send time */
#define WL_CHAT_LOAD_MAX_SIZE 4096   /* the servers' longest message */

struct wl_chat_load_opts {
	int clients;             /* 1..WL_CHAT_LOAD_MAX_CLIENTS */
	int messages;            /* per client */
	int size;                /* bytes per message, its NUL not counted */
	double rate;             /* messages a second, per client */
	int time_limit_s;        /* for the whole run: joining, sending, the last deliveries */
	int tls;                 /* connect with TLS (chat-tls; the certificate is not checked) */
	int delayed_ack;         /* leave the clients' ACKs delayed (see conn_read in chat_load.c) */
};

/* Checks o against the bounds: NULL, or why not (a usage message). */
const char *wl_chat_load_check(const struct wl_chat_load_opts *o);

/* Latency percentiles of one run, in microseconds: nearest rank on the
 * sorted deliveries (the value at rank ceil(q * n)), so exact. */
enum { WL_LAT_MIN, WL_LAT_P10, WL_LAT_P25, WL_LAT_P50, WL_LAT_P75, WL_LAT_P90, WL_LAT_P99,
       WL_LAT_P999, WL_LAT_MAX, WL_LAT_N };
extern const char *const wl_chat_lat_name[WL_LAT_N];  /* "min", "p10" ... "max" */
/* Sorts lat[0..n) and picks the WL_LAT_N ranks into out (all 0 when n is 0). */
void wl_chat_percentiles(uint32_t *lat, uint64_t n, uint32_t out[WL_LAT_N]);

struct wl_chat_load_figures {
	int joined;              /* clients that got their welcome */
	int dropped;             /* members the server closed during the run */
	uint64_t planned;        /* joined × messages */
	uint64_t sent;           /* messages wholly handed to the kernel */
	uint64_t expected;       /* sent × joined: every member gets every message */
	uint64_t delivered;      /* of those, received (each sender's in order) */
	uint64_t lost;           /* expected - delivered */
	uint64_t disorder;       /* duplicated, or older than one already received */
	double seconds;          /* from the first send to the last delivery */
	double per_second;       /* delivered / seconds */
	uint32_t lat_us[WL_LAT_N];
	long server_rss_kib;     /* peak resident memory of the server (VmHWM, else the most seen) */
	int server_threads;      /* the most threads seen */
	double server_cpu_s;     /* user + system CPU of the server during the run */
	int timed_out;
	char why[200];           /* what went wrong, "" when nothing did */
};

/* Runs the load against host:port; server (> 0) is the server's PID, whose
 * /proc figures are read (fresh: it was started for this run, so its VmHWM
 * is this run's peak). 0 when every member got every message, 1 when not
 * (f says how), -1 when the load could not start (f->why). */
int wl_chat_load_run(const char *host, uint16_t port, pid_t server, int fresh,
		     const struct wl_chat_load_opts *o, struct wl_chat_load_figures *f);

/* ---- the comparison (drive/chat/chat_compare.c) ---- */

enum wl_chat_report { WL_CHAT_REPORT_TEXT, WL_CHAT_REPORT_JSON, WL_CHAT_REPORT_SVG };

struct wl_chat_compare_cfg {
	struct wl_chat_load_opts load;   /* .tls is set per server */
	const char *servers;     /* "chat-epoll,chat-uv", or NULL for all six */
	const char *state_dir;   /* where `wirelab servers up` keeps its PIDs */
	const char *self_exe;    /* the wirelab binary, to start own servers */
	enum wl_chat_report report;
};

/* NULL, or why cfg->servers names something that is not a chat server. */
const char *wl_chat_compare_check(const struct wl_chat_compare_cfg *cfg);
/* Runs the load against each server in turn (started for it and stopped
 * after, unless `wirelab servers up` runs it already) and writes the report
 * to out, progress to log. 0 when no server lost a message or a client, 1
 * when one did, 2 when a server could not be started. */
int wl_chat_compare(const struct wl_chat_compare_cfg *cfg, FILE *out, FILE *log);

#endif
