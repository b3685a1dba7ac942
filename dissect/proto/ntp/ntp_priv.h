/* ntp_priv.h - NTP private messages (mode 7), the part of the NTP dissector
 * in ntp_priv.c. */
#ifndef WL_NTP_PRIV_H
#define WL_NTP_PRIV_H

#include <stdint.h>

#include "wl.h"

/* A mode-7 message after its first byte (flags: R, M, VN, mode) was read.
 * verbose: also the per-item fields and the bit fields (-v). */
void ntp_private(struct wl_msg *m, struct wl_cur *c, uint8_t flags, int verbose);

#endif
