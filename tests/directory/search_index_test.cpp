#define BOOST_TEST_MODULE directory search_index
#include <boost/test/unit_test.hpp>

#include "directory/customer_index.hpp"
#include "directory/detail/entry_text.hpp"
#include "directory/search_index.hpp"

#include <algorithm>
#include <map>
#include <random>

namespace bd = blubridge::directory;
using ids = std::vector<bd::customer_id>;

namespace {

struct fields {
    std::string reference, name, last_name, company, email;
};

// The search as customer_query documents it, written out plainly: an ASCII-case-insensitive
// substring of a field or of "name last name".
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool documented_match(const fields& f, const std::string& term) {
    const auto t = lower(term);
    for (const auto& text : {f.reference, f.name, f.last_name, f.company, f.email, f.name + " " + f.last_name})
        if (lower(text).find(t) != std::string::npos) return true;
    return false;
}

// The customers as the test knows them, and the reference answer of a query.
struct model {
    std::map<bd::customer_id, fields> customers;
    std::map<bd::customer_id, bool> active;

    bd::query_page query(const bd::customer_query& q) const {
        bd::query_page page;
        if (q.search.find('\x1f') != std::string::npos) return page;
        for (const auto& [id, f] : customers) {
            if (q.statuses && !(*q.statuses)[active.at(id) ? 2 : 0]) continue;
            if (!q.search.empty() && !documented_match(f, q.search)) continue;
            if (page.matched >= q.offset && page.ids.size() < q.max) page.ids.push_back(id);
            ++page.matched;
        }
        return page;
    }
};

bd::customer_entry entry_of(bd::customer_id id, const fields& f, bool active) {
    bd::customer_entry e;
    e.id = id;
    e.fingerprint = id;
    e.flags = {.active = active, .suspended = false};
    e.text = bd::detail::join_fields(f.reference, f.name, f.last_name, f.company, f.email);
    return e;
}

// Short words over a small alphabet, so terms match many customers in many ways: both
// cases, digits, punctuation, spaces and two-byte UTF-8 letters.
class generator {
public:
    explicit generator(unsigned seed) : random_(seed) {}

    std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

    std::string word(std::size_t max_length) {
        static const std::vector<std::string> pieces{"a", "b", "A", "B", "c", "1", "2", "-", "@", ".", " ",
                                                     "\xc3\xa9" /* é */, "\xc3\x89" /* É */, "\xc3\xbc" /* ü */};
        std::string w;
        const auto length = below(max_length + 1);
        while (w.size() < length) w += pieces[below(pieces.size())];
        return w;
    }

    fields customer() { return {word(6), word(5), word(7), below(3) == 0 ? "" : word(8), word(10)}; }

    // Mostly a piece of an existing customer's text in another case, else a random word.
    std::string term(const model& m) {
        if (m.customers.empty() || below(4) == 0) return word(5);
        auto it = m.customers.begin();
        std::advance(it, static_cast<std::ptrdiff_t>(below(m.customers.size())));
        const auto& f = it->second;
        const std::string whole = f.name + " " + f.last_name + (below(2) == 0 ? f.email : f.reference);
        if (whole.empty()) return word(3);
        const auto from = below(whole.size());
        auto t = whole.substr(from, 1 + below(6));
        for (auto& c : t)
            if (below(2) == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        return t;
    }

private:
    std::mt19937 random_;
};

void check_queries(const bd::customer_index& index, const model& m, generator& g, int count) {
    for (int i = 0; i < count; ++i) {
        bd::customer_query q;
        q.search = g.term(m);
        q.offset = g.below(3) == 0 ? g.below(20) : 0;
        q.max = g.below(4) == 0 ? 5 : 1000;
        if (g.below(4) == 0) q.statuses = std::array<bool, 4>{false, false, true, false};
        const auto expected = m.query(q);
        const auto got = index.query(q);
        BOOST_TEST_REQUIRE(got.matched == expected.matched, "term '" << q.search << "'");
        BOOST_TEST_REQUIRE(got.ids == expected.ids, "term '" << q.search << "'");
    }
}

struct three_customers {
    bd::customer_index index;
    three_customers() {
        index.put(entry_of(1, {"R-1", "Zoë", "O'Brien", "Caf\xc3\xa9 Ltd", "zoe@cafe.test"}, true), {});
        index.put(entry_of(2, {"R-2", "Bob", "Smith", "", "bob@mail.test"}, true), {});
        index.put(entry_of(3, {"X", "al", "Bo", "", "a@b.c"}, false), {});
    }
    ids search(const std::string& term) const {
        bd::customer_query q;
        q.search = term;
        return index.query(q).ids;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(candidate_blocks_hold_every_trigram_of_the_term) {
    bd::search_index index;
    index.add(0, "BULK-1\x1f" "Bulk");
    index.add(bd::search_index::block_size * 2, "other bulk");
    index.add(bd::search_index::block_size * 5, "nothing");
    BOOST_TEST(index.candidate_blocks("bulk") == (std::vector<bd::search_index::block_number>{0, 2}));
    BOOST_TEST(index.candidate_blocks("ulk-") == (std::vector<bd::search_index::block_number>{0}));
    BOOST_TEST(index.candidate_blocks("thin") == (std::vector<bd::search_index::block_number>{5}));
    BOOST_TEST(index.candidate_blocks("bulkx").empty());  // "lkx" is nowhere
    BOOST_TEST(index.candidate_blocks("1\x1f" "bu").empty());  // nothing across fields is indexed
}

BOOST_AUTO_TEST_CASE(blocks_are_added_in_any_order_once) {
    bd::search_index index;
    for (const auto s : {700u, 5u, 300u, 5u, 701u, 130u}) index.add(s, "abc");
    BOOST_TEST(index.candidate_blocks("abc") ==
               (std::vector<bd::search_index::block_number>{0, 130 / 64, 300 / 64, 700 / 64}));
    BOOST_TEST(index.postings() == 4u);
}

BOOST_FIXTURE_TEST_SUITE(edge_cases, three_customers)

BOOST_AUTO_TEST_CASE(an_empty_term_is_no_search) { BOOST_TEST(search("") == (ids{1, 2, 3})); }

BOOST_AUTO_TEST_CASE(one_and_two_characters_are_scanned) {
    BOOST_TEST(search("b") == (ids{1, 2, 3}));  // O'Brien, Bob, Bo
    BOOST_TEST(search("Z") == (ids{1}));
    BOOST_TEST(search("bo") == (ids{2, 3}));
    BOOST_TEST(search("@") == (ids{1, 2, 3}));
    BOOST_TEST(search("q").empty());
}

BOOST_AUTO_TEST_CASE(terms_with_spaces_join_name_and_last_name_only) {
    BOOST_TEST(search("bob smith") == (ids{2}));
    BOOST_TEST(search("b smi") == (ids{2}));
    BOOST_TEST(search("al bo") == (ids{3}));
    BOOST_TEST(search("l b") == (ids{3}));  // three bytes across the join
    BOOST_TEST(search(" ") == (ids{1, 2, 3}));
    BOOST_TEST(search("smith bob").empty());
    BOOST_TEST(search("r-2 bob").empty());  // reference and name are not joined
}

BOOST_AUTO_TEST_CASE(non_ascii_bytes_match_as_they_are) {
    BOOST_TEST(search("zo\xc3\xab") == (ids{1}));      // Zoë, ë in any ASCII case around it
    BOOST_TEST(search("ZO\xc3\xab") == (ids{1}));
    BOOST_TEST(search("ZO\xc3\x8b").empty());           // Ë is not ë: only ASCII folds
    BOOST_TEST(search("\xc3\xa9 ltd") == (ids{1}));
    BOOST_TEST(search("\xab") == (ids{1}));             // half a character is a byte like any other
}

BOOST_AUTO_TEST_CASE(other_terms) {
    BOOST_TEST(search("o'brien") == (ids{1}));
    BOOST_TEST(search("@mail.TEST") == (ids{2}));
    BOOST_TEST(search("a@b.c") == (ids{3}));
    BOOST_TEST(search("a much longer term than any text").empty());
    BOOST_TEST(search("r-1\x1fzo").empty());  // a separator matches nobody
}

BOOST_AUTO_TEST_CASE(a_replaced_text_is_not_found_by_its_old_words) {
    index.put(entry_of(2, {"R-2", "Robert", "Smith", "", "robert@mail.test"}, true), {});
    BOOST_TEST(search("bob").empty());
    BOOST_TEST(search("robert smith") == (ids{2}));
    index.erase(1);
    BOOST_TEST(search("zo\xc3\xab").empty());
    index.shrink_to_fit();
    BOOST_TEST(search("smith") == (ids{2}));
    BOOST_TEST(search("a@b") == (ids{3}));
}

BOOST_AUTO_TEST_SUITE_END()

// The indexed query against the plain reading of the rules, over thousands of generated
// customers while they are added (out of id order too), changed and removed.
BOOST_AUTO_TEST_CASE(indexed_search_answers_as_the_linear_scan) {
    generator g(20261205);
    bd::customer_index index;
    model m;
    const auto put = [&](bd::customer_id id) {
        m.customers[id] = g.customer();
        m.active[id] = g.below(3) != 0;
        index.put(entry_of(id, m.customers[id], m.active[id]), {});
    };
    for (bd::customer_id id = 1; id <= 3000; ++id) put(id * 2);
    for (int i = 0; i < 200; ++i) put(2 * g.below(3000) + 1);  // between others
    check_queries(index, m, g, 400);

    for (int round = 0; round < 6; ++round) {
        for (int i = 0; i < 300; ++i) put(m.customers.begin()->first + 2 * g.below(3500));  // changes and additions
        ids removed;
        for (int i = 0; i < 150 && !m.customers.empty(); ++i) {
            auto it = m.customers.lower_bound(g.below(8000));
            if (it == m.customers.end()) continue;
            removed.push_back(it->first);
            m.active.erase(it->first);
            m.customers.erase(it);
        }
        if (round % 2 == 0) {
            for (const auto id : removed) BOOST_TEST(index.erase(id));
        } else {
            index.erase(removed);
        }
        check_queries(index, m, g, 150);
        for (int i = 0; i < 100; ++i) put(8000 + static_cast<bd::customer_id>(round * 100 + i));  // into freed slots
        check_queries(index, m, g, 150);
        if (round % 3 == 2) {
            index.shrink_to_fit();  // compaction and a rebuilt search index
            check_queries(index, m, g, 150);
        }
    }
    BOOST_TEST(index.size() == m.customers.size());
}
