#define BOOST_TEST_MODULE sandbox command_line
#include <sandbox/command_line.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

using namespace blubridge::sandbox;

namespace {
struct outcome {
    std::optional<sandbox_options> options;
    int code = -1;
    std::string out, err;
};
outcome run(std::vector<const char*> args) {
    args.insert(args.begin(), "billagain-sandbox");
    std::ostringstream out, err;
    outcome o;
    o.options = parse_command_line(static_cast<int>(args.size()), args.data(), out, err, o.code);
    o.out = out.str();
    o.err = err.str();
    return o;
}
}  // namespace

BOOST_AUTO_TEST_CASE(defaults_and_listen) {
    auto o = run({"--account", "1000", "--api-key", "k"});
    BOOST_TEST_REQUIRE(o.options.has_value());
    BOOST_TEST(o.options->host == "127.0.0.1");
    BOOST_TEST(o.options->port == 8081);
    BOOST_TEST(o.options->threads >= 1u);
    o = run({"--account", "1000", "--api-key", "k", "--listen", "[::1]:0", "--threads", "3"});
    BOOST_TEST(o.options->host == "::1");
    BOOST_TEST(o.options->port == 0);
    BOOST_TEST(o.options->threads == 3u);
    o = run({"--account", "1000", "--api-key", "k", "--listen", "localhost:9000"});
    BOOST_TEST(o.options->host == "127.0.0.1");
}

BOOST_AUTO_TEST_CASE(api_key_file) {
    const char* path = "sandbox_command_line_test.key";
    std::ofstream(path) << "from-file\n";
    auto o = run({"--account", "1000", "--api-key-file", path});
    BOOST_TEST_REQUIRE(o.options.has_value());
    BOOST_TEST(o.options->api_key == "from-file");
    std::remove(path);
}

BOOST_AUTO_TEST_CASE(help_exits_zero) {
    auto o = run({"--help"});
    BOOST_TEST(!o.options.has_value());
    BOOST_TEST(o.code == 0);
    BOOST_TEST(o.out.find("--listen") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_options_exit_two) {
    for (auto args : std::vector<std::vector<const char*>>{
             {"--bogus"},
             {"--api-key", "k"},
             {"--account", "1"},
             {"--account", "1", "--api-key", "k", "--api-key-file", "x"},
             {"--account", "1", "--api-key-file", "/nonexistent/key"},
             {"--account", "1", "--api-key", "k", "--listen", "nohost"},
             {"--account", "1", "--api-key", "k", "--listen", "1.2.3.4:99999"},
             {"--account", "1", "--api-key", "k", "--threads", "0"},
             {"--account", "1", "--api-key", "k", "--threads", "many"}}) {
        auto o = run(args);
        BOOST_TEST(!o.options.has_value());
        BOOST_TEST(o.code == 2);
        BOOST_TEST(!o.err.empty());
    }
}
