// blubridge as a service: systemd's notification protocol (Type=notify, watchdog) spoken
// to a real notification socket, and the liveness probe beside the readiness one.
#define BOOST_TEST_MODULE gateway_service
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"
#include "notify_socket.hpp"

#include <cstdlib>

using namespace gateway_test;

namespace {

stack_options upstream_unreachable() {
    stack_options o;
    o.upstream_url = [](unsigned short) { return std::string("http://127.0.0.1:9"); };  // nothing listens there
    o.wait_ready = false;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(notifies_systemd_ready_status_watchdog_and_stopping) {
    scratch_dir socket_dir;
    notify_socket manager(socket_dir.path / "notify");
    scoped_env socket_env("NOTIFY_SOCKET", manager.path().string());
    scoped_env watchdog_env("WATCHDOG_USEC", "200000");  // fed every 100 ms

    stack_options options;
    options.wait_ready = false;  // READY=1 comes before the first sync completes
    gateway_stack stack(options);
    const auto first = manager.receive();
    BOOST_TEST(first.find("READY=1") != std::string::npos, first);
    BOOST_TEST(first.find("STATUS=serving") != std::string::npos, first);

    // The first sync (the readiness probe's condition) is reported as soon as it is done.
    const auto synced = manager.receive_until("STATUS=serving; customer directory synced");
    BOOST_TEST(!synced.empty(), stack.gateway->output());
    BOOST_TEST(stack.get("/readyz").status == 200u);

    // Fed from the event loop, after readiness too.
    BOOST_TEST(!manager.receive_until("WATCHDOG=1").empty());
    BOOST_TEST(!manager.receive_until("WATCHDOG=1").empty());

    const int exit_code = stack.gateway->terminate();
    BOOST_TEST(exit_code == 0, stack.gateway->output());
    BOOST_TEST(!manager.receive_until("STOPPING=1").empty());
}

BOOST_AUTO_TEST_CASE(without_systemd_nothing_is_sent_and_serving_is_the_same) {
    // No NOTIFY_SOCKET: the gateway must neither fail nor wait for a service manager.
    BOOST_TEST_REQUIRE(std::getenv("NOTIFY_SOCKET") == nullptr);
    gateway_stack stack;
    BOOST_TEST(stack.get("/rest/customer/302?format=xml").status == 200u);
    BOOST_TEST(stack.gateway->terminate() == 0, stack.gateway->output());
}

BOOST_AUTO_TEST_CASE(healthz_answers_while_the_directory_is_not_ready) {
    // Without a reachable Billagain the first sync never completes: not ready, yet alive.
    gateway_stack stack(upstream_unreachable());
    stack.client.clear_auth();  // probes need no credentials
    const auto ready = stack.get("/readyz");
    BOOST_TEST(ready.status == 503u, ready.body);
    const auto alive = stack.get("/healthz");
    BOOST_TEST(alive.status == 200u, alive.body);
    BOOST_TEST(alive.body == "serving\n");
    BOOST_TEST(stack.get("/rest/customer/302?format=xml").status == 401u);  // everything else still needs them
}
