#pragma once

// Catch2 v2 (Debian 12's catch2 package) or v3 (Homebrew, for the macOS CI job): the tests use
// the few names both spell alike once this header has run.
#if __has_include(<catch2/catch.hpp>)
#include <catch2/catch.hpp>
#else
#include <catch2/catch_all.hpp>
#include <string>
using Catch::Approx;
namespace Catch {
inline auto Contains(const std::string& text) { return Matchers::ContainsSubstring(text); }
}  // namespace Catch
#endif
