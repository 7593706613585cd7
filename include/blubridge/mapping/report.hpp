#ifndef BLUBRIDGE_MAPPING_REPORT_HPP
#define BLUBRIDGE_MAPPING_REPORT_HPP

#include <string>
#include <vector>

namespace blubridge::mapping {

/// What a conversion tells its caller beyond the error code.
///
/// On failure `path` names the offending field so a 400 can say which one: an XML path
/// from the root element (`customer/billingContact/address/zip`, `customer/currency/@id`,
/// list items with a 1-based index: `addCustomerAndOrder/subscriptionOrders/subscriptionOrder[2]/term`)
/// or a JSON path (`Contact.Name`, `Subscriptions[0].Term`). `message` is a sentence
/// for the client and the log; it never contains the value of a secret field.
struct conversion_report {
    std::string path;
    std::string message;
    /// Every unknown element or attribute, as XML paths. With policy `reject` the call
    /// fails with error::unknown_element and lists them all here; with policy `ignore`
    /// the call succeeds and the gateway lists them in a response header and the log.
    std::vector<std::string> unknown;

    void clear()
    {
        path.clear();
        message.clear();
        unknown.clear();
    }
};

} // namespace blubridge::mapping

#endif
