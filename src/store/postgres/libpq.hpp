// libpq, loaded when the first PostgreSQL connection opens instead of when tokend starts. A
// server on SQLite (the default) then never maps libpq and the libraries it pulls in (GnuTLS,
// Kerberos, LDAP, p11-kit: about 3.5 MB of resident memory and their start-up constructors).
// The types and constants still come from libpq-fe.h; only the calls go through this table.
#pragma once

#include <libpq-fe.h>

namespace tokend::store::postgres {

struct Libpq {
    decltype(&::PQconninfoParse) conninfo_parse;
    decltype(&::PQconninfoFree) conninfo_free;
    decltype(&::PQfreemem) freemem;
    decltype(&::PQconnectdb) connectdb;
    decltype(&::PQfinish) finish;
    decltype(&::PQstatus) status;
    decltype(&::PQtransactionStatus) transaction_status;
    decltype(&::PQerrorMessage) error_message;
    decltype(&::PQsetNoticeProcessor) set_notice_processor;
    decltype(&::PQexec) exec;
    decltype(&::PQprepare) prepare;
    decltype(&::PQexecPrepared) exec_prepared;
    decltype(&::PQresultStatus) result_status;
    decltype(&::PQresultErrorMessage) result_error_message;
    decltype(&::PQresultErrorField) result_error_field;
    decltype(&::PQntuples) ntuples;
    decltype(&::PQcmdTuples) cmd_tuples;
    decltype(&::PQgetisnull) getisnull;
    decltype(&::PQgetvalue) getvalue;
    decltype(&::PQgetlength) getlength;
    decltype(&::PQclear) clear;
};

// Loads libpq.so.5 on the first call (thread-safe); throws std::runtime_error naming the
// package to install when it cannot.
const Libpq& libpq();

} // namespace tokend::store::postgres
