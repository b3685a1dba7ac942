/* test_html.c - the pictures' pieces: the escapers (script data, HTML
 * text), SHA-256 and the CSP hash against known answers, the frame bytes and
 * field spans the core records only when asked, and the html and svg pages
 * of a stored capture (the CSP names the embedded script's hash; the data
 * block holds no '<'; the SVG is one document). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "html.h"
#include "html_assets.h"
#include "html_sha256.h"
#include "html_spans.h"
#include "render.h"
#include "run.h"

/* What an escaper writes for s. */
static char *escaped(void (*esc)(struct wl_obuf *, const char *, size_t), const char *s, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	struct wl_obuf *b = calloc(1, sizeof *b);
	assert_non_null(b);
	b->f = f;
	esc(b, s, n);
	wl_ob_flush(b);
	fclose(f);
	free(b);
	return out;
}

static void test_script_str(void **state)
{
	(void)state;
	static const char in[] = "</script><!-- a&b \"q\" \xe2\x80\xa8\xe2\x80\xa9 \x01";
	char *out = escaped(wl_html_script_str, in, sizeof in - 1);
	assert_string_equal(out, "\\u003c/script\\u003e\\u003c!-- a\\u0026b \\\"q\\\" \\u2028\\u2029 \\u0001");
	free(out);
	/* invalid UTF-8 and a cut U+2028 become U+FFFD, never raw bytes */
	out = escaped(wl_html_script_str, "\xff\xe2\x80", 3);
	assert_null(strchr(out, '\xff'));
	free(out);
}

static void test_text(void **state)
{
	(void)state;
	static const char in[] = "<img src=x onerror='a'>&\"";
	char *out = escaped(wl_html_text, in, sizeof in - 1);
	assert_string_equal(out, "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;");
	free(out);
}

static void test_sha256(void **state)
{
	(void)state;
	uint8_t d[32];
	/* FIPS 180-4 examples: "abc", and the 56-byte message of two blocks */
	wl_sha256("abc", 3, d);
	static const uint8_t abc[4] = { 0xba, 0x78, 0x16, 0xbf };
	assert_memory_equal(d, abc, 4);
	assert_int_equal(d[31], 0xad);
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	wl_sha256(two, sizeof two - 1, d);
	assert_int_equal(d[0], 0x24);
	assert_int_equal(d[31], 0xc1);
	char h[52];
	wl_csp_hash("", 0, h);  /* SHA-256 of nothing, as CSP writes it */
	assert_string_equal(h, "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

static char *read_page(const char *pcap, const char *format)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	assert_non_null(f);
	struct wl_view v;
	wl_view_init(&v);
	v.render.format = format[0] == 'h' ? WL_OUT_HTML : WL_OUT_SVG;
	v.render.title = "t\"<x>";
	v.dissect.frame_bytes = format[0] == 'h';
	v.one_thread = 0;
	struct wl_run_result res;
	char err[256];
	assert_int_equal(wl_dissect_file(pcap, &v, f, &res, err, sizeof err), 0);
	fclose(f);
	return out;
}

static void test_page(void **state)
{
	(void)state;
	char *page = read_page(WL_SOURCE_DIR "/pcaps/ftp.pcap", "html");
	char js[52];
	wl_csp_hash(wl_html_page_js, wl_html_page_js_len, js);
	const char *csp = strstr(page, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, js));
	assert_non_null(strstr(page, "<title>wirelab: t&quot;&lt;x&gt;</title>"));
	const char *open = strstr(page, "class=\"wl-data\">");
	assert_non_null(open);
	const char *close = strstr(open, "</script>");
	assert_non_null(close);
	assert_null(memchr(open + 16, '<', (size_t)(close - open - 16)));
	/* the FTP greeting's frame bytes are there, and the USER argument's span */
	assert_non_null(strstr(open, "\"b\":\""));
	assert_non_null(strstr(open, "[\"ftp.request.arg\",\"anonymous\","));
	assert_null(strstr(open, "[\"ftp.request.arg\",\"anonymous\",0,0,"));
	/* header fields found again in the frame: Ethernet 14 + IPv4 12 */
	assert_non_null(strstr(open, "[\"ip.src\",\"127.0.0.1\",26,4,0]"));
	assert_non_null(strstr(open, "[\"tcp.flags.syn\",\"1\",46,2,0]"));
	free(page);
}

static void test_svg(void **state)
{
	(void)state;
	char *svg = read_page(WL_SOURCE_DIR "/pcaps/ftp.pcap", "svg");
	assert_true(strncmp(svg, "<?xml", 5) == 0);
	assert_non_null(strstr(svg, "<title>wirelab: t&quot;&lt;x&gt;</title>"));
	assert_non_null(strstr(svg, "[secret] PASS"));
	assert_non_null(strstr(svg, "stroke-dasharray=\"6 3\""));  /* a warning, dashed */
	const char *end = strstr(svg, "</svg>\n");
	assert_non_null(end);
	assert_int_equal(end[7], '\0');
	free(svg);
}

/* The header finder on a TCP/IPv4 Ethernet frame cut at every length, and
 * on a fragment, a VLAN tag and an unknown link type. */
static void test_header_spans(void **state)
{
	(void)state;
	uint8_t fr[54] = { 0 };
	fr[12] = 0x08;
	fr[14] = 0x45;
	fr[23] = 6;
	int tcp_src = wl_header_field("tcp.srcport"), ip_dst = wl_header_field("ip.dst");
	assert_true(tcp_src >= 0 && ip_dst >= 0);
	assert_int_equal(wl_header_field("tcp.flags.syn"), wl_header_field("tcp.flags."));
	assert_int_equal(wl_header_field("ftp.request.arg"), -1);
	for (uint32_t n = 0; n <= sizeof fr; n++) {
		struct wl_frame_layers l;
		uint32_t span[2];
		wl_frame_layers(fr, n, WL_LINK_ETHERNET, &l);
		assert_int_equal(wl_header_span(&l, n, tcp_src, span), n >= 54);
		if (n >= 54)
			assert_true(span[0] == 34 && span[1] == 2);
		assert_int_equal(wl_header_span(&l, n, ip_dst, span), n >= 34);
	}
	struct wl_frame_layers l;
	uint32_t span[2];
	fr[20] = 0x00, fr[21] = 0x10;  /* fragment offset 16: no TCP header here */
	wl_frame_layers(fr, sizeof fr, WL_LINK_ETHERNET, &l);
	assert_int_equal(wl_header_span(&l, sizeof fr, tcp_src, span), 0);
	wl_frame_layers(fr, sizeof fr, 9999, &l);
	assert_int_equal(wl_header_span(&l, sizeof fr, ip_dst, span), 0);
	uint8_t vlan[58] = { 0 };
	vlan[12] = 0x81, vlan[16] = 0x08, vlan[18] = 0x45, vlan[27] = 17;
	wl_frame_layers(vlan, sizeof vlan, WL_LINK_ETHERNET, &l);
	assert_int_equal(wl_header_span(&l, sizeof vlan, wl_header_field("udp.length"), span), 1);
	assert_int_equal(span[0], 18 + 20 + 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_str), cmocka_unit_test(test_text), cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_page), cmocka_unit_test(test_svg), cmocka_unit_test(test_header_spans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
