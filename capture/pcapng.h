/* pcapng.h - capture/'s own pcapng reader, behind wl_source (capture.c).
 *
 * libpcap (1.10) refuses a file whose interfaces differ in link type or
 * snapshot length, or whose sections differ in byte order, and its API has
 * neither the interface a packet came on nor the packet's comments. This
 * reader has all of them and checks every length against the block and the
 * file. Internal to capture/: callers use wl_source.
 */
#ifndef WL_CAPTURE_PCAPNG_H
#define WL_CAPTURE_PCAPNG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"

/* Caps a hostile file meets: interfaces in one section, bytes in one block
 * (libpcap's own block limit), TLS key log bytes kept from DSBs. */
#define WL_PCAPNG_MAX_IFACES 1024u
#define WL_PCAPNG_MAX_BLOCK (16u << 20)
#define WL_PCAPNG_MAX_KEYLOG (1u << 20)

struct wl_pcapng;

/* 1 when the 4 bytes at b open a pcapng file (a Section Header Block). */
int wl__pcapng_magic(const uint8_t *b, size_t n);

/* Opens a reader over f (owned from now on, also on failure), whose first
 * npre bytes were already read into pre; or over len bytes at buf (not
 * copied: they must outlive the reader). Reads the header blocks up to the
 * first packet. NULL with the reason in err. */
struct wl_pcapng *wl__pcapng_open_file(FILE *f, const uint8_t *pre, size_t npre, char *err,
				       size_t errlen);
struct wl_pcapng *wl__pcapng_open_mem(const uint8_t *buf, size_t len, char *err, size_t errlen);

/* Next packet: 1, 0 at the end, -1 on a damaged file (reason in
 * wl__pcapng_error; the packets before it were good). p's data and comments
 * stay valid until the next call. */
int wl__pcapng_next(struct wl_pcapng *r, struct wl_pkt *p);
const char *wl__pcapng_error(const struct wl_pcapng *r);

/* The first interface's link type and snapshot length (Ethernet and 262144
 * before any), and how many interfaces the current section (that of the last
 * packet) has described so far. */
int wl__pcapng_linktype(const struct wl_pcapng *r);
int wl__pcapng_snaplen(const struct wl_pcapng *r);
uint32_t wl__pcapng_interfaces(const struct wl_pcapng *r);

/* The TLS key log lines of the Decryption Secrets Blocks read so far. */
const uint8_t *wl__pcapng_tls_keylog(const struct wl_pcapng *r, size_t *len);

void wl__pcapng_close(struct wl_pcapng *r);

#endif
