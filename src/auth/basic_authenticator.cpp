#include <blubridge/auth/basic_authenticator.hpp>

#include "detail/base64.hpp"

#include <boost/beast/core/string.hpp>

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <memory>
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

namespace {

void random_fill(unsigned char* data, std::size_t size, const char* what) {
    if (RAND_bytes(data, static_cast<int>(size)) != 1) throw std::runtime_error(std::string("no random bytes for ") + what);
}

// What an unknown user name is checked against: as costly as the costliest real client,
// so the time to answer does not tell which names exist. Its key is random, so no
// password matches it (and the answer is "no" whatever the comparison says).
password_hash decoy_hash(const std::vector<basic_authenticator::entry>& entries) {
    password_hash h;
    h.iterations = default_iterations;
    if (!entries.empty()) {
        h.iterations = 0;
        for (const auto& e : entries) h.iterations = std::max(h.iterations, e.hash.iterations);
    }
    h.salt.resize(16);
    h.key.resize(32);
    random_fill(h.salt.data(), h.salt.size(), "the decoy salt");
    random_fill(h.key.data(), h.key.size(), "the decoy key");
    return h;
}

}  // namespace

namespace {

// HMAC-SHA256 keyed with `key`, ready for copies; null if OpenSSL cannot make one (the
// one-shot HMAC is used then).
EVP_MAC_CTX* keyed_hmac(const unsigned char* key, std::size_t size) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (!mac) return nullptr;
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context holds its own reference
    if (!ctx) return nullptr;
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(ctx, key, size, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return nullptr;
    }
    return ctx;
}

}  // namespace

basic_authenticator::basic_authenticator(std::vector<entry> entries)
    : entries_(std::move(entries)), decoy_(decoy_hash(entries_)), keyed_mac_(nullptr, EVP_MAC_CTX_free) {
    for (std::size_t i = 0; i < entries_.size(); ++i) by_name_.emplace(entries_[i].username, i);
    random_fill(cache_key_.data(), cache_key_.size(), "the credential cache key");
    keyed_mac_.reset(keyed_hmac(cache_key_.data(), cache_key_.size()));
}

basic_authenticator::digest basic_authenticator::digest_of(std::string_view authorization) const {
    digest out{};
    const auto* data = reinterpret_cast<const unsigned char*>(authorization.data());
    if (keyed_mac_) {
        std::unique_ptr<EVP_MAC_CTX, void (*)(EVP_MAC_CTX*)> ctx(EVP_MAC_CTX_dup(keyed_mac_.get()), EVP_MAC_CTX_free);
        std::size_t size = 0;
        if (ctx && EVP_MAC_update(ctx.get(), data, authorization.size()) == 1 &&
            EVP_MAC_final(ctx.get(), out.data(), &size, out.size()) == 1 && size == out.size()) {
            return out;
        }
    }
    unsigned int size = 0;
    HMAC(EVP_sha256(), cache_key_.data(), static_cast<int>(cache_key_.size()), data, authorization.size(),
         out.data(), &size);
    return out;
}

std::size_t basic_authenticator::digest_hash::operator()(const digest& d) const noexcept {
    std::size_t h = 0;
    std::memcpy(&h, d.data(), sizeof h);  // an HMAC under a secret key: already uniform
    return h;
}

std::uint64_t basic_authenticator::fingerprint(const credential_digest& header_digest) {
    std::uint64_t out = 0;
    std::memcpy(&out, header_digest.data() + sizeof out, sizeof out);  // bytes the hash table does not use
    return out;
}

void basic_authenticator::remember_wrong(const digest& header_digest) const {
    std::unique_lock lock(mutex_);
    if (wrong_.size() >= max_remembered_wrong) wrong_.clear();
    wrong_.insert(header_digest);
}

void basic_authenticator::remember_verified(const digest& header_digest, std::size_t index) const {
    std::unique_lock lock(mutex_);
    if (verified_.size() >= max_remembered_verified) verified_.clear();
    verified_[header_digest] = index;
}

std::optional<std::optional<std::size_t>> basic_authenticator::check_remembered(
    std::string_view authorization, const credential_digest& header_digest) const {
    using answer = std::optional<std::size_t>;
    {
        // The digest covers the whole header value, so a remembered one settles it: the same
        // bytes verified (or failed) before. CRYPTO_memcmp is not needed: the lookup is by an
        // HMAC under a key the client does not know, so timing tells it nothing.
        std::shared_lock lock(mutex_);
        if (const auto known = verified_.find(header_digest); known != verified_.end()) return answer{known->second};
        if (wrong_.contains(header_digest)) return answer{};
    }
    if (!parse_basic_credentials(authorization)) return answer{};  // malformed: names no user
    return std::nullopt;  // only the full check can tell (for an unknown user, the decoy's)
}

std::optional<std::size_t> basic_authenticator::authenticate(std::string_view authorization) const {
    const digest header_digest = digest_of(authorization);
    if (auto quick = check_remembered(authorization, header_digest)) return *quick;
    auto credentials = parse_basic_credentials(authorization);  // check_remembered vetted it
    const auto found = by_name_.find(credentials->first);
    if (found == by_name_.end()) {
        (void)verify_password(decoy_, credentials->second);
        remember_wrong(header_digest);
        return std::nullopt;
    }
    const std::size_t index = found->second;
    if (!verify_password(entries_[index].hash, credentials->second)) {
        remember_wrong(header_digest);
        return std::nullopt;
    }
    remember_verified(header_digest, index);
    return index;
}

}  // namespace blubridge::auth
