/* drive.c - what every driver shares: the facts and the failure of its result. */
#include <stdarg.h>
#include <stdio.h>

#include "drive.h"

void wl_drive_fact(struct wl_drive_result *r, const char *fmt, ...)
{
	if (r->nfacts >= sizeof r->facts / sizeof r->facts[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->facts[r->nfacts++], sizeof r->facts[0], fmt, ap);
	va_end(ap);
}

int wl_drive_fail(struct wl_drive_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
	r->ok = 0;
	return -1;
}
