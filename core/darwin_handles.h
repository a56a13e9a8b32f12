#pragma once

// RAII owners for the CoreFoundation, IOKit and Mach handles the macOS readers use: every handle
// is released on every path, exceptions included. macOS only.

#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>

#include <optional>
#include <string>

namespace silicon {

/// Owns one CoreFoundation reference from a Create/Copy call (the "create rule").
template <typename T>
class CFRef {
 public:
  CFRef() = default;
  explicit CFRef(T ref) : ref_(ref) {}
  ~CFRef() {
    if (ref_) CFRelease(ref_);
  }
  CFRef(const CFRef&) = delete;
  CFRef& operator=(const CFRef&) = delete;
  CFRef(CFRef&& other) noexcept : ref_(other.ref_) { other.ref_ = nullptr; }
  CFRef& operator=(CFRef&& other) noexcept {
    if (this != &other) {
      if (ref_) CFRelease(ref_);
      ref_ = other.ref_;
      other.ref_ = nullptr;
    }
    return *this;
  }

  T get() const { return ref_; }
  explicit operator bool() const { return ref_ != nullptr; }

 private:
  T ref_ = nullptr;
};

/// Owns one io_object_t (services, iterators, registry entries).
class IOObject {
 public:
  IOObject() = default;
  explicit IOObject(io_object_t object) : object_(object) {}
  ~IOObject() {
    if (object_) IOObjectRelease(object_);
  }
  IOObject(const IOObject&) = delete;
  IOObject& operator=(const IOObject&) = delete;
  IOObject(IOObject&& other) noexcept : object_(other.object_) { other.object_ = 0; }

  io_object_t get() const { return object_; }
  explicit operator bool() const { return object_ != 0; }

 private:
  io_object_t object_ = 0;
};

/// A CFNumber as a 64-bit integer; nullopt for anything else.
inline std::optional<long long> CFNumberValue(CFTypeRef ref) {
  long long value = 0;
  if (!ref || CFGetTypeID(ref) != CFNumberGetTypeID()) return std::nullopt;
  if (!CFNumberGetValue(static_cast<CFNumberRef>(ref), kCFNumberLongLongType, &value)) return std::nullopt;
  return value;
}

/// A CFString as UTF-8; empty for anything else.
inline std::string CFStringValue(CFTypeRef ref) {
  if (!ref || CFGetTypeID(ref) != CFStringGetTypeID()) return {};
  char buffer[256];
  if (!CFStringGetCString(static_cast<CFStringRef>(ref), buffer, sizeof buffer, kCFStringEncodingUTF8)) return {};
  return buffer;
}

}  // namespace silicon
