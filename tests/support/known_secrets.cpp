#include <test_support/known_secrets.hpp>

#include <blubridge/auth/basic_authenticator.hpp>

namespace blubridge::test_support::known_secrets {

namespace {
// The base64 credentials alone: a log could show them without the scheme.
std::string basic_credentials(std::string_view user, std::string_view password) {
    return auth::make_basic_authorization(user, password).substr(std::string_view("Basic ").size());
}
}  // namespace

std::vector<secret> all() {
    std::vector<secret> out = {
        {"card number", std::string(card_number)},
        {"CVV", std::string(cvv)},
        {"bank account number", std::string(bank_account_number)},
        {"routing number", std::string(routing_number)},
        {"contact password", std::string(contact_password)},
        {"new contact password", std::string(new_contact_password)},
        {"client password", std::string(client_password)},
        {"client Authorization", basic_credentials(client_user, client_password)},
        {"Billagain API key", std::string(billagain_api_key)},
        {"Billagain Authorization", basic_credentials(billagain_account, billagain_api_key)},
        {"payment token", std::string(payment_token)},
        {"state database password", std::string(state_database_password)},
    };
    for (const auto number : more_card_numbers) out.push_back({"card number", std::string(number)});
    return out;
}

}  // namespace blubridge::test_support::known_secrets
