#include "exporter/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <map>
#include <memory>

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

int VersionNumber(const std::string& name) {
  static const std::map<std::string, int> kVersions = {
      {"TLS10", TLS1_VERSION}, {"TLS11", TLS1_1_VERSION}, {"TLS12", TLS1_2_VERSION}, {"TLS13", TLS1_3_VERSION}};
  return kVersions.at(name);
}

// The setup; ConfigureTlsContext and CheckTlsServerConfig word its answer each their way.
std::optional<TlsProblem> Configure(SSL_CTX* ctx, const TlsServerConfig& tls) {
  if (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1) {
    return TlsProblem{"cert_file", tls.cert_file + ": " + OpenSslError()};
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return TlsProblem{"key_file", tls.key_file + ": " + OpenSslError()};
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return TlsProblem{"key_file", tls.key_file + " does not match cert_file: " + OpenSslError()};
  }

  if (SSL_CTX_set_min_proto_version(ctx, VersionNumber(tls.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, VersionNumber(tls.max_version)) != 1) {
    return TlsProblem{"min_version", "cannot set TLS versions " + tls.min_version + ".." + tls.max_version + ": " +
                                         OpenSslError()};
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
      return TlsProblem{"client_ca_file", tls.client_ca_file + ": " + OpenSslError()};
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
  return std::nullopt;
}

// Whether a client pinned to version completes an in-memory handshake with a server on ctx:
// OpenSSL's own answer, security level included (3.0 allows TLS 1.0 and 1.1 only at level 0).
std::optional<std::string> HandshakeFails(SSL_CTX* server_ctx, int version) {
  const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> client_ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!client_ctx) return OpenSslError();
  SSL_CTX_set_security_level(client_ctx.get(), 0);  // the server's limits are the ones in question
  SSL_CTX_set_min_proto_version(client_ctx.get(), version);
  SSL_CTX_set_max_proto_version(client_ctx.get(), version);
  SSL_CTX_set_cipher_list(client_ctx.get(), "DEFAULT:@SECLEVEL=0");
  const std::unique_ptr<SSL, decltype(&SSL_free)> server(SSL_new(server_ctx), &SSL_free);
  const std::unique_ptr<SSL, decltype(&SSL_free)> client(SSL_new(client_ctx.get()), &SSL_free);
  BIO* server_bio = nullptr;
  BIO* client_bio = nullptr;
  if (!server || !client || BIO_new_bio_pair(&server_bio, 0, &client_bio, 0) != 1) return OpenSslError();
  SSL_set_bio(server.get(), server_bio, server_bio);  // each SSL owns its end now
  SSL_set_bio(client.get(), client_bio, client_bio);
  SSL_set_verify(server.get(), SSL_VERIFY_NONE, nullptr);  // no client certificate here: not the question
  SSL_set_accept_state(server.get());
  SSL_set_connect_state(client.get());
  const auto stuck = [](SSL* ssl, int result) {
    const int error = SSL_get_error(ssl, result);
    return result != 1 && error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE;
  };
  for (int round = 0; round < 16; ++round) {  // a TLS 1.0 handshake takes 2 round trips
    const int client_result = SSL_do_handshake(client.get());
    if (stuck(client.get(), client_result)) return OpenSslError();
    const int server_result = SSL_do_handshake(server.get());
    if (stuck(server.get(), server_result)) return OpenSslError();
    if (client_result == 1 && server_result == 1) return std::nullopt;
  }
  return "the handshake did not finish";
}

}  // namespace

std::string ConfigureTlsContext(void* ssl_ctx, const TlsServerConfig& tls) {
  const auto problem = Configure(static_cast<SSL_CTX*>(ssl_ctx), tls);
  return problem ? problem->key + " " + problem->message : std::string();
}

std::optional<TlsProblem> CheckTlsServerConfig(const TlsServerConfig& tls) {
  // TLS_server_method, as Asio's ssl::context::tls_server the server builds on.
  const std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  if (!ctx) return TlsProblem{"cert_file", "OpenSSL cannot make a context: " + OpenSslError()};
  if (auto problem = Configure(ctx.get(), tls)) return problem;
  // Below TLS 1.2 OpenSSL may set the versions and then fail every handshake (Debian 12's 3.0 at
  // its default security level 2): a config that promises them is refused now, not at each client.
  for (const auto& [name, number] : {std::pair{"TLS10", TLS1_VERSION}, std::pair{"TLS11", TLS1_1_VERSION}}) {
    if (tls.min_version > name || tls.max_version < name) continue;
    if (const auto reason = HandshakeFails(ctx.get(), number)) {
      return TlsProblem{"min_version", std::string(name) + ": OpenSSL here does no " + name +
                                           " handshake at its security level " +
                                           std::to_string(SSL_CTX_get_security_level(ctx.get())) + " (" + *reason +
                                           "); use TLS12 or TLS13"};
    }
  }
  return std::nullopt;
}

}  // namespace silicon
