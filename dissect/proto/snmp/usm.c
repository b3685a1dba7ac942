/* usm.c - SNMPv3 USM keys, HMAC checks and scoped-PDU decryption with OpenSSL 3
 * (snmp_usm.h says what and after which specs).
 *
 *   password --(1 MiB of it, hashed)--> Ku --H(Ku engineID Ku)--> Kul
 *   auth: HMAC-H(Kul_auth, wholeMsg with the MAC zeroed), cut to 12..48 bytes
 *   priv: Kul_priv (localized with the auth hash), extended for AES-192/256:
 *         Blumenthal  Kul || H(Kul) || H(Kul || H(Kul)) ...
 *         Reeder      Kul || Kul(Ku(Kul)) ...  (Kul used as a password again)
 *         DES-CBC     key Kul[0..7], IV Kul[8..15] XOR salt
 *         AES-CFB128  key Kul[0..len), IV boots(4) time(4) salt(8)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "snmp_usm.h"

/* ---- algorithms ---- */

static const struct {
	enum wl_usm_auth a;
	const char *digest;     /* OpenSSL's name */
	size_t hash, mac;       /* digest and MAC lengths */
	const char *name;
} auth_algs[] = {
	{ WL_USM_AUTH_NONE, NULL, 0, 0, "none" },
	{ WL_USM_AUTH_MD5, "MD5", 16, 12, "HMAC-MD5-96" },
	{ WL_USM_AUTH_SHA1, "SHA1", 20, 12, "HMAC-SHA-96" },
	{ WL_USM_AUTH_SHA224, "SHA224", 28, 16, "HMAC-SHA-224-128" },
	{ WL_USM_AUTH_SHA256, "SHA256", 32, 24, "HMAC-SHA-256-192" },
	{ WL_USM_AUTH_SHA384, "SHA384", 48, 32, "HMAC-SHA-384-256" },
	{ WL_USM_AUTH_SHA512, "SHA512", 64, 48, "HMAC-SHA-512-384" },
};

static const struct {
	enum wl_usm_priv p;
	size_t key;             /* key bytes the cipher takes */
	int reeder;             /* the key extension: 0 Blumenthal, 1 Reeder */
	const char *name;
} priv_algs[] = {
	{ WL_USM_PRIV_NONE, 0, 0, "none" },
	{ WL_USM_PRIV_DES, 8, 0, "CBC-DES" },
	{ WL_USM_PRIV_AES128, 16, 0, "AES-128-CFB" },
	{ WL_USM_PRIV_AES192, 24, 0, "AES-192-CFB (Blumenthal key extension)" },
	{ WL_USM_PRIV_AES256, 32, 0, "AES-256-CFB (Blumenthal key extension)" },
	{ WL_USM_PRIV_AES192C, 24, 1, "AES-192-CFB (Reeder key extension)" },
	{ WL_USM_PRIV_AES256C, 32, 1, "AES-256-CFB (Reeder key extension)" },
};

/* Names as net-snmp's tools take them (-a, -x, createUser) ... */
static const struct {
	const char *s;
	int v;
} netsnmp_auth[] = {
	{ "MD5", WL_USM_AUTH_MD5 }, { "SHA", WL_USM_AUTH_SHA1 }, { "SHA1", WL_USM_AUTH_SHA1 },
	{ "SHA-1", WL_USM_AUTH_SHA1 }, { "SHA-224", WL_USM_AUTH_SHA224 }, { "SHA224", WL_USM_AUTH_SHA224 },
	{ "SHA-256", WL_USM_AUTH_SHA256 }, { "SHA256", WL_USM_AUTH_SHA256 },
	{ "SHA-384", WL_USM_AUTH_SHA384 }, { "SHA384", WL_USM_AUTH_SHA384 },
	{ "SHA-512", WL_USM_AUTH_SHA512 }, { "SHA512", WL_USM_AUTH_SHA512 }, { NULL, 0 }
}, netsnmp_priv[] = {
	{ "DES", WL_USM_PRIV_DES }, { "AES", WL_USM_PRIV_AES128 }, { "AES128", WL_USM_PRIV_AES128 },
	{ "AES-128", WL_USM_PRIV_AES128 }, { "AES-192", WL_USM_PRIV_AES192 }, { "AES192", WL_USM_PRIV_AES192 },
	{ "AES-256", WL_USM_PRIV_AES256 }, { "AES256", WL_USM_PRIV_AES256 },
	{ "AES-192-C", WL_USM_PRIV_AES192C }, { "AES192C", WL_USM_PRIV_AES192C },
	{ "AES-256-C", WL_USM_PRIV_AES256C }, { "AES256C", WL_USM_PRIV_AES256C }, { NULL, 0 }
},
/* ... and as Wireshark's snmp_users table has them: its AES192/AES256 extend
 * the key the Cisco way (tshark 4.0 decrypts net-snmp's AES-256-C, not its AES-256). */
uat_auth[] = {
	{ "MD5", WL_USM_AUTH_MD5 }, { "SHA1", WL_USM_AUTH_SHA1 }, { "SHA2-224", WL_USM_AUTH_SHA224 },
	{ "SHA2-256", WL_USM_AUTH_SHA256 }, { "SHA2-384", WL_USM_AUTH_SHA384 },
	{ "SHA2-512", WL_USM_AUTH_SHA512 }, { NULL, 0 }
}, uat_priv[] = {
	{ "DES", WL_USM_PRIV_DES }, { "AES", WL_USM_PRIV_AES128 }, { "AES192", WL_USM_PRIV_AES192C },
	{ "AES256", WL_USM_PRIV_AES256C }, { NULL, 0 }
};

static int name_lookup(const void *table, const char *s, size_t n)
{
	const struct { const char *s; int v; } *t = table;
	for (; t->s; t++)
		if (strlen(t->s) == n && strncasecmp(t->s, s, n) == 0)
			return t->v;
	return -1;
}

const char *wl_usm_auth_name(enum wl_usm_auth a)
{
	return (unsigned)a < sizeof auth_algs / sizeof auth_algs[0] ? auth_algs[a].name : "?";
}

const char *wl_usm_priv_name(enum wl_usm_priv p)
{
	return (unsigned)p < sizeof priv_algs / sizeof priv_algs[0] ? priv_algs[p].name : "?";
}

const char *wl_usm_priv_text(const struct wl_usm_user *u, char *buf, size_t n)
{
	if ((unsigned)u->priv >= sizeof priv_algs / sizeof priv_algs[0] ||
	    (unsigned)u->auth >= sizeof auth_algs / sizeof auth_algs[0])
		return "?";
	static const char *const base[] = { "none", "CBC-DES", "AES-128-CFB", "AES-192-CFB", "AES-256-CFB",
					    "AES-192-CFB", "AES-256-CFB" };
	if (u->priv <= WL_USM_PRIV_AES128 || auth_algs[u->auth].hash >= priv_algs[u->priv].key)
		snprintf(buf, n, "%s", base[u->priv]);
	else
		snprintf(buf, n, "%s, its %zu-byte key extended from the %zu-byte %s digest (%s)", base[u->priv],
			 priv_algs[u->priv].key, auth_algs[u->auth].hash, auth_algs[u->auth].digest,
			 priv_algs[u->priv].reeder ? "Reeder's way, Cisco's AES-C" : "Blumenthal's way, net-snmp's AES");
	return buf;
}

size_t wl_usm_mac_len(enum wl_usm_auth a)
{
	return (unsigned)a < sizeof auth_algs / sizeof auth_algs[0] ? auth_algs[a].mac : 0;
}

/* ---- parsing the user forms ---- */

static int set_err(char *err, size_t errlen, const char *what, const char *spec)
{
	snprintf(err, errlen, "SNMP user %.60s: %s", spec, what);
	return -1;
}

static int copy_field(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One quoted field of a UAT record: "text" with \\ \" and \xNN escapes.
 * Returns the characters consumed, or 0 when it is not one. */
static size_t uat_field(const char *s, char *out, size_t cap, size_t *outn)
{
	size_t i = 0, o = 0;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i++] != '"')
		return 0;
	for (;;) {
		char c = s[i++];
		if (!c)
			return 0;  /* unterminated */
		if (c == '"')
			break;
		if (c == '\\') {
			c = s[i++];
			if (c == 'x') {
				int h = hexval(s[i]), l = h < 0 ? -1 : hexval(s[i + 1]);
				if (l < 0)
					return 0;
				c = (char)(h << 4 | l);
				i += 2;
			} else if (c != '\\' && c != '"') {
				return 0;
			}
		}
		if (o + 1 >= cap)
			return 0;
		out[o++] = c;
	}
	out[o] = '\0';
	*outn = o;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
		i++;
	return i;
}

static int parse_uat(const char *spec, struct wl_usm_user *u, char *err, size_t errlen)
{
	char f[6][WL_USM_PASS];
	size_t len[6], at = 0;
	for (int i = 0; i < 6; i++) {
		size_t k = uat_field(spec + at, f[i], sizeof f[i], &len[i]);
		if (!k)
			return set_err(err, errlen, "expected six quoted fields \"ENGINEID\",\"USER\",\"AUTH\",\"AUTHPASS\",\"PRIV\",\"PRIVPASS\"", spec);
		at += k;
		if (i < 5 && spec[at++] != ',')
			return set_err(err, errlen, "fields must be separated by commas", spec);
	}
	if (spec[at])
		return set_err(err, errlen, "text after the sixth field", spec);
	/* engine ID: hex, 5 to 32 octets, or empty for any engine */
	if (len[0] % 2 || len[0] / 2 > WL_USM_ENGINE || (len[0] && len[0] < 10))
		return set_err(err, errlen, "the engine ID must be empty or 10 to 64 hex digits", spec);
	for (size_t i = 0; i < len[0]; i += 2) {
		int h = hexval(f[0][i]), l = hexval(f[0][i + 1]);
		if (h < 0 || l < 0)
			return set_err(err, errlen, "the engine ID must be hex digits", spec);
		u->engine[i / 2] = (uint8_t)(h << 4 | l);
	}
	u->engine_len = len[0] / 2;
	if (!len[1] || copy_field(u->name, sizeof u->name, f[1], len[1]) < 0)
		return set_err(err, errlen, "the user name must be 1 to 32 octets", spec);
	u->name_len = len[1];
	int a = name_lookup(uat_auth, f[2], len[2]), p = name_lookup(uat_priv, f[4], len[4]);
	if (a < 0)
		return set_err(err, errlen, "authentication model must be MD5, SHA1, SHA2-224, SHA2-256, SHA2-384 or SHA2-512", spec);
	if (p < 0)
		return set_err(err, errlen, "privacy protocol must be DES, AES, AES192 or AES256", spec);
	u->auth = (enum wl_usm_auth)a;
	/* the table always names a privacy protocol; an empty password means none */
	u->priv = len[5] ? (enum wl_usm_priv)p : WL_USM_PRIV_NONE;
	memcpy(u->auth_pw, f[3], len[3] + 1);
	memcpy(u->priv_pw, f[5], len[5] + 1);
	return 0;
}

int wl_usm_user_parse(const char *spec, struct wl_usm_user *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof *u);
	if (!spec)
		return set_err(err, errlen, "empty", "");
	while (*spec == ' ' || *spec == '\t')
		spec++;
	int rc;
	if (*spec == '"') {
		rc = parse_uat(spec, u, err, errlen);
	} else {
		/* USER:AUTHALG:AUTHPASS[:PRIVALG:PRIVPASS] or USER:AUTHPASS:PRIVPASS */
		const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			return set_err(err, errlen, "expected USER:AUTHPASS:PRIVPASS or USER:AUTH:AUTHPASS[:PRIV:PRIVPASS]", spec);
		size_t un = (size_t)(c1 - spec);
		if (!un || copy_field(u->name, sizeof u->name, spec, un) < 0)
			return set_err(err, errlen, "the user name must be 1 to 32 octets", spec);
		u->name_len = un;
		int a = name_lookup(netsnmp_auth, c1 + 1, (size_t)(c2 - c1 - 1));
		if (a < 0) {  /* the old form: SHA-1 and AES-128 */
			u->auth = WL_USM_AUTH_SHA1;
			u->priv = WL_USM_PRIV_AES128;
			if (copy_field(u->auth_pw, sizeof u->auth_pw, c1 + 1, (size_t)(c2 - c1 - 1)) < 0 ||
			    copy_field(u->priv_pw, sizeof u->priv_pw, c2 + 1, strlen(c2 + 1)) < 0)
				return set_err(err, errlen, "a password is longer than 255 characters", spec);
		} else {
			u->auth = (enum wl_usm_auth)a;
			const char *c3 = strchr(c2 + 1, ':'), *c4 = c3 ? strchr(c3 + 1, ':') : NULL;
			if (c3 && !c4)
				return set_err(err, errlen, "the privacy protocol needs its password (...:PRIV:PRIVPASS)", spec);
			size_t an = c3 ? (size_t)(c3 - c2 - 1) : strlen(c2 + 1);
			if (copy_field(u->auth_pw, sizeof u->auth_pw, c2 + 1, an) < 0)
				return set_err(err, errlen, "a password is longer than 255 characters", spec);
			if (c3) {
				int p = name_lookup(netsnmp_priv, c3 + 1, (size_t)(c4 - c3 - 1));
				if (p < 0)
					return set_err(err, errlen, "privacy must be DES, AES, AES-192, AES-256, AES-192-C or AES-256-C", spec);
				u->priv = (enum wl_usm_priv)p;
				if (copy_field(u->priv_pw, sizeof u->priv_pw, c4 + 1, strlen(c4 + 1)) < 0)
					return set_err(err, errlen, "a password is longer than 255 characters", spec);
			}
		}
		rc = 0;
	}
	if (rc == 0 && u->auth != WL_USM_AUTH_NONE && !u->auth_pw[0])
		return set_err(err, errlen, "the authentication password is empty", spec);
	if (rc == 0 && u->priv != WL_USM_PRIV_NONE && !u->priv_pw[0])
		return set_err(err, errlen, "the privacy password is empty", spec);
	return rc;
}

/* ---- keys ---- */

/* RFC 3414 A.2.1: the password repeated over 1 MiB, hashed. pw may hold NULs
 * (a Reeder extension hashes a key as a password), so its length is given.
 * rep holds the repeated password with one chunk to spare, so the chunk at
 * any offset of the stream starts at rep + offset % pl: the hash takes 4 KiB
 * at a time instead of being fed byte by byte (a third of an SNMPv3 read). */
#define PW_STREAM 1048576u
#define PW_CHUNK 4096u
static int pw_to_key(const char *digest, const uint8_t *pw, size_t pl, uint8_t *out, size_t hash)
{
	unsigned int n = 0;
	uint8_t *rep = pl ? malloc(pl + PW_CHUNK) : NULL;
	for (size_t i = 0; rep && i < pl + PW_CHUNK; i++)
		rep[i] = pw[i % pl];
	EVP_MD *md = EVP_MD_fetch(NULL, digest, NULL);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok = rep && md && c && EVP_DigestInit_ex(c, md, NULL);
	for (size_t done = 0; ok && done < PW_STREAM; done += PW_CHUNK)
		ok = EVP_DigestUpdate(c, rep + done % pl, PW_CHUNK);
	ok = ok && EVP_DigestFinal_ex(c, out, &n) && n == hash;
	EVP_MD_CTX_free(c);
	EVP_MD_free(md);
	free(rep);
	return ok ? 0 : -1;
}

/* Kul = H(Ku engineID Ku) (RFC 3414 2.6). */
static int localize(const char *digest, const uint8_t *ku, size_t hash, const uint8_t *eid, size_t eidn,
		    uint8_t *out)
{
	uint8_t buf[2 * WL_USM_HASH + WL_USM_ENGINE];
	unsigned int n = 0;
	if (eidn > WL_USM_ENGINE)
		return -1;
	memcpy(buf, ku, hash);
	if (eidn)
		memcpy(buf + hash, eid, eidn);
	memcpy(buf + hash + eidn, ku, hash);
	EVP_MD *md = EVP_MD_fetch(NULL, digest, NULL);
	int ok = md && EVP_Digest(buf, 2 * hash + eidn, out, &n, md, NULL) && n == hash;
	EVP_MD_free(md);
	return ok ? 0 : -1;
}

static int digest_of(const char *digest, const uint8_t *in, size_t n, uint8_t *out, size_t hash)
{
	unsigned int k = 0;
	EVP_MD *md = EVP_MD_fetch(NULL, digest, NULL);
	int ok = md && EVP_Digest(in, n, out, &k, md, NULL) && k == hash;
	EVP_MD_free(md);
	return ok ? 0 : -1;
}

int wl_usm_localize(struct wl_usm_user *u, const uint8_t *eid, size_t eidn, struct wl_usm_keys *k)
{
	memset(k, 0, sizeof *k);
	if ((unsigned)u->auth >= sizeof auth_algs / sizeof auth_algs[0] || u->auth == WL_USM_AUTH_NONE ||
	    eidn > WL_USM_ENGINE || (unsigned)u->priv >= sizeof priv_algs / sizeof priv_algs[0])
		return -1;
	const char *dg = auth_algs[u->auth].digest;
	size_t hash = auth_algs[u->auth].hash;
	if (!u->ku_ready) {
		u->ku_ready = -1;
		if (pw_to_key(dg, (const uint8_t *)u->auth_pw, strlen(u->auth_pw), u->ku_auth, hash) < 0)
			return -1;
		if (u->priv != WL_USM_PRIV_NONE &&
		    pw_to_key(dg, (const uint8_t *)u->priv_pw, strlen(u->priv_pw), u->ku_priv, hash) < 0)
			return -1;
		u->ku_ready = 1;
	}
	if (u->ku_ready < 0 || localize(dg, u->ku_auth, hash, eid, eidn, k->auth) < 0)
		return -1;
	k->auth_len = hash;
	if (u->priv == WL_USM_PRIV_NONE)
		return 0;
	uint8_t key[WL_USM_KEY + WL_USM_HASH];
	size_t have = hash, need = priv_algs[u->priv].key;
	if (localize(dg, u->ku_priv, hash, eid, eidn, key) < 0)
		return -1;
	if (u->priv == WL_USM_PRIV_DES)
		need = 16;  /* the key and the pre-IV */
	while (have < need) {
		uint8_t more[WL_USM_HASH];
		if (priv_algs[u->priv].reeder) {
			uint8_t ku2[WL_USM_HASH];
			if (pw_to_key(dg, key, have, ku2, hash) < 0 || localize(dg, ku2, hash, eid, eidn, more) < 0)
				return -1;
		} else if (digest_of(dg, key, have, more, hash) < 0) {
			return -1;
		}
		memcpy(key + have, more, hash);
		have += hash;
	}
	memcpy(k->priv, key, need);
	k->priv_len = need;
	return 0;
}

/* ---- authentication ---- */

int wl_usm_verify(enum wl_usm_auth a, const struct wl_usm_keys *k, struct wl_cur whole, size_t mac_off,
		  size_t mac_len)
{
	static const uint8_t zeros[WL_USM_HASH];
	size_t n = wl_left(&whole);
	if ((unsigned)a >= sizeof auth_algs / sizeof auth_algs[0] || a == WL_USM_AUTH_NONE ||
	    mac_len != auth_algs[a].mac || mac_off > n || n - mac_off < mac_len || !k->auth_len)
		return -1;
	const uint8_t *head = wl_bytes(&whole, mac_off);
	const uint8_t *mac = wl_bytes(&whole, mac_len);
	size_t tail_n = wl_left(&whole);
	const uint8_t *tail = wl_bytes(&whole, tail_n);
	if ((!head && mac_off) || !mac || (!tail && tail_n))
		return -1;
	uint8_t got[WL_USM_HASH];
	size_t outl = 0;
	char digest[16];
	snprintf(digest, sizeof digest, "%s", auth_algs[a].digest);
	OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
				OSSL_PARAM_construct_end() };
	EVP_MAC *hm = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *mc = hm ? EVP_MAC_CTX_new(hm) : NULL;
	int ok = mc && EVP_MAC_init(mc, k->auth, k->auth_len, params) &&
		 (!mac_off || EVP_MAC_update(mc, head, mac_off)) && EVP_MAC_update(mc, zeros, mac_len) &&
		 (!tail_n || EVP_MAC_update(mc, tail, tail_n)) && EVP_MAC_final(mc, got, &outl, sizeof got) &&
		 outl >= mac_len;
	EVP_MAC_CTX_free(mc);
	EVP_MAC_free(hm);
	if (!ok)
		return -1;
	return CRYPTO_memcmp(got, mac, mac_len) == 0 ? 1 : 0;
}

/* ---- privacy ---- */

struct wl_usm_crypto {
	int des_tried;
	OSSL_LIB_CTX *legacy_ctx;
	OSSL_PROVIDER *legacy;
	EVP_CIPHER *des;
};

struct wl_usm_crypto *wl_usm_crypto_new(void)
{
	struct wl_usm_crypto *cx = OPENSSL_zalloc(sizeof *cx);
	return cx;
}

void wl_usm_crypto_free(struct wl_usm_crypto *cx)
{
	if (!cx)
		return;
	EVP_CIPHER_free(cx->des);
	if (cx->legacy)
		OSSL_PROVIDER_unload(cx->legacy);
	OSSL_LIB_CTX_free(cx->legacy_ctx);
	OPENSSL_free(cx);
}

/* DES-CBC lives in OpenSSL 3's legacy provider; it is loaded into a library
 * context of its own, once, so TLS and the rest keep the default one. */
static EVP_CIPHER *des_cipher(struct wl_usm_crypto *cx)
{
	if (!cx->des_tried) {
		cx->des_tried = 1;
		cx->des = EVP_CIPHER_fetch(NULL, "DES-CBC", NULL);
		if (!cx->des && (cx->legacy_ctx = OSSL_LIB_CTX_new()) != NULL &&
		    (cx->legacy = OSSL_PROVIDER_load(cx->legacy_ctx, "legacy")) != NULL)
			cx->des = EVP_CIPHER_fetch(cx->legacy_ctx, "DES-CBC", NULL);
	}
	return cx->des;
}

enum wl_usm_dec wl_usm_decrypt(struct wl_usm_crypto *cx, enum wl_usm_priv p, const struct wl_usm_keys *k,
			       uint32_t boots, uint32_t time, struct wl_cur salt, struct wl_cur enc,
			       uint8_t *out, size_t *outn)
{
	uint8_t iv[16], sb[8];
	size_t n = wl_left(&enc);
	*outn = 0;
	if (wl_left(&salt) != 8 || !wl_copy(&salt, sb, 8))
		return WL_USM_DEC_SALT;
	if ((unsigned)p >= sizeof priv_algs / sizeof priv_algs[0] || p == WL_USM_PRIV_NONE ||
	    k->priv_len < priv_algs[p].key || n > 0x7fffffff)
		return WL_USM_DEC_CRYPTO;
	if (!n)   /* nothing to decrypt (and out may be NULL) */
		return WL_USM_DEC_OK;
	const EVP_CIPHER *ciph;
	EVP_CIPHER *fetched = NULL;
	if (p == WL_USM_PRIV_DES) {
		if (n % 8)
			return WL_USM_DEC_BLOCKS;
		if (!cx || !(ciph = des_cipher(cx)))
			return WL_USM_DEC_NO_DES;
		for (int i = 0; i < 8; i++)
			iv[i] = (uint8_t)(k->priv[8 + i] ^ sb[i]);
	} else {
		const char *nm = priv_algs[p].key == 16 ? "AES-128-CFB" : priv_algs[p].key == 24 ? "AES-192-CFB" : "AES-256-CFB";
		ciph = fetched = EVP_CIPHER_fetch(NULL, nm, NULL);
		if (!ciph)
			return WL_USM_DEC_CRYPTO;
		for (int i = 0; i < 4; i++) {
			iv[i] = (uint8_t)(boots >> (24 - 8 * i));
			iv[4 + i] = (uint8_t)(time >> (24 - 8 * i));
		}
		memcpy(iv + 8, sb, 8);
	}
	const uint8_t *in = wl_bytes(&enc, n);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	int ok = c && in && EVP_DecryptInit_ex2(c, ciph, k->priv, iv, NULL) &&
		 EVP_CIPHER_CTX_set_padding(c, 0) && EVP_DecryptUpdate(c, out, &n1, in, (int)n) &&
		 EVP_DecryptFinal_ex(c, out + n1, &n2);
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(fetched);
	if (!ok)
		return WL_USM_DEC_CRYPTO;
	*outn = (size_t)n1 + (size_t)n2;
	return WL_USM_DEC_OK;
}

const char *wl_usm_dec_text(enum wl_usm_dec d)
{
	static const char *const t[] = {
		[WL_USM_DEC_OK] = "decrypted",
		[WL_USM_DEC_SALT] = "msgPrivacyParameters (the salt) is not 8 bytes",
		[WL_USM_DEC_BLOCKS] = "the DES ciphertext is not a whole number of 8-byte blocks",
		[WL_USM_DEC_NO_DES] = "DES needs OpenSSL's legacy provider (ossl-modules/legacy.so), which did not load",
		[WL_USM_DEC_CRYPTO] = "the cipher failed",
	};
	return (unsigned)d < sizeof t / sizeof t[0] ? t[d] : "?";
}
