#include <blubridge/log/logger.hpp>

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace blubridge::log {

namespace {

// RFC 3339, UTC, milliseconds: 2026-12-05T12:34:56.789Z.
std::string timestamp() {
    const auto now = std::chrono::system_clock::now();
    const auto seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[32];
    const auto n = std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                                 utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms));
    return std::string(text, static_cast<std::size_t>(n));
}

// Client input is arbitrary bytes: each byte that does not start a valid UTF-8 sequence
// becomes `?`, so every line is valid UTF-8 (and valid JSON) whatever was sent.
std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t at = 0;
    while (at < s.size()) {
        rapidjson::MemoryStream in(s.data() + at, s.size() - at);
        unsigned code = 0;
        if (rapidjson::UTF8<>::Decode(in, &code) && in.Tell() > 0) {
            out.append(s.substr(at, in.Tell()));
            at += in.Tell();
        } else {
            out += '?';
            ++at;
        }
    }
    return out;
}

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

void json_string(json_writer& w, std::string_view s) {
    const auto clean = valid_utf8(s);
    w.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void json_fields(json_writer& w, std::span<const field> fields);

void json_value(json_writer& w, const field& f) {
    std::visit(
        [&w](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>) json_string(w, v);
            else if constexpr (std::is_same_v<T, std::int64_t>) w.Int64(v);
            else if constexpr (std::is_same_v<T, std::uint64_t>) w.Uint64(v);
            else if constexpr (std::is_same_v<T, double>) w.Double(v);
            else if constexpr (std::is_same_v<T, bool>) w.Bool(v);
            else {
                w.StartArray();
                for (const auto& record : v) {
                    w.StartObject();
                    json_fields(w, record);
                    w.EndObject();
                }
                w.EndArray();
            }
        },
        f.value);
}

void json_fields(json_writer& w, std::span<const field> fields) {
    for (const auto& f : fields) {
        json_string(w, f.key);
        json_value(w, f);
    }
}

bool logfmt_bare(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s)
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return false;
    return true;
}

// A logfmt value: bare when it is plain, else quoted with quotes, backslashes and control
// characters escaped, so a client's CR/LF can never start a forged line.
std::string logfmt_text(std::string_view raw) {
    const auto s = valid_utf8(raw);
    if (logfmt_bare(s)) return s;
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "\\u%04x", c);
                out += hex;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string logfmt_plain(const field& f);

// Records in one value: "k=v k=v; k=v k=v".
std::string logfmt_list(field_list records) {
    std::string joined;
    for (const auto& record : records) {
        if (!joined.empty()) joined += "; ";
        std::string one;
        for (const auto& f : record) one += (one.empty() ? "" : " ") + std::string(f.key) + "=" + logfmt_plain(f);
        joined += one;
    }
    return joined;
}

// A value as text before quoting.
std::string logfmt_plain(const field& f) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>) return std::string(v);
            else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
            else if constexpr (std::is_same_v<T, double>) {
                char text[32];
                std::snprintf(text, sizeof text, "%.3f", v);
                return text;
            } else if constexpr (std::is_same_v<T, field_list>) return logfmt_list(v);
            else return std::to_string(v);
        },
        f.value);
}

}  // namespace

std::string_view to_string(level l) {
    switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
    }
    return "info";
}

logger::logger(log_settings settings, sink out) : settings_(settings), out_(std::move(out)) {
    if (!out_) out_ = [](std::string_view line) { std::fwrite(line.data(), 1, line.size(), stderr); };
}

std::string logger::format_line(level l, std::string_view event, std::span<const field> fields) const {
    const std::string ts = timestamp();
    if (settings_.style == format::logfmt) {
        std::string line = "ts=" + ts + " level=" + std::string(to_string(l)) + " event=" + logfmt_text(event);
        for (const auto& f : fields) line += " " + logfmt_text(f.key) + "=" + logfmt_text(logfmt_plain(f));
        return line + "\n";
    }
    rapidjson::StringBuffer buffer;
    json_writer w(buffer);
    w.StartObject();
    const field head[] = {{"ts", std::string_view(ts)}, {"level", to_string(l)}, {"event", event}};
    json_fields(w, head);
    json_fields(w, fields);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

void logger::write(level l, std::string_view event, std::span<const field> fields) const {
    if (!enabled(l)) return;
    out_(format_line(l, event, fields));  // one write per line: stdio locks the stream
}

}  // namespace blubridge::log
