#pragma once
#include <blubridge/log/log_settings.hpp>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace blubridge::log {

struct field;

/// A list of records inside one line (a request's upstream calls): a JSON array of
/// objects, or in logfmt one quoted value with the records separated by `; `.
using field_list = std::span<const std::vector<field>>;

/// One `key: value` of a line. Keys are the caller's constants; string values may be
/// anything a client sent (they are escaped, never trusted).
struct field {
    std::string_view key;
    std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool, field_list> value;
};

/// `level` spelled as in the configuration and in lines: debug, info, warn, error.
std::string_view to_string(level l);

/// Writes structured lines: `{"ts":"2026-12-05T12:34:56.789Z","level":"info","event":…,
/// …fields}` (RapidJSON's writer: quotes, backslashes and control characters escaped;
/// bytes that are not UTF-8 replaced by `?`) or the same as logfmt (`ts=… level=info
/// event=… key=value`, values with spaces, quotes, `=` or control characters quoted
/// and escaped). Each line goes out in one write, so concurrent lines never interleave.
/// Thread-safe; holds no mutable state.
class logger {
public:
    /// Receives each finished line, newline included. Default: standard error, where
    /// journald picks it up under systemd.
    using sink = std::function<void(std::string_view line)>;

    explicit logger(log_settings settings, sink out = {});

    /// Whether a line of level `l` would be written (callers skip building costly fields).
    bool enabled(level l) const { return l >= settings_.min_level; }

    /// Writes one line of `event` with `fields`, if `l` is enabled.
    void write(level l, std::string_view event, std::span<const field> fields) const;
    void write(level l, std::string_view event, std::initializer_list<field> fields) const {
        write(l, event, std::span<const field>(fields.begin(), fields.size()));
    }

    /// The line `write` would send, without sending it.
    std::string format_line(level l, std::string_view event, std::span<const field> fields) const;

    const log_settings& settings() const { return settings_; }

private:
    log_settings settings_;
    sink out_;
};

}  // namespace blubridge::log
