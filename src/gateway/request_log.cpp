#include "request_log.hpp"

#include <vector>

namespace blubridge::gateway {

namespace {

double milliseconds(std::chrono::microseconds d) { return static_cast<double>(d.count()) / 1000.0; }

// Members left out when empty, so a line shows what the request had.
void add_text(std::vector<log::field>& fields, std::string_view key, std::string_view value) {
    if (!value.empty()) fields.push_back({key, value});
}

log::level level_of(unsigned status) { return status >= 500 ? log::level::warn : log::level::info; }

}  // namespace

observed_request_log::observed_request_log(std::shared_ptr<const log::logger> logger,
                                           std::shared_ptr<gateway_metrics> metrics)
    : logger_(std::move(logger)), metrics_(std::move(metrics)) {}

bool observed_request_log::writes_line(unsigned status) const { return logger_->enabled(level_of(status)); }

void observed_request_log::record(const request_record& r) {
    if (metrics_) metrics_->request_done(r.route, r.status, r.duration);
    const auto level = level_of(r.status);
    if (!logger_->enabled(level)) return;

    std::vector<std::vector<log::field>> calls;
    calls.reserve(r.upstream.size());
    for (const auto& c : r.upstream) {
        calls.push_back({{"method", c.method},
                         {"route", std::string_view(c.route)},
                         {"status", std::uint64_t{c.status}},
                         {"ms", milliseconds(c.duration)}});
    }
    std::vector<log::field> fields{{"request_id", r.request_id}};
    add_text(fields, "client", r.client);
    fields.insert(fields.end(), {{"remote", r.remote}, {"method", r.method}, {"route", r.route}, {"target", r.target}});
    add_text(fields, "customer_id", r.customer_id);
    add_text(fields, "ext_customer_ref", r.ext_ref);
    fields.insert(fields.end(), {{"status", std::uint64_t{r.status}},
                                 {"bytes", r.bytes},
                                 {"upstream", log::field_list(calls)},
                                 {"ms", milliseconds(r.duration)}});
    add_text(fields, "error", r.error);
    add_text(fields, "ignored", r.ignored);
    logger_->write(level, "request", fields);
}

}  // namespace blubridge::gateway
