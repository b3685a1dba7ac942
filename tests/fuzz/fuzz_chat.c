/* fuzz_chat.c - the chat dissector on arbitrary streams: the first byte picks
 * the segment size, the rest is sent in both directions. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50000, 4042);
	if (size) {
		size_t seg = (size_t)data[0] % 64 + 1;
		wlt_tcp_send_split(&t, WL_C2S, data + 1, size - 1, seg);
		wlt_tcp_send_split(&t, WL_S2C, data + 1, size - 1, seg * 3);
	}
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
