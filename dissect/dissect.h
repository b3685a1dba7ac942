/* dissect.h - the registered dissectors (protocols.def): the table an engine
 * is given, and lookups by the names users write (--list-protocols, -d). */
#ifndef WL_DISSECT_H
#define WL_DISSECT_H

#include <stddef.h>

#include "engine.h"

/* Every registered dissector, NULL-terminated: for wl_engine_set_dissectors(). */
extern const struct wl_dissector *const wl_dissectors[];

/* The registered dissector of that name, or NULL. */
const struct wl_dissector *wl_dissector_find(const char *name);

/* Parses one rule "tcp.port==N,NAME" (tshark's names too: nbss, ssl, ...);
 * returns 0, or -1 with a reason in err. */
int wl_decode_as_parse(const char *rule, struct wl_decode_as *out, char *err, size_t errlen);

#endif
