/* window.c - see window.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "window.h"

#define WINDOW_BYTES (1u << 20)

int wl__window_file(struct wl_window *w, FILE *f, const uint8_t *pre, size_t npre)
{
	memset(w, 0, sizeof *w);
	uint8_t *buf = npre <= WINDOW_BYTES ? malloc(WINDOW_BYTES) : NULL;
	if (!buf) {
		fclose(f);
		return -1;
	}
	memcpy(buf, pre, npre);
	*w = (struct wl_window){ .f = f, .buf = buf, .cap = WINDOW_BYTES, .win = buf, .len = npre };
	return 0;
}

void wl__window_mem(struct wl_window *w, const uint8_t *mem, size_t len)
{
	*w = (struct wl_window){ .win = mem, .len = len };
}

int wl__window_need(struct wl_window *w, size_t n)
{
	if (w->len - w->pos >= n)
		return 1;
	if (!w->f)
		return 0;
	if (w->pos) {  /* the unread tail to the front */
		memmove(w->buf, w->buf + w->pos, w->len - w->pos);
		w->win_at += w->pos;
		w->len -= w->pos;
		w->pos = 0;
	}
	if (n > w->cap) {
		size_t cap = n + WINDOW_BYTES;
		uint8_t *nb = realloc(w->buf, cap);
		if (!nb) {
			snprintf(w->err, sizeof w->err, "out of memory for a record of %zu bytes", n);
			return -1;
		}
		w->buf = nb;
		w->win = nb;
		w->cap = cap;
	}
	while (w->len - w->pos < n) {
		size_t got = fread(w->buf + w->len, 1, w->cap - w->len, w->f);
		if (got == 0) {
			if (!ferror(w->f))
				return 0;
			snprintf(w->err, sizeof w->err, "read error: %s", strerror(errno));
			return -1;
		}
		w->len += got;
	}
	return 1;
}

void wl__window_close(struct wl_window *w)
{
	if (w->f)
		fclose(w->f);
	free(w->buf);
	memset(w, 0, sizeof *w);
}
