/* fuzz_chat.c - the chat dissector on arbitrary streams: the first byte picks
 * the segment size, the rest is sent in both directions. */
#include <stddef.h>
#include <stdint.h>

#include "feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed f;
	feed_init(&f, NULL, NULL, NULL);
	feed_tcp_open(&f, 50000, 4042);
	if (size) {
		size_t seg = (size_t)data[0] % 64 + 1;
		feed_tcp_send(&f, 0, data + 1, size - 1, seg);
		feed_tcp_send(&f, 1, data + 1, size - 1, seg * 3);
	}
	feed_free(&f);
	return 0;
}
