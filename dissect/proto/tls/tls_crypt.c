/* tls_crypt.c - TLS record decryption from a key log, with OpenSSL's
 * primitives (EVP_KDF "HKDF" and "TLS1-PRF", EVP AEAD and CBC ciphers, HMAC).
 *
 * Specs: RFC 8446 7.1-7.3 (TLS 1.3 key schedule, traffic keys, per-record
 * nonce = iv XOR sequence number), RFC 5246 5 and 6.3 (TLS 1.2 PRF and key
 * block), RFC 5288 (AES-GCM: 4-byte salt + 8-byte explicit nonce), RFC 7905
 * (ChaCha20-Poly1305), NSS key log format.
 *
 *   TLS 1.3 record:  [hdr 5][ AEAD(content || type || zeros) ][tag 16]   aad = hdr
 *   TLS 1.2 GCM:     [hdr 5][explicit nonce 8][ AEAD(content) ][tag 16]
 *                    aad = seq 8 || type || version || plaintext length
 */
#include "tls_crypt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

struct suite_row {
	uint16_t id;
	struct tls_suite_info info;
};

static const struct suite_row suite_rows[] = {
	{ 0x1301, { TLS_BULK_AES128_GCM, "SHA256", NULL } },
	{ 0x1302, { TLS_BULK_AES256_GCM, "SHA384", NULL } },
	{ 0x1303, { TLS_BULK_CHACHA20, "SHA256", NULL } },
	{ 0x009c, { TLS_BULK_AES128_GCM, "SHA256", NULL } },
	{ 0x009d, { TLS_BULK_AES256_GCM, "SHA384", NULL } },
	{ 0x009e, { TLS_BULK_AES128_GCM, "SHA256", NULL } },
	{ 0x009f, { TLS_BULK_AES256_GCM, "SHA384", NULL } },
	{ 0xc02b, { TLS_BULK_AES128_GCM, "SHA256", NULL } },
	{ 0xc02c, { TLS_BULK_AES256_GCM, "SHA384", NULL } },
	{ 0xc02f, { TLS_BULK_AES128_GCM, "SHA256", NULL } },
	{ 0xc030, { TLS_BULK_AES256_GCM, "SHA384", NULL } },
	{ 0xcca8, { TLS_BULK_CHACHA20, "SHA256", NULL } },
	{ 0xcca9, { TLS_BULK_CHACHA20, "SHA256", NULL } },
	{ 0xccaa, { TLS_BULK_CHACHA20, "SHA256", NULL } },
	{ 0x002f, { TLS_BULK_AES128_CBC, "SHA256", "SHA1" } },
	{ 0x0033, { TLS_BULK_AES128_CBC, "SHA256", "SHA1" } },
	{ 0x0035, { TLS_BULK_AES256_CBC, "SHA256", "SHA1" } },
	{ 0x0039, { TLS_BULK_AES256_CBC, "SHA256", "SHA1" } },
	{ 0x003c, { TLS_BULK_AES128_CBC, "SHA256", "SHA256" } },
	{ 0x003d, { TLS_BULK_AES256_CBC, "SHA256", "SHA256" } },
	{ 0xc009, { TLS_BULK_AES128_CBC, "SHA256", "SHA1" } },
	{ 0xc00a, { TLS_BULK_AES256_CBC, "SHA256", "SHA1" } },
	{ 0xc013, { TLS_BULK_AES128_CBC, "SHA256", "SHA1" } },
	{ 0xc014, { TLS_BULK_AES256_CBC, "SHA256", "SHA1" } },
	{ 0xc023, { TLS_BULK_AES128_CBC, "SHA256", "SHA256" } },
	{ 0xc024, { TLS_BULK_AES256_CBC, "SHA384", "SHA384" } },
	{ 0xc027, { TLS_BULK_AES128_CBC, "SHA256", "SHA256" } },
	{ 0xc028, { TLS_BULK_AES256_CBC, "SHA384", "SHA384" } },
};

int tls_suite_info(uint16_t suite, struct tls_suite_info *out)
{
	for (size_t i = 0; i < sizeof suite_rows / sizeof suite_rows[0]; i++)
		if (suite_rows[i].id == suite) {
			*out = suite_rows[i].info;
			return 1;
		}
	memset(out, 0, sizeof *out);
	return 0;
}

/* ---- key log ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes hex of exactly 2*n digits (followed by space, newline or end). */
static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	while (n < max) {
		int hi = hexval((unsigned char)s[0]);
		if (hi < 0)
			break;
		int lo = hexval((unsigned char)s[1]);
		if (lo < 0)
			return 0;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (*s && !isspace((unsigned char)*s))
		return 0;
	return n;
}

/* The secret of one key log line if it is "LABEL <crand hex> <secret hex>". */
static size_t keylog_line(const char *line, const char *label, size_t ll, const uint8_t crand[32],
			  uint8_t secret[TLS_MAX_SECRET])
{
	uint8_t r[32];
	if (strncmp(line, label, ll) != 0 || line[ll] != ' ')
		return 0;
	const char *p = line + ll + 1;
	if (unhex(p, r, sizeof r) != 32 || memcmp(r, crand, 32) != 0)
		return 0;
	return unhex(p + 65, secret, TLS_MAX_SECRET);
}

size_t tls_keylog_find(const char *path, const char *label, const uint8_t crand[32],
		       uint8_t secret[TLS_MAX_SECRET])
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[512];
	size_t ll = strlen(label), found = 0;
	while (!found && fgets(line, sizeof line, f))
		found = keylog_line(line, label, ll, crand, secret);
	fclose(f);
	return found;
}

size_t tls_keylog_find_mem(const uint8_t *text, size_t len, const char *label, const uint8_t crand[32],
			   uint8_t secret[TLS_MAX_SECRET])
{
	char line[512];
	size_t ll = strlen(label), found = 0;
	for (size_t at = 0; !found && at < len;) {
		const uint8_t *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at;
		size_t keep = n < sizeof line - 1 ? n : sizeof line - 1;   /* a longer line matches nothing */
		memcpy(line, text + at, keep);
		line[keep] = 0;
		found = keylog_line(line, label, ll, crand, secret);
		at += n + 1;
	}
	OPENSSL_cleanse(line, sizeof line);
	return found;
}

/* ---- key derivation ---- */

static int kdf_run(const char *name, OSSL_PARAM *params, uint8_t *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, name, NULL);
	EVP_KDF_CTX *kc = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ok = kc && EVP_KDF_derive(kc, out, outlen, params) > 0;
	EVP_KDF_CTX_free(kc);
	EVP_KDF_free(kdf);
	return ok ? 0 : -1;
}

int tls13_expand_label(const char *md, const uint8_t *secret, size_t slen, const char *label,
		       uint8_t *out, size_t outlen)
{
	/* struct { uint16 length; opaque label<7..255> = "tls13 " + label; opaque context<0..255> = "" } */
	uint8_t info[2 + 1 + 255 + 1];
	size_t ll = strlen(label);
	if (ll > 255 - 6 || outlen > 0xffff)
		return -1;
	size_t o = 0;
	info[o++] = (uint8_t)(outlen >> 8);
	info[o++] = (uint8_t)outlen;
	info[o++] = (uint8_t)(6 + ll);
	memcpy(info + o, "tls13 ", 6);
	o += 6;
	memcpy(info + o, label, ll);
	o += ll;
	info[o++] = 0;
	char mdname[16];
	snprintf(mdname, sizeof mdname, "%s", md);
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, mdname, 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, slen),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, o),
		OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
		OSSL_PARAM_construct_end(),
	};
	return kdf_run("HKDF", params, out, outlen);
}

int tls12_prf(const char *md, const uint8_t *secret, size_t slen, const char *label,
	      const uint8_t *seed, size_t seedlen, uint8_t *out, size_t outlen)
{
	uint8_t full[128];
	size_t ll = strlen(label);
	if (ll + seedlen > sizeof full)
		return -1;
	memcpy(full, label, ll);
	memcpy(full + ll, seed, seedlen);
	char mdname[16];
	snprintf(mdname, sizeof mdname, "%s", md);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, mdname, 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)secret, slen),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full, ll + seedlen),
		OSSL_PARAM_construct_end(),
	};
	return kdf_run("TLS1-PRF", params, out, outlen);
}

/* ---- record protection ---- */

struct tls_prot {
	int tls13;
	int etm;                          /* CBC: encrypt_then_mac */
	uint16_t version;
	struct tls_suite_info si;
	uint8_t secret[TLS_MAX_SECRET];   /* TLS 1.3 traffic secret, for KeyUpdate */
	size_t slen;
	uint8_t key[32], iv[16], mac_key[48];
	size_t klen, ivlen, maclen;
	EVP_CIPHER_CTX *cx;
};

static const EVP_CIPHER *bulk_cipher(enum tls_bulk b)
{
	switch (b) {
	case TLS_BULK_AES128_GCM: return EVP_aes_128_gcm();
	case TLS_BULK_AES256_GCM: return EVP_aes_256_gcm();
	case TLS_BULK_CHACHA20: return EVP_chacha20_poly1305();
	case TLS_BULK_AES128_CBC: return EVP_aes_128_cbc();
	case TLS_BULK_AES256_CBC: return EVP_aes_256_cbc();
	default: return NULL;
	}
}

static size_t bulk_keylen(enum tls_bulk b)
{
	return b == TLS_BULK_AES128_GCM || b == TLS_BULK_AES128_CBC ? 16 : 32;
}

static int is_aead(enum tls_bulk b)
{
	return b == TLS_BULK_AES128_GCM || b == TLS_BULK_AES256_GCM || b == TLS_BULK_CHACHA20;
}

static struct tls_prot *prot_alloc(uint16_t suite)
{
	struct tls_prot *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (!tls_suite_info(suite, &p->si) || !(p->cx = EVP_CIPHER_CTX_new())) {
		free(p);
		return NULL;
	}
	return p;
}

static int keys13(struct tls_prot *p)
{
	p->klen = bulk_keylen(p->si.bulk);
	p->ivlen = 12;
	return tls13_expand_label(p->si.prf_md, p->secret, p->slen, "key", p->key, p->klen) ||
	       tls13_expand_label(p->si.prf_md, p->secret, p->slen, "iv", p->iv, p->ivlen);
}

struct tls_prot *tls_prot_new13(uint16_t suite, const uint8_t *secret, size_t slen)
{
	struct tls_prot *p = prot_alloc(suite);
	if (!p)
		return NULL;
	if (!is_aead(p->si.bulk) || slen > sizeof p->secret) {
		tls_prot_free(p);
		return NULL;
	}
	p->tls13 = 1;
	p->version = 0x0304;
	memcpy(p->secret, secret, slen);
	p->slen = slen;
	if (keys13(p)) {
		tls_prot_free(p);
		return NULL;
	}
	return p;
}

int tls_prot_update13(struct tls_prot *p)
{
	uint8_t next[TLS_MAX_SECRET];
	if (!p->tls13 || tls13_expand_label(p->si.prf_md, p->secret, p->slen, "traffic upd", next, p->slen))
		return -1;
	memcpy(p->secret, next, p->slen);
	OPENSSL_cleanse(next, sizeof next);
	return keys13(p);
}

struct tls_prot *tls_prot_new12(uint16_t suite, uint16_t version, const uint8_t *ms, size_t mslen,
				const uint8_t crand[32], const uint8_t srand[32], int server, int etm)
{
	struct tls_prot *p = prot_alloc(suite);
	if (!p)
		return NULL;
	p->version = version;
	p->etm = etm && !is_aead(p->si.bulk);
	p->klen = bulk_keylen(p->si.bulk);
	p->ivlen = p->si.bulk == TLS_BULK_CHACHA20 ? 12 : is_aead(p->si.bulk) ? 4 : 16;
	p->maclen = 0;
	if (p->si.mac_md) {
		const EVP_MD *md = EVP_get_digestbyname(p->si.mac_md);
		p->maclen = md ? (size_t)EVP_MD_get_size(md) : 0;
	}
	uint8_t seed[64], block[2 * (48 + 32 + 16)];
	memcpy(seed, srand, 32);
	memcpy(seed + 32, crand, 32);
	size_t need = 2 * (p->maclen + p->klen + p->ivlen);
	const char *prf = version >= 0x0303 ? p->si.prf_md : "MD5-SHA1";
	if (version < 0x0301 || tls12_prf(prf, ms, mslen, "key expansion", seed, 64, block, need)) {
		tls_prot_free(p);
		return NULL;
	}
	size_t o = server ? p->maclen : 0;
	memcpy(p->mac_key, block + o, p->maclen);
	o = 2 * p->maclen + (server ? p->klen : 0);
	memcpy(p->key, block + o, p->klen);
	o = 2 * p->maclen + 2 * p->klen + (server ? p->ivlen : 0);
	memcpy(p->iv, block + o, p->ivlen);
	OPENSSL_cleanse(block, sizeof block);
	return p;
}

int tls_prot_seekable(const struct tls_prot *p)
{
	return p->tls13 || is_aead(p->si.bulk) || p->version >= 0x0302;
}

void tls_prot_free(struct tls_prot *p)
{
	if (!p)
		return;
	EVP_CIPHER_CTX_free(p->cx);
	OPENSSL_cleanse(p, sizeof *p);
	free(p);
}

static long aead_open(struct tls_prot *p, const uint8_t nonce[12], const uint8_t *aad, size_t aadlen,
		      const uint8_t *ct, size_t ctlen, const uint8_t *tag, uint8_t *out)
{
	EVP_CIPHER_CTX *c = p->cx;
	int l = 0, l2 = 0;
	int ok = EVP_CIPHER_CTX_reset(c) &&
		 EVP_DecryptInit_ex(c, bulk_cipher(p->si.bulk), NULL, NULL, NULL) &&
		 EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) &&
		 EVP_DecryptInit_ex(c, NULL, NULL, p->key, nonce) &&
		 EVP_DecryptUpdate(c, NULL, &l, aad, (int)aadlen);
	if (ok && ctlen)
		ok = EVP_DecryptUpdate(c, out, &l, ct, (int)ctlen);
	else
		l = 0;
	ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, (void *)tag) &&
	     EVP_DecryptFinal_ex(c, out + l, &l2) > 0;
	return ok ? (long)(l + l2) : -1;
}

static void seq_nonce(const uint8_t iv[12], uint64_t seq, uint8_t nonce[12])
{
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
}

static void aad12(uint8_t aad[13], uint64_t seq, const uint8_t hdr[5], size_t plen)
{
	for (int i = 0; i < 8; i++)
		aad[i] = (uint8_t)(seq >> (56 - 8 * i));
	aad[8] = hdr[0];
	aad[9] = hdr[1];
	aad[10] = hdr[2];
	aad[11] = (uint8_t)(plen >> 8);
	aad[12] = (uint8_t)plen;
}

static long open13(struct tls_prot *p, uint64_t seq, const uint8_t hdr[5], const uint8_t *body,
		   size_t n, uint8_t *out, uint8_t *inner)
{
	if (n < 17)
		return -1;
	uint8_t nonce[12];
	seq_nonce(p->iv, seq, nonce);
	long pn = aead_open(p, nonce, hdr, 5, body, n - 16, body + n - 16, out);
	while (pn > 0 && out[pn - 1] == 0)
		pn--;
	if (pn <= 0)
		return -1;
	*inner = out[pn - 1];
	return pn - 1;
}

static long open12_aead(struct tls_prot *p, uint64_t seq, const uint8_t hdr[5], const uint8_t *body,
			size_t n, uint8_t *out)
{
	uint8_t nonce[12], aad[13];
	size_t explicit_len = p->si.bulk == TLS_BULK_CHACHA20 ? 0 : 8;
	if (n < explicit_len + 16)
		return -1;
	if (explicit_len) {
		memcpy(nonce, p->iv, 4);
		memcpy(nonce + 4, body, 8);
	} else {
		seq_nonce(p->iv, seq, nonce);
	}
	size_t ctlen = n - explicit_len - 16;
	aad12(aad, seq, hdr, ctlen);
	return aead_open(p, nonce, aad, sizeof aad, body + explicit_len, ctlen, body + n - 16, out);
}

/* HMAC(mac_key, seq || type || version || length || data) compared with mac. */
static int cbc_mac_ok(struct tls_prot *p, uint64_t seq, const uint8_t hdr[5], const uint8_t *data,
		      size_t n, const uint8_t *mac)
{
	uint8_t aad[13], want[EVP_MAX_MD_SIZE];
	aad12(aad, seq, hdr, n);
	EVP_MAC *hm = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *mc = hm ? EVP_MAC_CTX_new(hm) : NULL;
	char mdname[16];
	snprintf(mdname, sizeof mdname, "%s", p->si.mac_md);
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, mdname, 0),
		OSSL_PARAM_construct_end(),
	};
	size_t outl = 0;
	int ok = mc && EVP_MAC_init(mc, p->mac_key, p->maclen, params) &&
		 EVP_MAC_update(mc, aad, sizeof aad) && EVP_MAC_update(mc, data, n) &&
		 EVP_MAC_final(mc, want, &outl, sizeof want);
	EVP_MAC_CTX_free(mc);
	EVP_MAC_free(hm);
	return ok && outl == p->maclen && CRYPTO_memcmp(want, mac, p->maclen) == 0;
}

/* CBC records: MAC-then-encrypt (the TLS default: [IV][E(content || MAC ||
 * padding)]), or encrypt-then-MAC (RFC 7366: [IV][E(content || padding)][MAC]). */
static long open12_cbc(struct tls_prot *p, uint64_t seq, const uint8_t hdr[5], const uint8_t *body,
		       size_t n, uint8_t *out)
{
	if (p->etm) {
		if (n < p->maclen || !cbc_mac_ok(p, seq, hdr, body, n - p->maclen, body + n - p->maclen))
			return -1;
		n -= p->maclen;
	}
	int explicit_iv = p->version >= 0x0302;
	const uint8_t *iv = explicit_iv ? body : p->iv;
	const uint8_t *ct = explicit_iv ? body + 16 : body;
	size_t ctlen = explicit_iv ? (n >= 16 ? n - 16 : 0) : n;
	size_t inner_mac = p->etm ? 0 : p->maclen;
	if (!ctlen || ctlen % 16 || ctlen < inner_mac + 1)
		return -1;
	uint8_t next_iv[16];
	memcpy(next_iv, ct + ctlen - 16, 16);
	EVP_CIPHER_CTX *c = p->cx;
	int l = 0, l2 = 0;
	int ok = EVP_CIPHER_CTX_reset(c) &&
		 EVP_DecryptInit_ex(c, bulk_cipher(p->si.bulk), NULL, p->key, iv) &&
		 EVP_CIPHER_CTX_set_padding(c, 0) &&
		 EVP_DecryptUpdate(c, out, &l, ct, (int)ctlen) &&
		 EVP_DecryptFinal_ex(c, out + l, &l2);
	if (!explicit_iv)
		memcpy(p->iv, next_iv, 16);  /* TLS 1.0: the IV chains across records */
	if (!ok)
		return -1;
	size_t len = (size_t)(l + l2);
	size_t pad = out[len - 1];
	if (pad + 1 + inner_mac > len)
		return -1;
	size_t plen = len - pad - 1 - inner_mac;
	if (!p->etm && !cbc_mac_ok(p, seq, hdr, out, plen, out + plen))
		return -1;
	return (long)plen;
}

long tls_prot_open(struct tls_prot *p, uint64_t seq, const uint8_t hdr[5], const uint8_t *body,
		   size_t bodylen, uint8_t *out, uint8_t *inner_type)
{
	if (p->tls13)
		return open13(p, seq, hdr, body, bodylen, out, inner_type);
	*inner_type = hdr[0];
	if (is_aead(p->si.bulk))
		return open12_aead(p, seq, hdr, body, bodylen, out);
	return open12_cbc(p, seq, hdr, body, bodylen, out);
}
