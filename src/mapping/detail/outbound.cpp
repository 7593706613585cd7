// JSON → XML: walk the JSON value once against the program's JSON tree, remembering where each
// declared member was found, then build the XML tree in declaration order with pugixml.
// Members nobody declared are never looked at again: that is what keeps card numbers,
// tokens and passwords from Billagain out of every response.

#include "outbound.hpp"

#include "text.hpp"

#include <blubridge/mapping/error.hpp>
#include <blubridge/mapping/safe_xml.hpp>

#include <cstring>
#include <vector>

namespace blubridge::mapping::detail {
namespace {

using boost::system::error_code;
using json_value = rapidjson::Value;

constexpr const char* xsi_namespace = "http://www.w3.org/2001/XMLSchema-instance";

enum class produced { absent, null, value };

// "************1111": one star per character but the last four (all stars when there are fewer
// than four, which would otherwise show the whole value). Counted in code points, not bytes, so
// a multi-byte character is never cut in half: the output must stay UTF-8.
void mask_all_but_last_four(std::string_view text, std::string& out)
{
    auto is_continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    std::size_t tail = text.size();
    int kept = 0;
    for (; kept < 4 && tail > 0; ++kept)
        do --tail;
        while (tail > 0 && is_continuation(text[tail]));
    if (kept < 4) tail = text.size();
    std::size_t masked = 0;
    for (std::size_t i = 0; i < tail; ++i) masked += !is_continuation(text[i]);
    out.assign(masked, '*');
    out.append(text.substr(tail));
}

// The text of a JSON scalar: strings and numbers (kept as text by kParseNumbersAsStringsFlag,
// or formatted here when the caller parsed integers natively). False for anything else.
bool scalar_text(const json_value& v, std::string_view& out, std::string& scratch)
{
    if (v.IsString()) {
        out = std::string_view(v.GetString(), v.GetStringLength());
        return true;
    }
    if (v.IsInt64()) {
        scratch = std::to_string(v.GetInt64());
        out = scratch;
        return true;
    }
    if (v.IsUint64()) {
        scratch = std::to_string(v.GetUint64());
        out = scratch;
        return true;
    }
    return false;  // bool, null, object, array, or a double we refuse to round
}

// A JSON scalar read once, so comparing it with a long value map (the country table has
// 249 rows) is a plain string comparison per row.
struct json_scalar {
    enum class kind : std::uint8_t { null, boolean, text, other } type = kind::null;
    bool boolean = false;
    std::string_view text;
    std::string storage;  // for integers parsed natively

    explicit json_scalar(const json_value* v)
    {
        if (!v || v->IsNull()) return;
        if (v->IsBool()) {
            type = kind::boolean;
            boolean = v->GetBool();
        } else if (scalar_text(*v, text, storage)) {
            type = kind::text;
        } else {
            type = kind::other;
        }
    }
};

bool literal_matches(const json_literal& lit, const json_scalar& v)
{
    switch (lit.type) {
    case json_literal::kind::null: return v.type == json_scalar::kind::null;
    case json_literal::kind::boolean: {
        if (v.type == json_scalar::kind::boolean) return v.boolean == lit.boolean;
        // Billagain documents some flags as "Numeric": accept 0/1 for a boolean literal.
        const auto b = v.type == json_scalar::kind::text ? parse_boolean(v.text) : std::nullopt;
        return b && *b == lit.boolean;
    }
    case json_literal::kind::number:
    case json_literal::kind::string: return v.type == json_scalar::kind::text && v.text == lit.text;
    }
    return false;
}

class outbound {
public:
    explicit outbound(conversion_report& report) : report_(report) {}

    error_code run(const program& p, const json_value& root, pugi::xml_node el)
    {
        const std::size_t base = found_.size();
        found_.resize(base + p.json.size());
        found_[base] = &root;
        error_code ec;
        if (p.json_root_is_array) {
            if (!root.IsArray()) ec = fail(error::unexpected_json_type, p.name, "expected a JSON array");
        } else if (!root.IsObject()) {
            ec = fail(error::unexpected_json_type, p.name, "expected a JSON object");
        } else {
            ec = walk(p, base, 0, root);
        }
        if (!ec) ec = emit(p, base, 0, el);
        found_.resize(base);
        return ec;
    }

    bool used_nil() const noexcept { return used_nil_; }

private:
    error_code fail(error e, std::string path, std::string message)
    {
        report_.path = prefix_ + path;
        report_.message = std::move(message);
        return e;
    }

    const json_value* at(std::size_t base, int node) const
    {
        return found_[base + static_cast<std::size_t>(node)];
    }

    error_code walk(const program& p, std::size_t base, int j, const json_value& v)
    {
        const json_spec_node& spec = p.json[static_cast<std::size_t>(j)];
        for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
            const std::string_view name(m->name.GetString(), m->name.GetStringLength());
            for (int idx : spec.members) {
                const json_spec_node& child = p.json[static_cast<std::size_t>(idx)];
                if (std::string_view(child.name) != name) continue;
                found_[base + static_cast<std::size_t>(idx)] = &m->value;
                if (!child.members.empty() && !child.container_only) {
                    if (m->value.IsObject()) {
                        if (error_code ec = walk(p, base, idx, m->value)) return ec;
                    } else if (!m->value.IsNull()) {
                        return fail(error::unexpected_json_type, json_path(p, idx), "expected a JSON object");
                    }
                }
                break;
            }
        }
        return {};
    }

    static std::string json_path(const program& p, int j)
    {
        std::string path;
        for (; j > 0; j = p.json[static_cast<std::size_t>(j)].parent)
            path.insert(0, path.empty() ? p.json[static_cast<std::size_t>(j)].name
                                        : p.json[static_cast<std::size_t>(j)].name + ".");
        return path;
    }

    bool rule_present(std::size_t base, const rule& r) const
    {
        if (r.kind == rule_kind::list && r.json_nodes[0] == 0) return true;
        if (r.kind == rule_kind::object && !when_holds(base, r)) return false;
        if (r.has_default) return true;
        for (int j : r.json_nodes) {
            const json_value* v = at(base, j);
            if (v && (!v->IsNull() || r.nil || r.kind == rule_kind::lookup)) return true;
        }
        return false;
    }

    bool has_content(const program& p, std::size_t base, int s) const
    {
        const xml_spec_node& spec = p.xml[static_cast<std::size_t>(s)];
        for (int r = spec.out_rule; r >= 0; r = p.rules[static_cast<std::size_t>(r)].fallback)
            if (rule_present(base, p.rules[static_cast<std::size_t>(r)])) return true;
        for (int a : spec.attributes)
            if (has_content(p, base, a)) return true;
        for (int c : spec.elements)
            if (has_content(p, base, c)) return true;
        return false;
    }

    // Every value must parse again with parse_xml: a JSON escape such as \uDC00 (a lone
    // surrogate) decodes to bytes that are not UTF-8, and \u0001 or \uFFFF to characters
    // XML 1.0 forbids (found by the mapping fuzzer).
    error_code check_representable(const rule& r, std::string_view text)
    {
        if (auto problem = xml_text_problem(text); !problem.empty())
            return fail(error::not_representable, r.json_path, problem + ": cannot be written in XML 1.0");
        return {};
    }

    error_code bad(error e, const rule& r, std::string what)
    {
        return fail(e, r.json_path, std::move(what));
    }

    error_code produce_default(const rule& r, produced& result)
    {
        const json_literal& lit = r.default_value;
        switch (lit.type) {
        case json_literal::kind::null: result = produced::null; return {};
        case json_literal::kind::boolean: out_ = lit.boolean ? r.value.true_text : r.value.false_text; break;
        case json_literal::kind::number:
        case json_literal::kind::string: out_ = lit.text; break;
        }
        result = produced::value;
        return {};
    }

    bool when_holds(std::size_t base, const rule& r) const
    {
        return r.when_json_node < 0 || literal_matches(r.when_value, json_scalar(at(base, r.when_json_node)));
    }

    // Converts the rule's JSON value(s) into XML text in `out_`.
    error_code produce(std::size_t base, const rule& r, produced& result)
    {
        result = produced::absent;
        out_.clear();
        const json_value* v = at(base, r.json_nodes[0]);
        switch (r.kind) {
        case rule_kind::scalar: {
            if (!v && r.has_default) return produce_default(r, result);
            if (!v) return {};
            if (v->IsNull()) {
                result = produced::null;
                return {};
            }
            const codec& c = r.value;
            if (c.map) {
                const json_scalar value(v);
                for (const auto& e : c.map->entries)
                    if (e.outbound && literal_matches(e.json[0], value)) {
                        out_ = e.xml;
                        result = produced::value;
                        return {};
                    }
                if (c.map->omit_unmapped_out) return {};
                return bad(error::unmapped_json_value, r, "value has no mapping in '" + c.map->name + "'");
            }
            std::string_view t;
            if (c.type == value_type::boolean) {
                std::optional<bool> b;
                if (v->IsBool()) b = v->GetBool();
                else if (scalar_text(*v, t, scratch_)) b = parse_boolean(t);
                if (!b) return bad(error::invalid_json_value, r, "expected a boolean");
                out_ = *b ? c.true_text : c.false_text;
                result = produced::value;
                return {};
            }
            if (!scalar_text(*v, t, scratch_))
                return bad(v->IsDouble() ? error::invalid_json_value : error::unexpected_json_type, r,
                           "expected a string or number");
            switch (c.type) {
            case value_type::string: out_.assign(t); break;
            case value_type::integer:
                if (!normalize_integer(t, out_)) return bad(error::invalid_json_value, r, "expected an integer");
                break;
            case value_type::decimal:
                if (!normalize_decimal(t, out_)) return bad(error::invalid_json_value, r, "expected a decimal number");
                break;
            case value_type::date: {
                const auto d = parse_date(t, c.json_date);
                if (!d) return bad(error::invalid_json_value, r, "expected a date");
                format_date(*d, c.xml_date, out_);
                break;
            }
            case value_type::mask_last4: mask_all_but_last_four(t, out_); break;
            case value_type::boolean: break;
            }
            result = produced::value;
            return check_representable(r, out_);
        }
        case rule_kind::lookup: {
            bool any = false;
            for (int j : r.json_nodes) any = any || at(base, j) != nullptr;
            if (!any) return {};
            std::vector<json_scalar> values;
            values.reserve(r.json_nodes.size());
            for (int j : r.json_nodes) values.emplace_back(at(base, j));
            for (const auto& e : r.value.map->entries) {
                if (!e.outbound) continue;
                bool all = true;
                for (std::size_t i = 0; i < values.size() && all; ++i)
                    all = literal_matches(e.json[i], values[i]);
                if (all) {
                    out_ = e.xml;
                    result = produced::value;
                    return {};
                }
            }
            return bad(error::unmapped_json_value, r, "combination has no mapping in '" + r.value.map->name + "'");
        }
        case rule_kind::name_split: {
            bool whole = false;
            if (r.cond_json_node >= 0) {
                if (const json_value* cv = at(base, r.cond_json_node)) {
                    std::string_view ct;
                    std::optional<bool> b;
                    if (cv->IsBool()) b = cv->GetBool();
                    else if (scalar_text(*cv, ct, scratch_)) b = parse_boolean(ct);
                    whole = b && *b == r.cond_value;
                }
            }
            const std::size_t parts = whole ? 1 : r.json_nodes.size();
            bool any_null = false;
            for (std::size_t i = 0; i < parts; ++i) {
                const json_value* pv = at(base, r.json_nodes[i]);
                if (!pv) continue;
                if (pv->IsNull()) {
                    any_null = true;
                    continue;
                }
                std::string_view t;
                if (!scalar_text(*pv, t, scratch_)) return bad(error::unexpected_json_type, r, "expected a string");
                if (t.empty()) continue;
                if (!out_.empty()) out_ += ' ';
                out_.append(t);
            }
            if (!out_.empty()) {
                result = produced::value;
                return check_representable(r, out_);
            }
            if (any_null) result = produced::null;
            else if (v) result = produced::value;  // present but empty: ""
            return {};
        }
        case rule_kind::date_parts: {
            const json_value* mv = v;
            const json_value* yv = at(base, r.json_nodes[1]);
            if (!mv || !yv) return {};
            if (mv->IsNull() || yv->IsNull()) {
                result = produced::null;
                return {};
            }
            std::string_view mt, yt;
            std::string ys;
            std::string mnorm, ynorm;
            if (!scalar_text(*mv, mt, scratch_) || !normalize_integer(mt, mnorm) ||
                !scalar_text(*yv, yt, ys) || !normalize_integer(yt, ynorm))
                return bad(error::invalid_json_value, r, "expected a month and a year");
            civil_time tm;
            tm.month = std::atoi(mnorm.c_str());
            tm.year = std::atoi(ynorm.c_str());
            if (tm.month < 1 || tm.month > 12 || tm.year < 1 || tm.year > 9999)
                return bad(error::invalid_json_value, r, "expected a month and a year");
            // An expiry month means "through the end of that month".
            for (tm.day = 31; tm.day > 28; --tm.day) {
                civil_time probe = tm;
                std::string tmp;
                format_date(probe, date_format::iso_date, tmp);
                if (parse_date(tmp, date_format::iso_date)) break;
            }
            format_date(tm, r.value.xml_date, out_);
            result = produced::value;
            return {};
        }
        case rule_kind::list:
        case rule_kind::object:
        case rule_kind::ignore:
            break;
        }
        return {};
    }

    error_code emit_items(const program& p, std::size_t base, const rule& r, pugi::xml_node parent)
    {
        const json_value* v = at(base, r.json_nodes[0]);
        if (!v || v->IsNull()) return {};
        if (!v->IsArray()) return bad(error::unexpected_json_type, r, "expected a JSON array");
        const char* item = p.xml[static_cast<std::size_t>(r.xml_node)].name.c_str();
        std::size_t index = 0;
        for (const auto& element : v->GetArray()) {
            // Messages inside an item name it: Subscriptions[1].Term.
            const std::size_t mark = prefix_.size();
            if (r.json_nodes[0] != 0) prefix_ += r.json_path;
            prefix_ += "[" + std::to_string(index++) + "].";
            pugi::xml_node el = parent.append_child(item);
            error_code ec = run(*r.sub, element, el);
            if (ec) return ec;
            prefix_.resize(mark);
        }
        return {};
    }

    error_code write_value(const program& p, std::size_t base, const rule& first, pugi::xml_node el,
                           bool attribute, const char* name)
    {
        produced result = produced::absent;
        const rule* used = &first;
        // The first source that yields a value wins; a null is kept only if none does.
        for (const rule* r = &first; r; r = r->fallback >= 0 ? &p.rules[static_cast<std::size_t>(r->fallback)] : nullptr) {
            produced here;
            if (error_code ec = produce(base, *r, here)) return ec;
            if (here == produced::value || (here == produced::null && result == produced::absent)) {
                result = here;
                used = r;
            }
            if (here == produced::value) break;
        }
        const rule& r = *used;  // on a value the loop stopped at it, so out_ holds its text
        if (result == produced::absent) return {};
        if (result == produced::null) {
            if (!r.nil || attribute) return {};
            pugi::xml_node child = el.append_child(name);
            child.append_attribute("xsi:nil").set_value("true");
            used_nil_ = true;
            return {};
        }
        if (attribute) {
            el.append_attribute(name).set_value(out_.c_str());
        } else {
            pugi::xml_node child = name ? el.append_child(name) : el;
            if (!out_.empty()) child.append_child(pugi::node_pcdata).set_value(out_.c_str());
        }
        return {};
    }

    error_code emit(const program& p, std::size_t base, int s, pugi::xml_node el)
    {
        const xml_spec_node& spec = p.xml[static_cast<std::size_t>(s)];
        for (int a : spec.attributes) {
            const xml_spec_node& as = p.xml[static_cast<std::size_t>(a)];
            if (as.out_rule < 0) continue;
            if (error_code ec = write_value(p, base, p.rules[static_cast<std::size_t>(as.out_rule)], el,
                                            true, as.name.c_str()))
                return ec;
        }
        if (s == 0 && spec.out_rule >= 0 && p.rules[static_cast<std::size_t>(spec.out_rule)].kind != rule_kind::list)
            return write_value(p, base, p.rules[static_cast<std::size_t>(spec.out_rule)], el, false, nullptr);
        for (int c : spec.elements) {
            const xml_spec_node& cs = p.xml[static_cast<std::size_t>(c)];
            if (cs.out_rule >= 0) {
                const rule& r = p.rules[static_cast<std::size_t>(cs.out_rule)];
                if (r.kind == rule_kind::list) {
                    if (c == r.container_node) {
                        const json_value* v = at(base, r.json_nodes[0]);
                        if (!v || v->IsNull()) continue;
                        if (error_code ec = emit_items(p, base, r, el.append_child(cs.name.c_str()))) return ec;
                    } else if (error_code ec = emit_items(p, base, r, el)) {
                        return ec;
                    }
                    continue;
                }
                if (r.kind == rule_kind::object) {
                    const json_value* v = at(base, r.json_nodes[0]);
                    if (!v || v->IsNull() || !when_holds(base, r)) continue;
                    const std::size_t mark = prefix_.size();
                    if (r.json_nodes[0] != 0) prefix_ += r.json_path + ".";
                    if (error_code ec = run(*r.sub, *v, el.append_child(cs.name.c_str()))) return ec;
                    prefix_.resize(mark);
                    continue;
                }
                if (cs.attributes.empty()) {
                    if (error_code ec = write_value(p, base, r, el, false, cs.name.c_str())) return ec;
                    continue;
                }
                // A value element that also carries attributes.
                if (!has_content(p, base, c)) continue;
                pugi::xml_node child = el.append_child(cs.name.c_str());
                if (error_code ec = emit(p, base, c, child)) return ec;
                if (error_code ec = write_value(p, base, r, child, false, nullptr)) return ec;
                continue;
            }
            if (cs.elements.empty() && cs.attributes.empty()) continue;
            if (!has_content(p, base, c)) continue;
            if (error_code ec = emit(p, base, c, el.append_child(cs.name.c_str()))) return ec;
        }
        return {};
    }

    conversion_report& report_;
    std::vector<const json_value*> found_;
    std::string prefix_;  // JSON path of the list item or object being converted, for messages
    std::string out_;
    std::string scratch_;
    bool used_nil_ = false;
};

} // namespace

error_code run_outbound(const program& p, const rapidjson::Value& root, pugi::xml_node parent,
                        conversion_report& report)
{
    outbound out(report);
    pugi::xml_node el = parent.append_child(p.xml[0].name.c_str());
    error_code ec = out.run(p, root, el);
    if (!ec && out.used_nil()) el.prepend_attribute("xmlns:xsi").set_value(xsi_namespace);
    return ec;
}

} // namespace blubridge::mapping::detail
