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
struct wl_unacked;  /* a TCP segment not yet acknowledged (tcpan.c, with -v) */

/* tshark's TCP sequence analysis of one direction (tcpan.c): the last
 * sequence, acknowledgement and window seen, a few flags and, with -v only,
 * the segments not yet acknowledged (for RTT and bytes in flight). */
struct wl_tcp_an {
	uint32_t base_seq;       /* for relative numbers: the ISN, or the first seq - 1 */
	uint32_t nextseq;        /* highest seq + len (+ SYN/FIN) seen */
	uint32_t maxseqtobeacked;
	uint32_t lastack;
	uint32_t window;         /* the last raw window, UINT32_MAX before any */
	uint32_t lastflags;      /* analysis flags of the last segment */
	uint32_t push_bytes;     /* bytes since the last PSH */
	int32_t dupacknum;
	int64_t nextseq_ns, lastack_ns;
	uint64_t nextseq_frame, lastnondupack;
	int8_t win_scale;        /* -1 unknown, -2 not used, else the shift */
	uint8_t known;           /* WL_AN_* bits */
	uint8_t push_set_last;
	uint8_t nsack;           /* SACK blocks of the last segment that had them */
	uint32_t sack_le[4], sack_re[4];
	struct wl_unacked *ual;  /* oldest first */
	uint16_t nual, ual_cap;
};
enum { WL_AN_BASE = 1, WL_AN_NEXTSEQ = 2, WL_AN_MAXSEQ = 4, WL_AN_LASTACK = 8, WL_AN_BIF = 16 };

/* What tshark keeps of a conversation beyond one wirelab flow: its stream
 * index and times; for TCP the analysis of both directions. A packet after
 * the flow ended (the last ACK, a late RST) continues it (flow.c). */
struct wl_conv {
	int64_t stream;          /* tcp.stream / udp.stream */
	int64_t first_ns, prev_ns;   /* time_relative, time_delta */
	int64_t mru_syn_ns, first_rtt_ns;   /* the last SYN; iRTT, 0 until known */
	uint8_t completeness;    /* tcp.completeness bits */
	uint8_t seen;            /* a frame of it was seen (prev_ns is valid) */
	uint8_t fresh;           /* made by this segment, new to tshark too: its
				  * completeness starts from this segment alone */
	struct wl_tcp_an an[2];  /* [dir] */
};

/* One direction of a flow: TCP reassembly state and the bytes not yet consumed. */
struct wl_half {
	uint8_t have_base;       /* next_seq is known */
	uint8_t syn, fin, rst;
	uint32_t next_seq;       /* next in-order byte expected */
	uint8_t probe_done;
	uint8_t *buf;            /* in-order bytes the dissector has not consumed */
	uint32_t buf_len, buf_cap;
	struct wl_seg *ooo;      /* held out-of-order segments, sorted by seq */
	struct wl_seg *ooo_tail; /* the last of them: in-order arrivals append in O(1) */
	uint32_t ooo_bytes, ooo_count;
	uint64_t pkts, bytes;
};

/* TCP analysis events counted per flow for its summary (tcpan.c). */
#define WL_TCP_EVENTS 16

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
	uint8_t reused;          /* made by a SYN on the ports of an ended connection */
	uint8_t muted;           /* its protocol is not in opts.only: no messages */
	const struct wl_dissector *d;
	void *dst;               /* dissector state */
	char *label;             /* from an expectation */
	struct wl_half half[2];
	struct wl_conv conv;
	uint32_t events[WL_TCP_EVENTS];
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
	/* the conversation tshark's dissector made for it: a_addr:a_port and any
	 * port of b_addr; unset, any connection to addr:port (wl_expect_premade) */
	uint8_t premade_set;
	uint8_t a_addr[16], b_addr[16];
	uint16_t a_port;
	const struct wl_dissector *d;
	char label[96];
};

#define WL_MAX_DECODE_AS 32
#define WL_MAX_EXPECT 64
#define WL_MAX_SHARED 8      /* dissectors with engine-wide state */

struct wl_fragq;
struct wl_ended;

/* The link header of the frame under dissection (link.c): its fields go on
 * the frame's first message, with -v. */
enum { WL_LK_NONE, WL_LK_ETH, WL_LK_SLL, WL_LK_SLL2 };
struct wl_link_info {
	uint8_t kind;            /* WL_LK_* */
	uint8_t pending;         /* fields not yet on a message */
	uint8_t nvlan;           /* 802.1Q tags after the addresses */
	uint8_t llc;             /* 802.3 length field, not an ethertype */
	uint8_t l3_set;          /* l3_len is known */
	uint32_t hdr_len;        /* bytes before the network layer */
	uint32_t l3_len;         /* bytes the network layer says are its own */
	const uint8_t *hdr;      /* the link header in the frame */
};

/* The IP headers of the frame, outer first (a tunnel, or the header an
 * ICMP error quotes, adds one): each gives its ip.* / ipv6.* fields. */
#define WL_IP_LAYERS 4
struct wl_ip_layer {
	const uint8_t *hdr;      /* IPv4 header with options, or the IPv6 fixed header */
	uint16_t hlen;
	uint8_t af;
};

struct wl_ctx {
	struct wl_opts opts;
	struct wl_limits lim;
	struct wl_sink sink;
	const struct wl_dissector *const *dissectors;  /* NULL-terminated (wl_engine_set_dissectors) */

	/* the packet under dissection */
	uint64_t frame;
	int64_t ts_ns, first_ns;
	int64_t prev_ns;             /* the frame before's time (frame.time_delta) */
	uint8_t frame_pending;       /* frame.* not yet on a message (-v) */
	int have_first;
	uint32_t caplen, wirelen;
	const uint8_t *frame_data;   /* the frame's captured bytes, during wl_engine_frame only */
	int frame_link;              /* its link type */
	uint32_t (*spans)[2];        /* WL_MSG_MAX_FIELDS pairs when opts.frame_bytes, else NULL */
	struct wl_link_info link;
	struct wl_ip_layer ipl[WL_IP_LAYERS];
	uint8_t nipl;
	struct wl_frame_info fi; /* what the frame callback gets */
	wl_frame_cb *frame_cb;
	void *frame_arg;
	uint8_t ip_af;
	uint8_t ip_src[16], ip_dst[16];
	char pkt_src[WL_EP_STRLEN], pkt_dst[WL_EP_STRLEN];
	uint8_t pkt_eps_ok;      /* pkt_src/pkt_dst are made (wl__pkt_eps) */
	struct wl_flow *flow;    /* current flow, if any */
	const struct wl_frame *frame_meta;  /* interface/comments for the frame's first message */

	struct wl_msg *msg;      /* the one message under construction */
	struct wl_want *want;    /* wl_opts.want_field, or NULL: every field */
	/* the first pass of a header filter that reads no tcp.analysis.* field:
	 * no analysis beyond the relative numbers' bases */
	uint8_t tcpan_off;
	int msg_open;
	uint64_t msgs_made;      /* messages begun (wl_msg_new), to tell whether bytes made one */
	/* carried.c: while a carrier (TLS) feeds its plaintext to an inner
	 * dissector, the note each message made gets, and how deep carriers nest */
	const char *carry_note, *msg_carry_note;
	const char *carrier;     /* the innermost carrier's name, while it feeds */
	unsigned carry_depth;
	char mask[16];

	/* flows */
	struct wl_flow **htab;
	uint32_t hsize;
	uint32_t nflows;
	uint32_t next_flow_id;
	struct wl_flow *oldest, *newest;
	uint64_t buffered;       /* bytes held over all flows */
	int64_t next_stream[2];  /* the next udp.stream [0] and tcp.stream [1] */
	uint8_t full_note;       /* the table just filled: the next message says so, once a run */
	struct wl_ended *ended;  /* conversations whose flow ended (flow.c), made on first use */
	uint32_t unacked;        /* TCP segments waiting for an ACK over all flows (-v) */

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

/* field.c: n bytes of the message's pool at *off; NULL (and the overflow
 * mark) when it is full. */
char *wl__pool_take(struct wl_msg *m, size_t n, uint32_t *off);

/* wl_opts.want_field's answers by name pointer: a field is added a million
 * times and its name asked about once (a slot two names share asks again). */
#define WL_WANT_BITS 10
#define WL_WANT_SLOTS (1u << WL_WANT_BITS)
struct wl_want {
	int (*fn)(void *arg, const char *name);
	void *arg;
	struct {
		const char *name;
		int yes;
	} slot[WL_WANT_SLOTS];
};
struct wl_want *wl__want_new(const struct wl_opts *opts);
/* 0 when wl_opts.want_field wants no field of proto ("tcp"): the adders of
 * a whole header's fields skip them in one test. */
int wl__want_proto(struct wl_msg *m, const char *proto);

/* msg.c */
void wl__msg_init(struct wl_ctx *ctx);
void wl__msg_flush(struct wl_ctx *ctx);
/* A message for the current packet without a flow (ICMP, ARP, non-IP). */
struct wl_msg *wl__msg_pkt(struct wl_ctx *ctx, const char *proto, const char *type);

/* ipfields.c: the frame's IP headers as fields (ip.src, ipv6.dst, ...; all
 * of tshark's with -v), every layer in order. */
void wl__ip_fields(struct wl_ctx *ctx, struct wl_msg *m);
void wl__ip_layer_fields(struct wl_ctx *ctx, struct wl_msg *m, unsigned layer);

/* link.c */
void wl__link(struct wl_ctx *ctx, int linktype, struct wl_cur c);
void wl__ethertype(struct wl_ctx *ctx, uint16_t type, struct wl_cur c);
/* linkfields.c: the link header's fields (eth.*, vlan.*, sll.*, padding
 * and trailer), with -v. */
void wl__link_fields(struct wl_ctx *ctx, struct wl_msg *m);
/* A 6-byte MAC address as tshark writes it (00:11:22:33:44:55). */
void wl__f_mac(struct wl_msg *m, const char *name, const uint8_t *a);
/* The network layer says how many bytes after the link header are its own
 * (the rest is Ethernet padding or a trailer); the outermost one counts. */
static inline void wl__l3_claims(struct wl_ctx *ctx, uint32_t n)
{
	if (!ctx->link.l3_set) {
		ctx->link.l3_len = n;
		ctx->link.l3_set = 1;
	}
}

/* ip.c */
void wl__ipv4(struct wl_ctx *ctx, struct wl_cur c);
void wl__ipv6(struct wl_ctx *ctx, struct wl_cur c);
void wl__frag_free(struct wl_ctx *ctx);

/* tcp.c / udp.c */
void wl__tcp(struct wl_ctx *ctx, struct wl_cur c, uint32_t ip_payload_len);
void wl__udp(struct wl_ctx *ctx, struct wl_cur c);
/* The TCP/UDP header quoted in an ICMP error: its ports (and what else of it is there). */
void wl__tcp_quoted(struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c);
void wl__udp_quoted(struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c);

/* tcpan.c: tshark's sequence analysis (tcp_analyze_sequence_number's rules) */
enum {
	WL_TA_RETRANSMISSION = 1u << 0, WL_TA_LOST_PACKET = 1u << 1, WL_TA_ACK_LOST_PACKET = 1u << 2,
	WL_TA_KEEP_ALIVE = 1u << 3, WL_TA_DUPLICATE_ACK = 1u << 4, WL_TA_ZERO_WINDOW = 1u << 5,
	WL_TA_ZERO_WINDOW_PROBE = 1u << 6, WL_TA_ZERO_WINDOW_PROBE_ACK = 1u << 7,
	WL_TA_KEEP_ALIVE_ACK = 1u << 8, WL_TA_OUT_OF_ORDER = 1u << 9, WL_TA_FAST_RETRANSMISSION = 1u << 10,
	WL_TA_WINDOW_UPDATE = 1u << 11, WL_TA_WINDOW_FULL = 1u << 12, WL_TA_REUSED_PORTS = 1u << 13,
	WL_TA_SPURIOUS_RETRANSMISSION = 1u << 14,
};
/* One segment as the analysis sees it: raw numbers. */
struct wl_tcp_segv {
	uint32_t seq, ack, len, win;
	uint16_t flags;          /* the 12 flag bits */
	int8_t wscale;           /* window scale option, -1 when absent */
	uint8_t nsack;
	uint32_t sack_le[4], sack_re[4];
};
/* What the analysis says of one segment (tshark's per-frame tcp_acked). */
struct wl_tcp_ta {
	uint32_t flags;          /* WL_TA_* */
	uint8_t made;            /* tshark would show a SEQ/ACK analysis tree */
	uint8_t acked, rto, bif; /* frame_acked, rto_*, bytes_in_flight are set */
	int32_t dupack_num;
	uint64_t frame_acked, rto_frame, dupack_frame;
	int64_t rtt_ns, rto_ns;
	uint32_t bytes_in_flight, push_bytes;
};
void wl__tcpan_init(struct wl_conv *cv);
/* The bases of the relative sequence numbers, which the analysis sets first. */
void wl__tcpan_bases(struct wl_flow *f, int dir, const struct wl_tcp_segv *s);
/* Whether the consumer reads a field the analysis makes (wl_opts.want_field). */
int wl__tcpan_read(const struct wl_opts *opts);
void wl__tcpan_segment(struct wl_ctx *ctx, struct wl_flow *f, int dir, const struct wl_tcp_segv *s,
		       struct wl_tcp_ta *ta);
/* The notes of a flagged segment (tshark's bracketed words); returns 1 if the
 * segment deserves its own line in the ladder. */
int wl__tcpan_notes(struct wl_ctx *ctx, struct wl_flow *f, int dir, struct wl_msg *m,
		    const struct wl_tcp_segv *s, const struct wl_tcp_ta *ta);
/* The tcp.analysis.* fields (-v). */
void wl__tcpan_fields(struct wl_msg *m, const struct wl_conv *cv, const struct wl_tcp_ta *ta);
void wl__tcpan_free(struct wl_ctx *ctx, struct wl_conv *cv);

/* flow.c */
/* The flow of a 5-tuple, made if new. syn_only: 1 a bare SYN with sequence
 * number seq, 2 a SYN-ACK, else 0; a new flow continues the conversation of
 * an ended one (not for a SYN of another connection). */
struct wl_flow *wl__flow_get(struct wl_ctx *ctx, int tcp, const uint8_t *src, uint16_t sport,
			     const uint8_t *dst, uint16_t dport, int *dir, int syn_only, uint32_t seq);
void wl__flow_close(struct wl_ctx *ctx, struct wl_flow *f, const char *end);
void wl__flow_touch(struct wl_ctx *ctx, struct wl_flow *f);
void wl__flow_evict_idle(struct wl_ctx *ctx);
void wl__flow_free_all(struct wl_ctx *ctx);
void wl__flow_ended_free(struct wl_ctx *ctx);

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
/* A new flow that was announced (wl_expect) takes its dissector; 1 if tshark
 * had made its conversation before it came (so it is not new to tshark). */
int wl__expect_claim(struct wl_ctx *ctx, struct wl_flow *f);
void wl__flow_pick_dissector(struct wl_ctx *ctx, struct wl_flow *f, int dir, struct wl_cur payload);
/* Bytes to wait for before giving up on probing. */
#define WL_PROBE_MAX 4096
/* The dissector a decode-as rule (layer 0 UDP, 1 TCP, 2 TLS) gives either
 * port, the server's first; NULL if none. */
const struct wl_dissector *wl__dissector_by_rule(const struct wl_ctx *ctx, int layer,
					       const uint16_t port[2]);
/* The same for a rule or the port table (layer 0 or 1), other than not. */
const struct wl_dissector *wl__dissector_by_port(const struct wl_ctx *ctx, int layer,
					       const uint16_t port[2], const struct wl_dissector *not);
/* The first dissector other than not whose probe says yes; *need_more when one
 * wants more bytes. */
const struct wl_dissector *wl__dissector_probe(const struct wl_ctx *ctx, int tcp, int dir,
					       struct wl_cur payload, const struct wl_dissector *not,
					       int *need_more);
void wl__deliver_gap(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint64_t n);
/* For the frame callback: the frame's transport stream and payload bytes. */
void wl__frame_transport(struct wl_ctx *ctx, const struct wl_flow *f, const uint8_t *payload,
			 uint32_t n);

/* data.c: payload no dissector claims */
void wl__data_msg(struct wl_ctx *ctx, int dir, struct wl_cur c);
struct wl_sb;
/* "9 bytes \"GET TIME\\n\"" or "300 bytes 16 03 01 ..." (data.c). */
void wl__data_preview(struct wl_sb *b, struct wl_cur c);

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
	char tmp[WL_U64_DIGITS];
	size_t k = wl_u64_dec(tmp + sizeof tmp, v);
	wl__sb_mem(b, tmp + sizeof tmp - k, k);
}

/* The ladder text from a builder (a copy into the message's pool). */
void wl__msg_text_raw(struct wl_msg *m, const char *s, size_t n);

#endif
