#define BOOST_TEST_MODULE sandbox router
#include <sandbox/request_stats.hpp>
#include <sandbox/router.hpp>

#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

using namespace blubridge::sandbox;
using boost::beast::http::verb;

namespace {
route_match match(verb m, const char* target) {
    auto u = boost::urls::parse_origin_form(target);
    BOOST_TEST_REQUIRE(u.has_value());
    return match_route(m, u->encoded_segments());
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_route_matches_its_own_pattern) {
    for (const auto& r : routes) {
        std::string target(r.pattern);
        if (auto pos = target.find("{id}"); pos != std::string::npos) target.replace(pos, 4, "42");
        const auto m = match(r.method, target.c_str());
        BOOST_TEST_REQUIRE((m.result == route_match::outcome::matched), target);
        BOOST_TEST((m.route->id == r.id), target);
        if (r.pattern.find("{id}") != std::string_view::npos) BOOST_TEST(m.id == 42);
    }
}

BOOST_AUTO_TEST_CASE(literal_segments_win_over_ids) {
    BOOST_TEST((match(verb::get, "/v1/customers/with_customfields").route->id == route_id::list_customers_with_custom_fields));
    BOOST_TEST((match(verb::get, "/v1/customers/with_customfields/10622").route->id ==
                route_id::get_customer_with_custom_fields));
    BOOST_TEST((match(verb::get, "/v1/customers/302?page=1").route->id == route_id::get_customer));
    BOOST_TEST((match(verb::get, "/v1/customers/").route->id == route_id::list_customers));
}

BOOST_AUTO_TEST_CASE(unknown_paths_and_methods) {
    BOOST_TEST((match(verb::get, "/v1/customers/abc").result == route_match::outcome::not_found));
    BOOST_TEST((match(verb::get, "/v1/nothing").result == route_match::outcome::not_found));
    BOOST_TEST((match(verb::get, "/v1/customers/1/2").result == route_match::outcome::not_found));
    BOOST_TEST((match(verb::patch, "/v1/customers/1").result == route_match::outcome::wrong_method));
    BOOST_TEST((match(verb::get, "/v1/customers/1/archive").result == route_match::outcome::wrong_method));
}

BOOST_AUTO_TEST_CASE(stats_are_named_by_method_and_pattern) {
    request_stats stats;
    stats.count(match(verb::get, "/v1/customers/302").route, "req-1");
    stats.count(match(verb::get, "/v1/customers/300").route, "req-2");
    stats.count(nullptr, "req-1");  // an id already kept is not listed twice
    BOOST_TEST(stats.total() == 3u);
    BOOST_TEST(stats.to_json() ==
               R"({"total":3,"routes":{"GET /v1/customers/{id}":2},"unmatched":1,"request_ids":["req-1","req-2"]})");
    stats.clear();
    BOOST_TEST(stats.to_json() == R"({"total":0,"routes":{},"unmatched":0,"request_ids":[]})");
}

BOOST_AUTO_TEST_CASE(stats_keep_only_the_latest_request_ids) {
    request_stats stats;
    for (std::size_t i = 0; i <= request_stats::kept_request_ids; ++i) stats.count(nullptr, "id-" + std::to_string(i));
    const auto json = stats.to_json();
    BOOST_TEST(json.find("\"id-0\"") == std::string::npos);  // the oldest went
    BOOST_TEST(json.find("\"id-1\"") != std::string::npos);
    BOOST_TEST(json.find("\"id-" + std::to_string(request_stats::kept_request_ids) + "\"") != std::string::npos);
}
