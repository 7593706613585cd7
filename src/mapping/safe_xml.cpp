#include <algorithm>
#include <optional>
#include <blubridge/mapping/safe_xml.hpp>

#include "detail/text.hpp"

#include <blubridge/mapping/error.hpp>

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>

#include <cstring>
#include <string>

namespace blubridge::mapping {
namespace {

using boost::system::error_code;

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

error_code fail(conversion_report& report, error e, std::string message, std::string path = {})
{
    report.path = std::move(path);
    report.message = std::move(message);
    return e;
}

std::string code_point_name(unsigned cp)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string digits;
    do {
        digits.insert(digits.begin(), hex[cp & 15]);
        cp >>= 4;
    } while (cp != 0);
    while (digits.size() < 4) digits.insert(digits.begin(), '0');
    return "U+" + digits;
}

// XML 1.0's Char production, for code points already known to be valid UTF-8 (so no
// surrogates and nothing above U+10FFFF).
bool is_xml_char(unsigned cp)
{
    if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
    return cp != 0xFFFE && cp != 0xFFFF;
}

// The first character of `text` that is not valid UTF-8 (unsupported_encoding) or not an
// XML Char (malformed_xml), with its description; nullopt if none.
struct bad_character {
    error code;
    std::string message;
};

std::optional<bad_character> first_bad_character(std::string_view text)
{
    rapidjson::MemoryStream in(text.data(), text.size());
    while (in.Tell() < text.size()) {
        const std::size_t at = in.Tell();
        unsigned cp = 0;
        if (!rapidjson::UTF8<char>::Decode(in, &cp))
            return bad_character{error::unsupported_encoding, "invalid UTF-8 at byte " + std::to_string(at)};
        if (!is_xml_char(cp))
            return bad_character{error::malformed_xml, "character " + code_point_name(cp) + " at byte " +
                                                           std::to_string(at) + " is not allowed in XML"};
    }
    return std::nullopt;
}

// One pass over the raw text, before pugixml allocates anything for it: a DOCTYPE is the
// only way to declare entities, and the `<` count bounds how many nodes the DOM can get.
// UTF-8 is decoded by RapidJSON's validating decoder (pugixml passes invalid bytes through).
error_code check_text(std::string_view text, conversion_report& report, const xml_limits& limits)
{
    if (const std::size_t at = text.find("<!DOCTYPE"); at != std::string_view::npos)
        return fail(report, error::doctype_forbidden,
                    "DOCTYPE and entity declarations are not allowed (at byte " + std::to_string(at) + ")");

    if (auto bad = first_bad_character(text)) return fail(report, bad->code, std::move(bad->message));
    const auto tags = static_cast<std::size_t>(std::count(text.begin(), text.end(), '<'));
    // Start and end tag per element, plus room for comments, CDATA and the declaration.
    if ((tags + 2) / 3 > limits.max_elements)  // tags > 3 * max_elements, without overflow
        return fail(report, error::too_many_elements,
                    "more than " + std::to_string(limits.max_elements) + " elements (" + std::to_string(tags) +
                        " tags)");
    return {};
}

// A value is text, CDATA or an attribute value after pugixml decoded its references.
error_code check_value(const char* value, pugi::xml_node owner, const char* what, conversion_report& report,
                       const xml_limits& limits)
{
    std::size_t size = 0;
    for (; value[size] != '\0'; ++size) {
        if (size == limits.max_value_bytes)
            return fail(report, error::too_long,
                        std::string(what) + " longer than " + std::to_string(limits.max_value_bytes) + " bytes",
                        detail::xml_path_of(owner));
        const auto u = static_cast<unsigned char>(value[size]);
        // The raw text had none, so this came from a character reference such as &#1;.
        if (u < 0x20 && u != '\t' && u != '\n' && u != '\r')
            return fail(report, error::malformed_xml,
                        std::string(what) + " has character " + code_point_name(u) + ", which XML does not allow",
                        detail::xml_path_of(owner));
    }
    return {};
}

error_code check_name(const char* name, conversion_report& report, const xml_limits& limits)
{
    // No path: it would repeat the long name.
    if (std::strlen(name) > limits.max_name_bytes)
        return fail(report, error::too_long, "a name longer than " + std::to_string(limits.max_name_bytes) +
                                                 " bytes: " + detail::quote_value(name));
    return {};
}

error_code check_attributes(pugi::xml_node element, conversion_report& report, const xml_limits& limits)
{
    std::size_t count = 0;
    for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) {
        if (++count > limits.max_attributes)
            return fail(report, error::too_many_attributes,
                        "more than " + std::to_string(limits.max_attributes) + " attributes",
                        detail::xml_path_of(element));
        if (error_code ec = check_name(a.name(), report, limits)) return ec;
        if (error_code ec = check_value(a.value(), element, "attribute value", report, limits)) return ec;
        // Quadratic, but over at most max_attributes names.
        for (pugi::xml_attribute b = element.first_attribute(); b != a; b = b.next_attribute())
            if (std::strcmp(a.name(), b.name()) == 0)
                return fail(report, error::malformed_xml, std::string("attribute '") + a.name() + "' appears twice",
                            detail::xml_path_of(element));
    }
    return {};
}

error_code check_element(pugi::xml_node element, std::size_t depth, conversion_report& report,
                         const xml_limits& limits)
{
    if (depth > limits.max_depth)
        return fail(report, error::too_deep,
                    "elements nested deeper than " + std::to_string(limits.max_depth) + " levels");
    if (error_code ec = check_name(element.name(), report, limits)) return ec;
    if (error_code ec = check_attributes(element, report, limits)) return ec;
    std::size_t children = 0;
    for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_element && ++children > limits.max_children)
            return fail(report, error::too_many_children,
                        "more than " + std::to_string(limits.max_children) + " child elements",
                        detail::xml_path_of(element));
    return {};
}

error_code check_top_level(const pugi::xml_document& doc, conversion_report& report)
{
    std::size_t roots = 0;
    for (pugi::xml_node node = doc.first_child(); node; node = node.next_sibling()) {
        if (node.type() == pugi::node_element) ++roots;
        // The text check refuses every DOCTYPE; this stays in case that check is ever loosened.
        if (node.type() == pugi::node_doctype)
            return fail(report, error::doctype_forbidden, "DOCTYPE and entity declarations are not allowed");
        if (node.type() == pugi::node_declaration) {
            const pugi::xml_attribute encoding = node.attribute("encoding");
            if (encoding && !equals_ci(encoding.value(), "UTF-8"))
                return fail(report, error::unsupported_encoding,
                            std::string("encoding '") + encoding.value() + "' is not supported, use UTF-8");
        }
    }
    // pugixml itself refuses a document without one.
    if (roots > 1) return fail(report, error::malformed_xml, "more than one root element");
    return {};
}

// Every node in document order, without recursion: a recursive walk would let a deep
// document exhaust the stack. Each node is visited once and each element's children counted
// once, so the walk is linear in the size of the DOM.
error_code check_tree(const pugi::xml_document& doc, conversion_report& report, const xml_limits& limits)
{
    std::size_t depth = 1;
    std::size_t elements = 0;
    pugi::xml_node node = doc.document_element();
    while (node) {
        const pugi::xml_node_type type = node.type();
        if (type == pugi::node_element) {
            if (++elements > limits.max_elements)
                return fail(report, error::too_many_elements,
                            "more than " + std::to_string(limits.max_elements) + " elements");
            if (error_code ec = check_element(node, depth, report, limits)) return ec;
        } else if (type == pugi::node_pcdata || type == pugi::node_cdata) {
            if (error_code ec = check_value(node.value(), node.parent(), "text", report, limits)) return ec;
        }
        if (pugi::xml_node child = node.first_child()) {
            node = child;
            ++depth;
            continue;
        }
        // Climb until a following sibling exists; stop at the root element.
        while (!node.next_sibling()) {
            node = node.parent();
            --depth;
            if (depth == 0) return {};
        }
        if (depth == 1) return {};  // siblings of the root were checked by check_top_level
        node = node.next_sibling();
    }
    return {};
}

} // namespace

std::string xml_text_problem(std::string_view text)
{
    auto bad = first_bad_character(text);
    return bad ? std::move(bad->message) : std::string();
}

error_code parse_xml(std::string_view text, pugi::xml_document& doc, conversion_report& report,
                     const xml_limits& limits)
{
    doc.reset();
    if (error_code ec = check_text(text, report, limits)) return ec;

    // parse_doctype keeps a DOCTYPE as a node, for check_top_level; parse_declaration lets us
    // check the declared encoding; parse_ws_pcdata_single keeps a value that is only
    // whitespace (`<name> </name>` is " ", not "").
    constexpr unsigned options = pugi::parse_default | pugi::parse_doctype | pugi::parse_declaration |
                                 pugi::parse_ws_pcdata_single;
    const pugi::xml_parse_result parsed =
        doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
    if (!parsed)
        return fail(report, error::malformed_xml,
                    std::string(parsed.description()) + " at byte " + std::to_string(parsed.offset));
    if (error_code ec = check_top_level(doc, report)) return ec;
    return check_tree(doc, report, limits);
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
