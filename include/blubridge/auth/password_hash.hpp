#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::auth {

/// A stored password: PBKDF2-HMAC-SHA256 (OpenSSL) with a random salt, written as
/// `pbkdf2-sha256$<iterations>$<salt base64>$<derived key base64>`.
struct password_hash {
    std::uint32_t iterations = 0;
    std::vector<unsigned char> salt;
    std::vector<unsigned char> key;

    std::string to_string() const;
};

/// Iterations used by `hash_password` unless told otherwise.
inline constexpr std::uint32_t default_iterations = 210'000;

/// Hashes `password` with a fresh 16-byte random salt.
password_hash hash_password(std::string_view password, std::uint32_t iterations = default_iterations);

/// Reads the stored form; nullopt if it is not exactly that form (unknown scheme, fewer
/// than 1,000 iterations, salt under 8 bytes, key not 32 bytes, bad base64).
std::optional<password_hash> parse_password_hash(std::string_view text);

/// Recomputes the key for `password` and compares in constant time.
bool verify_password(const password_hash& stored, std::string_view password);

}  // namespace blubridge::auth
