#pragma once
// Billagain's date text (Json.NET's ISO 8601 form) read as unix seconds.
#include <blubridge/directory/customer_directory.hpp>

#include <optional>
#include <string_view>

namespace blubridge::directory::detail {

/// `YYYY-MM-DDTHH:MM:SS`, then an optional fraction of 1–7 digits (dropped), then `Z`,
/// `+hh:mm`, `-hh:mm` or nothing (UTC). The offset is honoured: `…T02:00:00+02:00` is
/// midnight UTC. nullopt for anything else, including impossible dates.
std::optional<unix_seconds> parse_billagain_date(std::string_view text);

}  // namespace blubridge::directory::detail
