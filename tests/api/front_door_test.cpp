// Pins the undocumented cpp-httplib 0.11.4 extension point the front door relies on: if the
// library stops calling the overridden Server::process_and_close_socket (a new version, LTO
// devirtualisation, a changed signature), connections would silently fall back to the library's
// own loop and every SPEC §14 guarantee with them. This test fails loudly instead.
#include <gtest/gtest.h>

#include "http/front_door/front_door.hpp"
#include "support/test_server.hpp"

using namespace tokend::test;

TEST(FrontDoorHook, EveryAcceptedConnectionGoesThroughTheOverride) {
    TestServer server;
    auto before = tokend::http::front_door::connections_accepted();
    for (int i = 0; i < 3; ++i) {
        httplib::Client client("127.0.0.1", server.port());
        auto result = client.Get("/healthz");
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 200);
    }
    EXPECT_GE(tokend::http::front_door::connections_accepted() - before, 3u)
        << "cpp-httplib no longer calls FrontDoor::process_and_close_socket";
}

TEST(FrontDoorHook, OneKeptAliveConnectionServesManyRequests) {
    TestServer server;
    httplib::Client client("127.0.0.1", server.port());
    client.set_keep_alive(true);
    auto before = tokend::http::front_door::connections_accepted();
    for (int i = 0; i < 5; ++i) {
        auto result = client.Get("/healthz");
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 200);
    }
    // Five requests on one kept-alive connection: the stream persists across requests.
    EXPECT_EQ(tokend::http::front_door::connections_accepted() - before, 1u);
}
