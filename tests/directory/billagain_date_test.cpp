#define BOOST_TEST_MODULE directory billagain_date
#include <boost/test/unit_test.hpp>

#include "directory/detail/billagain_date.hpp"

using blubridge::directory::detail::parse_billagain_date;

BOOST_AUTO_TEST_CASE(reads_json_net_dates_with_their_offsets) {
    BOOST_TEST(*parse_billagain_date("2016-03-11T16:34:53.8018224+02:00") == 1457706893);
    BOOST_TEST(*parse_billagain_date("2016-05-01T00:00:00+00:00") == 1462060800);
    BOOST_TEST(*parse_billagain_date("2016-05-01T00:00:00Z") == 1462060800);
    BOOST_TEST(*parse_billagain_date("2016-05-01T00:00:00") == 1462060800);
    BOOST_TEST(*parse_billagain_date("2016-05-01T00:00:00-05:30") == 1462080600);
    BOOST_TEST(*parse_billagain_date("2024-02-29T12:00:00.5") == 1709208000);
    BOOST_TEST(*parse_billagain_date("1970-01-01T00:00:00+01:00") == -3600);
}

BOOST_AUTO_TEST_CASE(the_fraction_has_one_to_seven_digits) {
    BOOST_TEST(*parse_billagain_date("2016-05-01T00:00:00.1Z") == 1462060800);
    BOOST_TEST(*parse_billagain_date("2016-05-01T00:00:00.1234567Z") == 1462060800);
    BOOST_TEST(!parse_billagain_date("2016-05-01T00:00:00.12345678Z"));
    BOOST_TEST(!parse_billagain_date("2016-05-01T00:00:00.Z"));
}

BOOST_AUTO_TEST_CASE(anything_else_is_unreadable) {
    for (const char* text : {"", "2016-05-01", "2016-05-01 00:00:00", "2016-02-30T00:00:00", "2016-13-01T00:00:00",
                             "2016-05-01T24:00:00", "2016-05-01T00:60:00", "2016-05-01T00:00:00+0200",
                             "2016-05-01T00:00:00+02", "2016-05-01T00:00:00+15:00", "2016-05-01T00:00:00 ",
                             "2016-5-1T00:00:00", "15 Dec 2016", "2016-05-01T00:00:00Zjunk"})
        BOOST_TEST(!parse_billagain_date(text), text);
}
