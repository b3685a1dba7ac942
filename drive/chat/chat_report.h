/* chat_report.h - the report of `wirelab chat-load --compare`: a table, JSON
 * Lines (one object per server), or a standalone SVG of the latency
 * distributions side by side. */
#ifndef WL_CHAT_REPORT_H
#define WL_CHAT_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "chat_load.h"

struct wl_chat_row {
	const char *server;      /* "chat-epoll" */
	uint16_t port;
	int measured;            /* the load ran (fig holds figures), else fig.why says why not */
	struct wl_chat_load_figures fig;
};

/* 1 when the row's server took every client and delivered every message. */
int wl_chat_row_ok(const struct wl_chat_row *r, const struct wl_chat_load_opts *o);

void wl_chat_report(FILE *out, enum wl_chat_report how, const struct wl_chat_load_opts *o,
		    const struct wl_chat_row *rows, int n);

#endif
