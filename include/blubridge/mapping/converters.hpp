#ifndef BLUBRIDGE_MAPPING_CONVERTERS_HPP
#define BLUBRIDGE_MAPPING_CONVERTERS_HPP

// The value converters the mappings use, public so the gateway can apply the same rules to
// query parameters (`createStartTime=YYYYMMDDHHmm`, `offset`, `max`). All are pure functions:
// no allocation beyond `out`, no exceptions, no locale, no floating point.

#include <optional>
#include <string>
#include <string_view>

namespace blubridge::mapping {

/// Date and date-time text forms.
enum class date_format {
    /// Billagain's timestamp: `2016-03-11T16:34:53.8018224+02:00`. Parsing accepts 0-9
    /// fractional digits and an optional `Z` or `±HH:MM` offset; formatting writes the fraction
    /// and offset exactly as parsed (nothing is rounded or shifted).
    billagain,
    /// `YYYY-MM-DD`, as in BluBilling XML and query parameters.
    iso_date,
    /// `YYYYMMDDHHmm`, BluBilling's date-range query parameters.
    compact_minute,
    /// `15 Dec 2016`, the form Billagain's subscription examples send.
    day_month_year,
};

/// A calendar date and wall-clock time, validated (month 1-12, day within the month,
/// leap years, hour < 24, minute < 60, second < 60, offset within ±18:00).
struct civil_time {
    int year = 0, month = 0, day = 0;
    int hour = 0, minute = 0, second = 0;
    char fraction[10] = {};   ///< fractional-second digits as written, NUL-terminated
    bool has_offset = false;  ///< false: local time with no offset written
    bool utc_z = false;       ///< offset written as `Z`
    int offset_minutes = 0;   ///< east of UTC
};

/// Parses `text` in `format`; nullopt when it does not match or is not a real date.
std::optional<civil_time> parse_date(std::string_view text, date_format format) noexcept;

/// Appends `t` in `format`. Converting to a date-only form keeps the date as written
/// (in its own offset); converting a date-only value to `billagain` writes midnight with
/// no offset.
void format_date(const civil_time& t, date_format format, std::string& out);

/// Parses `true/false/True/False/TRUE/FALSE/1/0`; nullopt otherwise.
std::optional<bool> parse_boolean(std::string_view text) noexcept;

/// Validates an integer `[+-]?[0-9]+` (at most 18 digits after leading zeros) and appends
/// its canonical JSON form (no `+`, no leading zeros, `-0` becomes `0`). False when invalid.
bool normalize_integer(std::string_view text, std::string& out);

/// Validates a decimal `[+-]?[0-9]+(\.[0-9]+)?` and appends it as a JSON number keeping every
/// fractional digit (`500.5000` stays `500.5000`); only a `+` and leading zeros of the integer
/// part are dropped. Never goes through binary floating point. False when invalid
/// (including exponents, which no money value needs).
bool normalize_decimal(std::string_view text, std::string& out);

/// `text` without leading and trailing XML whitespace (space, tab, CR, LF).
std::string_view trim_xml_space(std::string_view text) noexcept;

} // namespace blubridge::mapping

#endif
