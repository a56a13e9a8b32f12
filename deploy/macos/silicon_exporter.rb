# Homebrew formula draft: not yet published in a tap and not yet run through `brew install`.
# `url`/`sha256` are filled in when the first release tarball exists.
class SiliconExporter < Formula
  desc "Prometheus exporter for Apple Silicon workstations: P/E cores, unified memory, thermal, GPU"
  homepage "https://example.invalid/silicon_exporter"
  url "https://example.invalid/silicon_exporter-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "Apache-2.0"

  depends_on "cmake" => :build
  depends_on "nlohmann-json" => :build
  depends_on "pkg-config" => :build
  depends_on "boost" => :build
  depends_on "openssl@3"
  depends_on "prometheus-cpp"
  depends_on "re2"
  depends_on "spdlog"
  depends_on "yaml-cpp"

  def install
    system "cmake", "-S", ".", "-B", "build", "-DSILICON_BUILD_TESTS=OFF", *std_cmake_args
    system "cmake", "--build", "build"
    system "cmake", "--install", "build"
  end

  service do
    run [opt_bin/"silicon_exporter", "--web.listen-address=127.0.0.1:10025"]
    keep_alive true
    log_path var/"log/silicon_exporter.log"
    error_log_path var/"log/silicon_exporter.log"
  end

  test do
    assert_match "silicon_cpu_seconds_total", shell_output("#{bin}/silicon_exporter --once")
  end
end
