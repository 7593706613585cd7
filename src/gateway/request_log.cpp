#include "request_log.hpp"

#include <cstdio>
#include <string>

namespace blubridge::gateway {

namespace {

// Quotes a value for a log line so spaces and quotes in client input cannot forge fields.
std::string quoted(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            out += '?';
            continue;
        }
        out += c;
    }
    return out + "\"";
}

}  // namespace

void stderr_request_log::record(const request_record& r) {
    std::string line = "request client=" + quoted(r.client) + " method=" + std::string(r.method) +
                       " target=" + quoted(r.target) + " status=" + std::to_string(r.status) +
                       " duration_us=" + std::to_string(r.duration.count()) +
                       " upstream_calls=" + std::to_string(r.upstream_calls);
    if (!r.error.empty()) line += " error=" + quoted(r.error);
    if (!r.ignored.empty()) line += " ignored=" + quoted(r.ignored);
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines never interleave
}

}  // namespace blubridge::gateway
