#define BOOST_TEST_MODULE directory stored_directory
#include <boost/test/unit_test.hpp>

#include "test_records.hpp"
#include "test_state.hpp"

#include "directory/detail/pg.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <fstream>
#include <thread>

namespace bd = blubridge::directory;
using bd::test::record;
using ids = std::vector<bd::customer_id>;

namespace {

const std::vector<std::string> two_urls{"http://one.test/hook", "http://two.test/hook"};

record customer(bd::customer_id id, std::string reference) {
    return {.id = id,
            .reference = std::move(reference),
            .name = "Name" + std::to_string(id),
            .last_name = "Last",
            .company = "",
            .email = "c" + std::to_string(id) + "@example.com"};
}

struct directory_fixture {
    bd::test::temp_folder tmp;
    std::filesystem::path file = tmp / "state" / "directory.db";
    std::optional<bd::shared_state> database = bd::test::fresh_database();
    std::shared_ptr<bd::customer_directory> dir = open();
    int wakes = 0;

    directory_fixture() {
        dir->on_deliveries_queued([this] { ++wakes; });
    }
    std::shared_ptr<bd::customer_directory> open() const {
        auto options = bd::test::options_for(file, two_urls);
        options.postgresql = database;
        return bd::customer_directory::open(std::move(options));
    }
    void reopen() {
        dir.reset();
        dir = open();
    }
    // Says whether the customers were written since it was made: SQLite's data_version
    // (moves when another connection commits), PostgreSQL's row versions (xmin).
    std::function<bool()> watch_writes() const {
        if (database) {
            auto versions = [conninfo = database->conninfo] {
                blubridge::directory::detail::pg_connection other(conninfo, "");
                const auto r = other.exec("SELECT string_agg(xmin::text, ',' ORDER BY id) FROM customers");
                BOOST_REQUIRE(r.ok());
                return std::string(r.text(0, 0));
            };
            return [versions, before = versions()] { return versions() != before; };
        }
        sqlite3* other = nullptr;
        BOOST_REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
        std::shared_ptr<sqlite3> connection(other, sqlite3_close);
        auto version = [connection] {
            sqlite3_stmt* statement = nullptr;
            sqlite3_prepare_v2(connection.get(), "PRAGMA data_version", -1, &statement, nullptr);
            sqlite3_step(statement);
            const auto v = sqlite3_column_int64(statement, 0);
            sqlite3_finalize(statement);
            return v;
        };
        return [version, before = version()] { return version() != before; };
    }
    // Makes every later write of customers fail, behind the directory's back.
    void drop_the_customers_table() const {
        if (database) {
            blubridge::directory::detail::pg_connection other(database->conninfo, "");
            BOOST_REQUIRE(other.exec("DROP TABLE customers CASCADE").ok());
            return;
        }
        sqlite3* other = nullptr;
        BOOST_REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
        BOOST_REQUIRE(sqlite3_exec(other, "DROP TABLE customers", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(other);
    }
    // A complete pass over these records.
    bd::pass_summary full_pass(const std::vector<record>& records, bd::unix_seconds now) {
        auto pass = dir->begin_pass();
        BOOST_REQUIRE(pass->observe_page(bd::test::page_of(records), now));
        return pass->finish(now);
    }
    bd::unix_seconds updated(bd::customer_id id) const { return dir->find(id).value().updated; }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(directory, directory_fixture)

BOOST_AUTO_TEST_CASE(an_observed_customer_is_found_at_once) {
    BOOST_TEST(!dir->ready());
    BOOST_TEST(dir->observe(customer(7, "R7").json(), 1000));
    BOOST_TEST(dir->size() == 1u);
    BOOST_TEST(dir->find_by_reference("R7") == (ids{7}));
    const auto e = dir->find(7);
    BOOST_REQUIRE(e);
    BOOST_TEST(e->name() == "Name7");
    BOOST_TEST(e->updated == 1000);
    BOOST_TEST(e->created == 1457706893);
    BOOST_TEST(!dir->find(8).has_value());
}

BOOST_AUTO_TEST_CASE(an_unreadable_record_is_refused) {
    BOOST_TEST(!dir->observe(R"({"Reference":"no id"})", 1));
    BOOST_TEST(!dir->observe("not json", 1));
    BOOST_TEST(dir->size() == 0u);
}

BOOST_AUTO_TEST_CASE(updated_moves_only_when_the_record_changes) {
    auto r = customer(7, "R7");
    dir->observe(r.json(), 1000);
    dir->observe(r.json(), 2000);
    BOOST_TEST(updated(7) == 1000);
    r.balance = "12.5";  // not kept, but a change of the record
    dir->observe(r.json(), 3000);
    BOOST_TEST(updated(7) == 3000);
    BOOST_TEST(dir->transitions(0, 10000).empty());
}

BOOST_AUTO_TEST_CASE(a_changed_reference_is_found_under_the_new_one_only) {
    auto r = customer(7, "OLD");
    dir->observe(r.json(), 1);
    dir->observe(customer(8, "OLD").json(), 1);
    r.reference = "NEW";
    dir->observe(r.json(), 2);
    BOOST_TEST(dir->find_by_reference("OLD") == (ids{8}));
    BOOST_TEST(dir->find_by_reference("NEW") == (ids{7}));
}

BOOST_AUTO_TEST_CASE(the_query_runs_over_the_directory) {
    for (bd::customer_id id = 1; id <= 5; ++id) dir->observe(customer(id, "Q" + std::to_string(id)).json(), 100 * id);
    bd::customer_query q;
    q.search = "name3";
    BOOST_TEST(dir->query(q).ids == (ids{3}));
    q = {};
    q.updated_from = 200;
    q.updated_to = 400;
    q.offset = 1;
    const auto page = dir->query(q);
    BOOST_TEST(page.ids == (ids{3, 4}));
    BOOST_TEST(page.matched == 3u);
}

BOOST_AUTO_TEST_CASE(a_status_change_records_a_transition_queued_for_each_url) {
    auto r = customer(7, "R7");
    dir->observe(r.json(), 1000);  // new: no transition
    BOOST_TEST(wakes == 0);
    r.suspended = true;
    BOOST_TEST(dir->observe(r.json(), 2000));
    BOOST_TEST(wakes == 1);

    const auto all = dir->transitions(0, 5000);
    BOOST_REQUIRE(all.size() == 1u);
    BOOST_TEST(all[0].id == 1u);
    BOOST_TEST(all[0].customer == 7u);
    BOOST_TEST(all[0].reference == "R7");
    BOOST_TEST(all[0].at == 2000);
    BOOST_TEST(all[0].previous == "Active");
    BOOST_TEST(all[0].next == "Suspended1");
    BOOST_TEST(dir->find_transition(1)->next == "Suspended1");
    BOOST_TEST(!dir->find_transition(2));

    const auto due = dir->due_deliveries(2000, 10);
    BOOST_REQUIRE(due.size() == 2u);
    BOOST_TEST(due[0].transition_id == 1u);
    BOOST_TEST(due[0].url == two_urls[0]);
    BOOST_TEST(due[1].url == two_urls[1]);
    BOOST_TEST(due[0].attempts == 0u);
    BOOST_TEST(due[0].due == 2000);
    BOOST_TEST(*dir->next_delivery_due() == 2000);
}

BOOST_AUTO_TEST_CASE(a_flag_change_within_one_status_records_nothing) {
    auto r = customer(7, "R7");
    r.suspended = true;
    dir->observe(r.json(), 1000);
    r.active = false;  // Suspended1 either way
    dir->observe(r.json(), 2000);
    BOOST_TEST(dir->transitions(0, 5000).empty());
    BOOST_TEST(updated(7) == 2000);
    BOOST_TEST(wakes == 0);
}

BOOST_AUTO_TEST_CASE(a_removed_customer_records_no_transition) {
    dir->observe(customer(7, "R7").json(), 1000);
    dir->observe_removed(7, 2000);
    BOOST_TEST(!dir->find(7).has_value());
    BOOST_TEST(dir->find_by_reference("R7").empty());
    BOOST_TEST(dir->transitions(0, 5000).empty());
    BOOST_TEST(dir->due_deliveries(5000, 10).empty());
    BOOST_TEST(!dir->next_delivery_due());
}

BOOST_AUTO_TEST_CASE(highest_id_follows_observations_and_removals) {
    BOOST_TEST(!dir->highest_id());
    dir->observe(customer(7, "R7").json(), 1000);
    dir->observe(customer(30, "R30").json(), 1000);
    dir->observe(customer(12, "R12").json(), 1000);  // below the highest: it stays 30
    BOOST_TEST((dir->highest_id() == std::optional<bd::customer_id>(30)));
    dir->observe_removed(30, 2000);
    BOOST_TEST((dir->highest_id() == std::optional<bd::customer_id>(12)));
    reopen();  // rebuilt from the database
    BOOST_TEST((dir->highest_id() == std::optional<bd::customer_id>(12)));
    dir->observe_removed(12, 2000);
    dir->observe_removed(7, 2000);
    BOOST_TEST(!dir->highest_id());
}

BOOST_AUTO_TEST_CASE(transitions_are_chosen_by_inclusive_time_bounds) {
    auto r = customer(7, "R7");
    dir->observe(r.json(), 0);
    for (bd::unix_seconds at : {10, 20, 30}) {
        r.suspended = !r.suspended;
        dir->observe(r.json(), at);
    }
    const auto middle = dir->transitions(20, 30);
    BOOST_REQUIRE(middle.size() == 2u);
    BOOST_TEST(middle[0].id == 2u);
    BOOST_TEST(middle[0].previous == "Suspended1");
    BOOST_TEST(middle[1].id == 3u);
    BOOST_TEST(dir->transitions(11, 19).empty());
    BOOST_TEST(dir->transitions(10, 10).size() == 1u);
    BOOST_TEST(wakes == 3);
}

BOOST_AUTO_TEST_CASE(deliveries_come_oldest_first_and_leave_when_delivered) {
    auto a = customer(1, "A");
    auto b = customer(2, "B");
    dir->observe(a.json(), 0);
    dir->observe(b.json(), 0);
    b.suspended = true;
    dir->observe(b.json(), 100);  // transition 1
    a.suspended = true;
    dir->observe(a.json(), 200);  // transition 2

    auto queued = dir->outbox();
    BOOST_TEST(queued.depth == 4u);  // two transitions, two URLs each
    BOOST_TEST((queued.oldest == std::optional<bd::unix_seconds>(100)));

    dir->retry_later(1, two_urls[0], 300);
    auto due = dir->due_deliveries(250, 10);
    BOOST_REQUIRE(due.size() == 3u);
    BOOST_TEST(due[0].transition_id == 1u);
    BOOST_TEST(due[0].url == two_urls[1]);
    BOOST_TEST(due[1].transition_id == 2u);
    BOOST_TEST(due[2].transition_id == 2u);
    BOOST_TEST(dir->due_deliveries(250, 1).size() == 1u);
    BOOST_TEST(dir->due_deliveries(250, 0).empty());
    BOOST_TEST(dir->due_deliveries(99, 10).empty());

    due = dir->due_deliveries(300, 10);
    BOOST_REQUIRE(due.size() == 4u);
    BOOST_TEST(due[3].transition_id == 1u);
    BOOST_TEST(due[3].url == two_urls[0]);
    BOOST_TEST(due[3].attempts == 1u);
    BOOST_TEST(due[3].due == 300);

    dir->delivered(1, two_urls[1]);
    dir->delivered(2, two_urls[0]);
    dir->delivered(2, two_urls[1]);
    dir->delivered(2, two_urls[1]);  // twice: nothing left to remove
    BOOST_TEST(*dir->next_delivery_due() == 300);
    queued = dir->outbox();
    BOOST_TEST(queued.depth == 1u);
    BOOST_TEST((queued.oldest == std::optional<bd::unix_seconds>(100)));
    dir->delivered(1, two_urls[0]);
    BOOST_TEST(!dir->next_delivery_due());
    BOOST_TEST(dir->outbox().depth == 0u);
    BOOST_TEST(!dir->outbox().oldest);
}

BOOST_AUTO_TEST_CASE(the_first_pass_dates_new_customers_by_their_creation) {
    auto dated = customer(1, "A");
    dated.created = "2016-05-01T00:00:00+00:00";
    auto undated = customer(2, "B");
    undated.created = "unknown";
    const auto s = full_pass({dated, undated}, 5000);
    BOOST_TEST(s.seen == 2u);
    BOOST_TEST(s.added == 2u);
    BOOST_TEST(s.changed == 0u);
    BOOST_TEST(s.removed == 0u);
    BOOST_TEST(s.transitions == 0u);
    BOOST_TEST(dir->ready());
    BOOST_TEST(updated(1) == 1462060800);
    BOOST_TEST(dir->find(2)->created == 0);
    BOOST_TEST(updated(2) == 5000);

    // Later passes date new customers by when they were first seen.
    full_pass({dated, undated, customer(3, "C")}, 6000);
    BOOST_TEST(updated(3) == 6000);
}

BOOST_AUTO_TEST_CASE(a_later_pass_adds_changes_and_removes) {
    full_pass({customer(1, "A"), customer(2, "B"), customer(3, "C")}, 1000);
    auto b = customer(2, "B");
    b.suspended = true;
    const auto s = full_pass({customer(1, "A"), b, customer(4, "D")}, 2000);
    BOOST_TEST(s.seen == 3u);
    BOOST_TEST(s.added == 1u);
    BOOST_TEST(s.changed == 1u);
    BOOST_TEST(s.removed == 1u);
    BOOST_TEST(s.transitions == 1u);
    BOOST_TEST(wakes == 1);
    BOOST_TEST(!dir->find(3).has_value());
    BOOST_TEST(dir->find_by_reference("C").empty());
    BOOST_TEST(dir->size() == 3u);
    BOOST_TEST(updated(1) == 1457706893);  // unchanged since the first pass
    BOOST_TEST(updated(2) == 2000);
    BOOST_TEST(updated(4) == 2000);
    BOOST_TEST(dir->transitions(2000, 2000).at(0).customer == 2u);
}

BOOST_AUTO_TEST_CASE(pages_and_unseen_customers) {
    full_pass({customer(1, "A"), customer(2, "B"), customer(3, "C")}, 1000);
    auto pass = dir->begin_pass();
    BOOST_TEST(pass->unseen() == (ids{1, 2, 3}));
    BOOST_TEST(*pass->observe_page(bd::test::page_of({customer(2, "B")}), 2000) == 1u);
    BOOST_TEST(pass->unseen() == (ids{1, 3}));
    dir->observe(customer(3, "C").json(), 2000);  // the gateway saw it meanwhile
    BOOST_TEST(pass->unseen() == (ids{1}));
    const auto s = pass->finish(2000);
    BOOST_TEST(s.removed == 1u);
    BOOST_TEST(!dir->find(1).has_value());
    BOOST_TEST(dir->find(3).has_value());
}

BOOST_AUTO_TEST_CASE(what_the_gateway_observes_during_a_pass_wins) {
    full_pass({customer(1, "A"), customer(2, "B")}, 1000);
    auto pass = dir->begin_pass();
    const auto stale_page = bd::test::page_of({customer(1, "A")});  // fetched before the change
    auto renamed = customer(1, "A2");
    renamed.suspended = true;
    dir->observe(renamed.json(), 2000);
    BOOST_TEST(*pass->observe_page(stale_page, 2001) == 1u);
    BOOST_TEST(dir->find(1)->reference() == "A2");
    BOOST_TEST(dir->find(1)->flags.suspended);
    BOOST_TEST(dir->find_by_reference("A").empty());
    const auto s = pass->finish(2002);
    BOOST_TEST(s.removed == 1u);  // customer 2 was neither seen nor observed
    BOOST_TEST(s.changed == 0u);
    BOOST_TEST(s.transitions == 0u);
    BOOST_TEST(dir->find(1)->reference() == "A2");
    BOOST_TEST(dir->transitions(0, 9999).size() == 1u);  // the gateway's own
}

BOOST_AUTO_TEST_CASE(an_unchanged_observation_during_a_pass_shields_too) {
    full_pass({customer(1, "A"), customer(2, "B")}, 1000);
    const auto updated_before = updated(1);
    auto pass = dir->begin_pass();
    const auto stale_page = bd::test::page_of({customer(1, "A-old")});  // fetched before the gateway's read
    BOOST_TEST(dir->observe(customer(1, "A").json(), 2000));            // unchanged: only its mark moves
    BOOST_TEST(updated(1) == updated_before);
    BOOST_TEST(pass->unseen() == (ids{2}));
    BOOST_TEST(*pass->observe_page(stale_page, 2001) == 1u);
    BOOST_TEST(dir->find(1)->reference() == "A");
    BOOST_TEST(pass->finish(2002).removed == 1u);
    BOOST_TEST(dir->find(1).has_value());
}

BOOST_AUTO_TEST_CASE(an_unchanged_observation_writes_nothing) {
    full_pass({customer(1, "A")}, 1000);
    const auto written = watch_writes();
    for (int i = 0; i < 10; ++i) BOOST_TEST(dir->observe(customer(1, "A").json(), 2000 + i));
    BOOST_TEST(!written());
    BOOST_TEST(dir->observe(customer(1, "A2").json(), 3000));
    BOOST_TEST(written());
}

// A reading remembered by its text (record_memo) is still checked against the entry as it
// is now: a record that went A → A2 (through a pass) → A again is seen changing back.
BOOST_AUTO_TEST_CASE(a_record_that_returns_to_an_earlier_text_is_seen_changing_back) {
    full_pass({customer(1, "A")}, 1000);
    BOOST_TEST(dir->observe(customer(1, "A").json(), 1100));  // read, and remembered
    full_pass({customer(1, "A2")}, 2000);
    BOOST_TEST(dir->find(1)->reference() == "A2");
    BOOST_TEST(dir->observe(customer(1, "A").json(), 3000));  // the text of 1100 again
    BOOST_TEST(dir->find(1)->reference() == "A");
    BOOST_TEST(dir->find_by_reference("A") == (ids{1}));
    BOOST_TEST(dir->find_by_reference("A2").empty());
    BOOST_TEST(updated(1) == 3000);
    BOOST_TEST(dir->observe_if_unchanged(customer(1, "A").json()));  // now unchanged again
    BOOST_TEST(!dir->observe_if_unchanged(customer(1, "A2").json()));
}

BOOST_AUTO_TEST_CASE(an_observation_before_the_pass_began_does_not_shield) {
    full_pass({customer(1, "A"), customer(2, "B")}, 1000);
    dir->observe(customer(2, "B-old").json(), 1500);
    auto pass = dir->begin_pass();
    pass->observe_page(bd::test::page_of({customer(1, "A2")}), 2000);
    BOOST_TEST(dir->find(1)->reference() == "A2");
    BOOST_TEST(pass->finish(2000).removed == 1u);
    BOOST_TEST(!dir->find(2).has_value());
}

BOOST_AUTO_TEST_CASE(a_customer_removed_during_a_pass_is_not_brought_back) {
    full_pass({customer(1, "A"), customer(2, "B")}, 1000);
    auto pass = dir->begin_pass();
    const auto page = bd::test::page_of({customer(1, "A"), customer(2, "B")});
    dir->observe_removed(2, 1500);
    BOOST_TEST(*pass->observe_page(page, 2000) == 2u);
    BOOST_TEST(!dir->find(2).has_value());
    const auto s = pass->finish(2000);
    BOOST_TEST(s.removed == 0u);
    BOOST_TEST(!dir->find(2).has_value());
    BOOST_TEST(dir->size() == 1u);

    // A pass that begins after the removal believes its pages again.
    full_pass({customer(1, "A"), customer(2, "B")}, 3000);
    BOOST_TEST(dir->find(2).has_value());
}

BOOST_AUTO_TEST_CASE(an_unreadable_page_fails_and_an_abandoned_pass_removes_nothing) {
    {
        auto pass = dir->begin_pass();
        BOOST_TEST(*pass->observe_page(bd::test::page_of({customer(1, "A")}), 1000) == 1u);
        BOOST_TEST(!pass->observe_page("<html>busy</html>", 1000));
        BOOST_TEST(!pass->observe_page(R"([{"customerID":2},{"Name":"no id"}])", 1000));
        BOOST_TEST(!pass->observe_page(R"({"customerID":2})", 1000));
    }
    BOOST_TEST(!dir->ready());
    BOOST_TEST(dir->find(1).has_value());   // what its good page applied stays
    BOOST_TEST(!dir->find(2).has_value());  // nothing of an unreadable page is applied
    {
        auto pass = dir->begin_pass();  // abandoned before any page
    }
    BOOST_TEST(dir->find(1).has_value());
    BOOST_TEST(!dir->ready());
}

BOOST_AUTO_TEST_CASE(a_page_counts_every_record_and_the_later_copy_wins) {
    auto pass = dir->begin_pass();
    auto later = customer(1, "A-later");
    BOOST_TEST(*pass->observe_page(bd::test::page_of({customer(1, "A"), customer(2, "B"), later}), 1000) == 3u);
    BOOST_TEST(dir->find(1)->reference() == "A-later");
    const auto s = pass->finish(1000);
    BOOST_TEST(s.seen == 2u);
    BOOST_TEST(s.added == 2u);
}

BOOST_AUTO_TEST_CASE(a_finished_pass_takes_no_more) {
    auto pass = dir->begin_pass();
    pass->observe_page(bd::test::page_of({customer(1, "A")}), 1000);
    BOOST_TEST(pass->finish(1000).added == 1u);
    BOOST_TEST(!pass->observe_page(bd::test::page_of({customer(2, "B")}), 1000));
    const auto again = pass->finish(1000);
    BOOST_TEST(again.seen == 0u);
    BOOST_TEST(again.added == 0u);
    BOOST_TEST(!dir->find(2).has_value());
}

BOOST_AUTO_TEST_CASE(a_status_change_seen_by_a_pass_records_a_transition_at_once) {
    full_pass({customer(1, "A")}, 1000);
    auto pass = dir->begin_pass();
    auto suspended = customer(1, "A");
    suspended.suspended = true;
    pass->observe_page(bd::test::page_of({suspended}), 2000);
    BOOST_TEST(wakes == 1);
    BOOST_TEST(dir->transitions(2000, 2000).size() == 1u);
    pass.reset();  // abandoned: the transition stays
    BOOST_TEST(dir->due_deliveries(2000, 10).size() == 2u);
}

BOOST_AUTO_TEST_CASE(autopay_preferences_are_kept_and_forgotten) {
    dir->set_autopay_preference(7, 100, 1);
    dir->set_autopay_preference(7, 101, 2);
    dir->set_autopay_preference(8, 200, 3);
    BOOST_TEST(*dir->autopay_preference(101) == 2);
    dir->set_autopay_preference(7, 101, 3);
    BOOST_TEST(*dir->autopay_preference(101) == 3);
    dir->forget_autopay(7);
    BOOST_TEST(!dir->autopay_preference(100));
    BOOST_TEST(!dir->autopay_preference(101));
    BOOST_TEST(*dir->autopay_preference(200) == 3);
    dir->observe_removed(8, 1000);  // a deleted customer's preferences go too
    BOOST_TEST(!dir->autopay_preference(200));
}

BOOST_AUTO_TEST_CASE(kept_members_are_replaced_per_scope_and_forgotten_with_the_customer) {
    full_pass({customer(7, "A"), customer(8, "B"), customer(9, "C")}, 1000);
    dir->keep_members(7, "sales_contact", R"({"accountLocked":true})");
    dir->keep_members(7, "customer", R"({"locale":"en_US"})");
    dir->keep_members(8, "customer", R"({"locale":"de_DE"})");
    dir->keep_members(9, "customer", R"({"locale":"fr_FR"})");
    dir->keep_members(7, "customer", R"({"locale":"en_GB","crmCustomerId":"C-1"})");  // replaces
    auto seven = dir->kept(7);
    BOOST_REQUIRE(seven.size() == 2u);
    BOOST_TEST(seven[0].scope == "customer");
    BOOST_TEST(seven[0].members == R"({"locale":"en_GB","crmCustomerId":"C-1"})");
    BOOST_TEST(seven[1].scope == "sales_contact");
    BOOST_TEST(dir->kept(10).empty());

    reopen();
    BOOST_TEST(dir->kept(7).size() == 2u);
    dir->observe_removed(7, 2000);  // deleted: what was kept of it goes too
    BOOST_TEST(dir->kept(7).empty());
    full_pass({customer(9, "C")}, 3000);  // 8 no longer in Billagain
    BOOST_TEST(dir->kept(8).empty());
    BOOST_REQUIRE(dir->kept(9).size() == 1u);
    BOOST_TEST(dir->kept(9)[0].members == R"({"locale":"fr_FR"})");
}

BOOST_AUTO_TEST_CASE(a_removed_payment_method_takes_its_preference_and_kept_members_along) {
    full_pass({customer(7, "A")}, 1000);
    dir->set_autopay_preference(7, 100, 2);
    dir->set_autopay_preference(7, 101, 3);
    dir->keep_members(7, "payment_method/100", R"({"billingAddress":{"city":"Anytown"}})");
    dir->keep_members(7, "payment_method/101", R"({"billingAddress":{"city":"Elsewhere"}})");
    dir->forget_payment_method(7, 100, "payment_method/100");
    BOOST_TEST(!dir->autopay_preference(100));
    BOOST_TEST(*dir->autopay_preference(101) == 3);
    reopen();
    auto left = dir->kept(7);
    BOOST_REQUIRE(left.size() == 1u);
    BOOST_TEST(left[0].scope == "payment_method/101");
}

BOOST_AUTO_TEST_CASE(a_customer_the_gateway_suspended_reads_suspended_while_inactive) {
    auto a = customer(1, "A");
    full_pass({a}, 1000);
    dir->mark_suspended(1);
    BOOST_TEST(!dir->find(1)->flags.suspended);  // still active in Billagain: nothing yet
    a.active = false;                            // Billagain's archive
    BOOST_TEST(dir->observe(a.json(), 2000));
    BOOST_TEST(dir->find(1)->flags.suspended);
    BOOST_TEST(!dir->find(1)->flags.active);
    auto t = dir->transitions(2000, 2000);
    BOOST_REQUIRE(t.size() == 1u);
    BOOST_TEST(t[0].previous == "Active");
    BOOST_TEST(t[0].next == "Suspended1");

    reopen();  // the mark survives a restart
    a.balance = "5.0000";
    BOOST_TEST(dir->observe(a.json(), 2500));
    BOOST_TEST(dir->find(1)->flags.suspended);

    // Cleared (activate through the gateway): the same record now reads as what it is.
    dir->clear_suspended(1);
    BOOST_TEST(dir->observe(a.json(), 3000));
    BOOST_TEST(!dir->find(1)->flags.suspended);
    t = dir->transitions(3000, 3000);
    BOOST_REQUIRE(t.size() == 1u);
    BOOST_TEST(t[0].previous == "Suspended1");
    BOOST_TEST(t[0].next == "InActive1");
}

BOOST_AUTO_TEST_CASE(a_suspended_mark_ends_when_a_pass_begun_after_it_sees_the_customer_active) {
    auto a = customer(1, "A");
    full_pass({a}, 1000);
    auto older_pass = dir->begin_pass();  // begun before the suspension
    dir->mark_suspended(1);
    a.active = false;
    dir->observe(a.json(), 2000);
    auto active = customer(1, "A");
    active.balance = "1.0000";
    BOOST_TEST(dir->observe(active.json(), 2100));
    BOOST_TEST(!dir->find(1)->flags.suspended);  // active reads Active, mark or not
    // That gateway read may have been sent before the archive: it does not end the mark.
    dir->observe(a.json(), 2200);
    BOOST_TEST(dir->find(1)->flags.suspended);
    older_pass->observe_page(bd::test::page_of({active}), 2300);
    older_pass->finish(2300);
    dir->observe(a.json(), 2400);
    BOOST_TEST(dir->find(1)->flags.suspended);  // that pass began before the mark

    // Reopened outside the gateway and seen so by a later pass, then archived outside it:
    // InActive1, as any customer archived outside the gateway.
    full_pass({active}, 3000);
    BOOST_TEST(!dir->find(1)->flags.suspended);
    dir->observe(a.json(), 4000);
    BOOST_TEST(!dir->find(1)->flags.suspended);
    BOOST_TEST(dir->transitions(4000, 4000).at(0).next == "InActive1");
}

BOOST_AUTO_TEST_CASE(everything_survives_a_restart) {
    auto a = customer(1, "A");
    full_pass({a, customer(2, "B")}, 1000);
    a.suspended = true;
    dir->observe(a.json(), 2000);
    dir->retry_later(1, two_urls[1], 2500);
    dir->set_autopay_preference(1, 100, 2);
    const auto before = dir->find(1);

    reopen();
    BOOST_TEST(dir->ready());
    BOOST_TEST(dir->size() == 2u);
    const auto after = dir->find(1);
    BOOST_REQUIRE(after);
    BOOST_TEST(after->text == before->text);
    BOOST_TEST(after->fingerprint == before->fingerprint);
    BOOST_TEST(after->created == before->created);
    BOOST_TEST(after->updated == 2000);
    BOOST_TEST((after->flags == before->flags));
    BOOST_TEST(dir->find_by_reference("B") == (ids{2}));
    BOOST_TEST(dir->transitions(0, 9999).size() == 1u);
    const auto due = dir->due_deliveries(9999, 10);
    BOOST_REQUIRE(due.size() == 2u);
    BOOST_TEST(due[1].attempts == 1u);
    BOOST_TEST(due[1].due == 2500);
    BOOST_TEST(*dir->autopay_preference(100) == 2);

    // Ids keep counting, and an unchanged record is still unchanged.
    dir->observe(customer(1, "A").json(), 3000);
    BOOST_TEST(dir->transitions(3000, 3000).at(0).id == 2u);
    dir->observe(customer(1, "A").json(), 4000);
    BOOST_TEST(updated(1) == 3000);
}

BOOST_AUTO_TEST_CASE(an_unfinished_first_pass_leaves_the_directory_not_ready) {
    {
        auto pass = dir->begin_pass();
        pass->observe_page(bd::test::page_of({customer(1, "A")}), 1000);
    }
    reopen();
    BOOST_TEST(!dir->ready());
    BOOST_TEST(dir->find(1).has_value());
}

BOOST_AUTO_TEST_CASE(nothing_but_the_kept_fields_reaches_the_disk, *boost::unit_test::precondition(bd::test::sqlite_only)) {
    full_pass({customer(1, "A")}, 1000);
    dir.reset();
    for (const auto& f : std::filesystem::directory_iterator(file.parent_path())) {
        std::ifstream in(f.path(), std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        BOOST_TEST(bytes.find("tok-5555444433331111") == std::string::npos, f.path());
        BOOST_TEST(bytes.find("20406") == std::string::npos, f.path());
    }
}

BOOST_AUTO_TEST_CASE(failed_writes_leave_memory_as_the_disk_has_it) {
    dir->observe(customer(1, "A").json(), 1000);
    drop_the_customers_table();

    BOOST_TEST(!dir->observe(customer(2, "B").json(), 2000));
    BOOST_TEST(!dir->find(2).has_value());
    auto changed = customer(1, "A-changed");
    BOOST_TEST(!dir->observe(changed.json(), 2000));
    BOOST_TEST(dir->find(1)->reference() == "A");

    auto pass = dir->begin_pass();
    BOOST_TEST(!pass->observe_page(bd::test::page_of({customer(3, "C")}), 2000));
    BOOST_TEST(!dir->find(3).has_value());
    const auto s = pass->finish(2000);
    BOOST_TEST(s.removed == 0u);
    BOOST_TEST(!dir->ready());
    BOOST_TEST(dir->find(1).has_value());
    dir->observe_removed(1, 2000);
    BOOST_TEST(dir->find(1).has_value());
    BOOST_TEST(dir->size() == 1u);
}

BOOST_AUTO_TEST_CASE(pages_may_arrive_concurrently_with_lookups) {
    constexpr int pages = 4, per_page = 50;
    auto pass = dir->begin_pass();
    std::atomic<bool> done{false};
    std::thread reader([&] {
        while (!done) {
            (void)dir->query({});
            (void)dir->find_by_reference("P1-7");
        }
    });
    std::atomic<std::size_t> applied{0};  // Boost.Test assertions are not thread-safe
    std::vector<std::thread> writers;
    for (int p = 0; p < pages; ++p)
        writers.emplace_back([&, p] {
            std::vector<record> records;
            for (int i = 1; i <= per_page; ++i)
                records.push_back(customer(static_cast<bd::customer_id>(p * per_page + i),
                                           "P" + std::to_string(p) + "-" + std::to_string(i)));
            applied += pass->observe_page(bd::test::page_of(records), 1000).value_or(0);
        });
    for (auto& w : writers) w.join();
    done = true;
    reader.join();
    BOOST_TEST(applied == std::size_t{pages * per_page});
    BOOST_TEST(pass->finish(1000).added == std::size_t{pages * per_page});
    BOOST_TEST(dir->size() == std::size_t{pages * per_page});
    BOOST_TEST(dir->find_by_reference("P1-7") == (ids{57}));
}

// The gateway's unchanged reads take no lock but the shared one: they run beside passes,
// changes and searches (the tsan preset runs this), and memory still equals the disk.
BOOST_AUTO_TEST_CASE(unchanged_observations_race_passes_changes_and_searches) {
    constexpr bd::customer_id customers = 200;
    const auto version = [](bd::customer_id id, int v) {
        auto r = customer(id, "R" + std::to_string(id));
        if (v % 2 == 1 && id % 4 == 0) r.last_name = "Renamed";
        return r;
    };
    std::vector<record> all;
    for (bd::customer_id id = 1; id <= customers; ++id) all.push_back(version(id, 0));
    full_pass(all, 1000);

    std::atomic<bool> done{false};
    std::atomic<std::size_t> refused{0};  // Boost.Test assertions are not thread-safe
    std::vector<std::thread> readers;
    for (int t = 0; t < 2; ++t)
        readers.emplace_back([&, t] {
            for (bd::customer_id i = 0; !done; ++i) {
                const auto id = 1 + (i * 7 + static_cast<bd::customer_id>(t)) % customers;
                if (!dir->observe(version(id, 0).json(), 2000)) ++refused;
                bd::customer_query q;
                q.search = "name1";
                (void)dir->query(q);
            }
        });
    std::thread passes([&] {
        for (int v = 1; v <= 6; ++v) {
            std::vector<record> page;
            for (bd::customer_id id = 1; id <= customers; ++id) page.push_back(version(id, v));
            auto pass = dir->begin_pass();
            if (!pass->observe_page(bd::test::page_of(page), 3000 + v)) ++refused;
            (void)pass->finish(3000 + v);
        }
    });
    passes.join();
    done = true;
    for (auto& r : readers) r.join();
    BOOST_TEST(refused == 0u);

    full_pass(all, 5000);
    BOOST_TEST(dir->size() == std::size_t{customers});
    std::vector<bd::customer_entry> in_memory;
    for (bd::customer_id id = 1; id <= customers; ++id) in_memory.push_back(dir->find(id).value());
    reopen();
    for (const auto& e : in_memory) {
        const auto loaded = dir->find(e.id);
        BOOST_TEST_REQUIRE(loaded.has_value());
        BOOST_TEST(loaded->text == e.text);
        BOOST_TEST(loaded->fingerprint == e.fingerprint);
        BOOST_TEST(loaded->updated == e.updated);
        BOOST_TEST(loaded->last_name() == "Last");
    }
    bd::customer_query q;
    q.search = "renamed";
    BOOST_TEST(dir->query(q).matched == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(open_names_the_file_it_cannot_use, *boost::unit_test::precondition(bd::test::sqlite_only)) {
    bd::test::temp_folder tmp;
    std::ofstream(tmp / "plain-file") << "not a folder";
    const auto file = tmp / "plain-file" / "state" / "directory.db";
    try {
        bd::customer_directory::open(bd::test::options_for(file));
        BOOST_FAIL("open() did not throw");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find(file.string()) != std::string::npos, e.what());
    }
    if (::geteuid() != 0) {  // root writes anywhere
        std::filesystem::create_directories(tmp / "read-only");
        std::filesystem::permissions(tmp / "read-only", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
        BOOST_CHECK_THROW(bd::customer_directory::open(bd::test::options_for(tmp / "read-only" / "d.db")),
                          std::runtime_error);
        std::filesystem::permissions(tmp / "read-only", std::filesystem::perms::owner_all);
    }
}
