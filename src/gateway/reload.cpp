#include "reload.hpp"

#include <blubridge/config/load_config.hpp>
#include <blubridge/mapping/load_problem.hpp>

#include <set>
#include <sstream>

namespace blubridge::gateway {

namespace {

template <class Problems>
std::vector<std::string> located(const Problems& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems) out.push_back(p.to_string());
    return out;
}

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(' ') != std::string::npos) out.push_back(line.substr(line.find_first_not_of(' ')));
    return out;
}

// The settings read once at start (the listener, the thread pool, the upstream pool, the
// failure limiter, the directories and their syncs and deliverers) that `next` changes.
std::vector<std::string> restart_only_changes(const config::gateway_config& now, const config::gateway_config& next) {
    std::vector<std::string> changed;
    const auto check = [&](bool same, const char* key) {
        if (!same) changed.push_back(std::string(key) + " changed: it takes effect only at a restart");
    };
    check(now.listen_address == next.listen_address && now.listen_port == next.listen_port, "listen");
    check(now.threads == next.threads, "threads");
    check(now.state_dir == next.state_dir, "state_dir");
    // The state store and its connections are opened once; a rotated database password too.
    check(now.state == next.state, "state");
    check(now.limits == next.limits, "limits");
    check(now.upstream == next.upstream, "upstream");
    check(now.auth_failures == next.auth_failures, "auth");
    check(now.directory == next.directory, "directory");
    check(now.callbacks == next.callbacks, "callbacks");
    check(now.metrics_listen == next.metrics_listen, "metrics_listen");
    check(now.log == next.log, "log");
    // The certificate files are re-read at every reload; whether the listener speaks TLS is not.
    check(now.tls.enabled() == next.tls.enabled() && now.allow_plain_http == next.allow_plain_http,
          "tls on or off, allow_plain_http");
    return changed;
}

std::set<std::string> account_ids(const runtime& rt) {
    std::set<std::string> ids;
    for (const auto& c : rt.clients) ids.insert(c.account_id);
    return ids;
}

std::set<std::string> usernames(const runtime& rt) {
    std::set<std::string> names;
    for (const auto& c : rt.clients) names.insert(c.username);
    return names;
}

std::string count_change(const char* what, const std::set<std::string>& before, const std::set<std::string>& after) {
    std::size_t added = 0, removed = 0;
    for (const auto& a : after) added += before.count(a) == 0 ? 1 : 0;
    for (const auto& b : before) removed += after.count(b) == 0 ? 1 : 0;
    return std::string(what) + " " + std::to_string(after.size()) + " (+" + std::to_string(added) + " -" +
           std::to_string(removed) + ")";
}

// The new set, loaded and checked against the one serving; every problem if it is unsound.
boost::system::result<std::shared_ptr<const runtime>, reload_refused> load_checked(const std::filesystem::path& file,
                                                                                   const runtime& serving) {
    std::shared_ptr<const runtime> next;
    try {
        next = build_runtime(file);
    } catch (const config::config_error& e) {
        return reload_refused{located(e.problems())};
    } catch (const mapping::load_error& e) {
        return reload_refused{located(e.problems())};
    } catch (const std::exception& e) {
        return reload_refused{lines_of(e.what())};
    }
    auto problems = restart_only_changes(*serving.config, *next->config);
    if (directory_shape(serving) != directory_shape(*next)) {
        problems.push_back("the customer mapping's directory roles or status names changed: the open customer "
                           "directories record them, so this takes effect only at a restart");
    }
    if (!problems.empty()) return reload_refused{std::move(problems)};
    return next;
}

}  // namespace

reload_outcome reload(const std::filesystem::path& config_file, runtime_holder& runtimes, service_accounts& accounts,
                      const std::vector<reload_step>& steps) {
    const auto serving = runtimes.current();
    auto checked = load_checked(config_file, *serving);
    if (!checked) return checked.error();
    const auto& next = *checked;

    std::vector<std::function<void()>> switches;
    std::shared_ptr<const runtime> ready;
    try {
        for (const auto& step : steps) switches.push_back(step(*next));
    } catch (const std::exception& e) {
        return reload_refused{{e.what()}};
    }
    try {
        ready = with_accounts(*next, accounts.open(*next));
    } catch (const std::exception& e) {
        return reload_refused{{std::string("cannot open a customer directory: ") + e.what()}};
    }
    runtimes.replace(ready);
    accounts.commit(*ready);

    reload_done done{ready, count_change("clients", usernames(*serving), usernames(*ready)) + ", " +
                                count_change("accounts", account_ids(*serving), account_ids(*ready))};
    for (const auto& switch_over : switches) {
        try {
            if (switch_over) switch_over();
        } catch (const std::exception& e) {
            done.summary += "; after the swap: " + std::string(e.what());
        }
    }
    return done;
}

std::string describe(const reload_outcome& outcome) {
    if (outcome) return "reload: ok, " + outcome->summary;
    std::string line = "reload: refused, the old configuration keeps serving: ";
    const auto& problems = outcome.error().problems;
    for (std::size_t i = 0; i < problems.size(); ++i) line += (i == 0 ? "" : "; ") + problems[i];
    return line;
}

}  // namespace blubridge::gateway
