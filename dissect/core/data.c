/* data.c - payload no dissector claims: its length and a preview, quoted
 * when it is mostly text and as hex bytes when it is not (the whole payload
 * is data.data, as tshark's, with -v). */
#include "core.h"

#define PREVIEW 48     /* bytes of text shown on the line */
#define HEX_PREVIEW 12 /* bytes of binary shown on the line */

static const char hexdig[] = "0123456789abcdef";

void wl__data_preview(struct wl_sb *b, struct wl_cur c)
{
	size_t n = wl_left(&c);
	char prev[PREVIEW * 4 + 1];
	size_t o = 0, printable = 0;
	struct wl_cur r = c;
	for (size_t i = 0; i < n && i < PREVIEW; i++) {
		uint8_t ch = wl_u8(&r);
		if (ch >= 0x20 && ch < 0x7f) {
			prev[o++] = (char)ch;
			printable++;
		} else if (ch == '\n' || ch == '\r' || ch == '\t') {
			prev[o++] = '\\';
			prev[o++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : 't';
			printable++;
		} else {
			prev[o++] = '\\';
			prev[o++] = 'x';
			prev[o++] = hexdig[ch >> 4];
			prev[o++] = hexdig[ch & 15];
		}
	}
	size_t shown = n < PREVIEW ? n : PREVIEW;
	wl__sb_u64(b, n);
	if (shown && printable * 4 >= shown * 3) {
		wl__sb_str(b, " bytes \"");
		wl__sb_mem(b, prev, o);
		wl__sb_str(b, n > PREVIEW ? "\"..." : "\"");
		return;
	}
	wl__sb_str(b, n == 1 ? " byte" : " bytes");
	for (size_t i = 0; i < n && i < HEX_PREVIEW; i++) {
		uint8_t ch = wl_u8(&c);
		char hx[3] = { ' ', hexdig[ch >> 4], hexdig[ch & 15] };
		wl__sb_mem(b, hx, 3);
	}
	if (n > HEX_PREVIEW)
		wl__sb_str(b, " ...");
}

void wl__data_msg(struct wl_ctx *ctx, int dir, struct wl_cur c)
{
	if (ctx->opts.headers_only)
		return;
	size_t n = wl_left(&c);
	struct wl_msg *m = wl_msg_new(ctx, "data", "data", (enum wl_dir)dir);
	if (ctx->opts.verbose) {
		struct wl_cur all = c;
		wl_f_bytes(m, "data.data", wl_bytes(&all, n), n);
	}
	wl_f_uint(m, "data.len", n);
	char text[PREVIEW * 4 + 64];
	struct wl_sb b = { text, 0, sizeof text };
	text[0] = '\0';
	wl__data_preview(&b, c);
	wl__msg_text_raw(m, text, b.n);
}
