#pragma once
// The one set of secrets the integration suite sends (tests/gateway) and the leak scan
// (tests/security/no_secret_leak_test.cpp) looks for in every response and log line.
// Each value is unique in a test run, so finding the full value anywhere means a leak;
// masked forms (the last four digits) are not searched for.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::test_support::known_secrets {

/// The card the tests save (a Luhn-valid Visa test number no fixture or seed uses).
inline constexpr std::string_view card_number = "4000056655665556";
inline constexpr std::string_view card_last_four = "5556";
/// Further cards the preference tests save (well-known test numbers), searched for too.
inline constexpr std::array<std::string_view, 3> more_card_numbers = {"5555555555554444", "4012888888881881",
                                                                     "378282246310005"};
/// Not digits: a 3- or 4-digit value turns up by chance in ports, ids and times, and
/// neither the mapping nor Billagain checks the CVV's form.
inline constexpr std::string_view cvv = "cvv-known-7391";
inline constexpr std::string_view bank_account_number = "000493827165";
inline constexpr std::string_view bank_account_last_four = "7165";
inline constexpr std::string_view routing_number = "021000021";
/// The billing contact's password in the seed's customer (passwd, a secret field).
inline constexpr std::string_view contact_password = "Sachxwe001";
/// The password a contact update sends.
inline constexpr std::string_view new_contact_password = "n3w-Secret";

/// The gateway's client (Basic credentials of the legacy API).
inline constexpr std::string_view client_user = "legacy";
inline constexpr std::string_view client_password = "legacy-password";

/// The Billagain account and API key the gateway holds (and the sandbox expects).
inline constexpr std::string_view billagain_account = "1001";
inline constexpr std::string_view billagain_api_key = "sandbox-test-key";

/// The password of the PostgreSQL state database a test configuration names (`state:
/// postgresql: password_file:`): read at load, never in a log line, a refused reload's too.
inline constexpr std::string_view state_database_password = "pg-state-password-5821";

/// The payment token of the sandbox fixture's customers (config/sandbox-fixture.json):
/// Billagain sends it to the gateway, the gateway never passes it on.
inline constexpr std::string_view payment_token = "f8f3b996-6fa6-4140-af73-df688af6365a";

struct secret {
    std::string_view name;
    std::string value;
};

/// Every secret above, plus the two Basic Authorization values built from the
/// credentials (what a logged header would show). The user names and the account are
/// not secret and not listed.
std::vector<secret> all();

}  // namespace blubridge::test_support::known_secrets
