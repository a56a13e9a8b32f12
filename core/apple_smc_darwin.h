#pragma once

#include <IOKit/IOKitLib.h>

#include <memory>
#include <optional>
#include <string_view>

// A read-only client of the AppleSMC user client (no root needed), shared by the thermal (fans)
// and power (system power) readers. macOS only; compiled for arm64-apple-macos13, not yet run on a Mac.
namespace silicon {

class AppleSmc {
 public:
  /// The SMC, or nullptr where it cannot be opened (a virtual machine).
  static std::unique_ptr<AppleSmc> Open();
  ~AppleSmc();
  AppleSmc(const AppleSmc&) = delete;
  AppleSmc& operator=(const AppleSmc&) = delete;

  /// A key's value as a number (core/smc_value.h types); nullopt where the key is absent.
  std::optional<double> ReadNumber(std::string_view key);

 private:
  explicit AppleSmc(io_connect_t connection) : connection_(connection) {}
  io_connect_t connection_;
};

}  // namespace silicon
