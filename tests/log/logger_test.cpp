// The structured log line: JSON that parses whatever a client sent, logfmt that cannot be
// split by a client's CR/LF, and levels that filter.
#define BOOST_TEST_MODULE log_logger
#include <boost/test/unit_test.hpp>

#include <blubridge/log/logger.hpp>

#include <rapidjson/document.h>

#include <regex>
#include <string>
#include <vector>

namespace lg = blubridge::log;

namespace {

struct captured {
    std::vector<std::string> lines;
    lg::logger make(lg::format style, lg::level min = lg::level::info) {
        return lg::logger({style, min}, [this](std::string_view line) { lines.emplace_back(line); });
    }
};

rapidjson::Document parsed(const std::string& line) {
    rapidjson::Document d;
    d.Parse(line.data(), line.size());
    BOOST_TEST_REQUIRE(!d.HasParseError(), line);
    BOOST_TEST_REQUIRE(d.IsObject(), line);
    return d;
}

const std::string hostile = "a\"b\\c\r\nlevel=error event=forged\x01\xff\xfe end";

}  // namespace

BOOST_AUTO_TEST_CASE(json_lines_carry_timestamp_level_event_and_fields) {
    captured out;
    const auto log = out.make(lg::format::json);
    std::vector<lg::field> call{{"method", std::string_view("GET")}, {"status", std::uint64_t{200}}};
    std::vector<std::vector<lg::field>> calls{call, call};
    log.write(lg::level::info, "request",
              {{"client", std::string_view(hostile)}, {"status", std::uint64_t{404}}, {"ms", 1.5},
               {"delta", std::int64_t{-3}}, {"ok", false}, {"upstream", lg::field_list(calls)}});
    BOOST_TEST_REQUIRE(out.lines.size() == 1u);
    const auto& line = out.lines[0];
    BOOST_TEST(line.back() == '\n');
    BOOST_TEST(line.find('\n') == line.size() - 1, line);  // one line, CR/LF escaped
    BOOST_TEST(line.find('\r') == std::string::npos);
    const auto d = parsed(line);
    BOOST_TEST(std::regex_match(std::string(d["ts"].GetString()),
                                std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")),
               d["ts"].GetString());
    BOOST_TEST(std::string(d["level"].GetString()) == "info");
    BOOST_TEST(std::string(d["event"].GetString()) == "request");
    BOOST_TEST(std::string(d["client"].GetString()) == "a\"b\\c\r\nlevel=error event=forged\x01??"
                                                           " end");
    BOOST_TEST(d["status"].GetUint() == 404u);
    BOOST_TEST(d["ms"].GetDouble() == 1.5);
    BOOST_TEST(d["delta"].GetInt() == -3);
    BOOST_TEST(d["ok"].GetBool() == false);
    BOOST_TEST_REQUIRE(d["upstream"].IsArray());
    BOOST_TEST(d["upstream"].Size() == 2u);
    BOOST_TEST(d["upstream"][1]["status"].GetUint() == 200u);
}

BOOST_AUTO_TEST_CASE(logfmt_quotes_and_escapes_what_could_forge_a_field_or_a_line) {
    captured out;
    const auto log = out.make(lg::format::logfmt);
    std::vector<std::vector<lg::field>> calls{{{"method", std::string_view("GET")}, {"status", std::uint64_t{200}}}};
    log.write(lg::level::warn, "request",
              {{"client", std::string_view(hostile)}, {"route", std::string_view("get_customer")},
               {"upstream", lg::field_list(calls)}, {"empty", std::string_view()}});
    BOOST_TEST_REQUIRE(out.lines.size() == 1u);
    const auto& line = out.lines[0];
    BOOST_TEST(line.find('\n') == line.size() - 1, line);
    BOOST_TEST(std::regex_search(line, std::regex(R"(^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=warn event=request )")),
               line);
    BOOST_TEST(line.find(R"(client="a\"b\\c\r\nlevel=error event=forged\u0001?? end")") != std::string::npos, line);
    BOOST_TEST(line.find(" route=get_customer ") != std::string::npos, line);
    BOOST_TEST(line.find(R"(upstream="method=GET status=200")") != std::string::npos, line);
    BOOST_TEST(line.find(R"(empty="")") != std::string::npos, line);
}

BOOST_AUTO_TEST_CASE(lines_below_the_level_are_not_written) {
    captured out;
    const auto log = out.make(lg::format::json, lg::level::warn);
    log.write(lg::level::debug, "a", {});
    log.write(lg::level::info, "b", {});
    log.write(lg::level::warn, "c", {});
    log.write(lg::level::error, "d", {});
    BOOST_TEST_REQUIRE(out.lines.size() == 2u);
    BOOST_TEST(std::string(parsed(out.lines[0])["event"].GetString()) == "c");
    BOOST_TEST(std::string(parsed(out.lines[1])["level"].GetString()) == "error");
    BOOST_TEST(!log.enabled(lg::level::info));
    BOOST_TEST(log.enabled(lg::level::error));
}
