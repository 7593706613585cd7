#pragma once
#include "refusal.hpp"

#include <boost/beast/http/message.hpp>

#include <optional>

namespace blubridge::http_server::detail {

/// The rules a parsed request header must meet before its body is read, so that this
/// server and any proxy in front of it agree where the request ends (RFC 9112 §6, §3.2,
/// CWE-444). Refused: a Transfer-Encoding
/// other than exactly one `chunked` on HTTP/1.1, or any on HTTP/1.0; Transfer-Encoding
/// together with Content-Length; more than one Content-Length, or one that is not a plain
/// decimal; an HTTP/1.1 request without exactly one Host, or several Host fields on 1.0; a
/// target that is not origin-form (`/path?query`): this server is no proxy, and an
/// absolute-form target could name another authority than Host.
/// (Versions other than 1.0 and 1.1 never get here: see `header_screen`.)
std::optional<refusal> check_framing(const http::request_header<>& header);

/// What the client is told when Beast could not read its request: 431 or 413 over a
/// limit, 400 for any parse error; nothing when the connection cannot carry an answer
/// (timed out, reset, closed mid-message).
std::optional<refusal> refusal_for(const boost::system::error_code& ec);

}  // namespace blubridge::http_server::detail
