#include "stored_idempotency.hpp"

#include <cstdio>

namespace blubridge::directory {

idempotency_claim stored_idempotency::decide(state_store::batch& batch, const std::optional<idempotency_row>& row,
                                             std::string_view client, std::string_view key,
                                             std::string_view request_hash, unix_seconds now,
                                             std::int64_t lease_seconds, std::int64_t retention_seconds) {
    using kind = idempotency_row::kind;
    idempotency_claim out;  // claimed
    const bool forgotten = !row || row->at < now - retention_seconds;
    const bool abandoned = !forgotten && row->state == kind::running && row->at < now - lease_seconds;
    if (abandoned && row->created_after && row->request_hash == request_hash) {
        // A resumed unresolved create that stopped mid-request: the customer may still
        // exist, so the next try looks for it again.
        batch.resume_idempotency(client, key, now);
        out.outcome = idempotency_claim::state::resume;
        out.unresolved_create_after = row->created_after;
        return out;
    }
    if (forgotten || abandoned) {
        // New, expired, or abandoned by a gateway that stopped mid-request.
        batch.claim_idempotency(client, key, request_hash, now);
        return out;
    }
    if (row->state == kind::running) {
        out.outcome = idempotency_claim::state::busy;
        return out;
    }
    if (row->request_hash != request_hash) {
        out.outcome = idempotency_claim::state::mismatch;
        return out;
    }
    if (row->state == kind::answered) {
        out.outcome = idempotency_claim::state::replay;
        out.answer = {.status = row->status, .body = row->body};
        return out;
    }
    batch.resume_idempotency(client, key, now);
    out.outcome = idempotency_claim::state::resume;
    out.unresolved_create_after = row->created_after;
    return out;
}

idempotency_claim stored_idempotency::claim(std::string_view client, std::string_view key,
                                            std::string_view request_hash, unix_seconds now,
                                            std::int64_t lease_seconds, std::int64_t retention_seconds) {
    std::lock_guard lock(mutex_);
    const auto batch = store_.begin_batch();
    std::optional<idempotency_row> row;
    idempotency_claim out;
    if (batch->find_idempotency(client, key, row))
        out = decide(*batch, row, client, key, request_hash, now, lease_seconds, retention_seconds);
    if (!batch->commit()) {
        // Unknown: the request runs without the protection rather than failing.
        report("idempotency claim");
        return {};
    }
    return out;
}

void stored_idempotency::complete(std::string_view client, std::string_view key, const stored_answer& answer,
                                  unix_seconds now) {
    std::lock_guard lock(mutex_);
    const auto batch = store_.begin_batch();
    batch->answer_idempotency(client, key, answer.status, answer.body, now);
    if (!batch->commit()) report("idempotency complete");
}

void stored_idempotency::release(std::string_view client, std::string_view key) {
    std::lock_guard lock(mutex_);
    const auto batch = store_.begin_batch();
    batch->remove_idempotency(client, key);
    if (!batch->commit()) report("idempotency release");
}

void stored_idempotency::mark_unresolved_create(std::string_view client, std::string_view key,
                                                std::uint64_t highest_id_before) {
    std::lock_guard lock(mutex_);
    const auto batch = store_.begin_batch();
    batch->unresolve_idempotency(client, key, highest_id_before);
    if (!batch->commit()) report("idempotency mark_unresolved_create");
}

std::size_t stored_idempotency::expire(unix_seconds before) {
    std::lock_guard lock(mutex_);
    const auto batch = store_.begin_batch();
    const auto removed = batch->expire_idempotency(before);
    if (!batch->commit()) {
        report("idempotency expire");
        return 0;
    }
    return removed;
}

void stored_idempotency::report(std::string_view context) const {
    // One write, so lines from several threads do not interleave.
    const auto line =
        store_.describe() + ": " + std::string(context) + ": " + store_.last_error() + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace blubridge::directory
