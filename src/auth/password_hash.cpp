#include <blubridge/auth/password_hash.hpp>

#include "detail/base64.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>

namespace blubridge::auth {

namespace {

constexpr std::string_view scheme = "pbkdf2-sha256";
constexpr std::size_t key_size = 32;
constexpr std::size_t salt_size = 16;

std::string encode(const std::vector<unsigned char>& bytes) {
    return detail::encode_base64({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

std::optional<std::vector<unsigned char>> decode(std::string_view text) {
    auto raw = detail::decode_base64(text);
    if (!raw) return std::nullopt;
    return std::vector<unsigned char>(raw->begin(), raw->end());
}

std::vector<unsigned char> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                  std::uint32_t iterations) {
    std::vector<unsigned char> key(key_size);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                          static_cast<int>(key.size()), key.data()) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return key;
}

}  // namespace

std::string password_hash::to_string() const {
    return std::string(scheme) + "$" + std::to_string(iterations) + "$" + encode(salt) + "$" + encode(key);
}

password_hash hash_password(std::string_view password, std::uint32_t iterations) {
    password_hash h;
    h.iterations = iterations;
    h.salt.resize(salt_size);
    if (RAND_bytes(h.salt.data(), static_cast<int>(h.salt.size())) != 1) {
        throw std::runtime_error("no random bytes for a salt");
    }
    h.key = derive(password, h.salt, iterations);
    return h;
}

std::optional<password_hash> parse_password_hash(std::string_view text) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto end = text.find('$', start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    if (parts.size() != 4 || parts[0] != scheme) return std::nullopt;

    password_hash h;
    const auto [ptr, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), h.iterations);
    if (ec != std::errc{} || ptr != parts[1].data() + parts[1].size() || h.iterations < 1000) {
        return std::nullopt;
    }
    auto salt = decode(parts[2]);
    auto key = decode(parts[3]);
    if (!salt || !key || salt->size() < 8 || key->size() != key_size) return std::nullopt;
    h.salt = std::move(*salt);
    h.key = std::move(*key);
    return h;
}

bool verify_password(const password_hash& stored, std::string_view password) {
    if (stored.key.size() != key_size) return false;
    const auto key = derive(password, stored.salt, stored.iterations);
    return CRYPTO_memcmp(key.data(), stored.key.data(), key_size) == 0;
}

}  // namespace blubridge::auth
