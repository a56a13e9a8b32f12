#include "exporter/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <map>

namespace silicon {
namespace {

// OpenSSL's queued error, for a message that says which file or check failed and why.
std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

// "RequestClientCert" and "RequireAnyClientCert" ask for a certificate without judging it.
int AcceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

}  // namespace

std::string ConfigureTlsContext(void* ssl_ctx, const TlsServerConfig& tls) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);

  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return "cert_file " + tls.cert_file + ": " + OpenSslError();
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return "key_file " + tls.key_file + ": " + OpenSslError();
  }
  if (SSL_CTX_check_private_key(ctx) != 1) return "key_file does not match cert_file: " + OpenSslError();

  static const std::map<std::string, int> kVersions = {
      {"TLS10", TLS1_VERSION}, {"TLS11", TLS1_1_VERSION}, {"TLS12", TLS1_2_VERSION}, {"TLS13", TLS1_3_VERSION}};
  if (SSL_CTX_set_min_proto_version(ctx, kVersions.at(tls.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, kVersions.at(tls.max_version)) != 1) {
    return "cannot set TLS versions " + tls.min_version + ".." + tls.max_version + ": " + OpenSslError();
  }
  // A client may not renegotiate: each renegotiation is a full handshake's CPU on our one event
  // loop, on the client's schedule. Go's crypto/tls refuses it by default too.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);

  // Resumed sessions must belong to this server, or OpenSSL refuses them once peers are verified.
  static const unsigned char kSessionContext[] = "silicon_exporter";
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);

  const auto& type = tls.client_auth_type;
  if (!tls.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1) {
      return "client_ca_file " + tls.client_ca_file + ": " + OpenSslError();
    }
    // Tells clients which CAs we accept, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(tls.client_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(ctx, names);
    }
  }
  if (type == "NoClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  } else if (type == "RequestClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, &AcceptAnyCertificate);
  } else if (type == "RequireAnyClientCert") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &AcceptAnyCertificate);
  } else if (type == "VerifyClientCertIfGiven") {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else {  // RequireAndVerifyClientCert
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return {};
}

}  // namespace silicon
