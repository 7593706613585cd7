#pragma once
#include <blubridge/beast.hpp>

#include <boost/beast/http/status.hpp>

#include <string>

namespace blubridge::http_server::detail {

/// Why the server answers a request itself and closes the connection: the status the
/// client gets and a reason for its error body. Reasons are the server's own words,
/// never echoes of client bytes.
struct refusal {
    http::status status = http::status::bad_request;
    std::string reason;
};

}  // namespace blubridge::http_server::detail
