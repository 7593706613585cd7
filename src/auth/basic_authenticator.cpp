#include <blubridge/auth/basic_authenticator.hpp>

#include "detail/base64.hpp"

#include <boost/beast/core/string.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <mutex>
#include <stdexcept>

namespace blubridge::auth {

std::string make_basic_authorization(std::string_view user, std::string_view password) {
    return "Basic " + detail::encode_base64(std::string(user) + ":" + std::string(password));
}

std::optional<std::pair<std::string, std::string>> parse_basic_credentials(std::string_view header) {
    constexpr std::string_view scheme = "basic ";
    if (header.size() <= scheme.size() ||
        !boost::beast::iequals(header.substr(0, scheme.size()), scheme)) {
        return std::nullopt;
    }
    auto encoded = header.substr(scheme.size());
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);

    auto decoded_or = detail::decode_base64(encoded);
    if (!decoded_or) return std::nullopt;
    const std::string& decoded = *decoded_or;

    const auto colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return std::pair{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

basic_authenticator::basic_authenticator(std::vector<entry> entries) : entries_(std::move(entries)) {
    for (std::size_t i = 0; i < entries_.size(); ++i) by_name_.emplace(entries_[i].username, i);
    if (RAND_bytes(cache_key_.data(), static_cast<int>(cache_key_.size())) != 1) {
        throw std::runtime_error("no random bytes for the credential cache key");
    }
}

basic_authenticator::digest basic_authenticator::remember_digest(std::string_view password) const {
    digest out{};
    unsigned int size = 0;
    HMAC(EVP_sha256(), cache_key_.data(), static_cast<int>(cache_key_.size()),
         reinterpret_cast<const unsigned char*>(password.data()), password.size(), out.data(), &size);
    return out;
}

std::optional<std::optional<std::size_t>> basic_authenticator::check_remembered(
    std::string_view authorization) const {
    using answer = std::optional<std::size_t>;
    auto credentials = parse_basic_credentials(authorization);
    if (!credentials) return answer{};
    const auto found = by_name_.find(credentials->first);
    if (found == by_name_.end()) return answer{};
    const std::size_t index = found->second;

    const digest presented = remember_digest(credentials->second);
    std::shared_lock lock(mutex_);
    const auto known = verified_.find(index);
    if (known != verified_.end() &&
        CRYPTO_memcmp(known->second.data(), presented.data(), presented.size()) == 0) {
        return answer{index};
    }
    return std::nullopt;
}

std::optional<std::size_t> basic_authenticator::authenticate(std::string_view authorization) const {
    if (auto quick = check_remembered(authorization)) return *quick;
    auto credentials = parse_basic_credentials(authorization);
    const std::size_t index = by_name_.at(credentials->first);  // check_remembered vetted both
    const digest presented = remember_digest(credentials->second);
    if (!verify_password(entries_[index].hash, credentials->second)) return std::nullopt;
    std::unique_lock lock(mutex_);
    verified_[index] = presented;
    return index;
}

}  // namespace blubridge::auth
