#include "callback_url.hpp"

#include <blubridge/auth/basic_authenticator.hpp>

#include <boost/url/parse.hpp>

#include <stdexcept>

namespace blubridge::callbacks::detail {

callback_url parse_callback_url(std::string_view text) {
    const auto url = boost::urls::parse_absolute_uri(text);
    if (!url || url->host().empty() ||
        (url->scheme_id() != boost::urls::scheme::http && url->scheme_id() != boost::urls::scheme::https)) {
        throw std::invalid_argument("callback URL is not an absolute http:// or https:// URL");
    }
    callback_url out;
    const auto origin = std::string(url->scheme()) + "://" + std::string(url->encoded_host_and_port());
    out.base_url = origin;
    out.target = std::string(url->encoded_target());
    if (out.target.empty() || out.target.front() != '/') out.target.insert(0, "/");
    // Receivers often want credentials or a token: user info becomes Basic auth, and
    // neither it nor the query (where tokens sit) reaches the log.
    if (url->has_userinfo()) out.authorization = auth::make_basic_authorization(url->user(), url->password());
    out.display = origin + std::string(url->encoded_path());
    return out;
}

}  // namespace blubridge::callbacks::detail
