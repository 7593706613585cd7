#pragma once
// ISO 3166 country codes to the names Billagain writes in `Country`.
#include <cstdint>
#include <optional>
#include <string_view>

namespace blubridge::sandbox {

struct country {
    std::string_view alpha2;
    std::string_view alpha3;
    std::string_view name;
    /// Billagain's own countryID where the seeds reveal it (South Africa is 71); 0 if unknown.
    std::int64_t billagain_id;
};

/// Looks a country up by ISO alpha-2 or alpha-3 code, any case.
const country* find_country_by_code(std::string_view code);

/// Looks a country up by its Billagain countryID (only ids the seeds reveal).
const country* find_country_by_billagain_id(std::int64_t id);

}  // namespace blubridge::sandbox
