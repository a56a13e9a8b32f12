/* A library named libcrypto.so for civetweb 1.15 to dlopen: nothing but a DT_NEEDED on OpenSSL 3's
 * libcrypto.so.3, whose symbols dlsym then finds through this handle. The unversioned name comes
 * only with libssl-dev, which a machine that runs the exporter need not have. */
int silicon_libcrypto_shim;
