/* hexdump.c - tshark's -x layout (the bytes pane of Wireshark as text). */
#include "hexdump.h"

static const char hexdig[] = "0123456789abcdef";

void wl_ob_hexdump(struct wl_obuf *b, const uint8_t *p, size_t n)
{
	/* 4 offset digits as tshark while the frame is under 64 KiB, more after */
	int digits = n > 0x10000 ? 8 : 4;
	for (size_t off = 0; off < n; off += 16) {
		char line[8 + 2 + 16 * 3 + 2 + 16 + 1];
		size_t k = 0, row = n - off < 16 ? n - off : 16;
		for (int d = digits - 1; d >= 0; d--)
			line[k++] = hexdig[(off >> (4 * d)) & 15];
		line[k++] = ' ';
		line[k++] = ' ';
		for (size_t i = 0; i < 16; i++) {
			line[k++] = i < row ? hexdig[p[off + i] >> 4] : ' ';
			line[k++] = i < row ? hexdig[p[off + i] & 15] : ' ';
			line[k++] = ' ';
		}
		line[k++] = ' ';
		line[k++] = ' ';
		for (size_t i = 0; i < row; i++) {
			uint8_t c = p[off + i];
			line[k++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		line[k++] = '\n';
		wl_ob_write(b, line, k);
	}
	wl_ob_putc(b, '\n');
}
