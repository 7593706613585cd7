// "Nothing leaks": after the integration tests (tests/gateway) have sent the known secrets
// (test_support/known_secrets.hpp), no response, callback or log line they captured
// (test_support/leak_capture.hpp) holds any of them in full, and no captured log holds a
// sanitizer report. Runs as the cleanup of the
// ctest fixture `leak_capture` that every integration test requires, so after all of them.
#define BOOST_TEST_MODULE security_no_secret_leak
#include <boost/test/unit_test.hpp>

#include <test_support/child_process.hpp>
#include <test_support/known_secrets.hpp>
#include <test_support/leak_capture.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace capture = blubridge::test_support::leak_capture;
namespace secrets = blubridge::test_support::known_secrets;

namespace {

// One capture file, `<program>.<pid>.<kind>.<peer>.txt`.
struct capture_file {
    fs::path path;
    std::string program, kind, peer, text;
};

std::string read_whole(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<capture_file> load_capture() {
    const auto dir = capture::folder();
    if (!dir || !fs::is_directory(*dir)) return {};
    std::vector<capture_file> files;
    for (const auto& item : fs::directory_iterator(*dir)) {
        std::vector<std::string> parts;
        std::istringstream name(item.path().filename().string());
        for (std::string part; std::getline(name, part, '.');) parts.push_back(part);
        if (parts.size() != 5 || parts[4] != "txt") continue;
        files.push_back({item.path(), parts[0], parts[2], parts[3], read_whole(item.path())});
    }
    return files;
}

const std::vector<capture_file>& captured() {
    static const auto files = load_capture();
    return files;
}

std::size_t occurrences(const std::string& text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

std::size_t records(std::string_view kind, std::string_view peer) {
    std::size_t n = 0;
    for (const auto& f : captured()) {
        if (f.kind == kind && f.peer == peer) n += occurrences("\n" + f.text, "\n" + std::string(capture::record_marker));
    }
    return n;
}

// Lines of output, without the record titles and blank lines.
std::size_t lines(std::string_view kind, std::string_view peer) {
    std::size_t n = 0;
    for (const auto& f : captured()) {
        if (f.kind != kind || f.peer != peer) continue;
        std::istringstream text(f.text);
        for (std::string line; std::getline(text, line);) {
            if (!line.empty() && !line.starts_with(capture::record_marker)) ++n;
        }
    }
    return n;
}

// What the tests put in (requests) and what Billagain hands the gateway (the sandbox's
// answers): where each secret must be found, so the scan cannot pass for want of input.
bool is_input(const capture_file& f) {
    return f.kind == capture::requests || (f.kind == capture::responses && f.peer == "sandbox");
}

// Billagain's own answers carry the payment token; every other output carries no secret.
bool may_hold(const capture_file& f, const secrets::secret& s) {
    return f.kind == capture::requests ||
           (f.kind == capture::responses && f.peer == "sandbox" && s.value == secrets::payment_token);
}

// How a secret travels in: passwords and the API key only inside Basic credentials.
std::string evidence_of(const secrets::secret& s, const std::vector<secrets::secret>& all) {
    const auto named = [&](std::string_view name) {
        return std::find_if(all.begin(), all.end(), [&](const auto& x) { return x.name == name; })->value;
    };
    if (s.value == secrets::client_password) return named("client Authorization");
    if (s.value == secrets::billagain_api_key) return named("Billagain Authorization");
    return s.value;
}

// The record title and the text around a find, for the failure message.
std::string excerpt(const std::string& text, std::size_t at) {
    if (at == std::string::npos) return {};
    const auto record = text.rfind(capture::record_marker, at);
    const auto title_end = record == std::string::npos ? record : text.find('\n', record);
    const std::string title = record == std::string::npos ? "?" : text.substr(record, title_end - record);
    const auto from = at < 80 ? 0 : at - 80;
    return title + " … " + text.substr(from, 200) + " …";
}

// The integration-test programs (LEAK_PROGRAMS, comma-separated) that left no capture.
std::vector<std::string> programs_missing() {
    std::set<std::string> seen;
    for (const auto& f : captured()) seen.insert(f.program);
    std::vector<std::string> missing;
    std::istringstream list(blubridge::test_support::required_env("LEAK_PROGRAMS"));
    for (std::string program; std::getline(list, program, ',');) {
        if (!seen.contains(program)) missing.push_back(program);
    }
    return missing;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_capture_holds_what_the_integration_tests_saw) {
    BOOST_TEST_REQUIRE(!captured().empty(), "no leak capture in BLUBRIDGE_LEAK_DIR: run this after the integration "
                                            "tests, through ctest (fixture leak_capture)");
    // Every integration test runs the gateway (command_line only through run_process, so
    // a run of it alone has no responses).
    BOOST_TEST(lines(capture::log, "blubridge") > 0u);
    BOOST_TEST_MESSAGE("captured: " << records(capture::responses, "gateway") << " gateway responses, "
                                    << records(capture::callbacks, "website") << " callbacks, "
                                    << lines(capture::log, "blubridge") << " gateway log lines, "
                                    << lines(capture::log, "billagain-sandbox") << " sandbox log lines");
}

// On a whole run (every integration test captured) each secret went in, and in quantity:
// a leak check that never saw the secrets proves nothing. A run of some tests (ctest -R)
// checks what those sent.
BOOST_AUTO_TEST_CASE(every_known_secret_went_in_on_a_whole_run) {
    const auto missing = programs_missing();
    if (!missing.empty()) {
        std::string names;
        for (const auto& m : missing) names += " " + m;
        BOOST_TEST_MESSAGE("partial run, not captured:" << names << "; only the leak check applies");
        return;
    }
    BOOST_TEST(records(capture::responses, "gateway") >= 300u);
    BOOST_TEST(records(capture::callbacks, "website") >= 1u);
    BOOST_TEST(lines(capture::log, "blubridge") >= 100u);
    BOOST_TEST(lines(capture::log, "billagain-sandbox") >= 1u);
    const auto all = secrets::all();
    for (const auto& s : all) {
        const auto evidence = evidence_of(s, all);
        const bool went_in = std::any_of(captured().begin(), captured().end(), [&](const capture_file& f) {
            return is_input(f) && f.text.find(evidence) != std::string::npos;
        });
        BOOST_TEST(went_in, s.name << " (" << s.value << ") was never sent");
    }
}

BOOST_AUTO_TEST_CASE(no_response_callback_or_log_line_holds_a_secret) {
    const auto all = secrets::all();
    std::size_t scanned = 0;
    for (const auto& f : captured()) {
        for (const auto& s : all) {
            if (may_hold(f, s)) continue;
            ++scanned;
            const auto at = f.text.find(s.value);
            BOOST_TEST(at == std::string::npos,
                       s.name << " in " << f.path.filename().string() << ": " << excerpt(f.text, at));
        }
    }
    BOOST_TEST(scanned > 0u);
}

// The gateway and the sandbox run as child processes, so a sanitizer report of theirs (a
// ThreadSanitizer race under the `tsan` preset, which does not stop the process; an ASan or
// UBSan report under `dev`) would otherwise reach no test result. Their captured output holds none.
BOOST_AUTO_TEST_CASE(no_child_process_reported_a_sanitizer_error) {
    constexpr std::string_view reports[] = {"WARNING: ThreadSanitizer:", "ERROR: AddressSanitizer:",
                                            "ERROR: LeakSanitizer:", ": runtime error: "};
    std::size_t logs = 0;
    for (const auto& f : captured()) {
        if (f.kind != capture::log) continue;
        ++logs;
        for (const auto report : reports) {
            const auto at = f.text.find(report);
            BOOST_TEST(at == std::string::npos, f.path.filename().string() << ": " << excerpt(f.text, at));
        }
    }
    BOOST_TEST(logs > 0u);
}
