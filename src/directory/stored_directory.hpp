#pragma once
// customer_directory as customer_index (memory) in front of a state_store (SQLite or
// PostgreSQL).
#include <blubridge/directory/customer_directory.hpp>

#include "customer_index.hpp"
#include "record_memo.hpp"
#include "record_reader.hpp"
#include "stored_idempotency.hpp"
#include "state_store.hpp"

#include <atomic>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace blubridge::directory {

/// Two locks: `store_mutex_` owns the connection and serialises every change (decide,
/// write, then apply); `memory_mutex_` is taken shared by lookups and exclusively only
/// for the moment a committed change is applied, so lookups never wait for SQLite.
/// Lock order: store, then memory.
///
/// An observation of an unchanged record (most GETs) takes neither the store mutex nor
/// the exclusive lock: under the shared lock it compares the fingerprint and raises the
/// entry's mark, which is atomic. Changes that decide from marks (apply, finish) make
/// `change_sequence_` odd while they run; an observation that overlapped one (the
/// sequence moved or was odd) is applied again the slow way, so a page deciding from a
/// mark read before the observation raised it cannot win over the observation.
///
/// The refresh-pass rules run on a change counter (`clock_`): every gateway observation,
/// page record and begin_pass takes the next value. An entry's mark says when and by
/// whom it was last touched; a pass skips entries the gateway marked after the pass
/// began and, at finish, removes those marked before it began. Customers the gateway
/// removed while a pass runs keep a tombstone until every pass older than it ended.
class stored_directory final : public customer_directory, public std::enable_shared_from_this<stored_directory> {
public:
    /// Throws std::runtime_error naming the file (see customer_directory::open).
    explicit stored_directory(directory_options options);
    ~stored_directory() override;

    bool ready() const override { return ready_.load(); }
    std::size_t size() const override;

    std::vector<customer_id> find_by_reference(std::string_view ref) const override;
    std::optional<customer_entry> find(customer_id id) const override;
    query_page query(const customer_query& q) const override;
    std::vector<customer_id> find_by_reference_in_memory(std::string_view ref) const override;
    std::optional<customer_entry> find_in_memory(customer_id id) const override;
    bool observe_if_unchanged(std::string_view record_json) override;
    bool keeps_members_of(customer_id customer) const override;
    std::optional<customer_id> highest_id() const override;

    bool observe(std::string_view record_json, unix_seconds now) override;
    void observe_removed(customer_id id, unix_seconds now) override;
    std::unique_ptr<pass> begin_pass() override;

    std::vector<transition> transitions(unix_seconds from, unix_seconds to) const override;
    std::optional<transition> find_transition(std::uint64_t id) const override;
    std::vector<delivery> due_deliveries(unix_seconds now, std::size_t limit) const override;
    std::optional<unix_seconds> next_delivery_due() const override;
    outbox_summary outbox() const override;
    void delivered(std::uint64_t transition_id, const std::string& url) override;
    void retry_later(std::uint64_t transition_id, const std::string& url, unix_seconds due) override;
    void on_deliveries_queued(std::function<void()> wake) override;
    bool claim_delivery(std::uint64_t transition_id, const std::string& url, unix_seconds now,
                        unix_seconds lease_until) override;
    bool lead_refresh() override { return store_->lead_refresh(); }
    bool shared() const override { return store_->shared(); }
    shared_write_locks* write_locks() override { return write_locks_.get(); }

    void set_autopay_preference(customer_id customer, std::uint64_t method, int preference) override;
    std::optional<int> autopay_preference(std::uint64_t method) const override;
    void forget_autopay(customer_id customer) override;

    void forget_payment_method(customer_id customer, std::uint64_t method, std::string_view kept_scope) override;
    void keep_members(customer_id customer, std::string_view scope, std::string_view members_json) override;
    std::vector<kept_members> kept(customer_id customer) const override;
    void mark_suspended(customer_id customer) override;
    void clear_suspended(customer_id customer) override;

    idempotency_store& idempotency() override { return idempotency_; }

private:
    class refresh_pass;
    struct pass_state {
        std::uint64_t start = 0;
        bool first = false;  // no full pass had completed when it began
        bool finished = false;
        pass_summary summary;
    };

    // The lock-free path of observe(): true if the record was unchanged and its mark
    // raised without overlapping a change.
    bool observe_unchanged(const customer_entry& record);
    // reader_'s reading of one record, remembered in memo_ by its text.
    std::optional<customer_entry> read_record(std::string_view record_json);

    // Makes change_sequence_ odd for its lifetime (under store_mutex_).
    class change_in_progress;

    // All below run with store_mutex_ held.
    bool apply(std::vector<customer_entry>& records, unix_seconds now, pass_state* pass, std::size_t& queued);
    // The in-memory half of state_store::batch::forget_gateway_state, once that committed.
    void forget_gateway_state(customer_id id);
    // The gateway's suspension laid over a record's flags; a mark older than `pass` that
    // meets an active record is dropped (added to `cleared`).
    void apply_suspended_mark(customer_entry& record, const pass_state* pass, state_store::batch& batch,
                              std::vector<customer_id>& cleared) const;
    bool record_transition(state_store::batch& batch, status_flags before, const customer_entry& after,
                           unix_seconds now);
    void end_pass(pass_state& pass);
    // Shared state: the stored rows and marks of `records`, locked in `batch`, replace what
    // memory knows of them before apply() decides (memory may lag other gateways).
    bool take_stored(std::vector<customer_entry>& records, state_store::batch& batch,
                     std::unordered_map<customer_id, customer_entry>& stored);
    // Shared state: brings memory up to what other gateways committed.
    void follow_changes();
    void apply_stored_changes(const std::vector<stored_change>& changes);
    void reload_everything();
    // Stored rows into memory as the gateway's own observations (memory_mutex_ held
    // exclusively); their ids.
    std::unordered_set<customer_id> put_stored(const std::vector<customer_entry>& rows);
    // Stored customers memory did not know of, now put there (a lookup missed memory).
    void learn(const std::vector<customer_entry>& entries) const;
    std::string status_name(status_flags flags) const;
    void report(std::string_view context) const;

    std::vector<customer_id> unseen(const pass_state& pass) const;
    std::optional<std::size_t> observe_page(pass_state& pass, std::string_view page_json, unix_seconds now);
    pass_summary finish(pass_state& pass);
    void abandon(pass_state& pass);
    void wake() const;
    // One read or one write batch of SQLite under store_mutex_; a failure is reported and
    // reads answer empty.
    template <class Result, class Read>
    Result read_store(std::string_view context, Read read) const;
    // `committed` runs after a successful commit, still under store_mutex_, to bring the
    // in-memory state the write concerns along.
    template <class Write, class Committed = void (*)()>
    void write_store(std::string_view context, Write write, Committed committed = [] {});

    const directory_options options_;
    const record_reader reader_;
    record_memo memo_;  // texts read before: an unchanged record is not parsed again

    mutable std::mutex store_mutex_;
    const std::unique_ptr<state_store> store_;
    stored_idempotency idempotency_{store_mutex_, *store_};  // shares store_ under store_mutex_
    mutable std::atomic<std::uint64_t> clock_{0};  // also advanced by observe_unchanged, unlocked
    std::atomic<std::uint64_t> change_sequence_{0};
    std::multiset<std::uint64_t> running_passes_;              // their start stamps
    std::unordered_map<customer_id, std::uint64_t> removed_;  // tombstones: id → stamp
    std::unordered_map<customer_id, std::uint64_t> suspended_marks_;  // id → stamp when marked
    // Customers with kept members: the others (most) are answered without reading the
    // store. Its own lock, never held across I/O: keeps_members_of runs on I/O threads.
    mutable std::mutex kept_ids_mutex_;
    std::unordered_set<customer_id> with_kept_members_;

    mutable std::shared_mutex memory_mutex_;
    // mutable: with shared state a lookup that missed memory learns the stored customer.
    mutable customer_index index_;
    std::atomic<bool> ready_{false};

    mutable std::mutex wake_mutex_;
    std::function<void()> wake_;

    // Shared state: the feed of other gateways' changes and the thread that follows it.
    std::unique_ptr<state_store::change_feed> feed_;
    const std::unique_ptr<shared_write_locks> write_locks_ = store_->open_write_locks();
    std::atomic<bool> stopping_{false};
    std::thread follower_;
};

}  // namespace blubridge::directory
