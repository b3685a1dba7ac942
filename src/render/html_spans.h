/* html_spans.h - where the IP, TCP and UDP header fields of a message lie in
 * its frame's bytes, for -T html's bytes pane: the core hands numbers to
 * the message, not their place, so the place is found again from the frame. */
#ifndef WL_HTML_SPANS_H
#define WL_HTML_SPANS_H

#include <stdint.h>

#include "engine.h"

/* Offsets of the network and transport headers in a frame (0: none). */
struct wl_frame_layers {
	uint32_t ip4, ip6, tcp, udp;  /* offset + 1, so that 0 means absent */
};

void wl_frame_layers(const uint8_t *frame, uint32_t n, int linktype, struct wl_frame_layers *l);
/* A field name's row in the header table, or -1 (a string search: cache it). */
int wl_header_field(const char *name);
/* The span of the header field of that row, if the frame has its layer; 0 otherwise. */
int wl_header_span(const struct wl_frame_layers *l, uint32_t n, int field, uint32_t span[2]);

#endif
