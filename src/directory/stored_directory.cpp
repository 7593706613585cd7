#include "stored_directory.hpp"

#include "open_state_store.hpp"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

namespace blubridge::directory {

std::shared_ptr<customer_directory> customer_directory::open(directory_options options) {
    return std::make_shared<stored_directory>(std::move(options));
}

namespace {

// Paging can repeat a record within a page; its later copy is the newer one.
void keep_last_of_each_id(std::vector<customer_entry>& records) {
    std::unordered_set<customer_id> seen;
    std::vector<customer_entry> kept;
    kept.reserve(records.size());
    for (auto it = records.rbegin(); it != records.rend(); ++it)
        if (seen.insert(it->id).second) kept.push_back(std::move(*it));
    records.assign(std::make_move_iterator(kept.rbegin()), std::make_move_iterator(kept.rend()));
}

}  // namespace

class stored_directory::change_in_progress {
public:
    explicit change_in_progress(std::atomic<std::uint64_t>& sequence) : sequence_(sequence) { ++sequence_; }
    ~change_in_progress() { ++sequence_; }
    change_in_progress(const change_in_progress&) = delete;
    change_in_progress& operator=(const change_in_progress&) = delete;

private:
    std::atomic<std::uint64_t>& sequence_;
};

class stored_directory::refresh_pass final : public customer_directory::pass {
public:
    refresh_pass(std::shared_ptr<stored_directory> owner, pass_state state)
        : owner_(std::move(owner)), state_(state) {}
    ~refresh_pass() override { owner_->abandon(state_); }

    std::optional<std::size_t> observe_page(std::string_view page_json, unix_seconds now) override {
        return owner_->observe_page(state_, page_json, now);
    }
    std::vector<customer_id> unseen() const override { return owner_->unseen(state_); }
    pass_summary finish(unix_seconds) override { return owner_->finish(state_); }

private:
    std::shared_ptr<stored_directory> owner_;
    pass_state state_;  // guarded by owner_->store_mutex_
};

stored_directory::stored_directory(directory_options options)
    : options_(std::move(options)), reader_(options_.fields), store_(open_state_store(options_)) {
    // Listening first: a change committed while the rest loads is heard.
    feed_ = store_->listen();
    ready_ = store_->read_ready();
    index_.reserve(store_->count_customers());
    store_->read_customers([this](const customer_entry& entry) { index_.put(entry, {}); });
    store_->read_suspended_marks([this](customer_id id) { suspended_marks_.emplace(id, 0); });
    store_->read_customers_with_kept_members([this](customer_id id) { with_kept_members_.insert(id); });
    index_.shrink_to_fit();
    if (feed_) follower_ = std::thread([this] { follow_changes(); });
}

stored_directory::~stored_directory() {
    stopping_ = true;
    if (follower_.joinable()) follower_.join();
}

// --- lookups ---

std::size_t stored_directory::size() const {
    std::shared_lock lock(memory_mutex_);
    return index_.size();
}

std::vector<customer_id> stored_directory::find_by_reference_in_memory(std::string_view ref) const {
    std::shared_lock lock(memory_mutex_);
    return index_.find_by_reference(ref);
}

std::optional<customer_entry> stored_directory::find_in_memory(customer_id id) const {
    std::shared_lock lock(memory_mutex_);
    return index_.find(id);
}

std::optional<customer_entry> stored_directory::read_record(std::string_view record_json) {
    auto record = reader_.read_record(record_json);
    if (record) memo_.remember(record_json, *record);
    return record;
}

bool stored_directory::observe_if_unchanged(std::string_view record_json) {
    if (auto seen = memo_.find(record_json)) return observe_unchanged(*seen);
    const auto record = read_record(record_json);
    return record && observe_unchanged(*record);
}

bool stored_directory::keeps_members_of(customer_id customer) const {
    std::lock_guard lock(kept_ids_mutex_);
    return with_kept_members_.contains(customer);
}

std::vector<customer_id> stored_directory::find_by_reference(std::string_view ref) const {
    if (auto ids = find_by_reference_in_memory(ref); !ids.empty() || !store_->shared() || ref.empty()) return ids;
    // Another gateway may have created it a moment ago, its notice still on the way.
    std::vector<customer_entry> stored;
    {
        std::lock_guard lock(store_mutex_);
        if (!store_->find_reference(ref, stored)) report("looking a reference up");
    }
    learn(stored);
    std::vector<customer_id> ids;
    for (const auto& e : stored) ids.push_back(e.id);
    return ids;
}

std::optional<customer_entry> stored_directory::find(customer_id id) const {
    if (auto found = find_in_memory(id); found || !store_->shared()) return found;
    std::vector<customer_entry> stored;
    {
        std::lock_guard lock(store_mutex_);
        if (!store_->read_customers(std::vector<customer_id>{id}, stored)) report("reading a customer");
    }
    learn(stored);
    if (stored.empty()) return std::nullopt;
    return std::move(stored.front());
}

void stored_directory::learn(const std::vector<customer_entry>& entries) const {
    if (entries.empty()) return;
    std::lock_guard store(store_mutex_);  // changes to the index are made under it
    std::unique_lock memory(memory_mutex_);
    for (const auto& e : entries) {
        if (!index_.peek(e.id)) index_.put(e, {.stamp = ++clock_, .by_gateway = true});
    }
}

query_page stored_directory::query(const customer_query& q) const {
    std::shared_lock lock(memory_mutex_);
    return index_.query(q);
}

std::optional<customer_id> stored_directory::highest_id() const {
    std::shared_lock lock(memory_mutex_);
    return index_.highest_id();
}

// --- observations ---

std::string stored_directory::status_name(status_flags flags) const {
    if (options_.status_name) return options_.status_name(flags);
    return std::string(flags.active ? "active" : "inactive") + (flags.suspended ? " suspended" : "");
}

void stored_directory::report(std::string_view context) const {
    // One write, so lines from several threads do not interleave.
    const auto line = store_->describe() + ": " + std::string(context) + ": " +
                      store_->last_error() + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
}

void stored_directory::wake() const {
    std::function<void()> wake;
    {
        std::lock_guard lock(wake_mutex_);
        wake = wake_;
    }
    if (wake) wake();
}

// A transition when the flag pair's status name changes, queued for every callback URL in
// the same batch.
bool stored_directory::record_transition(state_store::batch& batch, status_flags before, const customer_entry& after,
                                         unix_seconds now) {
    if (before == after.flags) return false;
    auto previous = status_name(before);
    auto next = status_name(after.flags);
    if (previous == next) return false;
    const auto id = batch.add_transition({.customer = after.id,
                                          .reference = std::string(after.reference()),
                                          .at = now,
                                          .previous = std::move(previous),
                                          .next = std::move(next)});
    for (const auto& url : options_.callback_urls) batch.queue_delivery(id, url, now);
    return true;
}

void stored_directory::forget_gateway_state(customer_id id) {
    suspended_marks_.erase(id);
    std::lock_guard kept(kept_ids_mutex_);
    with_kept_members_.erase(id);
}

void stored_directory::apply_suspended_mark(customer_entry& record, const pass_state* pass, state_store::batch& batch,
                                            std::vector<customer_id>& cleared) const {
    const auto mark = suspended_marks_.find(record.id);
    if (mark == suspended_marks_.end()) return;
    if (!record.flags.active) {
        record.flags.suspended = true;
        return;
    }
    // Active again. Only a pass begun after the mark is sure to have read the record after
    // the suspension (a gateway read may have been sent before it); it ends the mark.
    if (pass && mark->second < pass->start) {
        batch.clear_suspended_mark(record.id);
        cleared.push_back(record.id);
    }
}

// Decides every record's change against memory, writes them all in one transaction, and
// applies them to memory only once that committed, so memory never runs ahead of disk.
bool stored_directory::apply(std::vector<customer_entry>& records, unix_seconds now, pass_state* pass,
                             std::size_t& queued) {
    struct change {
        std::size_t record;
        customer_index::mark mark;
        bool write;
    };
    std::vector<change> changes;
    changes.reserve(records.size());
    pass_summary counts;
    std::size_t deliveries = 0;
    std::vector<customer_id> marks_cleared;

    const change_in_progress deciding(change_sequence_);
    const auto batch = store_->begin_batch();
    // What each change is decided against: memory, or with shared state the stored rows
    // (locked until the batch ends, so only one gateway records a transition).
    std::unordered_map<customer_id, customer_entry> stored;
    if (store_->shared() && !take_stored(records, *batch, stored)) return false;
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& record = records[i];
        apply_suspended_mark(record, pass, *batch, marks_cleared);
        const customer_index::mark mark{.stamp = ++clock_, .by_gateway = pass == nullptr};
        const auto existing = index_.peek(record.id);
        if (pass) {
            ++counts.seen;
            // What the gateway saw or did since the pass began is newer than this page.
            if (const auto gone = removed_.find(record.id); gone != removed_.end() && gone->second > pass->start) continue;
            if (existing && existing->last.by_gateway && existing->last.stamp > pass->start) continue;
        }
        std::optional<std::pair<std::uint64_t, status_flags>> before;
        if (!store_->shared()) {
            if (existing) before.emplace(existing->fingerprint, existing->flags);
        } else if (const auto row = stored.find(record.id); row != stored.end()) {
            before.emplace(row->second.fingerprint, row->second.flags);
            // Unchanged in the store but not yet in memory: memory learns the stored row.
            const bool memory_behind = !existing || existing->fingerprint != row->second.fingerprint ||
                                       existing->flags != row->second.flags;
            if (memory_behind && before->first == record.fingerprint && before->second == record.flags) {
                record.updated = row->second.updated;
                changes.push_back({i, mark, true});
                continue;
            }
        }
        if (!before) {
            // The very first pass cannot know when a customer last changed: its creation is
            // the best guess.
            record.updated = pass && pass->first && record.created != 0 ? record.created : now;
            batch->put_customer(record);
            ++counts.added;
            changes.push_back({i, mark, true});
            continue;
        }
        if (before->first == record.fingerprint && before->second == record.flags) {
            changes.push_back({i, mark, false});
            continue;
        }
        record.updated = now;
        batch->put_customer(record);
        ++counts.changed;
        changes.push_back({i, mark, true});
        if (record_transition(*batch, before->second, record, now)) {
            ++counts.transitions;
            deliveries += options_.callback_urls.size();
        }
    }
    if (!batch->commit()) return false;
    for (const auto id : marks_cleared) suspended_marks_.erase(id);
    {
        std::unique_lock lock(memory_mutex_);
        for (const auto& c : changes) {
            if (c.write)
                index_.put(records[c.record], c.mark);
            else
                index_.set_mark(records[c.record].id, c.mark);
        }
    }
    if (pass) {
        pass->summary.seen += counts.seen;
        pass->summary.added += counts.added;
        pass->summary.changed += counts.changed;
        pass->summary.transitions += counts.transitions;
    }
    queued += deliveries;
    return true;
}

bool stored_directory::take_stored(std::vector<customer_entry>& records, state_store::batch& batch,
                                   std::unordered_map<customer_id, customer_entry>& stored) {
    std::vector<customer_id> ids;
    ids.reserve(records.size());
    for (const auto& r : records) ids.push_back(r.id);
    std::sort(ids.begin(), ids.end());  // one lock order for every gateway
    std::vector<state_store::batch::locked_customer> rows;
    if (!batch.lock_customers(ids, rows)) return false;
    std::unordered_set<customer_id> marked;
    for (auto& row : rows) {
        if (row.marked) marked.insert(row.entry.id);
        const auto id = row.entry.id;
        stored.emplace(id, std::move(row.entry));
    }
    // The marks other gateways set or cleared count here as if set here.
    for (const auto id : ids) {
        if (marked.contains(id))
            suspended_marks_.try_emplace(id, clock_.load());
        else if (stored.contains(id))
            suspended_marks_.erase(id);
    }
    return true;
}

bool stored_directory::observe_unchanged(const customer_entry& record) {
    // An inactive record may be the gateway's suspension (apply_suspended_mark), which
    // the marks under store_mutex_ decide: leave it to apply().
    if (!record.flags.active && !record.flags.suspended) return false;
    // Both loads and the mark's update are sequentially consistent: either this sees a
    // change that began, or that change's decisions see the raised mark.
    const auto before = change_sequence_.load();
    if (before % 2 != 0) return false;
    {
        std::shared_lock lock(memory_mutex_);
        if (!index_.touch(record.id, record.fingerprint, record.flags, {.stamp = ++clock_, .by_gateway = true}))
            return false;
    }
    return change_sequence_.load() == before;
}

bool stored_directory::observe(std::string_view record_json, unix_seconds now) {
    // The same text as a record read before, still as the directory has it: nothing to parse.
    if (auto seen = memo_.find(record_json); seen && observe_unchanged(*seen)) return true;
    auto record = read_record(record_json);
    if (!record) return false;
    if (observe_unchanged(*record)) return true;
    const auto id = record->id;
    std::vector<customer_entry> records;
    records.push_back(std::move(*record));
    std::size_t queued = 0;
    {
        std::lock_guard lock(store_mutex_);
        if (!apply(records, now, nullptr, queued)) {
            report("observing customer " + std::to_string(id));
            return false;
        }
        removed_.erase(id);
    }
    if (queued > 0) wake();
    return true;
}

void stored_directory::observe_removed(customer_id id, unix_seconds) {
    std::lock_guard lock(store_mutex_);
    const auto stamp = ++clock_;
    const auto batch = store_->begin_batch();
    batch->remove_customer(id);
    batch->forget_gateway_state(id);
    if (!batch->commit()) {
        report("removing customer " + std::to_string(id));
        return;
    }
    forget_gateway_state(id);
    {
        std::unique_lock memory(memory_mutex_);
        index_.erase(id);
    }
    // Only a pass that began before now could bring it back.
    if (!running_passes_.empty()) removed_[id] = stamp;
}

// --- passes ---

std::unique_ptr<customer_directory::pass> stored_directory::begin_pass() {
    std::lock_guard lock(store_mutex_);
    pass_state state;
    state.start = ++clock_;
    state.first = !ready_.load();
    running_passes_.insert(state.start);
    return std::make_unique<refresh_pass>(shared_from_this(), state);
}

std::optional<std::size_t> stored_directory::observe_page(pass_state& pass, std::string_view page_json,
                                                          unix_seconds now) {
    auto records = reader_.read_page(page_json);
    if (!records) return std::nullopt;
    const auto count = records->size();
    keep_last_of_each_id(*records);
    std::size_t queued = 0;
    {
        std::lock_guard lock(store_mutex_);
        if (pass.finished) return std::nullopt;
        if (!apply(*records, now, &pass, queued)) {
            report("applying a page");
            return std::nullopt;
        }
    }
    if (queued > 0) wake();
    return count;
}

std::vector<customer_id> stored_directory::unseen(const pass_state& pass) const {
    // Changes to the index need store_mutex_, so holding it is enough to read.
    std::lock_guard lock(store_mutex_);
    return index_.marked_before(pass.start);
}

pass_summary stored_directory::finish(pass_state& pass) {
    std::lock_guard lock(store_mutex_);
    if (pass.finished) return {};
    const change_in_progress deciding(change_sequence_);
    const auto gone = index_.marked_before(pass.start);
    const auto batch = store_->begin_batch();
    for (const auto id : gone) {
        batch->remove_customer(id);
        batch->forget_gateway_state(id);
    }
    batch->set_ready();
    auto summary = pass.summary;
    if (batch->commit()) {
        for (const auto id : gone) forget_gateway_state(id);
        {
            std::unique_lock memory(memory_mutex_);
            index_.erase(gone);
            index_.shrink_to_fit();  // a first pass grows in steps; give the slack back
        }
        summary.removed = gone.size();
        ready_ = true;
    } else {
        report("finishing a pass");
    }
    end_pass(pass);
    return summary;
}

void stored_directory::abandon(pass_state& pass) {
    std::lock_guard lock(store_mutex_);
    if (!pass.finished) end_pass(pass);
}

void stored_directory::end_pass(pass_state& pass) {
    pass.finished = true;
    running_passes_.erase(running_passes_.find(pass.start));
    // A tombstone only matters to passes that began before it.
    if (running_passes_.empty()) {
        removed_.clear();
        return;
    }
    const auto oldest = *running_passes_.begin();
    std::erase_if(removed_, [oldest](const auto& tombstone) { return tombstone.second < oldest; });
}

// --- transitions and callbacks ---

template <class Result, class Read>
Result stored_directory::read_store(std::string_view context, Read read) const {
    Result out{};
    std::lock_guard lock(store_mutex_);
    if (!read(out)) {
        report(context);
        out = Result{};  // nothing half-read
    }
    return out;
}

template <class Write, class Committed>
void stored_directory::write_store(std::string_view context, Write write, Committed committed) {
    std::lock_guard lock(store_mutex_);
    const auto batch = store_->begin_batch();
    write(*batch);
    if (batch->commit())
        committed();
    else
        report(context);
}

std::vector<transition> stored_directory::transitions(unix_seconds from, unix_seconds to) const {
    return read_store<std::vector<transition>>("listing transitions",
                                               [&](auto& out) { return store_->transitions(from, to, out); });
}

std::optional<transition> stored_directory::find_transition(std::uint64_t id) const {
    return read_store<std::optional<transition>>("reading a transition",
                                                 [&](auto& out) { return store_->find_transition(id, out); });
}

std::vector<delivery> stored_directory::due_deliveries(unix_seconds now, std::size_t limit) const {
    return read_store<std::vector<delivery>>("reading the outbox",
                                             [&](auto& out) { return store_->due_deliveries(now, limit, out); });
}

std::optional<unix_seconds> stored_directory::next_delivery_due() const {
    return read_store<std::optional<unix_seconds>>("reading the outbox",
                                                   [&](auto& out) { return store_->next_delivery_due(out); });
}

outbox_summary stored_directory::outbox() const {
    return read_store<outbox_summary>("reading the outbox", [&](auto& out) { return store_->outbox(out); });
}

void stored_directory::delivered(std::uint64_t transition_id, const std::string& url) {
    write_store("marking a delivery done", [&](auto& batch) { batch.remove_delivery(transition_id, url); });
}

void stored_directory::retry_later(std::uint64_t transition_id, const std::string& url, unix_seconds due) {
    write_store("rescheduling a delivery", [&](auto& batch) { batch.retry_delivery(transition_id, url, due); });
}

void stored_directory::on_deliveries_queued(std::function<void()> wake) {
    std::lock_guard lock(wake_mutex_);
    wake_ = std::move(wake);
}

bool stored_directory::claim_delivery(std::uint64_t transition_id, const std::string& url, unix_seconds now,
                                      unix_seconds lease_until) {
    std::lock_guard lock(store_mutex_);
    bool claimed = false;
    if (!store_->claim_delivery(transition_id, url, now, lease_until, claimed)) {
        report("claiming a delivery");
        return false;
    }
    return claimed;
}

// --- shared state: following other gateways ---

void stored_directory::follow_changes() {
    while (!stopping_) {
        const auto changes = feed_->wait(std::chrono::milliseconds(200));
        if (!changes.empty()) apply_stored_changes(changes);
    }
}

void stored_directory::apply_stored_changes(const std::vector<stored_change>& changes) {
    using kind = stored_change::kind;
    std::vector<customer_id> customers, marks;
    bool deliveries = false;
    {
        std::lock_guard lock(store_mutex_);
        for (const auto& c : changes) {
            switch (c.what) {
            case kind::everything: reload_everything(); return;
            case kind::customer: customers.push_back(c.id); break;
            case kind::mark: marks.push_back(c.id); break;
            case kind::kept: {
                std::lock_guard kept(kept_ids_mutex_);
                with_kept_members_.insert(c.id);
                break;
            }
            case kind::ready: ready_ = true; break;  // set only once a pass finished
            case kind::delivery: deliveries = true; break;
            }
        }
        if (!marks.empty()) {
            std::vector<customer_id> marked;
            if (store_->suspended_marks(marks, marked)) {
                for (const auto id : marks) suspended_marks_.erase(id);
                for (const auto id : marked) suspended_marks_.try_emplace(id, ++clock_);
            } else {
                report("following suspended marks");
            }
        }
        if (!customers.empty()) {
            std::sort(customers.begin(), customers.end());
            customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
            std::vector<customer_entry> rows;
            if (store_->read_customers(customers, rows)) {
                const change_in_progress changing(change_sequence_);
                std::unique_lock memory(memory_mutex_);
                const auto present = put_stored(rows);
                for (const auto id : customers) {
                    if (present.contains(id)) continue;
                    index_.erase(id);
                    forget_gateway_state(id);
                }
            } else {
                report("following customers");
            }
        }
    }
    if (deliveries) wake();
}

std::unordered_set<customer_id> stored_directory::put_stored(const std::vector<customer_entry>& rows) {
    std::unordered_set<customer_id> present;
    for (const auto& row : rows) {
        present.insert(row.id);
        index_.put(row, {.stamp = ++clock_, .by_gateway = true});
    }
    return present;
}

void stored_directory::reload_everything() {
    // After the feed was lost: whatever it missed is in the store.
    try {
        std::vector<customer_entry> rows;
        rows.reserve(store_->count_customers());
        store_->read_customers([&](const customer_entry& e) { rows.push_back(e); });
        std::unordered_map<customer_id, std::uint64_t> marks;
        store_->read_suspended_marks([&](customer_id id) { marks.emplace(id, ++clock_); });
        std::unordered_set<customer_id> kept;
        store_->read_customers_with_kept_members([&](customer_id id) { kept.insert(id); });
        const bool ready = store_->read_ready();

        const change_in_progress changing(change_sequence_);
        std::unique_lock memory(memory_mutex_);
        const auto present = put_stored(rows);
        std::vector<customer_id> gone;
        for (const auto id : index_.marked_before(clock_.load() + 1))
            if (!present.contains(id)) gone.push_back(id);
        index_.erase(gone);
        suspended_marks_ = std::move(marks);
        std::lock_guard kept_ids(kept_ids_mutex_);
        with_kept_members_ = std::move(kept);
        if (ready) ready_ = true;
    } catch (const std::exception& e) {
        const auto line = store_->describe() + ": reading what other gateways changed: " + e.what() + "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);
    }
}

// --- autopay preferences ---

void stored_directory::set_autopay_preference(customer_id customer, std::uint64_t method, int preference) {
    write_store("writing an autopay preference", [&](auto& batch) { batch.set_autopay(customer, method, preference); });
}

std::optional<int> stored_directory::autopay_preference(std::uint64_t method) const {
    return read_store<std::optional<int>>("reading an autopay preference",
                                          [&](auto& out) { return store_->autopay_preference(method, out); });
}

void stored_directory::forget_autopay(customer_id customer) {
    write_store("forgetting autopay preferences", [&](auto& batch) { batch.forget_autopay(customer); });
}

void stored_directory::forget_payment_method(customer_id customer, std::uint64_t method, std::string_view kept_scope) {
    write_store("forgetting a payment method", [&](auto& batch) {
        batch.forget_method_preference(method);
        batch.forget_kept_scope(customer, kept_scope);
    });
}

// --- kept members and suspended marks ---

void stored_directory::keep_members(customer_id customer, std::string_view scope, std::string_view members_json) {
    write_store(
        "keeping members", [&](auto& batch) { batch.put_kept(customer, scope, members_json); },
        [&] {
            std::lock_guard kept(kept_ids_mutex_);
            with_kept_members_.insert(customer);
        });
}

std::vector<kept_members> stored_directory::kept(customer_id customer) const {
    return read_store<std::vector<kept_members>>("reading kept members", [&](auto& out) {
        return !keeps_members_of(customer) || store_->kept(customer, out);
    });
}

void stored_directory::mark_suspended(customer_id customer) {
    write_store(
        "marking customer " + std::to_string(customer) + " suspended",
        [&](auto& batch) { batch.set_suspended_mark(customer); },
        [&] { suspended_marks_.insert_or_assign(customer, ++clock_); });
}

void stored_directory::clear_suspended(customer_id customer) {
    write_store(
        "clearing customer " + std::to_string(customer) + "'s suspended mark",
        [&](auto& batch) { batch.clear_suspended_mark(customer); }, [&] { suspended_marks_.erase(customer); });
}

}  // namespace blubridge::directory
