/* smb3crypt.c - SMB 2/3 keys, transform decryption and signatures.
 *
 * Specs: [MS-SMB2] §3.1.4.1 (signing: HMAC-SHA256 for 2.x, AES-CMAC for 3.x,
 * AES-GMAC when 3.1.1 negotiates it), §3.1.4.2 (KDF: NIST SP800-108 counter
 * mode with HMAC-SHA256, r = 32, one block), §3.1.4.3 (encryption: AES-CCM
 * with an 11-byte nonce, AES-GCM with a 12-byte one, the AAD being the
 * transform header from its nonce on), §3.2.5.3.1 (which label and context
 * for which dialect).
 *
 *   Ko = HMAC-SHA256(Ki, 00000001 || Label || 00 || Context || L)   (L in bits, big-endian)
 *
 *   dialect   key              label               context
 *   3.0/3.0.2 signing          "SMB2AESCMAC\0"     "SmbSign\0"
 *             client -> server "SMB2AESCCM\0"      "ServerIn \0"
 *             server -> client "SMB2AESCCM\0"      "ServerOut\0"
 *   3.1.1     signing          "SMBSigningKey\0"   pre-authentication hash
 *             client -> server "SMBC2SCipherKey\0" pre-authentication hash
 *             server -> client "SMBS2CCipherKey\0" pre-authentication hash
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "smb3crypt.h"

static int hmac_sha256(const uint8_t *key, size_t keylen, const uint8_t *p, size_t n, uint8_t out[32])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *h = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t len = 0;
	int ok = h && EVP_MAC_init(h, key, keylen, params) && EVP_MAC_update(h, p, n) &&
		 EVP_MAC_final(h, out, &len, 32) && len == 32;
	EVP_MAC_CTX_free(h);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

static int aes_cmac(const uint8_t key[16], const uint8_t *p, size_t n, uint8_t out[16])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
	EVP_MAC_CTX *h = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, (char *)"AES-128-CBC", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t len = 0;
	int ok = h && EVP_MAC_init(h, key, 16, params) && EVP_MAC_update(h, p, n) &&
		 EVP_MAC_final(h, out, &len, 16) && len == 16;
	EVP_MAC_CTX_free(h);
	EVP_MAC_free(mac);
	return ok ? 0 : -1;
}

/* One KDF output of bits 128 or 256. */
static int kdf(const uint8_t *ki, const char *label, size_t llen, const uint8_t *context, size_t clen,
	       unsigned bits, uint8_t *out)
{
	uint8_t in[4 + 32 + 1 + 64 + 4];
	size_t n = 0;
	if (llen > 32 || clen > 64)
		return -1;
	static const uint8_t one[4] = { 0, 0, 0, 1 };
	memcpy(in, one, 4);
	n = 4;
	memcpy(in + n, label, llen);
	n += llen;
	in[n++] = 0;
	memcpy(in + n, context, clen);
	n += clen;
	in[n++] = (uint8_t)(bits >> 24);
	in[n++] = (uint8_t)(bits >> 16);
	in[n++] = (uint8_t)(bits >> 8);
	in[n++] = (uint8_t)bits;
	uint8_t h[32];
	if (hmac_sha256(ki, 16, in, n, h) < 0)
		return -1;
	memcpy(out, h, bits / 8);
	return 0;
}

static unsigned key_bits(uint16_t cipher)
{
	return cipher == SMB3_AES256_CCM || cipher == SMB3_AES256_GCM ? 256 : 128;
}

int smb3_derive(struct smb3_keys *k, uint16_t dialect, uint16_t cipher, uint16_t signing,
		const uint8_t session[16], const uint8_t *preauth)
{
	memset(k, 0, sizeof *k);
	k->dialect = dialect;
	k->cipher = cipher;
	k->signing = signing;
	memcpy(k->session, session, 16);
	if (dialect < 0x0300) {
		k->cipher = SMB3_CIPHER_NONE;
		k->signing = SMB3_SIGN_HMAC_SHA256;
		return 0;
	}
	unsigned bits = key_bits(cipher);
	/* the labels' sizes count their NUL; kdf() adds the separator NUL */
	if (dialect < 0x0311 || !preauth) {
		if (k->cipher == SMB3_CIPHER_NONE)
			k->cipher = SMB3_AES128_CCM;
		if (k->signing == SMB3_SIGN_HMAC_SHA256)
			k->signing = SMB3_SIGN_AES_CMAC;
		return kdf(session, "SMB2AESCMAC", 12, (const uint8_t *)"SmbSign", 8, 128, k->sign) |
		       kdf(session, "SMB2AESCCM", 11, (const uint8_t *)"ServerIn ", 10, bits, k->c2s) |
		       kdf(session, "SMB2AESCCM", 11, (const uint8_t *)"ServerOut", 10, bits, k->s2c);
	}
	if (k->signing == SMB3_SIGN_HMAC_SHA256)
		k->signing = SMB3_SIGN_AES_CMAC;
	return kdf(session, "SMBSigningKey", 14, preauth, 64, 128, k->sign) |
	       kdf(session, "SMBC2SCipherKey", 16, preauth, 64, bits, k->c2s) |
	       kdf(session, "SMBS2CCipherKey", 16, preauth, 64, bits, k->s2c);
}

static const EVP_CIPHER *aead(uint16_t cipher, int *ccm)
{
	*ccm = cipher == SMB3_AES128_CCM || cipher == SMB3_AES256_CCM;
	switch (cipher) {
	case SMB3_AES128_CCM: return EVP_aes_128_ccm();
	case SMB3_AES128_GCM: return EVP_aes_128_gcm();
	case SMB3_AES256_CCM: return EVP_aes_256_ccm();
	case SMB3_AES256_GCM: return EVP_aes_256_gcm();
	default: return NULL;
	}
}

/* AEAD in either direction; tag is read (decrypt) or written (encrypt). */
static int aead_run(int enc, uint16_t cipher, const uint8_t *key, const uint8_t *nonce,
		    const uint8_t *aad, size_t aadn, const uint8_t *in, size_t n, uint8_t *out, uint8_t tag[16])
{
	int ccm;
	const EVP_CIPHER *c = aead(cipher, &ccm);
	if (!c || n > 0x7fffffff)
		return -1;
	int ivlen = ccm ? 11 : 12, len = 0, ok = 0;
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	if (!x)
		return -1;
	if (!EVP_CipherInit_ex(x, c, NULL, NULL, NULL, enc) ||
	    !EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, ivlen, NULL))
		goto out;
	if (ccm && !EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, 16, enc ? NULL : tag))
		goto out;
	if (!EVP_CipherInit_ex(x, NULL, NULL, key, nonce, enc))
		goto out;
	if (ccm && !EVP_CipherUpdate(x, NULL, &len, NULL, (int)n))
		goto out;
	if (aadn && !EVP_CipherUpdate(x, NULL, &len, aad, (int)aadn))
		goto out;
	if (!ccm && !enc && !EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, 16, tag))
		goto out;
	/* CCM checks its tag in this one update; an empty message still needs it */
	if ((n || ccm) && !EVP_CipherUpdate(x, out, &len, in, (int)n)) {
		ok = 0;
		goto tagfail;
	}
	if (!ccm && !EVP_CipherFinal_ex(x, out + len, &len))
		goto tagfail;
	if (enc && !EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, tag))
		goto out;
	ok = 1;
	goto out;
tagfail:
	EVP_CIPHER_CTX_free(x);
	if (n)
		memset(out, 0, n);
	return 0;
out:
	EVP_CIPHER_CTX_free(x);
	return ok ? 1 : -1;
}

int smb3_decrypt(uint16_t cipher, const uint8_t *key, const uint8_t hdr[SMB3_XF_HEADER],
		 const uint8_t *ct, size_t n, uint8_t *out)
{
	uint8_t tag[16];
	memcpy(tag, hdr + 4, 16);
	return aead_run(0, cipher, key, hdr + 20, hdr + 20, 32, ct, n, out, tag);
}

int smb3_encrypt(uint16_t cipher, const uint8_t *key, uint8_t hdr[SMB3_XF_HEADER],
		 const uint8_t *pt, size_t n, uint8_t *out)
{
	uint8_t tag[16];
	int r = aead_run(1, cipher, key, hdr + 20, hdr + 20, 32, pt, n, out, tag);
	if (r == 1)
		memcpy(hdr + 4, tag, 16);
	return r;
}

int smb3_sign(const struct smb3_keys *k, const uint8_t *msg, size_t n, uint8_t out[16])
{
	if (n < 64)
		return -1;
	static const uint8_t zero[16];
	if (k->signing == SMB3_SIGN_AES_GMAC) {
		/* nonce: message id, then bit 0 for a response, bit 1 for CANCEL */
		uint8_t nonce[12];
		memcpy(nonce, msg + 24, 8);
		uint32_t flags = (uint32_t)msg[16] | (uint32_t)msg[17] << 8;
		uint16_t cmd = (uint16_t)(msg[12] | msg[13] << 8);
		nonce[8] = (uint8_t)((flags & 1) | (cmd == 0x000c ? 2 : 0));
		nonce[9] = nonce[10] = nonce[11] = 0;
		EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
		int len = 0, ok = x && EVP_EncryptInit_ex(x, EVP_aes_128_gcm(), NULL, NULL, NULL) &&
				  EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) &&
				  EVP_EncryptInit_ex(x, NULL, NULL, k->sign, nonce) &&
				  EVP_EncryptUpdate(x, NULL, &len, msg, 48) &&
				  EVP_EncryptUpdate(x, NULL, &len, zero, 16) &&
				  (n == 64 || (n - 64 <= 0x7fffffff &&
					       EVP_EncryptUpdate(x, NULL, &len, msg + 64, (int)(n - 64)))) &&
				  EVP_EncryptFinal_ex(x, NULL, &len) &&
				  EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, 16, out);
		EVP_CIPHER_CTX_free(x);
		return ok ? 0 : -1;
	}
	/* the MACs take the message whole: a copy with the signature zeroed */
	uint8_t stack[4096];
	uint8_t *copy = n <= sizeof stack ? stack : OPENSSL_malloc(n);
	if (!copy)
		return -1;
	memcpy(copy, msg, n);
	memset(copy + 48, 0, 16);
	int r;
	if (k->signing == SMB3_SIGN_AES_CMAC) {
		r = aes_cmac(k->sign, copy, n, out);
	} else {
		uint8_t h[32];
		r = hmac_sha256(k->session, 16, copy, n, h);
		memcpy(out, h, 16);
	}
	if (copy != stack)
		OPENSSL_free(copy);
	return r;
}

int smb3_preauth(uint8_t h[64], const uint8_t *msg, size_t n)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new();
	unsigned len = 0;
	int ok = x && EVP_DigestInit_ex(x, EVP_sha512(), NULL) && EVP_DigestUpdate(x, h, 64) &&
		 EVP_DigestUpdate(x, msg, n) && EVP_DigestFinal_ex(x, h, &len) && len == 64;
	EVP_MD_CTX_free(x);
	return ok ? 0 : -1;
}

const char *smb3_cipher_name(uint16_t cipher)
{
	static const char *const names[] = { "none", "AES-128-CCM", "AES-128-GCM", "AES-256-CCM",
					     "AES-256-GCM" };
	return cipher < sizeof names / sizeof names[0] ? names[cipher] : "unknown cipher";
}
