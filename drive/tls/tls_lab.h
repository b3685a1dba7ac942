/* tls_lab.h - the TLS lab's certificates, shared by wirelab's own TLS servers
 * (drive/tls/srv_tls.c), chat-tls (drive/chat/chat_tls.c) and the TLS
 * exchanges (drive/tls/tls.c). */
#ifndef WL_TLS_LAB_H
#define WL_TLS_LAB_H

#include <stddef.h>

/* Files under <state>/tls/, created on first use by wl_tls_pki(). */
#define WL_TLS_CA "ca.pem"              /* the lab CA the clients trust */
#define WL_TLS_CERT "server.pem"        /* CN=localhost, from the lab CA, RSA 2048 */
#define WL_TLS_KEY "server.key"
#define WL_TLS_MITM_CERT "mitm.pem"     /* CN=localhost from "Mallory's CA": not trusted */
#define WL_TLS_MITM_KEY "mitm.key"
#define WL_TLS_KEYLOG "keylog"          /* the clients' session secrets (SSLKEYLOGFILE format) */

/* Members and handshakes under way that chat-tls holds at once, as many as
 * the other chat servers' clients; only past that does the oldest unfinished
 * handshake make room for a newcomer. */
#define WL_CHAT_TLS_MAX 1024

/* Makes the lab CA, the server certificate and the man-in-the-middle's
 * certificate under <state>/tls/ unless they exist. 0, or -1 with a reason. */
int wl_tls_pki(const char *state_dir, char *err, size_t errlen);

#endif
