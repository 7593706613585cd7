#pragma once
// Where a directory test keeps its state: SQLite in a temporary folder, or, with
// BLUBRIDGE_TEST_STATE=postgresql, a real PostgreSQL server (one per test process) with a
// fresh database per case.
#include "test_records.hpp"

#include <test_support/postgres_server.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::directory::test {

inline bool on_postgresql() {
    const char* state = std::getenv("BLUBRIDGE_TEST_STATE");
    return state != nullptr && std::string_view(state) == "postgresql";
}

/// Started on first use, stopped when the process ends.
inline test_support::postgres_server& postgres() {
    static test_support::postgres_server instance;
    return instance;
}

/// A database of its own for one case: several directories opened on it share it.
inline shared_state fresh_shared_state(std::string account = "test-account") {
    static int databases = 0;
    return {.conninfo = postgres().create_database("case" + std::to_string(++databases)),
            .password = "",
            .account = std::move(account)};
}

/// nullopt unless the test runs on PostgreSQL.
inline std::optional<shared_state> fresh_database() {
    if (!on_postgresql()) return std::nullopt;
    return fresh_shared_state();
}

/// For cases that look at SQLite's file: `*boost::unit_test::precondition(sqlite_only)`.
inline boost::test_tools::assertion_result sqlite_only(boost::unit_test::test_unit_id) { return !on_postgresql(); }

}  // namespace blubridge::directory::test
