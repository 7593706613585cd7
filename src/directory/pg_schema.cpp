#include "pg_schema.hpp"

#include <array>

namespace blubridge::directory {
namespace {

// Several Billagain accounts share one database: every row names its account.
// Ids and fingerprints are unsigned 64-bit values kept as BIGINT of the same bits.
constexpr std::string_view initial = R"sql(
CREATE TABLE meta(
  account TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(account, key));
CREATE TABLE customers(
  account TEXT NOT NULL,
  id BIGINT NOT NULL,
  fingerprint BIGINT NOT NULL,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  active BOOLEAN NOT NULL,
  suspended BOOLEAN NOT NULL,
  reference TEXT NOT NULL,
  name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  company TEXT NOT NULL,
  email TEXT NOT NULL,
  PRIMARY KEY(account, id));
CREATE INDEX customers_by_reference ON customers(account, reference);
CREATE TABLE transitions(
  id BIGSERIAL PRIMARY KEY,
  account TEXT NOT NULL,
  customer BIGINT NOT NULL,
  reference TEXT NOT NULL,
  at BIGINT NOT NULL,
  previous TEXT NOT NULL,
  next TEXT NOT NULL);
CREATE INDEX transitions_by_at ON transitions(account, at);
CREATE TABLE outbox(
  account TEXT NOT NULL,
  transition_id BIGINT NOT NULL,
  url TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  due BIGINT NOT NULL,
  queued BIGSERIAL,  -- a transition's URLs in the order they were queued
  PRIMARY KEY(account, transition_id, url));
CREATE INDEX outbox_by_due ON outbox(account, due, transition_id, queued);
CREATE TABLE autopay_preferences(
  account TEXT NOT NULL,
  method BIGINT NOT NULL,
  customer BIGINT NOT NULL,
  preference INTEGER NOT NULL,
  PRIMARY KEY(account, method));
CREATE INDEX autopay_by_customer ON autopay_preferences(account, customer);
CREATE TABLE idempotency(
  account TEXT NOT NULL,
  client TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state INTEGER NOT NULL,  -- 0 running, 1 answered, 2 unresolved create
  status INTEGER NOT NULL DEFAULT 0,
  body BYTEA,
  created_after BIGINT,
  at BIGINT NOT NULL,
  PRIMARY KEY(account, client, key));
CREATE INDEX idempotency_by_at ON idempotency(account, at);
CREATE TABLE kept_members(
  account TEXT NOT NULL,
  customer BIGINT NOT NULL,
  scope TEXT NOT NULL,
  members TEXT NOT NULL,  -- a JSON object
  PRIMARY KEY(account, customer, scope));
CREATE TABLE suspended_marks(
  account TEXT NOT NULL,
  customer BIGINT NOT NULL,
  PRIMARY KEY(account, customer));

-- Every gateway keeps the customers in memory: these tell them what another one changed.
CREATE FUNCTION blubridge_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_ RECORD;
  id_ BIGINT := 0;
BEGIN
  IF TG_OP = 'DELETE' THEN row_ := OLD; ELSE row_ := NEW; END IF;
  -- Separate statements: a record has only its own table's fields.
  IF TG_ARGV[0] = 'c' THEN
    id_ := row_.id;
  ELSIF TG_ARGV[0] = 'o' THEN
    id_ := row_.transition_id;
  ELSIF TG_ARGV[0] IN ('m', 'k') THEN
    id_ := row_.customer;
  END IF;
  PERFORM pg_notify('blubridge_state', TG_ARGV[0] || ':' || id_ || ':' || row_.account);
  RETURN NULL;
END $$;
CREATE TRIGGER customers_changed AFTER INSERT OR UPDATE OR DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION blubridge_notify('c');
CREATE TRIGGER marks_changed AFTER INSERT OR DELETE ON suspended_marks
  FOR EACH ROW EXECUTE FUNCTION blubridge_notify('m');
CREATE TRIGGER kept_changed AFTER INSERT OR UPDATE ON kept_members
  FOR EACH ROW EXECUTE FUNCTION blubridge_notify('k');
CREATE TRIGGER meta_changed AFTER INSERT OR UPDATE ON meta
  FOR EACH ROW EXECUTE FUNCTION blubridge_notify('r');
CREATE TRIGGER delivery_queued AFTER INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION blubridge_notify('o');
)sql";

constexpr std::array migrations{
    pg_migration{1, "customers, transitions, outbox, autopay preferences, idempotency, kept members, marks", initial},
};

}  // namespace

std::span<const pg_migration> pg_migrations() { return migrations; }

}  // namespace blubridge::directory
