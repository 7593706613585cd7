#include "framing_rules.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <iterator>

namespace blubridge::http_server::detail {

namespace {

std::size_t count_fields(const http::request_header<>& header, http::field name) {
    const auto range = header.equal_range(name);
    return static_cast<std::size_t>(std::distance(range.first, range.second));
}

bool plain_decimal(beast::string_view value) {
    return !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<refusal> check_transfer_encoding(const http::request_header<>& header) {
    const std::size_t count = count_fields(header, http::field::transfer_encoding);
    if (count == 0) return std::nullopt;
    if (header.version() < 11) return refusal{http::status::bad_request, "Transfer-Encoding is not allowed on HTTP/1.0"};
    if (count > 1 || !beast::iequals(header[http::field::transfer_encoding], "chunked")) {
        return refusal{http::status::bad_request, "Transfer-Encoding must be exactly \"chunked\""};
    }
    if (count_fields(header, http::field::content_length) != 0) {
        return refusal{http::status::bad_request, "Transfer-Encoding and Content-Length together"};
    }
    return std::nullopt;
}

std::optional<refusal> check_content_length(const http::request_header<>& header) {
    const std::size_t count = count_fields(header, http::field::content_length);
    if (count > 1) return refusal{http::status::bad_request, "more than one Content-Length"};
    if (count == 1 && !plain_decimal(header[http::field::content_length])) {
        return refusal{http::status::bad_request, "Content-Length must be one decimal number"};
    }
    return std::nullopt;
}

std::optional<refusal> check_host(const http::request_header<>& header) {
    const std::size_t count = count_fields(header, http::field::host);
    if (count > 1) return refusal{http::status::bad_request, "more than one Host"};
    if (count == 0 && header.version() >= 11) return refusal{http::status::bad_request, "HTTP/1.1 request without Host"};
    return std::nullopt;
}

std::optional<refusal> check_target(const http::request_header<>& header) {
    const beast::string_view target = header.target();
    if (target.empty() || target.front() != '/') {
        return refusal{http::status::bad_request, "request target must be a path (origin-form)"};
    }
    return std::nullopt;
}

}  // namespace

std::optional<refusal> check_framing(const http::request_header<>& header) {
    for (auto check : {check_transfer_encoding, check_content_length, check_host, check_target}) {
        if (auto refused = check(header)) return refused;
    }
    return std::nullopt;
}

std::optional<refusal> refusal_for(const boost::system::error_code& ec) {
    if (ec == http::error::header_limit) return refusal{http::status::request_header_fields_too_large, "request header too large"};
    if (ec == http::error::body_limit) return refusal{http::status::payload_too_large, "request body too large"};
    if (ec.category() == http::make_error_code(http::error::bad_method).category()
        && ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return refusal{http::status::bad_request, "malformed HTTP request: " + ec.message()};
    }
    return std::nullopt;
}

}  // namespace blubridge::http_server::detail
