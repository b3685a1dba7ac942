/* hexdump.h - a frame's bytes as tshark -x prints them. */
#ifndef WL_HEXDUMP_H
#define WL_HEXDUMP_H

#include "outbuf.h"

/* 16 bytes a line: offset, the bytes in hex, the bytes as ASCII ('.' for
 * what does not print), then an empty line:
 *   0040  eb ab 57 68 61 74 20 74 69 6d 65 20 69 73 20 69   ..What time is i */
void wl_ob_hexdump(struct wl_obuf *b, const uint8_t *p, size_t n);

#endif
