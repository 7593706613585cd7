// X-Request-Id: a client's safe id is kept, anything else replaced by a fresh random one.
#define BOOST_TEST_MODULE gateway_request_id
#include <boost/test/unit_test.hpp>

#include "request_id.hpp"

#include <regex>
#include <set>

namespace gw = blubridge::gateway;

BOOST_AUTO_TEST_CASE(a_safe_offered_id_is_kept) {
    for (const auto& id : {std::string("a"), std::string("req-1"), std::string("0f1e2d3c.4b5a:trace_9"),
                           std::string(128, 'x')})
        BOOST_TEST(gw::request_id_for(id) == id);
}

BOOST_AUTO_TEST_CASE(anything_else_gets_a_fresh_id) {
    const std::regex fresh("[0-9a-f]{32}");
    for (const auto& id : {std::string(), std::string(129, 'x'), std::string("a b"), std::string("a\r\nb"),
                                 std::string("a\"b"), std::string("a/b"), std::string("caf\xc3\xa9")}) {
        const auto given = gw::request_id_for(id);
        BOOST_TEST(std::regex_match(given, fresh), id);
    }
}

BOOST_AUTO_TEST_CASE(fresh_ids_differ) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(gw::new_request_id());
    BOOST_TEST(seen.size() == 1000u);
}
