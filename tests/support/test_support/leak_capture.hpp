#pragma once
// The leak capture: when BLUBRIDGE_LEAK_DIR is set (CMake sets it for the integration
// tests), the test helpers record what the programs under test said, for the leak scan
// of tests/security. Off, and free, when it is not set.
//
// Each test process appends to its own files, `<program>.<pid>.<kind>.<peer>.txt` in that
// folder; each record starts with a line `=== <title>`.
#include <filesystem>
#include <optional>
#include <string_view>

namespace blubridge::test_support::leak_capture {

/// Record kinds. `requests` is what the tests sent (the scan's proof that a secret went
/// in); the other kinds are what came out and must hold none.
inline constexpr std::string_view requests = "requests";
inline constexpr std::string_view responses = "responses";
inline constexpr std::string_view log = "log";            ///< a child process's stdout and stderr
inline constexpr std::string_view callbacks = "callbacks";  ///< requests the gateway sent to a website

inline constexpr std::string_view record_marker = "=== ";

/// The capture folder, or nullopt when BLUBRIDGE_LEAK_DIR is unset or empty.
std::optional<std::filesystem::path> folder();

/// Appends one record (`=== title`, then `text`) to this process's file for `kind` and
/// `peer` (a name without dots or slashes, e.g. "gateway"). Creates the folder if needed.
/// Does nothing when capture is off. Safe from several threads. Throws
/// std::runtime_error if the file cannot be written, so a capture cannot go missing unseen.
void append(std::string_view kind, std::string_view peer, std::string_view title, std::string_view text);

}  // namespace blubridge::test_support::leak_capture
