#define BOOST_TEST_MODULE sandbox json_value
#include <sandbox/json_value.hpp>
#include <sandbox/json_writer.hpp>

#include <boost/test/unit_test.hpp>

using namespace blubridge::sandbox;

BOOST_AUTO_TEST_CASE(numbers_keep_their_text_and_kind) {
    json_parse_error e;
    auto v = parse_json(R"({"Balance": 500.5000, "b": 1728.0667, "s": "200.00", "n": null, "t": true, "a": [1, "1"]})", e);
    BOOST_TEST_REQUIRE(v.has_value());
    BOOST_TEST(v->find("Balance")->is_number());
    BOOST_TEST(v->find("Balance")->text() == "500.5000");
    BOOST_TEST(v->find("b")->text() == "1728.0667");
    BOOST_TEST(v->find("s")->is_string());
    BOOST_TEST(v->find("n")->is_null());
    BOOST_TEST(v->find("t")->as_bool());
    BOOST_TEST(v->find("a")->items()[0].is_number());
    BOOST_TEST(v->find("a")->items()[1].is_string());
    BOOST_TEST(v->find("missing") == nullptr);
}

BOOST_AUTO_TEST_CASE(decimals_written_back_byte_identical) {
    std::string out;
    json_writer w(out);
    w.start_object();
    w.key("Balance");
    w.raw_number("500.5000");
    w.key("x");
    w.raw_number("1728.0667");
    w.end_object();
    BOOST_TEST(out == R"({"Balance":500.5000,"x":1728.0667})");
}

BOOST_AUTO_TEST_CASE(malformed_documents_are_errors) {
    for (const char* s : {"", "{", "{\"a\":}", "[1,2", "{\"a\":1} x", "nul", "{'a':1}", "\"\xff\""}) {
        json_parse_error e;
        BOOST_TEST(!parse_json(s, e).has_value(), s);
        BOOST_TEST(!e.message.empty());
    }
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused) {
    std::string deep(100, '[');
    deep += std::string(100, ']');
    json_parse_error e;
    BOOST_TEST(!parse_json(deep, e).has_value());
}

BOOST_AUTO_TEST_CASE(nested_structures) {
    json_parse_error e;
    auto v = parse_json(R"({"o":{"a":[{"k":1},{"k":2}],"b":"x"}, "z": -12})", e);
    BOOST_TEST_REQUIRE(v.has_value());
    const auto* a = v->find("o")->find("a");
    BOOST_TEST(a->items().size() == 2u);
    BOOST_TEST(a->items()[1].find("k")->text() == "2");
    std::int64_t z = 0;
    BOOST_TEST(integer_from_text(v->find("z")->text(), z));
    BOOST_TEST(z == -12);
    BOOST_TEST(!integer_from_text("1.5", z));
    BOOST_TEST(!integer_from_text("1e3", z));
}
