#include <blubridge/mapping/safe_xml.hpp>

#include <blubridge/mapping/error.hpp>

#include <cstring>
#include <string>

namespace blubridge::mapping {
namespace {

class string_writer final : public pugi::xml_writer {
public:
    explicit string_writer(std::string& out) : out_(out) {}
    void write(const void* data, std::size_t size) override
    {
        out_.append(static_cast<const char*>(data), size);
    }

private:
    std::string& out_;
};

bool equals_ci(const char* a, const char* b)
{
    for (; *a && *b; ++a, ++b) {
        auto la = static_cast<unsigned char>(*a | 0x20);
        auto lb = static_cast<unsigned char>(*b | 0x20);
        if (la != lb) return false;
    }
    return *a == *b;
}

} // namespace

boost::system::error_code parse_xml(std::string_view text, pugi::xml_document& doc,
                                    conversion_report& report, const xml_limits& limits)
{
    doc.reset();
    // parse_doctype keeps the DOCTYPE as a node so we can see it and refuse it;
    // parse_declaration lets us check the declared encoding; parse_ws_pcdata_single keeps a
    // value that is only whitespace (`<name> </name>` is " ", not "").
    constexpr unsigned options = pugi::parse_default | pugi::parse_doctype | pugi::parse_declaration |
                                 pugi::parse_ws_pcdata_single;
    const pugi::xml_parse_result parsed =
        doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
    if (!parsed) {
        report.message = std::string(parsed.description()) + " at byte " + std::to_string(parsed.offset);
        return error::malformed_xml;
    }

    for (pugi::xml_node node = doc.first_child(); node; node = node.next_sibling()) {
        if (node.type() == pugi::node_doctype) {
            report.message = "DOCTYPE and entity declarations are not allowed";
            return error::doctype_forbidden;
        }
        if (node.type() == pugi::node_declaration) {
            const pugi::xml_attribute encoding = node.attribute("encoding");
            if (encoding && !equals_ci(encoding.value(), "UTF-8")) {
                report.message = std::string("encoding '") + encoding.value() + "' is not supported, use UTF-8";
                return error::unsupported_encoding;
            }
        }
    }
    if (!doc.document_element()) {
        report.message = "no root element";
        return error::malformed_xml;
    }

    // Iterative walk: a recursive one would let a deep document exhaust the stack.
    std::size_t depth = 0;
    std::size_t elements = 0;
    pugi::xml_node node = doc.document_element();
    while (node) {
        ++depth;
        if (depth > limits.max_depth) {
            report.message = "elements nested deeper than " + std::to_string(limits.max_depth) + " levels";
            return error::too_deep;
        }
        if (++elements > limits.max_elements) {
            report.message = "more than " + std::to_string(limits.max_elements) + " elements";
            return error::too_many_elements;
        }
        pugi::xml_node child = node.first_child();
        while (child && child.type() != pugi::node_element) child = child.next_sibling();
        if (child) {
            node = child;
            continue;
        }
        // Climb until a following element sibling exists.
        for (;;) {
            pugi::xml_node next = node.next_sibling();
            while (next && next.type() != pugi::node_element) next = next.next_sibling();
            if (next) {
                --depth;
                node = next;
                break;
            }
            node = node.parent();
            --depth;
            if (!node || node.type() != pugi::node_element) {
                node = pugi::xml_node();
                break;
            }
        }
    }
    return {};
}

void write_xml(const pugi::xml_document& doc, std::string& out)
{
    out.assign("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    string_writer writer(out);
    for (pugi::xml_node node = doc.first_child(); node; node = node.next_sibling()) {
        if (node.type() == pugi::node_declaration) continue;
        node.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
    }
}

} // namespace blubridge::mapping
