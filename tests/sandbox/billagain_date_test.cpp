#define BOOST_TEST_MODULE sandbox billagain_date
#include <sandbox/billagain_date.hpp>

#include <boost/test/unit_test.hpp>

using namespace blubridge::sandbox;

namespace {
std::string round_trip(const char* text) {
    auto t = parse_billagain_time(text);
    BOOST_TEST_REQUIRE(t.has_value(), text);
    return format_billagain_time(*t);
}
std::string iso(const char* text) {
    auto t = parse_billagain_time(text);
    BOOST_TEST_REQUIRE(t.has_value(), text);
    return format_billagain_time(*t);
}
}  // namespace

BOOST_AUTO_TEST_CASE(seed_timestamps_round_trip_byte_identical) {
    for (const char* s : {"2016-03-11T16:34:53.8018224+02:00", "2016-03-11T10:41:44.5698058+02:00",
                          "2016-09-14T12:22:48.4214398+02:00", "2016-05-01T00:00:00+00:00",
                          "2017-02-04T00:00:00+02:00", "2016-01-16T13:12:08.1913733+00:00",
                          "2016-04-05T09:14:40.1715987+00:00", "2016-01-16T13:00:00+00:00",
                          "2016-04-04T00:00:00+02:00"})
        BOOST_TEST(round_trip(s) == s);
}

BOOST_AUTO_TEST_CASE(offset_is_applied_to_the_instant) {
    const auto a = parse_billagain_time("2016-04-04T00:00:00+02:00");
    const auto b = parse_billagain_time("2016-04-03T22:00:00+00:00");
    BOOST_TEST_REQUIRE((a && b));
    BOOST_TEST(a->ticks == b->ticks);
    BOOST_TEST(a->offset_minutes == 120);
    const auto c = parse_billagain_time("2016-04-03T19:30:00-02:30");
    BOOST_TEST(c->ticks == b->ticks);
    BOOST_TEST(format_billagain_time(*c) == "2016-04-03T19:30:00-02:30");
}

BOOST_AUTO_TEST_CASE(seed_input_forms) {
    BOOST_TEST(iso("15 Dec 2016") == "2016-12-15T00:00:00+00:00");
    BOOST_TEST(iso("04/jan/2016") == "2016-01-04T00:00:00+00:00");
    BOOST_TEST(iso("3/june/2018") == "2018-06-03T00:00:00+00:00");
    BOOST_TEST(iso("12/may/2016") == "2016-05-12T00:00:00+00:00");
    BOOST_TEST(iso("04/june/2016") == "2016-06-04T00:00:00+00:00");
    BOOST_TEST(iso("04/july/2016") == "2016-07-04T00:00:00+00:00");
    BOOST_TEST(iso("24/jan/2017") == "2017-01-24T00:00:00+00:00");
    BOOST_TEST(iso("1-Sept-2020") == "2020-09-01T00:00:00+00:00");
    BOOST_TEST(iso("29 FEBRUARY 2016") == "2016-02-29T00:00:00+00:00");
}

BOOST_AUTO_TEST_CASE(iso_variants) {
    BOOST_TEST(iso("2016-03-11") == "2016-03-11T00:00:00+00:00");
    BOOST_TEST(iso("2016-03-11T16:34") == "2016-03-11T16:34:00+00:00");
    BOOST_TEST(iso("2016-03-11T16:34:53") == "2016-03-11T16:34:53+00:00");
    BOOST_TEST(iso("2016-03-11 16:34:53Z") == "2016-03-11T16:34:53+00:00");
    BOOST_TEST(iso("2016-03-11T16:34:53.5Z") == "2016-03-11T16:34:53.5+00:00");
    BOOST_TEST(iso("2016-03-11T16:34:53.123456789+0200") == "2016-03-11T16:34:53.1234567+02:00");
    BOOST_TEST(iso(" 2016-03-11T16:34:53.0000000+00:00 ") == "2016-03-11T16:34:53+00:00");
}

BOOST_AUTO_TEST_CASE(unreadable_dates_are_rejected) {
    for (const char* s : {"", "yesterday", "2016-13-01", "2016-02-30", "2015-02-29", "31/apr/2016",
                          "15 Dex 2016", "15 Dec 16", "2016-03-11T24:00:00", "2016-03-11T16:34:53+15:00",
                          "2016-03-11T16:34:53.+00:00", "2016-03-11T16:34:53 junk", "15/Dec 2016",
                          "0000-01-01", "12/05/2016"})
        BOOST_TEST(!parse_billagain_time(s).has_value(), s);
}

BOOST_AUTO_TEST_CASE(fraction_trailing_zeros_dropped) {
    billagain_time t{};
    t.ticks = 1'500'000;  // 0.15 s after the epoch
    BOOST_TEST(format_billagain_time(t) == "1970-01-01T00:00:00.15+00:00");
    t.ticks = 1;
    BOOST_TEST(format_billagain_time(t) == "1970-01-01T00:00:00.0000001+00:00");
}

BOOST_AUTO_TEST_CASE(negative_offsets_and_pre_epoch) {
    auto t = parse_billagain_time("1969-12-31T23:59:59.9+00:00");
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->ticks == -1'000'000);
    BOOST_TEST(format_billagain_time(*t) == "1969-12-31T23:59:59.9+00:00");
}

BOOST_AUTO_TEST_CASE(now_is_utc_and_parses_back) {
    const auto now = billagain_now();
    const auto text = format_billagain_time(now);
    BOOST_TEST(text.ends_with("+00:00"));
    BOOST_TEST(parse_billagain_time(text)->ticks == now.ticks);
}

BOOST_AUTO_TEST_CASE(calendar_arithmetic) {
    auto t = *parse_billagain_time("2016-01-31T10:00:00+02:00");
    BOOST_TEST(format_billagain_time(add_months(t, 1)) == "2016-02-29T10:00:00+02:00");
    BOOST_TEST(format_billagain_time(add_months(t, 12)) == "2017-01-31T10:00:00+02:00");
    BOOST_TEST(format_billagain_time(add_days(t, -31)) == "2015-12-31T10:00:00+02:00");
}
