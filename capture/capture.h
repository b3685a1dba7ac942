/* capture.h - packet sources and sinks: pcap/pcapng files, live capture in a
 * thread of its own behind a bounded queue, the pcap writer, privilege drop.
 *
 * Shaped like pcap.h: open, (filter), next until 0, close. A live source
 * starts its capture thread on open and returns once the capture is active,
 * so a caller can start traffic right after.
 */
#ifndef WL_CAPTURE_H
#define WL_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* A pcapng packet comment (opt_comment): UTF-8, not NUL-terminated. */
struct wl_pkt_comment {
	const char *text;
	uint32_t len;
};
#define WL_PKT_MAX_COMMENTS 8   /* kept per packet; more are not shown */

struct wl_pkt {
	int64_t ts_ns;
	uint32_t caplen, len;
	const uint8_t *data;   /* valid until the next wl_source_next() */
	int linktype;          /* LINKTYPE_* of the interface it came on */
	uint32_t interface_id; /* pcapng: the interface in its section; else 0 */
	uint32_t section;      /* pcapng: its section, from 1; 0 for a pcap file or live */
	/* pcapng: the interface's if_name and if_description (NULL when it has
	 * none), valid until the next wl_source_next() */
	struct wl_pkt_comment if_name, if_descr;
	int has_flags;         /* pcapng: the EPB has epb_flags */
	uint32_t flags;        /* its value: direction, reception type, FCS length, errors */
	unsigned ncomments;
	const struct wl_pkt_comment *comments;  /* valid until the next wl_source_next() */
};

struct wl_source;

/* A capture file (pcap or pcapng). NULL with a reason in err. */
struct wl_source *wl_source_offline(const char *path, char *err, size_t errlen);
/* The same from memory (for fuzzing the file reader). */
struct wl_source *wl_source_offline_mem(const uint8_t *buf, size_t len, char *err, size_t errlen);

struct wl_live_cfg {
	const char *iface;
	const char *filter;      /* BPF, or NULL */
	int snaplen;             /* 0: 262144 */
	int buffer_kib;          /* kernel buffer (the packet ring), 0: WL_CAPTURE_BUFFER_KIB */
	size_t queue_bytes;      /* hand-off queue, 0: 32 MiB */
};
#define WL_CAPTURE_BUFFER_KIB 32768
struct wl_source *wl_source_live(const struct wl_live_cfg *cfg, char *err, size_t errlen);

/* The file's or interface's link type as a LINKTYPE_* number; for a pcapng
 * file its first interface's (each packet says its own in wl_pkt). */
int wl_source_linktype(const struct wl_source *s);
int wl_source_snaplen(const struct wl_source *s);
/* Interfaces the source has: 1, or those the current section of a pcapng file
 * (the last packet's) has described so far; its Interface Description Blocks
 * come before its packets in the files dumpcap, tcpdump and mergecap write. */
uint32_t wl_source_interfaces(const struct wl_source *s);
/* A pcapng file's TLS key log (Decryption Secrets Blocks) read so far, in
 * SSLKEYLOGFILE format; NULL with *len 0 when there is none. */
const uint8_t *wl_source_tls_keylog(const struct wl_source *s, size_t *len);
/* 1 for a pcapng file: it may carry TLS key log lines anywhere in it. */
int wl_source_is_pcapng(const struct wl_source *s);
/* Applies a BPF filter; -1 with the reason in err. For a pcapng file it is
 * compiled for each interface's link type (a link type it cannot be compiled
 * for matches nothing). */
int wl_source_filter(struct wl_source *s, const char *bpf, char *err, size_t errlen);

/* Next packet: 1, or 0 at the end (file end, or a stopped live capture that has
 * drained), or -1 on a read error (reason in wl_source_error). A live source
 * returns 2 when no packet came within 100 ms, so the caller can check its
 * own stop flag and call again. */
int wl_source_next(struct wl_source *s, struct wl_pkt *p);
const char *wl_source_error(const struct wl_source *s);

/* Live: asks the capture thread to stop; wl_source_next() then returns what is
 * queued and 0. Safe to call from a signal handler's flag check, not from the
 * handler itself. */
void wl_source_stop(struct wl_source *s);

struct wl_capture_stats {
	uint64_t received;       /* handed over by libpcap */
	uint64_t kernel_drops;   /* pcap_stats ps_drop */
	uint64_t if_drops;       /* pcap_stats ps_ifdrop */
	uint64_t queue_drops;    /* the consumer fell behind */
};
void wl_source_stats(struct wl_source *s, struct wl_capture_stats *st);
void wl_source_close(struct wl_source *s);

/* Writer: a pcap file tcpdump and tshark read. A pcap file has one link
 * type: a packet of another is refused (-1, reason in wl_writer_close). */
struct wl_writer;
struct wl_writer *wl_writer_open(const char *path, int linktype, int snaplen, char *err, size_t errlen);
/* 0, or -1 once writing failed (disk full): later packets are not written. */
int wl_writer_write(struct wl_writer *w, const struct wl_pkt *p);
uint64_t wl_writer_count(const struct wl_writer *w);
/* Flushes and closes; -1 if anything failed (reason in err). */
int wl_writer_close(struct wl_writer *w, char *err, size_t errlen);

/* As root, switch to user (tcpdump -Z). 0, or -1 with the reason. */
int wl_drop_privileges(const char *user, char *err, size_t errlen);

#endif
