/* registry.c - the table of dissectors, built from protocols.def. */
#include <stddef.h>
#include <string.h>

#include "engine.h"

#define WL_PROTO(name) extern const struct wl_dissector wl_dissector_##name;
#include "protocols.def"
#undef WL_PROTO

const struct wl_dissector *const wl_dissectors[] = {
#define WL_PROTO(name) &wl_dissector_##name,
#include "protocols.def"
#undef WL_PROTO
	NULL,
};

const struct wl_dissector *wl_dissector_find(const char *name)
{
	for (const struct wl_dissector *const *d = wl_dissectors; *d; d++)
		if (strcmp((*d)->name, name) == 0)
			return *d;
	return NULL;
}
