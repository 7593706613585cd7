#pragma once
// state_store in PostgreSQL: the directory of several gateways sharing one database.
#include "state_store.hpp"

#include "detail/pg.hpp"

#include <atomic>
#include <mutex>
#include <string>

namespace blubridge::directory {

/// Where and as whom (see directory_options::postgresql).
struct pg_target {
    std::string conninfo;
    std::string password;
    std::string account;
};

/// One connection for reads and writes, its statements prepared once (again after a
/// reconnect); a second one, opened on the first lead_refresh(), holds the refresh
/// leadership (a session advisory lock: released by the server when the holder dies); a
/// change_feed has its own. Every row carries the account, so accounts share a database.
/// Migrations (pg_schema) are applied at open.
///
/// A call that finds the connection lost reconnects first; a call that fails returns
/// false. Not thread-safe (the directory serialises it), except lead_refresh, which has
/// its own lock, and change feeds, which are independent.
class pg_state_store final : public state_store {
public:
    /// Connects, migrates and prepares. Throws std::runtime_error naming the database
    /// (never the password) when it cannot.
    explicit pg_state_store(pg_target target);

    std::string describe() const override;
    const std::string& last_error() const override { return error_; }
    std::unique_ptr<batch> begin_batch() override;

    bool read_ready() override;
    std::size_t count_customers() override;
    void read_customers(const std::function<void(const customer_entry&)>& sink) override;
    void read_suspended_marks(const std::function<void(customer_id)>& sink) override;
    void read_customers_with_kept_members(const std::function<void(customer_id)>& sink) override;

    bool transitions(unix_seconds from, unix_seconds to, std::vector<transition>& out) override;
    bool find_transition(std::uint64_t id, std::optional<transition>& out) override;
    bool due_deliveries(unix_seconds now, std::size_t limit, std::vector<delivery>& out) override;
    bool next_delivery_due(std::optional<unix_seconds>& out) override;
    bool outbox(outbox_summary& out) override;
    bool autopay_preference(std::uint64_t method, std::optional<int>& out) override;
    bool kept(customer_id customer, std::vector<kept_members>& out) override;

    bool shared() const override { return true; }
    bool read_customers(const std::vector<customer_id>& ids, std::vector<customer_entry>& out) override;
    bool find_reference(std::string_view ref, std::vector<customer_entry>& out) override;
    bool suspended_marks(const std::vector<customer_id>& ids, std::vector<customer_id>& out) override;
    bool claim_delivery(std::uint64_t transition_id, std::string_view url, unix_seconds now, unix_seconds lease_until,
                        bool& claimed) override;
    bool lead_refresh() override;
    std::unique_ptr<change_feed> listen() override;
    std::unique_ptr<shared_write_locks> open_write_locks() override;

private:
    class pg_batch;
    class pg_feed;
    class pg_write_locks;

    void connect();
    // Reconnects (and prepares again) when the connection was lost; false if it cannot.
    bool usable();
    // A statement's parameters, starting with the account ($1 of every statement).
    detail::pg_params params() const;
    detail::pg_result run(std::string_view statement, const detail::pg_params& params);
    bool fail(std::string_view what, const detail::pg_result& result);
    [[noreturn]] void fail_open(std::string_view what, const std::string& message) const;
    detail::pg_result read_at_open(std::string_view statement, const detail::pg_params& params, std::string_view what);

    const pg_target target_;
    detail::pg_connection db_;
    std::string error_;

    std::atomic<int> own_session_{0};  // the server process of db_: its NOTIFYs are not news

    std::mutex leader_mutex_;
    detail::pg_connection leader_;  // holds the refresh lock while connected
    bool leading_ = false;
};

}  // namespace blubridge::directory
