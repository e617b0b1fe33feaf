// The access log: one line per request (request id, method, path without query, status,
// duration) and the request id returned as X-Request-Id. Nothing a client sent is logged unless
// it is shaped like a route segment, so a token pasted into a path never reaches the log.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>

namespace tokend::http::access_log {

// Makes sure spdlog's default logger exists before any worker thread logs. spdlog creates it
// lazily inside libspdlog.so; done first on a worker, ThreadSanitizer (which cannot see inside
// the uninstrumented library) reports every later use as a race.
void prepare();

// cpp-httplib serves one request at a time per worker thread, from reading the request line to
// calling the logger, so the current request's id and start time are kept per thread.
void begin();                    // the request's headers have been read: new id, start the clock
const std::string& request_id(); // the current request's id (made now if begin() did not run)
void finish(const httplib::Request& req, const httplib::Response& res); // log, then forget

// The path as it may be logged: segments that could hold a secret (a token pasted as an id, a
// long or unusual value) become "*". The query string is never part of req.path.
std::string loggable_path(std::string_view path);
// The method as it may be logged: upper-case letters only, else "?".
std::string loggable_method(std::string_view method);

} // namespace tokend::http::access_log
