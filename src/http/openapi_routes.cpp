// GET /api/v1/openapi.json: the API description (SPEC §13), embedded from src/http/openapi.json
// at build time. Public, like the admin page's files: it describes routes, never data.
#include "doc_embedded.hpp"
#include "http/routes.hpp"

namespace tokend::http {

void add_openapi_routes(Router& router) {
    router.add_public("GET", "/api/v1/openapi.json", [](Exchange& x) {
        x.res.set_content(doc::openapi.data(), doc::openapi.size(), "application/json");
    });
}

} // namespace tokend::http
