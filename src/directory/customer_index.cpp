#include "customer_index.hpp"

#include "detail/entry_text.hpp"
#include "detail/fnv1a.hpp"
#include "detail/text_fold.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace blubridge::directory {
namespace {

constexpr std::uint8_t active_bit = 1, suspended_bit = 2;

using detail::name_separator;

// The byte after the name: the second separator.
std::size_t name_end(std::string_view text) {
    const auto first = text.find(detail::field_separator);
    return first == std::string_view::npos ? first : text.find(detail::field_separator, first + 1);
}

// Shrinking copies the whole vector: at 1,000,000 customers the slots are a 64 MB copy
// beside the original, the gateway's peak RSS after a first sync. Only when it pays.
template <class Vector>
void shrink_if_slack(Vector& v) {
    if (v.capacity() - v.size() > v.size() / 8) v.shrink_to_fit();
}

bool in_range(unix_seconds t, const std::optional<unix_seconds>& from, const std::optional<unix_seconds>& to) {
    return (!from || t >= *from) && (!to || t <= *to);
}

}  // namespace

std::string_view customer_index::slot::reference() const {
    return detail::field_of(text_view(), detail::text_field::reference);
}
status_flags customer_index::slot::flags() const {
    return {.active = (bits & active_bit) != 0, .suspended = (bits & suspended_bit) != 0};
}

customer_index::mark customer_index::stored_mark::load() const {
    const auto word = word_.load();
    return {.stamp = word >> 1, .by_gateway = (word & 1u) != 0};
}

void customer_index::stored_mark::raise(mark m) {
    const auto wanted = encode(m);
    auto current = word_.load();
    while ((current >> 1) < m.stamp && !word_.compare_exchange_weak(current, wanted)) {
    }
}

std::size_t customer_index::by_reference::hash() const { return static_cast<std::size_t>(detail::fnv1a_hash(reference)); }

customer_index::customer_index()
    : ids_(0, slot_hash<by_id>{this}, slot_equal<by_id>{this}),
      references_(0, slot_hash<by_reference>{this}, slot_equal<by_reference>{this}) {}

void customer_index::reserve(std::size_t n) {
    slots_.reserve(n);
    order_.reserve(n);
    ids_.reserve(n);
    references_.reserve(n);
}

void customer_index::shrink_to_fit() {
    if (!free_.empty())
        compact();
    else if (stale_texts_ > order_.size() / 4)  // most passes change little: rebuild rarely
        rebuild_search_index();
    search_index_.shrink_to_fit();
    shrink_if_slack(slots_);
    shrink_if_slack(order_);
    free_.shrink_to_fit();
    ids_.rehash(0);
    references_.rehash(0);
}

bool customer_index::assign(slot& s, const customer_entry& entry, mark m) {
    const auto name_at = name_end(entry.text);
    const auto old_text = s.text_view();
    // Equal unless the one byte memory changes (the name separator) differs.
    const bool same_text = s.text && old_text.size() == entry.text.size() &&
                           std::equal(old_text.begin(), old_text.end(), entry.text.begin(),
                                      [&, i = std::size_t{0}](char kept, char given) mutable {
                                          return kept == (i++ == name_at ? name_separator : given);
                                      });
    s.id = entry.id;
    s.fingerprint = entry.fingerprint;
    s.created = entry.created;
    s.updated = entry.updated;
    if (!s.text || s.text_size != entry.text.size()) {
        s.text = std::make_unique_for_overwrite<char[]>(entry.text.size());
        s.text_size = static_cast<std::uint32_t>(entry.text.size());
    }
    std::memcpy(s.text.get(), entry.text.data(), entry.text.size());
    if (name_at != std::string_view::npos) s.text[name_at] = name_separator;
    s.bits = static_cast<std::uint8_t>((entry.flags.active ? active_bit : 0) | (entry.flags.suspended ? suspended_bit : 0));
    s.last.store(m);
    return !same_text;
}

customer_entry customer_index::to_entry(const slot& s) const {
    customer_entry entry;
    entry.id = s.id;
    entry.fingerprint = s.fingerprint;
    entry.created = s.created;
    entry.updated = s.updated;
    entry.flags = s.flags();
    entry.text.assign(s.text_view());
    std::replace(entry.text.begin(), entry.text.end(), name_separator, detail::field_separator);
    return entry;
}

std::optional<customer_index::slot_number> customer_index::slot_of(customer_id id) const {
    const auto it = ids_.find(by_id{id});
    if (it == ids_.end()) return std::nullopt;
    return *it;
}

std::vector<customer_index::slot_number>::iterator customer_index::order_position(customer_id id) {
    return std::lower_bound(order_.begin(), order_.end(), id,
                            [this](slot_number s, customer_id key) { return slots_[s].id < key; });
}

void customer_index::put(const customer_entry& entry, mark m) {
    if (const auto existing = slot_of(entry.id)) {
        // The reference index hashes the slot's text: unlink before it changes.
        const bool same_reference = slots_[*existing].reference() == entry.reference();
        if (!same_reference) unlink_reference(*existing);
        if (assign(slots_[*existing], entry, m)) {
            ++stale_texts_;
            search_index_.add(*existing, slots_[*existing].text_view());
        }
        if (!same_reference) link_reference(*existing);
        return;
    }
    slot_number s;
    if (!free_.empty()) {
        s = free_.back();
        free_.pop_back();
    } else {
        s = static_cast<slot_number>(slots_.size());
        slots_.emplace_back();
    }
    assign(slots_[s], entry, m);
    search_index_.add(s, slots_[s].text_view());
    ids_.insert(s);
    link_reference(s);
    // Billagain's ids grow, so this is nearly always an append.
    if (order_.empty() || slots_[order_.back()].id < entry.id)
        order_.push_back(s);
    else
        order_.insert(order_position(entry.id), s);
}

void customer_index::set_mark(customer_id id, mark m) {
    if (const auto s = slot_of(id)) slots_[*s].last.store(m);
}

bool customer_index::touch(customer_id id, std::uint64_t fingerprint, status_flags flags, mark m) {
    const auto s = slot_of(id);
    if (!s) return false;
    auto& e = slots_[*s];
    if (e.fingerprint != fingerprint || e.flags() != flags) return false;
    e.last.raise(m);
    return true;
}

bool customer_index::erase(customer_id id) {
    const auto it = ids_.find(by_id{id});
    if (it == ids_.end()) return false;
    const auto s = *it;
    unlink_reference(s);
    ids_.erase(it);
    order_.erase(order_position(id));
    release(s);
    return true;
}

void customer_index::erase(const std::vector<customer_id>& ids) {
    if (ids.empty()) return;
    for (const auto id : ids) {
        const auto it = ids_.find(by_id{id});
        if (it == ids_.end()) continue;
        const auto s = *it;
        unlink_reference(s);
        ids_.erase(it);
        release(s);
    }
    std::erase_if(order_, [this](slot_number s) { return !slots_[s].text; });
}

void customer_index::release(slot_number s) {
    slots_[s] = slot{};
    ++stale_texts_;
    free_.push_back(s);
}

void customer_index::link_reference(slot_number s) {
    auto& linked = slots_[s];
    linked.next_same_reference = no_slot;
    const auto reference = linked.reference();
    if (reference.empty()) return;
    const auto it = references_.find(by_reference{reference});
    if (it == references_.end()) {
        references_.insert(s);
        return;
    }
    auto& head = slots_[*it];
    linked.next_same_reference = head.next_same_reference;
    head.next_same_reference = s;
}

void customer_index::unlink_reference(slot_number s) {
    auto& unlinked = slots_[s];
    const auto reference = unlinked.reference();
    if (reference.empty()) return;
    const auto it = references_.find(by_reference{reference});
    if (it == references_.end()) return;
    if (*it == s) {
        references_.erase(it);
        if (unlinked.next_same_reference != no_slot) references_.insert(unlinked.next_same_reference);
    } else {
        auto previous = *it;
        while (slots_[previous].next_same_reference != s) previous = slots_[previous].next_same_reference;
        slots_[previous].next_same_reference = unlinked.next_same_reference;
    }
    unlinked.next_same_reference = no_slot;
}

// Packs the live slots in id order (so the query walks memory forwards) and rebuilds the
// indexes, whose slot numbers all change.
void customer_index::compact() {
    std::vector<slot> packed;
    packed.reserve(order_.size());
    for (const auto s : order_) packed.push_back(std::move(slots_[s]));
    slots_ = std::move(packed);
    free_.clear();
    ids_.clear();
    references_.clear();
    for (slot_number s = 0; s < slots_.size(); ++s) {
        order_[s] = s;
        ids_.insert(s);
        link_reference(s);
    }
    rebuild_search_index();
}

void customer_index::rebuild_search_index() {
    search_index_.clear();
    for (const auto s : order_) search_index_.add(s, slots_[s].text_view());
    stale_texts_ = 0;
}

std::optional<customer_index::entry_view> customer_index::peek(customer_id id) const {
    const auto s = slot_of(id);
    if (!s) return std::nullopt;
    const auto& e = slots_[*s];
    return entry_view{.id = e.id,
                      .fingerprint = e.fingerprint,
                      .created = e.created,
                      .updated = e.updated,
                      .flags = e.flags(),
                      .text = e.text_view(),
                      .last = e.last.load()};
}

std::optional<customer_entry> customer_index::find(customer_id id) const {
    const auto s = slot_of(id);
    if (!s) return std::nullopt;
    return to_entry(slots_[*s]);
}

std::vector<customer_id> customer_index::find_by_reference(std::string_view reference) const {
    std::vector<customer_id> ids;
    if (reference.empty()) return ids;
    const auto it = references_.find(by_reference{reference});
    if (it == references_.end()) return ids;
    for (auto s = *it; s != no_slot; s = slots_[s].next_same_reference) ids.push_back(slots_[s].id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<customer_id> customer_index::marked_before(std::uint64_t stamp) const {
    std::vector<customer_id> ids;
    for (const auto s : order_)
        if (slots_[s].last.load().stamp < stamp) ids.push_back(slots_[s].id);
    return ids;
}

query_page customer_index::query(const customer_query& q) const {
    // No field holds a separator, so such a search matches nobody.
    if (q.search.find(detail::field_separator) != std::string::npos) return {};
    const auto term = detail::folded(q.search);
    if (term.size() >= search_index::shortest_term) return search(q, term);
    return scan(q, term);
}

bool customer_index::matches(const slot& e, const customer_query& q, std::string_view term) const {
    if (q.statuses && !(*q.statuses)[e.flags().index()]) return false;
    if (!in_range(e.created, q.created_from, q.created_to) || !in_range(e.updated, q.updated_from, q.updated_to))
        return false;
    return term.empty() || detail::contains_folded(e.text_view(), term);
}

// Every entry in id order: no term, or one too short for a trigram.
query_page customer_index::scan(const customer_query& q, std::string_view term) const {
    query_page page;
    const bool filtered = q.statuses || q.created_from || q.created_to || q.updated_from || q.updated_to ||
                          !term.empty();
    if (!filtered) {  // a plain page: a slice of the id order
        page.matched = order_.size();
        for (auto i = q.offset; i < order_.size() && page.ids.size() < q.max; ++i) page.ids.push_back(slots_[order_[i]].id);
        return page;
    }
    for (const auto s : order_) {
        const auto& e = slots_[s];
        if (!matches(e, q, term)) continue;
        if (page.matched >= q.offset && page.ids.size() < q.max) page.ids.push_back(e.id);
        ++page.matched;
    }
    return page;
}

// Only the blocks the trigram index names, each entry in them checked as scan() would.
query_page customer_index::search(const customer_query& q, std::string_view term) const {
    std::vector<customer_id> found;
    for (const auto block : search_index_.candidate_blocks(term)) {
        const auto first = static_cast<std::size_t>(block) * search_index::block_size;
        const auto last = std::min(first + search_index::block_size, slots_.size());
        for (auto s = first; s < last; ++s) {
            const auto& e = slots_[s];
            if (e.text && matches(e, q, term)) found.push_back(e.id);
        }
    }
    // Slots are in id order but for reused ones (until the next compaction).
    if (!std::is_sorted(found.begin(), found.end())) std::sort(found.begin(), found.end());
    query_page page;
    page.matched = found.size();
    if (q.offset < found.size()) {
        const auto count = std::min<std::uint64_t>(q.max, found.size() - q.offset);
        page.ids.assign(found.begin() + static_cast<std::ptrdiff_t>(q.offset),
                        found.begin() + static_cast<std::ptrdiff_t>(q.offset + count));
    }
    return page;
}

}  // namespace blubridge::directory
