#define BOOST_TEST_MODULE directory pg_connection
#include <boost/test/unit_test.hpp>

#include "directory/detail/pg.hpp"

#include <test_support/postgres_server.hpp>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace detail = blubridge::directory::detail;
using detail::pg_connection;
using detail::pg_params;

namespace {

// One server for the whole binary (starting one takes about a second); a database per case.
blubridge::test::postgres_server& server() {
    static const auto instance = [] {
        const auto start = std::chrono::steady_clock::now();
        auto s = std::make_unique<blubridge::test::postgres_server>();
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        BOOST_TEST_MESSAGE("PostgreSQL ready on port " << s->port() << " after " << took.count() << " ms");
        return s;
    }();
    return *instance;
}

struct database_fixture {
    std::string database = "case_" + std::to_string(next());
    std::string conninfo = server().create_database(database);

    static int next() {
        static std::atomic<int> counter{0};
        return ++counter;
    }
};

// Waits on the socket (never a fixed sleep) until a notification arrives or `timeout` passes.
std::optional<detail::pg_notification> wait_for_notification(pg_connection& c, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto n = c.next_notification()) return n;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd fd{.fd = c.socket(), .events = POLLIN, .revents = 0};
        ::poll(&fd, 1, static_cast<int>(left.count()));
    }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pg_connection_suite, database_fixture)

BOOST_AUTO_TEST_CASE(connects_to_the_database_it_names) {
    pg_connection c(conninfo, "");
    BOOST_TEST(c.ok());
    BOOST_TEST(c.socket() >= 0);
    BOOST_TEST(c.backend_pid() > 0);
    const auto r = c.exec("SELECT current_database(), current_user");
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r.text(0, 0) == database);
    BOOST_TEST(r.text(0, 1) == "blubridge");
}

BOOST_AUTO_TEST_CASE(prepared_statements_round_trip_text_numbers_and_null) {
    pg_connection c(conninfo, "");
    const auto created = c.exec(
        "CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT, big BIGINT, note TEXT, small INTEGER); "
        "CREATE TABLE other (x INT)");
    BOOST_TEST_REQUIRE(created.ok(), created.error());

    BOOST_TEST_REQUIRE(c.prepare("insert_item", "INSERT INTO item VALUES ($1, $2, $3, $4, $5)", 5), c.error());
    BOOST_TEST_REQUIRE(c.prepare("select_item", "SELECT name, big, note, small, big::text FROM item WHERE id = $1", 1),
                       c.error());

    constexpr std::uint64_t above_int64 = 0xFEDCBA9876543210ull;  // > INT64_MAX: stored as a negative BIGINT
    static_assert(above_int64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    const auto first = c.exec_prepared(
        "insert_item", pg_params().add(std::int64_t{1}).add("Ada Lovelace").add(above_int64).add_null().add(-7));
    BOOST_TEST_REQUIRE(first.ok(), first.error());
    BOOST_TEST(first.affected() == 1u);
    const std::optional<std::string> note = "a note";
    const std::optional<std::int64_t> no_big;
    const auto second =
        c.exec_prepared("insert_item", pg_params().add(std::int64_t{2}).add("").add(no_big).add(note).add(0));
    BOOST_TEST_REQUIRE(second.ok(), second.error());

    const auto one = c.exec_prepared("select_item", pg_params().add(std::int64_t{1}));
    BOOST_TEST_REQUIRE(one.ok(), one.error());
    BOOST_TEST_REQUIRE(one.rows() == 1);
    BOOST_TEST(one.text(0, 0) == "Ada Lovelace");
    BOOST_TEST(one.uint64(0, 1) == above_int64);
    BOOST_TEST(one.int64(0, 1) == static_cast<std::int64_t>(above_int64));
    BOOST_TEST(one.text(0, 4) == "-81985529216486896");  // the same bits, signed
    BOOST_TEST(one.null(0, 2));
    BOOST_TEST(one.text(0, 2) == "");
    BOOST_TEST(one.int64(0, 3) == -7);

    const auto two = c.exec_prepared("select_item", pg_params().add(std::int64_t{2}));
    BOOST_TEST_REQUIRE(two.rows() == 1);
    BOOST_TEST(!two.null(0, 0));  // the empty text is not NULL
    BOOST_TEST(two.text(0, 0) == "");
    BOOST_TEST(two.null(0, 1));
    BOOST_TEST(two.int64(0, 1) == 0);
    BOOST_TEST(two.text(0, 2) == "a note");

    const auto none = c.exec_prepared("select_item", pg_params().add(std::int64_t{3}));
    BOOST_TEST(none.ok());
    BOOST_TEST(none.rows() == 0);
}

BOOST_AUTO_TEST_CASE(many_short_parameters_keep_their_values) {
    // Growing the parameter list moves short strings; values() must point at where they are now.
    pg_connection c(conninfo, "");
    pg_params params;
    std::string sql = "SELECT concat_ws(','";
    std::string expected;
    for (int i = 1; i <= 40; ++i) {
        params.add(std::to_string(i));
        sql += ", $" + std::to_string(i) + "::text";
        expected += (i > 1 ? "," : "") + std::to_string(i);
    }
    sql += ")";
    BOOST_TEST(params.size() == 40);
    const auto r = c.exec(sql, params);
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(r.text(0, 0) == expected);
}

BOOST_AUTO_TEST_CASE(several_statements_in_one_exec) {
    pg_connection c(conninfo, "");
    const auto r = c.exec("CREATE TABLE a (x INT); INSERT INTO a VALUES (1), (2), (3)");
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(r.affected() == 3u);
    const auto sum = c.exec("SELECT sum(x) FROM a WHERE x > $1", pg_params().add(1));
    BOOST_TEST(sum.int64(0, 0) == 5);
}

BOOST_AUTO_TEST_CASE(a_unique_violation_reports_sqlstate_23505) {
    pg_connection c(conninfo, "");
    BOOST_REQUIRE(c.exec("CREATE TABLE ref (account TEXT, reference TEXT, UNIQUE (account, reference))").ok());
    const char* insert = "INSERT INTO ref VALUES ($1, $2)";
    const auto first = c.exec(insert, pg_params().add("acme").add("CUST-1"));
    BOOST_TEST(first.ok());
    BOOST_TEST(first.sqlstate() == "");
    const auto again = c.exec(insert, pg_params().add("acme").add("CUST-1"));
    BOOST_TEST(!again.ok());
    BOOST_TEST(again.sqlstate() == "23505");
    BOOST_TEST(again.error().find("duplicate key") != std::string::npos, again.error());
    BOOST_TEST(again.error().back() != '\n');
    BOOST_TEST(c.ok());  // an error in a statement leaves the connection usable
    BOOST_TEST(c.exec(insert, pg_params().add("other").add("CUST-1")).ok());
}

BOOST_AUTO_TEST_CASE(a_failed_prepare_returns_false_with_the_message) {
    pg_connection c(conninfo, "");
    BOOST_TEST(!c.prepare("broken", "SELEKT 1", 0));
    BOOST_TEST(c.error().find("syntax error") != std::string::npos, c.error());
    const auto r = c.exec_prepared("broken", pg_params());
    BOOST_TEST(!r.ok());
    BOOST_TEST(r.sqlstate() == "26000");  // invalid_sql_statement_name: it was never prepared
}

BOOST_AUTO_TEST_CASE(a_notify_from_another_connection_arrives) {
    pg_connection listener(conninfo, "");
    pg_connection notifier(conninfo, "");
    BOOST_REQUIRE(listener.exec("LISTEN customer_changed").ok());
    BOOST_TEST(!listener.next_notification().has_value());

    const auto sent = notifier.exec("SELECT pg_notify($1, $2)", pg_params().add("customer_changed").add("acme 42"));
    BOOST_TEST_REQUIRE(sent.ok(), sent.error());

    const auto n = wait_for_notification(listener, std::chrono::seconds(10));
    BOOST_TEST_REQUIRE(n.has_value());
    BOOST_TEST(n->channel == "customer_changed");
    BOOST_TEST(n->payload == "acme 42");
    BOOST_TEST(n->backend_pid == notifier.backend_pid());
    BOOST_TEST(!listener.next_notification().has_value());  // one NOTIFY, one notification
}

BOOST_AUTO_TEST_CASE(a_failed_connection_throws_without_the_password) {
    const std::string password = "pw-Zq8x-never-shown";
    // Port 1: nothing listens there.
    try {
        pg_connection c("host=127.0.0.1 port=1 user=blubridge dbname=x connect_timeout=5", password);
        BOOST_FAIL("connected to port 1");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.rfind("PostgreSQL: ", 0) == 0u, message);
        BOOST_TEST(message.find("port 1") != std::string::npos, message);
        BOOST_TEST(message.find(password) == std::string::npos, message);
    }
    // libpq echoes a conninfo it cannot parse; a password pasted there is hidden too.
    try {
        pg_connection c("host=127.0.0.1 port=1 " + password, password);
        BOOST_FAIL("parsed a broken conninfo");
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("***") != std::string::npos, message);
        BOOST_TEST(message.find(password) == std::string::npos, message);
    }
}

BOOST_AUTO_TEST_CASE(a_uri_and_a_password_connect) {
    // Trust authentication ignores the password; this shows the URI is expanded beside it.
    const auto uri = "postgresql://blubridge@127.0.0.1:" + std::to_string(server().port()) + "/" + database;
    pg_connection c(uri, "unused-password");
    BOOST_TEST(c.ok());
    BOOST_TEST(c.exec("SELECT 1").ok());
}

BOOST_AUTO_TEST_CASE(reset_reconnects_after_the_server_ended_the_session) {
    pg_connection c(conninfo, "");
    pg_connection admin(conninfo, "");
    const int old_pid = c.backend_pid();
    // The timeout makes pg_terminate_backend wait until the backend is gone.
    const auto killed = admin.exec("SELECT pg_terminate_backend($1, 10000)", pg_params().add(old_pid));
    BOOST_TEST_REQUIRE(killed.ok(), killed.error());
    BOOST_TEST(killed.text(0, 0) == "t");

    const auto lost = c.exec("SELECT 1");
    BOOST_TEST(!lost.ok());
    BOOST_TEST(!lost.error().empty());
    BOOST_TEST(!c.ok());

    BOOST_TEST_REQUIRE(c.reset(), c.error());
    BOOST_TEST(c.ok());
    BOOST_TEST(c.backend_pid() != old_pid);
    const auto again = c.exec("SELECT 41 + 1");
    BOOST_TEST(again.int64(0, 0) == 42);
}

BOOST_AUTO_TEST_CASE(identifiers_and_literals_are_quoted) {
    pg_connection c(conninfo, "");
    const auto table = detail::pg_identifier(c, "we\"ird name");
    BOOST_TEST(table == "\"we\"\"ird name\"");
    const auto literal = detail::pg_literal(c, "it's");
    BOOST_TEST(literal == "'it''s'");
    BOOST_TEST_REQUIRE(c.exec("CREATE TABLE " + table + " (v TEXT)").ok());
    BOOST_TEST_REQUIRE(c.exec("INSERT INTO " + table + " VALUES (" + literal + ")").ok());
    BOOST_TEST(c.exec("SELECT v FROM " + table).text(0, 0) == "it's");
}

BOOST_AUTO_TEST_CASE(databases_of_two_cases_are_apart) {
    const auto other = server().create_database("apart_" + std::to_string(database_fixture::next()));
    BOOST_TEST(other != conninfo);
    pg_connection here(conninfo, "");
    pg_connection there(other, "");
    BOOST_REQUIRE(here.exec("CREATE TABLE only_here (x INT)").ok());
    const auto r = there.exec("SELECT 1 FROM only_here");
    BOOST_TEST(!r.ok());
    BOOST_TEST(r.sqlstate() == "42P01");  // undefined_table
}

BOOST_AUTO_TEST_CASE(a_connection_not_connected_fails_softly) {
    pg_connection c;
    BOOST_TEST(!c.ok());
    BOOST_TEST(!c.exec("SELECT 1").ok());
    BOOST_TEST(!c.prepare("p", "SELECT 1", 0));
    BOOST_TEST(!c.reset());
    BOOST_TEST(!c.next_notification().has_value());
    BOOST_TEST(c.socket() == -1);

    pg_connection moved_from(conninfo, "");
    pg_connection moved = std::move(moved_from);
    BOOST_TEST(moved.ok());
    BOOST_TEST(moved.exec("SELECT 1").ok());
}

BOOST_AUTO_TEST_SUITE_END()
