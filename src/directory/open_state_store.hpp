#pragma once
// Picks the state_store a directory's options ask for.
#include "state_store.hpp"

#include <memory>

namespace blubridge::directory {

/// SQLite at options.database, or PostgreSQL when options.postgresql is set. Throws
/// std::runtime_error naming the store when it cannot be opened.
std::unique_ptr<state_store> open_state_store(const directory_options& options);

}  // namespace blubridge::directory
