// blubridge: serves the BluBilling customer XML API over the Billagain JSON API.
#include "gateway_handler.hpp"
#include "measured_upstream.hpp"
#include "metric_samplers.hpp"
#include "metrics_handler.hpp"
#include "reload.hpp"
#include "runtime.hpp"
#include "service_accounts.hpp"

#include <blubridge/auth/password_hash.hpp>
#include <blubridge/build_info.hpp>
#include <blubridge/config/load_config.hpp>
#include <blubridge/http/io_threads.hpp>
#include <blubridge/http/server.hpp>
#include <blubridge/http/tls_context.hpp>
#include <blubridge/log/logger.hpp>
#include <blubridge/mapping/load_problem.hpp>
#include <blubridge/service/socket_activation.hpp>
#include <blubridge/service/systemd_notifier.hpp>
#include <blubridge/upstream/pooled_client.hpp>

#include <boost/program_options.hpp>

#include <csignal>
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

// A socket systemd passed is only known now: the rule `listen:` had at load holds for it too.
bool plain_http_allowed(const blubridge::config::gateway_config& cfg, const net::ip::tcp::endpoint& bound) {
    if (cfg.tls.enabled() || cfg.allow_plain_http || bound.address().is_loopback()) return true;
    std::cerr << "blubridge: refusing plain HTTP on " << bound.address().to_string()
              << ", not a loopback address: configure 'tls:', or 'allow_plain_http: true' behind a TLS proxy\n";
    return false;
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

    // A SIGHUP before run_until_signal watches for it (during start-up) is dropped, not fatal.
    std::signal(SIGHUP, SIG_IGN);
    const auto& cfg = *rt->config;
    net::io_context ioc(1);  // run by the main thread alone; the others get contexts of their own
    const unsigned threads = cfg.threads != 0 ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
    blubridge::http_server::io_threads io(ioc, threads);
    auto pooled = blubridge::upstream::make_pooled_client(io.executors(), cfg.upstream);
    if (!pooled) {
        std::cerr << "blubridge: upstream " << cfg.upstream.base_url << ": " << pooled.error().message() << "\n";
        return exit_usage;
    }
    auto logger = std::make_shared<const blubridge::log::logger>(cfg.log);
    auto metrics = std::make_shared<gw::gateway_metrics>();
    auto upstream = gw::measured_upstream(*pooled, metrics);
    metrics->add_sampler(gw::upstream_pool_sampler(upstream));
    auto runtimes = std::make_shared<gw::runtime_holder>(rt);
    gw::service_accounts accounts(ioc.get_executor(), runtimes, upstream, logger, metrics);
    try {
        runtimes->replace(gw::with_accounts(*rt, accounts.open(*rt)));
    } catch (const std::exception& e) {
        std::cerr << "blubridge: " << e.what() << "\n";
        return 1;
    }
    auto handler = std::make_shared<gw::gateway_handler>(runtimes, upstream,
                                                         std::make_shared<gw::observed_request_log>(logger, metrics));
    std::shared_ptr<net::ssl::context> tls;
    try {
        tls = blubridge::http_server::make_tls_context(cfg.tls);  // null: plain HTTP
    } catch (const blubridge::http_server::tls_error& e) {
        std::cerr << "blubridge: tls: " << e.what() << "\n";  // the files changed since they were checked
        return exit_usage;
    }
    blubridge::http_server::server srv(io, handler, cfg.limits, tls);
    metrics->add_sampler([&srv](gw::gateway_metrics& m) { m.set_client_connections(srv.connection_count()); });
    std::optional<blubridge::http_server::server> metrics_srv;
    if (!start_metrics(metrics_srv, ioc, cfg, metrics)) return 1;
    if (!bind_listener(srv, cfg) || !plain_http_allowed(cfg, srv.local_endpoint())) return 1;
    if (srv.connection_limit() < cfg.limits.max_connections) {
        std::cerr << "blubridge: limits.max_connections " << cfg.limits.max_connections << " lowered to "
                  << srv.connection_limit() << " by the open-file limit (raise LimitNOFILE / ulimit -n)\n";
    }
    const auto bound = srv.local_endpoint();
    const auto host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    const auto scheme = tls ? "https://" : "http://";
    std::cout << "blubridge listening on " << scheme << host << ":" << bound.port() << std::endl;  // harnesses wait for this line
    srv.start();
    accounts.commit(*runtimes->current());
    // systemd (Type=notify): ready once bound; the first sync is reported in STATUS=.
    auto notifier = std::make_shared<blubridge::service::systemd_notifier>(
        ioc.get_executor(), [runtimes] { return runtimes->current()->accounts->ready(); });
    notifier->ready();
    // SIGHUP: the new set serves new requests, or is refused and the old one serves on.
    // The TLS listener's certificate, key and client CA are re-read too: new connections
    // use them once the new set serves (a bad pair refuses the reload).
    const std::vector<gw::reload_step> reload_steps{[&srv](const gw::runtime& next) -> std::function<void()> {
        auto next_tls = blubridge::http_server::make_tls_context(next.config->tls);
        return [&srv, next_tls] { srv.replace_tls(next_tls); };
    }};
    const auto reload = [&] {
        notifier->reloading();
        const auto outcome = gw::reload(config_file, *runtimes, accounts, reload_steps);
        logger->write(outcome ? blubridge::log::level::info : blubridge::log::level::warn, "reload",
                      {{"message", gw::describe(outcome)}});
        metrics->reload_done(outcome.has_value());
        notifier->reloaded(outcome.has_value());
    };
    blubridge::http_server::run_until_signal(
        io, srv,
        [&accounts, &notifier, &metrics_srv] {
            notifier->stopping();
            accounts.stop();
            if (metrics_srv) metrics_srv->shutdown();
        },
        reload);
    return 0;
}
