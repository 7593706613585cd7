// libFuzzer target over the HTTP request path: raw client bytes through the server's own
// read steps (`header_screen`, Beast's `request_parser`, `parse_header` with its framing
// rules, the body read and `check_body`, exactly as `session` calls them), then every
// accepted request through the gateway's router. Pipelined requests are read one after
// another, as the session does, until one is refused, the input runs out or the client
// does not keep the connection alive.
//
// Invariants checked beyond "no crash, no sanitizer report, no exception":
// - the header screen gives the same verdict on the bytes arriving one at a time as at once;
// - an accepted header has no bare CR or LF, no control byte, no obs-fold, and Beast's
//   parser ends it exactly where the screen does (so no bytes are read twice or skipped);
// - an accepted header is HTTP/1.0 or 1.1 with an origin-form target, at most one
//   Content-Length (plain decimal, the body length the parser uses), Transfer-Encoding only
//   as exactly one `chunked` on 1.1 and never with Content-Length, one Host on 1.1;
// - an accepted body has the declared length, at most the body limit, and no trailer;
// - refusals carry the statuses the README promises, and the router answers every target
//   with a route or a 4xx/501 failure with a message (405 naming the allowed methods).

#include "detail/header_screen.hpp"
#include "detail/read_steps.hpp"
#include "router.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>

namespace {

namespace http = boost::beast::http;
namespace beast = boost::beast;
using blubridge::http_server::detail::header_screen;
using blubridge::http_server::detail::read_verdict;
using parser_type = http::request_parser<http::string_body>;

// Smaller than the server's defaults (4 KiB, 8 KiB, 1 MiB) so short inputs reach every
// limit; the code paths are the same.
constexpr std::size_t request_line_limit = 256;
constexpr std::size_t header_limit = 1024;
constexpr std::uint64_t body_limit = 4096;
constexpr int max_requests = 8;

void expect(bool holds, const char* what) {
    if (holds) return;
    std::fprintf(stderr, "request_fuzz: invariant violated: %s\n", what);
    std::abort();
}

std::string_view view(const beast::flat_buffer& buffer) {
    return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}

bool one_of(http::status s, std::initializer_list<http::status> allowed) {
    for (auto a : allowed)
        if (s == a) return true;
    return false;
}

// The screen's verdict on `bytes` delivered one byte at a time must be its verdict on
// them all at once: a client choosing its segment sizes cannot change the outcome.
void check_screen_is_incremental(std::string_view bytes, const header_screen& whole,
                                 header_screen::state whole_state) {
    header_screen trickled(request_line_limit, header_limit);
    auto state = header_screen::state::need_more;
    for (std::size_t n = 1; n <= bytes.size() && state == header_screen::state::need_more; ++n)
        state = trickled.scan(bytes.substr(0, n));
    expect(state == whole_state, "screen verdict depends on how the bytes arrive");
    if (state == header_screen::state::complete) {
        expect(trickled.header_end() == whole.header_end(), "screen header end depends on segmentation");
        expect(trickled.leading_blank_bytes() == whole.leading_blank_bytes(), "screen leading bytes differ");
    }
    if (state == header_screen::state::refused) {
        expect(trickled.why().status == whole.why().status, "screen refusal depends on segmentation");
    }
}

// An independent reading of RFC 9112 §2.2/§5.2 over the bytes the screen let through.
void check_header_bytes(std::string_view header) {
    for (std::size_t i = 0; i < header.size(); ++i) {
        const auto c = static_cast<unsigned char>(header[i]);
        if (c == '\r') expect(i + 1 < header.size() && header[i + 1] == '\n', "bare CR accepted");
        if (c == '\n') expect(i > 0 && header[i - 1] == '\r', "bare LF accepted");
        expect(!((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f), "control byte accepted");
        const bool line_start = i > 0 && header[i - 1] == '\n';
        if (line_start) expect(c != ' ' && c != '\t', "obs-fold or whitespace before a field accepted");
    }
    expect(header.ends_with("\r\n\r\n"), "accepted header does not end in an empty line");
}

std::size_t count(const http::request_header<>& h, http::field f) {
    const auto range = h.equal_range(f);
    return static_cast<std::size_t>(std::distance(range.first, range.second));
}

void check_accepted_header(const parser_type& parser) {
    const auto& h = parser.get();
    expect(h.version() == 10 || h.version() == 11, "version other than 1.0 or 1.1 accepted");
    expect(!h.target().empty() && h.target().front() == '/', "target not origin-form accepted");
    const std::size_t cl = count(h, http::field::content_length);
    const std::size_t te = count(h, http::field::transfer_encoding);
    expect(cl <= 1, "several Content-Length accepted");
    expect(te <= 1, "several Transfer-Encoding accepted");
    if (te == 1) {
        expect(h.version() == 11, "Transfer-Encoding on HTTP/1.0 accepted");
        expect(beast::iequals(h[http::field::transfer_encoding], "chunked"), "Transfer-Encoding other than chunked");
        expect(cl == 0, "Transfer-Encoding with Content-Length accepted");
    }
    expect(parser.chunked() == (te == 1), "parser's chunked differs from the checked field");
    if (cl == 1) {
        const beast::string_view text = h[http::field::content_length];
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        expect(ec == std::errc{} && end == text.data() + text.size(), "Content-Length not a plain number");
        expect(parser.content_length() && *parser.content_length() == value, "parser length differs from field");
    }
    if (cl == 0 && te == 0) expect(parser.is_done(), "a request without length or chunking has a body");
    const std::size_t hosts = count(h, http::field::host);
    expect(hosts <= 1 && (h.version() == 10 || hosts == 1), "Host rule broken");
}

// What `http::async_read` does with the parser once the header is in (Beast's read_some_op):
// eager puts of what is buffered; when it needs more, the next read finds the input over,
// as if the peer had closed (`put_eof`).
beast::error_code read_body(parser_type& parser, beast::flat_buffer& buffer) {
    parser.eager(true);
    beast::error_code ec;
    while (!parser.is_done()) {
        if (buffer.size() > 0) {
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec != http::error::need_more) {
                if (ec) break;
                expect(used > 0, "parser made no progress on buffered bytes");  // Beast would spin
                continue;
            }
            ec = {};
        }
        parser.put_eof(ec);
        break;
    }
    return ec;
}

void check_route(http::verb method, std::string_view target) {
    const auto routed = blubridge::gateway::route_request(method, target);
    if (routed) return;
    const auto& f = routed.error();
    expect(one_of(f.status, {http::status::bad_request, http::status::not_found,
                             http::status::method_not_allowed, http::status::not_implemented}),
           "router failed with an unexpected status");
    expect(!f.message.empty(), "router failure without a message");
    if (f.status == http::status::method_not_allowed) expect(!f.allow.empty(), "405 without Allow");
}

// One request from the front of `buffer`; false when the connection ends after it.
bool serve_one(beast::flat_buffer& buffer) {
    header_screen screen(request_line_limit, header_limit);
    const auto state = screen.scan(view(buffer));
    check_screen_is_incremental(view(buffer), screen, state);
    if (state == header_screen::state::need_more) return false;  // the header timeout closes
    if (state == header_screen::state::refused) {
        expect(one_of(screen.why().status, {http::status::bad_request, http::status::uri_too_long,
                                            http::status::request_header_fields_too_large,
                                            http::status::http_version_not_supported}),
               "screen refused with an unexpected status");
        return false;
    }
    expect(screen.header_end() <= header_limit, "header over the limit passed the screen");
    const std::string_view header = view(buffer).substr(screen.leading_blank_bytes(),
                                                        screen.header_end() - screen.leading_blank_bytes());
    check_header_bytes(header);

    parser_type parser;
    parser.header_limit(static_cast<std::uint32_t>(header_limit));
    parser.body_limit(body_limit);
    const std::size_t before = buffer.size();
    const read_verdict head = blubridge::http_server::detail::parse_header(screen, parser, buffer);
    if (head.result == read_verdict::outcome::refused) {
        // 413: Beast checks a Content-Length against the body limit with the header.
        expect(one_of(head.why.status, {http::status::bad_request, http::status::request_header_fields_too_large,
                                        http::status::payload_too_large}),
               "header refused with an unexpected status");
        return false;
    }
    if (head.result == read_verdict::outcome::closed) return false;
    expect(before - buffer.size() == screen.header_end(), "parser and screen disagree where the header ends");
    check_accepted_header(parser);

    if (!parser.is_done()) {
        const std::size_t fields = blubridge::http_server::detail::field_count(parser.get());
        const beast::error_code ec = read_body(parser, buffer);
        const read_verdict body = blubridge::http_server::detail::check_body(ec, fields, parser.get());
        if (body.result == read_verdict::outcome::refused) {
            expect(one_of(body.why.status, {http::status::bad_request, http::status::payload_too_large}),
                   "body refused with an unexpected status");
            return false;
        }
        if (body.result == read_verdict::outcome::closed) return false;
        expect(parser.is_done(), "accepted body not complete");
    }
    const auto& req = parser.get();
    expect(req.body().size() <= body_limit, "body over the limit accepted");
    if (parser.content_length()) expect(req.body().size() == *parser.content_length(), "body length differs");
    check_route(req.method(), req.target());
    return req.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    beast::flat_buffer buffer;
    const auto in = buffer.prepare(size);
    if (size > 0) std::memcpy(in.data(), data, size);
    buffer.commit(size);
    for (int i = 0; i < max_requests && buffer.size() > 0; ++i)
        if (!serve_one(buffer)) break;
    return 0;
}
