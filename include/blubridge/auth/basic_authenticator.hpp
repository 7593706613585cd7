#pragma once
#include <blubridge/auth/password_hash.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX

namespace blubridge::auth {

/// Checks `Authorization: Basic …` headers against stored PBKDF2 hashes.
///
/// PBKDF2 is slow on purpose, so a header value that verified once is remembered as an
/// HMAC under a random per-process key (never the password itself); later requests
/// with the same header cost one HMAC. A new authenticator (config reload) starts
/// with an empty memory. An unknown user name costs a full PBKDF2 check too (against a
/// decoy hash with the highest iteration count of the entries), so the time to answer does
/// not reveal which user names exist. Credentials that failed the full check are
/// remembered as wrong the same way (a bounded set of HMACs), so the same wrong password
/// sent many times — in parallel, say — costs one PBKDF2. Thread-safe.
class basic_authenticator {
public:
    struct entry {
        std::string username;
        password_hash hash;
    };

    explicit basic_authenticator(std::vector<entry> entries);

    /// An HMAC-SHA256 of a whole `Authorization` header value under a random per-process
    /// key: what the authenticator remembers checked credentials by, and what the caller's
    /// failure limiter tells guesses apart by. Never the credentials themselves.
    using credential_digest = std::array<unsigned char, 32>;

    /// The index (into the constructor's entries) of the client the header value
    /// authenticates, or nullopt for a missing, malformed or wrong credential.
    /// May run PBKDF2 (tens of milliseconds): see `check_remembered`.
    std::optional<std::size_t> authenticate(std::string_view authorization) const;

    /// The digest of a header value (one HMAC). A request computes it once and hands it to
    /// `check_remembered` and `fingerprint`.
    credential_digest digest_of(std::string_view authorization) const;

    /// The cheap part of `authenticate`: the answer when it needs no PBKDF2 (credentials
    /// remembered, or unusable: missing or malformed), nullopt when only the full check can
    /// tell (a known user's password not verified yet, or an unknown user, who must cost as
    /// much). Lets the caller run the slow check off its I/O threads. `header_digest` is
    /// `digest_of(authorization)`.
    std::optional<std::optional<std::size_t>> check_remembered(std::string_view authorization,
                                                               const credential_digest& header_digest) const;
    std::optional<std::optional<std::size_t>> check_remembered(std::string_view authorization) const {
        return check_remembered(authorization, digest_of(authorization));
    }

    /// A fingerprint of the header value that tells credentials apart without holding them
    /// (the digest, truncated): what `failure_limiter` counts guesses by.
    static std::uint64_t fingerprint(const credential_digest& header_digest);
    std::uint64_t fingerprint(std::string_view authorization) const { return fingerprint(digest_of(authorization)); }

    /// Wrong credentials remembered at most; the memory starts again when it is full.
    static constexpr std::size_t max_remembered_wrong = 4096;
    /// Verified header values remembered at most (several spellings of one user's header
    /// count apart); the memory starts again when it is full.
    static constexpr std::size_t max_remembered_verified = 4096;

private:
    using digest = credential_digest;
    struct digest_hash {
        std::size_t operator()(const digest& d) const noexcept;
    };
    void remember_wrong(const digest& header_digest) const;
    void remember_verified(const digest& header_digest, std::size_t index) const;

    std::vector<entry> entries_;
    password_hash decoy_;  ///< checked for unknown user names
    std::unordered_map<std::string, std::size_t> by_name_;
    digest cache_key_{};
    /// HMAC-SHA256 already keyed with cache_key_: each digest starts from a copy of it
    /// instead of fetching the algorithm and processing the key again (it showed in the
    /// request path's profile). Only read after construction, so copies may run in parallel.
    std::unique_ptr<evp_mac_ctx_st, void (*)(evp_mac_ctx_st*)> keyed_mac_;
    mutable std::shared_mutex mutex_;
    mutable std::unordered_map<digest, std::size_t, digest_hash> verified_;  ///< header HMAC → client
    mutable std::unordered_set<digest, digest_hash> wrong_;                 ///< header HMACs
};

/// The `Authorization` header value `Basic base64(user:password)`.
std::string make_basic_authorization(std::string_view user, std::string_view password);

/// The user and password in a Basic `Authorization` header value, or nullopt.
std::optional<std::pair<std::string, std::string>> parse_basic_credentials(std::string_view header);

}  // namespace blubridge::auth
