// GET /healthz: unauthenticated liveness that checks the database.
#include <gtest/gtest.h>

#include "support/test_server.hpp"

using tokend::test::TestServer;

TEST(Health, AnswersOkWithoutAuthentication) {
    TestServer server;
    auto reply = server.get("/healthz");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body, nlohmann::json({{"status", "ok"}}));
}
