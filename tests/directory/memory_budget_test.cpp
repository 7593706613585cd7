#define BOOST_TEST_MODULE directory memory_budget
#include <boost/test/unit_test.hpp>

#include "test_records.hpp"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstddef>

// Under AddressSanitizer malloc is ASan's, which glibc's mallinfo2 does not see; ASan
// counts the bytes the program asked for instead (without its redzones).
#if defined(__SANITIZE_ADDRESS__)
#define BLUBRIDGE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BLUBRIDGE_ASAN 1
#endif
#endif
#ifdef BLUBRIDGE_ASAN
// Declared by hand: GCC ships no <sanitizer/allocator_interface.h>.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace bd = blubridge::directory;

namespace {

constexpr std::size_t customers = 100'000;
constexpr std::size_t page_size = 200;
constexpr double budget_per_customer = 200;

// Bytes in use on the heap: glibc's arenas plus its mmapped blocks (big vectors live
// there, and uordblks alone would miss them).
double heap_in_use() {
#ifdef BLUBRIDGE_ASAN
    return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#else
    const auto info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd);
#endif
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_hundred_thousand_customers_fit_in_the_budget) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "directory.db";
    auto dir = bd::customer_directory::open(bd::test::options_for(file));

    const auto before_pass = heap_in_use();
    {
        auto pass = dir->begin_pass();
        for (std::size_t first = 0; first < customers; first += page_size) {
            std::vector<bd::test::record> page;
            page.reserve(page_size);
            for (std::size_t i = 0; i < page_size; ++i) page.push_back(bd::test::bulk_record(100'001 + first + i));
            BOOST_REQUIRE(pass->observe_page(bd::test::page_of(page), 1000) == page_size);
        }
        BOOST_TEST(pass->finish(1000).added == customers);
    }
    const auto per_customer_pass = (heap_in_use() - before_pass) / customers;
    BOOST_TEST_MESSAGE("heap per customer after a first pass: " << per_customer_pass << " bytes");
    BOOST_TEST(per_customer_pass < budget_per_customer);
    BOOST_TEST(dir->size() == customers);
    BOOST_TEST(dir->find_by_reference("BULK-123456") == (std::vector<bd::customer_id>{123'456}));
    BOOST_TEST(dir->find(200'000)->last_name() == "Customer 200000");

    // Not asserted (a timing): how long a full scan takes here, best of five, for the record.
    bd::customer_query q;
    q.search = "customer 1999";
    double best_ms = 1e9;
    for (int run = 0; run < 5; ++run) {
        const auto started = std::chrono::steady_clock::now();
        const auto page = dir->query(q);
        best_ms = std::min(best_ms,
                           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
        BOOST_TEST(page.matched == 100u);  // 199900..199999
    }
    BOOST_TEST_MESSAGE("search over " << customers << " customers: " << best_ms << " ms");

    dir.reset();
    const auto before_open = heap_in_use();
    dir = bd::customer_directory::open(bd::test::options_for(file));
    const auto per_customer_open = (heap_in_use() - before_open) / customers;
    BOOST_TEST_MESSAGE("heap per customer after open(): " << per_customer_open << " bytes");
    BOOST_TEST(per_customer_open < budget_per_customer);
    BOOST_TEST(dir->ready());
    BOOST_TEST(dir->size() == customers);
}
