#pragma once
// billagain-sandbox's command line (Boost.Program_options).
#include <iosfwd>
#include <optional>
#include <string>

namespace blubridge::sandbox {

struct sandbox_options {
    std::string host = "127.0.0.1";  ///< loopback by default: /_sandbox/ has no authentication
    unsigned short port = 8081;      ///< 0 picks a free port
    std::string account;             ///< Basic user name (Billagain account id)
    std::string api_key;             ///< Basic password
    std::string fixture;             ///< empty: start with no data
    unsigned threads = 1;
};

/// Parses argv. Returns nullopt when the program should exit at once with `exit_code`:
/// 0 after --help (usage on `out`), 2 after a bad option (message on `err`).
std::optional<sandbox_options> parse_command_line(int argc, const char* const* argv, std::ostream& out,
                                                  std::ostream& err, int& exit_code);

}  // namespace blubridge::sandbox
