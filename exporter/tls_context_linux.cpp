#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <map>

#include "exporter/tls_context.h"

namespace silicon {
namespace {

// The OpenSSL calls we make, looked up in the libssl.so.3 civetweb has loaded already (through
// our libssl.so shim): linking it would cost every exporter, TLS or not, its relocations in RSS.
struct OpenSsl {
  decltype(&SSL_CTX_use_certificate_chain_file) use_certificate_chain_file;
  decltype(&SSL_CTX_use_PrivateKey_file) use_private_key_file;
  decltype(&SSL_CTX_check_private_key) check_private_key;
  decltype(&SSL_CTX_ctrl) ctrl;
  decltype(&SSL_CTX_load_verify_locations) load_verify_locations;
  decltype(&SSL_load_client_CA_file) load_client_ca_file;
  decltype(&SSL_CTX_set_client_CA_list) set_client_ca_list;
  decltype(&SSL_CTX_set_verify) set_verify;
  decltype(&SSL_CTX_set_session_id_context) set_session_id_context;
  decltype(&ERR_get_error) get_error;
  decltype(&ERR_error_string_n) error_string;
};

template <typename Function>
bool Find(void* library, const char* name, Function& slot) {
  slot = reinterpret_cast<Function>(dlsym(library, name));
  return slot != nullptr;
}

const OpenSsl* LoadOpenSsl(std::string& error) {
  static OpenSsl calls;
  static const bool loaded = [] {
    void* library = dlopen("libssl.so.3", RTLD_LAZY);  // never closed: civetweb uses it too
    return library && Find(library, "SSL_CTX_use_certificate_chain_file", calls.use_certificate_chain_file) &&
           Find(library, "SSL_CTX_use_PrivateKey_file", calls.use_private_key_file) &&
           Find(library, "SSL_CTX_check_private_key", calls.check_private_key) &&
           Find(library, "SSL_CTX_ctrl", calls.ctrl) &&
           Find(library, "SSL_CTX_load_verify_locations", calls.load_verify_locations) &&
           Find(library, "SSL_load_client_CA_file", calls.load_client_ca_file) &&
           Find(library, "SSL_CTX_set_client_CA_list", calls.set_client_ca_list) &&
           Find(library, "SSL_CTX_set_verify", calls.set_verify) &&
           Find(library, "SSL_CTX_set_session_id_context", calls.set_session_id_context) &&
           Find(library, "ERR_get_error", calls.get_error) && Find(library, "ERR_error_string_n", calls.error_string);
  }();
  if (!loaded) error = "cannot load OpenSSL 3 (libssl.so.3) for TLS";
  return loaded ? &calls : nullptr;
}

// OpenSSL's queued error, for a message that says which file or check failed and why.
std::string OpenSslError(const OpenSsl& ssl) {
  const unsigned long code = ssl.get_error();
  if (code == 0) return "unknown error";
  char text[256];
  ssl.error_string(code, text, sizeof text);
  while (ssl.get_error() != 0) {
  }
  return text;
}

// "RequestClientCert" and "RequireAnyClientCert" ask for a certificate without judging it.
int AcceptAnyCertificate(int, X509_STORE_CTX*) { return 1; }

}  // namespace

std::string ConfigureTlsContext(void* ssl_ctx, const TlsServerConfig& tls) {
  std::string error;
  const OpenSsl* ssl = LoadOpenSsl(error);
  if (!ssl) return error;
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);

  if (ssl->use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return "cert_file " + tls.cert_file + ": " + OpenSslError(*ssl);
  }
  if (ssl->use_private_key_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return "key_file " + tls.key_file + ": " + OpenSslError(*ssl);
  }
  if (ssl->check_private_key(ctx) != 1) return "key_file does not match cert_file: " + OpenSslError(*ssl);

  static const std::map<std::string, long> kVersions = {
      {"TLS10", TLS1_VERSION}, {"TLS11", TLS1_1_VERSION}, {"TLS12", TLS1_2_VERSION}, {"TLS13", TLS1_3_VERSION}};
  // What the SSL_CTX_set_min/max_proto_version macros expand to.
  if (ssl->ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, kVersions.at(tls.min_version), nullptr) != 1 ||
      ssl->ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, kVersions.at(tls.max_version), nullptr) != 1) {
    return "cannot set TLS versions " + tls.min_version + ".." + tls.max_version + ": " + OpenSslError(*ssl);
  }

  // Resumed sessions must belong to this server, or OpenSSL refuses them once peers are verified.
  static const unsigned char kSessionContext[] = "silicon_exporter";
  ssl->set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);

  const auto& type = tls.client_auth_type;
  if (!tls.client_ca_file.empty()) {
    if (ssl->load_verify_locations(ctx, tls.client_ca_file.c_str(), nullptr) != 1) {
      return "client_ca_file " + tls.client_ca_file + ": " + OpenSslError(*ssl);
    }
    // Tells clients which CAs we accept, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = ssl->load_client_ca_file(tls.client_ca_file.c_str())) {
      ssl->set_client_ca_list(ctx, names);
    }
  }
  if (type == "NoClientCert") {
    ssl->set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  } else if (type == "RequestClientCert") {
    ssl->set_verify(ctx, SSL_VERIFY_PEER, &AcceptAnyCertificate);
  } else if (type == "RequireAnyClientCert") {
    ssl->set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &AcceptAnyCertificate);
  } else if (type == "VerifyClientCertIfGiven") {
    ssl->set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else {  // RequireAndVerifyClientCert
    ssl->set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return {};
}

}  // namespace silicon
