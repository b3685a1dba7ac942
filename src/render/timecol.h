/* timecol.h - the text view's time column in tshark's -t formats. */
#ifndef WL_TIMECOL_H
#define WL_TIMECOL_H

#include <stddef.h>
#include <stdint.h>

#include "render.h"

/* The column's width in characters (the header pads "time" to it). */
size_t wl_timecol_width(enum wl_time_fmt f, int verbose, int hms);

/* The text of one line's time into t (NUL-terminated; returns its length):
 * abs_ns since 1970, rel_ns since the first frame, delta_ns since the frame
 * before (-t d) or the frame last shown (-t dd). hms: -u hms. */
size_t wl_timecol_text(char *t, size_t size, enum wl_time_fmt f, int verbose, int hms,
		       int64_t abs_ns, int64_t rel_ns, int64_t delta_ns);

#endif
