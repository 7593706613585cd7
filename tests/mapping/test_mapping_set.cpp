#define BOOST_TEST_MODULE mapping_mapping_set
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <thread>
#include <type_traits>

using namespace blubridge::mapping;
using blubridge::mapping::test::data;
using blubridge::mapping::test::defaults;

BOOST_AUTO_TEST_CASE(secret_fields_are_redacted_in_log_lines)
{
    const std::string xml = defaults().redact_xml(data("autopay_post.xml"));
    BOOST_TEST(xml.find("4111111111111111") == std::string::npos);
    BOOST_TEST(xml.find("<cardNumber>***</cardNumber>") != std::string::npos);
    BOOST_TEST(xml.find("<cvv>***</cvv>") != std::string::npos);
    BOOST_TEST(xml.find("John Villanova") != std::string::npos);  // not secret

    const std::string post = defaults().redact_xml(data("customer_post.xml"));
    BOOST_TEST(post.find("Sachxwe001") == std::string::npos);
    BOOST_TEST(post.find("<passwd>***</passwd>") != std::string::npos);

    const std::string json = defaults().redact_json(data("customer_create_input.json"));
    BOOST_TEST(json.find("Pa$$123") == std::string::npos);
    BOOST_TEST(json.find("42424242424242") == std::string::npos);
    BOOST_TEST(json.find(R"("Password":"***")") != std::string::npos);
    BOOST_TEST(json.find(R"("Number":"***")") != std::string::npos);
    BOOST_TEST(json.find(R"("countryID":71)") != std::string::npos);  // numbers stay raw

    const std::string token = defaults().redact_json(data("customer_get.json"));
    BOOST_TEST(token.find("f8f3b996") == std::string::npos);
    BOOST_TEST(token.find(R"("Balance":1728.0667)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(secret_names_are_known_in_any_case)
{
    BOOST_TEST(defaults().is_secret_xml_name("cardNumber"));
    BOOST_TEST(defaults().is_secret_xml_name("CVV"));
    BOOST_TEST(defaults().is_secret_xml_name("passwd"));
    BOOST_TEST(!defaults().is_secret_xml_name("extCustomerRef"));
    BOOST_TEST(!defaults().is_secret_xml_name("cardNumbe"));
}

BOOST_AUTO_TEST_CASE(redaction_never_echoes_garbage)
{
    BOOST_TEST(defaults().redact_xml("<a><cardNumber>4111") == "[unparseable XML, 19 bytes]");
    BOOST_TEST(defaults().redact_json(R"({"Number":"4111)") == "[unparseable JSON, 15 bytes]");
    BOOST_TEST(defaults().redact_json(R"({"Password":{"a":[1,2]},"x":1})") == R"({"Password":"***","x":1})");
}

BOOST_AUTO_TEST_CASE(set_is_immutable_and_shareable)
{
    static_assert(!std::is_copy_constructible_v<mapping_set>);
    const std::shared_ptr<const mapping_set> set = load_mappings(BLUBRIDGE_MAPPINGS_DIR);
    BOOST_TEST(set->find("nope") == nullptr);
    BOOST_TEST(set->names().size() >= 9u);
    // Concurrent use of one set from several threads (run under TSan/ASan in CI builds).
    const std::string xml = data("customer_post.xml");
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                std::string json;
                conversion_report report;
                if (set->find("customer")->to_json(xml, json, report)) ++failures;
            }
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(failures.load() == 0);
}
