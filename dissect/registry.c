/* registry.c - the table of dissectors, built from protocols.def, and the
 * names users give them (decode-as rules). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"

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

int wl_decode_as_parse(const char *rule, struct wl_decode_as *out, char *err, size_t errlen)
{
	const char *p;
	if (strncmp(rule, "tcp.port==", 10) == 0) {
		out->tcp = 1;
		p = rule + 10;
	} else if (strncmp(rule, "udp.port==", 10) == 0) {
		out->tcp = 0;
		p = rule + 10;
	} else if (strncmp(rule, "tls.port==", 10) == 0) {
		out->tcp = 2;  /* the plaintext of TLS on that TCP port (tshark's tls.port table) */
		p = rule + 10;
	} else {
		snprintf(err, errlen, "decode-as rule '%s': expected tcp.port==N,PROTO, udp.port==N,PROTO "
			 "or tls.port==N,PROTO", rule);
		return -1;
	}
	char *end;
	unsigned long port = strtoul(p, &end, 10);
	if (end == p || *end != ',' || port == 0 || port > 65535) {
		snprintf(err, errlen, "decode-as rule '%s': bad port", rule);
		return -1;
	}
	out->port = (uint16_t)port;
	/* tshark names some of ours differently: SMB over TCP is "nbss" there */
	static const struct { const char *tshark, *ours; } alias[] = {
		{ "nbss", "smb" }, { "smb2", "smb" }, { "cldap", "ldap" }, { "ssl", "tls" },
	};
	const char *name = end + 1;
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(name, alias[i].tshark) == 0)
			name = alias[i].ours;
	out->d = wl_dissector_find(name);
	if (!out->d) {
		snprintf(err, errlen, "decode-as rule '%s': unknown protocol '%s' (see --list-protocols)",
			 rule, end + 1);
		return -1;
	}
	return 0;
}
