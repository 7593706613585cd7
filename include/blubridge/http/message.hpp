#pragma once
// The HTTP message types every server-side unit shares.
#include <blubridge/beast.hpp>

namespace blubridge::http_server {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// What a handler asks the session to do with one request's answer.
struct reply {
    response message;
    /// Close the socket without sending anything (fault injection, abuse).
    bool drop_connection = false;
};

}  // namespace blubridge::http_server
