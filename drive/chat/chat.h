/* chat.h - the chat load test (drive/chat/chat_client.c). */
#ifndef WL_CHAT_H
#define WL_CHAT_H

#include <stdint.h>
#include <stdio.h>

/* clients connect to host:port, each sends one message a second for seconds;
 * prints the figures; 0 when every client got every message. */
int wl_chat_load(const char *host, uint16_t port, int clients, int seconds, FILE *out);

#endif
