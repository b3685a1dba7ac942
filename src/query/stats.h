/* stats.h - what the -z statistics share (stats.c, follow.c, notes.c). */
#ifndef WL_QUERY_STATS_H
#define WL_QUERY_STATS_H

#include <arpa/inet.h>

#include "qpriv.h"

int wl__follow_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		   char *err, size_t errlen);
int wl__expert_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		   char *err, size_t errlen);
int wl__creds_new(const struct wl_qreg *reg, FILE *out, struct wl_qconsumer *c, char *err,
		  size_t errlen);

#endif
