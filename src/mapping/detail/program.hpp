#ifndef BLUBRIDGE_MAPPING_DETAIL_PROGRAM_HPP
#define BLUBRIDGE_MAPPING_DETAIL_PROGRAM_HPP

// The compiled form of one mapping: two trees of expected nodes (XML side, JSON side)
// whose leaves point at rules. Request-time code walks these trees by index; it never
// sees YAML and never looks anything up by name except matching the document's own names.

#include <blubridge/mapping/converters.hpp>
#include <blubridge/mapping/update_member.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace blubridge::mapping::detail {

/// A JSON scalar as written in a value map or a default.
struct json_literal {
    enum class kind : std::uint8_t { null, boolean, number, string } type = kind::null;
    bool boolean = false;
    std::string text;  // number or string text
};

struct value_map {
    struct entry {
        std::string xml;
        std::vector<json_literal> json;  // one per JSON member (several for a tuple map)
        bool inbound = true;
        bool outbound = true;
    };
    std::string name;
    bool ignore_case = false;
    bool omit_unmapped_out = false;  // outbound miss writes nothing instead of failing
    std::vector<entry> entries;
    std::size_t arity = 1;
};

enum class value_type : std::uint8_t { string, integer, boolean, decimal, date, mask_last4 };
enum class json_form : std::uint8_t { natural, string, number };

struct codec {
    value_type type = value_type::string;
    date_format xml_date = date_format::iso_date;
    date_format json_date = date_format::billagain;
    json_form form = json_form::natural;
    bool trim = false;  // strings: drop surrounding XML whitespace inbound
    std::string true_text = "true";
    std::string false_text = "false";
    const value_map* map = nullptr;
};

enum class rule_kind : std::uint8_t { scalar, name_split, date_parts, lookup, list, object, ignore };

struct program;

struct rule {
    rule_kind kind = rule_kind::scalar;
    bool inbound = true;
    bool outbound = true;
    bool secret = false;
    bool required = false;
    bool nil = false;  // outbound null written as xsi:nil="true"
    std::string xml_path;   // for messages, relative to the mapping root
    std::string json_path;  // for messages
    std::string refusal;    // `refuse:` (an ignore rule): the element given is refused with this message
    int xml_node = -1;      // XML endpoint (for lists: the item node)
    int container_node = -1;  // lists: the wrapping element, -1 when items sit in the parent
    std::vector<int> json_nodes;  // JSON endpoints, one per part
    codec value;
    bool has_default = false;
    json_literal default_value;
    // name_split: kept whole when the condition member equals cond_value
    int cond_xml_node = -1;
    int cond_json_node = -1;
    bool cond_value = true;
    // lists and objects
    std::size_t max_items = 0;  // 0 = unlimited
    const program* sub = nullptr;
    bool merge = false;  // object whose members go into the current JSON object (json: ".")
    // outbound: the rule tried when this one yields nothing (absent or null)
    int fallback = -1;
    int in_fallback = -1;  // inbound: the rule read instead when this one's XML is absent
    // objects: written outbound only when this member equals when_value
    int when_json_node = -1;
    json_literal when_value;
};

struct xml_spec_node {
    std::string name;
    bool attribute = false;
    int parent = -1;
    std::vector<int> elements;
    std::vector<int> attributes;
    int out_rule = -1;  // rule writing this node outbound
    int out_part = 0;
    int item_rule = -1;    // a list's repeated item node
    int object_rule = -1;  // node handled by a sub-program inbound
    bool ignored = false;  // an `ignore` field: its content is not looked at
};

struct json_spec_node {
    std::string name;
    int parent = -1;
    std::vector<int> members;
    int in_rule = -1;  // rule writing this member inbound
    int in_part = 0;
    bool container_only = false;  // a list/object endpoint: its content belongs to a sub-program
};

enum class unknown_policy : std::uint8_t { reject, ignore };

struct program {
    std::string name;
    unknown_policy unknown = unknown_policy::reject;
    std::vector<xml_spec_node> xml;    // [0] is the root element
    std::vector<json_spec_node> json;  // [0] is the root object (or array for a list wrapper)
    std::vector<rule> rules;
    std::vector<std::pair<std::string, std::string>> roles;
    std::vector<update_member> update_form;  // empty: the mapping declares none
    std::vector<int> merges;        // object rules with json "."
    std::vector<int> validations;   // ignore rules that still check type or value map
    bool json_root_is_array = false;
};

} // namespace blubridge::mapping::detail

#endif
