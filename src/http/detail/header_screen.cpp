#include "header_screen.hpp"

namespace blubridge::http_server::detail {

namespace {

// RFC 9110 §5.5: field values never carry CR, LF or NUL; other controls but HTAB have no
// meaning in a request header and are a common smuggling vector.
bool forbidden_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

bool whitespace(char c) { return c == ' ' || c == '\t'; }

bool digit(char c) { return c >= '0' && c <= '9'; }

// A request line ending in ` HTTP/d.d` other than 1.0 and 1.1 names a version this
// server does not speak (505); anything else malformed is left to the parser (400).
bool names_unserved_version(std::string_view line) {
    constexpr std::string_view prefix = " HTTP/";
    if (line.size() < prefix.size() + 3) return false;
    const std::string_view v = line.substr(line.size() - prefix.size() - 3);
    if (v.substr(0, prefix.size()) != prefix || !digit(v[6]) || v[7] != '.' || !digit(v[8])) return false;
    return v.substr(6) != "1.0" && v.substr(6) != "1.1";
}

}  // namespace

header_screen::header_screen(std::size_t request_line_limit, std::size_t header_limit)
    : request_line_limit_(request_line_limit), header_limit_(header_limit) {}

header_screen::state header_screen::refuse(http::status status, const char* reason) {
    why_ = {status, reason};
    return state::refused;
}

header_screen::state header_screen::scan(std::string_view received) {
    for (; pos_ < received.size(); ++pos_) {
        if (pos_ >= header_limit_) {
            return refuse(http::status::request_header_fields_too_large, "request header too large");
        }
        const char c = received[pos_];
        if (c == '\r') {
            // Its LF is skipped below without the check above: it must fit as well.
            if (pos_ + 1 >= header_limit_) {
                return refuse(http::status::request_header_fields_too_large, "request header too large");
            }
            if (pos_ + 1 == received.size()) return state::need_more;  // its LF is still on the way
            if (received[pos_ + 1] != '\n') return refuse(http::status::bad_request, "bare CR in request header");
            ++pos_;  // the LF
            const state after = on_line_end(received, pos_ - 1);
            if (after != state::need_more) return after;
            continue;
        }
        if (c == '\n') return refuse(http::status::bad_request, "bare LF in request header");
        if (!in_fields_ && pos_ - line_start_ >= request_line_limit_) {
            return refuse(http::status::uri_too_long, "request line too long");
        }
        if (forbidden_control(static_cast<unsigned char>(c))) {
            return refuse(http::status::bad_request, "control character in request header");
        }
        if (pos_ == line_start_ && in_fields_ && whitespace(c)) {
            return refuse(http::status::bad_request, "folded (obs-fold) or indented header line");
        }
    }
    return state::need_more;
}

// Called with the position of a line's CR; pos_ is at its LF.
header_screen::state header_screen::on_line_end(std::string_view received, std::size_t line_end) {
    const std::string_view line = received.substr(line_start_, line_end - line_start_);
    line_start_ = pos_ + 1;
    if (!line.empty()) {
        if (!in_fields_ && names_unserved_version(line)) {
            return refuse(http::status::http_version_not_supported, "only HTTP/1.0 and HTTP/1.1 are served");
        }
        in_fields_ = true;
        return state::need_more;
    }
    if (!in_fields_) {  // an empty line before the request line
        leading_ = line_start_;
        return state::need_more;
    }
    end_ = line_start_;
    ++pos_;
    return state::complete;
}

}  // namespace blubridge::http_server::detail
