/* core.h - internals shared by the engine's own layers (link, ip, tcp, udp,
 * flows, messages). Protocol dissectors include wl.h only. */
#ifndef WL_CORE_H
#define WL_CORE_H

#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "wl.h"

#define WL_EP_STRLEN 64

struct wl_seg;  /* an out-of-order TCP segment held for later */

/* One direction of a flow: TCP sequence state and the bytes not yet consumed. */
struct wl_half {
	uint8_t have_base;       /* next_seq is known */
	uint8_t syn, fin, rst;
	uint32_t isn;            /* for relative sequence numbers */
	uint32_t next_seq;       /* next in-order byte expected */
	uint32_t last_ack;
	uint32_t last_win;
	uint8_t wscale;
	uint8_t probe_done;
	uint8_t *buf;            /* in-order bytes the dissector has not consumed */
	uint32_t buf_len, buf_cap;
	struct wl_seg *ooo;      /* held out-of-order segments, sorted by seq */
	struct wl_seg *ooo_tail; /* the last of them: in-order arrivals append in O(1) */
	uint32_t ooo_bytes, ooo_count;
	uint64_t pkts, bytes;
};

struct wl_flow {
	uint32_t id;             /* 1, 2, ... in order of creation */
	uint8_t tcp;             /* else UDP */
	uint8_t af;              /* 4 or 6 */
	uint8_t addr[2][16];     /* [WL_C2S] client, [WL_S2C] server */
	uint16_t port[2];
	char ep[2][WL_EP_STRLEN];
	uint8_t state;           /* TCP handshake/teardown progress */
	uint8_t closed;
	uint8_t dissector_tried;
	const struct wl_dissector *d;
	void *dst;               /* dissector state */
	char *label;             /* from an expectation */
	struct wl_half half[2];
	uint64_t first_frame, last_frame;
	int64_t first_ns, last_ns;
	uint64_t warnings, errors, gaps;
	const char *end;
	struct wl_fact *facts;
	unsigned nfacts;
	/* hash chain and age list */
	struct wl_flow *hnext;
	struct wl_flow *older, *newer;
	uint64_t hash;
};

struct wl_expect_rec {
	uint8_t used, tcp, af;
	uint8_t addr[16];
	uint16_t port;
	const struct wl_dissector *d;
	char label[96];
};

#define WL_MAX_DECODE_AS 32
#define WL_MAX_EXPECT 64
#define WL_MAX_SHARED 8      /* dissectors with engine-wide state */

struct wl_fragq;

struct wl_ctx {
	struct wl_opts opts;
	struct wl_limits lim;
	struct wl_sink sink;
	const struct wl_dissector *const *dissectors;  /* NULL-terminated (wl_engine_set_dissectors) */

	/* the packet under dissection */
	uint64_t frame;
	int64_t ts_ns, first_ns;
	int have_first;
	uint32_t caplen, wirelen;
	const uint8_t *frame_data;  /* during wl_engine_frame only, for opts.frame_bytes */
	int frame_link;             /* its link type */
	uint32_t (*spans)[2];       /* WL_MSG_MAX_FIELDS pairs when opts.frame_bytes, else NULL */
	uint8_t ip_af;
	uint8_t ip_src[16], ip_dst[16];
	char pkt_src[WL_EP_STRLEN], pkt_dst[WL_EP_STRLEN];
	uint8_t pkt_eps_ok;      /* pkt_src/pkt_dst are made (wl__pkt_eps) */
	struct wl_flow *flow;    /* current flow, if any */
	const struct wl_frame *frame_meta;  /* interface/comments for the frame's first message */

	struct wl_msg *msg;      /* the one message under construction */
	int msg_open;
	char mask[16];

	/* flows */
	struct wl_flow **htab;
	uint32_t hsize;
	uint32_t nflows;
	uint32_t next_flow_id;
	struct wl_flow *oldest, *newest;
	uint64_t buffered;       /* bytes held over all flows */

	struct wl_decode_as rules[WL_MAX_DECODE_AS];
	unsigned nrules;
	struct wl_expect_rec expect[WL_MAX_EXPECT];

	struct wl_fragq *frags;
	uint64_t frag_bytes;

	struct wl_engine_stats stats;
	void (*on_flow_open)(void *arg, struct wl_ctx *ctx);  /* wl_engine_on_flow_open */
	void *on_flow_open_arg;
	struct wl_shared {
		const struct wl_dissector *d;
		void *p;
		void (*drop)(void *);
	} shared[WL_MAX_SHARED];  /* wl_engine_shared() */
};

/* msg.c */
void wl__msg_init(struct wl_ctx *ctx);
void wl__msg_flush(struct wl_ctx *ctx);
/* A message for the current packet without a flow (ICMP, ARP, non-IP). */
struct wl_msg *wl__msg_pkt(struct wl_ctx *ctx, const char *proto, const char *type);

/* ipfields.c: the packet's network addresses as fields (ip.src, ipv6.dst, ...) */
void wl__ip_fields(struct wl_ctx *ctx, struct wl_msg *m);

/* link.c */
void wl__link(struct wl_ctx *ctx, int linktype, struct wl_cur c);
void wl__ethertype(struct wl_ctx *ctx, uint16_t type, struct wl_cur c);

/* ip.c */
void wl__ipv4(struct wl_ctx *ctx, struct wl_cur c);
void wl__ipv6(struct wl_ctx *ctx, struct wl_cur c);
void wl__frag_free(struct wl_ctx *ctx);

/* tcp.c / udp.c */
void wl__tcp(struct wl_ctx *ctx, struct wl_cur c, uint32_t ip_payload_len);
void wl__udp(struct wl_ctx *ctx, struct wl_cur c);

/* flow.c */
struct wl_flow *wl__flow_get(struct wl_ctx *ctx, int tcp, const uint8_t *src, uint16_t sport,
			     const uint8_t *dst, uint16_t dport, int *dir, int syn_only);
void wl__flow_close(struct wl_ctx *ctx, struct wl_flow *f, const char *end);
void wl__flow_touch(struct wl_ctx *ctx, struct wl_flow *f);
void wl__flow_evict_idle(struct wl_ctx *ctx);
void wl__flow_free_all(struct wl_ctx *ctx);

/* stream.c: one direction's ordered bytes on their way to the dissector */
static inline int wl__seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
/* In-order bytes: to the dissector (or the probes), the rest kept for the next call. */
void wl__stream_push(struct wl_ctx *ctx, struct wl_flow *f, int dir, const uint8_t *p, uint32_t n);
/* A segment ahead of the next expected byte, held until the hole fills. */
void wl__stream_hold(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint32_t seq, const uint8_t *p,
		     uint32_t n);
/* Delivers the held segments the stream has caught up with. */
void wl__stream_drain(struct wl_ctx *ctx, struct wl_flow *f, int dir);
/* n bytes that will never come: a note, and the dissector told. */
void wl__stream_gap(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint32_t n, const char *why);
/* The flow ends: holes given up, bytes still waiting for a probe shown as data. */
void wl__stream_close_half(struct wl_ctx *ctx, struct wl_flow *f, int dir);
void wl__half_free(struct wl_ctx *ctx, struct wl_half *h);

/* dispatch.c */
/* A port some dissector (or decode-as rule) claims: that side is the server. */
int wl__known_port(const struct wl_ctx *ctx, int tcp, uint16_t port);
/* A new flow that was announced (wl_expect) takes its dissector. */
void wl__expect_claim(struct wl_ctx *ctx, struct wl_flow *f);
void wl__flow_pick_dissector(struct wl_ctx *ctx, struct wl_flow *f, int dir, struct wl_cur payload);
void wl__deliver_gap(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint64_t n);

/* data.c: payload no dissector claims */
void wl__data_msg(struct wl_ctx *ctx, int dir, struct wl_cur c);

/* addr.c */
/* Formats an address (af 4/6) with a port into out ("1.2.3.4:80", "[::1]:80"). */
void wl__ep_str(char *out, size_t n, int af, const uint8_t *addr, int port);
/* The packet's addresses as text (for messages without a flow), made on demand. */
void wl__pkt_eps(struct wl_ctx *ctx);

/* A small string builder for texts made on every packet: no printf in the hot path. */
struct wl_sb {
	char *p;
	size_t n, cap;   /* cap includes room for the terminating NUL */
};

static inline void wl__sb_mem(struct wl_sb *b, const char *s, size_t n)
{
	if (n > b->cap - 1 - b->n)
		n = b->cap - 1 - b->n;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline void wl__sb_str(struct wl_sb *b, const char *s) { wl__sb_mem(b, s, strlen(s)); }

static inline void wl__sb_u64(struct wl_sb *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	wl__sb_mem(b, tmp + i, sizeof tmp - (size_t)i);
}

/* The ladder text from a builder (a copy into the message's pool). */
void wl__msg_text_raw(struct wl_msg *m, const char *s, size_t n);

#endif
