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
	/* Added for key derivation (the fields above are unchanged): */
	uint32_t flags;          /* the negotiate flags of the last message */
	uint8_t challenge[8];    /* CHALLENGE: the server challenge */
	uint8_t have_challenge;
};

/* Dissects one NTLMSSP message, blob being all of it, into m's fields
 * (ntlmssp.*) and *ai. Returns the kind of response an AUTHENTICATE read to
 * its end carries (for the caller's version field), else NULL. */
const char *wl_ntlmssp(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai);
/* The same, and with verbose the wider field set (each negotiate flag as
 * ntlmssp.negotiate*, the version): for -v. */
const char *wl_ntlmssp_v(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai, int verbose);
/* The field names wl_ntlmssp_v() may emit, for the caller's field table:
 * flag_names, ending with NULL. */
extern const struct wl_field_info wl_ntlmssp_fields[];
/* "NTLMSSP_NEGOTIATE", "NTLMSSP_CHALLENGE", "NTLMSSP_AUTH", or NULL. */
const char *wl_ntlmssp_type_name(uint32_t type);

/* ---- keys: an NTLMv2 login's session key from the password ([MS-NLMP] §3.3.2) ---- */

enum wl_ntlmssp_key {
	WL_NTLMSSP_KEY_OK = 0,
	WL_NTLMSSP_KEY_WRONG_PASSWORD,   /* the NTProofStr does not verify */
	WL_NTLMSSP_KEY_NOT_V2,           /* NTLMv1 or LM only */
	WL_NTLMSSP_KEY_ANONYMOUS,
	WL_NTLMSSP_KEY_MALFORMED,
};

/* MD4 (RFC 1320) and the NT hash, MD4 of the UTF-16LE password (UTF-8 in). */
void wl_ntlmssp_md4(const uint8_t *p, size_t n, uint8_t out[16]);
void wl_ntlmssp_nt_hash(const char *password, uint8_t out[16]);
/* The exported session key of the AUTHENTICATE message auth (all of it) for
 * the password whose NT hash is given. challenge is the server challenge of
 * the CHALLENGE before it, or NULL when it was not captured (then a wrong
 * password goes unnoticed here). */
enum wl_ntlmssp_key wl_ntlmssp_session_key(struct wl_cur auth, const uint8_t nt_hash[16],
					   const uint8_t *challenge, uint8_t key[16]);
/* One line saying what a result means. */
const char *wl_ntlmssp_key_why(enum wl_ntlmssp_key r);

#endif
