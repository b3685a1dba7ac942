/* tls_crypt.h - the cryptography behind TLS decryption with a key log: key
 * log look-ups (NSS SSLKEYLOGFILE format), the TLS 1.3 key schedule's
 * HKDF-Expand-Label (RFC 8446 7.1), the TLS 1.2 PRF (RFC 5246 5) and record
 * protection (AEAD: AES-GCM, ChaCha20-Poly1305; AES-CBC with HMAC), all with
 * OpenSSL's primitives. It sees byte buffers, never packets: dissect/tls.c
 * takes the bytes out of the packet with its cursor and hands them here.
 */
#ifndef WL_TLS_CRYPT_H
#define WL_TLS_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#define TLS_MAX_SECRET 64

/* How a suite protects its records. */
enum tls_bulk {
	TLS_BULK_NONE = 0,
	TLS_BULK_AES128_GCM,
	TLS_BULK_AES256_GCM,
	TLS_BULK_CHACHA20,
	TLS_BULK_AES128_CBC,
	TLS_BULK_AES256_CBC,
};

/* What decryption needs to know of a cipher suite; 0 when unsupported. */
struct tls_suite_info {
	enum tls_bulk bulk;
	const char *prf_md;     /* "SHA256" / "SHA384": PRF or HKDF hash */
	const char *mac_md;     /* CBC suites: the record MAC's hash, else NULL */
};
int tls_suite_info(uint16_t suite, struct tls_suite_info *out);

/* Looks up "LABEL <client random hex> <secret hex>" in a key log file.
 * Returns the secret's length (> 0) or 0 when absent or unreadable. */
size_t tls_keylog_find(const char *path, const char *label, const uint8_t crand[32],
		       uint8_t secret[TLS_MAX_SECRET]);
/* The same in key log lines held in memory (a pcapng Decryption Secrets Block). */
size_t tls_keylog_find_mem(const uint8_t *text, size_t len, const char *label, const uint8_t crand[32],
			   uint8_t secret[TLS_MAX_SECRET]);

/* TLS 1.3 HKDF-Expand-Label(secret, label, "", outlen). 0 on success. */
int tls13_expand_label(const char *md, const uint8_t *secret, size_t slen, const char *label,
		       uint8_t *out, size_t outlen);

/* The TLS 1.2 PRF(secret, label, seed) with hash md. 0 on success. */
int tls12_prf(const char *md, const uint8_t *secret, size_t slen, const char *label,
	      const uint8_t *seed, size_t seedlen, uint8_t *out, size_t outlen);

/* One direction's record protection. */
struct tls_prot;

/* TLS 1.3 keys from a traffic secret. */
struct tls_prot *tls_prot_new13(uint16_t suite, const uint8_t *secret, size_t slen);
/* TLS 1.0-1.2 keys from the master secret and both randoms; server selects
 * the server's write keys; etm: encrypt_then_mac (RFC 7366) was negotiated. */
struct tls_prot *tls_prot_new12(uint16_t suite, uint16_t version, const uint8_t *ms, size_t mslen,
				const uint8_t crand[32], const uint8_t srand[32], int server, int etm);
void tls_prot_free(struct tls_prot *p);
/* 1 when a record can be tried with several sequence numbers (not so for
 * TLS 1.0 CBC, whose IV chains from one record to the next). */
int tls_prot_seekable(const struct tls_prot *p);
/* TLS 1.3 KeyUpdate: the next generation of the traffic secret. */
int tls_prot_update13(struct tls_prot *p);

/* Opens one record (hdr: its 5-byte header, body: its payload). The plaintext
 * goes to out (at least bodylen bytes); for TLS 1.3 the padding and inner type
 * are removed and *inner_type set. Returns the plaintext length, or -1 when the
 * record fails to authenticate (the sequence number advances all the same). */
long tls_prot_open(struct tls_prot *p, uint64_t seq, const uint8_t hdr[5], const uint8_t *body,
		   size_t bodylen, uint8_t *out, uint8_t *inner_type);

#endif
