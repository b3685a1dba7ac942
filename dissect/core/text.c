/* text.c - text from packet bytes for the protocols of Windows (SMB,
 * NTLMSSP): UTF-16LE and 8-bit OEM strings as UTF-8, with what had to be
 * repaired said as notes. */
#include <string.h>

#include "wl.h"

static size_t utf8_put(uint32_t u, char *o)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | u >> 18);
	o[1] = (char)(0x80 | (u >> 12 & 0x3f));
	o[2] = (char)(0x80 | (u >> 6 & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

unsigned wl_utf16_text(struct wl_cur c, char *out, size_t cap, int stop_nul)
{
	size_t o = 0;
	unsigned bad = (wl_left(&c) & 1) ? WL_U16_ODD : 0;
	while (wl_left(&c) >= 2) {
		uint32_t u = wl_le16(&c);
		if (u == 0 && stop_nul)
			break;
		if (u >= 0xd800 && u < 0xdc00) {
			int lo = wl_peek(&c, 0), hi = wl_peek(&c, 1);
			uint32_t nx = (lo >= 0 && hi >= 0) ? (uint32_t)(lo | hi << 8) : 0;
			if (nx >= 0xdc00 && nx < 0xe000) {
				wl_skip(&c, 2);
				u = 0x10000 + ((u - 0xd800) << 10) + (nx - 0xdc00);
			} else {
				u = 0xfffd;
				bad |= WL_U16_SURROGATE;
			}
		} else if (u >= 0xdc00 && u < 0xe000) {
			u = 0xfffd;
			bad |= WL_U16_SURROGATE;
		}
		char tmp[4];
		size_t k = utf8_put(u, tmp);
		if (o + k + 1 > cap) {
			bad |= WL_U16_CUT;
			break;
		}
		memcpy(out + o, tmp, k);
		o += k;
	}
	out[o] = '\0';
	return bad;
}

void wl_oem_text(struct wl_cur c, char *out, size_t cap, int stop_nul)
{
	size_t o = 0;
	while (wl_left(&c) && o + 1 < cap) {
		uint8_t b = wl_u8(&c);
		if (b == 0 && stop_nul)
			break;
		out[o++] = b < 0x80 ? (char)b : '?';
	}
	out[o] = '\0';
}

void wl_note_utf16(struct wl_msg *m, unsigned bad, const char *what)
{
	if (bad & WL_U16_ODD)
		wl_note(m, WL_ERROR, "malformed: %s has an odd number of bytes for UTF-16", what);
	if (bad & WL_U16_SURROGATE)
		wl_note(m, WL_WARN, "%s has an unpaired UTF-16 surrogate (shown as U+FFFD)", what);
}
