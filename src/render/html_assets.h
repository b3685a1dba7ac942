/* html_assets.h - the page's script and style (html_page.js, html_page.css),
 * embedded as bytes by the build (embed.cmake writes html_assets.c). */
#ifndef WL_HTML_ASSETS_H
#define WL_HTML_ASSETS_H

#include <stddef.h>

extern const unsigned char wl_html_page_js[], wl_html_page_css[];
extern const size_t wl_html_page_js_len, wl_html_page_css_len;

#endif
