/* engine.h - the dissection engine as the command line sees it: packets in,
 * messages and flow summaries out through a sink.
 *
 * wl_engine_new -> wl_engine_packet (per frame) -> wl_engine_finish; messages
 * are handed to the sink as soon as they are complete and are only valid
 * during the callback (no per-packet allocation).
 */
#ifndef WL_ENGINE_H
#define WL_ENGINE_H

#include <stdint.h>
#include <stdio.h>

#include "wl.h"

/* Every field the core emits, with its type; each ends with { NULL }
 * (corefields.c): those of every run, and those only with opts.verbose. */
extern const struct wl_field_info wl_core_fields[];
extern const struct wl_field_info wl_core_fields_verbose[];

/* Link types are the pcap file format's LINKTYPE_* numbers. */
enum {
	WL_LINK_NULL = 0,
	WL_LINK_ETHERNET = 1,
	WL_LINK_RAW = 101,
	WL_LINK_IEEE802_11 = 105,
	WL_LINK_LOOP = 108,
	WL_LINK_SLL = 113,
	WL_LINK_RADIOTAP = 127,
	WL_LINK_IPV4 = 228,
	WL_LINK_IPV6 = 229,
	WL_LINK_SLL2 = 276,
};
int wl_link_supported(int linktype);

#define WL_MSG_MAX_FIELDS 2048
#define WL_MSG_MAX_NOTES 32
#define WL_MSG_POOL (512 * 1024)

enum { WL_FIELD_SECRET = 1 };

struct wl_field {
	const char *name;
	uint8_t type;            /* enum wl_ftype */
	uint8_t flags;
	uint32_t len;            /* STR/BYTES: bytes in the pool */
	union {
		uint64_t u;
		int64_t i;
		double d;
		uint32_t off;    /* STR/BYTES/IPV4/IPV6: offset in the pool */
	} v;
};

struct wl_note_rec {
	uint8_t level;
	uint32_t off, len;
};

struct wl_msg {
	uint64_t frame;
	int64_t ts_ns;           /* absolute capture time */
	int64_t rel_ns;          /* since the first packet */
	uint32_t flow_id;        /* 0: not part of a flow */
	const char *client, *server;  /* flow endpoints as text */
	const char *src, *dst;
	uint8_t dir;
	uint8_t minor;           /* hidden in the text ladder unless -v */
	uint8_t unordered;       /* its order against the peer's messages is a race */
	uint8_t overflow;        /* fields or pool ran out */
	uint8_t secrets_only;    /* engine side only: wl_opts.no_fields */
	uint8_t some_fields;     /* engine side only: secrets_only, or a want */
	struct wl_want *want;    /* engine side only: wl_opts.want_field's answers, or NULL */
	uint8_t unseen;          /* engine side only: wl_opts.no_texts: no text, no note */
	uint16_t unseen_notes, unseen_warnings, unseen_errors;   /* engine side only: notes not made */
	const char *proto, *type;
	uint32_t text_off, text_len;
	unsigned nfields, nnotes;
	/* Only with wl_opts.frame_bytes (-T html asks): the bytes of the frame
	 * the message starts in, and where each field's bytes lie in them:
	 * nfields (offset, length) uint32 pairs at spans_off, length 0 when not
	 * known (numbers are read through the cursor, not handed as bytes). */
	uint32_t bytes_off, bytes_len, spans_off;
	uint8_t has_bytes;
	uint16_t bytes_link;         /* the frame's link type (WL_LINK_*) */
	const uint8_t *frame_lo;     /* engine side only: the frame under dissection */
	uint32_t (*spans)[2];        /* engine side only: NULL unless frame_bytes */
	struct wl_field fields[WL_MSG_MAX_FIELDS];
	struct wl_note_rec notes[WL_MSG_MAX_NOTES];
	uint32_t pool_used;
	char pool[WL_MSG_POOL];
};

static inline const char *wl_msg_pool(const struct wl_msg *m, uint32_t off)
{
	return m->pool + off;
}

struct wl_fact {
	char *key, *val;
};

/* Closing summary of one flow. */
struct wl_flow_summary {
	uint32_t flow_id;
	const char *client, *server;
	const char *proto;       /* dissector name, or "tcp"/"udp" */
	int tcp;
	uint64_t first_frame, last_frame;
	int64_t first_ns, last_ns;
	uint64_t pkts[2], bytes[2];   /* per direction, payload bytes */
	uint64_t warnings, errors;
	uint64_t gaps;           /* bytes never seen */
	const char *end;         /* "FIN", "RST", "open", "evicted" */
	unsigned nfacts;
	const struct wl_fact *facts;
};

/* One captured frame, seen after all of its messages: what consumers that
 * work per frame (display filters, -T fields, statistics) need beside them.
 * data is valid only during the callback. */
struct wl_frame_info {
	uint64_t frame;
	int64_t ts_ns, rel_ns;
	uint32_t caplen, len;    /* captured and wire length */
	int linktype;
	const uint8_t *data;     /* the caplen captured bytes */
	int64_t tcp_stream;      /* tshark's tcp.stream of the frame's segment, or -1 */
	int64_t udp_stream;      /* udp.stream, or -1 */
	uint32_t payload_off;    /* the TCP/UDP payload's bytes in data ... */
	uint32_t payload_len;    /* ... (0: none, or not in this frame: IP fragments) */
	const char *flow_proto;  /* the dissector of the frame's flow (by name), or NULL */
};

struct wl_sink {
	void (*msg)(void *arg, const struct wl_msg *m);
	void (*flow)(void *arg, const struct wl_flow_summary *s);
	void *arg;
};

typedef void wl_frame_cb(void *arg, const struct wl_frame_info *fi);

/* Decode-as rule "tcp.port==N,NAME" / "udp.port==N,NAME" (tshark -d). */
struct wl_decode_as {
	int tcp;                 /* 0 udp.port, 1 tcp.port, 2 tls.port (inside TLS) */
	uint16_t port;
	const struct wl_dissector *d;
};

struct wl_limits {
	uint32_t max_flows;        /* flows tracked at once */
	uint64_t flow_buf_max;     /* bytes buffered per flow direction */
	uint64_t total_buf_max;    /* bytes buffered over all flows */
	int64_t idle_ns;           /* idle TCP flows evicted after */
	int64_t udp_idle_ns;       /* idle UDP flows evicted after (no FIN ends them) */
};
void wl_limits_default(struct wl_limits *l);

struct wl_engine;

struct wl_engine *wl_engine_new(const struct wl_opts *opts, const struct wl_limits *lim,
				const struct wl_sink *sink);
/* The application dissectors the engine may choose from (by port, probe,
 * decode-as rule or expectation), NULL-terminated, in the order the probes
 * are asked; the engine keeps the pointer. Without a table every payload is
 * shown as data. */
void wl_engine_set_dissectors(struct wl_engine *e, const struct wl_dissector *const *table);
int wl_engine_decode_as(struct wl_engine *e, const struct wl_decode_as *rule);
/* Calls cb after the last message of every frame (NULL: no more calls). */
void wl_engine_on_frame(struct wl_engine *e, wl_frame_cb *cb, void *arg);
/* fn(arg, ctx) runs once for each new flow, before any of its messages, with
 * that flow current: wl_flow_addr() gives its addresses and wl_flow_fact()
 * adds to its closing summary (where its public addresses are, say). */
void wl_engine_on_flow_open(struct wl_engine *e, void (*fn)(void *arg, struct wl_ctx *ctx), void *arg);
/* One captured frame: ts in ns since 1970, caplen bytes of a wire length len. */
void wl_engine_packet(struct wl_engine *e, int linktype, int64_t ts_ns,
		      const uint8_t *data, uint32_t caplen, uint32_t len);

/* The same with what a pcapng file says of the frame: its interface (shown
 * as frame.interface_id when show_interface: its section has several) and
 * its comments (frame.comment), both on the frame's first message. */
struct wl_frame_comment {
	const char *text;
	uint32_t len;
};
struct wl_frame {
	int linktype;
	int64_t ts_ns;
	const uint8_t *data;
	uint32_t caplen, len;
	uint32_t interface_id;
	int show_interface;
	unsigned ncomments;
	const struct wl_frame_comment *comments;  /* read during the call only */
	/* pcapng, shown with -v as tshark shows them: the section (from 1; 0 for
	 * other sources, which have none of these), the interface's name and
	 * description (text NULL when absent), the EPB's flags */
	uint32_t section;
	struct wl_frame_comment if_name, if_descr;
	int has_flags;
	uint32_t flags;
};
void wl_engine_frame(struct wl_engine *e, const struct wl_frame *f);
/* Closes every flow (in the order they were opened) and reports their summaries. */
void wl_engine_finish(struct wl_engine *e);
void wl_engine_free(struct wl_engine *e);

struct wl_engine_stats {
	uint64_t frames, bytes, flows, flows_evicted, buf_drops, frag_drops;
	uint64_t flows_full;       /* of flows_evicted, those closed for a full table (--max-flows) */
	uint64_t buf_peak;
};
void wl_engine_stats(const struct wl_engine *e, struct wl_engine_stats *st);


#endif
