/* jsonf.h - small helpers to write JSON to a FILE, for the commands that print
 * one JSON document (netinfo, ipcalc, geoip) rather than message streams. */
#ifndef WL_JSONF_H
#define WL_JSONF_H

#include <stdio.h>

/* A JSON string with its quotes; control characters escaped, bytes of
 * invalid UTF-8 replaced by U+FFFD. NULL is written as null. */
void wl_json_fstr(FILE *f, const char *s);
/* "key": with the separator before it when *first is 0. */
void wl_json_fkey(FILE *f, int *first, const char *key);

#endif
