/* pcapfile.h - capture/'s own reader of classic pcap files, behind wl_source
 * (capture.c).
 *
 * libpcap freads every record twice (its header, then its bytes); this reader
 * hands out each record where it lies in a window of the file (window.h). It
 * takes the common files and leaves the rest to libpcap: wl__pcapfile_takes()
 * says which. Internal to capture/: callers use wl_source.
 */
#ifndef WL_CAPTURE_PCAPFILE_H
#define WL_CAPTURE_PCAPFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"

#define WL_PCAPFILE_HEADER 24u
/* the largest record, as libpcap's (and tshark's) limit for these link types */
#define WL_PCAPFILE_MAX_CAPLEN 262144u

struct wl_pcapfile;

/* 1 when the n bytes at b begin a file this reader reads: the magic of
 * microsecond or nanosecond pcap in either byte order, version 2.4, and a link
 * type wirelab dissects without FCS bits. Anything else (Kuznetzov's and
 * Navtel's magics, older versions, other link types) goes to libpcap. */
int wl__pcapfile_takes(const uint8_t *b, size_t n);

/* Opens a reader over f (owned from now on, also on failure), whose first
 * npre bytes (at least the file header) were already read into pre; or over
 * len bytes at buf (not copied: they must outlive the reader). The header
 * must be one wl__pcapfile_takes(). NULL (out of memory) with err. */
struct wl_pcapfile *wl__pcapfile_open_file(FILE *f, const uint8_t *pre, size_t npre, char *err,
					   size_t errlen);
struct wl_pcapfile *wl__pcapfile_open_mem(const uint8_t *buf, size_t len, char *err, size_t errlen);

/* Next packet: 1, 0 at the end, -1 on a damaged file (the reason, in
 * libpcap's words, from wl__pcapfile_error; the packets before it were
 * good). p->data stays valid until the next call. A record longer than the
 * file's snapshot length comes whole, as tshark reads it (libpcap cuts it). */
int wl__pcapfile_next(struct wl_pcapfile *r, struct wl_pkt *p);
const char *wl__pcapfile_error(const struct wl_pcapfile *r);

int wl__pcapfile_linktype(const struct wl_pcapfile *r);
/* The header's snapshot length, or the largest when it says 0 or more. */
int wl__pcapfile_snaplen(const struct wl_pcapfile *r);

void wl__pcapfile_close(struct wl_pcapfile *r);

#endif
