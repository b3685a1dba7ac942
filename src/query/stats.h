/* stats.h - what the -z statistics share (stats.c, follow.c, notes.c). */
#ifndef WL_QUERY_STATS_H
#define WL_QUERY_STATS_H

#include <arpa/inet.h>

#include "qpriv.h"

/* The first occurrence of a field in the frame. */
int wl__stat_first(const struct wl_qframe *f, const struct wl_qreg *reg, const char *name,
		   struct wl_qval *v);

int wl__follow_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		   char *err, size_t errlen);
int wl__expert_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		   char *err, size_t errlen);
int wl__creds_new(const struct wl_qreg *reg, FILE *out, struct wl_qconsumer *c, char *err,
		  size_t errlen);

#endif
