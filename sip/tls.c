/*
 * sip/tls.c: SIP over TLS (RFC 3261 §26.2, RFC 5922).  One libre TLS
 * context serves the tls listeners and the connections libre opens for
 * requests to TLS peers.  Our certificate chain and key come from files;
 * a server we connect to must present a chain to the configured CAs
 * (RFC 5922 §7.2) and a leaf certificate that names the host of the
 * request's URI in its subjectAltName (a DNS name, or an iPAddress for a
 * numeric host; the CN only when no DNS name is present, RFC 6125
 * §6.4.4).  Clients that connect to us are not asked for a certificate:
 * the trunks' sources admit them (sip/acl.c).
 *
 * libre 1.1.0 neither verifies a server nor checks a name by itself, and
 * hands out no TLS connection of its SIP transport, so OpenSSL's context
 * is set here (tls_openssl_context).  The request's host reaches the
 * connection through OpenSSL: our send handlers (INVITE, OPTIONS) name
 * it just before libre sends, and an SSL object created right then (a
 * new connection) takes it in its ex_data.  A connection opened by
 * another request (an in-dialog one to a new target) has no name of its
 * own: its certificate must name some TLS peer's host (doc/ARCHITECTURE,
 * facts: libre's TLS).
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define USE_OPENSSL 1
#include <string.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include "sip/sip_int.h"

enum { SIPTLS_DEPTH = 4 };

struct siptls {
	struct tls *tls;              /* libre's context */
	int idx;                      /* our SSL ex_data index: the name */
	char pending[SIPUA_STRLEN];   /* the name for the next SSL object */
	struct timer tmr;             /* forgets it after this loop pass */
};

static void siptls_destructor(void *arg)
{
	struct siptls *st = arg;

	timer_cancel(&st->tmr);
	mem_deref(st->tls);   /* after the SIP stack and its connections */
	if (st->idx >= 0)
		CRYPTO_free_ex_index(CRYPTO_EX_INDEX_SSL, st->idx);
}

/* a new SSL object (libre's tls_start_tcp): the pending name is its */
static void ssl_new_handler(void *parent, void *ptr, CRYPTO_EX_DATA *ad,
			    int idx, long argl, void *argp)
{
	struct siptls *st = argp;
	char *name;
	(void)parent;
	(void)ptr;
	(void)argl;

	if (!st->pending[0])
		return;
	name = OPENSSL_strdup(st->pending);
	if (name && !CRYPTO_set_ex_data(ad, idx, name))
		OPENSSL_free(name);
	st->pending[0] = '\0';
}

static void ssl_free_handler(void *parent, void *ptr, CRYPTO_EX_DATA *ad,
			     int idx, long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	OPENSSL_free(ptr);
}

static void pending_clear(void *arg)
{
	struct siptls *st = arg;

	st->pending[0] = '\0';
}

/*
 * A send handler's request to uri goes out over tp right after this:
 * a TLS connection libre opens for it checks its server's name against
 * the URI's host (RFC 5922 §7.2).
 */
void siptls_expect(struct sipua *ua, enum sip_transp tp, const char *uri)
{
	struct siptls *st = ua->tls;
	struct uri u;
	struct pl pl;

	if (!st || tp != SIP_TRANSP_TLS || !uri)
		return;
	pl_set_str(&pl, uri);
	if (uri_decode(&u, &pl))
		return;
	(void)pl_strcpy(&u.host, st->pending, sizeof(st->pending));
	timer_start(&st->tmr, 0, pending_clear, st);
}

/* the name an SSL object took, or NULL */
static const char *ssl_name(SSL *ssl, const struct sipua *ua)
{
	return ua && ua->tls ? SSL_get_ex_data(ssl, ua->tls->idx) : NULL;
}

/* RFC 5922 §7.2: host in the leaf certificate's subjectAltName */
static bool names_host(X509 *cert, const char *host)
{
	char ip[SIPUA_STRLEN];
	struct sa sa;

	/* an [IPv6] host: the address inside the brackets */
	if (host[0] == '[' && strlen(host) > 2) {
		str_ncpy(ip, host + 1, sizeof(ip));
		ip[strlen(ip) - 1] = '\0';
		host = ip;
	}
	if (!sa_set_str(&sa, host, 0))
		return X509_check_ip_asc(cert, host, 0) == 1;
	return X509_check_host(cert, host, 0, 0, NULL) == 1;
}

/* a connection without a name of its own: some TLS peer's host */
static bool names_peer(X509 *cert, const struct sipua_conf *conf,
		       const char **hostp)
{
	for (unsigned i = 0; i < conf->npeers; i++) {
		const struct sipua_peer *p = &conf->peers[i];

		if (p->tp != SIPUA_TLS)
			continue;
		*hostp = p->host;
		if (names_host(cert, p->host))
			return true;
	}
	return false;
}

static int verify_handler(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs,
				SSL_get_ex_data_X509_STORE_CTX_idx());
	const struct sipua *ua;
	const char *host = "", *name;
	X509 *cert = X509_STORE_CTX_get_current_cert(xs);
	char subj[256] = "";

	if (!ssl)
		return 0;
	ua = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
	if (cert)
		X509_NAME_oneline(X509_get_subject_name(cert), subj,
				  sizeof(subj));
	if (!ok) {
		sip_log(LOG_LVL_WARN, "sip: TLS: server certificate \"%s\" "
			"refused: %s", subj, X509_verify_cert_error_string(
				X509_STORE_CTX_get_error(xs)));
		return 0;
	}
	if (X509_STORE_CTX_get_error_depth(xs) > 0)
		return 1;
	name = ssl_name(ssl, ua);
	if (cert && name && names_host(cert, name))
		return 1;
	if (!name && ua && cert && names_peer(cert, &ua->conf, &host))
		return 1;
	sip_log(LOG_LVL_WARN, "sip: TLS: server certificate \"%s\" does not "
		"name %s\"%s\"", subj, name ? "" : "a TLS trunk's host, such as ",
		name ? name : host);
	X509_STORE_CTX_set_error(xs, X509_V_ERR_HOSTNAME_MISMATCH);
	return 0;
}

/* a connection we accepted: no certificate is asked of the client */
static int client_hello_handler(SSL *ssl, int *al, void *arg)
{
	(void)al;
	(void)arg;
	SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
	return SSL_CLIENT_HELLO_SUCCESS;
}

static int tls_error(const char *what, const char *file)
{
	unsigned long e = ERR_get_error();

	sip_log(LOG_LVL_ERR, "sip: TLS: %s %s: %s", what, file,
		e ? ERR_reason_error_string(e) : "failed");
	ERR_clear_error();
	return EINVAL;
}

static int ctx_setup(SSL_CTX *ctx, const struct sipua_tls *c)
{
	if (SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1)
		return tls_error("certificate", c->cert);
	if (SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1)
		return tls_error("key", c->key);
	if (SSL_CTX_check_private_key(ctx) != 1)
		return tls_error("key does not match the certificate", c->key);
	/* RFC 8996: nothing older than TLS 1.2 */
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (!c->ca[0])
		return 0;
	if (SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1)
		return tls_error("CA file", c->ca);
	SSL_CTX_set_verify_depth(ctx, SIPTLS_DEPTH);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_handler);
	SSL_CTX_set_client_hello_cb(ctx, client_hello_handler, NULL);
	return 0;
}

/* the TLS context of the tls listeners and outgoing connections */
int siptls_alloc(struct siptls **stp, struct sipua *ua)
{
	const struct sipua_tls *c = &ua->conf.tls;
	struct siptls *st;
	SSL_CTX *ctx;
	int err;

	if (!c->cert[0] || !c->key[0]) {
		sip_log(LOG_LVL_ERR, "sip: TLS: no certificate or key");
		return EINVAL;
	}
	st = mem_zalloc(sizeof(*st), siptls_destructor);
	if (!st)
		return ENOMEM;
	timer_init(&st->tmr);
	st->idx = SSL_get_ex_new_index(0, st, ssl_new_handler, NULL,
				       ssl_free_handler);
	err = st->idx < 0 ? ENOMEM :
		tls_alloc(&st->tls, TLS_METHOD_SSLV23, NULL, NULL);
	if (err)
		goto out;
	ctx = tls_openssl_context(st->tls);
	if (!ctx) {
		err = ENOSYS;
		goto out;
	}
	SSL_CTX_set_app_data(ctx, ua);   /* libre sets none */
	err = ctx_setup(ctx, c);
 out:
	if (err)
		mem_deref(st);
	else
		*stp = st;
	return err;
}

/* libre's transport of an enum sipua_proto */
enum sip_transp siptls_transp(int proto)
{
	switch (proto) {
	case SIPUA_TCP: return SIP_TRANSP_TCP;
	case SIPUA_TLS: return SIP_TRANSP_TLS;
	default:        return SIP_TRANSP_UDP;
	}
}

/* a listener; the first tls one makes the TLS context, which libre also
 * uses for the connections it opens to TLS peers */
int siptls_transp_add(struct sipua *ua, int proto, const struct sa *laddr)
{
	int err;

	if (proto != SIPUA_TLS)
		return sip_transp_add(ua->sip, siptls_transp(proto), laddr);
	if (!ua->tls) {
		err = siptls_alloc(&ua->tls, ua);
		if (err)
			return err;
	}
	return sip_transp_add(ua->sip, SIP_TRANSP_TLS, laddr, ua->tls->tls);
}

/*
 * The dialog of a request to uri.  RFC 5630: a sips: Request-URI asks for
 * TLS on every hop.  libre 1.1.0's sip_request takes no sips: route
 * (ENOSYS), so such a dialog gets its first hop as a loose route (RFC 3261
 * §8.1.2, §16.12): sip:HOST[:PORT];transport=tls, the same target over TLS.
 */
int siptls_dialog_alloc(struct sip_dialog **dlgp, const char *uri,
			const char *to_uri, const char *from_name,
			const char *from_uri)
{
	char route[SIPUA_STRLEN * 2];
	const char *routev[1] = {route};
	struct uri u;
	struct pl pl;
	bool v6;

	pl_set_str(&pl, uri);
	if (uri_decode(&u, &pl) || pl_strcasecmp(&u.scheme, "sips"))
		return sip_dialog_alloc(dlgp, uri, to_uri, from_name,
					from_uri, NULL, 0);
	v6 = u.af == AF_INET6;
	if (u.port)
		(void)re_snprintf(route, sizeof(route),
				  "sip:%s%r%s:%u;transport=tls", v6 ? "[" : "",
				  &u.host, v6 ? "]" : "", u.port);
	else
		(void)re_snprintf(route, sizeof(route),
				  "sip:%s%r%s;transport=tls", v6 ? "[" : "",
				  &u.host, v6 ? "]" : "");
	return sip_dialog_alloc(dlgp, uri, to_uri, from_name, from_uri,
				routev, 1);
}
