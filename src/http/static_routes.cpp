// The admin page's files, embedded from web/ at build time (SPEC §7).
#include "http/routes.hpp"
#include "web_embedded.hpp"

namespace tokend::http {

void add_static_routes(Router& router) {
    for (const auto& asset : web::kAssets) {
        auto serve = [&asset](Exchange& x) {
            x.res.set_content(asset.body.data(), asset.body.size(),
                              std::string(asset.content_type).c_str());
        };
        router.add_public("GET", std::string(asset.path), serve);
        if (asset.path == "/index.html") {
            router.add_public("GET", "/", serve);
        }
    }
}

} // namespace tokend::http
