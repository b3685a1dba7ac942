/* qpriv.h - what the parts of src/query/ share: the registry's records,
 * typed values, and the frame accessors the filter, the writers and the
 * statistics read fields through. */
#ifndef WL_QPRIV_H
#define WL_QPRIV_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"

/* Value types of the filter language (a field's wl_ftype, widened). */
enum wl_qtype {
	QT_NONE,
	QT_UINT,
	QT_INT,
	QT_BOOL,
	QT_DOUBLE,
	QT_RELTIME,   /* ns, signed: frame.time_relative, frame.time_delta */
	QT_ABSTIME,   /* ns since 1970 */
	QT_STR,
	QT_BYTES,
	QT_IPV4,
	QT_IPV6,
	QT_PROTO,     /* a protocol: present or not; its bytes for slices and contains */
};

enum wl_qkind {
	QK_FIELD,     /* carried by messages */
	QK_PROTO,     /* a protocol name */
	QK_VIRT,      /* made from the frame callback (frame.*, tcp.stream ...) */
	QK_ALIAS,     /* either of two fields (ip.addr = ip.src or ip.dst) */
};

/* Frame-level values (QK_VIRT). */
enum wl_qvirt {
	V_FRAME_NUMBER, V_FRAME_TIME, V_FRAME_EPOCH, V_FRAME_REL, V_FRAME_DELTA,
	V_FRAME_DELTA_SHOWN, V_FRAME_LEN, V_FRAME_CAPLEN, V_FRAME_PROTOCOLS, V_TCP_STREAM, V_UDP_STREAM, V_TCP_PAYLOAD, V_UDP_PAYLOAD,
};

/* How tshark -T fields prints a field's value (from `tshark -G fields`). */
enum wl_tdisp {
	TD_AUTO,      /* not in tshark's table: from wirelab's type */
	TD_DEC, TD_HEX, TD_OCT, TD_BOOL, TD_DOUBLE, TD_RELTIME, TD_ABSTIME, TD_STR,
	TD_BYTES, TD_IPV4, TD_IPV6, TD_NONE,
};

struct wl_qfield {
	const char *name;
	const char *desc;
	const char *owner;       /* dissector that emits it; NULL: the core */
	uint8_t kind;            /* enum wl_qkind */
	uint8_t type;            /* enum wl_qtype */
	uint8_t disp;            /* enum wl_tdisp */
	uint8_t hexw;            /* TD_HEX: digits tshark pads to */
	uint8_t wltype;          /* enum wl_ftype of the dissector's table, 0xff none */
	uint8_t constant;        /* the name is a string constant (not freed) */
	uint8_t verbose;         /* emitted only with -v (wl_core_fields_verbose) */
	uint16_t virt;           /* QK_VIRT: enum wl_qvirt */
	int alias[2];            /* QK_ALIAS: the two fields' ids */
	const char *ftype;       /* for --list-fields: tshark's FT_ name */
};

/* A cache of field name pointers -> registry ids (frame.c), one per gate. */
#define NAME_CACHE 1024
struct name_slot {
	const char *name;
	int id, proto;
};

struct wl_qreg {
	struct wl_qfield *f;
	unsigned n, cap;
	int *slot;               /* open hash of names -> index, -1 empty */
	unsigned nslot;
	const char **owners;     /* every dissector name, NULL-terminated */
};

/* The id of name, or -1. */
int wl__qreg_find(const struct wl_qreg *reg, const char *name, size_t len);
static inline const struct wl_qfield *wl__qreg_get(const struct wl_qreg *reg, int id)
{
	return &reg->f[id];
}
/* The protocol id a field name starts with ("tcp" for tcp.flags.syn), or -1. */
int wl__qreg_proto_of(const struct wl_qreg *reg, const char *name);
/* 1 if the first len bytes of name are a protocol the core reads from a frame's
 * own headers (frame, eth, ip, tcp ...: not data, which is what no dissector took). */
int wl__qreg_header_proto(const char *name, size_t len);

/* A typed value. STR/BYTES/IPV4/IPV6 point into a message pool, the frame
 * bytes or a literal; they are never owned. */
struct wl_qval {
	uint8_t type;            /* enum wl_qtype */
	uint8_t prefix;          /* IPV4/IPV6 literal: CIDR bits (32/128 plain) */
	uint8_t secret;
	uint32_t len;
	union {
		uint64_t u;
		int64_t i;       /* INT, RELTIME, ABSTIME */
		double d;
	} n;
	const uint8_t *p;
};

/* ---- reading a frame's fields (frame.c) ---- */

/* A name lookup cache for a wl_qframe made by hand (tests); free() it. */
void *wl__name_cache_new(void);

/* The registry id of a message field (names are string constants: cached
 * by address). -1 for a name the registry does not know. */
int wl__field_id(const struct wl_qframe *f, const char *name);
/* Calls cb for each occurrence of field id in the frame, in order, until cb
 * returns nonzero; returns that value (0 if none did). */
typedef int wl_qval_cb(void *arg, const struct wl_qval *v);
int wl__frame_values(const struct wl_qframe *f, int id, wl_qval_cb *cb, void *arg);
/* A message field as a value. */
void wl__msg_value(const struct wl_qmsg *m, const struct wl_field *fd, struct wl_qval *v);
/* Whether the frame holds protocol id. */
int wl__frame_has_proto(const struct wl_qframe *f, int id);
/* The bytes a protocol spans, as far as wirelab knows them (frame: all of it;
 * an application protocol: the transport payload). 0 if unknown. */
int wl__frame_proto_bytes(const struct wl_qframe *f, int id, struct wl_qval *v);

/* Whether the frame's link layers (read from its bytes) name proto: eth, vlan, sll ... */
int wl__frame_link_has(const struct wl_qframe *f, const char *proto);
/* Whether proto is the flow's protocol that tshark shows in every frame with
 * payload (ftp-data), where wirelab has a message per transfer. */
int wl__frame_segment_proto(const struct wl_qframe *f, const char *proto);
int wl__proto_per_segment(const char *proto);
/* The protocol tshark names message m's: m->proto, but "mdns" for DNS on
 * UDP port 5353 and "cldap" for LDAP over UDP. */
const char *wl__msg_tshark_proto(const struct wl_qframe *f, const struct wl_qmsg *m);
/* frame.protocols ("eth:ethertype:ip:tcp:ftp") into out; returns its length. */
size_t wl__frame_protocols(const struct wl_qframe *f, char *out, size_t cap);
/* The chain of top-level items tshark's io,phs counts ("eth", "ip", "tcp",
 * "ftp"): up to max names into out; returns how many. */
unsigned wl__frame_phs_chain(const struct wl_qframe *f, const char **out, unsigned max);

/* ---- formatting values as tshark prints them (qfmt.c) ---- */

/* A small growable text buffer. */
struct wl_qbuf {
	char *p;
	size_t n, cap;
	int failed;
};
void wl__qb_mem(struct wl_qbuf *b, const void *s, size_t n);
void wl__qb_str(struct wl_qbuf *b, const char *s);
void wl__qb_grow_ch(struct wl_qbuf *b, char c);
/* a character a cell: inline while the buffer has room */
static inline void wl__qb_ch(struct wl_qbuf *b, char c)
{
	if (b->n < b->cap && !b->failed)
		b->p[b->n++] = c;
	else
		wl__qb_grow_ch(b, c);
}
void wl__qb_u64(struct wl_qbuf *b, uint64_t v);
void wl__qb_i64(struct wl_qbuf *b, int64_t v);
void wl__qb_printf(struct wl_qbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wl__qb_free(struct wl_qbuf *b);

/* One value as `tshark -T fields` prints it. */
void wl__fmt_value(struct wl_qbuf *b, const struct wl_qfield *fd, const struct wl_qval *v);
/* The same, with a secret (a password) as ******** when redact is set. */
void wl__fmt_value_r(struct wl_qbuf *b, const struct wl_qfield *fd, const struct wl_qval *v, int redact);
/* Seconds from ns with 9 decimals ("0.027412000"). */
void wl__fmt_secs9(struct wl_qbuf *b, int64_t ns);
/* tshark's absolute time: "Mar 14, 2019 19:03:54.892296000 UTC" (local zone). */
void wl__fmt_abstime(struct wl_qbuf *b, int64_t ns);
/* Frame-level value of a virtual field. Returns 0 when the frame has none. */
int wl__virt_value(const struct wl_qframe *f, unsigned virt, struct wl_qval *v, char *scratch,
		   size_t cap);

/* The first occurrence of a field in the frame (frame.c, for the statistics). */
int wl__stat_first(const struct wl_qframe *f, const struct wl_qreg *reg, const char *name,
		   struct wl_qval *v);

#endif
