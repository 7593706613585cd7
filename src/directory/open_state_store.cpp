#include "open_state_store.hpp"

#include "pg_state_store.hpp"
#include "sqlite_state_store.hpp"

namespace blubridge::directory {

std::unique_ptr<state_store> open_state_store(const directory_options& options) {
    if (options.postgresql)
        return std::make_unique<pg_state_store>(pg_target{.conninfo = options.postgresql->conninfo,
                                                          .password = options.postgresql->password,
                                                          .account = options.postgresql->account});
    return std::make_unique<sqlite_state_store>(options.database);
}

}  // namespace blubridge::directory
