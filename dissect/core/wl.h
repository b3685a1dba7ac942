/* wl.h - what a protocol dissector sees: the descriptor it exports, the
 * messages it emits, and the few services of the core it may call.
 *
 * A dissector never prints. It builds messages (one per protocol data unit)
 * carrying fields named as Wireshark's display-filter fields and notes with a
 * level; the renderers in src/ decide how they look. The core owns flow state
 * and TCP reassembly: a TCP dissector gets ordered bytes per direction, a UDP
 * dissector one datagram at a time (the Zeek DeliverStream model).
 */
#ifndef WL_WL_H
#define WL_WL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

struct wl_ctx;

enum wl_dir { WL_C2S = 0, WL_S2C = 1 };

enum wl_level { WL_INFO = 0, WL_WARN = 1, WL_ERROR = 2 };

enum wl_probe { WL_PROBE_NO = 0, WL_PROBE_YES = 1, WL_PROBE_NEED_MORE = 2 };

enum wl_ftype {
	WL_FT_UINT,   /* unsigned integer, decimal */
	WL_FT_INT,    /* signed integer */
	WL_FT_HEX,    /* unsigned integer shown 0x..; a JSON number all the same */
	WL_FT_BOOL,
	WL_FT_DOUBLE,
	WL_FT_STR,    /* text, escaped on output */
	WL_FT_BYTES,  /* lowercase hex without separators, as tshark -T fields */
	WL_FT_IPV4,
	WL_FT_IPV6,
	WL_FT_TIME,   /* absolute time: ns since 1970 UTC, ISO 8601 on output */
};

/* One entry of a dissector's field table: the public name is the API. */
struct wl_field_info {
	const char *name;
	enum wl_ftype type;
	const char *desc;
};

/* One protocol. Exported by each dissect/proto/<p>/ as wl_dissector_<name> and
 * listed once in dissect/protocols.def. */
struct wl_dissector {
	const char *name;               /* as in tshark -d ...,NAME */
	const char *desc;               /* one line for --list-protocols */
	const uint16_t *tcp_ports;      /* zero-terminated, or NULL */
	const uint16_t *udp_ports;
	/* First payload bytes of a flow not found by port. */
	enum wl_probe (*probe)(struct wl_cur c, enum wl_dir dir);
	void *(*open)(struct wl_ctx *ctx);
	/* TCP: the ordered, not yet consumed bytes of one direction. Returns how many
	 * it consumed; the rest is presented again with more data. */
	size_t (*stream)(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c);
	/* UDP: one datagram. */
	void (*datagram)(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c);
	/* len bytes of this direction will never arrive (lost or over a cap). */
	void (*gap)(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len);
	/* Flow ends (FIN/RST, eviction or end of capture); free st. */
	void (*close)(void *st, struct wl_ctx *ctx);
	const struct wl_field_info *fields;  /* ends with { NULL } */
	/* Those emitted only with -v (they cost time, or they are detail); a
	 * display filter or -e that names one turns -v dissection on. */
	const struct wl_field_info *fields_verbose;
};

/* Messages. One is under construction at a time; wl_msg_new() emits the one
 * before it if the dissector forgot to. */
struct wl_msg;

struct wl_msg *wl_msg_new(struct wl_ctx *ctx, const char *proto, const char *type,
			  enum wl_dir dir);
void wl_msg_emit(struct wl_ctx *ctx, struct wl_msg *m);

/* The text on the ladder line: the decoded essentials ("USER anonymous"). */
void wl_msg_text(struct wl_msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hides m in the text ladder unless -v; JSON keeps it. For per-frame detail of
 * a PDU shown whole elsewhere (the first segments of a multi-line FTP reply). */
void wl_msg_minor(struct wl_msg *m);
/* Undoes wl_msg_minor: the bytes it was to leave to another message made none. */
void wl_msg_shown(struct wl_msg *m);
/* Marks m as sent without waiting for the peer (both SSH banners, both
 * KEXINITs, ciphertext): its order against the other side's is a race, which
 * the lab's sequence comparison then ignores. */
void wl_msg_unordered(struct wl_msg *m);
/* A note: WL_INFO explains the step, WL_WARN points out a lesson or a problem,
 * WL_ERROR a malformed message. */
void wl_note(struct wl_msg *m, enum wl_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The standard note for a message cut short or invalid, from a cursor's error. */
void wl_note_cursor(struct wl_msg *m, const struct wl_cur *c, const char *what);

void wl_f_uint(struct wl_msg *m, const char *name, uint64_t v);
void wl_f_int(struct wl_msg *m, const char *name, int64_t v);
void wl_f_hex(struct wl_msg *m, const char *name, uint64_t v);
void wl_f_bool(struct wl_msg *m, const char *name, int v);
void wl_f_double(struct wl_msg *m, const char *name, double v);
void wl_f_str(struct wl_msg *m, const char *name, const void *s, size_t n);
void wl_f_cstr(struct wl_msg *m, const char *name, const char *s);
void wl_f_strf(struct wl_msg *m, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wl_f_bytes(struct wl_msg *m, const char *name, const uint8_t *p, size_t n);
void wl_f_ipv4(struct wl_msg *m, const char *name, const uint8_t a[4]);
void wl_f_ipv6(struct wl_msg *m, const char *name, const uint8_t a[16]);
void wl_f_time(struct wl_msg *m, const char *name, int64_t ns_since_1970);
/* A secret (password, community, NTLM response): masked under --redact. */
void wl_f_secret(struct wl_msg *m, const char *name, const void *s, size_t n);

/* Services of the core. */
struct wl_opts {
	int verbose;
	int redact;              /* mask secrets in every output */
	const char *keylog;      /* TLS key log file, or NULL */
	/* TLS key log lines the capture itself carries (pcapng Decryption
	 * Secrets Blocks) read so far: keylog_blocks(arg, &len), or NULL. */
	const uint8_t *(*keylog_blocks)(void *arg, size_t *len);
	void *keylog_blocks_arg;
	/* SNMPv3 users besides snmp_user (NULL ends) and a file of them, one a line
	 * as in Wireshark's snmp_users table; each in a form of snmp_usm.h */
	const char *snmp_users[8];
	const char *snmp_users_file;
	const char *snmp_user;   /* "USER:AUTHPASS:PRIVPASS" for SNMPv3, or NULL */
	const char *nt_password; /* NTLMSSP password: SMB3 keys from the captured login, or NULL */
	const char *smb_keys;    /* "SESSIONID:KEY[,...]" SMB session keys (hex), or NULL */
	int frame_bytes;         /* messages carry their frame's bytes and field spans (-T html) */
	/* Dissect only the flows of these protocols (NULL-terminated dissector
	 * names, "data" for payload no dissector claims), because the consumer
	 * (a display filter) cannot match any other frame; NULL: every flow.
	 * Other flows are still tracked (their tcp.stream numbers, their ends)
	 * but emit no messages once their protocol is known. */
	const char *const *only;
	/* OpenSSL's library context for parsing certificates, or NULL for its
	 * default one. Engines that run on several threads at once each want
	 * their own: every parse looks up decoders in the context's store under
	 * its lock, and threads that share one wait for each other there. */
	struct ossl_lib_ctx_st *openssl_ctx;
	/* The frame, link, IP and transport headers alone: no application
	 * dissector and no data message for payloads. The first pass of a
	 * display filter on headers only, which looks for a matching frame. */
	int headers_only;
	/* The consumer reads no field but the secrets (the text ladder without
	 * -v counts them for its closing line): the field adders keep nothing
	 * else, and the messages carry their texts and notes alone. */
	int no_fields;
	/* The consumer reads only the fields want_field says yes to, and the
	 * secrets (a display filter, when it alone reads fields): the others
	 * are never made. Asked once per name (the dissectors' names are
	 * constant strings, one pointer each); of a protocol ("tcp") or a
	 * prefix ("tcp.analysis.") whether it wants any field of it. NULL:
	 * every field. */
	int (*want_field)(void *arg, const char *name);
	void *want_arg;
	/* Nothing reads the messages' texts and notes (-T fields, -T ek, the
	 * first pass of a header filter): they are not made; the flows still
	 * count their warnings and errors. */
	int no_texts;
};
const struct wl_opts *wl_opts(const struct wl_ctx *ctx);

/* s, or a mask when --redact is on: for secrets shown in the ladder text. */
const char *wl_secret(const struct wl_ctx *ctx, const char *s);

/* Frame number and capture time (ns since 1970) of the packet being dissected. */
uint64_t wl_frame(const struct wl_ctx *ctx);
int64_t wl_time_ns(const struct wl_ctx *ctx);

/* A line for the closing summary of the current flow ("kex: curve25519-sha256"). */
void wl_flow_fact(struct wl_ctx *ctx, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Announces that the next connection (TCP) or datagram flow (UDP) to addr:port
 * belongs to dissector proto, as FTP's PASV reply does. label reaches the new
 * flow through wl_flow_label(). addr is 4 or 16 bytes by af (4 or 6). */
void wl_expect(struct wl_ctx *ctx, int af, const uint8_t *addr, uint16_t port,
	       int tcp, const char *proto, const char *label);
/* Where tshark's dissector puts the conversation it makes for the pending
 * expectation for addr:port: between a_addr:a_port and any port of b_addr
 * (FTP's PORT: the server's port 20 and the client's address). Only a
 * connection there is known to tshark before its SYN, which then does not
 * count in tcp.completeness; without this call, any connection to addr:port
 * is (PASV). Addresses are of the expectation's family. */
void wl_expect_premade(struct wl_ctx *ctx, int af, const uint8_t *addr, uint16_t port, int tcp,
		       const uint8_t *a_addr, uint16_t a_port, const uint8_t *b_addr);
/* Changes the label of the pending expectation for addr:port or, when the
 * connection has already come, of the live flow it created: FTP's data
 * connection often opens before the command that uses it (PASV, connect, RETR). */
void wl_expect_label(struct wl_ctx *ctx, int af, const uint8_t *addr, uint16_t port,
		     int tcp, const char *label);
/* The label given to wl_expect() for the current flow, or NULL. */
const char *wl_flow_label(const struct wl_ctx *ctx);
/* Server port and client port of the current flow. */
uint16_t wl_flow_port(const struct wl_ctx *ctx, enum wl_dir side);
/* Address family (4/6) and bytes of one side of the current flow. */
int wl_flow_addr(const struct wl_ctx *ctx, enum wl_dir side, uint8_t out[16]);

/* State a dissector shares across all its flows for the engine's life (a
 * cache of parsed certificates, say): made by make() on first use, freed by
 * drop() with the engine; NULL if make() fails or the table is full. */
void *wl_engine_shared(struct wl_ctx *ctx, const struct wl_dissector *d,
		       void *(*make)(void), void (*drop)(void *));

/* vsnprintf, fast for the conversions texts are written with (%s %c %d %i %u
 * %x %X, flags 0 and -, width, precision, sizes); others go to the C library
 * (fmt.c). Same result and return value as vsnprintf. */
int wl_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* The decimal digits of v ending just before end (WL_U64_DIGITS bytes room
 * suffice); their count. For texts built by hand. */
#define WL_U64_DIGITS 20
size_t wl_u64_dec(char *end, uint64_t v);
/* snprintf through wl_vsnprintf: for the texts a dissector builds per message. */
int wl_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The engine's dissector of that name, or NULL: for a protocol that hands
 * its bytes to another (FTP after AUTH TLS). */
const struct wl_dissector *wl_engine_dissector(const struct wl_ctx *ctx, const char *name);

/* A protocol carried inside another's payload: the plaintext of a TLS
 * connection decrypted with a key log. The core picks its dissector as for a
 * TCP flow (a tls.port decode-as rule, the hint, the flow's port table, the
 * probes; never the carrier itself) and keeps the bytes it has not consumed
 * (carried.c). Its messages are the current flow's, in the current frame. */
struct wl_carried;
/* NULL when out of memory. carrier is the dissector that calls it. */
struct wl_carried *wl_carried_new(struct wl_ctx *ctx, const struct wl_dissector *carrier);
/* The inner protocol's name as the carrier learned it (ALPN, the wrapped
 * port's service), tried after a tls.port rule; unknown names are ignored. */
void wl_carried_hint(struct wl_ctx *ctx, struct wl_carried *c, const char *proto);
/* Whether an inner dissector has the stream, deciding now if it can with
 * the bytes waiting and next (not kept): the carrier shows next as a minor
 * message when it does, as its own otherwise. */
int wl_carried_taken(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir, struct wl_cur next);
/* Feeds plaintext of one direction to the inner dissector (or keeps it while
 * the probes want more); each message it makes gets the note how. Returns 1
 * when the inner dissector began a message: the carrier's own message, if it
 * left it open, has been emitted then. */
int wl_carried_push(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir,
		    struct wl_cur bytes, const char *how);
/* len bytes of plaintext of that direction will never come. */
void wl_carried_gap(struct wl_ctx *ctx, struct wl_carried *c, enum wl_dir dir, uint64_t len);
/* The inner dissector's name, or NULL while undecided or when none took it. */
const char *wl_carried_proto(const struct wl_carried *c);
/* The carrier ("TLS") whose plaintext is under dissection, or NULL when the
 * bytes are the wire's own: a lesson such as "password in clear text" holds
 * only then. */
const char *wl_carrier(const struct wl_ctx *ctx);
/* Ends the inner protocol (its close) and frees c; NULL is fine. */
void wl_carried_free(struct wl_ctx *ctx, struct wl_carried *c);

/* Text of the protocols of Windows (text.c). */
enum { WL_U16_ODD = 1, WL_U16_SURROGATE = 2, WL_U16_CUT = 4 };
/* UTF-16LE to UTF-8 (NUL-terminated in out). A lone surrogate becomes U+FFFD,
 * an odd last byte is dropped; stops at a NUL unit when stop_nul. Returns the
 * WL_U16_* flags of what was repaired. */
unsigned wl_utf16_text(struct wl_cur c, char *out, size_t cap, int stop_nul);
/* 8-bit text (OEM code page) as UTF-8-safe ASCII; others become '?'. */
void wl_oem_text(struct wl_cur c, char *out, size_t cap, int stop_nul);
/* The notes for what wl_utf16_text() repaired in the string called what. */
void wl_note_utf16(struct wl_msg *m, unsigned bad, const char *what);

/* Value tables (tcpdump's struct tok). */
struct wl_tok {
	uint32_t v;
	const char *s;
};
/* The name of v, or dflt when absent (dflt may be NULL). */
const char *wl_tok(const struct wl_tok *t, uint32_t v, const char *dflt);

#endif
