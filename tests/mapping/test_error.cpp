#define BOOST_TEST_MODULE mapping_error
#include <boost/test/unit_test.hpp>

#include "print_error.hpp"

#include <blubridge/mapping/error.hpp>

using namespace blubridge::mapping;

BOOST_AUTO_TEST_CASE(category_and_messages)
{
    const boost::system::error_code ec = error::too_deep;
    BOOST_TEST(std::string(ec.category().name()) == "blubridge.mapping");
    BOOST_TEST(ec.message() == "XML nested too deeply");
    BOOST_TEST(!is_client_error(error::malformed_json));
}

BOOST_AUTO_TEST_CASE(client_and_upstream_errors_are_told_apart)
{
    for (error e : {error::malformed_xml, error::doctype_forbidden, error::too_deep, error::too_many_elements,
                    error::unsupported_encoding, error::wrong_root, error::unknown_element,
                    error::duplicate_element, error::unexpected_content, error::invalid_value,
                    error::unmapped_value, error::missing_required, error::too_many_items,
                    error::too_many_children, error::too_many_attributes, error::too_long})
        BOOST_TEST(is_client_error(e), make_error_code(e).message());
    for (error e : {error::malformed_json, error::unexpected_json_type, error::invalid_json_value,
                    error::unmapped_json_value, error::not_representable})
        BOOST_TEST(!is_client_error(e), make_error_code(e).message());
    BOOST_TEST(!is_client_error(boost::system::error_code{}));
    BOOST_TEST(!is_client_error(boost::system::errc::make_error_code(boost::system::errc::invalid_argument)));
    // Every code has its own message.
    BOOST_TEST(make_error_code(error::missing_required).message() == "required element missing");
}
