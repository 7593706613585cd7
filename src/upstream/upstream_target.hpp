#pragma once
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace blubridge::upstream {

/// Where a pool connects, parsed once from the configured base URL.
struct upstream_target {
    std::string host;         ///< name or address, used for DNS, SNI and verification
    std::string port;         ///< numeric service
    std::string host_header;  ///< `host[:port]` as sent in `Host`
    std::string path_prefix;  ///< base URL path without trailing slash, prefixed to targets
    bool tls = false;
};

/// Parses `http://host[:port][/prefix]` or `https://…` with Boost.URL.
boost::system::result<upstream_target> parse_upstream_target(std::string_view base_url);

}  // namespace blubridge::upstream
