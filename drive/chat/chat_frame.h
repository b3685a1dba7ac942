/* chat_frame.h - what the event-framework chat servers (chat-uv, chat-event)
 * share with each other and with drive/chat_server.c's three: the limits and
 * the words of the NUL-framed chat, and the NUL-framing parser their read
 * callbacks feed. */
#ifndef WL_CHAT_FRAME_H
#define WL_CHAT_FRAME_H

#include <stddef.h>

/* The same limits as chat-threaded/poll/epoll, so the five behave alike. */
#define WL_CHAT_MAX 4096              /* longest message (its NUL not counted) */
#define WL_CHAT_QUEUE_MAX (1u << 20)  /* bytes queued for one client before it is dropped */
#define WL_CHAT_CLIENTS 1024          /* members at once; the next is refused */

/* sent with its NUL, then the connection closes */
#define WL_CHAT_MSG_FULL "* server full, try later"
/* queued (a message) before the connection closes */
#define WL_CHAT_MSG_TOO_LONG "* error: message longer than 4096 bytes, closing"

/* The bytes of one client's stream not yet ended by a NUL. */
struct wl_chat_frame {
	char pending[WL_CHAT_MAX];
	size_t len;
};

/* Called for every complete message (without its NUL; msg is not
 * NUL-terminated and lives only for the call). */
typedef void wl_chat_msg_fn(void *arg, const char *msg, size_t len);

/* Feeds n bytes as they came off the socket: each message they complete goes
 * to on_msg, in order, and the unfinished rest is kept. A message found in
 * one piece is passed straight from data, without a copy. Returns 0, or -1
 * when more than WL_CHAT_MAX bytes came without a NUL (the client is to get
 * wl_chat_msg_too_long and be closed; what was pending is dropped). */
int wl_chat_frame_feed(struct wl_chat_frame *f, const char *data, size_t n, wl_chat_msg_fn *on_msg,
		       void *arg);

#endif
