/* srv_tls.c - wirelab's own TLS server (`wirelab serve tls`, 127.0.0.1:8443)
 * and its man-in-the-middle twin (`wirelab serve tls-mitm`, :8444), with the
 * lab's certificates, made on first use with OpenSSL's APIs:
 *
 *   <state>/tls/ca.pem, ca.key        "wirelab lab CA" (EC P-256), trusted by the clients
 *   <state>/tls/server.pem, .key      CN=localhost, SAN localhost + 127.0.0.1, RSA 2048
 *                                     (RSA so that TLS_RSA_WITH_AES_256_CBC_SHA works)
 *   <state>/tls/mitm-ca.pem, .key     "Mallory's CA": no client trusts it
 *   <state>/tls/mitm.pem, mitm.key    CN=localhost again, issued by Mallory's CA
 *
 * One thread per connection (at most 256; 3 s for the handshake, 10 s in
 * all): handshake (TLS 1.2 or 1.3), a greeting line, one
 * request line answered with "you said: ...", then close_notify both ways.
 * The greeting comes first so that the TLS 1.3 session tickets, sent right
 * after the handshake, always precede the client's request on the wire.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "drive.h"
#include "sock.h"
#include "tls_lab.h"

#define TLS_PORT 8443
#define TLS_MITM_PORT 8444

/* ---- the lab's certificates ---- */

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX v3;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, issuer, cert, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &v3, nid, value);
	if (!e)
		return -1;
	int ok = X509_add_ext(cert, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

/* A certificate for key, named cn, signed by ikey/issuer (self-signed when
 * issuer is NULL). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *org, X509 *issuer, EVP_PKEY *ikey,
		       int ca, long serial, long days)
{
	X509 *c = X509_new();
	if (!c)
		return NULL;
	X509_set_version(c, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
	X509_gmtime_adj(X509_getm_notBefore(c), -3600);
	X509_gmtime_adj(X509_getm_notAfter(c), days * 86400);
	X509_NAME *n = X509_get_subject_name(c);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : n);
	X509_set_pubkey(c, key);
	X509 *iss = issuer ? issuer : c;
	int bad = add_ext(c, iss, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE") ||
		  add_ext(c, iss, NID_key_usage, ca ? "critical,keyCertSign,cRLSign"
					      : "critical,digitalSignature,keyEncipherment") ||
		  add_ext(c, iss, NID_subject_key_identifier, "hash") ||
		  (issuer && add_ext(c, iss, NID_authority_key_identifier, "keyid:always")) ||
		  (!ca && add_ext(c, iss, NID_ext_key_usage, "serverAuth")) ||
		  (!ca && add_ext(c, iss, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"));
	if (bad || !X509_sign(c, ikey ? ikey : key, EVP_sha256())) {
		X509_free(c);
		return NULL;
	}
	return c;
}

/* dir/file into path; -1 when it does not fit (a path cut short would name another file). */
static int pem_path(char *path, size_t n, const char *dir, const char *file)
{
	int k = snprintf(path, n, "%s/%s", dir, file);
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

static int write_pem(const char *dir, const char *file, X509 *cert, EVP_PKEY *key)
{
	char path[1024];
	if (pem_path(path, sizeof path, dir, file) < 0)
		return -1;
	unlink(path);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	if (key)
		fchmod(fileno(f), 0600);
	int ok = cert ? PEM_write_X509(f, cert) : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	return fclose(f) == 0 && ok ? 0 : -1;
}

static X509 *read_cert(const char *dir, const char *file)
{
	char path[1024];
	if (pem_path(path, sizeof path, dir, file) < 0)
		return NULL;
	FILE *f = fopen(path, "r");
	X509 *c = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	return c;
}

/* A CA and one certificate for localhost from it, written as PEM files. */
static int make_pair(const char *dir, const char *org, const char *ca_name, const char *ca_file,
		     const char *ca_key_file, const char *leaf_file, const char *leaf_key_file, int rsa_leaf)
{
	EVP_PKEY *cak = EVP_EC_gen("P-256");
	EVP_PKEY *lk = rsa_leaf ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256");
	X509 *ca = cak ? make_cert(cak, ca_name, org, NULL, NULL, 1, 1, 3650) : NULL;
	X509 *leaf = ca && lk ? make_cert(lk, "localhost", org, ca, cak, 0, 2, 825) : NULL;
	int rc = leaf && !write_pem(dir, ca_file, ca, NULL) && !write_pem(dir, ca_key_file, NULL, cak) &&
		 !write_pem(dir, leaf_key_file, NULL, lk) && !write_pem(dir, leaf_file, leaf, NULL) ? 0 : -1;
	X509_free(leaf);
	X509_free(ca);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(cak);
	return rc;
}

int wl_tls_pki(const char *state_dir, char *err, size_t errlen)
{
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/tls", state_dir);
	if (wl_mkdirs(dir, 0755) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	X509 *have = read_cert(dir, WL_TLS_CERT);
	X509 *have_mitm = read_cert(dir, WL_TLS_MITM_CERT);
	int rc = 0;
	if (!have && make_pair(dir, "wirelab lab", "wirelab lab CA", WL_TLS_CA, "ca.key", WL_TLS_CERT,
			       WL_TLS_KEY, 1) < 0)
		rc = -1;
	if (!rc && !have_mitm &&
	    make_pair(dir, "Mallory in the middle", "Mallory's CA", "mitm-ca.pem", "mitm-ca.key",
		      WL_TLS_MITM_CERT, WL_TLS_MITM_KEY, 0) < 0)
		rc = -1;
	X509_free(have);
	X509_free(have_mitm);
	if (rc)
		snprintf(err, errlen, "cannot make the lab certificates in %s", dir);
	return rc;
}

/* ---- the server ---- */

/* Each connection is served in a thread of its own (at most TLS_CONN_MAX at
 * once; past that the oldest is shut down to make room), on a non-blocking
 * socket, with deadlines for the handshake and for the whole conversation: a
 * client trickling its ClientHello a byte at a time, or connecting and
 * sending nothing, or never reading, holds only its own thread, and only
 * that long. */
#define TLS_CONN_MAX 256
#define TLS_HANDSHAKE_MS 3000
#define TLS_CONN_MS 10000

/* Waits until the SSL call that returned r can go on: 0, or -1 on a real
 * error, on the peer's close or past the deadline. */
static int ssl_wait(SSL *ssl, int r, int64_t deadline_us)
{
	int e = SSL_get_error(ssl, r);
	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
		return -1;
	int64_t left = deadline_us - wl_now_us();
	struct pollfd pf = { SSL_get_fd(ssl), e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, 0 };
	return left > 0 && poll(&pf, 1, (int)((left + 999) / 1000)) > 0 ? 0 : -1;
}

static int ssl_accept_by(SSL *ssl, int64_t deadline_us)
{
	int r;
	while ((r = SSL_accept(ssl)) != 1)
		if (ssl_wait(ssl, r, deadline_us) < 0)
			return -1;
	return 0;
}

static int ssl_read_by(SSL *ssl, void *buf, int max, int64_t deadline_us)
{
	int r;
	while ((r = SSL_read(ssl, buf, max)) <= 0)
		if (ssl_wait(ssl, r, deadline_us) < 0)
			return -1;
	return r;
}

static int ssl_write_by(SSL *ssl, const void *buf, int n, int64_t deadline_us)
{
	int r;
	while ((r = SSL_write(ssl, buf, n)) <= 0)
		if (ssl_wait(ssl, r, deadline_us) < 0)
			return -1;
	return r;
}

static int ssl_read_line(SSL *ssl, char *buf, size_t max, int64_t deadline_us)
{
	size_t n = 0;
	while (n + 1 < max) {
		char c;
		if (ssl_read_by(ssl, &c, 1, deadline_us) <= 0)
			return n ? (int)n : -1;
		if (c == '\n')
			break;
		buf[n++] = c;
	}
	buf[n] = '\0';
	return (int)n;
}

struct tls_srv {
	SSL_CTX *ctx;
	const char *who;
};

static void converse(SSL *ssl, const char *who, int64_t deadline)
{
	fprintf(stderr, "%s: %s %s\n", who, SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	static const char hello[] = "wirelab TLS server: send one line\n";
	char line[1024], reply[1100];
	if (ssl_write_by(ssl, hello, sizeof hello - 1, deadline) > 0 &&
	    ssl_read_line(ssl, line, sizeof line, deadline) >= 0) {
		int n = snprintf(reply, sizeof reply, "you said: %s\n", line);
		ssl_write_by(ssl, reply, n, deadline);
		/* wait for the client's close_notify, then send ours */
		while (ssl_read_by(ssl, line, sizeof line, deadline) > 0)
			;
		SSL_shutdown(ssl);
	}
}

static void serve_one(int fd, void *arg)
{
	const struct tls_srv *srv = arg;
	int64_t t0 = wl_now_us();
	fcntl(fd, F_SETFL, O_NONBLOCK);
	SSL *ssl = SSL_new(srv->ctx);
	if (!ssl || !SSL_set_fd(ssl, fd) || ssl_accept_by(ssl, t0 + TLS_HANDSHAKE_MS * 1000LL) < 0) {
		fprintf(stderr, "%s: handshake failed or timed out: ", srv->who);
		ERR_print_errors_fp(stderr);
	} else {
		converse(ssl, srv->who, t0 + TLS_CONN_MS * 1000LL);
	}
	SSL_free(ssl);
	ERR_clear_error();  /* the thread's error queue, before it ends */
	close(fd);
}

static int serve_tls_with(const char *host, uint16_t port, const char *state_dir, const char *cert,
			  const char *key, const char *who)
{
	char err[256], dir[1024], cpath[1100], kpath[1100];
	if (wl_tls_pki(state_dir, err, sizeof err) < 0) {
		fprintf(stderr, "%s: %s\n", who, err);
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/tls", state_dir);
	snprintf(cpath, sizeof cpath, "%s/%s", dir, cert);
	snprintf(kpath, sizeof kpath, "%s/%s", dir, key);
	signal(SIGPIPE, SIG_IGN);
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    SSL_CTX_use_certificate_file(ctx, cpath, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, kpath, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "%s: cannot load %s: ", who, cpath);
		ERR_print_errors_fp(stderr);
		return 1;
	}
	int lfd = wl_tcp_listen(host, port, WL_LISTEN_BACKLOG);
	if (lfd < 0) {
		perror("tls: listen");
		return 1;
	}
	/* static: shared with the connection threads for the life of the process */
	static struct tls_srv srv;
	static struct wl_conn_pool pool;
	srv = (struct tls_srv){ ctx, who };
	if (wl_pool_init(&pool, serve_one, &srv, TLS_CONN_MAX) < 0)
		return 1;
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			perror("tls: accept");
			return 1;
		}
		wl_pool_serve(&pool, fd);
	}
}

static int serve_tls(const char *host, uint16_t port, const char *state_dir)
{
	return serve_tls_with(host, port, state_dir, WL_TLS_CERT, WL_TLS_KEY, "tls");
}

static int serve_tls_mitm(const char *host, uint16_t port, const char *state_dir)
{
	return serve_tls_with(host, port, state_dir, WL_TLS_MITM_CERT, WL_TLS_MITM_KEY, "tls-mitm");
}

const struct wl_own_server wl_own_tls = { "tls", serve_tls };
const struct wl_own_server wl_own_tls_mitm = { "tls-mitm", serve_tls_mitm };

static int start_tls(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	if (wl_tls_pki(ctx->state_dir, err, errlen) < 0)
		return -1;
	return wl_own_start(ctx, "tls", ctx->port ? ctx->port : TLS_PORT, 0, err, errlen);
}

static int start_tls_mitm(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	if (wl_tls_pki(ctx->state_dir, err, errlen) < 0)
		return -1;
	return wl_own_start(ctx, "tls-mitm", ctx->port ? ctx->port : TLS_MITM_PORT, 0, err, errlen);
}

const struct wl_server wl_server_tls = {
	.name = "tls", .desc = "wirelab's TLS server with the lab CA's certificate for localhost",
	.packages = "", .port = TLS_PORT, .start = start_tls,
};
const struct wl_server wl_server_tls_mitm = {
	.name = "tls-mitm", .desc = "a man-in-the-middle: a certificate for localhost from an unknown CA",
	.packages = "", .port = TLS_MITM_PORT, .start = start_tls_mitm,
};
