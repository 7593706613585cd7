#include "country_table.hpp"

#include <array>
#include <cctype>

namespace blubridge::sandbox {
namespace {

// The seeds' ZA plus the countries BluBilling and Billagain customers commonly use.
constexpr std::array<country, 46> countries{{
    {"ZA", "ZAF", "South Africa", 71},
    {"US", "USA", "United States", 0},
    {"GB", "GBR", "United Kingdom", 0},
    {"CA", "CAN", "Canada", 0},
    {"AU", "AUS", "Australia", 0},
    {"NZ", "NZL", "New Zealand", 0},
    {"IE", "IRL", "Ireland", 0},
    {"DE", "DEU", "Germany", 0},
    {"FR", "FRA", "France", 0},
    {"NL", "NLD", "Netherlands", 0},
    {"BE", "BEL", "Belgium", 0},
    {"LU", "LUX", "Luxembourg", 0},
    {"CH", "CHE", "Switzerland", 0},
    {"AT", "AUT", "Austria", 0},
    {"IT", "ITA", "Italy", 0},
    {"ES", "ESP", "Spain", 0},
    {"PT", "PRT", "Portugal", 0},
    {"SE", "SWE", "Sweden", 0},
    {"NO", "NOR", "Norway", 0},
    {"DK", "DNK", "Denmark", 0},
    {"FI", "FIN", "Finland", 0},
    {"PL", "POL", "Poland", 0},
    {"CZ", "CZE", "Czechia", 0},
    {"GR", "GRC", "Greece", 0},
    {"IL", "ISR", "Israel", 0},
    {"AE", "ARE", "United Arab Emirates", 0},
    {"IN", "IND", "India", 0},
    {"CN", "CHN", "China", 0},
    {"JP", "JPN", "Japan", 0},
    {"KR", "KOR", "South Korea", 0},
    {"SG", "SGP", "Singapore", 0},
    {"HK", "HKG", "Hong Kong", 0},
    {"BR", "BRA", "Brazil", 0},
    {"MX", "MEX", "Mexico", 0},
    {"AR", "ARG", "Argentina", 0},
    {"CL", "CHL", "Chile", 0},
    {"NA", "NAM", "Namibia", 0},
    {"BW", "BWA", "Botswana", 0},
    {"ZW", "ZWE", "Zimbabwe", 0},
    {"MZ", "MOZ", "Mozambique", 0},
    {"LS", "LSO", "Lesotho", 0},
    {"SZ", "SWZ", "Eswatini", 0},
    {"KE", "KEN", "Kenya", 0},
    {"NG", "NGA", "Nigeria", 0},
    {"EG", "EGY", "Egypt", 0},
    {"MU", "MUS", "Mauritius", 0},
}};

bool equal_ignore_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

const country* find_country_by_code(std::string_view code) {
    for (const auto& c : countries)
        if (equal_ignore_case(code, c.alpha2) || equal_ignore_case(code, c.alpha3)) return &c;
    return nullptr;
}

const country* find_country_by_billagain_id(std::int64_t id) {
    if (id == 0) return nullptr;
    for (const auto& c : countries)
        if (c.billagain_id == id) return &c;
    return nullptr;
}

}  // namespace blubridge::sandbox
