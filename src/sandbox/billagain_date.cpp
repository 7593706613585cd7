#include "billagain_date.hpp"

#include <array>
#include <cctype>
#include <chrono>

namespace blubridge::sandbox {
namespace {

namespace chr = std::chrono;

struct cursor {
    std::string_view s;
    std::size_t pos = 0;

    bool done() const { return pos >= s.size(); }
    char peek() const { return done() ? '\0' : s[pos]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos;
        return true;
    }
    // Reads between min and max digits; returns false if fewer than min.
    bool digits(std::size_t min, std::size_t max, int& value, std::size_t* count = nullptr) {
        std::size_t n = 0;
        int v = 0;
        while (n < max && !done() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            v = v * 10 + (s[pos] - '0');
            ++pos;
            ++n;
        }
        if (count) *count = n;
        value = v;
        return n >= min;
    }
};

// Month names as .NET's invariant culture knows them, plus the common "sept".
struct month_name {
    std::string_view name;
    unsigned month;
};
constexpr std::array<month_name, 24> month_names{{
    {"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"may", 5}, {"june", 6},
    {"july", 7}, {"august", 8}, {"september", 9}, {"october", 10}, {"november", 11},
    {"december", 12}, {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7},
    {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
}};

std::optional<unsigned> lookup_month(std::string_view word) {
    std::string lower;
    lower.reserve(word.size());
    for (char c : word) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    for (const auto& m : month_names)
        if (m.name == lower) return m.month;
    return std::nullopt;
}

std::optional<chr::sys_days> make_day(int y, int m, int d) {
    const chr::year_month_day ymd{chr::year{y}, chr::month{static_cast<unsigned>(m)},
                                  chr::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || y < 1 || y > 9999) return std::nullopt;
    return chr::sys_days{ymd};
}

std::int64_t day_ticks(chr::sys_days day) {
    return static_cast<std::int64_t>(day.time_since_epoch().count()) * ticks_per_day;
}

// `15 Dec 2016`, `04/jan/2016`, `3/june/2018`.
std::optional<billagain_time> parse_day_month_year(std::string_view text) {
    cursor c{text};
    int day = 0;
    if (!c.digits(1, 2, day)) return std::nullopt;
    const char sep = c.peek();
    if (sep != ' ' && sep != '/' && sep != '-') return std::nullopt;
    ++c.pos;
    const std::size_t word_start = c.pos;
    while (!c.done() && std::isalpha(static_cast<unsigned char>(c.peek()))) ++c.pos;
    const auto month = lookup_month(text.substr(word_start, c.pos - word_start));
    if (!month) return std::nullopt;
    if (!c.eat(sep)) return std::nullopt;
    int year = 0;
    std::size_t year_digits = 0;
    if (!c.digits(4, 4, year, &year_digits) || !c.done()) return std::nullopt;
    const auto d = make_day(year, static_cast<int>(*month), day);
    if (!d) return std::nullopt;
    return billagain_time{day_ticks(*d), 0};
}

std::optional<billagain_time> parse_iso(std::string_view text) {
    cursor c{text};
    int y = 0, mo = 0, d = 0;
    if (!c.digits(4, 4, y) || !c.eat('-') || !c.digits(2, 2, mo) || !c.eat('-') || !c.digits(2, 2, d))
        return std::nullopt;
    const auto day = make_day(y, mo, d);
    if (!day) return std::nullopt;
    std::int64_t ticks = day_ticks(*day);
    int offset = 0;
    if (!c.done()) {
        if (!c.eat('T') && !c.eat(' ')) return std::nullopt;
        int h = 0, mi = 0, s = 0;
        if (!c.digits(2, 2, h) || !c.eat(':') || !c.digits(2, 2, mi)) return std::nullopt;
        if (c.eat(':') && !c.digits(2, 2, s)) return std::nullopt;
        if (h > 23 || mi > 59 || s > 59) return std::nullopt;
        ticks += (static_cast<std::int64_t>(h) * 3600 + mi * 60 + s) * ticks_per_second;
        if (c.eat('.')) {
            std::int64_t frac = 0;
            std::size_t n = 0;
            while (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek()))) {
                if (n < 7) frac = frac * 10 + (c.peek() - '0');
                ++n;
                ++c.pos;
            }
            if (n == 0) return std::nullopt;
            for (std::size_t i = n; i < 7; ++i) frac *= 10;
            ticks += frac;
        }
        if (c.eat('Z') || c.eat('z')) {
            offset = 0;
        } else if (c.peek() == '+' || c.peek() == '-') {
            const int sign = c.peek() == '-' ? -1 : 1;
            ++c.pos;
            int oh = 0, om = 0;
            if (!c.digits(2, 2, oh)) return std::nullopt;
            c.eat(':');
            if (!c.digits(2, 2, om)) return std::nullopt;
            if (oh > 14 || om > 59) return std::nullopt;
            offset = sign * (oh * 60 + om);
        }
        if (!c.done()) return std::nullopt;
    }
    // The text is local time at `offset`; store the instant.
    ticks -= static_cast<std::int64_t>(offset) * 60 * ticks_per_second;
    return billagain_time{ticks, static_cast<std::int16_t>(offset)};
}

void append_digits(std::string& out, unsigned value, int width) {
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

}  // namespace

std::optional<billagain_time> parse_billagain_time(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.size() < 8 || text.size() > 40) return std::nullopt;
    if (text.size() >= 5 && text[4] == '-') return parse_iso(text);
    return parse_day_month_year(text);
}

void append_billagain_time(std::string& out, const billagain_time& t) {
    const std::int64_t local = t.ticks + static_cast<std::int64_t>(t.offset_minutes) * 60 * ticks_per_second;
    const std::int64_t days = floor_div(local, ticks_per_day);
    std::int64_t rest = local - days * ticks_per_day;
    const chr::year_month_day ymd{chr::sys_days{chr::days{days}}};
    const auto secs = rest / ticks_per_second;
    const auto frac = rest % ticks_per_second;

    append_digits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
    out.push_back('-');
    append_digits(out, static_cast<unsigned>(ymd.month()), 2);
    out.push_back('-');
    append_digits(out, static_cast<unsigned>(ymd.day()), 2);
    out.push_back('T');
    append_digits(out, static_cast<unsigned>(secs / 3600), 2);
    out.push_back(':');
    append_digits(out, static_cast<unsigned>(secs / 60 % 60), 2);
    out.push_back(':');
    append_digits(out, static_cast<unsigned>(secs % 60), 2);
    if (frac != 0) {
        char buf[7];
        auto f = frac;
        for (int i = 6; i >= 0; --i) {
            buf[i] = static_cast<char>('0' + f % 10);
            f /= 10;
        }
        std::size_t len = 7;
        while (len > 0 && buf[len - 1] == '0') --len;
        out.push_back('.');
        out.append(buf, len);
    }
    const int off = t.offset_minutes;
    out.push_back(off < 0 ? '-' : '+');
    const unsigned abs_off = static_cast<unsigned>(off < 0 ? -off : off);
    append_digits(out, abs_off / 60, 2);
    out.push_back(':');
    append_digits(out, abs_off % 60, 2);
}

std::string format_billagain_time(const billagain_time& t) {
    std::string out;
    out.reserve(33);
    append_billagain_time(out, t);
    return out;
}

billagain_time billagain_now() {
    const auto now = chr::time_point_cast<chr::duration<std::int64_t, std::ratio<1, 10'000'000>>>(
        chr::system_clock::now());
    return billagain_time{now.time_since_epoch().count(), 0};
}

billagain_time add_days(const billagain_time& t, std::int64_t days) {
    return billagain_time{t.ticks + days * ticks_per_day, t.offset_minutes};
}

billagain_time add_months(const billagain_time& t, int months) {
    // Calendar months in the value's own offset, clamping the day (31 Jan + 1 month = 28/29 Feb).
    const std::int64_t off = static_cast<std::int64_t>(t.offset_minutes) * 60 * ticks_per_second;
    const std::int64_t local = t.ticks + off;
    const std::int64_t days = floor_div(local, ticks_per_day);
    const std::int64_t rest = local - days * ticks_per_day;
    chr::year_month_day ymd{chr::sys_days{chr::days{days}}};
    auto ym = chr::year_month{ymd.year(), ymd.month()} + chr::months{months};
    const auto last = chr::year_month_day_last{ym.year(), chr::month_day_last{ym.month()}}.day();
    const chr::year_month_day moved{ym.year(), ym.month(), ymd.day() > last ? last : ymd.day()};
    const std::int64_t new_local = day_ticks(chr::sys_days{moved}) + rest;
    return billagain_time{new_local - off, t.offset_minutes};
}

}  // namespace blubridge::sandbox
