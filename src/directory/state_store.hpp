#pragma once
// The directory's SQLite half: what survives a restart.
#include <blubridge/directory/customer_directory.hpp>

#include "detail/sqlite.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::directory {

/// One row of the idempotency table: a client's key and what became of its request.
struct idempotency_row {
    enum class kind : std::int64_t { running = 0, answered = 1, unresolved_create = 2 };
    std::string request_hash;
    kind state = kind::running;
    unsigned status = 0;  ///< answered only
    std::string body;     ///< answered only
    std::optional<std::uint64_t> created_after;  ///< set by an unresolved create
    unix_seconds at = 0;  ///< when claimed, then when answered
};

/// One SQLite database in WAL mode with synchronous=NORMAL (a commit survives a crash of
/// the process; a power cut may lose the last ones, never consistency). Tables: meta
/// (ready flag), customers (only the record_fields values and the fingerprint),
/// transitions, outbox, autopay_preferences, idempotency (Idempotency-Key answers),
/// kept_members (BluBilling elements Billagain has no field for), suspended_marks;
/// schema version in `user_version` (3; an older database gains the tables it lacks when
/// opened).
///
/// Another process holding the write lock (an operator's sqlite3 shell) is waited for up
/// to 5 s, then the write fails.
///
/// Not thread-safe: one connection, its statements prepared once; the directory
/// serialises every call. After the constructor nothing throws: a failed call returns
/// false and last_error() says why, naming SQLite's message.
class state_store {
public:
    class batch;

    /// Opens (creating the file and its folder when missing) and brings the schema up to
    /// date. Throws std::runtime_error naming the file and SQLite's (or the file
    /// system's) message.
    explicit state_store(std::filesystem::path file);
    state_store(const state_store&) = delete;
    state_store& operator=(const state_store&) = delete;

    const std::filesystem::path& file() const { return file_; }
    const std::string& last_error() const { return error_; }

    // --- reads at open: throw std::runtime_error naming the file ---
    /// Whether a full pass was recorded.
    bool read_ready();
    std::size_t count_customers();
    /// Every customer, ascending id.
    void read_customers(const std::function<void(const customer_entry&)>& sink);
    /// The customers the gateway suspended.
    void read_suspended_marks(const std::function<void(customer_id)>& sink);
    /// The customers something is kept of (kept_members).
    void read_customers_with_kept_members(const std::function<void(customer_id)>& sink);

    // --- reads after open: false on failure ---
    bool transitions(unix_seconds from, unix_seconds to, std::vector<transition>& out);
    bool find_transition(std::uint64_t id, std::optional<transition>& out);
    bool due_deliveries(unix_seconds now, std::size_t limit, std::vector<delivery>& out);
    bool next_delivery_due(std::optional<unix_seconds>& out);
    bool outbox(outbox_summary& out);
    bool autopay_preference(std::uint64_t method, std::optional<int>& out);
    bool kept(customer_id customer, std::vector<kept_members>& out);

private:
    friend class batch;
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

/// One write transaction (BEGIN IMMEDIATE … COMMIT), begun by its first step, so a batch
/// with nothing to write touches nothing. After a step fails the rest are skipped and
/// commit() rolls back and returns false (state_store::last_error() says why). Destroyed
/// without commit(): rolled back.
class state_store::batch {
public:
    explicit batch(state_store& store);
    ~batch();
    batch(const batch&) = delete;
    batch& operator=(const batch&) = delete;

    void put_customer(const customer_entry& entry);
    void remove_customer(customer_id id);
    void set_ready();
    /// The new transition's id (its `id` member is ignored); 0 after a failure.
    std::uint64_t add_transition(const transition& t);
    void queue_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due);
    void remove_delivery(std::uint64_t transition_id, std::string_view url);
    void retry_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due);
    void set_autopay(customer_id customer, std::uint64_t method, int preference);
    void forget_autopay(customer_id customer);
    void forget_method_preference(std::uint64_t method);
    void put_kept(customer_id customer, std::string_view scope, std::string_view members);
    void forget_kept_scope(customer_id customer, std::string_view scope);
    /// Everything the gateway keeps of a customer gone: autopay preferences, kept members,
    /// its suspended mark.
    void forget_gateway_state(customer_id customer);
    void set_suspended_mark(customer_id customer);
    void clear_suspended_mark(customer_id customer);

    /// The row of (client, key), read inside this transaction so the decision that follows
    /// is atomic; false on failure.
    bool find_idempotency(std::string_view client, std::string_view key, std::optional<idempotency_row>& out);
    /// Inserts or replaces (client, key) as a fresh running claim at `now`.
    void claim_idempotency(std::string_view client, std::string_view key, std::string_view request_hash,
                           unix_seconds now);
    /// Sets an unresolved create running again at `now`, keeping its created_after.
    void resume_idempotency(std::string_view client, std::string_view key, unix_seconds now);
    void answer_idempotency(std::string_view client, std::string_view key, unsigned status, std::string_view body,
                            unix_seconds now);
    void unresolve_idempotency(std::string_view client, std::string_view key, std::uint64_t created_after);
    void remove_idempotency(std::string_view client, std::string_view key);
    /// Deletes the rows with at < before; their number (0 after a failure).
    std::size_t expire_idempotency(unix_seconds before);

    /// True when everything was written (or there was nothing to write).
    bool commit();

private:
    // Binds `values` to ?1, ?2, … and runs the statement, unless an earlier step failed.
    template <class... Values>
    bool execute(detail::sqlite_statement& statement, std::string_view what, Values... values) {
        if (!ok_ || !begin()) return false;
        statement.start();
        int index = 0;
        (statement.bind(++index, values), ...);
        return run(statement, what);
    }
    bool begin();
    bool run(detail::sqlite_statement& statement, std::string_view what);
    void roll_back();

    state_store& store_;
    bool ok_ = true;
    bool open_ = false;
};

}  // namespace blubridge::directory
