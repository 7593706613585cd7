#define BOOST_TEST_MODULE directory record_reader
#include <boost/test/unit_test.hpp>

#include "directory/record_reader.hpp"
#include "test_records.hpp"

#include <string>
#include <vector>

namespace bd = blubridge::directory;
using bd::test::record;

namespace {

bd::record_reader reader() { return bd::record_reader(bd::test::billagain_fields()); }

record sample() {
    return {.id = 302,
            .reference = "12343453454",
            .name = "Brielle",
            .last_name = "Barnett",
            .company = "Acme",
            .email = "poqo@hotmail.com"};
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_the_named_members) {
    const auto e = reader().read_record(sample().json());
    BOOST_REQUIRE(e);
    BOOST_TEST(e->id == 302u);
    BOOST_TEST(e->reference() == "12343453454");
    BOOST_TEST(e->name() == "Brielle");
    BOOST_TEST(e->last_name() == "Barnett");
    BOOST_TEST(e->company() == "Acme");
    BOOST_TEST(e->email() == "poqo@hotmail.com");
    BOOST_TEST(e->flags.active);
    BOOST_TEST(!e->flags.suspended);
    BOOST_TEST(e->created == 1457706893);  // 16:34:53.8018224+02:00 is 14:34:53 UTC
    BOOST_TEST(e->updated == 0);
}

BOOST_AUTO_TEST_CASE(keeps_nothing_but_the_named_members) {
    const auto e = reader().read_record(sample().json());
    BOOST_REQUIRE(e);
    BOOST_TEST(e->text.find("tok-") == std::string::npos);
    BOOST_TEST(e->text == "12343453454\x1f"
                          "Brielle\x1f"
                          "Barnett\x1f"
                          "Acme\x1f"
                          "poqo@hotmail.com");
}

BOOST_AUTO_TEST_CASE(missing_and_null_members_are_empty_or_false) {
    const auto e = reader().read_record(R"({"customerID":7,"Name":null,"Company":null,"isActive":null})");
    BOOST_REQUIRE(e);
    BOOST_TEST(e->reference().empty());
    BOOST_TEST(e->name().empty());
    BOOST_TEST(e->last_name().empty());
    BOOST_TEST(e->company().empty());
    BOOST_TEST(e->email().empty());
    BOOST_TEST(!e->flags.active);
    BOOST_TEST(!e->flags.suspended);
    BOOST_TEST(e->created == 0);
}

BOOST_AUTO_TEST_CASE(flags_are_json_booleans_only) {
    const auto e = reader().read_record(R"({"customerID":7,"isActive":1,"isSuspended":true})");
    BOOST_REQUIRE(e);
    BOOST_TEST(!e->flags.active);
    BOOST_TEST(e->flags.suspended);
}

BOOST_AUTO_TEST_CASE(a_numeric_reference_reads_as_its_text) {
    const auto e = reader().read_record(R"({"customerID":7,"Reference":12343453454})");
    BOOST_REQUIRE(e);
    BOOST_TEST(e->reference() == "12343453454");
}

BOOST_AUTO_TEST_CASE(separators_inside_values_do_not_shift_fields) {
    const auto e = reader().read_record(R"({"customerID":7,"Name":"a\u001fb","LastName":"c\u0000d","Company":"f\u001eg","Email":"e"})");
    BOOST_REQUIRE(e);
    BOOST_TEST(e->name() == "a b");
    BOOST_TEST(e->last_name() == "c d");
    BOOST_TEST(e->company() == "f g");
    BOOST_TEST(e->email() == "e");
}

BOOST_AUTO_TEST_CASE(created_honours_the_offset_and_is_zero_when_unreadable) {
    const auto created = [](const std::string& text) {
        auto r = sample();
        r.created = text;
        return reader().read_record(r.json())->created;
    };
    BOOST_TEST(created("2016-05-01T00:00:00+00:00") == 1462060800);
    BOOST_TEST(created("2016-05-01T00:00:00Z") == 1462060800);
    BOOST_TEST(created("2016-05-01T00:00:00") == 1462060800);
    BOOST_TEST(created("2016-05-01T00:00:00-05:30") == 1462080600);
    BOOST_TEST(created("not a date") == 0);
    BOOST_TEST(created("") == 0);

    BOOST_TEST(reader().read_record(R"({"customerID":7,"CreatedDate":null})")->created == 0);
    BOOST_TEST(reader().read_record(R"({"customerID":7,"CreatedDate":1462060800})")->created == 0);
}

BOOST_AUTO_TEST_CASE(a_record_without_a_positive_integer_id_is_unreadable) {
    const auto r = reader();
    BOOST_TEST(!r.read_record(R"({"Reference":"x"})"));
    BOOST_TEST(!r.read_record(R"({"customerID":null})"));
    BOOST_TEST(!r.read_record(R"({"customerID":"302"})"));
    BOOST_TEST(!r.read_record(R"({"customerID":-3})"));
    BOOST_TEST(!r.read_record(R"({"customerID":0})"));
    BOOST_TEST(!r.read_record(R"({"customerID":3.5})"));
    BOOST_TEST(!r.read_record(R"([{"customerID":3}])"));
    BOOST_TEST(!r.read_record(R"({"customerID":3)"));
    BOOST_TEST(!r.read_record(""));
}

BOOST_AUTO_TEST_CASE(the_fingerprint_ignores_whitespace_and_follows_every_member) {
    const auto r = reader();
    const auto compact = r.read_record(R"({"customerID":7,"Name":"A","Balance":1.5})");
    const auto spaced = r.read_record("{ \"customerID\" : 7,\n  \"Name\": \"A\",\n  \"Balance\": 1.5 }");
    const auto other_balance = r.read_record(R"({"customerID":7,"Name":"A","Balance":2.5})");
    const auto other_name = r.read_record(R"({"customerID":7,"Name":"B","Balance":1.5})");
    BOOST_REQUIRE(compact && spaced && other_balance && other_name);
    BOOST_TEST(compact->fingerprint == spaced->fingerprint);
    BOOST_TEST(compact->fingerprint != other_balance->fingerprint);
    BOOST_TEST(compact->fingerprint != other_name->fingerprint);
    BOOST_TEST(compact->fingerprint == r.read_record(R"({"customerID":7,"Name":"A","Balance":1.5})")->fingerprint);
}

BOOST_AUTO_TEST_CASE(a_page_reads_each_record_as_alone) {
    auto first = sample();
    auto second = sample();
    second.id = 303;
    second.reference = "R-303";
    const auto page = reader().read_page(bd::test::page_of({first, second}));
    BOOST_REQUIRE(page);
    BOOST_REQUIRE(page->size() == 2u);
    BOOST_TEST((*page)[0].id == 302u);
    BOOST_TEST((*page)[1].reference() == "R-303");
    BOOST_TEST((*page)[0].fingerprint == reader().read_record(first.json())->fingerprint);
    BOOST_TEST((*page)[1].fingerprint == reader().read_record(second.json())->fingerprint);
}

BOOST_AUTO_TEST_CASE(a_page_is_unreadable_if_any_record_is) {
    const auto r = reader();
    BOOST_TEST(r.read_page("[]")->empty());
    BOOST_TEST(!r.read_page(R"({"customerID":7})"));
    BOOST_TEST(!r.read_page(R"([{"customerID":7},{"Name":"no id"}])"));
    BOOST_TEST(!r.read_page(R"([{"customerID":7},42])"));
    BOOST_TEST(!r.read_page("[{\"customerID\":7}"));
}

// A record is read alone in one SAX pass and inside a page through a DOM: both must give
// the same entry and fingerprint for every kind of value (stored fingerprints decide
// whether a record changed), and a repeated member counts the first time, as a DOM
// lookup finds it.
BOOST_AUTO_TEST_CASE(alone_and_in_a_page_a_record_reads_the_same_for_every_kind_of_value) {
    const std::vector<std::string> records = {
        R"({"customerID":7,"Reference":12343453454,"Name":"A \"quoted\" \u00e9\n","isActive":true,"isSuspended":false,)"
        R"("Balance":-1.25e3,"Big":18446744073709551615,"Neg":-9223372036854775807,"Small":-3,"Nested":{"customerID":9,)"
        R"("Name":"inner","List":[1,2.5,null,true,{"a":[]}]},"Empty":{},"None":null,"CreatedDate":"2016-03-11T16:34:53Z"})",
        R"({"Name":"first","customerID":8,"Name":"second","isActive":true,"isActive":false,"Email":null,"Email":"x@y"})",
        R"({"customerID":10,"Company":{"not":"text"},"Company":"later","Reference":true,"CreatedDate":1462060800})",
    };
    const auto r = reader();
    std::string page = "[";
    for (const auto& rec : records) page += (page.size() > 1 ? "," : "") + rec;
    page += "]";
    const auto from_page = r.read_page(page);
    BOOST_REQUIRE(from_page);
    BOOST_REQUIRE(from_page->size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto alone = r.read_record(records[i]);
        BOOST_REQUIRE(alone);
        const auto& paged = (*from_page)[i];
        BOOST_TEST(alone->id == paged.id);
        BOOST_TEST(alone->fingerprint == paged.fingerprint);
        BOOST_TEST(alone->text == paged.text);
        BOOST_TEST(alone->created == paged.created);
        BOOST_TEST((alone->flags == paged.flags));
    }
    const auto second = r.read_record(records[1]);
    BOOST_TEST(second->name() == "first");       // the first of two members named Name
    BOOST_TEST(second->flags.active);            // and of two isActive
    BOOST_TEST(second->email().empty());         // a null Email first: nothing read
    const auto third = r.read_record(records[2]);
    BOOST_TEST(third->company().empty());        // an object first: not the later text
    BOOST_TEST(third->reference().empty());      // a boolean is no text
    BOOST_TEST(third->created == 0);             // a number is no date
    BOOST_TEST(r.read_record(records[0])->reference() == "12343453454");
}
