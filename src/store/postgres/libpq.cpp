#include "store/postgres/libpq.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace tokend::store::postgres {

namespace {

constexpr const char* kLibrary = "libpq.so.5"; // Debian 12's libpq5

template <typename Function>
void resolve(void* handle, Function& slot, const char* name) {
    void* symbol = ::dlsym(handle, name);
    if (symbol == nullptr) {
        throw std::runtime_error(std::string(kLibrary) + " has no " + name);
    }
    slot = reinterpret_cast<Function>(symbol);
}

Libpq load() {
    void* handle = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        throw std::runtime_error(
            std::string("cannot load ") + kLibrary +
            " for the PostgreSQL engine (install libpq5): " + (why ? why : "unknown error"));
    }
    Libpq pq{};
    resolve(handle, pq.conninfo_parse, "PQconninfoParse");
    resolve(handle, pq.conninfo_free, "PQconninfoFree");
    resolve(handle, pq.freemem, "PQfreemem");
    resolve(handle, pq.connectdb, "PQconnectdb");
    resolve(handle, pq.finish, "PQfinish");
    resolve(handle, pq.status, "PQstatus");
    resolve(handle, pq.transaction_status, "PQtransactionStatus");
    resolve(handle, pq.error_message, "PQerrorMessage");
    resolve(handle, pq.set_notice_processor, "PQsetNoticeProcessor");
    resolve(handle, pq.exec, "PQexec");
    resolve(handle, pq.prepare, "PQprepare");
    resolve(handle, pq.exec_prepared, "PQexecPrepared");
    resolve(handle, pq.result_status, "PQresultStatus");
    resolve(handle, pq.result_error_message, "PQresultErrorMessage");
    resolve(handle, pq.result_error_field, "PQresultErrorField");
    resolve(handle, pq.ntuples, "PQntuples");
    resolve(handle, pq.cmd_tuples, "PQcmdTuples");
    resolve(handle, pq.getisnull, "PQgetisnull");
    resolve(handle, pq.getvalue, "PQgetvalue");
    resolve(handle, pq.getlength, "PQgetlength");
    resolve(handle, pq.clear, "PQclear");
    return pq; // the handle stays open for the life of the process
}

} // namespace

const Libpq& libpq() {
    static const Libpq loaded = load();
    return loaded;
}

} // namespace tokend::store::postgres
