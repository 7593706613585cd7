#define BOOST_TEST_MODULE directory shared_state
#include <boost/test/unit_test.hpp>

#include <blubridge/directory/idempotency_store.hpp>

#include "test_records.hpp"
#include "test_state.hpp"

#include "directory/detail/pg.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

// Two gateways on one PostgreSQL database: two directories opened on the same database and
// account, as two processes would.
namespace bd = blubridge::directory;
using bd::test::record;
using ids = std::vector<bd::customer_id>;
using namespace std::chrono_literals;

namespace {

const std::vector<std::string> one_url{"http://one.test/hook"};

record customer(bd::customer_id id, std::string reference) {
    return {.id = id, .reference = std::move(reference), .name = "Name", .last_name = "Last", .email = "c@example.com"};
}

// True once `condition` holds, polling for up to 5 s (a NOTIFY travels asynchronously).
bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

struct two_gateways {
    bd::test::temp_folder tmp;
    bd::shared_state state = bd::test::fresh_shared_state();
    std::shared_ptr<bd::customer_directory> a = open("a");
    std::shared_ptr<bd::customer_directory> b = open("b");

    std::shared_ptr<bd::customer_directory> open(const std::string& name) const {
        auto options = bd::test::options_for(tmp / name, one_url);
        options.postgresql = state;
        return bd::customer_directory::open(std::move(options));
    }
    std::size_t stored_transitions() const {
        bd::detail::pg_connection db(state.conninfo, "");
        const auto r = db.exec("SELECT COUNT(*) FROM transitions");
        BOOST_REQUIRE(r.ok());
        return static_cast<std::size_t>(r.int64(0, 0));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(shared_state, two_gateways)

BOOST_AUTO_TEST_CASE(a_customer_observed_through_one_is_found_by_reference_through_the_other_at_once) {
    BOOST_TEST(a->observe(customer(7, "R7").json(), 1000));
    // No waiting: a miss in memory asks the database.
    BOOST_TEST(b->find_by_reference("R7") == (ids{7}));
    BOOST_TEST(b->find(7).value().reference() == "R7");
    BOOST_TEST(b->find_by_reference("nobody").empty());
}

BOOST_AUTO_TEST_CASE(memory_follows_the_other_gateways_changes) {
    a->observe(customer(1, "OLD").json(), 1000);
    BOOST_TEST(eventually([&] { return b->size() == 1u; }));
    a->observe(customer(1, "NEW").json(), 2000);
    BOOST_TEST(eventually([&] { return b->find(1).value().reference() == "NEW"; }));
    BOOST_TEST(b->find_by_reference("OLD").empty());
    bd::customer_query search;
    search.search = "new";
    BOOST_TEST(b->query(search).ids == (ids{1}));

    a->observe_removed(1, 3000);
    BOOST_TEST(eventually([&] { return b->size() == 0u; }));
    BOOST_TEST(!b->find(1).has_value());
}

BOOST_AUTO_TEST_CASE(a_status_change_seen_by_both_is_one_transition) {
    auto r = customer(1, "R1");
    a->observe(r.json(), 1000);
    BOOST_TEST(eventually([&] { return b->size() == 1u; }));
    r.suspended = true;
    // B has not heard of the change when it reads the same record: the stored row decides.
    BOOST_TEST(a->observe(r.json(), 2000));
    BOOST_TEST(b->observe(r.json(), 2001));
    BOOST_TEST(stored_transitions() == 1u);
    BOOST_TEST(a->transitions(0, 9999).size() == 1u);
    BOOST_TEST(b->transitions(0, 9999).size() == 1u);
    BOOST_TEST(b->due_deliveries(9999, 10).size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_same_change_observed_by_both_at_once_is_one_transition) {
    constexpr bd::customer_id customers = 40;
    std::vector<record> all;
    for (bd::customer_id id = 1; id <= customers; ++id) all.push_back(customer(id, "R" + std::to_string(id)));
    auto pass = a->begin_pass();
    BOOST_REQUIRE(pass->observe_page(bd::test::page_of(all), 1000));
    pass->finish(1000);
    for (auto& r : all) r.active = false;
    std::atomic<int> refused{0};
    auto observe_all = [&](bd::customer_directory& d, bd::unix_seconds at) {
        for (const auto& r : all)
            if (!d.observe(r.json(), at)) ++refused;
    };
    std::thread through_a([&] { observe_all(*a, 2000); });
    std::thread through_b([&] { observe_all(*b, 2000); });
    through_a.join();
    through_b.join();
    BOOST_TEST(refused == 0);
    BOOST_TEST(stored_transitions() == std::size_t{customers});
}

BOOST_AUTO_TEST_CASE(a_mark_set_through_one_counts_in_the_other) {
    auto r = customer(1, "R1");
    a->observe(r.json(), 1000);
    a->mark_suspended(1);
    r.active = false;  // Billagain archives: the gateway's mark makes it Suspended1
    BOOST_TEST(b->observe(r.json(), 2000));
    const auto recorded = b->transitions(0, 9999);
    BOOST_REQUIRE(recorded.size() == 1u);
    BOOST_TEST(recorded[0].next == "Suspended1");
    BOOST_TEST(b->find(1).value().flags.suspended);
}

BOOST_AUTO_TEST_CASE(one_gateway_at_a_time_leads_the_refresh_and_another_takes_over) {
    BOOST_TEST(a->lead_refresh());
    BOOST_TEST(!b->lead_refresh());
    BOOST_TEST(a->lead_refresh());  // still
    a.reset();                      // the leader stops: its session ends, and its lock
    BOOST_TEST(eventually([&] { return b->lead_refresh(); }));
}

BOOST_AUTO_TEST_CASE(a_ready_flag_set_through_one_reaches_the_other) {
    BOOST_TEST(!b->ready());
    auto pass = a->begin_pass();
    pass->observe_page(bd::test::page_of({customer(1, "R1")}), 1000);
    pass->finish(1000);
    BOOST_TEST(eventually([&] { return b->ready(); }));
    BOOST_TEST(open("c")->ready());
}

BOOST_AUTO_TEST_CASE(a_delivery_is_claimed_by_one_gateway_until_its_lease_ends) {
    auto r = customer(1, "R1");
    a->observe(r.json(), 1000);
    r.suspended = true;
    a->observe(r.json(), 2000);
    const auto due = b->due_deliveries(2000, 10);
    BOOST_REQUIRE(due.size() == 1u);
    const auto& d = due.front();
    BOOST_TEST(a->claim_delivery(d.transition_id, d.url, 2000, 2060));
    BOOST_TEST(!b->claim_delivery(d.transition_id, d.url, 2000, 2060));
    BOOST_TEST(!b->claim_delivery(d.transition_id, d.url, 2059, 2119));
    // A crashed mid-attempt: after the lease another takes it.
    BOOST_TEST(b->claim_delivery(d.transition_id, d.url, 2060, 2120));
    b->delivered(d.transition_id, d.url);
    BOOST_TEST(a->due_deliveries(9999, 10).empty());
}

BOOST_AUTO_TEST_CASE(a_delivery_queued_through_one_wakes_the_other) {
    std::atomic<int> woken{0};
    b->on_deliveries_queued([&] { ++woken; });
    auto r = customer(1, "R1");
    a->observe(r.json(), 1000);
    r.suspended = true;
    a->observe(r.json(), 2000);
    BOOST_TEST(eventually([&] { return woken.load() > 0; }));
}

BOOST_AUTO_TEST_CASE(an_idempotency_key_claimed_through_both_at_once_runs_once) {
    constexpr int keys = 20;
    std::atomic<int> claimed{0}, busy{0};
    auto claim_all = [&](bd::customer_directory& d) {
        for (int k = 0; k < keys; ++k) {
            const auto c = d.idempotency().claim("client", "key" + std::to_string(k), "hash", 1000, 60, 86400);
            if (c.outcome == bd::idempotency_claim::state::claimed) ++claimed;
            if (c.outcome == bd::idempotency_claim::state::busy) ++busy;
        }
    };
    std::thread through_a([&] { claim_all(*a); });
    std::thread through_b([&] { claim_all(*b); });
    through_a.join();
    through_b.join();
    BOOST_TEST(claimed == keys);
    BOOST_TEST(busy == keys);
}

BOOST_AUTO_TEST_CASE(a_lost_feed_reads_everything_again_once_it_is_back) {
    a->observe(customer(1, "R1").json(), 1000);
    BOOST_TEST(eventually([&] { return b->size() == 1u; }));
    {
        // Every LISTENing session ends (a restart of PostgreSQL, a network cut).
        bd::detail::pg_connection db(state.conninfo, "");
        const auto killed = db.exec(
            "SELECT COUNT(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
        BOOST_REQUIRE(killed.ok());
        BOOST_TEST(killed.int64(0, 0) >= 2);
    }
    // Changed while nobody listened: no notice will ever tell B.
    a->observe(customer(2, "R2").json(), 2000);
    a->observe_removed(1, 2000);
    BOOST_TEST(eventually([&] {
        return b->find_by_reference_in_memory("R2") == ids{2} && b->find_by_reference_in_memory("R1").empty();
    }));
    BOOST_TEST(b->size() == 1u);
}

BOOST_AUTO_TEST_CASE(accounts_sharing_a_database_see_only_their_own_rows) {
    auto options = bd::test::options_for(tmp / "other", one_url);
    options.postgresql = state;
    options.postgresql->account = "another-account";
    const auto other = bd::customer_directory::open(std::move(options));
    a->observe(customer(1, "R1").json(), 1000);
    BOOST_TEST(other->find_by_reference("R1").empty());
    BOOST_TEST(!other->find(1).has_value());
    std::this_thread::sleep_for(100ms);  // time for a notice that must not arrive
    BOOST_TEST(other->size() == 0u);
    BOOST_TEST(other->lead_refresh());  // each account has its own refresh leader
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(the_schema_is_migrated_once_and_a_newer_one_is_refused) {
    bd::test::temp_folder tmp;
    const auto state = bd::test::fresh_shared_state();
    auto open = [&](const std::string& name) {
        auto options = bd::test::options_for(tmp / name);
        options.postgresql = state;
        return bd::customer_directory::open(std::move(options));
    };
    // Two gateways starting at once: each migration applied and recorded once.
    std::shared_ptr<bd::customer_directory> a, b;
    std::thread first([&] { a = open("a"); });
    std::thread second([&] { b = open("b"); });
    first.join();
    second.join();
    BOOST_REQUIRE(a && b);
    bd::detail::pg_connection db(state.conninfo, "");
    const auto versions = db.exec("SELECT COUNT(*), MAX(version) FROM blubridge_schema");
    BOOST_REQUIRE(versions.ok());
    BOOST_TEST(versions.int64(0, 0) == versions.int64(0, 1));
    BOOST_TEST(versions.int64(0, 1) >= 1);

    // A database an upgraded gateway migrated further: this one does not start on it.
    BOOST_REQUIRE(db.exec("INSERT INTO blubridge_schema(version, description) VALUES(999, 'from the future')").ok());
    try {
        open("c");
        BOOST_FAIL("a newer schema was accepted");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find("schema version 999") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_database_out_of_reach_is_named_and_the_password_is_not) {
    bd::test::temp_folder tmp;
    auto options = bd::test::options_for(tmp / "x");
    options.postgresql = bd::shared_state{.conninfo = "host=127.0.0.1 port=9 dbname=nowhere connect_timeout=2",
                                          .password = "do-not-print-me",
                                          .account = "test-account"};
    try {
        bd::customer_directory::open(std::move(options));
        BOOST_FAIL("open() did not throw");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("account test-account") != std::string::npos, message);
        BOOST_TEST(message.find("cannot connect") != std::string::npos, message);
        BOOST_TEST(message.find("do-not-print-me") == std::string::npos, message);
    }
}
