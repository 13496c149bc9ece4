# `cmake --install` layout and the Debian packages (`cpack -G DEB`).
#   server:  herald-server, the systemd unit, /etc/herald/herald.ini (the commented example), docs
#   clients: herald-term, herald-console and its translations
# With CMAKE_INSTALL_PREFIX=/usr (what the packages use) the config goes to /etc/herald; with any
# other prefix to <prefix>/etc/herald.
include(GNUInstallDirs)
# Paths that depend on the prefix are worked out when installing, not when configuring, so
# `cmake --install build --prefix /usr` and CPack (prefix /usr, DESTDIR staging) get /etc/herald and
# /usr/bin in the unit even if the build was configured for /usr/local.
install(CODE [[
    if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
        set(HERALD_ETC_DIR "/etc")
    else()
        set(HERALD_ETC_DIR "${CMAKE_INSTALL_PREFIX}/etc")
    endif()
    set(HERALD_BIN_DIR "${CMAKE_INSTALL_PREFIX}/bin")
    set(HERALD_DOC_DIR "${CMAKE_INSTALL_PREFIX}/share/doc/herald-server")
    set(HERALD_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
]] COMPONENT server)
install(CODE "configure_file(\"${PROJECT_SOURCE_DIR}/resources/systemd/herald.service.in\"
                             \"${PROJECT_BINARY_DIR}/herald.service\" @ONLY)" COMPONENT server)
install(FILES ${PROJECT_BINARY_DIR}/herald.service DESTINATION lib/systemd/system COMPONENT server)
# /etc/herald/herald.ini: the commented example, as the administrator's starting point.
install(CODE "file(INSTALL \"${PROJECT_SOURCE_DIR}/resources/herald.ini.example\"
                   DESTINATION \"\${HERALD_ETC_DIR}/herald\" RENAME herald.ini)" COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/resources/herald.ini.example
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/herald-server COMPONENT server)
# Debian wants both in every package's doc folder, the changelog compressed.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/herald-server COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/herald-clients COMPONENT clients)
file(ARCHIVE_CREATE OUTPUT ${PROJECT_BINARY_DIR}/changelog.gz PATHS ${PROJECT_SOURCE_DIR}/packaging/deb/changelog
     FORMAT raw COMPRESSION GZip)
install(FILES ${PROJECT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/herald-server COMPONENT server)
install(FILES ${PROJECT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/herald-clients COMPONENT clients)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/herald-server
        COMPONENT server FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME herald)
set(CPACK_PACKAGE_VENDOR "Herald")
set(CPACK_PACKAGE_CONTACT "Herald maintainers <herald@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Presence-aware notification server for remote apps")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON) # RelWithDebInfo builds carry ~40 MB of debug info the package does not need
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server clients)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps (dpkg-dev) turns the linked libraries into Debian 12 package names: Qt 6.4,
# libssl3, libnghttp2-14, libargon2-1, libsqlite3-0, libjemalloc2, libsystemd0.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME herald-server)
set(CPACK_COMPONENT_SERVER_DESCRIPTION "Tells people about new mail and messages in remote apps: in-band
to the terminal showing the app, otherwise by push (APNs, FCM).
Runs as the systemd service herald.")
# adduser for the postinst, procps for the unit's ExecReload (/bin/kill). The libraries (libsqlite3,
# libpq, Qt) are found by dpkg-shlibdeps; the server loads no Qt SQL plugin.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, procps")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm
    ${PROJECT_SOURCE_DIR}/packaging/deb/postrm
    ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_CLIENTS_PACKAGE_NAME herald-clients)
set(CPACK_COMPONENT_CLIENTS_DESCRIPTION "Herald terminal client and admin console.
herald-term keeps a terminal's session with a Herald server;
herald-console is the administrators' desktop console.")
include(CPack)
