/* feed.h - the one packet feeder of the fuzz targets: the real engine with
 * every dissector, small limits, and a sink that reads every field, note,
 * text and flow fact back (so the sanitizers see each byte a dissector
 * emitted); around it, raw IPv4 frames built from the bytes under test,
 * between 10.0.0.1 (client) and 10.0.0.2 (server).
 *
 * feed_get() is one feeder for the whole run (an engine costs 600 KiB of
 * message buffer, too much to make per input under ASan): each input is then
 * its own connection, reset at its end so the dissector's close runs.
 * feed_init()/feed_free() make a fresh engine per input instead, for targets
 * whose inputs must not meet (a key log, decode-as state, a renderer). */
#ifndef WL_FUZZ_FEED_H
#define WL_FUZZ_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

struct feed {
	struct wl_engine *e;
	int64_t ts;
	uint16_t port[2];        /* the TCP connection: [0] client, [1] server port */
	uint32_t seq[2];         /* its next sequence number per direction */
	size_t checksum;         /* what the sink read back */
};

enum { FEED_FIN = 0x01, FEED_SYN = 0x02, FEED_RST = 0x04, FEED_PSH = 0x08, FEED_ACK = 0x10 };

/* A fresh engine: opts and lim may be NULL (no options; 8 flows, default
 * buffers), sink NULL for the checking sink. Aborts when out of memory. */
void feed_init(struct feed *f, const struct wl_opts *opts, const struct wl_limits *lim,
	       const struct wl_sink *sink);
/* Finishes the engine (every flow closed and summarised) and frees it. */
void feed_free(struct feed *f);
/* The run's feeder, made on first use with the checking sink. */
struct feed *feed_get(const struct wl_opts *opts, const struct wl_limits *lim);

/* One frame as captured (caplen of len bytes), dt_ns after the previous one. */
void feed_frame(struct feed *f, int linktype, const uint8_t *d, uint32_t caplen, uint32_t len,
		int64_t dt_ns);
/* An IPv4 packet in direction dir (1: server to client): l4 header, then n bytes of d. */
void feed_ip(struct feed *f, int dir, uint8_t proto, const uint8_t *l4, size_t l4n, const uint8_t *d,
	     size_t n);
void feed_udp(struct feed *f, int dir, uint16_t cport, uint16_t sport, const uint8_t *d, size_t n);
/* A segment of the current connection; advances that direction's seq. */
void feed_tcp_seg(struct feed *f, int dir, uint8_t flags, const uint8_t *d, size_t n);
/* A new connection cport -> sport: SYN, SYN-ACK, ACK. */
void feed_tcp_open(struct feed *f, uint16_t cport, uint16_t sport);
/* n bytes in direction dir, in segments of at most seg bytes. */
void feed_tcp_send(struct feed *f, int dir, const uint8_t *d, size_t n, size_t seg);
/* RST-ACK from the client: the flow closes and its dissector's close runs. */
void feed_tcp_reset(struct feed *f);

#endif
