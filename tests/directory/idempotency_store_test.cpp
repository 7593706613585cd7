#define BOOST_TEST_MODULE directory idempotency_store
#include <boost/test/unit_test.hpp>

#include <blubridge/directory/idempotency_store.hpp>

#include "test_records.hpp"
#include "test_state.hpp"

#include "directory/detail/pg.hpp"

#include <sqlite3.h>

namespace bd = blubridge::directory;
using outcome = bd::idempotency_claim::state;

namespace {

constexpr std::int64_t lease = 60;
constexpr std::int64_t retention = 86400;
constexpr bd::unix_seconds t0 = 1'700'000'000;

struct store_fixture {
    bd::test::temp_folder tmp;
    std::filesystem::path file = tmp / "state" / "directory.db";
    std::optional<bd::shared_state> database = bd::test::fresh_database();
    std::shared_ptr<bd::customer_directory> dir = open();

    std::shared_ptr<bd::customer_directory> open() const {
        auto options = bd::test::options_for(file);
        options.postgresql = database;
        return bd::customer_directory::open(std::move(options));
    }
    // Makes every later call fail, behind the store's back.
    void drop_the_idempotency_table() const;

    bd::idempotency_claim claim(std::string_view client, std::string_view key, std::string_view hash,
                                bd::unix_seconds now) {
        return dir->idempotency().claim(client, key, hash, now, lease, retention);
    }
    void reopen() {
        dir.reset();
        dir = open();
    }
};

// Runs statements on the file through a second connection.
void exec_on(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, message);
}

std::int64_t query_int(const std::filesystem::path& file, const char* sql) {
    sqlite3* db = nullptr;
    BOOST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    const auto value = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return value;
}

void store_fixture::drop_the_idempotency_table() const {
    if (database) {
        bd::detail::pg_connection other(database->conninfo, "");
        BOOST_REQUIRE(other.exec("DROP TABLE idempotency").ok());
        return;
    }
    exec_on(file, "DROP TABLE idempotency");
}

// The schema of blubridge's state store at version 1, as it was released.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS customers(
  id INTEGER PRIMARY KEY,
  fingerprint INTEGER NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  active INTEGER NOT NULL,
  suspended INTEGER NOT NULL,
  reference TEXT NOT NULL,
  name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  company TEXT NOT NULL,
  email TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transitions(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer INTEGER NOT NULL,
  reference TEXT NOT NULL,
  at INTEGER NOT NULL,
  previous TEXT NOT NULL,
  next TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS transitions_by_at ON transitions(at);
CREATE TABLE IF NOT EXISTS outbox(
  transition_id INTEGER NOT NULL,
  url TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due INTEGER NOT NULL,
  UNIQUE(transition_id, url));
CREATE INDEX IF NOT EXISTS outbox_by_due ON outbox(due, transition_id);
CREATE TABLE IF NOT EXISTS autopay_preferences(
  method INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL,
  preference INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS autopay_by_customer ON autopay_preferences(customer);
PRAGMA user_version = 1;
)sql";

}  // namespace

BOOST_FIXTURE_TEST_SUITE(idempotency, store_fixture)

BOOST_AUTO_TEST_CASE(a_new_key_is_claimed_and_its_answer_replayed) {
    BOOST_TEST((claim("client-a", "k1", "h1", t0).outcome == outcome::claimed));
    // Bytes a text column would not keep whole: a NUL inside.
    const std::string body("<customer>\0</customer>", 22);
    dir->idempotency().complete("client-a", "k1", {.status = 201, .body = body}, t0 + 1);
    const auto again = claim("client-a", "k1", "h1", t0 + 2);
    BOOST_TEST((again.outcome == outcome::replay));
    BOOST_TEST(again.answer.status == 201u);
    BOOST_TEST(again.answer.body == body);
}

BOOST_AUTO_TEST_CASE(a_running_claim_is_busy_until_its_lease_ends_then_taken_over) {
    BOOST_TEST((claim("c", "k", "h", t0).outcome == outcome::claimed));
    BOOST_TEST((claim("c", "k", "h", t0 + 1).outcome == outcome::busy));
    BOOST_TEST((claim("c", "k", "other", t0 + lease).outcome == outcome::busy));  // still within its lease
    // The gateway that claimed it stopped: the next claim takes it over and holds it anew.
    BOOST_TEST((claim("c", "k", "h", t0 + lease + 1).outcome == outcome::claimed));
    BOOST_TEST((claim("c", "k", "h", t0 + lease + 2).outcome == outcome::busy));
    dir->idempotency().complete("c", "k", {.status = 200, .body = "done"}, t0 + lease + 3);
    BOOST_TEST(claim("c", "k", "h", t0 + lease + 4).answer.body == "done");
}

BOOST_AUTO_TEST_CASE(a_key_used_with_another_request_is_a_mismatch) {
    claim("c", "k", "h1", t0);
    dir->idempotency().complete("c", "k", {.status = 201, .body = "first"}, t0 + 1);
    const auto other = claim("c", "k", "h2", t0 + 2);
    BOOST_TEST((other.outcome == outcome::mismatch));
    BOOST_TEST(other.answer.body.empty());
    // The answer is untouched.
    BOOST_TEST((claim("c", "k", "h1", t0 + 3).outcome == outcome::replay));
}

BOOST_AUTO_TEST_CASE(an_unresolved_create_resumes_with_the_id_to_look_above) {
    claim("c", "k", "h", t0);
    dir->idempotency().mark_unresolved_create("c", "k", 41);
    BOOST_TEST((claim("c", "k", "other", t0 + 1).outcome == outcome::mismatch));
    const auto resumed = claim("c", "k", "h", t0 + 2);
    BOOST_TEST((resumed.outcome == outcome::resume));
    BOOST_TEST((resumed.unresolved_create_after == std::optional<std::uint64_t>(41)));
    // Resumed is running again: a concurrent retry waits.
    BOOST_TEST((claim("c", "k", "h", t0 + 3).outcome == outcome::busy));
    dir->idempotency().complete("c", "k", {.status = 201, .body = "found"}, t0 + 4);
    const auto replayed = claim("c", "k", "h", t0 + 5);
    BOOST_TEST((replayed.outcome == outcome::replay));
    BOOST_TEST(replayed.answer.body == "found");
}

BOOST_AUTO_TEST_CASE(a_resumed_create_abandoned_mid_request_resumes_again) {
    claim("c", "k", "h", t0);
    dir->idempotency().mark_unresolved_create("c", "k", 41);
    BOOST_TEST((claim("c", "k", "h", t0 + 1).outcome == outcome::resume));
    // The gateway stopped while looking: past the lease the next retry looks again.
    const auto again = claim("c", "k", "h", t0 + 2 + lease);
    BOOST_TEST((again.outcome == outcome::resume));
    BOOST_TEST((again.unresolved_create_after == std::optional<std::uint64_t>(41)));
    // Another request with the key after the lease is a fresh claim, not a resume.
    BOOST_TEST((claim("c", "k", "other", t0 + 4 + 2 * lease).outcome == outcome::claimed));
}

BOOST_AUTO_TEST_CASE(an_answer_older_than_the_retention_is_forgotten) {
    claim("c", "k", "h", t0);
    dir->idempotency().complete("c", "k", {.status = 201, .body = "old"}, t0 + 10);
    BOOST_TEST((claim("c", "k", "other", t0 + 10 + retention).outcome == outcome::mismatch));
    BOOST_TEST((claim("c", "k", "other", t0 + 10 + retention + 1).outcome == outcome::claimed));
}

BOOST_AUTO_TEST_CASE(release_frees_the_key) {
    claim("c", "k", "h", t0);
    dir->idempotency().release("c", "k");
    BOOST_TEST((claim("c", "k", "other", t0 + 1).outcome == outcome::claimed));
}

BOOST_AUTO_TEST_CASE(keys_are_scoped_by_client) {
    claim("client-a", "k", "h", t0);
    dir->idempotency().complete("client-a", "k", {.status = 201, .body = "a's"}, t0 + 1);
    const auto b = claim("client-b", "k", "h", t0 + 2);
    BOOST_TEST((b.outcome == outcome::claimed));
    BOOST_TEST(b.answer.body.empty());
    dir->idempotency().complete("client-b", "k", {.status = 200, .body = "b's"}, t0 + 3);
    dir->idempotency().release("client-b", "k");
    BOOST_TEST(claim("client-a", "k", "h", t0 + 4).answer.body == "a's");
}

BOOST_AUTO_TEST_CASE(expire_forgets_rows_older_than_the_bound) {
    claim("c", "old", "h", t0);
    dir->idempotency().complete("c", "old", {.status = 200, .body = "x"}, t0);
    claim("c", "running", "h", t0 + 5);
    claim("c", "new", "h", t0 + 10);
    BOOST_TEST(dir->idempotency().expire(t0 + 10) == 2u);
    BOOST_TEST(dir->idempotency().expire(t0 + 10) == 0u);
    BOOST_TEST((claim("c", "old", "other", t0 + 11).outcome == outcome::claimed));
    BOOST_TEST((claim("c", "new", "h", t0 + 11).outcome == outcome::busy));
}

BOOST_AUTO_TEST_CASE(an_answer_survives_reopening) {
    claim("c", "k", "h", t0);
    dir->idempotency().complete("c", "k", {.status = 201, .body = "kept"}, t0 + 1);
    claim("c", "unresolved", "h", t0);
    dir->idempotency().mark_unresolved_create("c", "unresolved", 7);
    reopen();
    const auto replayed = claim("c", "k", "h", t0 + 2);
    BOOST_TEST((replayed.outcome == outcome::replay));
    BOOST_TEST(replayed.answer.status == 201u);
    BOOST_TEST(replayed.answer.body == "kept");
    BOOST_TEST((claim("c", "unresolved", "h", t0 + 2).unresolved_create_after == std::optional<std::uint64_t>(7)));
}

BOOST_AUTO_TEST_CASE(a_store_that_cannot_be_written_leaves_requests_unprotected) {
    claim("c", "k", "h", t0);
    dir->idempotency().complete("c", "k", {.status = 201, .body = "x"}, t0 + 1);
    drop_the_idempotency_table();
    // Every call fails in the store; claims answer claimed (the request runs) and nothing throws.
    BOOST_TEST((claim("c", "k", "h", t0 + 2).outcome == outcome::claimed));
    dir->idempotency().complete("c", "k", {.status = 201, .body = "y"}, t0 + 3);
    BOOST_TEST((claim("c", "k", "h", t0 + 4).outcome == outcome::claimed));
    dir->idempotency().mark_unresolved_create("c", "k", 1);
    dir->idempotency().release("c", "k");
    BOOST_TEST(dir->idempotency().expire(t0 + 10) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(a_version_1_database_gains_the_tables_and_keeps_its_customers,
                     *boost::unit_test::precondition(bd::test::sqlite_only)) {
    bd::test::temp_folder tmp;
    const auto file = tmp / "v1.db";
    exec_on(file, schema_v1);
    exec_on(file,
            "INSERT INTO customers VALUES(7, 1, 100, 200, 1, 0, 'R7', 'Name', 'Last', '', 'a@b.test');"
            "INSERT INTO meta VALUES('ready', '1');");
    BOOST_REQUIRE(query_int(file, "PRAGMA user_version") == 1);

    auto dir = bd::customer_directory::open(bd::test::options_for(file));
    BOOST_TEST(dir->ready());
    BOOST_TEST(dir->size() == 1u);
    BOOST_TEST(dir->find(7).value().reference() == "R7");
    BOOST_TEST(query_int(file, "PRAGMA user_version") == 3);
    BOOST_TEST(query_int(file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'idempotency'") == 1);
    BOOST_TEST(query_int(file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'kept_members'") == 1);
    BOOST_TEST(query_int(file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'suspended_marks'") ==
               1);
    BOOST_TEST(query_int(file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'idempotency_by_at'") ==
               1);
    BOOST_TEST((dir->idempotency().claim("c", "k", "h", t0, lease, retention).outcome == outcome::claimed));
    dir->idempotency().complete("c", "k", {.status = 201, .body = "b"}, t0);
    BOOST_TEST((dir->idempotency().claim("c", "k", "h", t0, lease, retention).outcome == outcome::replay));
}
