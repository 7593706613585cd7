#pragma once

namespace blubridge::log {

/// How severe a line is; lines below the configured level are not written.
enum class level { debug, info, warn, error };

/// How a line is spelled: one JSON object per line, or logfmt (`key=value …`).
enum class format { json, logfmt };

/// The `log:` section of the configuration.
struct log_settings {
    /// Default json: what journald, Loki and Elasticsearch ingest without a parser rule.
    format style = format::json;
    /// Default info: one line per request and per background event; debug adds nothing yet
    /// but is accepted so a configuration can ask for it.
    level min_level = level::info;

    bool operator==(const log_settings&) const = default;
};

}  // namespace blubridge::log
