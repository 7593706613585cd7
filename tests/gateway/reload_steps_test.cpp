// gateway::reload in-process: the order it promises for the steps a reload runs beside the
// configuration (prepared before the swap and able to refuse it; switched after it), which
// the SIGHUP tests (reload_test.cpp) cannot see from outside. No Billagain is called: the
// event loop never runs.
#define BOOST_TEST_MODULE gateway_reload_steps
#include <boost/test/unit_test.hpp>

#include "reload.hpp"

#include <blubridge/auth/password_hash.hpp>
#include <blubridge/upstream/pooled_client.hpp>

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

namespace gw = blubridge::gateway;
namespace fs = std::filesystem;

namespace {

/// A configuration in a scratch folder, its clients named by `users`, and everything a
/// reload works on: the serving snapshot and its accounts.
struct reloadable {
    fs::path dir = fs::temp_directory_path() / ("blubridge-reload-steps-" + std::to_string(std::random_device{}()));
    fs::path config = dir / "gateway.yaml";
    boost::asio::io_context ioc;
    std::shared_ptr<gw::runtime_holder> runtimes;
    std::unique_ptr<gw::service_accounts> accounts;

    reloadable() {
        fs::create_directories(dir);
        std::ofstream(dir / "key") << "reload-steps-key\n";
        write({"first"});
        auto rt = gw::build_runtime(config);
        runtimes = std::make_shared<gw::runtime_holder>(rt);
        blubridge::upstream::client_options upstream;
        upstream.base_url = "http://127.0.0.1:9";
        accounts = std::make_unique<gw::service_accounts>(ioc.get_executor(), runtimes,
                                                          *blubridge::upstream::make_pooled_client(ioc.get_executor(), upstream),
                                                          std::make_shared<const blubridge::log::logger>(
                                                              blubridge::log::log_settings{}, [](std::string_view) {}),
                                                          std::make_shared<gw::gateway_metrics>());
        runtimes->replace(gw::with_accounts(*rt, accounts->open(*rt)));
        accounts->commit(*runtimes->current());
    }
    ~reloadable() {
        accounts->stop();
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    void write(const std::vector<std::string>& users) {
        const auto hash = blubridge::auth::hash_password("a password", 1000).to_string();
        std::ofstream out(config);
        out << "mappings: " << BLUBRIDGE_MAPPINGS_DIR << "\nstate_dir: state\nupstream:\n  base_url: http://127.0.0.1:9\n"
            << "clients:\n";
        for (const auto& user : users) {
            out << "  - username: " << user << "\n    password_hash: \"" << hash
                << "\"\n    billagain:\n      account: \"1\"\n      api_key_file: key\n";
        }
    }

    std::size_t clients_serving() const { return runtimes->current()->clients.size(); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_step_is_prepared_with_the_new_set_before_the_swap_and_switched_after_it) {
    reloadable r;
    r.write({"first", "second"});
    std::vector<std::string> seen;
    const gw::reload_step step = [&](const gw::runtime& next) -> std::function<void()> {
        seen.push_back("prepare: next has " + std::to_string(next.clients.size()) + ", serving " +
                       std::to_string(r.clients_serving()));
        return [&] { seen.push_back("switch: serving " + std::to_string(r.clients_serving())); };
    };
    const auto outcome = gw::reload(r.config, *r.runtimes, *r.accounts, {step});
    BOOST_TEST_REQUIRE(outcome.has_value(), gw::describe(outcome));
    BOOST_TEST(seen == (std::vector<std::string>{"prepare: next has 2, serving 1", "switch: serving 2"}),
               boost::test_tools::per_element());
    BOOST_TEST(outcome->serving == r.runtimes->current());
    BOOST_TEST(gw::describe(outcome) == "reload: ok, clients 2 (+1 -0), accounts 1 (+0 -0)");
}

BOOST_AUTO_TEST_CASE(a_step_that_throws_refuses_the_reload_and_nothing_changes) {
    reloadable r;
    const auto before = r.runtimes->current();
    r.write({"first", "second"});
    bool switched = false;
    const gw::reload_step fine = [&](const gw::runtime&) -> std::function<void()> {
        return [&] { switched = true; };
    };
    const gw::reload_step refusing = [](const gw::runtime&) -> std::function<void()> {
        throw std::runtime_error("tls.certificate: /etc/blubridge/cert.pem: no certificate in the file");
    };
    const auto outcome = gw::reload(r.config, *r.runtimes, *r.accounts, {fine, refusing});
    BOOST_TEST_REQUIRE(!outcome.has_value());
    BOOST_TEST(gw::describe(outcome) == "reload: refused, the old configuration keeps serving: "
                                        "tls.certificate: /etc/blubridge/cert.pem: no certificate in the file");
    BOOST_TEST(r.runtimes->current() == before);
    BOOST_TEST(!switched);
}

BOOST_AUTO_TEST_CASE(a_switch_that_throws_is_reported_with_the_swap_kept) {
    reloadable r;
    r.write({"first", "second"});
    const gw::reload_step failing_switch = [](const gw::runtime&) -> std::function<void()> {
        return [] { throw std::runtime_error("the new certificate could not be installed"); };
    };
    const auto outcome = gw::reload(r.config, *r.runtimes, *r.accounts, {failing_switch});
    BOOST_TEST_REQUIRE(outcome.has_value());
    BOOST_TEST(r.clients_serving() == 2u);
    BOOST_TEST(gw::describe(outcome) == "reload: ok, clients 2 (+1 -0), accounts 1 (+0 -0); after the swap: the new "
                                        "certificate could not be installed");
}
