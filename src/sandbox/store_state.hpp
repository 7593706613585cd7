#pragma once
// Everything the sandbox knows, as one copyable value: the store swaps it under its lock on
// reset, and the fixture loader builds one.
#include "model.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace blubridge::sandbox {

/// Records by id, plus their creation order (Billagain lists are ordered by creation).
template <class T>
class keyed_list {
public:
    T* find(std::int64_t id) {
        auto it = items_.find(id);
        return it == items_.end() ? nullptr : &it->second.value;
    }
    const T* find(std::int64_t id) const {
        auto it = items_.find(id);
        return it == items_.end() ? nullptr : &it->second.value;
    }
    bool contains(std::int64_t id) const { return items_.count(id) != 0; }
    /// Position in creation order as a sortable key (not an index: gaps after erase).
    std::optional<std::uint64_t> creation_rank(std::int64_t id) const {
        auto it = items_.find(id);
        if (it == items_.end()) return std::nullopt;
        return it->second.rank;
    }
    /// Appends; the caller guarantees the id is new. References stay valid (node map).
    T& insert(T value) {
        const auto id = value.id;
        order_.push_back(id);
        return items_.emplace(id, node{next_rank_++, std::move(value)}).first->second.value;
    }
    bool erase(std::int64_t id) {
        if (items_.erase(id) == 0) return false;
        order_.erase(std::find(order_.begin(), order_.end(), id));
        return true;
    }
    const std::vector<std::int64_t>& order() const { return order_; }
    std::size_t size() const { return order_.size(); }
    void reserve(std::size_t n) {
        items_.reserve(n);
        order_.reserve(n);
    }

private:
    struct node {
        std::uint64_t rank;
        T value;
    };
    std::unordered_map<std::int64_t, node> items_;
    std::vector<std::int64_t> order_;
    std::uint64_t next_rank_ = 0;
};

/// customerID -> ids of a child record kind, in creation order.
using child_index = std::unordered_map<std::int64_t, std::vector<std::int64_t>>;

inline void index_add(child_index& index, std::int64_t parent, std::int64_t child) { index[parent].push_back(child); }
inline void index_remove(child_index& index, std::int64_t parent, std::int64_t child) {
    auto it = index.find(parent);
    if (it == index.end()) return;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), child), v.end());
    if (v.empty()) index.erase(it);
}

struct store_state {
    keyed_list<customer> customers;
    keyed_list<subscription> subscriptions;
    keyed_list<contact> contacts;
    keyed_list<payment_method> payment_methods;
    child_index subscriptions_by_customer;
    child_index contacts_by_customer;
    child_index payment_methods_by_customer;
    /// packageID -> PackageName (Billagain's package catalogue, as far as the fixture knows it).
    std::unordered_map<std::int64_t, std::string> package_names;

    std::int64_t next_customer_id = 1;
    std::int64_t next_subscription_id = 1;
    std::int64_t next_contact_id = 1;
    std::int64_t next_payment_method_id = 1;
};

}  // namespace blubridge::sandbox
