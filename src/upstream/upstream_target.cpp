#include "upstream_target.hpp"

#include <blubridge/upstream/error.hpp>

#include <boost/url/parse.hpp>

namespace blubridge::upstream {

boost::system::result<upstream_target> parse_upstream_target(std::string_view base_url) {
    auto url = boost::urls::parse_absolute_uri(base_url);
    if (!url || url->host().empty() || url->has_query() || url->has_userinfo()) {
        return make_error_code(error::invalid_url);
    }
    upstream_target t;
    if (url->scheme_id() == boost::urls::scheme::https) {
        t.tls = true;
    } else if (url->scheme_id() != boost::urls::scheme::http) {
        return make_error_code(error::invalid_url);
    }
    t.host = std::string(url->encoded_host_address());
    if (url->host_type() == boost::urls::host_type::ipv6) {
        t.host = std::string(url->host_ipv6_address().to_string());
    }
    const std::string_view default_port = t.tls ? "443" : "80";
    t.port = url->has_port() ? std::string(url->port()) : std::string(default_port);
    t.host_header = std::string(url->encoded_host_and_port());
    t.path_prefix = std::string(url->encoded_path());
    while (!t.path_prefix.empty() && t.path_prefix.back() == '/') t.path_prefix.pop_back();
    return t;
}

}  // namespace blubridge::upstream
