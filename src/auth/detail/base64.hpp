#pragma once
// Strict base64 over Beast's codec: Beast stops at the first '=' or foreign character,
// so the caller must check that everything but the padding was consumed.
#include <boost/beast/core/detail/base64.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace blubridge::auth::detail {

inline std::string encode_base64(std::string_view bytes) {
    namespace b64 = boost::beast::detail::base64;
    std::string out(b64::encoded_size(bytes.size()), '\0');
    out.resize(b64::encode(out.data(), bytes.data(), bytes.size()));
    return out;
}

/// The decoded bytes, or nullopt unless `text` is well-formed padded base64.
inline std::optional<std::string> decode_base64(std::string_view text) {
    namespace b64 = boost::beast::detail::base64;
    if (text.size() % 4 != 0) return std::nullopt;
    std::string_view body = text;
    for (int i = 0; i < 2 && !body.empty() && body.back() == '='; ++i) body.remove_suffix(1);
    std::string out(b64::decoded_size(text.size()), '\0');
    const auto [written, read] = b64::decode(out.data(), body.data(), body.size());
    if (read != body.size()) return std::nullopt;
    out.resize(written);
    return out;
}

}  // namespace blubridge::auth::detail
