#!/usr/bin/env python3
"""Writes the handler fuzzer's seed corpus (corpus/): a valid request for each BluBilling route
on the fixture's customers, with the fuzz client's credentials, each without a fault and with a
few upstream faults (the first byte, see handler_fuzz.cpp). Run from anywhere."""
import base64
import pathlib

here = pathlib.Path(__file__).resolve().parent
data = here.parent.parent / "mapping" / "data"
out = here / "corpus"
auth = b"Authorization: Basic " + base64.b64encode(b"fuzz-client:fuzz-password-1") + b"\r\n"
separator = b"\r\n--upstream--\r\n"


def request(method: str, target: str, body: bytes = b"", extra: bytes = b"") -> bytes:
    head = f"{method} {target} HTTP/1.1\r\nHost: gateway\r\n".encode() + auth + extra
    if body or method in ("POST", "PUT"):
        head += f"Content-Type: application/xml\r\nContent-Length: {len(body)}\r\n".encode()
    return head + b"\r\n" + body


customer = (data / "customer_post.xml").read_bytes()
autopay = (data / "autopay_post.xml").read_bytes()
contact = b"<billingContact><firstName>Ada</firstName><emailPrimary>a@b.c</emailPrimary></billingContact>"
order = (b"<addCustomerAndOrder>" + customer + b"<subscriptionOrders><subscriptionOrder><packageId>305</packageId>"
         b"<packageRateTermId>10843</packageRateTermId><startDate>2016-12-15</startDate><term>1</term>"
         b"<termUnits>Months</termUnits></subscriptionOrder></subscriptionOrders></addCustomerAndOrder>")
routes = {
    "get-customer": request("GET", "/rest/customer/302?format=xml"),
    "get-customer-by-ref": request("GET", "/rest/customer?format=xml&extCustomerRef=12343453454"),
    "get-billing-contact": request("GET", "/rest/customer/302/billingContact?format=xml"),
    "get-sales-contact": request("GET", "/rest/customer/300/salesContact?format=xml"),
    "list-customers": request("GET", "/rest/customers?format=xml&offset=0&max=50&search=Bri"),
    "list-by-status": request("GET", "/rest/customers?format=xml&status=Active"),
    "transitions": request("GET", "/rest/customers/transitions?format=xml&daysAgo=30"),
    "create-customer": request("POST", "/rest/customers?format=xml", customer),
    "create-idempotent": request("POST", "/rest/customers?format=xml", customer, b"Idempotency-Key: k1\r\n"),
    "add-customer-and-order": request("POST", "/rest/customers?format=xml&actionName=addCustomerAndOrder", order),
    "update-customer": request("PUT", "/rest/customer/302?format=xml", customer),
    "update-by-ref": request("PUT", "/rest/customer?format=xml&extCustomerRef=123123111", customer),
    "update-contact": request("PUT", "/rest/customer/302/billingContact?format=xml", contact),
    "suspend": request("PUT", "/rest/customer/268?format=xml&actionName=suspend", b"<customer/>"),
    "activate": request("PUT", "/rest/customer/269?format=xml&actionName=activate", b"<customer/>"),
    "delete-customer": request("DELETE", "/rest/customer/303?format=xml"),
    "save-autopay": request("POST", "/rest/customer/302/autopay?format=xml", autopay),
    "list-autopay": request("GET", "/rest/customer/302/autopay?format=xml"),
    "readyz": b"GET /readyz HTTP/1.1\r\nHost: gateway\r\n\r\n",
    "no-credentials": b"GET /rest/customer/302?format=xml HTTP/1.1\r\nHost: gateway\r\n\r\n",
}
faults = {"": 0, "-500": 1, "-lost": 2, "-timeout": 3, "-cut": 4, "-409": 6, "-404-second": 7 | (1 << 3)}

out.mkdir(exist_ok=True)
for old in out.iterdir():
    old.unlink()
for name, raw in routes.items():
    for suffix, byte in faults.items():
        (out / f"{name}{suffix}").write_bytes(bytes([byte]) + raw)
(out / "get-customer-hostile-answer").write_bytes(
    bytes([5]) + routes["get-customer"] + separator + b'{"customerID":302,"Name":"\\u0000<&>","Email":[1,{"a":null}]}')
(out / "list-hostile-answer").write_bytes(
    bytes([5]) + routes["list-customers"] + separator + b'[{"customerID":"x"},null,7,{"customerID":302,"Reference":{"x":1}}]')
print(f"wrote {len(list(out.iterdir()))} seeds to {out}")
