/* fuzz_ber.c - the BER reader on arbitrary bytes: a depth walk, then every
 * element read with each value decoder (integer, unsigned, boolean, OID). */
#include <stddef.h>
#include <stdint.h>

#include "ber.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void walk(struct wl_cur c, unsigned depth)
{
	while (wl_left(&c) && depth < WL_BER_MAX_DEPTH) {
		struct wl_ber h;
		struct wl_cur v = wl_ber_tlv(&c, &h);
		if (!h.hdr)
			return;
		if (h.cons) {
			walk(v, depth + 1);
			continue;
		}
		struct wl_cur a = v, b = v, o = v, bo = v;
		int ovf;
		char t[WL_BER_OID_TEXT];
		(void)wl_ber_int(&a, &ovf);
		(void)wl_ber_uint(&b, &ovf);
		(void)wl_ber_oid(&o, t, sizeof t);
		(void)wl_ber_bool(&bo);
		char nb[40];
		(void)wl_ber_tag_name(&h, nb, sizeof nb);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct wl_cur c = wl_cur_make(d, n);
	(void)wl_ber_depth(c, WL_BER_MAX_DEPTH);
	walk(c, 0);
	return 0;
}
