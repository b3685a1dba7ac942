/* timecol.c - the time column. tshark's formats, microsecond precision
 * (what a pcap file holds; tshark shows 9 digits only for nanosecond files):
 *
 *   -t r   0.000016          -t e    1795632057.796668
 *   -t d   0.000016          -t a    18:40:57.796668    (local time)
 *   -t dd  0.000016          -t ad   2026-11-25 18:40:57.796668
 *   -u hms 12882h 16m 26.390881s   -t adoy 2026/329 18:40:57.796668
 *
 * and u, ud, udoy as a, ad, adoy in UTC. Without -t, wirelab's own column:
 * seconds since the first frame with 4 decimals (6 with -v). The widths fit
 * 11 days in seconds and 10 years in hms; a longer time pushes its line. */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "timecol.h"

size_t wl_timecol_width(enum wl_time_fmt f, int verbose, int hms)
{
	switch (f) {
	case WL_T_DEFAULT: return verbose ? 11 : 9;
	case WL_T_REL: case WL_T_DELTA: case WL_T_DELTA_SHOWN: return hms ? 21 : 13;
	case WL_T_EPOCH: return 17;
	case WL_T_LOCAL: case WL_T_UTC: return 15;
	case WL_T_LOCAL_DATE: case WL_T_UTC_DATE: return 26;
	case WL_T_LOCAL_DOY: case WL_T_UTC_DOY: return 24;
	}
	return 9;
}

/* Seconds with `dec` decimals (truncated, as tshark), signed. */
static int secs(char *t, size_t size, int64_t ns, int dec, const char *unit)
{
	const char *sign = ns < 0 ? "-" : "";
	uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t scale = dec == 4 ? 100000 : 1000;
	return snprintf(t, size, "%s%" PRIu64 ".%0*" PRIu64 "%s", sign, u / 1000000000, dec,
			u % 1000000000 / scale, unit);
}

/* -u hms: "26.390881s", "35m  2.570030s", "12882h 16m 26.390881s". */
static int hms(char *t, size_t size, int64_t ns)
{
	const char *sign = ns < 0 ? "-" : "";
	uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t s = u / 1000000000, us = u % 1000000000 / 1000;
	if (s < 60)
		return snprintf(t, size, "%s%" PRIu64 ".%06" PRIu64 "s", sign, s, us);
	if (s < 3600)
		return snprintf(t, size, "%s%" PRIu64 "m %2" PRIu64 ".%06" PRIu64 "s", sign, s / 60,
				s % 60, us);
	return snprintf(t, size, "%s%" PRIu64 "h %2" PRIu64 "m %2" PRIu64 ".%06" PRIu64 "s", sign,
			s / 3600, s / 60 % 60, s % 60, us);
}

static int wall(char *t, size_t size, enum wl_time_fmt f, int64_t abs_ns)
{
	int64_t s = abs_ns / 1000000000, frac = abs_ns % 1000000000;
	if (frac < 0) {
		s--;
		frac += 1000000000;
	}
	time_t tt = (time_t)s;
	struct tm tm;
	int local = f == WL_T_LOCAL || f == WL_T_LOCAL_DATE || f == WL_T_LOCAL_DOY;
	if (!(local ? localtime_r(&tt, &tm) : gmtime_r(&tt, &tm)))
		return snprintf(t, size, "?");
	int us = (int)(frac / 1000);
	if (f == WL_T_LOCAL || f == WL_T_UTC)
		return snprintf(t, size, "%02d:%02d:%02d.%06d", tm.tm_hour, tm.tm_min, tm.tm_sec, us);
	if (f == WL_T_LOCAL_DOY || f == WL_T_UTC_DOY)
		return snprintf(t, size, "%04d/%03d %02d:%02d:%02d.%06d", tm.tm_year + 1900,
				tm.tm_yday + 1, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
	return snprintf(t, size, "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900,
			tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
}

size_t wl_timecol_text(char *t, size_t size, enum wl_time_fmt f, int verbose, int use_hms,
		       int64_t abs_ns, int64_t rel_ns, int64_t delta_ns)
{
	int n;
	switch (f) {
	case WL_T_DEFAULT:
		n = secs(t, size, rel_ns, verbose ? 6 : 4, "");
		break;
	case WL_T_REL:
	case WL_T_DELTA:
	case WL_T_DELTA_SHOWN: {
		int64_t v = f == WL_T_REL ? rel_ns : delta_ns;
		n = use_hms ? hms(t, size, v) : secs(t, size, v, 6, "");
		break;
	}
	case WL_T_EPOCH:
		n = secs(t, size, abs_ns, 6, "");
		break;
	default:
		n = wall(t, size, f, abs_ns);
		break;
	}
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}
