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

/// A part of the service re-read at each reload beside the configuration (a TLS listener's
/// certificate, say). Called with the checked new snapshot before the swap: it loads and
/// checks what that snapshot names and returns what to run once the snapshot serves (the
/// switch to what it loaded). Throwing refuses the reload with the exception's message,
/// nothing changed; an exception from the returned action is logged with the outcome.
using reload_step = std::function<std::function<void()>(const runtime& next)>;

/// Reads `config_file` and its mappings again, validates the whole new set and, if it is
/// sound, prepares each of `steps`, opens the accounts new clients use, swaps the set into
/// `runtimes` atomically (requests in flight finish on the snapshot they began with), lets
/// `accounts` start and stop what changed and runs what the steps returned.
///
/// Refused, with nothing changed: a configuration or mapping problem; a setting that only
/// takes effect at start (listen, threads, state_dir, state, limits, upstream, auth, directory,
/// log, metrics_listen, TLS on or off, callbacks) or a change of what the customer directories
/// record; a step that throws; a
/// directory that cannot be opened. Not thread-safe: the caller runs one reload at a time.
reload_outcome reload(const std::filesystem::path& config_file, runtime_holder& runtimes, service_accounts& accounts,
                      const std::vector<reload_step>& steps = {});

/// One log line for `outcome`: `reload: ok, clients 2 (+1 -0), accounts …` or `reload:
/// refused, the old configuration keeps serving: ` and the problems, separated by `; `.
std::string describe(const reload_outcome& outcome);

}  // namespace blubridge::gateway
