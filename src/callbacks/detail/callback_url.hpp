#pragma once
#include <string>
#include <string_view>

namespace blubridge::callbacks::detail {

/// A configured callback URL split for the upstream pool and the log.
struct callback_url {
    std::string base_url;       ///< `scheme://host[:port]`: one pool per URL
    std::string target;         ///< origin-form path and query POSTed to, at least `/`
    std::string authorization;  ///< `Basic …` from the URL's user info; empty without one
    std::string display;        ///< `scheme://host[:port]/path` for the log: no user info, no query
};

/// Throws std::invalid_argument (naming no secret) unless `url` is an absolute http(s) URL
/// with a host.
callback_url parse_callback_url(std::string_view url);

}  // namespace blubridge::callbacks::detail
