#define BOOST_TEST_MODULE directory state_store
#include <boost/test/unit_test.hpp>

#include "directory/detail/entry_text.hpp"
#include "directory/sqlite_state_store.hpp"
#include "test_records.hpp"

#include <sqlite3.h>

#include <fstream>

namespace bd = blubridge::directory;

namespace {

bd::customer_entry entry(bd::customer_id id, std::string reference) {
    bd::customer_entry e;
    e.id = id;
    e.fingerprint = 0xfedcba9876543210ULL;  // above INT64_MAX: stored as its bits
    e.created = 100;
    e.updated = 200;
    e.flags = {.active = true, .suspended = true};
    e.text = bd::detail::join_fields(reference, "Name", "Last", "", "a@b.test");
    return e;
}

std::vector<bd::customer_entry> read_all(bd::state_store& store) {
    std::vector<bd::customer_entry> all;
    store.read_customers([&](const bd::customer_entry& e) { all.push_back(e); });
    return all;
}

bool message_names(const std::runtime_error& e, const std::filesystem::path& file) {
    return std::string(e.what()).find(file.string()) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(creates_its_folder_and_file_in_wal_mode) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "state" / "nested" / "directory.db";
    bd::sqlite_state_store store(file);
    BOOST_TEST(std::filesystem::exists(file));
    BOOST_TEST(!store.read_ready());
    BOOST_TEST(store.count_customers() == 0u);

    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
    BOOST_REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) == "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

BOOST_AUTO_TEST_CASE(committed_batches_are_read_back_after_reopening) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "d.db";
    {
        bd::sqlite_state_store store(file);
        const auto batch = store.begin_batch();
        batch->put_customer(entry(2, "R2"));
        batch->put_customer(entry(1, "R1"));
        batch->put_customer(entry(3, "R3"));
        batch->remove_customer(3);
        batch->set_ready();
        BOOST_TEST(batch->commit());
    }
    bd::sqlite_state_store store(file);
    BOOST_TEST(store.read_ready());
    BOOST_TEST(store.count_customers() == 2u);
    const auto all = read_all(store);
    BOOST_REQUIRE(all.size() == 2u);
    BOOST_TEST(all[0].id == 1u);  // ascending
    BOOST_TEST(all[1].reference() == "R2");
    BOOST_TEST(all[1].text == entry(2, "R2").text);
    BOOST_TEST(all[1].fingerprint == 0xfedcba9876543210ULL);
    BOOST_TEST(all[1].created == 100);
    BOOST_TEST(all[1].updated == 200);
    BOOST_TEST(all[1].flags.active);
    BOOST_TEST(all[1].flags.suspended);
}

BOOST_AUTO_TEST_CASE(an_uncommitted_batch_is_rolled_back) {
    bd::test::temp_folder tmp;
    bd::sqlite_state_store store(tmp / "d.db");
    {
        const auto batch = store.begin_batch();
        batch->put_customer(entry(1, "R1"));
        batch->set_ready();
    }
    BOOST_TEST(store.count_customers() == 0u);
    BOOST_TEST(!store.read_ready());
}

BOOST_AUTO_TEST_CASE(a_batch_with_nothing_to_write_takes_no_lock) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "d.db";
    bd::sqlite_state_store store(file);
    sqlite3* other = nullptr;
    BOOST_REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    const auto batch = store.begin_batch();
    BOOST_TEST(batch->commit());  // at once: the other writer's lock was never asked for
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
}

BOOST_AUTO_TEST_CASE(a_failed_step_fails_the_whole_batch) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "d.db";
    bd::sqlite_state_store store(file);
    sqlite3* other = nullptr;
    BOOST_REQUIRE(sqlite3_open(file.c_str(), &other) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(other, "DROP TABLE autopay_preferences", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);

    const auto batch = store.begin_batch();
    batch->put_customer(entry(1, "R1"));
    batch->set_autopay(1, 77, 1);
    batch->put_customer(entry(2, "R2"));
    BOOST_TEST(!batch->commit());
    BOOST_TEST(store.last_error().find("autopay") != std::string::npos);
    BOOST_TEST(store.count_customers() == 0u);
}

BOOST_AUTO_TEST_CASE(transitions_get_ids_in_order_and_are_found_by_time) {
    bd::test::temp_folder tmp;
    bd::sqlite_state_store store(tmp / "d.db");
    const auto batch = store.begin_batch();
    const auto first = batch->add_transition({.customer = 5, .reference = "R5", .at = 10, .previous = "Active", .next = "Suspended1"});
    const auto second = batch->add_transition({.customer = 6, .reference = "R6", .at = 20, .previous = "Suspended1", .next = "Active"});
    const auto third = batch->add_transition({.customer = 5, .reference = "R5", .at = 30, .previous = "Suspended1", .next = "Active"});
    BOOST_REQUIRE(batch->commit());
    BOOST_TEST(first == 1u);
    BOOST_TEST(second == 2u);
    BOOST_TEST(third == 3u);

    std::vector<bd::transition> found;
    BOOST_REQUIRE(store.transitions(20, 30, found));
    BOOST_REQUIRE(found.size() == 2u);
    BOOST_TEST(found[0].id == 2u);
    BOOST_TEST(found[0].customer == 6u);
    BOOST_TEST(found[0].reference == "R6");
    BOOST_TEST(found[0].previous == "Suspended1");
    BOOST_TEST(found[0].next == "Active");
    BOOST_TEST(found[1].id == 3u);

    std::optional<bd::transition> one;
    BOOST_REQUIRE(store.find_transition(1, one));
    BOOST_REQUIRE(one);
    BOOST_TEST(one->at == 10);
    one.reset();
    BOOST_REQUIRE(store.find_transition(99, one));
    BOOST_TEST(!one);
}

BOOST_AUTO_TEST_CASE(the_outbox_answers_oldest_first) {
    bd::test::temp_folder tmp;
    bd::sqlite_state_store store(tmp / "d.db");
    {
        const auto batch = store.begin_batch();
        batch->queue_delivery(2, "http://b", 50);
        batch->queue_delivery(2, "http://a", 50);
        batch->queue_delivery(1, "http://b", 60);
        batch->queue_delivery(3, "http://a", 40);
        batch->queue_delivery(3, "http://a", 10);  // already queued: ignored
        BOOST_REQUIRE(batch->commit());
    }
    std::vector<bd::delivery> due;
    BOOST_REQUIRE(store.due_deliveries(55, 10, due));
    BOOST_REQUIRE(due.size() == 3u);
    BOOST_TEST(due[0].transition_id == 3u);
    BOOST_TEST(due[0].due == 40);
    BOOST_TEST(due[1].url == "http://b");  // queued first for transition 2
    BOOST_TEST(due[2].url == "http://a");
    BOOST_TEST(due[2].attempts == 0u);

    std::optional<bd::unix_seconds> next;
    BOOST_REQUIRE(store.next_delivery_due(next));
    BOOST_TEST(*next == 40);
    {
        const auto batch = store.begin_batch();
        batch->retry_delivery(3, "http://a", 70);
        batch->remove_delivery(2, "http://b");
        batch->remove_delivery(2, "http://a");
        batch->remove_delivery(1, "http://b");
        BOOST_REQUIRE(batch->commit());
    }
    due.clear();
    BOOST_REQUIRE(store.due_deliveries(100, 10, due));
    BOOST_REQUIRE(due.size() == 1u);
    BOOST_TEST(due[0].attempts == 1u);
    BOOST_TEST(due[0].due == 70);
    {
        const auto batch = store.begin_batch();
        batch->remove_delivery(3, "http://a");
        BOOST_REQUIRE(batch->commit());
    }
    next.reset();
    BOOST_REQUIRE(store.next_delivery_due(next));
    BOOST_TEST(!next);
}

BOOST_AUTO_TEST_CASE(autopay_preferences_are_kept_per_method) {
    bd::test::temp_folder tmp;
    bd::sqlite_state_store store(tmp / "d.db");
    {
        const auto batch = store.begin_batch();
        batch->set_autopay(1, 100, 1);
        batch->set_autopay(1, 101, 2);
        batch->set_autopay(2, 200, 3);
        batch->set_autopay(1, 101, 3);  // replaces
        BOOST_REQUIRE(batch->commit());
    }
    std::optional<int> p;
    BOOST_REQUIRE(store.autopay_preference(101, p));
    BOOST_TEST(*p == 3);
    {
        const auto batch = store.begin_batch();
        batch->forget_autopay(1);
        BOOST_REQUIRE(batch->commit());
    }
    p.reset();
    BOOST_REQUIRE(store.autopay_preference(100, p));
    BOOST_TEST(!p);
    BOOST_REQUIRE(store.autopay_preference(200, p));
    BOOST_TEST(*p == 3);
}

BOOST_AUTO_TEST_CASE(opening_an_unusable_path_throws_naming_the_file) {
    bd::test::temp_folder tmp;
    std::ofstream(tmp / "plain-file") << "not a folder";
    const auto under_a_file = tmp / "plain-file" / "d.db";
    BOOST_CHECK_EXCEPTION(bd::sqlite_state_store{under_a_file}, std::runtime_error,
                          [&](const std::runtime_error& e) { return message_names(e, under_a_file); });

    std::filesystem::create_directories(tmp / "a-folder");
    BOOST_CHECK_EXCEPTION(bd::sqlite_state_store{tmp / "a-folder"}, std::runtime_error,
                          [&](const std::runtime_error& e) { return message_names(e, tmp / "a-folder"); });

    std::ofstream(tmp / "garbage.db") << std::string(4096, 'x');
    BOOST_CHECK_EXCEPTION(bd::sqlite_state_store{tmp / "garbage.db"}, std::runtime_error,
                          [&](const std::runtime_error& e) { return message_names(e, tmp / "garbage.db"); });
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "d.db";
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "PRAGMA user_version = 4", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    BOOST_CHECK_EXCEPTION(bd::sqlite_state_store{file}, std::runtime_error, [&](const std::runtime_error& e) {
        return message_names(e, file) && std::string(e.what()).find("newer") != std::string::npos;
    });
}
