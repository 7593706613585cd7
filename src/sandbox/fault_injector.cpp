#include "fault_injector.hpp"

#include "detail/field_reader.hpp"
#include "json_writer.hpp"

#include <cctype>
#include <cstdlib>

namespace blubridge::sandbox {

fault_injector::fault_injector() : rng_(std::random_device{}()) {}

std::string_view to_string(fault_kind k) {
    switch (k) {
    case fault_kind::latency: return "latency";
    case fault_kind::status: return "status";
    case fault_kind::drop: return "drop";
    case fault_kind::malformed: return "malformed";
    }
    return "status";
}

result<std::uint64_t> fault_injector::add(const json_value& spec) {
    detail::field_reader r(spec);
    fault_rule rule;
    const auto kind = r.required_string("kind");
    if (!r.ok()) return r.error();
    if (kind == "latency") rule.kind = fault_kind::latency;
    else if (kind == "status") rule.kind = fault_kind::status;
    else if (kind == "drop") rule.kind = fault_kind::drop;
    else if (kind == "malformed") rule.kind = fault_kind::malformed;
    else return field_invalid("kind", kind);

    if (rule.kind == fault_kind::latency) {
        const auto ms = r.required_int("latency_ms");
        if (r.ok() && (ms < 0 || ms > 600'000)) return field_invalid("latency_ms", std::to_string(ms));
        rule.latency = std::chrono::milliseconds(ms);
    }
    if (rule.kind == fault_kind::status) {
        const auto st = r.optional_int("status").value_or(500);
        if (r.ok() && (st < 100 || st > 599)) return field_invalid("status", std::to_string(st));
        rule.status = static_cast<unsigned>(st);
    }
    if (const auto count = r.optional_int("count")) {
        if (*count < 1) return field_invalid("count", std::to_string(*count));
        rule.remaining = static_cast<std::uint64_t>(*count);
    }
    if (const json_value* f = r.get("fraction")) {
        char* end = nullptr;
        const double v = f->is_number() ? std::strtod(f->text().c_str(), &end) : -1;
        if (!(v > 0 && v <= 1)) return field_invalid("fraction", f->is_number() ? f->text() : "?");
        rule.fraction = v;
    }
    if (auto prefix = r.optional_string("path_prefix")) rule.path_prefix = *prefix;
    if (auto method = r.optional_string("method")) {
        for (char& c : *method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        rule.method = *method;
    }
    if (auto when = r.optional_string("when")) {
        if (*when != "before" && *when != "after") return field_invalid("when", *when);
        rule.after = *when == "after";
    }
    if (rule.kind == fault_kind::malformed) rule.after = true;
    if (!r.ok()) return r.error();

    std::lock_guard lock(mutex_);
    rule.id = next_id_++;
    rules_.push_back(rule);
    any_.store(true, std::memory_order_release);
    return rule.id;
}

void fault_injector::clear() {
    std::lock_guard lock(mutex_);
    rules_.clear();
    any_.store(false, std::memory_order_release);
}

fault_decision fault_injector::decide(std::string_view method, std::string_view path) {
    fault_decision d;
    if (!any_.load(std::memory_order_acquire)) return d;
    std::lock_guard lock(mutex_);
    for (auto it = rules_.begin(); it != rules_.end();) {
        auto& rule = *it;
        const bool matches = path.starts_with(rule.path_prefix) && (rule.method.empty() || rule.method == method);
        const bool fires = matches && (rule.fraction >= 1.0 ||
                                       std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < rule.fraction);
        if (!fires) {
            ++it;
            continue;
        }
        if (rule.kind == fault_kind::latency) {
            d.delay += rule.latency;
        } else {
            d.action = rule.kind;
            d.status = rule.status;
            d.after = rule.after;
        }
        if (rule.remaining && --*rule.remaining == 0) it = rules_.erase(it);
        else ++it;
        if (d.action) break;
    }
    any_.store(!rules_.empty(), std::memory_order_release);
    return d;
}

std::string fault_injector::to_json() const {
    std::lock_guard lock(mutex_);
    std::string out;
    json_writer w(out);
    w.start_array();
    for (const auto& rule : rules_) {
        w.start_object();
        w.field("id", static_cast<std::int64_t>(rule.id));
        w.field("kind", to_string(rule.kind));
        if (rule.kind == fault_kind::latency) w.field("latency_ms", static_cast<std::int64_t>(rule.latency.count()));
        if (rule.kind == fault_kind::status) w.field("status", static_cast<std::int64_t>(rule.status));
        w.key("count");
        if (rule.remaining) w.integer(static_cast<std::int64_t>(*rule.remaining));
        else w.null();
        w.key("fraction");
        w.raw_number(std::to_string(rule.fraction));
        w.field("path_prefix", rule.path_prefix);
        if (!rule.method.empty()) w.field("method", rule.method);
        w.field("when", rule.after ? "after" : "before");
        w.end_object();
    }
    w.end_array();
    return out;
}

std::string malform(std::string_view body) {
    if (body.empty()) return "{";
    return std::string(body.substr(0, (body.size() + 1) / 2));
}

}  // namespace blubridge::sandbox
