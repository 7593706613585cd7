// json_text: editing Billagain JSON without changing how its values were written.
#define BOOST_TEST_MODULE gateway_json_text
#include <boost/test/unit_test.hpp>

#include "json_text.hpp"

namespace json = blubridge::gateway::json;

BOOST_AUTO_TEST_CASE(members_keep_numbers_as_written) {
    auto members = json::split_object(R"({"Balance":500.5000,"Big":12345678901234567890,"Nested":{"a":[1,2.50]},"n":null})");
    BOOST_TEST_REQUIRE(members.has_value());
    BOOST_TEST_REQUIRE(members->size() == 4u);
    BOOST_TEST((*members)[0].name == "Balance");
    BOOST_TEST((*members)[0].raw == "500.5000");
    BOOST_TEST((*members)[1].raw == "12345678901234567890");
    BOOST_TEST((*members)[2].raw == R"({"a":[1,2.50]})");
    BOOST_TEST((*members)[3].raw == "null");
    BOOST_TEST(json::join_object(*members) == R"({"Balance":500.5000,"Big":12345678901234567890,"Nested":{"a":[1,2.50]},"n":null})");
}

BOOST_AUTO_TEST_CASE(not_an_object_or_array_is_refused) {
    BOOST_TEST(!json::split_object("[1,2]").has_value());
    BOOST_TEST(!json::split_object(R"({"a":)").has_value());
    BOOST_TEST(!json::split_object("").has_value());
    BOOST_TEST(!json::split_array(R"({"a":1})").has_value());
    BOOST_TEST(!json::split_array("[1,").has_value());
    BOOST_TEST(json::split_array("[]")->empty());
    auto items = json::split_array(R"([{"id":1},{"id":2.0}])");
    BOOST_TEST_REQUIRE(items.has_value());
    BOOST_TEST((*items == std::vector<std::string>{R"({"id":1})", R"({"id":2.0})"}));
}

BOOST_AUTO_TEST_CASE(with_members_replaces_in_place_or_appends) {
    auto edited = json::with_members(R"({"a":1,"b":"x","c":0.10})", {{"b", R"("y")"}, {"d", "null"}});
    BOOST_TEST(edited.value_or("") == R"({"a":1,"b":"y","c":0.10,"d":null})");
    BOOST_TEST(!json::with_members("[]", {{"a", "1"}}).has_value());
}

BOOST_AUTO_TEST_CASE(take_member_splits_one_member_off) {
    auto taken = json::take_member(R"({"a":1,"Contact":{"Name":"Joe"},"b":2})", "Contact");
    BOOST_TEST_REQUIRE(taken.has_value());
    BOOST_TEST(taken->first == R"({"a":1,"b":2})");
    BOOST_TEST(taken->second.value_or("") == R"({"Name":"Joe"})");
    auto absent = json::take_member(R"({"a":1})", "Contact");
    BOOST_TEST(!absent->second.has_value());
}

BOOST_AUTO_TEST_CASE(typed_member_readers) {
    const std::string record = R"({"Reference":"007","Name":"Jos\u00e9 \"J\"","Null":null,"Num":42,"Neg":-1,"T":true,"F":false,"Dec":1.5})";
    BOOST_TEST(json::string_member(record, "Reference").value_or("") == "007");  // leading zeros kept
    BOOST_TEST(json::string_member(record, "Name").value_or("") == "Jos\xc3\xa9 \"J\"");
    BOOST_TEST(!json::string_member(record, "Null").has_value());
    BOOST_TEST(json::string_member(record, "Num").value_or("") == "42");  // a number as written
    BOOST_TEST(json::string_member(record, "Dec").value_or("") == "1.5");
    BOOST_TEST(!json::string_member(record, "T").has_value());
    BOOST_TEST(!json::string_member(record, "Missing").has_value());
    BOOST_TEST(json::integer_member(record, "Num").value_or(0) == 42u);
    BOOST_TEST(!json::integer_member(record, "Neg").has_value());
    BOOST_TEST(!json::integer_member(record, "Dec").has_value());
    BOOST_TEST(!json::integer_member(record, "Reference").has_value());
    BOOST_TEST((json::bool_member(record, "T") == std::optional<bool>(true)));
    BOOST_TEST((json::bool_member(record, "F") == std::optional<bool>(false)));
    BOOST_TEST(!json::bool_member(record, "Null").has_value());
    // Only top-level members count; a nested one of the same name, an object value or a text
    // that is not an object gives nothing.
    BOOST_TEST(json::integer_member(R"({"Outer":{"Id":7,"L":[1,{"Id":8}]},"Id":3})", "Id").value_or(0) == 3u);
    BOOST_TEST(!json::integer_member(R"({"Outer":{"Id":7}})", "Id").has_value());
    BOOST_TEST(!json::integer_member(R"({"Id":{"Id":7}})", "Id").has_value());
    BOOST_TEST(!json::integer_member(R"([{"Id":7}])", "Id").has_value());
    BOOST_TEST(!json::integer_member("7", "Id").has_value());
    BOOST_TEST(!json::bool_member(R"({"A":{"T":true}})", "T").has_value());
    auto values = json::string_members(record, {"Reference", "Null", "Num", "Missing", "Name"});
    BOOST_TEST_REQUIRE(values.size() == 5u);
    BOOST_TEST(values[0].value_or("") == "007");
    BOOST_TEST(!values[1].has_value());
    BOOST_TEST(values[2].value_or("") == "42");
    BOOST_TEST(!values[3].has_value());
    BOOST_TEST(values[4].has_value());
    BOOST_TEST(json::string_members("not json", {"a"}).size() == 1u);
}

BOOST_AUTO_TEST_CASE(quote_escapes) {
    BOOST_TEST(json::quote("a\"b\\c\n") == R"("a\"b\\c\n")");
    BOOST_TEST(json::join_array({"1", R"("x")"}) == R"([1,"x"])");
}
