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
 * ntlmssp.negotiate*, the version, every security buffer's descriptor,
 * the AV pairs, the NTLMv2 response's parts, the MIC): for -v. */
const char *wl_ntlmssp_v(struct wl_msg *m, struct wl_cur blob, struct wl_ntlmssp *ai, int verbose);
/* The field names wl_ntlmssp_v() and wl_ntlmssp_verifier() may emit, for
 * the caller's field table: WL_NTLMSSP_FIELDS_V expands to its entries (put
 * it inside the caller's array), wl_ntlmssp_fields holds them ending with
 * { NULL }. */
#define WL_NTLMSSP_FIELDS_V \
	{ "ntlmssp.negotiateunicode", WL_FT_BOOL, "Negotiate UNICODE" }, \
	{ "ntlmssp.negotiateoem", WL_FT_BOOL, "Negotiate OEM" }, \
	{ "ntlmssp.requesttarget", WL_FT_BOOL, "Request Target" }, \
	{ "ntlmssp.negotiate00000008", WL_FT_BOOL, "Request 0x00000008" }, \
	{ "ntlmssp.negotiatesign", WL_FT_BOOL, "Negotiate Sign" }, \
	{ "ntlmssp.negotiateseal", WL_FT_BOOL, "Negotiate Seal" }, \
	{ "ntlmssp.negotiatedatagram", WL_FT_BOOL, "Negotiate Datagram" }, \
	{ "ntlmssp.negotiatelmkey", WL_FT_BOOL, "Negotiate Lan Manager Key" }, \
	{ "ntlmssp.negotiate00000100", WL_FT_BOOL, "Negotiate 0x00000100" }, \
	{ "ntlmssp.negotiatentlm", WL_FT_BOOL, "Negotiate NTLM key" }, \
	{ "ntlmssp.negotiatentonly", WL_FT_BOOL, "Negotiate NT Only" }, \
	{ "ntlmssp.negotiateanonymous", WL_FT_BOOL, "Negotiate Anonymous" }, \
	{ "ntlmssp.negotiateoemdomainsupplied", WL_FT_BOOL, "Negotiate OEM Domain Supplied" }, \
	{ "ntlmssp.negotiateoemworkstationsupplied", WL_FT_BOOL, "Negotiate OEM Workstation Supplied" }, \
	{ "ntlmssp.negotiate00004000", WL_FT_BOOL, "Negotiate 0x00004000" }, \
	{ "ntlmssp.negotiatealwayssign", WL_FT_BOOL, "Negotiate Always Sign" }, \
	{ "ntlmssp.targettypedomain", WL_FT_BOOL, "Target Type Domain" }, \
	{ "ntlmssp.targettypeserver", WL_FT_BOOL, "Target Type Server" }, \
	{ "ntlmssp.targettypeshare", WL_FT_BOOL, "Target Type Share" }, \
	{ "ntlmssp.negotiatentlm2", WL_FT_BOOL, "Negotiate Extended Security" }, \
	{ "ntlmssp.negotiateidentify", WL_FT_BOOL, "Negotiate Identify" }, \
	{ "ntlmssp.negotiatent00200000", WL_FT_BOOL, "Negotiate 0x00200000" }, \
	{ "ntlmssp.requestnonntsession", WL_FT_BOOL, "Request Non-NT Session" }, \
	{ "ntlmssp.negotiatetargetinfo", WL_FT_BOOL, "Negotiate Target Info" }, \
	{ "ntlmssp.negotiatent01000000", WL_FT_BOOL, "Negotiate 0x01000000" }, \
	{ "ntlmssp.negotiateversion", WL_FT_BOOL, "Negotiate Version" }, \
	{ "ntlmssp.negotiatent04000000", WL_FT_BOOL, "Negotiate 0x04000000" }, \
	{ "ntlmssp.negotiatent08000000", WL_FT_BOOL, "Negotiate 0x08000000" }, \
	{ "ntlmssp.negotiatent10000000", WL_FT_BOOL, "Negotiate 0x10000000" }, \
	{ "ntlmssp.negotiate128", WL_FT_BOOL, "Negotiate 128" }, \
	{ "ntlmssp.negotiatekeyexch", WL_FT_BOOL, "Negotiate Key Exchange" }, \
	{ "ntlmssp.negotiate56", WL_FT_BOOL, "Negotiate 56" }, \
	{ "ntlmssp.version.major", WL_FT_UINT, "Major Version" }, \
	{ "ntlmssp.version.minor", WL_FT_UINT, "Minor Version" }, \
	{ "ntlmssp.version.build_number", WL_FT_UINT, "Build Number" }, \
	{ "ntlmssp.version.ntlm_current_revision", WL_FT_UINT, "NTLM Current Revision" }, \
	{ "ntlmssp.identifier", WL_FT_STR, "NTLMSSP identifier" }, \
	{ "ntlmssp.negotiate.domain", WL_FT_STR, "Calling workstation domain" }, \
	{ "ntlmssp.negotiate.callingworkstation", WL_FT_STR, "Calling workstation name" }, \
	{ "ntlmssp.reserved", WL_FT_BYTES, "Reserved" }, \
	{ "ntlmssp.string.length", WL_FT_UINT, "Length of a string's buffer" }, \
	{ "ntlmssp.string.maxlen", WL_FT_UINT, "Maxlen of a string's buffer" }, \
	{ "ntlmssp.string.offset", WL_FT_UINT, "Offset of a string's buffer" }, \
	{ "ntlmssp.blob.length", WL_FT_UINT, "Length of a blob's buffer" }, \
	{ "ntlmssp.blob.maxlen", WL_FT_UINT, "Maxlen of a blob's buffer" }, \
	{ "ntlmssp.blob.offset", WL_FT_UINT, "Offset of a blob's buffer" }, \
	{ "ntlmssp.challenge.target_info.length", WL_FT_UINT, "Target info length" }, \
	{ "ntlmssp.challenge.target_info.maxlen", WL_FT_UINT, "Target info maxlen" }, \
	{ "ntlmssp.challenge.target_info.offset", WL_FT_UINT, "Target info offset" }, \
	{ "ntlmssp.challenge.target_info.item.type", WL_FT_HEX, "Target info item type (AV pair id)" }, \
	{ "ntlmssp.challenge.target_info.item.length", WL_FT_UINT, "Target info item length" }, \
	{ "ntlmssp.challenge.target_info.dns_domain_name", WL_FT_STR, "Server DNS domain name" }, \
	{ "ntlmssp.challenge.target_info.dns_tree_name", WL_FT_STR, "Server DNS forest name" }, \
	{ "ntlmssp.challenge.target_info.flags", WL_FT_HEX, "Target info flags" }, \
	{ "ntlmssp.challenge.target_info.timestamp", WL_FT_TIME, "Server time" }, \
	{ "ntlmssp.challenge.target_info.restrictions", WL_FT_BYTES, "Single host restrictions" }, \
	{ "ntlmssp.challenge.target_info.target_name", WL_FT_STR, "Target (SPN) name" }, \
	{ "ntlmssp.challenge.target_info.channel_bindings", WL_FT_BYTES, "Channel bindings hash" }, \
	{ "ntlmssp.auth.lmresponse", WL_FT_BYTES, "LAN Manager response" }, \
	{ "ntlmssp.auth.ntresponse", WL_FT_BYTES, "NTLM response" }, \
	{ "ntlmssp.auth.sesskey", WL_FT_BYTES, "Encrypted random session key" }, \
	{ "ntlmssp.ntlmclientchallenge", WL_FT_BYTES, "Client challenge of the LMv2 response" }, \
	{ "ntlmssp.authenticate.mic", WL_FT_BYTES, "Message integrity code" }, \
	{ "ntlmssp.ntlmv2_response", WL_FT_BYTES, "NTLMv2 response" }, \
	{ "ntlmssp.ntlmv2_response.ntproofstr", WL_FT_BYTES, "NTProofStr (HMAC-MD5 of challenge and blob)" }, \
	{ "ntlmssp.ntlmv2_response.rversion", WL_FT_UINT, "Response version" }, \
	{ "ntlmssp.ntlmv2_response.hirversion", WL_FT_UINT, "Highest response version" }, \
	{ "ntlmssp.ntlmv2_response.z", WL_FT_BYTES, "Reserved (zero)" }, \
	{ "ntlmssp.ntlmv2_response.time", WL_FT_TIME, "Client time" }, \
	{ "ntlmssp.ntlmv2_response.chal", WL_FT_BYTES, "Client challenge" }, \
	{ "ntlmssp.ntlmv2_response.pad", WL_FT_BYTES, "Padding after the AV pairs" }, \
	{ "ntlmssp.ntlmv2_response.item.type", WL_FT_HEX, "NTLMv2 response item type (AV pair id)" }, \
	{ "ntlmssp.ntlmv2_response.item.length", WL_FT_UINT, "NTLMv2 response item length" }, \
	{ "ntlmssp.ntlmv2_response.nb_computer_name", WL_FT_STR, "Server NetBIOS name" }, \
	{ "ntlmssp.ntlmv2_response.nb_domain_name", WL_FT_STR, "Server NetBIOS domain" }, \
	{ "ntlmssp.ntlmv2_response.dns_computer_name", WL_FT_STR, "Server DNS name" }, \
	{ "ntlmssp.ntlmv2_response.dns_domain_name", WL_FT_STR, "Server DNS domain name" }, \
	{ "ntlmssp.ntlmv2_response.dns_tree_name", WL_FT_STR, "Server DNS forest name" }, \
	{ "ntlmssp.ntlmv2_response.flags", WL_FT_HEX, "AV flags (0x2: a MIC is present)" }, \
	{ "ntlmssp.ntlmv2_response.timestamp", WL_FT_TIME, "Server time echoed" }, \
	{ "ntlmssp.ntlmv2_response.restrictions", WL_FT_BYTES, "Single host restrictions" }, \
	{ "ntlmssp.ntlmv2_response.target_name", WL_FT_STR, "Target (SPN) name" }, \
	{ "ntlmssp.ntlmv2_response.channel_bindings", WL_FT_BYTES, "Channel bindings hash" }, \
	{ "ntlmssp.verf.vers", WL_FT_UINT, "Verifier version" }, \
	{ "ntlmssp.verf.body", WL_FT_BYTES, "Verifier body (checksum, sequence number)" },
extern const struct wl_field_info wl_ntlmssp_fields[];
/* An NTLMSSP message signature (a 16-byte verifier, [MS-NLMP] §2.2.2.9: the
 * SPNEGO mechListMIC, a DCE/RPC auth verifier) as ntlmssp.verf.vers/.body. */
void wl_ntlmssp_verifier(struct wl_msg *m, struct wl_cur v);
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
