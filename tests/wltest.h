/* wltest.h - a test harness for dissectors: feeds hand-built TCP/UDP packets
 * (IPv4, raw link type) through the real engine and keeps every message it
 * emits as text, so a test can ask "was there an ftp request with
 * ftp.request.command = PASS and a warning note?". */
#ifndef WL_TEST_H
#define WL_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

/* WL_ASAN in an AddressSanitizer build (gcc or clang): memory bounds on RSS
 * are skipped there, its quarantine keeps freed memory resident. */
#if defined(__SANITIZE_ADDRESS__)
#define WL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WL_ASAN 1
#endif
#endif

struct wlt_msg {
	uint64_t frame;
	int dir;                 /* WL_C2S / WL_S2C */
	int minor;               /* hidden in the text ladder unless -v */
	char proto[24], type[40];
	char *text;              /* the ladder text */
	char *fields;            /* "name=value\n" per field, in order */
	char *notes;             /* "info: ...\n" / "warn: ...\n" / "error: ...\n" */
};

/* A flow's closing summary, as the sink saw it. */
struct wlt_flow {
	uint32_t id;
	char proto[24];
	char end[48];
	uint64_t pkts[2], bytes[2], gaps, warnings, errors;
};

struct wlt {
	struct wl_engine *e;
	struct wlt_msg *msgs;
	size_t n, cap;
	unsigned flows_closed;
	struct wlt_flow flows[64];   /* the first 64 closing summaries */
	int64_t ts;
	uint32_t seq[2];         /* next sequence number per direction */
	uint16_t port[2];        /* [WL_C2S] client port, [WL_S2C] server port */
	struct wl_opts opts;
};

/* decode_as: NULL or a tshark rule such as "tcp.port==2121,ftp". */
void wlt_init(struct wlt *t, const char *decode_as);
void wlt_init_opts(struct wlt *t, const char *decode_as, const struct wl_opts *opts);
/* The same with engine limits (NULL: the defaults), to reach the caps. */
void wlt_init_limits(struct wlt *t, const char *decode_as, const struct wl_limits *lim);
void wlt_free(struct wlt *t);

/* TCP between 10.0.0.1:cport and 10.0.0.2:sport: SYN, SYN-ACK, ACK. */
void wlt_tcp_open(struct wlt *t, uint16_t cport, uint16_t sport);
/* One segment of data in direction dir (advances that direction's seq). */
void wlt_tcp_send(struct wlt *t, int dir, const void *data, size_t n);
/* Sends data cut into segments of at most seg bytes. */
void wlt_tcp_send_split(struct wlt *t, int dir, const void *data, size_t n, size_t seg);
/* A segment at an explicit sequence offset from the current one (for
 * out-of-order and overlap tests); does not advance seq. */
void wlt_tcp_send_at(struct wlt *t, int dir, int32_t offset, const void *data, size_t n);
void wlt_tcp_close(struct wlt *t);
/* A UDP datagram 10.0.0.1:cport <-> 10.0.0.2:sport. */
void wlt_udp(struct wlt *t, int dir, uint16_t cport, uint16_t sport, const void *data, size_t n);
/* A whole frame of a link type (LINKTYPE_*). */
void wlt_frame(struct wlt *t, int linktype, const void *data, size_t n);
/* Ends the capture: flows close, dissectors' close() run. */
void wlt_finish(struct wlt *t);

/* The nth (0-based) message of proto (and type, if not NULL), or NULL. */
const struct wlt_msg *wlt_find(const struct wlt *t, const char *proto, const char *type, unsigned nth);
unsigned wlt_count(const struct wlt *t, const char *proto, const char *type);
/* The value of the nth occurrence of field name in m, as text; NULL if absent.
 * Returns a pointer into a static buffer (copy it before the next call). */
const char *wlt_field(const struct wlt_msg *m, const char *name, unsigned nth);
/* 1 if a note of m contains substr. */
int wlt_note(const struct wlt_msg *m, const char *substr);
/* Runs a subcommand (wl_cmd_*) in this process with its stdout captured into
 * out (NUL-terminated, cut at outlen - 1); returns its exit status. */
int wlt_run_cmd(int (*cmd)(int, char **), char *out, size_t outlen, int argc, const char **argv);
/* Resident memory of a process (VmRSS) in KiB, or -1. */
long wlt_rss_kib(int pid);

/* Prints every message (for debugging a test). */
void wlt_dump(const struct wlt *t);

#endif
