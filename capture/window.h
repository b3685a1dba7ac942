/* window.h - a capture file read through a sliding window (capture/ only).
 *
 * The next bytes of a file sit in one buffer of a MiB or more, and a record's
 * bytes are handed out where they lie: a packet costs no copy, a MiB one
 * read(2). Read from memory, the window is the memory. The pcap and pcapng
 * readers (pcapfile.c, pcapng.c) both read through it.
 */
#ifndef WL_CAPTURE_WINDOW_H
#define WL_CAPTURE_WINDOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct wl_window {
	FILE *f;                 /* NULL: reading memory */
	uint8_t *buf;            /* the buffer (a file) */
	size_t cap;
	const uint8_t *win;      /* buf, or the memory */
	size_t len, pos;         /* bytes in the window; the next unread one */
	uint64_t win_at;         /* file offset of win[0] */
	char err[128];           /* why need() said -1 */
};

/* Over f (owned from now on, also on failure), whose first npre bytes were
 * already read into pre; or over len bytes at mem (not copied: they must
 * outlive the window). 0, or -1 when out of memory. */
int wl__window_file(struct wl_window *w, FILE *f, const uint8_t *pre, size_t npre);
void wl__window_mem(struct wl_window *w, const uint8_t *mem, size_t len);

/* Makes n bytes from pos readable at win + pos: 1, 0 when the file ends
 * first (the bytes left are len - pos), -1 on a read error or no memory. */
int wl__window_need(struct wl_window *w, size_t n);

static inline uint64_t wl__window_offset(const struct wl_window *w)
{
	return w->win_at + w->pos;
}

void wl__window_close(struct wl_window *w);

#endif
