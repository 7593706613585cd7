#define BOOST_TEST_MODULE sandbox fault_injector
#include "sandbox_test_support.hpp"

#include <sandbox/fault_injector.hpp>

using namespace blubridge::sandbox;
using sandbox_test::parse;

BOOST_AUTO_TEST_CASE(count_limits_the_fault) {
    fault_injector f;
    BOOST_TEST_REQUIRE(f.add(parse(R"({"kind":"status","status":503,"count":2})")).has_value());
    for (int i = 0; i < 2; ++i) {
        auto d = f.decide("GET", "/v1/customers/1");
        BOOST_TEST_REQUIRE(d.action.has_value());
        BOOST_TEST((*d.action == fault_kind::status));
        BOOST_TEST(d.status == 503u);
        BOOST_TEST(!d.after);
    }
    BOOST_TEST(!f.decide("GET", "/v1/customers/1").action.has_value());
    BOOST_TEST(f.to_json() == "[]");
}

BOOST_AUTO_TEST_CASE(path_prefix_selects_requests) {
    fault_injector f;
    f.add(parse(R"({"kind":"drop","path_prefix":"/v1/subscriptions"})"));
    BOOST_TEST(!f.decide("GET", "/v1/customers").action.has_value());
    BOOST_TEST((*f.decide("GET", "/v1/subscriptions/3").action == fault_kind::drop));
    BOOST_TEST((*f.decide("GET", "/v1/subscriptions/3").action == fault_kind::drop));  // no count: until cleared
    f.clear();
    BOOST_TEST(!f.decide("GET", "/v1/subscriptions/3").action.has_value());
}

BOOST_AUTO_TEST_CASE(latency_adds_up_and_malformed_is_after) {
    fault_injector f;
    f.add(parse(R"({"kind":"latency","latency_ms":30,"count":1})"));
    f.add(parse(R"({"kind":"latency","latency_ms":20,"count":1})"));
    f.add(parse(R"({"kind":"malformed","count":1})"));
    auto d = f.decide("GET", "/v1/customers");
    BOOST_TEST(d.delay.count() == 50);
    BOOST_TEST((*d.action == fault_kind::malformed));
    BOOST_TEST(d.after);
    BOOST_TEST(malform(R"({"a":1})") == R"({"a")");
    BOOST_TEST(malform("") == "{");
}

BOOST_AUTO_TEST_CASE(fraction_fires_sometimes) {
    fault_injector f;
    f.add(parse(R"({"kind":"status","status":500,"fraction":0.25})"));
    int fired = 0;
    for (int i = 0; i < 4000; ++i) fired += f.decide("GET", "/v1/customers").action.has_value();
    BOOST_TEST(fired > 800);
    BOOST_TEST(fired < 1200);
}

BOOST_AUTO_TEST_CASE(bad_specs_are_400s) {
    fault_injector f;
    for (const char* spec : {R"({"kind":"explode"})", R"({"kind":"latency"})", R"({"kind":"status","status":99})",
                             R"({"kind":"drop","count":0})", R"({"kind":"drop","fraction":1.5})",
                             R"({"kind":"drop","when":"sometimes"})", R"([])"}) {
        auto r = f.add(parse(spec));
        BOOST_TEST(!r.has_value(), spec);
        if (!r) BOOST_TEST(r.error().status == 400u);
    }
}

BOOST_AUTO_TEST_CASE(after_status_faults) {
    fault_injector f;
    f.add(parse(R"({"kind":"status","status":502,"when":"after","count":1})"));
    auto d = f.decide("GET", "/v1/customers");
    BOOST_TEST(d.after);
    BOOST_TEST(f.to_json() == "[]");
}

BOOST_AUTO_TEST_CASE(method_selects_requests) {
    fault_injector f;
    f.add(parse(R"({"kind":"drop","method":"post"})"));
    BOOST_TEST(!f.decide("GET", "/v1/customers").action.has_value());
    BOOST_TEST(f.decide("POST", "/v1/customers").action.has_value());
    BOOST_TEST(f.to_json().find(R"("method":"POST")") != std::string::npos);
}
