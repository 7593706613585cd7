#include "detail/billagain_date.hpp"

#include <chrono>
#include <cstddef>

namespace blubridge::directory::detail {
namespace {

// Reads exactly `count` digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
    if (text.size() - pos < count) return false;
    value = 0;
    for (std::size_t end = pos + count; pos < end; ++pos) {
        const char c = text[pos];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::optional<unix_seconds> parse_billagain_date(std::string_view text) {
    std::size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') || !read_digits(text, pos, 2, month) ||
        !expect(text, pos, '-') || !read_digits(text, pos, 2, day) || !expect(text, pos, 'T') ||
        !read_digits(text, pos, 2, hour) || !expect(text, pos, ':') || !read_digits(text, pos, 2, minute) ||
        !expect(text, pos, ':') || !read_digits(text, pos, 2, second))
        return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
        const auto start = ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start || pos - start > 7) return std::nullopt;
    }
    int offset_seconds = 0;
    if (pos < text.size()) {
        const char sign = text[pos++];
        if (sign == 'Z') {
            // UTC
        } else if (sign == '+' || sign == '-') {
            int oh = 0, om = 0;
            if (!read_digits(text, pos, 2, oh) || !expect(text, pos, ':') || !read_digits(text, pos, 2, om) ||
                oh > 14 || om > 59)
                return std::nullopt;
            offset_seconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        } else {
            return std::nullopt;
        }
    }
    if (pos != text.size()) return std::nullopt;

    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    // 24:00:00 and leap seconds are not what Json.NET writes.
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
    const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
    return static_cast<unix_seconds>(days) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
}

}  // namespace blubridge::directory::detail
