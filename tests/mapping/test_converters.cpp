#define BOOST_TEST_MODULE mapping_converters
#include <boost/test/unit_test.hpp>

#include <blubridge/mapping/converters.hpp>

using namespace blubridge::mapping;

namespace {

std::string convert(std::string_view in, date_format from, date_format to)
{
    const auto t = parse_date(in, from);
    if (!t) return "<invalid>";
    std::string out;
    format_date(*t, to, out);
    return out;
}

std::string integer(std::string_view s)
{
    std::string out;
    return normalize_integer(s, out) ? out : "<invalid>";
}

std::string decimal(std::string_view s)
{
    std::string out;
    return normalize_decimal(s, out) ? out : "<invalid>";
}

} // namespace

BOOST_AUTO_TEST_CASE(billagain_timestamp_round_trips_exactly)
{
    for (const char* s : {"2016-03-11T16:34:53.8018224+02:00", "2016-04-05T09:14:40.1715987+00:00",
                          "2017-02-04T00:00:00+02:00", "2016-01-01T00:00:00Z", "2016-01-01T00:00:00",
                          "2016-01-01T00:00:00-05:30"})
        BOOST_TEST(convert(s, date_format::billagain, date_format::billagain) == s);
}

BOOST_AUTO_TEST_CASE(date_forms_convert)
{
    BOOST_TEST(convert("2016-03-11T16:34:53.8018224+02:00", date_format::billagain, date_format::iso_date) == "2016-03-11");
    BOOST_TEST(convert("2010-12-31", date_format::iso_date, date_format::billagain) == "2010-12-31T00:00:00");
    BOOST_TEST(convert("201012312359", date_format::compact_minute, date_format::billagain) == "2010-12-31T23:59:00");
    BOOST_TEST(convert("2016-12-15", date_format::iso_date, date_format::day_month_year) == "15 Dec 2016");
    BOOST_TEST(convert("15 Dec 2016", date_format::day_month_year, date_format::iso_date) == "2016-12-15");
    BOOST_TEST(convert("4 jun 2016", date_format::day_month_year, date_format::iso_date) == "2016-06-04");
    BOOST_TEST(convert("2016-03-11T16:34:53+02:00", date_format::billagain, date_format::compact_minute) == "201603111634");
}

BOOST_AUTO_TEST_CASE(bad_dates_are_refused)
{
    for (const char* s : {"2010-02-30", "2010-13-01", "2010-1-01", "2010-01-01x", "", "20100101", "1900-02-29"})
        BOOST_TEST(!parse_date(s, date_format::iso_date), s);
    BOOST_TEST(parse_date("2000-02-29", date_format::iso_date).has_value());
    for (const char* s : {"2016-03-11T24:00:00", "2016-03-11T16:34:53.", "2016-03-11T16:34:53.1234567890",
                          "2016-03-11T16:34:53+2:00", "2016-03-11 16:34:53", "2016-03-11T16:34:53+02:00x"})
        BOOST_TEST(!parse_date(s, date_format::billagain), s);
    BOOST_TEST(!parse_date("2010123123", date_format::compact_minute));
    BOOST_TEST(!parse_date("201012312360", date_format::compact_minute));
}

BOOST_AUTO_TEST_CASE(booleans)
{
    for (const char* s : {"true", "True", "TRUE", "1"}) BOOST_TEST((parse_boolean(s) == std::optional<bool>(true)), s);
    for (const char* s : {"false", "False", "FALSE", "0"}) BOOST_TEST((parse_boolean(s) == std::optional<bool>(false)), s);
    for (const char* s : {"yes", "", "2", "tru", " true"}) BOOST_TEST(!parse_boolean(s).has_value());
}

BOOST_AUTO_TEST_CASE(integers_and_decimals_stay_text)
{
    BOOST_TEST(integer("007") == "7");
    BOOST_TEST(integer("+42") == "42");
    BOOST_TEST(integer("-0") == "0");
    BOOST_TEST(integer("12a") == "<invalid>");
    BOOST_TEST(integer("") == "<invalid>");
    BOOST_TEST(integer("1234567890123456789") == "<invalid>");
    BOOST_TEST(decimal("500.5000") == "500.5000");
    BOOST_TEST(decimal("1728.0667") == "1728.0667");
    BOOST_TEST(decimal("007.50") == "7.50");
    BOOST_TEST(decimal("-0.10") == "-0.10");
    BOOST_TEST(decimal("1e5") == "<invalid>");
    BOOST_TEST(decimal("1.") == "<invalid>");
    BOOST_TEST(decimal(".5") == "<invalid>");
    BOOST_TEST(decimal("NaN") == "<invalid>");
}

BOOST_AUTO_TEST_CASE(trim)
{
    BOOST_TEST(trim_xml_space(" \t a b \r\n") == "a b");
    BOOST_TEST(trim_xml_space("   ").empty());
}
