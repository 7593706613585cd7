#!/usr/bin/env python3
"""Writes the request fuzzer's seed corpus (corpus/): every tests/http/corpus/*.http as the
raw bytes it stands for (format: tests/support/test_support/http_corpus.hpp; {AUTH} becomes
an Authorization field), plus valid requests for each gateway route. Run from anywhere."""
import pathlib
import re

here = pathlib.Path(__file__).resolve().parent
source = here.parent / "corpus"
out = here / "corpus"
auth = b"Authorization: Basic Y2xpZW50OnNlY3JldA==\r\n"
escapes = {"r": b"\r", "n": b"\n", "t": b"\t", "\\": b"\\"}


def decode(line: str) -> bytes:
    result, i = bytearray(), 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            if line[i + 1] == "x":
                result.append(int(line[i + 2:i + 4], 16))
                i += 4
                continue
            result += escapes[line[i + 1]]
            i += 2
        elif line.startswith("{AUTH}", i):
            result += auth
            i += len("{AUTH}")
        elif (m := re.match(r"\{(\d+):(.)\}", line[i:])):
            result += m.group(2).encode() * int(m.group(1))
            i += len(m.group(0))
        else:
            result += c.encode()
            i += 1
    return bytes(result)


def request(method: str, target: str, body: bytes = b"", chunked: bool = False) -> bytes:
    head = f"{method} {target} HTTP/1.1\r\nHost: gateway\r\n".encode() + auth
    if chunked:
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    if body or method in ("POST", "PUT"):
        head += f"Content-Type: application/xml\r\nContent-Length: {len(body)}\r\n".encode()
    return head + b"\r\n" + body


customer = b"<customer><firstName>Ada</firstName><lastName>Lovelace</lastName></customer>"
valid = {
    "get-customer": request("GET", "/rest/customer/366?format=xml"),
    "get-customer-by-ref": request("GET", "/rest/customer?format=xml&extCustomerRef=bj444"),
    "get-billing-contact": request("GET", "/rest/customer/7/billingContact?format=xml"),
    "get-sales-contact": request("GET", "/rest/customer/7/salesContact?format=xml"),
    "list-customers": request("GET", "/rest/customers?format=xml&offset=0&max=50&createStartTime=201012310000&createEndTime=201101010000"),
    "create-customer": request("POST", "/rest/customers?format=xml", customer),
    "create-customer-chunked": request("POST", "/rest/customers?format=xml", customer, chunked=True),
    "update-customer": request("PUT", "/rest/customer/5?format=xml", customer),
    "update-contact": request("PUT", "/rest/customer/5/billingContact?format=xml", b"<contact><email>a@b.c</email></contact>"),
    "delete-customer": request("DELETE", "/rest/customer/5?format=xml"),
    "save-autopay": request("POST", "/rest/customer/9/autopay?format=xml&validate=true", b"<autopay><type>card</type></autopay>"),
    "list-autopay": request("GET", "/rest/customer/9/autopay?format=xml"),
    "suspend": request("PUT", "/rest/customer/3?format=xml&actionName=suspend"),
    "activate-by-ref": request("PUT", "/rest/customer?format=xml&extCustomerRef=z&actionName=activate"),
    "add-customer-and-order": request("POST", "/rest/customers?format=xml&actionName=addCustomerAndOrder", customer),
    "transitions": request("GET", "/rest/customers/transitions?format=xml&startDate=2010-12-01&endDate=2010-12-31"),
    "transitions-days-ago": request("GET", "/rest/customers/transitions?daysAgo=7"),
    "readyz": b"GET /readyz HTTP/1.1\r\nHost: gateway\r\n\r\n",
    "http10-keepalive-pipelined": b"GET /rest/customer/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                  + request("GET", "/rest/customers/5/paymentPlan?format=xml"),
    "expect-continue": request("PUT", "/rest/customer/5", customer).replace(b"Host:", b"Expect: 100-continue\r\nHost:", 1),
}

out.mkdir(exist_ok=True)
for path in sorted(source.glob("*.http")):
    lines = [l for l in path.read_text().splitlines() if not l.startswith("#")]
    (out / f"malformed-{path.stem}").write_bytes(b"".join(decode(l) for l in lines))
for name, data in valid.items():
    (out / f"valid-{name}").write_bytes(data)
