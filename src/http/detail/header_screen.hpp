#pragma once
#include "refusal.hpp"

#include <cstddef>
#include <string_view>

namespace blubridge::http_server::detail {

/// Watches the raw bytes of one request header as they arrive, before Beast parses them,
/// and refuses what HTTP/1.1 implementations frame differently (RFC 9112 §2.2, §5.2):
/// a bare CR or LF, NUL and other control bytes (HTAB excepted), a folded (obs-fold)
/// line, whitespace before the first field, a request line over `request_line_limit`
/// (414), a well-formed HTTP version other than 1.0 and 1.1 (505; Beast reports it as a
/// malformed version) and a header over `header_limit` (431). Empty lines before the request line are
/// skipped, as RFC 9112 §2.2 asks (they count towards `header_limit`). Beast accepts obs-fold and joins the lines, so this
/// check must see the bytes themselves.
class header_screen {
public:
    enum class state { need_more, complete, refused };

    header_screen(std::size_t request_line_limit, std::size_t header_limit);

    /// Looks at `received`, every byte of the connection's input from the start of this
    /// request (it may run past the header). Bytes already screened are not looked at again.
    state scan(std::string_view received);

    /// Empty lines before the request line: to be consumed before the header is parsed.
    std::size_t leading_blank_bytes() const { return leading_; }
    /// Header size, leading blank lines and the closing empty line included (when complete).
    std::size_t header_end() const { return end_; }
    /// Why the header was refused (when refused).
    const refusal& why() const { return why_; }

private:
    state refuse(http::status status, const char* reason);
    state on_line_end(std::string_view received, std::size_t line_end);

    const std::size_t request_line_limit_;
    const std::size_t header_limit_;
    std::size_t pos_ = 0;         // next byte to screen
    std::size_t line_start_ = 0;  // first byte of the current line
    std::size_t leading_ = 0;
    std::size_t end_ = 0;
    bool in_fields_ = false;      // the request line is behind us
    refusal why_;
};

}  // namespace blubridge::http_server::detail
