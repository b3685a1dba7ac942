/* snmp_usm.h - SNMPv3's User-based Security Model for the SNMP dissector: the
 * users wirelab is told, their keys, the check of a message's HMAC and the
 * decryption of its scoped PDU.
 *
 * Specs: RFC 3414 (USM: password to key, key localisation, HMAC-MD5-96,
 * HMAC-SHA-96, CBC-DES), RFC 7860 (HMAC-SHA-2: 224/128, 256/192, 384/256,
 * 512/384), RFC 3826 (AES-128 in CFB mode), draft-blumenthal-aes-usm-04 (AES-192
 * and AES-256, the key extension net-snmp's "AES-192"/"AES-256" use) and
 * draft-reeder-snmpv3-usm-3desede-00 section 2.1 (the key extension of Cisco's
 * AES-192/256, net-snmp's "AES-192-C"/"AES-256-C", tshark 4.0's "AES192"/"AES256").
 *
 * A user is written as one of:
 *   USER:AUTHPASS:PRIVPASS                    SHA-1 and AES-128 (the old form)
 *   USER:AUTHALG:AUTHPASS[:PRIVALG:PRIVPASS]  net-snmp's names: MD5, SHA, SHA-224,
 *                                              SHA-256, SHA-384, SHA-512; DES, AES,
 *                                              AES-192, AES-256, AES-192-C, AES-256-C
 *   "ENGINEID","USER","AUTH","AUTHPASS","PRIV","PRIVPASS"
 *                                              a record of Wireshark's snmp_users table
 *                                              (tshark -o uat:snmp_users:...): ENGINEID in
 *                                              hex or empty for any; AUTH MD5, SHA1,
 *                                              SHA2-224 ... SHA2-512; PRIV DES, AES,
 *                                              AES192, AES256 (both with Cisco's key
 *                                              extension, as in tshark)
 * A users file holds one record a line (Wireshark's snmp_users file); '#'
 * lines and empty lines are skipped.
 */
#ifndef WL_SNMP_USM_H
#define WL_SNMP_USM_H

#include <stddef.h>
#include <stdint.h>

#include "cursor.h"

enum wl_usm_auth {
	WL_USM_AUTH_NONE, WL_USM_AUTH_MD5, WL_USM_AUTH_SHA1, WL_USM_AUTH_SHA224,
	WL_USM_AUTH_SHA256, WL_USM_AUTH_SHA384, WL_USM_AUTH_SHA512,
};

enum wl_usm_priv {
	WL_USM_PRIV_NONE, WL_USM_PRIV_DES, WL_USM_PRIV_AES128,
	WL_USM_PRIV_AES192, WL_USM_PRIV_AES256,      /* Blumenthal key extension */
	WL_USM_PRIV_AES192C, WL_USM_PRIV_AES256C,    /* Reeder (Cisco) key extension */
};

#define WL_USM_NAME 33        /* user names are at most 32 octets (RFC 3414) */
#define WL_USM_ENGINE 32      /* engine IDs are 5 to 32 octets (RFC 3411) */
#define WL_USM_PASS 256
#define WL_USM_HASH 64        /* longest digest: SHA-512 */
#define WL_USM_KEY 64
#define WL_USM_USERS 16       /* users kept by a table */

struct wl_usm_user {
	char name[WL_USM_NAME];
	size_t name_len;
	uint8_t engine[WL_USM_ENGINE];
	size_t engine_len;             /* 0: any engine */
	enum wl_usm_auth auth;
	enum wl_usm_priv priv;
	char auth_pw[WL_USM_PASS], priv_pw[WL_USM_PASS];
	/* the passwords as keys (RFC 3414 A.2.1), made on first use: 1 MiB of hashing each */
	int ku_ready;                  /* 0 not yet, 1 made, -1 the digest failed */
	uint8_t ku_auth[WL_USM_HASH], ku_priv[WL_USM_HASH];
};

/* Parses one user in any of the three forms. 0, or -1 with the reason in err. */
int wl_usm_user_parse(const char *spec, struct wl_usm_user *u, char *err, size_t errlen);

/* Names for notes: "HMAC-SHA-256-192", "AES-256 (Blumenthal key extension)". */
const char *wl_usm_auth_name(enum wl_usm_auth a);
const char *wl_usm_priv_name(enum wl_usm_priv p);
/* The privacy algorithm of u as it works out with u's hash: "AES-256-CFB",
 * and how the key was extended when the digest is shorter than the key. */
const char *wl_usm_priv_text(const struct wl_usm_user *u, char *buf, size_t n);
/* Bytes of the MAC in msgAuthenticationParameters (12 for MD5 and SHA-1). */
size_t wl_usm_mac_len(enum wl_usm_auth a);

/* The keys of one user localized to one engine (RFC 3414 2.6). */
struct wl_usm_keys {
	uint8_t auth[WL_USM_KEY], priv[WL_USM_KEY];
	size_t auth_len, priv_len;
};

/* Localizes u's keys to engine eid (the authoritative engine ID of the
 * message), extending the privacy key as its algorithm wants. 0, or -1 when
 * a digest fails or eid is longer than an engine ID can be. */
int wl_usm_localize(struct wl_usm_user *u, const uint8_t *eid, size_t eidn, struct wl_usm_keys *k);

/* RFC 3414 6.3.2 / RFC 7860 4.2.2: the HMAC over wholeMsg with its
 * msgAuthenticationParameters (mac_len bytes at mac_off) taken as zeros,
 * compared with those bytes. 1 verified, 0 differs, -1 cannot tell (the
 * parameters have the wrong length or lie outside the message, or the HMAC
 * failed). */
int wl_usm_verify(enum wl_usm_auth a, const struct wl_usm_keys *k, struct wl_cur whole,
		  size_t mac_off, size_t mac_len);

/* What decryption found. */
enum wl_usm_dec {
	WL_USM_DEC_OK = 0,
	WL_USM_DEC_SALT,       /* msgPrivacyParameters is not 8 bytes */
	WL_USM_DEC_BLOCKS,     /* DES: the ciphertext is not whole 8-byte blocks */
	WL_USM_DEC_NO_DES,     /* OpenSSL's legacy provider (DES) is not available */
	WL_USM_DEC_CRYPTO,     /* the cipher failed */
};

/* OpenSSL state the decryptions share: the legacy provider for DES, in a
 * library context of its own so the rest of the process is not changed. */
struct wl_usm_crypto;
struct wl_usm_crypto *wl_usm_crypto_new(void);
void wl_usm_crypto_free(struct wl_usm_crypto *cx);

/* Decrypts enc (n bytes) into out (room for n bytes): CBC-DES with IV =
 * pre-IV XOR salt (RFC 3414 8.1.1.1) or AES-CFB with IV = boots, time, salt
 * (RFC 3826 3.1.2.1). *outn is the plaintext length (n). */
enum wl_usm_dec wl_usm_decrypt(struct wl_usm_crypto *cx, enum wl_usm_priv p, const struct wl_usm_keys *k,
			       uint32_t boots, uint32_t time, struct wl_cur salt, struct wl_cur enc,
			       uint8_t *out, size_t *outn);
const char *wl_usm_dec_text(enum wl_usm_dec d);

#endif
