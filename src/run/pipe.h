/* pipe.h - a sink on a thread of its own: the engine's messages and flow
 * summaries are copied into blocks that a second thread hands, in order, to
 * the real sink (the renderer). Dissection and rendering then share two
 * cores, as Zeek's log writers run beside its event engine.
 *
 * wl_pipe_new -> wl_pipe_sink (give it to the engine) -> wl_pipe_finish
 * (drains and joins: after it the inner sink's owner may read its state) ->
 * wl_pipe_free. Memory is bounded: when every block waits to be rendered the
 * engine waits too.
 */
#ifndef WL_PIPE_H
#define WL_PIPE_H

#include "engine.h"

struct wl_pipe;

/* NULL when out of memory or no thread could start: use the inner sink then. */
struct wl_pipe *wl_pipe_new(struct wl_sink inner);
struct wl_sink wl_pipe_sink(struct wl_pipe *p);
void wl_pipe_finish(struct wl_pipe *p);
void wl_pipe_free(struct wl_pipe *p);

#endif
