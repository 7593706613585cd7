#define BOOST_TEST_MODULE directory customer_entry
#include <boost/test/unit_test.hpp>

#include <blubridge/directory/customer_directory.hpp>

namespace bd = blubridge::directory;

BOOST_AUTO_TEST_CASE(fields_are_views_into_the_shared_text) {
    bd::customer_entry e;
    e.text = "REF\x1fName\x1fLast\x1f\x1fmail@example.com";
    BOOST_TEST(e.reference() == "REF");
    BOOST_TEST(e.name() == "Name");
    BOOST_TEST(e.last_name() == "Last");
    BOOST_TEST(e.company().empty());
    BOOST_TEST(e.email() == "mail@example.com");
}

BOOST_AUTO_TEST_CASE(missing_fields_are_empty) {
    bd::customer_entry e;
    BOOST_TEST(e.reference().empty());
    BOOST_TEST(e.email().empty());
    e.text = "REF\x1fName";
    BOOST_TEST(e.name() == "Name");
    BOOST_TEST(e.last_name().empty());
    BOOST_TEST(e.email().empty());
}

BOOST_AUTO_TEST_CASE(status_index_orders_the_flag_pairs) {
    BOOST_TEST((bd::status_flags{.active = false, .suspended = false}.index()) == 0u);
    BOOST_TEST((bd::status_flags{.active = false, .suspended = true}.index()) == 1u);
    BOOST_TEST((bd::status_flags{.active = true, .suspended = false}.index()) == 2u);
    BOOST_TEST((bd::status_flags{.active = true, .suspended = true}.index()) == 3u);
}
