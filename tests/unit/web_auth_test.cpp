#include "tests/unit/catch.h"

#include <cstdio>
#include <fstream>

#include "exporter/web_auth.h"

using namespace silicon;

namespace {
const std::string kHash = "$2b$10$fAWcUlTcUKYNBL67axpYiuoVF09GEw44Vf5kF1VTU3RWgrQOXGZHO";  // "s3cret"

std::string WriteTemp(const std::string& text) {
  char path[] = "/tmp/silicon-web-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("basic authorization headers", "[web][parser][bad-input]") {
  const auto ok = ParseBasicAuthorization("Basic cHJvbWV0aGV1czpzM2NyZXQ=");  // prometheus:s3cret
  REQUIRE(ok);
  CHECK(ok->first == "prometheus");
  CHECK(ok->second == "s3cret");
  CHECK(ParseBasicAuthorization("Basic dTpwOnE=")->second == "p:q");  // the password may hold ':'
  CHECK_FALSE(ParseBasicAuthorization("Bearer abc"));
  CHECK_FALSE(ParseBasicAuthorization("Basic !!!!"));
  CHECK_FALSE(ParseBasicAuthorization("Basic cHJvbWV0aGV1cw=="));  // no ':'
  CHECK_FALSE(ParseBasicAuthorization("Basic cHJ=vbWV0"));
  CHECK_FALSE(ParseBasicAuthorization("Basic " + std::string(5000, 'A')));
  CHECK_FALSE(ParseBasicAuthorization(""));
}

TEST_CASE("bcrypt credentials", "[web][linux]") {
  const BasicAuth auth({{"prometheus", kHash}});
  CHECK(auth.Enabled());
  CHECK(auth.Allows("prometheus", "s3cret"));
  CHECK(auth.Allows("prometheus", "s3cret"));  // the remembered path
  CHECK_FALSE(auth.Allows("prometheus", "s3cret "));
  CHECK_FALSE(auth.Allows("prometheus", ""));
  CHECK_FALSE(auth.Allows("admin", "s3cret"));
  CHECK_FALSE(BasicAuth({}).Enabled());
}

TEST_CASE("web config files", "[web][linux][bad-input]") {
  using Catch::Contains;
  const auto good = WriteTemp("basic_auth_users:\n  prometheus: " + kHash + "\n");
  CHECK(LoadWebConfig(good).basic_auth_users.at("prometheus") == kHash);
  const auto plain = WriteTemp("basic_auth_users:\n  prometheus: s3cret\n");
  CHECK_THROWS_WITH(LoadWebConfig(plain), Contains("not a bcrypt hash (plain passwords are refused)"));
  const auto tls = WriteTemp("tls_server_config:\n  cert_file: a.pem\n");
  CHECK_THROWS_WITH(LoadWebConfig(tls), Contains(":1: key 'tls_server_config': TLS is not supported yet"));
  const auto unknown = WriteTemp("http_server_config:\n  http2: true\n");
  CHECK_THROWS_WITH(LoadWebConfig(unknown), Contains("key 'http_server_config': unknown key"));
  CHECK_THROWS_WITH(LoadWebConfig("/nonexistent/web.yml"), Contains("cannot open"));
  const auto empty = WriteTemp("");
  CHECK(LoadWebConfig(empty).basic_auth_users.empty());
  for (const auto& path : {good, plain, tls, unknown, empty}) std::remove(path.c_str());
  CHECK(IsBcryptHash(kHash));
  CHECK_FALSE(IsBcryptHash("$1$abc$def"));
}
