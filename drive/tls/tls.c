/* tls.c - the TLS exchanges: an OpenSSL client that does what a careful
 * client must (verify the chain against the lab CA, check the host name with
 * SNI + X509_check_host), prints the server's certificate, sends one request
 * line and reads the reply, and writes its session secrets in SSLKEYLOGFILE
 * format so that the trace can be decrypted.
 *
 *   tls        TLS 1.3 against wirelab's TLS server (127.0.0.1:8443)
 *   tls12      TLS 1.2, ECDHE key exchange
 *   tls12-rsa  TLS 1.2 with TLS_RSA_WITH_AES_256_CBC_SHA: RSA key exchange, no
 *              forward secrecy (still permitted by Debian 12's OpenSSL 3.0 at
 *              its default security level)
 *   tls-mitm   a server that presents a certificate for localhost from an
 *              unknown CA (:8444): the client refuses, the trace shows the alert
 *
 * The key log goes to <state>/tls/keylog (rewritten per run) and, when set,
 * also to $SSLKEYLOGFILE (appended), as browsers and curl do.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "drive.h"
#include "sock.h"
#include "tls_lab.h"

#define LAB_HOST "localhost"   /* the name the client asks for and checks */

struct tls_mode {
	int max_version;        /* 0: the library's highest (TLS 1.3) */
	int want_version;
	const char *ciphers;    /* TLS <= 1.2 cipher list, or NULL */
	int expect_refusal;     /* tls-mitm: success is refusing the server */
};

/* The client's per-connection data, reached from OpenSSL's callbacks. */
struct keylogs {
	FILE *lab, *env;
	X509 *rejected;         /* the server certificate verification refused */
};

/* Keeps the certificate a failed verification was about, to print it. */
static int verify_cb(int ok, X509_STORE_CTX *st)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(st, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct keylogs *k = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *c = X509_STORE_CTX_get_current_cert(st);
	if (!ok && k && !k->rejected && c && X509_up_ref(c))
		k->rejected = c;
	return ok;
}

static void keylog_cb(const SSL *ssl, const char *line)
{
	struct keylogs *k = SSL_get_app_data(ssl);
	if (!k)
		return;
	if (k->lab) {
		fprintf(k->lab, "%s\n", line);
		fflush(k->lab);
	}
	if (k->env) {
		fprintf(k->env, "%s\n", line);
		fflush(k->env);
	}
}

static void print_name(FILE *out, const char *label, const X509_NAME *n)
{
	fprintf(out, "  %-10s ", label);
	BIO *b = BIO_new_fp(out, BIO_NOCLOSE);
	if (b) {
		X509_NAME_print_ex(b, n, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
		BIO_free(b);
	}
	fputc('\n', out);
}

static void print_time(FILE *out, const char *label, const ASN1_TIME *t)
{
	fprintf(out, "  %-10s ", label);
	BIO *b = BIO_new_fp(out, BIO_NOCLOSE);
	if (b) {
		ASN1_TIME_print(b, t);
		BIO_free(b);
	}
	fputc('\n', out);
}

static void print_cert(FILE *out, X509 *c)
{
	fprintf(out, "server certificate:\n");
	print_name(out, "subject:", X509_get_subject_name(c));
	print_name(out, "issuer:", X509_get_issuer_name(c));
	print_time(out, "valid from", X509_get0_notBefore(c));
	print_time(out, "valid to", X509_get0_notAfter(c));
	GENERAL_NAMES *gens = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
	fprintf(out, "  %-10s", "SAN:");
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS)
			fprintf(out, " DNS:%.*s", ASN1_STRING_length(g->d.dNSName),
				(const char *)ASN1_STRING_get0_data(g->d.dNSName));
		else if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 4) {
			const unsigned char *a = ASN1_STRING_get0_data(g->d.iPAddress);
			fprintf(out, " IP:%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		}
	}
	GENERAL_NAMES_free(gens);
	fputc('\n', out);
	EVP_PKEY *pk = X509_get0_pubkey(c);
	fprintf(out, "  %-10s %s %d bits\n", "key:", pk ? EVP_PKEY_get0_type_name(pk) : "?",
		pk ? EVP_PKEY_get_bits(pk) : 0);
	fprintf(out, "  %-10s %s\n", "signature:", OBJ_nid2ln(X509_get_signature_nid(c)));
}

static int read_line(SSL *ssl, char *buf, size_t max)
{
	size_t n = 0;
	while (n + 1 < max) {
		char c;
		if (SSL_read(ssl, &c, 1) <= 0)
			return -1;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return (int)n;
}

static const char *ssl_errors(char *buf, size_t n)
{
	unsigned long e = ERR_get_error();
	if (!e)
		return "connection closed";
	ERR_error_string_n(e, buf, n);
	ERR_clear_error();
	return buf;
}

/* The handshake was refused (or failed): say why. */
static int refused(const struct wl_drive_cfg *cfg, struct wl_drive_result *res, SSL *ssl,
		   const struct tls_mode *mode)
{
	long v = SSL_get_verify_result(ssl);
	char eb[256];
	struct keylogs *k = SSL_get_app_data(ssl);
	if (k && k->rejected)
		print_cert(cfg->out, k->rejected);
	if (v != X509_V_OK) {
		fprintf(cfg->out, "certificate verification FAILED: %s (error %ld)\n",
			X509_verify_cert_error_string(v), v);
		fprintf(cfg->out, "the client refuses to talk to this server and sends an alert\n");
		if (mode->expect_refusal) {
			wl_drive_fact(res, "refused: %s", X509_verify_cert_error_string(v));
			res->ok = 1;
			return 0;
		}
		return wl_drive_fail(res, "certificate verification failed: %s",
				     X509_verify_cert_error_string(v));
	}
	return wl_drive_fail(res, "TLS handshake failed: %s", ssl_errors(eb, sizeof eb));
}

/* Everything after a successful handshake: checks, request, reply, close. */
static int talk(const struct wl_drive_cfg *cfg, struct wl_drive_result *res, SSL *ssl,
		const struct tls_mode *mode)
{
	FILE *out = cfg->out;
	X509 *peer = SSL_get1_peer_certificate(ssl);
	if (!peer)
		return wl_drive_fail(res, "the server sent no certificate");
	fprintf(out, "connected: %s, %s\n", SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	print_cert(out, peer);
	int host_ok = X509_check_host(peer, LAB_HOST, 0, 0, NULL) == 1;
	fprintf(out, "verify: the chain leads to the lab CA: ok; host name %s: %s\n", LAB_HOST,
		host_ok ? "matches (X509_check_host)" : "DOES NOT MATCH");
	X509_free(peer);
	if (mode->expect_refusal)
		return wl_drive_fail(res, "the client accepted a certificate it should have refused");
	if (!host_ok)
		return wl_drive_fail(res, "certificate does not match %s", LAB_HOST);
	if (mode->want_version && SSL_version(ssl) != mode->want_version)
		return wl_drive_fail(res, "negotiated %s, not the version asked for", SSL_get_version(ssl));
	wl_drive_fact(res, "version: %s", SSL_get_version(ssl));
	wl_drive_fact(res, "cipher: %s", SSL_get_cipher_name(ssl));

	char line[1100], eb[256];
	if (read_line(ssl, line, sizeof line) < 0)
		return wl_drive_fail(res, "no greeting from the server: %s", ssl_errors(eb, sizeof eb));
	fprintf(out, "server: %s\n", line);
	static const char req[] = "hello over TLS from the wirelab client\n";
	fprintf(out, "client: %.*s\n", (int)sizeof req - 2, req);
	if (SSL_write(ssl, req, sizeof req - 1) <= 0)
		return wl_drive_fail(res, "write failed: %s", ssl_errors(eb, sizeof eb));
	if (read_line(ssl, line, sizeof line) < 0)
		return wl_drive_fail(res, "no reply: %s", ssl_errors(eb, sizeof eb));
	fprintf(out, "server: %s\n", line);
	/* close_notify, then wait for the server's */
	if (SSL_shutdown(ssl) == 0) {
		char sink[64];
		while (SSL_read(ssl, sink, sizeof sink) > 0)
			;
	}
	if (strncmp(line, "you said: hello over TLS", 24) != 0)
		return wl_drive_fail(res, "unexpected reply: %.80s", line);
	res->ok = 1;
	return 0;
}

static int run_tls(const struct wl_drive_cfg *cfg, struct wl_drive_result *res, const struct tls_mode *mode)
{
	char dir[1024], ca[1100], eb[256];
	snprintf(dir, sizeof dir, "%s/tls", cfg->state_dir);
	snprintf(ca, sizeof ca, "%s/%s", dir, WL_TLS_CA);
	if (access(ca, R_OK) != 0)
		return wl_drive_fail(res, "no lab CA at %s: start the lab's server (wirelab servers up "
				     "tls)", ca);
	signal(SIGPIPE, SIG_IGN);
	struct keylogs kl = { NULL, NULL, NULL };
	if ((size_t)snprintf(res->keylog, sizeof res->keylog, "%.400s/%s", dir, WL_TLS_KEYLOG) >=
	    sizeof res->keylog)
		return wl_drive_fail(res, "state folder path too long");
	kl.lab = fopen(res->keylog, "w");
	const char *env = getenv("SSLKEYLOGFILE");
	if (env && *env)
		kl.env = fopen(env, "a");

	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	int fd = -1, rc;
	if (!ctx || SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		rc = wl_drive_fail(res, "cannot load %s: %s", ca, ssl_errors(eb, sizeof eb));
		goto out;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
	SSL_CTX_set_keylog_callback(ctx, keylog_cb);
	if (mode->max_version)
		SSL_CTX_set_max_proto_version(ctx, mode->max_version);
	if (mode->ciphers && SSL_CTX_set_cipher_list(ctx, mode->ciphers) != 1) {
		rc = wl_drive_fail(res, "this OpenSSL refuses the cipher list %s", mode->ciphers);
		goto out;
	}
	fd = wl_tcp_connect(cfg->host, cfg->port, 10000);
	if (fd < 0) {
		rc = wl_drive_fail(res, "connect %s:%u: %s", cfg->host, cfg->port, strerror(errno));
		goto out;
	}
	ssl = SSL_new(ctx);
	if (!ssl || !SSL_set_fd(ssl, fd) || !SSL_set_tlsext_host_name(ssl, LAB_HOST) ||
	    !SSL_set1_host(ssl, LAB_HOST)) {
		rc = wl_drive_fail(res, "cannot set up the TLS client: %s", ssl_errors(eb, sizeof eb));
		goto out;
	}
	SSL_set_app_data(ssl, &kl);
	fprintf(cfg->out, "connecting to %s:%u, asking for %s (SNI), trusting only the lab CA\n",
		cfg->host, cfg->port, LAB_HOST);
	if (SSL_connect(ssl) != 1)
		rc = refused(cfg, res, ssl, mode);
	else
		rc = talk(cfg, res, ssl, mode);
	fprintf(cfg->out, "session secrets written to %s%s%s\n", res->keylog, kl.env ? " and " : "",
		kl.env ? env : "");
out:
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	if (fd >= 0)
		close(fd);
	if (kl.lab)
		fclose(kl.lab);
	if (kl.env)
		fclose(kl.env);
	X509_free(kl.rejected);
	return rc;
}

static int run_tls13(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	static const struct tls_mode m = { 0, TLS1_3_VERSION, NULL, 0 };
	return run_tls(cfg, res, &m);
}

static int run_tls12(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	static const struct tls_mode m = { TLS1_2_VERSION, TLS1_2_VERSION, NULL, 0 };
	return run_tls(cfg, res, &m);
}

static int run_tls12_rsa(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	static const struct tls_mode m = { TLS1_2_VERSION, TLS1_2_VERSION, "AES256-SHA", 0 };
	return run_tls(cfg, res, &m);
}

static int run_tls_mitm(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	/* TLS 1.2, so that the certificate and the alert are in the clear */
	static const struct tls_mode m = { TLS1_2_VERSION, 0, NULL, 1 };
	return run_tls(cfg, res, &m);
}

const struct wl_driver wl_driver_tls = {
	.name = "tls", .desc = "TLS 1.3 with certificate and host name checks, request and reply",
	.server = "tls", .port = 8443, .bpf = "tcp port %u", .run = run_tls13,
};
const struct wl_driver wl_driver_tls12 = {
	.name = "tls12", .desc = "TLS 1.2 (ECDHE): the certificate travels in the clear",
	.server = "tls", .port = 8443, .bpf = "tcp port %u", .run = run_tls12,
};
const struct wl_driver wl_driver_tls12_rsa = {
	.name = "tls12-rsa", .desc = "TLS 1.2 with RSA key exchange (AES256-SHA): no forward secrecy",
	.server = "tls", .port = 8443, .bpf = "tcp port %u", .run = run_tls12_rsa,
};
const struct wl_driver wl_driver_tls_mitm = {
	.name = "tls-mitm", .desc = "a man-in-the-middle's certificate: the client refuses",
	.server = "tls-mitm", .port = 8444, .bpf = "tcp port %u", .run = run_tls_mitm,
};
