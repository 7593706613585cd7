// The memo of record readings: a remembered text answers with exactly what was read from it,
// any other text (however close) does not, and it stays bounded.
#define BOOST_TEST_MODULE directory record_memo
#include <boost/test/unit_test.hpp>

#include "directory/record_memo.hpp"
#include "directory/record_reader.hpp"
#include "test_records.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace bd = blubridge::directory;

namespace {

bd::customer_entry read(std::string_view json) {
    const bd::record_reader reader(bd::test::billagain_fields());
    auto entry = reader.read_record(json);
    BOOST_REQUIRE(entry);
    return *entry;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_remembered_text_gives_back_what_was_read_from_it) {
    bd::record_memo memo;
    const auto json = bd::test::bulk_record(7).json();
    BOOST_TEST(!memo.find(json).has_value());
    const auto entry = read(json);
    memo.remember(json, entry);
    const auto seen = memo.find(json);
    BOOST_REQUIRE(seen);
    BOOST_TEST(seen->id == entry.id);
    BOOST_TEST(seen->fingerprint == entry.fingerprint);
    BOOST_TEST((seen->flags == entry.flags));
    BOOST_TEST(memo.hits() == 1u);
}

BOOST_AUTO_TEST_CASE(any_other_text_is_a_miss) {
    bd::record_memo memo;
    const auto json = bd::test::bulk_record(7).json();
    memo.remember(json, read(json));
    // One byte changed, same length; a prefix; the same record with a space more.
    std::string changed = json;
    changed[changed.size() / 2] ^= 1;
    BOOST_TEST(!memo.find(changed).has_value());
    BOOST_TEST(!memo.find(std::string_view(json).substr(0, json.size() - 1)).has_value());
    BOOST_TEST(!memo.find(json + " ").has_value());
    BOOST_TEST(!memo.find("").has_value());
    BOOST_TEST(memo.hits() == 0u);
}

BOOST_AUTO_TEST_CASE(it_stays_bounded) {
    bd::record_memo memo;
    // Texts over the limit are not kept.
    const std::string big(bd::record_memo::max_text + 1, ' ');
    memo.remember(big, read(bd::test::bulk_record(1).json()));
    BOOST_TEST(!memo.find(big).has_value());
    // More texts than slots: each is either found with its own reading or not at all.
    std::vector<std::string> texts;
    for (bd::customer_id id = 1; id <= 3 * bd::record_memo::slots; ++id) {
        texts.push_back(bd::test::bulk_record(id).json());
        memo.remember(texts.back(), read(texts.back()));
    }
    std::size_t found = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (auto seen = memo.find(texts[i])) {
            ++found;
            BOOST_TEST(seen->id == i + 1);
        }
    }
    BOOST_TEST(found <= bd::record_memo::slots);
    BOOST_TEST(found > 0u);
}

BOOST_AUTO_TEST_CASE(readers_and_writers_on_several_threads_agree) {
    bd::record_memo memo;
    std::vector<std::string> texts;
    std::vector<bd::customer_entry> entries;
    for (bd::customer_id id = 1; id <= 64; ++id) {
        texts.push_back(bd::test::bulk_record(id).json());
        entries.push_back(read(texts.back()));
    }
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < 200; ++round) {
                for (std::size_t i = 0; i < texts.size(); ++i) {
                    memo.remember(texts[i], entries[i]);
                    if (auto seen = memo.find(texts[i]); seen && seen->fingerprint != entries[i].fingerprint) ++wrong;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    BOOST_TEST(wrong.load() == 0);
}
