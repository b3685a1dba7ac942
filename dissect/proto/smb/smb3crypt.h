/* smb3crypt.h - the keys of an SMB 2/3 session and what they do: the
 * SP800-108 KDF of [MS-SMB2] §3.1.4.2, the transform's AES-CCM/GCM
 * (§3.1.4.3) and message signing (§3.1.4.1). Pure functions over OpenSSL;
 * the dissector (smb.c) keeps the state. */
#ifndef WL_SMB3CRYPT_H
#define WL_SMB3CRYPT_H

#include <stddef.h>
#include <stdint.h>

enum {
	SMB3_CIPHER_NONE = 0, SMB3_AES128_CCM = 1, SMB3_AES128_GCM = 2, SMB3_AES256_CCM = 3,
	SMB3_AES256_GCM = 4,
};
enum { SMB3_SIGN_HMAC_SHA256 = 0, SMB3_SIGN_AES_CMAC = 1, SMB3_SIGN_AES_GMAC = 2 };

#define SMB3_XF_HEADER 52     /* the transform header; its last 32 bytes are the AEAD's AAD */

struct smb3_keys {
	uint16_t dialect;
	uint16_t cipher;          /* SMB3_AES* or NONE (SMB 2.x) */
	uint16_t signing;         /* SMB3_SIGN_* */
	uint8_t session[16];      /* the session key (NTLMSSP's exported session key) */
	uint8_t sign[16];
	uint8_t c2s[32], s2c[32]; /* the client's EncryptionKey (ServerIn), DecryptionKey (ServerOut) */
};

/* The keys of a session of this dialect (0x0202..0x0311) and cipher from its
 * session key; preauth is the 3.1.1 pre-authentication hash (64 bytes, NULL
 * for older dialects). 0 on success. */
int smb3_derive(struct smb3_keys *k, uint16_t dialect, uint16_t cipher, uint16_t signing,
		const uint8_t session[16], const uint8_t *preauth);

/* Decrypts a transform: hdr is its 52-byte header, ct the n bytes after it,
 * out has room for n. 1 when the tag verifies, 0 when it does not (wrong
 * key or altered bytes: out is then zeroed), -1 on a bad cipher or a
 * library error. */
int smb3_decrypt(uint16_t cipher, const uint8_t *key, const uint8_t hdr[SMB3_XF_HEADER],
		 const uint8_t *ct, size_t n, uint8_t *out);
/* Encrypts (for the tests and the fuzz seeds): fills hdr's signature. */
int smb3_encrypt(uint16_t cipher, const uint8_t *key, uint8_t hdr[SMB3_XF_HEADER],
		 const uint8_t *pt, size_t n, uint8_t *out);

/* The 16-byte signature of one SMB2 message (its header first; its
 * signature field is taken as zero). 0 on success. */
int smb3_sign(const struct smb3_keys *k, const uint8_t *msg, size_t n, uint8_t out[16]);

/* The pre-authentication hash step: h = SHA-512(h || msg). */
int smb3_preauth(uint8_t h[64], const uint8_t *msg, size_t n);

const char *smb3_cipher_name(uint16_t cipher);

#endif
