// The exporter's side of the TLS module (tls_module.h): finds and loads it on first use.
#include <dlfcn.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "exporter/http/tls_module.h"

namespace silicon {
namespace {

constexpr const char* kModuleName = "silicon_exporter_tls.so";

// Where the module may be: $SILICON_TLS_MODULE; beside the executable (a build folder); the
// installed library folder; the build folder it was made in (the unit tests run from below it).
std::vector<std::string> Candidates() {
  std::vector<std::string> out;
  if (const char* path = std::getenv("SILICON_TLS_MODULE")) out.emplace_back(path);
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((self.parent_path() / kModuleName).string());
  out.push_back(std::string(SILICON_TLS_MODULE_INSTALL_DIR) + "/" + kModuleName);
  out.push_back(std::string(SILICON_TLS_MODULE_BUILD_DIR) + "/" + kModuleName);
  return out;
}

struct Module {
  SiliconTlsStart start = nullptr;
  SiliconTlsCheck check = nullptr;
  SiliconTlsUseLogger use_logger = nullptr;
  std::string error;  // why it could not be loaded
};

// Loaded once and never unloaded: servers it started may outlive any one caller.
const Module& Loaded() {
  static const Module module = [] {
    Module found;
    std::string tried;
    for (const auto& path : Candidates()) {
      if (access(path.c_str(), R_OK) != 0) {
        tried += " " + path;
        continue;
      }
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        found.error = std::string("cannot load the TLS module: ") + dlerror();
        return found;
      }
      found.start = reinterpret_cast<SiliconTlsStart>(dlsym(handle, "silicon_tls_start"));
      found.check = reinterpret_cast<SiliconTlsCheck>(dlsym(handle, "silicon_tls_check"));
      found.use_logger = reinterpret_cast<SiliconTlsUseLogger>(dlsym(handle, "silicon_tls_use_logger"));
      if (!found.start || !found.check || !found.use_logger)
        found.error = path + " is not the TLS module of this exporter";
      return found;
    }
    found.error = std::string("TLS needs ") + kModuleName + ", not found at:" + tried;
    return found;
  }();
  return module;
}

}  // namespace

std::unique_ptr<HttpServer::Core> StartTlsServerCore(const HttpServerOptions& options, const HttpHandler& handler) {
  const Module& module = Loaded();
  if (!module.start) throw std::runtime_error(module.error);
  module.use_logger(spdlog::default_logger());  // the one configured now, also after a restart
  std::string error;
  bool tls_refused = false;
  HttpServer::Core* core = module.start(options, handler, error, tls_refused);
  if (!core) {
    if (tls_refused) throw TlsSetupError(error);
    throw std::runtime_error(error);
  }
  return std::unique_ptr<HttpServer::Core>(core);
}

std::optional<TlsProblem> CheckTlsServerConfig(const TlsServerConfig& tls) {
  const Module& module = Loaded();
  if (!module.check) return TlsProblem{"cert_file", module.error};
  TlsProblem problem;
  std::string error;
  if (module.check(tls, problem, error)) return std::nullopt;
  if (!error.empty()) return TlsProblem{"cert_file", error};
  return problem;
}

}  // namespace silicon
