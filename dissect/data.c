/* data.c - payload no dissector claims: its length and a printable preview. */
#include <stdio.h>

#include "core.h"

#define PREVIEW 48

void wl__data_msg(struct wl_ctx *ctx, int dir, struct wl_cur c)
{
	size_t n = wl_left(&c);
	const uint8_t *p = wl_bytes(&c, n);
	char prev[PREVIEW * 4 + 1];
	size_t o = 0, printable = 0;
	for (size_t i = 0; p && i < n && i < PREVIEW; i++) {
		uint8_t b = p[i];
		if (b >= 0x20 && b < 0x7f) {
			prev[o++] = (char)b;
			printable++;
		} else if (b == '\n' || b == '\r' || b == '\t') {
			o += (size_t)snprintf(prev + o, sizeof prev - o, "\\%c", b == '\n' ? 'n' : b == '\r' ? 'r' : 't');
			printable++;
		} else {
			o += (size_t)snprintf(prev + o, sizeof prev - o, "\\x%02x", b);
		}
	}
	prev[o] = '\0';
	struct wl_msg *m = wl_msg_new(ctx, "data", "data", (enum wl_dir)dir);
	wl_f_uint(m, "data.len", n);
	size_t shown = n < PREVIEW ? n : PREVIEW;
	if (shown && printable * 4 >= shown * 3)
		wl_msg_text(m, "%zu bytes \"%s\"%s", n, prev, n > PREVIEW ? "..." : "");
	else
		wl_msg_text(m, "%zu bytes of data", n);
}
