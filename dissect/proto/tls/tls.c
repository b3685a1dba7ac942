/* tls.c - TLS 1.0-1.3 (and SSL 3.0) records and handshake, explained: the
 * client's offers, the server's choice, the certificate, the key exchange, and
 * the point where everything turns into ciphertext; decrypted with a key log.
 *
 * Specs: RFC 8446 (TLS 1.3), RFC 5246 (TLS 1.2), RFC 4346 / 2246 (TLS 1.1 /
 * 1.0), RFC 6101 (SSL 3.0), RFC 6066 (server_name, status_request), RFC 7301
 * (ALPN), RFC 8422 (ECC groups), RFC 7627 (extended_master_secret), RFC 5746
 * (renegotiation_info), RFC 5077 (session tickets), RFC 8701 (GREASE),
 * RFC 7568 / 8996 (SSL 3.0, TLS 1.0/1.1 deprecated), RFC 7465 (no RC4),
 * NSS key log format (SSLKEYLOGFILE).
 *
 *   record (TLSPlaintext / TLSCiphertext)          handshake message
 *   +--------+--------+--------+--------+--------+  +--------+--------+--------+--------+
 *   |  type  | version (0x0303)|     length      |  |  type  |   length (24 bits)        |
 *   +--------+--------+--------+--------+--------+  +--------+--------+--------+--------+
 *   |  fragment: length bytes (at most 2^14+2048) |  |  body: length bytes ...           |
 *   +---------------------------------------------+  +-----------------------------------+
 *   type: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data,
 *   24 heartbeat. Handshake messages may span records, and a record may hold
 *   several; TLS 1.3 hides everything after the ServerHello in records of type
 *   23 whose real type is the last non-zero byte of the decrypted fragment.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls_crypt.h"
#include "wl.h"
#include "x509.h"

#define REC_MAX (16384 + 2048)    /* the largest legal TLSCiphertext fragment */
#define HS_CAP (256u * 1024)      /* one handshake message reassembled at most */
#define MAX_OFFER 160
#define KEY_TRIES 16              /* key log look-ups per direction and key stage */
#define SEQ_SEARCH 64             /* records that lost bytes may have held */

enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APPDATA = 23, CT_HEARTBEAT = 24 };

enum {
	HS_HELLO_REQUEST = 0, HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_NEW_SESSION_TICKET = 4,
	HS_END_OF_EARLY_DATA = 5, HS_ENCRYPTED_EXTENSIONS = 8, HS_CERTIFICATE = 11,
	HS_SERVER_KEY_EXCHANGE = 12, HS_CERTIFICATE_REQUEST = 13, HS_SERVER_HELLO_DONE = 14,
	HS_CERTIFICATE_VERIFY = 15, HS_CLIENT_KEY_EXCHANGE = 16, HS_FINISHED = 20,
	HS_CERTIFICATE_STATUS = 22, HS_KEY_UPDATE = 24,
};

/* The random of a HelloRetryRequest: SHA-256("HelloRetryRequest"), RFC 8446 4.1.3. */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* ---- value tables ---- */

static const struct wl_tok versions[] = {
	{ 0x0200, "SSL 2.0" }, { 0x0300, "SSL 3.0" }, { 0x0301, "TLS 1.0" }, { 0x0302, "TLS 1.1" },
	{ 0x0303, "TLS 1.2" }, { 0x0304, "TLS 1.3" }, { 0x7f17, "TLS 1.3 draft 23" },
	{ 0x7f1c, "TLS 1.3 draft 28" }, { 0, NULL },
};

static const struct wl_tok alert_levels[] = { { 1, "warning" }, { 2, "fatal" }, { 0, NULL } };

static const struct wl_tok alerts[] = {
	{ 0, "close_notify" }, { 10, "unexpected_message" }, { 20, "bad_record_mac" },
	{ 21, "decryption_failed" }, { 22, "record_overflow" }, { 30, "decompression_failure" },
	{ 40, "handshake_failure" }, { 41, "no_certificate" }, { 42, "bad_certificate" },
	{ 43, "unsupported_certificate" }, { 44, "certificate_revoked" }, { 45, "certificate_expired" },
	{ 46, "certificate_unknown" }, { 47, "illegal_parameter" }, { 48, "unknown_ca" },
	{ 49, "access_denied" }, { 50, "decode_error" }, { 51, "decrypt_error" },
	{ 60, "export_restriction" }, { 70, "protocol_version" }, { 71, "insufficient_security" },
	{ 80, "internal_error" }, { 86, "inappropriate_fallback" }, { 90, "user_canceled" },
	{ 100, "no_renegotiation" }, { 109, "missing_extension" }, { 110, "unsupported_extension" },
	{ 111, "certificate_unobtainable" }, { 112, "unrecognized_name" },
	{ 113, "bad_certificate_status_response" }, { 114, "bad_certificate_hash_value" },
	{ 115, "unknown_psk_identity" }, { 116, "certificate_required" },
	{ 120, "no_application_protocol" }, { 0, NULL },
};

/* What an alert tells a student. */
static const struct wl_tok alert_lessons[] = {
	{ 0, "close_notify: an orderly end of the TLS session (it guards against truncation)" },
	{ 20, "bad_record_mac: a record failed to authenticate (tampering or wrong keys)" },
	{ 40, "handshake_failure: the two sides found no parameters they both accept" },
	{ 42, "bad_certificate: the peer rejected the certificate it was shown" },
	{ 45, "certificate_expired: the certificate's validity period is over" },
	{ 46, "certificate_unknown: the certificate could not be verified" },
	{ 48, "unknown_ca: the certificate's issuer is not a CA this side trusts "
	      "(what a man-in-the-middle's certificate looks like)" },
	{ 70, "protocol_version: no TLS version both sides accept" },
	{ 86, "inappropriate_fallback: a downgrade attempt was caught (TLS_FALLBACK_SCSV)" },
	{ 112, "unrecognized_name: the server has no certificate for the name asked for (SNI)" },
	{ 116, "certificate_required: the server wanted a client certificate" },
	{ 120, "no_application_protocol: no ALPN protocol in common" },
	{ 0, NULL },
};

static const struct wl_tok hs_names[] = {
	{ HS_HELLO_REQUEST, "HelloRequest" }, { HS_CLIENT_HELLO, "ClientHello" },
	{ HS_SERVER_HELLO, "ServerHello" }, { 3, "HelloVerifyRequest" },
	{ HS_NEW_SESSION_TICKET, "NewSessionTicket" }, { HS_END_OF_EARLY_DATA, "EndOfEarlyData" },
	{ HS_ENCRYPTED_EXTENSIONS, "EncryptedExtensions" }, { HS_CERTIFICATE, "Certificate" },
	{ HS_SERVER_KEY_EXCHANGE, "ServerKeyExchange" }, { HS_CERTIFICATE_REQUEST, "CertificateRequest" },
	{ HS_SERVER_HELLO_DONE, "ServerHelloDone" }, { HS_CERTIFICATE_VERIFY, "CertificateVerify" },
	{ HS_CLIENT_KEY_EXCHANGE, "ClientKeyExchange" }, { HS_FINISHED, "Finished" },
	{ 21, "CertificateURL" }, { HS_CERTIFICATE_STATUS, "CertificateStatus" },
	{ HS_KEY_UPDATE, "KeyUpdate" }, { 25, "CompressedCertificate" }, { 254, "message_hash" },
	{ 0, NULL },
};

/* The JSON message type per handshake type. */
static const struct wl_tok hs_types[] = {
	{ HS_HELLO_REQUEST, "hello_request" }, { HS_CLIENT_HELLO, "client_hello" },
	{ HS_SERVER_HELLO, "server_hello" }, { HS_NEW_SESSION_TICKET, "new_session_ticket" },
	{ HS_END_OF_EARLY_DATA, "end_of_early_data" }, { HS_ENCRYPTED_EXTENSIONS, "encrypted_extensions" },
	{ HS_CERTIFICATE, "certificate" }, { HS_SERVER_KEY_EXCHANGE, "server_key_exchange" },
	{ HS_CERTIFICATE_REQUEST, "certificate_request" }, { HS_SERVER_HELLO_DONE, "server_hello_done" },
	{ HS_CERTIFICATE_VERIFY, "certificate_verify" }, { HS_CLIENT_KEY_EXCHANGE, "client_key_exchange" },
	{ HS_FINISHED, "finished" }, { HS_CERTIFICATE_STATUS, "certificate_status" },
	{ HS_KEY_UPDATE, "key_update" }, { 0, NULL },
};

static const struct wl_tok groups[] = {
	{ 0x0015, "secp224r1" }, { 0x0016, "secp256k1" }, { 0x0017, "secp256r1" },
	{ 0x0018, "secp384r1" }, { 0x0019, "secp521r1" }, { 0x001a, "brainpoolP256r1" },
	{ 0x001b, "brainpoolP384r1" }, { 0x001c, "brainpoolP512r1" }, { 0x001d, "x25519" },
	{ 0x001e, "x448" }, { 0x0100, "ffdhe2048" }, { 0x0101, "ffdhe3072" }, { 0x0102, "ffdhe4096" },
	{ 0x0103, "ffdhe6144" }, { 0x0104, "ffdhe8192" }, { 0x11ec, "X25519MLKEM768" },
	{ 0x6399, "X25519Kyber768Draft00" }, { 0, NULL },
};

/* Cipher suites by their IANA names (from OpenSSL's list plus the legacy ones
 * it no longer builds). */
static const struct wl_tok suites[] = {
#include "tls_suites.inc"
	{ 0, NULL },
};

/* GREASE (RFC 8701): 0x?a?a with both bytes equal. */
static int is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static const char *version_name(uint16_t v, char *buf, size_t n)
{
	const char *s = wl_tok(versions, v, NULL);
	if (s)
		return s;
	if (is_grease(v))
		wl_snprintf(buf, n, "GREASE 0x%04x", v);
	else
		wl_snprintf(buf, n, "version 0x%04x", v);
	return buf;
}

static const char *suite_name(uint16_t v, char *buf, size_t n)
{
	const char *s = wl_tok(suites, v, NULL);
	if (s)
		return s;
	wl_snprintf(buf, n, is_grease(v) ? "GREASE 0x%04x" : "suite 0x%04x", v);
	return buf;
}

static const char *group_name(uint16_t v, char *buf, size_t n)
{
	const char *s = wl_tok(groups, v, NULL);
	if (s)
		return s;
	wl_snprintf(buf, n, is_grease(v) ? "GREASE 0x%04x" : "group 0x%04x", v);
	return buf;
}

/* ---- state ---- */

struct tls_dir {
	uint8_t *hs;          /* handshake bytes waiting for the rest of their message */
	size_t hs_len;
	size_t hs_skip;       /* bytes of an over-cap handshake message still to drop */
	uint8_t ccs;          /* TLS <= 1.2: ChangeCipherSpec sent, records now protected */
	uint8_t lost;         /* bytes lost: resynchronise on the next record header */
	uint8_t stage;        /* TLS 1.3: 0 handshake keys, 1 application keys */
	uint8_t next_stage;   /* set by a decrypted Finished/KeyUpdate, applied after the record */
	uint8_t key_update;
	uint8_t no_key_noted;
	unsigned key_tries;
	unsigned opaque_seen; /* protected records seen (for the first one's note) */
	uint8_t lost_records; /* bytes lost since the last record decrypted: seq unknown */
	uint64_t seq;         /* protected records since the last key change */
	struct tls_prot *prot;
	unsigned updates;     /* TLS 1.3 KeyUpdates applied */
	char how[128];        /* the note on what the plaintext carries: which secret */
};

struct tls_st {
	struct tls_dir d[2];
	uint16_t version;     /* negotiated; 0 before the ServerHello */
	uint16_t suite;
	uint8_t tls13, hrr_seen, early_data, offered13, broken, have_crand, have_srand;
	uint8_t etm_offered, etm;  /* encrypt_then_mac (RFC 7366) offered / agreed */
	uint8_t crand[32], srand[32];
	uint8_t sid[32], sid_len;
	uint16_t offered[MAX_OFFER];
	unsigned noffered;
	char sni[256];
	char alpn[128];
	struct wl_carried *inner;  /* the protocol inside, made at the first plaintext */
	uint8_t inner_made, inner_told;
};

/* What one hello's extensions said. */
struct hello {
	uint8_t hs;           /* handshake type that carries them */
	uint8_t hrr;
	unsigned grease;
	uint16_t sel_version; /* ServerHello supported_versions */
	uint16_t max_version; /* ClientHello supported_versions, highest */
	uint16_t ks_group;    /* ServerHello/HRR key_share */
	unsigned nks;
	uint16_t ks[16];      /* ClientHello key_share groups */
	char sni[256];
	char alpn[128];
	uint8_t ticket, psk, ems, reneg, early, sni_seen, etm;
	uint8_t verbose;      /* -v: the wider field set */
	struct ja3 *ja3;      /* a hello's lists for JA3/JA3S (-v), or NULL */
	struct tls_shared *sh; /* a Certificate entry's: the engine's caches (its OCSP response), or NULL */
};

/* The values a JA3 fingerprint lists (GREASE left out), as decimal numbers
 * joined by '-': cipher suites, extension types, groups, point formats. */
struct ja3 {
	char suites[1536], exts[768], groups[384], formats[64];
};

/* A record on its way through the parser: its header fields go on the first
 * message made from it, and only there. */
struct rec {
	const uint8_t *hdr;
	uint8_t type, inner, opaque, decrypted, done;
	uint16_t version, len;
};

static void rec_fields(struct wl_msg *m, struct rec *r)
{
	if (r->done)
		return;
	r->done = 1;
	if (r->opaque)
		wl_f_uint(m, "tls.record.opaque_type", CT_APPDATA);
	if (!r->opaque || r->decrypted)
		wl_f_uint(m, "tls.record.content_type", r->opaque ? r->inner : r->type);
	wl_f_hex(m, "tls.record.version", r->version);
	wl_f_uint(m, "tls.record.length", r->len);
	if (r->len > REC_MAX)
		wl_note(m, WL_ERROR, "malformed: record length %u is over the limit of %u", r->len, REC_MAX);
}

static const char *side(enum wl_dir dir) { return dir == WL_C2S ? "client" : "server"; }

static void strcat_list(char *dst, size_t n, const char *item)
{
	size_t l = strlen(dst);
	if (l + 2 < n)
		wl_snprintf(dst + l, n - l, "%s%s", l ? "," : "", item);
}

/* ---- extensions ---- */

/* A vector's length (RFC 8446 3.4), shown under name when it could be read. */
static uint16_t len16(struct wl_msg *m, struct wl_cur *c, const char *name)
{
	uint16_t n = wl_be16(c);
	if (wl_ok(c))
		wl_f_uint(m, name, n);
	return n;
}

static uint8_t len8(struct wl_msg *m, struct wl_cur *c, const char *name)
{
	uint8_t n = wl_u8(c);
	if (wl_ok(c))
		wl_f_uint(m, name, n);
	return n;
}

typedef void ext_fn(struct wl_msg *m, struct hello *h, struct wl_cur *v);

static void ext_server_name(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (!wl_left(v))
		return;  /* a server's empty acknowledgement */
	struct wl_cur l = wl_sub(v, len16(m, v, "tls.handshake.extensions_server_name_list_len"));
	while (wl_left(&l)) {
		uint8_t t = wl_u8(&l);
		uint16_t n = wl_be16(&l);
		const uint8_t *name = wl_bytes(&l, n);
		if (!name)
			break;
		wl_f_uint(m, "tls.handshake.extensions_server_name_type", t);
		wl_f_uint(m, "tls.handshake.extensions_server_name_len", n);
		if (t == 0) {
			wl_f_str(m, "tls.handshake.extensions_server_name", name, n);
			size_t k = n < sizeof h->sni - 1 ? n : sizeof h->sni - 1;
			memcpy(h->sni, name, k);
			h->sni[k] = '\0';
			h->sni_seen = 1;
		}
	}
	if (!wl_ok(&l))
		wl_invalid(v);
}

struct tls_shared;
static void cert_status(struct wl_msg *m, struct tls_shared *sh, struct wl_cur *c, int verbose);

enum { STATUS_OCSP = 1, STATUS_OCSP_MULTI = 2 };   /* CertificateStatusType */

/* An OCSPStatusRequest (RFC 6066 8): the responders the client trusts and
 * the extensions for the request, shown by their lengths. */
static void ocsp_status_request(struct wl_msg *m, struct wl_cur *c)
{
	uint16_t ids = wl_be16(c);
	wl_skip(c, ids);
	if (!wl_ok(c))
		return;
	wl_f_uint(m, "tls.handshake.extensions_status_request_responder_ids_len", ids);
	uint16_t exts = wl_be16(c);
	wl_skip(c, exts);
	if (wl_ok(c))
		wl_f_uint(m, "tls.handshake.extensions_status_request_exts_len", exts);
}

/* status_request (5): in a ClientHello the request for a stapled OCSP
 * answer; in a TLS 1.3 Certificate entry the answer (RFC 8446 4.4.2.1);
 * empty in a TLS 1.2 ServerHello. */
static void ext_status_request(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (h->hs == HS_CLIENT_HELLO && wl_left(v)) {
		uint8_t type = wl_u8(v);
		wl_f_uint(m, "tls.handshake.extensions_status_request_type", type);
		if (type == STATUS_OCSP || type == STATUS_OCSP_MULTI)
			ocsp_status_request(m, v);
	} else if (h->hs == HS_CERTIFICATE && wl_left(v)) {
		cert_status(m, h->sh, v, h->verbose);
	}
	if (wl_ok(v))
		wl_skip(v, wl_left(v));   /* another type's request: not decoded */
}

/* status_request_v2 (17, RFC 6961 2.2): the client's requests as a list,
 * each with its type and length. */
static void ext_status_request_v2(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (h->hs != HS_CLIENT_HELLO) {
		wl_skip(v, wl_left(v));
		return;
	}
	uint16_t n = wl_be16(v);
	if (!wl_ok(v))
		return;
	wl_f_uint(m, "tls.handshake.extensions_status_request_list_len", n);
	struct wl_cur l = wl_sub(v, n);
	while (wl_left(&l)) {
		uint8_t type = wl_u8(&l);
		uint16_t len = wl_be16(&l);
		struct wl_cur req = wl_sub(&l, len);
		if (!wl_ok(&l))
			break;
		wl_f_uint(m, "tls.handshake.extensions_status_request_type", type);
		wl_f_uint(m, "tls.handshake.extensions_status_request_len", len);
		if (type == STATUS_OCSP || type == STATUS_OCSP_MULTI)
			ocsp_status_request(m, &req);
	}
	if (!wl_ok(&l))
		wl_invalid(v);
}

/* One value onto a JA3 list, unless it is GREASE (RFC 8701), as JA3 has it. */
static void ja3_add(char *list, size_t n, uint16_t v)
{
	if (is_grease(v))
		return;
	size_t at = strlen(list);
	wl_snprintf(list + at, n - at, "%s%u", at ? "-" : "", v);
}

static void ext_groups(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	struct wl_cur l = wl_sub(v, len16(m, v, "tls.handshake.extensions_supported_groups_length"));
	while (wl_left(&l) >= 2) {
		uint16_t g = wl_be16(&l);
		wl_f_hex(m, "tls.handshake.extensions_supported_group", g);
		h->grease += is_grease(g);
		if (h->ja3)
			ja3_add(h->ja3->groups, sizeof h->ja3->groups, g);
	}
}

static void ext_point_formats(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	struct wl_cur l = wl_sub(v, len8(m, v, "tls.handshake.extensions_ec_point_formats_length"));
	while (wl_left(&l)) {
		uint8_t f = wl_u8(&l);
		wl_f_uint(m, "tls.handshake.extensions_ec_point_format", f);
		if (h->ja3)
			ja3_add(h->ja3->formats, sizeof h->ja3->formats, f);
	}
}

/* One SignatureScheme (RFC 8446 4.2.3); tshark also shows its two bytes as
 * the TLS 1.2 hash and signature algorithms they were (RFC 5246 7.4.1.4.1). */
static void sig_alg(struct wl_msg *m, uint16_t alg)
{
	wl_f_hex(m, "tls.handshake.sig_hash_alg", alg);
	wl_f_uint(m, "tls.handshake.sig_hash_hash", alg >> 8);
	wl_f_uint(m, "tls.handshake.sig_hash_sig", alg & 0xff);
}

/* A list of signature algorithms behind a 16-bit length, as in
 * signature_algorithms, signature_algorithms_cert, delegated_credentials and
 * a TLS 1.2 CertificateRequest. A length past the end cuts c short. */
static void sig_alg_list(struct wl_msg *m, struct wl_cur *c)
{
	uint16_t n = wl_be16(c);
	if (!wl_ok(c))
		return;
	wl_f_uint(m, "tls.handshake.sig_hash_alg_len", n);
	struct wl_cur l = wl_sub(c, n);
	while (wl_left(&l) >= 2)
		sig_alg(m, wl_be16(&l));
}

/* One SignedCertificateTimestamp (RFC 6962 3.2): a Certificate Transparency
 * log's signed promise to publish the certificate. All or nothing: a cut
 * SCT shows none of its fields. */
static int sct_one(struct wl_msg *m, struct wl_cur *c)
{
	uint8_t version = wl_u8(c);
	const uint8_t *log_id = wl_bytes(c, 32);
	uint64_t ms = wl_be64(c);
	uint16_t ext_len = wl_be16(c);
	wl_skip(c, ext_len);
	uint16_t alg = wl_be16(c);
	uint16_t sig_len = wl_be16(c);
	const uint8_t *sig = wl_bytes(c, sig_len);
	if (!wl_ok(c) || !log_id || !sig)
		return 0;
	wl_f_uint(m, "tls.sct.sct_version", version);
	wl_f_bytes(m, "tls.sct.sct_logid", log_id, 32);
	if (ms <= INT64_MAX / 1000000)  /* milliseconds since 1970; later ones are nonsense */
		wl_f_time(m, "tls.sct.sct_timestamp", (int64_t)ms * 1000000);
	wl_f_uint(m, "tls.sct.sct_extensions_length", ext_len);
	sig_alg(m, alg);
	wl_f_uint(m, "tls.sct.sct_signature_length", sig_len);
	wl_f_bytes(m, "tls.sct.sct_signature", sig, sig_len);
	return 1;
}

/* A SignedCertificateTimestampList (RFC 6962 3.3): in a certificate's
 * extension 1.3.6.1.4.1.11129.2.4.2 or in the TLS extension 18. Returns
 * the SCTs read; a length past the end marks c invalid. */
static unsigned sct_list(struct wl_msg *m, struct wl_cur *c)
{
	uint16_t n = wl_be16(c);
	if (!wl_ok(c))
		return 0;
	wl_f_uint(m, "tls.sct.scts_length", n);
	struct wl_cur l = wl_sub(c, n);
	unsigned count = 0;
	while (wl_left(&l) >= 2) {
		uint16_t len = wl_be16(&l);
		struct wl_cur one = wl_sub(&l, len);
		wl_f_uint(m, "tls.sct.sct_length", len);
		if (!wl_ok(&l))
			break;   /* its length runs past the list: not an SCT to show */
		if (!sct_one(m, &one))
			wl_invalid(&l);
		count += wl_ok(&l);
	}
	if (!wl_ok(&l) || wl_left(&l))
		wl_invalid(c);
	return count;
}

/* signed_certificate_timestamp (18): empty in a ClientHello, the list in a
 * ServerHello or a TLS 1.3 Certificate entry. */
static void ext_sct(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (wl_left(v))
		sct_list(m, v);
}

/* signature_algorithms (13) and signature_algorithms_cert (50). */
static void ext_sigalgs(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	sig_alg_list(m, v);
}

/* delegated_credentials (34, RFC 9345): the algorithms a client or server
 * accepts for a credential; in a Certificate entry it is the credential,
 * which wirelab does not decode. */
static void ext_delegated(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (h->hs == HS_CLIENT_HELLO || h->hs == HS_CERTIFICATE_REQUEST)
		sig_alg_list(m, v);
	else
		wl_skip(v, wl_left(v));
}

static void ext_alpn(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	struct wl_cur l = wl_sub(v, len16(m, v, "tls.handshake.extensions_alpn_len"));
	while (wl_left(&l)) {
		uint8_t n = wl_u8(&l);
		struct wl_cur name = wl_at(&l, 0, n);
		const uint8_t *p = wl_bytes(&l, n);
		if (!p)
			break;
		wl_f_uint(m, "tls.handshake.extensions_alpn_str_len", n);
		wl_f_str(m, "tls.handshake.extensions_alpn_str", p, n);
		char one[64];
		wl_text(&name, n, one, sizeof one, '?');
		strcat_list(h->alpn, sizeof h->alpn, one);
	}
	if (!wl_ok(&l))
		wl_invalid(v);
}

static void ext_ticket(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	h->ticket = 1 + (wl_left(v) > 0);
	wl_skip(v, wl_left(v));
}

static void ext_psk(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	h->psk = 1;
	if (h->hs != HS_CLIENT_HELLO) {
		wl_f_uint(m, "tls.handshake.extensions.psk.identity.selected", wl_be16(v));
		return;
	}
	struct wl_cur ids = wl_sub(v, wl_be16(v));
	while (wl_left(&ids)) {
		uint16_t n = wl_be16(&ids);
		wl_f_uint(m, "tls.handshake.extensions.psk.identity.identity_length", n);
		wl_skip(&ids, n);
		wl_skip(&ids, 4);
	}
	struct wl_cur binders = wl_sub(v, wl_be16(v));
	wl_skip(&binders, wl_left(&binders));
	if (!wl_ok(&ids))
		wl_invalid(v);
}

static void ext_versions(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (h->hs != HS_CLIENT_HELLO) {
		h->sel_version = wl_be16(v);
		wl_f_hex(m, "tls.handshake.extensions.supported_version", h->sel_version);
		return;
	}
	struct wl_cur l = wl_sub(v, len8(m, v, "tls.handshake.extensions.supported_versions_len"));
	while (wl_left(&l) >= 2) {
		uint16_t ver = wl_be16(&l);
		wl_f_hex(m, "tls.handshake.extensions.supported_version", ver);
		if (is_grease(ver))
			h->grease++;
		else if (ver > h->max_version && ver < 0x7f00)
			h->max_version = ver;
	}
}

static void ext_cookie(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	uint16_t n = wl_be16(v);
	wl_f_uint(m, "tls.handshake.extensions.cookie_len", n);
	wl_skip(v, n);
}

static void ext_psk_modes(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	struct wl_cur l = wl_sub(v, len8(m, v, "tls.extension.psk_ke_modes_length"));
	while (wl_left(&l))
		wl_f_uint(m, "tls.extension.psk_ke_mode", wl_u8(&l));
}

/* A KeyShareEntry's key (RFC 8446 4.2.8) after its group; 0 when cut short. */
static int key_exchange(struct wl_msg *m, struct wl_cur *c, uint16_t group)
{
	uint16_t n = wl_be16(c);
	const uint8_t *key = wl_bytes(c, n);
	if (!key)
		return 0;
	wl_f_uint(m, "tls.handshake.extensions_key_share_group", group);
	wl_f_uint(m, "tls.handshake.extensions_key_share_key_exchange_length", n);
	wl_f_bytes(m, "tls.handshake.extensions_key_share_key_exchange", key, n);
	return 1;
}

static void ext_key_share(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	if (h->hs != HS_CLIENT_HELLO) {  /* an HRR names a group, a ServerHello sends a share */
		h->ks_group = wl_be16(v);
		if (h->hrr)
			wl_f_uint(m, "tls.handshake.extensions_key_share_selected_group", h->ks_group);
		else if (wl_ok(v))
			key_exchange(m, v, h->ks_group);
		return;
	}
	struct wl_cur l = wl_sub(v, len16(m, v, "tls.handshake.extensions_key_share_client_length"));
	while (wl_left(&l)) {
		uint16_t g = wl_be16(&l);
		if (!key_exchange(m, &l, g))
			break;
		if (h->nks < sizeof h->ks / sizeof h->ks[0])
			h->ks[h->nks++] = g;
	}
	if (!wl_ok(&l))
		wl_invalid(v);
}

static void ext_reneg(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	uint8_t n = wl_u8(v);
	wl_f_uint(m, "tls.handshake.extensions_reneg_info_len", n);
	wl_skip(v, n);
	h->reneg = 1;
}

static void ext_ems(struct wl_msg *m, struct hello *h, struct wl_cur *v) { h->ems = 1; }
static void ext_etm(struct wl_msg *m, struct hello *h, struct wl_cur *v) { h->etm = 1; }
static void ext_early(struct wl_msg *m, struct hello *h, struct wl_cur *v)
{
	h->early = 1;
	wl_skip(v, wl_left(v));
}

struct ext_kind {
	uint16_t type;
	ext_fn *fn;
};

static const struct ext_kind ext_kinds[] = {
	{ 0, ext_server_name }, { 5, ext_status_request }, { 10, ext_groups }, { 17, ext_status_request_v2 },
	{ 11, ext_point_formats }, { 13, ext_sigalgs }, { 16, ext_alpn }, { 18, ext_sct },
	{ 22, ext_etm }, { 23, ext_ems },
	{ 34, ext_delegated }, { 35, ext_ticket }, { 41, ext_psk }, { 42, ext_early },
	{ 43, ext_versions }, { 44, ext_cookie }, { 45, ext_psk_modes }, { 50, ext_sigalgs },
	{ 51, ext_key_share }, { 0xff01, ext_reneg },
};

/* tshark 4.0 shows an extension's bytes as tls.handshake.extension.data where
 * it does not decode them: GREASE, session_ticket, and types it does not know
 * (it knows those wirelab decodes and the few listed here). */
static int ext_shown_as_data(uint16_t t)
{
	static const uint16_t tshark_decodes[] = { 15, 21, 27, 28, 49, 13172, 17513 };
	if (is_grease(t) || t == 35)
		return 1;
	for (size_t i = 0; i < sizeof ext_kinds / sizeof ext_kinds[0]; i++)
		if (ext_kinds[i].type == t)
			return 0;
	for (size_t i = 0; i < sizeof tshark_decodes / sizeof tshark_decodes[0]; i++)
		if (tshark_decodes[i] == t)
			return 0;
	return 1;
}

/* An extension's bytes as they are (a copy of its cursor: the dissector
 * that decodes it reads them again). */
static void ext_data(struct wl_msg *m, struct wl_cur v)
{
	size_t n = wl_left(&v);
	const uint8_t *p = wl_bytes(&v, n);
	if (p)
		wl_f_bytes(m, "tls.handshake.extension.data", p, n);
}

static void extensions(struct wl_msg *m, struct hello *h, struct wl_cur *b)
{
	if (!wl_left(b))
		return;
	uint16_t total = wl_be16(b);
	wl_f_uint(m, "tls.handshake.extensions_length", total);
	struct wl_cur e = wl_sub(b, total);
	while (wl_left(&e)) {
		uint16_t t = wl_be16(&e);
		uint16_t n = wl_be16(&e);
		if (!wl_ok(&e))
			break;
		struct wl_cur v = wl_sub(&e, n);
		wl_f_uint(m, "tls.handshake.extension.type", t);
		wl_f_uint(m, "tls.handshake.extension.len", n);
		if (h->ja3)
			ja3_add(h->ja3->exts, sizeof h->ja3->exts, t);
		if (h->verbose && ext_shown_as_data(t))
			ext_data(m, v);
		if (is_grease(t)) {
			h->grease++;
			continue;
		}
		int known = 0;
		for (size_t i = 0; i < sizeof ext_kinds / sizeof ext_kinds[0]; i++)
			if (ext_kinds[i].type == t) {
				ext_kinds[i].fn(m, h, &v);
				known = 1;
			}
		if (!wl_ok(&v) || !wl_ok(&e)) {
			wl_note(m, WL_ERROR, "malformed: extension %u: a length runs past its end", t);
			break;
		}
		if (known && wl_left(&v))
			wl_note(m, WL_ERROR, "malformed: extension %u: %zu bytes left over after its "
				"contents", t, wl_left(&v));
	}
	if (!wl_ok(&e) || !wl_ok(b))
		wl_note(m, WL_ERROR, "malformed: extensions cut short (their length runs past the message)");
}

/* ---- weak and obsolete choices ---- */

struct weak_rule {
	const char *needle;
	const char *lesson;
};

static const struct weak_rule weak_rules[] = {
	{ "EXPORT", "export-grade suite: 40/56-bit keys, breakable in hours (FREAK, Logjam)" },
	{ "_WITH_NULL_", "NULL cipher: the records are not encrypted at all" },
	{ "RC4", "RC4 is broken and forbidden in TLS (RFC 7465)" },
	{ "_DES_", "single DES: a 56-bit key, broken by brute force" },
	{ "3DES", "3DES: a 64-bit block cipher, open to Sweet32" },
	{ "_anon_", "anonymous key exchange: the server is not authenticated at all" },
	{ "_MD5", "MD5 as the record MAC: obsolete" },
	{ NULL, NULL },
};

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static void weak_notes(struct wl_msg *m, uint16_t version, uint16_t suite, int etm)
{
	if (version == 0x0300)
		wl_note(m, WL_WARN, "SSL 3.0 is broken (POODLE) and forbidden (RFC 7568)");
	else if (version == 0x0301 || version == 0x0302)
		wl_note(m, WL_WARN, "%s is obsolete and deprecated (RFC 8996): use TLS 1.2 or 1.3",
			version == 0x0301 ? "TLS 1.0" : "TLS 1.1");
	const char *n = wl_tok(suites, suite, NULL);
	if (!n)
		return;
	for (const struct weak_rule *w = weak_rules; w->needle; w++)
		if (strstr(n, w->needle))
			wl_note(m, WL_WARN, "%s", w->lesson);
	if (strncmp(n, "TLS_RSA_", 8) == 0)
		wl_note(m, WL_WARN, "RSA key exchange: no forward secrecy, whoever obtains the server's "
			"private key later can decrypt this recorded session");
	if (ends_with(n, "_CBC_SHA"))
		wl_note(m, WL_WARN, "CBC with HMAC-SHA1: an obsolete construction, the root of "
			"padding-oracle attacks (Lucky13); AEAD suites (GCM, ChaCha20-Poly1305) avoid it");
	if (etm && strstr(n, "_CBC_"))
		wl_note(m, WL_INFO, "encrypt_then_mac agreed (RFC 7366): the MAC covers the ciphertext, "
			"which closes the padding oracle");
}

/* The suite's name for the ladder line: "ECDHE_RSA_AES_256_GCM_SHA384". */
static const char *suite_short(const char *name)
{
	return strncmp(name, "TLS_", 4) == 0 ? name + 4 : name;
}

/* ---- handshake messages ---- */

struct hs_ctx {
	struct tls_st *s;
	struct wl_ctx *ctx;
	struct wl_msg *m;
	enum wl_dir dir;
	uint8_t encrypted;    /* came out of a decrypted record */
};

/* The offered cipher suites, remembered to rank the server's choice. */
static unsigned client_suites(struct tls_st *s, struct wl_msg *m, struct hello *h, struct wl_cur *b)
{
	uint16_t cs_len = wl_be16(b);
	struct wl_cur cs = wl_sub(b, cs_len);
	wl_f_uint(m, "tls.handshake.cipher_suites_length", cs_len);
	unsigned n = 0;
	s->noffered = 0;
	while (wl_left(&cs) >= 2) {
		uint16_t v = wl_be16(&cs);
		wl_f_hex(m, "tls.handshake.ciphersuite", v);
		h->grease += is_grease(v);
		if (h->ja3)
			ja3_add(h->ja3->suites, sizeof h->ja3->suites, v);
		n++;
		if (s->noffered < MAX_OFFER && !is_grease(v))
			s->offered[s->noffered++] = v;
	}
	if (cs_len % 2)
		wl_note(m, WL_ERROR, "malformed: cipher suites length %u is odd", cs_len);
	return n;
}

/* What the extensions of a ClientHello tell a student. */
static void client_hello_notes(struct hs_ctx *x, const struct hello *h, uint16_t maxv, unsigned nsuites)
{
	struct wl_msg *m = x->m;
	char vb[32];
	if (h->sni_seen)
		wl_msg_text(m, "ClientHello %s, %u suites, up to %s", h->sni, nsuites,
			    version_name(maxv, vb, sizeof vb));
	else
		wl_msg_text(m, "ClientHello (no SNI), %u suites, up to %s", nsuites,
			    version_name(maxv, vb, sizeof vb));
	if (h->sni_seen) {
		wl_note(m, WL_INFO, "SNI in the clear: anyone on the path sees that the client asks for %s",
			h->sni);
		wl_flow_fact(x->ctx, "sni", "%s", h->sni);
	}
	if (h->alpn[0])
		wl_note(m, WL_INFO, "ALPN: the client proposes the application protocols %s", h->alpn);
	if (h->nks) {
		char g[160] = "", gb[32];
		for (unsigned i = 0; i < h->nks; i++)
			strcat_list(g, sizeof g, group_name(h->ks[i], gb, sizeof gb));
		wl_note(m, WL_INFO, "key_share: the client already sends its key for %s (TLS 1.3 saves a "
			"round trip this way)", g);
	}
	if (h->psk)
		wl_note(m, WL_INFO, "pre_shared_key: the client tries to resume an earlier session");
	else if (h->ticket == 2)
		wl_note(m, WL_INFO, "session_ticket: the client presents a ticket to resume an earlier "
			"session");
	if (h->early)
		wl_note(m, WL_INFO, "early_data: the client sends 0-RTT data before the handshake completes "
			"(replayable)");
	if (h->grease)
		wl_note(m, WL_INFO, "GREASE (RFC 8701): %u reserved dummy value%s keep servers tolerant "
			"of unknown ones", h->grease, h->grease > 1 ? "s" : "");
	if (maxv < 0x0303)
		weak_notes(m, maxv, 0, 0);
}

/* The JA3 (client) or JA3S (server) fingerprint as tshark shows it: the text
 * and its MD5. The fields list what a hello offers, so a client or server
 * build is recognisable on the wire whatever its addresses. */
static void ja3_fields(struct wl_ctx *ctx, struct wl_msg *m, const char *full, const char *name,
		       const char *text)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	size_t len = 0;
	wl_f_cstr(m, full, text);
	if (!EVP_Q_digest(wl_opts(ctx)->openssl_ctx, "MD5", NULL, text, strlen(text), md, &len))
		return;
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (size_t i = 0; i < len; i++)
		wl_snprintf(hex + 2 * i, 3, "%02x", md[i]);
	wl_f_cstr(m, name, hex);
}

/* The hello random as tshark splits it where the version is not TLS 1.3
 * (where all 32 bytes are random): a 32-bit time, then 28 bytes. */
static void random_split(struct wl_msg *m, const uint8_t rnd[32])
{
	uint32_t t = (uint32_t)rnd[0] << 24 | (uint32_t)rnd[1] << 16 | (uint32_t)rnd[2] << 8 | rnd[3];
	wl_f_time(m, "tls.handshake.random_time", (int64_t)t * 1000000000);
	wl_f_bytes(m, "tls.handshake.random_bytes", rnd + 4, 28);
}

static int version_is_13(uint16_t v)
{
	return v == 0x0304 || (v >= 0x7f00 && v <= 0x7fff);
}

static void hs_client_hello(struct hs_ctx *x, struct wl_cur *b)
{
	struct tls_st *s = x->s;
	struct wl_msg *m = x->m;
	struct hello h = { .hs = HS_CLIENT_HELLO };
	struct ja3 ja3 = { 0 };
	int verbose = wl_opts(x->ctx)->verbose;
	h.ja3 = verbose ? &ja3 : NULL;
	h.verbose = (uint8_t)verbose;
	wl_note(m, WL_INFO, "ClientHello: the client offers its TLS versions, cipher suites and "
		"extensions; the server will pick one of each");
	uint16_t ver = wl_be16(b);
	const uint8_t *rnd = wl_bytes(b, 32);
	uint8_t sid_len = wl_u8(b);
	const uint8_t *sid = wl_bytes(b, sid_len);
	wl_f_hex(m, "tls.handshake.version", ver);
	if (rnd) {
		wl_f_bytes(m, "tls.handshake.random", rnd, 32);
		if (verbose && !s->hrr_seen)  /* after a HelloRetryRequest, TLS 1.3 is known */
			random_split(m, rnd);
		memcpy(s->crand, rnd, 32);
		s->have_crand = 1;
	}
	wl_f_uint(m, "tls.handshake.session_id_length", sid_len);
	if (sid && sid_len) {
		wl_f_bytes(m, "tls.handshake.session_id", sid, sid_len);
		if (sid_len <= sizeof s->sid) {
			memcpy(s->sid, sid, sid_len);
			s->sid_len = sid_len;
		}
	}
	unsigned nsuites = client_suites(s, m, &h, b);
	uint8_t cm_len = wl_u8(b);
	struct wl_cur cm = wl_sub(b, cm_len);
	wl_f_uint(m, "tls.handshake.comp_methods_length", cm_len);
	int compress = 0;
	while (wl_left(&cm)) {
		uint8_t c = wl_u8(&cm);
		wl_f_uint(m, "tls.handshake.comp_method", c);
		compress |= c != 0;
	}
	extensions(m, &h, b);
	if (h.ja3 && wl_ok(b)) {
		char text[sizeof ja3 + 16];
		wl_snprintf(text, sizeof text, "%u,%s,%s,%s,%s", ver, ja3.suites, ja3.exts, ja3.groups,
			    ja3.formats);
		ja3_fields(x->ctx, m, "tls.handshake.ja3_full", "tls.handshake.ja3", text);
	}
	if (!wl_ok(b))
		wl_note_cursor(m, b, "ClientHello");
	else if (wl_left(b))
		wl_note(m, WL_ERROR, "malformed: %zu bytes after the ClientHello's extensions", wl_left(b));
	uint16_t maxv = h.max_version ? h.max_version : ver;
	s->offered13 = maxv >= 0x0304;
	s->early_data = h.early;
	s->etm_offered = h.etm;
	wl_snprintf(s->sni, sizeof s->sni, "%s", h.sni);
	wl_snprintf(s->alpn, sizeof s->alpn, "%s", h.alpn);
	client_hello_notes(x, &h, maxv, nsuites);
	if (compress)
		wl_note(m, WL_WARN, "TLS compression offered: leaks secrets through sizes (CRIME)");
}

static unsigned offer_rank(const struct tls_st *s, uint16_t suite)
{
	for (unsigned i = 0; i < s->noffered; i++)
		if (s->offered[i] == suite)
			return i + 1;
	return 0;
}

/* Which of the client's offers the server took, and what follows from it. */
static void server_choice_notes(struct hs_ctx *x, const struct hello *h, int resumed)
{
	struct tls_st *s = x->s;
	struct wl_msg *m = x->m;
	char vb[32], sb[32], gb[32];
	const char *sname = suite_name(s->suite, sb, sizeof sb);
	unsigned rank = offer_rank(s, s->suite);
	if (rank)
		wl_note(m, WL_INFO, "the server picked %s, the client's choice %u of %u", sname, rank,
			s->noffered);
	else if (s->noffered)
		wl_note(m, WL_WARN, "the server picked %s, which the client did not offer", sname);
	if (h->ks_group)
		wl_note(m, WL_INFO, "key exchange: %s (ephemeral, so forward secret)",
			group_name(h->ks_group, gb, sizeof gb));
	if (h->alpn[0])
		wl_note(m, WL_INFO, "ALPN: the server picked %s%s%s", h->alpn, s->alpn[0] ? " of " : "",
			s->alpn);
	if (s->tls13 && h->psk) {
		wl_note(m, WL_INFO, "from here on the handshake is encrypted: EncryptedExtensions and "
			"Finished travel inside encrypted records");
		wl_note(m, WL_INFO, "pre_shared_key accepted: a resumed session, no certificate this time");
	} else if (s->tls13) {
		wl_note(m, WL_INFO, "from here on the handshake is encrypted: EncryptedExtensions, "
			"Certificate, CertificateVerify and Finished travel inside encrypted records");
	} else if (resumed) {
		wl_note(m, WL_INFO, "session resumed: the server accepted the session ID, so no certificate "
			"and no key exchange follow (abbreviated handshake)");
	}
	weak_notes(m, s->version, s->suite, s->etm);
	wl_flow_fact(x->ctx, "version", "%s", version_name(s->version, vb, sizeof vb));
	wl_flow_fact(x->ctx, "cipher", "%s", sname);
	if (h->alpn[0])
		wl_flow_fact(x->ctx, "alpn", "%s", h->alpn);
}

/* RFC 8446 4.1.3: a server that speaks TLS 1.3 and negotiates 1.2 or lower
 * ends its random with "DOWNGRD" and 01 (for 1.2) or 00, so that a client
 * that offered 1.3 sees an attacker's removal of 1.3 from its hello. */
static void downgrade_sentinel(const struct tls_st *s, struct wl_msg *m, const uint8_t rnd[32])
{
	static const uint8_t mark[7] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D' };
	if (memcmp(rnd + 24, mark, 7) != 0 || rnd[31] > 1)
		return;
	wl_f_cstr(m, "wl.tls.downgrade_sentinel", rnd[31] ? "TLS 1.2" : "TLS 1.1 or older");
	if (s->offered13)
		wl_note(m, WL_WARN, "the random ends with DOWNGRD\\x%02x: this server speaks TLS 1.3, yet it "
			"chose %s although the client offered 1.3; a TLS 1.3 client must abort here "
			"(RFC 8446 4.1.3: someone may have removed 1.3 on the way)", rnd[31],
			rnd[31] ? "TLS 1.2" : "TLS 1.1 or older");
	else
		wl_note(m, WL_INFO, "the random ends with DOWNGRD\\x%02x: this server speaks TLS 1.3 but the "
			"client offered at most %s, so it gets that; a 1.3 client would check these "
			"8 bytes to catch a downgrade (RFC 8446 4.1.3)", rnd[31],
			rnd[31] ? "TLS 1.2" : "TLS 1.1");
}

static void hs_server_hello(struct hs_ctx *x, struct wl_cur *b)
{
	struct tls_st *s = x->s;
	struct wl_msg *m = x->m;
	struct hello h = { .hs = HS_SERVER_HELLO };
	struct ja3 ja3 = { 0 };
	h.verbose = (uint8_t)wl_opts(x->ctx)->verbose;
	h.ja3 = h.verbose ? &ja3 : NULL;
	uint16_t ver = wl_be16(b);
	const uint8_t *rnd = wl_bytes(b, 32);
	h.hrr = rnd && memcmp(rnd, hrr_random, 32) == 0;
	if (h.hrr)
		wl_note(m, WL_INFO, "HelloRetryRequest: the server accepts none of the client's key shares "
			"and asks it to try again with another group");
	else
		wl_note(m, WL_INFO, "ServerHello: the server picks the version, the cipher suite and the "
			"key exchange from the client's offers");
	uint8_t sid_len = wl_u8(b);
	const uint8_t *sid = wl_bytes(b, sid_len);
	uint16_t suite = wl_be16(b);
	uint8_t comp = wl_u8(b);
	wl_f_hex(m, "tls.handshake.version", ver);
	if (rnd)
		wl_f_bytes(m, "tls.handshake.random", rnd, 32);
	wl_f_uint(m, "tls.handshake.session_id_length", sid_len);
	if (sid && sid_len)
		wl_f_bytes(m, "tls.handshake.session_id", sid, sid_len);
	if (wl_ok(b))
		wl_f_hex(m, "tls.handshake.ciphersuite", suite);
	wl_f_uint(m, "tls.handshake.comp_method", comp);
	extensions(m, &h, b);
	if (!wl_ok(b)) {
		wl_note_cursor(m, b, "ServerHello");
		wl_msg_text(m, "ServerHello (cut short)");
		return;
	}
	char vb[32], sb[32], gb[32];
	uint16_t v = h.sel_version ? h.sel_version : ver;
	if (h.ja3) {
		char text[sizeof ja3.exts + 16];
		wl_snprintf(text, sizeof text, "%u,%u,%s", ver, suite, ja3.exts);
		ja3_fields(x->ctx, m, "tls.handshake.ja3s_full", "tls.handshake.ja3s", text);
		if (rnd && !version_is_13(v))
			random_split(m, rnd);
	}
	const char *sname = suite_name(suite, sb, sizeof sb);
	if (h.hrr) {
		s->hrr_seen = 1;
		wl_msg_text(m, "HelloRetryRequest: use %s", group_name(h.ks_group, gb, sizeof gb));
		wl_note(m, WL_INFO, "the client must send a second ClientHello with a %s key share",
			group_name(h.ks_group, gb, sizeof gb));
		return;
	}
	if (rnd) {
		memcpy(s->srand, rnd, 32);
		s->have_srand = 1;
	}
	s->version = v;
	s->suite = suite;
	s->etm = s->etm_offered && h.etm;
	s->tls13 = version_is_13(v);
	wl_msg_text(m, "ServerHello %s, %s", version_name(v, vb, sizeof vb), suite_short(sname));
	wl_f_cstr(m, "wl.tls.version", version_name(v, vb, sizeof vb));
	wl_f_cstr(m, "wl.tls.cipher", sname);
	int resumed = !s->tls13 && s->sid_len && s->sid_len == sid_len && sid &&
		      memcmp(s->sid, sid, sid_len) == 0;
	server_choice_notes(x, &h, resumed);
	if (rnd && !s->tls13)
		downgrade_sentinel(s, m, rnd);
}

static int64_t asn1_ns(const ASN1_TIME *t)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm) * 1000000000;
}

/* ---- parsed certificates and OCSP responses, shared by every flow ----
 * d2i_X509 costs tens of microseconds (OpenSSL 3 decodes the public key
 * through its provider machinery) and a capture repeats the same few
 * certificates in every handshake: each is parsed once per engine, and so
 * are the texts of its names (X509_NAME_print_ex looks up every attribute's
 * name) and a server's stapled OCSP response, resent with each handshake. */
#define CERT_CACHE 64            /* entries, a power of two */
#define CERT_CACHE_MAX (16u << 10) /* larger certificates are not kept */
#define OCSP_CACHE 8             /* responses, the most recent first */

extern const struct wl_dissector wl_dissector_tls;

/* A name as RFC 2253 text; text NULL until it is made. */
struct cert_name {
	char *text;
	size_t len;
};

struct cert_entry {
	uint32_t len;
	uint8_t *der;
	X509 *x509;
	struct cert_name names[2];   /* subject, issuer */
};

struct ocsp_entry {
	uint32_t len;
	uint8_t *der;
	OCSP_RESPONSE *r;
	OCSP_BASICRESP *basic;   /* NULL when it holds no basic response */
};

struct tls_shared {
	struct cert_entry certs[CERT_CACHE];
	struct ocsp_entry ocsp[OCSP_CACHE];
};

static void cert_entry_free(struct cert_entry *e)
{
	free(e->der);
	X509_free(e->x509);
	for (unsigned i = 0; i < 2; i++)
		free(e->names[i].text);
	*e = (struct cert_entry){ 0 };
}

static void ocsp_entry_free(struct ocsp_entry *e)
{
	free(e->der);
	OCSP_BASICRESP_free(e->basic);
	OCSP_RESPONSE_free(e->r);
	*e = (struct ocsp_entry){ 0 };
}

static void *tls_shared_make(void)
{
	return calloc(1, sizeof(struct tls_shared));
}

static void tls_shared_drop(void *p)
{
	struct tls_shared *sh = p;
	for (unsigned i = 0; i < CERT_CACHE; i++)
		cert_entry_free(&sh->certs[i]);
	for (unsigned i = 0; i < OCSP_CACHE; i++)
		ocsp_entry_free(&sh->ocsp[i]);
	free(sh);
}

/* The engine's caches; NULL when it has no room for them. */
static struct tls_shared *tls_shared(struct wl_ctx *ctx)
{
	return wl_engine_shared(ctx, &wl_dissector_tls, tls_shared_make, tls_shared_drop);
}

/* The pair of slots of a certificate: its length and last bytes (the
 * signature) are as good as random. Two ways, so two certificates that
 * collide (a server's and its CA's) do not evict each other. */
static unsigned cert_set(const uint8_t *der, uint32_t n)
{
	uint32_t h = 2166136261u ^ n;
	for (uint32_t i = n > 32 ? n - 32 : 0; i < n; i++)
		h = (h ^ der[i]) * 16777619u;
	return h & (CERT_CACHE - 2);
}

static int cert_is(const struct cert_entry *e, const uint8_t *der, uint32_t n)
{
	return e->x509 && e->len == n && memcmp(e->der, der, n) == 0;
}

/* der parsed: the cache's entry when it was seen before or can be kept,
 * else *tmp, whose parts the caller frees (cert_entry_free). NULL if it is
 * not X.509. */
static struct cert_entry *cert_parse(struct wl_ctx *ctx, const uint8_t *der, uint32_t n,
				     struct cert_entry *tmp)
{
	const unsigned char *p = der;
	struct tls_shared *sh = n <= CERT_CACHE_MAX ? tls_shared(ctx) : NULL;
	struct cert_entry *e = sh ? &sh->certs[cert_set(der, n)] : NULL;
	if (e && cert_is(&e[0], der, n))
		return &e[0];
	if (e && cert_is(&e[1], der, n)) {
		struct cert_entry t = e[0];   /* the most recent first */
		e[0] = e[1];
		e[1] = t;
		return &e[0];
	}
	X509 *c = X509_new_ex(wl_opts(ctx)->openssl_ctx, NULL);
	if (c && !d2i_X509(&c, &p, (long)n))
		c = NULL;             /* d2i_X509 has freed it */
	if (!c)
		return NULL;
	uint8_t *copy = e ? malloc(n) : NULL;
	if (!copy) {
		*tmp = (struct cert_entry){ .x509 = c };
		return tmp;
	}
	memcpy(copy, der, n);
	cert_entry_free(&e[1]);
	e[1] = e[0];
	e[0] = (struct cert_entry){ .len = n, .der = copy, .x509 = c };
	return &e[0];
}

/* nm made from n if it is not yet; 0 when it cannot be. */
static int name_text(struct cert_name *nm, const X509_NAME *n)
{
	if (nm->text)
		return 1;
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return 0;
	X509_NAME_print_ex(bio, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	char *p = NULL;
	long len = BIO_get_mem_data(bio, &p);
	char *copy = p && len >= 0 ? malloc((size_t)len + 1) : NULL;
	if (copy) {
		memcpy(copy, p, (size_t)len);
		copy[len] = '\0';
		*nm = (struct cert_name){ copy, (size_t)len };
	}
	BIO_free(bio);
	return copy != NULL;
}

/* The name's field, and its text up to a NUL into out (cut to outn) as
 * snprintf's %.*s writes it. */
static void name_field(struct wl_msg *m, const char *field, struct cert_name *nm, const X509_NAME *n,
		       char *out, size_t outn)
{
	if (!name_text(nm, n))
		return;
	wl_f_str(m, field, nm->text, nm->len);
	size_t k = strnlen(nm->text, nm->len);
	if (k >= outn)
		k = outn - 1;
	memcpy(out, nm->text, k);
	out[k] = '\0';
}

/* The certificate's SCTs (RFC 6962 3.3): its extension's value is an OCTET
 * STRING that holds the TLS-encoded list. */
static void cert_scts(struct wl_msg *m, X509 *c, const char *what)
{
	int at = X509_get_ext_by_NID(c, NID_ct_precert_scts, -1);
	const ASN1_OCTET_STRING *v = at >= 0 ? X509_EXTENSION_get_data(X509_get_ext(c, at)) : NULL;
	if (!v)
		return;
	const unsigned char *p = ASN1_STRING_get0_data(v);
	long len = 0;
	int tag = 0, cls = 0;
	if (ASN1_get_object(&p, &len, &tag, &cls, ASN1_STRING_length(v)) & 0x80 ||
	    tag != V_ASN1_OCTET_STRING) {
		wl_note(m, WL_ERROR, "malformed: %s: its SCT extension is not an OCTET STRING", what);
		return;
	}
	struct wl_cur list = wl_cur_make(p, (size_t)len);
	unsigned n = sct_list(m, &list);
	if (!wl_ok(&list))
		wl_note(m, WL_ERROR, "malformed: %s: its SCT list runs past its extension", what);
	else if (n)
		wl_note(m, WL_INFO, "%s carries %u SCT%s: Certificate Transparency logs signed that "
			"they publish it, so a wrongly issued certificate can be found", what, n,
			n > 1 ? "s" : "");
}

/* The certificates in a DER OCSPResponse (RFC 6960 4.2.1), the responder's
 * own: tshark shows their fields as it shows a chain's. */
/* OCSP's own AlgorithmIdentifiers and responder name, which tshark shows with
 * x509's fields: each certID's hash and the response's signature. */
static void ocsp_x509_fields(struct wl_msg *m, OCSP_BASICRESP *basic)
{
	const X509_NAME *by_name = NULL;
	const ASN1_OCTET_STRING *by_key = NULL;
	if (OCSP_resp_get0_id(basic, &by_key, &by_name) && by_name)
		wl_x509_name(m, by_name, "the OCSP responder's name");
	for (int i = 0; i < OCSP_resp_count(basic); i++) {
		ASN1_OBJECT *hash = NULL;
		const OCSP_CERTID *id = OCSP_SINGLERESP_get0_id(OCSP_resp_get0(basic, i));
		if (id && OCSP_id_get0_info(NULL, &hash, NULL, NULL, (OCSP_CERTID *)id))
			wl_x509_algorithm(m, hash);
	}
	const X509_ALGOR *sig = OCSP_resp_get0_tbs_sigalg(basic);
	const ASN1_OBJECT *alg = NULL;
	if (sig) {
		X509_ALGOR_get0(&alg, NULL, NULL, sig);
		wl_x509_algorithm(m, alg);
	}
}

/* der parsed as an OCSPResponse and its basic response unpacked: the
 * cache's entry when it was seen before or can be kept, else *tmp, which the
 * caller frees (ocsp_entry_free). NULL when it is not DER. */
static struct ocsp_entry *ocsp_parse(struct tls_shared *sh, const uint8_t *der, uint32_t n,
				     struct ocsp_entry *tmp)
{
	for (unsigned i = 0; sh && i < OCSP_CACHE; i++) {
		struct ocsp_entry *e = &sh->ocsp[i];
		if (!e->r || e->len != n || memcmp(e->der, der, n) != 0)
			continue;
		struct ocsp_entry hit = *e;   /* the most recent first */
		memmove(&sh->ocsp[1], &sh->ocsp[0], i * sizeof *e);
		sh->ocsp[0] = hit;
		return &sh->ocsp[0];
	}
	const unsigned char *p = der;
	OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &p, n);
	if (!r)
		return NULL;
	OCSP_BASICRESP *basic = OCSP_response_get1_basic(r);
	uint8_t *copy = sh && n <= CERT_CACHE_MAX ? malloc(n) : NULL;
	if (!copy) {
		*tmp = (struct ocsp_entry){ .r = r, .basic = basic };
		return tmp;
	}
	memcpy(copy, der, n);
	ocsp_entry_free(&sh->ocsp[OCSP_CACHE - 1]);
	memmove(&sh->ocsp[1], &sh->ocsp[0], (OCSP_CACHE - 1) * sizeof sh->ocsp[0]);
	sh->ocsp[0] = (struct ocsp_entry){ .len = n, .der = copy, .r = r, .basic = basic };
	return &sh->ocsp[0];
}

static void ocsp_certs(struct wl_msg *m, struct tls_shared *sh, const uint8_t *der, uint32_t n, int verbose)
{
	struct ocsp_entry tmp = { 0 };
	struct ocsp_entry *e = ocsp_parse(sh, der, n, &tmp);
	OCSP_BASICRESP *basic = e ? e->basic : NULL;
	const STACK_OF(X509) *certs = basic ? OCSP_resp_get0_certs(basic) : NULL;
	for (int i = 0; certs && i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);
		wl_x509_cert(m, c, verbose, "the OCSP responder's certificate");
		wl_x509_alt_names(m, c, verbose, "the OCSP responder's certificate");
		cert_scts(m, c, "the OCSP responder's certificate");
	}
	if (basic && verbose)
		ocsp_x509_fields(m, basic);
	if (!e)
		wl_note(m, WL_ERROR, "malformed: the OCSP response is not valid DER");
	ocsp_entry_free(&tmp);
}

/* One OCSPResponse behind its 24-bit length. */
static void ocsp_response(struct wl_msg *m, struct tls_shared *sh, struct wl_cur *c, int verbose)
{
	uint32_t n = wl_be24(c);
	const uint8_t *der = wl_bytes(c, n);
	if (!der)
		return;
	wl_f_uint(m, "tls.handshake.ocsp_response_len", n);
	if (n)
		ocsp_certs(m, sh, der, n, verbose);
}

/* A CertificateStatus (RFC 6066 8, RFC 6961 2.2): the TLS 1.2 handshake
 * message, or a TLS 1.3 Certificate entry's status_request; sh, the engine's
 * caches, may be NULL. */
static void cert_status(struct wl_msg *m, struct tls_shared *sh, struct wl_cur *c, int verbose)
{
	uint8_t type = wl_u8(c);
	if (!wl_ok(c))
		return;
	wl_f_uint(m, "tls.handshake.extensions_status_request_type", type);
	if (type == STATUS_OCSP) {
		ocsp_response(m, sh, c, verbose);
	} else if (type == STATUS_OCSP_MULTI) {
		uint32_t n = wl_be24(c);
		if (!wl_ok(c))
			return;
		wl_f_uint(m, "tls.handshake.ocsp_response_list_len", n);
		struct wl_cur l = wl_sub(c, n);
		while (wl_left(&l))
			ocsp_response(m, sh, &l, verbose);
		if (!wl_ok(&l))
			wl_invalid(c);
	}
}

/* One certificate through OpenSSL; the first (the server's own) is checked
 * against the name the client asked for and the capture time. */
static void cert_one(struct hs_ctx *x, const uint8_t *der, uint32_t n, unsigned idx, char *cn, size_t cnn)
{
	struct wl_msg *m = x->m;
	struct cert_entry tmp = { 0 };
	struct cert_entry *e = cert_parse(x->ctx, der, n, &tmp);
	X509 *c = e ? e->x509 : NULL;
	if (!c) {
		wl_note(m, WL_ERROR, "malformed: certificate %u is not valid X.509 DER", idx + 1);
		return;
	}
	char what[32];
	wl_snprintf(what, sizeof what, "certificate %u", idx + 1);
	int full = wl_opts(x->ctx)->verbose;
	wl_x509_cert(m, c, full, what);
	char subj[256] = "", iss[256] = "";
	name_field(m, "wl.tls.cert.subject", &e->names[0], X509_get_subject_name(c), subj, sizeof subj);
	name_field(m, "wl.tls.cert.issuer", &e->names[1], X509_get_issuer_name(c), iss, sizeof iss);
	int64_t nb = asn1_ns(X509_get0_notBefore(c)), na = asn1_ns(X509_get0_notAfter(c));
	wl_f_time(m, "wl.tls.cert.not_before", nb);
	wl_f_time(m, "wl.tls.cert.not_after", na);
	wl_x509_alt_names(m, c, full, what);
	cert_scts(m, c, what);
	EVP_PKEY *pk = X509_get0_pubkey(c);
	const char *kt = pk ? EVP_PKEY_get0_type_name(pk) : NULL;
	int bits = pk ? EVP_PKEY_get_bits(pk) : 0;
	wl_f_strf(m, "wl.tls.cert.key", "%s %d", kt ? kt : "unknown", bits);
	int signid = X509_get_signature_nid(c);
	wl_f_cstr(m, "wl.tls.cert.sig_alg", signid != NID_undef ? OBJ_nid2ln(signid) : "unknown");
	if (idx == 0) {
		char cnv[128];
		if (X509_NAME_get_text_by_NID(X509_get_subject_name(c), NID_commonName, cnv, sizeof cnv) > 0)
			wl_snprintf(cn, cnn, "CN=%s", cnv);
		else
			wl_snprintf(cn, cnn, "%s", subj);
		wl_note(m, WL_INFO, "issued to %s by %s; the client must find a chain from this issuer to "
			"a CA it trusts", subj, iss);
		int64_t now = wl_time_ns(x->ctx);
		if (na && now > na)
			wl_note(m, WL_WARN, "the certificate had expired when this was captured");
		else if (nb && now < nb)
			wl_note(m, WL_WARN, "the certificate was not yet valid when this was captured");
		if (X509_NAME_cmp(X509_get_subject_name(c), X509_get_issuer_name(c)) == 0)
			wl_note(m, WL_INFO, "self-signed: trusted only by a client that already has this "
				"certificate (or its CA) in its trust store");
		if (x->s->sni[0] && X509_check_host(c, x->s->sni, 0, 0, NULL) != 1)
			wl_note(m, WL_WARN, "the certificate is not valid for %s, the name the client asked "
				"for: a man-in-the-middle, or a misconfigured server", x->s->sni);
		if (pk && EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA && bits < 2048)
			wl_note(m, WL_WARN, "RSA key of %d bits: too short", bits);
		wl_flow_fact(x->ctx, x->dir == WL_C2S ? "client certificate" : "certificate", "%s", subj);
	}
	cert_entry_free(&tmp);
}

static void hs_certificate(struct hs_ctx *x, struct wl_cur *b)
{
	struct wl_msg *m = x->m;
	int tls13 = x->s->tls13;
	if (x->encrypted)
		wl_note(m, WL_INFO, "Certificate (decrypted): the %s's chain, hidden from onlookers in "
			"TLS 1.3", side(x->dir));
	else
		wl_note(m, WL_INFO, "Certificate: the %s's chain; the certificate travels in the clear, "
			"anyone on the path can read it", side(x->dir));
	if (tls13) {
		uint8_t n = wl_u8(b);
		wl_f_uint(m, "tls.handshake.certificate_request_context_length", n);
		wl_skip(b, n);
	}
	uint32_t total = wl_be24(b);
	wl_f_uint(m, "tls.handshake.certificates_length", total);
	struct wl_cur l = wl_sub(b, total);
	unsigned idx = 0;
	char cn[256] = "";
	while (wl_left(&l)) {
		uint32_t n = wl_be24(&l);
		const uint8_t *der = wl_bytes(&l, n);
		if (!der)
			break;
		wl_f_uint(m, "tls.handshake.certificate_length", n);
		if (wl_opts(x->ctx)->verbose)
			wl_f_bytes(m, "tls.handshake.certificate", der, n);
		cert_one(x, der, n, idx++, cn, sizeof cn);
		if (tls13) {  /* each entry's own extensions (RFC 8446 4.4.2): OCSP, SCTs */
			struct hello h = { .hs = HS_CERTIFICATE, .verbose = (uint8_t)wl_opts(x->ctx)->verbose,
					   .sh = tls_shared(x->ctx) };
			if (wl_left(&l) < 2)
				wl_skip(&l, 2);   /* the length is not optional: cut short */
			else
				extensions(m, &h, &l);
		}
	}
	if (!wl_ok(&l) || !wl_ok(b))
		wl_note(m, WL_ERROR, "malformed: certificate list cut short (a length runs past the "
			"message)");
	if (idx)
		wl_msg_text(m, "Certificate %s%s (%u in chain)", cn[0] ? "" : "(unreadable)", cn, idx);
	else
		wl_msg_text(m, "Certificate (empty)");
	if (!idx && x->dir == WL_C2S)
		wl_note(m, WL_INFO, "the client has no certificate to send");
}

static int suite_has(uint16_t suite, const char *needle)
{
	const char *n = wl_tok(suites, suite, NULL);
	return n && strstr(n, needle);
}

/* A digitally-signed struct (RFC 5246 4.7, RFC 8446 4.4.3): from TLS 1.2 on
 * the algorithm first, then the signature behind a 16-bit length; len_name
 * and sig_name are the message's names for those two. Returns the
 * algorithm, or -1 when there is none (TLS 1.0/1.1) or it is cut off. */
static int signature(struct hs_ctx *x, struct wl_cur *b, const char *len_name, const char *sig_name)
{
	int alg = -1;
	if (x->s->version >= 0x0303) {
		uint16_t v = wl_be16(b);
		if (!wl_ok(b))
			return -1;
		sig_alg(x->m, v);
		alg = v;
	}
	uint16_t n = wl_be16(b);
	if (!wl_ok(b))
		return alg;
	wl_f_uint(x->m, len_name, n);
	const uint8_t *sig = wl_bytes(b, n);
	if (sig)
		wl_f_bytes(x->m, sig_name, sig, n);
	return alg;
}

static void hs_server_key_exchange(struct hs_ctx *x, struct wl_cur *b)
{
	struct wl_msg *m = x->m;
	uint16_t suite = x->s->suite;
	wl_note(m, WL_INFO, "ServerKeyExchange: the server's ephemeral key share, signed with its "
		"certificate's key: this is what gives forward secrecy");
	if (suite_has(suite, "ECDH")) {
		uint8_t ct = wl_u8(b);
		wl_f_hex(m, "tls.handshake.server_curve_type", ct);
		if (ct == 3) {
			uint16_t g = wl_be16(b);
			char gb[32];
			wl_f_hex(m, "tls.handshake.server_named_curve", g);
			if (wl_ok(b)) {
				wl_msg_text(m, "ServerKeyExchange %s", group_name(g, gb, sizeof gb));
				wl_flow_fact(x->ctx, "group", "%s", group_name(g, gb, sizeof gb));
			}
			uint8_t pl = wl_u8(b);
			const uint8_t *point = wl_bytes(b, pl);
			wl_f_uint(m, "tls.handshake.server_point_len", pl);
			if (point)
				wl_f_bytes(m, "tls.handshake.server_point", point, pl);
		} else {
			wl_msg_text(m, "ServerKeyExchange (curve type %u)", ct);
		}
	} else if (suite_has(suite, "DHE")) {
		uint16_t pl = wl_be16(b);
		wl_f_uint(m, "tls.handshake.p_len", pl);
		wl_skip(b, pl);
		wl_skip(b, wl_be16(b));
		wl_skip(b, wl_be16(b));
		if (wl_ok(b)) {
			wl_msg_text(m, "ServerKeyExchange DH %u bits", pl * 8u);
			if (pl * 8u < 2048)
				wl_note(m, WL_WARN, "a %u-bit Diffie-Hellman group is too small (Logjam)",
					pl * 8u);
		}
	} else {
		wl_msg_text(m, "ServerKeyExchange");
		return;
	}
	signature(x, b, "tls.handshake.sig_len", "tls.handshake.sig");
	if (!wl_ok(b))
		wl_note_cursor(m, b, "ServerKeyExchange");
}

static void hs_client_key_exchange(struct hs_ctx *x, struct wl_cur *b)
{
	struct wl_msg *m = x->m;
	uint16_t suite = x->s->suite;
	if (suite_has(suite, "ECDH")) {
		wl_note(m, WL_INFO, "ClientKeyExchange: the client's ephemeral key share; both sides now "
			"compute the same premaster secret, which never travels");
		uint8_t n = wl_u8(b);
		const uint8_t *point = wl_bytes(b, n);
		wl_f_uint(m, "tls.handshake.client_point_len", n);
		if (point)
			wl_f_bytes(m, "tls.handshake.client_point", point, n);
	} else if (suite_has(suite, "DHE")) {
		wl_note(m, WL_INFO, "ClientKeyExchange: the client's Diffie-Hellman public value");
		wl_skip(b, wl_be16(b));
	} else if (suite_has(suite, "TLS_RSA_")) {
		wl_note(m, WL_INFO, "ClientKeyExchange: the premaster secret, encrypted with the server's "
			"RSA public key from its certificate");
		uint16_t n = wl_be16(b);
		const uint8_t *epms = wl_bytes(b, n);
		wl_f_uint(m, "tls.handshake.epms_len", n);
		if (epms)
			wl_f_bytes(m, "tls.handshake.epms", epms, n);
		wl_note(m, WL_WARN, "no forward secrecy: the server's private key decrypts this session, "
			"today or years later");
	} else {
		wl_note(m, WL_INFO, "ClientKeyExchange: the client's half of the key exchange");
		wl_skip(b, wl_left(b));
	}
	wl_msg_text(m, "ClientKeyExchange");
	if (!wl_ok(b))
		wl_note_cursor(m, b, "ClientKeyExchange");
}

static void hs_new_session_ticket(struct hs_ctx *x, struct wl_cur *b)
{
	struct wl_msg *m = x->m;
	uint32_t life = wl_be32(b);
	wl_note(m, WL_INFO, "NewSessionTicket: a ticket the client can present later to resume without "
		"a full handshake");
	wl_f_uint(m, "tls.handshake.session_ticket_lifetime_hint", life);
	if (x->s->tls13) {
		uint32_t age_add = wl_be32(b);
		uint8_t nl = wl_u8(b);
		const uint8_t *nonce = wl_bytes(b, nl);
		if (nonce) {
			wl_f_uint(m, "tls.handshake.session_ticket_age_add", age_add);
			wl_f_uint(m, "tls.handshake.session_ticket_nonce_length", nl);
			wl_f_bytes(m, "tls.handshake.session_ticket_nonce", nonce, nl);
		}
	}
	uint16_t n = wl_be16(b);
	const uint8_t *ticket = wl_bytes(b, n);
	if (ticket) {
		wl_f_uint(m, "tls.handshake.session_ticket_length", n);
		wl_f_bytes(m, "tls.handshake.session_ticket", ticket, n);
	}
	if (x->s->tls13) {
		uint16_t el = wl_be16(b);
		if (wl_ok(b))
			wl_f_uint(m, "tls.handshake.extensions_length", el);
		wl_skip(b, el);
	}
	wl_msg_text(m, "NewSessionTicket lifetime %u s, %u bytes", life, n);
	if (!wl_ok(b))
		wl_note_cursor(m, b, "NewSessionTicket");
}

static void hs_encrypted_extensions(struct hs_ctx *x, struct wl_cur *b)
{
	struct hello h = { .hs = HS_ENCRYPTED_EXTENSIONS, .verbose = (uint8_t)wl_opts(x->ctx)->verbose };
	wl_note(x->m, WL_INFO, "EncryptedExtensions: the server's answers to the client's extensions "
		"that need no cleartext (ALPN, server_name acknowledgement, ...)");
	extensions(x->m, &h, b);
	if (h.alpn[0])
		wl_flow_fact(x->ctx, "alpn", "%s", h.alpn);
	wl_msg_text(x->m, "EncryptedExtensions%s%s", h.alpn[0] ? " ALPN " : "", h.alpn);
}

static void hs_certificate_verify(struct hs_ctx *x, struct wl_cur *b)
{
	wl_note(x->m, WL_INFO, "CertificateVerify: a signature over the handshake so far, made with the "
		"certificate's private key: proof that the %s owns the certificate", side(x->dir));
	int alg = signature(x, b, "tls.handshake.client_cert_vrfy.sig_len",
			    "tls.handshake.client_cert_vrfy.sig");
	if (alg >= 0)
		wl_msg_text(x->m, "CertificateVerify (signature 0x%04x)", (unsigned)alg);
	else
		wl_msg_text(x->m, "CertificateVerify");
	if (!wl_ok(b))
		wl_note_cursor(x->m, b, "CertificateVerify");
}

static void hs_finished(struct hs_ctx *x, struct wl_cur *b)
{
	wl_note(x->m, WL_INFO, "Finished: a MAC over the whole handshake with the new keys: proves that "
		"nobody tampered with the offers and that both sides hold the same keys");
	wl_msg_text(x->m, "Finished (%zu bytes of verify data)", wl_left(b));
	wl_skip(b, wl_left(b));
	if (x->s->tls13)
		x->s->d[x->dir].next_stage = 1;
}

static void hs_simple(struct hs_ctx *x, struct wl_cur *b, const char *text, const char *lesson)
{
	wl_note(x->m, WL_INFO, "%s", lesson);
	wl_msg_text(x->m, "%s", text);
	wl_skip(b, wl_left(b));
}

static void hs_server_hello_done(struct hs_ctx *x, struct wl_cur *b)
{
	hs_simple(x, b, "ServerHelloDone", "ServerHelloDone: the server has said all it has to say; the "
		  "client answers with its key exchange");
}

/* TLS 1.0-1.2 CertificateRequest (RFC 5246 7.4.4): the certificate types,
 * from 1.2 on the signature algorithms, and the CAs' names. */
static void cert_request_12(struct hs_ctx *x, struct wl_cur *b)
{
	struct wl_msg *m = x->m;
	uint8_t nt = wl_u8(b);
	if (!wl_ok(b))
		return;
	wl_f_uint(m, "tls.handshake.cert_types_count", nt);
	struct wl_cur types = wl_sub(b, nt);
	while (wl_left(&types))
		wl_f_uint(m, "tls.handshake.cert_type", wl_u8(&types));
	if (x->s->version >= 0x0303)
		sig_alg_list(m, b);
	uint16_t dl = wl_be16(b);
	if (!wl_ok(b))
		return;
	wl_f_uint(m, "tls.handshake.dnames_len", dl);
	struct wl_cur names = wl_sub(b, dl);
	while (wl_left(&names)) {
		uint16_t n = wl_be16(&names);
		wl_skip(&names, n);
		if (wl_ok(&names))
			wl_f_uint(m, "tls.handshake.dname_len", n);
	}
	if (!wl_ok(&names))
		wl_invalid(b);
}

static void hs_certificate_request(struct hs_ctx *x, struct wl_cur *b)
{
	struct wl_msg *m = x->m;
	wl_note(m, WL_INFO, "CertificateRequest: the server asks the client to authenticate with a "
		"certificate of its own (mutual TLS)");
	wl_msg_text(m, "CertificateRequest");
	if (x->s->tls13) {  /* a context and extensions (RFC 8446 4.3.2) */
		struct hello h = { .hs = HS_CERTIFICATE_REQUEST, .verbose = (uint8_t)wl_opts(x->ctx)->verbose };
		uint8_t n = wl_u8(b);
		wl_f_uint(m, "tls.handshake.certificate_request_context_length", n);
		wl_skip(b, n);
		extensions(m, &h, b);
	} else {
		cert_request_12(x, b);
	}
	if (!wl_ok(b))
		wl_note_cursor(m, b, "CertificateRequest");
}

static void hs_certificate_status(struct hs_ctx *x, struct wl_cur *b)
{
	wl_note(x->m, WL_INFO, "CertificateStatus: the server staples a recent OCSP answer that its "
		"certificate is not revoked");
	wl_msg_text(x->m, "CertificateStatus (OCSP)");
	cert_status(x->m, tls_shared(x->ctx), b, wl_opts(x->ctx)->verbose);
	if (!wl_ok(b))
		wl_note_cursor(x->m, b, "CertificateStatus");
}

static void hs_key_update(struct hs_ctx *x, struct wl_cur *b)
{
	uint8_t req = wl_u8(b);
	hs_simple(x, b, req ? "KeyUpdate (peer asked to update too)" : "KeyUpdate",
		  "KeyUpdate: from the next record on, this side encrypts with fresh keys");
	x->s->d[x->dir].key_update = 1;
}

static void hs_hello_request(struct hs_ctx *x, struct wl_cur *b)
{
	hs_simple(x, b, "HelloRequest", "HelloRequest: the server asks for a new handshake (renegotiation)");
}

static void hs_end_of_early_data(struct hs_ctx *x, struct wl_cur *b)
{
	hs_simple(x, b, "EndOfEarlyData", "EndOfEarlyData: the client's 0-RTT data ends here");
}

struct hs_kind {
	uint8_t type;
	void (*fn)(struct hs_ctx *x, struct wl_cur *b);
};

static const struct hs_kind hs_kinds[] = {
	{ HS_HELLO_REQUEST, hs_hello_request },
	{ HS_CLIENT_HELLO, hs_client_hello },
	{ HS_SERVER_HELLO, hs_server_hello },
	{ HS_NEW_SESSION_TICKET, hs_new_session_ticket },
	{ HS_END_OF_EARLY_DATA, hs_end_of_early_data },
	{ HS_ENCRYPTED_EXTENSIONS, hs_encrypted_extensions },
	{ HS_CERTIFICATE, hs_certificate },
	{ HS_SERVER_KEY_EXCHANGE, hs_server_key_exchange },
	{ HS_CERTIFICATE_REQUEST, hs_certificate_request },
	{ HS_SERVER_HELLO_DONE, hs_server_hello_done },
	{ HS_CERTIFICATE_VERIFY, hs_certificate_verify },
	{ HS_CLIENT_KEY_EXCHANGE, hs_client_key_exchange },
	{ HS_FINISHED, hs_finished },
	{ HS_CERTIFICATE_STATUS, hs_certificate_status },
	{ HS_KEY_UPDATE, hs_key_update },
};

static void hs_message(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r,
		       uint8_t type, uint32_t len, struct wl_cur body)
{
	const char *mt = wl_tok(hs_types, type, "handshake");
	if (type == HS_SERVER_HELLO) {
		struct wl_cur peek = wl_at(&body, 2, 32);
		const uint8_t *rnd = wl_bytes(&peek, 32);
		if (rnd && memcmp(rnd, hrr_random, 32) == 0)
			mt = "hello_retry_request";
	}
	struct hs_ctx x = { s, ctx, wl_msg_new(ctx, "tls", mt, dir), dir, r->decrypted };
	rec_fields(x.m, r);
	wl_f_uint(x.m, "tls.handshake.type", type);
	wl_f_uint(x.m, "tls.handshake.length", len);
	const struct hs_kind *k = NULL;
	for (size_t i = 0; i < sizeof hs_kinds / sizeof hs_kinds[0]; i++)
		if (hs_kinds[i].type == type)
			k = &hs_kinds[i];
	if (k) {
		k->fn(&x, &body);
	} else {
		const char *name = wl_tok(hs_names, type, NULL);
		if (name)
			wl_msg_text(x.m, "%s (%u bytes)", name, len);
		else
			wl_msg_text(x.m, "handshake message type %u (%u bytes)", type, len);
		wl_note(x.m, WL_INFO, "a handshake message wirelab does not decode further");
	}
	wl_msg_emit(ctx, x.m);
}

/* Feeds a record's handshake bytes: every message that completes is decoded;
 * the rest waits (capped) for the next record. */
static void hs_feed(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r,
		    struct wl_cur body)
{
	struct tls_dir *d = &s->d[dir];
	size_t n = wl_left(&body);
	int skipped = 0;
	if (d->hs_skip) {
		size_t k = n < d->hs_skip ? n : d->hs_skip;
		wl_skip(&body, k);
		d->hs_skip -= k;
		n -= k;
		skipped = 1;
	}
	const uint8_t *p = wl_bytes(&body, n);
	if (n) {
		uint8_t *nb = realloc(d->hs, d->hs_len + n);
		if (!nb)
			return;
		d->hs = nb;
		memcpy(d->hs + d->hs_len, p, n);
		d->hs_len += n;
	}
	struct wl_cur c = wl_cur_make(d->hs, d->hs_len);
	int whole = 0;
	while (wl_left(&c) >= 4) {
		struct wl_cur h = c;
		uint8_t type = wl_u8(&h);
		uint32_t len = wl_be24(&h);
		if (len > HS_CAP) {
			struct wl_msg *m = wl_msg_new(ctx, "tls", "handshake", dir);
			rec_fields(m, r);
			wl_f_uint(m, "tls.handshake.type", type);
			wl_f_uint(m, "tls.handshake.length", len);
			wl_msg_text(m, "%s of %u bytes (skipped)", wl_tok(hs_names, type, "handshake message"),
				    len);
			wl_note(m, WL_ERROR, "malformed: a handshake message of %u bytes is over wirelab's "
				"limit of %u; skipped", len, HS_CAP);
			size_t have = wl_left(&c);
			d->hs_skip = 4 + (size_t)len - have;
			wl_skip(&c, have);
			whole = 1;
			break;
		}
		if (wl_left(&h) < len)
			break;
		wl_skip(&c, 4);
		struct wl_cur msg = wl_sub(&c, len);
		hs_message(s, ctx, dir, r, type, len, msg);
		whole = 1;
	}
	size_t rest = wl_left(&c);
	if (rest && rest < d->hs_len)
		memmove(d->hs, d->hs + (d->hs_len - rest), rest);
	d->hs_len = rest;
	if (!rest) {
		free(d->hs);
		d->hs = NULL;
	}
	if (!whole) {
		struct wl_msg *m = wl_msg_new(ctx, "tls", "handshake_fragment", dir);
		rec_fields(m, r);
		if (skipped && !rest) {
			wl_msg_text(m, "Handshake record, %u bytes of the skipped message", r->len);
			wl_note(m, WL_INFO, "more of the over-long handshake message, skipped");
		} else if (!r->len) {
			wl_msg_text(m, "Handshake record, empty");
			wl_note(m, WL_ERROR, "malformed: an empty handshake record (RFC 8446 5.1 forbids "
				"them)");
		} else if (rest >= 4) {
			struct wl_cur h = wl_cur_make(d->hs, rest);
			uint8_t type = wl_u8(&h);
			uint32_t len = wl_be24(&h);
			wl_msg_text(m, "%s, part (%zu of %u bytes so far)",
				    wl_tok(hs_names, type, "handshake message"), rest - 4, len);
			wl_note(m, WL_INFO, "a handshake message larger than this record: it continues in the "
				"next record");
		} else {
			wl_msg_text(m, "Handshake fragment (%zu bytes)", rest);
			wl_note(m, WL_INFO, "a handshake message header split across records");
		}
		wl_msg_emit(ctx, m);
	}
}

/* ---- the other record types ---- */

static void rec_ccs(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r, struct wl_cur b)
{
	struct wl_msg *m = wl_msg_new(ctx, "tls", "change_cipher_spec", dir);
	rec_fields(m, r);
	wl_msg_text(m, "ChangeCipherSpec");
	if (s->tls13 || s->hrr_seen || (!s->version && s->offered13)) {
		wl_note(m, WL_INFO, "ChangeCipherSpec: a dummy in TLS 1.3, sent only so that middleboxes "
			"see a familiar handshake (RFC 8446 D.4); it changes nothing");
	} else {
		wl_note(m, WL_INFO, "ChangeCipherSpec: from here on the %s's records are encrypted with "
			"the keys just agreed", side(dir));
		s->d[dir].ccs = 1;
		s->d[dir].seq = 0;
		s->d[dir].key_tries = 0;
		tls_prot_free(s->d[dir].prot);
		s->d[dir].prot = NULL;
	}
	if (wl_left(&b) != 1 || wl_u8(&b) != 1)
		wl_note(m, WL_ERROR, "malformed: ChangeCipherSpec must be the single byte 1");
	wl_msg_emit(ctx, m);
}

static void rec_alert(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r, struct wl_cur b)
{
	struct wl_msg *m = wl_msg_new(ctx, "tls", "alert", dir);
	rec_fields(m, r);
	uint8_t level = wl_u8(&b), desc = wl_u8(&b);
	if (!wl_ok(&b)) {
		wl_msg_text(m, "Alert (cut short)");
		wl_note_cursor(m, &b, "alert");
		wl_msg_emit(ctx, m);
		return;
	}
	wl_f_uint(m, "tls.alert_message.level", level);
	wl_f_uint(m, "tls.alert_message.desc", desc);
	const char *dn = wl_tok(alerts, desc, "unknown");
	wl_msg_text(m, "Alert %s: %s", wl_tok(alert_levels, level, "level?"), dn);
	const char *lesson = wl_tok(alert_lessons, desc, NULL);
	int bad = level == 2 || desc != 0;
	if (lesson)
		wl_note(m, bad ? WL_WARN : WL_INFO, "%s%s", bad ? "the handshake stops here: " : "", lesson);
	else
		wl_note(m, bad ? WL_WARN : WL_INFO, "the %s sends a %s alert: %s", side(dir),
			wl_tok(alert_levels, level, "?"), dn);
	if (bad)
		wl_flow_fact(ctx, "alert", "%s %s from the %s", wl_tok(alert_levels, level, "?"), dn,
			     side(dir));
	if (wl_left(&b))
		wl_note(m, WL_ERROR, "malformed: %zu bytes after the alert", wl_left(&b));
	wl_msg_emit(ctx, m);
}

/* Mostly text (nine bytes in ten): worth a preview. */
static int printable(struct wl_cur t)
{
	size_t n = wl_left(&t), ok = 0;
	while (wl_left(&t)) {
		uint8_t b = wl_u8(&t);
		ok += (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t' || b >= 0x80 || b == 0;
	}
	return n && ok * 10 >= n * 9;
}

static void text_preview(struct wl_msg *m, struct wl_cur t, const char *prefix)
{
	char buf[200];
	size_t o = 0, n = wl_left(&t);
	for (size_t i = 0; i < n && o + 5 < 64; i++) {
		uint8_t c = wl_u8(&t);
		if (c == 0)
			o += (size_t)wl_snprintf(buf + o, sizeof buf - o, "\\0");
		else if (c == '\n' || c == '\r' || c == '\t')
			o += (size_t)wl_snprintf(buf + o, sizeof buf - o, "\\%c",
					      c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)wl_snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
	}
	buf[o] = '\0';
	wl_msg_text(m, "%s\"%s\"%s (%zu bytes)", prefix, buf, o + 5 >= 64 ? "..." : "", n);
}

/* The service a TLS-wrapped port carries (IANA: ftps 990, ldaps 636,
 * domain-s 853, msft-gc-ssl 3269), and ALPN names (RFC 7301 registry). */
static const char *inner_hint(const struct tls_st *s, struct wl_ctx *ctx)
{
	static const struct { const char *alpn, *proto; } alpn[] = {
		{ "dot", "dns" }, { "ftp", "ftp" }, { "smb", "smb" },
	};
	static const struct { uint16_t port; const char *proto; } wrapped[] = {
		{ 636, "ldap" }, { 853, "dns" }, { 990, "ftp" }, { 3269, "ldap" },
	};
	for (size_t i = 0; i < sizeof alpn / sizeof alpn[0]; i++)
		if (strcmp(s->alpn, alpn[i].alpn) == 0)
			return alpn[i].proto;
	for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++)
		if (wl_flow_port(ctx, WL_S2C) == wrapped[i].port)
			return wrapped[i].proto;
	return NULL;
}

/* The protocol inside this connection, chosen as for cleartext TCP. */
static struct wl_carried *inner_of(struct tls_st *s, struct wl_ctx *ctx)
{
	if (!s->inner_made) {
		s->inner_made = 1;
		s->inner = wl_carried_new(ctx, &wl_dissector_tls);
		wl_carried_hint(ctx, s->inner, inner_hint(s, ctx));
	}
	return s->inner;
}

static void rec_appdata(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r, struct wl_cur b)
{
	struct wl_carried *in = r->decrypted ? inner_of(s, ctx) : NULL;
	int taken = in && wl_carried_taken(ctx, in, dir, b);
	struct wl_msg *m = wl_msg_new(ctx, "tls", "application_data", dir);
	rec_fields(m, r);
	size_t n = wl_left(&b);
	struct wl_cur text = b;
	const uint8_t *p = wl_bytes(&b, n);
	if (taken && !s->inner_told) {
		s->inner_told = 1;
		wl_flow_fact(ctx, "inside", "%s (decrypted with the key log)", wl_carried_proto(in));
	}
	if (taken) {
		wl_msg_minor(m);  /* the inner protocol's messages show it */
		wl_note(m, WL_INFO, "application data (decrypted with the key log), handed to the %s "
			"dissector", wl_carried_proto(in));
	} else if (r->decrypted)
		wl_note(m, WL_INFO, "application data (decrypted with the key log): what the %s's "
			"application sent inside TLS", side(dir));
	else
		wl_note(m, WL_WARN, "application data in the clear: sent before any ChangeCipherSpec, "
			"so nothing protects it");
	if (p && !taken)  /* as tshark: data.data is what no dissector decoded */
		wl_f_bytes(m, "data.data", p, n);
	if (p && printable(text))
		text_preview(m, text, "");
	else
		wl_msg_text(m, "Application Data, %zu bytes (binary)", n);
	/* m stays open while the plaintext is dissected: a message it makes emits
	 * m (minor); if none does, the record holds part of one, and shows */
	if (in && !wl_carried_push(ctx, in, dir, text, s->d[dir].how) && taken) {
		wl_msg_shown(m);
		wl_note(m, WL_INFO, "part of a %s message: the rest comes in a later record, and the "
			"message is shown where it ends", wl_carried_proto(in));
	}
	wl_msg_emit(ctx, m);
}

static void rec_heartbeat(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r,
			  struct wl_cur b)
{
	struct wl_msg *m = wl_msg_new(ctx, "tls", "heartbeat", dir);
	rec_fields(m, r);
	wl_msg_text(m, "Heartbeat (%zu bytes)", wl_left(&b));
	wl_note(m, WL_INFO, "Heartbeat (RFC 6520): the extension whose missing length check was "
		"Heartbleed");
	wl_msg_emit(ctx, m);
}

/* A TLS 1.3 record of 2 + 1 + tag bytes (16; 8 for TLS_AES_128_CCM_8_SHA256)
 * after the handshake: the size of an alert and nothing else worth sending. */
static int opaque_alert_size(const struct tls_st *s, const struct rec *r)
{
	unsigned tag = s->suite == 0x1305 ? 8 : 16;
	return s->tls13 && r->opaque && r->len == 3 + tag && s->d[WL_C2S].opaque_seen +
	       s->d[WL_S2C].opaque_seen > 2;
}

/* A protected record wirelab cannot open: its size, and what it probably is. */
static void rec_opaque(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r,
		       struct wl_cur body, const char *why)
{
	struct tls_dir *d = &s->d[dir];
	const char *mt = "application_data", *what = "Application Data";
	if (!r->opaque && r->type == CT_HANDSHAKE) {
		mt = "encrypted_handshake";
		what = "Encrypted handshake message";
	} else if (!r->opaque && r->type == CT_ALERT) {
		mt = "encrypted_alert";
		what = "Encrypted Alert";
	}
	int alert = opaque_alert_size(s, r);
	struct wl_msg *m = wl_msg_new(ctx, "tls", mt, dir);
	rec_fields(m, r);
	size_t n = wl_left(&body);
	const uint8_t *cipher = wl_bytes(&body, n);
	if (cipher && r->type == CT_APPDATA && wl_opts(ctx)->verbose)  /* as tshark, the ciphertext */
		wl_f_bytes(m, "tls.app_data", cipher, n);
	if (alert) {
		wl_f_cstr(m, "wl.tls.inferred", "alert");
		wl_msg_text(m, "Encrypted Alert (inferred), %u bytes", r->len);
		wl_note(m, WL_INFO, "inferred from its size: %u bytes are exactly an alert (2 bytes), its "
			"hidden content type (1) and the %u-byte AEAD tag; TLS 1.3 hides alerts among "
			"application data, and one at the end of a session is most likely close_notify",
			r->len, r->len - 3u);
		if (why)
			wl_note(m, WL_INFO, "%s", why);
		wl_msg_emit(ctx, m);
		return;
	}
	wl_msg_text(m, "%s, %u bytes (encrypted)", what, r->len);
	if (!r->opaque && r->type == CT_HANDSHAKE)
		wl_note(m, WL_INFO, "the %s's Finished, encrypted with the new keys: it proves both sides "
			"derived the same keys from an untampered handshake", side(dir));
	else if (!r->opaque && r->type == CT_ALERT)
		wl_note(m, WL_INFO, "an encrypted alert, most likely close_notify: the %s ends the session",
			side(dir));
	else if (s->tls13 && d->opaque_seen == 1 && dir == WL_S2C)
		wl_note(m, WL_INFO, "encrypted (TLS 1.3): the rest of the server's handshake is in here; "
			"all records now claim to be application data (opaque type 23)");
	else if (s->tls13 && d->opaque_seen == 1)
		wl_note(m, WL_INFO, "encrypted (TLS 1.3): the client's Finished is in here");
	else if (!s->tls13 && !s->version)
		wl_note(m, WL_INFO, "0-RTT early data: encrypted before the handshake is done");
	else
		wl_note(m, WL_INFO, "encrypted application data: noise to anyone without the keys");
	if (why)
		wl_note(m, WL_INFO, "%s", why);
	wl_msg_emit(ctx, m);
}

/* ---- decryption ---- */

/* The key log lines the capture carries (pcapng DSBs), or NULL. */
static const uint8_t *capture_keylog(struct wl_ctx *ctx, size_t *len)
{
	const struct wl_opts *o = wl_opts(ctx);
	*len = 0;
	const uint8_t *text = o->keylog_blocks ? o->keylog_blocks(o->keylog_blocks_arg, len) : NULL;
	return text && *len ? text : NULL;
}

/* Whether any key log is given: a file (--keylog) or the capture's own. */
static int have_keylog(struct wl_ctx *ctx)
{
	size_t len;
	return wl_opts(ctx)->keylog || capture_keylog(ctx, &len);
}

/* The secret for (label, client random): the key log file's, else the capture's. */
static size_t keylog_find(struct wl_ctx *ctx, const char *label, const uint8_t crand[32],
			  uint8_t secret[TLS_MAX_SECRET])
{
	const char *path = wl_opts(ctx)->keylog;
	size_t n = path ? tls_keylog_find(path, label, crand, secret) : 0, len = 0;
	if (n)
		return n;
	const uint8_t *text = capture_keylog(ctx, &len);
	return text ? tls_keylog_find_mem(text, len, label, crand, secret) : 0;
}

/* Finds keys for this direction in the key log when there are none yet. */
static void keys_find(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir)
{
	struct tls_dir *d = &s->d[dir];
	if (d->prot || !have_keylog(ctx) || !s->have_crand || !s->version || d->key_tries >= KEY_TRIES)
		return;
	d->key_tries++;
	uint8_t secret[TLS_MAX_SECRET];
	size_t n;
	if (s->tls13) {
		const char *label = dir == WL_C2S
			? (d->stage ? "CLIENT_TRAFFIC_SECRET_0" : "CLIENT_HANDSHAKE_TRAFFIC_SECRET")
			: (d->stage ? "SERVER_TRAFFIC_SECRET_0" : "SERVER_HANDSHAKE_TRAFFIC_SECRET");
		n = keylog_find(ctx, label, s->crand, secret);
		if (n)
			d->prot = tls_prot_new13(s->suite, secret, n);
		wl_snprintf(d->how, sizeof d->how, "inside TLS: decrypted with the key log's %s", label);
	} else {
		n = keylog_find(ctx, "CLIENT_RANDOM", s->crand, secret);
		if (n && s->have_srand)
			d->prot = tls_prot_new12(s->suite, s->version, secret, n, s->crand, s->srand,
						 dir == WL_S2C, s->etm);
		wl_snprintf(d->how, sizeof d->how, "inside TLS: decrypted with keys from the key log's "
			 "CLIENT_RANDOM line (the master secret)");
	}
	OPENSSL_cleanse(secret, sizeof secret);
}

/* A record is protected when TLS 1.3 was chosen (type 23 only), when the
 * client sends 0-RTT data, or after this side's ChangeCipherSpec (<= 1.2). */
static int rec_protected(const struct tls_st *s, enum wl_dir dir, uint8_t type, uint8_t *opaque)
{
	*opaque = 0;
	if (type == CT_CCS)
		return 0;
	if (s->tls13 || (!s->version && s->early_data && dir == WL_C2S)) {
		*opaque = type == CT_APPDATA;
		return type == CT_APPDATA;
	}
	return s->d[dir].ccs;
}

static void rec_inner(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct rec *r,
		      uint8_t type, struct wl_cur body)
{
	switch (type) {
	case CT_CCS: rec_ccs(s, ctx, dir, r, body); break;
	case CT_ALERT: rec_alert(s, ctx, dir, r, body); break;
	case CT_HANDSHAKE: hs_feed(s, ctx, dir, r, body); break;
	case CT_APPDATA: rec_appdata(s, ctx, dir, r, body); break;
	case CT_HEARTBEAT: rec_heartbeat(s, ctx, dir, r, body); break;
	default: {
		struct wl_msg *m = wl_msg_new(ctx, "tls", "record", dir);
		rec_fields(m, r);
		wl_msg_text(m, "record of unknown type %u, %u bytes", type, r->len);
		wl_note(m, WL_ERROR, "malformed: unknown record type %u", type);
		wl_msg_emit(ctx, m);
	}
	}
}

/* After a record: key changes announced by the messages inside it. */
static void keys_advance(struct tls_st *s, enum wl_dir dir)
{
	struct tls_dir *d = &s->d[dir];
	if (d->next_stage && !d->stage) {
		d->stage = 1;
		d->seq = 0;
		d->key_tries = 0;
		tls_prot_free(d->prot);
		d->prot = NULL;
	}
	d->next_stage = 0;
	if (d->key_update) {
		d->key_update = 0;
		d->seq = 0;
		if (d->prot && tls_prot_update13(d->prot) != 0) {
			tls_prot_free(d->prot);
			d->prot = NULL;
			d->key_tries = KEY_TRIES;
		}
		d->updates++;
		wl_snprintf(d->how, sizeof d->how, "inside TLS: decrypted with %s_TRAFFIC_SECRET_0 of the "
			 "key log, updated %u time%s (KeyUpdate)", dir == WL_C2S ? "CLIENT" : "SERVER",
			 d->updates % 1000000u, d->updates > 1 ? "s" : "");
	}
}

static void record(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, const uint8_t *hdr,
		   struct wl_cur body)
{
	struct tls_dir *d = &s->d[dir];
	struct rec r = { .hdr = hdr, .type = hdr[0], .version = (uint16_t)(hdr[1] << 8 | hdr[2]),
			 .len = (uint16_t)(hdr[3] << 8 | hdr[4]) };
	if (!rec_protected(s, dir, r.type, &r.opaque)) {
		rec_inner(s, ctx, dir, &r, r.type, body);
		return;
	}
	d->opaque_seen++;
	keys_find(s, ctx, dir);
	if (!d->prot) {
		const char *why = NULL;
		if (!d->no_key_noted && have_keylog(ctx)) {
			d->no_key_noted = 1;
			why = "no key for this session and direction in the key log";
		}
		d->seq++;
		rec_opaque(s, ctx, dir, &r, body, why);
		return;
	}
	struct wl_cur whole = body;
	size_t n = wl_left(&body);
	const uint8_t *p = wl_bytes(&body, n);
	uint8_t *plain = malloc(n ? n : 1);
	if (!plain || !p)
		return;
	uint8_t inner = r.type;
	long pn = tls_prot_open(d->prot, d->seq, hdr, p, n, plain, &inner);
	/* after lost bytes the record count is unknown: try the next few */
	for (unsigned k = 1; pn < 0 && d->lost_records && k <= SEQ_SEARCH; k++)
		if ((pn = tls_prot_open(d->prot, d->seq + k, hdr, p, n, plain, &inner)) >= 0)
			d->seq += k;
	d->seq++;
	if (pn < 0 && d->lost_records) {
		rec_opaque(s, ctx, dir, &r, whole, "bytes were lost before this record, so its sequence number "
			   "(part of the nonce) is unknown: not decrypted");
	} else if (pn < 0) {
		rec_opaque(s, ctx, dir, &r, whole, "this record failed to authenticate with the key log's keys "
			   "(wrong key, or a tampered record)");
	} else {
		d->lost_records = 0;
		r.decrypted = 1;
		r.inner = inner;
		rec_inner(s, ctx, dir, &r, inner, wl_cur_make(plain, (size_t)pn));
		keys_advance(s, dir);
	}
	OPENSSL_cleanse(plain, n);
	free(plain);
}

/* ---- the stream ---- */

static int header_plausible(uint8_t type, uint8_t major, uint8_t minor)
{
	return type >= CT_CCS && type <= CT_HEARTBEAT && major == 3 && minor <= 4;
}

/* After lost bytes: the offset of the next plausible record header, or -1. */
static long resync(struct wl_cur c)
{
	for (size_t off = 0; wl_left(&c) >= 5; off++) {
		struct wl_cur h = c;
		uint8_t t = wl_u8(&h), ma = wl_u8(&h), mi = wl_u8(&h);
		uint16_t len = wl_be16(&h);
		if (header_plausible(t, ma, mi) && len <= REC_MAX)
			return (long)off;
		wl_skip(&c, 1);
	}
	return -1;
}

static size_t not_tls(struct tls_st *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	size_t n = wl_left(&c);
	struct wl_msg *m = wl_msg_new(ctx, "tls", "not_tls", dir);
	wl_msg_text(m, "%zu bytes that are not TLS records", n);
	if (!s->broken)
		wl_note(m, WL_ERROR, "malformed: not a TLS record header (type %d, version %02x%02x); "
			"the rest of this connection is not decoded", wl_peek(&c, 0),
			wl_peek(&c, 1) & 0xff, wl_peek(&c, 2) & 0xff);
	s->broken = 1;
	wl_msg_emit(ctx, m);
	return n;
}

static size_t tls_stream(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct tls_st *s = st;
	size_t used = 0;
	if (s->broken)
		return not_tls(s, ctx, dir, c);
	if (s->d[dir].lost) {
		long off = resync(c);
		if (off < 0) {
			size_t keep = wl_left(&c) < 4 ? wl_left(&c) : 4;
			return wl_left(&c) - keep;
		}
		wl_skip(&c, (size_t)off);
		used += (size_t)off;
		s->d[dir].lost = 0;
	}
	while (wl_left(&c) >= 5) {
		struct wl_cur h = c;
		uint8_t type = wl_u8(&h), major = wl_u8(&h), minor = wl_u8(&h);
		uint16_t len = wl_be16(&h);
		if (!header_plausible(type, major, minor))
			return used + not_tls(s, ctx, dir, c);
		if (wl_left(&h) < len)
			break;
		const uint8_t *hdr = wl_bytes(&c, 5);
		struct wl_cur body = wl_sub(&c, len);
		record(s, ctx, dir, hdr, body);
		used += 5u + len;
	}
	return used;
}

static void tls_gap(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct tls_st *s = st;
	struct tls_dir *d = &s->d[dir];
	d->lost = 1;
	free(d->hs);
	d->hs = NULL;
	d->hs_len = d->hs_skip = 0;
	/* the record count is lost with the bytes: the next decryption searches */
	wl_carried_gap(ctx, s->inner, dir, len);
	if (d->prot && tls_prot_seekable(d->prot)) {
		d->lost_records = 1;
	} else {
		tls_prot_free(d->prot);
		d->prot = NULL;
		d->key_tries = KEY_TRIES;
	}
}

static void *tls_open(struct wl_ctx *ctx)
{
	return calloc(1, sizeof(struct tls_st));
}

static void tls_close(void *st, struct wl_ctx *ctx)
{
	struct tls_st *s = st;
	wl_carried_free(ctx, s->inner);
	for (int i = 0; i < 2; i++) {
		free(s->d[i].hs);
		tls_prot_free(s->d[i].prot);
	}
	free(s);
}

/* A record header of a handshake carrying a ClientHello (or, seen from the
 * server, a ServerHello). */
static enum wl_probe tls_probe(struct wl_cur c, enum wl_dir dir)
{
	static const int want[6] = { CT_HANDSHAKE, 3, -1, -1, -1, -1 };
	for (size_t i = 0; i < 6; i++) {
		int b = wl_peek(&c, i);
		if (b < 0)
			return WL_PROBE_NEED_MORE;
		if (want[i] >= 0 && b != want[i])
			return WL_PROBE_NO;
		if (i == 2 && b > 4)
			return WL_PROBE_NO;
		if (i == 4 && ((wl_peek(&c, 3) << 8) | b) < 4)
			return WL_PROBE_NO;
		if (i == 5)
			return b == HS_CLIENT_HELLO || (b == HS_SERVER_HELLO && dir == WL_S2C)
				? WL_PROBE_YES : WL_PROBE_NO;
	}
	return WL_PROBE_NO;
}

static const uint16_t tls_tcp_ports[] = { 443, 465, 636, 993, 995, 8443, 0 };

static const struct wl_field_info tls_fields_verbose[] = {
	{ "tls.handshake.random_time", WL_FT_TIME, "hello random: its first 4 bytes as a time, below TLS 1.3" },
	{ "tls.handshake.random_bytes", WL_FT_BYTES, "hello random: its other 28 bytes, below TLS 1.3" },
	{ "tls.handshake.ja3_full", WL_FT_STR, "JA3 fingerprint of a ClientHello, as text" },
	{ "tls.handshake.ja3", WL_FT_STR, "JA3 fingerprint of a ClientHello, MD5" },
	{ "tls.handshake.ja3s_full", WL_FT_STR, "JA3S fingerprint of a ServerHello, as text" },
	{ "tls.handshake.ja3s", WL_FT_STR, "JA3S fingerprint of a ServerHello, MD5" },
	{ "tls.handshake.extension.data", WL_FT_BYTES, "an extension's bytes where tshark does not decode them" },
	{ "tls.handshake.certificate", WL_FT_BYTES, "a certificate's DER" },
	{ "tls.app_data", WL_FT_BYTES, "a protected application data record's ciphertext" },
	{ "x509af.version", WL_FT_INT, "certificate version: 2 is v3 (-v)" },
	{ "x509af.algorithm.id", WL_FT_STR, "an AlgorithmIdentifier's OID: TBS signature, key, signature (-v)" },
	{ "x509af.issuer", WL_FT_UINT, "issuer Name's CHOICE: 0 rdnSequence (-v)" },
	{ "x509if.rdnSequence", WL_FT_UINT, "issuer (or other Name): number of RDNs (-v)" },
	{ "x509if.RDNSequence_item", WL_FT_UINT, "one RDN's number of attributes (-v)" },
	{ "x509if.oid", WL_FT_STR, "an RDN attribute's type OID (-v)" },
	{ "x509sat.DirectoryString", WL_FT_UINT, "DirectoryString CHOICE: 1 printable, 4 UTF-8 (-v)" },
	{ "x509sat.printableString", WL_FT_STR, "a DirectoryString's PrintableString (-v)" },
	{ "x509sat.uTF8String", WL_FT_STR, "a DirectoryString's UTF8String (-v)" },
	{ "x509sat.CountryName", WL_FT_STR, "countryName attribute (-v)" },
	{ "x509sat.PrintableString", WL_FT_STR, "serialNumber/dnQualifier attribute (-v)" },
	{ "x509af.notBefore", WL_FT_UINT, "notBefore's CHOICE: 0 UTCTime, 1 GeneralizedTime (-v)" },
	{ "x509af.notAfter", WL_FT_UINT, "notAfter's CHOICE: 0 UTCTime, 1 GeneralizedTime (-v)" },
	{ "x509af.utcTime", WL_FT_STR, "a validity UTCTime as tshark writes it (-v)" },
	{ "x509af.subject", WL_FT_UINT, "subject Name's CHOICE: 0 rdnSequence (-v)" },
	{ "x509af.rdnSequence", WL_FT_UINT, "subject: number of RDNs (-v)" },
	{ "x509af.subjectPublicKey", WL_FT_BYTES, "the public key BIT STRING (-v)" },
	{ "x509af.extensions", WL_FT_UINT, "number of extensions (-v)" },
	{ "x509af.extension.id", WL_FT_STR, "an extension's OID (-v)" },
	{ "x509af.critical", WL_FT_BOOL, "the extension is critical (-v)" },
	{ "x509af.encrypted", WL_FT_BYTES, "the certificate's signature (-v)" },
	{ "x509ce.SubjectKeyIdentifier", WL_FT_BYTES, "subjectKeyIdentifier (-v)" },
	{ "x509ce.keyIdentifier", WL_FT_BYTES, "authorityKeyIdentifier's keyIdentifier (-v)" },
	{ "x509ce.authorityCertIssuer", WL_FT_UINT, "authorityKeyIdentifier: number of issuer names (-v)" },
	{ "x509ce.authorityCertSerialNumber", WL_FT_BYTES, "authorityKeyIdentifier's issuer serial (-v)" },
	{ "x509ce.KeyUsage", WL_FT_BYTES, "keyUsage bits' bytes (-v)" },
	{ "x509ce.KeyUsage.digitalSignature", WL_FT_BOOL, "keyUsage bit digitalSignature (-v)" },
	{ "x509ce.KeyUsage.contentCommitment", WL_FT_BOOL, "keyUsage bit contentCommitment (-v)" },
	{ "x509ce.KeyUsage.keyEncipherment", WL_FT_BOOL, "keyUsage bit keyEncipherment (-v)" },
	{ "x509ce.KeyUsage.dataEncipherment", WL_FT_BOOL, "keyUsage bit dataEncipherment (-v)" },
	{ "x509ce.KeyUsage.keyAgreement", WL_FT_BOOL, "keyUsage bit keyAgreement (-v)" },
	{ "x509ce.KeyUsage.keyCertSign", WL_FT_BOOL, "keyUsage bit keyCertSign (-v)" },
	{ "x509ce.KeyUsage.cRLSign", WL_FT_BOOL, "keyUsage bit cRLSign (-v)" },
	{ "x509ce.KeyUsage.encipherOnly", WL_FT_BOOL, "keyUsage bit encipherOnly (-v)" },
	{ "x509ce.KeyUsage.decipherOnly", WL_FT_BOOL, "keyUsage bit decipherOnly (-v)" },
	{ "x509ce.cA", WL_FT_BOOL, "basicConstraints: a CA (-v)" },
	{ "x509ce.pathLenConstraint", WL_FT_UINT, "basicConstraints: the path length limit (-v)" },
	{ "x509ce.KeyPurposeIDs", WL_FT_UINT, "extKeyUsage: number of purposes (-v)" },
	{ "x509ce.KeyPurposeId", WL_FT_STR, "extKeyUsage: a purpose's OID (-v)" },
	{ "x509ce.GeneralNames", WL_FT_UINT, "subject/issuerAltName: number of names (-v)" },
	{ "x509ce.GeneralName", WL_FT_UINT, "a GeneralName's CHOICE: 1 rfc822, 2 DNS, 4 directory, 6 URI, 7 IP (-v)" },
	{ "x509ce.rfc822Name", WL_FT_STR, "GeneralName: an e-mail address (-v)" },
	{ "x509ce.uniformResourceIdentifier", WL_FT_STR, "GeneralName: a URI (-v)" },
	{ "x509ce.registeredID", WL_FT_STR, "GeneralName: a registered OID (-v)" },
	{ "x509ce.directoryName", WL_FT_UINT, "GeneralName: a directory Name's CHOICE (-v)" },
	{ "x509ce.CertificatePoliciesSyntax", WL_FT_UINT, "certificatePolicies: number of policies (-v)" },
	{ "x509ce.policyIdentifier", WL_FT_STR, "a certificate policy's OID (-v)" },
	{ "x509ce.policyQualifiers", WL_FT_UINT, "a policy's number of qualifiers (-v)" },
	{ "x509ce.id", WL_FT_STR, "a policy qualifier's OID (-v)" },
	{ "x509ce.CRLDistPointsSyntax", WL_FT_UINT, "cRLDistributionPoints: number of points (-v)" },
	{ "x509ce.distributionPoint", WL_FT_UINT, "DistributionPointName CHOICE: 0 fullName (-v)" },
	{ "x509ce.fullName", WL_FT_UINT, "a distribution point's number of names (-v)" },
	{ "x509ce.cRLIssuer", WL_FT_UINT, "a distribution point's number of CRL issuer names (-v)" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info tls_fields[] = {
	{ "tls.record.content_type", WL_FT_UINT, "record type: 20 CCS, 21 alert, 22 handshake, 23 data" },
	{ "tls.record.opaque_type", WL_FT_UINT, "TLS 1.3 protected record: always 23" },
	{ "tls.record.version", WL_FT_HEX, "record layer version" },
	{ "tls.record.length", WL_FT_UINT, "record fragment length" },
	{ "tls.handshake.type", WL_FT_UINT, "handshake message type" },
	{ "tls.handshake.length", WL_FT_UINT, "handshake message length" },
	{ "tls.handshake.version", WL_FT_HEX, "hello legacy version" },
	{ "tls.handshake.random", WL_FT_BYTES, "hello random" },
	{ "wl.tls.inferred", WL_FT_STR, "what an undecrypted record most likely is, from its size (alert)" },
	{ "wl.tls.downgrade_sentinel", WL_FT_STR, "the ServerHello random ends with DOWNGRD: a TLS 1.3 server negotiated this older version" },
	{ "tls.handshake.session_id_length", WL_FT_UINT, "session ID length" },
	{ "tls.handshake.session_id", WL_FT_BYTES, "session ID" },
	{ "tls.handshake.cipher_suites_length", WL_FT_UINT, "cipher suites length" },
	{ "tls.handshake.ciphersuite", WL_FT_HEX, "cipher suite offered or chosen" },
	{ "tls.handshake.comp_methods_length", WL_FT_UINT, "compression methods length" },
	{ "tls.handshake.comp_method", WL_FT_UINT, "compression method" },
	{ "tls.handshake.extensions_length", WL_FT_UINT, "extensions length" },
	{ "tls.handshake.extension.type", WL_FT_UINT, "extension type" },
	{ "tls.handshake.extension.len", WL_FT_UINT, "extension length" },
	{ "tls.handshake.extensions_server_name_list_len", WL_FT_UINT, "SNI list length" },
	{ "tls.handshake.extensions_server_name_type", WL_FT_UINT, "SNI name type: 0 host name" },
	{ "tls.handshake.extensions_server_name_len", WL_FT_UINT, "SNI name length" },
	{ "tls.handshake.extensions_server_name", WL_FT_STR, "SNI host name" },
	{ "tls.handshake.extensions_status_request_type", WL_FT_UINT, "certificate status type: 1 OCSP, 2 OCSP multi" },
	{ "tls.handshake.extensions_status_request_responder_ids_len", WL_FT_UINT, "OCSP request: responder IDs length" },
	{ "tls.handshake.extensions_status_request_exts_len", WL_FT_UINT, "OCSP request: extensions length" },
	{ "tls.handshake.extensions_status_request_list_len", WL_FT_UINT, "status_request_v2: request list length" },
	{ "tls.handshake.extensions_status_request_len", WL_FT_UINT, "status_request_v2: one request's length" },
	{ "tls.handshake.ocsp_response_len", WL_FT_UINT, "stapled OCSP response length" },
	{ "tls.handshake.ocsp_response_list_len", WL_FT_UINT, "stapled OCSP response list length (OCSP multi)" },
	{ "tls.handshake.extensions_supported_groups_length", WL_FT_UINT, "supported groups length" },
	{ "tls.handshake.extensions_supported_group", WL_FT_HEX, "supported group" },
	{ "tls.handshake.extensions_ec_point_formats_length", WL_FT_UINT, "EC point formats length" },
	{ "tls.handshake.extensions_ec_point_format", WL_FT_UINT, "EC point format" },
	{ "tls.handshake.sig_hash_alg", WL_FT_HEX, "signature algorithm" },
	{ "tls.handshake.sig_hash_hash", WL_FT_UINT, "signature algorithm: its first byte (TLS 1.2 hash)" },
	{ "tls.handshake.sig_hash_sig", WL_FT_UINT, "signature algorithm: its second byte (TLS 1.2 signature)" },
	{ "tls.handshake.sig_hash_alg_len", WL_FT_UINT, "signature algorithm list length" },
	{ "tls.handshake.sig_len", WL_FT_UINT, "ServerKeyExchange signature length" },
	{ "tls.handshake.sig", WL_FT_BYTES, "ServerKeyExchange signature" },
	{ "tls.handshake.client_cert_vrfy.sig_len", WL_FT_UINT, "CertificateVerify signature length" },
	{ "tls.handshake.client_cert_vrfy.sig", WL_FT_BYTES, "CertificateVerify signature" },
	{ "tls.handshake.cert_types_count", WL_FT_UINT, "CertificateRequest: number of certificate types" },
	{ "tls.handshake.cert_type", WL_FT_UINT, "CertificateRequest: a certificate type" },
	{ "tls.handshake.dnames_len", WL_FT_UINT, "CertificateRequest: CA names length" },
	{ "tls.handshake.dname_len", WL_FT_UINT, "CertificateRequest: one CA name's length" },
	{ "tls.handshake.extensions_alpn_len", WL_FT_UINT, "ALPN list length" },
	{ "tls.handshake.extensions_alpn_str_len", WL_FT_UINT, "ALPN protocol length" },
	{ "tls.handshake.extensions_alpn_str", WL_FT_STR, "ALPN protocol" },
	{ "tls.handshake.extensions.psk.identity.selected", WL_FT_UINT, "PSK identity chosen" },
	{ "tls.handshake.extensions.psk.identity.identity_length", WL_FT_UINT, "PSK identity length" },
	{ "tls.handshake.extensions.supported_versions_len", WL_FT_UINT, "supported versions length" },
	{ "tls.handshake.extensions.supported_version", WL_FT_HEX, "supported / chosen version" },
	{ "tls.handshake.extensions.cookie_len", WL_FT_UINT, "HRR cookie length" },
	{ "tls.extension.psk_ke_modes_length", WL_FT_UINT, "PSK key exchange modes length" },
	{ "tls.extension.psk_ke_mode", WL_FT_UINT, "PSK key exchange mode" },
	{ "tls.handshake.extensions_key_share_client_length", WL_FT_UINT, "ClientHello key shares length" },
	{ "tls.handshake.extensions_key_share_group", WL_FT_UINT, "key share group" },
	{ "tls.handshake.extensions_key_share_key_exchange_length", WL_FT_UINT, "key share: key length" },
	{ "tls.handshake.extensions_key_share_key_exchange", WL_FT_BYTES, "key share: the public key" },
	{ "tls.handshake.extensions_key_share_selected_group", WL_FT_UINT, "HelloRetryRequest: the group asked for" },
	{ "tls.handshake.extensions_reneg_info_len", WL_FT_UINT, "renegotiation_info length" },
	{ "tls.handshake.certificate_request_context_length", WL_FT_UINT, "TLS 1.3 certificate context" },
	{ "tls.handshake.certificates_length", WL_FT_UINT, "certificate list length" },
	{ "tls.handshake.certificate_length", WL_FT_UINT, "one certificate's length" },
	{ "tls.handshake.session_ticket_age_add", WL_FT_UINT, "TLS 1.3 ticket age add" },
	{ "tls.handshake.session_ticket_nonce_length", WL_FT_UINT, "TLS 1.3 ticket nonce length" },
	{ "tls.handshake.session_ticket_nonce", WL_FT_BYTES, "TLS 1.3 ticket nonce" },
	{ "tls.handshake.session_ticket", WL_FT_BYTES, "session ticket" },
	{ "tls.handshake.server_curve_type", WL_FT_HEX, "ServerKeyExchange curve type" },
	{ "tls.handshake.server_named_curve", WL_FT_HEX, "ServerKeyExchange named curve" },
	{ "tls.handshake.server_point_len", WL_FT_UINT, "server EC point length" },
	{ "tls.handshake.server_point", WL_FT_BYTES, "server EC point: its ephemeral public key" },
	{ "tls.handshake.p_len", WL_FT_UINT, "DH prime length" },
	{ "tls.handshake.client_point_len", WL_FT_UINT, "client EC point length" },
	{ "tls.handshake.client_point", WL_FT_BYTES, "client EC point: its ephemeral public key" },
	{ "tls.handshake.epms_len", WL_FT_UINT, "RSA-encrypted premaster length" },
	{ "tls.handshake.epms", WL_FT_BYTES, "RSA-encrypted premaster secret" },
	{ "tls.handshake.session_ticket_lifetime_hint", WL_FT_UINT, "ticket lifetime, seconds" },
	{ "tls.handshake.session_ticket_length", WL_FT_UINT, "ticket length" },
	{ "tls.alert_message.level", WL_FT_UINT, "alert level: 1 warning, 2 fatal" },
	{ "tls.alert_message.desc", WL_FT_UINT, "alert description" },
	{ "data.data", WL_FT_BYTES, "decrypted application data" },
	{ "wl.tls.version", WL_FT_STR, "the negotiated version, by name" },
	{ "wl.tls.cipher", WL_FT_STR, "the negotiated cipher suite, by IANA name" },
	{ "wl.tls.cert.subject", WL_FT_STR, "certificate subject (RFC 2253)" },
	{ "wl.tls.cert.issuer", WL_FT_STR, "certificate issuer (RFC 2253)" },
	{ "wl.tls.cert.not_before", WL_FT_TIME, "certificate valid from" },
	{ "wl.tls.cert.not_after", WL_FT_TIME, "certificate valid until" },
	{ "x509af.serialNumber", WL_FT_BYTES, "certificate serial number" },
	{ "tls.sct.scts_length", WL_FT_UINT, "SCT list length" },
	{ "tls.sct.sct_length", WL_FT_UINT, "one SCT's length" },
	{ "tls.sct.sct_version", WL_FT_UINT, "SCT version: 0 is v1" },
	{ "tls.sct.sct_logid", WL_FT_BYTES, "SCT: SHA-256 of the log's public key" },
	{ "tls.sct.sct_timestamp", WL_FT_TIME, "SCT: when the log saw the certificate" },
	{ "tls.sct.sct_extensions_length", WL_FT_UINT, "SCT extensions length" },
	{ "tls.sct.sct_signature_length", WL_FT_UINT, "SCT signature length" },
	{ "tls.sct.sct_signature", WL_FT_BYTES, "SCT: the log's signature" },
	{ "x509ce.dNSName", WL_FT_STR, "subjectAltName: a DNS name" },
	{ "x509ce.IPAddress.ipv4", WL_FT_IPV4, "subjectAltName: an IPv4 address" },
	{ "x509ce.IPAddress.ipv6", WL_FT_IPV6, "subjectAltName: an IPv6 address" },
	{ "wl.tls.cert.key", WL_FT_STR, "public key type and size" },
	{ "wl.tls.cert.sig_alg", WL_FT_STR, "certificate signature algorithm" },
	{ NULL, 0, NULL },
};

const struct wl_dissector wl_dissector_tls = {
	.name = "tls",
	.desc = "TLS 1.0-1.3 records and handshake, decrypted with a key log",
	.tcp_ports = tls_tcp_ports,
	.probe = tls_probe,
	.open = tls_open,
	.stream = tls_stream,
	.gap = tls_gap,
	.close = tls_close,
	.fields = tls_fields,
	.fields_verbose = tls_fields_verbose,
};
