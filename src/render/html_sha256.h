/* html_sha256.h - SHA-256 (FIPS 180-4) and base64 (RFC 4648), for the
 * hashes a page's Content-Security-Policy names its own script and style by. */
#ifndef WL_HTML_SHA256_H
#define WL_HTML_SHA256_H

#include <stddef.h>
#include <stdint.h>

void wl_sha256(const void *data, size_t n, uint8_t out[32]);
/* "sha256-<base64>" as CSP writes a hash source; out holds at least 52 bytes. */
void wl_csp_hash(const void *data, size_t n, char out[52]);

#endif
