/* x509.h - an X.509 certificate's fields as tshark's x509af/x509ce/x509if/x509sat show them.
 *
 * The certificate comes parsed (and its DER validated) by OpenSSL; the parts
 * tshark shows at the DER level (names, extension values) are read again from
 * their encoding through the bounds-checked BER reader.
 */
#ifndef WL_TLS_X509_H
#define WL_TLS_X509_H

#include <openssl/x509.h>

struct wl_msg;

/* One certificate's fields: its serial number; with full (-v), everything
 * else tshark shows of it. what names the certificate in notes
 * ("certificate 2"). */
void wl_x509_cert(struct wl_msg *m, X509 *c, int full, const char *what);
/* Its subjectAltName DNS names and addresses, the default fields, unless
 * full (wl_x509_cert() has shown them then). */
void wl_x509_alt_names(struct wl_msg *m, X509 *c, int full, const char *what);

/* An AlgorithmIdentifier's x509af.algorithm.id (OCSP's own identifiers). */
void wl_x509_algorithm(struct wl_msg *m, const ASN1_OBJECT *alg);

/* A Name's RDN sequence (x509if.rdnSequence and below): an OCSP responder's
 * byName. */
void wl_x509_name(struct wl_msg *m, const X509_NAME *name, const char *what);

#endif
