/* chat_frame.c - the NUL-framing parser of chat-uv and chat-event (see
 * chat_frame.h). A message is UTF-8 text up to a NUL byte, however TCP cut
 * it: "caerphil" | "ly\0illches" | "ter\0brie\0" is three messages. */
#include <string.h>

#include "chat_frame.h"

int wl_chat_frame_feed(struct wl_chat_frame *f, const char *data, size_t n, wl_chat_msg_fn *on_msg,
		       void *arg)
{
	while (n) {
		const char *nul = memchr(data, '\0', n);
		size_t part = nul ? (size_t)(nul - data) : n;
		if (f->len + part > WL_CHAT_MAX) {
			f->len = 0;
			return -1;
		}
		if (!nul) {  /* the start of a message: keep it for the next read */
			memcpy(f->pending + f->len, data, part);
			f->len += part;
			return 0;
		}
		if (f->len) {  /* the end of a message begun in an earlier read */
			memcpy(f->pending + f->len, data, part);
			on_msg(arg, f->pending, f->len + part);
			f->len = 0;
		} else {
			on_msg(arg, data, part);
		}
		data += part + 1;
		n -= part + 1;
	}
	return 0;
}
