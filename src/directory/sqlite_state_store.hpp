#pragma once
// state_store in one SQLite file: the directory of a single gateway.
#include "state_store.hpp"

#include "detail/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::directory {

/// One SQLite database in WAL mode with synchronous=NORMAL (a commit survives a crash of
/// the process; a power cut may lose the last ones, never consistency). Tables: meta
/// (ready flag), customers, transitions, outbox, autopay_preferences, idempotency
/// (Idempotency-Key answers), kept_members (BluBilling elements Billagain has no field
/// for), suspended_marks; schema version in `user_version` (3; an older database gains
/// the tables it lacks when opened).
///
/// Another process holding the write lock (an operator's sqlite3 shell) is waited for up
/// to 5 s, then the write fails. One connection, its statements prepared once.
class sqlite_state_store final : public state_store {
public:
    /// Opens (creating the file and its folder when missing) and brings the schema up to
    /// date. Throws std::runtime_error naming the file and SQLite's (or the file
    /// system's) message.
    explicit sqlite_state_store(std::filesystem::path file);
    sqlite_state_store(const sqlite_state_store&) = delete;
    sqlite_state_store& operator=(const sqlite_state_store&) = delete;

    const std::filesystem::path& file() const { return file_; }
    std::string describe() const override { return "customer directory " + file_.string(); }
    const std::string& last_error() const override { return error_; }
    std::unique_ptr<batch> begin_batch() override;

    bool read_ready() override;
    std::size_t count_customers() override;
    void read_customers(const std::function<void(const customer_entry&)>& sink) override;
    void read_suspended_marks(const std::function<void(customer_id)>& sink) override;
    void read_customers_with_kept_members(const std::function<void(customer_id)>& sink) override;

    bool transitions(unix_seconds from, unix_seconds to, std::vector<transition>& out) override;
    bool find_transition(std::uint64_t id, std::optional<transition>& out) override;
    bool due_deliveries(unix_seconds now, std::size_t limit, std::vector<delivery>& out) override;
    bool next_delivery_due(std::optional<unix_seconds>& out) override;
    bool outbox(outbox_summary& out) override;
    bool autopay_preference(std::uint64_t method, std::optional<int>& out) override;
    bool kept(customer_id customer, std::vector<kept_members>& out) override;

private:
    class sqlite_batch;
    bool fail(std::string_view what);
    [[noreturn]] void fail_open(std::string_view what) const;
    void prepare(detail::sqlite_statement& statement, std::string_view sql);

    std::filesystem::path file_;
    detail::sqlite_connection db_;
    std::string error_;
    detail::sqlite_statement begin_, commit_, rollback_;
    detail::sqlite_statement put_customer_, remove_customer_, set_meta_;
    detail::sqlite_statement add_transition_, queue_delivery_, remove_delivery_, retry_delivery_;
    detail::sqlite_statement set_autopay_, forget_autopay_, forget_method_, put_kept_, forget_kept_, forget_scope_,
        set_mark_, clear_mark_;
    detail::sqlite_statement select_idempotency_, claim_idempotency_, resume_idempotency_, answer_idempotency_,
        unresolve_idempotency_, remove_idempotency_, expire_idempotency_;
    detail::sqlite_statement select_transitions_, select_transition_, select_due_, select_next_due_, select_outbox_, select_autopay_,
        select_kept_;
};

}  // namespace blubridge::directory
