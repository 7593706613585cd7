#pragma once
// A throwaway PKI for the TLS tests, made by tests/support/make_test_pki.sh.
#include <filesystem>

namespace blubridge::test_support {

/// The files `make_test_pki` wrote in `dir` (see the script for what each is).
struct test_pki {
    std::filesystem::path dir;
    std::filesystem::path ca() const { return dir / "ca.pem"; }
    std::filesystem::path other_ca() const { return dir / "other-ca.pem"; }
    std::filesystem::path server_cert() const { return dir / "server.pem"; }
    std::filesystem::path server_key() const { return dir / "server.key"; }
    std::filesystem::path client_cert() const { return dir / "client.pem"; }
    std::filesystem::path client_key() const { return dir / "client.key"; }
    std::filesystem::path other_client_cert() const { return dir / "other-client.pem"; }
    std::filesystem::path other_client_key() const { return dir / "other-client.key"; }
};

/// Runs the script named by environment variable MAKE_TEST_PKI (CMake sets it) to write a
/// new CA, server and client certificates into `dir`. Throws if it fails.
test_pki make_test_pki(const std::filesystem::path& dir);

}  // namespace blubridge::test_support
