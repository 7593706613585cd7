// libFuzzer target over both directions of every default mapping.
//
// Input: the first byte picks the mapping (low 7 bits, modulo the list below) and the
// direction (high bit set: XML → JSON, clear: JSON → XML); the rest is the document.
// Invariants checked beyond "no crash, no sanitizer report": every successful output is
// well-formed (JSON parses; XML parses with the same safe parser), and so is every redacted
// log line.

#include <blubridge/mapping/mapping_set.hpp>

#include <rapidjson/document.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* names[] = {"customer",        "autopay",        "add_customer_and_order",
                                 "customer_list",   "billing_contact", "sales_contact",
                                 "status",          "autopay_list",   "add_customer_and_order_response",
                                 "subscription_order"};

const blubridge::mapping::mapping_set& set()
{
    static const auto s = blubridge::mapping::load_mappings(BLUBRIDGE_MAPPINGS_DIR);
    return *s;
}

/// Our own output refused by our own parser: say why before aborting, so a crash file explains itself.
[[noreturn]] void refused(const std::string& xml, boost::system::error_code ec,
                          const blubridge::mapping::conversion_report& r)
{
    std::fprintf(stderr, "output refused: %s at %s: %s\n%s\n", ec.message().c_str(), r.path.c_str(),
                 r.message.c_str(), xml.c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1) return 0;
    const auto& m = *set().find(names[(data[0] & 0x7f) % std::size(names)]);
    const std::string_view doc(reinterpret_cast<const char*>(data + 1), size - 1);
    blubridge::mapping::conversion_report report;
    if (data[0] & 0x80) {
        std::string json;
        if (!m.to_json(doc, json, report)) {
            rapidjson::Document d;
            d.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag>(json.c_str());
            if (d.HasParseError()) std::abort();
            std::string xml;
            report.clear();
            (void)m.to_xml(d, xml, report);  // may legitimately refuse; must not crash
        }
        // A redacted log line is either a note or well-formed XML again.
        const std::string redacted = set().redact_xml(doc);
        if (redacted.rfind("[unparseable", 0) != 0) {
            pugi::xml_document parsed;
            blubridge::mapping::conversion_report r2;
            if (blubridge::mapping::parse_xml(redacted, parsed, r2)) std::abort();
        }
    } else {
        std::string xml;
        if (!m.to_xml(doc, xml, report)) {
            pugi::xml_document parsed;
            blubridge::mapping::conversion_report r2;
            if (const auto ec = blubridge::mapping::parse_xml(xml, parsed, r2)) refused(xml, ec, r2);
        }
        const std::string redacted = set().redact_json(doc);
        if (redacted.rfind("[unparseable", 0) != 0) {
            rapidjson::Document d;
            d.Parse<rapidjson::kParseNumbersAsStringsFlag>(redacted.c_str());
            if (d.HasParseError()) std::abort();
        }
    }
    return 0;
}
