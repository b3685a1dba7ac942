/* ntlmssp.h - NTLMSSP messages for the protocols that carry them (SMB, LDAP).
 * The caller lists the ntlmssp.* fields in its own field table. */
#ifndef WL_NTLMSSP_H
#define WL_NTLMSSP_H

#include <stdint.h>

#include "wl.h"

#define WL_NTLMSSP_NAME 256  /* bytes kept of a name (UTF-8) */

/* What NTLMSSP messages said, for the caller's text and notes; zero it
 * before the first. */
struct wl_ntlmssp {
	uint32_t type;           /* 1 NEGOTIATE, 2 CHALLENGE, 3 AUTHENTICATE; 0 none */
	char user[WL_NTLMSSP_NAME], domain[WL_NTLMSSP_NAME], host[WL_NTLMSSP_NAME];
	char target[WL_NTLMSSP_NAME];  /* CHALLENGE: the server's name */
	const char *kind;        /* AUTHENTICATE: "NTLMv2", "NTLMv1", "anonymous", "no NT response" */
};

/* Dissects one NTLMSSP message, blob being all of it, into m's fields
 * (ntlmssp.*) and *ai. Returns the kind of response an AUTHENTICATE read to
 * its end carries (for the caller's version field), else NULL. */
const char *wl_ntlmssp(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai);
/* "NTLMSSP_NEGOTIATE", "NTLMSSP_CHALLENGE", "NTLMSSP_AUTH", or NULL. */
const char *wl_ntlmssp_type_name(uint32_t type);

#endif
