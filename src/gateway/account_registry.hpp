#pragma once
#include "customer_resolver.hpp"

#include <blubridge/directory/customer_directory.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace blubridge::gateway {

/// What the gateway keeps for one Billagain account: its customer directory and the
/// resolver over it. Clients of one account share it.
struct account {
    std::string id;
    std::shared_ptr<directory::customer_directory> directory;
    std::shared_ptr<customer_resolver> resolver;
    /// Counted by `ready()` (/readyz, systemd's STATUS=): the accounts of the start-up
    /// configuration. One a reload adds is not, so a new client never takes the whole
    /// gateway out of a load balancer; its directory routes answer 503 until it has synced.
    bool gates_readiness = true;
};

/// The accounts of the configured clients, by Billagain account id. Built at start-up and
/// by each reload (service_accounts); read-only once a runtime snapshot holds it.
class account_registry {
public:
    void add(account a) {
        auto id = a.id;
        accounts_.insert_or_assign(std::move(id), std::move(a));
    }
    const account* find(std::string_view id) const {
        auto it = accounts_.find(std::string(id));
        return it == accounts_.end() ? nullptr : &it->second;
    }
    /// Every account that gates readiness has completed a full sync of its directory.
    bool ready() const {
        for (const auto& [id, a] : accounts_)
            if (a.gates_readiness && !a.directory->ready()) return false;
        return true;
    }
    const std::map<std::string, account, std::less<>>& all() const { return accounts_; }

private:
    std::map<std::string, account, std::less<>> accounts_;
};

}  // namespace blubridge::gateway
