/* ntlmssp_key.c - the NTLMv2 session key from a captured login and the
 * user's password ([MS-NLMP] §3.3.2, §3.4.5.1), as Wireshark's
 * ntlmssp.nt_password does: what SMB 3 derives its signing and encryption
 * keys from.
 *
 *   NT hash          = MD4(UTF-16LE(password))
 *   ResponseKeyNT    = HMAC-MD5(NT hash, UTF-16LE(UPPER(user)) || UTF-16LE(domain))
 *   NTProofStr       = HMAC-MD5(ResponseKeyNT, server challenge || blob)   (checks the password)
 *   SessionBaseKey   = HMAC-MD5(ResponseKeyNT, NTProofStr)                 (= KeyExchangeKey)
 *   ExportedSessionKey = RC4(KeyExchangeKey, EncryptedRandomSessionKey)    with NEGOTIATE_KEY_EXCH,
 *                      else KeyExchangeKey
 *
 * MD4 and RC4 live only in OpenSSL 3's legacy provider, which a default
 * configuration does not load: both are small and written out here (RFC 1320;
 * the RC4 of [MS-NLMP] §3.4.5.1). HMAC-MD5 is OpenSSL's.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include "ntlmssp.h"

enum { NTLM_F_UNICODE = 0x1, NTLM_F_KEY_EXCH = 0x40000000 };

/* ---------------------------------------------------------------- MD4 */

struct md4 {
	uint32_t h[4];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

static uint32_t rol32(uint32_t x, unsigned s)
{
	return x << s | x >> (32 - s);
}

static void md4_block(struct md4 *c, const uint8_t *p)
{
	uint32_t x[16];
	for (int i = 0; i < 16; i++)
		x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
		       (uint32_t)p[4 * i + 3] << 24;
	uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
	static const unsigned s1[4] = { 3, 7, 11, 19 }, s2[4] = { 3, 5, 9, 13 }, s3[4] = { 3, 9, 11, 15 };
	static const uint8_t o2[16] = { 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15 };
	static const uint8_t o3[16] = { 0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15 };
	for (int i = 0; i < 16; i++) {
		uint32_t f = (b & cc) | (~b & d);
		uint32_t t = rol32(a + f + x[i], s1[i & 3]);
		a = d; d = cc; cc = b; b = t;
	}
	for (int i = 0; i < 16; i++) {
		uint32_t g = (b & cc) | (b & d) | (cc & d);
		uint32_t t = rol32(a + g + x[o2[i]] + 0x5a827999u, s2[i & 3]);
		a = d; d = cc; cc = b; b = t;
	}
	for (int i = 0; i < 16; i++) {
		uint32_t h = b ^ cc ^ d;
		uint32_t t = rol32(a + h + x[o3[i]] + 0x6ed9eba1u, s3[i & 3]);
		a = d; d = cc; cc = b; b = t;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
}

static void md4_init(struct md4 *c)
{
	memset(c, 0, sizeof *c);
	c->h[0] = 0x67452301u;
	c->h[1] = 0xefcdab89u;
	c->h[2] = 0x98badcfeu;
	c->h[3] = 0x10325476u;
}

static void md4_update(struct md4 *c, const uint8_t *p, size_t n)
{
	c->len += n;
	while (n) {
		size_t k = 64 - c->n < n ? 64 - c->n : n;
		memcpy(c->buf + c->n, p, k);
		c->n += k;
		p += k;
		n -= k;
		if (c->n == 64) {
			md4_block(c, c->buf);
			c->n = 0;
		}
	}
}

static void md4_final(struct md4 *c, uint8_t out[16])
{
	uint64_t bits = c->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padn = (c->n < 56 ? 56 - c->n : 120 - c->n);
	uint8_t lenb[8];
	for (int i = 0; i < 8; i++)
		lenb[i] = (uint8_t)(bits >> (8 * i));
	md4_update(c, pad, padn);
	md4_update(c, lenb, 8);
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			out[4 * i + k] = (uint8_t)(c->h[i] >> (8 * k));
}

void wl_ntlmssp_md4(const uint8_t *p, size_t n, uint8_t out[16])
{
	struct md4 c;
	md4_init(&c);
	md4_update(&c, p, n);
	md4_final(&c, out);
}

/* ---------------------------------------------------------------- RC4 */

static void rc4(const uint8_t *key, size_t keylen, const uint8_t *in, uint8_t *out, size_t n)
{
	uint8_t s[256];
	for (int i = 0; i < 256; i++)
		s[i] = (uint8_t)i;
	for (unsigned i = 0, j = 0; i < 256; i++) {
		j = (j + s[i] + key[i % keylen]) & 0xff;
		uint8_t t = s[i];
		s[i] = s[j];
		s[j] = t;
	}
	for (size_t k = 0, i = 0, j = 0; k < n; k++) {
		i = (i + 1) & 0xff;
		j = (j + s[i]) & 0xff;
		uint8_t t = s[i];
		s[i] = s[j];
		s[j] = t;
		out[k] = in[k] ^ s[(s[i] + s[j]) & 0xff];
	}
}

/* ---------------------------------------------------------------- NTLMv2 */

static int hmac_md5(const uint8_t key[16], const uint8_t *a, size_t an, const uint8_t *b, size_t bn,
		    uint8_t out[16])
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *h = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string("digest", (char *)"MD5", 0),
		OSSL_PARAM_construct_end(),
	};
	size_t len = 0;
	int ok = h && EVP_MAC_init(h, key, 16, params) && EVP_MAC_update(h, a, an) &&
		 (bn == 0 || EVP_MAC_update(h, b, bn)) && EVP_MAC_final(h, out, &len, 16) && len == 16;
	EVP_MAC_CTX_free(h);
	EVP_MAC_free(mac);
	return ok;
}

/* UTF-8 to UTF-16LE; -1 when it does not fit or is not UTF-8. */
static long utf8_to_utf16(const char *s, uint8_t *out, size_t cap)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		int extra;
		if (*p < 0x80) { cp = *p; extra = 0; }
		else if ((*p & 0xe0) == 0xc0) { cp = *p & 0x1fu; extra = 1; }
		else if ((*p & 0xf0) == 0xe0) { cp = *p & 0x0fu; extra = 2; }
		else if ((*p & 0xf8) == 0xf0) { cp = *p & 0x07u; extra = 3; }
		else return -1;
		p++;
		for (int i = 0; i < extra; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (*p & 0x3fu);
		}
		if (cp >= 0x10000) {
			if (cp > 0x10ffff || o + 4 > cap)
				return -1;
			cp -= 0x10000;
			uint32_t hi = 0xd800 + (cp >> 10), lo = 0xdc00 + (cp & 0x3ff);
			out[o++] = (uint8_t)hi; out[o++] = (uint8_t)(hi >> 8);
			out[o++] = (uint8_t)lo; out[o++] = (uint8_t)(lo >> 8);
		} else {
			if (o + 2 > cap)
				return -1;
			out[o++] = (uint8_t)cp;
			out[o++] = (uint8_t)(cp >> 8);
		}
	}
	return (long)o;
}

void wl_ntlmssp_nt_hash(const char *password, uint8_t out[16])
{
	uint8_t u[1024];
	long n = utf8_to_utf16(password, u, sizeof u);
	if (n < 0) {
		/* not UTF-8: each byte as Latin-1, as a byte string typed on the command line */
		n = 0;
		for (const unsigned char *p = (const unsigned char *)password; *p && n + 2 <= (long)sizeof u; p++) {
			u[n++] = *p;
			u[n++] = 0;
		}
	}
	wl_ntlmssp_md4(u, (size_t)n, out);
}

/* A security buffer of the AUTHENTICATE message, checked against it. */
static int auth_buf(struct wl_cur msg, size_t at, struct wl_cur *out)
{
	struct wl_cur c = wl_at(&msg, at, 8);
	uint16_t len = wl_le16(&c);
	wl_skip(&c, 2);
	uint32_t off = wl_le32(&c);
	size_t have = wl_left(&msg);
	*out = wl_cur_make(NULL, 0);
	if (!wl_ok(&c) || off > have || len > have - off)
		return 0;
	*out = wl_at(&msg, off, len);
	return 1;
}

/* A name of the message as UTF-16LE (OEM names widened), uppercased in the
 * ASCII range when upper. Returns its length in bytes, or -1. */
static long name16(struct wl_cur v, int unicode, int upper, uint8_t *out, size_t cap)
{
	size_t o = 0;
	while (wl_left(&v)) {
		uint16_t u = unicode ? wl_le16(&v) : wl_u8(&v);
		if (!wl_ok(&v) || o + 2 > cap)
			return -1;
		if (upper && u >= 'a' && u <= 'z')
			u = (uint16_t)(u - 'a' + 'A');
		out[o++] = (uint8_t)u;
		out[o++] = (uint8_t)(u >> 8);
	}
	return (long)o;
}

enum wl_ntlmssp_key wl_ntlmssp_session_key(struct wl_cur auth, const uint8_t nt_hash[16],
					   const uint8_t *challenge, uint8_t key[16])
{
	struct wl_cur c = auth;
	const uint8_t *sig = wl_bytes(&c, 8);
	uint32_t type = wl_le32(&c);
	struct wl_cur nt, dom, user, enc;
	if (!wl_ok(&c) || memcmp(sig, "NTLMSSP", 8) != 0 || type != 3 || !auth_buf(auth, 20, &nt) ||
	    !auth_buf(auth, 28, &dom) || !auth_buf(auth, 36, &user) || !auth_buf(auth, 52, &enc))
		return WL_NTLMSSP_KEY_MALFORMED;
	struct wl_cur fc = wl_at(&auth, 60, 4);
	uint32_t flags = wl_le32(&fc);
	if (!wl_ok(&fc))
		return WL_NTLMSSP_KEY_MALFORMED;
	size_t ntlen = wl_left(&nt);
	if (ntlen == 0 && wl_left(&user) == 0)
		return WL_NTLMSSP_KEY_ANONYMOUS;
	if (ntlen <= 24)
		return WL_NTLMSSP_KEY_NOT_V2;
	uint8_t ud[2 * 1024];
	int uni = (flags & NTLM_F_UNICODE) != 0;
	long un = name16(user, uni, 1, ud, sizeof ud);
	long dn = un < 0 ? -1 : name16(dom, uni, 0, ud + un, sizeof ud - (size_t)un);
	if (un < 0 || dn < 0)
		return WL_NTLMSSP_KEY_MALFORMED;
	uint8_t rkey[16], proof[16], base[16];
	if (!hmac_md5(nt_hash, ud, (size_t)(un + dn), NULL, 0, rkey))
		return WL_NTLMSSP_KEY_MALFORMED;
	const uint8_t *ntp = wl_bytes(&nt, ntlen);
	if (challenge) {
		if (!hmac_md5(rkey, challenge, 8, ntp + 16, ntlen - 16, proof))
			return WL_NTLMSSP_KEY_MALFORMED;
		if (memcmp(proof, ntp, 16) != 0)
			return WL_NTLMSSP_KEY_WRONG_PASSWORD;
	}
	if (!hmac_md5(rkey, ntp, 16, NULL, 0, base))
		return WL_NTLMSSP_KEY_MALFORMED;
	if ((flags & NTLM_F_KEY_EXCH) && wl_left(&enc) == 16)
		rc4(base, 16, wl_bytes(&enc, 16), key, 16);
	else
		memcpy(key, base, 16);
	return WL_NTLMSSP_KEY_OK;
}

const char *wl_ntlmssp_key_why(enum wl_ntlmssp_key r)
{
	static const struct wl_tok why[] = {
		{ WL_NTLMSSP_KEY_OK, "session key derived" },
		{ WL_NTLMSSP_KEY_WRONG_PASSWORD, "the password does not match the login's NTLMv2 response" },
		{ WL_NTLMSSP_KEY_NOT_V2, "the login is not NTLMv2 (NTLMv1 keys are not derived)" },
		{ WL_NTLMSSP_KEY_ANONYMOUS, "an anonymous login has no session key" },
		{ WL_NTLMSSP_KEY_MALFORMED, "the AUTHENTICATE message is malformed" },
		{ 0, NULL },
	};
	return wl_tok(why, r, "?");
}
