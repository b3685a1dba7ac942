/* ssh.c - SSH 2 transport: version strings, the binary packets sent in clear,
 * KEXINIT and the negotiated algorithms, the key exchange, NEWKEYS, and the
 * encrypted rest counted per direction.
 *
 * RFC 4253 (transport: §4.2 version string, §6 binary packet, §7 key
 * exchange), RFC 4250 (numbers), RFC 4419 (DH group exchange), RFC 5656
 * (ECDH), RFC 8731 (curve25519/curve448), RFC 4432 (RSA key exchange),
 * RFC 8308 (ext-info), RFC 8332 (rsa-sha2-*), OpenSSH PROTOCOL (strict KEX,
 * the Terrapin countermeasure; sntrup761x25519-sha512), draft-ietf-sshm-mlkem-
 * hybrid-kex (mlkem768x25519-sha256), HASSH (salesforce/hassh).
 *
 *   version string:  "SSH-" protoversion "-" softwareversion [SP comments] CR LF
 *                    (a server may send other lines first; 255 bytes at most)
 *
 *   binary packet, RFC 4253 §6 (in clear until NEWKEYS):
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                         packet_length                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | padding_length|  message code |  payload ...                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 *   |        ... random padding (padding_length >= 4 bytes)         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              mac (empty before the first NEWKEYS)             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *   KEXINIT (code 20): byte[16] cookie, ten name-lists (uint32 length, then
 *   comma-separated names: kex, host key, cipher c2s/s2c, mac c2s/s2c,
 *   compression c2s/s2c, language c2s/s2c), boolean first_kex_packet_follows,
 *   uint32 reserved.
 *
 * After NEWKEYS a direction is encrypted. With chacha20-poly1305 or a MAC
 * computed over the plaintext even packet_length is encrypted, so packets
 * cannot be framed: each TCP delivery becomes one "encrypted" message. With
 * AES-GCM or an encrypt-then-MAC MAC the length stays in clear and packets
 * are counted exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "wl.h"

#define SSH_LINE_MAX 8192        /* a line without LF this long is not SSH */
#define SSH_BANNER_MAX 255       /* RFC 4253 §4.2, CR LF included */
#define SSH_PKT_MAX (256u << 10) /* OpenSSH's PACKET_MAX_SIZE */
#define SSH_LIST_KEEP 2048       /* bytes of each name-list kept until NEWKEYS */
#define SSH_ALG_MAX 96

enum ssh_phase { PH_BANNER, PH_PACKETS, PH_ENCRYPTED, PH_OPAQUE };

enum { NL_KEX, NL_HOSTKEY, NL_ENC_CS, NL_ENC_SC, NL_MAC_CS, NL_MAC_SC, NL_COMP_CS,
       NL_COMP_SC, NL_LANG_CS, NL_LANG_SC, NL_N };

static const char *const nl_field[NL_N] = {
	"ssh.kex_algorithms", "ssh.server_host_key_algorithms",
	"ssh.encryption_algorithms_client_to_server", "ssh.encryption_algorithms_server_to_client",
	"ssh.mac_algorithms_client_to_server", "ssh.mac_algorithms_server_to_client",
	"ssh.compression_algorithms_client_to_server", "ssh.compression_algorithms_server_to_client",
	"ssh.languages_client_to_server", "ssh.languages_server_to_client",
};

static const char *const nl_len_field[NL_N] = {
	"ssh.kex_algorithms_length", "ssh.server_host_key_algorithms_length",
	"ssh.encryption_algorithms_client_to_server_length",
	"ssh.encryption_algorithms_server_to_client_length",
	"ssh.mac_algorithms_client_to_server_length", "ssh.mac_algorithms_server_to_client_length",
	"ssh.compression_algorithms_client_to_server_length",
	"ssh.compression_algorithms_server_to_client_length",
	"ssh.languages_client_to_server_length", "ssh.languages_server_to_client_length",
};

static const char *const nl_what[NL_N] = {
	"kex", "host key", "cipher c2s", "cipher s2c", "mac c2s", "mac s2c",
	"compression c2s", "compression s2c", "language c2s", "language s2c",
};

/* The negotiated algorithms, indexed like the name-lists (languages left out). */
enum { NEG_N = NL_LANG_CS };

static const char *const neg_field[NEG_N] = {
	"wl.ssh.kex", "wl.ssh.host_key_algorithm", "wl.ssh.cipher_c2s", "wl.ssh.cipher_s2c",
	"wl.ssh.mac_c2s", "wl.ssh.mac_s2c", "wl.ssh.compression_c2s", "wl.ssh.compression_s2c",
};

enum kexfam { KF_UNKNOWN, KF_DH, KF_GEX, KF_ECDH, KF_HYBRID, KF_RSA };

/* tshark 4.0's own sequence numbers of the packets in clear (ssh.seq_num):
 * a counter per side and a slot per message kind, each set once. Its rules
 * differ by key-exchange family and do not always give RFC 4253's numbers
 * (a DH/GEX init or reply counts one too many); they are followed so that
 * the field agrees. */
enum { TSQ_KEXINIT, TSQ_NEWKEYS, TSQ_DH_INIT, TSQ_DH_REPLY, TSQ_GEX_REQ, TSQ_GEX_GRP,
       TSQ_GEX_INIT, TSQ_GEX_REPLY, TSQ_ECDH_INIT, TSQ_ECDH_REPLY, TSQ_N };

struct ts_seq {
	uint32_t next;
	uint32_t slot[TSQ_N];
	uint64_t kexinit_frame;
};

struct ssh_half {
	enum ssh_phase ph;
	uint8_t seen_version;
	uint8_t kexinit;            /* a KEXINIT was seen from this side */
	uint8_t guess;              /* its first_kex_packet_follows */
	uint8_t ignore_next;        /* a wrong guess: the next KEX packet is void */
	uint64_t guess_frame;       /* where the guessed KEX packet was, if already sent */
	uint8_t opaque_noted;
	uint8_t framed;             /* encrypted, but packet_length in clear */
	uint32_t maclen, block;     /* for framed encrypted packets */
	uint64_t enc_left;          /* bytes of the current framed packet still to come */
	char *nl[NL_N];             /* this side's name-lists (first SSH_LIST_KEEP bytes) */
	uint32_t clear_pkts;
	uint64_t enc_msgs, enc_bytes, enc_pkts;
	uint64_t opaque_bytes;
	uint64_t newkeys_frame;
	size_t want, have;          /* an unfinished unit at the end of the stream */
	/* What tshark 4.0 shows of this side, to name the same fields on the
	 * same frames (its ssh.direction, ssh.seq_num and encrypted view). */
	uint64_t dir_frame;         /* the frame that has its ssh.direction */
	struct ts_seq seq;          /* tshark's ssh.seq_num bookkeeping */
	uint8_t ts_cipher;          /* tshark sets up a cipher here (and shows nothing) */
	uint8_t ts_len_plain;       /* tshark's length_is_plaintext */
	int32_t ts_maclen;          /* tshark's mac_length, -1 unknown */
};

struct ssh_st {
	struct ssh_half h[2];
	enum wl_dir client;         /* the SSH client's side (reverse SSH swaps it) */
	uint8_t negotiated, roles_swapped, strict, ext_info;
	enum kexfam fam;
	char neg[NEG_N][SSH_ALG_MAX];
	/* tshark's view: the version is known from the TCP client's banner only;
	 * ciphers and MACs are chosen at the key-exchange reply (not for GEX). */
	uint8_t ts_version;
	uint8_t ts_chosen;
	/* During one stream call: may this frame have ssh.direction (tshark adds
	 * it unless the segment ends inside a PDU), and the bytes tshark shows as
	 * one encrypted packet (to the end of the segment), still to be named. */
	uint8_t call_dir_ok;
	uint8_t enc_pending;
	struct wl_cur enc_bytes;
	int32_t enc_maclen;
	uint8_t enc_len_plain;
};

static const char *who(const struct ssh_st *st, enum wl_dir dir)
{
	return dir == st->client ? "client" : "server";
}

/* ---- small helpers ---- */

/* 1 if the bytes of c are text (line ends and tabs allowed). */
static int is_text(struct wl_cur c)
{
	return wl_is_text(&c, wl_left(&c), "\t\r\n");
}

static int str_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "SHA256:" + base64 without padding, as ssh-keygen -l prints it. */
static void fingerprint(const uint8_t *blob, size_t n, char *out, size_t outsz)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
	out[0] = '\0';
	if (!EVP_Digest(blob, n, md, &mdlen, EVP_sha256(), NULL))
		return;
	int k = EVP_EncodeBlock(b64, md, (int)mdlen);
	while (k > 0 && b64[k - 1] == '=')
		b64[--k] = '\0';
	wl_snprintf(out, outsz, "SHA256:%.56s", (const char *)b64);
}

static void md5_hex(const char *s, size_t n, char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	out[0] = '\0';
	if (!EVP_Digest(s, n, md, &mdlen, EVP_md5(), NULL))
		return;
	/* two table lookups a byte: a snprintf each was most of a KEXINIT's cost */
	static const char hex[] = "0123456789abcdef";
	unsigned i;
	for (i = 0; i < mdlen && i < 16; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * i] = '\0';
}

/* Bit length of an unsigned big-endian number. */
static unsigned bits_of(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] == 0)
		i++;
	if (i == n)
		return 0;
	unsigned b = (unsigned)(n - i - 1) * 8;
	for (uint8_t v = p[i]; v; v >>= 1)
		b++;
	return b;
}

/* An SSH string (uint32 length + bytes) as a sub-cursor; *len gets the length. */
static struct wl_cur take_string(struct wl_cur *c, uint32_t *len)
{
	uint32_t n = wl_be32(c);
	if (len)
		*len = n;
	if (!wl_ok(c))
		return wl_sub(c, 0);
	if (n > wl_left(c)) {
		wl_invalid(c);  /* a length that runs past its packet */
		return wl_sub(c, 0);
	}
	return wl_sub(c, n);
}

/* All the bytes of a sub-cursor (a string from take_string()), through the cursor. */
static const uint8_t *all_bytes(struct wl_cur s)
{
	return wl_bytes(&s, wl_left(&s));
}

/* ---- name-lists ---- */

/* Calls back with each name of a comma-separated list (empty names too). */
struct nl_iter {
	const char *p, *end;
	int done;
};

static struct nl_iter nl_begin(const char *s)
{
	struct nl_iter it = { s, s ? s + strlen(s) : s, s == NULL };
	return it;
}

static int nl_next(struct nl_iter *it, const char **name, size_t *len)
{
	if (it->done)
		return 0;
	const char *comma = memchr(it->p, ',', (size_t)(it->end - it->p));
	*name = it->p;
	if (comma) {
		*len = (size_t)(comma - it->p);
		it->p = comma + 1;
	} else {
		*len = (size_t)(it->end - it->p);
		it->done = 1;
	}
	return 1;
}

static int nl_has(const char *list, const char *name, size_t len)
{
	struct nl_iter it = nl_begin(list);
	const char *n;
	size_t k;
	while (nl_next(&it, &n, &k))
		if (k == len && len && memcmp(n, name, len) == 0)
			return 1;
	return 0;
}

/* Names in a kex list that are signals, not algorithms: never negotiated. */
static int is_pseudo(const char *name, size_t len)
{
	static const char *const prefixes[] = { "ext-info-", "kex-strict-", "kexguess2@" };
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		size_t k = strlen(prefixes[i]);
		if (len >= k && memcmp(name, prefixes[i], k) == 0)
			return 1;
	}
	return 0;
}

/* The k bytes of a list's name (no NUL among them) into out, cut to outsz
 * as snprintf's "%.*s" would, without a format parsed. */
static void name_copy(char *out, size_t outsz, const char *n, size_t k)
{
	if (k > outsz - 1)
		k = outsz - 1;
	memcpy(out, n, k);
	out[k] = '\0';
}

/* RFC 4253 §7.1: the first name on the client's list that the server also has. */
static int choose(const char *client, const char *server, int skip_pseudo, char *out, size_t outsz)
{
	struct nl_iter it = nl_begin(client);
	const char *n;
	size_t k;
	out[0] = '\0';
	while (nl_next(&it, &n, &k)) {
		if (!k || (skip_pseudo && is_pseudo(n, k)))
			continue;
		if (nl_has(server, n, k)) {
			name_copy(out, outsz, n, k);
			return 1;
		}
	}
	return 0;
}

/* The first real name of a list (the sender's preference). */
static void first_name(const char *list, int skip_pseudo, char *out, size_t outsz)
{
	struct nl_iter it = nl_begin(list);
	const char *n;
	size_t k;
	out[0] = '\0';
	while (nl_next(&it, &n, &k)) {
		if (k && !(skip_pseudo && is_pseudo(n, k))) {
			name_copy(out, outsz, n, k);
			return;
		}
	}
}

/* ---- algorithm facts ---- */

static const struct {
	const char *prefix;
	enum kexfam fam;
	const char *what;
} kex_methods[] = {
	{ "diffie-hellman-group-exchange-", KF_GEX, "Diffie-Hellman with a group the server picks (RFC 4419)" },
	{ "diffie-hellman-group", KF_DH, "Diffie-Hellman over a fixed group (RFC 4253/8268)" },
	{ "ecdh-sha2-", KF_ECDH, "elliptic-curve Diffie-Hellman over a NIST curve (RFC 5656)" },
	{ "curve25519-sha256", KF_ECDH, "X25519 elliptic-curve Diffie-Hellman (RFC 8731)" },
	{ "curve448-sha512", KF_ECDH, "X448 elliptic-curve Diffie-Hellman (RFC 8731)" },
	{ "sntrup761x25519-sha512", KF_HYBRID, "hybrid post-quantum: Streamlined NTRU Prime 761 + X25519" },
	{ "mlkem768x25519-sha256", KF_HYBRID, "hybrid post-quantum: ML-KEM-768 + X25519" },
	{ "mlkem768nistp256-sha256", KF_HYBRID, "hybrid post-quantum: ML-KEM-768 + NIST P-256" },
	{ "mlkem1024nistp384-sha384", KF_HYBRID, "hybrid post-quantum: ML-KEM-1024 + NIST P-384" },
	{ "rsa1024-sha1", KF_RSA, "RSA key exchange (RFC 4432)" },
	{ "rsa2048-sha256", KF_RSA, "RSA key exchange (RFC 4432)" },
};

static enum kexfam kex_family(const char *kex, const char **what)
{
	for (size_t i = 0; i < sizeof kex_methods / sizeof *kex_methods; i++) {
		if (str_prefix(kex, kex_methods[i].prefix)) {
			if (what)
				*what = kex_methods[i].what;
			return kex_methods[i].fam;
		}
	}
	if (what)
		*what = "a key exchange wirelab does not know";
	return KF_UNKNOWN;
}

/* Algorithms worth a warning when negotiated. */
static const struct {
	const char *name;   /* exact, or a prefix ending in '*' */
	const char *why;
} weak_algs[] = {
	{ "diffie-hellman-group1-sha1", "1024-bit group and SHA-1 (Logjam-sized, deprecated by RFC 9142)" },
	{ "diffie-hellman-group14-sha1", "SHA-1 exchange hash (deprecated by RFC 9142)" },
	{ "diffie-hellman-group-exchange-sha1", "SHA-1 exchange hash (deprecated by RFC 9142)" },
	{ "rsa1024-sha1", "1024-bit RSA and SHA-1" },
	{ "ssh-dss", "DSA host key: 1024 bits and SHA-1, removed from OpenSSH" },
	{ "ssh-rsa", "ssh-rsa signs with SHA-1; rsa-sha2-256/512 use the same key safely" },
	{ "3des-cbc", "3DES: 64-bit blocks (Sweet32) and CBC mode" },
	{ "blowfish-cbc", "Blowfish: 64-bit blocks and CBC mode" },
	{ "cast128-cbc", "CAST-128: 64-bit blocks and CBC mode" },
	{ "arcfour*", "RC4 is broken" },
	{ "*-cbc", "CBC mode with the MAC over the plaintext (plaintext-recovery attacks)" },
	{ "rijndael-cbc@lysator.liu.se", "CBC mode" },
	{ "none", "no protection at all" },
	{ "hmac-md5*", "MD5-based MAC" },
	{ "hmac-sha1-96*", "truncated SHA-1 MAC" },
};

static const char *weakness(const char *alg)
{
	size_t n = strlen(alg);
	for (size_t i = 0; i < sizeof weak_algs / sizeof *weak_algs; i++) {
		const char *w = weak_algs[i].name;
		size_t k = strlen(w);
		if (w[0] == '*') {
			if (n >= k - 1 && strcmp(alg + n - (k - 1), w + 1) == 0)
				return weak_algs[i].why;
		} else if (w[k - 1] == '*') {
			if (strncmp(alg, w, k - 1) == 0)
				return weak_algs[i].why;
		} else if (strcmp(alg, w) == 0) {
			return weak_algs[i].why;
		}
	}
	return NULL;
}

static int is_aead(const char *cipher)
{
	return strcmp(cipher, "chacha20-poly1305@openssh.com") == 0 ||
	       strcmp(cipher, "aes128-gcm@openssh.com") == 0 ||
	       strcmp(cipher, "aes256-gcm@openssh.com") == 0;
}

static const struct {
	const char *mac;
	uint32_t len;
} etm_macs[] = {
	{ "hmac-sha2-256-etm@openssh.com", 32 }, { "hmac-sha2-512-etm@openssh.com", 64 },
	{ "hmac-sha1-etm@openssh.com", 20 },     { "hmac-md5-etm@openssh.com", 16 },
	{ "umac-64-etm@openssh.com", 8 },        { "umac-128-etm@openssh.com", 16 },
	{ "hmac-sha1-96-etm@openssh.com", 12 },  { "hmac-md5-96-etm@openssh.com", 12 },
};

/* Whether encrypted packets keep packet_length in clear: GCM, or a MAC over the
 * ciphertext (etm) with a block cipher. Sets the tag length and block size. */
static int length_in_clear(const char *cipher, const char *mac, uint32_t *maclen, uint32_t *block)
{
	if (str_prefix(cipher, "aes") && strstr(cipher, "-gcm@openssh.com")) {
		*maclen = 16;
		*block = 16;
		return 1;
	}
	if (is_aead(cipher) || strcmp(cipher, "none") == 0)
		return 0;
	for (size_t i = 0; i < sizeof etm_macs / sizeof *etm_macs; i++) {
		if (strcmp(mac, etm_macs[i].mac) == 0) {
			*maclen = etm_macs[i].len;
			*block = str_prefix(cipher, "aes") ? 16 : 8;
			return 1;
		}
	}
	return 0;
}

/* ---- negotiation ---- */

static int idx_for(const struct ssh_st *st, int cs_index, enum wl_dir sender)
{
	/* the cipher/mac/compression index that applies to what sender sends */
	return sender == st->client ? cs_index : cs_index + 1;
}

static const char *cipher_of(const struct ssh_st *st, enum wl_dir sender)
{
	return st->neg[idx_for(st, NL_ENC_CS, sender)];
}

static const char *mac_of(const struct ssh_st *st, enum wl_dir sender)
{
	return st->neg[idx_for(st, NL_MAC_CS, sender)];
}

static void note_guess(struct ssh_st *st, struct wl_msg *m, enum wl_dir side, int fail)
{
	struct ssh_half *h = &st->h[side];
	if (!h->guess)
		return;
	char kex[SSH_ALG_MAX], hk[SSH_ALG_MAX];
	first_name(h->nl[NL_KEX], 1, kex, sizeof kex);
	first_name(h->nl[NL_HOSTKEY], 0, hk, sizeof hk);
	h->ignore_next = 0;
	if (!fail && strcmp(kex, st->neg[NL_KEX]) == 0 && strcmp(hk, st->neg[NL_HOSTKEY]) == 0) {
		wl_note(m, WL_INFO, "the %s's guessed first KEX packet was right: it counts",
			who(st, side));
	} else if (h->guess_frame) {
		wl_note(m, WL_INFO, "the %s guessed %s / %s and was wrong: its guessed KEX packet "
			"(frame %llu) is ignored (RFC 4253 §7)", who(st, side), kex, hk,
			(unsigned long long)h->guess_frame);
	} else {
		wl_note(m, WL_INFO, "the %s guessed %s / %s and was wrong: its next KEX packet "
			"will be ignored (RFC 4253 §7)", who(st, side), kex, hk);
		h->ignore_next = 1;
	}
}

static void negotiation_facts(struct ssh_st *st, struct wl_ctx *ctx)
{
	const char (*n)[SSH_ALG_MAX] = st->neg;
	wl_flow_fact(ctx, "kex", "%s%s", n[NL_KEX], st->strict ? " (strict KEX)" : "");
	wl_flow_fact(ctx, "host key algorithm", "%s", n[NL_HOSTKEY]);
	for (int i = NL_ENC_CS; i < NEG_N; i += 2) {
		static const char *const key[] = { "cipher", "mac", "compression" };
		const char *k = key[(i - NL_ENC_CS) / 2];
		if (strcmp(n[i], n[i + 1]) == 0)
			wl_flow_fact(ctx, k, "%s", n[i]);
		else
			wl_flow_fact(ctx, k, "%s client→server, %s server→client", n[i], n[i + 1]);
	}
}

static void negotiate(struct ssh_st *st, struct wl_ctx *ctx, struct wl_msg *m)
{
	const struct ssh_half *c = &st->h[st->client], *s = &st->h[!st->client];
	int fail = 0;
	for (int i = 0; i < NEG_N; i++) {
		int ok = choose(c->nl[i], s->nl[i], i == NL_KEX, st->neg[i], SSH_ALG_MAX);
		if (!ok && (i == NL_MAC_CS || i == NL_MAC_SC) && is_aead(st->neg[i - 2])) {
			wl_snprintf(st->neg[i], SSH_ALG_MAX, "<implicit>");
			ok = 1;
		}
		if (!ok) {
			wl_snprintf(st->neg[i], SSH_ALG_MAX, "<none in common>");
			wl_note(m, WL_ERROR, "no %s algorithm in common: the key exchange must fail",
				nl_what[i]);
			fail = 1;
		}
	}
	/* a MAC listed beside an AEAD cipher is not used */
	for (int i = NL_MAC_CS; i <= NL_MAC_SC; i++)
		if (is_aead(st->neg[i - 2]))
			wl_snprintf(st->neg[i], SSH_ALG_MAX, "<implicit>");
	st->negotiated = 1;
	st->strict = nl_has(c->nl[NL_KEX], "kex-strict-c-v00@openssh.com", 28) &&
		     nl_has(s->nl[NL_KEX], "kex-strict-s-v00@openssh.com", 28);
	st->ext_info = nl_has(c->nl[NL_KEX], "ext-info-c", 10);
	const char *what;
	st->fam = kex_family(st->neg[NL_KEX], &what);

	for (int i = 0; i < NEG_N; i++)
		wl_f_cstr(m, neg_field[i], st->neg[i]);
	wl_f_bool(m, "wl.ssh.strict_kex", st->strict);
	wl_note(m, WL_INFO, "negotiated (RFC 4253 §7.1: the client's first choice the server also "
		"offers): kex %s, host key %s", st->neg[NL_KEX], st->neg[NL_HOSTKEY]);
	wl_note(m, WL_INFO, "cipher %s / %s, mac %s / %s, compression %s / %s (client→server / "
		"server→client)", st->neg[NL_ENC_CS], st->neg[NL_ENC_SC], st->neg[NL_MAC_CS],
		st->neg[NL_MAC_SC], st->neg[NL_COMP_CS], st->neg[NL_COMP_SC]);
	if (!fail)
		wl_note(m, WL_INFO, "key exchange method: %s", what);
	for (int i = 0; i < NL_COMP_CS; i++) {
		const char *why = weakness(st->neg[i]);
		int same_as_c2s = (i == NL_ENC_SC || i == NL_MAC_SC) &&
				  strcmp(st->neg[i], st->neg[i - 1]) == 0;
		if (why && !same_as_c2s)
			wl_note(m, WL_WARN, "weak %s algorithm %s: %s", nl_what[i], st->neg[i], why);
	}
	if (st->strict)
		wl_note(m, WL_INFO, "strict KEX agreed (kex-strict-c/s-v00@openssh.com): sequence "
			"numbers restart at NEWKEYS, closing the Terrapin attack (CVE-2023-48795)");
	else if (!fail && (strcmp(st->neg[NL_ENC_CS], "chacha20-poly1305@openssh.com") == 0 ||
			   strstr(st->neg[NL_MAC_CS], "-etm@openssh.com")))
		wl_note(m, WL_WARN, "%s without strict KEX: open to the Terrapin prefix-truncation "
			"attack (CVE-2023-48795)", strstr(st->neg[NL_MAC_CS], "-etm@") ?
			st->neg[NL_MAC_CS] : st->neg[NL_ENC_CS]);
	if (st->ext_info)
		wl_note(m, WL_INFO, "ext-info-c is not an algorithm: the client asks for an "
			"SSH_MSG_EXT_INFO after NEWKEYS (RFC 8308, e.g. server-sig-algs)");
	note_guess(st, m, WL_C2S, fail);
	note_guess(st, m, WL_S2C, fail);
	negotiation_facts(st, ctx);
}

/* ---- what tshark 4.0 shows: the same names on the same frames ---- */

static int verbose(const struct wl_ctx *ctx)
{
	return wl_opts(ctx)->verbose;
}

/* 1 if the bytes at c start with s, in any case (tshark's test for "SSH-"). */
static int starts_ci(struct wl_cur c, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		int b = wl_peek(&c, i);
		if (b < 0 || (b | 0x20) != (s[i] | 0x20))
			return 0;
	}
	return 1;
}

/* tshark's key-exchange dissector for the negotiated method: its Diffie-
 * Hellman one for every name it does not know, the hybrids included. */
static enum kexfam ts_family(const struct ssh_st *st)
{
	static const char *const gex[] = { "diffie-hellman-group-exchange-sha1",
					   "diffie-hellman-group-exchange-sha256" };
	static const char *const ecdh[] = { "curve25519-sha256@libssh.org", "curve25519-sha256",
					    "curve448-sha512" };
	if (!st->negotiated)
		return KF_DH;
	const char *k = st->neg[NL_KEX];
	for (size_t i = 0; i < sizeof gex / sizeof *gex; i++)
		if (strcmp(k, gex[i]) == 0)
			return KF_GEX;
	for (size_t i = 0; i < sizeof ecdh / sizeof *ecdh; i++)
		if (strcmp(k, ecdh[i]) == 0)
			return KF_ECDH;
	return str_prefix(k, "ecdh-sha2-") ? KF_ECDH : KF_DH;
}

/* Which counter (the client's or the server's) and slot tshark uses for a
 * key-exchange message, and whether it counts before assigning. */
static const struct {
	enum kexfam fam;
	uint8_t code, slot, server, count_first;
} ts_kex_seq[] = {
	{ KF_DH, 30, TSQ_DH_INIT, 0, 1 },       { KF_DH, 31, TSQ_DH_REPLY, 1, 1 },
	{ KF_GEX, 31, TSQ_GEX_GRP, 1, 1 },      { KF_GEX, 32, TSQ_GEX_INIT, 0, 1 },
	{ KF_GEX, 33, TSQ_GEX_REPLY, 1, 1 },    { KF_GEX, 34, TSQ_GEX_REQ, 0, 1 },
	{ KF_ECDH, 30, TSQ_ECDH_INIT, 0, 0 },   { KF_ECDH, 31, TSQ_ECDH_REPLY, 1, 0 },
};

/* tshark's ssh.seq_num for a packet in clear: 0 for what it does not track. */
static uint32_t ts_seq_num(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir, uint8_t code)
{
	struct ts_seq *q = &st->h[dir].seq;
	if (code == 20) {
		uint64_t fr = wl_frame(ctx);
		if (!q->kexinit_frame || q->kexinit_frame == fr) {
			q->kexinit_frame = fr;
			if (!q->slot[TSQ_KEXINIT])
				q->slot[TSQ_KEXINIT] = q->next++;
		}
		return q->slot[TSQ_KEXINIT];
	}
	if (code == 21) {
		if (!q->slot[TSQ_NEWKEYS])
			q->slot[TSQ_NEWKEYS] = q->next++;
		return q->slot[TSQ_NEWKEYS];
	}
	enum kexfam fam = ts_family(st);
	for (size_t i = 0; i < sizeof ts_kex_seq / sizeof *ts_kex_seq; i++) {
		if (ts_kex_seq[i].fam != fam || ts_kex_seq[i].code != code)
			continue;
		struct ts_seq *c = &st->h[ts_kex_seq[i].server ? WL_S2C : WL_C2S].seq;
		uint32_t *slot = &c->slot[ts_kex_seq[i].slot];
		if (!*slot)
			*slot = ts_kex_seq[i].count_first ? ++c->next : c->next++;
		return *slot;
	}
	return 0;
}

/* tshark's MAC length for a MAC name (its ssh_set_mac_length()): the number
 * after the last '-' in bits, or a few names it knows; -1 otherwise. */
static int32_t ts_mac_length(const char *mac, uint8_t *len_plain)
{
	char name[SSH_ALG_MAX];
	wl_snprintf(name, sizeof name, "%s", mac);
	char *cut = strstr(name, "-etm@openssh.com");
	if (cut) {
		*len_plain = 1;
		*cut = '\0';
	} else if ((cut = strstr(name, "@openssh.com"))) {
		*cut = '\0';
	}
	const char *dash = strrchr(name, '-');
	if (dash && dash[1]) {
		char *end;
		unsigned long bits = strtoul(dash + 1, &end, 10);
		if (!*end && dash[1] >= '0' && dash[1] <= '9' && bits && bits % 8 == 0 && bits <= 4096)
			return (int32_t)(bits / 8);
	}
	static const struct { const char *name; int32_t len; } known[] = {
		{ "hmac-sha1", 20 }, { "hmac-md5", 16 }, { "hmac-ripemd160", 20 }, { "none", 0 },
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(name, known[i].name) == 0)
			return known[i].len;
	return -1;
}

/* The ciphers tshark 4.0 can decrypt: with one of them it opens a cipher at
 * NEWKEYS (with zero keys when it has none), fails to decrypt and shows
 * nothing of the packets; with another it shows them as encrypted bytes. */
static const char *const ts_ciphers[] = {
	"chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes128-gcm",
	"aes256-gcm@openssh.com", "aes256-gcm", "aes128-cbc", "aes192-cbc", "aes256-cbc",
	"aes128-ctr", "aes192-ctr", "aes256-ctr",
};

static int ts_decrypts(const char *cipher)
{
	for (size_t i = 0; i < sizeof ts_ciphers / sizeof *ts_ciphers; i++)
		if (strcmp(cipher, ts_ciphers[i]) == 0)
			return 1;
	return 0;
}

/* The bytes tshark needs before it tries to decrypt (else an exception). */
static size_t ts_decrypt_min(const char *cipher)
{
	return str_prefix(cipher, "aes") && !strstr(cipher, "-gcm") ? 16 : 4;
}

/* tshark chooses both directions' cipher and MAC when its DH or ECDH
 * dissector reads the reply (never for GEX in 4.0). */
static void ts_choose(struct ssh_st *st)
{
	if (st->ts_chosen || !st->negotiated)
		return;
	st->ts_chosen = 1;
	for (int d = 0; d < 2; d++) {
		struct ssh_half *h = &st->h[d];
		const char *enc = cipher_of(st, (enum wl_dir)d);
		h->ts_len_plain = 0;
		if (strcmp(enc, "aes128-gcm@openssh.com") == 0 || strcmp(enc, "aes256-gcm@openssh.com") == 0) {
			h->ts_maclen = 16;
			h->ts_len_plain = 1;
		} else if (strcmp(enc, "chacha20-poly1305@openssh.com") == 0) {
			h->ts_maclen = 16;
		} else {
			h->ts_maclen = ts_mac_length(mac_of(st, (enum wl_dir)d), &h->ts_len_plain);
		}
	}
}

/* Whether tshark, reading this stream call's bytes from the start, gets to
 * the end of them without asking for more: then (and only then) it gives
 * the frame its ssh.direction. */
static int ts_call_complete(const struct ssh_st *st, enum wl_dir dir, struct wl_cur c)
{
	const struct ssh_half *h = &st->h[dir];
	enum ssh_phase ph = h->ph;
	int version = st->ts_version;
	size_t n = wl_left(&c), pos = 0;
	while (pos < n) {
		size_t left = n - pos;
		struct wl_cur u = wl_at(&c, pos, left);
		if (ph == PH_BANNER && starts_ci(u, "SSH-")) {
			long nl = wl_find(&u, '\n');
			if (nl < 0)
				return 0;
			version |= dir == WL_C2S;
			pos += (size_t)nl + 1;
			ph = PH_PACKETS;
			continue;
		}
		if (!version)
			return left > 4;  /* all of it one "encrypted packet" */
		if (ph == PH_ENCRYPTED) {
			const char *enc = cipher_of(st, dir);
			if (st->ts_chosen && ts_decrypts(enc))
				return left >= ts_decrypt_min(enc);
			return left > 4 && (h->ts_maclen <= 0 || left - 4 >= (size_t)h->ts_maclen);
		}
		if (ph == PH_OPAQUE)
			return 1;
		if (left < 4)
			return 0;
		struct wl_cur hdr = u;
		uint32_t plen = wl_be32(&hdr);
		if ((uint64_t)plen + 4 > left)
			return 0;
		wl_skip(&hdr, 1);
		int code = wl_peek(&hdr, 0);
		if (plen >= 0xffff)
			return 1;  /* tshark takes the rest as this packet */
		pos += 4 + (size_t)plen;
		if (code == 21)
			ph = PH_ENCRYPTED;
	}
	return 1;
}

/* Marks the bytes from c to the end of this stream call as the "encrypted
 * packet" tshark shows (once per call), for the next message to name. */
static void ts_encrypted_view(struct ssh_st *st, struct wl_cur c, int32_t maclen, uint8_t len_plain)
{
	st->enc_pending = 1;
	st->enc_bytes = c;
	st->enc_maclen = maclen;
	st->enc_len_plain = len_plain;
}

static void ts_encrypted_fields(const struct ssh_st *st, struct wl_msg *m)
{
	struct wl_cur c = st->enc_bytes;
	size_t n = wl_left(&c);
	if (n <= 4)
		return;  /* tshark 4.0 throws here: a malformed packet */
	struct wl_cur lc = c;
	if (st->enc_len_plain)
		wl_f_uint(m, "ssh.packet_length", wl_be32(&lc));
	else
		wl_f_bytes(m, "ssh.packet_length_encrypted", wl_bytes(&lc, 4), 4);
	size_t mac = st->enc_maclen > 0 ? (size_t)st->enc_maclen : 0;
	if (n - 4 < mac)
		return;
	wl_skip(&c, 4);
	wl_f_bytes(m, "ssh.encrypted_packet", wl_bytes(&c, n - 4 - mac), n - 4 - mac);
	if (mac)
		wl_f_bytes(m, "ssh.mac", wl_bytes(&c, mac), mac);
}

/* A message of this side. The first of its frame also gets ssh.direction,
 * as tshark gives it once per segment it read to the end, encrypted or not:
 * in the default view too, since a Wireshark name must agree on every frame. */
static struct wl_msg *ssh_msg(struct ssh_st *st, struct wl_ctx *ctx, const char *type,
			      enum wl_dir dir, int clear)
{
	struct wl_msg *m = wl_msg_new(ctx, "ssh", type, dir);
	struct ssh_half *h = &st->h[dir];
	uint64_t fr = wl_frame(ctx);
	(void)clear;
	if (st->call_dir_ok && h->dir_frame != fr) {
		h->dir_frame = fr;
		wl_f_bool(m, "ssh.direction", dir != WL_C2S);
	}
	if (st->enc_pending && verbose(ctx)) {
		st->enc_pending = 0;
		ts_encrypted_fields(st, m);
	}
	return m;
}

/* ---- messages ---- */

struct msgdef;

struct pkt {
	struct ssh_st *st;
	struct wl_ctx *ctx;
	struct wl_msg *m;
	enum wl_dir dir;
	uint8_t code;
	uint8_t reported;           /* the handler explained its own error */
	const struct msgdef *def;
};

typedef void (*msg_fn)(struct pkt *p, struct wl_cur *c);

struct msgdef {
	uint8_t code;
	const char *type;           /* the message type in the output */
	const char *label;          /* the ladder text's first word */
	msg_fn fn;
};

static const struct wl_tok disconnect_reasons[] = {
	{ 1, "HOST_NOT_ALLOWED_TO_CONNECT" }, { 2, "PROTOCOL_ERROR" },
	{ 3, "KEY_EXCHANGE_FAILED" }, { 4, "RESERVED" }, { 5, "MAC_ERROR" },
	{ 6, "COMPRESSION_ERROR" }, { 7, "SERVICE_NOT_AVAILABLE" },
	{ 8, "PROTOCOL_VERSION_NOT_SUPPORTED" }, { 9, "HOST_KEY_NOT_VERIFIABLE" },
	{ 10, "CONNECTION_LOST" }, { 11, "BY_APPLICATION" }, { 12, "TOO_MANY_CONNECTIONS" },
	{ 13, "AUTH_CANCELLED_BY_USER" }, { 14, "NO_MORE_AUTH_METHODS_AVAILABLE" },
	{ 15, "ILLEGAL_USER_NAME" }, { 0, NULL },
};

static const struct wl_tok other_codes[] = {
	{ 50, "userauth_request" }, { 51, "userauth_failure" }, { 52, "userauth_success" },
	{ 53, "userauth_banner" }, { 60, "userauth_60" }, { 61, "userauth_info_response" },
	{ 80, "global_request" }, { 81, "request_success" }, { 82, "request_failure" },
	{ 90, "channel_open" }, { 91, "channel_open_confirmation" }, { 92, "channel_open_failure" },
	{ 93, "channel_window_adjust" }, { 94, "channel_data" }, { 95, "channel_extended_data" },
	{ 96, "channel_eof" }, { 97, "channel_close" }, { 98, "channel_request" },
	{ 99, "channel_success" }, { 100, "channel_failure" }, { 0, NULL },
};

static void msg_disconnect(struct pkt *p, struct wl_cur *c)
{
	uint32_t reason = wl_be32(c);
	uint32_t dlen;
	struct wl_cur d = take_string(c, &dlen);
	if (!wl_ok(c))
		return;
	wl_f_uint(p->m, "ssh.disconnect_reason", reason);
	wl_f_str(p->m, "ssh.disconnect_description", all_bytes(d), dlen);
	wl_msg_text(p->m, "DISCONNECT %s \"%.*s\"", wl_tok(disconnect_reasons, reason, "?"),
		    (int)(dlen > 60 ? 60 : dlen), (const char *)all_bytes(d));
	wl_note(p->m, reason == 11 ? WL_INFO : WL_WARN, "the %s closes the connection: %s",
		who(p->st, p->dir), wl_tok(disconnect_reasons, reason, "unknown reason"));
}

static void msg_ignore(struct pkt *p, struct wl_cur *c)
{
	uint32_t n;
	take_string(c, &n);
	wl_f_uint(p->m, "ssh.ignore_data_length", n);
	wl_msg_text(p->m, "IGNORE %u bytes", n);
	wl_note(p->m, WL_INFO, "padding traffic the receiver throws away (RFC 4253 §11.2)");
}

static void msg_unimplemented(struct pkt *p, struct wl_cur *c)
{
	uint32_t seq = wl_be32(c);
	wl_msg_text(p->m, "UNIMPLEMENTED seq=%u", seq);
	wl_note(p->m, WL_WARN, "the %s did not understand packet number %u", who(p->st, p->dir), seq);
}

static void msg_debug(struct pkt *p, struct wl_cur *c)
{
	uint8_t always = wl_u8(c);
	uint32_t n;
	struct wl_cur d = take_string(c, &n);
	if (!wl_ok(c))
		return;
	wl_f_bool(p->m, "ssh.debug_always_display", always);
	wl_f_str(p->m, "ssh.debug_name", all_bytes(d), n);
	wl_msg_text(p->m, "DEBUG \"%.*s\"", (int)(n > 60 ? 60 : n), (const char *)all_bytes(d));
	wl_note(p->m, WL_INFO, "a debugging message for the peer's log");
}

static void msg_service(struct pkt *p, struct wl_cur *c)
{
	uint32_t n;
	struct wl_cur s = take_string(c, &n);
	if (!wl_ok(c))
		return;
	wl_f_str(p->m, "ssh.service_name", all_bytes(s), n);
	int req = p->code == 5;
	wl_msg_text(p->m, "SERVICE_%s %.*s", req ? "REQUEST" : "ACCEPT", (int)(n > 40 ? 40 : n),
		    (const char *)all_bytes(s));
	wl_note(p->m, WL_INFO, req ? "the client asks for a service (ssh-userauth: log in)"
				   : "the server starts the service");
}

static void msg_ext_info(struct pkt *p, struct wl_cur *c)
{
	uint32_t n = wl_be32(c);
	wl_msg_text(p->m, "EXT_INFO %u extensions", n);
	wl_note(p->m, WL_INFO, "extension negotiation (RFC 8308)");
	for (uint32_t i = 0; i < n && wl_ok(c); i++) {
		uint32_t k, v;
		struct wl_cur name = take_string(c, &k);
		take_string(c, &v);
		if (wl_ok(c))
			wl_f_str(p->m, "wl.ssh.extension", all_bytes(name), k);
	}
}

static void msg_kexinit(struct pkt *p, struct wl_cur *c);
static void msg_newkeys(struct pkt *p, struct wl_cur *c);
static void msg_kex_init(struct pkt *p, struct wl_cur *c);
static void msg_kex_reply(struct pkt *p, struct wl_cur *c);
static void msg_gex_request(struct pkt *p, struct wl_cur *c);
static void msg_gex_request_old(struct pkt *p, struct wl_cur *c);
static void msg_gex_group(struct pkt *p, struct wl_cur *c);
static void msg_rsa_pubkey(struct pkt *p, struct wl_cur *c);
static void msg_rsa_secret(struct pkt *p, struct wl_cur *c);
static void msg_rsa_done(struct pkt *p, struct wl_cur *c);

static const struct msgdef transport_msgs[] = {
	{ 1, "disconnect", "DISCONNECT", msg_disconnect },
	{ 2, "ignore", "IGNORE", msg_ignore },
	{ 3, "unimplemented", "UNIMPLEMENTED", msg_unimplemented },
	{ 4, "debug", "DEBUG", msg_debug },
	{ 5, "service_request", "SERVICE_REQUEST", msg_service },
	{ 6, "service_accept", "SERVICE_ACCEPT", msg_service },
	{ 7, "ext_info", "EXT_INFO", msg_ext_info },
	{ 20, "kexinit", "KEXINIT", msg_kexinit },
	{ 21, "newkeys", "NEWKEYS", msg_newkeys },
	{ 0, NULL, NULL, NULL },
};

static const struct msgdef kex_dh_msgs[] = {
	{ 30, "kexdh_init", "KEXDH_INIT", msg_kex_init },
	{ 31, "kexdh_reply", "KEXDH_REPLY", msg_kex_reply },
	{ 0, NULL, NULL, NULL },
};

static const struct msgdef kex_ecdh_msgs[] = {
	{ 30, "kex_ecdh_init", "ECDH_INIT", msg_kex_init },
	{ 31, "kex_ecdh_reply", "ECDH_REPLY", msg_kex_reply },
	{ 0, NULL, NULL, NULL },
};

static const struct msgdef kex_hybrid_msgs[] = {
	{ 30, "kex_hybrid_init", "HYBRID_INIT", msg_kex_init },
	{ 31, "kex_hybrid_reply", "HYBRID_REPLY", msg_kex_reply },
	{ 0, NULL, NULL, NULL },
};

static const struct msgdef kex_gex_msgs[] = {
	{ 30, "kex_dh_gex_request_old", "GEX_REQUEST_OLD", msg_gex_request_old },
	{ 31, "kex_dh_gex_group", "GEX_GROUP", msg_gex_group },
	{ 32, "kex_dh_gex_init", "GEX_INIT", msg_kex_init },
	{ 33, "kex_dh_gex_reply", "GEX_REPLY", msg_kex_reply },
	{ 34, "kex_dh_gex_request", "GEX_REQUEST", msg_gex_request },
	{ 0, NULL, NULL, NULL },
};

static const struct msgdef kex_rsa_msgs[] = {
	{ 30, "kexrsa_pubkey", "KEXRSA_PUBKEY", msg_rsa_pubkey },
	{ 31, "kexrsa_secret", "KEXRSA_SECRET", msg_rsa_secret },
	{ 32, "kexrsa_done", "KEXRSA_DONE", msg_rsa_done },
	{ 0, NULL, NULL, NULL },
};

static const struct msgdef *const kex_tables[] = {
	[KF_UNKNOWN] = NULL, [KF_DH] = kex_dh_msgs, [KF_GEX] = kex_gex_msgs,
	[KF_ECDH] = kex_ecdh_msgs, [KF_HYBRID] = kex_hybrid_msgs, [KF_RSA] = kex_rsa_msgs,
};

static const struct msgdef *find_def(const struct msgdef *t, uint8_t code)
{
	for (; t && t->type; t++)
		if (t->code == code)
			return t;
	return NULL;
}

/* The key-exchange family in force: the negotiated one, else the sender's first
 * choice, else the peer's (one KEXINIT may be missing from the capture). */
static enum kexfam current_family(const struct ssh_st *st, enum wl_dir dir)
{
	if (st->negotiated)
		return st->fam;
	char first[SSH_ALG_MAX];
	for (int i = 0; i < 2; i++) {
		const struct ssh_half *h = &st->h[i ? !dir : dir];
		if (h->kexinit) {
			first_name(h->nl[NL_KEX], 1, first, sizeof first);
			return kex_family(first, NULL);
		}
	}
	return KF_UNKNOWN;
}

/* KEXINIT */

enum { NLC_OK, NLC_TRAILING_COMMA, NLC_EMPTY_NAME, NLC_NOT_TEXT };

static int nl_check(struct wl_cur s)
{
	size_t n = wl_left(&s);
	if (!wl_is_text(&s, n, "\t"))
		return NLC_NOT_TEXT;
	if (!n)
		return NLC_OK;
	for (size_t i = 0; i + 1 < n; i++)
		if (wl_peek(&s, i) == ',' && wl_peek(&s, i + 1) == ',')
			return NLC_EMPTY_NAME;
	if (wl_peek(&s, 0) == ',')
		return NLC_EMPTY_NAME;
	return wl_peek(&s, n - 1) == ',' ? NLC_TRAILING_COMMA : NLC_OK;
}

/* The notes for what nl_check() found, after the teaching sentence. */
static void nl_notes(struct wl_msg *m, const int issue[NL_N])
{
	for (int i = 0; i < NL_N; i++) {
		if (issue[i] == NLC_NOT_TEXT)
			wl_note(m, WL_ERROR, "%s name-list holds bytes that are not printable ASCII",
				nl_what[i]);
		else if (issue[i] == NLC_EMPTY_NAME)
			wl_note(m, WL_WARN, "%s name-list has an empty name (RFC 4251 §5 forbids it)",
				nl_what[i]);
		else if (issue[i] == NLC_TRAILING_COMMA)
			wl_note(m, WL_INFO, "%s name-list ends with a comma: an empty last name, as "
				"libssh sends; ignored", nl_what[i]);
	}
}

static void hassh(struct pkt *p, struct ssh_half *h)
{
	/* HASSH: kex;enc;mac;comp of the client's c2s lists, or the server's s2c ones */
	int srv = p->dir != WL_C2S;
	const char *k = h->nl[NL_KEX], *e = h->nl[srv ? NL_ENC_SC : NL_ENC_CS];
	const char *mc = h->nl[srv ? NL_MAC_SC : NL_MAC_CS], *cp = h->nl[srv ? NL_COMP_SC : NL_COMP_CS];
	if (!k || !e || !mc || !cp)
		return;
	size_t n = strlen(k) + strlen(e) + strlen(mc) + strlen(cp) + 4;
	char *s = malloc(n);
	if (!s)
		return;
	int len = wl_snprintf(s, n, "%s;%s;%s;%s", k, e, mc, cp);
	char md[33];
	md5_hex(s, (size_t)len, md);
	wl_f_str(p->m, srv ? "ssh.kex.hasshserver_algorithms" : "ssh.kex.hassh_algorithms", s,
		 (size_t)len);
	wl_f_cstr(p->m, srv ? "ssh.kex.hasshserver" : "ssh.kex.hassh", md);
	free(s);
}

static void msg_kexinit(struct pkt *p, struct wl_cur *c)
{
	struct ssh_half *h = &p->st->h[p->dir];
	const uint8_t *cookie = wl_bytes(c, 16);
	if (cookie)
		wl_f_bytes(p->m, "ssh.cookie", cookie, 16);
	for (int i = 0; i < NL_N; i++) {
		free(h->nl[i]);
		h->nl[i] = NULL;
	}
	h->kexinit = 0;
	int i, issue[NL_N] = { 0 };
	for (i = 0; i < NL_N && wl_ok(c); i++) {
		uint32_t n = wl_be32(c);
		if (!wl_ok(c))
			break;
		if (n > wl_left(c)) {
			wl_note(p->m, WL_ERROR, "malformed: %s name-list claims %u bytes but only %zu "
				"are left in the packet", nl_what[i], n, wl_left(c));
			p->reported = 1;
			wl_invalid(c);
			break;
		}
		struct wl_cur list = wl_sub(c, n);
		issue[i] = nl_check(list);
		const uint8_t *s = wl_bytes(&list, n);
		wl_f_uint(p->m, nl_len_field[i], n);
		wl_f_str(p->m, nl_field[i], s, n);
		size_t keep = n < SSH_LIST_KEEP ? n : SSH_LIST_KEEP;
		h->nl[i] = malloc(keep + 1);
		if (h->nl[i]) {
			memcpy(h->nl[i], s, keep);
			h->nl[i][keep] = '\0';
		}
	}
	uint8_t follows = wl_u8(c);
	const uint8_t *reserved = wl_bytes(c, 4);
	if (!wl_ok(c)) {
		if (c->err == WL_ETRUNC) {
			wl_note(p->m, WL_ERROR, "malformed: KEXINIT cut short after %d of its ten "
				"name-lists", i);
			p->reported = 1;
		}
		wl_msg_text(p->m, "KEXINIT (malformed)");
		nl_notes(p->m, issue);
		return;
	}
	wl_f_uint(p->m, "ssh.first_kex_packet_follows", follows);
	wl_f_bytes(p->m, "ssh.kex.reserved", reserved, 4);
	hassh(p, h);
	h->kexinit = 1;
	h->guess = follows != 0;

	char kex[SSH_ALG_MAX], hk[SSH_ALG_MAX], enc[SSH_ALG_MAX];
	first_name(h->nl[NL_KEX], 1, kex, sizeof kex);
	first_name(h->nl[NL_HOSTKEY], 0, hk, sizeof hk);
	first_name(h->nl[p->dir == p->st->client ? NL_ENC_CS : NL_ENC_SC], 0, enc, sizeof enc);
	struct ssh_half *peer = &p->st->h[!p->dir];
	wl_note(p->m, WL_INFO, "%s lists the algorithms it supports, best first: kex %s, host key "
		"%s, cipher %s", p->dir == WL_C2S ? "client" : "server", kex, hk, enc);
	nl_notes(p->m, issue);
	if (follows)
		wl_note(p->m, WL_INFO, "first_kex_packet_follows: the %s sends its first KEX packet "
			"now, guessing the outcome", who(p->st, p->dir));
	if (wl_left(c))
		wl_note(p->m, WL_INFO, "%zu bytes after the reserved field", wl_left(c));
	if (peer->kexinit && h->kexinit) {
		negotiate(p->st, p->ctx, p->m);
		wl_msg_text(p->m, "KEXINIT → %s, %s", p->st->neg[NL_KEX],
			    cipher_of(p->st, p->st->client));
	} else {
		wl_msg_text(p->m, "KEXINIT kex %s, %s", kex, enc);
	}
}

/* The name-lists serve the negotiation and the KEX messages only. */
static void free_lists(struct ssh_st *st)
{
	for (int d = 0; d < 2; d++) {
		for (int i = 0; i < NL_N; i++) {
			free(st->h[d].nl[i]);
			st->h[d].nl[i] = NULL;
		}
		st->h[d].kexinit = 0;  /* a re-exchange (cipher none) starts afresh */
	}
}

static void msg_newkeys(struct pkt *p, struct wl_cur *c)
{
	struct ssh_st *st = p->st;
	struct ssh_half *h = &st->h[p->dir];
	if (st->negotiated)
		free_lists(st);
	const char *cipher = st->negotiated ? cipher_of(st, p->dir) : "the negotiated cipher";
	wl_msg_text(p->m, "NEWKEYS");
	if (st->negotiated && strcmp(cipher, "none") == 0) {
		wl_note(p->m, WL_WARN, "NEWKEYS with cipher none: what the %s sends next stays "
			"readable", who(st, p->dir));
		return;
	}
	wl_note(p->m, WL_INFO, "from here on everything the %s sends is encrypted (%s)",
		who(st, p->dir), cipher);
	if (st->strict)
		wl_note(p->m, WL_INFO, "strict KEX: this direction's sequence number restarts at 0");
	h->ph = PH_ENCRYPTED;
	h->ts_cipher = st->ts_chosen && ts_decrypts(cipher);
	if (st->negotiated && length_in_clear(cipher, mac_of(st, p->dir), &h->maclen, &h->block))
		h->framed = 1;
	h->newkeys_frame = wl_frame(p->ctx);
	const struct ssh_half *o = &st->h[!p->dir];
	if (o->newkeys_frame)
		wl_flow_fact(p->ctx, "encrypted from", "frame %llu (%s→%s), frame %llu (%s→%s)",
			     (unsigned long long)o->newkeys_frame, who(st, !p->dir), who(st, p->dir),
			     (unsigned long long)h->newkeys_frame, who(st, p->dir), who(st, !p->dir));
	else
		wl_flow_fact(p->ctx, "encrypted from", "frame %llu (%s→%s)",
			     (unsigned long long)h->newkeys_frame, who(st, p->dir), who(st, !p->dir));
}

/* An mpint or string as tshark names it: ssh.mpint_length, then the bytes
 * under name. Every mpint tshark decodes gets its length, or the frames with
 * a host key, a GEX group or an RSA signature disagree on ssh.mpint_length. */
static void mpint_field(struct pkt *p, const char *name, struct wl_cur v, uint32_t n)
{
	wl_f_uint(p->m, "ssh.mpint_length", n);
	wl_f_bytes(p->m, name, all_bytes(v), n);
}

/* A certificate's validity time (seconds since 1970, UTC) as text. */
static void cert_time(uint64_t t, char *out, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (t == 0)
		wl_snprintf(out, n, "always");
	else if (t == UINT64_MAX)
		wl_snprintf(out, n, "forever");
	else if (t > 253402300799ULL || !gmtime_r(&tt, &tm) || !strftime(out, n, "%Y-%m-%d %H:%M UTC", &tm))
		wl_snprintf(out, n, "%llu", (unsigned long long)t);
}

/* An OpenSSH host certificate after its key (PROTOCOL.certkeys): serial,
 * type, key id, principals, validity; the key id is the certificate's
 * comment, the name its issuer gave it. */
static void cert_note(struct wl_msg *m, struct wl_cur k)
{
	wl_skip(&k, 8);  /* serial */
	uint32_t type = wl_be32(&k), idlen, plen;
	struct wl_cur id = take_string(&k, &idlen), pr = take_string(&k, &plen);
	uint64_t after = wl_be64(&k), before = wl_be64(&k);
	if (!wl_ok(&k)) {
		wl_note(m, WL_WARN, "host certificate cut short after its key");
		return;
	}
	char idt[80], prt[80];
	wl_text(&id, idlen, idt, sizeof idt, '.');
	/* the principals are strings inside the string: show the first */
	uint32_t n1;
	struct wl_cur first = take_string(&pr, &n1);
	if (wl_ok(&pr))
		wl_text(&first, n1, prt, sizeof prt, '.');
	else
		wl_snprintf(prt, sizeof prt, "(none)");
	char from[32], to[32];
	cert_time(after, from, sizeof from);
	cert_time(before, to, sizeof to);
	wl_f_str(m, "wl.ssh.host_cert.key_id", all_bytes(id), idlen);
	wl_note(m, WL_INFO, "host certificate%s: key id \"%s\", principal %s, valid from %s to %s; "
		"trust comes from the CA that signed it", type == 2 ? "" : type == 1 ?
		" (of a user, where a host one belongs)" : " (of an unknown type)", idt, prt, from, to);
}

/* The host key K_S: type, key material, SHA-256 fingerprint. */
static void host_key(struct pkt *p, struct wl_cur k, uint32_t klen)
{
	struct wl_msg *m = p->m;
	struct wl_cur whole = k;
	const uint8_t *blob = wl_bytes(&whole, klen);
	wl_f_uint(m, "ssh.host_key.length", klen);
	uint32_t tlen;
	struct wl_cur t = take_string(&k, &tlen);
	if (!wl_ok(&k)) {
		wl_note(m, WL_ERROR, "malformed host key");
		return;
	}
	char type[SSH_ALG_MAX];
	wl_snprintf(type, sizeof type, "%.*s", (int)tlen, (const char *)all_bytes(t));
	wl_f_uint(m, "ssh.host_key.type_length", tlen);
	wl_f_str(m, "ssh.host_key.type", all_bytes(t), tlen);

	int cert = strstr(type, "-cert-v01@openssh.com") != NULL;
	if (cert)
		take_string(&k, NULL);  /* nonce */
	/* the plain key, for the fingerprint of a certificate's key */
	uint8_t plain[4096];
	size_t plen = 0;
	struct wl_cur body_start = k;  /* the key fields, after the certificate nonce */
	size_t body_left = wl_left(&k);
	unsigned bits = 0;
	char base[SSH_ALG_MAX];
	wl_snprintf(base, sizeof base, "%s", type);
	char *suffix = strstr(base, "-cert-v01@openssh.com");
	if (suffix)
		*suffix = '\0';
	if (strcmp(base, "ssh-rsa") == 0) {
		uint32_t el, nl;
		struct wl_cur e = take_string(&k, &el), n = take_string(&k, &nl);
		if (wl_ok(&k)) {
			mpint_field(p, "ssh.host_key.rsa.e", e, el);
			mpint_field(p, "ssh.host_key.rsa.n", n, nl);
			bits = bits_of(all_bytes(n), nl);
		}
	} else if (strcmp(base, "ssh-ed25519") == 0) {
		uint32_t n;
		struct wl_cur q = take_string(&k, &n);
		if (wl_ok(&k)) {
			wl_f_uint(m, "ssh.host_key.eddsa.key_length", n);
			wl_f_bytes(m, "ssh.host_key.eddsa.key", all_bytes(q), n);
			bits = 256;
		}
	} else if (str_prefix(base, "ecdsa-sha2-")) {
		uint32_t il, ql;
		struct wl_cur id = take_string(&k, &il), q = take_string(&k, &ql);
		if (wl_ok(&k)) {
			wl_f_uint(m, "ssh.host_key.ecdsa.id_length", il);
			wl_f_str(m, "ssh.host_key.ecdsa.id", all_bytes(id), il);
			wl_f_uint(m, "ssh.host_key.ecdsa.q_length", ql);
			wl_f_bytes(m, "ssh.host_key.ecdsa.q", all_bytes(q), ql);
			bits = ql > 1 ? (ql - 1) / 2 * 8 : 0;
			if (bits == 264)
				bits = 256;
			if (bits == 528)
				bits = 521;
		}
	} else if (strcmp(base, "ssh-dss") == 0) {
		static const char *const dsa[4] = { "ssh.host_key.dsa.p", "ssh.host_key.dsa.q",
						    "ssh.host_key.dsa.g", "ssh.host_key.dsa.y" };
		struct wl_cur part[4];
		uint32_t len[4];
		for (int i = 0; i < 4; i++)
			part[i] = take_string(&k, &len[i]);
		if (wl_ok(&k)) {
			bits = bits_of(all_bytes(part[0]), len[0]);
			for (int i = 0; i < 4; i++)
				mpint_field(p, dsa[i], part[i], len[i]);
		}
	} else if (!cert) {
		/* a key type tshark does not decode: the rest of the blob */
		size_t rest = wl_left(&k);
		wl_f_bytes(m, "ssh.host_key.data", wl_bytes(&k, rest), rest);
	}
	if (!wl_ok(&k)) {
		wl_note(m, WL_ERROR, "malformed %s host key", type);
		return;
	}
	const uint8_t *fp_blob = blob;
	size_t fp_len = klen;
	if (cert) {
		/* rebuild "string base-type || key fields" to fingerprint the certified key */
		size_t body = body_left - wl_left(&k), bl = strlen(base);
		if (4 + bl + body <= sizeof plain) {
			plain[0] = (uint8_t)(bl >> 24);
			plain[1] = (uint8_t)(bl >> 16);
			plain[2] = (uint8_t)(bl >> 8);
			plain[3] = (uint8_t)bl;
			memcpy(plain + 4, base, bl);
			wl_copy(&body_start, plain + 4 + bl, body);
			plen = 4 + bl + body;
			fp_blob = plain;
			fp_len = plen;
		}
	}
	char fp[64];
	fingerprint(fp_blob, fp_len, fp, sizeof fp);
	wl_f_cstr(m, "wl.ssh.host_key.fingerprint", fp);
	if (bits)
		wl_f_uint(m, "wl.ssh.host_key.bits", bits);
	wl_note(m, WL_INFO, "host key fingerprint %s (%s%s%u bits): compare it with `ssh-keygen -l "
		"-f` on the server's public key before trusting it", fp, base, cert ? " certificate, " :
		", ", bits);
	wl_flow_fact(p->ctx, "host key", "%s %s", type, fp);
	if (cert)
		cert_note(m, k);
	if ((strcmp(base, "ssh-rsa") == 0 || strcmp(base, "ssh-dss") == 0) && bits && bits < 2048)
		wl_note(m, WL_WARN, "a %u-bit %s host key is too short to be trusted today", bits, base);
	if (p->st->negotiated && !str_prefix(p->st->neg[NL_HOSTKEY], base) &&
	    !(strcmp(base, "ssh-rsa") == 0 && str_prefix(p->st->neg[NL_HOSTKEY], "rsa-sha2-")))
		wl_note(m, WL_WARN, "host key type %s does not match the negotiated %s", type,
			p->st->neg[NL_HOSTKEY]);
	wl_msg_text(m, "%s %s %s", p->def ? p->def->label : "host key", base, fp);
}

static void signature(struct pkt *p, struct wl_cur *c)
{
	uint32_t slen;
	struct wl_cur s = take_string(c, &slen);
	if (!wl_ok(c))
		return;
	wl_f_uint(p->m, "ssh.host_sig.length", slen);
	uint32_t tlen;
	struct wl_cur t = take_string(&s, &tlen);
	if (!wl_ok(&s))
		return;
	wl_f_uint(p->m, "ssh.host_sig.type_length", tlen);
	wl_f_str(p->m, "ssh.host_sig.type", all_bytes(t), tlen);
	/* as tshark decodes the blob: an mpint for ssh-rsa and ssh-dss, nothing
	 * for ECDSA and EdDSA, the bytes under host_sig.data for the rest
	 * (rsa-sha2-256/512 among them) */
	int is_rsa = wl_starts_with(&t, "ssh-rsa") && tlen == 7, is_dss = wl_starts_with(&t, "ssh-dss") && tlen == 7;
	if (is_rsa || is_dss) {
		uint32_t n;
		struct wl_cur v = take_string(&s, &n);
		if (wl_ok(&s))
			mpint_field(p, is_rsa ? "ssh.host_sig.rsa" : "ssh.host_sig.dsa", v, n);
	} else if (!wl_starts_with(&t, "ecdsa-sha2-") && !wl_starts_with(&t, "ssh-ed")) {
		size_t rest = wl_left(&s);
		wl_f_bytes(p->m, "ssh.host_sig.data", wl_bytes(&s, rest), rest);
	}
}

/* What the first public value in a KEX init/reply is, by family. */
static const char *value_field(enum kexfam fam, int reply)
{
	switch (fam) {
	case KF_ECDH: return reply ? "ssh.ecdh.q_s" : "ssh.ecdh.q_c";
	case KF_DH:
	case KF_GEX: return reply ? "ssh.dh.f" : "ssh.dh.e";
	case KF_HYBRID: return reply ? "wl.ssh.kem.server_reply" : "wl.ssh.kem.client_init";
	default: return reply ? "wl.ssh.kex.server_value" : "wl.ssh.kex.client_value";
	}
}

static const char *value_name(enum kexfam fam, int reply)
{
	switch (fam) {
	case KF_ECDH: return reply ? "Q_S" : "Q_C";
	case KF_DH:
	case KF_GEX: return reply ? "f" : "e";
	case KF_HYBRID: return reply ? "S_REPLY" : "C_INIT";
	default: return "value";
	}
}

/* Sizes of the hybrid blobs: post-quantum part + classical part. */
static const struct {
	const char *prefix;
	uint32_t c_init, s_reply, pq_c, pq_s;
	const char *pq, *ec;
} hybrids[] = {
	{ "sntrup761x25519", 1190, 1071, 1158, 1039, "sntrup761", "X25519" },
	{ "mlkem768x25519", 1216, 1120, 1184, 1088, "ML-KEM-768", "X25519" },
	{ "mlkem768nistp256", 1249, 1153, 1184, 1088, "ML-KEM-768", "P-256" },
	{ "mlkem1024nistp384", 1665, 1665, 1568, 1568, "ML-KEM-1024", "P-384" },
};

static void hybrid_note(struct pkt *p, uint32_t n, int reply)
{
	for (size_t i = 0; i < sizeof hybrids / sizeof *hybrids; i++) {
		if (!str_prefix(p->st->neg[NL_KEX], hybrids[i].prefix))
			continue;
		uint32_t want = reply ? hybrids[i].s_reply : hybrids[i].c_init;
		uint32_t pq = reply ? hybrids[i].pq_s : hybrids[i].pq_c;
		if (n == want)
			wl_note(p->m, WL_INFO, "%u bytes = %u-byte %s %s + %u-byte %s key", n, pq,
				hybrids[i].pq, reply ? "ciphertext" : "public key", n - pq,
				hybrids[i].ec);
		else
			wl_note(p->m, WL_WARN, "%s is %u bytes; %s needs %u", value_name(KF_HYBRID, reply),
				n, p->st->neg[NL_KEX], want);
		return;
	}
}

static uint32_t kex_value(struct pkt *p, struct wl_cur *c, enum kexfam fam, int reply)
{
	uint32_t n;
	struct wl_cur v = take_string(c, &n);
	if (!wl_ok(c))
		return 0;
	const char *f = value_field(fam, reply);
	if (fam == KF_ECDH) {
		wl_f_uint(p->m, reply ? "ssh.ecdh.q_s_length" : "ssh.ecdh.q_c_length", n);
	} else if (fam == KF_DH || fam == KF_GEX) {
		wl_f_uint(p->m, "ssh.mpint_length", n);
	} else if (ts_family(p->st) == KF_DH) {
		/* tshark reads a method it does not know as Diffie-Hellman */
		mpint_field(p, reply ? "ssh.dh.f" : "ssh.dh.e", v, n);
	}
	wl_f_bytes(p->m, f, all_bytes(v), n);
	if (fam == KF_HYBRID && p->st->negotiated)
		hybrid_note(p, n, reply);
	if (fam == KF_ECDH && p->st->negotiated && str_prefix(p->st->neg[NL_KEX], "curve") &&
	    n != 32 && n != 56)
		wl_note(p->m, WL_WARN, "%s is %u bytes; a curve25519/448 key is 32/56",
			value_name(fam, reply), n);
	return n;
}

static const char *init_lesson(enum kexfam fam)
{
	switch (fam) {
	case KF_ECDH: return "the client sends its ephemeral elliptic-curve public key";
	case KF_DH:
	case KF_GEX: return "the client sends its Diffie-Hellman public value e = g^x mod p";
	case KF_HYBRID: return "the client sends its post-quantum KEM public key joined to an "
			       "ephemeral classical key";
	default: return "the client's key-exchange value";
	}
}

static int void_guess(struct pkt *p)
{
	struct ssh_half *h = &p->st->h[p->dir];
	if (h->guess && !p->st->negotiated && !h->guess_frame) {
		/* sent before the peer's KEXINIT: the guessed packet itself */
		h->guess_frame = wl_frame(p->ctx);
		wl_note(p->m, WL_INFO, "the guessed KEX packet (first_kex_packet_follows): it counts "
			"only if the guess turns out right");
		return 1;
	}
	if (!h->ignore_next)
		return 0;
	h->ignore_next = 0;
	wl_note(p->m, WL_INFO, "ignored by the peer: the guess in first_kex_packet_follows was wrong");
	return 1;
}

/* An init message from the TCP server means the roles are reversed. */
static void check_roles(struct pkt *p)
{
	struct ssh_st *st = p->st;
	if (p->dir == st->client)
		return;
	st->client = p->dir;
	st->roles_swapped = 1;
	wl_note(p->m, WL_INFO, "the TCP server sends the key-exchange init: it is the SSH client "
		"here (reverse SSH); algorithms renegotiated with the roles swapped");
	if (st->negotiated)
		negotiate(st, p->ctx, p->m);
}

static void msg_kex_init(struct pkt *p, struct wl_cur *c)
{
	enum kexfam fam = current_family(p->st, p->dir);
	wl_note(p->m, WL_INFO, "%s", init_lesson(fam));
	if (!void_guess(p))
		check_roles(p);
	uint32_t n = kex_value(p, c, fam, 0);
	wl_msg_text(p->m, "%s %s %u bytes", p->def->label, value_name(fam, 0), n);
}

static void msg_kex_reply(struct pkt *p, struct wl_cur *c)
{
	enum kexfam fam = current_family(p->st, p->dir);
	wl_note(p->m, WL_INFO, "the server proves who it is: its host key, its %s, and a signature "
		"over the exchange hash; both sides now derive the session keys",
		fam == KF_HYBRID ? "KEM ciphertext" : fam == KF_ECDH ? "ephemeral key" : "DH value f");
	void_guess(p);
	uint32_t klen;
	struct wl_cur k = take_string(c, &klen);
	kex_value(p, c, fam, 1);
	if (wl_ok(c))
		signature(p, c);
	wl_msg_text(p->m, "%s", p->def->label);
	if (!wl_ok(c))
		return;
	host_key(p, k, klen);
}

static void msg_gex_request(struct pkt *p, struct wl_cur *c)
{
	uint32_t mn = wl_be32(c), nb = wl_be32(c), mx = wl_be32(c);
	if (!wl_ok(c))
		return;
	check_roles(p);
	wl_f_uint(p->m, "ssh.dh_gex.min", mn);
	wl_f_uint(p->m, "ssh.dh_gex.nbits", nb);
	wl_f_uint(p->m, "ssh.dh_gex.max", mx);
	wl_msg_text(p->m, "GEX_REQUEST min=%u n=%u max=%u", mn, nb, mx);
	wl_note(p->m, WL_INFO, "the client asks the server for a Diffie-Hellman group of about %u bits",
		nb);
	if (mn > nb || nb > mx)
		wl_note(p->m, WL_WARN, "min <= n <= max does not hold");
}

static void msg_gex_request_old(struct pkt *p, struct wl_cur *c)
{
	uint32_t nb = wl_be32(c);
	if (!wl_ok(c))
		return;
	wl_f_uint(p->m, "ssh.dh_gex.nbits", nb);
	wl_msg_text(p->m, "GEX_REQUEST_OLD n=%u", nb);
	wl_note(p->m, WL_INFO, "the client asks for a group of about %u bits (old form)", nb);
}

static void msg_gex_group(struct pkt *p, struct wl_cur *c)
{
	uint32_t pl, gl;
	struct wl_cur pp = take_string(c, &pl), g = take_string(c, &gl);
	if (!wl_ok(c))
		return;
	mpint_field(p, "ssh.dh_gex.p", pp, pl);
	mpint_field(p, "ssh.dh_gex.g", g, gl);
	unsigned bits = bits_of(all_bytes(pp), pl);
	wl_msg_text(p->m, "GEX_GROUP p=%u bits", bits);
	wl_note(p->m, WL_INFO, "the server picks the group: a %u-bit safe prime p and generator g",
		bits);
	if (bits && bits < 2048)
		wl_note(p->m, WL_WARN, "a %u-bit group is too small today", bits);
}

static void msg_rsa_pubkey(struct pkt *p, struct wl_cur *c)
{
	uint32_t klen, tl;
	struct wl_cur k = take_string(c, &klen);
	take_string(c, &tl);
	if (!wl_ok(c))
		return;
	host_key(p, k, klen);
	wl_note(p->m, WL_INFO, "the server sends its host key and a transient RSA key (RFC 4432)");
}

static void msg_rsa_secret(struct pkt *p, struct wl_cur *c)
{
	uint32_t n;
	take_string(c, &n);
	wl_msg_text(p->m, "KEXRSA_SECRET %u bytes", n);
	wl_note(p->m, WL_INFO, "the client sends a secret encrypted to the transient RSA key");
}

static void msg_rsa_done(struct pkt *p, struct wl_cur *c)
{
	signature(p, c);
	wl_msg_text(p->m, "KEXRSA_DONE");
	wl_note(p->m, WL_INFO, "the server signs the exchange hash");
}

/* ---- the phases ---- */

static void opaque_msg(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir, size_t n,
		       const char *why)
{
	struct ssh_half *h = &st->h[dir];
	struct wl_msg *m = ssh_msg(st, ctx, "unknown", dir, 0);
	wl_msg_text(m, "%zu bytes not framed as SSH", n);
	if (!h->opaque_noted && why)
		wl_note(m, WL_WARN, "%s", why);
	h->opaque_noted = 1;
	h->opaque_bytes += n;
	wl_f_uint(m, "wl.ssh.unframed_bytes", n);
}

/* Lines of text before the version string (RFC 4253 §4.2 lets a server send them). */
static size_t pre_banner(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	size_t used = 0, lines = 0, eol;
	const uint8_t *first = NULL;
	size_t first_len = 0;
	for (;;) {
		long pos = wl_find_eol(&c, &eol);
		if (pos < 0)
			break;
		size_t n = (size_t)pos;
		struct wl_cur line = wl_at(&c, 0, n);
		if (!wl_ok(&c) || wl_starts_with(&line, "SSH-") || !is_text(line))
			break;
		if (!lines) {
			first = wl_bytes(&line, n);
			first_len = n;
		}
		lines++;
		wl_skip(&c, n + eol);
		used += n + eol;
	}
	if (!lines)
		return 0;
	struct wl_msg *m = ssh_msg(st, ctx, "pre_banner", dir, 0);
	wl_msg_text(m, "%zu line%s before the version: \"%.*s\"", lines, lines > 1 ? "s" : "",
		    (int)(first_len > 40 ? 40 : first_len), (const char *)first);
	wl_f_uint(m, "wl.ssh.pre_banner_lines", lines);
	if (dir == st->client)
		wl_note(m, WL_WARN, "the client sends text before its version string; RFC 4253 §4.2 "
			"allows that only to the server");
	else
		wl_note(m, WL_INFO, "RFC 4253 §4.2: a server may send other lines before its version "
			"string; clients ignore them");
	return used;
}

static void banner_msg(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir,
		       struct wl_cur text, size_t eol)
{
	struct ssh_half *h = &st->h[dir];
	size_t n = wl_left(&text);
	struct wl_cur t = text;
	const uint8_t *line = wl_bytes(&t, n);
	struct wl_msg *m = ssh_msg(st, ctx, "version", dir, 0);
	wl_msg_unordered(m);  /* both sides send their banner at once */
	/* tshark learns the version from the TCP client's line only */
	if (dir == WL_C2S && !st->ts_version &&
	    (starts_ci(text, "SSH-2.") || starts_ci(text, "SSH-1.99-") || starts_ci(text, "SSH-1.")))
		st->ts_version = 1;
	wl_f_str(m, "ssh.protocol", line, n);
	wl_msg_text(m, "%.*s", (int)(n > 200 ? 200 : n), (const char *)line);
	/* "SSH-" protoversion "-" softwareversion [SP comments] */
	struct wl_cur c = text;
	wl_skip(&c, 4);
	long dash = wl_find(&c, '-');
	const char *side = dir == WL_C2S ? "client" : "server";
	if (dash < 0) {
		wl_note(m, WL_ERROR, "malformed version string: no '-' after the protocol version");
		h->ph = PH_PACKETS;
		return;
	}
	struct wl_cur version = wl_at(&c, 0, (size_t)dash);
	const uint8_t *ver = wl_bytes(&c, (size_t)dash);
	wl_skip(&c, 1);
	long sp = wl_find(&c, ' ');
	size_t swlen = sp < 0 ? wl_left(&c) : (size_t)sp;
	const uint8_t *sw = wl_bytes(&c, swlen);
	if (!ver || !sw) {
		h->ph = PH_PACKETS;
		return;
	}
	wl_f_str(m, "wl.ssh.proto_version", ver, (size_t)dash);
	wl_f_str(m, "wl.ssh.software", sw, swlen);
	size_t cl = 0;
	const uint8_t *comments = NULL;
	if (sp >= 0) {
		wl_skip(&c, 1);
		cl = wl_left(&c);
		comments = wl_bytes(&c, cl);
	}
	/* the comments (RFC 4253 §4.2) often name the build: Debian-2+deb12u10 */
	if (comments && cl)
		wl_note(m, WL_INFO, "the %s speaks SSH %.*s; software %.*s, comment \"%.*s\"", side,
			(int)dash, (const char *)ver, (int)(swlen > 60 ? 60 : swlen), (const char *)sw,
			(int)(cl > 60 ? 60 : cl), (const char *)comments);
	else
		wl_note(m, WL_INFO, "the %s speaks SSH %.*s; software %.*s", side, (int)dash,
			(const char *)ver, (int)(swlen > 60 ? 60 : swlen), (const char *)sw);
	if (comments)
		wl_f_str(m, "wl.ssh.comments", comments, cl);
	wl_flow_fact(ctx, dir == WL_C2S ? "client version" : "server version", "%.*s",
		     (int)(n > 200 ? 200 : n), (const char *)line);
	if (n + eol > SSH_BANNER_MAX)
		wl_note(m, WL_WARN, "version string is %zu bytes; RFC 4253 §4.2 allows 255 with CR LF",
			n + eol);
	if (eol == 1)
		wl_note(m, WL_INFO, "ends with LF alone; RFC 4253 §4.2 asks for CR LF (old "
			"implementations are tolerated)");
	if (!is_text(text))
		wl_note(m, WL_WARN, "the version string holds control characters");
	h->seen_version = 1;
	if (dash == 3 && wl_starts_with(&version, "2.0")) {
		h->ph = PH_PACKETS;
	} else if (dash == 4 && wl_starts_with(&version, "1.99")) {
		wl_note(m, WL_INFO, "1.99 means: SSH 2.0, and also the old 1.x if the peer wants it");
		h->ph = PH_PACKETS;
	} else if (dash >= 2 && wl_starts_with(&version, "1.")) {
		wl_note(m, WL_WARN, "SSH protocol 1 is obsolete and broken; wirelab does not decode "
			"its packets");
		h->ph = PH_OPAQUE;
		h->opaque_noted = 1;
	} else {
		wl_note(m, WL_WARN, "unknown protocol version %.*s; decoding as 2.0", (int)dash,
			(const char *)ver);
		h->ph = PH_PACKETS;
	}
}

static size_t do_banner(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ssh_half *h = &st->h[dir];
	size_t eol = 0, left = wl_left(&c);
	long pos = wl_find_eol(&c, &eol);
	size_t probe = pos < 0 ? left : (size_t)pos;
	struct wl_cur head = wl_at(&c, 0, probe);
	if (!wl_ok(&c))
		return 0;
	if (!wl_starts_with(&head, "SSH-") && !wl_is_text(&head, probe < 64 ? probe : 64, "\t\r\n")) {
		h->ph = PH_OPAQUE;
		opaque_msg(st, ctx, dir, left, "no SSH version string from this side: the capture "
			   "probably starts after the handshake, so this is encrypted traffic");
		return left;
	}
	if (pos < 0) {
		if (left >= SSH_LINE_MAX) {
			h->ph = PH_OPAQUE;
			opaque_msg(st, ctx, dir, left, "no end of line in 8192 bytes: not an SSH "
				   "version string");
			return left;
		}
		h->want = left + 1;
		h->have = left;
		return 0;
	}
	if (!wl_starts_with(&head, "SSH-"))
		return pre_banner(st, ctx, dir, c);
	banner_msg(st, ctx, dir, head, eol);
	return (size_t)pos + eol;
}

static const struct msgdef *lookup(struct ssh_st *st, enum wl_dir dir, uint8_t code)
{
	const struct msgdef *d = find_def(transport_msgs, code);
	if (!d && code >= 30 && code <= 49)
		d = find_def(kex_tables[current_family(st, dir)], code);
	return d;
}

/* packet_length cannot be true: show what the bytes are and stop framing. */
static size_t lying_length(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir,
			   struct wl_cur c, uint32_t plen)
{
	struct ssh_half *h = &st->h[dir];
	size_t left = wl_left(&c);
	struct wl_msg *m = ssh_msg(st, ctx, "malformed", dir, 0);
	/* tshark names the length only when the packet would fit the segment
	 * (else it waits for more bytes) and when it knows the version */
	if (st->ts_version && (uint64_t)plen + 4 <= left)
		wl_f_uint(m, "ssh.packet_length", plen);
	size_t eol;
	long pos = wl_find_eol(&c, &eol);
	struct wl_cur text = wl_at(&c, 0, pos > 0 ? (size_t)pos : 0), t = text;
	const uint8_t *line = pos > 0 ? wl_bytes(&t, (size_t)pos) : NULL;
	if (line && is_text(text)) {
		wl_msg_text(m, "text \"%.*s\"", (int)(pos > 60 ? 60 : pos), (const char *)line);
		wl_note(m, WL_ERROR, "a line of text where a binary packet should start (packet_length "
			"would be %u)", plen);
	} else {
		wl_msg_text(m, "packet_length %u: impossible", plen);
		wl_note(m, WL_ERROR, "malformed: packet_length %u is outside 5..%u, so the packets "
			"of this direction cannot be framed any more", plen, SSH_PKT_MAX);
	}
	wl_f_uint(m, "wl.ssh.unframed_bytes", left);
	h->ph = PH_OPAQUE;
	h->opaque_noted = 1;
	h->opaque_bytes += left;
	return left;
}

static size_t do_packet(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ssh_half *h = &st->h[dir];
	size_t left = wl_left(&c);
	struct wl_cur hdr = c;
	uint32_t plen = wl_be32(&hdr);
	uint8_t padlen = wl_u8(&hdr);
	if (!wl_ok(&hdr)) {
		h->want = 5;
		h->have = left;
		return 0;
	}
	if (plen < 5 || plen > SSH_PKT_MAX)
		return lying_length(st, ctx, dir, c, plen);
	size_t total = 4 + (size_t)plen;
	if (left < total) {
		h->want = total;
		h->have = left;
		return 0;
	}
	struct wl_cur pkt = wl_sub(&c, total);
	wl_skip(&pkt, 5);
	if ((size_t)padlen + 1 >= plen) {
		struct wl_msg *m = ssh_msg(st, ctx, "malformed", dir, 1);
		wl_f_uint(m, "ssh.packet_length", plen);
		wl_f_uint(m, "ssh.padding_length", padlen);
		wl_msg_text(m, "packet_length %u, padding_length %u", plen, padlen);
		wl_note(m, WL_ERROR, "malformed: padding_length %u leaves no room for a message in "
			"a %u-byte packet", padlen, plen);
		return total;
	}
	struct wl_cur payload = wl_sub(&pkt, plen - padlen - 1u);
	uint8_t code = wl_u8(&payload);
	const struct msgdef *d = lookup(st, dir, code);
	const char *type = d ? d->type : wl_tok(other_codes, code, "unknown");
	struct wl_msg *m = ssh_msg(st, ctx, type, dir, 1);
	if (code == 20)
		wl_msg_unordered(m);  /* each side sends KEXINIT without waiting */
	wl_f_uint(m, "ssh.packet_length", plen);
	wl_f_uint(m, "ssh.padding_length", padlen);
	wl_f_uint(m, "ssh.message_code", code);
	if (verbose(ctx)) {
		struct wl_cur pad = pkt;  /* after the payload: the padding */
		const uint8_t *pb = wl_bytes(&pad, padlen);
		if (pb)
			wl_f_bytes(m, "ssh.padding_string", pb, padlen);
		wl_f_uint(m, "ssh.seq_num", ts_seq_num(st, ctx, dir, code));
	}
	if (code == 31 && ts_family(st) != KF_GEX)
		ts_choose(st);
	h->clear_pkts++;
	struct pkt p = { st, ctx, m, dir, code, 0, d };
	if (d) {
		d->fn(&p, &payload);
		if (!wl_ok(&payload) && !p.reported)
			wl_note_cursor(m, &payload, d->label);
	} else {
		wl_msg_text(m, "message %u (%s)", code, type);
		if (code >= 50)
			wl_note(m, WL_WARN, "a %s message in clear: no cipher protects this connection",
				type);
		else
			wl_note(m, WL_WARN, "message code %u is not known here", code);
	}
	if (padlen < 4)
		wl_note(m, WL_WARN, "padding_length %u is below the minimum of 4 (RFC 4253 §6)",
			padlen);
	if (total % 8)
		wl_note(m, WL_WARN, "packet size %zu is not a multiple of 8 (RFC 4253 §6)", total);
	return total;
}

/* Walks framed packets (length in clear); returns the bytes that make whole
 * pieces of packets, recording up to max packet lengths. */
static size_t frame_encrypted(struct ssh_half *h, struct wl_cur c, uint32_t *lens, size_t max,
			      size_t *npkts, uint32_t *bad)
{
	size_t left = wl_left(&c), used = 0;
	*npkts = 0;
	while (h->framed && used < left) {
		if (!h->enc_left) {
			struct wl_cur lc = wl_at(&c, used, 4);
			uint32_t plen = wl_be32(&lc);
			if (!wl_ok(&lc))
				return used;  /* the length straddles segments: wait */
			if (plen < 4 || plen > SSH_PKT_MAX || plen % h->block) {
				*bad = plen;
				h->framed = 0;
				break;
			}
			if (*npkts < max)
				lens[*npkts] = plen;
			(*npkts)++;
			h->enc_left = 4 + (uint64_t)plen + h->maclen;
		}
		size_t take = left - used < h->enc_left ? left - used : (size_t)h->enc_left;
		h->enc_left -= take;
		used += take;
	}
	return h->framed ? used : left;
}

/* Appends the literal s (without its NUL) at p; the end. */
#define PUT_LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/* Appends v in decimal at p; the end. */
static char *put_dec(char *p, uint64_t v)
{
	char d[WL_U64_DIGITS];
	size_t k = wl_u64_dec(d + sizeof d, v);
	memcpy(p, d + sizeof d - k, k);
	return p + k;
}

/* "encrypted N bytes[, K packet[s]]" into out (80 bytes are enough), made by
 * hand: this text is written for every ciphertext segment, and a format
 * string was parsed again each time. */
static void enc_text(char *out, size_t used, size_t pkts)
{
	char *p = PUT_LIT(out, "encrypted ");
	p = put_dec(p, used);
	p = PUT_LIT(p, " bytes");
	if (pkts) {
		p = PUT_LIT(p, ", ");
		p = put_dec(p, pkts);
		p = PUT_LIT(p, " packet");
		if (pkts > 1)
			*p++ = 's';
	}
	*p = '\0';
}

static size_t do_encrypted(struct ssh_st *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ssh_half *h = &st->h[dir];
	uint32_t lens[64], bad = 0;
	size_t pkts = 0, left = wl_left(&c);
	int was_framed = h->framed;
	size_t used = frame_encrypted(h, c, lens, sizeof lens / sizeof *lens, &pkts, &bad);
	if (!used) {
		h->want = 4;
		h->have = left;
		return 0;
	}
	struct wl_msg *m = ssh_msg(st, ctx, "encrypted", dir, 0);
	wl_msg_unordered(m);  /* interleaving of ciphertext is timing */
	h->enc_msgs++;
	h->enc_bytes += used;
	h->enc_pkts += pkts;
	for (size_t i = 0; i < pkts && i < sizeof lens / sizeof *lens; i++)
		wl_f_uint(m, "ssh.packet_length", lens[i]);
	wl_f_uint(m, "wl.ssh.encrypted_bytes", used);
	char text[80];
	enc_text(text, used, pkts);
	wl_msg_text(m, "%s", text);
	if (h->enc_msgs == 1) {
		wl_note(m, WL_INFO, "encrypted: log-in, commands and data are inside; only sizes and "
			"timing show");
		if (was_framed)
			wl_note(m, WL_INFO, "%s leaves packet_length in clear, so packets can be counted",
				strstr(cipher_of(st, dir), "gcm") ? cipher_of(st, dir) : mac_of(st, dir));
	}
	if (was_framed && !h->framed)
		wl_note(m, WL_WARN, "packet_length %u does not fit the cipher: counting bytes only "
			"from here", bad);
	return used;
}

/* ---- the descriptor's entry points ---- */

static size_t ssh_stream(void *vst, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ssh_st *st = vst;
	struct ssh_half *h = &st->h[dir];
	size_t used = 0;
	/* bytes held from an earlier frame complete a PDU tshark reassembles
	 * and reads to its end; else the whole segment must end on a boundary */
	st->call_dir_ok = h->have > 0 || ts_call_complete(st, dir, c);
	int viewed = 0;
	h->want = h->have = 0;
	while (wl_left(&c)) {
		enum ssh_phase before = h->ph;
		size_t n = 0;
		if (!viewed && !st->ts_version && !(h->ph == PH_BANNER && starts_ci(c, "SSH-"))) {
			/* no version yet for tshark: the rest is one encrypted packet */
			ts_encrypted_view(st, c, -1, 0);
			viewed = 1;
		} else if (!viewed && h->ph == PH_ENCRYPTED && !h->ts_cipher) {
			ts_encrypted_view(st, c, h->ts_maclen, h->ts_len_plain);
			viewed = 1;
		}
		switch (h->ph) {
		case PH_BANNER: n = do_banner(st, ctx, dir, c); break;
		case PH_PACKETS: n = do_packet(st, ctx, dir, c); break;
		case PH_ENCRYPTED: n = do_encrypted(st, ctx, dir, c); break;
		case PH_OPAQUE:
			n = wl_left(&c);
			opaque_msg(st, ctx, dir, n, NULL);
			break;
		}
		if (n) {
			wl_skip(&c, n);
			used += n;
			h->want = h->have = 0;
		} else if (h->ph == before) {
			break;
		}
	}
	st->enc_pending = 0;
	st->call_dir_ok = 0;
	return used;
}

static void ssh_gap(void *vst, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct ssh_st *st = vst;
	struct ssh_half *h = &st->h[dir];
	h->want = h->have = 0;
	if (h->ph == PH_BANNER || h->ph == PH_PACKETS) {
		struct wl_msg *m = wl_msg_new(ctx, "ssh", "gap", dir);
		wl_msg_text(m, "[%llu bytes missing]", (unsigned long long)len);
		wl_note(m, WL_WARN, "bytes of this direction were not captured: SSH packets cannot be "
			"framed after the hole");
		h->ph = PH_OPAQUE;
		h->opaque_noted = 1;
	} else if (h->ph == PH_ENCRYPTED) {
		h->framed = 0;
		h->enc_left = 0;
	}
}

static void *ssh_open(struct wl_ctx *ctx)
{
	(void)ctx;
	struct ssh_st *st = calloc(1, sizeof *st);
	if (st) {
		st->client = WL_C2S;
		st->h[0].ts_maclen = st->h[1].ts_maclen = -1;
	}
	return st;
}

static void ssh_close(void *vst, struct wl_ctx *ctx)
{
	struct ssh_st *st = vst;
	if (!st)
		return;
	for (int d = 0; d < 2; d++) {
		struct ssh_half *h = &st->h[d];
		if (h->want && h->have) {
			struct wl_msg *m = wl_msg_new(ctx, "ssh", "truncated", (enum wl_dir)d);
			wl_msg_text(m, "%zu bytes of an unfinished %s", h->have,
				    h->ph == PH_BANNER ? "line" : "packet");
			if (h->ph == PH_BANNER)
				wl_note(m, WL_ERROR, "malformed: the stream ends inside a version line "
					"(%zu bytes without an end of line)", h->have);
			else if (h->ph == PH_PACKETS)
				wl_note(m, WL_ERROR, "malformed: the stream ends inside a packet (%zu of "
					"%zu bytes)", h->have, h->want);
			else
				wl_note(m, WL_INFO, "the stream ends inside an encrypted packet");
		}
		if (h->enc_msgs)
			wl_flow_fact(ctx, d == WL_C2S ? "encrypted client→server" :
				     "encrypted server→client", "%llu bytes in %llu segments%s",
				     (unsigned long long)h->enc_bytes, (unsigned long long)h->enc_msgs,
				     h->enc_pkts ? "" : " (packet lengths are encrypted too)");
		if (h->enc_pkts)
			wl_flow_fact(ctx, d == WL_C2S ? "packets client→server" :
				     "packets server→client", "%u in clear, %llu encrypted",
				     h->clear_pkts, (unsigned long long)h->enc_pkts);
	}
	free_lists(st);
	free(st);
}

static enum wl_probe ssh_probe(struct wl_cur c, enum wl_dir dir)
{
	(void)dir;
	static const char magic[] = "SSH-";
	for (size_t i = 0; i < 4; i++) {
		int b = wl_peek(&c, i);
		if (b < 0)
			return WL_PROBE_NEED_MORE;
		if (b != magic[i])
			return WL_PROBE_NO;
	}
	return WL_PROBE_YES;
}

static const uint16_t ssh_tcp_ports[] = { 22, 2222, 0 };

/* Emitted only with -v; a filter or -e that names one turns it on. */
static const struct wl_field_info ssh_fields_verbose[] = {
	{ "ssh.padding_string", WL_FT_BYTES, "random padding (-v)" },
	{ "ssh.seq_num", WL_FT_UINT, "tshark 4.0's packet number in clear (-v; its rules, not always RFC 4253's)" },
	{ "ssh.packet_length_encrypted", WL_FT_BYTES, "first 4 bytes of an encrypted segment tshark cannot decrypt (-v)" },
	{ "ssh.encrypted_packet", WL_FT_BYTES, "the rest of that segment (-v)" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info ssh_fields[] = {
	{ "ssh.protocol", WL_FT_STR, "version string (identification line)" },
	{ "ssh.direction", WL_FT_BOOL, "0 client to server, 1 server to client" },
	{ "ssh.packet_length", WL_FT_UINT, "binary packet length" },
	{ "ssh.padding_length", WL_FT_UINT, "padding length" },
	{ "ssh.message_code", WL_FT_UINT, "message number (RFC 4250)" },
	{ "ssh.mac", WL_FT_BYTES, "its last mac-length bytes, when tshark knows the MAC (-v)" },
	{ "ssh.cookie", WL_FT_BYTES, "KEXINIT random cookie" },
	{ "ssh.kex_algorithms", WL_FT_STR, "key exchange name-list" },
	{ "ssh.server_host_key_algorithms", WL_FT_STR, "host key name-list" },
	{ "ssh.encryption_algorithms_client_to_server", WL_FT_STR, "cipher name-list c2s" },
	{ "ssh.encryption_algorithms_server_to_client", WL_FT_STR, "cipher name-list s2c" },
	{ "ssh.mac_algorithms_client_to_server", WL_FT_STR, "MAC name-list c2s" },
	{ "ssh.mac_algorithms_server_to_client", WL_FT_STR, "MAC name-list s2c" },
	{ "ssh.compression_algorithms_client_to_server", WL_FT_STR, "compression name-list c2s" },
	{ "ssh.compression_algorithms_server_to_client", WL_FT_STR, "compression name-list s2c" },
	{ "ssh.languages_client_to_server", WL_FT_STR, "language name-list c2s" },
	{ "ssh.languages_server_to_client", WL_FT_STR, "language name-list s2c" },
	{ "ssh.kex_algorithms_length", WL_FT_UINT, "length of the kex name-list" },
	{ "ssh.server_host_key_algorithms_length", WL_FT_UINT, "length of the host key name-list" },
	{ "ssh.encryption_algorithms_client_to_server_length", WL_FT_UINT, "length of the cipher name-list c2s" },
	{ "ssh.encryption_algorithms_server_to_client_length", WL_FT_UINT, "length of the cipher name-list s2c" },
	{ "ssh.mac_algorithms_client_to_server_length", WL_FT_UINT, "length of the MAC name-list c2s" },
	{ "ssh.mac_algorithms_server_to_client_length", WL_FT_UINT, "length of the MAC name-list s2c" },
	{ "ssh.compression_algorithms_client_to_server_length", WL_FT_UINT, "length of the compression name-list c2s" },
	{ "ssh.compression_algorithms_server_to_client_length", WL_FT_UINT, "length of the compression name-list s2c" },
	{ "ssh.languages_client_to_server_length", WL_FT_UINT, "length of the language name-list c2s" },
	{ "ssh.languages_server_to_client_length", WL_FT_UINT, "length of the language name-list s2c" },
	{ "ssh.first_kex_packet_follows", WL_FT_UINT, "a guessed KEX packet follows" },
	{ "ssh.kex.reserved", WL_FT_BYTES, "reserved" },
	{ "ssh.kex.hassh_algorithms", WL_FT_STR, "HASSH input (client)" },
	{ "ssh.kex.hassh", WL_FT_STR, "HASSH: MD5 of the client's algorithms" },
	{ "ssh.kex.hasshserver_algorithms", WL_FT_STR, "HASSH input (server)" },
	{ "ssh.kex.hasshserver", WL_FT_STR, "HASSH: MD5 of the server's algorithms" },
	{ "ssh.ecdh.q_c_length", WL_FT_UINT, "length of Q_C" },
	{ "ssh.ecdh.q_c", WL_FT_BYTES, "client's ephemeral ECDH public key" },
	{ "ssh.ecdh.q_s_length", WL_FT_UINT, "length of Q_S" },
	{ "ssh.ecdh.q_s", WL_FT_BYTES, "server's ephemeral ECDH public key" },
	{ "ssh.mpint_length", WL_FT_UINT, "length of the mpint (or string) that follows" },
	{ "ssh.dh.e", WL_FT_BYTES, "client's DH value e" },
	{ "ssh.dh.f", WL_FT_BYTES, "server's DH value f" },
	{ "ssh.dh_gex.min", WL_FT_UINT, "GEX minimum group size" },
	{ "ssh.dh_gex.nbits", WL_FT_UINT, "GEX preferred group size" },
	{ "ssh.dh_gex.max", WL_FT_UINT, "GEX maximum group size" },
	{ "ssh.dh_gex.p", WL_FT_BYTES, "GEX prime" },
	{ "ssh.dh_gex.g", WL_FT_BYTES, "GEX generator" },
	{ "ssh.host_key.length", WL_FT_UINT, "host key blob length" },
	{ "ssh.host_key.type_length", WL_FT_UINT, "length of the host key type" },
	{ "ssh.host_key.type", WL_FT_STR, "host key type" },
	{ "ssh.host_key.rsa.e", WL_FT_BYTES, "RSA host key: public exponent" },
	{ "ssh.host_key.rsa.n", WL_FT_BYTES, "RSA host key: modulus" },
	{ "ssh.host_key.dsa.p", WL_FT_BYTES, "DSA host key: p (-v)" },
	{ "ssh.host_key.dsa.q", WL_FT_BYTES, "DSA host key: q (-v)" },
	{ "ssh.host_key.dsa.g", WL_FT_BYTES, "DSA host key: g (-v)" },
	{ "ssh.host_key.dsa.y", WL_FT_BYTES, "DSA host key: y (-v)" },
	{ "ssh.host_key.ecdsa.id_length", WL_FT_UINT, "ECDSA host key: curve name length (-v)" },
	{ "ssh.host_key.ecdsa.id", WL_FT_STR, "ECDSA host key: curve name" },
	{ "ssh.host_key.ecdsa.q_length", WL_FT_UINT, "ECDSA host key: point length (-v)" },
	{ "ssh.host_key.ecdsa.q", WL_FT_BYTES, "ECDSA host key: public point" },
	{ "ssh.host_key.eddsa.key_length", WL_FT_UINT, "EdDSA host key length" },
	{ "ssh.host_key.eddsa.key", WL_FT_BYTES, "EdDSA host key" },
	{ "ssh.host_key.data", WL_FT_BYTES, "a host key of a type tshark does not decode (-v)" },
	{ "ssh.host_sig.length", WL_FT_UINT, "signature blob length" },
	{ "ssh.host_sig.type_length", WL_FT_UINT, "length of the signature algorithm" },
	{ "ssh.host_sig.type", WL_FT_STR, "signature algorithm" },
	{ "ssh.host_sig.rsa", WL_FT_BYTES, "ssh-rsa signature (-v)" },
	{ "ssh.host_sig.dsa", WL_FT_BYTES, "ssh-dss signature (-v)" },
	{ "ssh.host_sig.data", WL_FT_BYTES, "other signatures (rsa-sha2-*), as tshark (-v)" },
	{ "ssh.ignore_data_length", WL_FT_UINT, "IGNORE: length of the data" },
	{ "ssh.debug_always_display", WL_FT_BOOL, "DEBUG: always display" },
	{ "ssh.debug_name", WL_FT_STR, "DEBUG: the message" },
	{ "ssh.disconnect_reason", WL_FT_UINT, "disconnect reason code" },
	{ "ssh.disconnect_description", WL_FT_STR, "disconnect text" },
	{ "ssh.service_name", WL_FT_STR, "service requested or accepted" },
	{ "wl.ssh.proto_version", WL_FT_STR, "protocol version of the version string" },
	{ "wl.ssh.software", WL_FT_STR, "software version of the version string" },
	{ "wl.ssh.comments", WL_FT_STR, "comments of the version string" },
	{ "wl.ssh.pre_banner_lines", WL_FT_UINT, "lines before the version string" },
	{ "wl.ssh.kex", WL_FT_STR, "negotiated key exchange" },
	{ "wl.ssh.host_key_algorithm", WL_FT_STR, "negotiated host key algorithm" },
	{ "wl.ssh.cipher_c2s", WL_FT_STR, "negotiated cipher client to server" },
	{ "wl.ssh.cipher_s2c", WL_FT_STR, "negotiated cipher server to client" },
	{ "wl.ssh.mac_c2s", WL_FT_STR, "negotiated MAC client to server" },
	{ "wl.ssh.mac_s2c", WL_FT_STR, "negotiated MAC server to client" },
	{ "wl.ssh.compression_c2s", WL_FT_STR, "negotiated compression client to server" },
	{ "wl.ssh.compression_s2c", WL_FT_STR, "negotiated compression server to client" },
	{ "wl.ssh.strict_kex", WL_FT_BOOL, "strict KEX agreed (Terrapin countermeasure)" },
	{ "wl.ssh.host_key.fingerprint", WL_FT_STR, "SHA256 fingerprint as ssh-keygen -l" },
	{ "wl.ssh.host_key.bits", WL_FT_UINT, "host key size" },
	{ "wl.ssh.host_cert.key_id", WL_FT_STR, "a host certificate's key id (its comment)" },
	{ "wl.ssh.extension", WL_FT_STR, "EXT_INFO: an extension's name" },
	{ "wl.ssh.kex.client_value", WL_FT_BYTES, "the client's value of a key exchange wirelab does not know" },
	{ "wl.ssh.kex.server_value", WL_FT_BYTES, "the server's value of a key exchange wirelab does not know" },
	{ "wl.ssh.kem.client_init", WL_FT_BYTES, "hybrid KEM: client public key(s)" },
	{ "wl.ssh.kem.server_reply", WL_FT_BYTES, "hybrid KEM: server ciphertext and key" },
	{ "wl.ssh.encrypted_bytes", WL_FT_UINT, "encrypted bytes in this segment" },
	{ "wl.ssh.unframed_bytes", WL_FT_UINT, "bytes that could not be framed" },
	{ NULL, 0, NULL },
};

const struct wl_dissector wl_dissector_ssh = {
	.name = "ssh",
	.desc = "SSH 2 transport: version, KEXINIT negotiation, key exchange, encrypted tail",
	.tcp_ports = ssh_tcp_ports,
	.probe = ssh_probe,
	.open = ssh_open,
	.stream = ssh_stream,
	.gap = ssh_gap,
	.close = ssh_close,
	.fields = ssh_fields,
	.fields_verbose = ssh_fields_verbose,
};
