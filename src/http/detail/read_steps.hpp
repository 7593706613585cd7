#pragma once
#include "header_screen.hpp"
#include "refusal.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>

namespace blubridge::http_server::detail {

/// What became of one step of reading a request.
struct read_verdict {
    enum class outcome {
        accepted,  ///< go on with the request
        refused,   ///< answer `why` (in HTTP/`version`) and close
        closed,    ///< close without an answer: the connection cannot carry one
    };
    outcome result = outcome::accepted;
    refusal why;
    unsigned version = 11;
};

/// The synchronous part of reading a header, after `screen` reported it complete: skips
/// the leading blank lines, parses the whole header from `buffer` in one `parser.put`
/// (consuming what was parsed) and checks its framing (`check_framing`). A parse error is
/// refused as `refusal_for` says (answered in HTTP/1.1), a framing rule in the request's
/// own version. Kept apart from the session's I/O so the request fuzzer runs this very code.
read_verdict parse_header(const header_screen& screen, http::request_parser<http::string_body>& parser,
                          beast::flat_buffer& buffer);

/// The number of fields of `header`.
std::size_t field_count(const http::request_header<>& header);

/// The verdict on a body read with error `ec` by a parser whose header had `header_fields`
/// fields: refused when `refusal_for(ec)` says so or when chunked trailer fields were
/// added to the header (a trailer could carry Authorization or Host past every check),
/// closed for any other error.
read_verdict check_body(const boost::system::error_code& ec, std::size_t header_fields,
                        const http::request_header<>& header);

}  // namespace blubridge::http_server::detail
