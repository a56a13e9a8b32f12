#include "exporter/web_config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "exporter/config_source.h"
#include "exporter/http/tls_context.h"
#include "exporter/http/web_auth.h"

namespace silicon {
namespace {

namespace fs = std::filesystem;

const std::set<std::string> kClientAuthTypes = {"NoClientCert", "RequestClientCert", "RequireAnyClientCert",
                                                "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"};
const std::set<std::string> kTlsVersions = {"TLS10", "TLS11", "TLS12", "TLS13"};

// "file:line:column: key 'name': ", at node: the bad value itself where there is one (yaml-cpp's
// marks count from 0, people from 1).
std::string Where(const std::string& path, const YAML::Node& node, const std::string& name) {
  const auto mark = node.Mark();
  if (mark.line < 0) return path + ": key '" + name + "': ";
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": key '" + name + "': ";
}

std::map<std::string, std::string> BasicAuthUsers(const YAML::Node& node, const std::string& path,
                                                  const std::string& where) {
  if (!BcryptAvailable()) throw WebConfigError(where + "basic auth needs bcrypt from libxcrypt, which this build does not have");
  if (!node.IsMap()) throw WebConfigError(where + "must map user names to bcrypt hashes");
  std::map<std::string, std::string> users;
  for (const auto& user : node) {
    const auto name = user.first.Scalar();
    const auto hash = user.second.IsScalar() ? user.second.Scalar() : std::string();
    if (name.empty() || name.find(':') != std::string::npos) {
      throw WebConfigError(Where(path, user.first, "basic_auth_users") + "user '" + name + "' is empty or contains ':'");
    }
    if (!IsBcryptHash(hash)) {
      throw WebConfigError(Where(path, user.second, "basic_auth_users." + name) +
                           "not a bcrypt hash (plain passwords are refused)");
    }
    users[name] = hash;
  }
  return users;
}

// A file named in the config: relative to the config's folder, and readable now, so a typo is a
// startup error rather than a failed handshake later.
std::string ReadableFile(const std::string& value, const fs::path& config_dir, const std::string& where) {
  if (value.empty()) throw WebConfigError(where + "must name a file");
  const fs::path path = fs::path(value).is_absolute() ? fs::path(value) : config_dir / value;
  if (const auto problem = CheckConfigSourcePath(path.string())) {
    throw WebConfigError(where + "cannot read " + path.string() + " (" + *problem + ")");
  }
  return path.string();
}

TlsServerConfig TlsSettings(const YAML::Node& node, const std::string& path, const std::string& where) {
  if (!node.IsMap()) throw WebConfigError(where + "must be a mapping");
  const fs::path config_dir = fs::absolute(path).parent_path();
  TlsServerConfig tls;
  std::map<std::string, std::string> at_key;  // where each value is, for the checks that follow
  for (const auto& entry : node) {
    const auto key = entry.first.Scalar();
    const auto at = Where(path, entry.second, "tls_server_config." + key);
    at_key[key] = at;
    if (!entry.second.IsScalar()) throw WebConfigError(at + "must be a single value");
    const auto value = entry.second.Scalar();
    if (key == "cert_file") {
      tls.cert_file = ReadableFile(value, config_dir, at);
    } else if (key == "key_file") {
      tls.key_file = ReadableFile(value, config_dir, at);
    } else if (key == "client_ca_file") {
      tls.client_ca_file = ReadableFile(value, config_dir, at);
    } else if (key == "client_auth_type") {
      if (!kClientAuthTypes.count(value)) {
        throw WebConfigError(at + "'" + value + "' is none of NoClientCert, RequestClientCert, RequireAnyClientCert, "
                                  "VerifyClientCertIfGiven, RequireAndVerifyClientCert");
      }
      tls.client_auth_type = value;
    } else if (key == "min_version" || key == "max_version") {
      if (!kTlsVersions.count(value)) throw WebConfigError(at + "'" + value + "' is none of TLS10, TLS11, TLS12, TLS13");
      (key == "min_version" ? tls.min_version : tls.max_version) = value;
    } else {
      // cipher_suites, curve_preferences, inline cert/key...: refused rather than silently ignored.
      throw WebConfigError(at + "not supported (supported: cert_file, key_file, client_auth_type, client_ca_file, "
                                "min_version, max_version)");
    }
  }
  if (tls.cert_file.empty() || tls.key_file.empty()) throw WebConfigError(where + "needs both cert_file and key_file");
  const bool verifies = tls.client_auth_type == "VerifyClientCertIfGiven" ||
                        tls.client_auth_type == "RequireAndVerifyClientCert";
  if (verifies && tls.client_ca_file.empty()) {
    throw WebConfigError(at_key["client_auth_type"] + tls.client_auth_type + " needs client_ca_file");
  }
  // TLS10 < TLS11 < TLS12 < TLS13 as strings too.
  if (tls.min_version > tls.max_version) {
    throw WebConfigError(at_key[at_key.count("min_version") ? "min_version" : "max_version"] +
                         "min_version is above max_version");
  }
  // What start-up would refuse (a key that does not match, a file that is not PEM, a version
  // OpenSSL will not speak) is refused here, so --config.check and a reload see it too.
  if (const auto problem = CheckTlsServerConfig(tls)) {
    const auto found = at_key.find(problem->key);
    throw WebConfigError((found != at_key.end() ? found->second : where) + problem->message);
  }
  return tls;
}

}  // namespace

WebConfig LoadWebConfig(const std::string& path) {
  const auto source = ReadConfigSource(path, "web config file");
  if (!source.text) throw WebConfigError(path + ": " + source.error);
  YAML::Node root;
  try {
    root = YAML::Load(*source.text);
  } catch (const YAML::Exception& error) {
    throw WebConfigError(path + ":" + std::to_string(error.mark.line + 1) + ": not valid YAML: " + error.msg);
  }
  WebConfig config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) throw WebConfigError(path + ": the top level must be a mapping");
  for (const auto& entry : root) {
    const auto key = entry.first.Scalar();
    const auto where = Where(path, entry.second.IsNull() ? entry.first : entry.second, key);
    if (key == "basic_auth_users") {
      config.basic_auth_users = BasicAuthUsers(entry.second, path, where);
    } else if (key == "tls_server_config") {
      config.tls = TlsSettings(entry.second, path, where);
    } else {
      throw WebConfigError(where + "unknown key (expected tls_server_config or basic_auth_users)");
    }
  }
  return config;
}

}  // namespace silicon
