#define BOOST_TEST_MODULE mapping_json_overlay
#include <boost/test/unit_test.hpp>

#include <blubridge/mapping/json_overlay.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

using namespace blubridge::mapping;

namespace {

rapidjson::Document parse(const char* json)
{
    rapidjson::Document d;
    d.Parse<rapidjson::kParseNumbersAsStringsFlag>(json);
    BOOST_REQUIRE(!d.HasParseError());
    return d;
}

std::string dump(const rapidjson::Value& v)
{
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    v.Accept(w);
    return b.GetString();
}

} // namespace

BOOST_AUTO_TEST_CASE(overlay_keeps_unsent_members_and_replaces_sent_ones)
{
    auto current = parse(R"({"Name":"A","Email":"a@x","Contact":{"Name":"A","Cell":"1"},"Tags":[1,2]})");
    const auto patch = parse(R"({"Email":null,"Contact":{"Name":"B"},"Tags":[3],"City":"C"})");
    overlay_json(current, patch, current.GetAllocator());
    BOOST_TEST(dump(current) == R"({"Name":"A","Email":null,"Contact":{"Name":"B","Cell":"1"},"Tags":["3"],"City":"C"})");
}

BOOST_AUTO_TEST_CASE(take_member_splits_gateway_side_members)
{
    auto doc = parse(R"({"Name":"A","SalesContact":{"Name":"S"},"X":{"Y":1}})");
    rapidjson::Value taken;
    BOOST_TEST(take_member(doc, "SalesContact", taken));
    BOOST_TEST(dump(taken) == R"({"Name":"S"})");
    BOOST_TEST(dump(doc) == R"({"Name":"A","X":{"Y":"1"}})");
    BOOST_TEST(take_member(doc, "X.Y", taken));
    BOOST_TEST(!take_member(doc, "Nope", taken));
    BOOST_TEST(!take_member(doc, "Name.Sub", taken));
}
