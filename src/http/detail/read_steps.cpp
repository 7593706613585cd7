#include "read_steps.hpp"

#include "framing_rules.hpp"

#include <iterator>
#include <optional>
#include <utility>

namespace blubridge::http_server::detail {

namespace {

read_verdict refused(refusal why, unsigned version) {
    return {read_verdict::outcome::refused, std::move(why), version};
}

constexpr read_verdict closed() { return {read_verdict::outcome::closed, {}, 11}; }

}  // namespace

read_verdict parse_header(const header_screen& screen, http::request_parser<http::string_body>& parser,
                          beast::flat_buffer& buffer) {
    buffer.consume(screen.leading_blank_bytes());
    beast::error_code ec;
    buffer.consume(parser.put(buffer.data(), ec));  // the whole header is here: one call parses it
    if (ec) {
        std::optional<refusal> why = refusal_for(ec);
        return why ? refused(std::move(*why), 11) : closed();
    }
    if (std::optional<refusal> why = check_framing(parser.get())) return refused(std::move(*why), parser.get().version());
    return {read_verdict::outcome::accepted, {}, parser.get().version()};
}

std::size_t field_count(const http::request_header<>& header) {
    return static_cast<std::size_t>(std::distance(header.begin(), header.end()));
}

read_verdict check_body(const boost::system::error_code& ec, std::size_t header_fields,
                        const http::request_header<>& header) {
    if (ec) {
        std::optional<refusal> why = refusal_for(ec);
        return why ? refused(std::move(*why), header.version()) : closed();
    }
    if (field_count(header) != header_fields) {
        return refused({http::status::bad_request, "trailer fields are not accepted"}, header.version());
    }
    return {read_verdict::outcome::accepted, {}, header.version()};
}

}  // namespace blubridge::http_server::detail
