#pragma once
// The gateway's own index of Billagain customers: Billagain cannot look a customer up by
// reference, search, filter by date or report status changes, so the gateway keeps a
// compact record per customer in memory, persisted in SQLite (WAL) in its state folder.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::directory {

class idempotency_store;

using customer_id = std::uint64_t;
using unix_seconds = std::int64_t;

/// The Billagain members the directory reads from a customer record, by name. The
/// gateway fills them from the customer mapping's roles, so no field name is spelled here.
struct record_fields {
    std::string id, reference, name, last_name, company, email;
    std::string active, suspended;  ///< the two flags BluBilling's status comes from
    std::string created;            ///< creation date (Billagain's date text)
};

/// Billagain's two status flags.
struct status_flags {
    bool active = false;
    bool suspended = false;
    friend bool operator==(const status_flags&, const status_flags&) = default;
    /// 0..3, for tables indexed by flag pair: active * 2 + suspended.
    unsigned index() const { return (active ? 2u : 0u) + (suspended ? 1u : 0u); }
};

/// What the directory keeps per customer. Kept small (the budget is under 200 bytes per
/// customer in memory, indexes included): the searchable texts share one string.
struct customer_entry {
    customer_id id = 0;
    std::uint64_t fingerprint = 0;  ///< hash of the record's content as Billagain sent it
    unix_seconds created = 0;       ///< Billagain's creation time; 0 when absent or unreadable
    unix_seconds updated = 0;       ///< when the directory last saw the record change (see observe)
    status_flags flags;
    /// reference, name, last name, company, email, separated by '\x1f' (absent = empty).
    std::string text;

    std::string_view reference() const;
    std::string_view name() const;
    std::string_view last_name() const;
    std::string_view company() const;
    std::string_view email() const;
};

/// A list request, applied in memory. Matches come in ascending id order (Billagain's
/// creation order, as its own paging gives them).
struct customer_query {
    /// Case-insensitive (ASCII) substring of the reference, name, last name,
    /// "name last name", company or email. Empty: no search.
    std::string search;
    /// Which flag pairs to keep, indexed by status_flags::index(). Absent: all.
    std::optional<std::array<bool, 4>> statuses;
    /// Inclusive bounds; absent: unbounded.
    std::optional<unix_seconds> created_from, created_to, updated_from, updated_to;
    std::uint64_t offset = 0;
    std::uint64_t max = 50;  ///< not capped here (the gateway caps it); 0: count only
};

struct query_page {
    std::vector<customer_id> ids;  ///< at most `max`, from `offset` on
    std::uint64_t matched = 0;     ///< how many customers match in all
};

/// A status change of one customer, as the directory observed it.
struct transition {
    std::uint64_t id = 0;      ///< 1, 2, … in the order recorded
    customer_id customer = 0;
    std::string reference;     ///< the customer's reference at the time
    unix_seconds at = 0;
    std::string previous;      ///< BluBilling status names (directory_options::status_name)
    std::string next;
};

/// What the gateway keeps of a customer under one scope (its record, its sales contact,
/// one of its payment methods): the BluBilling elements Billagain has no field for.
struct kept_members {
    std::string scope;
    std::string members;  ///< a JSON object
};

/// One pending callback: transition `transition_id` to be POSTed to `url`.
struct delivery {
    std::uint64_t transition_id = 0;
    std::string url;
    unsigned attempts = 0;     ///< failed attempts so far
    unix_seconds due = 0;      ///< not before
};

/// The callback outbox at a glance, for metrics.
struct outbox_summary {
    std::size_t depth = 0;                ///< deliveries queued (one per transition and URL)
    std::optional<unix_seconds> oldest;   ///< when the oldest queued one's transition happened
};

/// What a refresh pass found, for the log.
struct pass_summary {
    std::size_t seen = 0, added = 0, changed = 0, removed = 0, transitions = 0;
};

/// A directory kept in PostgreSQL, shared by every gateway that names the same database
/// and account (config `state: backend: postgresql`).
struct shared_state {
    std::string conninfo;  ///< libpq connection string, without the password
    std::string password;  ///< empty: none (peer, trust, .pgpass, certificates)
    std::string account;   ///< the Billagain account whose rows these are
};

struct directory_options {
    std::filesystem::path database;  ///< SQLite file; created (with its folder) when missing
    /// Set: the state lives in PostgreSQL instead (database is then unused).
    std::optional<shared_state> postgresql;
    record_fields fields;
    /// The BluBilling status a flag pair shows (the gateway asks the customer mapping).
    /// Called with the directory's write lock held: it must not call back into the
    /// directory. Absent: each flag pair is its own status ("active", "active suspended",
    /// "inactive", "inactive suspended").
    std::function<std::string(status_flags)> status_name;
    /// Every recorded transition is queued for each of these, in the same transaction.
    std::vector<std::string> callback_urls;
};

/// Write locks that hold across the gateways sharing a state: PostgreSQL session advisory
/// locks, on a connection of their own, named by text (hashed by the server, so every
/// gateway version names a lock alike). Blocking, so the gateway calls them off its I/O
/// threads; thread-safe. A lock taken n times is released by n unlocks.
class shared_write_locks {
public:
    virtual ~shared_write_locks() = default;
    /// Takes the lock unless another gateway holds it: true when taken, false when held
    /// elsewhere, nullopt when the database cannot be reached.
    virtual std::optional<bool> try_lock(std::string_view name) = 0;
    virtual void unlock(std::string_view name) = 0;
};

/// Thread-safe. Lookups are served from memory; every change is written to SQLite
/// before the call returns, so a restart keeps the directory, its transitions and its
/// outbox, and serves at once (no rescan) when a full sync had completed before.
///
/// Only the members named in record_fields (and the fingerprint) are kept, in memory and
/// on disk: nothing else of a record (payment data, tokens) is ever written.
///
/// When SQLite fails after open() (disk full, I/O error), the change is not applied in
/// memory either, so memory never holds what the database does not; the call reports it
/// through its result where it has one (observe: false, observe_page: nullopt, reads:
/// empty) and otherwise writes one line to stderr. Nothing throws after open().
class customer_directory {
public:
    virtual ~customer_directory() = default;

    /// Opens (creating when missing) the database and loads it into memory.
    /// Throws std::runtime_error naming the file when it cannot be opened or read.
    static std::shared_ptr<customer_directory> open(directory_options options);

    /// A full pass has completed, in this run or an earlier one.
    virtual bool ready() const = 0;
    virtual std::size_t size() const = 0;

    // --- lookups (memory) ---
    /// Ids of the customers whose reference is exactly `ref`, ascending. Empty `ref`: none.
    virtual std::vector<customer_id> find_by_reference(std::string_view ref) const = 0;
    virtual std::optional<customer_entry> find(customer_id id) const = 0;
    virtual query_page query(const customer_query& q) const = 0;

    // --- the memory halves of calls that may ask the database (shared state): a gateway
    // answers most requests with these alone, and makes the full call, off its I/O
    // threads, only when they cannot say ---
    /// What memory knows of `ref`; may miss a customer another gateway just created.
    virtual std::vector<customer_id> find_by_reference_in_memory(std::string_view ref) const = 0;
    virtual std::optional<customer_entry> find_in_memory(customer_id id) const = 0;
    /// True when memory holds the record unchanged (its mark raised, as observe would);
    /// false: call observe.
    virtual bool observe_if_unchanged(std::string_view record_json) = 0;
    /// False when nothing is kept of `customer` (kept() would answer empty).
    virtual bool keeps_members_of(customer_id customer) const = 0;
    /// The highest customer id the directory knows (Billagain's newest customer as far as
    /// the directory has seen); nullopt when empty. O(1).
    virtual std::optional<customer_id> highest_id() const = 0;

    // --- observations ---
    /// A customer record the gateway just read or wrote (a Billagain JSON object). Applied
    /// at once; wins over any refresh pass still running. A new customer gets
    /// updated = now; a changed fingerprint (or flag pair, see mark_suspended) sets
    /// updated = now; a changed flag pair whose
    /// status name changes records a transition (queued for every callback URL in the same
    /// transaction). An unchanged record writes nothing. False if the record is unreadable
    /// (not a JSON object, or no positive integer id) or could not be written.
    virtual bool observe(std::string_view record_json, unix_seconds now) = 0;
    /// The gateway deleted the customer, or Billagain answered that it is gone. Also
    /// forgets its autopay preferences, kept members and suspended mark. No transition is recorded. A pass that began
    /// before this call does not bring the customer back.
    virtual void observe_removed(customer_id id, unix_seconds now) = 0;

    /// A refresh pass: pages of `/v1/customers` observed in any order (concurrently too),
    /// then finished. Entries the gateway observed after the pass began are left as the
    /// gateway saw them; entries not seen in the pass, and not observed since it began,
    /// are removed. A customer first seen by the very first pass gets updated = created
    /// (its last change before the gateway watched is unknown; now when created is 0);
    /// later new ones get now. Destroying a pass without finish abandons it: what its
    /// pages applied stays, nothing is removed.
    class pass {
    public:
        virtual ~pass() = default;
        /// A page (a JSON array of customer records), applied and written in one
        /// transaction; flag changes record their transitions at once, so an abandoned
        /// pass loses none. Its number of records; nullopt if the page is unreadable (not
        /// an array, or any element unreadable: a customer is never dropped because its
        /// record could not be read), could not be written, or the pass is finished (then
        /// the pass must be abandoned, not finished). A record twice in one page: the
        /// later one wins.
        virtual std::optional<std::size_t> observe_page(std::string_view page_json, unix_seconds now) = 0;
        /// Entries not seen by this pass so far and not observed by the gateway since it
        /// began: the candidates for removal. (Paging while customers are deleted can
        /// skip a record, so the caller confirms these — e.g. by id — and observes the
        /// ones that still exist through observe_page before finishing.)
        virtual std::vector<customer_id> unseen() const = 0;
        /// Applies removals (forgetting what else is kept of them too) and marks the
        /// directory ready, in one transaction; the summary's transitions are those the
        /// pages recorded. Once only: later calls return an empty summary. If the database
        /// cannot be written nothing is removed, ready is not set and removed is 0.
        virtual pass_summary finish(unix_seconds now) = 0;
    };
    virtual std::unique_ptr<pass> begin_pass() = 0;

    // --- transitions and their callbacks (SQLite) ---
    /// Transitions with from <= at <= to, in id order.
    virtual std::vector<transition> transitions(unix_seconds from, unix_seconds to) const = 0;
    virtual std::optional<transition> find_transition(std::uint64_t id) const = 0;
    /// Up to `limit` deliveries due at `now` (due <= now), oldest first: by due time, then
    /// transition id, then the order of callback_urls.
    virtual std::vector<delivery> due_deliveries(unix_seconds now, std::size_t limit) const = 0;
    /// The earliest due time of any pending delivery.
    virtual std::optional<unix_seconds> next_delivery_due() const = 0;
    /// How many deliveries are queued and since when.
    virtual outbox_summary outbox() const = 0;
    /// Removes the delivery from the outbox (nothing if it is not there).
    virtual void delivered(std::uint64_t transition_id, const std::string& url) = 0;
    /// Counts a failed attempt and sets the delivery's due time.
    virtual void retry_later(std::uint64_t transition_id, const std::string& url, unix_seconds due) = 0;
    /// Called (on the observing thread, outside any lock) after transitions were queued
    /// (here or, with shared state, by another gateway).
    virtual void on_deliveries_queued(std::function<void()> wake) = 0;
    /// Takes a due delivery for this gateway until `lease_until`: false when another
    /// gateway sharing the state took it first (or it is no longer due). Always true for
    /// a gateway alone.
    virtual bool claim_delivery(std::uint64_t transition_id, const std::string& url, unix_seconds now,
                                unix_seconds lease_until) = 0;

    // --- several gateways sharing the state ---
    /// Whether this gateway should run the refresh passes: always when alone; with shared
    /// state, one gateway at a time (another takes over when it stops).
    virtual bool lead_refresh() = 0;
    /// Other gateways share this state (PostgreSQL): its calls may wait for a database,
    /// and memory may lag their writes. False for a gateway alone (SQLite).
    virtual bool shared() const = 0;
    /// The locks a write takes besides the gateway's own; nullptr when alone.
    virtual shared_write_locks* write_locks() = 0;

    // --- gateway-side payment method preferences (Billagain only knows "primary") ---
    /// BluBilling autopayPreference (1–3) of each payment method of a customer. Stored as
    /// given, replacing the method's earlier preference; kept in SQLite, read from there.
    virtual void set_autopay_preference(customer_id customer, std::uint64_t method, int preference) = 0;
    virtual std::optional<int> autopay_preference(std::uint64_t method) const = 0;
    virtual void forget_autopay(customer_id customer) = 0;
    /// A payment method removed from Billagain: its preference and what was kept of it
    /// under `kept_scope` go, in one transaction.
    virtual void forget_payment_method(customer_id customer, std::uint64_t method, std::string_view kept_scope) = 0;

    // --- what else the gateway keeps per customer (forgotten with the customer) ---
    /// Replaces what is kept of `customer` under `scope` (a JSON object, stored as given).
    virtual void keep_members(customer_id customer, std::string_view scope, std::string_view members_json) = 0;
    /// Every scope kept for `customer`, by scope ascending; read from SQLite.
    virtual std::vector<kept_members> kept(customer_id customer) const = 0;
    /// The gateway suspended the customer; Billagain, which can only archive, shows it
    /// inactive. While marked and inactive its flags read suspended (the gateway's own
    /// BluBilling status, not InActive1), from the next observation on. The mark ends with
    /// clear_suspended, with the customer, or when a pass begun after the mark sees the
    /// customer active (reopened outside the gateway).
    virtual void mark_suspended(customer_id customer) = 0;
    virtual void clear_suspended(customer_id customer) = 0;

    // --- Idempotency-Key answers of this account's clients, in the same state store ---
    virtual idempotency_store& idempotency() = 0;
};

}  // namespace blubridge::directory
