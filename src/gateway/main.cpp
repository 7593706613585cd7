// blubridge: serves the BluBilling customer XML API over the Billagain JSON API.
#include "directory_resolver.hpp"
#include "directory_sync.hpp"
#include "gateway_handler.hpp"
#include "measured_upstream.hpp"
#include "metric_samplers.hpp"
#include "metrics_handler.hpp"
#include "runtime.hpp"
#include "transition_renderer.hpp"

#include <blubridge/auth/password_hash.hpp>
#include <blubridge/build_info.hpp>
#include <blubridge/config/load_config.hpp>
#include <blubridge/http/server.hpp>
#include <blubridge/log/logger.hpp>
#include <blubridge/mapping/load_problem.hpp>
#include <blubridge/service/socket_activation.hpp>
#include <blubridge/service/systemd_notifier.hpp>
#include <blubridge/upstream/pooled_client.hpp>

#include <boost/program_options.hpp>

#include <iostream>
#include <optional>
#include <thread>

namespace po = boost::program_options;
namespace gw = blubridge::gateway;
namespace net = boost::asio;

namespace {

constexpr int exit_usage = 2;  // also: configuration or mappings refused

int hash_password_from_stdin() {
    std::string password;
    std::getline(std::cin, password);
    if (password.empty()) {
        std::cerr << "blubridge: give the password on standard input\n";
        return exit_usage;
    }
    std::cout << blubridge::auth::hash_password(password).to_string() << "\n";
    return 0;
}

std::shared_ptr<const gw::runtime> load(const std::string& file) {
    try {
        return gw::build_runtime(file);
    } catch (const blubridge::config::config_error& e) {
        std::cerr << e.what();
    } catch (const blubridge::mapping::load_error& e) {
        std::cerr << e.what();
    } catch (const std::exception& e) {
        std::cerr << "blubridge: " << e.what() << "\n";
    }
    return nullptr;
}

std::string file_safe(std::string_view account) {
    std::string out(account);
    for (auto& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
    return out;
}

// Each Billagain account the clients use: its directory (opened from the state folder),
// the sync that keeps it current and the deliverer of its callbacks.
struct accounts_in_service {
    std::shared_ptr<gw::account_registry> registry = std::make_shared<gw::account_registry>();
    std::vector<std::shared_ptr<gw::directory_sync>> syncs;
    std::vector<std::shared_ptr<blubridge::callbacks::callback_deliverer>> deliverers;

    void start() {
        for (auto& s : syncs) s->start();
        for (auto& d : deliverers) d->start();
    }
    void stop() {
        for (auto& s : syncs) s->stop();
        for (auto& d : deliverers) d->stop();
    }
};

// The deliverer's outcome lines, in the shape of every other line (event `callback`);
// failed attempts are warnings, so `log: {level: warn}` still shows them.
blubridge::callbacks::delivery_log callback_log(std::shared_ptr<const blubridge::log::logger> logger) {
    return [logger = std::move(logger)](bool problem, std::string_view line) {
        logger->write(problem ? blubridge::log::level::warn : blubridge::log::level::info, "callback",
                      {{"message", line}});
    };
}

accounts_in_service open_accounts(net::any_io_executor executor, std::shared_ptr<gw::runtime_holder> runtimes,
                                  std::shared_ptr<blubridge::upstream::client> upstream,
                                  std::shared_ptr<const blubridge::log::logger> logger, gw::gateway_metrics& metrics) {
    const auto rt = runtimes->current();
    const auto& cfg = *rt->config;
    const auto& roles = rt->dtos.customer_roles;
    accounts_in_service out;
    for (const auto& client : rt->clients) {
        if (out.registry->find(client.account_id) != nullptr) continue;
        namespace dir = blubridge::directory;
        dir::directory_options options;
        options.database = cfg.state_dir / ("directory-" + file_safe(client.account_id) + ".sqlite3");
        options.fields = {roles.id,      roles.reference, roles.name,   roles.last_name, roles.company,
                          roles.email,   roles.active,    roles.suspended, roles.created};
        options.status_name = [names = rt->dtos.status_names](dir::status_flags f) { return names[f.index()]; };
        options.callback_urls = cfg.callbacks.urls;
        gw::account acct{client.account_id, dir::customer_directory::open(std::move(options)), nullptr};
        acct.resolver = std::make_shared<gw::directory_resolver>(acct.directory);
        out.registry->add(acct);
        out.syncs.push_back(std::make_shared<gw::directory_sync>(executor, acct.directory, upstream,
                                                                 client.billagain_authorization, rt->dtos.list_roles.ids,
                                                                 cfg.directory, client.account_id, logger));
        metrics.add_sampler(gw::account_sampler(client.account_id, acct.directory, out.syncs.back()));
        if (!cfg.callbacks.urls.empty()) {
            out.deliverers.push_back(blubridge::callbacks::make_callback_deliverer(
                executor, acct.directory, cfg.callbacks,
                gw::make_transition_renderer(runtimes, upstream, acct, client.billagain_authorization,
                                             std::make_shared<gw::keyed_mutex>()),
                callback_log(logger)));
        }
    }
    return out;
}

// `metrics_listen`, when configured: GET /metrics on a listener of its own. Its line comes
// before the client listener's, so whoever waits for that one can read this one too.
bool start_metrics(std::optional<blubridge::http_server::server>& srv, net::io_context& ioc,
                   const blubridge::config::gateway_config& cfg, std::shared_ptr<gw::gateway_metrics> metrics) {
    if (!cfg.metrics_listen) return true;
    srv.emplace(ioc, std::make_shared<gw::metrics_handler>(std::move(metrics)), cfg.limits);
    boost::system::error_code ec;
    const auto address = net::ip::make_address(cfg.metrics_listen->address, ec);
    if (!ec) ec = srv->listen({address, cfg.metrics_listen->port});
    if (ec) {
        std::cerr << "blubridge: cannot serve metrics on " << cfg.metrics_listen->address << ":"
                  << cfg.metrics_listen->port << ": " << ec.message() << "\n";
        return false;
    }
    const auto bound = srv->local_endpoint();
    const auto host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    std::cout << "blubridge metrics on http://" << host << ":" << bound.port() << "/metrics" << std::endl;
    srv->start();
    return true;
}

// The socket a blubridge.socket unit passed (its ListenStream= wins over `listen:`), else
// `listen:` bound here.
bool bind_listener(blubridge::http_server::server& srv, const blubridge::config::gateway_config& cfg) {
    const auto activated = blubridge::service::socket_from_systemd();
    if (!activated.problem.empty()) {
        std::cerr << "blubridge: " << activated.problem << "\n";
        return false;
    }
    boost::system::error_code ec;
    if (activated.socket) {
        ec = srv.adopt(*activated.socket);
        if (ec) std::cerr << "blubridge: cannot serve the socket systemd passed: " << ec.message() << "\n";
        return !ec;
    }
    const auto address = net::ip::make_address(cfg.listen_address, ec);
    if (!ec) ec = srv.listen({address, cfg.listen_port});
    if (ec) {
        std::cerr << "blubridge: cannot listen on " << cfg.listen_address << ":" << cfg.listen_port << ": "
                  << ec.message() << "\n";
    }
    return !ec;
}

}  // namespace

int main(int argc, char** argv) {
    po::options_description options("blubridge: the BluBilling customer XML API over Billagain's JSON API.\n\nOptions");
    options.add_options()
        ("help,h", "show this help and exit")
        ("version,V", "print the version and the git commit built, then exit")
        ("config,c", po::value<std::string>()->default_value("/etc/blubridge/blubridge.yaml"), "configuration file")
        ("check-config", "validate the configuration and its mappings, then exit (0: valid, 2: problems listed)")
        ("hash-password", "read a password on standard input and print its hash for the configuration");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "blubridge: " << e.what() << "\n" << options << "\n";
        return exit_usage;
    }
    if (vm.count("help")) {
        std::cout << options << "\n";
        return 0;
    }
    if (vm.count("version")) {
        std::cout << "blubridge " << blubridge::build_info::version << " (commit " << blubridge::build_info::commit
                  << ")\n";
        return 0;
    }
    if (vm.count("hash-password")) return hash_password_from_stdin();

    const auto config_file = vm["config"].as<std::string>();
    auto rt = load(config_file);
    if (!rt) return exit_usage;  // nothing half-loaded ever serves
    if (vm.count("check-config")) {
        std::cout << config_file << ": configuration and mappings are valid\n";
        return 0;
    }

    const auto& cfg = *rt->config;
    net::io_context ioc;
    auto pooled = blubridge::upstream::make_pooled_client(ioc.get_executor(), cfg.upstream);
    if (!pooled) {
        std::cerr << "blubridge: upstream " << cfg.upstream.base_url << ": " << pooled.error().message() << "\n";
        return exit_usage;
    }
    auto logger = std::make_shared<const blubridge::log::logger>(cfg.log);
    auto metrics = std::make_shared<gw::gateway_metrics>();
    auto upstream = gw::measured_upstream(*pooled, metrics);
    metrics->add_sampler(gw::upstream_pool_sampler(upstream));
    auto runtimes = std::make_shared<gw::runtime_holder>(rt);
    accounts_in_service accounts;
    try {
        accounts = open_accounts(ioc.get_executor(), runtimes, upstream, logger, *metrics);
    } catch (const std::exception& e) {
        std::cerr << "blubridge: " << e.what() << "\n";
        return 1;
    }
    auto handler = std::make_shared<gw::gateway_handler>(runtimes, upstream, accounts.registry,
                                                         std::make_shared<gw::observed_request_log>(logger, metrics));
    blubridge::http_server::server srv(ioc, handler, cfg.limits);
    metrics->add_sampler([&srv](gw::gateway_metrics& m) { m.set_client_connections(srv.connection_count()); });
    std::optional<blubridge::http_server::server> metrics_srv;
    if (!start_metrics(metrics_srv, ioc, cfg, metrics)) return 1;
    if (!bind_listener(srv, cfg)) return 1;
    if (srv.connection_limit() < cfg.limits.max_connections) {
        std::cerr << "blubridge: limits.max_connections " << cfg.limits.max_connections << " lowered to "
                  << srv.connection_limit() << " by the open-file limit (raise LimitNOFILE / ulimit -n)\n";
    }
    const auto bound = srv.local_endpoint();
    const auto host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    std::cout << "blubridge listening on http://" << host << ":" << bound.port() << std::endl;  // harnesses wait for this line
    srv.start();
    accounts.start();
    // systemd (Type=notify): ready once bound; the first sync is reported in STATUS=.
    auto notifier = std::make_shared<blubridge::service::systemd_notifier>(
        ioc.get_executor(), [registry = accounts.registry] { return registry->ready(); });
    notifier->ready();
    const unsigned threads = cfg.threads != 0 ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
    blubridge::http_server::run_until_signal(ioc, srv, threads, [&accounts, &notifier, &metrics_srv] {
        notifier->stopping();
        accounts.stop();
        if (metrics_srv) metrics_srv->shutdown();
    });
    return 0;
}
