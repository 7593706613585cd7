#define BOOST_TEST_MODULE sandbox store concurrency
// Readers and writers on one store from several threads (run under ASan/UBSan in the dev
// preset and under TSan in the tsan preset): no crash, no torn answer, and the counts add up.
#include "sandbox_test_support.hpp"

#include <sandbox/store.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace blubridge::sandbox;

BOOST_AUTO_TEST_CASE(parallel_creates_reads_and_deletes) {
    store s;
    s.bulk_create_customers(100);
    constexpr int writers = 2, readers = 2, per_thread = 150;
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < writers; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < per_thread; ++i) {
                customer_create c;
                c.fields.name = "W";
                c.fields.currency_code = "ZAR";
                auto r = s.create_customer(c);
                if (!r || r->status != 201) { ++bad; continue; }
                // No Boost.Test macro on these threads: Boost.Test is not thread-safe (TSan says so).
                blubridge::sandbox::json_parse_error e;
                const auto created = parse_json(r->body, e);
                const auto* id_member = created ? created->find("customerID") : nullptr;
                std::int64_t id = 0;
                if (!id_member || !integer_from_text(id_member->text(), id)) { ++bad; continue; }
                if (i % 3 == 0 && !s.delete_customer(id)) ++bad;
                if (i % 3 == 1 && !s.set_customer_active(id, false)) ++bad;
            }
        });
    for (int t = 0; t < readers; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < per_thread; ++i) {
                auto list = s.list_customers(page_request{1, 50}, true);
                blubridge::sandbox::json_parse_error e;
                if (!list || !parse_json(list->body, e)) ++bad;
                if (!s.get_customer(1 + i % 100, false)) ++bad;
                if (!s.customers_by_ids({1, 50, 99}, page_request{})) ++bad;
            }
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(bad.load() == 0);
    BOOST_TEST(s.customer_count() == 100u + writers * per_thread - writers * (per_thread / 3));
    // 300 customers remain; the last page holds the newest, which was not deleted.
    auto last = sandbox_test::parse(s.list_customers(page_request{2, 200}, false)->body);
    BOOST_TEST_REQUIRE(!last.items().empty());
    BOOST_TEST(last.items().back().find("customerID")->text() == std::to_string(100 + writers * per_thread));
}
