#include "basic_auth.hpp"

#include <boost/beast/core/detail/base64.hpp>

#include <cctype>

namespace blubridge::sandbox {

namespace b64 = boost::beast::detail::base64;

basic_auth::basic_auth(std::string account, std::string api_key) : expected_(std::move(account)) {
    expected_ += ':';
    expected_ += api_key;
}

bool basic_auth::accepts(std::string_view authorization) const {
    constexpr std::string_view scheme = "basic ";
    if (authorization.size() <= scheme.size() || authorization.size() > 1024) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return false;
    auto token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    // Beast's decoder stops at padding; drop it so "read everything" means "all valid".
    for (int i = 0; i < 2 && !token.empty() && token.back() == '='; ++i) token.remove_suffix(1);

    char decoded[768];
    if (b64::decoded_size(token.size()) > sizeof decoded) return false;
    const auto [written, read] = b64::decode(decoded, token.data(), token.size());
    if (read != token.size()) return false;  // stopped at a byte that is not base64

    if (written != expected_.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < written; ++i) diff |= static_cast<unsigned char>(decoded[i] ^ expected_[i]);
    return diff == 0;
}

}  // namespace blubridge::sandbox
