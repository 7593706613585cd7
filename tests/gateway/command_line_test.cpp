// blubridge's command line: --check-config and --hash-password, as an operator uses them.
#define BOOST_TEST_MODULE gateway_command_line
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <blubridge/auth/password_hash.hpp>

#include <test_support/run_process.hpp>

using namespace gateway_test;
using blubridge::test_support::run_process;

namespace {

std::string gateway_exe() { return required_env("BLUBRIDGE_GATEWAY"); }

// A copy of the shipped mappings the test may break.
fs::path copy_mappings(const scratch_dir& dir) {
    const fs::path copy = dir.path / "mappings";
    fs::copy(required_env("BLUBRIDGE_MAPPINGS"), copy, fs::copy_options::recursive);
    return copy;
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_config_accepts_a_valid_configuration) {
    scratch_dir dir;
    const auto config = write_config(dir, "http://127.0.0.1:9");
    auto r = run_process(gateway_exe(), {"--config", config.string(), "--check-config"});
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.find("valid") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(check_config_lists_config_problems_with_positions) {
    scratch_dir dir;
    auto config = write_config(dir, "http://127.0.0.1:9");
    std::ofstream(config, std::ios::app) << "colour: blue\n";
    auto r = run_process(gateway_exe(), {"--config", config.string(), "--check-config"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.output.find(config.string() + ":") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("unknown key 'colour'") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(a_broken_mapping_stops_start_up_with_exit_2) {
    scratch_dir dir;
    const auto mappings = copy_mappings(dir);
    std::ofstream(mappings / "zz_broken.yaml")
        << "mappings:\n"
           "  - name: broken\n"
           "    xml_root: broken\n"
           "    fields:\n"
           "      - { xml: a, json: A, type: no_such_type }\n";
    auto config = write_config(dir, "http://127.0.0.1:9");
    // Point the configuration at the broken copy.
    std::string text;
    {
        std::ifstream in(config);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    const auto at = text.find("mappings: ");
    text.replace(at, text.find('\n', at) - at, "mappings: " + mappings.string());
    std::ofstream(config) << text;

    for (const auto* mode : {"--check-config", ""}) {
        std::vector<std::string> args{"--config", config.string()};
        if (*mode) args.push_back(mode);
        auto r = run_process(gateway_exe(), args);  // without --check-config it must not serve
        BOOST_TEST(r.exit_code == 2, r.output);
        BOOST_TEST(r.output.find("zz_broken.yaml:5:") != std::string::npos, r.output);
        BOOST_TEST(r.output.find("listening") == std::string::npos, r.output);
    }
}

BOOST_AUTO_TEST_CASE(missing_secret_is_reported_not_guessed) {
    scratch_dir dir;
    auto config = write_config(dir, "http://127.0.0.1:9");
    fs::remove(dir.path / "billagain.key");
    auto r = run_process(gateway_exe(), {"--config", config.string(), "--check-config"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.output.find("billagain.key") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(hash_password_prints_a_verifiable_hash) {
    auto r = run_process(gateway_exe(), {"--hash-password"}, "correct horse\n");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    std::string line = r.output.substr(0, r.output.find('\n'));
    auto hash = blubridge::auth::parse_password_hash(line);
    BOOST_TEST_REQUIRE(hash.has_value(), line);
    BOOST_TEST(blubridge::auth::verify_password(*hash, "correct horse"));
    BOOST_TEST(r.output.find("correct horse") == std::string::npos);

    auto empty = run_process(gateway_exe(), {"--hash-password"}, "");
    BOOST_TEST(empty.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(unknown_option_is_a_usage_error) {
    auto r = run_process(gateway_exe(), {"--no-such-option"});
    BOOST_TEST(r.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(version_names_the_project_version_and_the_commit) {
    auto r = run_process(gateway_exe(), {"--version"});
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.rfind("blubridge " BLUBRIDGE_PROJECT_VERSION " (commit ", 0) == 0, r.output);
}

BOOST_AUTO_TEST_CASE(help_lists_every_option) {
    auto r = run_process(gateway_exe(), {"--help"});
    BOOST_TEST(r.exit_code == 0, r.output);
    for (const auto* option : {"--help", "--version", "--config", "--check-config", "--hash-password"})
        BOOST_TEST(r.output.find(option) != std::string::npos, option);
}
