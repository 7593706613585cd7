// Loading, validating and compiling mappings/*.yaml into a mapping_set.
// Exceptions are fine here (start-up only); every problem is collected before failing so
// one run of --check-config shows them all.

#include "detail/program.hpp"
#include "detail/set_storage.hpp"

#include <blubridge/mapping/converters.hpp>
#include <blubridge/mapping/load_problem.hpp>
#include <blubridge/mapping/mapping_set.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace blubridge::mapping {

std::string load_problem::to_string() const
{
    std::string s = file;
    if (line > 0) s += ':' + std::to_string(line) + ':' + std::to_string(column);
    s += ": ";
    s += message;
    return s;
}

namespace {

std::string join_problems(const std::vector<load_problem>& problems)
{
    std::string s = "invalid mappings:";
    for (const auto& p : problems) s += '\n' + p.to_string();
    return s;
}

} // namespace

load_error::load_error(std::vector<load_problem> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems))
{
}

// Builds one mapping_set; a friend of mapping_set so it can use the private constructor.
class set_builder {
public:
    void add_file(const std::string& name, const std::string& text);
    void add_problem(const std::string& file, int line, int column, std::string message)
    {
        problems_.push_back({file, line, column, std::move(message)});
    }
    std::shared_ptr<const mapping_set> build();
    std::vector<load_problem>& problems() { return problems_; }

private:
    struct decl {
        std::string file;
        YAML::Node node;
    };
    struct table {
        std::vector<std::string> columns;
        std::vector<std::vector<std::string>> rows;
    };

    void problem(const std::string& file, const YAML::Node& at, std::string message)
    {
        const YAML::Mark m = at.Mark();
        if (m.is_null())
            add_problem(file, 0, 0, std::move(message));
        else
            add_problem(file, m.line + 1, m.column + 1, std::move(message));
    }
    // A YAML boolean, or `fallback` when the key is absent; anything else is reported.
    bool bool_of(const std::string& file, const YAML::Node& n, const char* key, bool fallback)
    {
        if (!n) return fallback;
        try {
            return n.as<bool>();
        } catch (const YAML::Exception&) {
            problem(file, n, std::string("'") + key + "' must be true or false");
            return fallback;
        }
    }
    void check_keys(const std::string& file, const YAML::Node& map,
                    std::initializer_list<std::string_view> allowed, std::string_view what);
    void check_duplicate_keys(const std::string& file, const YAML::Node& map);

    void load_tables(const std::string& file, const YAML::Node& n);
    void load_never_outward(const std::string& file, const YAML::Node& n);
    void compile_value_map(const std::string& file, const std::string& name, const YAML::Node& n);
    const detail::program* compile_named(const std::string& name, const std::string& file,
                                         const YAML::Node& at);
    void compile_mapping(detail::program& p, const decl& d);
    void compile_fields(detail::program& p, const std::string& file, const YAML::Node& fields);
    void compile_update_form(detail::program& p, const std::string& file, const YAML::Node& form);
    void compile_field(detail::program& p, const std::string& file, const YAML::Node& f);
    bool parse_codec(const std::string& file, const YAML::Node& f, detail::codec& c);
    int xml_node_for(detail::program& p, const std::string& file, const YAML::Node& at,
                     const std::string& path);
    int json_node_for(detail::program& p, const std::string& file, const YAML::Node& at,
                      const std::string& path);
    bool literal_from_yaml(const YAML::Node& n, detail::json_literal& out);
    bool literal_fits(const detail::json_literal& lit, const detail::codec& c);
    bool is_never_outward_xml(const std::string& path) const;
    bool is_never_outward_json(const std::string& path) const;

    struct pending_condition {
        detail::program* program;
        std::size_t rule;
        YAML::Node node;
    };

    std::vector<load_problem> problems_;
    std::vector<pending_condition> pending_conditions_;
    std::vector<std::pair<std::string, YAML::Node>> value_map_decls_;  // file, node (map)
    std::map<std::string, decl> mapping_decls_;
    std::vector<std::string> mapping_order_;
    std::map<std::string, table> tables_;
    std::set<std::string> never_xml_, never_json_;
    std::map<std::string, const detail::value_map*> value_maps_;
    std::map<std::string, const detail::program*> compiled_;
    std::set<std::string> compiling_;
    std::unique_ptr<mapping_set::storage> storage_ = std::make_unique<mapping_set::storage>();
};

namespace {

std::string last_segment(const std::string& path, char sep)
{
    auto pos = path.rfind(sep);
    std::string s = pos == std::string::npos ? path : path.substr(pos + 1);
    if (!s.empty() && s[0] == '@') s.erase(0, 1);
    return s;
}

bool valid_name(std::string_view s)
{
    if (s.empty()) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
                        static_cast<unsigned char>(c) >= 0x80;
        if (!ok) return false;
    }
    return !(s[0] >= '0' && s[0] <= '9') && s[0] != '-' && s[0] != '.';
}

std::vector<std::string> split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

std::optional<date_format> date_format_from(const std::string& s)
{
    if (s == "billagain") return date_format::billagain;
    if (s == "iso_date") return date_format::iso_date;
    if (s == "compact_minute") return date_format::compact_minute;
    if (s == "day_month_year") return date_format::day_month_year;
    return std::nullopt;
}

} // namespace

void set_builder::check_duplicate_keys(const std::string& file, const YAML::Node& map)
{
    // yaml-cpp keeps both entries of a repeated key and lookups see only one: a silent
    // override that this check turns into an error.
    if (!map.IsMap()) return;
    std::set<std::string> seen;
    for (const auto& kv : map)
        if (!seen.insert(kv.first.Scalar()).second)
            problem(file, kv.first, "key '" + kv.first.Scalar() + "' is given twice");
}

void set_builder::check_keys(const std::string& file, const YAML::Node& map,
                             std::initializer_list<std::string_view> allowed, std::string_view what)
{
    check_duplicate_keys(file, map);
    for (const auto& kv : map) {
        const std::string key = kv.first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            problem(file, kv.first, "unknown key '" + key + "' in " + std::string(what) +
                                        " (expected one of: " + list + ")");
        }
    }
}

void set_builder::add_file(const std::string& name, const std::string& text)
{
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        add_problem(name, e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + e.msg);
        return;
    }
    if (root.IsNull()) return;  // an empty file is allowed
    if (!root.IsMap()) {
        problem(name, root, "a mapping file must be a YAML map");
        return;
    }
    check_keys(name, root, {"description", "mappings", "value_maps", "tables", "never_outward"},
               "a mapping file");
    if (auto t = root["tables"]) load_tables(name, t);
    if (auto n = root["never_outward"]) load_never_outward(name, n);
    if (auto vm = root["value_maps"]) {
        if (!vm.IsMap())
            problem(name, vm, "'value_maps' must be a map of name to value map");
        else
            value_map_decls_.emplace_back(name, vm);
    }
    if (auto ms = root["mappings"]) {
        if (!ms.IsSequence()) {
            problem(name, ms, "'mappings' must be a list");
            return;
        }
        for (const auto& m : ms) {
            if (!m.IsMap() || !m["name"] || !m["name"].IsScalar()) {
                problem(name, m, "a mapping needs a 'name'");
                continue;
            }
            const std::string mname = m["name"].Scalar();
            if (mapping_decls_.count(mname)) {
                problem(name, m["name"], "mapping '" + mname + "' is defined twice (first in " +
                                             mapping_decls_[mname].file + ")");
                continue;
            }
            mapping_decls_[mname] = decl{name, m};
            mapping_order_.push_back(mname);
        }
    }
}

void set_builder::load_tables(const std::string& file, const YAML::Node& n)
{
    if (!n.IsMap()) {
        problem(file, n, "'tables' must be a map of name to table");
        return;
    }
    check_duplicate_keys(file, n);
    for (const auto& kv : n) {
        const std::string name = kv.first.Scalar();
        const YAML::Node t = kv.second;
        check_keys(file, t, {"description", "columns", "rows"}, "a table");
        if (tables_.count(name)) {
            problem(file, kv.first, "table '" + name + "' is defined twice");
            continue;
        }
        table tab;
        if (!t["columns"] || !t["columns"].IsSequence() || !t["rows"] || !t["rows"].IsSequence()) {
            problem(file, kv.first, "table '" + name + "' needs 'columns' and 'rows' lists");
            continue;
        }
        for (const auto& c : t["columns"]) tab.columns.push_back(c.Scalar());
        for (const auto& r : t["rows"]) {
            if (!r.IsSequence() || r.size() != tab.columns.size()) {
                problem(file, r, "table '" + name + "': each row needs " +
                                     std::to_string(tab.columns.size()) + " cells");
                continue;
            }
            std::vector<std::string> row;
            for (const auto& c : r) row.push_back(c.Scalar());
            tab.rows.push_back(std::move(row));
        }
        tables_[name] = std::move(tab);
    }
}

void set_builder::load_never_outward(const std::string& file, const YAML::Node& n)
{
    check_keys(file, n, {"description", "xml", "json"}, "never_outward");
    for (const char* side : {"xml", "json"}) {
        const YAML::Node list = n[side];
        if (!list) continue;
        if (!list.IsSequence()) {
            problem(file, list, std::string("never_outward.") + side + " must be a list of names");
            continue;
        }
        for (const auto& v : list) (side[0] == 'x' ? never_xml_ : never_json_).insert(v.Scalar());
    }
}

bool set_builder::literal_from_yaml(const YAML::Node& n, detail::json_literal& out)
{
    using kind = detail::json_literal::kind;
    if (!n.IsScalar() && !n.IsNull()) return false;
    if (n.IsNull()) {
        out.type = kind::null;
        return true;
    }
    const std::string& s = n.Scalar();
    if (n.Tag() == "!") {  // quoted: always a string
        out.type = kind::string;
        out.text = s;
        return true;
    }
    if (s == "null" || s == "~" || s == "Null" || s == "NULL") {
        out.type = kind::null;
        return true;
    }
    if (auto b = parse_boolean(s); b && s != "1" && s != "0") {
        out.type = kind::boolean;
        out.boolean = *b;
        return true;
    }
    std::string num;
    if (normalize_decimal(s, num) && num == s) {
        out.type = kind::number;
        out.text = s;
        return true;
    }
    out.type = kind::string;
    out.text = s;
    return true;
}

bool set_builder::literal_fits(const detail::json_literal& lit, const detail::codec& c)
{
    using kind = detail::json_literal::kind;
    using vt = detail::value_type;
    if (lit.type == kind::null) return true;
    switch (c.type) {
    case vt::boolean: return lit.type == kind::boolean;
    case vt::integer: {
        std::string tmp;
        return (lit.type == kind::number || lit.type == kind::string) && normalize_integer(lit.text, tmp);
    }
    case vt::decimal: {
        std::string tmp;
        return (lit.type == kind::number || lit.type == kind::string) && normalize_decimal(lit.text, tmp);
    }
    case vt::date: return lit.type == kind::string && parse_date(lit.text, c.json_date).has_value();
    case vt::string:
    case vt::mask_last4: return lit.type == kind::string || lit.type == kind::number;
    }
    return false;
}

void set_builder::compile_value_map(const std::string& file, const std::string& name,
                                    const YAML::Node& n)
{
    check_keys(file, n,
               {"description", "ignore_case", "entries", "table", "xml_column", "json_column", "xml_case",
                "unmapped_out"},
               "a value map");
    auto vm = std::make_unique<detail::value_map>();
    vm->name = name;
    vm->ignore_case = bool_of(file, n["ignore_case"], "ignore_case", false);
    if (auto u = n["unmapped_out"]) {
        if (u.Scalar() == "omit")
            vm->omit_unmapped_out = true;
        else if (u.Scalar() != "error")
            problem(file, u, "'unmapped_out' must be error or omit");
    }
    bool arity_set = false;
    auto add_entry = [&](detail::value_map::entry e, const YAML::Node& at) {
        if (!arity_set) {
            vm->arity = e.json.size();
            arity_set = true;
        } else if (e.json.size() != vm->arity) {
            problem(file, at, "value map '" + name + "': every entry needs " +
                                  std::to_string(vm->arity) + " JSON value(s)");
            return;
        }
        vm->entries.push_back(std::move(e));
    };
    if (auto entries = n["entries"]) {
        if (!entries.IsSequence()) problem(file, entries, "'entries' must be a list");
        for (const auto& en : entries) {
            check_keys(file, en, {"xml", "json", "only"}, "a value map entry");
            detail::value_map::entry e;
            if (!en["xml"] || !en["xml"].IsScalar() || !en["json"]) {
                problem(file, en, "a value map entry needs 'xml' and 'json'");
                continue;
            }
            e.xml = en["xml"].Scalar();
            const YAML::Node j = en["json"];
            bool ok = true;
            if (j.IsSequence()) {
                for (const auto& v : j) {
                    detail::json_literal lit;
                    ok = ok && literal_from_yaml(v, lit);
                    e.json.push_back(lit);
                }
            } else {
                detail::json_literal lit;
                ok = literal_from_yaml(j, lit);
                e.json.push_back(lit);
            }
            if (!ok) {
                problem(file, j, "value map JSON values must be scalars");
                continue;
            }
            if (auto only = en["only"]) {
                const std::string o = only.Scalar();
                if (o == "in")
                    e.outbound = false;
                else if (o == "out")
                    e.inbound = false;
                else
                    problem(file, only, "'only' must be 'in' or 'out'");
            }
            add_entry(std::move(e), en);
        }
    }
    if (auto t = n["table"]) {
        const std::string tname = t.Scalar();
        auto it = tables_.find(tname);
        if (it == tables_.end()) {
            problem(file, t, "unknown table '" + tname + "'");
        } else {
            const auto& tab = it->second;
            auto find_column = [&](const YAML::Node& c) -> int {
                auto pos = std::find(tab.columns.begin(), tab.columns.end(), c.Scalar());
                if (pos == tab.columns.end()) {
                    problem(file, c, "table '" + tname + "' has no column '" + c.Scalar() + "'");
                    return -1;
                }
                return static_cast<int>(pos - tab.columns.begin());
            };
            auto column = [&](const char* key) -> int {
                if (!n[key]) {
                    problem(file, n, std::string("a table value map needs '") + key + "'");
                    return -1;
                }
                return find_column(n[key]);
            };
            // xml_column may list several columns: each row is then found by any of them
            // (a country by its name, common name or code), the first listed spelling first.
            std::vector<int> xml_columns;
            if (n["xml_column"] && n["xml_column"].IsSequence()) {
                for (const auto& c : n["xml_column"]) xml_columns.push_back(find_column(c));
            } else {
                xml_columns.push_back(column("xml_column"));
            }
            const bool columns_ok = std::none_of(xml_columns.begin(), xml_columns.end(), [](int c) { return c < 0; });
            const int jc = column("json_column");
            std::string xml_case = n["xml_case"] ? n["xml_case"].Scalar() : "as_is";
            if (xml_case != "as_is" && xml_case != "lower" && xml_case != "upper")
                problem(file, n["xml_case"], "'xml_case' must be as_is, lower or upper");
            std::set<std::string> spelled;  // a name that two columns share is one entry
            if (columns_ok && !xml_columns.empty() && jc >= 0) {
                for (const int xc : xml_columns)
                for (const auto& row : tab.rows) {
                    detail::value_map::entry e;
                    e.xml = row[static_cast<std::size_t>(xc)];
                    for (auto& ch : e.xml) {
                        if (xml_case == "lower" && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
                        if (xml_case == "upper" && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
                    }
                    if (!spelled.insert(e.xml).second) continue;
                    detail::json_literal lit;
                    lit.type = detail::json_literal::kind::string;
                    lit.text = row[static_cast<std::size_t>(jc)];
                    e.json.push_back(std::move(lit));
                    add_entry(std::move(e), t);
                }
            }
        }
    }
    if (vm->entries.empty()) problem(file, n, "value map '" + name + "' has no entries");
    value_maps_[name] = vm.get();
    storage_->maps.push_back(std::move(vm));
}

bool set_builder::parse_codec(const std::string& file, const YAML::Node& f, detail::codec& c)
{
    using vt = detail::value_type;
    bool ok = true;
    const std::string type = f["type"] ? f["type"].Scalar() : "string";
    if (type == "string") c.type = vt::string;
    else if (type == "integer") c.type = vt::integer;
    else if (type == "boolean") c.type = vt::boolean;
    else if (type == "decimal") c.type = vt::decimal;
    else if (type == "date") c.type = vt::date;
    else if (type == "mask_last4") c.type = vt::mask_last4;
    else {
        problem(file, f["type"], "unknown converter '" + type +
                                     "' (expected string, integer, boolean, decimal, date, mask_last4)");
        ok = false;
    }
    for (const char* key : {"xml_format", "json_format"}) {
        if (auto n = f[key]) {
            auto fmt = date_format_from(n.Scalar());
            if (!fmt) {
                problem(file, n, "unknown date format '" + n.Scalar() +
                                     "' (expected billagain, iso_date, compact_minute, day_month_year)");
                ok = false;
            } else if (c.type != vt::date && !(f["composite"] && key[0] == 'x')) {
                problem(file, n, std::string("'") + key + "' only applies to type date");
                ok = false;
            } else {
                (key[0] == 'x' ? c.xml_date : c.json_date) = *fmt;
            }
        }
    }
    if (auto n = f["json_as"]) {
        const std::string s = n.Scalar();
        if (s == "string") c.form = detail::json_form::string;
        else if (s == "number") c.form = detail::json_form::number;
        else {
            problem(file, n, "'json_as' must be string or number");
            ok = false;
        }
    }
    c.trim = bool_of(file, f["trim"], "trim", false);
    if (auto n = f["true_text"]) c.true_text = n.Scalar();
    if (auto n = f["false_text"]) c.false_text = n.Scalar();
    if ((f["true_text"] || f["false_text"]) && c.type != vt::boolean) {
        problem(file, f["true_text"] ? f["true_text"] : f["false_text"],
                "'true_text'/'false_text' only apply to type boolean");
        ok = false;
    }
    if (auto n = f["map"]) {
        auto it = value_maps_.find(n.Scalar());
        if (it == value_maps_.end()) {
            problem(file, n, "unknown value map '" + n.Scalar() + "'");
            ok = false;
        } else {
            c.map = it->second;
            for (const auto& e : c.map->entries) {
                for (const auto& lit : e.json) {
                    if (!literal_fits(lit, c)) {
                        problem(file, n, "type mismatch: value map '" + n.Scalar() + "' has JSON value '" +
                                             (lit.type == detail::json_literal::kind::boolean
                                                  ? std::string(lit.boolean ? "true" : "false")
                                                  : lit.text) +
                                             "' which is not a " + type);
                        return false;
                    }
                }
            }
        }
    }
    return ok;
}

int set_builder::xml_node_for(detail::program& p, const std::string& file, const YAML::Node& at,
                              const std::string& path)
{
    if (path == ".") return 0;
    const auto segments = split(path, '/');
    int cur = 0;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        std::string seg = segments[i];
        const bool attr = !seg.empty() && seg[0] == '@';
        if (attr) seg.erase(0, 1);
        if (!valid_name(seg) || (attr && i + 1 != segments.size())) {
            problem(file, at, "invalid XML path '" + path + "'");
            return -1;
        }
        const auto& list = attr ? p.xml[static_cast<std::size_t>(cur)].attributes
                                : p.xml[static_cast<std::size_t>(cur)].elements;
        int found = -1;
        for (int idx : list)
            if (p.xml[static_cast<std::size_t>(idx)].name == seg) found = idx;
        // An attribute and an element of one name under one parent would be
        // indistinguishable to every JSON consumer: refuse rather than lose data.
        const auto& other = attr ? p.xml[static_cast<std::size_t>(cur)].elements
                                 : p.xml[static_cast<std::size_t>(cur)].attributes;
        for (int idx : other)
            if (p.xml[static_cast<std::size_t>(idx)].name == seg) {
                problem(file, at, "XML path '" + path + "': '" + seg +
                                      "' is declared both as an attribute and as an element");
                return -1;
            }
        if (found < 0) {
            detail::xml_spec_node node;
            node.name = seg;
            node.attribute = attr;
            node.parent = cur;
            found = static_cast<int>(p.xml.size());
            p.xml.push_back(std::move(node));
            auto& parent = p.xml[static_cast<std::size_t>(cur)];
            (attr ? parent.attributes : parent.elements).push_back(found);
        }
        cur = found;
    }
    return cur;
}

int set_builder::json_node_for(detail::program& p, const std::string& file, const YAML::Node& at,
                               const std::string& path)
{
    if (path == ".") return 0;
    const auto segments = split(path, '.');
    int cur = 0;
    for (const auto& seg : segments) {
        if (seg.empty()) {
            problem(file, at, "invalid JSON path '" + path + "'");
            return -1;
        }
        int found = -1;
        for (int idx : p.json[static_cast<std::size_t>(cur)].members)
            if (p.json[static_cast<std::size_t>(idx)].name == seg) found = idx;
        if (found < 0) {
            detail::json_spec_node node;
            node.name = seg;
            node.parent = cur;
            found = static_cast<int>(p.json.size());
            p.json.push_back(std::move(node));
            p.json[static_cast<std::size_t>(cur)].members.push_back(found);
        }
        cur = found;
    }
    return cur;
}

bool set_builder::is_never_outward_xml(const std::string& path) const
{
    return never_xml_.count(last_segment(path, '/')) != 0;
}

bool set_builder::is_never_outward_json(const std::string& path) const
{
    return never_json_.count(last_segment(path, '.')) != 0;
}

const detail::program* set_builder::compile_named(const std::string& name, const std::string& file,
                                                  const YAML::Node& at)
{
    if (auto it = compiled_.find(name); it != compiled_.end()) return it->second;
    auto d = mapping_decls_.find(name);
    if (d == mapping_decls_.end()) {
        problem(file, at, "unknown mapping '" + name + "'");
        return nullptr;
    }
    if (compiling_.count(name)) {
        problem(file, at, "mapping '" + name + "' refers to itself");
        return nullptr;
    }
    compiling_.insert(name);
    auto p = std::make_unique<detail::program>();
    p->name = name;
    detail::program* raw = p.get();
    storage_->programs.push_back(std::move(p));
    compile_mapping(*raw, d->second);
    compiling_.erase(name);
    compiled_[name] = raw;
    return raw;
}

void set_builder::compile_mapping(detail::program& p, const decl& d)
{
    const YAML::Node& m = d.node;
    check_keys(d.file, m, {"name", "description", "xml_root", "unknown", "roles", "update_form", "fields"},
               "a mapping");
    detail::xml_spec_node root;
    if (!m["xml_root"] || !valid_name(m["xml_root"].Scalar()))
        problem(d.file, m, "mapping '" + p.name + "' needs a valid 'xml_root'");
    else
        root.name = m["xml_root"].Scalar();
    p.xml.push_back(std::move(root));
    p.json.emplace_back();
    if (auto u = m["unknown"]) {
        if (u.Scalar() == "ignore")
            p.unknown = detail::unknown_policy::ignore;
        else if (u.Scalar() != "reject")
            problem(d.file, u, "'unknown' must be reject or ignore");
    }
    if (auto r = m["roles"]) {
        check_duplicate_keys(d.file, r);
        if (!r.IsMap())
            problem(d.file, r, "'roles' must map role names to JSON paths");
        else
            for (const auto& kv : r) p.roles.emplace_back(kv.first.Scalar(), kv.second.Scalar());
    }
    if (auto u = m["update_form"]) compile_update_form(p, d.file, u);
    if (!m["fields"] || !m["fields"].IsSequence()) {
        problem(d.file, m, "mapping '" + p.name + "' needs a 'fields' list");
        return;
    }
    compile_fields(p, d.file, m["fields"]);
}

// `update_form:` lists the members the API's update takes: a name (read under the same name)
// or `{ send: X, read: Y, replaced_by: Z }` (read and replaced_by optional) where the record is
// read as Y and Z's presence leaves X out. Each member once.
void set_builder::compile_update_form(detail::program& p, const std::string& file, const YAML::Node& form)
{
    if (!form.IsSequence()) {
        problem(file, form, "'update_form' must be a list of member names or {send, read} maps");
        return;
    }
    for (const auto& item : form) {
        update_member member;
        if (item.IsScalar()) {
            member.send = member.read = item.Scalar();
        } else if (item.IsMap() && item["send"] && item["send"].IsScalar()) {
            check_keys(file, item, {"send", "read", "replaced_by"}, "an update_form member");
            member.send = item["send"].Scalar();
            member.read = item["read"] && item["read"].IsScalar() ? item["read"].Scalar() : member.send;
            if (item["replaced_by"] && item["replaced_by"].IsScalar()) member.replaced_by = item["replaced_by"].Scalar();
        } else {
            problem(file, item, "an update_form member is a name or { send: <name>, read: <name>, replaced_by: <name> }");
            continue;
        }
        if (member.send.empty() || member.read.empty()) {
            problem(file, item, "an update_form member needs a non-empty name");
            continue;
        }
        for (const auto& seen : p.update_form)
            if (seen.send == member.send) problem(file, item, "update_form lists '" + member.send + "' twice");
        p.update_form.push_back(std::move(member));
    }
}

void set_builder::compile_fields(detail::program& p, const std::string& file, const YAML::Node& fields)
{
    const std::size_t first_pending = pending_conditions_.size();
    for (const auto& f : fields) {
        if (!f.IsMap()) {
            problem(file, f, "a field must be a map");
            continue;
        }
        try {
            compile_field(p, file, f);
        } catch (const YAML::Exception& e) {
            // e.g. `max: many` where a number belongs: report it and go on with the next field.
            add_problem(file, e.mark.line + 1, e.mark.column + 1, e.msg);
        }
    }
    for (std::size_t i = first_pending; i < pending_conditions_.size(); ++i) {
        const auto& pc = pending_conditions_[i];
        auto& r = pc.program->rules[pc.rule];
        r.cond_xml_node = xml_node_for(*pc.program, file, pc.node["xml"], pc.node["xml"].Scalar());
        r.cond_json_node = json_node_for(*pc.program, file, pc.node["json"], pc.node["json"].Scalar());
    }
    pending_conditions_.resize(first_pending);
    // A node that carries its own text cannot also have child elements (mixed content).
    for (const auto& n : p.xml) {
        if (n.out_rule >= 0 && !n.elements.empty() &&
            p.rules[static_cast<std::size_t>(n.out_rule)].kind != detail::rule_kind::list &&
            p.rules[static_cast<std::size_t>(n.out_rule)].kind != detail::rule_kind::object)
            add_problem(file, 0, 0, "mapping '" + p.name + "': element '" + n.name +
                                        "' is written both as a value and as a parent of elements");
    }
}

void set_builder::compile_field(detail::program& p, const std::string& file, const YAML::Node& f)
{
    using kind = detail::rule_kind;
    check_keys(file, f,
               {"xml", "json", "type", "direction", "secret", "default", "required", "nil", "map",
                "xml_format", "json_format", "json_as", "true_text", "false_text", "composite",
                "whole_when", "list", "object", "ignore", "refuse", "when", "trim", "fallback", "note"},
               "a field");
    detail::rule r;
    std::optional<YAML::Node> condition;
    const std::size_t index = p.rules.size();
    const std::string xml_path = f["xml"] ? f["xml"].Scalar() : "";
    std::vector<std::string> json_paths;
    if (auto j = f["json"]) {
        if (j.IsSequence())
            for (const auto& v : j) json_paths.push_back(v.Scalar());
        else
            json_paths.push_back(j.Scalar());
    }
    r.xml_path = xml_path;
    for (const auto& jp : json_paths) r.json_path += (r.json_path.empty() ? "" : "+") + jp;
    const std::string label = "field '" + (xml_path.empty() ? r.json_path : xml_path) + "'";

    if (auto d = f["direction"]) {
        const std::string s = d.Scalar();
        if (s == "in") r.outbound = false;
        else if (s == "out") r.inbound = false;
        else if (s != "both") problem(file, d, "'direction' must be in, out or both");
    }
    auto flag = [&](const char* key) {
        const YAML::Node n = f[key];
        if (!n) return false;
        try {
            return n.as<bool>();
        } catch (const YAML::Exception&) {
            problem(file, n, std::string("'") + key + "' must be true or false");
            return false;
        }
    };
    r.secret = flag("secret");
    r.required = flag("required");
    r.nil = flag("nil");
    // `refuse: "why"`: an element the other API cannot take at all. Known (never "unknown
    // element") and never forwarded, like `ignore`, but given it fails the request with the why.
    if (auto why = f["refuse"]) {
        if (!why.IsScalar() || why.Scalar().empty()) problem(file, why, "'refuse' needs the reason as text");
        else r.refusal = why.Scalar();
    }
    const bool ignore = flag("ignore") || !r.refusal.empty();
    if (!parse_codec(file, f, r.value)) return;

    // Kind
    if (ignore) {
        r.kind = kind::ignore;
        r.outbound = false;
    } else if (f["list"]) {
        r.kind = kind::list;
    } else if (f["object"]) {
        r.kind = kind::object;
    } else if (auto c = f["composite"]) {
        if (c.Scalar() == "name_split") r.kind = kind::name_split;
        else if (c.Scalar() == "date_parts") r.kind = kind::date_parts;
        else {
            problem(file, c, "unknown composite '" + c.Scalar() + "' (expected name_split, date_parts)");
            return;
        }
        if (json_paths.size() != 2) {
            problem(file, c, "composite '" + c.Scalar() + "' needs exactly two JSON members");
            return;
        }
    } else if (json_paths.size() > 1) {
        r.kind = kind::lookup;
        if (!r.value.map || r.value.map->arity != json_paths.size()) {
            problem(file, f["json"], label + ": several JSON members need a value map with " +
                                         std::to_string(json_paths.size()) + " values per entry");
            return;
        }
    }
    if (r.kind != kind::lookup && r.value.map && r.value.map->arity != 1) {
        problem(file, f["map"], label + ": value map '" + r.value.map->name +
                                    "' has several JSON values per entry; list as many JSON members");
        return;
    }

    // Direction and secrecy checks
    if (r.secret && r.outbound) {
        problem(file, f, label + " is secret and cannot be mapped outward (use direction: in)");
        return;
    }
    if (r.outbound && r.value.type != detail::value_type::mask_last4) {
        if (!xml_path.empty() && is_never_outward_xml(xml_path))
            problem(file, f, label + ": '" + last_segment(xml_path, '/') +
                                 "' must never be returned (never_outward); use direction: in");
        for (const auto& jp : json_paths)
            if (is_never_outward_json(jp))
                problem(file, f, label + ": JSON member '" + jp +
                                     "' must never be returned (never_outward); use direction: in");
    }
    if (r.value.type == detail::value_type::mask_last4 && r.inbound) {
        problem(file, f, label + ": mask_last4 only works outward (direction: out)");
        return;
    }
    if (auto d = f["default"]) {
        if (!literal_from_yaml(d, r.default_value) || !literal_fits(r.default_value, r.value)) {
            problem(file, d, "type mismatch: default '" + d.Scalar() + "' is not a valid " +
                                 (f["type"] ? f["type"].Scalar() : std::string("string")));
            return;
        }
        r.has_default = true;
        if (r.outbound && xml_path.empty()) r.outbound = false;  // a constant only goes in
    }

    // Endpoints: "path to nowhere" checks
    if (r.kind == kind::ignore) {
        if (xml_path.empty() || !json_paths.empty()) {
            problem(file, f, label + ": 'ignore' needs 'xml' and no 'json'");
            return;
        }
    } else {
        if (json_paths.empty()) {
            problem(file, f, label + " maps to nowhere: it needs 'json' (or 'ignore: true')");
            return;
        }
        if (xml_path.empty() && !(r.has_default && !r.outbound)) {
            problem(file, f, label + " maps to nowhere: it needs 'xml' (or a 'default' for a constant)");
            return;
        }
    }
    if (!r.inbound && !r.outbound) {
        problem(file, f, label + " goes in no direction");
        return;
    }

    if ((r.kind == kind::list || r.kind == kind::object) && xml_path == ".") {
        problem(file, f["xml"], label + ": a list or object needs an element path, not '.'");
        return;
    }
    if (!xml_path.empty()) {
        r.xml_node = xml_node_for(p, file, f["xml"], xml_path);
        if (r.xml_node < 0) return;
        // A list item or an object belongs wholly to its sub-mapping: a field declared under
        // it here would never be read.
        for (int a = p.xml[static_cast<std::size_t>(r.xml_node)].parent; a > 0;
             a = p.xml[static_cast<std::size_t>(a)].parent) {
            const auto& anc = p.xml[static_cast<std::size_t>(a)];
            if (anc.item_rule >= 0 || anc.object_rule >= 0) {
                problem(file, f, label + ": fields under '" + anc.name + "' belong in its list or object sub-mapping");
                return;
            }
        }
        const auto& self = p.xml[static_cast<std::size_t>(r.xml_node)];
        if ((r.kind == kind::list || r.kind == kind::object) && (!self.elements.empty() || !self.attributes.empty())) {
            problem(file, f, label + ": fields are already declared under '" + self.name +
                                 "'; they belong in its list or object sub-mapping");
            return;
        }
    }
    for (const auto& jp : json_paths) {
        const int n = json_node_for(p, file, f["json"], jp);
        if (n < 0) return;
        r.json_nodes.push_back(n);
    }
    if (r.json_nodes.size() == 1 && r.json_nodes[0] == 0 && r.kind != kind::list && r.kind != kind::object) {
        problem(file, f["json"], label + ": only a list or an object can be the JSON root '.'");
        return;
    }
    if (auto w = f["when"]) {
        check_keys(file, w, {"json", "equals"}, "when");
        if (r.kind != kind::object || !w["json"] || !w["equals"] ||
            !literal_from_yaml(w["equals"], r.when_value)) {
            problem(file, w, "'when' applies to objects and needs 'json' and 'equals'");
            return;
        }
        r.when_json_node = json_node_for(p, file, w["json"], w["json"].Scalar());
    }

    if (auto w = f["whole_when"]) {
        check_keys(file, w, {"xml", "json", "equals"}, "whole_when");
        if (r.kind != kind::name_split || !w["xml"] || !w["json"]) {
            problem(file, w, "'whole_when' applies to composite name_split and needs 'xml' and 'json'");
            return;
        }
        // Resolved after all fields so the condition's own field keeps its place in the output order.
        condition = w;
        r.cond_value = bool_of(file, w["equals"], "equals", true);
    }

    // Lists and objects
    if (r.kind == kind::list || r.kind == kind::object) {
        const YAML::Node spec = r.kind == kind::list ? f["list"] : f["object"];
        check_keys(file, spec, {"max", "mapping", "fields"}, r.kind == kind::list ? "list" : "object");
        if (spec["max"]) {
            if (r.kind != kind::list) problem(file, spec["max"], "'max' applies to lists");
            try {
                r.max_items = spec["max"].as<std::size_t>();
            } catch (const YAML::Exception&) {
                r.max_items = 0;
            }
            if (r.max_items == 0) {
                problem(file, spec["max"], "'max' must be a positive integer");
                return;
            }
        }
        if (spec["mapping"] && spec["fields"]) {
            problem(file, spec, "give either 'mapping' or 'fields', not both");
            return;
        }
        if (spec["mapping"]) {
            r.sub = compile_named(spec["mapping"].Scalar(), file, spec["mapping"]);
        } else if (spec["fields"]) {
            auto sub = std::make_unique<detail::program>();
            sub->name = p.name + "/" + xml_path;
            sub->unknown = p.unknown;
            detail::xml_spec_node root;
            root.name = last_segment(xml_path, '/');
            sub->xml.push_back(std::move(root));
            sub->json.emplace_back();
            detail::program* raw = sub.get();
            storage_->programs.push_back(std::move(sub));
            compile_fields(*raw, file, spec["fields"]);
            r.sub = raw;
        } else {
            problem(file, spec, label + ": a list or object needs 'mapping' or 'fields'");
            return;
        }
        if (!r.sub) return;
        if (r.kind == kind::list && xml_path.find('/') != std::string::npos)
            r.container_node = p.xml[static_cast<std::size_t>(r.xml_node)].parent;
        if (r.json_nodes[0] == 0 && r.kind == kind::list) p.json_root_is_array = true;
        if (r.json_nodes[0] == 0 && r.kind == kind::object) r.merge = true;
        if (!r.merge) p.json[static_cast<std::size_t>(r.json_nodes[0])].container_only = true;
    }

    // An inward fallback: a second source for a JSON member, read when the XML of the field
    // that writes it is absent (a country by name when countryCode is not given).
    const bool fallback = bool_of(file, f["fallback"], "fallback", false);
    const bool inward_fallback = fallback && r.inbound && !r.outbound;
    if (inward_fallback) {
        const bool value_kind = r.kind != kind::list && r.kind != kind::object && r.kind != kind::ignore &&
                                r.json_nodes.size() == 1;
        const int primary = r.json_nodes.empty() ? -1 : p.json[static_cast<std::size_t>(r.json_nodes[0])].in_rule;
        if (!value_kind || primary < 0 || r.has_default) {
            problem(file, f, label + ": 'fallback' with direction: in needs one JSON member an earlier field writes (and no default)");
            return;
        }
        int last = primary;
        while (p.rules[static_cast<std::size_t>(last)].in_fallback >= 0)
            last = p.rules[static_cast<std::size_t>(last)].in_fallback;
        p.rules[static_cast<std::size_t>(last)].in_fallback = static_cast<int>(index);
    }

    // Duplicate targets, per direction
    if (r.inbound && !r.merge && !inward_fallback) {
        for (std::size_t part = 0; part < r.json_nodes.size(); ++part) {
            auto& jn = p.json[static_cast<std::size_t>(r.json_nodes[part])];
            if (jn.in_rule >= 0) {
                problem(file, f, label + ": duplicate target: JSON member '" + json_paths[part] +
                                     "' is already written by field '" +
                                     p.rules[static_cast<std::size_t>(jn.in_rule)].xml_path + "'");
                return;
            }
            if (!jn.members.empty() && !jn.container_only) {
                problem(file, f, label + ": JSON member '" + json_paths[part] + "' is an object of other fields");
                return;
            }
        }
    }
    if (fallback && !inward_fallback) {
        // A second source for an XML value, used when the first yields nothing.
        const bool value_kind = r.kind != kind::list && r.kind != kind::object && r.kind != kind::ignore;
        const int primary = r.xml_node >= 0 ? p.xml[static_cast<std::size_t>(r.xml_node)].out_rule : -1;
        if (!r.outbound || r.inbound || !value_kind || primary < 0) {
            problem(file, f, label + ": 'fallback' needs direction: out (or in) and an earlier field writing the same value");
            return;
        }
        int last = primary;
        while (p.rules[static_cast<std::size_t>(last)].fallback >= 0) last = p.rules[static_cast<std::size_t>(last)].fallback;
        p.rules[static_cast<std::size_t>(last)].fallback = static_cast<int>(index);
    }
    if (r.outbound && !fallback) {
        const int target = r.kind == kind::list && r.container_node >= 0 ? r.container_node : r.xml_node;
        auto& xn = p.xml[static_cast<std::size_t>(target)];
        if (xn.out_rule >= 0) {
            problem(file, f, label + ": duplicate target: XML '" + xml_path +
                                 "' is already written by JSON '" +
                                 p.rules[static_cast<std::size_t>(xn.out_rule)].json_path + "'");
            return;
        }
    }
    if (r.merge && r.inbound) p.merges.push_back(static_cast<int>(index));
    if (r.kind == kind::ignore && (r.value.map || r.value.type != detail::value_type::string || !r.refusal.empty()))
        p.validations.push_back(static_cast<int>(index));
    if (r.inbound && !r.merge && !inward_fallback)
        for (std::size_t part = 0; part < r.json_nodes.size(); ++part) {
            auto& jn = p.json[static_cast<std::size_t>(r.json_nodes[part])];
            jn.in_rule = static_cast<int>(index);
            jn.in_part = static_cast<int>(part);
        }
    if (r.outbound && !fallback) {
        const int target = r.kind == kind::list && r.container_node >= 0 ? r.container_node : r.xml_node;
        p.xml[static_cast<std::size_t>(target)].out_rule = static_cast<int>(index);
    }
    if (r.kind == kind::list) p.xml[static_cast<std::size_t>(r.xml_node)].item_rule = static_cast<int>(index);
    if (r.kind == kind::object) p.xml[static_cast<std::size_t>(r.xml_node)].object_rule = static_cast<int>(index);
    if (r.kind == kind::ignore) p.xml[static_cast<std::size_t>(r.xml_node)].ignored = true;
    if (condition) pending_conditions_.push_back({&p, index, *condition});
    p.rules.push_back(std::move(r));
}

std::shared_ptr<const mapping_set> set_builder::build()
{
    for (const auto& [file, vms] : value_map_decls_)
        for (const auto& kv : vms) {
            const std::string name = kv.first.Scalar();
            if (value_maps_.count(name)) {
                problem(file, kv.first, "value map '" + name + "' is defined twice");
                continue;
            }
            try {
                compile_value_map(file, name, kv.second);
            } catch (const YAML::Exception& e) {
                add_problem(file, e.mark.line + 1, e.mark.column + 1, e.msg);
            }
        }
    for (const auto& name : mapping_order_) {
        const auto& d = mapping_decls_[name];
        compile_named(name, d.file, d.node);
    }
    if (mapping_order_.empty() && problems_.empty())
        add_problem("(mappings)", 0, 0, "no mapping is defined");
    if (!problems_.empty()) return nullptr;

    for (const auto& name : mapping_order_)
        storage_->named.push_back(std::unique_ptr<dto_mapping>(new dto_mapping(*compiled_[name])));
    std::set<std::string> xml_names(never_xml_.begin(), never_xml_.end());
    std::set<std::string> json_names(never_json_.begin(), never_json_.end());
    for (const auto& prog : storage_->programs)
        for (const auto& r : prog->rules)
            if (r.secret) {
                if (r.xml_node >= 0) xml_names.insert(prog->xml[static_cast<std::size_t>(r.xml_node)].name);
                for (int j : r.json_nodes) json_names.insert(prog->json[static_cast<std::size_t>(j)].name);
            }
    storage_->secret_xml_names.assign(xml_names.begin(), xml_names.end());
    storage_->secret_json_names.assign(json_names.begin(), json_names.end());
    return std::shared_ptr<const mapping_set>(new mapping_set(std::move(storage_)));
}

namespace {

std::vector<std::pair<std::string, std::string>>
read_dir(const std::filesystem::path& dir, std::vector<load_problem>& problems)
{
    std::vector<std::pair<std::string, std::string>> files;
    std::error_code ec;
    std::vector<std::filesystem::path> paths;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".yaml") paths.push_back(it->path());
    if (ec) {
        problems.push_back({dir.string(), 0, 0, "cannot read directory: " + ec.message()});
        return files;
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        if (!in) {
            problems.push_back({p.string(), 0, 0, "cannot read file"});
            continue;
        }
        files.emplace_back(p.string(), ss.str());
    }
    return files;
}

std::pair<std::shared_ptr<const mapping_set>, std::vector<load_problem>>
build_from(const std::vector<std::pair<std::string, std::string>>& files,
           std::vector<load_problem> early)
{
    set_builder b;
    for (auto& p : early) b.problems().push_back(std::move(p));
    for (const auto& [name, text] : files) b.add_file(name, text);
    std::shared_ptr<const mapping_set> set;
    try {
        set = b.build();
    } catch (const YAML::Exception& e) {
        // A badly shaped node (e.g. a list where a scalar belongs) surfaces as an exception
        // from yaml-cpp's accessors; report it with its mark rather than crash.
        b.add_problem("(mappings)", e.mark.line + 1, e.mark.column + 1, e.msg);
        set = nullptr;
    }
    return {b.problems().empty() ? set : nullptr, std::move(b.problems())};
}

} // namespace

std::shared_ptr<const mapping_set> load_mappings(const std::filesystem::path& dir)
{
    std::vector<load_problem> problems;
    auto files = read_dir(dir, problems);
    auto [set, all] = build_from(files, std::move(problems));
    if (!set) throw load_error(std::move(all));
    return set;
}

std::shared_ptr<const mapping_set>
load_mappings(const std::vector<std::pair<std::string, std::string>>& files)
{
    auto [set, all] = build_from(files, {});
    if (!set) throw load_error(std::move(all));
    return set;
}

std::vector<load_problem> check_mappings(const std::filesystem::path& dir)
{
    std::vector<load_problem> problems;
    auto files = read_dir(dir, problems);
    return build_from(files, std::move(problems)).second;
}

} // namespace blubridge::mapping
