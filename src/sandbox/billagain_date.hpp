#pragma once
// Billagain's date-time values: parsing every form its clients send, writing the form
// its servers answer with.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::sandbox {

/// An instant plus the UTC offset it was written with, so a value read from a fixture
/// is written back byte-identical.
struct billagain_time {
    /// 100 ns ticks (.NET's resolution) since 1970-01-01T00:00:00Z.
    std::int64_t ticks = 0;
    /// Offset from UTC in minutes, -14:00 .. +14:00.
    std::int16_t offset_minutes = 0;

    friend bool operator==(const billagain_time& a, const billagain_time& b) = default;
    friend bool operator<(const billagain_time& a, const billagain_time& b) { return a.ticks < b.ticks; }
};

inline constexpr std::int64_t ticks_per_second = 10'000'000;
inline constexpr std::int64_t ticks_per_day = 86'400 * ticks_per_second;

/// Parses the forms the Billagain seeds send:
/// - ISO 8601: `2016-03-11`, `2016-03-11T16:34:53`, with optional fraction (1-7 digits used,
///   more are truncated), optional `Z` or `±HH:MM` / `±HHMM`; a space may replace the `T`;
/// - day, month name, year: `15 Dec 2016`, `04/jan/2016`, `3/june/2018`, `12-May-2016`
///   (English month names, full or abbreviated, any case; separators space, `/` or `-`).
/// Values without an offset are taken as UTC (the sandbox's clock zone). Calendar checks
/// apply (no 30 February). Returns nullopt for anything else.
std::optional<billagain_time> parse_billagain_time(std::string_view text);

/// Writes `2016-03-11T16:34:53.8018224+02:00`: local time at the stored offset, then the
/// fraction with trailing zeros dropped and no dot when it is zero (Json.NET's
/// `FFFFFFF`, which is why the seeds show both `…53.8018224+02:00` and `…00:00:00+00:00`).
std::string format_billagain_time(const billagain_time& t);

/// Appends the same text to `out` (no allocation beyond the append).
void append_billagain_time(std::string& out, const billagain_time& t);

/// The current instant at offset +00:00.
billagain_time billagain_now();

/// Calendar arithmetic used by subscription rules; the offset is kept.
billagain_time add_days(const billagain_time& t, std::int64_t days);
billagain_time add_months(const billagain_time& t, int months);

}  // namespace blubridge::sandbox
