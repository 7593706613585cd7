// libFuzzer target over the gateway's request handler (authentication, router, operations,
// mappings, directory, idempotency), on an in-process Billagain: the sandbox's own handler
// (src/sandbox), called directly instead of over a socket, with one upstream fault per input.
//
// Input: byte 0 picks the fault (low 3 bits: none, 500, connection lost, timed out, a body
// cut in half, the body given after the separator, 409, 404) and the upstream call it hits
// (bits 3-5: the first to the eighth call of this request). The rest is one HTTP request,
// optionally followed by `separator` and an upstream body for fault 5.
//
// Invariants checked beyond "no crash, no sanitizer report": the handler never throws and
// finishes; it never answers 500 (an internal error is a bug: upstream trouble is 502/503/504);
// every answer with a body is XML our own safe parser accepts; every answer is a status the
// README documents; every request is logged once; no answer holds the fixture's payment token;
// and no answer or log line holds a secret the request sent (checked by sending the request again
// with that value changed: a value the gateway echoes changes with it, one it holds anyway does not).

#include "account_registry.hpp"
#include "service_accounts.hpp"
#include "directory_resolver.hpp"
#include "directory_sync.hpp"
#include "gateway_handler.hpp"
#include "runtime.hpp"

#include <sandbox/fixture_loader.hpp>
#include <sandbox/sandbox_handler.hpp>

#include <blubridge/auth/password_hash.hpp>
#include <blubridge/mapping/safe_xml.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
namespace gw = blubridge::gateway;
namespace sb = blubridge::sandbox;
namespace http = boost::beast::http;
namespace net = boost::asio;
using blubridge::upstream::error;

constexpr std::string_view separator = "\r\n--upstream--\r\n";
constexpr std::string_view user = "fuzz-client", password = "fuzz-password-1";
constexpr std::string_view account = "fuzz-account", api_key = "fuzz-api-key";
// Then a fresh store and directory: bounded memory, and lists (transitions, customers) that stay
// short; at 4,096 the fuzzer spent a fifth of its time rendering ever longer transition lists.
constexpr std::size_t inputs_per_world = 256;

enum class fault : std::uint8_t { none, status_500, lost, timed_out, cut_body, given_body, status_409, status_404 };

// The Billagain of this fuzz run: the sandbox handler in-process, with this input's fault.
class in_process_billagain final : public blubridge::upstream::client {
public:
    explicit in_process_billagain(std::shared_ptr<sb::store> store)
        : sandbox_(std::make_shared<sb::sandbox_handler>(std::move(store), sb::basic_auth(std::string(account),
                                                                                           std::string(api_key)))) {}

    void arm(fault f, unsigned at_call, std::string body) {
        fault_ = f;
        fault_call_ = at_call;
        fault_body_ = std::move(body);
        calls_ = 0;
    }

    net::awaitable<boost::system::result<blubridge::upstream::response>> send(blubridge::upstream::request req) override {
        const bool hit = fault_ != fault::none && calls_++ == fault_call_;
        if (hit && fault_ == fault::lost) co_return make_error_code(error::connection_lost);
        if (hit && fault_ == fault::timed_out) co_return make_error_code(error::timed_out);
        auto reply = co_await sandbox_->handle(std::move(req), {});
        if (reply.drop_connection) co_return make_error_code(error::connection_lost);
        auto answer = std::move(reply.message);
        if (hit) apply(answer);
        co_return answer;
    }

private:
    void apply(blubridge::upstream::response& answer) const {
        switch (fault_) {
        case fault::status_500: answer.result(http::status::internal_server_error); break;
        case fault::status_409: answer.result(http::status::conflict); break;
        case fault::status_404: answer.result(http::status::not_found); break;
        case fault::cut_body: answer.body().resize(answer.body().size() / 2); break;
        case fault::given_body: answer.body() = fault_body_; break;
        default: break;
        }
        answer.prepare_payload();
    }

    std::shared_ptr<sb::sandbox_handler> sandbox_;
    fault fault_ = fault::none;
    unsigned fault_call_ = 0, calls_ = 0;
    std::string fault_body_;
};

// The request log keeps the last record's error message, so the log line is checked too.
class last_record_log final : public gw::request_log {
public:
    void record(const gw::request_record& r) override {
        error_.assign(r.error);
        ++records_;
    }
    const std::string& error() const { return error_; }
    std::size_t records() const { return records_; }

private:
    std::string error_;
    std::size_t records_ = 0;
};

fs::path scratch() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    auto dir = base / ("blubridge-handler-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

fs::path write_config(const fs::path& dir) {
    std::ofstream(dir / "billagain.key") << api_key << "\n";
    const auto file = dir / "gateway.yaml";
    std::ofstream(file) << "listen: 127.0.0.1:0\n"
                           "mappings: " BLUBRIDGE_MAPPINGS_DIR "\n"
                           "state_dir: " << (dir / "state").string() << "\n"
                           "upstream:\n"
                           "  base_url: http://127.0.0.1:9\n"
                           "clients:\n"
                           "  - username: " << user << "\n"
                           "    password_hash: \"" << blubridge::auth::hash_password(password, 1000).to_string() << "\"\n"
                           "    billagain:\n"
                           "      account: " << account << "\n"
                           "      api_key_file: billagain.key\n";
    return file;
}

// One gateway over one Billagain: the sandbox store (from the fixture), a directory synced
// from it, the handler. Rebuilt every `inputs_per_world` inputs.
struct world {
    net::io_context ioc;
    std::shared_ptr<sb::store> store;
    std::shared_ptr<in_process_billagain> billagain;
    std::shared_ptr<gw::runtime_holder> runtimes;
    std::shared_ptr<last_record_log> log = std::make_shared<last_record_log>();
    std::shared_ptr<gw::gateway_handler> handler;

    world(const fs::path& dir, std::shared_ptr<const gw::runtime> rt, const sb::store_state& fixture)
        : store(std::make_shared<sb::store>(fixture)),
          billagain(std::make_shared<in_process_billagain>(store)),
          runtimes(std::make_shared<gw::runtime_holder>(rt)) {
        auto options = gw::directory_options_for(*rt, account);
        options.database = dir / "directory.sqlite3";
        gw::account acct{std::string(account), blubridge::directory::customer_directory::open(std::move(options)), nullptr};
        acct.resolver = std::make_shared<gw::directory_resolver>(acct.directory);
        auto sync = std::make_shared<gw::directory_sync>(ioc.get_executor(), acct.directory, billagain,
                                                         rt->clients.front().billagain_authorization,
                                                         rt->dtos.list_roles.ids, rt->config->directory,
                                                         std::string(account),
                                                         std::make_shared<const blubridge::log::logger>(
                                                             blubridge::log::log_settings{}, [](std::string_view) {}));
        auto registry = std::make_shared<gw::account_registry>();
        registry->add(acct);
        auto synced = net::co_spawn(ioc, sync->run_pass(), net::use_future);
        ioc.run();
        ioc.restart();
        if (!synced.get()) {
            std::fprintf(stderr, "handler fuzz: the first directory pass failed\n");
            std::abort();
        }
        runtimes->replace(gw::with_accounts(*rt, registry));
        handler = std::make_shared<gw::gateway_handler>(runtimes, billagain, log);
    }
};

struct fuzz_state {
    fs::path dir = scratch();
    std::shared_ptr<const gw::runtime> rt = gw::build_runtime(write_config(dir));
    sb::store_state fixture = sb::load_fixture_file(BLUBRIDGE_SANDBOX_FIXTURE);
    std::unique_ptr<world> current;
    std::size_t inputs = 0;

    world& next_world() {
        if (!current || ++inputs % inputs_per_world == 0) {
            current.reset();
            for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(dir / (std::string("directory.sqlite3") + suffix));
            current = std::make_unique<world>(dir, rt, fixture);
        }
        return *current;
    }
};

fuzz_state& state() {
    static fuzz_state s;
    return s;
}

std::optional<blubridge::http_server::request> parse_request(std::string_view bytes) {
    http::request_parser<http::string_body> parser;
    parser.eager(true);
    parser.body_limit(1 << 20);
    boost::system::error_code ec;
    const auto used = parser.put(net::buffer(bytes.data(), bytes.size()), ec);
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec || !parser.is_done() || used == 0) return std::nullopt;
    return parser.release();
}

bool documented_status(unsigned s) {
    switch (s) {
    case 200: case 201: case 204: case 400: case 401: case 403: case 404: case 405: case 406: case 409:
    case 411: case 413: case 415: case 422: case 429: case 431: case 501: case 502: case 503: case 504:
        return true;
    default:
        return false;
    }
}

[[noreturn]] void broken(const char* what, const blubridge::http_server::response& answer) {
    std::fprintf(stderr, "handler fuzz: %s: %u\n%s\n", what, answer.result_int(), answer.body().c_str());
    std::abort();
}

// The fixture's payment token: Billagain sends it, a client never sees it.
constexpr std::string_view fixture_token = "f8f3b996-6fa6-4140-af73-df688af6365a";

constexpr std::string_view secret_elements[] = {"<cardNumber>", "<cvv>", "<passwd>", "<password>",
                                                "<accountNumber>", "<routingNumber>"};

// The values the request sends in secret elements (3 characters or more).
std::vector<std::string> secrets_sent(std::string_view request) {
    std::vector<std::string> values;
    for (const auto element : secret_elements) {
        for (auto at = request.find(element); at != std::string_view::npos; at = request.find(element, at + 1)) {
            const auto start = at + element.size();
            const auto end = request.find('<', start);
            if (end == std::string_view::npos) break;
            if (end - start >= 3) values.emplace_back(request.substr(start, end - start));
        }
    }
    return values;
}

// The same value with every letter and digit changed (same length, so Content-Length holds).
std::string changed(std::string value) {
    for (auto& c : value) {
        if (c >= '0' && c <= '9') c = static_cast<char>('0' + (c - '0' + 5) % 10);
        else if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + 1) % 26);
        else if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + 1) % 26);
    }
    return value;
}

std::string with_secret_changed(std::string request, const std::string& value) {
    const auto replacement = changed(value);
    for (const auto element : secret_elements) {
        const std::string needle = std::string(element) + value + "<";
        for (auto at = request.find(needle); at != std::string::npos; at = request.find(needle, at + needle.size()))
            request.replace(at + element.size(), value.size(), replacement);
    }
    return request;
}

struct served {
    blubridge::http_server::response answer;
    std::string logged_error;
    bool logged_once = false;
};

// One request through the handler, with the fault `fault_byte` picks.
served serve(world& w, std::string_view raw, std::uint8_t fault_byte, const std::string& upstream_body) {
    auto req = parse_request(raw);
    w.billagain->arm(static_cast<fault>(fault_byte & 7), (fault_byte >> 3) & 7, upstream_body);
    // A new client address per request, so failed logins never lock the fuzzer out (429).
    static std::uint32_t clients = 0;
    blubridge::http_server::connection_info conn;
    conn.remote = {net::ip::address_v4(0x0A000000u + (++clients & 0xFFFFFFu)), 40000};

    const auto records_before = w.log->records();
    const bool probe = req->target() == "/readyz" || req->target() == "/healthz";  // health probes are not request-logged
    auto answered = net::co_spawn(w.ioc, w.handler->handle(std::move(*req), conn), net::use_future);
    w.ioc.run();
    w.ioc.restart();
    served out;
    try {
        out.answer = answered.get().message;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "handler fuzz: the handler threw: %s\n", e.what());
        std::abort();
    }
    out.logged_once = w.log->records() == records_before + (probe ? 0 : 1);
    out.logged_error = w.log->error();
    return out;
}

void check(const served& s, std::string_view request) {
    const auto& answer = s.answer;
    if (answer.result() == http::status::internal_server_error) broken("internal error", answer);
    if (!documented_status(answer.result_int())) broken("undocumented status", answer);
    if (!s.logged_once) broken("not logged exactly once", answer);
    const bool xml = answer[http::field::content_type].find("xml") != boost::beast::string_view::npos;
    if (!answer.body().empty() && !xml && answer.result() != http::status::ok) broken("an error answer that is not XML", answer);
    if (xml) {
        pugi::xml_document doc;
        blubridge::mapping::conversion_report report;
        if (blubridge::mapping::parse_xml(answer.body(), doc, report)) broken("answer is not well-formed XML", answer);
    }
    if (answer.body().find(fixture_token) != std::string::npos && request.find(fixture_token) == std::string_view::npos)
        broken("the fixture's payment token came back", answer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string upstream_body;
    if (const auto at = rest.find(separator); at != std::string_view::npos) {
        upstream_body = rest.substr(at + separator.size());
        rest = rest.substr(0, at);
    }
    if (!parse_request(rest)) return 0;
    auto& w = state().next_world();
    const auto first = serve(w, rest, data[0], upstream_body);
    check(first, rest);

    // A secret the request sent comes back (or is logged) only if the gateway put it there: the
    // same request with that value changed must not answer with the original value. (A value
    // that is in the answer anyway, such as a customer's reference, stays.)
    for (const auto& value : secrets_sent(rest)) {
        const bool in_answer = first.answer.body().find(value) != std::string::npos;
        const bool in_log = first.logged_error.find(value) != std::string::npos;
        if (!in_answer && !in_log) continue;
        const auto other = with_secret_changed(std::string(rest), value);
        if (other == rest) continue;  // no letter or digit to change
        // The second request meets the state the first left (a DELETE has deleted), so its
        // answer may differ anyway: an echo is the changed value showing up where the original was.
        const auto second = serve(w, other, data[0], upstream_body);
        const auto echoed = [&](const std::string& before, const std::string& after) {
            return after.find(value) == std::string::npos && after.find(changed(value)) != std::string::npos &&
                   before.find(changed(value)) == std::string::npos;
        };
        if (in_answer && echoed(first.answer.body(), second.answer.body()))
            broken("a secret the request sent came back", first.answer);
        if (in_log && echoed(first.logged_error, second.logged_error))
            broken("a secret the request sent was logged", first.answer);
    }
    return 0;
}

