#include "sqlite_state_store.hpp"

#include "detail/entry_text.hpp"

#include <limits>
#include <stdexcept>
#include <system_error>

namespace blubridge::directory {
namespace {

constexpr int schema_version = 3;

// Every statement is IF NOT EXISTS, so running the whole text on an older database is its
// migration: version 1 gains the idempotency table (2), then kept_members and
// suspended_marks (3).
constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS customers(
  id INTEGER PRIMARY KEY,
  fingerprint INTEGER NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  active INTEGER NOT NULL,
  suspended INTEGER NOT NULL,
  reference TEXT NOT NULL,
  name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  company TEXT NOT NULL,
  email TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transitions(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  customer INTEGER NOT NULL,
  reference TEXT NOT NULL,
  at INTEGER NOT NULL,
  previous TEXT NOT NULL,
  next TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS transitions_by_at ON transitions(at);
CREATE TABLE IF NOT EXISTS outbox(
  transition_id INTEGER NOT NULL,
  url TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due INTEGER NOT NULL,
  UNIQUE(transition_id, url));
CREATE INDEX IF NOT EXISTS outbox_by_due ON outbox(due, transition_id);
CREATE TABLE IF NOT EXISTS autopay_preferences(
  method INTEGER PRIMARY KEY,
  customer INTEGER NOT NULL,
  preference INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS autopay_by_customer ON autopay_preferences(customer);
CREATE TABLE IF NOT EXISTS idempotency(
  client TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state INTEGER NOT NULL,  -- 0 running, 1 answered, 2 unresolved create
  status INTEGER NOT NULL DEFAULT 0,
  body BLOB,
  created_after INTEGER,
  at INTEGER NOT NULL,
  PRIMARY KEY(client, key)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_by_at ON idempotency(at);
CREATE TABLE IF NOT EXISTS kept_members(
  customer INTEGER NOT NULL,
  scope TEXT NOT NULL,
  members TEXT NOT NULL,  -- a JSON object
  PRIMARY KEY(customer, scope)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS suspended_marks(customer INTEGER PRIMARY KEY);
PRAGMA user_version = 3;
)sql";

// SQLite integers are signed 64-bit; ids and fingerprints keep their bits.
std::int64_t to_sql(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t from_sql(std::int64_t v) { return static_cast<std::uint64_t>(v); }

transition read_transition(const detail::sqlite_statement& s) {
    transition t;
    t.id = from_sql(s.int64(0));
    t.customer = from_sql(s.int64(1));
    t.reference = s.text(2);
    t.at = s.int64(3);
    t.previous = s.text(4);
    t.next = s.text(5);
    return t;
}

}  // namespace

sqlite_state_store::sqlite_state_store(std::filesystem::path file) : file_(std::move(file)), db_([&] {
    if (file_.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(file_.parent_path(), ec);
        if (ec)
            throw std::runtime_error("customer directory " + file_.string() + ": cannot create its folder: " +
                                     ec.message());
    }
    return file_.string();
}()) {
    if (!db_.ok()) fail_open("cannot open");
    sqlite3_busy_timeout(db_.get(), 5000);

    // journal_mode answers with the mode it is now in; anything but wal is a failure.
    detail::sqlite_statement wal;
    prepare(wal, "PRAGMA journal_mode=WAL");
    if (wal.start().step() != SQLITE_ROW || wal.text(0) != "wal") fail_open("cannot switch to WAL");
    wal.reset();
    if (db_.exec("PRAGMA synchronous=NORMAL") != SQLITE_OK) fail_open("cannot set synchronous");

    detail::sqlite_statement version;
    prepare(version, "PRAGMA user_version");
    if (version.start().step() != SQLITE_ROW) fail_open("cannot read the schema version");
    const auto found = version.int64(0);
    version.reset();
    if (found > schema_version)
        throw std::runtime_error("customer directory " + file_.string() + ": schema version " + std::to_string(found) +
                                 " is newer than this blubridge's (" + std::to_string(schema_version) + ")");
    if (db_.exec("BEGIN IMMEDIATE") != SQLITE_OK) fail_open("cannot write");
    if (db_.exec(schema) != SQLITE_OK) {
        const auto message = db_.error();
        db_.exec("ROLLBACK");
        throw std::runtime_error("customer directory " + file_.string() + ": cannot create its tables: " + message);
    }
    if (db_.exec("COMMIT") != SQLITE_OK) fail_open("cannot create its tables");

    prepare(begin_, "BEGIN IMMEDIATE");
    prepare(commit_, "COMMIT");
    prepare(rollback_, "ROLLBACK");
    prepare(put_customer_,
            "INSERT OR REPLACE INTO customers(id, fingerprint, created, updated, active, suspended, reference, name, "
            "last_name, company, email) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    prepare(remove_customer_, "DELETE FROM customers WHERE id = ?1");
    prepare(set_meta_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
    prepare(add_transition_,
            "INSERT INTO transitions(customer, reference, at, previous, next) VALUES(?1, ?2, ?3, ?4, ?5)");
    prepare(queue_delivery_, "INSERT OR IGNORE INTO outbox(transition_id, url, attempts, due) VALUES(?1, ?2, 0, ?3)");
    prepare(remove_delivery_, "DELETE FROM outbox WHERE transition_id = ?1 AND url = ?2");
    prepare(retry_delivery_,
            "UPDATE outbox SET attempts = attempts + 1, due = ?3 WHERE transition_id = ?1 AND url = ?2");
    prepare(set_autopay_, "INSERT OR REPLACE INTO autopay_preferences(method, customer, preference) VALUES(?1, ?2, ?3)");
    prepare(forget_autopay_, "DELETE FROM autopay_preferences WHERE customer = ?1");
    prepare(put_kept_, "INSERT OR REPLACE INTO kept_members(customer, scope, members) VALUES(?1, ?2, ?3)");
    prepare(forget_method_, "DELETE FROM autopay_preferences WHERE method = ?1");
    prepare(forget_kept_, "DELETE FROM kept_members WHERE customer = ?1");
    prepare(forget_scope_, "DELETE FROM kept_members WHERE customer = ?1 AND scope = ?2");
    prepare(set_mark_, "INSERT OR IGNORE INTO suspended_marks(customer) VALUES(?1)");
    prepare(clear_mark_, "DELETE FROM suspended_marks WHERE customer = ?1");
    prepare(select_idempotency_,
            "SELECT request_hash, state, status, body, created_after, at FROM idempotency WHERE client = ?1 AND key = ?2");
    prepare(claim_idempotency_,
            "INSERT OR REPLACE INTO idempotency(client, key, request_hash, state, status, body, created_after, at) "
            "VALUES(?1, ?2, ?3, 0, 0, NULL, NULL, ?4)");
    prepare(resume_idempotency_, "UPDATE idempotency SET state = 0, at = ?3 WHERE client = ?1 AND key = ?2");
    prepare(answer_idempotency_,
            "UPDATE idempotency SET state = 1, status = ?3, body = ?4, at = ?5 WHERE client = ?1 AND key = ?2");
    prepare(unresolve_idempotency_,
            "UPDATE idempotency SET state = 2, status = 0, body = NULL, created_after = ?3 WHERE client = ?1 AND key = ?2");
    prepare(remove_idempotency_, "DELETE FROM idempotency WHERE client = ?1 AND key = ?2");
    prepare(expire_idempotency_, "DELETE FROM idempotency WHERE at < ?1");
    prepare(select_transitions_,
            "SELECT id, customer, reference, at, previous, next FROM transitions WHERE at BETWEEN ?1 AND ?2 ORDER BY id");
    prepare(select_transition_, "SELECT id, customer, reference, at, previous, next FROM transitions WHERE id = ?1");
    // rowid last: a transition's URLs in the order they were queued (callback_urls' order).
    prepare(select_due_,
            "SELECT transition_id, url, attempts, due FROM outbox WHERE due <= ?1 ORDER BY due, transition_id, rowid "
            "LIMIT ?2");
    prepare(select_next_due_, "SELECT MIN(due) FROM outbox");
    prepare(select_outbox_,
            "SELECT COUNT(*), MIN(transitions.at) FROM outbox LEFT JOIN transitions ON transitions.id = outbox.transition_id");
    prepare(select_autopay_, "SELECT preference FROM autopay_preferences WHERE method = ?1");
    prepare(select_kept_, "SELECT scope, members FROM kept_members WHERE customer = ?1 ORDER BY scope");
}

void sqlite_state_store::fail_open(std::string_view what) const {
    throw std::runtime_error("customer directory " + file_.string() + ": " + std::string(what) + ": " + db_.error());
}

void sqlite_state_store::prepare(detail::sqlite_statement& statement, std::string_view sql) {
    if (statement.prepare(db_.get(), sql) != SQLITE_OK) fail_open("cannot prepare a statement");
}

bool sqlite_state_store::fail(std::string_view what) {
    error_ = std::string(what) + ": " + db_.error();
    return false;
}

bool sqlite_state_store::read_ready() {
    detail::sqlite_statement s;
    prepare(s, "SELECT value FROM meta WHERE key = 'ready'");
    const int rc = s.start().step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail_open("cannot read");
    const bool ready = rc == SQLITE_ROW && s.text(0) == "1";
    s.reset();
    return ready;
}

std::size_t sqlite_state_store::count_customers() {
    detail::sqlite_statement s;
    prepare(s, "SELECT COUNT(*) FROM customers");
    if (s.start().step() != SQLITE_ROW) fail_open("cannot read");
    const auto n = s.int64(0);
    s.reset();
    return static_cast<std::size_t>(n);
}

void sqlite_state_store::read_customers(const std::function<void(const customer_entry&)>& sink) {
    detail::sqlite_statement s;
    prepare(s,
            "SELECT id, fingerprint, created, updated, active, suspended, reference, name, last_name, company, email "
            "FROM customers ORDER BY id");
    s.start();
    customer_entry entry;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        entry.id = from_sql(s.int64(0));
        entry.fingerprint = from_sql(s.int64(1));
        entry.created = s.int64(2);
        entry.updated = s.int64(3);
        entry.flags = {.active = s.int64(4) != 0, .suspended = s.int64(5) != 0};
        entry.text = detail::join_fields(s.text(6), s.text(7), s.text(8), s.text(9), s.text(10));
        sink(entry);
    }
    if (rc != SQLITE_DONE) fail_open("cannot read the customers");
}

namespace {

// Each id of a one-column query; SQLite's last step code (SQLITE_DONE when all were read).
int read_ids(detail::sqlite_statement& s, const std::function<void(customer_id)>& sink) {
    s.start();
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) sink(from_sql(s.int64(0)));
    return rc;
}

}  // namespace

void sqlite_state_store::read_suspended_marks(const std::function<void(customer_id)>& sink) {
    detail::sqlite_statement s;
    prepare(s, "SELECT customer FROM suspended_marks");
    if (read_ids(s, sink) != SQLITE_DONE) fail_open("cannot read the suspended marks");
}

void sqlite_state_store::read_customers_with_kept_members(const std::function<void(customer_id)>& sink) {
    detail::sqlite_statement s;
    prepare(s, "SELECT DISTINCT customer FROM kept_members");
    if (read_ids(s, sink) != SQLITE_DONE) fail_open("cannot read the kept members");
}

bool sqlite_state_store::transitions(unix_seconds from, unix_seconds to, std::vector<transition>& out) {
    auto& s = select_transitions_;
    s.start().bind(1, from).bind(2, to);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_transition(s));
    s.reset();
    return rc == SQLITE_DONE || fail("reading transitions");
}

bool sqlite_state_store::find_transition(std::uint64_t id, std::optional<transition>& out) {
    auto& s = select_transition_;
    const int rc = s.start().bind(1, to_sql(id)).step();
    if (rc == SQLITE_ROW) out = read_transition(s);
    s.reset();
    return rc == SQLITE_ROW || rc == SQLITE_DONE || fail("reading a transition");
}

bool sqlite_state_store::due_deliveries(unix_seconds now, std::size_t limit, std::vector<delivery>& out) {
    auto& s = select_due_;
    const auto capped = std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max());
    s.start().bind(1, now).bind(2, static_cast<std::int64_t>(capped));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        out.push_back({.transition_id = from_sql(s.int64(0)),
                       .url = std::string(s.text(1)),
                       .attempts = static_cast<unsigned>(s.int64(2)),
                       .due = s.int64(3)});
    s.reset();
    return rc == SQLITE_DONE || fail("reading the outbox");
}

bool sqlite_state_store::next_delivery_due(std::optional<unix_seconds>& out) {
    auto& s = select_next_due_;
    const int rc = s.start().step();
    if (rc == SQLITE_ROW && !s.is_null(0)) out = s.int64(0);
    s.reset();
    return rc == SQLITE_ROW || fail("reading the outbox");
}

bool sqlite_state_store::outbox(outbox_summary& out) {
    auto& s = select_outbox_;
    const int rc = s.start().step();
    if (rc == SQLITE_ROW) {
        out.depth = static_cast<std::size_t>(s.int64(0));
        if (!s.is_null(1)) out.oldest = s.int64(1);
    }
    s.reset();
    return rc == SQLITE_ROW || fail("reading the outbox");
}

bool sqlite_state_store::autopay_preference(std::uint64_t method, std::optional<int>& out) {
    auto& s = select_autopay_;
    const int rc = s.start().bind(1, to_sql(method)).step();
    if (rc == SQLITE_ROW) out = static_cast<int>(s.int64(0));
    s.reset();
    return rc == SQLITE_ROW || rc == SQLITE_DONE || fail("reading an autopay preference");
}

bool sqlite_state_store::kept(customer_id customer, std::vector<kept_members>& out) {
    auto& s = select_kept_;
    s.start().bind(1, to_sql(customer));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({.scope = std::string(s.text(0)), .members = std::string(s.text(1))});
    s.reset();
    return rc == SQLITE_DONE || fail("reading kept members");
}


// --- batch ---

class sqlite_state_store::sqlite_batch final : public state_store::batch {
public:
    explicit sqlite_batch(sqlite_state_store& store) : store_(store) {}
    ~sqlite_batch() override;

    void put_customer(const customer_entry& entry) override;
    void remove_customer(customer_id id) override;
    void set_ready() override;
    std::uint64_t add_transition(const transition& t) override;
    void queue_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) override;
    void remove_delivery(std::uint64_t transition_id, std::string_view url) override;
    void retry_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) override;
    void set_autopay(customer_id customer, std::uint64_t method, int preference) override;
    void forget_autopay(customer_id customer) override;
    void forget_method_preference(std::uint64_t method) override;
    void put_kept(customer_id customer, std::string_view scope, std::string_view members) override;
    void forget_kept_scope(customer_id customer, std::string_view scope) override;
    void forget_gateway_state(customer_id customer) override;
    void set_suspended_mark(customer_id customer) override;
    void clear_suspended_mark(customer_id customer) override;
    bool find_idempotency(std::string_view client, std::string_view key,
                          std::optional<idempotency_row>& out) override;
    void claim_idempotency(std::string_view client, std::string_view key, std::string_view request_hash,
                           unix_seconds now) override;
    void resume_idempotency(std::string_view client, std::string_view key, unix_seconds now) override;
    void answer_idempotency(std::string_view client, std::string_view key, unsigned status, std::string_view body,
                            unix_seconds now) override;
    void unresolve_idempotency(std::string_view client, std::string_view key, std::uint64_t created_after) override;
    void remove_idempotency(std::string_view client, std::string_view key) override;
    std::size_t expire_idempotency(unix_seconds before) override;
    bool commit() override;

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

    sqlite_state_store& store_;
    bool ok_ = true;
    bool open_ = false;
};

std::unique_ptr<state_store::batch> sqlite_state_store::begin_batch() { return std::make_unique<sqlite_batch>(*this); }

bool sqlite_state_store::sqlite_batch::begin() {
    if (open_) return true;
    open_ = run(store_.begin_, "starting a transaction");
    return open_;
}

sqlite_state_store::sqlite_batch::~sqlite_batch() {
    if (open_) roll_back();
}

bool sqlite_state_store::sqlite_batch::run(detail::sqlite_statement& statement, std::string_view what) {
    if (statement.run() == SQLITE_DONE) return true;
    ok_ = false;
    return store_.fail(what);
}

void sqlite_state_store::sqlite_batch::roll_back() {
    open_ = false;
    // A failed COMMIT may already have ended the transaction.
    if (!sqlite3_get_autocommit(store_.db_.get())) store_.rollback_.start().run();
}

void sqlite_state_store::sqlite_batch::put_customer(const customer_entry& e) {
    execute(store_.put_customer_, "writing a customer", to_sql(e.id), to_sql(e.fingerprint), e.created, e.updated,
            std::int64_t{e.flags.active}, std::int64_t{e.flags.suspended}, e.reference(), e.name(), e.last_name(),
            e.company(), e.email());
}

void sqlite_state_store::sqlite_batch::remove_customer(customer_id id) {
    execute(store_.remove_customer_, "removing a customer", to_sql(id));
}

void sqlite_state_store::sqlite_batch::set_ready() {
    execute(store_.set_meta_, "marking the directory ready", std::string_view("ready"), std::string_view("1"));
}

std::uint64_t sqlite_state_store::sqlite_batch::add_transition(const transition& t) {
    if (!execute(store_.add_transition_, "recording a transition", to_sql(t.customer), std::string_view(t.reference),
                 t.at, std::string_view(t.previous), std::string_view(t.next)))
        return 0;
    return from_sql(sqlite3_last_insert_rowid(store_.db_.get()));
}

void sqlite_state_store::sqlite_batch::queue_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) {
    execute(store_.queue_delivery_, "queueing a callback", to_sql(transition_id), url, due);
}

void sqlite_state_store::sqlite_batch::remove_delivery(std::uint64_t transition_id, std::string_view url) {
    execute(store_.remove_delivery_, "removing a delivered callback", to_sql(transition_id), url);
}

void sqlite_state_store::sqlite_batch::retry_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds due) {
    execute(store_.retry_delivery_, "rescheduling a callback", to_sql(transition_id), url, due);
}

void sqlite_state_store::sqlite_batch::set_autopay(customer_id customer, std::uint64_t method, int preference) {
    execute(store_.set_autopay_, "writing an autopay preference", to_sql(method), to_sql(customer),
            std::int64_t{preference});
}

void sqlite_state_store::sqlite_batch::forget_autopay(customer_id customer) {
    execute(store_.forget_autopay_, "forgetting autopay preferences", to_sql(customer));
}

void sqlite_state_store::sqlite_batch::put_kept(customer_id customer, std::string_view scope, std::string_view members) {
    execute(store_.put_kept_, "keeping members", to_sql(customer), scope, members);
}

void sqlite_state_store::sqlite_batch::forget_method_preference(std::uint64_t method) {
    execute(store_.forget_method_, "forgetting an autopay preference", to_sql(method));
}

void sqlite_state_store::sqlite_batch::forget_kept_scope(customer_id customer, std::string_view scope) {
    execute(store_.forget_scope_, "forgetting kept members", to_sql(customer), scope);
}

void sqlite_state_store::sqlite_batch::forget_gateway_state(customer_id customer) {
    forget_autopay(customer);
    execute(store_.forget_kept_, "forgetting kept members", to_sql(customer));
    clear_suspended_mark(customer);
}

void sqlite_state_store::sqlite_batch::set_suspended_mark(customer_id customer) {
    execute(store_.set_mark_, "marking a customer suspended", to_sql(customer));
}

void sqlite_state_store::sqlite_batch::clear_suspended_mark(customer_id customer) {
    execute(store_.clear_mark_, "clearing a suspended mark", to_sql(customer));
}

bool sqlite_state_store::sqlite_batch::find_idempotency(std::string_view client, std::string_view key,
                                          std::optional<idempotency_row>& out) {
    if (!ok_ || !begin()) return false;
    auto& s = store_.select_idempotency_;
    const int rc = s.start().bind(1, client).bind(2, key).step();
    if (rc == SQLITE_ROW) {
        idempotency_row row;
        row.request_hash = s.text(0);
        row.state = static_cast<idempotency_row::kind>(s.int64(1));
        row.status = static_cast<unsigned>(s.int64(2));
        row.body = s.bytes(3);
        if (!s.is_null(4)) row.created_after = from_sql(s.int64(4));
        row.at = s.int64(5);
        out = std::move(row);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        ok_ = false;
        store_.fail("reading an idempotency key");
    }
    s.reset();
    return ok_;
}

void sqlite_state_store::sqlite_batch::claim_idempotency(std::string_view client, std::string_view key,
                                           std::string_view request_hash, unix_seconds now) {
    execute(store_.claim_idempotency_, "claiming an idempotency key", client, key, request_hash, now);
}

void sqlite_state_store::sqlite_batch::resume_idempotency(std::string_view client, std::string_view key, unix_seconds now) {
    execute(store_.resume_idempotency_, "resuming an idempotency key", client, key, now);
}

void sqlite_state_store::sqlite_batch::answer_idempotency(std::string_view client, std::string_view key, unsigned status,
                                            std::string_view body, unix_seconds now) {
    execute(store_.answer_idempotency_, "storing an idempotent answer", client, key, std::int64_t{status},
            detail::blob{body}, now);
}

void sqlite_state_store::sqlite_batch::unresolve_idempotency(std::string_view client, std::string_view key,
                                               std::uint64_t created_after) {
    execute(store_.unresolve_idempotency_, "marking an unresolved create", client, key, to_sql(created_after));
}

void sqlite_state_store::sqlite_batch::remove_idempotency(std::string_view client, std::string_view key) {
    execute(store_.remove_idempotency_, "releasing an idempotency key", client, key);
}

std::size_t sqlite_state_store::sqlite_batch::expire_idempotency(unix_seconds before) {
    if (!execute(store_.expire_idempotency_, "expiring idempotency keys", before)) return 0;
    return static_cast<std::size_t>(sqlite3_changes(store_.db_.get()));
}

bool sqlite_state_store::sqlite_batch::commit() {
    if (ok_ && !open_) return true;  // nothing was written
    if (ok_ && run(store_.commit_, "committing")) {
        open_ = false;
        return true;
    }
    if (open_) roll_back();
    ok_ = false;
    return false;
}

}  // namespace blubridge::directory
