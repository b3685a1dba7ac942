/* chat.h - the chat load test (drive/chat/chat_client.c). */
#ifndef WL_CHAT_H
#define WL_CHAT_H

#include <stdint.h>
#include <stdio.h>

struct wl_drive_cfg;
struct wl_drive_result;

/* clients connect to host:port, each sends one message a second for seconds;
 * prints the figures; 0 when every client got every message. */
int wl_chat_load(const char *host, uint16_t port, int clients, int seconds, FILE *out);

/* The chat exchange (three clients, the seeds' awkward cuts), for the
 * drivers of the servers outside chat_client.c (drive/chat/). */
int wl_chat_exchange(const struct wl_drive_cfg *cfg, struct wl_drive_result *res);

#endif
