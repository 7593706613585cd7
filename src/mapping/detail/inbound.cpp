// XML → JSON: walk the document once against the program's XML tree, remembering where each
// declared node was found, then write the JSON tree in declaration order with RapidJSON.

#include "inbound.hpp"

#include "text.hpp"

#include <blubridge/mapping/error.hpp>

#include <rapidjson/writer.h>

#include <cstring>
#include <vector>

namespace blubridge::mapping::detail {
namespace {

using boost::system::error_code;

// RapidJSON output stream appending straight into the caller's string.
struct string_stream {
    using Ch = char;
    std::string& s;
    void Put(char c) { s.push_back(c); }
    void Flush() {}
};

// Rejects invalid UTF-8 in strings instead of passing it upstream.
using json_writer = rapidjson::Writer<string_stream, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                      rapidjson::CrtAllocator, rapidjson::kWriteValidateEncodingFlag>;

struct slot {
    pugi::xml_node element;
    pugi::xml_attribute attribute;
    explicit operator bool() const noexcept { return element || attribute; }
};

bool is_reserved_attribute(const char* name) noexcept
{
    return std::strncmp(name, "xmlns", 5) == 0 || std::strncmp(name, "xsi:", 4) == 0;
}

bool is_nil(const slot& s) noexcept
{
    if (s.attribute || !s.element) return false;
    const pugi::xml_attribute nil = s.element.attribute("xsi:nil");
    return nil && (std::strcmp(nil.value(), "true") == 0 || std::strcmp(nil.value(), "1") == 0);
}

class inbound {
public:
    inbound(conversion_report& report, std::string& out, bool apply_defaults)
        : report_(report), stream_{out}, w_(stream_), apply_defaults_(apply_defaults)
    {
    }

    error_code run_top(const program& p, pugi::xml_node root)
    {
        error_code ec = run(p, root);
        if (ec) return ec;
        if (!report_.unknown.empty() && p.unknown == unknown_policy::reject) {
            report_.path = report_.unknown.front();
            report_.message = "unknown element";
            if (report_.unknown.size() > 1) report_.message += 's';
            for (std::size_t i = 0; i < report_.unknown.size(); ++i)
                report_.message += (i == 0 ? ": " : ", ") + report_.unknown[i];
            return error::unknown_element;
        }
        return {};
    }

private:
    error_code fail(error e, std::string path, std::string message)
    {
        report_.path = std::move(path);
        report_.message = std::move(message);
        return e;
    }

    slot& at(std::size_t base, int node) { return slots_[base + static_cast<std::size_t>(node)]; }

    // One program over one element; writes one JSON value (object, or array for a wrapper).
    // With `into_current`, writes only members, into the object the caller has open.
    error_code run(const program& p, pugi::xml_node root, bool into_current = false)
    {
        const std::size_t base = slots_.size();
        slots_.resize(base + p.xml.size());
        at(base, 0).element = root;
        error_code ec = walk(p, base, 0, root);
        if (!ec) ec = validate(p, base);
        if (!ec) {
            if (p.json_root_is_array) {
                if (p.json[0].in_rule >= 0) {
                    ec = emit_list(p, base, p.rules[static_cast<std::size_t>(p.json[0].in_rule)], root);
                } else {  // an outbound-only list wrapper: nothing of it goes in
                    w_.StartArray();
                    w_.EndArray();
                }
            } else {
                if (!into_current) w_.StartObject();
                ec = emit_members(p, base, 0, root);
                for (std::size_t i = 0; !ec && i < p.merges.size(); ++i) {
                    const rule& r = p.rules[static_cast<std::size_t>(p.merges[i])];
                    if (const slot s = at(base, r.xml_node)) ec = run(*r.sub, s.element, true);
                }
                if (!ec && !into_current) w_.EndObject();
            }
        }
        slots_.resize(base);
        return ec;
    }

    // Fields accepted but not forwarded still have to be valid values.
    error_code validate(const program& p, std::size_t base)
    {
        for (int idx : p.validations) {
            const rule& r = p.rules[static_cast<std::size_t>(idx)];
            const slot s = at(base, r.xml_node);
            if (!s) continue;
            if (!r.refusal.empty()) return fail(error::refused_element, path_of(s), r.refusal);
            if (is_nil(s)) continue;
            const std::string_view text = s.attribute ? std::string_view(s.attribute.value())
                                                      : element_text(s.element, scratch_);
            const std::string_view t = trim_xml_space(text);
            num_.clear();
            if (r.value.map) {
                if (!find_entry(*r.value.map, t)) return unmapped(r, path_of(s), text);
                continue;
            }
            bool ok = true;
            const char* expected = "";
            switch (r.value.type) {
            case value_type::integer: ok = normalize_integer(t, num_); expected = "an integer"; break;
            case value_type::decimal: ok = normalize_decimal(t, num_); expected = "a decimal number"; break;
            case value_type::boolean: ok = parse_boolean(t).has_value(); expected = "a boolean (true, false, 1 or 0)"; break;
            case value_type::date: ok = parse_date(t, r.value.xml_date).has_value(); expected = "a valid date in the expected form"; break;
            case value_type::string:
            case value_type::mask_last4: break;
            }
            if (!ok) return invalid(r, path_of(s), t, expected);
        }
        return {};
    }

    // The declared node among `candidates` named `name`, or -1. Lengths first: most
    // candidates differ in length, so few names are compared byte by byte.
    static int find_spec(const program& p, const std::vector<int>& candidates, const char* name)
    {
        const std::string_view wanted(name);
        for (int idx : candidates)
            if (std::string_view(p.xml[static_cast<std::size_t>(idx)].name) == wanted) return idx;
        return -1;
    }

    error_code walk(const program& p, std::size_t base, int s, pugi::xml_node n)
    {
        const xml_spec_node& spec = p.xml[static_cast<std::size_t>(s)];
        for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
            const char* name = a.name();
            if (is_reserved_attribute(name)) continue;
            const int match = find_spec(p, spec.attributes, name);
            if (match < 0) {
                report_.unknown.push_back(xml_path_of(n) + "/@" + name);
                continue;
            }
            slot& sl = at(base, match);
            if (sl.attribute) return fail(error::duplicate_element, xml_path_of(n) + "/@" + name,
                                          "attribute given more than once");
            sl.attribute = a;
            sl.element = n;  // the owner, for messages
        }
        for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
            const pugi::xml_node_type type = c.type();
            if (type == pugi::node_pcdata || type == pugi::node_cdata) {
                if (!spec.elements.empty() && !trim_xml_space(c.value()).empty())
                    return fail(error::unexpected_content, xml_path_of(n),
                                "text is not allowed here, only elements");
                continue;
            }
            if (type != pugi::node_element) continue;  // comments, processing instructions
            const char* name = c.name();
            const int match = find_spec(p, spec.elements, name);
            if (match < 0) {
                report_.unknown.push_back(xml_path_of(c));
                continue;
            }
            const xml_spec_node& cs = p.xml[static_cast<std::size_t>(match)];
            slot& sl = at(base, match);
            if (cs.item_rule >= 0) {  // list items are read by their list rule
                if (!sl.element) sl.element = c;
                continue;
            }
            if (sl.element)
                return fail(error::duplicate_element, xml_path_of(c),
                            "element given more than once; it is not a list");
            sl.element = c;
            if (cs.object_rule >= 0 || cs.ignored) continue;  // read by its sub-mapping, or dropped whole
            if (error_code ec = walk(p, base, match, c)) return ec;
        }
        return {};
    }

    bool present(std::size_t base, const rule& r)
    {
        if (r.has_default && apply_defaults_) return true;
        if (r.kind == rule_kind::list)
            return r.container_node < 0 || static_cast<bool>(at(base, r.container_node));
        return r.xml_node >= 0 && static_cast<bool>(at(base, r.xml_node));
    }

    // The rule writing a member, or the first of its inward fallbacks whose XML is there.
    const rule* first_present(const program& p, std::size_t base, int index)
    {
        for (int i = index; i >= 0; i = p.rules[static_cast<std::size_t>(i)].in_fallback) {
            const rule& r = p.rules[static_cast<std::size_t>(i)];
            if (present(base, r)) return &r;
        }
        return nullptr;
    }

    bool has_content(const program& p, std::size_t base, int j)
    {
        for (int m : p.json[static_cast<std::size_t>(j)].members) {
            const json_spec_node& jn = p.json[static_cast<std::size_t>(m)];
            if (jn.in_rule >= 0) {
                if (first_present(p, base, jn.in_rule)) return true;
            } else if (has_content(p, base, m)) {
                return true;
            }
        }
        return false;
    }

    error_code emit_members(const program& p, std::size_t base, int j, pugi::xml_node root)
    {
        for (int m : p.json[static_cast<std::size_t>(j)].members) {
            const json_spec_node& jn = p.json[static_cast<std::size_t>(m)];
            if (jn.in_rule >= 0) {
                const rule* r = first_present(p, base, jn.in_rule);
                if (!r) r = &p.rules[static_cast<std::size_t>(jn.in_rule)];  // absent: as before (defaults, required)
                if (error_code ec = emit_rule(p, base, *r, jn, root)) return ec;
            } else if (!jn.members.empty() && has_content(p, base, m)) {
                w_.Key(jn.name.data(), static_cast<rapidjson::SizeType>(jn.name.size()));
                w_.StartObject();
                if (error_code ec = emit_members(p, base, m, root)) return ec;
                w_.EndObject();
            }
        }
        return {};
    }

    void key(const json_spec_node& jn)
    {
        w_.Key(jn.name.data(), static_cast<rapidjson::SizeType>(jn.name.size()));
    }

    error_code write_literal(const json_literal& lit)
    {
        switch (lit.type) {
        case json_literal::kind::null: w_.Null(); break;
        case json_literal::kind::boolean: w_.Bool(lit.boolean); break;
        case json_literal::kind::number: w_.RawValue(lit.text.data(), lit.text.size(), rapidjson::kNumberType); break;
        case json_literal::kind::string:
            w_.String(lit.text.data(), static_cast<rapidjson::SizeType>(lit.text.size()));
            break;
        }
        return {};
    }

    const value_map::entry* find_entry(const value_map& m, std::string_view text)
    {
        for (const auto& e : m.entries) {
            if (!e.inbound) continue;
            if (m.ignore_case ? equals_ascii_ci(e.xml, text) : e.xml == text) return &e;
        }
        return nullptr;
    }

    error_code unmapped(const rule& r, std::string path, std::string_view text)
    {
        std::string msg = (r.secret ? std::string("value") : quote_value(text)) + " is not one of ";
        std::size_t shown = 0;
        for (const auto& e : r.value.map->entries) {
            if (!e.inbound) continue;
            if (shown == 12) {
                msg += ", ...";
                break;
            }
            msg += (shown++ ? ", " : "") + e.xml;
        }
        return fail(error::unmapped_value, std::move(path), std::move(msg));
    }

    error_code invalid(const rule& r, std::string path, std::string_view text, const char* expected)
    {
        std::string msg = text.empty() ? std::string("empty value")
                                       : (r.secret ? std::string("value") : quote_value(text));
        msg += " is not ";
        msg += expected;
        if (text.empty()) msg += " (use xsi:nil=\"true\" for no value)";
        return fail(error::invalid_value, std::move(path), std::move(msg));
    }

    // Writes the converted value of a scalar (already known present and not nil).
    error_code write_scalar(const rule& r, const slot& s, std::string_view text)
    {
        const codec& c = r.value;
        auto path = [&] { return path_of(s); };
        if (c.map) {
            const value_map::entry* e = find_entry(*c.map, c.type == value_type::string ? text : trim_xml_space(text));
            if (!e) return unmapped(r, path(), text);
            return write_literal(e->json[0]);
        }
        num_.clear();
        switch (c.type) {
        case value_type::string:
        case value_type::mask_last4:
            if (c.trim) text = trim_xml_space(text);
            if (!w_.String(text.data(), static_cast<rapidjson::SizeType>(text.size())))
                return fail(error::unsupported_encoding, path(), "value is not valid UTF-8");
            return {};
        case value_type::integer:
        case value_type::decimal: {
            const std::string_view t = trim_xml_space(text);
            const bool ok = c.type == value_type::integer ? normalize_integer(t, num_) : normalize_decimal(t, num_);
            if (!ok) return invalid(r, path(), t, c.type == value_type::integer ? "an integer" : "a decimal number");
            if (c.form == json_form::string)
                w_.String(num_.data(), static_cast<rapidjson::SizeType>(num_.size()));
            else
                w_.RawValue(num_.data(), num_.size(), rapidjson::kNumberType);
            return {};
        }
        case value_type::boolean: {
            const std::string_view t = trim_xml_space(text);
            const auto b = parse_boolean(t);
            if (!b) return invalid(r, path(), t, "a boolean (true, false, 1 or 0)");
            w_.Bool(*b);
            return {};
        }
        case value_type::date: {
            const std::string_view t = trim_xml_space(text);
            const auto d = parse_date(t, c.xml_date);
            if (!d) return invalid(r, path(), t, "a valid date in the expected form");
            format_date(*d, c.json_date, num_);
            w_.String(num_.data(), static_cast<rapidjson::SizeType>(num_.size()));
            return {};
        }
        }
        return {};
    }

    static std::string path_of(const slot& s)
    {
        if (s.attribute) return xml_path_of(s.element) + "/@" + s.attribute.name();
        return xml_path_of(s.element);
    }

    error_code emit_rule(const program& p, std::size_t base, const rule& r, const json_spec_node& jn,
                         pugi::xml_node root)
    {
        if (r.kind == rule_kind::list) {
            if (r.container_node >= 0 && !at(base, r.container_node)) return {};
            key(jn);
            return emit_list(p, base, r, root);
        }
        const slot s = r.xml_node >= 0 ? at(base, r.xml_node) : slot{};
        if (!s) {
            if (r.has_default && apply_defaults_) {
                key(jn);
                return write_literal(r.default_value);
            }
            if (r.required) {
                std::string parent = xml_path_of(root);
                return fail(error::missing_required, parent + "/" + r.xml_path,
                            "required element is missing");
            }
            return {};
        }
        if (is_nil(s)) {
            if (jn.in_part == 0 || r.kind == rule_kind::lookup) {
                key(jn);
                w_.Null();
            }
            return {};
        }
        if (r.kind == rule_kind::object) {
            key(jn);
            return run(*r.sub, s.element);
        }
        const std::string_view text = s.attribute ? std::string_view(s.attribute.value())
                                                  : element_text(s.element, scratch_);
        auto path = [&] { return path_of(s); };
        switch (r.kind) {
        case rule_kind::scalar:
            key(jn);
            return write_scalar(r, s, text);
        case rule_kind::lookup: {
            const value_map::entry* e = find_entry(*r.value.map, trim_xml_space(text));
            if (!e) return unmapped(r, path(), text);
            key(jn);
            return write_literal(e->json[static_cast<std::size_t>(jn.in_part)]);
        }
        case rule_kind::name_split: {
            // With a condition, the name is split only when the document says it is not the
            // whole-name case: a PUT that leaves isBusinessAccount out must not cut a
            // company's name in two.
            bool whole = false;
            if (r.cond_xml_node >= 0) {
                whole = true;
                const slot cs = at(base, r.cond_xml_node);
                if (cs && !is_nil(cs)) {
                    const std::string_view ct = cs.attribute ? std::string_view(cs.attribute.value())
                                                             : element_text(cs.element, cond_scratch_);
                    const auto b = parse_boolean(trim_xml_space(ct));
                    whole = !b || *b == r.cond_value;
                }
            }
            std::string_view part;
            if (whole) {
                if (jn.in_part != 0) return {};
                part = text;
            } else {
                const std::string_view t = trim_xml_space(text);
                const auto space = t.find_last_of(" \t\r\n");
                if (space == std::string_view::npos) {
                    if (jn.in_part != 0) return {};
                    part = t;
                } else {
                    part = jn.in_part == 0 ? trim_xml_space(t.substr(0, space)) : t.substr(space + 1);
                }
            }
            key(jn);
            if (!w_.String(part.data(), static_cast<rapidjson::SizeType>(part.size())))
                return fail(error::unsupported_encoding, path(), "value is not valid UTF-8");
            return {};
        }
        case rule_kind::date_parts: {
            const std::string_view t = trim_xml_space(text);
            const auto d = parse_date(t, r.value.xml_date);
            if (!d) return invalid(r, path(), t, "a valid date (YYYY-MM-DD)");
            key(jn);
            const int v = jn.in_part == 0 ? d->month : d->year;
            num_ = std::to_string(v);
            if (r.value.form == json_form::number) {
                w_.RawValue(num_.data(), num_.size(), rapidjson::kNumberType);
            } else {
                if (jn.in_part == 0 && v < 10) num_.insert(0, "0");
                w_.String(num_.data(), static_cast<rapidjson::SizeType>(num_.size()));
            }
            return {};
        }
        case rule_kind::list:
        case rule_kind::object:
        case rule_kind::ignore:
            break;
        }
        return {};
    }

    error_code emit_list(const program& p, std::size_t base, const rule& r, pugi::xml_node root)
    {
        const pugi::xml_node parent = r.container_node >= 0 ? at(base, r.container_node).element : root;
        const char* item = p.xml[static_cast<std::size_t>(r.xml_node)].name.c_str();
        w_.StartArray();
        std::size_t count = 0;
        for (pugi::xml_node c = parent.child(item); c; c = c.next_sibling(item)) {
            if (r.max_items != 0 && ++count > r.max_items)
                return fail(error::too_many_items, xml_path_of(c),
                            "at most " + std::to_string(r.max_items) + " items are allowed");
            if (error_code ec = run(*r.sub, c)) return ec;
        }
        w_.EndArray();
        return {};
    }

    conversion_report& report_;
    string_stream stream_;
    json_writer w_;
    std::vector<slot> slots_;
    std::string scratch_;
    std::string cond_scratch_;
    std::string num_;
    bool apply_defaults_;
};

} // namespace

error_code run_inbound(const program& p, pugi::xml_node root, std::string& out, conversion_report& report,
                       bool apply_defaults)
{
    inbound in(report, out, apply_defaults);
    return in.run_top(p, root);
}

} // namespace blubridge::mapping::detail
