#define BOOST_TEST_MODULE directory customer_index
#include <boost/test/unit_test.hpp>

#include "directory/customer_index.hpp"
#include "directory/detail/entry_text.hpp"

#include <algorithm>

namespace bd = blubridge::directory;
using ids = std::vector<bd::customer_id>;

namespace {

struct entry_spec {
    bd::customer_id id = 0;
    std::string reference{}, name{}, last_name{}, company{}, email{};
    bd::status_flags flags{.active = true, .suspended = false};
    bd::unix_seconds created = 0, updated = 0;
};

bd::customer_entry make(const entry_spec& s) {
    bd::customer_entry e;
    e.id = s.id;
    e.fingerprint = s.id * 31;
    e.created = s.created;
    e.updated = s.updated;
    e.flags = s.flags;
    e.text = bd::detail::join_fields(s.reference, s.name, s.last_name, s.company, s.email);
    return e;
}

void put(bd::customer_index& index, const entry_spec& s) { index.put(make(s), {}); }

// Three customers for the query tests, inserted out of id order.
struct query_fixture {
    bd::customer_index index;
    query_fixture() {
        put(index, {.id = 30, .reference = "REF-C", .name = "Carol", .last_name = "Smith", .company = "Globex",
                    .email = "carol@globex.test", .flags = {.active = false, .suspended = false}, .created = 300,
                    .updated = 3000});
        put(index, {.id = 10, .reference = "REF-A", .name = "Alice", .last_name = "Jones", .company = "Acme Ltd",
                    .email = "alice@acme.test", .flags = {.active = true, .suspended = false}, .created = 100,
                    .updated = 1000});
        put(index, {.id = 20, .reference = "ref-b", .name = "Bob", .last_name = "Smith", .company = "",
                    .email = "bob@mail.test", .flags = {.active = true, .suspended = true}, .created = 200,
                    .updated = 2000});
    }
    ids dated(std::optional<bd::unix_seconds> created_from, std::optional<bd::unix_seconds> created_to,
              std::optional<bd::unix_seconds> updated_from, std::optional<bd::unix_seconds> updated_to) const {
        bd::customer_query q;
        q.created_from = created_from;
        q.created_to = created_to;
        q.updated_from = updated_from;
        q.updated_to = updated_to;
        return index.query(q).ids;
    }
    ids search(const std::string& text) const {
        bd::customer_query q;
        q.search = text;
        return index.query(q).ids;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(find_returns_what_was_put) {
    bd::customer_index index;
    put(index, {.id = 5, .reference = "R5", .name = "N", .last_name = "L", .company = "C", .email = "E",
                .flags = {.active = false, .suspended = true}, .created = 11, .updated = 12});
    const auto e = index.find(5);
    BOOST_REQUIRE(e);
    BOOST_TEST(e->text == "R5\x1fN\x1fL\x1f" "C\x1f" "E");  // as given, whatever memory keeps
    BOOST_TEST(e->reference() == "R5");
    BOOST_TEST(e->company() == "C");
    BOOST_TEST(e->fingerprint == 5u * 31);
    BOOST_TEST(e->created == 11);
    BOOST_TEST(e->updated == 12);
    BOOST_TEST(e->flags.suspended);
    BOOST_TEST(!e->flags.active);
    BOOST_TEST(!index.find(6));
    BOOST_TEST(index.size() == 1u);
}

BOOST_AUTO_TEST_CASE(references_find_every_customer_holding_them_ascending) {
    bd::customer_index index;
    put(index, {.id = 9, .reference = "DUP"});
    put(index, {.id = 3, .reference = "DUP"});
    put(index, {.id = 5, .reference = "DUP"});
    put(index, {.id = 4, .reference = "ONE"});
    put(index, {.id = 1, .reference = ""});
    put(index, {.id = 2, .reference = ""});
    BOOST_TEST(index.find_by_reference("DUP") == (ids{3, 5, 9}));
    BOOST_TEST(index.find_by_reference("").empty());  // an empty reference is no reference
    BOOST_TEST(index.find_by_reference("ONE") == (ids{4}));
    BOOST_TEST(index.find_by_reference("dup").empty());  // exact, case-sensitive
    BOOST_TEST(index.find_by_reference("DU").empty());
    BOOST_TEST(index.find_by_reference("none").empty());
}

BOOST_AUTO_TEST_CASE(removing_any_of_the_duplicates_keeps_the_others) {
    bd::customer_index index;
    for (bd::customer_id id = 1; id <= 5; ++id) put(index, {.id = id, .reference = "DUP"});
    BOOST_TEST(index.erase(1));  // the chain's head
    BOOST_TEST(index.find_by_reference("DUP") == (ids{2, 3, 4, 5}));
    BOOST_TEST(index.erase(4));  // inside the chain
    BOOST_TEST(index.find_by_reference("DUP") == (ids{2, 3, 5}));
    BOOST_TEST(!index.erase(4));
    index.erase(ids{2, 5});
    index.shrink_to_fit();
    BOOST_TEST(index.find_by_reference("DUP") == (ids{3}));
    BOOST_TEST(index.erase(3));
    BOOST_TEST(index.find_by_reference("DUP").empty());
    BOOST_TEST(index.size() == 0u);
}

BOOST_AUTO_TEST_CASE(a_changed_reference_moves_in_the_index) {
    bd::customer_index index;
    put(index, {.id = 1, .reference = "OLD"});
    put(index, {.id = 2, .reference = "OLD"});
    put(index, {.id = 1, .reference = "NEW", .name = "renamed"});
    BOOST_TEST(index.find_by_reference("OLD") == (ids{2}));
    BOOST_TEST(index.find_by_reference("NEW") == (ids{1}));
    BOOST_TEST(index.find(1)->name() == "renamed");
    BOOST_TEST(index.size() == 2u);
    put(index, {.id = 1, .reference = ""});
    BOOST_TEST(index.find_by_reference("NEW").empty());
    put(index, {.id = 1, .reference = "OLD"});
    BOOST_TEST(index.find_by_reference("OLD") == (ids{1, 2}));
}

BOOST_AUTO_TEST_CASE(lookups_survive_removals_reuse_and_compaction) {
    bd::customer_index index;
    for (bd::customer_id id = 1; id <= 1000; ++id)
        put(index, {.id = id, .reference = "R" + std::to_string(id % 100), .name = "n" + std::to_string(id)});
    ids odd;
    for (bd::customer_id id = 1; id <= 1000; id += 2) odd.push_back(id);
    index.erase(odd);
    put(index, {.id = 5000, .reference = "R7"});  // takes a freed slot
    index.shrink_to_fit();
    BOOST_TEST(index.size() == 501u);
    BOOST_TEST(!index.find(7));
    BOOST_TEST(index.find(8)->name() == "n8");
    BOOST_TEST(index.find_by_reference("R8") ==
               (ids{8, 108, 208, 308, 408, 508, 608, 708, 808, 908}));
    BOOST_TEST(index.find_by_reference("R7") == (ids{5000}));
    bd::customer_query all;
    all.max = 1000;
    const auto page = index.query(all);
    BOOST_TEST(page.matched == 501u);
    BOOST_TEST(std::is_sorted(page.ids.begin(), page.ids.end()));
    BOOST_TEST(page.ids.back() == 5000u);
}

BOOST_AUTO_TEST_CASE(marks_say_who_touched_an_entry_last) {
    bd::customer_index index;
    index.put(make({.id = 1}), {.stamp = 4, .by_gateway = true});
    index.put(make({.id = 2}), {.stamp = 9, .by_gateway = false});
    index.put(make({.id = 3}), {.stamp = 2, .by_gateway = false});
    BOOST_TEST(index.peek(1)->last.by_gateway);
    BOOST_TEST(index.peek(1)->last.stamp == 4u);
    BOOST_TEST(index.marked_before(5) == (ids{1, 3}));
    index.set_mark(3, {.stamp = 10, .by_gateway = true});
    BOOST_TEST(index.marked_before(5) == (ids{1}));
    BOOST_TEST(index.peek(3)->last.by_gateway);
    BOOST_TEST(!index.peek(4));
}

BOOST_FIXTURE_TEST_SUITE(query, query_fixture)

BOOST_AUTO_TEST_CASE(everything_in_id_order_without_filters) {
    const auto page = index.query({});
    BOOST_TEST(page.ids == (ids{10, 20, 30}));
    BOOST_TEST(page.matched == 3u);
}

BOOST_AUTO_TEST_CASE(search_looks_at_every_text_field_ignoring_case) {
    BOOST_TEST(search("REF-B") == (ids{20}));      // reference
    BOOST_TEST(search("aLiCe") == (ids{10}));      // name (and email)
    BOOST_TEST(search("smith") == (ids{20, 30}));  // last name
    BOOST_TEST(search("acme ltd") == (ids{10}));   // company
    BOOST_TEST(search("@MAIL.test") == (ids{20})); // email
    BOOST_TEST(search("ref-") == (ids{10, 20, 30}));
    BOOST_TEST(search("nobody").empty());
}

BOOST_AUTO_TEST_CASE(search_matches_name_and_last_name_together) {
    BOOST_TEST(search("bob smith") == (ids{20}));
    BOOST_TEST(search("ol sm") == (ids{30}));
    BOOST_TEST(search("Alice Jones") == (ids{10}));
    BOOST_TEST(search("Jones Alice").empty());
    BOOST_TEST(search("smith globex").empty());  // last name and company are not joined
}

BOOST_AUTO_TEST_CASE(statuses_keep_the_chosen_flag_pairs) {
    bd::customer_query q;
    q.statuses = std::array<bool, 4>{false, false, true, false};  // active only
    BOOST_TEST(index.query(q).ids == (ids{10}));
    q.statuses = std::array<bool, 4>{true, false, false, true};  // inactive, or active and suspended
    BOOST_TEST(index.query(q).ids == (ids{20, 30}));
    q.statuses = std::array<bool, 4>{false, true, false, false};
    BOOST_TEST(index.query(q).ids.empty());
    BOOST_TEST(index.query(q).matched == 0u);
}

BOOST_AUTO_TEST_CASE(date_bounds_are_inclusive) {
    const std::optional<bd::unix_seconds> open;
    BOOST_TEST(dated(200, open, open, open) == (ids{20, 30}));
    BOOST_TEST(dated(open, 200, open, open) == (ids{10, 20}));
    BOOST_TEST(dated(301, open, open, open).empty());
    BOOST_TEST(dated(open, open, 2000, 2000) == (ids{20}));
    BOOST_TEST(dated(open, open, 1001, open) == (ids{20, 30}));
    BOOST_TEST(dated(open, open, open, 2999) == (ids{10, 20}));
    BOOST_TEST(dated(100, 300, 1000, 3000) == (ids{10, 20, 30}));
}

BOOST_AUTO_TEST_CASE(filters_combine) {
    bd::customer_query q;
    q.search = "smith";
    q.created_to = 250;
    BOOST_TEST(index.query(q).ids == (ids{20}));
}

BOOST_AUTO_TEST_CASE(offset_and_max_cut_the_matches_not_the_count) {
    bd::customer_query q;
    q.offset = 1;
    q.max = 1;
    auto page = index.query(q);
    BOOST_TEST(page.ids == (ids{20}));
    BOOST_TEST(page.matched == 3u);

    q.offset = 2;
    q.max = 50;
    BOOST_TEST(index.query(q).ids == (ids{30}));

    q.offset = 3;  // just past the end
    page = index.query(q);
    BOOST_TEST(page.ids.empty());
    BOOST_TEST(page.matched == 3u);

    q.offset = 1000;
    BOOST_TEST(index.query(q).ids.empty());

    q.offset = 0;
    q.max = 0;
    page = index.query(q);
    BOOST_TEST(page.ids.empty());
    BOOST_TEST(page.matched == 3u);

    q.max = 3;
    BOOST_TEST(index.query(q).ids.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
