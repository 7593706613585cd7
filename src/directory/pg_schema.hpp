#pragma once
// The PostgreSQL schema, as numbered migrations kept in the repository.
#include <span>
#include <string_view>

namespace blubridge::directory {

struct pg_migration {
    int version;
    std::string_view description;
    std::string_view sql;
};

/// Every migration, ascending version. A database records the versions it has in
/// blubridge_schema; the ones it lacks are applied at start, each in its own transaction,
/// under an advisory lock so that gateways starting together apply each once.
std::span<const pg_migration> pg_migrations();

/// The channel the schema's triggers NOTIFY on. Payload: "<kind>:<id>:<account>", kind one
/// of c (a customer row), m (a suspended mark), k (kept members), r (the ready flag),
/// o (a delivery queued).
inline constexpr std::string_view pg_change_channel = "blubridge_state";

}  // namespace blubridge::directory
