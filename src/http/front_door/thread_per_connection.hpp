// cpp-httplib's task queue, replaced: every accepted connection gets its own small-stack thread
// at once, so no connection ever waits for a pool thread held by an idle or slow one. The
// connection caps (Admission) bound how many there are.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <memory>
#include <mutex>

namespace tokend::http::front_door {

class ThreadPerConnection final : public httplib::TaskQueue {
public:
    void enqueue(std::function<void()> fn) override;
    void shutdown() override; // waits until every connection thread has finished

private:
    struct Live {
        std::mutex mutex;
        std::condition_variable none_left;
        int count = 0;
    };
    static void* run(void* arg);

    std::shared_ptr<Live> m_live = std::make_shared<Live>();
};

} // namespace tokend::http::front_door
