#include "pg_state_store.hpp"

#include "../auth/detail/base64.hpp"
#include "detail/entry_text.hpp"
#include "pg_schema.hpp"

#include <poll.h>

#include <charconv>
#include <limits>
#include <stdexcept>
#include <thread>

namespace blubridge::directory {
namespace {

using detail::pg_params;
using detail::pg_result;

// Two-key advisory locks: the first key names what is locked, the second which account.
constexpr int migration_lock = 0x62620001;
constexpr int refresh_lock = 0x62620002;

// Customers read per statement when a directory loads.
constexpr int load_page = 10000;

// Every statement takes the account as $1 (params() starts a parameter list with it).
constexpr std::pair<std::string_view, std::string_view> statements[]{
    {"put_customer",
     "INSERT INTO customers(account, id, fingerprint, created, updated, active, suspended, reference, name, "
     "last_name, company, email) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
     "ON CONFLICT(account, id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created = EXCLUDED.created, "
     "updated = EXCLUDED.updated, active = EXCLUDED.active, suspended = EXCLUDED.suspended, "
     "reference = EXCLUDED.reference, name = EXCLUDED.name, last_name = EXCLUDED.last_name, "
     "company = EXCLUDED.company, email = EXCLUDED.email"},
    {"remove_customer", "DELETE FROM customers WHERE account = $1 AND id = $2"},
    {"set_ready",
     "INSERT INTO meta(account, key, value) VALUES($1, 'ready', '1') ON CONFLICT(account, key) DO UPDATE SET value = '1'"},
    {"add_transition",
     "INSERT INTO transitions(account, customer, reference, at, previous, next) VALUES($1, $2, $3, $4, $5, $6) "
     "RETURNING id"},
    {"queue_delivery",
     "INSERT INTO outbox(account, transition_id, url, attempts, due) VALUES($1, $2, $3, 0, $4) ON CONFLICT DO NOTHING"},
    {"remove_delivery", "DELETE FROM outbox WHERE account = $1 AND transition_id = $2 AND url = $3"},
    {"retry_delivery",
     "UPDATE outbox SET attempts = attempts + 1, due = $4 WHERE account = $1 AND transition_id = $2 AND url = $3"},
    {"set_autopay",
     "INSERT INTO autopay_preferences(account, method, customer, preference) VALUES($1, $2, $3, $4) "
     "ON CONFLICT(account, method) DO UPDATE SET customer = EXCLUDED.customer, preference = EXCLUDED.preference"},
    {"forget_autopay", "DELETE FROM autopay_preferences WHERE account = $1 AND customer = $2"},
    {"forget_method", "DELETE FROM autopay_preferences WHERE account = $1 AND method = $2"},
    {"put_kept",
     "INSERT INTO kept_members(account, customer, scope, members) VALUES($1, $2, $3, $4) "
     "ON CONFLICT(account, customer, scope) DO UPDATE SET members = EXCLUDED.members"},
    {"forget_kept", "DELETE FROM kept_members WHERE account = $1 AND customer = $2"},
    {"forget_scope", "DELETE FROM kept_members WHERE account = $1 AND customer = $2 AND scope = $3"},
    {"set_mark", "INSERT INTO suspended_marks(account, customer) VALUES($1, $2) ON CONFLICT DO NOTHING"},
    {"clear_mark", "DELETE FROM suspended_marks WHERE account = $1 AND customer = $2"},
    // Claims of one key from two gateways at once: the second waits for the first's
    // transaction (the row may not exist yet, so a row lock would not do).
    {"lock_idempotency", "SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2 || chr(31) || $3))"},
    {"select_idempotency",
     "SELECT request_hash, state, status, translate(encode(body, 'base64'), E'\\n', ''), created_after, at FROM idempotency "
     "WHERE account = $1 AND client = $2 AND key = $3"},
    {"claim_idempotency",
     "INSERT INTO idempotency(account, client, key, request_hash, state, status, body, created_after, at) "
     "VALUES($1, $2, $3, $4, 0, 0, NULL, NULL, $5) ON CONFLICT(account, client, key) DO UPDATE SET "
     "request_hash = EXCLUDED.request_hash, state = 0, status = 0, body = NULL, created_after = NULL, at = EXCLUDED.at"},
    {"resume_idempotency", "UPDATE idempotency SET state = 0, at = $4 WHERE account = $1 AND client = $2 AND key = $3"},
    {"answer_idempotency",
     "UPDATE idempotency SET state = 1, status = $4, body = decode($5, 'base64'), at = $6 "
     "WHERE account = $1 AND client = $2 AND key = $3"},
    {"unresolve_idempotency",
     "UPDATE idempotency SET state = 2, status = 0, body = NULL, created_after = $4 "
     "WHERE account = $1 AND client = $2 AND key = $3"},
    {"remove_idempotency", "DELETE FROM idempotency WHERE account = $1 AND client = $2 AND key = $3"},
    {"expire_idempotency", "DELETE FROM idempotency WHERE account = $1 AND at < $2"},
    {"select_transitions",
     "SELECT id, customer, reference, at, previous, next FROM transitions WHERE account = $1 AND at BETWEEN $2 AND $3 "
     "ORDER BY id"},
    {"select_transition",
     "SELECT id, customer, reference, at, previous, next FROM transitions WHERE account = $1 AND id = $2"},
    {"select_due",
     "SELECT transition_id, url, attempts, due FROM outbox WHERE account = $1 AND due <= $2 "
     "ORDER BY due, transition_id, queued LIMIT $3"},
    {"select_next_due", "SELECT MIN(due) FROM outbox WHERE account = $1"},
    {"select_outbox",
     "SELECT COUNT(*), MIN(transitions.at) FROM outbox LEFT JOIN transitions ON transitions.id = outbox.transition_id "
     "WHERE outbox.account = $1"},
    // The one gateway whose UPDATE finds the row unlocked and still due takes it; the
    // others skip it (SKIP LOCKED) or find it no longer due.
    {"claim_delivery",
     "UPDATE outbox SET due = $5 WHERE (account, transition_id, url) IN (SELECT account, transition_id, url FROM outbox "
     "WHERE account = $1 AND transition_id = $2 AND url = $3 AND due <= $4 FOR UPDATE SKIP LOCKED)"},
    {"select_autopay", "SELECT preference FROM autopay_preferences WHERE account = $1 AND method = $2"},
    {"select_kept", "SELECT scope, members FROM kept_members WHERE account = $1 AND customer = $2 ORDER BY scope"},
    {"select_ready", "SELECT value FROM meta WHERE account = $1 AND key = 'ready'"},
    {"count_customers", "SELECT COUNT(*) FROM customers WHERE account = $1"},
    {"select_marks", "SELECT customer FROM suspended_marks WHERE account = $1"},
    {"select_with_kept", "SELECT DISTINCT customer FROM kept_members WHERE account = $1"},
    // A page of all customers after id $2, $3 at most, for loading without holding them
    // all at once.
    {"select_customers_after",
     "SELECT id, fingerprint, created, updated, active, suspended, reference, name, last_name, company, email "
     "FROM customers WHERE account = $1 AND id > $2 ORDER BY id LIMIT $3"},
    {"select_customers_by_id",
     "SELECT id, fingerprint, created, updated, active, suspended, reference, name, last_name, company, email "
     "FROM customers WHERE account = $1 AND id = ANY($2::bigint[]) ORDER BY id"},
    {"select_customers_by_reference",
     "SELECT id, fingerprint, created, updated, active, suspended, reference, name, last_name, company, email "
     "FROM customers WHERE account = $1 AND reference = $2 ORDER BY id"},
    {"select_marks_by_id",
     "SELECT customer FROM suspended_marks WHERE account = $1 AND customer = ANY($2::bigint[]) ORDER BY customer"},
    {"lock_customers",
     "SELECT c.id, c.fingerprint, c.created, c.updated, c.active, c.suspended, c.reference, c.name, c.last_name, "
     "c.company, c.email, m.customer IS NOT NULL FROM customers c LEFT JOIN suspended_marks m "
     "ON m.account = c.account AND m.customer = c.id WHERE c.account = $1 AND c.id = ANY($2::bigint[]) "
     "ORDER BY c.id FOR UPDATE OF c"},
};

bool boolean(const pg_result& r, int row, int column) { return r.text(row, column) == "t"; }

customer_entry read_entry(const pg_result& r, int row) {
    customer_entry e;
    e.id = r.uint64(row, 0);
    e.fingerprint = r.uint64(row, 1);
    e.created = r.int64(row, 2);
    e.updated = r.int64(row, 3);
    e.flags = {.active = boolean(r, row, 4), .suspended = boolean(r, row, 5)};
    e.text = detail::join_fields(r.text(row, 6), r.text(row, 7), r.text(row, 8), r.text(row, 9), r.text(row, 10));
    return e;
}

transition read_transition(const pg_result& r, int row) {
    return {.id = r.uint64(row, 0),
            .customer = r.uint64(row, 1),
            .reference = std::string(r.text(row, 2)),
            .at = r.int64(row, 3),
            .previous = std::string(r.text(row, 4)),
            .next = std::string(r.text(row, 5))};
}

// A PostgreSQL array literal of ids, as the same signed bits the rows hold.
std::string id_array(const std::vector<customer_id>& ids) {
    std::string text = "{";
    for (const auto id : ids) {
        if (text.size() > 1) text += ',';
        text += std::to_string(static_cast<std::int64_t>(id));
    }
    return text + "}";
}

std::string_view boolean_text(bool v) { return v ? "t" : "f"; }

}  // namespace

// --- opening ---

pg_state_store::pg_state_store(pg_target target) : target_(std::move(target)) { connect(); }

std::string pg_state_store::describe() const {
    return "customer directory of account " + target_.account + " in PostgreSQL";
}

void pg_state_store::fail_open(std::string_view what, const std::string& message) const {
    throw std::runtime_error(describe() + ": " + std::string(what) + ": " + message);
}

void pg_state_store::connect() {
    try {
        db_ = detail::pg_connection(target_.conninfo, target_.password);
    } catch (const std::runtime_error& e) {
        fail_open("cannot connect", e.what());
    }
    // Migrations, each in its own transaction, under a lock so gateways starting at once
    // do not apply one twice.
    auto check = [&](const pg_result& r, std::string_view what) {
        if (!r.ok()) fail_open(what, r.error());
    };
    check(db_.exec("SELECT pg_advisory_lock(" + std::to_string(migration_lock) + ", 0)"), "cannot lock the schema");
    check(db_.exec("CREATE TABLE IF NOT EXISTS blubridge_schema(version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                   "applied TIMESTAMPTZ NOT NULL DEFAULT now())"),
          "cannot create blubridge_schema");
    const auto found = db_.exec("SELECT COALESCE(MAX(version), 0) FROM blubridge_schema");
    check(found, "cannot read the schema version");
    const auto version = found.int64(0, 0);
    const auto known = pg_migrations();
    if (!known.empty() && version > known.back().version)
        fail_open("schema version " + std::to_string(version) + " is newer than this blubridge's",
                  std::to_string(known.back().version));
    for (const auto& m : known) {
        if (m.version <= version) continue;
        check(db_.exec("BEGIN"), "cannot migrate");
        const auto applied = db_.exec(m.sql);
        if (!applied.ok()) {
            db_.exec("ROLLBACK");
            fail_open("cannot apply migration " + std::to_string(m.version), applied.error());
        }
        check(db_.exec("INSERT INTO blubridge_schema(version, description) VALUES(" + std::to_string(m.version) + ", " +
                       detail::pg_literal(db_, m.description) + ")"),
              "cannot record a migration");
        check(db_.exec("COMMIT"), "cannot apply migration " + std::to_string(m.version));
    }
    check(db_.exec("SELECT pg_advisory_unlock(" + std::to_string(migration_lock) + ", 0)"), "cannot unlock the schema");
    // A prepared statement's generic plan is made once, possibly on a table still empty
    // (a new database, before autovacuum's first ANALYZE) and then kept: a seq scan of
    // every customer per write (bench/RESULTS.md, shared state). A plan per execution
    // costs little on these one-table statements and always uses the keys.
    check(db_.exec("SET plan_cache_mode = force_custom_plan"), "cannot set plan_cache_mode");
    for (const auto& [name, sql] : statements) {
        if (!db_.prepare(name, sql, 0)) fail_open("cannot prepare " + std::string(name), db_.error());
    }
    own_session_ = db_.backend_pid();
}

bool pg_state_store::usable() {
    if (db_.ok()) return true;
    try {
        connect();
        return true;
    } catch (const std::runtime_error& e) {
        error_ = e.what();
        return false;
    }
}

pg_result pg_state_store::run(std::string_view statement, const pg_params& params) {
    if (!usable()) return {};
    return db_.exec_prepared(statement, params);
}

pg_params pg_state_store::params() const { return pg_params().add(std::string_view(target_.account)); }

bool pg_state_store::fail(std::string_view what, const pg_result& result) {
    error_ = std::string(what) + ": " + (result.get() != nullptr ? result.error() : error_.empty() ? db_.error() : error_);
    return false;
}

pg_result pg_state_store::read_at_open(std::string_view statement, const pg_params& params, std::string_view what) {
    auto r = run(statement, params);
    if (!r.ok()) fail_open(what, r.get() != nullptr ? r.error() : error_);
    return r;
}

// --- reads at open ---

bool pg_state_store::read_ready() {
    const auto r = read_at_open("select_ready", params(), "cannot read");
    return r.rows() == 1 && r.text(0, 0) == "1";
}

std::size_t pg_state_store::count_customers() {
    return static_cast<std::size_t>(read_at_open("count_customers", params(), "cannot read").int64(0, 0));
}

void pg_state_store::read_customers(const std::function<void(const customer_entry&)>& sink) {
    // In pages by id, so a million customers never sit in one result.
    std::optional<std::int64_t> after = std::numeric_limits<std::int64_t>::min();
    while (after) {
        const auto r = read_at_open("select_customers_after", params().add(*after).add(load_page),
                                    "cannot read the customers");
        after.reset();
        for (int row = 0; row < r.rows(); ++row) sink(read_entry(r, row));
        if (r.rows() == load_page) after = r.int64(r.rows() - 1, 0);
    }
}

void pg_state_store::read_suspended_marks(const std::function<void(customer_id)>& sink) {
    const auto r = read_at_open("select_marks", params(), "cannot read the suspended marks");
    for (int row = 0; row < r.rows(); ++row) sink(r.uint64(row, 0));
}

void pg_state_store::read_customers_with_kept_members(const std::function<void(customer_id)>& sink) {
    const auto r = read_at_open("select_with_kept", params(), "cannot read the kept members");
    for (int row = 0; row < r.rows(); ++row) sink(r.uint64(row, 0));
}

// --- reads ---

bool pg_state_store::transitions(unix_seconds from, unix_seconds to, std::vector<transition>& out) {
    const auto r = run("select_transitions", params().add(from).add(to));
    if (!r.ok()) return fail("reading transitions", r);
    for (int row = 0; row < r.rows(); ++row) out.push_back(read_transition(r, row));
    return true;
}

bool pg_state_store::find_transition(std::uint64_t id, std::optional<transition>& out) {
    const auto r = run("select_transition", params().add(id));
    if (!r.ok()) return fail("reading a transition", r);
    if (r.rows() == 1) out = read_transition(r, 0);
    return true;
}

bool pg_state_store::due_deliveries(unix_seconds now, std::size_t limit, std::vector<delivery>& out) {
    const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
    const auto r = run("select_due", params().add(now).add(capped));
    if (!r.ok()) return fail("reading the outbox", r);
    for (int row = 0; row < r.rows(); ++row)
        out.push_back({.transition_id = r.uint64(row, 0),
                       .url = std::string(r.text(row, 1)),
                       .attempts = static_cast<unsigned>(r.int64(row, 2)),
                       .due = r.int64(row, 3)});
    return true;
}

bool pg_state_store::next_delivery_due(std::optional<unix_seconds>& out) {
    const auto r = run("select_next_due", params());
    if (!r.ok()) return fail("reading the outbox", r);
    if (r.rows() == 1 && !r.null(0, 0)) out = r.int64(0, 0);
    return true;
}

bool pg_state_store::outbox(outbox_summary& out) {
    const auto r = run("select_outbox", params());
    if (!r.ok()) return fail("reading the outbox", r);
    out.depth = static_cast<std::size_t>(r.int64(0, 0));
    if (!r.null(0, 1)) out.oldest = r.int64(0, 1);
    return true;
}

bool pg_state_store::autopay_preference(std::uint64_t method, std::optional<int>& out) {
    const auto r = run("select_autopay", params().add(method));
    if (!r.ok()) return fail("reading an autopay preference", r);
    if (r.rows() == 1) out = static_cast<int>(r.int64(0, 0));
    return true;
}

bool pg_state_store::kept(customer_id customer, std::vector<kept_members>& out) {
    const auto r = run("select_kept", params().add(customer));
    if (!r.ok()) return fail("reading kept members", r);
    for (int row = 0; row < r.rows(); ++row)
        out.push_back({.scope = std::string(r.text(row, 0)), .members = std::string(r.text(row, 1))});
    return true;
}

// --- several gateways ---

bool pg_state_store::read_customers(const std::vector<customer_id>& ids, std::vector<customer_entry>& out) {
    const auto r = run("select_customers_by_id", params().add(id_array(ids)));
    if (!r.ok()) return fail("reading customers", r);
    for (int row = 0; row < r.rows(); ++row) out.push_back(read_entry(r, row));
    return true;
}

bool pg_state_store::find_reference(std::string_view ref, std::vector<customer_entry>& out) {
    const auto r = run("select_customers_by_reference", params().add(ref));
    if (!r.ok()) return fail("looking a reference up", r);
    for (int row = 0; row < r.rows(); ++row) out.push_back(read_entry(r, row));
    return true;
}

bool pg_state_store::suspended_marks(const std::vector<customer_id>& ids, std::vector<customer_id>& out) {
    const auto r = run("select_marks_by_id", params().add(id_array(ids)));
    if (!r.ok()) return fail("reading suspended marks", r);
    for (int row = 0; row < r.rows(); ++row) out.push_back(r.uint64(row, 0));
    return true;
}

bool pg_state_store::claim_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds now,
                                    unix_seconds lease_until, bool& claimed) {
    const auto r = run("claim_delivery", params().add(transition_id).add(url).add(now).add(lease_until));
    if (!r.ok()) return fail("claiming a delivery", r);
    claimed = r.affected() == 1;
    return true;
}

bool pg_state_store::lead_refresh() {
    std::lock_guard lock(leader_mutex_);
    // The lock lives as long as the session: while connected, still the leader.
    if (leading_ && leader_.ok()) return true;
    leading_ = false;
    try {
        if (!leader_.ok()) leader_ = detail::pg_connection(target_.conninfo, target_.password);
        const auto r = leader_.exec("SELECT pg_try_advisory_lock(" + std::to_string(refresh_lock) + ", hashtext(" +
                                        detail::pg_literal(leader_, target_.account) + "))");
        leading_ = r.ok() && r.rows() == 1 && boolean(r, 0, 0);
    } catch (const std::runtime_error&) {
        leading_ = false;  // the database is away: whoever holds the lock keeps it
    }
    return leading_;
}

// --- what other gateways change ---

class pg_state_store::pg_feed final : public state_store::change_feed {
public:
    // Listens at once, so that what changes after the directory's load is heard.
    pg_feed(const pg_target& target, const std::atomic<int>& own_session)
        : target_(target), own_session_(own_session) {
        std::vector<stored_change> nothing_missed_yet;
        reconnect(nothing_missed_yet);
    }

    std::vector<stored_change> wait(std::chrono::milliseconds timeout) override {
        std::vector<stored_change> out;
        if (!db_.ok() && !reconnect(out)) {
            pause(timeout);
            return out;
        }
        pollfd fd{.fd = db_.socket(), .events = POLLIN, .revents = 0};
        if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return out;
        while (auto n = db_.next_notification()) take(*n, out);
        // A lost connection reads as a readable socket with nothing to consume.
        if (!db_.ok()) db_ = {};
        return out;
    }

private:
    bool reconnect(std::vector<stored_change>& out) {
        try {
            db_ = detail::pg_connection(target_.conninfo, target_.password);
            if (!db_.exec("LISTEN " + std::string(pg_change_channel)).ok()) {
                db_ = {};
                return false;
            }
        } catch (const std::runtime_error&) {
            return false;
        }
        // Whatever happened while no one listened must be read again.
        out.push_back({.what = stored_change::kind::everything});
        return true;
    }

    static void pause(std::chrono::milliseconds timeout) { std::this_thread::sleep_for(timeout); }

    // "<kind>:<id>:<account>" of this account, not written by this gateway's own session.
    void take(const detail::pg_notification& n, std::vector<stored_change>& out) const {
        if (n.backend_pid == own_session_.load()) return;
        const std::string_view payload = n.payload;
        const auto first = payload.find(':');
        const auto second = payload.find(':', first + 1);
        if (first != 1 || second == std::string_view::npos || payload.substr(second + 1) != target_.account) return;
        std::int64_t id = 0;
        std::from_chars(payload.data() + first + 1, payload.data() + second, id);
        out.push_back({.what = static_cast<stored_change::kind>(payload[0]), .id = static_cast<customer_id>(id)});
    }

    const pg_target target_;
    const std::atomic<int>& own_session_;
    detail::pg_connection db_;
};

std::unique_ptr<state_store::change_feed> pg_state_store::listen() {
    return std::make_unique<pg_feed>(target_, own_session_);
}

// --- write locks across gateways ---

class pg_state_store::pg_write_locks final : public shared_write_locks {
public:
    explicit pg_write_locks(const pg_target& target) : target_(target) {}

    std::optional<bool> try_lock(std::string_view name) override {
        std::lock_guard lock(mutex_);
        const auto r = call("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", name);
        if (!r.ok() || r.rows() != 1) return std::nullopt;
        return boolean(r, 0, 0);
    }
    void unlock(std::string_view name) override {
        std::lock_guard lock(mutex_);
        call("SELECT pg_advisory_unlock(hashtextextended($1, 0))", name);
    }

private:
    // One lock space per account: the name is prefixed with it.
    pg_result call(std::string_view sql, std::string_view name) {
        // Locks held by a lost session are gone with it; a new one starts empty.
        if (!db_.ok()) {
            try {
                db_ = detail::pg_connection(target_.conninfo, target_.password);
            } catch (const std::runtime_error&) {
                return {};
            }
        }
        return db_.exec(sql, pg_params().add(target_.account + '\x1f' + std::string(name)));
    }

    const pg_target target_;
    std::mutex mutex_;
    detail::pg_connection db_;
};

std::unique_ptr<shared_write_locks> pg_state_store::open_write_locks() {
    return std::make_unique<pg_write_locks>(target_);
}

// --- the batch ---

class pg_state_store::pg_batch final : public state_store::batch {
public:
    explicit pg_batch(pg_state_store& store) : store_(store) {}
    ~pg_batch() override {
        if (open_) store_.db_.exec("ROLLBACK");
    }

    void put_customer(const customer_entry& e) override {
        execute("put_customer", "writing a customer",
                store_.params()
                    .add(e.id)
                    .add(e.fingerprint)
                    .add(e.created)
                    .add(e.updated)
                    .add(boolean_text(e.flags.active))
                    .add(boolean_text(e.flags.suspended))
                    .add(e.reference())
                    .add(e.name())
                    .add(e.last_name())
                    .add(e.company())
                    .add(e.email()));
    }
    void remove_customer(customer_id id) override {
        execute("remove_customer", "removing a customer", store_.params().add(id));
    }
    void set_ready() override { execute("set_ready", "marking the directory ready", store_.params()); }
    std::uint64_t add_transition(const transition& t) override {
        const auto r = execute("add_transition", "recording a transition",
                               store_.params()
                                   .add(t.customer)
                                   .add(std::string_view(t.reference))
                                   .add(t.at)
                                   .add(std::string_view(t.previous))
                                   .add(std::string_view(t.next)));
        return r.ok() && r.rows() == 1 ? r.uint64(0, 0) : 0;
    }
    void queue_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) override {
        execute("queue_delivery", "queueing a callback", store_.params().add(transition_id).add(url).add(due));
    }
    void remove_delivery(std::uint64_t transition_id, std::string_view url) override {
        execute("remove_delivery", "removing a delivered callback", store_.params().add(transition_id).add(url));
    }
    void retry_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) override {
        execute("retry_delivery", "rescheduling a callback", store_.params().add(transition_id).add(url).add(due));
    }
    void set_autopay(customer_id customer, std::uint64_t method, int preference) override {
        execute("set_autopay", "writing an autopay preference", store_.params().add(method).add(customer).add(preference));
    }
    void forget_autopay(customer_id customer) override {
        execute("forget_autopay", "forgetting autopay preferences", store_.params().add(customer));
    }
    void forget_method_preference(std::uint64_t method) override {
        execute("forget_method", "forgetting an autopay preference", store_.params().add(method));
    }
    void put_kept(customer_id customer, std::string_view scope, std::string_view members) override {
        execute("put_kept", "keeping members", store_.params().add(customer).add(scope).add(members));
    }
    void forget_kept_scope(customer_id customer, std::string_view scope) override {
        execute("forget_scope", "forgetting kept members", store_.params().add(customer).add(scope));
    }
    void forget_gateway_state(customer_id customer) override {
        forget_autopay(customer);
        execute("forget_kept", "forgetting kept members", store_.params().add(customer));
        clear_suspended_mark(customer);
    }
    void set_suspended_mark(customer_id customer) override {
        execute("set_mark", "marking a customer suspended", store_.params().add(customer));
    }
    void clear_suspended_mark(customer_id customer) override {
        execute("clear_mark", "clearing a suspended mark", store_.params().add(customer));
    }

    bool find_idempotency(std::string_view client, std::string_view key,
                          std::optional<idempotency_row>& out) override {
        if (!execute("lock_idempotency", "locking an idempotency key", store_.params().add(client).add(key)).ok())
            return false;
        const auto r = execute("select_idempotency", "reading an idempotency key", store_.params().add(client).add(key));
        if (!r.ok()) return false;
        if (r.rows() == 1) {
            idempotency_row row;
            row.request_hash = r.text(0, 0);
            row.state = static_cast<idempotency_row::kind>(r.int64(0, 1));
            row.status = static_cast<unsigned>(r.int64(0, 2));
            row.body = from_base64(r.text(0, 3));
            if (!r.null(0, 4)) row.created_after = r.uint64(0, 4);
            row.at = r.int64(0, 5);
            out = std::move(row);
        }
        return true;
    }
    void claim_idempotency(std::string_view client, std::string_view key, std::string_view request_hash,
                           unix_seconds now) override {
        execute("claim_idempotency", "claiming an idempotency key",
                store_.params().add(client).add(key).add(request_hash).add(now));
    }
    void resume_idempotency(std::string_view client, std::string_view key, unix_seconds now) override {
        execute("resume_idempotency", "resuming an idempotency key", store_.params().add(client).add(key).add(now));
    }
    void answer_idempotency(std::string_view client, std::string_view key, unsigned status, std::string_view body,
                            unix_seconds now) override {
        execute("answer_idempotency", "storing an idempotent answer",
                store_.params().add(client).add(key).add(static_cast<std::int64_t>(status)).add(to_base64(body)).add(now));
    }
    void unresolve_idempotency(std::string_view client, std::string_view key, std::uint64_t created_after) override {
        execute("unresolve_idempotency", "marking an unresolved create",
                store_.params().add(client).add(key).add(created_after));
    }
    void remove_idempotency(std::string_view client, std::string_view key) override {
        execute("remove_idempotency", "releasing an idempotency key", store_.params().add(client).add(key));
    }
    std::size_t expire_idempotency(unix_seconds before) override {
        return execute("expire_idempotency", "expiring idempotency keys", store_.params().add(before)).affected();
    }

    bool lock_customers(const std::vector<customer_id>& ids, std::vector<locked_customer>& out) override {
        const auto r = execute("lock_customers", "locking customers", store_.params().add(id_array(ids)));
        if (!r.ok()) return false;
        for (int row = 0; row < r.rows(); ++row) out.push_back({read_entry(r, row), boolean(r, row, 11)});
        return true;
    }

    bool commit() override {
        if (ok_ && !open_) return true;
        if (ok_) {
            const auto r = store_.db_.exec("COMMIT");
            open_ = false;
            // Every step succeeded, so the transaction is not in a failed state: an ok()
            // COMMIT committed.
            if (r.ok()) return true;
            ok_ = false;
            return store_.fail("committing", r);
        }
        if (open_) {
            store_.db_.exec("ROLLBACK");
            open_ = false;
        }
        return false;
    }

private:
    pg_result execute(std::string_view statement, std::string_view what, const pg_params& params) {
        if (!ok_ || !begin()) return {};
        auto r = store_.run(statement, params);
        if (!r.ok()) {
            ok_ = false;
            store_.fail(what, r);
        }
        return r;
    }
    bool begin() {
        if (open_) return true;
        if (!store_.usable()) {
            ok_ = false;
            store_.fail("starting a transaction", {});
            return false;
        }
        const auto r = store_.db_.exec("BEGIN");
        if (!r.ok()) {
            ok_ = false;
            return store_.fail("starting a transaction", r);
        }
        open_ = true;
        return true;
    }
    static std::string to_base64(std::string_view bytes) { return auth::detail::encode_base64(bytes); }
    static std::string from_base64(std::string_view text) { return auth::detail::decode_base64(text).value_or(""); }

    pg_state_store& store_;
    bool ok_ = true;
    bool open_ = false;
};

std::unique_ptr<state_store::batch> pg_state_store::begin_batch() { return std::make_unique<pg_batch>(*this); }

}  // namespace blubridge::directory
