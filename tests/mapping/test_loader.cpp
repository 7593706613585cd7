#define BOOST_TEST_MODULE mapping_loader
#include <boost/test/unit_test.hpp>

#include <blubridge/mapping/mapping_set.hpp>

#include <filesystem>
#include <fstream>

using namespace blubridge::mapping;

namespace {

std::vector<load_problem> problems_of(const std::string& yaml)
{
    try {
        load_mappings(std::vector<std::pair<std::string, std::string>>{{"bad.yaml", yaml}});
    } catch (const load_error& e) {
        return e.problems();
    }
    return {};
}

bool has(const std::vector<load_problem>& ps, int line, const std::string& needle)
{
    for (const auto& p : ps)
        if (p.line == line && p.message.find(needle) != std::string::npos) return true;
    return false;
}

std::string dump(const std::vector<load_problem>& ps)
{
    std::string s;
    for (const auto& p : ps) s += p.to_string() + "\n";
    return s;
}

const std::string head = "mappings:\n  - name: m\n    xml_root: r\n    fields:\n";  // fields start on line 5

} // namespace

BOOST_AUTO_TEST_CASE(default_mappings_are_valid)
{
    const auto problems = check_mappings(BLUBRIDGE_MAPPINGS_DIR);
    BOOST_TEST(problems.empty(), dump(problems));
    const auto set = load_mappings(BLUBRIDGE_MAPPINGS_DIR);
    for (const char* name : {"customer", "billing_contact", "sales_contact", "customer_list", "autopay",
                             "autopay_list", "status", "add_customer_and_order", "add_customer_and_order_response"})
        BOOST_TEST(set->find(name) != nullptr, name);
}

BOOST_AUTO_TEST_CASE(reports_every_problem_with_line_and_column)
{
    const auto ps = problems_of(head +
                                "      - { xml: a, json: A, type: money }\n"                 // 5 unknown converter
                                "      - { xml: b, json: B }\n"                              // 6
                                "      - { xml: c, json: B }\n"                              // 7 duplicate target
                                "      - { xml: d }\n"                                       // 8 path to nowhere
                                "      - { xml: e, json: E, type: integer, default: abc }\n" // 9 type mismatch
                                "      - { xml: f, json: F, secret: true }\n"                // 10 outward secret
                                "      - { xml: g, json: G, tpye: string }\n"                // 11 unknown key
                                "      - { xml: h, json: H, map: nowhere }\n");              // 12 unknown map
    BOOST_TEST(ps.size() == 7u, dump(ps));
    BOOST_TEST(has(ps, 5, "unknown converter 'money'"), dump(ps));
    BOOST_TEST(has(ps, 7, "duplicate target"), dump(ps));
    BOOST_TEST(has(ps, 8, "maps to nowhere"), dump(ps));
    BOOST_TEST(has(ps, 9, "type mismatch"), dump(ps));
    BOOST_TEST(has(ps, 10, "secret"), dump(ps));
    BOOST_TEST(has(ps, 11, "unknown key 'tpye'"), dump(ps));
    BOOST_TEST(has(ps, 12, "unknown value map 'nowhere'"), dump(ps));
    BOOST_TEST(ps.front().file == "bad.yaml");
    BOOST_TEST(ps.front().column > 0);
    BOOST_TEST(ps.front().to_string().rfind("bad.yaml:5:", 0) == 0);
}

BOOST_AUTO_TEST_CASE(never_outward_data_cannot_be_mapped_out)
{
    const auto ps = problems_of("never_outward: { xml: [cardNumber], json: [Number, Token] }\n" + head +
                                "      - { xml: cardNumber, json: CreditCard.Number }\n"          // 6
                                "      - { xml: token, json: Info.Token, direction: out }\n"      // 7
                                "      - { xml: cardNumber, json: Number, direction: in }\n"      // 8 fine
                                "      - { xml: last4, json: Token, type: mask_last4, direction: out }\n");  // 9 fine
    BOOST_TEST(ps.size() == 3u, dump(ps));  // line 6 breaks the rule on both sides
    BOOST_TEST(has(ps, 6, "'cardNumber' must never be returned"), dump(ps));
    BOOST_TEST(has(ps, 6, "'CreditCard.Number' must never be returned"), dump(ps));
    BOOST_TEST(has(ps, 7, "never be returned"), dump(ps));
}

BOOST_AUTO_TEST_CASE(attribute_element_clash_is_an_error)
{
    const auto ps = problems_of(head + "      - { xml: x/@id, json: A }\n      - { xml: x/id, json: B }\n");
    BOOST_TEST(has(ps, 6, "both as an attribute and as an element"), dump(ps));
}

BOOST_AUTO_TEST_CASE(yaml_syntax_error_has_position)
{
    const auto ps = problems_of("mappings:\n  - name: m\n    xml_root: [unclosed\n");
    BOOST_TEST_REQUIRE(ps.size() == 1u, dump(ps));
    BOOST_TEST(ps[0].message.find("YAML syntax error") != std::string::npos);
    BOOST_TEST(ps[0].line >= 3);
}

BOOST_AUTO_TEST_CASE(bad_references_and_shapes)
{
    const auto ps = problems_of(head +
                                "      - { xml: a, json: [A, B], composite: name_split, whole_when: { xml: k } }\n"  // 5
                                "      - { xml: l, json: L, list: { mapping: missing } }\n"                             // 6
                                "      - { xml: s, json: [S1, S2] }\n"                                                  // 7
                                "      - { xml: 'bad name', json: Z }\n"                                                // 8
                                "      - { xml: q, json: Q, direction: sideways }\n"                                    // 9
                                "  - name: m\n    xml_root: r2\n    fields: []\n");                                    // 10 duplicate
    BOOST_TEST(has(ps, 5, "whole_when"), dump(ps));
    BOOST_TEST(has(ps, 6, "unknown mapping 'missing'"), dump(ps));
    BOOST_TEST(has(ps, 7, "value map"), dump(ps));
    BOOST_TEST(has(ps, 8, "invalid XML path"), dump(ps));
    BOOST_TEST(has(ps, 9, "'direction' must be"), dump(ps));
    BOOST_TEST(has(ps, 10, "defined twice"), dump(ps));
}

BOOST_AUTO_TEST_CASE(badly_typed_settings_are_reported_and_loading_goes_on)
{
    const auto ps = problems_of(head + "      - { xml: l/i, json: L, list: { max: many, fields: [] } }\n"  // 5
                                       "      - { xml: b, json: B, secret: perhaps }\n"                  // 6
                                       "      - { xml: c, json: C, type: nope }\n");                     // 7
    BOOST_TEST(ps.size() == 3u, dump(ps));
    BOOST_TEST(ps[0].line == 5, dump(ps));
    BOOST_TEST(ps[0].file == "bad.yaml");
    BOOST_TEST(has(ps, 6, "'secret' must be true or false"), dump(ps));
    BOOST_TEST(has(ps, 7, "unknown converter"), dump(ps));
}

BOOST_AUTO_TEST_CASE(repeated_yaml_keys_are_errors)
{
    const auto ps = problems_of("mappings:\n  - name: m\n    xml_root: r\n    roles:\n      id: A\n      id: B\n"
                                "    fields:\n      - { xml: a, json: A, xml: b }\n");
    BOOST_TEST(has(ps, 6, "key 'id' is given twice"), dump(ps));
    BOOST_TEST(has(ps, 8, "key 'xml' is given twice"), dump(ps));
}

BOOST_AUTO_TEST_CASE(fields_under_a_list_item_are_refused)
{
    const auto ps = problems_of(head + "      - { xml: os/o, json: O, list: { fields: [ { xml: a, json: A } ] } }\n"
                                       "      - { xml: os/o/b, json: B }\n"
                                       "      - { xml: '.', json: X, object: { fields: [] } }\n");  // line 7
    BOOST_TEST(ps.size() == 2u, dump(ps));
    BOOST_TEST(has(ps, 6, "belong in its list or object sub-mapping"), dump(ps));
    BOOST_TEST(has(ps, 7, "needs an element path"), dump(ps));
}

BOOST_AUTO_TEST_CASE(fallback_needs_an_earlier_outbound_field)
{
    const auto ps = problems_of(head + "      - { xml: a, json: A2, direction: out, fallback: true }\n"   // 5
                                       "      - { xml: b, json: B, direction: out }\n"
                                       "      - { xml: b, json: B2, direction: out, fallback: true }\n"  // fine
                                       "      - { xml: b, json: B3, fallback: true }\n");                // 8 both ways
    BOOST_TEST(ps.size() == 2u, dump(ps));
    BOOST_TEST(has(ps, 5, "'fallback' needs"), dump(ps));
    BOOST_TEST(has(ps, 8, "'fallback' needs"), dump(ps));
}

BOOST_AUTO_TEST_CASE(self_reference_is_an_error)
{
    const auto ps = problems_of(head + "      - { xml: c, json: C, object: { mapping: m } }\n");
    BOOST_TEST(has(ps, 5, "refers to itself"), dump(ps));
}

BOOST_AUTO_TEST_CASE(value_map_type_mismatch)
{
    const auto ps = problems_of("value_maps:\n  yn:\n    entries:\n      - { xml: Y, json: yes-ish }\n" + head +
                                "      - { xml: a, json: A, type: boolean, map: yn }\n");  // line 9
    BOOST_TEST(has(ps, 9, "type mismatch"), dump(ps));
}

BOOST_AUTO_TEST_CASE(bad_directory_is_refused_as_a_whole)
{
    const auto dir = std::filesystem::temp_directory_path() / "blubridge_mapping_loader_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "good.yaml") << "mappings:\n  - name: ok\n    xml_root: r\n    fields:\n      - { xml: a, json: A }\n";
    std::ofstream(dir / "bad.yaml") << "mappings:\n  - name: no\n    xml_root: r\n    fields:\n      - { xml: a, json: A, type: nope }\n";
    const auto ps = check_mappings(dir);
    BOOST_TEST_REQUIRE(ps.size() == 1u, dump(ps));
    BOOST_TEST(ps[0].file == (dir / "bad.yaml").string());
    BOOST_TEST(ps[0].line == 5);
    BOOST_CHECK_THROW(load_mappings(dir), load_error);
    try {
        load_mappings(dir);
    } catch (const load_error& e) {
        BOOST_TEST(std::string(e.what()).find("bad.yaml:5:") != std::string::npos);
    }
    BOOST_TEST(!check_mappings(dir / "missing").empty());
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(an_inward_fallback_needs_an_earlier_field_for_its_member)
{
    const auto ps = problems_of(head + "      - { xml: a, json: A, direction: in, fallback: true }\n"  // 5: no primary
                                       "      - { xml: b, json: B, direction: in }\n"                 // 6
                                       "      - { xml: c, json: B, direction: in, fallback: true }\n"  // 7 fine
                                       "      - { xml: d, json: B, direction: in }\n");               // 8 duplicate
    BOOST_TEST(has(ps, 5, "'fallback' with direction: in needs"), dump(ps));
    BOOST_TEST(!has(ps, 7, "fallback"), dump(ps));
    BOOST_TEST(has(ps, 8, "duplicate target"), dump(ps));
}

BOOST_AUTO_TEST_CASE(refuse_needs_its_reason)
{
    const auto ps = problems_of(head + "      - { xml: a, refuse: \"\" }\n"         // 5
                                       "      - { xml: b, refuse: [x] }\n"           // 6
                                       "      - { xml: c, refuse: \"no\", json: C }\n");  // 7: refuse is an ignore
    BOOST_TEST(has(ps, 5, "'refuse' needs the reason"), dump(ps));
    BOOST_TEST(has(ps, 6, "'refuse' needs the reason"), dump(ps));
    BOOST_TEST(has(ps, 7, "no 'json'"), dump(ps));
}

BOOST_AUTO_TEST_CASE(update_form_members_and_their_read_names)
{
    const auto set = load_mappings(std::vector<std::pair<std::string, std::string>>{
        {"ok.yaml", "mappings:\n  - name: m\n    xml_root: r\n"
                    "    update_form: [A, { send: B, read: Bread }, { send: C, replaced_by: D }]\n"
                    "    fields:\n      - { xml: a, json: A }\n"}});
    const auto form = set->find("m")->update_form();
    BOOST_TEST_REQUIRE(form.size() == 3u);
    BOOST_TEST((form[0].send == "A" && form[0].read == "A" && form[0].replaced_by.empty()));
    BOOST_TEST((form[1].send == "B" && form[1].read == "Bread"));
    BOOST_TEST((form[2].send == "C" && form[2].read == "C" && form[2].replaced_by == "D"));
    BOOST_TEST(load_mappings(BLUBRIDGE_MAPPINGS_DIR)->find("autopay")->update_form().empty());

    const std::string bad_head = "mappings:\n  - name: m\n    xml_root: r\n";
    const auto ps = problems_of(bad_head + "    update_form: [A, A, [x], { read: B }, { send: C, sned: D }]\n"
                                           "    fields:\n      - { xml: a, json: A }\n");  // all on line 4
    BOOST_TEST(has(ps, 4, "lists 'A' twice"), dump(ps));
    BOOST_TEST(has(ps, 4, "a name or { send"), dump(ps));
    BOOST_TEST(has(ps, 4, "sned"), dump(ps));
    BOOST_TEST(problems_of(bad_head + "    update_form: A\n    fields:\n      - { xml: a, json: A }\n").size() == 1u);
}
