/* data.c - payload no dissector claims: its length and a printable preview. */
#include "core.h"

#define PREVIEW 48

void wl__data_msg(struct wl_ctx *ctx, int dir, struct wl_cur c)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = wl_left(&c);
	char prev[PREVIEW * 4 + 1];
	size_t o = 0, printable = 0;
	for (size_t i = 0; i < n && i < PREVIEW; i++) {
		uint8_t b = wl_u8(&c);
		if (b >= 0x20 && b < 0x7f) {
			prev[o++] = (char)b;
			printable++;
		} else if (b == '\n' || b == '\r' || b == '\t') {
			prev[o++] = '\\';
			prev[o++] = b == '\n' ? 'n' : b == '\r' ? 'r' : 't';
			printable++;
		} else {
			prev[o++] = '\\';
			prev[o++] = 'x';
			prev[o++] = hex[b >> 4];
			prev[o++] = hex[b & 15];
		}
	}
	struct wl_msg *m = wl_msg_new(ctx, "data", "data", (enum wl_dir)dir);
	wl_f_uint(m, "data.len", n);
	size_t shown = n < PREVIEW ? n : PREVIEW;
	char text[PREVIEW * 4 + 48];
	struct wl_sb b = { text, 0, sizeof text };
	text[0] = '\0';
	wl__sb_u64(&b, n);
	if (shown && printable * 4 >= shown * 3) {
		wl__sb_str(&b, " bytes \"");
		wl__sb_mem(&b, prev, o);
		wl__sb_str(&b, n > PREVIEW ? "\"..." : "\"");
	} else {
		wl__sb_str(&b, " bytes of data");
	}
	wl__msg_text_raw(m, text, b.n);
}
