#pragma once
#include "runtime.hpp"
#include "service_accounts.hpp"

#include <boost/system/result.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace blubridge::gateway {

/// A reload that took effect: the new snapshot serves new requests.
struct reload_done {
    std::shared_ptr<const runtime> serving;
    std::string summary;  ///< what changed, for the log: clients and accounts added and removed
};

/// A reload that was refused: the snapshot serving before still serves.
struct reload_refused {
    /// Every problem, one per entry: `file:line:column: message` for the configuration and
    /// the mappings, or the settings that need a restart.
    std::vector<std::string> problems;
};

using reload_outcome = boost::system::result<reload_done, reload_refused>;

/// Run after a successful swap, with the snapshot now serving (things re-read at reload,
/// such as a listener's certificate). Thrown exceptions are logged, not undone.
using after_reload = std::function<void(const runtime& serving)>;

/// Reads `config_file` and its mappings again, validates the whole new set and, if it is
/// sound, opens the accounts new clients use, swaps it into `runtimes` atomically (requests
/// in flight finish on the snapshot they began with), then lets `accounts` start and stop
/// what changed and runs each of `after`.
///
/// Refused, with nothing changed: a configuration or mapping problem; a setting that only
/// takes effect at start (listen, threads, state_dir, limits, upstream, auth, directory,
/// callbacks) or a change of what the customer directories record; a directory that
/// cannot be opened. Not thread-safe: the caller runs one reload at a time.
reload_outcome reload(const std::filesystem::path& config_file, runtime_holder& runtimes, service_accounts& accounts,
                      const std::vector<after_reload>& after = {});

/// One log line for `outcome`: `reload: ok, clients 2 (+1 -0), accounts …` or `reload:
/// refused, the old configuration keeps serving: ` and the problems, separated by `; `.
std::string describe(const reload_outcome& outcome);

}  // namespace blubridge::gateway
