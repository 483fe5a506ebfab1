/*
 * sip/authc.c: our side of a peer's digest challenge (RFC 3261 §22.2).
 * A 401 or 407 to one of a leg's requests (INVITE, re-INVITE, UPDATE,
 * PRACK, BYE) is answered once with the credentials of the leg's trunk
 * (struct sipua_cred): libre's sip_auth computes them (MD5) and each
 * later request of the leg carries them; the caller sends the request
 * again, with the next CSeq of the dialog.  A second challenge for a
 * realm already answered, without stale=true, means the credentials are
 * wrong: the request then fails as any 4xx does.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include "sip/sip_int.h"

/* the credentials, copied: a reload may change the trunks */
struct authc_cred {
	char user[SIPUA_STRLEN];
	char password[SIPUA_STRLEN];
};

static int cred_handler(char **user, char **pass, const char *realm,
			void *arg)
{
	const struct authc_cred *c = arg;
	int err;
	(void)realm;

	err = str_dup(user, c->user);
	err |= str_dup(pass, c->password);
	return err;
}

/* the sip_auth of a trunk's credentials; *authp stays NULL without any */
int sipauthc_alloc(struct sip_auth **authp, const struct sipua *ua, int peer)
{
	const struct sipua_peer *p = sipua_peer_get(ua, peer);
	struct authc_cred *c;
	int err;

	if (!p || !p->cred.user[0])
		return 0;
	c = mem_zalloc(sizeof(*c), NULL);
	if (!c)
		return ENOMEM;
	str_ncpy(c->user, p->cred.user, sizeof(c->user));
	str_ncpy(c->password, p->cred.password, sizeof(c->password));
	err = sip_auth_alloc(authp, cred_handler, c, true);
	mem_deref(c);
	return err;
}

/*
 * A response to one of the leg's requests in dlg: true when it is a
 * challenge we answered, and the request is to go again at once (it then
 * carries leg->auth).  Each new request may be challenged afresh (a new
 * nonce for the realm); the request that carried our answer may only be
 * challenged again as stale (RFC 7616 §3.3), else the credentials are
 * refused.
 */
bool sipauthc_challenged(struct sipleg *leg, const struct sip_msg *msg,
			 struct sip_dialog *dlg)
{
	int err;

	if (!msg || (msg->scode != 401 && msg->scode != 407))
		return false;
	if (!leg->auth) {   /* made with the leg (sipleg_set_peer) */
		sipleg_log(leg, LOG_LVL_INFO, "%r challenged (%u): no "
			   "credentials for this trunk", &msg->cseq.met,
			   msg->scode);
		return false;
	}
	if (!leg->auth_sent || msg->cseq.num != leg->auth_cseq)
		sip_auth_reset(leg->auth);
	/* EAUTH: our answer was refused; ENOSYS: not MD5 (libre 1.1.0) */
	err = sip_auth_authenticate(leg->auth, msg);
	if (err) {
		sipleg_log(leg, LOG_LVL_WARN, "%r challenged (%u): %s (%m)",
			   &msg->cseq.met, msg->scode, err == EAUTH ?
			   "our credentials were refused" :
			   "cannot answer", err);
		return false;
	}
	sipleg_log(leg, LOG_LVL_INFO, "%r challenged (%u): again with "
		   "credentials", &msg->cseq.met, msg->scode);
	leg->auth_sent = true;
	leg->auth_cseq = sip_dialog_lseq(dlg);   /* the next request's */
	return true;
}
