# CMake toolchain for cross-building to arm64 macOS 13 on Linux with Debian's clang and ld64.lld,
# against a macOS SDK folder (headers and .tbd stubs). tests/macos/cross_build.sh uses it for the
# dependencies and for silicon_exporter alike. Needs MACOS_SDK (cache or environment variable).
set(CMAKE_SYSTEM_NAME Darwin)
set(CMAKE_SYSTEM_PROCESSOR arm64)
set(CMAKE_OSX_ARCHITECTURES arm64 CACHE STRING "")
set(CMAKE_OSX_DEPLOYMENT_TARGET 13.0 CACHE STRING "")

if(NOT MACOS_SDK)
  set(MACOS_SDK "$ENV{MACOS_SDK}")
endif()
if(NOT IS_DIRECTORY "${MACOS_SDK}/usr/lib")
  message(FATAL_ERROR "MACOS_SDK='${MACOS_SDK}' is not a macOS SDK folder (no usr/lib)")
endif()
# try_compile projects re-read this file: hand them the SDK too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MACOS_SDK)
set(CMAKE_OSX_SYSROOT "${MACOS_SDK}" CACHE PATH "")

set(triple arm64-apple-macos13.0)
set(CMAKE_C_COMPILER clang)
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_C_COMPILER_TARGET ${triple})
set(CMAKE_CXX_COMPILER_TARGET ${triple})
set(CMAKE_ASM_COMPILER_TARGET ${triple})
# Debian's clang++ defaults to libstdc++ and does not look in the SDK for libc++ headers.
set(CMAKE_CXX_FLAGS_INIT "-stdlib=libc++ -nostdinc++ -isystem ${MACOS_SDK}/usr/include/c++/v1")
foreach(kind EXE SHARED MODULE)
  # -nostdinc++ reaches the link line too, where clang would warn that it is unused.
  set(CMAKE_${kind}_LINKER_FLAGS_INIT "-fuse-ld=lld -stdlib=libc++ -Wno-unused-command-line-argument")
endforeach()
find_program(CMAKE_AR NAMES llvm-ar-14 llvm-ar REQUIRED)
find_program(CMAKE_RANLIB NAMES llvm-ranlib-14 llvm-ranlib REQUIRED)
find_program(CMAKE_INSTALL_NAME_TOOL NAMES llvm-install-name-tool-14 llvm-install-name-tool)
find_program(CMAKE_LIPO NAMES llvm-lipo-14 llvm-lipo)
find_program(CMAKE_OTOOL NAMES llvm-otool-14 llvm-otool)

# Libraries and headers from the SDK and the cross-built prefix only, never from this Linux host.
list(APPEND CMAKE_FIND_ROOT_PATH "${MACOS_SDK}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
