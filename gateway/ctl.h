/*
 * gateway/ctl.c: the control socket sipri-ctl(8) talks to: a UNIX stream
 * socket at [general] control (default /run/sipri/sipri.ctl), mode 0660.
 * A client sends one request line, "text|json WORD...", and reads the
 * reply until sipri closes the connection: a first line "ok" or "error",
 * then the output.  Clients are served from the loop without ever
 * blocking it (non-blocking I/O, output queued); at most 64 at once, and
 * one that sends no request within 10 s is closed.  The commands are
 * gateway/ctl_cmd.c's.  A command that takes time (originate) answers
 * later, through a struct ctl_later, while the loop goes on; a client
 * that hangs up meanwhile just gets no reply.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPRI_GATEWAY_CTL_H
#define SIPRI_GATEWAY_CTL_H

#include <stdbool.h>
#include <re.h>

#define CTL_PATH "/run/sipri/sipri.ctl"

struct gw;
struct conf;
struct ctl;

int  ctl_alloc(struct ctl **cp, struct gw *gw);
/* listen where conf says (again when it changed) */
void ctl_apply(struct ctl *c, const struct conf *conf);

/* a reply promised to a client, who may have gone when it is given */
struct ctl_later;
void ctl_later_reply(struct ctl_later *l, bool ok, const struct mbuf *body);

enum ctl_res { CTL_ERROR = 0, CTL_OK, CTL_LATER };

/* ctl_cmd.c: run one request; its output in out, or (CTL_LATER) given
 * through later, which the command then holds a reference to */
enum ctl_res ctl_cmd_run(struct gw *gw, char *line, struct mbuf *out,
			 struct ctl_later *later);

#endif
