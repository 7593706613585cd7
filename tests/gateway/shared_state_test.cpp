// Two gateways sharing their state in one PostgreSQL database (issue 13), as they run behind a
// load balancer: real processes against one sandbox and a fresh database per case. What one
// writes the other knows on the next request; a suspend is one transition and one callback;
// the directory refresh moves to the survivor when its runner dies; PUTs and creates through
// both at once are serialised across them.
#define BOOST_TEST_MODULE gateway_shared_state
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <test_support/callback_receiver.hpp>
#include <test_support/postgres_server.hpp>

#include <csignal>
#include <latch>

using namespace gateway_test;
using blubridge::test_support::callback_receiver;
using blubridge::test_support::postgres_server;
using namespace std::chrono_literals;

namespace {

const std::string leading_event = R"("event":"directory_refresh_leading")";
const std::string following_event = R"("event":"directory_refresh_following")";
const std::string pass_event = R"("event":"directory_pass")";

// One server for the run, a database per case.
postgres_server& postgres() {
    static postgres_server server;
    return server;
}

std::string fresh_database() {
    static int cases = 0;
    return postgres().create_database("gateways" + std::to_string(++cases));
}

// Both gateways: the same database, the same callback URL, and 409 for a reference in use
// (so a clash cannot be mistaken for another 400).
stack_options shared_options(const std::string& conninfo, const std::string& callback_url,
                             const std::string& refresh_interval) {
    stack_options o;
    o.refresh_interval = refresh_interval;
    o.extra_config = "state:\n"
                     "  backend: postgresql\n"
                     "  postgresql:\n"
                     "    conninfo: \"" + conninfo + "\"\n"
                     "callbacks:\n"
                     "  urls: [\"" + callback_url + "\"]\n"
                     "  retry_initial: 100ms\n"
                     "  retry_max: 400ms\n"
                     "  timeout: 2s\n"
                     "responses:\n"
                     "  conflict_status: 409\n";
    return o;
}

// One gateway of the pair: its own folder, configuration and state_dir.
struct gateway_instance {
    scratch_dir dir;
    std::unique_ptr<child_process> process;
    http_client client;

    gateway_instance(const std::string& sandbox_url, const stack_options& options)
        : process(start_gateway(write_config(dir, sandbox_url, options))), client(process->host(), process->port()) {
        client.capture_as("gateway");
        client.set_basic_auth(user, password);
    }

    /// A client of its own, for a thread of its own.
    std::unique_ptr<http_client> new_client() const {
        auto c = std::make_unique<http_client>(process->host(), process->port());
        c->capture_as("gateway");
        c->set_basic_auth(user, password);
        return c;
    }

    http_client::result get(const std::string& target) { return client.get(target); }
    http_client::result post(const std::string& target, std::string xml) {
        return client.request(http::verb::post, target, std::move(xml), {{"Content-Type", "application/xml"}});
    }

    std::size_t logged(const std::string& needle) const { return occurrences(process->output(), needle); }
    std::size_t passes() const { return logged(pass_event); }
};

struct two_gateways {
    callback_receiver receiver;
    std::unique_ptr<child_process> sandbox = start_sandbox();
    http_client upstream{sandbox->host(), sandbox->port()};
    std::unique_ptr<gateway_instance> a, b;

    explicit two_gateways(const std::string& refresh_interval = "60m") {
        upstream.capture_as("sandbox");
        upstream.set_basic_auth(account, api_key);
        const auto options = shared_options(fresh_database(), receiver.url("/hooks/blubilling"), refresh_interval);
        const auto sandbox_url = "http://127.0.0.1:" + std::to_string(sandbox->port());
        a = std::make_unique<gateway_instance>(sandbox_url, options);
        b = std::make_unique<gateway_instance>(sandbox_url, options);
        wait_until_ready(a->client);
        wait_until_ready(b->client);
    }

    std::string create_through_a(const std::string& ref) {
        auto r = a->post("/rest/customers?format=xml", customer_xml(ref));
        if (r.status != 200) {
            throw std::runtime_error("create " + ref + " answered " + std::to_string(r.status) + ": " + r.body);
        }
        return id_of(r.body, "customer");
    }

    /// Waits until the pair has completed a directory pass that began after this call.
    void await_refresh() {
        const auto target = a->passes() + b->passes() + 2;  // the pass in flight may predate the call
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (a->passes() + b->passes() < target) {
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no directory refresh came");
            std::this_thread::sleep_for(20ms);
        }
    }

    /// How many customers in the sandbox carry Reference `ref` (every page of the list).
    unsigned sandbox_holders(const std::string& ref) {
        unsigned n = 0;
        for (int page = 1;; ++page) {
            auto r = upstream.get("/v1/customers?page_size=200&page=" + std::to_string(page));
            if (r.status != 200) throw std::runtime_error("sandbox list: " + r.body);
            n += static_cast<unsigned>(occurrences(r.body, "\"Reference\":\"" + ref + "\""));
            if (r.body == "[]" || occurrences(r.body, "\"Reference\":") < 200) return n;
        }
    }
};

struct two_refreshing_gateways : two_gateways {
    two_refreshing_gateways() : two_gateways("1s") {}
};

// Runs `first` and `second` on two threads released at the same moment.
void at_once(const std::function<void()>& first, const std::function<void()>& second) {
    std::latch start(2);
    std::thread other([&] {
        start.arrive_and_wait();
        second();
    });
    start.arrive_and_wait();
    first();
    other.join();
}

// A status and body that a thread fills in; an I/O failure reads as status 0.
struct answer {
    unsigned status = 0;
    std::string body;
};

answer send(http_client& c, http::verb method, const std::string& target, std::string xml) {
    try {
        auto r = c.request(method, target, std::move(xml), {{"Content-Type", "application/xml"}});
        return {r.status, std::move(r.body)};
    } catch (const std::exception& e) {
        return {0, e.what()};
    }
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_customer_created_through_one_is_found_by_reference_through_the_other, two_gateways) {
    BOOST_TEST_REQUIRE(b->get("/rest/customer?extCustomerRef=shared-1&format=xml").status == 404u);
    const auto id = create_through_a("shared-1");

    // The very next request, no waiting: B's directory has heard of it or asks the database.
    auto found = b->get("/rest/customer?extCustomerRef=shared-1&format=xml");
    BOOST_TEST_REQUIRE(found.status == 200u, found.body);
    BOOST_TEST(id_of(found.body, "customer") == id);
    BOOST_TEST(element_text(found.body, "extCustomerRef") == "shared-1");
    BOOST_TEST(element_text(found.body, "name") == "Bill Joseph");
    BOOST_TEST(found.body == a->get("/rest/customer?extCustomerRef=shared-1&format=xml").body);
}

BOOST_FIXTURE_TEST_CASE(a_suspend_through_one_is_one_transition_and_one_callback, two_refreshing_gateways) {
    const auto id = create_through_a("shared-2");
    auto suspended = a->post("/rest/customer/" + id + "?actionName=suspend", "");
    BOOST_TEST_REQUIRE(suspended.status == 200u, suspended.body);
    BOOST_TEST_REQUIRE(receiver.wait_for(1));
    // The refresh leader reads the suspended customer back from Billagain: not a second
    // transition. Then time for a second delivery through the other gateway, were it to come.
    await_refresh();
    std::this_thread::sleep_for(2s);

    auto through_a = a->get("/rest/customers/transitions");
    auto through_b = b->get("/rest/customers/transitions?format=xml");
    for (const auto* listed : {&through_a, &through_b}) {
        BOOST_TEST_REQUIRE(listed->status == 200u, listed->body);
        BOOST_TEST(occurrences(listed->body, "<customerTransition ") == 1u, listed->body);
        BOOST_TEST(id_of(listed->body, "customer") == id);
        BOOST_TEST(element_text(listed->body, "newStatus") == "Suspended1");
    }
    BOOST_TEST(through_a.body == through_b.body);

    const auto got = receiver.requests();
    BOOST_TEST(got.size() == 1u);
    BOOST_TEST(got.front().method == "POST");
    BOOST_TEST(got.front().body == through_a.body);
}

BOOST_FIXTURE_TEST_CASE(killing_the_refresher_hands_the_refresh_to_the_other, two_refreshing_gateways) {
    // Ready means the first pass is done. Each gateway says at start whether it leads: one
    // `leading`, the other, which found the lock taken, `following`; the leader has paged
    // Billagain while the follower never has.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (a->logged(following_event) + b->logged(following_event) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
    }
    BOOST_TEST_REQUIRE(a->logged(following_event) + b->logged(following_event) == 1u,
                       a->process->output() << b->process->output());
    auto& leader = a->logged(following_event) == 1 ? b : a;
    auto& survivor = a->logged(following_event) == 1 ? a : b;
    BOOST_TEST_REQUIRE(leader->logged(leading_event) == 1u, leader->process->output());
    BOOST_TEST_REQUIRE(survivor->logged(leading_event) == 0u, survivor->process->output());
    BOOST_TEST_REQUIRE(leader->passes() >= 1u, leader->process->output());
    BOOST_TEST_REQUIRE(survivor->passes() == 0u, survivor->process->output());

    leader->process->signal(SIGKILL);  // dies without a word: its session, and the lock, go with it
    leader->process->wait();
    const auto killed = std::chrono::steady_clock::now();
    // The survivor tries for the lead every refresh_interval (1 s) and then runs a pass.
    BOOST_TEST_REQUIRE(survivor->process->wait_for_output(leading_event, 5s), survivor->process->output());
    BOOST_TEST_REQUIRE(survivor->process->wait_for_output(pass_event, 5s), survivor->process->output());
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed);
    BOOST_TEST(took.count() < 4000, took.count() << " ms from the kill to the survivor's first pass");

    // A change made in Billagain alone reaches the survivor through its own passes.
    BOOST_TEST_REQUIRE(upstream.request(http::verb::put, "/v1/customers/10622/archive").status == 204u);
    const auto target = survivor->passes() + 2;
    const auto refreshed_by = std::chrono::steady_clock::now() + 10s;
    while (survivor->passes() < target && std::chrono::steady_clock::now() < refreshed_by) {
        std::this_thread::sleep_for(20ms);
    }
    BOOST_TEST_REQUIRE(survivor->passes() >= target, survivor->process->output());
    BOOST_TEST(listed_ids(survivor->get("/rest/customers?status=InActive1").body) == std::vector<std::string>{"10622"});
    auto transitions = survivor->get("/rest/customers/transitions");
    BOOST_TEST(occurrences(transitions.body, "<customerTransition ") == 1u, transitions.body);
    BOOST_TEST(id_of(transitions.body, "customer") == "10622");
    BOOST_TEST(element_text(transitions.body, "newStatus") == "InActive1");
}

BOOST_FIXTURE_TEST_CASE(concurrent_puts_through_both_lose_no_update, two_gateways) {
    const auto id = create_through_a("shared-4");
    const auto target = "/rest/customer/" + id + "?format=xml";
    // Slow every read and write of the customer so that two read-merge-writes overlap unless
    // the gateways serialise them between them.
    const auto fault = R"({"kind":"latency","latency_ms":40,"path_prefix":"/v1/customers/)" + id + "\"}";
    BOOST_TEST_REQUIRE(upstream.request(http::verb::post, "/_sandbox/faults", fault,
                                        {{"Content-Type", "application/json"}}).status == 201u);
    auto through_a = a->new_client();
    auto through_b = b->new_client();
    std::string city, phone;
    for (int round = 1; round <= 20; ++round) {
        city = "City " + std::to_string(round);
        phone = "555 000 " + std::to_string(round);
        answer first, second;
        at_once([&] {
                    first = send(*through_a, http::verb::put, target,
                                 "<customer><billingContact><address><city>" + city +
                                     "</city></address></billingContact></customer>");
                },
                [&] {
                    second = send(*through_b, http::verb::put, target,
                                  "<customer><billingContact><workPhone>" + phone +
                                      "</workPhone></billingContact></customer>");
                });
        BOOST_TEST_REQUIRE(first.status == 200u, "round " << round << " through A: " << first.body);
        BOOST_TEST_REQUIRE(second.status == 200u, "round " << round << " through B: " << second.body);
        auto stored = upstream.get("/v1/customers/" + id);
        // Both changes of the round, whichever PUT went second.
        BOOST_TEST_REQUIRE(member_of(stored.body, "City") == "\"" + city + "\"", round << ": " << stored.body);
        BOOST_TEST_REQUIRE(member_of(stored.body, "Tel") == "\"" + phone + "\"", round << ": " << stored.body);
    }
    for (auto* g : {a.get(), b.get()}) {
        auto r = g->get(target);
        BOOST_TEST_REQUIRE(r.status == 200u, r.body);
        BOOST_TEST(element_text(r.body, "city") == city);
        BOOST_TEST(element_text(r.body, "workPhone") == phone);
    }
}

BOOST_FIXTURE_TEST_CASE(a_duplicate_reference_created_through_both_at_once_is_one_customer, two_gateways) {
    auto through_a = a->new_client();
    auto through_b = b->new_client();
    for (int n = 1; n <= 10; ++n) {
        const auto ref = "dup-" + std::to_string(n);
        answer first, second;
        at_once([&] { first = send(*through_a, http::verb::post, "/rest/customers?format=xml", customer_xml(ref)); },
                [&] { second = send(*through_b, http::verb::post, "/rest/customers?format=xml", customer_xml(ref)); });
        const auto& created = first.status == 200 ? first : second;
        const auto& refused = first.status == 200 ? second : first;
        BOOST_TEST_REQUIRE(created.status == 200u, ref << ": A " << first.status << " " << first.body << "; B "
                                                       << second.status << " " << second.body);
        BOOST_TEST(refused.status == 409u, ref << ": " << refused.body);
        BOOST_TEST(refused.body.find("'" + ref + "' is already used") != std::string::npos, refused.body);
        BOOST_TEST(sandbox_holders(ref) == 1u, ref);
        const auto id = id_of(created.body, "customer");
        BOOST_TEST(id_of(a->get("/rest/customer?extCustomerRef=" + ref).body, "customer") == id, ref);
        BOOST_TEST(id_of(b->get("/rest/customer?extCustomerRef=" + ref).body, "customer") == id, ref);
    }
}
