/* html.h - -T html's page around its data blocks, and the escapers every
 * packet string goes through (html.c). */
#ifndef WL_HTML_H
#define WL_HTML_H

#include <stdio.h>

#include "outbuf.h"

/* HTML text and attribute values: & < > " ' as entities. */
void wl_html_text(struct wl_obuf *b, const char *s, size_t n);
/* A JSON string body safe inside <script>: JSON's escapes, and < > & U+2028
 * U+2029 as \uXXXX (invalid UTF-8 as U+FFFD). */
void wl_html_script_str(struct wl_obuf *b, const char *s, size_t n);
/* The page up to its data blocks (with the CSP), and its script and end. */
void wl_html_head(FILE *out, const char *title);
void wl_html_tail(FILE *out);

#endif
