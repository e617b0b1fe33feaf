// The audit log repository on a real SQLite file: events round-trip, pages are newest first, the
// table refuses UPDATE (append-only) and only the retention purge deletes.
#include <gtest/gtest.h>

#include <string>

#include "store/audit_events.hpp"
#include "store/sqlite/engine.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"

using namespace tokend;

namespace {
core::AuditEvent event_at(const std::string& id, const std::string& when) {
    core::AuditEvent e;
    e.id = id;
    e.created_at = when;
    e.event = "token.created";
    e.account_id = "aaaaaaaaaaaaaaaaaaaaaaaa";
    e.token_id = "bbbbbbbbbbbbbbbbbbbbbbbb";
    e.actor = {core::ActorType::Cli, std::nullopt, e.account_id};
    e.target = core::AuditTarget{"token", e.token_id, "ci", "dft_abc...wxyz"};
    e.details = {{"via", "cli"}, {"quote", "a \"b\"\n"}};
    return e;
}

class AuditEvents : public ::testing::Test {
protected:
    void SetUp() override {
        m_store.write([](store::Connection& c) {
            store::audit_events::insert(
                c, event_at("000000000000000000000001", "2026-01-01T00:00:00.000Z"));
            store::audit_events::insert(
                c, event_at("000000000000000000000002", "2026-02-01T00:00:00.000Z"));
        });
    }
    std::vector<core::AuditEvent> page() {
        store::audit_events::PageRequest request;
        request.account_id = "aaaaaaaaaaaaaaaaaaaaaaaa";
        return m_store.read([&request](store::Connection& c) {
            return store::audit_events::page_of_account(c, request);
        });
    }
    test::TempDir m_dir;
    store::Store m_store{test::test_engine(m_dir.path())};
};
} // namespace

TEST_F(AuditEvents, RoundTripsNewestFirst) {
    auto events = page();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].id, "000000000000000000000002");
    EXPECT_EQ(events[1].id, "000000000000000000000001");
    ASSERT_TRUE(events[0].target);
    EXPECT_EQ(events[0].target->display_key, "dft_abc...wxyz");
    EXPECT_EQ(events[0].actor.type, core::ActorType::Cli);
    EXPECT_EQ(events[0].details, event_at("x", "y").details);
}

TEST_F(AuditEvents, UpdateIsRefused) {
    EXPECT_ANY_THROW(m_store.write(
        [](store::Connection& c) { c.exec("UPDATE audit_events SET event = 'token.revoked'"); }));
    auto events = page();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].event, "token.created");
    EXPECT_EQ(events[1].event, "token.created");
}

TEST_F(AuditEvents, PurgeDeletesOnlyOlderEvents) {
    int purged = m_store.write([](store::Connection& c) {
        return store::audit_events::purge_before(c, "2026-01-15T00:00:00.000Z");
    });
    EXPECT_EQ(purged, 1);
    auto events = page();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].id, "000000000000000000000002");
}
