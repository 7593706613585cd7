#include "idempotency.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace blubridge::gateway {

namespace {

constexpr std::size_t max_key_length = 255;

bool valid_key(std::string_view key) {
    return !key.empty() && key.size() <= max_key_length &&
           std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// The request a key stands for: method, target and body, so a retry must repeat all three.
std::string request_hash(const http_server::request& req) {
    std::string text(req.method_string());
    text += '\n';
    text += req.target();
    text += '\n';
    text += req.body();
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
    constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

directory::unix_seconds now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

idempotent_request begin_idempotent(const http_server::request& req, std::string_view client,
                                    directory::idempotency_store& store, const config::idempotency_settings& settings) {
    idempotent_request out;
    if (req.method() != http::verb::post && req.method() != http::verb::put) return out;
    const auto field = req.find(idempotency_key_header);
    if (field == req.end()) return out;
    const std::string_view key = field->value();
    if (!valid_key(key)) {
        out.refused = bad_request("Idempotency-Key must be 1 to 255 visible ASCII characters");
        return out;
    }
    out.client = client;
    out.key = key;
    const auto claim = store.claim(client, key, request_hash(req), now_seconds(), settings.lease.count(),
                                   settings.retention.count());
    using state = directory::idempotency_claim::state;
    switch (claim.outcome) {
    case state::busy:
        // The draft's 409, whatever `conflict_status` says: it is about the key, not a customer.
        out.refused = failure{http::status::conflict, "a request with this Idempotency-Key is still being processed; retry later"};
        break;
    case state::mismatch:
        out.refused = failure{http::status::unprocessable_entity,
                              "this Idempotency-Key was used with another request (method, target or body)"};
        break;
    case state::replay:
        out.replay = claim.answer;
        break;
    case state::resume:
        out.resume_create_after = claim.unresolved_create_after;
        out.claimed = true;
        break;
    case state::claimed:
        out.claimed = true;
        break;
    }
    return out;
}

void finish_idempotent(const idempotent_request& claim, directory::idempotency_store& store, unsigned status,
                       const std::string& body, std::optional<std::uint64_t> unresolved_create_after) {
    if (!claim.claimed) return;
    if (status < 500) {
        store.complete(claim.client, claim.key, {status, body}, now_seconds());
    } else if (unresolved_create_after) {
        store.mark_unresolved_create(claim.client, claim.key, *unresolved_create_after);
    } else {
        store.release(claim.client, claim.key);
    }
}

}  // namespace blubridge::gateway
