#include <blubridge/mapping/converters.hpp>

#include <array>
#include <cstring>

namespace blubridge::mapping {
namespace {

constexpr std::array<std::string_view, 12> month_names = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Reads exactly n digits at pos; advances pos.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& value) noexcept
{
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!is_digit(c)) return false;
        v = v * 10 + (c - '0');
    }
    value = v;
    pos += n;
    return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) noexcept
{
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

int days_in_month(int year, int month) noexcept
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

bool valid(const civil_time& t) noexcept
{
    return t.year >= 1 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
           t.day <= days_in_month(t.year, t.month) && t.hour < 24 && t.minute < 60 &&
           t.second < 60 && t.offset_minutes >= -18 * 60 && t.offset_minutes <= 18 * 60;
}

void append_padded(std::string& out, int value, int width)
{
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

bool parse_billagain(std::string_view s, civil_time& t) noexcept
{
    std::size_t p = 0;
    if (!read_digits(s, p, 4, t.year) || !expect(s, p, '-') || !read_digits(s, p, 2, t.month) ||
        !expect(s, p, '-') || !read_digits(s, p, 2, t.day) || !expect(s, p, 'T') ||
        !read_digits(s, p, 2, t.hour) || !expect(s, p, ':') || !read_digits(s, p, 2, t.minute) ||
        !expect(s, p, ':') || !read_digits(s, p, 2, t.second))
        return false;
    if (p < s.size() && s[p] == '.') {
        ++p;
        std::size_t n = 0;
        while (p < s.size() && is_digit(s[p])) {
            if (n == 9) return false;
            t.fraction[n++] = s[p++];
        }
        if (n == 0) return false;
        t.fraction[n] = '\0';
    }
    if (p == s.size()) return true;
    if (s[p] == 'Z') {
        t.has_offset = t.utc_z = true;
        return p + 1 == s.size();
    }
    if (s[p] != '+' && s[p] != '-') return false;
    const int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!read_digits(s, p, 2, oh) || !expect(s, p, ':') || !read_digits(s, p, 2, om) || om >= 60)
        return false;
    t.has_offset = true;
    t.offset_minutes = sign * (oh * 60 + om);
    return p == s.size();
}

bool parse_day_month_year(std::string_view s, civil_time& t) noexcept
{
    std::size_t p = 0;
    const std::size_t day_digits = s.size() > 1 && is_digit(s[1]) ? 2 : 1;
    if (!read_digits(s, p, day_digits, t.day) || !expect(s, p, ' ')) return false;
    if (p + 3 > s.size()) return false;
    const std::string_view name = s.substr(p, 3);
    t.month = 0;
    for (std::size_t i = 0; i < month_names.size(); ++i) {
        const std::string_view m = month_names[i];
        bool same = true;
        for (std::size_t k = 0; k < 3; ++k)
            same = same && ((name[k] | 0x20) == (m[k] | 0x20));
        if (same) t.month = static_cast<int>(i) + 1;
    }
    p += 3;
    return t.month != 0 && expect(s, p, ' ') && read_digits(s, p, 4, t.year) && p == s.size();
}

} // namespace

std::optional<civil_time> parse_date(std::string_view s, date_format format) noexcept
{
    civil_time t;
    bool ok = false;
    std::size_t p = 0;
    switch (format) {
    case date_format::billagain:
        ok = parse_billagain(s, t);
        break;
    case date_format::iso_date:
        ok = read_digits(s, p, 4, t.year) && expect(s, p, '-') && read_digits(s, p, 2, t.month) &&
             expect(s, p, '-') && read_digits(s, p, 2, t.day) && p == s.size();
        break;
    case date_format::compact_minute:
        ok = s.size() == 12 && read_digits(s, p, 4, t.year) && read_digits(s, p, 2, t.month) &&
             read_digits(s, p, 2, t.day) && read_digits(s, p, 2, t.hour) &&
             read_digits(s, p, 2, t.minute);
        break;
    case date_format::day_month_year:
        ok = parse_day_month_year(s, t);
        break;
    }
    if (!ok || !valid(t)) return std::nullopt;
    return t;
}

void format_date(const civil_time& t, date_format format, std::string& out)
{
    switch (format) {
    case date_format::billagain:
        append_padded(out, t.year, 4);
        out += '-';
        append_padded(out, t.month, 2);
        out += '-';
        append_padded(out, t.day, 2);
        out += 'T';
        append_padded(out, t.hour, 2);
        out += ':';
        append_padded(out, t.minute, 2);
        out += ':';
        append_padded(out, t.second, 2);
        if (t.fraction[0] != '\0') {
            out += '.';
            out += t.fraction;
        }
        if (t.utc_z) {
            out += 'Z';
        } else if (t.has_offset) {
            const int off = t.offset_minutes < 0 ? -t.offset_minutes : t.offset_minutes;
            out += t.offset_minutes < 0 ? '-' : '+';
            append_padded(out, off / 60, 2);
            out += ':';
            append_padded(out, off % 60, 2);
        }
        break;
    case date_format::iso_date:
        append_padded(out, t.year, 4);
        out += '-';
        append_padded(out, t.month, 2);
        out += '-';
        append_padded(out, t.day, 2);
        break;
    case date_format::compact_minute:
        append_padded(out, t.year, 4);
        append_padded(out, t.month, 2);
        append_padded(out, t.day, 2);
        append_padded(out, t.hour, 2);
        append_padded(out, t.minute, 2);
        break;
    case date_format::day_month_year:
        append_padded(out, t.day, 2);
        out += ' ';
        out += month_names[static_cast<std::size_t>(t.month - 1)];
        out += ' ';
        append_padded(out, t.year, 4);
        break;
    }
}

std::optional<bool> parse_boolean(std::string_view s) noexcept
{
    if (s == "true" || s == "True" || s == "TRUE" || s == "1") return true;
    if (s == "false" || s == "False" || s == "FALSE" || s == "0") return false;
    return std::nullopt;
}

std::string_view trim_xml_space(std::string_view s) noexcept
{
    constexpr std::string_view ws = " \t\r\n";
    const auto first = s.find_first_not_of(ws);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(ws);
    return s.substr(first, last - first + 1);
}

bool normalize_integer(std::string_view s, std::string& out)
{
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    while (s.size() > 1 && s[0] == '0') s.remove_prefix(1);
    if (s.size() > 18) return false;  // stays exact in every consumer's int64 / double
    if (negative && s != "0") out += '-';
    out.append(s);
    return true;
}

bool normalize_decimal(std::string_view s, std::string& out)
{
    bool negative = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    const auto dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return false;
    for (char c : whole)
        if (!is_digit(c)) return false;
    for (char c : frac)
        if (!is_digit(c)) return false;
    while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
    if (negative) out += '-';
    out.append(whole);
    if (dot != std::string_view::npos) {
        out += '.';
        out.append(frac);
    }
    return true;
}

} // namespace blubridge::mapping
