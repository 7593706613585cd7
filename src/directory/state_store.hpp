#pragma once
// What the directory keeps durably, behind one interface: SQLite (one gateway) or
// PostgreSQL (several gateways sharing one database).
#include <blubridge/directory/customer_directory.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
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

/// The durable half of a customer directory: customers (only the record_fields values and
/// the fingerprint), the ready flag, transitions, the callback outbox, autopay
/// preferences, Idempotency-Key answers, kept members and suspended marks.
///
/// Not thread-safe: the directory serialises every call. After construction nothing
/// throws but the reads at open: a failed call returns false and last_error() says why.
class state_store {
public:
    class batch;

    virtual ~state_store() = default;

    /// Names the store in messages: "customer directory /var/lib/…/directory-x.sqlite3".
    virtual std::string describe() const = 0;
    virtual const std::string& last_error() const = 0;

    /// A write transaction, begun by its first step.
    virtual std::unique_ptr<batch> begin_batch() = 0;

    // --- reads at open: throw std::runtime_error naming the store ---
    /// Whether a full pass was recorded.
    virtual bool read_ready() = 0;
    virtual std::size_t count_customers() = 0;
    /// Every customer, ascending id.
    virtual void read_customers(const std::function<void(const customer_entry&)>& sink) = 0;
    /// The customers the gateway suspended.
    virtual void read_suspended_marks(const std::function<void(customer_id)>& sink) = 0;
    /// The customers something is kept of (kept_members).
    virtual void read_customers_with_kept_members(const std::function<void(customer_id)>& sink) = 0;

    // --- reads after open: false on failure ---
    virtual bool transitions(unix_seconds from, unix_seconds to, std::vector<transition>& out) = 0;
    virtual bool find_transition(std::uint64_t id, std::optional<transition>& out) = 0;
    virtual bool due_deliveries(unix_seconds now, std::size_t limit, std::vector<delivery>& out) = 0;
    virtual bool next_delivery_due(std::optional<unix_seconds>& out) = 0;
    virtual bool outbox(outbox_summary& out) = 0;
    virtual bool autopay_preference(std::uint64_t method, std::optional<int>& out) = 0;
    virtual bool kept(customer_id customer, std::vector<kept_members>& out) = 0;

    // --- several gateways on one store (PostgreSQL). The defaults are SQLite's: one
    // gateway, whose memory is the truth, so nothing needs reading back. ---
    /// Other gateways write this store too: memory may lag it, and decisions read it.
    virtual bool shared() const { return false; }
    /// The customers with these ids as stored (absent ones left out); false on failure.
    virtual bool read_customers(const std::vector<customer_id>& /*ids*/, std::vector<customer_entry>& /*out*/) {
        return true;
    }
    /// The customers whose reference is exactly `ref`, as stored.
    virtual bool find_reference(std::string_view /*ref*/, std::vector<customer_entry>& /*out*/) { return true; }
    /// Which of these customers carry a suspended mark.
    virtual bool suspended_marks(const std::vector<customer_id>& /*ids*/, std::vector<customer_id>& /*out*/) {
        return true;
    }
    /// Takes a due delivery for this gateway until `lease_until`, so no other delivers it
    /// meanwhile; `claimed` false when another has it or it is no longer due.
    virtual bool claim_delivery(std::uint64_t /*transition_id*/, std::string_view /*url*/, unix_seconds /*now*/,
                                unix_seconds /*lease_until*/, bool& claimed) {
        claimed = true;
        return true;
    }
    /// Whether this gateway is (now) the one that runs refresh passes; another takes over
    /// when it stops. Never throws.
    virtual bool lead_refresh() { return true; }

    /// Locks across the gateways sharing this store. nullptr: alone, none needed.
    virtual std::unique_ptr<shared_write_locks> open_write_locks() { return nullptr; }

    /// What other gateways changed, as they commit it. nullptr: nothing to listen to.
    class change_feed;
    virtual std::unique_ptr<change_feed> listen() { return nullptr; }
};

/// One change another gateway committed.
struct stored_change {
    enum class kind : char {
        customer = 'c',    ///< its row was written or deleted
        mark = 'm',        ///< its suspended mark was set or cleared
        kept = 'k',        ///< something was kept of it
        ready = 'r',       ///< a full pass completed
        delivery = 'o',    ///< a callback was queued
        everything = '*',  ///< changes may have been missed (the feed reconnected): read it all again
    };
    kind what = kind::customer;
    customer_id id = 0;
};

class state_store::change_feed {
public:
    virtual ~change_feed() = default;
    /// Waits up to `timeout` for changes and returns those that arrived (none on timeout).
    /// Reconnects by itself after a failure, answering `everything` once it has.
    virtual std::vector<stored_change> wait(std::chrono::milliseconds timeout) = 0;
};

/// One write transaction. After a step fails the rest are skipped and commit() rolls back
/// and returns false (state_store::last_error() says why). Destroyed without commit():
/// rolled back. A batch with nothing to write touches nothing.
class state_store::batch {
public:
    virtual ~batch() = default;

    virtual void put_customer(const customer_entry& entry) = 0;
    virtual void remove_customer(customer_id id) = 0;
    virtual void set_ready() = 0;
    /// The new transition's id (its `id` member is ignored); 0 after a failure.
    virtual std::uint64_t add_transition(const transition& t) = 0;
    virtual void queue_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) = 0;
    virtual void remove_delivery(std::uint64_t transition_id, std::string_view url) = 0;
    virtual void retry_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) = 0;
    virtual void set_autopay(customer_id customer, std::uint64_t method, int preference) = 0;
    virtual void forget_autopay(customer_id customer) = 0;
    virtual void forget_method_preference(std::uint64_t method) = 0;
    virtual void put_kept(customer_id customer, std::string_view scope, std::string_view members) = 0;
    virtual void forget_kept_scope(customer_id customer, std::string_view scope) = 0;
    /// Everything the gateway keeps of a customer gone: autopay preferences, kept members,
    /// its suspended mark.
    virtual void forget_gateway_state(customer_id customer) = 0;
    virtual void set_suspended_mark(customer_id customer) = 0;
    virtual void clear_suspended_mark(customer_id customer) = 0;

    /// The row of (client, key), read inside this transaction (and locked against other
    /// writers until it ends) so the decision that follows is atomic; false on failure.
    virtual bool find_idempotency(std::string_view client, std::string_view key,
                                  std::optional<idempotency_row>& out) = 0;
    /// Inserts or replaces (client, key) as a fresh running claim at `now`.
    virtual void claim_idempotency(std::string_view client, std::string_view key, std::string_view request_hash,
                                   unix_seconds now) = 0;
    /// Sets an unresolved create running again at `now`, keeping its created_after.
    virtual void resume_idempotency(std::string_view client, std::string_view key, unix_seconds now) = 0;
    virtual void answer_idempotency(std::string_view client, std::string_view key, unsigned status,
                                    std::string_view body, unix_seconds now) = 0;
    virtual void unresolve_idempotency(std::string_view client, std::string_view key,
                                       std::uint64_t created_after) = 0;
    virtual void remove_idempotency(std::string_view client, std::string_view key) = 0;
    /// Deletes the rows with at < before; their number (0 after a failure).
    virtual std::size_t expire_idempotency(unix_seconds before) = 0;

    /// Several gateways: locks these customers' rows until the batch ends and reads them
    /// with their suspended marks (absent rows left out), so what the batch decides from
    /// them no other gateway decides too. Not called on a store that is not shared().
    struct locked_customer {
        customer_entry entry;
        bool marked = false;
    };
    virtual bool lock_customers(const std::vector<customer_id>& /*ids*/, std::vector<locked_customer>& /*out*/) {
        return true;
    }

    /// True when everything was written (or there was nothing to write).
    virtual bool commit() = 0;
};

}  // namespace blubridge::directory
