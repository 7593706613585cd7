// The callback deliverer over the real customer directory (SQLite in a temporary folder):
// a status change the directory observes reaches the receiver, and a delivery still
// pending when the gateway stops is sent by the next run.
#define BOOST_TEST_MODULE callbacks_deliverer_directory
#include <boost/test/unit_test.hpp>

#include "callback_test_support.hpp"

#include <blubridge/callbacks/callback_deliverer.hpp>

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <future>
#include <random>
#include <thread>

namespace fs = std::filesystem;
using namespace blubridge;        // net, http, callbacks, directory
using namespace blubridge::test;  // receiver, deadline, unix_now
using namespace std::chrono_literals;

namespace {

struct scratch_folder {
    fs::path path = fs::temp_directory_path() / ("blubridge-callbacks-" + std::to_string(std::random_device{}()));
    ~scratch_folder() { fs::remove_all(path); }
};

std::shared_ptr<directory::customer_directory> open_directory(const fs::path& folder, const std::string& url) {
    directory::directory_options options;
    options.database = folder / "directory.sqlite3";
    options.fields = {"customerID", "Reference", "Name", "LastName", "Company", "Email",
                      "isActive", "isSuspended", "CreatedDate"};
    options.status_name = [](directory::status_flags f) { return f.active ? "Active" : "InActive1"; };
    options.callback_urls = {url};
    return directory::customer_directory::open(std::move(options));
}

std::string customer(bool active) {
    return R"({"customerID":302,"Reference":"JRICH","Name":"Brielle","isActive":)" + std::string(active ? "true" : "false") +
           R"(,"isSuspended":false})";
}

net::awaitable<std::optional<std::string>> render(directory::transition t) {
    co_return "<list><customerTransition id=\"" + std::to_string(t.id) + "\"><previousStatus>" + t.previous +
        "</previousStatus><newStatus>" + t.next + "</newStatus><customer id=\"" + std::to_string(t.customer) +
        "\"><extCustomerRef>" + t.reference + "</extCustomerRef></customer></customerTransition></list>";
}

// A deliverer on its own io_context and thread; stop() waits until it holds no work.
struct running_deliverer {
    running_deliverer(std::shared_ptr<directory::customer_directory> outbox, const std::string& url) {
        blubridge::config::callback_settings settings;
        settings.urls = {url};
        settings.retry_initial = 50ms;
        settings.retry_max = 1s;
        deliverer = callbacks::make_callback_deliverer(
            ioc.get_executor(), std::move(outbox), settings,
            [](const directory::transition& t) { return render(t); }, [](bool, std::string_view) {});
        deliverer->start();
        runner = std::async(std::launch::async, [this] { ioc.run(); });
    }
    ~running_deliverer() {
        if (!stop()) ioc.stop();
    }
    bool stop() {
        deliverer->stop();
        return runner.wait_for(deadline) == std::future_status::ready;
    }

    net::io_context ioc;
    std::shared_ptr<callbacks::callback_deliverer> deliverer;
    std::future<void> runner;
};

// Waits until the directory's outbox is empty.
bool outbox_empties(const directory::customer_directory& d) {
    const auto give_up = std::chrono::steady_clock::now() + deadline;
    while (d.next_delivery_due().has_value()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        std::this_thread::sleep_for(20ms);  // polls a condition; SQLite has no change signal
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_status_change_the_directory_observes_is_posted) {
    scratch_folder folder;
    receiver r;
    const auto url = r.url("/blubilling");
    auto outbox = open_directory(folder.path, url);
    running_deliverer d(outbox, url);

    BOOST_TEST_REQUIRE(outbox->observe(customer(true), unix_now()));   // new: no transition
    BOOST_TEST_REQUIRE(outbox->observe(customer(false), unix_now()));  // Active → InActive1
    BOOST_TEST_REQUIRE(r.handler->wait_for_requests(1));
    BOOST_TEST_REQUIRE(outbox_empties(*outbox));

    const auto seen = r.handler->seen();
    BOOST_TEST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].target == "/blubilling");
    BOOST_TEST(seen[0].content_type == "application/xml; charset=utf-8");
    BOOST_TEST(seen[0].body ==
               "<list><customerTransition id=\"1\"><previousStatus>Active</previousStatus><newStatus>InActive1"
               "</newStatus><customer id=\"302\"><extCustomerRef>JRICH</extCustomerRef></customer>"
               "</customerTransition></list>");
}

BOOST_AUTO_TEST_CASE(a_delivery_pending_at_stop_is_sent_after_the_next_start) {
    scratch_folder folder;
    receiver r;
    r.handler->answer({http::status::bad_gateway});
    const auto url = r.url();
    {
        auto outbox = open_directory(folder.path, url);
        running_deliverer d(outbox, url);
        BOOST_TEST_REQUIRE(outbox->observe(customer(true), unix_now()));
        BOOST_TEST_REQUIRE(outbox->observe(customer(false), unix_now()));
        BOOST_TEST_REQUIRE(r.handler->wait_for_requests(1));  // answered 502
        BOOST_TEST_REQUIRE(d.stop());
        const auto left = outbox->due_deliveries(unix_now() + 3600, 10);
        BOOST_TEST_REQUIRE(left.size() == 1u);
        BOOST_TEST(left[0].attempts == 1u);  // the failure was recorded before it stopped
    }
    // A new run: the directory read back from its file, a new deliverer.
    auto outbox = open_directory(folder.path, url);
    BOOST_TEST_REQUIRE(outbox->next_delivery_due().has_value());
    running_deliverer d(outbox, url);
    BOOST_TEST_REQUIRE(outbox_empties(*outbox));
    const auto seen = r.handler->seen();
    BOOST_TEST_REQUIRE(seen.size() == 2u);
    BOOST_TEST(seen[1].body == seen[0].body);
}
