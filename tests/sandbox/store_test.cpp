#define BOOST_TEST_MODULE sandbox store
#include "sandbox_test_support.hpp"

#include <sandbox/fixture_loader.hpp>
#include <sandbox/store.hpp>

using namespace blubridge::sandbox;
using sandbox_test::parse;

namespace {

store seeded() { return store(fixture_from_json(sandbox_test::fixture_text())); }

json_value ok_json(result<api_answer> r, unsigned status = 200) {
    BOOST_TEST_REQUIRE(r.has_value(), (r ? "" : r.error().message));
    BOOST_TEST(r->status == status);
    return parse(r->body);
}

std::vector<std::int64_t> ids_of(const json_value& list, const char* member = "customerID") {
    std::vector<std::int64_t> ids;
    for (const auto& item : list.items()) {
        std::int64_t id = 0;
        integer_from_text(item.find(member)->text(), id);
        ids.push_back(id);
    }
    return ids;
}

customer_create minimal_customer(const std::string& name) {
    customer_create c;
    c.fields.name = name;
    c.fields.currency_code = "ZAR";
    return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(fixture_customer_comes_back_with_money_digits_intact) {
    auto s = seeded();
    auto r = s.get_customer(10622, false);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->body.find("\"Balance\":1728.0667,") != std::string::npos);
    BOOST_TEST(r->body.find("\"CreatedDate\":\"2016-09-14T12:22:48.4214398+02:00\"") != std::string::npos);
    sandbox_test::check_seed_shape("customer_get_response", r->body);
    auto r302 = s.get_customer(302, false);
    BOOST_TEST(r302->body.find("\"Balance\":500.5000,") != std::string::npos);
    sandbox_test::check_seed_shape("customer_with_customfields_get_response", s.get_customer(10622, true)->body);
}

BOOST_AUTO_TEST_CASE(missing_customer_is_410_gone) {
    auto s = seeded();
    auto r = s.get_customer(999999, false);
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().status == 410u);
    BOOST_TEST(r.error().message == "Cannot find Customer for this Account");
    BOOST_TEST(s.delete_customer(999999).error().status == 410u);
    BOOST_TEST(s.set_customer_active(999999, false).error().status == 410u);
    BOOST_TEST(s.get_subscription(1).error().message == "Cannot find Subscription for this Account");
    BOOST_TEST(s.get_contact(1).error().status == 410u);
    BOOST_TEST(s.get_payment_method(1).error().status == 410u);
}

BOOST_AUTO_TEST_CASE(paging_in_creation_order) {
    store s;
    const auto [first, last] = s.bulk_create_customers(250);
    BOOST_TEST(first == 1);
    BOOST_TEST(last == 250);
    auto p1 = ok_json(s.list_customers(page_request{}, false));
    BOOST_TEST(p1.items().size() == 100u);
    BOOST_TEST(ids_of(p1).front() == 1);
    auto p3 = ok_json(s.list_customers(page_request{3, 100}, false));
    BOOST_TEST(p3.items().size() == 50u);
    BOOST_TEST(ids_of(p3).front() == 201);
    BOOST_TEST(ok_json(s.list_customers(page_request{4, 100}, false)).items().size() == 0u);
    auto big = ok_json(s.list_customers(page_request{2, 200}, false));
    BOOST_TEST(big.items().size() == 50u);
    // A new customer goes to the end; ids keep increasing.
    auto created = ok_json(s.create_customer(minimal_customer("Z")), 201);
    BOOST_TEST(created.find("customerID")->text() == "251");
}

BOOST_AUTO_TEST_CASE(fixture_order_and_next_ids) {
    auto s = seeded();
    auto all = ok_json(s.list_customers(page_request{}, false));
    BOOST_TEST((ids_of(all) == std::vector<std::int64_t>{302, 300, 10622, 268, 269, 303}));
    auto c = ok_json(s.create_customer(minimal_customer("New")), 201);
    BOOST_TEST(c.find("customerID")->text() == "10623");
}

BOOST_AUTO_TEST_CASE(by_customer_ids_creation_order_known_only_paged) {
    auto s = seeded();
    auto r = ok_json(s.customers_by_ids({300, 302, 12345, 300}, page_request{}));
    BOOST_TEST((ids_of(r) == std::vector<std::int64_t>{302, 300}));
    auto p2 = ok_json(s.customers_by_ids({300, 302, 10622}, page_request{2, 2}));
    BOOST_TEST((ids_of(p2) == std::vector<std::int64_t>{10622}));
    sandbox_test::check_seed_shape("by_customer_ids_response", s.customers_by_ids({300, 302}, page_request{})->body);
}

BOOST_AUTO_TEST_CASE(by_customer_ids_large_store) {
    store s;
    s.bulk_create_customers(5000);
    auto r = ok_json(s.customers_by_ids({4000, 17, 2500, 99999}, page_request{}));
    BOOST_TEST((ids_of(r) == std::vector<std::int64_t>{17, 2500, 4000}));
}

BOOST_AUTO_TEST_CASE(archive_and_reopen_toggle_is_active) {
    auto s = seeded();
    BOOST_TEST(s.set_customer_active(302, false)->status == 204u);
    auto c = ok_json(s.get_customer(302, false));
    BOOST_TEST(!c.find("isActive")->as_bool());
    BOOST_TEST(c.find("comp_status")->text() == "Archived");
    BOOST_TEST(s.set_customer_active(302, true)->status == 204u);
    c = ok_json(s.get_customer(302, false));
    BOOST_TEST(c.find("isActive")->as_bool());
    BOOST_TEST(c.find("comp_status")->text() == "Active");
}

BOOST_AUTO_TEST_CASE(active_subs_counted_from_subscription_status) {
    auto s = seeded();
    // 269: 10186 and 10205 run, 10185 is cancelled, 10206 ended in 2016 (expired).
    BOOST_TEST(ok_json(s.get_customer(269, false)).find("ActiveSubs")->text() == "2");
    BOOST_TEST(ok_json(s.get_customer(268, false)).find("ActiveSubs")->text() == "1");
    BOOST_TEST(ok_json(s.get_customer(300, false)).find("ActiveSubs")->text() == "0");
    auto sub = ok_json(s.get_subscription(10185));
    BOOST_TEST(sub.find("comp_Status")->text() == "Cancelled");
    BOOST_TEST(ok_json(s.get_subscription(10206)).find("comp_Status")->text() == "Expired");
    BOOST_TEST(ok_json(s.get_subscription(10206)).find("isExpired")->as_bool());
}

BOOST_AUTO_TEST_CASE(update_replaces_the_whole_record) {
    auto s = seeded();
    customer_fields f;
    f.name = "Jason";
    f.currency_code = "USD";
    f.is_waive_taxes = true;
    BOOST_TEST(s.update_customer(302, f)->status == 204u);
    auto c = ok_json(s.get_customer(302, false));
    BOOST_TEST(c.find("Name")->text() == "Jason");
    BOOST_TEST(c.find("Email")->is_null());  // left out of the PUT: cleared, as Billagain does
    BOOST_TEST(c.find("CurrencyCode")->text() == "USD");
    BOOST_TEST(c.find("Balance")->text() == "500.5000");  // not writable: kept
    BOOST_TEST(c.find("CreatedDate")->text() == "2016-03-11T16:34:53.8018224+02:00");
}

BOOST_AUTO_TEST_CASE(delete_takes_the_customers_records_along) {
    auto s = seeded();
    BOOST_TEST(s.delete_customer(269)->status == 204u);
    BOOST_TEST(s.get_customer(269, false).error().status == 410u);
    BOOST_TEST(s.get_subscription(10186).error().status == 410u);
    auto subs = ok_json(s.list_subscriptions(page_request{}));
    BOOST_TEST((ids_of(subs, "subscriptionID") == std::vector<std::int64_t>{10207}));
    BOOST_TEST(s.delete_customer(302)->status == 204u);
    BOOST_TEST(s.get_payment_method(20406).error().status == 410u);
}

BOOST_AUTO_TEST_CASE(create_with_parts_is_one_write) {
    auto s = seeded();
    auto parsed = parse_customer_create(parse(sandbox_test::seed("customer_create_request")));
    BOOST_TEST_REQUIRE(parsed.has_value());
    auto c = ok_json(s.create_customer(*parsed), 201);
    sandbox_test::check_seed_shape("customer_create_response", s.create_customer(*parsed)->body);
    BOOST_TEST(c.find("ActiveSubs")->text() == "1");
    BOOST_TEST(c.find("Contact")->find("Name")->text() == "Joe");
    BOOST_TEST(c.find("Contact")->find("Password") == nullptr);
    const auto* card = c.find("PrimaryPaymentMethod")->find("CreditCard");
    BOOST_TEST(card->find("LastFourDigits")->text() == "42424242424242");  // as the seed shows
    BOOST_TEST(card->find("CVV") == nullptr);
    BOOST_TEST(card->find("ExpiryMonth")->text() == "8");
    // Afterwards only the last four digits are kept.
    std::int64_t pm_id = 0;
    integer_from_text(c.find("PrimaryPaymentMethod")->find("paymentMethodID")->text(), pm_id);
    auto pm = ok_json(s.get_payment_method(pm_id));
    BOOST_TEST(pm.find("CreditCard")->find("LastFourDigits")->text() == "4242");
    auto got = ok_json(s.get_customer(10623, false));
    BOOST_TEST(got.find("PrimaryPaymentMethodInfo")->find("paymentMethodID")->text() == std::to_string(pm_id));
    BOOST_TEST(got.find("PrimaryPaymentMethodInfo")->find("Token")->text().size() == 36u);
}

BOOST_AUTO_TEST_CASE(invalid_part_writes_nothing) {
    auto s = seeded();
    const auto before = s.customer_count();
    auto doc = sandbox_test::seed("customer_create_request");
    const auto pos = doc.find("\"15 Dec 2016\"");
    doc.replace(pos, 13, "\"not a date\"");
    auto parsed = parse_customer_create(parse(doc));
    BOOST_TEST_REQUIRE(!parsed.has_value());
    BOOST_TEST(parsed.error().status == 400u);
    BOOST_TEST(parsed.error().message.find("Subscriptions[0].StartDate") != std::string::npos);
    BOOST_TEST(s.customer_count() == before);
}

BOOST_AUTO_TEST_CASE(subscription_lifecycle) {
    auto s = seeded();
    auto in = parse_subscription(parse(sandbox_test::seed("subscription_create_request")));
    BOOST_TEST_REQUIRE(in.has_value());
    auto created = ok_json(s.create_subscription(*in), 201);
    sandbox_test::check_seed_shape("subscription_create_response", s.create_subscription(*in)->body);
    std::int64_t id = 0;
    integer_from_text(created.find("subscriptionID")->text(), id);
    BOOST_TEST(id == 10208);
    BOOST_TEST(created.find("StartDate")->text() == "2016-01-04T00:00:00+00:00");
    BOOST_TEST(created.find("comp_Status")->text() == "Active");

    cancel_input cancel{"immediate", "nocredit", "invoice", "test"};
    BOOST_TEST(s.cancel_subscription(id, cancel)->status == 204u);
    auto sub = ok_json(s.get_subscription(id));
    BOOST_TEST(sub.find("comp_Status")->text() == "Cancelled");
    BOOST_TEST(sub.find("isCancelled")->as_bool());
    BOOST_TEST(s.cancel_subscription(id, cancel).error().status == 400u);

    auto re = parse_reactivate(parse(sandbox_test::seed("subscription_reactivate_request")));
    BOOST_TEST_REQUIRE(re.has_value());
    BOOST_TEST(s.reactivate_subscription(id, *re)->status == 204u);
    sub = ok_json(s.get_subscription(id));
    BOOST_TEST(sub.find("comp_Status")->text() == "Active");
    BOOST_TEST(sub.find("StartDate")->text() == "2017-01-24T00:00:00+00:00");
    BOOST_TEST(s.reactivate_subscription(id, *re).error().status == 400u);  // not cancelled now

    change_package_input later{303, 291, 296, std::nullopt, parse_billagain_time("2100-01-01"), true};
    BOOST_TEST(s.change_package(id, later)->status == 204u);
    sub = ok_json(s.get_subscription(id));
    BOOST_TEST(sub.find("isFutureChange")->as_bool());
    BOOST_TEST(sub.find("packageID")->text() == "290");
    BOOST_TEST(s.remove_future_changes(id)->status == 204u);
    BOOST_TEST(!ok_json(s.get_subscription(id)).find("isFutureChange")->as_bool());

    record_usage_input usage{103, 303, 100, false};
    BOOST_TEST(s.record_usage(id, usage)->status == 204u);
    sub = ok_json(s.get_subscription(id));
    BOOST_TEST(sub.find("componentUsage")->items()[0].find("NumUnits")->text() == "101");
    usage.is_decrease = true;
    usage.quantity = 1000;
    BOOST_TEST(s.record_usage(id, usage).error().status == 400u);
    usage.component_id = 999;
    BOOST_TEST(s.record_usage(id, usage).error().status == 400u);
    usage.customer_id = 302;
    BOOST_TEST(s.record_usage(id, usage).error().status == 400u);
}

BOOST_AUTO_TEST_CASE(cancel_at_renewal_keeps_running_until_then) {
    auto s = seeded();
    BOOST_TEST(s.cancel_subscription(10186, cancel_input{"renewal", "nocredit", "invoice", "x"})->status == 204u);
    auto sub = ok_json(s.get_subscription(10186));
    BOOST_TEST(sub.find("isCancelled")->as_bool());
    BOOST_TEST(sub.find("comp_Status")->text() == "Active");
    BOOST_TEST(!sub.find("EndDate")->is_null());
    BOOST_TEST(ok_json(s.get_customer(269, false)).find("ActiveSubs")->text() == "2");
}

BOOST_AUTO_TEST_CASE(payment_methods_primary_rules) {
    auto s = seeded();
    payment_method_input bank;
    bank.customer_id = 300;
    bank.type = payment_method::kind::bank_account;
    bank.account_holder = "V Lawrence";
    bank.number = "62001234567";
    auto first = ok_json(s.create_payment_method(bank), 201);
    BOOST_TEST(first.find("isPrimary")->as_bool());  // a customer's first method is primary
    BOOST_TEST(first.find("BankAccount")->find("LastFourDigits")->text() == "62001234567");
    auto second = ok_json(s.create_payment_method(bank), 201);
    BOOST_TEST(!second.find("isPrimary")->as_bool());
    std::int64_t a = 0, b = 0;
    integer_from_text(first.find("paymentMethodID")->text(), a);
    integer_from_text(second.find("paymentMethodID")->text(), b);
    BOOST_TEST(s.set_primary_payment_method(b)->status == 204u);
    BOOST_TEST(!ok_json(s.get_payment_method(a)).find("isPrimary")->as_bool());
    auto c = ok_json(s.get_customer(300, false));
    BOOST_TEST(c.find("PrimaryPaymentMethodInfo")->find("paymentMethodID")->text() == std::to_string(b));
    BOOST_TEST(s.delete_payment_method(b)->status == 204u);
    c = ok_json(s.get_customer(300, false));
    BOOST_TEST(c.find("PrimaryPaymentMethodInfo")->find("paymentMethodID")->text() == std::to_string(a));
    auto list = ok_json(s.list_customer_payment_methods(300, page_request{}));
    BOOST_TEST(list.items().size() == 1u);
    BOOST_TEST(list.items()[0].find("BankAccount")->find("LastFourDigits")->text() == "4567");
}

BOOST_AUTO_TEST_CASE(contacts_crud) {
    auto s = seeded();
    contact_input in;
    in.customer_id = 300;
    in.name = "Vaughan";
    in.last_name = "Lawrence";
    auto c = ok_json(s.create_contact(in), 201);
    BOOST_TEST((sandbox_test::member_names(c) == std::vector<std::string>{"customerID", "customerContactID", "Name",
                                                                         "LastName", "Email", "Cell", "Username",
                                                                         "isActive"}));
    BOOST_TEST(c.find("Username")->text().starts_with("LawV"));
    std::int64_t id = 0;
    integer_from_text(c.find("customerContactID")->text(), id);
    in.email = "v@example.com";
    in.customer_id.reset();
    BOOST_TEST(s.update_contact(id, in)->status == 204u);
    BOOST_TEST(ok_json(s.get_contact(id)).find("Email")->text() == "v@example.com");
    BOOST_TEST(ok_json(s.list_customer_contacts(300, page_request{})).items().size() == 1u);
    BOOST_TEST(ok_json(s.list_contacts(page_request{})).items().size() == 2u);
    BOOST_TEST(s.delete_contact(id)->status == 204u);
    BOOST_TEST(s.get_contact(id).error().status == 410u);
    BOOST_TEST(s.list_customer_contacts(4242, page_request{}).error().status == 410u);
}

BOOST_AUTO_TEST_CASE(reset_goes_back_to_the_fixture) {
    auto s = seeded();
    s.bulk_create_customers(10);
    s.delete_customer(302);
    s.reset();
    BOOST_TEST(s.customer_count() == 6u);
    BOOST_TEST(s.get_customer(302, false).has_value());
    store empty;
    empty.bulk_create_customers(3);
    empty.reset();
    BOOST_TEST(empty.customer_count() == 0u);
}
