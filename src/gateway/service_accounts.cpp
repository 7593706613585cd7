#include "service_accounts.hpp"

#include "directory_resolver.hpp"
#include "keyed_mutex.hpp"
#include "metric_samplers.hpp"
#include "transition_renderer.hpp"

#include <cctype>
#include <stdexcept>

namespace blubridge::gateway {

namespace {

std::string file_safe(std::string_view account) {
    std::string out(account);
    for (auto& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    return out;
}

const std::string& authorization_of(const runtime& rt, std::string_view account_id) {
    for (const auto& c : rt.clients)
        if (c.account_id == account_id) return c.billagain_authorization;
    throw std::logic_error("no client of account " + std::string(account_id));
}

// The deliverer's outcome lines, in the shape of every other line (event `callback`);
// failed attempts are warnings, so `log: {level: warn}` still shows them.
callbacks::delivery_log callback_log(std::shared_ptr<const log::logger> logger) {
    return [logger = std::move(logger)](bool problem, std::string_view line) {
        logger->write(problem ? log::level::warn : log::level::info, "callback", {{"message", line}});
    };
}

}  // namespace

directory::directory_options directory_options_for(const runtime& rt, std::string_view account_id) {
    const auto& roles = rt.dtos.customer_roles;
    directory::directory_options options;
    options.database = rt.config->state_dir / ("directory-" + file_safe(account_id) + ".sqlite3");
    if (const auto& state = rt.config->state; state.backend == config::state_settings::kind::postgresql)
        options.postgresql = directory::shared_state{
            .conninfo = state.conninfo, .password = state.password, .account = std::string(account_id)};
    options.fields = {roles.id,    roles.reference, roles.name,      roles.last_name, roles.company,
                      roles.email, roles.active,    roles.suspended, roles.created};
    options.status_name = [names = rt.dtos.status_names](directory::status_flags f) { return names[f.index()]; };
    options.callback_urls = rt.config->callbacks.urls;
    return options;
}

std::string directory_shape(const runtime& rt) {
    const auto& roles = rt.dtos.customer_roles;
    std::string shape;
    for (const auto* part : {&roles.id, &roles.reference, &roles.name, &roles.last_name, &roles.company, &roles.email,
                             &roles.active, &roles.suspended, &roles.created, &rt.dtos.list_roles.ids})
        shape += *part + '\n';
    for (const auto& name : rt.dtos.status_names) shape += name + '\n';
    return shape;
}

service_accounts::service_accounts(net::any_io_executor executor, std::shared_ptr<runtime_holder> runtimes,
                                   std::shared_ptr<upstream::client> upstream,
                                   std::shared_ptr<const log::logger> logger, std::shared_ptr<gateway_metrics> metrics)
    : executor_(std::move(executor)),
      runtimes_(std::move(runtimes)),
      upstream_(std::move(upstream)),
      logger_(std::move(logger)),
      metrics_(std::move(metrics)) {}

std::shared_ptr<const account_registry> service_accounts::open(const runtime& next) {
    std::lock_guard lock(mutex_);
    auto registry = std::make_shared<account_registry>();
    for (const auto& client : next.clients) {
        if (registry->find(client.account_id) != nullptr) continue;
        if (auto it = running_.find(client.account_id); it != running_.end()) {
            registry->add(it->second.acct);
            continue;
        }
        account acct{client.account_id,
                     directory::customer_directory::open(directory_options_for(next, client.account_id)), nullptr,
                     !started_};
        acct.resolver = std::make_shared<directory_resolver>(acct.directory);
        registry->add(std::move(acct));
    }
    return registry;
}

service_accounts::running service_accounts::start_account(const runtime& rt, const account& acct,
                                                          const std::string& authorization) {
    const auto& cfg = *rt.config;
    running r{acct,
              std::make_shared<directory_sync>(executor_, acct.directory, upstream_, authorization,
                                               rt.dtos.list_roles.ids, cfg.directory, acct.id, logger_),
              nullptr};
    // The sampler holds weak references: an account a reload removed stops being read.
    metrics_->add_sampler(account_sampler(acct.id, acct.directory, r.sync));
    r.sync->start();
    if (!cfg.callbacks.urls.empty()) {
        auto locks = std::make_shared<keyed_mutex>();
        // With shared state the outbox's calls wait for the database: on the locks' pool.
        const auto blocking =
            acct.directory->shared() ? locks->blocking_executor() : net::any_io_executor{};
        r.deliverer = callbacks::make_callback_deliverer(executor_, acct.directory, cfg.callbacks,
                                                         make_transition_renderer(runtimes_, upstream_, acct, locks),
                                                         callback_log(logger_), blocking);
        r.deliverer->start();
    }
    return r;
}

void service_accounts::commit(const runtime& next) {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    started_ = true;
    std::map<std::string, running, std::less<>> kept;
    for (const auto& [id, acct] : next.accounts->all()) {
        const auto& authorization = authorization_of(next, id);
        if (auto it = running_.find(id); it != running_.end()) {
            it->second.sync->set_authorization(authorization);
            kept.emplace(id, std::move(it->second));
            running_.erase(it);
        } else {
            kept.emplace(id, start_account(next, acct, authorization));
        }
    }
    for (auto& [id, gone] : running_) {
        gone.sync->stop();
        if (gone.deliverer) gone.deliverer->stop();
    }
    running_ = std::move(kept);
}

void service_accounts::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (auto& [id, r] : running_) {
        r.sync->stop();
        if (r.deliverer) r.deliverer->stop();
    }
}

}  // namespace blubridge::gateway
