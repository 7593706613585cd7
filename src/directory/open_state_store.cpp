#include "open_state_store.hpp"

#include "sqlite_state_store.hpp"

namespace blubridge::directory {

std::unique_ptr<state_store> open_state_store(const directory_options& options) {
    return std::make_unique<sqlite_state_store>(options.database);
}

}  // namespace blubridge::directory
