/* registry.c - the tables of drivers and servers, built from the .def files:
 * above every family folder, as it names them all. */
#include <string.h>

#include "drive.h"

#define WL_DRIVER(n) extern const struct wl_driver wl_driver_##n;
#include "drivers.def"
#undef WL_DRIVER
#define WL_SERVER(n) extern const struct wl_server wl_server_##n;
#include "servers.def"
#undef WL_SERVER
#define WL_OWN_SERVER(n) extern const struct wl_own_server wl_own_##n;
#include "own_servers.def"
#undef WL_OWN_SERVER

const struct wl_driver *const wl_drivers[] = {
#define WL_DRIVER(n) &wl_driver_##n,
#include "drivers.def"
#undef WL_DRIVER
	NULL,
};

const struct wl_server *const wl_servers[] = {
#define WL_SERVER(n) &wl_server_##n,
#include "servers.def"
#undef WL_SERVER
	NULL,
};

const struct wl_own_server *const wl_own_servers[] = {
#define WL_OWN_SERVER(n) &wl_own_##n,
#include "own_servers.def"
#undef WL_OWN_SERVER
	NULL,
};

const struct wl_driver *wl_driver_find(const char *name)
{
	for (const struct wl_driver *const *d = wl_drivers; *d; d++)
		if (strcmp((*d)->name, name) == 0)
			return *d;
	return NULL;
}

const struct wl_server *wl_server_find(const char *name)
{
	for (const struct wl_server *const *s = wl_servers; *s; s++)
		if (strcmp((*s)->name, name) == 0)
			return *s;
	return NULL;
}

const struct wl_own_server *wl_own_server_find(const char *name)
{
	for (const struct wl_own_server *const *s = wl_own_servers; *s; s++)
		if (strcmp((*s)->name, name) == 0)
			return *s;
	return NULL;
}
