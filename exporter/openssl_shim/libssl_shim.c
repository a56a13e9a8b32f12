/* A library named libssl.so for civetweb 1.15 to dlopen: OpenSSL 3 itself (a DT_NEEDED of this
 * library, so dlsym on this handle finds every libssl.so.3 symbol) plus the one name OpenSSL 3
 * dropped. civetweb resolves SSL_get_peer_certificate by name; OpenSSL 3 turned it into a macro
 * for SSL_get1_peer_certificate (same reference counting: the caller frees the certificate), so
 * without this the pointer civetweb calls for every TLS connection is NULL (civetweb issue #1334). */
struct ssl_st;
struct x509_st;

struct x509_st *SSL_get1_peer_certificate(const struct ssl_st *ssl);

struct x509_st *SSL_get_peer_certificate(const struct ssl_st *ssl) { return SSL_get1_peer_certificate(ssl); }
