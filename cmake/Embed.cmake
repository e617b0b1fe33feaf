# Embeds files into a generated C++ header at build time.
# sql: one `tokend::sql::Query` per query name, so a renamed query is a compile error; per engine
#      (tokend::sql::sqlite, ::postgres) the texts kQueries, the ordered kMigrations and one
#      string_view per engine-only statement.
# web: a table of {url path, content type, bytes} served by the http room.
# doc: one `tokend::doc::<file name>` string_view per file (the OpenAPI document); a .json file
#      that does not parse stops the build.
function(tokend_embed kind out files)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DKIND=${kind} -DOUT=${out} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${kind} files"
    VERBATIM)
endfunction()
